"""Sentence boundaries with character offsets (no I/O, no models)."""

from __future__ import annotations

import re

from core.words import STOPWORDS

# Bumped when boundaries move, so that cached evaluation libraries are chunked again.
SPLITTER_VERSION = "4"

# Abbreviations after which a full stop rarely ends a sentence.
_ABBREVIATION_LIST = (
    "mr mrs ms dr prof sr jr st no vs etc inc ltd co corp dept gov gen col lt sgt rep sen e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig al approx est"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
_BOUNDARY = re.compile(
    r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|#+)\s)"
    # Chinese and Japanese full stops end a sentence with no space after them, closing quotes and brackets included.
    r"|[。！？]+[”’」』）】〕》\"')\]]*"
)
_ENUMERATOR = re.compile(r"\(?[0-9]{1,2}[.)]|[ivx]{1,4}[.)]", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"(?<![\w])([A-Za-z][A-Za-z.]*)$")
# Letters with full stops between them: "a.m", "p.m", "J.D", "D.C", "U.S" (the final stop is the boundary's).
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")
_NEXT_WORD = re.compile(r"\s*[\"'“‘(]?([A-Za-z]+)")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text[start:end], whitespace trimmed."""
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, stop):
        cut = match.end()
        if match.group(0)[0] == ".":
            word = _WORD_BEFORE.search(text, cursor, match.start())
            token = word.group(1).lower() if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            if _INITIALISM.fullmatch(token) and not _opens_sentence(text, cut, stop):
                continue  # "1 a.m. ET", "8 p.m. Saturday", "J.D. Vance", "the D.C. Circuit"
            # A number like 3.5 never reaches here (no whitespace after the dot); "U.S. officials" might.
            following = text[cut : cut + 3].lstrip()
            if following[:1].islower():
                continue
            if _ENUMERATOR.fullmatch(text[cursor:cut].strip()):
                continue  # "1." opening a numbered list item
        _append(text, cursor, cut, spans)
        cursor = cut
    _append(text, cursor, stop, spans)
    return spans


def _opens_sentence(text: str, at: int, stop: int) -> bool:
    """Whether the word after an initialism's stop is one a sentence opens with ("The", "In", "We").

    After "a.m.", "J.D." or "U.S." a capital letter is usually a name, a weekday or a time zone, so
    only a function word there is read as a new sentence.
    """
    word = _NEXT_WORD.match(text, at, stop)
    return word is None or word.group(1).lower() in STOPWORDS


# A dash opening a sentence is a dateline's, split off after a state's abbreviation ("INDIAN WELLS, Calif. —
# Five-time champion …"): the sentence starts at the word after it.
_BULLET = re.compile(r"(?:[-*•▪–—]|\d{1,2}[.)])\s+")
# What a scraper leaves of a bold label before a paragraph ("\n\n: NATO leaders have formally invited …").
_STRAY = re.compile(r"[:;,]+\s+")


def _append(text: str, begin: int, finish: int, spans: list[tuple[int, int]]) -> None:
    while begin < finish and text[begin].isspace():
        begin += 1
    # A list marker is layout, not part of the sentence a quote should show; nor is stray punctuation.
    bullet = _BULLET.match(text, begin, finish) or _STRAY.match(text, begin, finish)
    if bullet:
        begin = bullet.end()
    while finish > begin and text[finish - 1].isspace():
        finish -= 1
    if finish > begin:
        spans.append((begin, finish))


def sentences(text: str) -> list[str]:
    """The sentences of text, as strings."""
    return [text[a:b] for a, b in sentence_spans(text)]
