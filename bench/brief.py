"""Briefs on a large real-news library: time, memory, and how many sentences pass verification.

    .venv/bin/python -m bench.brief [--quick]

The library is ../shared/eval/news-dev/corpus.jsonl (1,000 news articles, about 1.5 M words),
ingested once into .bench-data/news-dev. Each topic below is broad enough to match hundreds of
passages. For each, a brief is built with the default bound (80 passages read) and, to show what
the bound buys, with 200 and 400. Peak memory is the process's peak RSS (ru_maxrss) after all runs.
The topics are written here, not taken from the evaluation questions.
"""

from __future__ import annotations

import resource
import time
from typing import Any

from bench.common import REPO, parse_args, progress, quiet_env, save

COMMAND = ".venv/bin/python -m bench.brief"
NEWS = REPO.parent / "shared" / "eval" / "news-dev"
LIBRARY = REPO / ".bench-data" / "news-dev"
TOPICS = (
    "gun safety legislation in Congress",
    "the war in Ukraine",
    "inflation and Federal Reserve interest rate rises",
    "abortion rights after the Supreme Court ruling",
    "Covid-19 vaccines for young children",
    "flooding and extreme weather in the United States",
)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()
    from briefing.api import Briefing
    from core.settings import Settings

    app = Briefing(Settings(data_dir=LIBRARY, generator="extractive"))
    started = time.perf_counter()
    report = app.ingest([NEWS / "corpus.jsonl"])
    progress(f"library ready in {time.perf_counter() - started:.0f}s ({len(report.added)} added)")
    topics = TOPICS[:2] if args.quick else TOPICS
    bounds = (80,) if args.quick else (80, 200, 400)
    rows = []
    for topic in topics:
        for bound in bounds:
            started = time.perf_counter()
            brief = app.brief(topic, max_passages=bound)
            seconds = time.perf_counter() - started
            quoted = sum(1 for s in brief.sections if s.kind != "gaps" for item in s.items if "[" in item.text)
            rows.append(
                {
                    "topic": topic,
                    "max_passages": bound,
                    "passages_read": brief.passages_read,
                    "seconds": round(seconds, 2),
                    "sections": [s.kind for s in brief.sections],
                    "sentences": quoted,
                    "dropped": brief.dropped,
                    "verified_share": round(quoted / (quoted + brief.dropped), 3) if quoted + brief.dropped else None,
                    "documents_cited": len({c.doc_id for c in brief.citations}),
                    "outlets_cited": len({c.source for c in brief.citations if c.source}),
                }
            )
            progress(f"{topic!r} @ {bound}: {seconds:.1f}s, {quoted} sentences, {brief.dropped} dropped")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data = {
        "quick": args.quick,
        "library_documents": app.counts()["documents"],
        "rows": rows,
        "peak_rss_mib": round(peak_mib),
    }
    app.close()
    save("brief", data, COMMAND + (" --quick" if args.quick else ""))
    return data


if __name__ == "__main__":
    main()
