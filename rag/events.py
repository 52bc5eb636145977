"""When did an event happen? Dating "the Geneva talks" from what the library reports about it, and the
question's time scope with its event dated."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from ingest.store import Library
from rag.periods import earliest, latest, stated_dates
from rag.temporal import (
    EVENT_NOUNS,
    MILD_HALF_LIFE,
    MILD_WEIGHT,
    NEAR_HALF_LIFE,
    NEAR_WEIGHT,
    Recency,
    TimeScope,
    tidy_query,
)


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
