"""Timelines: the dated events the library holds on a topic, oldest first, each with its citation.

An event is a sentence of a passage relevant to the topic. It is dated by the first date the
sentence states that is not later than the document's publication ("On April 9, 2025, …",
"In 2014, …"), else by the publication date. A sentence that announces what will happen
("… will suspend …") is dated by its publication: the announcement is the event, the date it
mentions is usually of something earlier or a deadline. Sentences with neither a stated date
nor a dated document are left out, since they cannot be placed.

Which events make the timeline: relevant sentences, events (an action verb such as announced,
signed, imposed, raised, agreed or took effect) before background, at most `per_document` from
one document and `per_day` on one day, and spread over the period the events span: the period
is cut into years (months, days for shorter spans) and each round takes the best remaining event
of every period, so one long fact sheet cannot crowd out the years before it.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from core.models import Citation, Hit
from ingest.embed import SentenceEmbedder
from ingest.sentences import sentence_spans
from rag.answer_type import without_dateline
from rag.cite import cite_span
from rag.injection import looks_like_instruction
from rag.periods import Precision, StatedDate, period_end, stated_dates
from rag.text import content_words, coverage

_FUTURE = re.compile(r"\b(?:will|shall)\b", re.IGNORECASE)
# Verbs of things that happen on a day, in any tense ("imposed", "is imposing", "will impose"). Stems whose
# bare form is mostly a noun in news text ("order", "ban", "file") only count inflected.
_EVENT_STEMS = (
    "announc", "sign", "impos", "rais", "agree", "enact", "approv", "launch", "introduc", "issu", "implement",
    "restrict", "block", "suspend", "lift", "remov", "lower", "increas", "hik", "levi", "retaliat", "escalat",
    "reach", "conclud", "declar", "invok", "revok", "terminat", "releas", "publish", "unveil", "expand",
    "extend", "adopt", "exempt", "paus", "postpon", "resum", "threaten", "respond", "negotiat", "visit",
    "inaugurat", "sanction", "tighten", "modif", "withdr[ae]w",
)  # fmt: skip
_EVENT_INFLECTED = ("order", "ban", "file", "found", "add", "pass", "delay", "elect", "end", "start")
_EVENT_WORDS = (
    "cut", "took", "came", "went", "began", "begun", "met", "won", "ruled", "struck", "rose", "fell", "withdrawn",
)  # fmt: skip
_EVENT = re.compile(
    r"\b(?:(?:" + "|".join(_EVENT_STEMS) + r")(?:e|es|ed|d|s|ies|ied|y|ying|ing|ning|ned|ted|ting)?"
    r"|(?:" + "|".join(_EVENT_INFLECTED) + r")(?:es|ed|d|s|ing|ned|ning)"
    r"|" + "|".join(_EVENT_WORDS) + r")\b"
    r"|\b(?:into|in) (?:force|effect)\b",
    re.IGNORECASE,
)
_PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}
MIN_RELEVANCE = 0.3
# Score bonuses over relevance: a sentence reporting an action, and one that states its own date.
EVENT_BONUS = 0.10
STATED_BONUS = 0.05


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


def is_event(sentence: str) -> bool:
    """Whether a sentence reports an action (announced, imposed, took effect …) rather than background."""
    return bool(_EVENT.search(sentence))


def _is_heading(sentence: str) -> bool:
    """A short title-case line ("De Minimis Tariff Increase."): a section heading, not an event."""
    words = re.findall(r"[A-Za-z][\w'’-]*", sentence)
    return len(words) <= 8 and all(w[0].isupper() for w in words if len(w) > 3)


@dataclass(frozen=True)
class _Candidate:
    score: float
    hit: Hit
    start: int
    end: int
    dated: tuple[date, Precision, Literal["stated", "published"]]
    text: str


def build_timeline(
    topic: str,
    hits: Sequence[Hit],
    embedder: SentenceEmbedder,
    since: date | None = None,
    until: date | None = None,
    limit: int = 20,
    per_document: int = 3,
    per_day: int = 3,
) -> list[TimelineEntry]:
    """Up to `limit` relevant dated events of the passages inside [since, until], oldest first.

    At most per_document events come from one document and per_day fall on one day; see the
    module docstring for how events are preferred and spread over the period.
    """
    pool: list[tuple[Hit, int, int, tuple[date, Precision, Literal["stated", "published"]]]] = []
    seen: set[tuple[str, int]] = set()
    for hit in hits:
        text = hit.document.text
        for start, end in sentence_spans(text, hit.chunk.start, hit.chunk.end):
            if (hit.document.doc_id, start) in seen:
                continue  # overlapping chunks hold the same sentence twice
            seen.add((hit.document.doc_id, start))
            sentence = text[start:end]
            if len(content_words(sentence)) < 4 or looks_like_instruction(sentence) or _is_heading(sentence):
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
    scored: list[_Candidate] = []
    for (hit, start, end, dated), text, sim in zip(pool, texts, sims, strict=True):
        covered = coverage(topic, text)
        if float(sim) < MIN_RELEVANCE and covered < 0.5:
            continue
        score = 0.75 * float(sim) + 0.25 * covered
        score += EVENT_BONUS * is_event(text) + STATED_BONUS * (dated[2] == "stated")
        scored.append(_Candidate(score, hit, start, end, dated, text))
    scored.sort(key=lambda c: -c.score)
    unique: list[_Candidate] = []
    by_text: dict[str, int] = {}
    extra_outlets: dict[int, list[str]] = {}
    for candidate in scored:
        key = " ".join(candidate.text.lower().split())
        if key in by_text:
            # The same sentence in another outlet's copy: one line, the other outlet named on it.
            label = candidate.hit.document.source or candidate.hit.document.title
            extra_outlets.setdefault(by_text[key], []).append(label)
            continue
        by_text[key] = len(unique)
        unique.append(candidate)
    picked = _spread(unique, limit, per_document, per_day)
    order = sorted(
        picked,
        key=lambda i: (
            unique[i].dated[0],
            _PRECISION_ORDER[unique[i].dated[1]],
            unique[i].hit.document.published or date.max,
            unique[i].hit.document.doc_id,
            unique[i].start,
        ),
    )
    entries = []
    for n, i in enumerate(order, 1):
        c = unique[i]
        day, precision, dated_by = c.dated
        also = tuple(
            dict.fromkeys(x for x in (*c.hit.also_in, *extra_outlets.get(i, ())) if x != c.hit.document.source)
        )
        said = without_dateline(c.text)  # what happened, not where the story was filed ("London (CNN) …")
        entries.append(TimelineEntry(day, precision, said, cite_span(n, c.hit, c.start, c.end, also), dated_by))
    return entries


def _period_key(span_days: int) -> Callable[[date], tuple[int, ...]]:
    """The periods events are spread over: years for spans of years, months for months, else days."""
    if span_days >= 3 * 365:
        return lambda day: (day.year,)
    if span_days >= 90:
        return lambda day: (day.year, day.month)
    return lambda day: (day.year, day.month, day.day)


def _spread(candidates: Sequence[_Candidate], limit: int, per_document: int, per_day: int) -> list[int]:
    """Indexes of the events to show (candidates come best first): rounds of each period's best, within the caps."""
    if not candidates or limit <= 0:
        return []
    days = [c.dated[0] for c in candidates]
    period = _period_key((max(days) - min(days)).days)
    queues: dict[tuple[int, ...], deque[int]] = {}
    for i, c in enumerate(candidates):
        queues.setdefault(period(c.dated[0]), deque()).append(i)
    per_doc_count: Counter[str] = Counter()
    per_day_count: Counter[tuple[date, str]] = Counter()

    def allowed(i: int) -> bool:
        c = candidates[i]
        return per_doc_count[c.hit.document.doc_id] < per_document and per_day_count[(c.dated[0], c.dated[1])] < per_day

    chosen: list[int] = []
    while len(chosen) < limit:
        offers: list[int] = []
        for queue in queues.values():
            while queue and not allowed(queue[0]):
                queue.popleft()  # caps only tighten, so a capped event never becomes eligible again
            if queue:
                offers.append(queue.popleft())
        if not offers:
            break
        for i in sorted(offers):  # the round's best first, in case the limit falls inside it
            if len(chosen) < limit and allowed(i):
                chosen.append(i)
                c = candidates[i]
                per_doc_count[c.hit.document.doc_id] += 1
                per_day_count[(c.dated[0], c.dated[1])] += 1
    return chosen


class Timeline(list[TimelineEntry]):
    """A timeline's entries, oldest first, with notes on how its topic was read: a month said without its year
    and read in an earlier one ("“in April” read as 2025’s: no document searched answers it for 2026")."""

    def __init__(self, entries: Iterable[TimelineEntry] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(entries)
        self.notes = tuple(notes)


def format_timeline(topic: str, entries: Sequence[TimelineEntry], notes: Sequence[str] = ()) -> str:
    """The timeline as text an analyst can paste: a heading and its notes, then one line per event."""
    said = [f"Note: {note}" for note in notes]
    if not entries:
        return "\n".join([f"The library holds no dated events on “{topic}”.", *said])
    return "\n".join([f"Timeline: {topic}", *said, "", *(entry.line() for entry in entries)])
