"""Follow-up questions become standalone questions before retrieval.

"What about Huawei?" after "What did the US restrict for SMIC?" becomes
"What did the US restrict for Huawei?"; "When was it founded?" after a question
about DeepSeek becomes "When was DeepSeek founded?". An LLM can do this instead
when one is configured; this rule-based version needs none and never invents words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.words import MONTH_NAMES, WEEKDAYS

_FOLLOW_UP = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*\??\s*$|^\s*and\s+(?P<y>[^?]+?)\s*\?\s*$",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(it|its|they|their|them|he|his|she|her|this|that|these|those)\b", re.IGNORECASE)
_QUESTION_WORDS = {"what", "who", "whom", "when", "where", "why", "how", "which", "did", "does", "do", "is", "are",
                   "was", "were", "can", "could", "should", "would", "will", "has", "have", "had"}
_CALENDAR = {*(name.lower() for name in MONTH_NAMES), *WEEKDAYS}
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
        if name.lower() in _QUESTION_WORDS or name.split()[0].lower() in _CALENDAR:
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
        if names:
            # Replace the most specific (last) name of the previous question with the new subject.
            target = names[-1]
            head, sep, tail = previous.rpartition(target)
            return f"{head}{subject}{tail}" if sep else f"{previous} ({subject})"
        return f"{previous.rstrip('?')} — {subject}?"
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
