"""The sample library's own evaluation sets hold what their README promises."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rag.periods import as_written
from tests.helpers import SHARED

SETS = Path(__file__).resolve().parent.parent / "evals" / "briefing-news"


def _records(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (SETS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(
    "split",
    [
        "queries.jsonl",
        "answers.jsonl",
        "windows.jsonl",
        "fresh.jsonl",
        "later.jsonl",
        "plain.jsonl",
        "dated.jsonl",
        "sides.jsonl",
        "unseen.jsonl",
        "unseen2.jsonl",
        "unseen3.jsonl",
    ],
)
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


def test_every_day_asked_is_its_gold_documents_date_and_no_words_of_its_text() -> None:
    # days.jsonl measures the day read from "Today, …" against the source's date: its answers are dates the
    # documents' texts never write.
    corpus = {str(d["id"]): d for d in _records("corpus.jsonl")}
    questions = _records("days.jsonl")
    assert len({q["id"] for q in questions}) == len(questions) == 10
    for q in questions:
        (gold,) = q["gold_ids"]
        document = corpus[gold]
        day = date.fromisoformat(str(document["date"]))
        assert q["answerable"] and q["answers"] == [as_written(day)], q["id"]
        assert as_written(day) not in str(document["text"]), q["id"]


NEWS_QUIZ = SETS.parent / "news-quiz" / "questions.jsonl"
NEWS_DEV = SHARED / "eval" / "news-dev"


@pytest.mark.parametrize(("name", "count", "answerable_count"), [("questions.jsonl", 60, 45), ("dated.jsonl", 40, 30)])
def test_the_news_quiz_sets_are_well_formed(name: str, count: int, answerable_count: int) -> None:
    questions = [json.loads(line) for line in (NEWS_QUIZ.parent / name).read_text(encoding="utf-8").splitlines()]
    assert len(questions) == count and len({q["id"] for q in questions}) == count
    answerable = [q for q in questions if q["answerable"]]
    assert len(answerable) == answerable_count
    for q in questions:
        assert q["question_date"][:4] == "2022", q["id"]
        assert bool(q["answers"]) == bool(q["gold_ids"]) == q["answerable"], q["id"]
    # One question per (first) gold article.
    gold = [q["gold_ids"][0] for q in answerable]
    assert len(gold) == len(set(gold))


@pytest.mark.skipif(not (NEWS_DEV / "corpus.jsonl").is_file(), reason="the news-dev library is not beside the project")
@pytest.mark.parametrize("name", ["questions.jsonl", "dated.jsonl"])
def test_every_news_quiz_answer_is_in_its_gold_article_and_no_gold_article_is_the_benchmarks(name: str) -> None:
    corpus = {}
    for line in (NEWS_DEV / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        document = json.loads(line)
        corpus[document["id"]] = f"{document['title']}\n{document['text']}".lower()
    benchmark = {
        g
        for line in (NEWS_DEV / "dev.jsonl").read_text(encoding="utf-8").splitlines()
        for g in json.loads(line)["gold_ids"]
    }
    for line in (NEWS_QUIZ.parent / name).read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        for g in q["gold_ids"]:
            assert g in corpus and g not in benchmark, (q["id"], g)
        if q["answerable"]:
            assert any(q["answers"][0].lower() in corpus[g] for g in q["gold_ids"]), q["id"]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.skipif(not (NEWS_DEV / "corpus.jsonl").is_file(), reason="the news-dev library is not beside the project")
@pytest.mark.parametrize(
    ("name", "earlier"),
    [
        ("blind2.jsonl", ()),
        ("blind3.jsonl", ("blind.jsonl", "blind2.jsonl")),
        ("blind4.jsonl", ("blind.jsonl", "blind2.jsonl", "blind3.jsonl")),
        ("blind5.jsonl", ("blind.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl")),
        ("blind6.jsonl", ("blind.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl", "blind5.jsonl")),
    ],
)
def test_a_blind_news_set_answers_verbatim_in_gold_articles_published_by_the_day_it_is_asked(
    name: str, earlier: tuple[str, ...]
) -> None:
    corpus = {}
    for line in (NEWS_DEV / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        document = json.loads(line)
        corpus[document["id"]] = document
    questions = _jsonl(NEWS_QUIZ.parent / name)
    assert len(questions) == len({q["id"] for q in questions}) == 40
    assert sum(q["answerable"] for q in questions) == 30
    # A set written after others asks of articles none of them is answered from.
    used = {g for e in earlier for q in _jsonl(NEWS_QUIZ.parent / e) for g in q["gold_ids"]} if earlier else set()
    if earlier:
        for other in (NEWS_DEV / "dev.jsonl", NEWS_QUIZ, NEWS_QUIZ.parent / "dated.jsonl"):
            used |= {g for q in _jsonl(other) for g in q["gold_ids"]}
    for q in questions:
        assert not used & set(q["gold_ids"]), q["id"]
        assert bool(q["answers"]) == bool(q["gold_ids"]) == q["answerable"], q["id"]
        asked = date.fromisoformat(q["question_date"])
        for g in q["gold_ids"]:
            document = corpus[g]
            assert date.fromisoformat(document["date"].replace("/", "-")) <= asked, (q["id"], g)
            text = f"{document['title']}\n{document['text']}"
            assert any(answer in text for answer in q["answers"]), (q["id"], g)


CLAPNQ = SHARED / "eval" / "clapnq"


@pytest.mark.skipif(not (CLAPNQ / "corpus.jsonl").is_file(), reason="the ClapNQ library is not beside the project")
def test_the_blind_clapnq_set_quotes_its_passages_and_asks_nothing_the_dev_split_asks() -> None:
    passages = {}
    for line in (CLAPNQ / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        passage = json.loads(line)
        passages[passage["id"]] = passage["text"]
    dev = [json.loads(line) for line in (CLAPNQ / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    dev_questions = {q["question"] for q in dev}
    dev_golds = {g for q in dev for g in q["gold_ids"]}
    path = SETS.parent / "clapnq-blind" / "questions.jsonl"
    questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(questions) == len({q["id"] for q in questions}) == 60
    assert sum(q["answerable"] for q in questions) == 30
    for q in questions:
        assert q["question"] not in dev_questions, q["id"]
        assert bool(q["answers"]) == bool(q["gold_ids"]) == q["answerable"], q["id"]
        for g in q["gold_ids"]:
            assert g not in dev_golds, (q["id"], g)
            assert all(answer in passages[g] for answer in q["answers"]), (q["id"], g)
