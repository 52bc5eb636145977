"""Questions asking by a superlative, and the sentences that repeat it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import rag.extractive
from briefing.api import Briefing
from core.request import Request
from rag.superlatives import asked_superlative, repeats_superlative
from tests.helpers import Article, news_library


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (
            "Which chain posted the quickest average drive-thru time this week?",
            ("quickest", frozenset({"average", "drive", "thru", "time"})),
        ),
        ("Who is the world's fastest man?", ("fastest", frozenset({"man"}))),
        ("Who is the oldest?", ("oldest", frozenset())),
        ("Which state has the most confirmed cases of monkeypox?", ("most", frozenset({"confirm", "cas"}))),
        # The scene's superlative is not what the asking sentence asks by.
        ("Storm Eunice brought the strongest winds ever recorded. Which towns lost power?", None),
        # Words in -est that are no superlative, and "the latest", which sets nothing apart.
        ("What is the latest on the Middle East peace talks?", None),
        ("What did the interest rate rise to?", None),
        ("Which countries joined the protest in the west?", None),
    ],
)
def test_the_superlative_a_question_asks_by(question: str, asked: tuple[str, frozenset[str]] | None) -> None:
    assert asked_superlative(question) == asked


@pytest.mark.parametrize(
    ("sentence", "repeats"),
    [
        ("California has the most cases: 4,300.", True),
        ("New York has the most confirmed infections per head.", True),
        # "Most" of something else; no superlative at all.
        ("Texas has the most beautiful parks in the country.", False),
        ("Texas has the most parks in the country.", False),
        ("Cases rose fastest in Florida last week.", False),
    ],
)
def test_a_sentence_repeating_the_superlative_of_what_is_counted(sentence: str, repeats: bool) -> None:
    asked = asked_superlative("Which state has the most confirmed cases of monkeypox?")
    assert asked is not None
    assert repeats_superlative(asked, sentence) == repeats


def test_a_superlative_of_something_else_is_not_repeated() -> None:
    asked = asked_superlative("One of the biggest strikes in US history is brewing at which major company?")
    assert asked is not None
    assert not repeats_superlative(asked, "A clash looms with the world’s biggest package courier.")
    assert repeats_superlative(asked, "It would be the biggest strike against a single company in decades.")


def test_which_chain_was_quickest_is_answered_by_the_sentence_saying_so(
    app: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = Article(
        "drive-thru.md",
        "Drive-thru study ranks the fast-food chains",
        "2022-10-10",
        "A new study timed drive-thru orders at the ten largest fast-food chains in the country this month.\n\n"
        "Burger Barn has the slowest drive-thru, with an average wait of eight minutes and a half at the window.\n\n"
        "Among its competitors, Taco Town had the quickest drive-thru time of the year.\n\n"
        "The study was run with a trade magazine and counted 1,500 orders.",
    )
    news_library(app, tmp_path / "news", study)
    question = Request("Which chain posted the quickest average drive-thru time?", asked_on=date(2022, 10, 13))
    answer = app.ask(question)
    assert answer.text.startswith("Among its competitors, Taco Town"), answer.text
    # Without the rule the sentence about the slowest chain, as close in meaning, answers instead.
    monkeypatch.setattr(rag.extractive, "asked_superlative", lambda question: None)
    unruled = app.ask(question)
    assert not unruled.text.startswith("Among its competitors"), unruled.text
