"""Who did a deed: a question asking who made something (founded, wrote, sang, directed or built it), or who won,
replaced someone, bought, married or killed, and the words a source says that deed in.

"Who created the sitcom Friends?" is not answered by "Episode 5 and Episode 13 of season 1 were directed by David
Schwimmer …", nor "Who founded Hello Games?" by "… developed and published by the indie studio Hello Games", nor "Who
replaced Alan Estevez …?" by a sentence on the bureau's rules: a source must say the deed ("created by", "its
creator", "a sitcom by", "succeeded"), in the verb's own forms, its doer's noun, or, for the arts, a work said to be
"by" someone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.answer_type import asked_sentence


def _by(works: str) -> str:
    """A work of these kinds said to be by someone: "a song by Drake", "a film directed and written by …"."""
    return rf"\b(?:{works})s?\s+(?:[\w’'-]+\s+){{0,2}}?by\b"


# "Who founded …?", "Who wrote …?", "who sings …", "Who is the composer of …?": a person asked for by what they made;
# "Who won …?", "Who replaced …?", "Who bought …?": by another deed. Each making verb with the words a source says it
# in: its own forms, its maker's noun, and a work of that making said to be "by" someone ("a song by Drake", "a sitcom
# by …", "lyrics by …"). Only that making's works: "the second best-selling single by Presley" says who sang it, not
# who wrote it.
_ARTS = (
    "song|single|album|track|record|novel|book|poem|play|film|movie|painting|opera|symphony|musical|series|sitcom"
    "|show|game"
)
_DEEDS = {
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
    # Deeds other than making.
    "win": r"\b(?:won|win|wins|winner|winners|winning|champions?|crowned|beat|defeated)\b",
    "replace": r"\breplac(?:e|ed|es|ing|ement)\b|\bsucce(?:ed|eded|eds|ssor|ssors)\b|\btook\s+over\b",
    "buy": r"\b(?:bought|buy|buys|buyer|buyers|buying|purchas\w*|acquir\w*|acquisition)\b",
    "marry": r"\b(?:marri(?:ed|es|age)|marry|wed|weds|wedding|husband|wife|spouse)\b",
    "kill": r"\b(?:kill(?:s|ed|er|ing)?|murder\w*|assassin\w*|shot|slain|slew)\b",
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
# … and the looser words a deed may be said in: "started by two brothers" for a founding or a making, a title or a
# championship for a win, someone "named" or "appointed" in another's place, a sale for a purchase. (Who played a part
# is not asked here: "Who played a key role in the talks?" asks who took part, which a source says in any words.)
_STARTED = r"\b(?:started|launched)\b"
_LOOSELY = {
    "found": _STARTED,
    "creat": _STARTED,
    "win": r"\b(?:victor\w*|title|championship)\b",
    "replace": r"\b(?:named|appointed|nominated|tapped|picked|chosen|new\s+head)\b",
    "buy": r"\b(?:sold|sells|sale)\b",
}
_DEED_WORDS = {
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
    "won": "win", "wins": "win", "win": "win", "winner": "win",
    "replaced": "replace", "replaces": "replace", "succeeded": "replace", "successor": "replace",
    "bought": "buy", "buys": "buy", "acquired": "buy", "buyer": "buy",
    "married": "marry", "marries": "marry",
    "killed": "kill", "kills": "kill", "assassinated": "kill", "shot": "kill", "killer": "kill",
}  # fmt: skip
_ASKS_WHO_DID = re.compile(
    r"^\W*who\s+(?:(?:actually|first|originally|really)\s+)?(?P<verb>"
    + "|".join(v for v in _DEED_WORDS if not v.endswith(("er", "or", "ist", "ect")))
    + r")\b|^\W*who\s+(?:is|was|are|were)\s+the\s+(?:original\s+|first\s+)?(?P<noun>"
    + "|".join(v for v in _DEED_WORDS if v.endswith(("er", "or", "ist", "ect")))
    + r")s?\s+of\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def asked_deed(question: str, loosely: bool = False) -> re.Pattern[str] | None:
    """For a question asking who did a deed (made something, won, replaced someone …), the pattern of the words a
    sentence says that deed in (`loosely`: or a deed of its kin, or in looser words, as a source may say it); None for
    any other question."""
    asking = _ASKS_WHO_DID.search(asked_sentence(question))
    if asking is None:
        return None
    key = _DEED_WORDS[(asking.group("verb") or asking.group("noun")).lower()]
    said = [_DEEDS[key]]
    if loosely:
        said += [_DEEDS[kin] for kin in _KIN.get(key, ())] + ([_LOOSELY[key]] if key in _LOOSELY else [])
    return re.compile("|".join(said), re.IGNORECASE)
