"""Run every benchmark, then write docs/BENCHMARKS.md and its plots (`make bench`).

    .venv/bin/python -m bench.run_all [--quick] [--only NAME ...]

Each benchmark runs in its own process, one after another (they would compete for the 2 cores),
and leaves bench/results/NAME.json; bench.report then renders the page from those files. About
25 minutes on 2 cores; --quick (smaller sizes, fewer repeats) takes about 8.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench.common import REPO, progress

BENCHMARKS = ("embed", "ingest", "memory", "retrieval", "ask", "startup", "local_model", "brief", "feeds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Smaller sizes and fewer repeats.")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="Run only these (the page still shows all).")
    args = parser.parse_args(argv)
    failed = []
    started = time.perf_counter()
    for name in args.only or BENCHMARKS:
        progress(f"bench.{name}")
        t0 = time.perf_counter()
        command = [sys.executable, "-m", f"bench.{name}", *(["--quick"] if args.quick else [])]
        if subprocess.run(command, cwd=REPO).returncode != 0:
            failed.append(name)
        progress(f"bench.{name} took {time.perf_counter() - t0:.0f}s")
    subprocess.run([sys.executable, "-m", "bench.report"], cwd=REPO, check=True)
    progress(f"all benchmarks took {time.perf_counter() - started:.0f}s" + (f"; failed: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
