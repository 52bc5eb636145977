"""How a short answer states a figure: in digits, as a reader of a report expects one.

A lead is read first and pasted into reports. "How many years is she due to serve?" is answered
"9 years" although the sentence that says it writes "a nine-year drug smuggling sentence", and a sum
the source writes out to the dollar ("$12,600,000") leads as "$12.6 million". The sentence after
the lead still quotes the source as written. Pure functions.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.words import MONTH_NAMES
from rag.answer_type import (
    CHANGE_WORDS,
    asked_sentence,
    not_the_asked_measure,
)
from rag.counting import NOT_A_SHARE, counted_nouns, counted_stem
from rag.rates import ASKS_RATE, bare_number_for_a_rate
from rag.text import alike, content_words, numbers

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
CARDINAL_VALUES: dict[str, int] = {**{w: n for n, w in enumerate(_UNITS) if n}, **_TENS}
_CARDINAL = "|".join(sorted(CARDINAL_VALUES, key=len, reverse=True))
# A number as a count: digits, a number word ("nine", "twenty-one"), or either with a scale ("two million").
_SCALE = r"(?:[\s-](?:hundred|thousand|million|billion|trillion))"
_COUNT = rf"(?:\d[\d,.]*|(?:{_CARDINAL})(?:-(?:{_CARDINAL}))?){_SCALE}*"
# The gap a count may leave before what it counts: "24 percentage points", "nine-year drug smuggling sentence".
_GAP = r"(?:[\s-]+[\w'’-]+){0,2}?[\s-]+"


def _cardinal(words: str) -> int | None:
    """The value of a number written in words ("nine", "twenty-one"), or None for anything else."""
    parts = words.lower().split("-")
    if len(parts) > 2 or not all(w in CARDINAL_VALUES for w in parts):
        return None
    return sum(CARDINAL_VALUES[w] for w in parts)


def in_digits(count: str) -> str:
    """A count written in words, in digits: "nine" → "9", "twenty-one" → "21", "two million" → "2 million".
    Digits and anything else come back as they are."""
    head, _, scale = count.partition(" ")
    value = _cardinal(head)
    if value is None:
        return count
    return f"{value} {scale}" if scale else str(value)


def count_said(question: str, sentence: str) -> str | None:
    """For a "how many" question, the count of what it counts that the sentence states, in digits, with the
    sentence's words for what it counts ("18 key allies", "more than 10 children"), or the question's noun
    for a compound ("9 years" for "How many years …?" and "… a nine-year sentence …"). None when the
    sentence states no such count, or more than one, or only one the question already says."""
    nouns = counted_nouns(question)
    if not nouns:
        return None
    head = _head(nouns)
    stem = counted_stem(head)
    # Not a share ("24% of employees") and not a sum ("$5 million").
    said_count = re.compile(
        rf"(?<![\w$€£¥.,])(?P<count>{_COUNT}){NOT_A_SHARE}{_GAP}{re.escape(stem)}\w*",
        re.IGNORECASE,
    )
    matches = list(said_count.finditer(sentence))
    found = {in_digits(m.group("count")) for m in matches}
    if len(found) != 1:
        return None
    count = found.pop()
    if numbers(count) & numbers(question) or not re.match(r"\d", count):
        return None
    # "more than 10 children" is not 10: the sentence's own qualifier stays with its count.
    qualifier = _QUALIFIER.search(sentence[: matches[0].start()])
    if qualifier is not None:
        count = f"{qualifier.group(1).lower()} {count}"
    # Counted in the sentence's words ("18 key allies", "24 percentage points"); a compound ("a nine-year
    # sentence") in the question's ("9 years").
    first = matches[0]
    counted = sentence[first.end("count") : first.end()]
    if counted.startswith("-"):
        spelled = re.search(rf"\b{re.escape(head)}\b", question, re.IGNORECASE)
        return f"{count} {spelled.group() if spelled else head}"
    return f"{count} {' '.join(counted.split())}"


_QUALIFIER = re.compile(
    r"\b((?:more|fewer|less)\s+than|at\s+(?:least|most)|up\s+to|about|around|roughly|nearly|almost|over|under"
    r"|approximately|some|an\s+estimated)\s+$",
    re.IGNORECASE,
)


_PLURALS = frozenset(("people", "children", "men", "women", "staff", "personnel", "police", "cattle"))


def _head(nouns: list[str]) -> str:
    """What a "how many" question counts among the words after it: the last plural ("advanced GPUs": GPUs),
    not a verb that follows ("How many people died": people)."""
    plural = [n for n in nouns if n in _PLURALS or (n.endswith("s") and not n.endswith("ss") and len(n) > 3)]
    return plural[-1] if plural else nouns[0]


def as_figure(question: str, lead: str) -> str:
    """A lead with its figure said as a report says it: for a "how many" question a count in digits with
    what it counts ("nine-year" → "9 years", "Nine" → "9"), and a sum written to the dollar in millions."""
    if counted_nouns(question):
        lead = count_said(question, lead) or in_digits(lead)
    return in_scale(lead)


# A dollar sum written to the unit: "$12,600,000", "US$1,500,000,000".
_WHOLE_SUM = re.compile(r"(?P<currency>(?:US)?\$)(?P<digits>\d{1,3}(?:,\d{3}){2,})")
_SCALES = ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"))


def in_scale(lead: str) -> str:
    """A lead that is a whole dollar sum of a million or more, said in millions or billions when that loses
    nothing ("$12,600,000" → "$12.6 million"; "$12,612,345" stays as it is)."""
    match = _WHOLE_SUM.fullmatch(lead.strip())
    if match is None:
        return lead
    value = int(match.group("digits").replace(",", ""))
    for size, name in _SCALES:
        if value >= size:
            # At most two decimals, and only when they are exact.
            if value % (size // 100):
                return lead
            said = f"{value / size:.2f}".rstrip("0").rstrip(".")
            return f"{match.group('currency')}{said} {name}"
    return lead


_SCALE_VALUES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_FIGURE = re.compile(
    rf"(?<![\w.,])(?P<number>\d[\d,]*(?:\.\d+)?|(?:{_CARDINAL})(?:-(?:{_CARDINAL}))?)(?![\w,.]\w)"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)


def values(text: str) -> set[float]:
    """The values of the figures a text states, scale words applied: "$12.6 million", "$12,600,000" and
    "12.6 million" are all 12,600,000; "nine-year" and "9" are 9."""
    out: set[float] = set()
    for match in _FIGURE.finditer(text):
        number = match.group("number")
        value = float(number.replace(",", "")) if number[0].isdigit() else float(_cardinal(number) or 0)
        scale = match.group("scale")
        out.add(round(value * (_SCALE_VALUES[scale.lower()] if scale else 1.0), 6))
    return out


def states_figures(claim: str, evidence: str) -> bool:
    """Whether the evidence states every figure of the claim, as written or as the same value in other
    words ("$12.6 million" in "$12,600,000", "9 years" in "a nine-year sentence"). A number that is not
    read as a figure ("A2", "5G") must be stated as written."""
    missing = numbers(claim) - numbers(evidence)
    if not missing:
        return True
    read = {n for match in _FIGURE.finditer(claim) for n in numbers(match.group("number"))}
    return missing <= read and values(claim) <= values(evidence)


# A figure, and the words before it: "appropriates $52.7 billion", "lower tariffs by 115%".
_STATED_FIGURE = re.compile(
    r"(?:US)?[$€£¥]?(?P<number>\d[\d,.]*\d|\d)(?:\s*%|\s+(?:percent|per\s+cent|percentage\s+points?|thousand|million"
    r"|billion|trillion)\b)?"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# A capitalised word right before a bare number makes the number part of a name.
_NAME_BEFORE = re.compile(r"\b[A-Z][\w’'-]*\s+$")
# What may stand between a word and the figure it takes ("… trained its V3 model for US$6 million").
_BETWEEN_WORDS = "by to of at for about roughly nearly almost around some over up another a an the its their"
_BETWEEN = frozenset(_BETWEEN_WORDS.split())


def asked_figure(question: str, sentence: str) -> str | None:
    """The figure the sentence states right after a word the question asks with, as the sentence writes it
    ("How much does the act appropriate?" → "$52.7 billion" of "… for which it appropriates $52.7 billion";
    "by how much did each side cut its tariffs" → "115%" of "… lower tariffs by 115%"): the figure the
    question's own verb or noun takes, not one said of something else ("The act includes $39 billion").
    None when there is none; a year, and a figure the question already states, do not count."""
    asked, known = _asked_terms(question)
    # "What additional tariff …?" asks no change: in "… lower tariffs by 115% while retaining an additional 10%
    # tariff" the figure said as one ("by 115%") gives way to another that a word of the question takes.
    level = CHANGE_WORDS.search(asked_sentence(question)) is None
    by_change: str | None = None
    for match in _STATED_FIGURE.finditer(sentence):
        number = match.group("number")
        if _YEAR.fullmatch(number) or numbers(number) <= known:
            continue
        if match.group() == number and _NAME_BEFORE.search(sentence, 0, match.start()):
            continue  # "Executive Order 14256", "Section 301": a name's number, not a figure it takes
        before = re.findall(r"[A-Za-z\d][\w’'-]*", sentence[max(0, match.start() - 60) : match.start()])[-2:]
        said_as_change = bool(before) and before[-1].lower() == "by"
        if before and before[-1].lower() in _BETWEEN:
            before = before[:-1]
        # A number or a month takes no figure: "… imposed on April 2, 2025 for 90 days" says nothing of April's.
        if before and (before[-1][0].isdigit() or before[-1].capitalize() in MONTH_NAMES):
            continue
        if before and any(alike(w, a) for w in content_words(before[-1]) for a in asked):
            if not (level and said_as_change):
                return match.group()
            by_change = by_change or match.group()
    return by_change


# A measure written after a bare number ("252 feet and 7 inches", "2,554 pounds"): said with it in a lead.
_MEASURE = re.compile(
    r"[^\S\n]+(?:feet|foot|inch(?:es)?|miles?|(?:kilo|centi|milli)?met(?:er|re)s?|pounds|(?:kilo)?grams|tons|tonnes"
    r"|acres|degrees|gallons|barrels)\b"
)
# What a rate is said in: "125%", "84 percent", "2.7 cents per kilogram".
_RATE = re.compile(r"%|\bper[^\S\n]*cent\b|\bpercent|\bpercentage\b|\bper\b", re.IGNORECASE)


# A figure said for a year, and a question asking for one: "70 percent by 2025", "… by 2025?".
_FOR_YEAR = re.compile(r"[^\S\n]+(?:by|in|for|until|through)[^\S\n]+((?:19|20)\d\d)\b")


def _figures(question: str, sentence: str) -> tuple[list[str], set[str], str | None]:
    """The figures a sentence states, each as a lead says it (a bare number only with its measure), those of
    them said for another year than the one the question asks for, or a second one for it, and the one said
    for that year."""
    known = numbers(question)
    said: dict[str, str | None] = {}  # each figure, and the year it is said for
    for match in _STATED_FIGURE.finditer(sentence):
        number = match.group("number")
        measure = _MEASURE.match(sentence, match.end())
        if match.group() != number:
            figure, end = match.group(), match.end()
        elif measure is not None and not numbers(number) <= known:
            figure, end = f"{number} {measure.group().strip()}", measure.end()
        else:
            continue
        year = _FOR_YEAR.match(sentence, end)
        said.setdefault(figure, year.group(1) if year else None)
    asked_years = {m.group(1) for m in _FOR_YEAR.finditer(question)}
    for_asked = [figure for figure, year in said.items() if year in asked_years]
    other = {f for f, year in said.items() if asked_years and year is not None and f not in for_asked[:1]}
    return list(said), other, next(iter(for_asked), None)


def figure_stated(question: str, sentence: str) -> str | None:
    """The figure that leads an amount question's answer from its sentence alone: the one the question's word
    takes (`asked_figure`), else the only figure with a unit or a currency sign the sentence states and the
    question does not ("$295.4 billion" of "The U.S. goods trade deficit with China was $295.4 billion in 2024").
    A bare number is said with the measure written after it ("252 feet"). A question asking for a year's figure
    takes the one said for that year and none said for another ("… to 40 percent by 2020 and 70 percent by
    2025" for "… by 2025?"). None when the sentence states none, or two or more the question's words do not
    tell apart, or one of another measure than the asked one: no sum or count for "What tariff …?", no count
    for "What percentage …?" (`not_the_asked_measure`)."""
    known = numbers(question)
    said, other, _ = _figures(question, sentence)
    taken = asked_figure(question, sentence)
    options = [f for f in said if f not in other and not numbers(f) <= known]
    if taken is not None and not any(f.startswith(taken) for f in other):
        figure = next((f for f in said if f.startswith(taken)), taken)
    elif len(options) == 1:
        figure = options[0]
    else:
        return None
    if ASKS_RATE.search(asked_sentence(question)) and not _RATE.search(figure):
        return None
    return None if not_the_asked_measure(figure, question) else figure


# What a question sets aside is not what it asks with: "… appropriate, as opposed to the total it authorizes?".
_SET_ASIDE = re.compile(
    r"\b(?:as\s+opposed\s+to|rather\s+than|instead\s+of|other\s+than|apart\s+from|besides|except(?:\s+for)?"
    r"|excluding)\b[^,;?]*",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def _asked_terms(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """The question's content words, but those it sets aside, and the numbers it states: read once per question,
    not per candidate."""
    return frozenset(content_words(_SET_ASIDE.sub(" ", question))), frozenset(numbers(question))


def lead_figure(question: str, opening: str, sentence: str) -> str:
    """A lead that names another figure than the one the question's own word takes in its sentence gives way
    to that one: "$280 billion" (what the act authorizes) → "$52.7 billion" for "How much does the act
    appropriate?"; so does one said for another year than the asked one, to the figure said for that year ("40
    percent by 2020" → "70 percent by 2025" for "… by 2025?"). Any other lead comes back as it is, and so does
    one whose replacement would be a bare number where a rate is asked for ("14256" of "Executive Order 14256"
    for "What tariff rate did the order set?")."""
    if (changed := _changed_to(question, opening, sentence)) is not None:
        return changed
    _, other, for_year = _figures(question, sentence)
    if for_year is not None and numbers(opening) and any(numbers(opening) == numbers(f) for f in other):
        return for_year  # "40 percent", said for 2020, gives way to "70 percent" for "… by 2025?"
    figure = asked_figure(question, sentence)
    if figure is None or not numbers(opening) or numbers(opening) == numbers(figure):
        return opening
    if bare_number_for_a_rate(figure, question) or any(f.startswith(figure) for f in other):
        return opening  # nor for another year than the asked one ("40 percent by 2020" for "… by 2025?")
    return figure


# "… will increase from 25% to 50% in 2024": the figure a change started from, and the one it goes to.
_ANY_FIGURE = _STATED_FIGURE.pattern.replace("?P<number>", "?:")
_FROM_TO = re.compile(rf"\bfrom\s+(?P<before>{_ANY_FIGURE})\s+to\s+(?P<after>{_ANY_FIGURE})")
# "What was the rate before the review?", "… from what level …?", "… the previous rate …": the starting figure asked.
_ASKS_BEFORE = re.compile(
    r"\b(?:before|previous(?:ly)?|prior|earlier|old|former|original|from\s+what|from\s+how|used\s+to|had\s+been)\b",
    re.IGNORECASE,
)


def _changed_to(question: str, opening: str, sentence: str) -> str | None:
    """The figure a change goes to, for a lead that names the one it started from: "25%" of "… will increase from
    25% to 50% in 2024" leads as "50%" for "What tariff rate … did the review set?". None when the lead is not a
    starting figure, or the question asks for the earlier one ("What was the rate before the review?")."""
    if not numbers(opening) or _ASKS_BEFORE.search(asked_sentence(question)):
        return None
    for match in _FROM_TO.finditer(sentence):
        before = re.sub(r"\s+", " ", match.group("before"))
        if numbers(before) == numbers(opening):
            return re.sub(r"\s+", " ", match.group("after"))
    return None
