"""When did an event happen? Dating "the Geneva talks" from what the library reports about it, and the
question's time scope with its event dated; and which year a day or month said without one is in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import TypeGuard

from core.request import Filters
from ingest.store import Library
from rag.periods import MONTH_ANY, YEAR, earliest, latest, stated_dates
from rag.temporal import (
    EVENT_NOUNS,
    MILD_HALF_LIFE,
    MILD_WEIGHT,
    NEAR_HALF_LIFE,
    NEAR_WEIGHT,
    Recency,
    TimeScope,
    plan,
)
from rag.text import tidy_query

# A day, month or season said without its year ("on April 9", "in March") is read in the latest year it can
# mean. When the library holds nothing published since then, the asker means an earlier year's: the latest
# of the YEARS_BACK before it that the library holds documents from.
YEARS_BACK = 10
_CALENDAR = re.compile(rf"{MONTH_ANY}|\b(?:q[1-4]|quarter|spring|summer|autumn|fall|winter)\b", re.IGNORECASE)
_OWN_YEAR = re.compile(rf"{YEAR}|\b(?:this|last|next|past|previous|year|ago)\b", re.IGNORECASE)


def event_terms(phrase: str) -> list[str]:
    """The words that identify an event: its names, else its other content words ('Geneva' in 'the Geneva talks')."""
    from rag.text import content_words

    words = re.findall(r"[A-Za-z0-9][\w'-]*", phrase)
    names = [w for i, w in enumerate(words) if w[0].isupper() or w[0].isdigit() or (i and w.isupper())]
    chosen = names or [w for w in words if w.lower() not in EVENT_NOUNS]
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
    if (latest(scope.since, since) or date.min) > (earliest(scope.until, until) or date.max):
        # The library dates the event outside the question's own window ("in January 2020 after the trade
        # war", the war first reported in a 2025 document): the question's dates stand, and the event's
        # words stay topic words.
        return scope
    relation = r"\s+".join(re.escape(w) for w in scope.relation.split())
    event = r"\s+".join(re.escape(w) for w in scope.event.split())
    pattern = re.compile(rf"{relation}\s+{event}", re.IGNORECASE)
    query = tidy_query(pattern.sub(" ", scope.query, count=1))
    recency = scope.recency
    if until is not None and since is None and scope.since is None:
        recency = Recency(until, NEAR_WEIGHT, NEAR_HALF_LIFE)
    elif recency == Recency(scope.asked_on, MILD_WEIGHT, MILD_HALF_LIFE):
        recency = None
    return replace(
        scope,
        query=query,
        since=latest(scope.since, since),
        until=earliest(scope.until, until),
        recency=recency,
        expressions=(*scope.expressions, f"{scope.relation} {scope.event}"),
        event_day=event_day,
    )


def plan_in(library: Library, question: str, asked_on: date, filters: Filters | None = None) -> TimeScope:
    """What the question's time words mean on the day asked, its event dated from the library and a window
    said without its year moved to the latest year the library (within `filters`) holds anything from then."""
    scope = plan(question, asked_on, lambda phrase, day: event_date(library, phrase, day))
    return in_a_year_held(scope, library, filters)


def moved_note(scope: TimeScope | None) -> tuple[str, ...]:
    """What an answer says of a window moved to an earlier year (nothing when none was)."""
    if scope is None or scope.moved_from is None or scope.since is None:
        return ()
    said = ", ".join(f"“{e}”" for e in scope.expressions)
    if scope.moved_unanswered:
        return (f"{said} read as {scope.since.year}’s: no document searched answers it for {scope.moved_from.year}",)
    return (f"{said} read as {scope.since.year}’s: no document searched was published since {scope.moved_from}",)


def yearless(expression: str) -> bool:
    """Whether time words name a calendar day, month, quarter or season without saying which year's."""
    return bool(_CALENDAR.search(expression)) and not _OWN_YEAR.search(expression)


def said_without_year(scope: TimeScope | None) -> TypeGuard[TimeScope]:
    """Whether the scope is a window its question gave only in yearless calendar words ("on May 12")."""
    if scope is None or not scope.windowed or scope.since is None or scope.event is not None:
        return False
    return bool(scope.expressions) and all(yearless(e) for e in scope.expressions)


def in_a_year_held(scope: TimeScope, library: Library, filters: Filters | None = None) -> TimeScope:
    """The scope, its window moved back whole years when it was said without a year and the library holds
    no document (within `filters`: the outlets, documents and languages asked about) published from its start
    to the day asked; unchanged when no window of the YEARS_BACK years before holds one either."""
    if not said_without_year(scope):
        return scope
    # A library holding anything published from the window's start to the day asked may report on it.
    if library.chunk_share(replace(scope, until=None).filters(filters)) > 0:
        return scope
    return next(_years_held(scope, library, filters, unanswered=False), scope)


def earlier_years(scope: TimeScope | None, library: Library, filters: Filters | None = None) -> Iterator[TimeScope]:
    """A window said without its year, read in each earlier year (of the YEARS_BACK before) whose window the
    library holds documents from (within `filters`), latest first; for when its own year's sources answer
    nothing: "What tariffs were announced in April?", asked in December 2026 of a library on 2025's tariffs
    that also holds an April 2026 article on another subject. Nothing for a window already moved."""
    if said_without_year(scope) and scope.moved_from is None:
        yield from _years_held(scope, library, filters, unanswered=True)


def _years_held(scope: TimeScope, library: Library, filters: Filters | None, unanswered: bool) -> Iterator[TimeScope]:
    for back in range(1, YEARS_BACK + 1):
        since, until = _years_before(scope.since, back), _years_before(scope.until, back)
        moved = replace(scope, since=since, until=until, moved_from=scope.since, moved_unanswered=unanswered)
        if library.chunk_share(moved.filters(filters)) > 0:
            yield moved


def _years_before(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # February 29
        return day.replace(year=day.year - years, day=28)
