"""What a question names only to leave it out of what it asks for.

"Besides semiconductors, which Chinese product's tariff rate rises from 25% to 50% in 2024?" excludes
semiconductors: a sentence about them is no closer to the answer for saying the word. "How much does the act
appropriate, as opposed to the total it authorizes?" contrasts: "authorizes" is no word the asked figure is
said with. A contrast may still describe what is asked ("Which metal is used instead of copper?" is answered
by a sentence saying both), so only exclusions leave the words a sentence is ranked by.
"""

from __future__ import annotations

import re

from rag.text import content_words

_EXCLUDING = r"besides|apart\s+from|aside\s+from|other\s+than|except(?:\s+for)?|excluding"
_CONTRASTING = r"as\s+opposed\s+to|rather\s+than|instead\s+of"
# A clause runs to its comma, semicolon or question mark ("Besides natural graphite, which products …").
_CLAUSE = r"\b(?:{})\b[^,;?]*,?"
_EXCLUDED = re.compile(_CLAUSE.format(_EXCLUDING), re.IGNORECASE)
_SET_ASIDE = re.compile(_CLAUSE.format(f"{_EXCLUDING}|{_CONTRASTING}"), re.IGNORECASE)


def _without(pattern: re.Pattern[str], question: str) -> str:
    rest = re.sub(r"[\s,]+([?.!])", r"\1", re.sub(r"\s{2,}", " ", pattern.sub(" ", question))).strip(" ,")
    # A question that is all exclusion ("Other than that?") keeps its words.
    return rest if rest != question and content_words(rest) else question


def without_excluded(question: str) -> str:
    """The question without what it excludes: "Besides semiconductors, which product …?" → "which product …?"."""
    return _without(_EXCLUDED, question)


def without_set_aside(question: str) -> str:
    """The question without what it excludes or contrasts what it asks with (", as opposed to the total …")."""
    return _without(_SET_ASIDE, question)
