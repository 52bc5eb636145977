"""`briefing ask` from a cold shell: wall time per run, and what it imports.

    .venv/bin/python -m bench.startup [--quick]

Each run is a new `briefing --generator extractive ask QUESTION` process against the clapnq
library (as hyperfine would run it: one discarded warm-up run so the OS file cache is warm, then
N timed runs; N = 8, or 3 with --quick). `briefing --help` is timed the same way as the floor of
any command. The same ask with BRIEFING_EMBED_BACKEND=torch shows what loading torch and
sentence-transformers for the query embedding costs. `python -X importtime` of the ask lists the
slowest imports, and the heavy packages a plain ask loads are checked by name.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.ask import clapnq_library
from bench.common import REPO, parse_args, progress, quiet_env, save

COMMAND = ".venv/bin/python -m bench.startup"
BRIEFING = str(Path(sys.executable).with_name("briefing"))
QUESTION = "who sang the theme song for the golden girls"
HEAVY = (
    "torch",
    "sentence_transformers",
    "transformers",
    "gradio",
    "trafilatura",
    "pypdf",
    "docx",
    "llama_cpp",
    "chromadb",
    "onnxruntime",
    "langchain_core",
    "httpx",
)
PROBE = (
    "import sys\nfrom briefing.cli import main\nsys.argv = {argv!r}\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('LOADED=' + ','.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)\n"
)


def timed_runs(argv: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    subprocess.run(argv, env=env, cwd=REPO, capture_output=True, check=True)  # warm-up, discarded
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, cwd=REPO, capture_output=True, check=True)
        seconds.append(time.perf_counter() - started)
    return {
        "runs": runs,
        "mean_s": round(statistics.fmean(seconds), 3),
        "stdev_s": round(statistics.stdev(seconds), 3) if len(seconds) > 1 else 0.0,
        "min_s": round(min(seconds), 3),
        "max_s": round(max(seconds), 3),
    }


def import_profile(env: dict[str, str]) -> dict[str, Any]:
    argv = ["briefing", "--generator", "extractive", "ask", QUESTION]
    code = PROBE.format(argv=argv, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    rows = []
    loaded: list[str] = []
    for line in done.stderr.splitlines():
        if line.startswith("LOADED="):
            loaded = [m for m in line[len("LOADED=") :].split(",") if m]
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        if cumulative.isdigit() and not name.startswith(" ") and "." not in name.strip():
            rows.append((int(cumulative), name.strip()))
    top = sorted(rows, reverse=True)[:12]
    return {
        "top_level_imports_ms": [{"module": name, "ms": round(us / 1000, 1)} for us, name in top],
        "heavy_loaded": loaded,
        "heavy_not_loaded": [m for m in HEAVY if m not in loaded],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()
    library = clapnq_library()
    runs = 3 if args.quick else 8
    env = dict(os.environ, BRIEFING_DATA_DIR=str(library), BRIEFING_GENERATOR="extractive")
    env.pop("BRIEFING_EMBED_BACKEND", None)
    ask = [BRIEFING, "--generator", "extractive", "ask", QUESTION]
    rows = {}
    progress("briefing --help")
    rows["briefing --help"] = timed_runs([BRIEFING, "--help"], env, runs)
    progress("briefing ask (default embedder)")
    rows["briefing ask (onnx-int8 embedder, default)"] = timed_runs(ask, env, runs)
    progress("briefing ask (torch embedder)")
    rows["briefing ask (torch embedder)"] = timed_runs(ask, dict(env, BRIEFING_EMBED_BACKEND="torch"), runs)
    profile = import_profile(env)
    result = {"quick": args.quick, "question": QUESTION, "rows": rows, **profile}
    save("startup", result, COMMAND + (" --quick" if args.quick else ""))
    print(result, file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
