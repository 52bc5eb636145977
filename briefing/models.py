"""Domain types shared by ingest, retrieval, generation and the front ends."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the CLI's --json)."""
        return asdict(self)
