"""A link to another story, as news pages print them, is not what the page says: never an answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.request import Request
from rag.answer_type import looks_like_markup
from tests.helpers import Article, news_library


@pytest.mark.parametrize(
    ("sentence", "promo"),
    [
        ("MORE:Heidi Klum spills details about her 'beautiful' wedding", True),
        ("Related: Jennifer Lopez wanted the halftime show to convey a message", True),
        ("READ MORE: Complete coverage of Arizona wildfires", True),
        ("►Food prices keep rising:3 tips to save on your groceries.", True),
        ("See first images:What the James Webb Space Telescope has captured", True),
        ("Meta layoffs:Facebook parent company to lay off more than 11,000 employees", True),
        ("MATCH MADE IN AIRLINE (FEE) HEAVEN: Budget airlines Frontier and Spirit announce merger", True),
        # News, even when a page prints it the same way: a roundup item ends as a sentence does, a "►" item has
        # no label, and a colon inside a sentence is punctuation.
        ("Phoenix:There has been a sharp decrease in traffic fatalities in Arizona this year.", False),
        ("►8,000 customers were without power in southeastern Florida.", False),
        ("More than 200 people were hurt: officials gave no names.", False),
        ("Also today: US retail sales for August arrive at 8:30 a.m. ET.", False),  # a link word's colon, then news
        ("Watch this space: The agreement does not mean the threat of a strike has gone away.", False),
        ("Her award was waived:http://www.example.com/story/2014/02/05/", False),
        ("The rate rose to 125% on goods from China.", False),
        ("CHINESE ACTIONS: China will remove the retaliatory tariffs it announced since April 4, 2025.", False),
    ],
)
def test_a_link_to_another_story_is_layout(sentence: str, promo: bool) -> None:
    assert looks_like_markup(sentence) is promo


def test_a_link_to_another_story_is_not_quoted(app: Briefing, tmp_path: Path) -> None:
    # The page links to an older story whose headline restates the question with another figure.
    layoffs = Article(
        "layoffs.md",
        "Meta cuts jobs",
        "2022-11-09",
        "Meta, the owner of Facebook, said on Wednesday it is cutting 11,000 employees, about 13% of its staff."
        "\n\nMeta layoffs:Facebook parent company laying off more than 12,000 employees\n\nChief executive Mark "
        "Zuckerberg said he took responsibility for the decision.",
    )
    news_library(app, tmp_path / "news", layoffs)
    question = "How many employees is Facebook's parent company laying off?"
    answer = app.ask(Request(question, asked_on=date(2022, 11, 10)))
    assert not answer.abstained, answer.text
    assert "11,000" in answer.text and "12,000" not in answer.text, answer.text
