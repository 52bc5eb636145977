"""The document store: full texts, metadata, chunks and the BM25 (SQLite FTS5) index in one file.

SQLite is the commit log of the library. A document becomes visible only when its
row and chunks are written in one transaction, after its vectors are in Chroma;
`pending` and `trash` rows let a restarted process finish or undo interrupted work.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.models import Chunk, Document
from core.request import Filters
from core.words import STOPWORDS
from ingest.chunking import context_of
from ingest.rows import batches, bm25_expression, chunk_from_row, document_from_row, filter_sql
from ingest.schema import _FTS_STATEMENTS, _SCHEMA
from ingest.segment import STOPWORDS_ZH, segment
from ingest.store_zh import FTS_FUNCTION, upgrade

_STOPWORDS = STOPWORDS | STOPWORDS_ZH

_TOKEN = re.compile(r"\w+", re.UNICODE)
# Every document column except the full text, for listings that do not need it.
_META_COLUMNS = (
    "doc_id, key, external_id, title, source, url, published, author, path, content_hash, ingested_at,"
    " page_starts, chunk_count, language, coherence, '' AS text"
)


def fts_query(text: str) -> str | None:
    """An FTS5 OR-query of the content words of text (quoted, so user text can never be syntax)."""
    # Chinese is segmented into words exactly as chunk texts are when they are indexed.
    words = [w.lower() for w in _TOKEN.findall(segment(text))]
    terms = list(dict.fromkeys(w for w in words if w not in _STOPWORDS and (len(w) > 1 or w.isdigit())))
    if not terms:
        return None
    return " OR ".join(f'"{term}"' for term in terms[:32])


class Library:
    """Documents, chunks and BM25 in SQLite; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        # executescript manages its own transaction; every statement is IF NOT EXISTS.
        self._db().executescript(_SCHEMA)
        self._add_document_column("language", "TEXT")
        self._add_document_column("coherence", "REAL")
        self._add_context_column()
        for statement in _FTS_STATEMENTS:
            self._db().execute(statement)
        upgrade(self._db())

    def _add_document_column(self, name: str, kind: str) -> None:
        """Libraries from before a document column existed get it, empty (filled in where it is computed)."""
        if any(row[1] == name for row in self._db().execute("PRAGMA table_info(documents)")):
            return
        with self._tx() as tx:
            if not any(row[1] == name for row in tx.execute("PRAGMA table_info(documents)")):
                tx.execute(f"ALTER TABLE documents ADD COLUMN {name} {kind}")

    def _add_context_column(self) -> None:
        """Libraries from before chunk context: fill it in and rebuild BM25 with it (no re-embedding)."""
        db = self._db()
        if any(row[1] == "context" for row in db.execute("PRAGMA table_info(chunks)")):
            return
        # One transaction: a crash half-way leaves the old index, and the next start migrates again.
        with self._tx() as tx:
            if any(row[1] == "context" for row in tx.execute("PRAGMA table_info(chunks)")):
                return  # another process migrated it first
            tx.execute("ALTER TABLE chunks ADD COLUMN context TEXT NOT NULL DEFAULT ''")
            rows = tx.execute(f"SELECT {_META_COLUMNS} FROM documents").fetchall()
            tx.executemany(
                "UPDATE chunks SET context = ? WHERE doc_id = ?",
                [(context_of(document_from_row(r)), r["doc_id"]) for r in rows],
            )
            tx.execute("DROP TRIGGER IF EXISTS chunks_ai")
            tx.execute("DROP TRIGGER IF EXISTS chunks_ad")
            tx.execute("DROP TABLE IF EXISTS chunks_fts")
            for statement in _FTS_STATEMENTS:
                tx.execute(statement)
            tx.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")

    # -- connections --------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=60000")
            # The full-text triggers index chunk text through it (Chinese segmented into words).
            db.create_function(FTS_FUNCTION, 1, segment, deterministic=True)
            self._local.db = db
        return db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- reads ---------------------------------------------------------------------------------

    def find_by_key(self, key: str) -> tuple[str, str] | None:
        """(doc_id, content_hash) of the document with this identity key."""
        sql = "SELECT doc_id, content_hash FROM documents WHERE key = ?"
        row = self._db().execute(sql, (key,)).fetchone()
        return (row["doc_id"], row["content_hash"]) if row else None

    def document(self, doc_id: str, with_text: bool = True) -> Document | None:
        cols = "*" if with_text else _META_COLUMNS
        row = self._db().execute(f"SELECT {cols} FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return document_from_row(row) if row else None

    def documents(self, with_text: bool = False) -> list[Document]:
        cols = "*" if with_text else _META_COLUMNS
        rows = self._db().execute(f"SELECT {cols} FROM documents ORDER BY published DESC, title").fetchall()
        return [document_from_row(r) for r in rows]

    def documents_by_id(self, doc_ids: Iterable[str]) -> dict[str, Document]:
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, Document] = {}
        for batch in batches(ids, 500):
            marks = ",".join("?" * len(batch))
            for row in self._db().execute(f"SELECT * FROM documents WHERE doc_id IN ({marks})", batch):
                out[row["doc_id"]] = document_from_row(row)
        return out

    def resolve(self, ref: str) -> list[str]:
        """doc_ids matching a doc id, external id, identity key, URL or file path.

        A file is found by any spelling of its path from the current folder (relative, ./, ~),
        through the absolute path stored with it.
        """
        try:
            absolute = str(Path(ref).expanduser().resolve())
        except (OSError, ValueError, RuntimeError):  # not a usable path (e.g. a NUL byte)
            absolute = ref
        rows = (
            self._db()
            .execute(
                "SELECT doc_id FROM documents WHERE doc_id = ? OR external_id = ? OR key IN (?, ?)"
                " OR url = ? OR path IN (?, ?)",
                (ref, ref, ref, f"path:{absolute}", ref, ref, absolute),
            )
            .fetchall()
        )
        return [r["doc_id"] for r in rows]

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        for batch in batches(list(chunk_ids), 500):
            marks = ",".join("?" * len(batch))
            for row in self._db().execute(f"SELECT * FROM chunks WHERE chunk_id IN ({marks})", batch):
                out[row["chunk_id"]] = chunk_from_row(row)
        return out

    def iter_chunks(self, batch: int = 256) -> Iterator[list[Chunk]]:
        """Every chunk, in batches, paged by rowid so no read stays open between batches."""
        last = -1
        while True:
            rows = (
                self._db()
                .execute("SELECT * FROM chunks WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, batch))
                .fetchall()
            )
            if not rows:
                return
            yield [chunk_from_row(r) for r in rows]
            last = rows[-1]["rowid"]

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        rows = self._db().execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY idx", (doc_id,)).fetchall()
        return [chunk_from_row(r) for r in rows]

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self._db().execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]

    def counts(self) -> dict[str, int]:
        db = self._db()
        return {
            "documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
            "chunks": db.execute("SELECT count(*) FROM chunks").fetchone()[0],
            # Rows the full-text index holds: counting chunks_fts itself would read the chunks table.
            "bm25": db.execute("SELECT count(*) FROM chunks_fts_docsize").fetchone()[0],
            "pending": db.execute("SELECT count(*) FROM pending").fetchone()[0],
            "trash": db.execute("SELECT count(*) FROM trash").fetchone()[0],
        }

    def chunk_count(self) -> int:
        """Passages stored: one count, for checks made on every answer."""
        return int(self._db().execute("SELECT count(*) FROM chunks").fetchone()[0])

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self._db().execute("SELECT chunk_id FROM chunks")}

    def sources(self) -> list[tuple[str, int]]:
        rows = (
            self._db()
            .execute("SELECT source, count(*) FROM documents WHERE source IS NOT NULL GROUP BY source ORDER BY source")
            .fetchall()
        )
        return [(r[0], r[1]) for r in rows]

    def languages(self) -> list[str]:
        """The languages of the library's documents (a full scan, repeated only after the library changed)."""
        memo = self._memo()
        if "languages" not in memo:
            rows = self._db().execute("SELECT DISTINCT language FROM documents WHERE language IS NOT NULL")
            memo["languages"] = [r[0] for r in rows]
        return list(memo["languages"])

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """BM25 top-k (chunk_id, score), higher is better, within the filters."""
        match = fts_query(query)
        if match is None:
            return []
        filters = filters or Filters()
        where, params = filter_sql(filters)
        # Rank inside the full-text index first and join only the best rows: joining every match
        # before sorting cost 2-3x at 100k chunks. With filters, rank enough rows that about k
        # of them should pass (from the filters' share of the library), and fall back to ranking
        # every filtered match when fewer do.
        share = self.chunk_share(filters) if where else 1.0
        if share > 0:
            wide = k if not where else min(int(k / share * 1.5) + 20, 20_000)
            sql = (
                f"SELECT c.chunk_id, -f.score FROM (SELECT rowid, {bm25_expression()} AS score FROM chunks_fts"
                " WHERE chunks_fts MATCH ? ORDER BY score LIMIT ?) f JOIN chunks c ON c.rowid = f.rowid "
                + ("JOIN documents d ON d.doc_id = c.doc_id WHERE " + where if where else "")
                + " ORDER BY f.score LIMIT ?"
            )
            rows = self._db().execute(sql, (match, wide, *params, k)).fetchall()
            if len(rows) >= k or not where:
                return [(r[0], float(r[1])) for r in rows]
        sql = (
            f"SELECT c.chunk_id, -{bm25_expression()} AS score FROM chunks_fts "
            "JOIN chunks c ON c.rowid = chunks_fts.rowid "
            + ("JOIN documents d ON d.doc_id = c.doc_id " if where else "")
            + "WHERE chunks_fts MATCH ? "
            + (f"AND {where} " if where else "")
            + f"ORDER BY {bm25_expression()} LIMIT ?"
        )
        rows = self._db().execute(sql, (match, *params, k)).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def uses(self, words: Iterable[str]) -> set[str]:
        """Those of `words` that some passage or its headline contains, as BM25 reads them (stemmed:
        "soybean" is found by "soybeans"), in any document of the library."""
        found = set()
        for word in dict.fromkeys(words):
            if (
                _TOKEN.fullmatch(word)
                and self._db()
                .execute("SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 1", (f'"{word}"',))
                .fetchone()
            ):
                found.add(word)
        return found

    def chunk_share(self, filters: Filters) -> float:
        """The share of the library's chunks inside the filters (1.0 without filters).

        An estimate for sizing searches, remembered per filters until the library changes: callers
        must not rely on it being exact.
        """
        where, params = filter_sql(filters)
        if not where:
            return 1.0
        memo = self._memo()
        key = ("share", filters)
        if key not in memo:
            db = self._db()
            total = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
            sql = f"SELECT count(*) FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE {where}"
            memo[key] = float(db.execute(sql, params).fetchone()[0]) / float(total) if total else 0.0
        return float(memo[key])

    def _memo(self) -> dict[Any, Any]:
        """This thread's store of figures read from the library, emptied when the library has changed since.

        Every search sizes itself by a share of the library, and counting 100k chunks costs about
        1.5 ms a time; asking SQLite whether anything was written costs microseconds. A write on
        this thread's connection moves `total_changes`, a commit on any other (another thread,
        another process) moves `data_version`.
        """
        db = self._db()
        stamp = (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
        memo: tuple[sqlite3.Connection, tuple[int, int], dict[Any, Any]] | None = getattr(self._local, "memo", None)
        if memo is None or memo[0] is not db or memo[1] != stamp or len(memo[2]) > 256:
            memo = (db, stamp, {})
            self._local.memo = memo
        return memo[2]

    def within(self, chunk_ids: Sequence[str], filters: Filters) -> set[str]:
        """The chunk ids (of committed chunks) whose documents pass the filters."""
        where, params = filter_sql(filters)
        out: set[str] = set()
        for batch in batches(list(chunk_ids), 500):
            marks = ",".join("?" * len(batch))
            sql = (
                f"SELECT c.chunk_id FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE c.chunk_id IN ({marks})"
                + (f" AND {where}" if where else "")
            )
            out.update(r[0] for r in self._db().execute(sql, (*batch, *params)))
        return out

    def set_language(self, doc_id: str, language: str | None) -> None:
        """Record a document's detected language (documents stored before detection have none)."""
        with self._tx() as db:
            db.execute("UPDATE documents SET language = ? WHERE doc_id = ?", (language, doc_id))

    def forget_coherence(self) -> None:
        """Mark every document unmeasured (its vectors were just made by another embedder)."""
        with self._tx() as db:
            db.execute("UPDATE documents SET coherence = NULL")

    def without_coherence(self) -> list[str]:
        """Ids of documents with passages but no coherence measured yet."""
        rows = self._db().execute("SELECT doc_id FROM documents WHERE coherence IS NULL AND chunk_count > 0")
        return [r[0] for r in rows]

    def chunk_owners(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """chunk id → doc id for every chunk of those documents."""
        out: dict[str, str] = {}
        for batch in batches(list(doc_ids), 500):
            marks = ",".join("?" * len(batch))
            sql = f"SELECT chunk_id, doc_id FROM chunks WHERE doc_id IN ({marks})"
            out.update({r[0]: r[1] for r in self._db().execute(sql, batch)})
        return out

    def set_coherence(self, values: Mapping[str, float | None]) -> None:
        with self._tx() as db:
            db.executemany("UPDATE documents SET coherence = ? WHERE doc_id = ?", [(v, d) for d, v in values.items()])

    def meta(self, name: str) -> str | None:
        row = self._db().execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)", (name, value))

    def clear_meta(self, name: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM meta WHERE name = ?", (name,))

    # -- writes --------------------------------------------------------------------------------

    def begin(self, chunks: Iterable[Chunk]) -> None:
        """Note chunks about to be written to the vector store, so a crash can be undone."""
        owner = _owner()
        with self._tx() as db:
            db.executemany(
                "INSERT OR REPLACE INTO pending(chunk_id, doc_id, owner) VALUES (?, ?, ?)",
                [(c.chunk_id, c.doc_id, owner) for c in chunks],
            )

    def commit(self, items: Sequence[tuple[Document, str, Sequence[Chunk]]], trash: bool = True) -> list[str]:
        """Make documents visible with their chunks; returns chunk ids they replaced (now in trash).

        Each item is (document, identity key, chunks). One transaction for the batch.
        trash=False leaves the replaced chunks' vectors to whoever wrote the new version.
        """
        replaced: list[str] = []
        with self._tx() as db:
            for document, key, chunks in items:
                new_ids = {c.chunk_id for c in chunks}
                # A document that changed identity key or id: drop whichever old row holds either.
                old_rows = db.execute(
                    "SELECT doc_id FROM documents WHERE key = ? OR doc_id = ?", (key, document.doc_id)
                ).fetchall()
                for row in old_rows:
                    found = db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (row[0],))
                    old = [r[0] for r in found]
                    replaced.extend(cid for cid in old if cid not in new_ids)
                    db.execute("DELETE FROM chunks WHERE doc_id = ?", (row[0],))
                    db.execute("DELETE FROM documents WHERE doc_id = ?", (row[0],))
                db.execute(
                    "INSERT INTO documents(doc_id, key, external_id, title, source, url, published, author,"
                    " path, content_hash, ingested_at, page_starts, chunk_count, text, language, coherence)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        document.doc_id,
                        key,
                        document.external_id,
                        document.title,
                        document.source,
                        document.url,
                        document.published.isoformat() if document.published else None,
                        document.author,
                        document.path,
                        document.content_hash,
                        document.ingested_at,
                        json.dumps(list(document.page_starts)),
                        len(chunks),
                        document.text,
                        document.language,
                        document.coherence,
                    ),
                )
                context = context_of(document)
                db.executemany(
                    "INSERT INTO chunks(chunk_id, doc_id, idx, start, end, page, text, context)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    [(c.chunk_id, c.doc_id, c.index, c.start, c.end, c.page, c.text, context) for c in chunks],
                )
                db.executemany("DELETE FROM pending WHERE chunk_id = ?", [(cid,) for cid in new_ids])
                # A chunk committed again (a removed document added back) is live: its vector must stay.
                db.executemany("DELETE FROM trash WHERE chunk_id = ?", [(cid,) for cid in new_ids])
            if trash:
                db.executemany("INSERT OR IGNORE INTO trash(chunk_id) VALUES (?)", [(cid,) for cid in replaced])
        return replaced

    def remove(self, doc_id: str, trash: bool = True) -> list[str]:
        """Delete a document and its chunks; returns their chunk ids (in trash unless trash=False)."""
        with self._tx() as db:
            ids = [r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            if trash:
                db.executemany("INSERT OR IGNORE INTO trash(chunk_id) VALUES (?)", [(cid,) for cid in ids])
        return ids

    def pending_among(self, chunk_ids: Sequence[str]) -> bool:
        """Whether this library noted any of these chunks as its own work in progress."""
        for batch in batches(list(chunk_ids), 500):
            marks = ",".join("?" * len(batch))
            if self._db().execute(f"SELECT 1 FROM pending WHERE chunk_id IN ({marks}) LIMIT 1", batch).fetchone():
                return True
        return False

    def abandoned(self) -> list[str]:
        """Chunk ids whose vectors may exist but whose documents never committed, plus trash."""
        db = self._db()
        rows = db.execute(
            "SELECT p.chunk_id, p.owner FROM pending p LEFT JOIN chunks c ON c.chunk_id = p.chunk_id"
            " WHERE c.chunk_id IS NULL"
        ).fetchall()
        # Work still owned by a live process (another ingest running now) is not abandoned.
        pending = [r[0] for r in rows if not _alive(r[1])]
        return pending + [r[0] for r in db.execute("SELECT chunk_id FROM trash")]

    def forget(self, chunk_ids: Sequence[str]) -> None:
        """Clear pending/trash entries once their vectors are gone from the vector store."""
        with self._tx() as db:
            for batch in batches(list(chunk_ids), 500):
                marks = ",".join("?" * len(batch))
                db.execute(f"DELETE FROM pending WHERE chunk_id IN ({marks})", batch)
                db.execute(f"DELETE FROM trash WHERE chunk_id IN ({marks})", batch)


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(owner: str) -> bool:
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
