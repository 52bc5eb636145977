"""Time in questions and in text, relative to the day a question is asked.

A question's time words become a publication-date window ("this week", "in March 2025",
"since 2023", "before the Geneva talks") or a strong preference for newer documents
("latest", "currently"); a question without time words gets a milder preference for what
was published in the weeks before it was asked. The words are removed from the text used for retrieval, because
"this week" is not something a passage says. The dates a sentence states are read by
rag/periods.py. Everything here is pure; `rag/events.py` searches the library
for the day an event happened and narrows the window to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from core.request import Filters
from core.words import MONTH_NUMBERS, WEEKDAYS
from rag.periods import (
    BOUNDARY_L,
    BOUNDARY_R,
    DAY,
    LOWER_MAY,
    MONTH_ANY,
    MONTH_FULL,
    ORDINAL_QUARTER,
    YEAR,
    YEAR_RE,
    askers_part,
    count_of,
    decade_of,
    earliest,
    full_date,
    half_of,
    in_the_scene,
    last_weekday,
    latest,
    month_day,
    month_year,
    part_of,
    period_end,
    previous_unit,
    quarter_of,
    relate,
    season_of,
    step_back,
    unit_around,
    unit_of,
    week_of,
)
from rag.text import tidy_query

_COUNT = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|couple\s+of|few)"
_UNIT = r"(?:hour|day|week|fortnight|month|quarter|year|decade)s?"

# Absolute periods. `year`, `month` and `decade` alone are periods only after a preposition (see _RELATIONAL):
# "Made in China 2025" and "the CHIPS Act of 2022" name things, they do not ask about a year.
_WEEKDAY = rf"(?:(?:{'|'.join(WEEKDAYS)}),?\s+)?"  # "Monday, May 12" is May 12
_ABSOLUTE = (
    rf"(?P<iso>{YEAR}-\d{{1,2}}-\d{{1,2}})"
    rf"|(?P<mdy>{_WEEKDAY}{MONTH_ANY}\s+{DAY},?\s+{YEAR})"
    rf"|(?P<dmy>{_WEEKDAY}{DAY}\s+(?:of\s+)?{MONTH_ANY},?\s+{YEAR})"
    rf"|(?P<my>{MONTH_ANY},?\s+{YEAR})"
    rf"|(?P<md>{_WEEKDAY}{MONTH_ANY}\s+{DAY})(?![\d,]*\s*\d)"
    rf"|(?P<dm>{_WEEKDAY}{DAY}\s+(?:of\s+)?{MONTH_ANY})"
    rf"|(?P<quarter>(?:q[1-4]|{ORDINAL_QUARTER})(?:\s+(?:of\s+)?{YEAR})?)"
    rf"|(?P<part>(?:(?:early|mid|late)[\s-]+"
    rf"|(?:the\s+)?(?:start|beginning|end|(?:first|last)\s+week)\s+of\s+(?:the\s+(?=year|month))?)"
    rf"(?:{MONTH_ANY},?\s+{YEAR}|{YEAR}|{MONTH_FULL}|(?:last|this)\s+(?:year|month)|year|month))"
    # "the first half" alone is a match's or a book's; a half-year says its year
    rf"|(?P<half>(?:first|second|1st|2nd)\s+half\s+(?:of\s+)?(?:the\s+year|this\s+year|{YEAR})|h[12]\s+{YEAR})"
    rf"|(?P<season>(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{YEAR})"
    rf"|(?P<weekof>(?:the\s+)?week\s+of\s+(?:{MONTH_ANY}\s+{DAY}|{DAY}\s+(?:of\s+)?{MONTH_ANY})(?:,?\s+{YEAR})?)"
)
_BARE = rf"(?P<year>{YEAR})(?![\d-])|(?P<month>{MONTH_FULL})|(?P<decade>(?:19|20)\d0['’]?s)"
_RELATIVE = (
    r"(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))"
    r"|(?P<yesterday>yesterday)"
    # "the last week of the talks" is part of something else, not the week before the day asked
    rf"|(?P<rolling>(?:the\s+)?(?:past|last|previous)\s+(?:(?P<rcount>{_COUNT})\s+)?(?P<runit>{_UNIT}))(?!\s+of\b)"
    rf"|(?P<ago>(?P<acount>{_COUNT})\s+(?P<aunit>{_UNIT})\s+ago)"
    r"|(?P<this>(?:earlier\s+|so\s+far\s+)?this\s+(?P<tunit>week|month|quarter|year))"
    r"|(?P<ytd>year[\s-]to[\s-]date|ytd)|(?P<seasonrel>(?:last|this|past)\s+(?:spring|summer|autumn|fall|winter))"
    rf"|(?P<weekday>(?:(?P<wlast>last|this\s+past|past)\s+)?(?P<wday>{'|'.join(WEEKDAYS)}))"
    r"|(?P<weekend>(?:(?P<wklast>last|this|the)\s+)?weekend)"
)


def _unnamed(pattern: str) -> str:
    """The pattern with its named groups made anonymous, so it can appear twice in one regex."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_RELATIONS = (
    r"in|on|at|during|throughout|over|within|for|since|from|after|following|before|prior\s+to|ahead\s+of"
    r"|until|till|through|up\s+(?:to|until)|as\s+of|by"
    r"|in\s+(?:response|reply|reaction)\s+to|in\s+retaliation\s+(?:for|against|to)"
)
_ANY = _unnamed(f"{_ABSOLUTE}|{_BARE}")
_RANGE = re.compile(
    rf"{BOUNDARY_L}(?:between|from)\s+(?P<a>{_ANY})\s+(?:and|to|until|till|through|-|–)\s+(?P<b>{_ANY}){BOUNDARY_R}",
    re.IGNORECASE,
)
_PAIR = re.compile(
    rf"{BOUNDARY_L}(?:in|during|over|throughout)\s+(?:the\s+)?(?P<a>{_ANY})\s+and\s+(?P<b>{_ANY}){BOUNDARY_R}",
    re.IGNORECASE,
)
_RELATIONAL = re.compile(
    rf"{BOUNDARY_L}(?:(?P<rel>{_RELATIONS})\s+(?:the\s+)?)?(?P<period>{_unnamed(f'{_ABSOLUTE}|{_RELATIVE}')})"
    rf"{BOUNDARY_R}|{BOUNDARY_L}(?P<rel2>{_RELATIONS})\s+(?:the\s+(?:year\s+)?)?(?P<bare>{_unnamed(_BARE)})"
    rf"{BOUNDARY_R}",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"(?<![\w-])(?P<rel>before|after|since|until|following|prior\s+to|ahead\s+of|in\s+the\s+run[\s-]up\s+to"
    r"|in\s+the\s+wake\s+of)\s+(?P<event>[^,.;:?!]+)",
    re.IGNORECASE,
)
_EVENT_STOP = re.compile(
    r"\s+(?:and|or|but|when|while|where|which|who|that|did|does|do|was|were|is|are|has|have|had|took|happened"
    r"|came|began|ended|to|according)\b.*$",
    re.IGNORECASE,
)
# Words that say "an event" without saying which: "the Geneva talks" is identified by "Geneva".
_EVENT_NOUN_LIST = (
    "talks meeting meetings summit deal agreement truce election announcement statement visit ban order act law"
    " rule rules launch release decision ruling vote war crisis speech conference negotiations ceasefire"
    " sanctions controls restrictions pause shutdown invasion attack hearing report"
)
EVENT_NOUNS = frozenset(_EVENT_NOUN_LIST.split())
_RECENT = re.compile(
    r"(?<![\w-])(?:the\s+)?(?:latest|most\s+recent(?:ly)?|newest"
    r"|(?:in\s+)?recent(?:ly|\s+(?:days|weeks|months|years))?|lately|nowadays|these\s+days"
    r"|currently|current|right\s+now|now|so\s+far|up[\s-]to[\s-]date|at\s+present|presently)(?![\w-])",
    re.IGNORECASE,
)
_THE_ROLLING = re.compile(r"\bthe\s+(?:past|last|previous)\b", re.IGNORECASE)
# "How much more could a party cost than it did last year?" compares with last year; it asks of this one.
_COMPARED_WITH = re.compile(r"\b(?:than|compared\s+(?:with|to))\s+(?:(?:it|they|we)\s+(?:did|was|were)\s+)?$", re.I)
_QUESTION_WORD_LIST = "what who whom when where why how which did does do is are was were can could"
_QUESTION_WORDS = frozenset(_QUESTION_WORD_LIST.split())

