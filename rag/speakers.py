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
# "announced" is a company's or a country's as often as a person's: only with a person asked for; so are the
# verbs of fronting an announcement ("Which BIS official fronted the new controls?").
_FRONTED = r"(?:announced|fronted|unveiled|presented|introduced|touted|championed|rolled\s+out)"
_ROLE = (
    r"(?:official|officials|secretary|minister|executive|spokesperson|spokesman|spokeswoman|ceo|cfo|chief|"
    r"director|commissioner|governor|senator|ambassador|adviser|advisor|aide|economist|analyst|chair|chairman|"
    r"chairwoman|president|premier|leader)"
)
_ASKS = re.compile(
    rf"^\s*(?:who\b(?:\s+\w+){{0,12}}?\s+{_SAYING}\b"
    rf"|which\s+(?:\w+\s+){{0,3}}?\w+\s+(?:\w+\s+){{0,2}}?{_SAYING}\b"
    rf"|which\s+(?:\w+\s+){{0,3}}?{_ROLE}\s+{_FRONTED}\b)",
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
    # "… state news agency Xinhua quoted Xi as saying."
    re.compile(rf"\bquoted\s+(?P<who>[^,.;:“”\"]*?{_RUN})\s+as\s+saying\b"),
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


def without_titles(words: Sequence[str]) -> list[str]:
    """A name's words with the titles before it left off, its last word always kept ("Justice Stephen Breyer" →
    Stephen Breyer, "President Biden" → Biden)."""
    start = 0
    while start < len(words) - 1 and words[start].lower().rstrip(".") in TITLE_WORDS:
        start += 1
    return list(words[start:])


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


# "What did Gina Raimondo say about the rules?", "Which technologies did Xi tell leaders …?", "Who did Rob Walton
# say will serve as CEO …?", "In his remarks, what did Xi say …?", "How did Under Secretary Estevez describe the
# threats …?": what a named person said.
# The verbs a news sentence attributes words with ("…, Cernicek said", "said Charles Franklin"): one list for every
# reader of attributions, each adding the words of its own.
SAID_VERBS = "said|says|told|added"
_SAY_VERBS = (
    r"say|said|tell|told|warn|warned|argue|argued|write|wrote|claim|claimed|promise|promised|pledge|pledged|vow|vowed"
    r"|admit|admitted|acknowledge|acknowledged|insist|insisted|predict|predicted|stress|stressed"
)
_DESCRIBE_VERBS = r"describe|described|characteri[sz]e|characteri[sz]ed|explain|explained|justify|justified|portray"
_SPEAKER = r"(?:[\w.’'-]+\s+){0,5}?[\w.’'-]+"  # at most six words: "Commerce Secretary Gina M. Raimondo"
_ASKS_WHAT_SAID = re.compile(
    rf"^(?:[^?]*?,\s*)?\W*(?:(?:what|which|who|whom)\s+(?:\w+\s+){{0,3}}?(?:did|does|has|have|had)\s+"
    rf"(?P<who>{_SPEAKER})\s+(?:{_SAY_VERBS})"
    rf"|how\s+(?:did|does|has|have|had)\s+(?P<how>{_SPEAKER})\s+(?:{_DESCRIBE_VERBS}))\b",
    re.IGNORECASE,
)
# What a question asks a person's words about is said in its own words: most of its other words, and every
# name among them ("SMIC" in "How did Alan Estevez justify adding SMIC to the Entity List?"), in the document.
TOPIC_SHARE = 2 / 3
# A capitalised word past a question's first: a name of what it asks about ("Entity", "SMIC").
_TOPIC_NAME = re.compile(r"(?<=\s)[A-Z][\w’'-]*")
# Quotation marks, and how far back a quotation's opening or its speaker is looked for.
_OPEN, _CLOSE = "“", "”"
QUOTE_REACH = 1500
# An attribution between two quotations is a clause ("said Under Secretary … Alan Estevez."), not a paragraph.
ATTRIBUTION_WORDS = 20
_CLAUSE_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s|$)|\n|“")
# The verbs of saying, as a question's words are compared: not what the words are about.
_VERB_WORDS = frozenset(content_words(_SAY_VERBS.replace("|", " ")))


