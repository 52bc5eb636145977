"""Calendar periods, and the dates a text states ("April 9, 2025", "May 2015", "in 2014", "on Friday").

Pure functions shared by the reading of questions (rag/temporal.py) and of passages (timelines,
and passages admitted for the date they state): regex pieces for days, months and years, period
arithmetic, and `stated_dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from core.words import MONTH_NAMES, MONTH_NUMBERS, WEEKDAYS
from ingest.sentences import sentence_spans
from rag.text import asking_span, is_asked, numbers

Precision = Literal["day", "month", "year"]


_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "few": 3,
}  # fmt: skip


_ORDINAL_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


_ORDINAL = rf"(?:{'|'.join(_ORDINAL_QUARTERS)})"
ORDINAL_QUARTER = rf"{_ORDINAL}\s+quarter"  # "first quarter", "3rd quarter"


# Abbreviated months only count next to a day or a year ("Mar 2025"), never alone ("mar" is a verb).
MONTH_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"


MONTH_ANY = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


YEAR = r"(?:19|20)\d{2}"
YEAR_RE = re.compile(rf"\b{YEAR}\b")
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
BOUNDARY_L = r"(?<![\w-])"
BOUNDARY_R = r"(?![\w-])"


LOWER_MAY = re.compile(r"\bmay\b")  # case-sensitive: "may" is the verb, "May" the month


# "What deadline …?", "By what year …?": a date something is to happen by, which a text states as one ("by 2030").
ASKS_DEADLINE = re.compile(r"\bdeadline\b|\bby\s+(?:what|which|when)\b", re.IGNORECASE)
BY_A_DATE = re.compile(rf"\b(?:by|until|before|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?(?:{MONTH_ANY}|{YEAR})", re.I)
_YEAR_OR_MONTH = re.compile(rf"\b(?:{YEAR}|{MONTH_FULL})\b", re.IGNORECASE)


def states_no_deadline(question: str, sentence: str) -> bool:
    """For a question asking for a deadline, whether the sentence states a year or a month but none that
    something is to happen by ("Since 2018, …" for "By what year did the policy aim …?")."""
    if not ASKS_DEADLINE.search(question) or BY_A_DATE.search(sentence):
        return False
    return _YEAR_OR_MONTH.search(sentence) is not None


# A day of a month ("April 5, 2025"): new when the question gives no such day ("Under the April 2025 order, …").
MONTH_DAY = re.compile(rf"\b{MONTH_ANY}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTH_ANY}(?![\w])", re.IGNORECASE)
# "On what date …?", "Which day …?" ask for a day of the calendar, "At what time …?" for a time of day: "in five
# weeks", "earlier this month" and "2022" say neither. "In what year …?" asks for a year: "at 8:05 p.m." says none.
_ASKS_A_DAY = re.compile(r"\b(?:what|which)\s+(?:date|day)\b", re.IGNORECASE)
ASKS_A_YEAR = re.compile(r"\b(?:what|which)\s+year\b", re.IGNORECASE)
_A_YEAR = re.compile(r"\b(?:1\d|20)\d{2}s?\b")  # "in 1914", "the 1980s"
_ASKS_A_TIME = re.compile(r"\bwhat\s+time\b(?!\s+(?:period|frame|span|zone|of)s?\b)", re.IGNORECASE)
# A day of a month as MONTH_DAY reads it, or with an ordinal ("the 4th of March"), a date in figures or a day's name.
_A_DAY = re.compile(
    rf"{MONTH_DAY.pattern}|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_ANY}(?!\w)|\b\d{{1,2}}/\d{{1,2}}\b"
    rf"|\b(?:{'|'.join(WEEKDAYS)}|today|tonight|tomorrow|yesterday)\b",
    re.IGNORECASE,
)
_A_TIME = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\b\.?|p\.?m\b\.?)|\b\d{1,2}:\d{2}\b|\b(?:noon|midnight)\b", re.I)


def asks_a_day(asked: str) -> bool:
    """Whether an asking sentence asks for a deadline, a day of the calendar, a year or a time of day."""
    return any(pattern.search(asked) for pattern in (ASKS_DEADLINE, _ASKS_A_TIME, _ASKS_A_DAY, ASKS_A_YEAR))


def asked_day_said(asked: str, new: str, sentence: str) -> bool | None:
    """Whether a sentence says the date an asking sentence asks for, read in `new` (the sentence with the question's
    words blanked) and, for a day of a month the question names, in the sentence itself: a date to act by for a
    deadline ("Since 2018, …" is none for "By what year did the policy aim …?"), a day of the calendar for "On what
    date …?", a year for "In what year …?", a time of day for "At what time …?". None when it asks for none of these."""
    if ASKS_DEADLINE.search(asked):
        return BY_A_DATE.search(new) is not None
    if _ASKS_A_TIME.search(asked):
        return _A_TIME.search(new) is not None
    if ASKS_A_YEAR.search(asked):
        return _A_YEAR.search(new) is not None
    if not _ASKS_A_DAY.search(asked):
        return None
    return _A_DAY.search(new) is not None or names_another_day(sentence, asked)