# Without time words a question is still asked on a day, and news is asked about while it is news: a
# document from the last weeks keeps up to 1.75x its fused score (news-dev recall@1 71.0 -> 75.8 at 0.5,
# 80.6 at 0.75, other sets unchanged; 1.0 cost briefing-news: docs/EVAL.md). Recency words ("latest")
# prefer recent news as much, and for longer.
MILD_WEIGHT = 0.75
MILD_HALF_LIFE = 30.0
STRONG_WEIGHT = 0.75
STRONG_HALF_LIFE = 45.0
NEAR_WEIGHT = 0.2
NEAR_HALF_LIFE = 60.0
# A passage from outside a question's window keeps this share of its score at the window's edge,
# halving every OUTSIDE_HALF_LIFE days further out; undated ones keep the far value.
OUTSIDE_WEIGHT = 0.5
OUTSIDE_HALF_LIFE = 30.0


@dataclass(frozen=True)
class Recency:
    """A soft preference for documents published close to `anchor`.

    The retriever multiplies a passage's fused score by (1 + weight · 2^(−age / half_life)),
    age in days from anchor. Undated documents get factor 1: neither preferred nor hidden.
    """

    anchor: date
    weight: float
    half_life_days: float

    def factor(self, published: date | None) -> float:
        if published is None or self.weight <= 0:
            return 1.0
        age = abs((self.anchor - published).days)
        return 1.0 + self.weight * 0.5 ** (age / self.half_life_days)


