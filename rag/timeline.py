"""Timelines: the dated events the library holds on a topic, oldest first, each with its citation.

An event is a sentence of a passage relevant to the topic. It is dated by the first date the
sentence states that is not later than the document's publication ("On April 9, 2025, …",
"In 2014, …"), else by the publication date. A sentence that announces what will happen
("… will suspend …") is dated by its publication: the announcement is the event, the date it
mentions is usually of something earlier or a deadline. Sentences with neither a stated date
nor a dated document are left out, since they cannot be placed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from core.models import Citation, Hit
from ingest.embed import SentenceEmbedder
from ingest.sentences import sentence_spans
from rag.cite import cite_span
from rag.injection import looks_like_instruction
from rag.periods import Precision, StatedDate, period_end, stated_dates
from rag.text import content_words, coverage

_FUTURE = re.compile(r"\b(?:will|shall)\b", re.IGNORECASE)
_PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}
MIN_RELEVANCE = 0.3


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event of a timeline.

    day: the first day of the period the event is dated to; precision says whether that is a
    day, a month ("May 2015") or a year ("2014"). text: the sentence, verbatim from the document.
    citation: where it stands (document title, outlet, published date, URL, quote offsets);
    citation.n is the entry's line number and citation.quote == text.
    dated_by: "stated" (a date in the sentence) or "published" (the document's date).
    """

    day: date
    precision: Precision
    text: str
    citation: Citation
    dated_by: Literal["stated", "published"]

    @property
    def when(self) -> str:
        """The date as precise as the source: '2025-04-09', 'May 2015' or '2014'."""
        if self.precision == "year":
            return str(self.day.year)
        if self.precision == "month":
            return self.day.strftime("%B %Y")
        return self.day.isoformat()

    def line(self) -> str:
        """One pasteable line: date, the quoted sentence, and its source."""
        c = self.citation
        where = ", ".join(x for x in (c.source, c.published) if x)
        also = f"; also reported by {', '.join(c.also_reported_by)}" if c.also_reported_by else ""
        return f"{self.when} — “{self.text}” [{c.n}] {c.title}" + (f" ({where})" if where else "") + also


def event_day(sentence: str, published: date | None) -> tuple[date, Precision, Literal["stated", "published"]] | None:
    """When a sentence's event happened, by the rule in the module docstring (None: it cannot be placed)."""
    if published is not None and _FUTURE.search(sentence):
        return published, "day", "published"
    stated: list[StatedDate] = stated_dates(sentence, published)
    for found in stated:
        if published is None or found.day <= published:
            return found.day, found.precision, "stated"
    if published is not None:
        return published, "day", "published"
    return None


def build_timeline(
    topic: str,
    hits: Sequence[Hit],
    embedder: SentenceEmbedder,
    since: date | None = None,
    until: date | None = None,
    limit: int = 20,
) -> list[TimelineEntry]:
    """The `limit` most relevant dated events of the passages, inside [since, until], oldest first."""
    pool: list[tuple[Hit, int, int, tuple[date, Precision, Literal["stated", "published"]]]] = []
    seen: set[tuple[str, int]] = set()
    for hit in hits:
        text = hit.document.text
        for start, end in sentence_spans(text, hit.chunk.start, hit.chunk.end):
            if (hit.document.doc_id, start) in seen:
                continue  # overlapping chunks hold the same sentence twice
            seen.add((hit.document.doc_id, start))
            sentence = text[start:end]
            if len(content_words(sentence)) < 4 or looks_like_instruction(sentence):
                continue
            dated = event_day(sentence, hit.document.published)
            if dated is None:
                continue
            last = period_end(dated[0], dated[1])
            if (since is not None and last < since) or (until is not None and dated[0] > until):
                continue
            pool.append((hit, start, end, dated))
    if not pool:
        return []
    texts = [hit.document.text[start:end] for hit, start, end, _ in pool]
    vectors = np.array(embedder.embed_batch([topic, *texts]))
    sims = vectors[1:] @ vectors[0]
    scored = []
    for item, text, sim in zip(pool, texts, sims, strict=True):
        if float(sim) < MIN_RELEVANCE and coverage(topic, text) < 0.5:
            continue
        scored.append((0.75 * float(sim) + 0.25 * coverage(topic, text), item, text))
    scored.sort(key=lambda x: -x[0])
    chosen: list[tuple[Hit, int, int, tuple[date, Precision, Literal["stated", "published"]], str]] = []
    by_text: dict[str, int] = {}
    extra_outlets: dict[int, list[str]] = {}
    for _, (hit, start, end, dated), text in scored:
        key = " ".join(text.lower().split())
        if key in by_text:
            # The same sentence in another outlet's copy: one line, the other outlet named on it.
            label = hit.document.source or hit.document.title
            extra_outlets.setdefault(by_text[key], []).append(label)
            continue
        if len(chosen) >= limit:
            continue
        by_text[key] = len(chosen)
        chosen.append((hit, start, end, dated, text))
    order = sorted(
        range(len(chosen)),
        key=lambda i: (
            chosen[i][3][0],
            _PRECISION_ORDER[chosen[i][3][1]],
            chosen[i][0].document.published or date.max,
            chosen[i][0].document.doc_id,
            chosen[i][1],
        ),
    )
    entries = []
    for n, i in enumerate(order, 1):
        hit, start, end, (day, precision, dated_by), text = chosen[i]
        also = tuple(dict.fromkeys(x for x in (*hit.also_in, *extra_outlets.get(i, ())) if x != hit.document.source))
        entries.append(TimelineEntry(day, precision, text, cite_span(n, hit, start, end, also), dated_by))
    return entries


def format_timeline(topic: str, entries: Sequence[TimelineEntry]) -> str:
    """The timeline as text an analyst can paste: a heading, then one line per event."""
    if not entries:
        return f"The library holds no dated events on “{topic}”."
    return "\n".join([f"Timeline: {topic}", "", *(entry.line() for entry in entries)])
