"""Whether a sentence says what something is: "Made in China 2025 (MIC25 …) is a national strategic plan …" for
"What is Made in China 2025?" (pure functions; `rag.answer_type.definition_subject` reads the subject asked)."""

from __future__ import annotations

import re

from core.words import STOPWORDS

# The sentence that defines: its subject first ("Made in China 2025 (MIC25 …) is a national strategic plan"),
# within this many words, then "is a", "are the", "was one of", "refers to".
_COPULA = re.compile(r"\b(?:is|are|was|were)\s+(?:a|an|the|one)\b|\brefers?\s+to\b", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^()]*\)")
DEFINED_WITHIN_WORDS = 25
# … and the subject opens the sentence: one of its words among the first few.
SUBJECT_OPENS_WITHIN_WORDS = 6


def defines(subject: str, sentence: str) -> bool:
    """Whether the sentence says what the subject is: it opens with the subject (one of its naming words,
    `_defined_words`, among the first SUBJECT_OPENS_WITHIN_WORDS), all of which come before its first "is a" /
    "refers to", within DEFINED_WITHIN_WORDS words (parentheses aside)."""
    wanted = _defined_words(subject)
    plain = _PARENTHESIS.sub(" ", sentence)
    copula = _COPULA.search(plain)
    if not wanted or copula is None:
        return False
    before = [w.lower().rstrip("s") for w in re.findall(r"\w+", plain[: copula.start()])]
    if len(before) > DEFINED_WITHIN_WORDS:
        return False
    opening = before[:SUBJECT_OPENS_WITHIN_WORDS]
    return all(w.rstrip("s") in before for w in wanted) and any(w.rstrip("s") in opening for w in wanted)


def _defined_words(subject: str) -> set[str]:
    """The words that name a subject: for a name, all but its stop words ("Made in China 2025": made, china,
    2025), for a plain phrase its first words up to a stop word ("a sapper in the canadian army": sapper)."""
    words = re.findall(r"\w+", subject)
    if any(w[:1].isupper() for w in words):
        return {w.lower() for w in words} - STOPWORDS
    head: set[str] = set()
    for word in words:
        if word.lower() in STOPWORDS:
            if head:
                break
            continue
        head.add(word.lower())
    return head