@dataclass(frozen=True)
class TimeScope:
    """What a question's time words mean on the day it is asked."""

    asked_on: date
    query: str  # the question without its time words: what retrieval matches against
    since: date | None = None
    until: date | None = None
    recency: Recency | None = None
    expressions: tuple[str, ...] = ()  # the time words found, as written
    event: str | None = None  # "the Geneva talks" in "before the Geneva talks"
    relation: str | None = None  # before / after / since / until, for the event
    event_day: date | None = None  # when the library dates the event (None: not found)
    moved_from: date | None = None  # a window said without its year, moved back from this start (rag.events)
    moved_unanswered: bool = False  # moved because no source of its own year answered (rag.events)

    @property
    def windowed(self) -> bool:
        return self.since is not None or self.until is not None

    def meets(self, first: date, last: date) -> bool:
        """Whether the days first..last meet the window, taken as written (not cut at asked_on)."""
        return (self.since is None or last >= self.since) and (self.until is None or first <= self.until)

    def stated_in(self, first: date, last: date) -> bool:
        """Whether a period a passage states (first..last) speaks of the window: it meets the window and is
        no broader than it. "In 2024, SMIC …" is not this week's news, though the week is in 2024."""
        if not self.meets(first, last):
            return False
        return self.since is None or self.until is None or last - first <= self.until - self.since

    def filters(self, base: Filters | None = None) -> Filters:
        """base narrowed to the window and to what was published by the asked-on day.

        Without a window, undated documents stay in (nothing says they are later than the
        question); inside an explicit window only documents known to fall in it count.
        """
        base = base or Filters()
        since = latest(base.since, self.since)
        until = earliest(base.until, self.until, self.asked_on)
        if self.windowed:
            keep_undated = False
        elif base.since or base.until:
            keep_undated = base.keep_undated
        else:
            keep_undated = True
        return replace(base, since=since, until=until, keep_undated=keep_undated)

    def outside_factor(self, published: date | None) -> float:
        """How much of its score a passage published outside the window keeps (see OUTSIDE_WEIGHT)."""
        until = earliest(self.until, self.asked_on)
        if published is None:
            return OUTSIDE_WEIGHT * 0.5 ** (365 / OUTSIDE_HALF_LIFE)
        if self.since is not None and published < self.since:
            days = (self.since - published).days
        elif until is not None and published > until:
            days = (published - until).days
        else:
            days = 0
        return OUTSIDE_WEIGHT * 0.5 ** (days / OUTSIDE_HALF_LIFE)

    def describe(self) -> str:
        """The window in words, e.g. 'published 2025-05-05 to 2025-05-11'; '' when there is none."""
        until = earliest(self.until, self.asked_on) if self.until else None
        if self.since and until:
            if self.since == until:
                return f"published on {self.since.isoformat()}"
            return f"published {self.since.isoformat()} to {until.isoformat()}"
        if self.since:
            return f"published since {self.since.isoformat()}"
        if until:
            return f"published up to {until.isoformat()}"
        return ""

    def note(self) -> str:
        """What the time words did, in a line a reader can check; '' when there is nothing to say."""
        if self.windowed:
            # Passages of other days that state a date in the window are read too, and may be quoted.
            said = ", ".join(self.expressions)
            return f"reading documents {self.describe()}, and passages that state a date in it: {said}"
        if self.event and self.event_day is None:
            return f"no document dates “{self.event}”; its words are searched as topic words"
        return ""


