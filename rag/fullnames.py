"""A short name said whole: "Lee" leads as "John Lee" when its article names one John Lee and no other Lee.

News names a person in full once and by surname after, and a place or a body by its short form ("the
space station"); the sentence that answers is often one of the later ones, and its short form is all
the model can copy from it. A report wants the name as the article first gives it. Pure functions.
"""

from __future__ import annotations

import re

from core.words import STOPWORDS

# A capitalised word that may open a name ("John", "International", "O’Neill"), not "The" or "In".
_WORD = r"[A-Z][\w’'.-]*"
# Where a sentence starts, a capitalised word may be any word ("Meanwhile Lee said …").
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|[\n“\"(]\s*)$")
_SPACE = r"[^\S\n]+"
SHORT_WORDS = 2


def fuller_name(short: str, text: str) -> str:
    """The longer name ending in `short` that the text uses, when there is exactly one: one capitalised
    word before it on the same line ("John Lee" for "Lee", "International Space Station" for "the space
    station"), seen inside a sentence or never written in lower case. `short`
    comes back unchanged otherwise, and for a name of more than SHORT_WORDS words or one the text
    writes only in lower case."""
    words = [w for w in short.split() if w.lower() not in ("the", "a", "an")]
    if not words or len(words) > SHORT_WORDS:
        return short
    # Within a line: a heading ("What this means for Hong Kong") and the paragraph under it ("Lee has …") are
    # not one name.
    tail = _SPACE.join(rf"(?i:{re.escape(w)})" for w in words)
    found: dict[str, bool] = {}
    for match in re.finditer(rf"\b(?P<first>{_WORD}){_SPACE}(?P<tail>{tail})(?![\w’'-]*{_SPACE}[A-Z])\b", text):
        first, said = match.group("first"), match.group("tail")
        # The short form must be a name where it stands ("Space Station"), and its first word one too.
        if not all(w[:1].isupper() for w in said.split()) or first.lower() in STOPWORDS:
            continue
        if first.rstrip(".").lower() in {w.lower() for w in words}:
            continue
        if first.endswith(".") and len(first) > 2:
            continue  # a sentence's last word ("… on Sunday. Lee was …"), not an initial ("J. Lee")
        before = text[max(0, match.start() - 40) : match.start()]
        name = f"{first} {' '.join(said.split())}"
        # At a sentence's start a capitalised word may be any word ("Meanwhile Lee …"): it counts as a
        # name's when the text never writes it in lower case.
        inside = _SENTENCE_START.search(before) is None or not re.search(rf"\b{re.escape(first.lower())}\b", text)
        found[name] = found.get(name, False) or inside
    names = [name for name, inside in found.items() if inside]
    # Case aside, one longer name; two ("Joe Biden", "Jill Biden") leave the short form as it is.
    if len({n.lower() for n in names}) != 1:
        return short
    return names[0]
