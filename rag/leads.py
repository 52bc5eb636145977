"""The short answer an answer leads with, settled once the sentence that says it is chosen.

Whatever the local model named (or nothing, with the extractive answerer), the answering sentence has the
last word on some kinds of lead: who spoke, for a question on what someone said; the figure the question's
word takes, for an amount; the count in digits, for "how many"; the possessor, for "whose"; the name bracketed
with the rate a question names ("China (7.5%)"), for "which partner's rate is 7.5%?"; the day a sentence
names only as "today" or "yesterday", read against its source's date, for "when"; a person's whole name as the
source first writes it, for who spoke or who holds a role ("Xi Jinping" for "Xi"), and the one person a sentence
names, for who holds a role when nothing else leads ("Christian Wakeford" for "… after Wakeford's defection"). A
bare number offered for a rate (an order's number) leads nothing: the sentence answers without it.
"""

from __future__ import annotations

import re
from datetime import date

from core.models import Document
from rag.abstain import english_word
from rag.answer_type import answer_kind, asked_sentence, without_dateline
from rag.counting import counted_nouns
from rag.figures import as_figure, count_said, figure_stated, lead_figure
from rag.fullnames import fuller_name, possessor, with_given_name
from rag.parties import asks_a_person, persons_named
from rag.periods import as_written, dated_by_publication
from rag.rates import bare_number_for_a_rate, name_of_rate, rates_named
from rag.reader import for_another_party
from rag.speakers import speaker, without_titles
from rag.text import capitalised

# "When did …?", "On what date was …?": the day something happened; not a deadline, how long, or what is to come
# ("When will the tariff take effect?", "When was it to take effect?" are not answered by the day it was announced).
_ASKS_THE_DAY = re.compile(
    r"(?:^\W*when|\b(?:what|which)\s+(?:date|day))\s+(?:did\b|(?:was|were)\b(?![^?]*\bto\s+(?!the\b|an?\b)[a-z]))",
    re.IGNORECASE,
)


# "Which Chinese premier's cabinet …?": the owner is asked for, and named without the possessive ("Wendy's" is
# a chain's own name when a question asks "Which chain …?").
_ASKS_AN_OWNER = re.compile(r"^\W*(?:which|what)\s+(?:[\w-]+\s+){0,3}?[\w-]+['’]s\s", re.IGNORECASE)


def settled_lead(
    question: str, opening: str | None, sentence: str, picked: bool, spoken: bool, source: Document | None = None
) -> str | None:
    """The lead for an answer standing on `sentence`, given the one found so far (`opening`); `picked`: the local
    model's pick was taken; `spoken`: the question asks what someone said and the sentence is a quotation;
    `source`: the document the sentence is from. A person's one-word name leads as its source first writes it
    with a given name after it ("Xi" → "Xi Jinping")."""
    lead = _settled(question, opening, sentence, picked, spoken, source.published if source is not None else None)
    if lead is None and source is not None and asks_a_person(question):
        lead = _person_named(question, sentence, source.text)
    if lead is not None and _ASKS_AN_OWNER.search(asked_sentence(question)):
        lead = re.sub(r"(?<=\w)[’']s$", "", lead)  # "Li Keqiang's" (cabinet): the name is "Li Keqiang"
    if lead and source is not None and (spoken or asks_a_person(question)):
        return with_given_name(lead, source.text)
    return lead or None


def _person_named(question: str, sentence: str, text: str) -> str | None:
    """The one person the sentence names that the question does not, as the source first writes the name ("Wakeford"
    of "… after Wakeford's defection": "Christian Wakeford"), its title left off; None when it names several, or a
    name that may be a place's or a body's: one whose last word is everyday English ("Southern California", "Royal
    Family"), unless the source first writes it with a given name ("Lee": "John Lee")."""
    named = persons_named(without_dateline(sentence), question)  # "New York (CNN Business) …" names no one
    if len(named) != 1:
        return None
    full = fuller_name(named[0], text) if " " not in named[0] else named[0]
    words = without_titles(full.split())  # "Justice Stephen Breyer", "President Biden"
    expanded = len(words) > 1 and " " not in named[0]
    return " ".join(words) if expanded or not english_word(words[-1].lower()) else None


def _settled(
    question: str, opening: str | None, sentence: str, picked: bool, spoken: bool, published: date | None
) -> str | None:
    """settled_lead, given the day the sentence's source was published."""
    if spoken:
        opening = speaker(sentence)  # whoever the model named, the sentence says who spoke
    kind, asking = answer_kind(question), asked_sentence(question)
    amount = kind == "amount"
    if opening is not None and (named := rates_named(asking, kind)):
        # "Which partner's rate is 7.5%?": the name the sentence brackets with 7.5%, not another bracketed one.
        opening = name_of_rate(named, opening, sentence) or opening
    if opening is None and not picked and amount:
        # "How much does the act provide …?": the figure its word takes in the answer leads (a count: below).
        stated = None if counted_nouns(question) else figure_stated(question, sentence)
        opening = None if stated and for_another_party(stated, sentence, question) else stated
    if opening is not None and amount:
        opening = lead_figure(question, opening, sentence)  # the figure the question's word takes
    if opening is not None and bare_number_for_a_rate(opening, question):
        opening = None  # "14256" (an order's number) for a rate: the sentence answers without it
    # A "how many" answer leads with its count in digits ("9 years" for "a nine-year sentence"), a sum in millions,
    # "Whose bid …?" with its possessor ("Martin Broughton's bid"); the sentence after quotes the source as written.
    if opening is not None:
        return as_figure(question, opening)
    if _ASKS_THE_DAY.search(asking) and (day := dated_by_publication(sentence, published)):
        return as_written(day)  # "When did …?" met by "Today, BIS released …": the day its source was published
    counted = count_said(question, sentence)
    return capitalised(counted) if counted is not None else possessor(question, sentence)