@dataclass
class _Window:
    since: date | None = None
    until: date | None = None
    found: list[str] = field(default_factory=list)
    parts: list[tuple[date | None, date | None, str]] = field(default_factory=list)  # each period, as written

    def narrow(self, since: date | None, until: date | None) -> None:
        self.since = latest(self.since, since)
        self.until = earliest(self.until, until)

    def spanned(self) -> None:
        """Days that only overlap ("announced on Monday …, adding that she had last seen him on Wednesday") are days
        of one story, each of which its article may be dated by: the window spans them, not the day they share."""
        if len(self.parts) < 2 or any((s, u) == (self.since, self.until) for s, u, _ in self.parts):
            return
        sinces, untils = [s for s, _, _ in self.parts], [u for _, u, _ in self.parts]
        self.since = None if None in sinces else earliest(*sinces)
        self.until = None if None in untils else latest(*untils)


def parse_question(question: str, asked_on: date) -> TimeScope:
    """The window, recency preference and time-free query of a question asked on `asked_on`.

    An event ("before the Geneva talks") is only recognised here; `rag.events.resolve_event` dates it.
    """
    text = question
    window = _Window()

    def consume(match: re.Match[str]) -> str:
        window.found.append(match.group(0).strip())
        return " "

    def ranged(match: re.Match[str]) -> str:
        second = _period(match.group("b"), asked_on, bare_ok=True)
        # "between January and April 2025": the year said once is the first month's too, whenever it is asked.
        reference = asked_on
        if second is not None and _YEARLESS_MONTH.search(match.group("a")) and YEAR_RE.search(match.group("b")):
            reference = second[1]
        first = _period(match.group("a"), reference, bare_ok=True)
        if first is not None and first[0] > asked_on:
            return match.group(0)
        if first is None or second is None or first[0] > second[1] or in_the_scene(match):
            return match.group(0)  # not a period the question asks about: its words stay topic words
        window.narrow(first[0], second[1])
        return consume(match)

    text = _RANGE.sub(ranged, text)
    text = _PAIR.sub(ranged, text)  # "during 2023 and 2024", "in May and June 2025": both, and what lies between

    def relational(match: re.Match[str]) -> str:
        relation = " ".join((match.group("rel") or match.group("rel2") or "").lower().split())
        words = match.group("period") or match.group("bare")
        if LOWER_MAY.search(words) or in_the_scene(match) or _COMPARED_WITH.search(match.string[: match.start()]):
            return match.group(0)  # the verb, not the month; the scene's background; what now is compared with
        if not relation and _YEARLESS_QUARTER.fullmatch(words.strip()):
            # "the first quarter featuring Anna May Wong" is a coin; "in the first quarter", a time
            return match.group(0)
        rolling = bool(_THE_ROLLING.search(match.group(0)))
        period = _period(words, asked_on, bare_ok=match.group("bare") is not None, rolling=rolling)
        if period is None:
            return match.group(0)
        since, until = relate(relation, period, asked_on, match.string[match.end() : match.end() + 2])
        named_day = period[1] - period[0] <= timedelta(days=1) and not _ASKERS_DAY.match(words)
        if relation in ("", "on", "at") and since is not None and named_day:
            # A named day is the outlet's own: Hong Kong's Sunday-morning vote is Saturday evening in New York,
            # and an article dated Saturday reports it. ("Yesterday" is the asker's.)
            since -= timedelta(days=1)
        if (since is not None and since > asked_on) or (since is None and until is not None and until >= asked_on):
            # "by 2030", "in 2030": a goal or a forecast the question is about, not when it was published.
            return match.group(0)
        window.narrow(since, until)
        window.parts.append((since, until, match.group(0)))
        return consume(match)

    text = _RELATIONAL.sub(relational, text)
    contradictory = window.since is not None and window.until is not None and window.since > window.until
    if not contradictory:  # spanning only widens a window that holds a day
        window.spanned()
    if contradictory:
        # Time words that contradict each other ("in 2024 after March 2025", "from May to March 3") leave no
        # day to read: the question is taken as if it had none, its words kept as topic words, and an
        # event it names is not dated either ("in January 2020 after the trade war escalated through 2019").
        # But the asker's own "this week" is what a news question asks about; the rest is background ("… apologized
        # this week to the activist who declined the Oscar in 1973"), kept as topic words.
        own = askers_part(question, window.parts)
        text, window = (
            (question.replace(own[2], " ", 1), _Window(*own[:2], [own[2].strip()])) if own else (question, _Window())
        )

    event: str | None = None
    relation: str | None = None
    match = None if contradictory else _EVENT.search(text)
    if match:
        phrase = _EVENT_STOP.sub("", match.group("event")).strip()
        phrase = " ".join(phrase.split()[:8])
        if phrase and _looks_like_event(phrase):
            event, relation = phrase, " ".join(match.group("rel").lower().split())

    recency: Recency | None = None
    recent = list(_RECENT.finditer(text))
    if recent:
        window.found.extend(m.group(0).strip() for m in recent)
        text = _RECENT.sub(" ", text)
        recency = Recency(asked_on, STRONG_WEIGHT, STRONG_HALF_LIFE)
    elif window.since is None and window.until is None and event is None:
        recency = Recency(asked_on, MILD_WEIGHT, MILD_HALF_LIFE)
    elif window.since is None and window.until is not None:
        # "before 2024", "until March": what was said closest to the end of the window matters most.
        recency = Recency(earliest(window.until, asked_on) or asked_on, NEAR_WEIGHT, NEAR_HALF_LIFE)

    return TimeScope(
        asked_on=asked_on,
        query=tidy_query(text) if window.found else question.strip(),
        since=window.since,
        until=window.until,
        recency=recency,
        expressions=tuple(window.found),
        event=event,
        relation=relation,
    )


