"""A windowed question's sentences: the window's background ranks below its news (rag.window)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import rag.window
from briefing.api import Briefing
from core.request import Request
from rag.temporal import TimeScope
from rag.window import background
from tests.helpers import Article, news_library

WEEK = TimeScope(asked_on=date(2022, 7, 21), query="", since=date(2022, 7, 15), until=date(2022, 7, 21))
TWEET = (
    "Then-President Donald Trump issued a 1 a.m. ET tweet on October, 2, 2020, announcing that he had tested "
    "positive for Covid-19."
)


def test_background_is_a_sentence_whose_full_dates_all_precede_the_window() -> None:
    assert background(TWEET, WEEK)
    assert background("In 2019 the park closed for a month.", WEEK)
    # A span measured from the past is the window's news measured against it.
    assert not background("Egg prices rose 32%, the largest 12-month increase since 1979.", WEEK)
    assert not background("Visits have doubled from 2019 levels.", WEEK)
    # What will happen may name the older dates it follows from.
    assert not background("China will also suspend the tariff it announced on April 4, 2021.", WEEK)
    # A date in the window, or none in full, makes it news of the window (or of its article's day).
    assert not background("After a test on October 2, 2020, he tested positive again on July 18, 2022.", WEEK)
    assert not background("Biden tested positive for Covid-19 on Thursday morning.", WEEK)
    assert not background(TWEET, None)
    # Read against its article's day, a sentence that also dates something in the window is its news.
    founded = "The firm, founded in 2019, said on Tuesday that it had raised $5 million."
    assert background(founded, WEEK)
    assert not background(founded, WEEK, published=date(2022, 7, 20))
    assert background(TWEET, WEEK, published=date(2022, 7, 20))


@pytest.fixture
def flu_week(app: Briefing, tmp_path: Path) -> Briefing:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "flu.md",
            "Governor Ruiz tests positive for the flu",
            "2022-07-21",
            "Then-Governor Mark Bell announced on October 2, 2020, that he had tested positive for the flu, "
            "weeks before the state election.\n\n"
            "Governor Ana Ruiz tested positive for the flu on Thursday morning and is working from home, "
            "her office said.\n\n"
            "Her deputy will chair Friday's budget meeting in her place.",
        ),
        Article(
            "roads.md",
            "Road repairs start on the coast highway",
            "2022-07-19",
            "Crews began resurfacing the coast highway on Tuesday, and the work will last six weeks.",
        ),
    )
    return app


def test_a_windows_news_answers_before_its_background(flu_week: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    question = Request("Which state official tested positive for the flu this week?", asked_on=date(2022, 7, 21))
    # The fixture is a real test of the rule: unpenalised, the 2020 sentence comes first.
    monkeypatch.setattr(rag.window, "BACKGROUND_PENALTY", 0.0)
    unpenalised = flu_week.ask(question)
    assert unpenalised.text.startswith("Then-Governor Mark Bell"), unpenalised.text
    monkeypatch.undo()
    answer = flu_week.ask(question)
    assert answer.text.startswith("Governor Ana Ruiz tested positive"), answer.text
    assert answer.citations and not answer.abstained


def test_a_when_question_is_answered_by_the_older_date_it_asks_for(
    flu_week: Briefing, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Asked when, within the week's news, the older date is the answer: it is not set back, however far.
    monkeypatch.setattr(rag.window, "BACKGROUND_PENALTY", 1.0)
    question = "When did the former governor test positive for the flu, as reported this week?"
    answer = flu_week.ask(Request(question, asked_on=date(2022, 7, 21)))
    assert answer.text.startswith("Then-Governor Mark Bell announced on October 2, 2020"), answer.text
