"""Time in questions and in text, relative to the day a question is asked.

A question's time words become a publication-date window ("this week", "in March 2025",
"since 2023", "before the Geneva talks") or a strong preference for newer documents
("latest", "currently"); a question without time words gets a milder preference for what
was published in the weeks before it was asked. The words are removed from the text used for retrieval, because
"this week" is not something a passage says. `stated_dates` reads the dates a sentence
states, for timelines. Everything here is pure except `event_date`, which searches the
library for the day an event happened.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from ingest.store import Filters

if TYPE_CHECKING:
    from ingest.store import Library

Precision = Literal["day", "month", "year"]

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "few": 3,
}  # fmt: skip
_ORDINAL_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

# Abbreviated months only count next to a day or a year ("Mar 2025"), never alone ("mar" is a verb).
_MONTH_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_MONTH_ANY = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_COUNT = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|couple\s+of|few)"
_UNIT = r"(?:day|week|month|quarter|year)s?"

# Absolute periods. `year` and `month` alone are periods only after a preposition (see _RELATIONAL):
# "Made in China 2025" and "the CHIPS Act of 2022" name things, they do not ask about a year.
_ABSOLUTE = (
    rf"(?P<iso>{_YEAR}-\d{{1,2}}-\d{{1,2}})"
    rf"|(?P<mdy>{_MONTH_ANY}\s+{_DAY},?\s+{_YEAR})"
    rf"|(?P<dmy>{_DAY}\s+(?:of\s+)?{_MONTH_ANY},?\s+{_YEAR})"
    rf"|(?P<my>{_MONTH_ANY},?\s+{_YEAR})"
    rf"|(?P<md>{_MONTH_ANY}\s+{_DAY})(?![\d,]*\s*\d)"
    rf"|(?P<dm>{_DAY}\s+(?:of\s+)?{_MONTH_ANY})"
    rf"|(?P<quarter>(?:q[1-4]|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)(?:\s+(?:of\s+)?{_YEAR})?)"
    rf"|(?P<part>(?:early|mid|late)[\s-]+{_YEAR})"
)
_BARE = rf"(?P<year>{_YEAR})(?![\d-])|(?P<month>{_MONTH_FULL})"
_RELATIVE = (
    r"(?P<today>today|tonight)"
    r"|(?P<yesterday>yesterday)"
    rf"|(?P<rolling>(?:the\s+)?(?:past|last|previous)\s+(?:(?P<rcount>{_COUNT})\s+)?(?P<runit>{_UNIT}))"
    rf"|(?P<ago>(?P<acount>{_COUNT})\s+(?P<aunit>{_UNIT})\s+ago)"
    r"|(?P<this>(?:earlier\s+|so\s+far\s+)?this\s+(?P<tunit>week|month|quarter|year))"
    r"|(?P<ytd>year[\s-]to[\s-]date|ytd)"
    rf"|(?P<weekday>(?:(?P<wlast>last|this\s+past|past)\s+)?(?P<wday>{'|'.join(_WEEKDAYS)}))"
    r"|(?P<weekend>(?:(?P<wklast>last|this|the)\s+)?weekend)"
)


def _unnamed(pattern: str) -> str:
    """The pattern with its named groups made anonymous, so it can appear twice in one regex."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_RELATIONS = (
    r"in|on|during|throughout|over|within|for|since|from|after|following|before|prior\s+to|ahead\s+of"
    r"|until|till|through|up\s+(?:to|until)|as\s+of|by"
)
_BOUNDARY_L = r"(?<![\w-])"
_BOUNDARY_R = r"(?![\w-])"
_ANY = _unnamed(f"{_ABSOLUTE}|{_BARE}")
_RANGE = re.compile(
    rf"{_BOUNDARY_L}(?:between|from)\s+(?P<a>{_ANY})\s+(?:and|to|until|till|through|-|–)\s+(?P<b>{_ANY}){_BOUNDARY_R}",
    re.IGNORECASE,
)
_RELATIONAL = re.compile(
    rf"{_BOUNDARY_L}(?:(?P<rel>{_RELATIONS})\s+(?:the\s+)?)?(?P<period>{_unnamed(f'{_ABSOLUTE}|{_RELATIVE}')})"
    rf"{_BOUNDARY_R}|{_BOUNDARY_L}(?P<rel2>{_RELATIONS})\s+(?:the\s+(?:year\s+)?)?(?P<bare>{_unnamed(_BARE)})"
    rf"{_BOUNDARY_R}",
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
_EVENT_NOUNS = frozenset(_EVENT_NOUN_LIST.split())
_RECENT = re.compile(
    r"(?<![\w-])(?:the\s+)?(?:latest|most\s+recent(?:ly)?|newest|recent(?:ly)?|lately|nowadays|these\s+days"
    r"|currently|current|right\s+now|now|so\s+far|up[\s-]to[\s-]date|at\s+present|presently)(?![\w-])",
    re.IGNORECASE,
)
_LOWER_MAY = re.compile(r"\bmay\b")  # case-sensitive: "may" is the verb, "May" the month
_THE_ROLLING = re.compile(r"\bthe\s+(?:past|last|previous)\b", re.IGNORECASE)
_QUESTION_WORD_LIST = "what who whom when where why how which did does do is are was were can could"
_QUESTION_WORDS = frozenset(_QUESTION_WORD_LIST.split())

# Without time words a question is still asked on a day, and news is asked about while it is news:
# a document from the last weeks keeps up to 1.5x its fused score. Measured on news-dev (recall@1
# 71.0 -> 75.8) with ClapNQ (undated) and briefing-news unchanged; weaker or slower-decaying
# priors gained less, a stronger one (1.0) cost briefing-news (docs/EVAL.md).
MILD_WEIGHT = 0.5
MILD_HALF_LIFE = 30.0
STRONG_WEIGHT = 0.5
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

    @property
    def windowed(self) -> bool:
        return self.since is not None or self.until is not None

    def filters(self, base: Filters | None = None) -> Filters:
        """base narrowed to the window and to what was published by the asked-on day.

        Without a window, undated documents stay in (nothing says they are later than the
        question); inside an explicit window only documents known to fall in it count.
        """
        base = base or Filters()
        since = _latest(base.since, self.since)
        until = _earliest(base.until, self.until, self.asked_on)
        if self.windowed:
            keep_undated = False
        elif base.since or base.until:
            keep_undated = base.keep_undated
        else:
            keep_undated = True
        return replace(base, since=since, until=until, keep_undated=keep_undated)

    def outside_factor(self, published: date | None) -> float:
        """How much of its score a passage published outside the window keeps (see OUTSIDE_WEIGHT)."""
        until = _earliest(self.until, self.asked_on)
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
        until = _earliest(self.until, self.asked_on) if self.until else None
        if self.since and until:
            if self.since == until:
                return f"published on {self.since.isoformat()}"
            return f"published {self.since.isoformat()} to {until.isoformat()}"
        if self.since:
            return f"published since {self.since.isoformat()}"
        if until:
            return f"published up to {until.isoformat()}"
        return ""


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


@dataclass
class _Window:
    since: date | None = None
    until: date | None = None
    found: list[str] = field(default_factory=list)

    def narrow(self, since: date | None, until: date | None) -> None:
        self.since = _latest(self.since, since)
        self.until = _earliest(self.until, until)


# --- questions --------------------------------------------------------------------------------------------


def parse_question(question: str, asked_on: date) -> TimeScope:
    """The window, recency preference and time-free query of a question asked on `asked_on`.

    An event ("before the Geneva talks") is only recognised here; `resolve_event` dates it.
    """
    text = question
    window = _Window()

    def consume(match: re.Match[str]) -> str:
        window.found.append(match.group(0).strip())
        return " "

    def ranged(match: re.Match[str]) -> str:
        first = _period(match.group("a"), asked_on, bare_ok=True)
        second = _period(match.group("b"), asked_on, bare_ok=True)
        if first is not None and first[0] > asked_on:
            return match.group(0)
        if first is None or second is None:
            return match.group(0)
        window.narrow(first[0], second[1])
        return consume(match)

    text = _RANGE.sub(ranged, text)

    def relational(match: re.Match[str]) -> str:
        relation = " ".join((match.group("rel") or match.group("rel2") or "").lower().split())
        words = match.group("period") or match.group("bare")
        if _LOWER_MAY.search(words):
            return match.group(0)  # the verb, not the month
        rolling = bool(_THE_ROLLING.search(match.group(0)))
        period = _period(words, asked_on, bare_ok=match.group("bare") is not None, rolling=rolling)
        if period is None:
            return match.group(0)
        since, until = _relate(relation, period, asked_on)
        if (since is not None and since > asked_on) or (since is None and until is not None and until >= asked_on):
            # "by 2030", "in 2030": a goal or a forecast the question is about, not when it was published.
            return match.group(0)
        window.narrow(since, until)
        return consume(match)

    text = _RELATIONAL.sub(relational, text)

    event: str | None = None
    relation: str | None = None
    match = _EVENT.search(text)
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
        recency = Recency(_earliest(window.until, asked_on) or asked_on, NEAR_WEIGHT, NEAR_HALF_LIFE)

    return TimeScope(
        asked_on=asked_on,
        query=_tidy(text) if window.found else question.strip(),
        since=window.since,
        until=window.until,
        recency=recency,
        expressions=tuple(window.found),
        event=event,
        relation=relation,
    )


def resolve_event(scope: TimeScope, event_day: date | None) -> TimeScope:
    """The scope with its event dated: 'before' ends the day before it, 'after'/'since' start on it."""
    if scope.event is None or scope.relation is None:
        return scope
    if event_day is None:
        return scope  # not in the library: the words stay in the query as topic words
    since: date | None = None
    until: date | None = None
    if scope.relation in ("before", "prior to", "ahead of", "in the run-up to", "in the run up to"):
        until = event_day - timedelta(days=1)
    elif scope.relation == "until":
        until = event_day
    else:
        since = event_day
    relation = r"\s+".join(re.escape(w) for w in scope.relation.split())
    event = r"\s+".join(re.escape(w) for w in scope.event.split())
    pattern = re.compile(rf"{relation}\s+{event}", re.IGNORECASE)
    query = _tidy(pattern.sub(" ", scope.query, count=1))
    recency = scope.recency
    if until is not None and since is None and scope.since is None:
        recency = Recency(until, NEAR_WEIGHT, NEAR_HALF_LIFE)
    elif recency == Recency(scope.asked_on, MILD_WEIGHT, MILD_HALF_LIFE):
        recency = None
    return replace(
        scope,
        query=query,
        since=_latest(scope.since, since),
        until=_earliest(scope.until, until),
        recency=recency,
        expressions=(*scope.expressions, f"{scope.relation} {scope.event}"),
        event_day=event_day,
    )


def plan(question: str, asked_on: date, event_lookup: Callable[[str, date], date | None] | None = None) -> TimeScope:
    """parse_question, then date any event with `event_lookup(phrase, asked_on)`."""
    scope = parse_question(question, asked_on)
    if scope.event and event_lookup is not None:
        scope = resolve_event(scope, event_lookup(scope.event, asked_on))
    return scope


def event_terms(phrase: str) -> list[str]:
    """The words that identify an event: its names, else its other content words ('Geneva' in 'the Geneva talks')."""
    from rag.text import content_words

    words = re.findall(r"[A-Za-z0-9][\w'-]*", phrase)
    names = [w for i, w in enumerate(words) if w[0].isupper() or w[0].isdigit() or (i and w.isupper())]
    chosen = names or [w for w in words if w.lower() not in _EVENT_NOUNS]
    return list(dict.fromkeys(content_words(" ".join(chosen)))) or content_words(phrase)


def event_date(library: Library, phrase: str, asked_on: date) -> date | None:
    """When the library first reports an event: the earliest dated document (published by asked_on)
    whose passages mention all of the event's identifying words. A full date stated in the same
    sentence as the mention, earlier than the document, is taken instead ("talks in Geneva on May 10")."""
    from ingest.sentences import sentences
    from rag.text import content_words

    terms = event_terms(phrase)
    if not terms:
        return None
    found = library.search(" ".join(terms), 200)
    chunks = library.chunks([cid for cid, _ in found])
    documents = library.documents_by_id({c.doc_id for c in chunks.values()})
    best: date | None = None
    for chunk in chunks.values():
        document = documents.get(chunk.doc_id)
        if document is None or document.published is None or document.published > asked_on:
            continue
        if not set(terms) <= set(content_words(chunk.text)):
            continue
        candidate = document.published
        for sentence in sentences(chunk.text):
            if not set(terms) <= set(content_words(sentence)):
                continue
            for stated in stated_dates(sentence, document.published):
                if stated.precision == "day" and stated.day < candidate:
                    candidate = stated.day
        best = candidate if best is None else min(best, candidate)
    return best


# --- dates stated in text -------------------------------------------------------------------------------

_STATED = re.compile(
    rf"{_BOUNDARY_L}(?:(?P<iso>{_YEAR}-\d{{2}}-\d{{2}})"
    rf"|(?P<mdy>{_MONTH_ANY}\s+{_DAY},?\s+{_YEAR})"
    rf"|(?P<dmy>{_DAY}\s+(?:of\s+)?{_MONTH_ANY},?\s+{_YEAR})"
    rf"|(?P<my>{_MONTH_FULL},?\s+{_YEAR})"
    rf"|(?P<md>{_MONTH_FULL}\s+{_DAY})(?![\d,]*\s*\d)"
    rf"|(?:in|since|during|from|until|throughout|early|late|mid|end\s+of|start\s+of|beginning\s+of)[\s-]+"
    rf"(?:the\s+)?(?P<year>{_YEAR})(?![\d-])"
    r"|(?P<today>today|yesterday)"
    rf"|on\s+(?P<wday>{'|'.join(_WEEKDAYS)})"
    r"|(?P<lastyear>last\s+year)"
    rf"){_BOUNDARY_R}",
    re.IGNORECASE,
)


def stated_dates(text: str, published: date | None = None) -> list[StatedDate]:
    """Dates a text states, in order: 'April 9, 2025', 'May 2015', 'in 2014', and, relative to
    the publication date, 'today', 'yesterday', 'on Friday', 'last year'."""
    out: list[StatedDate] = []
    for match in _STATED.finditer(text):
        kind = match.lastgroup
        value = match.group(kind) if kind else ""
        if kind == "md" and _LOWER_MAY.search(value):
            continue
        stated = _stated(kind, value, published)
        if stated is not None:
            out.append(StatedDate(stated[0], stated[1], match.start(), match.end()))
    return out


def _stated(kind: str | None, value: str, published: date | None) -> tuple[date, Precision] | None:
    words = value.lower()
    if kind in ("iso", "mdy", "dmy"):
        day = _full_date(value)
        return (day, "day") if day else None
    if kind == "my":
        month, year = _month_year(value)
        return (date(year, month, 1), "month") if month else None
    if kind == "year":
        return date(int(value), 1, 1), "year"
    if published is None:
        return None
    if kind == "md":
        day = _month_day(value, published)
        return (day, "day") if day else None
    if kind == "today":
        return (published if words == "today" else published - timedelta(days=1)), "day"
    if kind == "wday":
        return _last_weekday(published, _WEEKDAYS.index(words), strictly_before=True), "day"
    if kind == "lastyear":
        return date(published.year - 1, 1, 1), "year"
    return None


# --- helpers ---------------------------------------------------------------------------------------------


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
        day = _full_date(text)
        return (day, day + timedelta(days=1)) if day else None  # reports of a day appear the next day too
    if kind == "my":
        month, year = _month_year(text)
        return (date(year, month, 1), period_end(date(year, month, 1), "month")) if month else None
    if kind == "md" or kind == "dm":
        day = _month_day(text, asked_on)
        return (day, day + timedelta(days=1)) if day else None
    if kind == "quarter":
        return _quarter(lower, asked_on)
    if kind == "part":
        year = int(re.search(_YEAR, lower).group(0))  # type: ignore[union-attr]
        part = lower.split()[0].split("-")[0]
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        start = date(year, months[0], 1)
        return start, period_end(date(year, months[1], 1), "month")
    if kind == "year" and bare_ok:
        year = int(text)
        return date(year, 1, 1), date(year, 12, 31)
    if kind == "month" and bare_ok:
        month = _MONTHS[lower]
        year = asked_on.year if month <= asked_on.month else asked_on.year - 1
        return date(year, month, 1), period_end(date(year, month, 1), "month")
    if kind == "today":
        return asked_on, asked_on
    if kind == "yesterday":
        day = asked_on - timedelta(days=1)
        return day, asked_on
    if kind == "rolling":
        count = _count(groups.get("rcount")) if groups.get("rcount") else 1
        unit = _unit(groups["runit"])
        if not groups.get("rcount") and not rolling and not lower.startswith(("the ", "past")):
            return _previous_unit(unit, asked_on)  # "last week": the calendar week before this one
        return _back(asked_on, unit, count), asked_on
    if kind == "ago":
        day = _back(asked_on, _unit(groups["aunit"]), _count(groups["acount"]))
        unit = _unit(groups["aunit"])
        return (day, day + timedelta(days=1)) if unit == "day" else _unit_around(unit, day)
    if kind == "this":
        unit = groups["tunit"].lower()
        if unit == "week":
            return asked_on - timedelta(days=6), asked_on  # asked on a Monday, "this week" still means the last days
        return _unit_around(unit, asked_on)[0], asked_on
    if kind == "ytd":
        return date(asked_on.year, 1, 1), asked_on
    if kind == "weekday":
        day = _last_weekday(asked_on, _WEEKDAYS.index(groups["wday"].lower()), bool(groups.get("wlast")))
        return day, day + timedelta(days=1)
    if kind == "weekend":
        saturday = _last_weekday(asked_on, 5, strictly_before=(groups.get("wklast") or "").lower() == "last")
        return saturday, saturday + timedelta(days=2)
    return None


_ABSOLUTE_RE = re.compile(_ABSOLUTE, re.IGNORECASE)
_RELATIVE_RE = re.compile(_RELATIVE, re.IGNORECASE)
_BARE_RE = re.compile(_BARE, re.IGNORECASE)


def _relate(relation: str, period: tuple[date, date], asked_on: date) -> tuple[date | None, date | None]:
    start, end = period
    relation = " ".join(relation.split())
    if relation in ("since", "from"):
        return start, asked_on
    if relation in ("after", "following"):
        return end + timedelta(days=1) if end > start else start + timedelta(days=1), asked_on
    if relation in ("before", "prior to", "ahead of"):
        return None, start - timedelta(days=1)
    if relation in ("until", "till", "through", "up to", "up until", "as of", "by"):
        return None, end
    return start, end


def _looks_like_event(phrase: str) -> bool:
    words = phrase.split()
    if not words or words[0].lower() in _QUESTION_WORDS:
        return False
    named = any(w[0].isupper() for w in words if w.lower() != "the")
    return named or any(w.lower().strip("'s") in _EVENT_NOUNS for w in words)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([?.!,;:])", r"\1", text)
    text = re.sub(r"(?:\b(?:in|on|of|for|and|from|during|the)\s*)+([?.!])?$", r"\1", text.strip(), flags=re.I)
    text = re.sub(r",\s*([?.!])", r"\1", text)
    text = text.strip(" ,;:")
    return text


def _full_date(text: str) -> date | None:
    iso = re.fullmatch(rf"({_YEAR})-(\d{{1,2}})-(\d{{1,2}})", text.strip())
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        month = _month_in(text)
        day = re.search(r"(?<![\d])(\d{1,2})(?:st|nd|rd|th)?(?![\d])", text)
        year = re.search(_YEAR, text)
        if month and day and year:
            return date(int(year.group(0)), month, int(day.group(1)))
    except ValueError:
        return None
    return None


def _month_year(text: str) -> tuple[int, int]:
    year = re.search(_YEAR, text)
    return _month_in(text), int(year.group(0)) if year else 0


def _month_day(text: str, reference: date) -> date | None:
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
        if word.lower() in _MONTHS:
            return _MONTHS[word.lower()]
    return 0


def _count(words: str | None) -> int:
    if not words:
        return 1
    words = " ".join(words.lower().split())
    return int(words) if words.isdigit() else _NUMBER_WORDS.get(words, 1)


def _unit(words: str) -> str:
    return words.lower().rstrip("s")


def _back(day: date, unit: str, count: int) -> date:
    if unit == "day":
        return day - timedelta(days=count)
    if unit == "week":
        return day - timedelta(weeks=count)
    months = count * {"month": 1, "quarter": 3, "year": 12}[unit]
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return _clamp_day(year, month + 1, day.day)


def _clamp_day(year: int, month: int, day: int) -> date:
    last = period_end(date(year, month, 1), "month").day
    return date(year, month, min(day, last))


def _unit_around(unit: str, day: date) -> tuple[date, date]:
    """The calendar week (Monday first), month, quarter or year containing day."""
    if unit == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if unit == "month":
        return date(day.year, day.month, 1), period_end(date(day.year, day.month, 1), "month")
    if unit == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return date(day.year, first, 1), period_end(date(day.year, first + 2, 1), "month")
    return date(day.year, 1, 1), date(day.year, 12, 31)


def _previous_unit(unit: str, day: date) -> tuple[date, date]:
    start, _ = _unit_around(unit, day)
    return _unit_around(unit, start - timedelta(days=1))


def _quarter(words: str, asked_on: date) -> tuple[date, date]:
    number = re.search(r"q([1-4])", words)
    quarter = int(number.group(1)) if number else _ORDINAL_QUARTERS[words.split()[0]]
    year_match = re.search(_YEAR, words)
    if year_match:
        year = int(year_match.group(0))
    else:
        year = asked_on.year if 3 * (quarter - 1) + 1 <= asked_on.month else asked_on.year - 1
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return start, period_end(date(year, 3 * quarter, 1), "month")


def period_end(first: date, precision: Precision) -> date:
    if precision == "day":
        return first
    if precision == "year":
        return date(first.year, 12, 31)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _last_weekday(day: date, weekday: int, strictly_before: bool) -> date:
    back = (day.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return day - timedelta(days=back)


def _latest(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return max(present) if present else None


def _earliest(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return min(present) if present else None
