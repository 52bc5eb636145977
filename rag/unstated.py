"""What a question asks for that no read sentence gives: a person for who holds a role, a date for a deadline, a name
for a thing asked by its name, who was the first, the last or the best of something, an age, a date or a figure
that the story asked about never states, or who did a deed (made something, won, replaced someone …) when no read
sentence says that anyone did it.

"Who chairs the State Council Tariff Commission?" is not answered by the commission's announcements, nor "What is
the compliance deadline under the rule?" by the sentence releasing it, nor "What is the name of the trial?" by "… in a
world-first clinical trial", nor "How old is the suspect?" by the arrest's sentence: the topic is in the library,
the asked fact is not. Nor is "When was Mount Logan first climbed?" answered by a passage on the mountain that
dates nothing, however close it comes, nor by another mountain's dates; nor "Who was the last emperor of the
Byzantine Empire?" by an emperor no source calls the last, nor "Who created the sitcom Friends?" by the sentence
naming who directed two of its episodes. Checked on the sentences the answer would be read from, past the support
threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rag.ages import asks_age, stating_age
from rag.answer_type import answer_kind, asked_sentence, holds_answer
from rag.deeds import asked_deed
from rag.named import no_name_given
from rag.parties import asks_a_person, names_a_person
from rag.periods import ASKS_DEADLINE, BY_A_DATE
from rag.superlatives import asked_ordinal, says_ordinal
from rag.text import numbers

if TYPE_CHECKING:
    from core.models import Hit
    from rag.extractive import Candidate

# A time limit said as a span rather than a date: "within 120 days", "in 30 days' time".
_WITHIN = re.compile(r"\b(?:within|in)\s+(?:\d+|[a-z]+)\s+(?:days?|weeks?|months?|years?)\b", re.IGNORECASE)


# An age however said, of anyone ("the suspect, 14,", "a 14-year-old", "aged 14"), or by a birth ("Brigitte Macron
# (born 13 April 1953)", "Albright (1937–2022)").
_AN_AGE = re.compile(
    r"\b(\d{1,3})(?:-year-old|\s+years?\s+old\b)|,\s*(\d{1,3}),|\bage[ds]?\s+(?:of\s+)?(\d{1,3})\b", re.I
)
_BORN = re.compile(r"\bborn\b|\(\s*(?:1[89]|20)\d{2}\s*[-–]", re.IGNORECASE)


def no_deed_said(question: str, read: Sequence[str]) -> bool:
    """Whether the question asks who did a deed ("Who founded Hello Games?", "who is the composer of …", "Who replaced
    Alan Estevez …?") and no read sentence says that anyone did it: none says the deed, or one of its kin, in any of
    their words ("founded", "founder", "a song by", "formed by", "succeeded", "was named")."""
    deed = asked_deed(question, loosely=True)  # "developed by" says someone made it, if not that they created it
    return deed is not None and not any(deed.search(sentence) for sentence in read)


def nobody_named(question: str, read: Sequence[str]) -> bool:
    """Whether the question asks who holds a role ("Who chairs …?") and no read sentence names a person it does not."""
    return asks_a_person(question) and not any(names_a_person(sentence, question) for sentence in read)


def no_deadline_stated(question: str, read: Sequence[str]) -> bool:
    """Whether the question asks for a deadline ("By what date …?", "What is the compliance deadline …?") and no read
    sentence states a date or a span that something is to happen by."""
    if answer_kind(question) != "date" or not ASKS_DEADLINE.search(asked_sentence(question)):
        return False
    return not any(BY_A_DATE.search(sentence) or _WITHIN.search(sentence) for sentence in read)


def unstated_kind(
    question: str, read: Sequence[str], ranked: Sequence[Candidate] = (), hits: Sequence[Hit] = ()
) -> str:
    """What the read sentences do not give that the question asks for: "person" (also for who did a deed,
    `no_deed_said`, and for "Who was the first / last / best …?" when no read sentence nor any retrieved sentence of
    the story says that of what it ranks, `says_ordinal`), "deadline", "name", "age" (when the answerer finds no age
    to state, `stating_age`, and no sentence of the best sentence's document says one or a birth), or "date" or
    "figure" (when no retrieved sentence of the best sentence's document, nor of the document of the sentence closest
    to the question, states one of the asked kind); "" when they give it, or it asks for none of these."""
    if nobody_named(question, read) or no_deed_said(question, read):
        return "person"
    if no_deadline_stated(question, read):
        return "deadline"
    if no_name_given(question, read):
        return "name"
    if not ranked:
        return ""
    # The best sentence's document, and that of the sentence closest to the question when a figure or a date of the
    # asked kind put another first: when neither says the asked fact, the library has the subject but not the fact.
    subjects = (ranked[0], max(ranked, key=lambda c: c.topical))
    ordinal = asked_ordinal(question)
    if ordinal is not None and not any(says_ordinal(ordinal, s) for s in (*read, *_of_subject(ranked, hits, subjects))):
        # "who was the last emperor of the byzantine empire" is not answered by an emperor no source calls the last.
        return "person"
    if asks_age(question):
        if stating_age(question, ranked, hits) is not None:
            return ""
        return "" if any(_says_an_age(sentence, question) for sentence in _of_subject(ranked, hits)) else "age"
    kind = answer_kind(question)
    if kind in ("date", "amount") and not any(
        holds_answer(kind, question, s) for s in _of_subject(ranked, hits, subjects)
    ):
        return "date" if kind == "date" else "figure"
    return ""


def _of_subject(ranked: Sequence[Candidate], hits: Sequence[Hit], by: Sequence[Candidate] = ()) -> list[str]:
    """The retrieved sentences of the document the best sentence comes from, the one the question is about (or of
    the documents the sentences `by` come from)."""
    subjects = {hits[c.hit_number - 1].document.doc_id for c in (by or ranked[:1])}
    return [c.text for c in ranked if hits[c.hit_number - 1].document.doc_id in subjects]


def _says_an_age(sentence: str, question: str) -> bool:
    """Whether the sentence says someone's age, one the question does not already say, or a birth."""
    if _BORN.search(sentence):
        return True
    said = numbers(question)
    return any(age not in said for match in _AN_AGE.finditer(sentence) for age in match.groups() if age)
