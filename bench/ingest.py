"""Ingest by stage, and retrieval quality, for the torch reference embedder and the default one.

    .venv/bin/python -m bench.ingest [--quick]

For each backend: a fresh library, `Briefing.ingest` of the clapnq corpus.jsonl (its IngestReport
gives seconds per stage: load = read + clean + chunk, embed, write = Chroma + SQLite/BM25 +
duplicate index), then `briefing eval`'s own `evaluate()` on that library (extractive generator),
which reports retrieval_recall@5. --quick scores only the first 40 questions.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import CLAPNQ, Timer, parse_args, progress, quiet_env, save

COMMAND = ".venv/bin/python -m bench.ingest"
BACKENDS = ("torch", "onnx-int8")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()
    from briefing.api import Briefing
    from briefing.evaluate import eval_library_dir, evaluate
    from core.settings import Settings

    corpus = CLAPNQ / "corpus.jsonl"
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        for backend in BACKENDS:
            settings = Settings(data_dir=Path(tmp) / backend, embed_backend=backend, generator="extractive")  # type: ignore[arg-type]
            # The library evaluate() would build, built here so its stage timings can be read.
            library = settings.model_copy(update={"data_dir": eval_library_dir(settings, corpus), "collection": "eval"})
            app = Briefing(library)
            _ = app.embedder.model, app.index  # load the model and open Chroma outside the timed ingest
            progress(f"{backend}: ingesting {corpus}")
            with Timer() as t:
                report = app.ingest([corpus])
            app.close()
            assert not report.failed, report.failed[:3]
            progress(f"{backend}: {report.chunks} chunks in {t.wall:.1f}s {report.seconds}; scoring")
            scores = evaluate(CLAPNQ, settings, limit=40 if args.quick else None)
            embed = report.seconds["embed"]
            other = report.seconds["load"] + report.seconds["write"]
            rows.append(
                {
                    "backend": backend,
                    "documents": len(report.added),
                    "chunks": report.chunks,
                    "seconds_total": round(t.wall, 2),
                    "seconds": {k: round(v, 2) for k, v in report.seconds.items()},
                    "chunks_per_s": round(report.chunks / t.wall, 1),
                    "overhead_vs_embed": round(other / embed, 3) if embed else None,
                    "unaccounted_s": round(t.wall - sum(report.seconds.values()), 2),
                    "metrics": scores.metrics,
                    "questions": scores.questions,
                }
            )
            progress(f"{backend}: recall@5 {scores.metrics['retrieval_recall@5']}")
    base, fast = rows
    result = {
        "quick": args.quick,
        "rows": rows,
        "ingest_speedup": round(base["seconds_total"] / fast["seconds_total"], 2),
        "embed_stage_speedup": round(base["seconds"]["embed"] / fast["seconds"]["embed"], 2),
        "recall5_delta_points": round(
            100 * ((fast["metrics"]["retrieval_recall@5"] or 0) - (base["metrics"]["retrieval_recall@5"] or 0)), 2
        ),
    }
    save("ingest", result, COMMAND + (" --quick" if args.quick else ""))
    print({k: v for k, v in result.items() if k != "rows"}, file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
