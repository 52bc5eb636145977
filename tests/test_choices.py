"""When the local model names what none of its sentences holds, it chooses among the names they give."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.api import Briefing
from ingest.embed import SentenceEmbedder
from rag.choices import CHOICE_BEHIND, CHOICE_MARGIN, asks_for_a_name, choose_name, clear_choice, name_options
from rag.extractive import Candidate
from rag.llms import LlamaCppCompletion, llamacpp_available
from tests.helpers import make_settings

needs_model = pytest.mark.skipif(not llamacpp_available(), reason="the [local] extra is not installed")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which social media platform banned political fundraising this week?", True),
        ("Who founded DeepSeek?", True),
        ("What country did the meteor fall near?", True),
        ("With gas prices above $5, what did President Biden ask Congress to do?", False),
        ("How much was Instagram fined?", False),
        ("When will the vaccine be available?", False),
        ("What is the name of the new treat?", False),
    ],
)
def test_only_a_question_asking_who_or_which_one_weighs_names(question: str, asks: bool) -> None:
    assert asks_for_a_name(question) is asks


def test_the_names_the_sentences_give_are_the_options() -> None:
    texts = [
        "TikTok’s political fundraising ban, meanwhile, will kick in over the coming weeks.",
        "Under the coming changes, politicians will not be allowed to ask TikTok users for donations on Monday.",
        "Officials said Twitter and the Federal Election Commission had not commented, Blake Chandlee said.",
        "Washington (CNN) Like Meta, it bans political ads in the Bank of England's view.",
    ]
    options = name_options("Which social media platform banned political fundraising?", texts)
    # The possessive is dropped and a name said twice is one option; "Under", "Officials", "Like" and
    # "Monday" are no names; the dateline's "Washington" and "CNN" say where the story was filed.
    assert options == ["TikTok", "Twitter", "Federal Election Commission", "Blake Chandlee", "Meta", "Bank of England"]
    # A name opening a sentence counts when the texts also write it capitalised inside one.
    assert "Biden" in name_options("Who tested positive?", ["Biden tested positive.", "It was said by Joe Biden."])
    assert name_options("Who tested positive?", ["Biden tested positive.", "He is in isolation."]) == []
    # Names the question says are not answers to it; at most `limit` options are weighed.
    assert name_options("Did TikTok or Twitter act first?", texts[:3]) == [
        "Federal Election Commission",
        "Blake Chandlee",
    ]
    assert name_options("Which platform?", texts, limit=2) == ["TikTok", "Twitter"]
    # A hyphenated word of the question says each of its parts.
    talks = ["The talks between the United States and China were held in Geneva, Switzerland."]
    assert name_options("Which city hosted the US-China trade talks?", talks) == [
        "United States",
        "Geneva",
        "Switzerland",
    ]
    # A title the question says is its description of the answer; the name is what follows it.
    plan = ["It was issued by CCP general secretary Xi Jinping and Chinese Premier Li Keqiang's cabinet in May 2015."]
    assert name_options("Alongside Xi Jinping, which Chinese premier's cabinet issued it?", plan) == [
        "CCP",
        "Li Keqiang",
    ]


def test_a_name_leads_only_when_it_is_clearly_ahead_of_every_other_answer() -> None:
    assert clear_choice(["TikTok", "Twitter"], [-3.9, -11.8]) == "TikTok"
    assert clear_choice(["American", "Delta"], [-6.5, -6.8]) is None
    # A part or a longer form of the best name is the same answer, not a rival.
    names = ["President Joe Biden", "Biden", "White House"]
    assert clear_choice(names, [-5.4, -5.5, -5.4 - CHOICE_MARGIN]) == "President Joe Biden"
    assert clear_choice(names, [-5.4, -5.5, -5.4 - CHOICE_MARGIN / 2]) is None
    assert clear_choice(["Yellowstone"], [-20.0]) == "Yellowstone"
    assert clear_choice([], []) is None


class Scores:
    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores
        self.prompts: list[str] = []

    def score(self, prompt: str, options: Sequence[str]) -> list[float]:
        self.prompts.append(prompt)
        return [self.scores.get(option, -30.0) for option in options]


def cand(text: str, hit: int = 1, score: float = 0.5) -> Candidate:
    return Candidate(hit_number=hit, text=text, score=score, relevance=score, position=0)


def test_the_chosen_name_is_found_in_its_sentence_as_a_reply_is() -> None:
    ranked = [
        cand("Other platforms have rules on political content.", score=0.6),
        cand("TikTok’s political fundraising ban will kick in over the coming weeks.", score=0.55),
        cand("Politicians may no longer ask TikTok users for donations, as rules at Meta already say.", hit=2),
    ]
    question = "Which social media platform banned political fundraising?"
    scorer = Scores({"TikTok": -3.9, "Meta": -9.0})
    assert choose_name(scorer, question, ranked) == (1, "TikTok")
    # The model weighs them after the very prompt it answered.
    assert scorer.prompts[0].endswith(f"Question: {question}\nAnswer:") and "TikTok’s political" in scorer.prompts[0]
    assert choose_name(Scores({"TikTok": -6.0, "Meta": -6.5}), question, ranked) is None
    # A name from a sentence far behind the best is not taken: the model made its answer up, it read poorly.
    behind = [ranked[0], replace(ranked[1], score=0.6 - CHOICE_BEHIND - 0.01), ranked[2]]
    assert choose_name(scorer, question, behind) is None
    assert choose_name(scorer, "What did the platform decide to do?", ranked) is None


FUNDRAISING = """---
title: A platform bans political fundraising
source: Example Wire
published: 2022-09-21
---
TikTok will ban political fundraising on its platform ahead of the midterm elections, the company said on Wednesday.

