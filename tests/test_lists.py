"""Questions asking for several things at once, and the sentences that name several."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import rag.extractive
from briefing.api import Briefing
from core.request import Request
from rag.lists import asks_for_several, listed, lists_names
from tests.helpers import Article, news_library
from tests.test_reader import as_local_model


@pytest.mark.parametrize(
    ("question", "several"),
    [
        ("Which well-known chip firms count among SMIC's customers?", True),
        ("Which two countries did NATO formally invite to join its alliance this week?", True),
        ("On which products did Trump lift tariffs to 50%?", True),
        # One thing asked for; no "which" question at all.
        ("Which country announced a new plan this week?", False),
        ("Which NFL star announced his retirement on Tuesday?", False),
        ("Who founded DeepSeek?", False),
    ],
)
def test_a_question_asking_for_several(question: str, several: bool) -> None:
    assert asks_for_several(question) == several


@pytest.mark.parametrize(
    ("sentence", "lists"),
    [
        ("Notable customers include Huawei, Qualcomm, Broadcom, and Texas Instruments.", True),
        ("NATO leaders have formally invited Sweden and Finland to join the alliance.", True),
        ("Qualcomm and GlobalFoundries are announcing a new partnership.", True),
        # One name; two of which the question names one; capitalised words that open a clause.
        ("SMIC is a major shareholder and supplier to Brite Semiconductor.", False),
        ("Qualcomm and SMIC signed a supply agreement.", False),
        ("In May and June, the firm grew.", False),
    ],
)
def test_a_sentence_that_names_several(sentence: str, lists: bool) -> None:
    assert lists_names("Which chip firms count among SMIC's customers?", sentence) == lists


def test_which_firms_is_answered_by_the_sentence_naming_them(
    app: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = Article(
        "foundry.md",
        "Harbour Semiconductor, a contract chipmaker",
        "2024-03-05",
        "Harbour Semiconductor is a partially state-owned contract chipmaker based in Shanghai that serves chip "
        "firms.\n\nNotable customers include Qualcomm, Broadcom and Texas Instruments.\n\n"
        "The company was founded in 2000 by a group of engineers.",
    )
    news_library(app, tmp_path / "news", profile)
    question = Request("Which chip firms count among Harbour Semiconductor's customers?", asked_on=date(2024, 3, 6))
    answer = app.ask(question)
    assert "Qualcomm, Broadcom and Texas Instruments" in answer.text, answer.text
    # Without the rule the sentence that tells of the firms the company serves without naming one is the answer.
    monkeypatch.setattr(rag.extractive, "asks_for_several", lambda question: False)
    unruled = app.ask(question)
    assert "Qualcomm" not in unruled.text, unruled.text


@pytest.mark.parametrize(
    ("lead", "sentence", "widened"),
    [
        (
            "Qualcomm",
            "Notable customers include Huawei, Qualcomm, Broadcom, and Texas Instruments.",
            "Huawei, Qualcomm, Broadcom, and Texas Instruments",
        ),
        ("Qualcomm", "Qualcomm and GlobalFoundries are announcing a partnership.", "Qualcomm and GlobalFoundries"),
        # A list of one name besides the question's own; a lead that is no item of the list.
        ("Qualcomm", "Qualcomm and SMIC signed a supply agreement.", "Qualcomm"),
        ("Intel", "Notable customers include Huawei, Qualcomm and Broadcom.", "Intel"),
    ],
)
def test_a_lead_naming_one_of_several_asked_for_names_the_list(lead: str, sentence: str, widened: str) -> None:
    assert listed(lead, sentence, "Which chip firms count among SMIC's customers?") == widened
    assert listed(lead, sentence, "Who is SMIC's largest customer?") == lead  # one asked for


def test_the_local_models_one_firm_of_a_list_leads_as_the_list(corpus_app: Briefing) -> None:
    as_local_model(corpus_app, " Qualcomm\n")
    answer = corpus_app.ask(
        Request("Which well-known chip firms count among SMIC's customers?", asked_on=date(2026, 6, 1))
    )
    assert answer.lead == "Huawei, Qualcomm, Broadcom, and Texas Instruments", answer.text