def names_another_day(sentence: str, question: str) -> bool:
    """Whether the sentence names a day of a month ("April 5, 2025") that the question does not name."""
    return any(numbers(m.group()) - numbers(question) for m in MONTH_DAY.finditer(sentence))


@dataclass(frozen=True)
class StatedDate:
    """A date written in a text, with how precise it is and where it stands."""

    day: date  # the first day of the period stated
    precision: Precision
    start: int
    end: int

    @property
    def last_day(self) -> date:
        return period_end(self.day, self.precision)


_STATED = re.compile(
    rf"{BOUNDARY_L}(?:(?P<iso>{YEAR}-\d{{2}}-\d{{2}})"
    rf"|(?P<mdy>{MONTH_ANY},?\s+{DAY},?\s+{YEAR})"
    rf"|(?P<dmy>{DAY}\s+(?:of\s+)?{MONTH_ANY},?\s+{YEAR})"
    rf"|(?P<my>{MONTH_FULL},?\s+{YEAR})"
    rf"|(?P<md>{MONTH_FULL}\s+{DAY})(?![\d,]*\s*\d)"
    rf"|(?:in|since|during|from|until|throughout|early|late|mid|end\s+of|start\s+of|beginning\s+of)[\s-]+"
    rf"(?:the\s+)?(?P<year>{YEAR})(?![\d-])"
    r"|(?P<today>today|yesterday)"
    rf"|on\s+(?P<wday>{'|'.join(WEEKDAYS)})"
    r"|(?P<lastyear>last\s+year)"
    rf"){BOUNDARY_R}",
    re.IGNORECASE,
)


def stated_dates(text: str, published: date | None = None) -> list[StatedDate]:
    """Dates a text states, in order: 'April 9, 2025', 'May 2015', 'in 2014', and, relative to
    the publication date, 'today', 'yesterday', 'on Friday', 'last year'."""
    out: list[StatedDate] = []
    for match in _STATED.finditer(text):
        kind = match.lastgroup
        value = match.group(kind) if kind else ""
        if kind == "md" and LOWER_MAY.search(value):
            continue
        stated = _stated(kind, value, published)
        if stated is not None:
            out.append(StatedDate(stated[0], stated[1], match.start(), match.end()))
    return out


# A quarter a passage states: "in the first quarter of 2022", "Q3 2024", "fourth-quarter 2023"; without
# its year only after "in/during/for the" ("it shed 200,000 subscribers in the first quarter"), read as the
# latest such quarter begun by the day the passage was published.
_STATED_QUARTER = re.compile(
    rf"{BOUNDARY_L}(?:(?P<q>q[1-4]|{_ORDINAL}[\s-]+quarter)[\s,]+(?:of\s+)?"
    rf"(?P<year>{YEAR})|(?:in|during|for)\s+the\s+(?P<bare>(?:first|second|third|fourth)\s+quarter)){BOUNDARY_R}",
    re.IGNORECASE,
)


# News writes a day without "on" ("said Thursday", "Sunday's runoff") and a month without its year ("rose
# 7% in March"); both are read against the day the passage was published, and only capitalised.
_BARE_WEEKDAY = re.compile(rf"{BOUNDARY_L}(?:{'|'.join(w.capitalize() for w in WEEKDAYS)}){BOUNDARY_R}")
_STATED_MONTH = re.compile(
    r"\b(?:in|during|for|through|since|until|by|of)\s+(?:early\s+|mid-|late\s+)?"
    rf"({'|'.join(MONTH_NAMES)})(?![\w-]|,?\s+\d)"
)


