"""Peak memory of an ingest as the corpus grows: 100, 1k and 10k documents.

    .venv/bin/python -m bench.memory [--quick]

Each corpus is the clapnq corpus (592 real Wikipedia passages) repeated, every copy with its own
id and title, written as one JSONL file. Each size is ingested by `briefing ingest FILE --quiet`
in a fresh subprocess with a fresh data folder; the peak resident set size is the child's
ru_maxrss as the kernel reports it when the process ends (os.wait4), so nothing is sampled or
missed. --quick runs 100 and 1,000 documents.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, parse_args, progress, repeated_corpus, save

COMMAND = ".venv/bin/python -m bench.memory"
BRIEFING = str(Path(sys.executable).with_name("briefing"))


def ingest_in_subprocess(corpus: Path, data_dir: Path) -> dict[str, Any]:
    env = dict(os.environ, BRIEFING_DATA_DIR=str(data_dir), BRIEFING_GENERATOR="extractive")
    started = time.perf_counter()
    # stderr (one note per near-duplicate record) goes to a file: two pipes read one after the
    # other would deadlock once the unread one fills.
    log = data_dir.with_suffix(".stderr")
    with log.open("wb") as errors:
        child = subprocess.Popen(
            [BRIEFING, "ingest", str(corpus), "--quiet"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=errors
        )
        assert child.stdout is not None
        out = child.stdout.read().decode()
        _, status, usage = os.wait4(child.pid, 0)
    err = log.read_text(encoding="utf-8", errors="replace")
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"ingest failed ({child.returncode}): {err[-2000:]}")
    summary = out.strip().splitlines()[-1]
    chunks = re.search(r"(\d+) chunks in", summary)
    return {
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "seconds": round(seconds, 1),
        "chunks": int(chunks.group(1)) if chunks else None,
        "summary": summary,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    sizes = [100, 1_000] if args.quick else [100, 1_000, 10_000]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        for documents in sizes:
            corpus = repeated_corpus(Path(tmp) / f"corpus-{documents}.jsonl", documents)
            progress(f"ingesting {documents} documents ({corpus.stat().st_size / 1e6:.1f} MB) in a subprocess")
            row = {"documents": documents, "corpus_mb": round(corpus.stat().st_size / 1e6, 1)}
            row.update(ingest_in_subprocess(corpus, Path(tmp) / f"data-{documents}"))
            progress(str(row))
            rows.append(row)
    result = {"quick": args.quick, "rows": rows}
    save("memory", result, COMMAND + (" --quick" if args.quick else ""))
    return result


if __name__ == "__main__":
    main()
