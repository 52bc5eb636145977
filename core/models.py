"""Domain types shared by ingest, retrieval, generation and the front ends."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

# A citation marker in answer text: "[3]". The one definition every reader and writer of answers uses.
MARKER = re.compile(r"\[(\d+)\]")
_MARKER_AND_SPACE = re.compile(r"\s*" + MARKER.pattern)
_SPACE_BEFORE_STOP = re.compile(r"\s+(?=[.,;:!?](?:\s|$))")


def split_markers(sentence: str) -> tuple[str, list[int]]:
    """The claim without its [n] markers, and the marker numbers in order."""
    found = [int(n) for n in _MARKER_AND_SPACE.findall(sentence)]
    claim = _MARKER_AND_SPACE.sub("", sentence).strip()
    if found:  # "14257 [1] ." leaves "14257 ." behind: the stop belongs to the number
        claim = _SPACE_BEFORE_STOP.sub("", claim)
    return claim, found


@dataclass(frozen=True)
class Document:
    """A stored article: metadata plus the full cleaned text that offsets refer to."""

    doc_id: str
    title: str
    text: str
    external_id: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None
    path: str | None = None
    content_hash: str = ""
    ingested_at: str = ""
    page_starts: tuple[int, ...] = ()
    chunk_count: int = 0
    # ISO 639-1 code detected at ingest ('en', 'zh'); None for documents stored before detection.
    language: str | None = None
    # Mean cosine similarity between the document's passages (ingest/coherence.py): low for a roundup
    # of unrelated stories. None for documents not yet measured.
    coherence: float | None = None

    def meta(self) -> dict[str, Any]:
        """Metadata without the text, JSON-ready."""
        data = asdict(self)
        data.pop("text")
        data.pop("page_starts")
        data["published"] = self.published.isoformat() if self.published else None
        return data


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, located by character offsets into the document text."""

    chunk_id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    page: int | None = None


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its document and fused score."""

    chunk: Chunk
    document: Document
    score: float
    dense_rank: int | None = None
    sparse_rank: int | None = None
    similarity: float | None = None
    also_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    """Numbered evidence: the passage cited and the sentence in it that supports the claim."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    source: str | None
    published: str | None
    url: str | None
    author: str | None
    start: int
    end: int
    quote: str
    quote_start: int
    quote_end: int
    passage: str
    page: int | None = None
    also_reported_by: tuple[str, ...] = ()

    @property
    def published_day(self) -> date | None:
        """The publication date as a date (None when unknown)."""
        try:
            return date.fromisoformat(self.published[:10]) if self.published else None
        except ValueError:
            return None

    def highlight(self) -> tuple[int, int] | None:
        """Where the quote sits inside the passage (document offsets made passage-relative)."""
        start, end = self.quote_start - self.start, self.quote_end - self.start
        if 0 <= start < end <= len(self.passage) and _squash(self.passage[start:end]) == _squash(self.quote):
            return start, end
        found = self.passage.find(self.quote)
        if found >= 0 and self.quote:
            return found, found + len(self.quote)
        return None


@dataclass(frozen=True)
class Answer:
    """What every front end renders: text with [n] markers and the citations they point to."""

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    abstained: bool = False
    standalone_question: str | None = None
    flagged: tuple[str, ...] = ()
    generator: str = ""
    retrieved: tuple[str, ...] = field(default=(), repr=False)
    # What the reader should know about how this answer was made, e.g. that the model was unavailable.
    notes: tuple[str, ...] = ()
    # The short answer the text opens with ("Yellowstone National Park — …"), words of the first cited
    # sentence; None when the answer is sentences alone.
    lead: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the CLI's --json)."""
        return asdict(self)

    def with_note(self, note: str) -> Answer:
        """The same answer with one more note for the reader."""
        return replace(self, notes=(*self.notes, note))

    def segments(self, numbers: Container[int] | None = None) -> Iterator[tuple[str, int | None]]:
        """The text cut at its [n] markers: (text before a marker, n) for each marker whose n is in
        numbers (default: the answer's citations), then (the rest, None).

        Markers of other numbers stay in the text as written; the text keeps the space before a marker.
        """
        wanted = {c.n for c in self.citations} if numbers is None else numbers
        pos = 0
        for match in MARKER.finditer(self.text):
            n = int(match.group(1))
            if n not in wanted:
                continue
            yield self.text[pos : match.start()], n
            pos = match.end()
        yield self.text[pos:], None

    def split_lead(self, first: str) -> tuple[str, str]:
        """(the lead, the rest) of the text's first segment, for front ends that set the lead apart."""
        if self.lead and first.startswith(self.lead):
            return self.lead, first[len(self.lead) :]
        return "", first

    @property
    def plain_text(self) -> str:
        """The text without its citation markers."""
        return split_markers(self.text)[0]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
