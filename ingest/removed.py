"""Removed documents, kept for a while so a removal can be undone exactly.

Removing a document deletes it everywhere search can see it: its row, chunks and BM25 entries in
SQLite and its vectors in Chroma (locally or on the server, where other processes drop it from
their caches). Before that, the bin stores a copy beside the library in the same SQLite file:
the document row with its full text and identity key, every chunk with its offsets, and each
chunk's vector as float32 bytes together with the identity of the embedder that made it.

Restoring writes the vectors back (the stored ones when the library's embedder is unchanged,
else the chunk texts embedded again), then commits the document with the same id, chunks and
offsets, the same way an ingest does: `pending` rows first, vectors, then (server mode) the
catalog record, then the local commit. An interrupted restore is cleaned up by the usual repair
and can simply be run again; the bin entry is dropped only after the commit.

Vectors are not kept hidden in Chroma: hidden vectors would still fill the top-k of every dense
search, and in server mode every other process would have to know to skip them. The bin is per
data folder (in server mode, per local cache): a removal is undone from where it was made.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from core.models import Chunk, Document
from ingest.catalog import Catalog, with_spans
from ingest.embed import SentenceEmbedder
from ingest.store import Library, document_from_row
from ingest.vectors import VectorIndex

KEEP_DAYS = 30

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS removed_documents (
        doc_id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        title TEXT NOT NULL,
        removed_at TEXT NOT NULL,
        embedder TEXT NOT NULL,
        document TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS removed_chunks (
        chunk_id TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES removed_documents(doc_id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        page INTEGER,
        text TEXT NOT NULL,
        vector BLOB,
        PRIMARY KEY (doc_id, chunk_id)
    )""",
    "CREATE INDEX IF NOT EXISTS removed_documents_at ON removed_documents(removed_at)",
)


@dataclass(frozen=True)
class Removal:
    """A document in the bin: its metadata (text only when loaded for restoring) and when it was removed."""

    document: Document
    removed_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {**self.document.meta(), "removed_at": self.removed_at.isoformat()}


@dataclass(frozen=True)
class _Kept:
    removal: Removal
    key: str
    chunks: tuple[Chunk, ...]
    vectors: tuple[np.ndarray | None, ...]
    embedder: str


