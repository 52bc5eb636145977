"""Server mode: the Chroma server, not a local file, says which documents the library holds.

Besides the chunk vectors (collection `<name>`, each with its text, offsets and content
version), the server keeps one record per committed document in `<name>__docs`: the full
text as the record's document and its metadata as the record's metadata. Writing that record
is the commit: a document's chunk vectors go in first, so any process that sees the record
can fetch them. A generation record, rewritten after every change, lets each process tell
with one small request whether its local SQLite cache (documents, chunks, BM25) is current;
`sync` brings the cache up to date when it is not.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.models import Chunk, Document
from ingest.chunking import chunk_id
from ingest.store import Library
from ingest.vectors import VectorIndex

GENERATION_ID = "~generation"
_TOKEN_META = "catalog_generation"
_FETCH_BATCH = 100


def catalog_name(collection: str) -> str:
    return f"{collection}__docs"


def span_metadata(document: Document, chunk: Chunk) -> dict[str, Any]:
    """What a chunk vector carries in server mode so another process can rebuild the chunk."""
    meta: dict[str, Any] = {"start": chunk.start, "end": chunk.end, "version": document.content_hash}
    if chunk.page is not None:
        meta["page"] = chunk.page
    return meta


def with_spans(
    metadatas: Sequence[dict[str, Any]], chunks: Sequence[Chunk], documents: Mapping[str, Document]
) -> list[dict[str, Any]]:
    """Chunk vector metadata plus the span fields server mode stores."""
    return [{**m, **span_metadata(documents[c.doc_id], c)} for m, c in zip(metadatas, chunks, strict=True)]


def _placeholder(doc_id: str) -> list[float]:
    """Records are looked up by id, never by similarity; distinct small vectors keep the index healthy."""
    return [b / 255 for b in hashlib.sha1(doc_id.encode()).digest()[:8]]


class Catalog(VectorIndex):
    """The `<name>__docs` collection: one record per committed document, plus the generation record."""

    def publish(self, items: Sequence[tuple[Document, str, Sequence[Chunk]]]) -> None:
        """Commit documents on the server (their chunk vectors must already be there)."""
        if not items:
            return
        ids = [d.doc_id for d, _, _ in items]
        metadatas = [_record_metadata(d, key, len(chunks)) for d, key, chunks in items]
        texts = [d.text for d, _, _ in items]
        self.upsert(ids, [_placeholder(i) for i in ids], metadatas, texts)
        self.bump()

    def withdraw(self, doc_ids: Sequence[str]) -> None:
        """Remove documents from the server's library (their vectors are deleted after this)."""
        if doc_ids:
            self.delete(doc_ids)
            self.bump()

    def bump(self) -> None:
        token = uuid.uuid4().hex
        self.upsert([GENERATION_ID], [_placeholder(GENERATION_ID)], [{"generation": token}])

    def generation(self) -> str | None:
        found = self._call("get", ids=[GENERATION_ID], include=["metadatas"])
        return str(found["metadatas"][0]["generation"]) if found["ids"] else None

    def listing(self) -> dict[str, str]:
        """doc_id -> content hash of every committed document."""
        out: dict[str, str] = {}
        offset = 0
        while True:
            page = self._call("get", include=["metadatas"], limit=5000, offset=offset)
            for record_id, meta in zip(page["ids"], page["metadatas"], strict=True):
                if record_id != GENERATION_ID:
                    out[record_id] = str(meta["content_hash"])
            if len(page["ids"]) < 5000:
                return out
            offset += 5000

    def records(self, doc_ids: Sequence[str]) -> list[tuple[Document, str]]:
        """(document with text, identity key) for each id still on the server."""
        found = self._call("get", ids=list(doc_ids), include=["metadatas", "documents"])
        return [
            _document(record_id, text, meta)
            for record_id, text, meta in zip(found["ids"], found["documents"], found["metadatas"], strict=True)
        ]


