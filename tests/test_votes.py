"""A vote asked for is answered by a sentence saying how it went, or refused where none does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.request import Request
from rag.answer_type import answer_kind, holds_answer
from rag.votes import asks_a_vote, states_a_vote
from tests.helpers import Article, assert_refused, news_library


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What was the Senate vote tally on the CHIPS and Science Act?", True),
        ("What was the Supreme Court's vote in Learning Resources, Inc. v. Trump?", True),
        ("By what vote did the House pass the bill?", True),
        ("What was the final vote count?", True),
        ("What was the vote margin in the Senate?", True),
        # A vote's subject, or a count of votes like any other number, is not asked as a tally.
        ("What was the vote on?", False),
        ("How many votes did Liz Truss win?", False),
        ("Which state voted to protect abortion rights?", False),
        ("What did the union members vote for?", False),
    ],
)
def test_a_question_that_asks_how_a_vote_went(question: str, asks: bool) -> None:
    assert asks_a_vote(question) is asks
    if asks:
        assert answer_kind(question) == "amount"


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        ("The Senate passed the bill 64-33 on Wednesday.", True),
        ("The justices ruled 6–3 that the tariffs were unlawful.", True),
        ("Lawmakers voted 220 to 207 to approve it.", True),
        ("The measure passed unanimously.", True),
        ("It was approved by a voice vote.", True),
        ("Sunak won 137 votes in the final round.", True),
        # Numbers that are no tally: a year's span, a range of rates, an ordinal, a date.
        ("Spending rose in 2022-23.", False),
        ("Rates went from 10 to 25 percent.", False),
        ("It was enacted by the 117th Congress and signed on August 9, 2022.", False),
    ],
)
def test_a_sentence_that_says_how_a_vote_went(sentence: str, states: bool) -> None:
    assert states_a_vote(sentence) is states
    assert holds_answer("amount", "What was the vote tally?", sentence) is states


def test_a_vote_is_answered_by_its_tally_and_refused_where_none_is_stated(app: Briefing, tmp_path: Path) -> None:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "chips.md",
            "Senate passes $280 billion chips bill",
            "2022-07-28",
            "The Senate on Wednesday passed a $280 billion bill to boost domestic semiconductor manufacturing, "
            "sending the measure to the House.\n\n"
            "The bill cleared the chamber 64-33, with 17 Republicans joining Democrats in support.\n\n"
            "It includes $52 billion in subsidies for chipmakers and a 25% investment tax credit for new plants.",
        ),
        Article(
            "court.md",
            "Supreme Court strikes down the tariffs",
            "2026-02-20",
            "The Supreme Court on Friday struck down the tariffs imposed under the emergency powers law, in a "
            "ruling that could cost the Treasury $175 billion in refunds.\n\n"
            "The case was argued in November 2025, and the ruling came 94 days later.",
        ),
    )
    asked_on = date(2026, 6, 1)
    tally = app.ask(Request("What was the Senate vote tally on the chips bill?", asked_on=asked_on))
    assert not tally.abstained and "64-33" in tally.text, tally.text
    assert tally.text.startswith("The bill cleared the chamber 64-33"), tally.text  # not the sums' sentences
    # The court's sentences state sums and days, no tally.
    refused = app.ask(Request("What was the Supreme Court's vote in the tariff case?", asked_on=asked_on))
    assert refused.abstained and "state no figure" in refused.text, refused.text


def test_a_vote_the_sample_library_never_states_is_refused(corpus_app: Briefing) -> None:
    votes = (
        "What was the Supreme Court's vote in Learning Resources, Inc. v. Trump?",
        "What was the Senate vote tally on the CHIPS and Science Act?",
    )
    assert_refused(corpus_app, votes, "state no figure", date(2026, 6, 1))
