"""Follow-up questions become standalone questions before retrieval.

"What about Huawei?" after "What did the US restrict for SMIC?" becomes
"What did the US restrict for Huawei?"; "When was it founded?" after a question
about DeepSeek becomes "When was DeepSeek founded?". An LLM can do this instead
when one is configured; this rule-based version needs none and never invents words.

A follow-up it cannot resolve confidently is asked as it stands: "And what did China do in
response?" is a whole question, not a name to put in the previous question's place, and
"How long does the suspension last?" names nothing to carry over. Fragments are never spliced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.words import CALENDAR_NAMES

_FOLLOW_UP = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*\??\s*$|^\s*and\s+(?P<y>[^?]+?)\s*\?\s*$",
    re.IGNORECASE,
)
# Not "this/that/these/those": mostly determiners ("that suspension"), and a name put there splices words.
_PRONOUN = re.compile(r"\b(it|its|they|their|them|he|his|she|her)\b", re.IGNORECASE)
_SUBJECT_WORDS = 6  # "what about X": longer X is a question of its own, not a name to swap in
_QUESTION_WORDS = {
    "what",
    "who",
    "whom",
    "when",
    "where",
    "why",
    "how",
    "which",
    "did",
    "does",
    "do",
    "is",
    "are",
    "was",
    "were",
    "can",
    "could",
    "should",
    "would",
    "will",
    "has",
    "have",
    "had",
}
# Capitalised runs such as "Huawei", "the Geneva talks", "DeepSeek-R1", "U.S." — the things questions are about.
_ENTITY = re.compile(r"\b(?:[A-Z][\w.&'-]*[\w.])(?:\s+(?:of|and|the|for|de|-)?\s*[A-Z][\w.&'-]*[\w.])*")


def entities(question: str) -> list[str]:
    """Capitalised names in a question, ignoring its first word when that is just a question word."""
    found = []
    for match in _ENTITY.finditer(question):
        name = match.group(0).strip()
        if match.start() == question.find(name) and name.split()[0].lower() in _QUESTION_WORDS:
            rest = name.split(maxsplit=1)
            if len(rest) < 2:
                continue
            name = rest[1]
        if name.lower() in _QUESTION_WORDS or name.split()[0].lower() in CALENDAR_NAMES:
            continue
        found.append(name)
    return found


def rewrite(question: str, history: Sequence[tuple[str, str]]) -> str:
    """A standalone version of question given earlier (question, answer) turns."""
    if not history:
        return question.strip()
    previous = history[-1][0].strip()
    follow = _FOLLOW_UP.match(question)
    if follow:
        subject = (follow.group("x") or follow.group("y")).strip()
        names = entities(previous)
        if names and _is_name_phrase(subject):
            # Replace the most specific (last) name of the previous question with the new subject.
            head, _, tail = previous.rpartition(names[-1])
            return f"{head}{subject}{tail}"
        return question.strip()
    words = question.split()
    pronoun = _PRONOUN.search(question)
    if pronoun and len(words) <= 12 and not entities(question):
        names = entities(previous)
        if names:
            subject = names[0]
            word = pronoun.group(1).lower()
            replacement = f"{subject}'s" if word in ("its", "their", "his", "her") else subject
            return question[: pronoun.start()] + replacement + question[pronoun.end() :]
    return question.strip()


def _is_name_phrase(subject: str) -> bool:
    """A short phrase naming something ("Huawei", "the EU"), not a clause ("what did China do")."""
    words = subject.split()
    if not words or len(words) > _SUBJECT_WORDS or any(w.lower().strip(",") in _QUESTION_WORDS for w in words):
        return False
    return bool(entities(subject))
