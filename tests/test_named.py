"""A thing asked for by its name is answered by a sentence giving a name for it, and refused where none does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.request import Request
from rag.extractive import candidates
from rag.named import asked_name_nouns, gives_a_name, no_name_given
from tests.helpers import Article, news_library


@pytest.mark.parametrize(
    ("question", "nouns"),
    [
        ("What is the name of the trial?", ["trial"]),
        ("What is the name of the Pittsburgh bridge that collapsed last Friday?", ["bridge"]),
        ("What is the name of the 15-year-old suspect charged in the shooting?", ["suspect", "charged"]),
        ("What is the name of the synagogue's rabbi, who was among those held?", ["rabbi"]),
        (
            "Before the vote, what is the name of the Arkansas ballot measure that would legalize it?",
            ["ballot", "measure"],
        ),
        ("At which hospital is he being treated?", ["hospital"]),
        ("Protests followed her death. In which Tehran hospital did she die?", ["hospital"]),
        ("In which Kabul neighborhood was the house?", ["neighborhood"]),
        # Not asked by its name: a common noun may answer these ("the island's family code"), or they ask otherwise.
        ("What is that law called?", []),
        ("Which social media platform banned political fundraising?", []),
        ("Who is the name behind the brand?", []),
        ("In which year did the hospital open?", []),
    ],
)
def test_a_thing_asked_for_by_its_name(question: str, nouns: list[str]) -> None:
    assert asked_name_nouns(question) == nouns


@pytest.mark.parametrize(
    ("question", "sentence", "named"),
    [
        ("What is the name of the trial?", "The RESTORE trial is run by two universities.", True),
        ("What is the name of the trial?", "The trial, called RESTORE, is run by two universities.", True),
        ("What is the name of the trial?", "It has been dubbed Restore by the team.", True),
        ("What is the name of the measure?", "Issue 4, the ballot measure on cannabis, failed on Tuesday.", True),
        ("At which hospital is he being treated?", "He was taken to Zuckerberg San Francisco General Hospital.", True),
        ("What is the name of the suspect?", "The suspect, Ethan Crumbley, was charged as an adult.", True),
        # The thing without its name; a name of something else; a speaker after it; the question's own name; a day.
        (
            "What is the name of the trial?",
            "Lab-grown blood was given to people in a world-first clinical trial.",
            False,
        ),
        ("What is the name of the trial?", "The University of Cambridge said the trial went well.", False),
        ("At which hospital is he being treated?", "He was taken to a hospital, Drew Hammill said.", False),
        ("What is the name of the Pittsburgh bridge?", "The Pittsburgh bridge collapsed on Friday.", False),
        ("What is the name of the trial?", "The trial began Monday.", False),
    ],
)
def test_a_sentence_that_gives_the_asked_name(question: str, sentence: str, named: bool) -> None:
    assert gives_a_name(asked_name_nouns(question), question, sentence) is named


def test_no_name_is_missing_where_none_is_asked() -> None:
    assert not no_name_given("What did the trial find?", ["The trial began Monday."])


STORY = Article(
    "blood.md",
    "Lab-grown blood given to people in world-first trial",
    "2022-11-07",
    "Red blood cells grown in a laboratory have been transfused into people in a world-first clinical trial, "
    "researchers in the UK said on Monday. Two volunteers received small amounts of the lab-grown cells and "
    "remain well and healthy, the University of Bristol said. The trial will now test the cells in ten more "
    "volunteers, who will receive both a standard donation and a lab-grown one.",
)
NAMED = Article(
    "restore.md",
    "Trial details published",
    "2022-11-08",
    "The trial, called RESTORE, is a joint effort of NHS Blood and Transplant and the University of Bristol, and "
    "its first two volunteers received lab-grown red blood cells last month.",
)
QUESTION = (
    "Red blood cells grown in a laboratory have been transfused into people for the first time, in a world-first "
    "clinical trial. What is the name of the trial?"
)


def test_a_name_no_source_gives_is_refused_and_a_given_one_answered(app: Briefing, tmp_path: Path) -> None:
    news_library(app, tmp_path / "news", STORY)
    asked_on = date(2022, 11, 9)
    refused = app.ask(Request(QUESTION, asked_on=asked_on))
    assert refused.abstained and "state no name" in refused.text, refused.text
    assert refused.citations == ()
    news_library(app, tmp_path / "news", NAMED)
    answered = app.ask(Request(QUESTION, asked_on=asked_on))
    assert not answered.abstained and "RESTORE" in answered.text, answered.text


MATCH = Article(
    "cup.md",
    "Rovers come back to reach the cup final after extra time",
    "2024-04-12",
    "It was a night of drama at the stadium, and the home crowd of 40,000 stayed on their feet to the end. "
    "Rovers lost 3-2 on the night to the holders but needed extra time to seal a 5-4 aggregate victory. "
    "The visitors had led with ten minutes left, and the tie seemed settled. "
    "Three minutes into extra time, striker Tomas Berg met a cross at the far post and headed in the winner. "
    "Rovers will play the final in Cardiff next month.",
)
MATCH_QUESTION = (
    "Rovers reached the cup final after extra time. Which striker scored the extra-time header that sent Rovers "
    "through?"
)


def test_which_striker_ranks_first_the_sentence_naming_one_beside_the_word(app: Briefing, tmp_path: Path) -> None:
    """A sentence giving a name right after the asked noun ("striker Tomas Berg") ranks above one that retells the
    question's scene more closely but names no striker ("Rovers … needed extra time to seal a 5-4 aggregate
    victory")."""
    news_library(app, tmp_path / "news", MATCH)
    request = Request(MATCH_QUESTION, asked_on=date(2024, 4, 13))
    plan = app.answerer.plan(request)
    ranked = candidates(plan.standalone, app.answerer.search(plan), app.answerer.embedder)
    assert "Tomas Berg" in ranked[0].text, [c.text for c in ranked[:2]]
    assert "Tomas Berg" in app.ask(request).text
    # A name before the word may be one of what the word qualifies: the after-only reading leaves it out.
    assert not gives_a_name(["chip", "company"], "Which chip company?", "The Chinese chip industry grew.", after=True)
    assert gives_a_name(["chip", "company"], "Which chip company?", "The Chinese chip industry grew.")
    # Nor does a name said to be another thing's: the single's title is no band's name.
    single = "They are dropping a new single on Friday, titled “Edging.”"
    assert not gives_a_name(["band"], "Which band announced a single?", single, after=True)