@dataclass
class SyncReport:
    """What a sync changed in the local cache."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def sync(library: Library, catalog: Catalog, index: VectorIndex) -> SyncReport:
    """Make the local cache hold exactly the documents committed on the server.

    Cheap when nothing changed (one request for the generation record). Vectors are never
    deleted here for another process's work: only chunks this data folder itself wrote and
    then saw replaced go to its trash, so a concurrent writer's fresh vectors are safe.
    """
    report = SyncReport()
    token = catalog.generation()
    if token is not None and token == library.meta(_TOKEN_META):
        return report
    server = catalog.listing()
    local = {d.doc_id: d.content_hash for d in library.documents()}
    changed = [doc_id for doc_id, digest in server.items() if local.get(doc_id) != digest]
    for start in range(0, len(changed), _FETCH_BATCH):
        batch = changed[start : start + _FETCH_BATCH]
        stored = index.metadata_of(batch)
        ours: list[tuple[Document, str, Sequence[Chunk]]] = []
        theirs: list[tuple[Document, str, Sequence[Chunk]]] = []
        for document, key in catalog.records(batch):
            chunks = _chunks(document, stored.get(document.doc_id, []))
            if chunks is None:
                # Replaced or removed between the listing and now: the next sync sees its new state.
                report.deferred.append(document.doc_id)
                continue
            own = library.pending_among([c.chunk_id for c in chunks])
            (ours if own else theirs).append((document, key, chunks))
            report.added.append(document.doc_id)
        replaced = library.commit(ours) if ours else []
        if theirs:
            library.commit(theirs, trash=False)
        if replaced:
            index.delete(replaced)
            library.forget(replaced)
    for doc_id in local.keys() - server.keys():
        library.remove(doc_id, trash=False)
        report.removed.append(doc_id)
    if token is not None and not report.deferred:
        library.set_meta(_TOKEN_META, token)
    return report


def _chunks(document: Document, stored: list[tuple[str, dict[str, Any]]]) -> list[Chunk] | None:
    """The document's chunks rebuilt from its vectors' metadata, or None if they are not all there."""
    chunks: list[Chunk] = []
    for cid, meta in stored:
        if meta.get("version") != document.content_hash:
            continue  # an older or newer version's vectors, on their way out or in
        start, end, index = int(meta["start"]), int(meta["end"]), int(meta["index"])
        if cid != chunk_id(document.doc_id, document.content_hash, index, start, end):
            return None
        page = meta.get("page")
        chunks.append(
            Chunk(cid, document.doc_id, index, document.text[start:end], start, end, int(page) if page else None)
        )
    chunks.sort(key=lambda c: c.index)
    if len(chunks) != document.chunk_count or [c.index for c in chunks] != list(range(len(chunks))):
        return None
    return chunks


def _record_metadata(document: Document, key: str, chunk_count: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "key": key,
        "title": document.title,
        "external_id": document.external_id,
        "source": document.source,
        "url": document.url,
        "published": document.published.isoformat() if document.published else None,
        "author": document.author,
        "path": document.path,
        "content_hash": document.content_hash,
        "ingested_at": document.ingested_at,
        "page_starts": json.dumps(list(document.page_starts)),
        "chunk_count": chunk_count,
        "language": document.language,
        "coherence": document.coherence,
    }
    return {name: value for name, value in values.items() if value is not None}


def _document(doc_id: str, text: str | None, meta: dict[str, Any]) -> tuple[Document, str]:
    published = meta.get("published")
    document = Document(
        doc_id=doc_id,
        title=str(meta["title"]),
        text=text or "",
        external_id=meta.get("external_id"),
        source=meta.get("source"),
        url=meta.get("url"),
        published=date.fromisoformat(published) if published else None,
        author=meta.get("author"),
        path=meta.get("path"),
        content_hash=str(meta["content_hash"]),
        ingested_at=str(meta.get("ingested_at", "")),
        page_starts=tuple(json.loads(meta.get("page_starts", "[]"))),
        chunk_count=int(meta["chunk_count"]),
        language=meta.get("language"),
        coherence=meta.get("coherence"),
    )
    return document, str(meta["key"])