Under the changes, politicians will not be allowed to ask TikTok users for donations or send them to fundraising sites.

Campaigns in Washington were told of the change on Tuesday, said Blake Chandlee, who leads partnerships at the company.
"""

QUESTION = "Which social media platform banned political fundraising?"


class MadeUpReply(LlamaCppCompletion):
    """The packaged model, but its reply is one no sentence holds; it weighs the options for real."""

    reply: str = " Snapchat\n"

    def _texts(self, prompt: str, stop: list[str] | None, max_tokens: int) -> Iterator[str]:
        yield self.reply


@needs_model
def test_a_made_up_name_gives_way_to_the_sentences_name_the_model_weighs_first(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "fundraising.md").write_text(FUNDRAISING, encoding="utf-8")
    app = Briefing(make_settings(tmp_path / "lib", generator="llamacpp"), embedder=embedder)
    try:
        assert not app.ingest([folder]).failed
        assert isinstance(app.answerer.llm, LlamaCppCompletion)
        app.answerer.llm = MadeUpReply(model_path=app.answerer.llm.model_path)
        answer = app.ask(QUESTION)
        assert answer.generator == "llamacpp" and not answer.notes, answer.notes
        assert answer.lead == "TikTok" and "Snapchat" not in answer.text, answer.text
        assert answer.text.startswith("TikTok — TikTok will ban political fundraising"), answer.text
    finally:
        app.close()


@needs_model
def test_a_title_the_question_says_leaves_the_name_to_weigh(
    corpus_library: Path, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    # The model replies "Xi Jinping", a name the question says, and weighs "Chinese Premier Li Keqiang" below
    # "Vice Premier of the State Council"; "Li Keqiang", the name after the question's own title, is first.
    folder = tmp_path / "corpus-copy"
    shutil.copytree(corpus_library, folder)
    app = Briefing(make_settings(folder, generator="llamacpp"), embedder=embedder)
    try:
        answer = app.ask("Alongside Xi Jinping, which Chinese premier's cabinet issued the Made in China 2025 plan?")
        assert answer.generator == "llamacpp" and not answer.notes, answer.notes
        assert answer.lead == "Chinese Premier Li Keqiang", answer.text
    finally:
        app.close()
