"""Word-level helpers for matching claims to passages (pure functions)."""

from __future__ import annotations

import re

from core.words import STOPWORDS

_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def stem(word: str) -> str:
    """A deliberately light stemmer: plural and common verb endings, enough to match 'tariffs'/'tariff'."""
    w = word.lower()
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + keep
    return w


def content_words(text: str) -> list[str]:
    """Stemmed words that carry meaning (no stop words), in order."""
    words = (w.lower() for w in _WORD.findall(text))
    return [stem(w) for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def coverage(claim: str, evidence: str) -> float:
    """Share of the claim's content words found in the evidence (1.0 for a verbatim quote)."""
    words = content_words(claim)
    if not words:
        return 0.0
    found = set(content_words(evidence))
    return sum(1 for w in words if w in found) / len(words)
