"""What a "how many" question counts, and whether a sentence gives a number of it.

"How many advanced GPUs can a verified user buy?" counts GPUs: "Two advanced packaging plants opened." gives no
number of them, "up to 1,700 advanced GPUs" does. A share of a thing ("50.90% of the vote") is no number of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.words import CARDINALS, STOPWORDS

_HOW_MANY = re.compile(r"\bhow\s+many\s+([^?]+)", re.IGNORECASE)
_NUMBER_WORD = rf"(?:\d[\d,.]*|{CARDINALS}|dozen)"
# A count says what it counts within a few words: "24 percentage points", "63 hot dogs", "18 key allies".
COUNTED_WITHIN_WORDS = 3


def counted_nouns(question: str) -> list[str]:
    """What a "how many" question counts: its words after "how many" (and "other" or "more") up to the first stop
    word ("How many advanced GPUs can …": advanced, gpus)."""
    match = _HOW_MANY.search(question)
    if match is None:
        return []
    out: list[str] = []
    for word in re.findall(r"[\w-]+", match.group(1)):
        if word == "US" or (not out and word.lower() in ("other", "more")):
            continue  # "How many other trading partners …", "How many US cities …": trading partners, cities
        if word.lower() in STOPWORDS or word.lower() in ("had", "been", "got") or len(out) == 3:
            break
        out.append(word.lower())
    return out


def counted_stem(word: str) -> str:
    """A counted word without a plural s ("gpus": "gpu"), as a count's noun is matched."""
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


# After a number: it is a share, not a count of what follows ("24% of employees", "50.90% of the vote").
NOT_A_SHARE = r"(?!\s*(?:%|percent\b|per\s*cent\b))"


# Words news counts one another by: "fifteen China-based companies" for "How many firms …?".
_COUNTED_ALIKE = ("firm", "compan", "business")


def counts(nouns: list[str], sentence: str) -> bool:
    """Whether the sentence gives a number of what the question counts ("24 percentage points", "touchdown passes
    (624)"), or of its like (`_COUNTED_ALIKE`). A share counts only shares: "50.90% of the vote" is no number of
    votes."""
    if not nouns:
        return False
    stem = counted_stem(nouns[-1])
    alike = _COUNTED_ALIKE if stem.startswith(_COUNTED_ALIKE) else (stem,)
    counted = "(?:" + "|".join(re.escape(word) for word in alike) + ")"
    # A counted phrase of several words gives as many more: "75 other foreign trading partners" for "trading partners".
    gap = rf"(?:[\s-]+[\w'’-]+){{0,{COUNTED_WITHIN_WORDS - 1 + len(nouns) - 1}}}?[\s-]+"
    share = "" if stem in ("percent", "percentage", "share", "proportion") else NOT_A_SHARE
    tally = rf"\b{counted}\w*\s*\(\s*\d[\d,.]*\s*\)"
    found = re.search(rf"\b{_NUMBER_WORD}\b{share}%?{gap}{counted}|{tally}", sentence, re.IGNORECASE)
    return found is not None or ranks(nouns, sentence)


def ranks(nouns: list[str], sentence: str) -> bool:
    """Whether the sentence gives the rank of the latest of what the question counts, which is their number so far:
    "Tuesday's launch is the country's 23rd such missile test this year" for "How many missile tests …?"."""
    if not nouns:
        return False
    stem = counted_stem(nouns[-1])
    gap = rf"(?:[\w'’-]+[\s-]+){{0,{len(nouns) - 1}}}"
    return bool(re.search(rf"\b\d+(?:st|nd|rd|th)\s+(?:such\s+)?{gap}{re.escape(stem)}", sentence, re.IGNORECASE))


# Counts news gives without the counted word ("The flood killed 12", "won it twice", "59.6%"): a question
# counting these is never refused for want of "12 people".
_OFTEN_UNSAID = frozenset(("people", "persons", "times", "percent", "percentage"))


def counted_nowhere(question: str, sentences: Sequence[str]) -> bool:
    """Whether a "how many" question's count is given by none of the sentences: no number stands before
    what it counts (`counts`), or before any shorter head of it ("How many businesses paid …": businesses paid,
    businesses). Over the dev sets every answerable such question but one ("how many ots …") has its count
    in a retrieved sentence ("fifteen China-based companies"), and five unanswerable ones none (docs/EVAL.md).
    Not for counts often given without the counted word (`_OFTEN_UNSAID`), nor for a counted word of three
    letters or fewer, unless a question written with capitals writes it in lower case ("jobs")."""
    nouns = counted_nouns(question)
    # "How many OTs …": a word this short may be an abbreviation that the sources write out ("overtime"); in a
    # question typed all in lower case ("how many ots …") it may be one too.
    short = bool(nouns) and len(nouns[0].removesuffix("s")) <= 3
    if short and question != question.lower() and re.search(rf"\b{re.escape(nouns[0])}\b", question):
        short = False  # "How many jobs …?": a word, as its case says
    if not nouns or nouns[0] in _OFTEN_UNSAID or short:
        return False
    heads = [nouns[: i + 1] for i in range(len(nouns))]
    return not any(counts(head, sentence) for sentence in sentences for head in heads)
