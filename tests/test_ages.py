"""How old someone is or was: answered by the sentence that states the age, however short."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.request import Request
from rag.ages import asks_age, stated_age
from tests.helpers import Article, news_library


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How old was Angela Lansbury when she died?", True),
        ("At what age did she retire from the stage?", True),
        ("What age was he when he won?", True),
        ("How many years did she serve?", False),
        ("How old is the bridge over the river?", True),
    ],
)
def test_a_question_asks_for_an_age(question: str, asks: bool) -> None:
    assert asks_age(question) is asks


QUESTION = "How old was Marguerite Ollivant when she died on Tuesday?"


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        ("She was 91.", ("91", False)),
        ("She was 91 years old.", ("91", False)),
        ("Ollivant was 91 when she died.", ("91", True)),
        ("Ollivant, 91, died at her home in Lyon.", ("91", True)),
        ("Ollivant’s, 91, …", None),  # a possessive is not a person followed by an age
        ("She died on Tuesday at the age of 91, her son said.", ("91", False)),
        ("Ollivant, who was 91, had been ill for months.", ("91", True)),
        # Other numbers after the same words: a share, a time, a span, someone else's age.
        ("Her approval rating was 53 percent.", None),
        ("She died peacefully at 1:30 a.m. on Tuesday.", None),
        ("Peter Shaw, her husband of 53 years, died in 2003.", None),
        ("Homer Laffoon, her 20-year-old son, said she was kind.", None),
        ("Laffoon, 20, said she was kind.", None),
        ("She became a star at 19, after her first film.", None),
    ],
)
def test_a_sentence_states_an_age_of_the_one_asked_about(sentence: str, stated: tuple[str, bool] | None) -> None:
    assert stated_age(sentence, QUESTION) == stated


def test_an_age_the_question_already_says_is_not_the_answer() -> None:
    assert stated_age("She was 30.", "How old was Ollivant at 30 when she met him? Ollivant was 30 then.") is None


def test_how_old_is_answered_by_the_short_sentence_that_states_the_age(app: Briefing, tmp_path: Path) -> None:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "obituary.md",
            "Marguerite Ollivant, who sang Carmen in forty countries, has died",
            "2022-10-12",
            "Marguerite Ollivant, the mezzo-soprano whose Carmen toured forty countries over three decades, died "
            "on Tuesday at her home in Lyon, her family said in a statement. She was 91.\n\n"
            "Ollivant made her debut at the Opéra de Lyon in 1954 and sang her last performance in 1989, when the "
            "company gave her a standing ovation that lasted 25 minutes.\n\n"
            "She is survived by two sons and five grandchildren. Her husband of 53 years, the conductor Paul "
            "Ollivant, died in 2008.",
        ),
        Article(
            "season.md",
            "Lyon opera announces its winter season",
            "2022-10-10",
            "The Opéra de Lyon will open its winter season with a new production of Carmen, the company said, "
            "with tickets from 15 euros for visitors under 28.",
        ),
    )
    answer = app.ask(Request("How old was Marguerite Ollivant when she died?", asked_on=date(2022, 10, 13)))
    assert not answer.abstained, answer.text
    # The age leads, then the sentence that says who died, then the one that says how old she was.
    assert answer.lead == "91", answer.text
    assert answer.text.startswith("91 — "), answer.text
    assert "She was 91 [" in answer.text
    assert "died on Tuesday" in answer.text.split("She was 91")[0]
    assert {c.title for c in answer.citations} == {"Marguerite Ollivant, who sang Carmen in forty countries, has died"}
    # Asked another number, the same article is not read for an age.
    other = app.ask(Request("How many countries did Ollivant sing Carmen in?", asked_on=date(2022, 10, 13)))
    assert other.lead != "91" and "She was 91" not in other.text, other.text