def plan(question: str, asked_on: date, event_lookup: Callable[[str, date], date | None] | None = None) -> TimeScope:
    """parse_question, then date any event with `event_lookup(phrase, asked_on)`."""
    from rag.events import resolve_event

    scope = parse_question(question, asked_on)
    if scope.event and event_lookup is not None:
        scope = resolve_event(scope, event_lookup(scope.event, asked_on))
    return scope


def _period(words: str, asked_on: date, bare_ok: bool, rolling: bool = False) -> tuple[date, date] | None:
    """The (first, last) day of a period expression; `rolling`: 'the last week' means the past 7 days."""
    for pattern in (_ABSOLUTE_RE, _RELATIVE_RE, _BARE_RE):
        match = pattern.fullmatch(words.strip())
        if match:
            break
    else:
        return None
    kind = match.lastgroup
    groups = match.groupdict()
    text = words.strip()
    lower = " ".join(text.lower().split())
    if kind in ("iso", "mdy", "dmy"):
        day = full_date(text)
        return (day, day + timedelta(days=1)) if day else None  # reports of a day appear the next day too
    if kind == "my":
        month, year = month_year(text)
        return (date(year, month, 1), period_end(date(year, month, 1), "month")) if month else None
    if kind == "md" or kind == "dm":
        day = month_day(text, asked_on)
        return (day, day + timedelta(days=1)) if day else None
    if kind == "quarter":
        return quarter_of(lower, asked_on)
    if kind == "part":  # "late April 2025", "mid-March", "early 2025", "late last year", "the end of March"
        week = re.match(r"(?:the )?(first|last) week of (.*)", lower)
        if week:  # "the last week of May 2025"; "the last week of the year" says too little
            span = None if week[2] in ("the year", "the month") else _period(week[2], asked_on, bare_ok=True)
            return week_of(week[1], span) if span else None
        ends = re.match(r"(?:the )?(start|beginning|end) of (?:the )?(.*)", lower)
        if ends:
            part, rest = ("late" if ends[1] == "end" else "early"), ends[2]
        else:
            part, rest = re.split(r"[\s-]+", lower, maxsplit=1)
        rest = f"this {rest}" if rest in ("year", "month") else rest
        whole = _period(rest, asked_on, bare_ok=True)
        unit = "month" if re.search(rf"\b{MONTH_ANY}(?!\w)|month", rest) else "year"
        return part_of(part, unit, whole[0]) if whole else None
    if kind == "half":
        return half_of(lower, asked_on)
    if kind in ("season", "seasonrel"):
        return season_of(lower, asked_on)
    if kind == "decade" and bare_ok:
        return decade_of(lower)
    if kind == "weekof":  # "the week of May 12, 2025": the seven days from that day
        rest = lower.split(" of ", 1)[1]
        day = full_date(rest) if re.search(YEAR, rest) else month_day(rest, asked_on)
        return (day, day + timedelta(days=6)) if day else None
    if kind == "year" and bare_ok:
        year = int(text)
        return date(year, 1, 1), date(year, 12, 31)
    if kind == "month" and bare_ok:
        month = MONTH_NUMBERS[lower]
        year = asked_on.year if month <= asked_on.month else asked_on.year - 1
        return date(year, month, 1), period_end(date(year, month, 1), "month")
    if kind == "today":
        return asked_on, asked_on
    if kind == "yesterday":
        day = asked_on - timedelta(days=1)
        return day, asked_on
    if kind == "rolling":
        count = count_of(groups.get("rcount")) if groups.get("rcount") else 1
        unit = unit_of(groups["runit"])
        calendar = unit not in ("hour", "fortnight")  # "the last fortnight" is the last 14 days, not a calendar unit
        if calendar and not groups.get("rcount") and not rolling and not lower.startswith(("the ", "past")):
            return previous_unit(unit, asked_on)  # "last week": the calendar week before this one
        return step_back(asked_on, unit, count), asked_on
    if kind == "ago":
        day = step_back(asked_on, unit_of(groups["aunit"]), count_of(groups["acount"]))
        unit = unit_of(groups["aunit"])
        return (day, day + timedelta(days=1)) if unit in ("day", "hour") else unit_around(unit, day)
    if kind == "this":
        unit = groups["tunit"].lower()
        if unit == "week":
            return asked_on - timedelta(days=6), asked_on  # asked on a Monday, "this week" still means the last days
        return unit_around(unit, asked_on)[0], asked_on
    if kind == "ytd":
        return date(asked_on.year, 1, 1), asked_on
    if kind == "weekday":
        day = last_weekday(asked_on, WEEKDAYS.index(groups["wday"].lower()), bool(groups.get("wlast")))
        return day, day + timedelta(days=1)
    if kind == "weekend":
        saturday = last_weekday(asked_on, 5, strictly_before=(groups.get("wklast") or "").lower() == "last")
        return saturday, saturday + timedelta(days=2)
    return None


_ABSOLUTE_RE = re.compile(_ABSOLUTE, re.IGNORECASE)
_YEARLESS_MONTH = re.compile(rf"^\s*(?:{MONTH_ANY}|{DAY}\s+(?:of\s+)?{MONTH_ANY})(?:\s+{DAY})?\s*$", re.IGNORECASE)
_RELATIVE_RE = re.compile(_RELATIVE, re.IGNORECASE)
_ASKERS_DAY = re.compile(r"\s*(?:today|tonight|yesterday|this\s|.*\bago\b)", re.IGNORECASE)
_YEARLESS_QUARTER = re.compile(ORDINAL_QUARTER, re.IGNORECASE)
_BARE_RE = re.compile(_BARE, re.IGNORECASE)


def _looks_like_event(phrase: str) -> bool:
    words = phrase.split()
    if not words or words[0].lower() in _QUESTION_WORDS:
        return False
    named = any(w[0].isupper() for w in words if w.lower() != "the")
    return named or any(w.lower().strip("'s") in EVENT_NOUNS for w in words)
