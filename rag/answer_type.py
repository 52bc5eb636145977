"""What kind of answer a question asks for, and whether a sentence holds one (pure functions).

"How much did the tariff rise?" wants an amount, "who" a name, "when" a date, "what did they
agree" the agreed content. The extractive answerer prefers sentences that hold an answer of the
asked kind that the question does not already state: a sentence that only restates the question
answers nothing.
"""

from __future__ import annotations

import re
from typing import Literal

from rag.periods import DAY, MONTH_ANY
from rag.text import numbers

Kind = Literal["amount", "name", "date", "agreement", "other"]

_AMOUNT = re.compile(
    r"\b(?:by\s+)?how\s+(?:much|many|large|big|high|low|far|old|fast|often|tall|deep|heavy)\b"
    r"|\bwhat\s+(?:(?:\w+|[\w-]+)\s+){0,3}?(?:rate|percentage|percent|share|number|amount|price|cost|magnitude|size"
    r"|total|sum|level|figure|proportion|fraction|value|speed|temperature|score|age|margin|toll|count)s?\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"^\W*when\b|\bhow\s+(?:soon|long)\b|\bwhat\s+(?:date|day|year|month|time|week)\b|\bwhich\s+(?:date|day|year|month)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^\W*(?:who|whom|whose|where)\b|\b(?:which|what)\s+(?:(?:\w+|[\w-]+)\s+){0,3}?"
    r"(?:person|people|man|woman|official|leader|president|company|companies|firm|country|countries|nation|city"
    r"|state|team|player|star|actor|actress|singer|agency|organi[sz]ation|group|party|park|island|region|place"
    r"|brand|airline|bank|court|network|university|school|senator|governor|minister|celebrity|athlete)\b"
    r"|\bwhich\b|\bwho\b",
    re.IGNORECASE,
)
_AGREEMENT = re.compile(
    r"\bwhat\s+(?:did|does|do|have|has|will|would)\b.{0,80}?\b(?:agree|commit|decide|pledge|promise|announce|sign"
    r"|approve|order|rule|require|propose|plan|vote|settle)\w*\b|\bwhat\s+(?:\w+\s+){0,4}?(?:agree|commit|decid|pledg"
    r"|promis)\w*\b",
    re.IGNORECASE,
)

_QUANTITY = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred"
    r"|thousand|million|billion|trillion|half|double|doubled|triple|tripled|dozen|percent|per\s+cent)\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday|today|tomorrow|yesterday|next\s+(?:week|month|year)|this\s+"
    r"(?:week|month|year)|(?:19|20)\d{2}|weeks?|months?|years?|days?|spring|summer|autumn|fall|winter)\b",
    re.IGNORECASE,
)
_COMMITMENT = re.compile(
    r"\b(?:will|shall|agree[sd]?|agreement|commit(?:s|ted|ment)?|pledge[sd]?|decided|promise[sd]?|to\s+(?:suspend"
    r"|remove|lower|reduce|cut|raise|lift|pause|establish|allow|ban|end|extend|resume)\w*)\b",
    re.IGNORECASE,
)
# A year, a day of the month, an ordinal or a model name says when or which, not how much: "It was announced in
# February 2026 that …" holds no answer to "How much did DeepSeek spend …?", nor "enacted by the 117th
# Congress … on August 9, 2022" to "How much does the act appropriate?". A four-digit number counts as
# a year unless a unit or a counted noun follows it ("1999 troops", "2000%") or a currency sign precedes it.
_CALENDAR = re.compile(
    rf"\b{MONTH_ANY}\s+{DAY}\b|\b{DAY}\s+{MONTH_ANY}(?!\w)"
    r"|\b\d+(?:st|nd|rd|th)\b"  # an ordinal ranks or dates ("the 117th Congress"), it does not count
    r"|\b[a-z]+-?\d(?:[-.]?\w)*"  # nor a name with a number in it ("R1", "V3.2", "A100", "COVID-19", "V3-0324")
    r"|(?<![$€£¥\d,.])\b(?:1[89]|20)\d{2}(?:s|['’]s)?\b(?![,.]\d)(?!\s*(?:%|percent\b|per\s+cent\b|[a-z]+s\b))",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*[A-Za-z]|\b[A-Z]{2,}\b")
# Outside quotation marks, a first-person sentence is the document's author speaking about
# itself ("By the authority vested in me …", "I hereby order"): preamble, not an answer.
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|our|us)\b(?!\.)")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_MARKUP = re.compile(r"\|.*\||^\s*#|^\s*[-*]{3,}|\[\s*\]|<[a-z/][^>]*>|\.{4,}|\s(?:\. ){3,}", re.IGNORECASE)


def answer_kind(question: str) -> Kind:
    """The kind of answer a question asks for ('other' when it does not say)."""
    if _AGREEMENT.search(question):
        return "agreement"
    if _AMOUNT.search(question):
        return "amount"
    if _DATE.search(question):
        return "date"
    if _NAME.search(question):
        return "name"
    return "other"


def holds_answer(kind: Kind, question: str, sentence: str) -> bool:
    """Whether the sentence states something of the asked kind that the question does not already say."""
    if kind == "amount":
        counted = _CALENDAR.sub(" ", sentence)
        new_numbers = numbers(counted) - numbers(question)
        return bool(new_numbers) or bool(_QUANTITY.search(_without(counted, question)))
    if kind == "date":
        return bool(_DATE_WORDS.search(_without(sentence, question)))
    if kind == "name":
        asked = {w.lower() for w in re.findall(r"[\w'’.-]+", question)}
        names = [m.group(0) for m in _CAPITALISED.finditer(sentence) if m.start() > 0]
        return any(name.lower().strip(".") not in asked for name in names)
    if kind == "agreement":
        return bool(_COMMITMENT.search(sentence))
    return True


def first_person(sentence: str) -> bool:
    """The author speaks of itself outside any quotation ('I hereby determine and order')."""
    return bool(_FIRST_PERSON.search(_QUOTED.sub(" ", sentence)))


def looks_like_markup(sentence: str) -> bool:
    """Table rows, headings, rules and leader dots: layout, never an answer."""
    letters = sum(ch.isalpha() for ch in sentence)
    return bool(_MARKUP.search(sentence)) or letters < 0.5 * len(sentence.strip())


def _without(sentence: str, question: str) -> str:
    """The sentence with the question's own words blanked, so what remains is new."""
    asked = {w.lower() for w in re.findall(r"\w+", question) if len(w) > 2}
    return re.sub(r"\w+", lambda m: " " if m.group(0).lower() in asked else m.group(0), sentence)
