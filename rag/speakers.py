"""Who said it: "Which Commerce official spoke for the October 2022 chip export controls?" is answered by
the sentence that attributes words to someone ("“…,” said Under Secretary of Commerce for Industry and
Security Alan Estevez."), and its answer is that someone.

Such a question restates what was said, so the sentences closest to it are the announcement's own, which
name nobody; the attributed quotation is further from it in wording. The form of the sentence tells it: a
verb of saying beside a name. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.words import MONTH_NUMBERS, WEEKDAYS
from rag.text import content_words

if TYPE_CHECKING:
    from rag.extractive import Candidate

# "Who said …", "Which Commerce official spoke …", "Who at Commerce defended …", "Who was the … quoted …".
_SAYING = r"(?:said|says|spoke|speaks|quoted|defended|warned|told|stated|argued|commented|remarked)"
# "announced" is a company's or a country's as often as a person's: only with a person asked for.
_ROLE = (
    r"(?:official|officials|secretary|minister|executive|spokesperson|spokesman|spokeswoman|ceo|cfo|chief|"
    r"director|commissioner|governor|senator|ambassador|adviser|advisor|aide|economist|analyst|chair|chairman|"
    r"chairwoman|president|premier|leader)"
)
_ASKS = re.compile(
    rf"^\s*(?:who\b(?:\s+\w+){{0,12}}?\s+{_SAYING}\b"
    rf"|which\s+(?:\w+\s+){{0,3}}?\w+\s+(?:\w+\s+){{0,2}}?{_SAYING}\b"
    rf"|which\s+(?:\w+\s+){{0,3}}?{_ROLE}\s+announced\b)",
    re.IGNORECASE,
)
# "Who did Rob Walton say will …" asks whom the named speaker spoke of, not who spoke.
_ASKS_OF_THE_NAMED = re.compile(r"^\s*(?:who|which\s+\w+(?:\s+\w+)?)\s+(?:did|does|do)\b", re.IGNORECASE)

# A word of a name: capitalised, or an initial ("M.").
_NAME_WORD = r"(?:[A-Z][\w’'-]*[a-z][\w’'-]*|[A-Z]{2,}|[A-Z]\.)"
_RUN = rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*"
# Verbs of saying around a name: "said Secretary …" and "Secretary … said"; "told" takes its hearer after it.
_SAYS = r"said|says|added|stated|explained|wrote|warned"
_VERB_AFTER = rf"(?:{_SAYS}|noted|told\s+\w+)"
_VERB_BEFORE = rf"(?:{_SAYS}|told)"
_FORMS = (
    # "…,” said Secretary of Commerce Gina M. Raimondo.", "said Robert Frick, corporate economist at …"
    re.compile(rf"\b{_VERB_AFTER}\s+(?P<who>[^,.;:“”\"]*?{_RUN})(?=\s*(?:[,.;:“”\"]|$))"),
    # "Costco CFO Richard Galanti said during …", "…,” Biden said."
    re.compile(rf"(?P<who>{_RUN})\s+{_VERB_BEFORE}\b"),
    # "according to Secretary Raimondo"
    re.compile(rf"\baccording\s+to\s+(?P<who>[^,.;:“”\"]*?{_RUN})(?=\s*(?:[,.;:“”\"]|$))"),
)
# Words of a title that stands before a name ("Vice Premier He Lifeng", "Secretary of Commerce Gina M. Raimondo").
_TITLE_LIST = """
secretary under president vice minister prime deputy assistant director commissioner governor senator sen
rep representative mr mrs ms dr chief ceo cfo coo chairman chairwoman chair spokesperson spokesman spokeswoman
ambassador administrator attorney general judge justice leader premier king queen officer executive
"""
_OTHER_WORDS = "the a an it he she they we i this that these those in on at today yesterday"
TITLE_WORDS = frozenset(_TITLE_LIST.split())
# Capitalised words that are not who spoke: titles before a name, days and months after the verb.
_NOT_A_NAME = TITLE_WORDS | frozenset(_OTHER_WORDS.split()) | frozenset(WEEKDAYS) | frozenset(MONTH_NUMBERS)


def asks_who_said(question: str) -> bool:
    """Whether the question asks who said something: "Who said …?", "Which Commerce official spoke …?"."""
    return bool(_ASKS.search(question)) and not _ASKS_OF_THE_NAMED.search(question)


def said_by(question: str, ranked: Sequence[Candidate]) -> list[Candidate]:
    """For a question asking who said something, the candidates that attribute words to a name, best first
    (whole quotations only); empty for other questions, or when no candidate attributes any."""
    if not asks_who_said(question):
        return []
    # A clause cut from inside a sentence ("and security services,” said …") is not quoted as what was said.
    return [c for c in ranked if not c.text[:1].islower() and speaker(c.text) is not None]


def speaker(sentence: str) -> str | None:
    """The name the sentence attributes words to ("Gina M. Raimondo" of "…,” said Secretary of Commerce
    Gina M. Raimondo."), as the sentence spells it; None when it attributes nothing to a name."""
    for form in _FORMS:
        for match in form.finditer(sentence):
            name = _name_of(match.group("who"))
            if name is not None:
                return name
    return None


def _name_of(phrase: str) -> str | None:
    """The person at the end of a phrase that may open with a title: its last two words, three when the
    middle one is an initial ("Gina M. Raimondo"), one when the word before is a title ("Secretary Raimondo")."""
    runs = re.findall(_RUN, phrase)
    if not runs:
        return None
    words = [w for w in runs[-1].split() if w.lower().rstrip(".") not in _NOT_A_NAME or re.fullmatch(r"[A-Z]\.", w)]
    if not words or words[-1].endswith("."):
        return None  # an initial last, no surname after it (every other word left is no title)
    take = 3 if len(words) >= 3 and re.fullmatch(r"[A-Z]\.", words[-2]) else 2
    return " ".join(words[-take:])


# "What did Gina Raimondo say about the rules?", "What has Xi said …?": what a named person said, and about what.
_ASKS_WHAT_SAID = re.compile(
    r"^\W*what\s+(?:did|does|has|have|had)\s+(?P<who>.+?)\s+(?:say|said|tell|told|warn|warned|argue|argued|write"
    r"|wrote|claim|claimed)\b(?:.*?\b(?:about|on|regarding|of)\s+(?P<topic>[^?]+))?",
    re.IGNORECASE,
)


def quoted_of(question: str, ranked: Sequence[Candidate], documents: Sequence[str]) -> list[Candidate]:
    """For a question asking what a named person said, the candidates whose words the sentence attributes to that
    person (a word of the name in common, titles aside), from a document that says every word of what the
    question asks about ("the rules" in "What did Gina Raimondo say about the rules?"), best first; empty for other
    questions. `documents[n - 1]` is the text of the document of a candidate's hit number n.

    A quotation does not name its speaker in the question's words, so its support is low ("“Today’s updated
    rules will increase effectiveness …,” said Secretary of Commerce Gina M. Raimondo."); its attribution says
    it answers."""
    match = _ASKS_WHAT_SAID.match(question)
    if match is None:
        return []
    asked = {w.lower() for w in re.findall(_NAME_WORD, match.group("who")) if w.lower().rstrip(".") not in _NOT_A_NAME}
    if not asked:
        return []
    topic = set(content_words(match.group("topic") or ""))
    said: dict[int, bool] = {}  # per document: whether it says every word of the topic
    out = []
    for cand in ranked:
        who = speaker(cand.text) if not cand.text[:1].islower() else None
        if who is None or not asked & {w.lower() for w in who.split()}:
            continue
        if cand.hit_number not in said:
            said[cand.hit_number] = topic <= set(content_words(documents[cand.hit_number - 1]))
        if said[cand.hit_number]:
            out.append(cand)
    return out
