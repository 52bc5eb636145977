"""Polling many feeds: 50 feeds of 50 items each from a local news site, time and peak memory per poll.

    .venv/bin/python -m bench.feeds [--quick]

The site (tests/feed_server.py, the one the feed tests use) serves RSS with ETags and answers
conditional GETs with 304. 40 feeds carry each article in <content:encoded>; 10 carry only a
summary, so their articles are fetched from the entry links and extracted. Article texts are
short (three sentences of distinct words, one chunk each) so that embedding, which is not what
this measures, stays a modest share. Each step runs `briefing feeds …` in a fresh subprocess with
one data folder; peak RSS is the child's ru_maxrss from os.wait4.

Steps: import the 50 feeds from OPML; the first poll (every entry is new); a second poll with
nothing changed (every feed answers 304); then, after each feed gains 2 items and changes 1, a
third poll. --quick runs 10 feeds of 20 items.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import CLAPNQ, REPO, parse_args, progress, save

COMMAND = ".venv/bin/python -m bench.feeds"
BRIEFING = str(Path(sys.executable).with_name("briefing"))
SUMMARY_ONLY_EVERY = 5  # every 5th feed carries summaries only


def vocabulary() -> list[str]:
    """Words for the article texts: the clapnq corpus's, else a fixed list."""
    path = CLAPNQ / "corpus.jsonl"
    words: set[str] = set()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines()[:400]:
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,12}", json.loads(line)["text"]))
    if len(words) < 500:
        words = {f"{a}{b}" for a in ("mar", "tol", "ven", "kri", "sa", "lo", "bre", "dun") for b in range(200)}
    return sorted(words)


def article(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(3):
        picked = rng.sample(words, rng.randint(12, 16))
        sentences.append(" ".join(picked).capitalize() + ".")
    return " ".join(sentences)


def run(args: list[str], data_dir: Path) -> dict[str, Any]:
    env = dict(os.environ, BRIEFING_DATA_DIR=str(data_dir), BRIEFING_GENERATOR="extractive")
    started = time.perf_counter()
    log = data_dir.parent / "step.stderr"
    with log.open("wb") as errors:
        child = subprocess.Popen([BRIEFING, *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=errors)
        assert child.stdout is not None
        out = child.stdout.read().decode()
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"briefing {' '.join(args)} failed ({code}): {log.read_text()[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "output": out}


def counts(output: str) -> dict[str, int]:
    """Totals over the status lines `feeds poll` prints."""
    total: dict[str, Any] = {"new": 0, "updated": 0, "not modified": 0, "failed feeds": 0}
    lines = output.splitlines()
    stages = re.search(r"load ([\d.]+)s, embed ([\d.]+)s, write ([\d.]+)s", lines[-1] if lines else "")
    total["stages"] = dict(zip(("load", "embed", "write"), map(float, stages.groups()), strict=True)) if stages else {}
    for line in lines[:-1]:
        if line.startswith("ERR"):
            total["failed feeds"] += 1
        if "not modified" in line:
            total["not modified"] += 1
        for key in ("new", "updated"):
            found = re.search(rf"(\d+) {key}", line)
            total[key] += int(found.group(1)) if found else 0
    return total


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from ingest.feeds import FeedSpec, render_opml
    from tests.feed_server import FeedSite, Item

    args = parse_args(__doc__ or "", argv)
    feeds, per_feed = (10, 20) if args.quick else (50, 50)
    rng = random.Random(15)
    words = vocabulary()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as tmp, FeedSite() as site:
        folder = Path(tmp)
        data_dir = folder / "data"
        for f in range(feeds):
            summary_only = f % SUMMARY_ONLY_EVERY == SUMMARY_ONLY_EVERY - 1
            items = []
            for i in range(per_feed):
                text = article(rng, words)
                guid = f"f{f}-i{i}"
                if summary_only:
                    items.append(Item(guid, f"Story {guid}", text[:80], article=text))
                else:
                    items.append(Item(guid, f"Story {guid}", text[:80], content=text))
            site.publish(f"feed{f}", f"Outlet {f}", items)
        opml = folder / "feeds.opml"
        opml.write_text(render_opml([FeedSpec(site.url(f"feed{f}"), f"Outlet {f}") for f in range(feeds)]))

        step = run(["feeds", "import", str(opml)], data_dir)
        rows.append({"step": "import OPML", "seconds": step["seconds"], "peak_rss_mib": step["peak_rss_mib"]})
        for name in ("first poll (all new)", "second poll (nothing changed)", "third poll (2 new, 1 changed per feed)"):
            if name.startswith("third"):
                for f in range(feeds):
                    _, items = site.feeds[f"feed{f}"]
                    for extra in range(2):
                        text = article(rng, words)
                        guid = f"f{f}-new{extra}"
                        items.insert(0, Item(guid, f"Story {guid}", text[:80], content=text))
                    changed = items[5]
                    if changed.content:
                        changed.content = article(rng, words)
                    else:
                        changed.article = article(rng, words)
                        changed.summary = changed.article[:80]
            requests = len(site.requests)
            progress(f"bench.feeds: {name}")
            step = run(["feeds", "poll", "--all"], data_dir)
            total = counts(step["output"])
            feed_requests = sum(1 for r in site.requests[requests:] if r.path.startswith("/feeds/"))
            article_requests = sum(1 for r in site.requests[requests:] if r.path.startswith("/articles/"))
            rows.append(
                {
                    "step": name,
                    "seconds": step["seconds"],
                    "peak_rss_mib": step["peak_rss_mib"],
                    **total,
                    "feed_requests": feed_requests,
                    "article_requests": article_requests,
                }
            )
            progress(f"bench.feeds: {name}: {rows[-1]}")
        listing = run(["sources", "--json"], data_dir)
        documents = len(json.loads(listing["output"]))
    data = {"quick": args.quick, "feeds": feeds, "items_per_feed": per_feed, "documents": documents, "rows": rows}
    save("feeds", data, COMMAND + (" --quick" if args.quick else ""))
    return data


if __name__ == "__main__":
    main()
