"""Ages asked for: "How old was Angela Lansbury when she died?" is answered by the sentence that states one.

An obituary gives its subject's age once, often in three words ("She was 96.") that no similarity tells
apart from the rest of the article, and that the candidate filter would drop as saying too little. The
form of the sentence tells it: a person, a verb of being, and a number that is not followed by a unit.
Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.words import unaccented
from rag.text import numbers

if TYPE_CHECKING:
    from core.models import Hit
    from rag.extractive import Candidate

_ASKS = re.compile(r"\bhow\s+old\b|\b(?:at\s+)?what\s+age\b", re.IGNORECASE)

# Not a time or a decimal ("at 1:30 a.m.", "at 2.5").
_AGE = r"(?P<age>\d{1,3})(?![:.,]\d)"
# What may follow an age: an end of clause, "years old", or a word that goes on about the same person
# ("She was 53 when …"). Anything else ("53 percent", "84 million", "96 days") makes it another number.
_AFTER = (
    r"(?:\s+years?\s+old|\s+years?\s+of\s+age)?"
    r"(?=\s*(?:[.,;:)!?”\"—–]|$)|\s+(?:when|at|on|in|and|after|as|but)\b)"
)
_PRONOUN = r"(?:[Ss]he|[Hh]e)"
_PERSON = r"(?P<who>[A-Z][\w’'-]+|" + _PRONOUN + r")"
_FORMS = (
    # "She was 96.", "Albright was 84 years old.", "He had turned 91 …", "She would have turned 97 …"
    re.compile(
        _PERSON
        + r"\s+(?:was|is|had\s+turned|turned|turns|would\s+have\s+(?:turned|been))\s+(?:just\s+|only\s+)?"
        + _AGE
        + _AFTER
    ),
    # "Albright, 84, died …"
    re.compile(r"(?P<who>[A-Z][\w’'-]+),\s+" + _AGE + r","),
    # "… died Tuesday at 96", "dead at 96", "died at the age of 96": the one who died is the sentence's subject.
    re.compile(
        r"\b(?:died|dies|dead|passed\s+away)\b[^.;]{0,60}?\b(?:at|aged)\s+(?:the\s+age\s+of\s+|age\s+)?" + _AGE + _AFTER
    ),
    # "Martin Broughton, aged 75, …", "Heche, who was 53, …"
    re.compile(_PERSON + r",?\s+(?:aged|who\s+was)\s+" + _AGE + _AFTER),
)
OLDEST = 125


def asks_age(question: str) -> bool:
    """Whether the question asks how old someone is or was."""
    return bool(_ASKS.search(question))


def stated_age(sentence: str, question: str) -> tuple[str, bool] | None:
    """The age the sentence states of someone, and whether it names the one asked about (a name of the
    question, accents aside) rather than standing for them ("She", or the one who died).

    None when it states no age, or only one the question already says ("How old was she at 30?").
    """
    asked = {_key(w) for w in re.findall(r"[\w’'-]+", question)}
    said = numbers(question)
    for form in _FORMS:
        for match in form.finditer(sentence):
            age = match.group("age")
            if not 0 < int(age) <= OLDEST or age in said:
                continue
            who = match.groupdict().get("who")
            if who is not None and who.endswith(("’s", "'s")):
                continue  # "Ollivant's, 91" is not a person and an age
            if who is None or re.fullmatch(_PRONOUN, who):
                return age, False
            if _key(who) in asked:
                return age, True
    return None


def _key(word: str) -> str:
    """A name as it is compared: lower case, without accents or a possessive."""
    return unaccented(word).lower().removesuffix("’s").removesuffix("'s")


def stating_age(question: str, ranked: Sequence[Candidate], hits: Sequence[Hit]) -> tuple[int, str] | None:
    """For a question asking how old someone is, the best-ranked sentence stating an age, and the age: one
    that names the person asked about, from any source, or one that stands for them ("She was 96.") from the
    document of the best sentence, which is about them. None for other questions, or when none states one."""
    if not ranked or not asks_age(question):
        return None
    subject = hits[ranked[0].hit_number - 1].document.doc_id
    for index, cand in enumerate(ranked):
        stated = stated_age(cand.text, question)
        if stated is not None and (stated[1] or hits[cand.hit_number - 1].document.doc_id == subject):
            return index, stated[0]
    return None
