"""Upgrades of a library file for Chinese text: a language column, and FTS triggers that segment words.

Chunk text reaches the FTS5 index through a SQL function (registered on every connection)
that segments Chinese runs into words and returns any other text unchanged. Libraries
written before it indexed chunk text as it was: for English that is the same text, so their
rows stay valid; Chinese chunks are indexed again, once, the first time the file is opened.
"""

from __future__ import annotations

import sqlite3

FTS_FUNCTION = "briefing_fts_text"
# Bump when what the function returns changes (segmenter mode, dictionary): the index is rebuilt.
FTS_VERSION = "segmented-1"
_FTS_META = "fts_text"

_TRIGGERS = (
    "DROP TRIGGER IF EXISTS chunks_ai",
    "DROP TRIGGER IF EXISTS chunks_ad",
    "CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN"
    f" INSERT INTO chunks_fts(rowid, context, text)"
    f" VALUES (new.rowid, {FTS_FUNCTION}(new.context), {FTS_FUNCTION}(new.text)); END",
    "CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN"
    f" INSERT INTO chunks_fts(chunks_fts, rowid, context, text)"
    f" VALUES ('delete', old.rowid, {FTS_FUNCTION}(old.context), {FTS_FUNCTION}(old.text)); END",
)


def upgrade(db: sqlite3.Connection) -> None:
    """Bring a library file (new or from an older version) to the current full-text schema; idempotent.

    Library adds the documents.language column before calling this (`Library._add_document_column`).
    """
    if _current(db):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if not _current(db):  # another process may have upgraded it while this one waited
            for statement in _TRIGGERS:
                db.execute(statement)
            # Rows of text without Chinese are indexed exactly as before; with any Chinese, rebuild.
            changed = f"{FTS_FUNCTION}(text) != text OR {FTS_FUNCTION}(context) != context"
            if db.execute(f"SELECT 1 FROM chunks WHERE {changed} LIMIT 1").fetchone():
                rebuild(db)
            db.execute("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)", (_FTS_META, FTS_VERSION))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _current(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT value FROM meta WHERE name = ?", (_FTS_META,)).fetchone()
    return row is not None and row[0] == FTS_VERSION


def rebuild(db: sqlite3.Connection) -> int:
    """Index every chunk again through the segmenting function (inside the caller's transaction)."""
    db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('delete-all')")
    db.execute(
        f"INSERT INTO chunks_fts(rowid, context, text)"
        f" SELECT rowid, {FTS_FUNCTION}(context), {FTS_FUNCTION}(text) FROM chunks"
    )
    return int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
