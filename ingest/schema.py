"""The library database's tables: documents, chunks and their FTS5 (BM25) index, created idempotently."""

from __future__ import annotations

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    external_id TEXT,
    title TEXT NOT NULL,
    source TEXT,
    url TEXT,
    published TEXT,
    author TEXT,
    path TEXT,
    content_hash TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    page_starts TEXT NOT NULL DEFAULT '[]',
    chunk_count INTEGER NOT NULL DEFAULT 0,
    language TEXT,
    text TEXT NOT NULL,
    coherence REAL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_published ON documents(published);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER,
    text TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
-- Covering indexes for filtered search: chunk id -> document -> outlet/date without reading rows.
CREATE INDEX IF NOT EXISTS chunks_id_doc ON chunks(chunk_id, doc_id);
CREATE INDEX IF NOT EXISTS documents_filter ON documents(doc_id, source, published);
CREATE TABLE IF NOT EXISTS pending (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS trash (
    chunk_id TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
# BM25 indexes each chunk's context (title, outlet) as a column beside its text, so a question naming
# the story finds passages that do not repeat the headline. Created after any migration of chunks.
_FTS_STATEMENTS = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    context, text, content='chunks', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
)""",
    """CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, context, text) VALUES (new.rowid, new.context, new.text);
END""",
    """CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, context, text) VALUES ('delete', old.rowid, old.context, old.text);
END""",
)
# bm25() column weights (context, text): a headline word counts as much as a word of the passage.
BM25_WEIGHTS = (1.0, 1.0)