def stated_periods(text: str, published: date | None = None) -> list[tuple[date, date]]:
    """The periods a text states, first and last day: its `stated_dates`, the quarters it names and, read
    against the day it was published, a weekday without "on" and a month without its year."""
    periods = [(stated.day, stated.last_day) for stated in stated_dates(text, published)]
    for match in _STATED_QUARTER.finditer(text):
        if match.group("year"):
            words = f"{match.group('q')} {match.group('year')}".lower().replace("-", " ")
            periods.append(quarter_of(words, date.max))
        elif published is not None:
            periods.append(quarter_of(" ".join(match.group("bare").lower().split()), published))
    if published is None:
        return periods
    for match in _BARE_WEEKDAY.finditer(text):
        day = last_weekday(published, WEEKDAYS.index(match.group(0).lower()), strictly_before=True)
        periods.append((day, day))
    for match in _STATED_MONTH.finditer(text):
        month = MONTH_NUMBERS[match.group(1).lower()]
        year = published.year if month <= published.month else published.year - 1
        first = date(year, month, 1)
        periods.append((first, period_end(first, "month")))
    return periods


def _stated(kind: str | None, value: str, published: date | None) -> tuple[date, Precision] | None:
    words = value.lower()
    if kind in ("iso", "mdy", "dmy"):
        day = full_date(value)
        return (day, "day") if day else None
    if kind == "my":
        month, year = month_year(value)
        return (date(year, month, 1), "month") if month else None
    if kind == "year":
        return date(int(value), 1, 1), "year"
    if published is None:
        return None
    if kind == "md":
        day = month_day(value, published)
        return (day, "day") if day else None
    if kind == "today":
        return (published if words == "today" else published - timedelta(days=1)), "day"
    if kind == "wday":
        return last_weekday(published, WEEKDAYS.index(words), strictly_before=True), "day"
    if kind == "lastyear":
        return date(published.year - 1, 1, 1), "year"
    return None


def full_date(text: str) -> date | None:
    iso = re.fullmatch(rf"({YEAR})-(\d{{1,2}})-(\d{{1,2}})", text.strip())
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        month = _month_in(text)
        day = re.search(r"(?<![\d])(\d{1,2})(?:st|nd|rd|th)?(?![\d])", text)
        year = re.search(YEAR, text)
        if month and day and year:
            return date(int(year.group(0)), month, int(day.group(1)))
    except ValueError:
        return None
    return None


def month_year(text: str) -> tuple[int, int]:
    year = re.search(YEAR, text)
    return _month_in(text), int(year.group(0)) if year else 0


def month_day(text: str, reference: date) -> date | None:
    """The most recent `Month day` on or before the reference day."""
    month = _month_in(text)
    day = re.search(r"(?<![\d])(\d{1,2})(?:st|nd|rd|th)?(?![\d])", text)
    if not month or not day:
        return None
    for year in (reference.year, reference.year - 1):
        try:
            candidate = date(year, month, int(day.group(1)))
        except ValueError:
            return None
        if candidate <= reference:
            return candidate
    return None


def _month_in(text: str) -> int:
    for word in re.findall(r"[A-Za-z]+", text):
        if word.lower() in MONTH_NUMBERS:
            return MONTH_NUMBERS[word.lower()]
    return 0


def count_of(words: str | None) -> int:
    if not words:
        return 1
    words = " ".join(words.lower().split())
    return int(words) if words.isdigit() else _NUMBER_WORDS.get(words, 1)


def unit_of(words: str) -> str:
    return words.lower().rstrip("s")


