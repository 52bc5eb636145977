"""A deadline asked for is answered by a sentence stating one, or refused where no read sentence does."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.api import Briefing
from core.request import Request
from rag.answer_type import answer_kind
from rag.unstated import no_deadline_stated, unstated_kind

ASKED = "What's the compliance deadline for companies under the interim final rule?"


@pytest.mark.parametrize(
    ("read", "missing"),
    [
        (["Today the Administration is releasing an Interim Final Rule on AI diffusion."], True),
        (["The rule was released in January 2025 and covers 18 allies."], True),  # a date, but none to act by
        (["Companies must comply by May 15, 2025."], False),
        (["Both sides will take these actions by May 14, 2025."], False),
        (["Exporters have to comply within 120 days of publication."], False),
    ],
)
def test_a_deadline_is_stated_only_by_a_date_or_a_span_to_act_by(read: list[str], missing: bool) -> None:
    assert answer_kind(ASKED) == "date"  # "What is the … deadline" asks for a date, whatever words come between
    assert no_deadline_stated(ASKED, read) is missing
    assert unstated_kind(ASKED, read) == ("deadline" if missing else "")


def test_only_a_question_asking_for_a_deadline_needs_one() -> None:
    read = ["Today the Administration is releasing an Interim Final Rule on AI diffusion."]
    assert not no_deadline_stated("When was the rule released?", read)
    assert not no_deadline_stated("What does the rule restrict?", read)
    assert unstated_kind("What does the rule restrict?", read) == ""


def test_a_deadline_no_source_states_is_refused_and_one_it_states_answered(corpus_app: Briefing) -> None:
    asked_on = date(2026, 6, 1)
    question = "What's the compliance deadline for companies under the Biden AI diffusion interim final rule?"
    refused = corpus_app.ask(Request(question, asked_on=asked_on))
    assert refused.abstained and "state no deadline" in refused.text, refused.text
    answered = corpus_app.ask(Request("By what year did China aim to become a global AI leader?", asked_on=asked_on))
    assert not answered.abstained and "by 2030" in answered.text, answered.text
