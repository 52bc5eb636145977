"""Timelines and briefs on a topic, for `Briefing.timeline` and `Briefing.brief`.

A topic's time words narrow what is read, as a question's do. A day or month said without its year
("tariffs on China in April") is read in the year an answer to the topic would be read in: the latest
year the library holds documents from, or, when no source of that year answers it, the earlier year that
does (`Answerer.stream`, asked with the extractive generator, whose refusals are the model's). A brief
and a timeline then say so in a note ("“in April” read as 2025’s: no document searched answers it for 2026"). Dates
given beside the topic are the reader's own choice and are not moved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from core.models import Hit
from core.request import Filters, Request
from rag.events import moved_note, said_without_year
from rag.periods import stated_dates

if TYPE_CHECKING:
    from briefing.api import Briefing
    from rag.brief import Brief, BriefProgress
    from rag.temporal import TimeScope
    from rag.timeline import Timeline


def read_in(app: Briefing, topic: str, day: date, filters: Filters, dated: bool) -> TimeScope:
    """The topic's time scope on that day; a window said without its year moved to the year an answer to the
    topic reads, unless the reader gave dates (`dated`)."""
    from rag.chain import Answerer, Done

    scope = app.answerer.time_scope(topic, day, filters)
    if dated or not said_without_year(scope):
        return scope
    settings = app.answerer.settings.model_copy(update={"generator": "extractive"})
    answerer = Answerer(app.answerer.retriever, settings, app.embedder)
    *_, last = answerer.stream(Request(topic, filters=filters, asked_on=day))
    return last.scope if isinstance(last, Done) and last.scope is not None else scope


def timeline(
    app: Briefing, topic: str, since: date | None, until: date | None, limit: int, asked_on: date | None
) -> Timeline:
    """Dated events on the topic, oldest first, with the note a moved window gives (see `Briefing.timeline`)."""
    from rag.timeline import Timeline, build_timeline

    scope = read_in(app, topic, asked_on or date.today(), Filters(), dated=bool(since or until))
    since, until = _narrowed(scope, since, until)
    query = scope.query or topic
    # The window selects events, not documents: a 2025 report may state what happened in 2014.
    window = replace(scope, since=since, until=until, recency=None)
    hits = app.answerer.retriever.search(query, Filters(), k=max(40, limit * 2), scope=window)
    return Timeline(build_timeline(query, hits, app.embedder, since, until, limit), moved_note(scope))


def brief(
    app: Briefing,
    topic: str,
    since: date | None,
    until: date | None,
    as_of: date | None,
    sources: Sequence[str],
    progress: Callable[[BriefProgress], None] | None,
    max_passages: int,
) -> Brief:
    """A cited brief on the topic (see `Briefing.brief`)."""
    from rag.brief import BriefBuilder

    filters = Filters(sources=tuple(sources), until=as_of, keep_undated=as_of is None)
    scope = read_in(app, topic, as_of or date.today(), filters, dated=bool(since or until))
    since, until = _narrowed(scope, since, until)
    query = scope.query or topic
    # Like the timeline, the window selects events: a later report may state what happened in it.
    window = replace(scope, since=None, until=None, recency=None)
    hits = app.answerer.retriever.search(query, filters, k=max_passages, scope=window)
    if since:
        hits = [h for h in hits if h.document.published is None or h.document.published >= since or _from(h, since)]
    found = BriefBuilder(app.embedder, app.answerer.verifier).build(query, hits, since, until, as_of, progress)
    return replace(found, notes=(*found.notes, *moved_note(scope)))


def _narrowed(scope: TimeScope, since: date | None, until: date | None) -> tuple[date | None, date | None]:
    """The dates given beside the topic, narrowed by the window its time words give."""
    first = max((d for d in (since, scope.since) if d), default=None)
    last = min((d for d in (until, scope.until) if d), default=None)
    return first, last


def _from(hit: Hit, since: date) -> bool:
    """Whether the passage states a date on or after `since`."""
    return any(d.day >= since for d in stated_dates(hit.chunk.text, hit.document.published))
