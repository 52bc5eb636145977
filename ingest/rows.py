"""Rows of the library database as models, and the SQL fragments its queries share (pure functions)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from core.models import Chunk, Document
from core.request import Filters
from ingest.schema import BM25_WEIGHTS


def filter_sql(filters: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.sources:
        clauses.append(f"d.source IN ({','.join('?' * len(filters.sources))})")
        params.extend(filters.sources)
    if filters.doc_ids:
        clauses.append(f"d.doc_id IN ({','.join('?' * len(filters.doc_ids))})")
        params.extend(filters.doc_ids)
    if filters.languages:
        clauses.append(f"d.language IN ({','.join('?' * len(filters.languages))})")
        params.extend(filters.languages)
    dated: list[str] = []
    if filters.since:
        dated.append("d.published >= ?")
        params.append(filters.since.isoformat())
    if filters.until:
        dated.append("d.published <= ?")
        params.append(filters.until.isoformat())
    if dated:
        window = " AND ".join(dated)
        clauses.append(f"(d.published IS NULL OR ({window}))" if filters.keep_undated else window)
    return " AND ".join(clauses), params


def bm25_expression() -> str:
    context, text = BM25_WEIGHTS
    return f"bm25(chunks_fts, {float(context)!r}, {float(text)!r})"


def batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def document_from_row(row: Mapping[str, Any] | sqlite3.Row) -> Document:
    """A Document from a `documents` row (or a dict of one, as the removal bin keeps it)."""
    return Document(
        doc_id=row["doc_id"],
        title=row["title"],
        text=row["text"],
        external_id=row["external_id"],
        source=row["source"],
        url=row["url"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        author=row["author"],
        path=row["path"],
        content_hash=row["content_hash"],
        ingested_at=row["ingested_at"],
        page_starts=tuple(json.loads(row["page_starts"])),
        chunk_count=row["chunk_count"],
        language=row["language"],
        # Rows kept by the removal bin from before coherence was measured have no such key. (`in` on a
        # sqlite3.Row looks at its values, hence keys().)
        coherence=row["coherence"] if "coherence" in row.keys() else None,  # noqa: SIM118
    )


def chunk_from_row(row: sqlite3.Row) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"],
        doc_id=row["doc_id"],
        index=row["idx"],
        text=row["text"],
        start=row["start"],
        end=row["end"],
        page=row["page"],
    )
