"""Who made something: a question asking who founded, wrote, sang, directed or built a thing, and the words a source
says that making in.

"Who created the sitcom Friends?" is not answered by "Episode 5 and Episode 13 of season 1 were directed by David
Schwimmer …", nor "Who founded Hello Games?" by "… developed and published by the indie studio Hello Games": a source
must say the making ("created by", "its creator", "a sitcom by"), in the verb's own forms, its maker's noun, or, for
the arts, a work said to be "by" someone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.answer_type import asked_sentence

# "Who founded …?", "Who wrote …?", "who sings …", "Who is the composer of …?": a person asked for by what they made.
# Each making verb with the words a source says it in: its own forms, its maker's noun, and a work of that making
# said to be "by" someone ("a song by Drake", "a sitcom by …", "lyrics by …"). Only that making's works: "the second
# best-selling single by Presley" says who sang it, not who wrote it.


def _by(works: str) -> str:
    """A work of these kinds said to be by someone: "a song by Drake", "a film directed and written by …"."""
    return rf"\b(?:{works})s?\s+(?:[\w’'-]+\s+){{0,2}}?by\b"


_ARTS = (
    "song|single|album|track|record|novel|book|poem|play|film|movie|painting|opera|symphony|musical|series|sitcom"
    "|show|game"
)
_MAKING = {
    "found": r"\b(?:co-?)?found(?:ed|er|ers|ing)?\b|\bestablish\w*|\bset\s+up\b|\bformed\b",
    "creat": rf"\b(?:co-?)?creat(?:e|ed|es|or|ors|ion)\b|{_by(_ARTS)}",
    "produc": r"\bproduc(?:e|ed|es|er|ers|tion|ing)\b",
    "direct": rf"\bdirect(?:ed|or|ors|ing)\b|\bhelmed\b|{_by('film|movie|documentary|episode|video')}",
    "compos": rf"\bcompos(?:e|ed|er|ers|ition|ing)\b|\bscored?\b|{_by('music|score|theme|song|symphony|opera')}",
    "invent": r"\binvent(?:ed|or|ors|ion|ing)?\b|\bpatent\w*",
    "wr": r"\bwr(?:ote|ite|ites|iter|iters|itten|iting)\b|\bauthor\w*|\blyricists?\b|\bpenned\b"
    rf"|{_by('lyric|word|book|novel|poem|play|screenplay|script|story')}",
    "design": r"\bdesign(?:ed|er|ers|ing)?\b|\barchitect\w*",
    "s": rf"\b(?:sang|sing|sings|singer|singers|sung|singing|vocal\w*|perform\w*|record(?:ed|ing)|rapper)\b"
    rf"|{_by('song|single|album|track|record')}",
    "paint": rf"\bpaint(?:ed|er|ers|ing)\b|{_by('painting|portrait|mural')}",
    "discover": r"\bdiscover(?:ed|er|ers|y|ies)?\b|\bidentifi\w*|\bfirst\s+described\b",
    "b": r"\b(?:built|build|builder|builders|constructed|architect\w*)\b",
    "develop": r"\bdevelop(?:ed|er|ers|ing)?\b|\bdevised\b",
}
# Makings a source may say in another's words ("a sitcom developed by …" for who created it, "music written by …"
# for who composed it, "the band was started by …" for who founded it): any of them says that someone made the thing,
# enough not to refuse, though the answer stands only on the asked making's own words. A founding has no kin but
# "started" and "launched": "… a game … has been created" says nothing of who founded its studio.
_KIN = {
    "creat": ("develop", "invent", "design", "found"),
    "produc": ("creat",),
    "compos": ("wr",),
    "invent": ("creat", "develop", "design", "discover"),
    "wr": ("compos", "creat"),
    "design": ("creat", "b", "develop"),
    "paint": ("creat",),
    "discover": ("invent",),
    "b": ("design", "found"),
    "develop": ("creat", "invent", "design"),
}
_STARTED = r"\b(?:started|launched)\b"  # "started by two brothers": a founding, said loosely
_MAKING_VERBS = {
    "founded": "found", "co-founded": "found", "cofounded": "found", "established": "found", "founder": "found",
    "created": "creat", "co-created": "creat", "creator": "creat",
    "produced": "produc", "producer": "produc",
    "directed": "direct", "director": "direct",
    "composed": "compos", "composer": "compos",
    "invented": "invent", "inventor": "invent",
    "wrote": "wr", "writes": "wr", "writer": "wr", "author": "wr", "lyricist": "wr",
    "designed": "design", "designer": "design", "architect": "design",
    "sang": "s", "sings": "s", "singer": "s",
    "painted": "paint", "painter": "paint",
    "discovered": "discover", "discoverer": "discover",
    "built": "b", "builder": "b",
    "developed": "develop", "developer": "develop",
}  # fmt: skip
_ASKS_A_MAKER = re.compile(
    r"^\W*who\s+(?:(?:actually|first|originally|really)\s+)?(?P<verb>"
    + "|".join(v for v in _MAKING_VERBS if not v.endswith(("er", "or", "ist", "ect")))
    + r")\b|^\W*who\s+(?:is|was|are|were)\s+the\s+(?:original\s+|first\s+)?(?P<noun>"
    + "|".join(v for v in _MAKING_VERBS if v.endswith(("er", "or", "ist", "ect")))
    + r")s?\s+of\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def asked_making(question: str, loosely: bool = False) -> re.Pattern[str] | None:
    """For a question asking who made something, the pattern of the words a sentence says that making in (`loosely`:
    or a making of its kin, as a source may say it); None for any other question."""
    asking = _ASKS_A_MAKER.search(asked_sentence(question))
    if asking is None:
        return None
    key = _MAKING_VERBS[(asking.group("verb") or asking.group("noun")).lower()]
    said = [_MAKING[key]]
    if loosely:
        said += [_MAKING[kin] for kin in _KIN.get(key, ())] + ([_STARTED] if key in ("found", "creat") else [])
    return re.compile("|".join(said), re.IGNORECASE)
