"""Where an embedder's question–sentence similarities separate answerable from unanswerable questions.

    .venv/bin/python -m bench.abstention [--quick]

For each embedder (all-MiniLM-L6-v2, multilingual-e5-small) and each clapnq dev question, the best
relevance the extractive answerer computes (the sentence part of the support `abstain_threshold` is compared with), read
from the cached library `briefing eval` builds (run the evals first, same BRIEFING_DATA_DIR). Reports
the accuracy of "abstain below t" for a grid of t, and the best t per embedder.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.common import CLAPNQ, parse_args, progress, quiet_env, save

COMMAND = ".venv/bin/python -m bench.abstention"


def relevances(embedder_name: str, limit: int | None) -> list[tuple[bool, float]]:
    """(answerable, best relevance) per clapnq dev question, from the eval's cached library."""
    from briefing.api import Briefing
    from briefing.evaluate import eval_library_dir, read_questions
    from core.settings import load_settings
    from rag.extractive import candidates

    settings = load_settings(embedder=embedder_name, generator="extractive")
    folder = eval_library_dir(settings, CLAPNQ / "corpus.jsonl")
    library = settings.model_copy(update={"data_dir": folder, "collection": "eval"})
    if not library.library_db.is_file() and not (folder / "library.db").is_file():  # the latter: split on open
        raise SystemExit(f"no eval library for {embedder_name} in {folder}: run `briefing eval` on clapnq first")
    app = Briefing(library)
    out = []
    questions = read_questions(CLAPNQ / "dev.jsonl")[:limit]
    for i, q in enumerate(questions, 1):
        hits = app.retrieve(q.question, k=settings.top_k)
        ranked = candidates(q.question, hits, app.embedder) if hits else []
        out.append((q.answerable, max((c.relevance for c in ranked), default=0.0)))
        if i % 30 == 0:
            progress(f"{embedder_name}: {i}/{len(questions)}")
    app.close()
    return out


def accuracy(pairs: list[tuple[bool, float]], threshold: float) -> float:
    right = sum(1 for answerable, rel in pairs if (rel >= threshold) == answerable)
    return right / len(pairs)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()
    rows = []
    for name in ("all-MiniLM-L6-v2", "multilingual-e5-small"):
        pairs = relevances(name, 40 if args.quick else None)
        grid = [round(0.30 + 0.01 * i, 2) for i in range(66)]
        best = max(grid, key=lambda t: (accuracy(pairs, t), -abs(t - 0.5)))
        answerable = sorted(r for a, r in pairs if a)
        unanswerable = sorted(r for a, r in pairs if not a)
        rows.append(
            {
                "embedder": name,
                "questions": len(pairs),
                "median_relevance_answerable": round(answerable[len(answerable) // 2], 3),
                "median_relevance_unanswerable": round(unanswerable[len(unanswerable) // 2], 3),
                "accuracy_at_0.5": round(accuracy(pairs, 0.5), 3),
                "best_threshold": best,
                "accuracy_at_best": round(accuracy(pairs, best), 3),
            }
        )
        print(rows[-1], file=sys.stderr)
    result = {"quick": args.quick, "rows": rows}
    save("abstention", result, COMMAND + (" --quick" if args.quick else ""))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
