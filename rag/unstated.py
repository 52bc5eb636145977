"""What a question asks for that no read sentence gives: a person for who holds a role, a date for a deadline.

"Who chairs the State Council Tariff Commission?" is not answered by the commission's announcements, nor "What is
the compliance deadline under the rule?" by the sentence releasing it: the topic is in the library, the asked fact
is not. Checked on the sentences the answer would be read from, past the support threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer_type import answer_kind, asked_sentence
from rag.parties import asks_a_person, names_a_person
from rag.periods import ASKS_DEADLINE, BY_A_DATE

# A time limit said as a span rather than a date: "within 120 days", "in 30 days' time".
_WITHIN = re.compile(r"\b(?:within|in)\s+(?:\d+|[a-z]+)\s+(?:days?|weeks?|months?|years?)\b", re.IGNORECASE)


def nobody_named(question: str, read: Sequence[str]) -> bool:
    """Whether the question asks who holds a role ("Who chairs …?") and no read sentence names a person it does not."""
    return asks_a_person(question) and not any(names_a_person(sentence, question) for sentence in read)


def no_deadline_stated(question: str, read: Sequence[str]) -> bool:
    """Whether the question asks for a deadline ("By what date …?", "What is the compliance deadline …?") and no read
    sentence states a date or a span that something is to happen by."""
    if answer_kind(question) != "date" or not ASKS_DEADLINE.search(asked_sentence(question)):
        return False
    return not any(BY_A_DATE.search(sentence) or _WITHIN.search(sentence) for sentence in read)


def unstated_kind(question: str, read: Sequence[str]) -> str:
    """ "person" or "deadline" when the read sentences do not give the one the question asks for; "" otherwise."""
    if nobody_named(question, read):
        return "person"
    return "deadline" if no_deadline_stated(question, read) else ""