def step_back(day: date, unit: str, count: int) -> date:
    if unit == "hour":  # "the past 48 hours": news is dated by the day, so whole days back
        return day - timedelta(days=max(1, -(-count // 24)))
    if unit == "day":
        return day - timedelta(days=count)
    if unit == "week":
        return day - timedelta(weeks=count)
    if unit == "fortnight":
        return day - timedelta(weeks=2 * count)
    months = count * {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit]
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return _clamp_day(year, month + 1, day.day)


def _clamp_day(year: int, month: int, day: int) -> date:
    last = period_end(date(year, month, 1), "month").day
    return date(year, month, min(day, last))


def unit_around(unit: str, day: date) -> tuple[date, date]:
    """The calendar week (Monday first), month, quarter, year or decade containing day."""
    if unit == "decade":
        return date(day.year // 10 * 10, 1, 1), date(day.year // 10 * 10 + 9, 12, 31)
    if unit in ("week", "fortnight"):  # "a fortnight ago": the calendar week it falls in
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if unit == "month":
        return date(day.year, day.month, 1), period_end(date(day.year, day.month, 1), "month")
    if unit == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return date(day.year, first, 1), period_end(date(day.year, first + 2, 1), "month")
    return date(day.year, 1, 1), date(day.year, 12, 31)


def previous_unit(unit: str, day: date) -> tuple[date, date]:
    start, _ = unit_around(unit, day)
    return unit_around(unit, start - timedelta(days=1))


def quarter_of(words: str, asked_on: date) -> tuple[date, date]:
    number = re.search(r"q([1-4])", words)
    quarter = int(number.group(1)) if number else _ORDINAL_QUARTERS[words.split()[0]]
    year_match = re.search(YEAR, words)
    if year_match:
        year = int(year_match.group(0))
    else:
        year = asked_on.year if 3 * (quarter - 1) + 1 <= asked_on.month else asked_on.year - 1
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return start, period_end(date(year, 3 * quarter, 1), "month")


def half_of(words: str, asked_on: date) -> tuple[date, date]:
    """January to June, or July to December: of the year named, else of the latest year it has begun in."""
    first = 7 if re.search(r"\b(?:second|2nd|h2)\b", words) else 1
    named = re.search(YEAR, words)
    year = int(named.group(0)) if named else (asked_on.year if first <= asked_on.month else asked_on.year - 1)
    return date(year, first, 1), period_end(date(year, first + 5, 1), "month")


_SEASON_STARTS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def season_of(words: str, asked_on: date) -> tuple[date, date]:
    """Spring (March to May), summer, autumn, or winter (December to February, named for its January's year):
    of the year named; "last …" is the latest one over before the day asked, "this …" the one of its year."""
    name = next(word for word in words.split() if word in _SEASON_STARTS)

    def named_for(year: int) -> tuple[date, date]:
        if name == "winter":
            return date(year - 1, 12, 1), period_end(date(year, 2, 1), "month")
        start = _SEASON_STARTS[name]
        return date(year, start, 1), period_end(date(year, start + 2, 1), "month")

    stated = re.search(YEAR, words)
    if stated:
        return named_for(int(stated.group(0)))
    year = asked_on.year + (name == "winter" and asked_on.month == 12)
    if words.split()[0] in ("last", "past"):
        while named_for(year)[1] >= asked_on:
            year -= 1
    return named_for(year)


def decade_of(words: str) -> tuple[date, date]:
    """ "the 2010s": 2010 to 2019."""
    first = int(re.search(r"\d{4}", words).group(0))  # type: ignore[union-attr]
    return date(first, 1, 1), date(first + 9, 12, 31)


_PARTS = {"early": 0, "mid": 1, "late": 2}


def part_of(part: str, unit: str, day: date) -> tuple[date, date]:
    """The early, mid or late third of the year (four months each) or the month (days 1-10, 11-20, 21 on) of day."""
    index = _PARTS[part]
    if unit == "year":
        return date(day.year, 4 * index + 1, 1), period_end(date(day.year, 4 * index + 4, 1), "month")
    end = period_end(date(day.year, day.month, 1), "month")
    return date(day.year, day.month, 10 * index + 1), end if index == 2 else date(day.year, day.month, 10 * index + 10)


def week_of(which: str, period: tuple[date, date]) -> tuple[date, date]:
    """The first or last seven days of a period ("the last week of May 2025": May 25-31)."""
    first, last = period
    return (first, first + timedelta(days=6)) if which == "first" else (last - timedelta(days=6), last)


# "in response to …", "in retaliation for …": what answered something came on its day or later.
_ANSWERING = ("in response", "in reply", "in reaction", "in retaliation")


def relate(
    relation: str, period: tuple[date, date], asked_on: date, followed_by: str = ""
) -> tuple[date | None, date | None]:
    """The window a period stands for after a preposition: "since May" runs to the day asked, "before May" ends
    the day before it, "by May" ends with it, "in May" is May. `followed_by`: the text after the period."""
    start, end = period
    relation = " ".join(relation.split())
    if relation in ("since", "from") or relation.startswith(_ANSWERING):
        return start, asked_on
    if relation in ("after", "following"):
        if end - start <= timedelta(days=1) or followed_by[:2] in ("'s", "’s"):
            # After a day's event ("after Sunday's runoff"): its outcome is reported that day and the next. After
            # an event of a longer period ("after last week's order"): from any day of it.
            return start, asked_on
        return end + timedelta(days=1), asked_on
    if relation in ("before", "prior to", "ahead of"):
        return None, start - timedelta(days=1)
    if relation in ("until", "till", "through", "up to", "up until", "as of", "by"):
        return None, end
    return start, end


def period_end(first: date, precision: Precision) -> date:
    if precision == "day":
        return first
    if precision == "year":
        return date(first.year, 12, 31)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def last_weekday(day: date, weekday: int, strictly_before: bool) -> date:
    back = (day.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return day - timedelta(days=back)


def latest(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return max(present) if present else None


def earliest(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return min(present) if present else None


# The asker's own days, counted from the day a question is asked ("this week", "yesterday").
_ASKERS_OWN = re.compile(
    r"(?:(?:in|during|over)\s+)?(?:the\s+)?(?:(?:this|last|past)\s+(?:week|month)|yesterday|today)", re.IGNORECASE
)


def askers_part(
    question: str, parts: list[tuple[date | None, date | None, str]]
) -> tuple[date | None, date | None, str] | None:
    """Of the periods a question's time words name (since, until, words as written), the one named by the
    asker's own days, when exactly one is and it is not counted back from ("ten years ago this month")."""
    own = [
        part
        for part in parts
        if _ASKERS_OWN.fullmatch(part[2].strip()) and not re.search(r"\bago\s*$", question[: question.find(part[2])])
    ]
    return own[0] if len(own) == 1 else None


def in_the_scene(match: re.Match[str]) -> bool:
    """Whether time words with a year sit inside a sentence that sets a question's scene, past its opening:
    "A rocket launched in 2015 is on course to hit the moon. On what date …?" dates the rocket, not the news
    asked about, as "… not on the menu when it opened its first cafe in 1953" does. A scene that opens with
    its time ("In May 2025, the two sides met in Geneva. …") is dated by it. A scene is told, not asked: the
    question ends in "?" and the sentence does not ("What did China do in 2024? What followed?" asks of 2024)."""
    text, at = match.string, match.start()
    start, end = asking_span(text)
    if at >= start or not is_asked(text[start:end]) or not YEAR_RE.search(match.group(0)):
        return False
    opening, closing = max(((a, b) for a, b in sentence_spans(text) if a <= at), default=(0, len(text)))
    return text[opening:at].strip() != "" and not is_asked(text[opening:closing])


def as_written(day: date) -> str:
    """A day as a US source writes it: "April 2, 2025"."""
    return f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}"


def dated_by_publication(text: str, published: date | None) -> date | None:
    """The one day a text names only against the day it was published ("Today, BIS released …", "… said
    yesterday"): None when it also states a date of its own ("April 5, 2025", "in 2024"), names two such days,
    or has no publication date to be read against. A weekday is left out: "on Tuesday" may be the next one."""
    if published is None:
        return None
    text = re.sub(r"-{2,}", " ", text)  # a dateline's dashes: "Washington, D.C.--Today, …"
    said = stated_dates(text, published)
    relative = {d.day for d in said if text[d.start : d.end].lower() in ("today", "yesterday")}
    # "Today, … takes effect April 5": a date of its own, with or without its year, is what the sentence dates.
    return relative.pop() if len(relative) == 1 and len(said) == 1 else None


def states_its_day(claim: str, evidence: str, published: date | None) -> bool:
    """Whether every number the claim states beyond the evidence is of the day the evidence names only against
    its publication: "April 2, 2025 — Today, President … declared …" from "Today, President … declared …" in a
    fact sheet of April 2, 2025. The citation's date shows that day; the passage states it in its own words."""
    day = dated_by_publication(evidence, published)
    if day is None:
        return False
    extra = numbers(claim) - numbers(evidence)
    said = "".join(claim[d.start : d.end] for d in stated_dates(claim) if d.day == day and d.precision == "day")
    return bool(said) and extra <= numbers(said)
