"""Rates as a text states them, and the rate a question names its measure by ("the universal 10% tariff")."""

from __future__ import annotations

import re

from rag.text import asking_span

# A percentage: "125%", "84 percent", "84 per cent", "24 percentage points"; its number alone in `number`.
PERCENTAGE = re.compile(r"(?P<number>\d[\d,.]*?)\s*(?:%|per\s*cent\b|percent)", re.IGNORECASE)
# A rate as a figure says it: a percentage, or so much per unit ("2.7 cents per kilogram").
STATED_RATE = re.compile(rf"{PERCENTAGE.pattern}|\d\S*\s+(?:\w+\s+)?per\s+\w", re.IGNORECASE)


def stated_rates(text: str) -> set[str]:
    """The percentages a text states, as numbers ("84 percent" and "84%" alike: "84")."""
    return {m.group("number") for m in PERCENTAGE.finditer(text)}


def rates_named(asking: str, kind: str) -> set[str]:
    """The rates by which the asking sentence of a question of the given kind names its measure ("When did the
    universal 10% tariff start?"). Only a date or a name question names one: an amount question asks for a
    rate. A rate said before the asking sentence is the story's ("Grocery prices … increased by more than 13%
    … Which item showed one of the largest price spikes?"), so only the asking sentence is read."""
    return stated_rates(asking) if kind in ("date", "name") else set()


def another_rate(named: set[str], sentence: str) -> bool:
    """Whether the sentence states rates, but not those a question names its measure by ("On April 9, … an 84
    percent tariff would be imposed …" for "… on what date was the universal 10% tariff … to start?"). A change
    is named by both its rates: "… from 25% to 100% in 2024" is another change than "… from 25% to 50% …"."""
    said = stated_rates(sentence)
    return bool(named) and bool(said) and not named <= said


# "Brazil (11.2%), China (7.5%)": a rate in brackets is the name's right before it.
_NAME_AND_RATE = re.compile(rf"([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)\s*\(\s*{PERCENTAGE.pattern}\s*\)")


def name_of_rate(named: set[str], lead: str, sentence: str) -> str | None:
    """The name whose bracketed rate is the one a question names, for a lead naming another bracketed name of the
    sentence: "Brazil" → "China" of "… partners like Brazil (11.2%), China (7.5%) …" for "Which trading partner's
    … rate is 7.5%?". None when the lead is no such name, or is already that one, or no one name has it."""
    pairs = [(m.group(1), m.group("number")) for m in _NAME_AND_RATE.finditer(sentence)]
    own = [rate for name, rate in pairs if name == lead]
    if not named or not own or own[0] in named:
        return None
    having = [name for name, rate in pairs if rate in named]
    return having[0] if len(having) == 1 else None


# "What tariff rate …?" is answered by a rate ("125%", "24 percentage points", "2.7 cents per kilogram"), never
# by a bare number: "14256" of "Executive Order 14256" is the order's number.
ASKS_RATE = re.compile(r"\b(?:rates?|tariffs?|dut(?:y|ies)|lev(?:y|ies))\b", re.IGNORECASE)


def bare_number_for_a_rate(named: str, question: str) -> bool:
    """Whether words named as the answer are a number alone, without a unit, where the question asks for a rate."""
    bare = re.fullmatch(r"[\d.,]+", named.strip().strip("“”\"'")) is not None
    start, end = asking_span(question)
    return bare and ASKS_RATE.search(question[start:end]) is not None
