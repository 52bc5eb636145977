"""The superlative or the ordinal a question asks by ("which chain posted the quickest time?", "who was the first
governor general of canada"), and the sentences that repeat it.

Among the sentences of a story, the one saying "KFC had the quickest drive-thru time" answers "Which chain posted
the quickest …?"; "Chick-fil-A has the slowest drive-thrus" is as close in meaning and answers the opposite.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from core.words import STOPWORDS
from rag.answer_type import asked_sentence
from rag.text import alike, content_words

# A superlative after a determiner or a possessive ("the quickest", "its biggest", "the world's fastest", "the most",
# "the least"), and the words after it that say what it measures ("… average drive-thru time", "… confirmed cases").
_SUPERLATIVE_WORD = r"most|least|fewest|best|worst|[a-z]{2,}est"
_SUPERLATIVE = re.compile(
    rf"\b(?:the|its|their|his|her|[\w-]+['’]s)\s+(?P<word>{_SUPERLATIVE_WORD})\b"
    r"(?P<what>(?:[^\S\n]+[\w-]+){0,3})",
    re.IGNORECASE,
)
# Words in -est that are no superlative, or one that sets no answer apart ("the latest figures").
_NOT_SUPERLATIVE_WORDS = (
    "latest west midwest southwest northwest rest interest test contest protest request quest conquest forest "
    "harvest arrest guest chest nest vest digest manifest honest modest earnest priest behest"
)
_NOT_SUPERLATIVE = frozenset(_NOT_SUPERLATIVE_WORDS.split())


def not_a_superlative(word: str) -> bool:
    """Whether a lower-case word is no superlative ("word", "interest"; not "highest", "most")."""
    return not re.fullmatch(_SUPERLATIVE_WORD, word) or word in _NOT_SUPERLATIVE


@lru_cache(maxsize=64)
def asked_superlative(question: str) -> tuple[str, frozenset[str]] | None:
    """The superlative of the question's asking sentence and the words of what it measures ("quickest",
    {"average", "drive-thru", "time"}); None when it asks by none."""
    for match in _SUPERLATIVE.finditer(asked_sentence(question)):
        word = match.group("word").lower()
        if word not in _NOT_SUPERLATIVE:
            return word, frozenset(content_words(match.group("what")))
    return None


def repeats_superlative(asked: tuple[str, frozenset[str]], sentence: str) -> bool:
    """Whether the sentence says the asked superlative of the same thing: "the quickest drive-thru time" for "the
    quickest average drive-thru time", "the most cases" for "the most confirmed cases" (a word of what it measures
    among the three after it), and not "the world's biggest package courier" for "the biggest strikes"."""
    word, what = asked
    for match in _SUPERLATIVE.finditer(sentence):
        if match.group("word").lower() != word:
            continue
        if not what or any(alike(w, a) for w in content_words(match.group("what")) for a in what):
            return True
    return False


class Ordinal(NamedTuple):
    """Whom a question asks to be first, last or the best of something: the ordinal or the superlative ("first",
    "best") and the stems of what it ranks."""

    word: str
    what: frozenset[str]


# A question asking who was first, last or the best of something: "who was the first governor general of canada",
# "who is the best olympic gymnast of all time". Not what, where or when: a source says which rule, round of talks or
# tariff came first or ranked highest by its date or its figure, not in so many words ("Where was the first round of
# US-China trade talks held in 2025?" is answered by "… negotiations over the weekend in Geneva …"). Nor "how much were
# they paid in the final seasons", where the ordinal only dates the asked figure, nor "the best-known founder", nor
# "the most recent rules" ("most" and "least" rank by the word after them).
_ORDINAL = re.compile(
    r"^\W*who\s+(?:was|is|were|are)\s+the\s+(?:very\s+)?"
    r"(?P<word>first|last|final|best|worst|[a-z]{2,}est)(?![\w-])(?P<what>(?:[^\S\n]+[\w-]+){0,3})",
    re.IGNORECASE,
)
# The same ordinal or superlative said another way ("the largest shareholder" for "who is the biggest shareholder").
_SAME_ORDINAL = {
    "first": r"first|1st|inaugural|founding|earliest",
    "last": r"last|final",
    "final": r"final|last",
    "biggest": r"biggest|largest",
    "largest": r"largest|biggest",
    "best": r"best|greatest|top|finest",
    "greatest": r"greatest|best",
    "highest": r"highest|tallest",
    "tallest": r"tallest|highest",
}
# What ranks without naming a kind ("the first person to …", "the first to …"): any sentence saying the ordinal will do.
_ANYONE = frozenset({"person", "people", "man", "woman", "one", "ones", "to", "who", "of"})


@lru_cache(maxsize=64)
def asked_ordinal(question: str) -> Ordinal | None:
    """The ordinal or superlative a question asks who was ("first", {"governor", "general"}); None when it asks none
    (or a word in -est that is none: "the latest")."""
    match = _ORDINAL.search(asked_sentence(question))
    if match is None or match.group("word").lower() in _NOT_SUPERLATIVE:
        return None
    words: list[str] = []
    for word in match.group("what").split():
        if word.lower() in STOPWORDS or word.lower() in _ANYONE or (words and word.lower().endswith("ed")):
            break  # "the very first mayor elected", "the last emperor of the byzantine empire": what it ranks ends
        words.append(word)
    return Ordinal(match.group("word").lower(), _compounded(" ".join(words)))


def says_ordinal(asked: Ordinal, sentence: str) -> bool:
    """Whether the sentence says the asked ordinal or superlative, in the same or another word, and a word of what it
    ranks, as one word or two ("chip maker" for "chipmaker"): "Viscount Monck became the first Governor General …" for
    "who was the first governor general of canada", not "The first recorded epidemic affected the … Byzantine Empire"
    for "who was the last emperor of the byzantine empire"."""
    if re.search(rf"\b(?:{_SAME_ORDINAL.get(asked.word, asked.word)})\b", sentence, re.IGNORECASE) is None:
        return False
    return not asked.what or any(alike(w, a) for w in _compounded(sentence) for a in asked.what)


def _compounded(text: str) -> frozenset[str]:
    """The stems of a text's words, and of each two of them written as one: "chip maker" is also "chipmaker", so "the
    largest contract chip maker" says "the largest chipmaker"."""
    words = content_words(text)
    return frozenset(words) | {one + other for one, other in pairwise(words)}
