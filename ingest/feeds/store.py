"""Feed state in the library's SQLite file: the subscriptions and the entries taken in."""

from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.errors import NotFound
from ingest.feeds.parse import Entry, format_interval
from ingest.outlets import host_of
from ingest.store import Library

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    feed_id TEXT PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT,
    interval REAL NOT NULL,
    etag TEXT,
    last_modified TEXT,
    added_at REAL NOT NULL,
    last_poll REAL,
    last_ok REAL,
    ok INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'not polled yet',
    next_poll REAL NOT NULL DEFAULT 0,
    hold_until REAL NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    backoff REAL NOT NULL DEFAULT 0,
    new_items INTEGER NOT NULL DEFAULT 0,
    entry_errors INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS feed_entries (
    entry_id TEXT PRIMARY KEY,
    feed_id TEXT NOT NULL,
    link TEXT,
    doc_key TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    seen_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS feed_entries_link ON feed_entries(link);
CREATE INDEX IF NOT EXISTS feed_entries_feed ON feed_entries(feed_id);
CREATE TABLE IF NOT EXISTS feed_claims (
    claim TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires REAL NOT NULL,
    doc_id TEXT
);
"""


@dataclass(frozen=True)
class Feed:
    """A subscription and what its last poll found."""

    feed_id: str
    url: str
    name: str | None
    interval: float
    etag: str | None
    last_modified: str | None
    added_at: float
    last_poll: float | None
    last_ok: float | None
    ok: bool
    status: str
    next_poll: float
    hold_until: float
    failures: int
    backoff: float
    new_items: int
    entry_errors: int
    items: int = 0

    @property
    def label(self) -> str:
        return self.name or host_of(self.url) or self.url

    def due(self, now: float) -> bool:
        return now >= self.next_poll

    def describe(self) -> dict[str, Any]:
        """JSON-ready form (`briefing feeds list --json`)."""
        return {
            "url": self.url,
            "name": self.name,
            "every": format_interval(self.interval),
            "last_poll": _iso(self.last_poll),
            "next_poll": _iso(self.next_poll),
            "ok": self.ok,
            "status": self.status,
            "new_items": self.new_items,
            "items": self.items,
            "failures": self.failures,
            "entry_errors": self.entry_errors,
        }


def _iso(stamp: float | None) -> str | None:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds") if stamp else None


class FeedStore:
    """The feeds and feed_entries tables of a library."""

    def __init__(self, library: Library) -> None:
        self.library = library
        library._db().executescript(_SCHEMA)

    def _row(self, row: sqlite3.Row) -> Feed:
        values = {k: row[k] for k in row.keys() if k != "items"}  # noqa: SIM118 (sqlite3.Row)
        return Feed(**{**values, "ok": bool(row["ok"]), "items": row["items"]})

    _SELECT = (
        "SELECT f.*, (SELECT count(*) FROM feed_entries e WHERE e.feed_id = f.feed_id AND e.state != 'merged')"
        " AS items FROM feeds f"
    )

    def all(self) -> list[Feed]:
        rows = self.library._db().execute(self._SELECT + " ORDER BY f.added_at, f.url").fetchall()
        return [self._row(r) for r in rows]

    def get(self, ref: str) -> Feed:
        """A feed by URL, name or id."""
        rows = (
            self.library._db()
            .execute(self._SELECT + " WHERE f.url = ? OR f.feed_id = ? OR f.name = ?", (ref, ref, ref))
            .fetchall()
        )
        if not rows:
            raise NotFound(f"no feed matches '{ref}' (see `briefing feeds list`)")
        return self._row(rows[0])

    def add(self, url: str, name: str | None, interval: float) -> tuple[Feed, bool]:
        """Subscribe (a known URL keeps its state; a new name or interval is applied); returns (feed, is_new)."""
        with self.library._tx() as db:
            row = db.execute("SELECT feed_id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row:
                db.execute(
                    "UPDATE feeds SET name = coalesce(?, name), interval = ? WHERE url = ?", (name, interval, url)
                )
            else:
                db.execute(
                    "INSERT INTO feeds(feed_id, url, name, interval, added_at) VALUES (?, ?, ?, ?, ?)",
                    # A random id: a moved feed keeps its id, and its old address may be followed again.
                    (uuid.uuid4().hex[:12], url, name, interval, time.time()),
                )
        return self.get(url), row is None

    def remove(self, feed: Feed) -> None:
        """Stop following a feed; its documents stay in the library, and its entries stay known."""
        with self.library._tx() as db:
            db.execute("DELETE FROM feeds WHERE feed_id = ?", (feed.feed_id,))

    def update(self, feed_id: str, **values: Any) -> None:
        names = ", ".join(f"{k} = ?" for k in values)
        with self.library._tx() as db:
            db.execute(f"UPDATE feeds SET {names} WHERE feed_id = ?", (*values.values(), feed_id))

    def move(self, feed: Feed, new_url: str) -> None:
        """Keep the feed under its new address (after a permanent redirect); a duplicate subscription merges."""
        with self.library._tx() as db:
            if db.execute("SELECT 1 FROM feeds WHERE url = ? AND feed_id != ?", (new_url, feed.feed_id)).fetchone():
                db.execute("DELETE FROM feeds WHERE url = ?", (new_url,))
            db.execute("UPDATE feeds SET url = ? WHERE feed_id = ?", (new_url, feed.feed_id))

    def known(self, entry_id: str) -> sqlite3.Row | None:
        return self.library._db().execute("SELECT * FROM feed_entries WHERE entry_id = ?", (entry_id,)).fetchone()

    def known_link(self, link: str) -> sqlite3.Row | None:
        return self.library._db().execute("SELECT * FROM feed_entries WHERE link = ? LIMIT 1", (link,)).fetchone()

    def remember(self, feed_id: str, entry: Entry, doc_key: str, doc_id: str, state: str) -> None:
        with self.library._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO feed_entries(entry_id, feed_id, link, doc_key, doc_id, entry_hash, state,"
                " seen_at) VALUES (?,?,?,?,?,?,?,?)",
                (entry.entry_id, feed_id, entry.link, doc_key, doc_id, entry.digest, state, time.time()),
            )

    def change_mark(self) -> int:
        """A number that changes whenever feeds add or update a document (a cheap signal for the UI)."""
        row = self.library._db().execute("SELECT count(*), max(seen_at) FROM feed_entries WHERE state = 'added'")
        count, last = row.fetchone()
        return hash((count, last)) & 0x7FFFFFFF

    def recent(self, limit: int = 20) -> list[tuple[float, str, str, str]]:
        """The latest entries taken in: (when, feed, state, document title)."""
        rows = (
            self.library._db()
            .execute(
                "SELECT e.seen_at, coalesce(f.name, f.url, e.feed_id) AS feed, e.state, d.title FROM feed_entries e"
                " LEFT JOIN feeds f ON f.feed_id = e.feed_id LEFT JOIN documents d ON d.doc_id = e.doc_id"
                " ORDER BY e.seen_at DESC LIMIT ?",
                (limit,),
            )
            .fetchall()
        )
        return [(float(r[0]), r[1] or "", r[2], r[3] or "") for r in rows]
