"""End-to-end `ask` on a warm process, with the extractive generator and the local Gemma model.

    .venv/bin/python -m bench.ask [--quick]

The library is the clapnq corpus (592 passages) ingested with the default settings. Each
generator gets one untimed warm-up question (model loads), then the first N dev questions
(answerable and unanswerable mixed, as they come; N = 40, or 10 with --quick) go through
`Briefing.stream` exactly as `briefing ask --stream` and the web app use it: rewrite, time
scope, hybrid retrieval, generation, citation checks. Time to first token is when the first
Token event arrives; total is when the verified Answer (Done) arrives.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from bench.common import CLAPNQ, REPO, clapnq_questions, parse_args, progress, quiet_env, save, summary

COMMAND = ".venv/bin/python -m bench.ask"
LIBRARY = REPO / ".bench-data" / "clapnq"


def clapnq_library() -> Path:
    """The clapnq corpus as a library (built once, then reused: re-ingesting unchanged records is a no-op)."""
    from briefing.api import Briefing
    from core.settings import Settings

    app = Briefing(Settings(data_dir=LIBRARY, generator="extractive"))
    report = app.ingest([CLAPNQ / "corpus.jsonl"])
    app.close()
    assert not report.failed, report.failed[:3]
    return LIBRARY


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()
    from briefing.api import Briefing
    from core.settings import Settings
    from rag.chain import Done, Token
    from rag.llms import llamacpp_available

    library = clapnq_library()
    questions = [q["question"] for q in clapnq_questions()][: 10 if args.quick else 40]
    generators = ["extractive"] + (["llamacpp"] if llamacpp_available() else [])
    rows = []
    for generator in generators:
        app = Briefing(Settings(data_dir=library, generator=generator))  # type: ignore[arg-type]
        with_model = time.perf_counter()
        app.ask("who sang the theme song for the golden girls")
        warmup = time.perf_counter() - with_model
        totals: list[float] = []
        first: list[float] = []
        answered_totals: list[float] = []
        answered_first: list[float] = []
        abstained = 0
        errors: list[str] = []
        for question in questions:
            started = time.perf_counter()
            ttft = None
            answer = None
            try:
                for event in app.stream(question):
                    if isinstance(event, Token) and ttft is None:
                        ttft = time.perf_counter() - started
                    elif isinstance(event, Done):
                        answer = event.answer
            except Exception as exc:  # counted and reported, so one failing question does not hide the rest
                errors.append(f"{question}: {type(exc).__name__}: {exc}")
                continue
            total = time.perf_counter() - started
            assert answer is not None
            totals.append(total)
            first.append(ttft if ttft is not None else total)
            if answer.abstained:
                abstained += 1
            else:
                answered_totals.append(total)
                answered_first.append(first[-1])
        app.close()
        row = {
            "generator": app.answerer.generator_name,
            "questions": len(questions),
            "abstained": abstained,
            "errors": len(errors),
            "error_examples": errors[:3],
            "warmup_s": round(warmup, 2),
            "total": summary(totals),
            "first_token": summary(first),
            "answered_total": summary(answered_totals) if answered_totals else None,
            "answered_first_token": summary(answered_first) if answered_first else None,
        }
        progress(str(row))
        rows.append(row)
    result = {"quick": args.quick, "library_chunks": None, "rows": rows}
    app = Briefing(Settings(data_dir=library, generator="extractive"))
    result["library_chunks"] = app.library.counts()["chunks"]
    app.close()
    save("ask", result, COMMAND + (" --quick" if args.quick else ""))
    print(rows, file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
