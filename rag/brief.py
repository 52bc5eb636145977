"""Briefs: a structured, cited page on a topic, assembled from verified source sentences.

A brief is built only from the library. Every sentence in it is a sentence of a retrieved
passage, quoted verbatim, and passes the same support check as an answer sentence before it is
kept (`rag.cite.Verifier.support`); a sentence that fails is dropped and counted. Sections
appear only when the library supports them:

- Key developments: dated events (the timeline's dating rules), oldest first, at most two per
  document, one per identical sentence across syndicated copies.
- Summary: the 3-5 most relevant other sentences, from different documents, in date order.
- Key figures: sentences that state an amount or a rate, each labelled with that figure.
- What the sources say: where two outlets give different numbers for the same thing (both
  quoted), then each outlet's most relevant sentence when there are several outlets.
- Gaps: what the matching sources do not cover in the period asked (statements about the library,
  computed from document dates and outlets, so they carry no citation).

Work is bounded: at most `max_passages` passages are read and their sentences are embedded in one
batch, so a topic with hundreds of matching passages costs the same as one with fifty.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import numpy as np

from core.models import MARKER, Citation, Hit
from ingest.embed import SentenceEmbedder
from ingest.sentences import sentence_spans
from rag.answer_type import looks_like_markup, without_dateline
from rag.cite import Verifier, cite_span, with_markers
from rag.injection import looks_like_instruction
from rag.temporal import period_end
from rag.text import AMOUNT, capitalised, content_words, coverage, numbers
from rag.timeline import event_day

SectionKind = Literal["summary", "developments", "figures", "sources_say", "gaps"]
SECTION_TITLES: dict[SectionKind, str] = {
    "summary": "Summary",
    "developments": "Key developments",
    "figures": "Key figures",
    "sources_say": "What the sources say",
    "gaps": "Gaps",
}

# Sentences that report something happening, rather than background or commentary.
_EVENT = re.compile(
    r"\b(announc|impos|rais|increas|lower|cut|reduc|sign|agree|suspend|paus|took effect|take effect|takes effect|"
    r"effective|ban|restrict|launch|releas|unveil|found|retaliat|escalat|extend|expand|issu|order|approv|enact|"
    r"introduc|levied|hike|slash|halt|resum|reach|struck|strike|accus|respond|added|placed|implement|declar)\w*",
    re.IGNORECASE,
)
# First-person preambles of orders and speeches ("I, Donald J. Trump, …", "By the authority vested in me …").
_PREAMBLE = re.compile(
    r"^\s*(I|We|My|Our)\b|\bby the authority vested in me\b|\bhereby\b|^\s*(Sec\.|Section)\s+\d", re.IGNORECASE
)
# Layout rather than prose that `looks_like_markup` (table rows, headings, rules, links to other stories, …) does not
# catch: a row's first cell, a quotation block, a Markdown link, a rule of "=" or "_", and a news page's video player
# ("JUST WATCHED <another story's title> Replay More Videos ...", "MUST WATCH <title> 01:34").
_MARKUP = re.compile(r"^\s*[|>]|\]\(|^\s*[-=*_]{3,}|\b(?:JUST WATCHED|MUST WATCH)\b|\bReplay More Videos\b")


@dataclass(frozen=True)
class BriefItem:
    """One line of a section: text with [n] markers; label is a date, a figure or an outlet."""

    text: str
    label: str | None = None


@dataclass(frozen=True)
class BriefSection:
    kind: SectionKind
    title: str
    items: tuple[BriefItem, ...]


@dataclass(frozen=True)
class Brief:
    """A finished brief: sections whose [n] markers point into citations (one numbering for all)."""

    topic: str
    sections: tuple[BriefSection, ...]
    citations: tuple[Citation, ...]
    since: date | None = None
    until: date | None = None
    as_of: date | None = None
    dropped: int = 0  # sentences left out because their citation did not hold
    passages_read: int = 0
    notes: tuple[str, ...] = field(default=())

    def section(self, kind: SectionKind) -> BriefSection | None:
        return next((s for s in self.sections if s.kind == kind), None)


@dataclass(frozen=True)
class BriefProgress:
    """A stage of building a brief, for progress displays."""

    stage: str
    done: int
    total: int


@dataclass(frozen=True)
class _Sentence:
    hit: Hit
    start: int
    end: int
    text: str
    relevance: float = 0.0

    @property
    def key(self) -> str:
        return " ".join(self.text.lower().split())

    @property
    def published(self) -> date | None:
        return self.hit.document.published

    @property
    def outlet(self) -> str:
        return self.hit.document.source or self.hit.document.title


def usable(sentence: str) -> bool:
    """Prose a brief may quote: long enough, not markup or a link to another story, not a preamble, not
    addressed to an AI."""
    words = sentence.split()
    if not 6 <= len(words) <= 70 or len(content_words(sentence)) < 4:
        return False
    if sentence.rstrip().endswith("?") or _PREAMBLE.search(sentence):
        return False
    # Layout an answer never quotes either (links to other stories: "More:Democrats' two …"), and a brief's own.
    if looks_like_markup(sentence) or _MARKUP.search(sentence):
        return False
    return not looks_like_instruction(sentence)


def figure_of(sentence: str) -> str | None:
    """The first amount or rate a sentence states ('125%', '$34 billion'), if any."""
    found = AMOUNT.search(sentence)
    return found.group(0).strip() if found else None


class _Citations:
    """One numbering for the whole brief; each sentence is checked before it gets a number."""

    def __init__(self, verifier: Verifier) -> None:
        self.verifier = verifier
        self.items: list[Citation] = []
        self.index: dict[tuple[str, int], int] = {}
        self.dropped = 0

    def cite(self, s: _Sentence) -> int | None:
        key = (s.hit.document.doc_id, s.start)
        if key in self.index:
            return self.index[key]
        if self.verifier.support(s.text, s.hit).score < self.verifier.threshold:
            self.dropped += 1
            return None
        n = len(self.items) + 1
        self.index[key] = n
        self.items.append(cite_span(n, s.hit, s.start, s.end))
        return n


def renumber(
    sections: list[BriefSection], citations: list[Citation]
) -> tuple[list[BriefSection], tuple[Citation, ...]]:
    """Citation numbers in reading order (sections were filled in another order)."""
    order: dict[int, int] = {}
    for section in sections:
        for item in section.items:
            for found in MARKER.findall(item.text):
                order.setdefault(int(found), len(order) + 1)
    by_n = {c.n: c for c in citations}
    cited = tuple(replace(by_n[old], n=new) for old, new in sorted(order.items(), key=lambda pair: pair[1]))

    def mark(text: str) -> str:
        return MARKER.sub(lambda m: f"[{order.get(int(m.group(1)), int(m.group(1)))}]", text)

    renamed = [
        replace(section, items=tuple(replace(item, text=mark(item.text)) for item in section.items))
        for section in sections
    ]
    return renamed, cited


def collect(hits: Sequence[Hit], max_sentences: int = 600) -> list[_Sentence]:
    """The usable sentences of the passages, each once (overlapping chunks and syndicated copies)."""
    seen: set[tuple[str, int]] = set()
    texts: set[str] = set()
    out: list[_Sentence] = []
    for hit in hits:
        text = hit.document.text
        for start, end in sentence_spans(text, hit.chunk.start, hit.chunk.end):
            if (hit.document.doc_id, start) in seen:
                continue
            seen.add((hit.document.doc_id, start))
            sentence = text[start:end]
            key = " ".join(sentence.lower().split())
            if key in texts or not usable(sentence):
                continue
            texts.add(key)
            out.append(_Sentence(hit, start, end, sentence))
            if len(out) >= max_sentences:
                return out
    return out


def score(topic: str, pool: list[_Sentence], embedder: SentenceEmbedder) -> list[_Sentence]:
    """The pool with relevance to the topic (embedding similarity and word overlap), best first."""
    if not pool:
        return []
    vectors = np.array(embedder.embed_batch([topic, *(s.text for s in pool)]))
    sims = vectors[1:] @ vectors[0]
    scored = [
        _Sentence(s.hit, s.start, s.end, s.text, 0.75 * float(sim) + 0.25 * coverage(topic, s.text))
        for s, sim in zip(pool, sims, strict=True)
    ]
    return sorted(scored, key=lambda s: -s.relevance)


def _similar(a: str, b: str) -> bool:
    wa, wb = set(content_words(a)), set(content_words(b))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.6


class BriefBuilder:
    """Assembles a brief from retrieved passages; pure apart from the embedder."""

    def __init__(self, embedder: SentenceEmbedder, verifier: Verifier, min_relevance: float = 0.3) -> None:
        self.embedder = embedder
        self.verifier = verifier
        self.min_relevance = min_relevance

    def build(
        self,
        topic: str,
        hits: Sequence[Hit],
        since: date | None = None,
        until: date | None = None,
        as_of: date | None = None,
        progress: Callable[[BriefProgress], None] | None = None,
    ) -> Brief:
        def tell(stage: str, done: int, total: int) -> None:
            if progress is not None:
                progress(BriefProgress(stage, done, total))

        tell("reading passages", 0, len(hits))
        pool = collect(hits)
        tell("ranking sentences", len(hits), len(hits))
        ranked = [s for s in score(topic, pool, self.embedder) if s.relevance >= self.min_relevance]
        citations = _Citations(self.verifier)
        used: list[str] = []

        def fresh(s: _Sentence) -> bool:
            return s.key not in used and not any(_similar(s.text, u) for u in used)

        def take(s: _Sentence, label: str | None = None) -> BriefItem | None:
            n = citations.cite(s)
            if n is None:
                return None
            used.append(s.key)
            # As an answer's quote: what the sentence says, not its dateline ("London (CNN) …").
            return BriefItem(with_markers(capitalised(without_dateline(s.text)), [n]), label)

        sections: list[BriefSection] = []
        tell("key developments", 0, 5)
        developments = self._developments(ranked, since, until, fresh, take)
        tell("summary", 1, 5)
        summary = self._summary(ranked, fresh, take)
        tell("key figures", 2, 5)
        figures = self._figures(ranked, fresh, take)
        tell("what the sources say", 3, 5)
        sources_say = self._sources_say(ranked, fresh, take)
        tell("gaps", 4, 5)
        gaps = self._gaps(ranked, since, until or as_of)
        filled: tuple[tuple[SectionKind, list[BriefItem]], ...] = (
            ("summary", summary),
            ("developments", developments),
            ("figures", figures),
            ("sources_say", sources_say),
            ("gaps", gaps),
        )
        for kind, items in filled:
            if items:
                sections.append(BriefSection(kind, SECTION_TITLES[kind], tuple(items)))
        tell("done", 5, 5)
        sections, cited = renumber(sections, citations.items)
        return Brief(
            topic=topic,
            sections=tuple(sections),
            citations=cited,
            since=since,
            until=until,
            as_of=as_of,
            dropped=citations.dropped,
            passages_read=len(hits),
        )

    # -- sections ------------------------------------------------------------------------------

    def _developments(
        self,
        ranked: list[_Sentence],
        since: date | None,
        until: date | None,
        fresh: Callable[[_Sentence], bool],
        take: Callable[[_Sentence, str | None], BriefItem | None],
        limit: int = 8,
    ) -> list[BriefItem]:
        dated: list[tuple[date, str, _Sentence]] = []
        per_doc: dict[str, int] = {}
        # Sentences that state their own date are the clearest events; then those dated by publication.
        placed = [(s, when) for s in ranked if _EVENT.search(s.text) and (when := event_day(s.text, s.published))]
        placed.sort(key=lambda pair: -(pair[0].relevance + (0.08 if pair[1][2] == "stated" else 0.0)))
        for s, (day, precision, _) in placed:
            if (since and period_end(day, precision) < since) or (until and day > until):
                continue
            doc = s.hit.document.doc_id
            if per_doc.get(doc, 0) >= 2 or not fresh(s):
                continue
            label = str(day.year) if precision == "year" else day.strftime("%B %Y") if precision == "month" else None
            item_label = label or day.isoformat()
            dated.append((day, item_label, s))
            per_doc[doc] = per_doc.get(doc, 0) + 1
            if len(dated) >= limit:
                break
        items = []
        for _day, label, s in sorted(dated, key=lambda x: (x[0], x[2].published or date.max)):
            if fresh(s) and (item := take(s, label)) is not None:
                items.append(item)
        return items

    def _summary(
        self,
        ranked: list[_Sentence],
        fresh: Callable[[_Sentence], bool],
        take: Callable[[_Sentence, str | None], BriefItem | None],
        limit: int = 4,
    ) -> list[BriefItem]:
        picked: list[_Sentence] = []
        docs: set[str] = set()
        for s in ranked:
            if s.hit.document.doc_id in docs or not fresh(s) or any(_similar(s.text, p.text) for p in picked):
                continue
            picked.append(s)
            docs.add(s.hit.document.doc_id)
            if len(picked) >= limit:
                break
        if len(picked) < 2:
            return []
        items = []
        for s in sorted(picked, key=lambda x: x.published or date.max):
            if (item := take(s, None)) is not None:
                items.append(item)
        return items

    def _figures(
        self,
        ranked: list[_Sentence],
        fresh: Callable[[_Sentence], bool],
        take: Callable[[_Sentence, str | None], BriefItem | None],
        limit: int = 6,
    ) -> list[BriefItem]:
        items = []
        figures: set[str] = set()
        for s in ranked[:150]:
            figure = figure_of(s.text)
            if figure is None or figure.lower() in figures or not fresh(s):
                continue
            if (item := take(s, figure)) is not None:
                figures.add(figure.lower())
                items.append(item)
            if len(items) >= limit:
                break
        return items

    def _sources_say(
        self,
        ranked: list[_Sentence],
        fresh: Callable[[_Sentence], bool],
        take: Callable[[_Sentence, str | None], BriefItem | None],
    ) -> list[BriefItem]:
        outlets = {s.outlet for s in ranked}
        if len(outlets) < 2:
            return []
        items: list[BriefItem] = []
        # Different numbers for the same thing: close sentences from two outlets whose figures disagree.
        stated = [s for s in ranked[:120] if figure_of(s.text)]
        if len(stated) >= 2:
            vectors = np.array(self.embedder.embed_batch([s.text for s in stated]))
            sims = vectors @ vectors.T
            for i, a in enumerate(stated):
                for j in range(i + 1, len(stated)):
                    b = stated[j]
                    if a.outlet == b.outlet or sims[i, j] < 0.75:
                        continue
                    if numbers(a.text) == numbers(b.text) or not (numbers(a.text) ^ numbers(b.text)):
                        continue
                    first, second = take(a, a.outlet), take(b, b.outlet)
                    if first and second:
                        items.append(BriefItem(f"{a.outlet} and {b.outlet} give different figures:", None))
                        items += [first, second]
                    if len(items) >= 6:
                        break
                if len(items) >= 6:
                    break
        # Then what each outlet stresses: its most relevant sentence not already in the brief.
        by_outlet: dict[str, _Sentence] = {}
        for s in ranked:
            if s.outlet not in by_outlet and fresh(s):
                by_outlet[s.outlet] = s
        if len(by_outlet) >= 2:
            for outlet, s in list(by_outlet.items())[:5]:
                if (item := take(s, outlet)) is not None:
                    items.append(item)
        return items

    def _gaps(self, ranked: list[_Sentence], since: date | None, until: date | None) -> list[BriefItem]:
        docs = {s.hit.document.doc_id: s.hit.document for s in ranked}
        if not docs:
            return []
        dated = sorted(d.published for d in docs.values() if d.published)
        outlets = {d.source for d in docs.values() if d.source}
        lines: list[str] = []
        if not dated:
            lines.append("None of the matching sources carries a publication date.")
        else:
            first, last = dated[0], dated[-1]
            end = until or date.today()
            if (end - last).days > 30:
                lines.append(
                    f"The library holds no matching source dated after {last.isoformat()}; "
                    f"the period asked runs to {end.isoformat()}."
                )
            if since and (first - since).days > 30:
                lines.append(f"No matching source is dated between {since.isoformat()} and {first.isoformat()}.")
            for a, b in itertools.pairwise(dated):
                if (b - a).days > 365 and (since is None or b >= since):
                    lines.append(f"No matching source is dated between {a.isoformat()} and {b.isoformat()}.")
            undated = len(docs) - len(dated)
            if undated:
                lines.append(f"{undated} matching source{'s are' if undated > 1 else ' is'} undated.")
        if len(outlets) == 1:
            lines.append(f"All matching sources come from one outlet ({next(iter(outlets))}).")
        return [BriefItem(line) for line in lines[:6]]


def brief_events(build: Callable[[Callable[[BriefProgress], None]], Brief]) -> Iterator[BriefProgress | Brief]:
    """Run a build in the caller's thread, yielding its progress events and then the Brief."""
    import queue
    import threading

    events: queue.Queue[BriefProgress | Brief | BaseException] = queue.Queue()

    def run() -> None:
        try:
            events.put(build(events.put))
        except BaseException as exc:
            events.put(exc)

    worker = threading.Thread(target=run, daemon=True, name="briefing-brief")
    worker.start()
    while True:
        event = events.get()
        if isinstance(event, BaseException):
            raise event
        yield event
        if isinstance(event, Brief):
            return
