"""The local model's worker: start-up, first token and tokens per second, with and without repacking.

    .venv/bin/python -m bench.local_model [--quick]

Both variants run in this one process run, alternating, so they see the same machine load.
`repack=False` is the default (plain CPU buffers, safe on every x86-64 CPU); `repack=True` lets
llama.cpp repack weights into CPU-specific buffers, which crashes on Intel AMX machines, so that
variant runs only where the CPU has no AMX. Each generation is 64 tokens of a fixed prompt.
"""

from __future__ import annotations

import time
from typing import Any

from bench.common import parse_args, progress, quiet_env, save, summary
from core.env import cpu

COMMAND = ".venv/bin/python -m bench.local_model"
PROMPT = (
    "Context: DeepSeek is a Chinese artificial intelligence company founded in July 2023 by Liang Wenfeng, "
    "the co-founder of the hedge fund High-Flyer, which funds it.\n\nQuestion: Describe DeepSeek in detail.\nAnswer:"
)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()
    from rag.llms import default_gguf, llamacpp_available
    from rag.local_model import LocalModelWorker, WorkerConfig

    if not llamacpp_available():
        progress("the [local] extra is not installed; nothing to measure")
        return {}
    amx = "amx_tile" in cpu()["features"]
    variants = [False] if amx else [False, True]
    rounds = 3 if args.quick else 10
    workers = {}
    rows: dict[str, dict[str, Any]] = {}
    for repack in variants:
        worker = LocalModelWorker(WorkerConfig(model_path=str(default_gguf()), repack=repack))
        started = time.perf_counter()
        problem = worker.probe()
        rows[str(repack)] = {
            "repack": repack,
            "startup_s": round(time.perf_counter() - started, 2),
            "problem": problem,
            "first": [],
            "rate": [],
        }
        workers[repack] = worker
    for _ in range(rounds):
        for repack, worker in workers.items():
            row = rows[str(repack)]
            started = time.perf_counter()
            first = None
            tokens = 0
            for _piece in worker.complete(PROMPT, max_tokens=64, stop=["\n\n"]):
                first = first or time.perf_counter() - started
                tokens += 1
            elapsed = time.perf_counter() - started
            row["first"].append(first or elapsed)
            row["rate"].append(tokens / elapsed)
    for worker in workers.values():
        worker.close()
    result_rows = []
    for row in rows.values():
        rates = sorted(row.pop("rate"))
        result_rows.append(
            {**row, "first": summary(row.pop("first")), "tokens_per_s_median": round(rates[len(rates) // 2], 1)}
        )
    data = {"quick": args.quick, "rounds": rounds, "amx": amx, "rows": result_rows}
    save("local_model", data, COMMAND + (" --quick" if args.quick else ""))
    return data


if __name__ == "__main__":
    main()