class RemovedBin:
    """The bin of removed documents, in the library's SQLite file."""

    def __init__(self, library: Library, keep_days: int = KEEP_DAYS) -> None:
        self.library = library
        self.keep_days = keep_days
        # Shares the library's connection and transactions, as the duplicate index does.
        with library._tx() as db:
            for statement in _SCHEMA:
                db.execute(statement)

    def keep(self, doc_id: str, index: VectorIndex, embedder: str) -> bool:
        """Copy a committed document, its chunks and their vectors into the bin (before removing it)."""
        chunk_ids = self.library.chunk_ids_of(doc_id)
        vectors = stored_vectors(index, chunk_ids)
        now = datetime.now(UTC)
        with self.library._tx() as db:
            row = db.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            if row is None:
                return False
            chunks = db.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY idx", (doc_id,)).fetchall()
            db.execute("DELETE FROM removed_documents WHERE doc_id = ?", (doc_id,))
            db.execute(
                "INSERT INTO removed_documents(doc_id, key, title, removed_at, embedder, document)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, row["key"], row["title"], now.isoformat(), embedder, json.dumps(dict(row))),
            )
            db.executemany(
                "INSERT INTO removed_chunks(chunk_id, doc_id, idx, start, end, page, text, vector)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (c["chunk_id"], doc_id, c["idx"], c["start"], c["end"], c["page"], c["text"], _blob(vectors, c))
                    for c in chunks
                ],
            )
            _purge(db, now - timedelta(days=self.keep_days))
        return True

    def entries(self) -> list[Removal]:
        """Documents that can be restored, most recently removed first."""
        db = self.library._db()
        with self.library._tx() as tx:
            _purge(tx, datetime.now(UTC) - timedelta(days=self.keep_days))
        rows = db.execute(
            "SELECT r.document, r.removed_at, (SELECT count(*) FROM removed_chunks c WHERE c.doc_id = r.doc_id) AS n"
            " FROM removed_documents r LEFT JOIN documents d ON d.doc_id = r.doc_id"
            " WHERE d.doc_id IS NULL ORDER BY r.removed_at DESC"
        ).fetchall()
        return [Removal(_document(json.loads(r[0]), text=False, chunk_count=r[2]), _when(r[1])) for r in rows]

    def load(self, doc_id: str) -> _Kept | None:
        db = self.library._db()
        row = db.execute("SELECT * FROM removed_documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        rows = db.execute("SELECT * FROM removed_chunks WHERE doc_id = ? ORDER BY idx", (doc_id,)).fetchall()
        chunks = tuple(Chunk(r["chunk_id"], doc_id, r["idx"], r["text"], r["start"], r["end"], r["page"]) for r in rows)
        vectors = tuple(np.frombuffer(r["vector"], dtype=np.float32) if r["vector"] else None for r in rows)
        stored = json.loads(row["document"])
        document = _document(stored, text=True, chunk_count=len(chunks))
        removal = Removal(document, _when(row["removed_at"]))
        return _Kept(removal, row["key"], chunks, vectors, row["embedder"])

    def discard(self, doc_id: str) -> None:
        with self.library._tx() as db:
            db.execute("DELETE FROM removed_documents WHERE doc_id = ?", (doc_id,))


def stored_vectors(index: VectorIndex, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
    """The vectors Chroma holds for these chunks (a chunk without one is left out)."""
    out: dict[str, np.ndarray] = {}
    for start in range(0, len(chunk_ids), 500):
        batch = list(chunk_ids[start : start + 500])
        found = index._call("get", ids=batch, include=["embeddings"])
        embeddings = found.get("embeddings")
        if embeddings is None:
            continue
        for cid, vector in zip(found["ids"], embeddings, strict=True):
            if vector is not None:
                out[cid] = np.asarray(vector, dtype=np.float32)
    return out


def put_back(
    kept: _Kept,
    library: Library,
    index: VectorIndex,
    embedder: SentenceEmbedder,
    library_embedder: str,
    catalog: Catalog | None = None,
) -> None:
    """Write a bin entry's vectors and commit it, as an ingest commits a document (see the module docstring)."""
    from ingest.chunking import embedding_text
    from ingest.pipeline import chunk_metadata

    document, chunks = kept.removal.document, list(kept.chunks)
    vectors: list[Any] = list(kept.vectors)
    # Stored vectors are reused only if they are of the kind the library holds now.
    missing = [i for i, v in enumerate(vectors) if v is None or kept.embedder != library_embedder]
    if missing:
        # Embedded as ingest embeds them: the document's context line, then the chunk text.
        fresh = embedder.embed_batch([embedding_text(document, chunks[i]) for i in missing])
        for i, vector in zip(missing, fresh, strict=True):
            vectors[i] = vector
    ids = [c.chunk_id for c in chunks]
    metadatas = [chunk_metadata(document, c) for c in chunks]
    items = [(document, kept.key, chunks)]
    library.begin(chunks)
    published = False
    try:
        if catalog is None:
            index.upsert(ids, [list(map(float, v)) for v in vectors], metadatas)
        else:
            metadatas = with_spans(metadatas, chunks, {document.doc_id: document})
            texts = [c.text for c in chunks]
            index.upsert(ids, [list(map(float, v)) for v in vectors], metadatas, texts=texts)
            catalog.publish(items)
            published = True
        replaced = library.commit(items)
    except BaseException:
        if not published:
            # Best effort now; otherwise the pending rows let repair() drop the vectors later.
            with contextlib.suppress(Exception):
                index.delete(ids)
                library.forget(ids)
        raise
    if replaced:
        index.delete(replaced)
        library.forget(replaced)


def _blob(vectors: dict[str, np.ndarray], chunk: Any) -> bytes | None:
    vector = vectors.get(chunk["chunk_id"])
    return vector.astype(np.float32).tobytes() if vector is not None else None


def _purge(db: Any, before: datetime) -> None:
    db.execute("DELETE FROM removed_documents WHERE removed_at < ?", (before.isoformat(),))


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _document(row: dict[str, Any], text: bool, chunk_count: int) -> Document:
    """A binned document: read as the library reads its rows, with the text only when restoring."""
    return replace(document_from_row(row), text=row["text"] if text else "", chunk_count=chunk_count)
