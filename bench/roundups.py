"""Coherence (ingest/coherence.py) across an eval folder's documents, and roundups ranked first.

    .venv/bin/python -m bench.roundups [FOLDER] [--pattern "things to know"]

FOLDER (default ../shared/eval/news-dev) is indexed into its cached eval library as `briefing eval`
does (a no-op once built; an older cache is measured from its stored vectors). Reported: the median
coherence of all documents, of the gold documents and the lowest gold one; the coherence of every
document whose title holds PATTERN (the folder's known roundups); how many documents of five passages
or more fall under the roundup threshold; and, with the roundup rule off, for how many answerable
questions the first document retrieved is such a roundup. Writes bench/results/roundups-<folder>.json.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import REPO, quiet_env, save

COMMAND = ".venv/bin/python -m bench.roundups"
NEWS_DEV = REPO.parent / "shared" / "eval" / "news-dev"


def measure(folder: Path, pattern: str) -> dict[str, Any]:
    from briefing.api import Briefing
    from briefing.evaluate import eval_library_dir, find_split, read_questions
    from core.request import Request
    from core.settings import Settings
    from rag.retrieve import ROUNDUP_MIN_PASSAGES

    settings = Settings(generator="extractive", roundup_factor=1.0)
    corpus = folder / "corpus.jsonl"
    app = Briefing(settings.model_copy(update={"data_dir": eval_library_dir(settings, corpus), "collection": "eval"}))
    app.ingest([corpus])  # builds the cache, or measures an older one
    threshold = settings.retrieval.roundup_coherence
    documents = app.documents()
    measured = [d for d in documents if d.coherence is not None]
    questions = [q for q in read_questions(find_split(folder, None)) if q.answerable and q.gold_ids]
    gold_ids = {g for q in questions for g in q.gold_ids}
    gold = sorted(d.coherence for d in measured if d.external_id in gold_ids and d.coherence is not None)

    def roundup(d: Any) -> bool:
        return d.coherence is not None and d.chunk_count >= ROUNDUP_MIN_PASSAGES and d.coherence < threshold

    first_is_roundup = 0
    for q in questions:
        hits = app.retrieve(Request(q.question, asked_on=q.question_date or date.today()), k=1)
        first_is_roundup += bool(hits) and roundup(hits[0].document)
    named = sorted(d.coherence for d in measured if pattern.lower() in d.title.lower() and d.coherence is not None)
    app.close()
    return {
        "documents": len(documents),
        "measured": len(measured),
        "median": round(statistics.median(d.coherence for d in measured if d.coherence is not None), 3),
        "gold_median": round(statistics.median(gold), 3) if gold else None,
        "gold_lowest": gold[0] if gold else None,
        "pattern": pattern,
        "pattern_titles": len(named),
        "pattern_coherence": named,
        "roundups_under_threshold": sum(roundup(d) for d in measured),
        "threshold": threshold,
        "questions": len(questions),
        "first_document_a_roundup_with_the_rule_off": first_is_roundup,
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=NEWS_DEV)
    parser.add_argument("--pattern", default="things to know", help="Title words of the folder's known roundups.")
    args = parser.parse_args(argv)
    quiet_env()
    result = measure(args.folder, args.pattern)
    for name, value in result.items():
        print(f"{name}: {value}")
    save(f"roundups-{args.folder.name}", result, COMMAND)
    return result


if __name__ == "__main__":
    main()
