"""The sample library's own evaluation sets hold what their README promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SETS = Path(__file__).resolve().parent.parent / "evals" / "briefing-news"


def _records(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (SETS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("split", ["queries.jsonl", "answers.jsonl", "windows.jsonl", "fresh.jsonl", "later.jsonl", "plain.jsonl", "dated.jsonl"])
def test_every_answer_is_verbatim_in_a_gold_document(split: str) -> None:
    corpus = {str(d["id"]): f"{d['title']}\n{d['text']}" for d in _records("corpus.jsonl")}
    questions = _records(split)
    assert len({q["id"] for q in questions}) == len(questions)
    for q in questions:
        answers, gold = q["answers"], q["gold_ids"]
        assert isinstance(answers, list) and isinstance(gold, list)
        assert q["question_date"], q["id"]
        if not q["answerable"]:
            assert not gold or split == "queries.jsonl", q["id"]
            continue
        assert answers and gold and all(g in corpus for g in gold), q["id"]
        for answer in answers:
            assert any(answer in corpus[g] for g in gold), (q["id"], answer)