def asks_what_said(question: str) -> bool:
    """Whether the question asks what a named person or party said ("What did Gina Raimondo say …?", "How did
    Under Secretary Estevez describe …?")."""
    return _ASKS_WHAT_SAID.match(question) is not None


def quoted_of(question: str, ranked: Sequence[Candidate], documents: Sequence[str]) -> list[Candidate]:
    """For a question asking what a named person said, the candidates whose words are that person's (a word of
    the name in common, titles aside), from a document that says what the question asks about (`_about`), best
    first; empty for other questions. `documents[n - 1]` is the text of the document of a candidate's hit number n.

    A sentence is a person's when it attributes words to them, or sits inside a quotation attributed to them
    (`quoted_by`). A quotation does not name its speaker in the question's words, so its support is low
    ("“Today’s updated rules will increase effectiveness …,” said Secretary of Commerce Gina M. Raimondo."); its
    attribution says it answers."""
    match = _ASKS_WHAT_SAID.match(question)
    if match is None:
        return []
    name = match.group("who") or match.group("how")
    asked = {w.lower() for w in re.findall(_NAME_WORD, name) if w.lower().rstrip(".") not in _NOT_A_NAME}
    if not asked:
        return []
    rest = question[: match.start("who" if match.group("who") else "how")] + " " + question[match.end() :]
    about: dict[int, bool] = {}  # per document: whether it says what the question asks about
    out = []
    for cand in ranked:
        if cand.text[:1].islower():  # a clause cut from inside a sentence is not quoted as what was said
            continue
        document = documents[cand.hit_number - 1]
        who = speaker(cand.text) or quoted_by(document, cand.position)
        if who is None or not asked & {w.lower() for w in who.split()}:
            continue
        if cand.hit_number not in about:
            about[cand.hit_number] = _about(rest, document)
        if about[cand.hit_number]:
            out.append(cand)
    return out


def _about(rest: str, document: str) -> bool:
    """Whether a document says what a question asks a person's words about (`rest`: the question without the
    person and the verb): most of its words (`TOPIC_SHARE`) and every name among them."""
    topic = set(content_words(rest)) - _VERB_WORDS
    said = set(content_words(document))
    if topic and len(topic & said) < TOPIC_SHARE * len(topic):
        return False
    return all(set(content_words(word)) <= said for word in _TOPIC_NAME.findall(rest))


def quoted_by(document: str, start: int) -> str | None:
    """Who speaks the sentence at `start` of a document when it lies inside a quotation attributed outside
    it: after the quotation closes ("“Today’s updated rules … restrictions. These controls …,” said Secretary
    of Commerce Gina M. Raimondo."), or, for a quotation running on from an attributed one, between the two
    ("…,” said … Alan Estevez. “The threat environment is always changing …”"; a paragraph that opens a
    quotation and never closes it runs on into the next). None when the sentence is no quotation's."""
    opened = document.rfind(_OPEN, max(0, start - QUOTE_REACH), start + 1)
    if opened < 0 or _CLOSE in document[opened:start]:
        return None
    closed = document.find(_CLOSE, start)
    if closed > 0 and _OPEN not in document[start + 1 : closed] and "," in document[closed - 1 : closed + 2]:
        tail = document[closed + 1 : closed + 1 + QUOTE_REACH]
        clause = _CLAUSE_END.search(tail)
        if who := speaker(tail[: clause.start() if clause else len(tail)]):
            return who
    for _ in range(3):  # back over quotations that run on without closing
        before = document[max(0, opened - QUOTE_REACH) : opened]
        last_open, last_close = before.rfind(_OPEN), before.rfind(_CLOSE)
        if last_open > last_close:
            opened -= len(before) - last_open
            continue
        between = before[last_close + 1 :] if last_close >= 0 else ""
        return speaker(between) if 0 < len(between.split()) <= ATTRIBUTION_WORDS else None
    return None
