"""News feeds: RSS/Atom subscriptions polled politely, each new entry ingested once as a document.

State lives in the library's SQLite file beside the documents (tables `feeds`, `feed_entries`,
`feed_claims`), so a restarted process resumes where the last one stopped: it sends the stored
ETag and Last-Modified, skips entries it has already taken in, and waits out the intervals,
backoffs and Retry-After times it recorded.

An entry is identified by its GUID (else its link). It is not ingested again when that id or its
link is already known, when a document with its link is already in the library, or when its text
is a near-duplicate (per ingest/dedup.py) of a document the library holds: the wire copy five
outlets syndicate is taken in once. An entry whose content changed replaces its old version.

Before an entry is ingested it is claimed (see `Claims`): in server mode two processes polling the
same feed never both ingest one entry version.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import re
import socket
import sqlite3
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlparse

import httpx

from core.errors import BriefingError, LoadError, NotFound
from ingest.clean import normalise, title_from_text
from ingest.dedup import DuplicateIndex, signature, similarity
from ingest.fetch import fetch, tls_context
from ingest.loaders import Failure, Loaded, Result, size_text
from ingest.outlets import host_of, outlet_for
from ingest.pipeline import doc_id_for
from ingest.store import Library

if TYPE_CHECKING:
    from core.settings import Settings
    from ingest.pipeline import Ingestor, IngestReport
    from ingest.vectors import VectorIndex

log = logging.getLogger("briefing.feeds")

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

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
_MAX_HOPS = 5
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def user_agent() -> str:
    """The User-Agent every feed request sends: who is asking, so a publisher can tell."""
    from briefing import __version__

    return f"Briefing/{__version__} (+feed reader)"


# --- pure parts ------------------------------------------------------------------------------------


def parse_interval(text: str | float | int) -> float:
    """Seconds in an interval written '90s', '30m', '2h', '1d' (a bare number is minutes)."""
    if isinstance(text, int | float):
        return float(text) * 60
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise BriefingError(f"'{text}' is not an interval (write e.g. 90s, 30m, 2h or 1d)")
    value = float(match.group(1)) * _UNITS[match.group(2) or "m"]
    if value <= 0:
        raise BriefingError("an interval must be longer than zero")
    return value


def format_interval(seconds: float) -> str:
    """The shortest exact spelling of an interval: 1800 -> '30m'."""
    for unit in ("d", "h", "m"):
        size = _UNITS[unit]
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def backoff_delay(failures: int, interval: float, cap: float) -> float:
    """Wait after the n-th failure in a row: the interval, doubled per further failure, up to cap."""
    return min(cap, interval * 2 ** min(max(failures - 1, 0), 20))


class _TextOfHtml(HTMLParser):
    """Collects the visible text of an HTML fragment, a line break per block element."""

    _BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "tr",
            "table",
            "section",
            "article",
        ]
    )
    _HIDDEN = frozenset(("script", "style", "template", "noscript"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def fragment_text(value: str) -> str:
    """Plain text of an HTML fragment (a feed's summary or content); plain text passes through."""
    if "<" not in value and "&" not in value:
        return normalise(value)
    parser = _TextOfHtml()
    parser.feed(value)
    parser.close()
    text = "".join(parser.parts)
    # Inline runs of spaces from the markup collapse; paragraph breaks stay.
    return normalise(re.sub(r"[ \t]*\n[ \t]*\n\s*", "\n\n", re.sub(r"[ \t\r\f\v]*\n(?!\n)[ \t]*", " ", text)))


@dataclass(frozen=True)
class Entry:
    """One feed item as the feed describes it."""

    entry_id: str
    link: str | None
    title: str
    summary: str
    content: str
    published: date | None
    author: str | None
    outlet: str | None
    digest: str

    @property
    def doc_key(self) -> str:
        """The document identity: the link's (as `briefing ingest URL` uses), else the entry id."""
        return f"url:{self.link}" if self.link else f"feed:{self.entry_id}"


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed document: its title and site link, its entries, and any XML trouble noted."""

    title: str | None
    link: str | None
    entries: tuple[Entry, ...]
    problem: str | None = None


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom with feedparser (from bytes: feedparser never fetches anything here).

    Raises LoadError when the bytes are not a feed at all; a feed with recoverable XML damage
    parses with `problem` set.
    """
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    problem = None
    exc = parsed.get("bozo_exception")
    # A feed served as text/html or with a wrong charset label still parses; only broken XML is a problem.
    harmless = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    if parsed.get("bozo") and not isinstance(exc, harmless):
        problem = f"{type(exc).__name__}: {exc}" if exc else "malformed XML"
    entries = tuple(e for e in (_entry(raw, url) for raw in parsed.entries) if e is not None)
    if not entries and (not parsed.get("version") or problem):
        raise LoadError(f"not a readable RSS or Atom feed ({problem or 'no feed elements found'})")
    feed = parsed.get("feed", {})
    title = fragment_text(feed.get("title", "")) or None
    return ParsedFeed(title, feed.get("link") or None, entries, problem)


def _entry(raw: Any, feed_url: str) -> Entry | None:
    link = raw.get("link") or None
    if link and urlparse(link).scheme not in ("http", "https"):
        link = None
    guid = (raw.get("id") or "").strip()
    title = fragment_text(raw.get("title", ""))
    summary = fragment_text(raw.get("summary", ""))
    content = "\n\n".join(fragment_text(c.get("value", "")) for c in raw.get("content") or [] if c.get("value"))
    if guid:
        # A bare GUID ("1234") is only unique within its feed; a URL or URN is unique on its own.
        entry_id = guid if ":" in guid else f"{feed_url}#{guid}"
    elif link:
        entry_id = link
    elif title or summary:
        entry_id = f"{feed_url}#" + hashlib.sha1(f"{title}\x1f{summary}".encode()).hexdigest()[:16]
    else:
        return None
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
    source = raw.get("source") or {}
    outlet = fragment_text(source.get("title", "")) or None if hasattr(source, "get") else None
    parts = (entry_id, link or "", title, summary, content, raw.get("updated", ""), raw.get("published", ""))
    digest = hashlib.sha256("\x1e".join(parts).encode()).hexdigest()
    detail = raw.get("author_detail") or {}
    author = fragment_text(detail.get("name") or raw.get("author", "")) or None
    return Entry(entry_id, link, title, summary, content, published, author, outlet, digest)


def entry_document(entry: Entry, outlet: str | None, article: Loaded | None, origin: str) -> Loaded:
    """The document for an entry: the fetched article's text, else the feed's own text.

    Title, date, author and outlet come from the feed first (the publisher's own values), then
    from the article page.
    """
    text = (article.text if article else "") or entry.content or entry.summary
    if not text:
        raise LoadError("the entry has no text and its article could not be read")
    title = entry.title or (article.title if article else "") or title_from_text(text)
    # The heading repeats the title so a question about the headline finds the passage that carries it.
    if not text.startswith(title):
        text = f"{title}\n\n{text}"
    link_outlet = outlet_for(entry.link)
    known_outlet = link_outlet if link_outlet != host_of(entry.link) else None
    return Loaded(
        key=entry.doc_key,
        origin=origin,
        text=text,
        title=title,
        source=entry.outlet or known_outlet or outlet or (article.source if article else None) or link_outlet,
        url=entry.link or (article.url if article else None),
        published=entry.published or (article.published if article else None),
        author=entry.author or (article.author if article else None),
    )


# --- OPML ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSpec:
    """A subscription as OPML carries it."""

    url: str
    name: str | None = None


def parse_opml(data: bytes) -> list[FeedSpec]:
    """The feeds an OPML file lists (outlines with an xmlUrl, at any depth, in order)."""
    try:
        root = ET.fromstring(data)  # expat >= 2.4.1 refuses entity-expansion bombs
    except ET.ParseError as exc:
        raise LoadError(f"not a readable OPML file ({exc})") from exc
    if root.tag.lower() != "opml":
        raise LoadError(f"not an OPML file (its root element is <{root.tag}>)")
    specs: list[FeedSpec] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        name = (outline.get("title") or outline.get("text") or "").strip() or None
        specs.append(FeedSpec(url, name))
    return specs


def render_opml(feeds: Sequence[FeedSpec], title: str = "Briefing feeds") -> str:
    """An OPML 2.0 document listing the feeds (what every feed reader imports)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = feed.name or host_of(feed.url) or feed.url
        ET.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=feed.url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- HTTP ------------------------------------------------------------------------------------------


class FeedFetchError(BriefingError):
    """A feed request that failed; `status` is the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None, wait: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.wait = wait


@dataclass(frozen=True)
class FeedResponse:
    """What a conditional GET brought back (status 200 or 304)."""

    status: int
    body: bytes
    url: str
    content_type: str | None
    etag: str | None
    last_modified: str | None
    moved_to: str | None  # a permanent redirect's target: the feed's new address


@dataclass(frozen=True)
class Limits:
    """What every feed request is held to."""

    timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 5_000_000


def get_feed(url: str, etag: str | None, last_modified: str | None, limits: Limits) -> FeedResponse:
    """A conditional GET of a feed, following up to 5 redirects, within the timeout, deadline and size limit."""
    headers = {"User-Agent": user_agent(), "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    end = time.monotonic() + limits.deadline
    moved_to: str | None = None
    permanent = True
    with httpx.Client(follow_redirects=False, headers=headers, verify=tls_context()) as client:
        for _ in range(_MAX_HOPS + 1):
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise FeedFetchError(f"no complete answer within the {limits.deadline:g} s deadline")
            timeout = httpx.Timeout(min(limits.timeout, remaining))
            try:
                with client.stream("GET", url, timeout=timeout) as response:
                    status = response.status_code
                    location = response.headers.get("location")
                    if status in _REDIRECTS and location:
                        target = urljoin(url, location)
                        # Only a chain of permanent moves changes the address the feed is kept under.
                        permanent = permanent and status in _PERMANENT
                        moved_to = target if permanent else moved_to
                        url = target
                        continue
                    if status == 304:
                        return FeedResponse(304, b"", url, None, etag, last_modified, moved_to)
                    if status != 200:
                        raise _status_error(response)
                    body = _read(response, limits, end)
                    return FeedResponse(
                        200,
                        body,
                        url,
                        response.headers.get("content-type"),
                        response.headers.get("etag"),
                        response.headers.get("last-modified"),
                        moved_to,
                    )
            except httpx.TimeoutException as exc:
                raise FeedFetchError(f"no answer within {timeout.read:g} s ({type(exc).__name__})") from exc
            except httpx.HTTPError as exc:
                raise FeedFetchError(f"cannot reach the feed ({type(exc).__name__}: {exc})") from exc
    raise FeedFetchError(f"more than {_MAX_HOPS} redirects")


def _read(response: httpx.Response, limits: Limits, end: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FeedFetchError(f"the feed is {size_text(int(declared))}, over the {size_text(limits.max_bytes)} limit")
    parts: list[bytes] = []
    total = 0
    # Decoded bytes are counted, so a small gzip bomb is stopped too.
    for piece in response.iter_bytes():
        total += len(piece)
        if total > limits.max_bytes:
            raise FeedFetchError(f"the feed is over the {size_text(limits.max_bytes)} limit")
        if time.monotonic() > end:
            raise FeedFetchError(f"no complete answer within the {limits.deadline:g} s deadline")
        parts.append(piece)
    return b"".join(parts)


def _status_error(response: httpx.Response) -> FeedFetchError:
    status = response.status_code
    wait = retry_after(response.headers.get("retry-after"), time.time())
    if status == 410:
        message = "gone (HTTP 410): the publisher has removed this feed; remove it or fix its address"
    elif status == 404:
        message = "not found (HTTP 404): check the address, or remove the feed"
    elif status in (401, 403):
        message = f"refused (HTTP {status} {response.reason_phrase})"
    elif status in (429, 503):
        asked = f"; the server asked to wait {wait:.0f} s" if wait is not None else ""
        message = f"the server is busy (HTTP {status} {response.reason_phrase}){asked}"
    else:
        message = f"HTTP {status} {response.reason_phrase}"
    return FeedFetchError(message, status, wait)


# --- claims ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming one entry version: won (ingest it), busy (another is on it) or done."""

    key: str
    state: str
    doc_id: str | None = None
    token: str = ""


class Claims(Protocol):
    """Who ingests an entry version: at most one process at a time, and once it is done, nobody again."""

    def take(self, key: str) -> Claim: ...

    def finish(self, claim: Claim, doc_id: str) -> None: ...

    def release(self, claim: Claim) -> None: ...


def owner_id() -> str:
    """Host and pid (for people reading the table) plus a random part: each poll claims as a new owner."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LocalClaims:
    """Claims in the library's SQLite file: serialised by SQLite's write lock (one machine, one data folder)."""

    def __init__(self, library: Library, lease: float) -> None:
        self.library = library
        self.lease = lease
        self.owner = owner_id()

    def take(self, key: str) -> Claim:
        now = time.time()
        with self.library._tx() as db:
            row = db.execute("SELECT owner, expires, doc_id FROM feed_claims WHERE claim = ?", (key,)).fetchone()
            if row and row["doc_id"]:
                return Claim(key, "done", row["doc_id"])
            if row and row["owner"] != self.owner and row["expires"] > now:
                return Claim(key, "busy")
            db.execute(
                "INSERT OR REPLACE INTO feed_claims(claim, owner, expires, doc_id) VALUES (?, ?, ?, NULL)",
                (key, self.owner, now + self.lease),
            )
        return Claim(key, "won", token=key)

    def finish(self, claim: Claim, doc_id: str) -> None:
        with self.library._tx() as db:
            db.execute(
                "UPDATE feed_claims SET doc_id = ? WHERE claim = ? AND owner = ?", (doc_id, claim.key, self.owner)
            )

    def release(self, claim: Claim) -> None:
        with self.library._tx() as db:
            db.execute(
                "DELETE FROM feed_claims WHERE claim = ? AND owner = ? AND doc_id IS NULL", (claim.key, self.owner)
            )


class ServerClaims:
    """Claims on the Chroma server, so processes with separate data folders (or machines) agree.

    Chroma has no transactions, but `add` never overwrites a record that exists: of two processes
    adding the same record id, the one whose write the server applies first keeps it, and both
    read back the same owner. A claim is record `<key>#<n>`; a lease that expired (its owner
    died) is taken over by adding `<key>#<n+1>`, which again only one process can win.
    """

    def __init__(self, index: VectorIndex, lease: float) -> None:
        self.index = index
        self.lease = lease
        self.owner = owner_id()

    def take(self, key: str) -> Claim:
        now = time.time()
        found = self.index._call("get", where={"claim": key}, include=["metadatas"])
        latest: dict[str, Any] | None = None
        for meta in found["metadatas"]:
            if latest is None or int(meta["n"]) > int(latest["n"]):
                latest = dict(meta)
        if latest is not None:
            if latest.get("doc_id"):
                return Claim(key, "done", str(latest["doc_id"]))
            if float(latest["expires"]) > now:
                mine = latest["owner"] == self.owner
                return Claim(key, "won", token=f"{key}#{latest['n']}") if mine else Claim(key, "busy")
        n = int(latest["n"]) + 1 if latest is not None else 0
        record = f"{key}#{n}"
        meta = {"claim": key, "n": n, "owner": self.owner, "expires": now + self.lease}
        try:
            self.index._call("add", ids=[record], embeddings=[_unit(record)], metadatas=[meta])
        except BriefingError:
            raise
        except Exception:  # a server that refuses a duplicate id: someone else added it first
            log.debug("claim %s: add refused", record, exc_info=True)
        stored = self.index._call("get", ids=[record], include=["metadatas"])
        if stored["ids"] and stored["metadatas"][0].get("owner") == self.owner:
            return Claim(key, "won", token=record)
        return Claim(key, "busy")

    def finish(self, claim: Claim, doc_id: str) -> None:
        n = int(claim.token.rsplit("#", 1)[1])
        meta = {"claim": claim.key, "n": n, "owner": self.owner, "expires": time.time(), "doc_id": doc_id}
        self.index._call("upsert", ids=[claim.token], embeddings=[_unit(claim.token)], metadatas=[meta])

    def release(self, claim: Claim) -> None:
        self.index.delete([claim.token])


def _unit(record: str) -> list[float]:
    """Claims are looked up by id and metadata, never by similarity; a small distinct vector each."""
    return [b / 255 + 0.01 for b in hashlib.sha1(record.encode()).digest()[:8]]


# --- state -----------------------------------------------------------------------------------------


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


# --- polling ---------------------------------------------------------------------------------------


@dataclass
class PollResult:
    """What one poll of one feed did."""

    url: str
    name: str
    ok: bool
    status: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    known: int = 0
    failed: list[Failure] = field(default_factory=list)
    skipped: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # ingest stages (load, embed, write)


@dataclass(frozen=True)
class PollSettings:
    """How politely, and within which limits, feeds are polled."""

    limits: Limits = Limits()
    min_interval: float = 60.0
    max_backoff: float = 86400.0
    max_entries: int = 200
    fetch_articles: bool = True
    article_timeout: float = 20.0
    article_max_bytes: int = 10 * 1024 * 1024
    near_duplicate: float = 0.5


def poll_settings(settings: Settings) -> PollSettings:
    """The polling limits from the app's settings."""
    s = settings.feeds
    return PollSettings(
        limits=Limits(s.timeout, s.deadline, s.max_bytes),
        min_interval=s.min_interval,
        max_backoff=s.max_backoff,
        max_entries=s.max_entries,
        fetch_articles=s.fetch_articles,
        article_timeout=settings.ingest.fetch_timeout,
        article_max_bytes=settings.ingest.max_file_bytes,
    )


class FeedPoller:
    """Polls feeds and ingests their new entries through the library's Ingestor."""

    def __init__(
        self,
        library: Library,
        ingestor: Callable[[], Ingestor],
        claims: Callable[[], Claims],
        settings: PollSettings,
        fetch_article: Callable[[str, float, int], Loaded] | None = None,
    ) -> None:
        self.store = FeedStore(library)
        self.library = library
        self._ingestor = ingestor
        self._claims = claims
        self.settings = settings
        self._fetch_article = fetch_article or fetch
        # One poll at a time per process: the background thread and a button press never interleave.
        self.lock = threading.Lock()

    def next_due(self) -> float | None:
        """The earliest time a feed may be polled again (None without feeds)."""
        feeds = self.store.all()
        return min((f.next_poll for f in feeds), default=None)

    def poll(
        self, everything: bool = False, only: Sequence[str] = (), progress: Callable[[PollResult], None] | None = None
    ) -> list[PollResult]:
        """Poll the feeds that are due (all of them with everything=True, bar a server's Retry-After)."""
        results: list[PollResult] = []
        with self.lock:
            now = time.time()
            for feed in self.store.all():
                if only and feed.feed_id not in only and feed.url not in only:
                    continue
                if not (everything or only) and not feed.due(now):
                    continue
                if feed.hold_until > now:
                    wait = feed.hold_until - now
                    result = PollResult(feed.url, feed.label, feed.ok, f"{feed.status} (waiting {wait:.0f} s more)")
                    result.skipped = True
                else:
                    result = self._poll_one(feed)
                results.append(result)
                if progress:
                    progress(result)
        return results

    def _poll_one(self, feed: Feed) -> PollResult:
        started = time.time()
        interval = max(feed.interval, self.settings.min_interval)
        try:
            response = get_feed(feed.url, feed.etag, feed.last_modified, self.settings.limits)
        except FeedFetchError as exc:
            return self._failed(feed, str(exc), started, interval, exc.wait)
        except Exception as exc:  # a feed must never stop the others
            log.exception("polling %s failed", feed.url)
            return self._failed(feed, f"{type(exc).__name__}: {exc}", started, interval, None)
        moved = ""
        if response.moved_to and response.moved_to != feed.url:
            self.store.move(feed, response.moved_to)
            moved = f"moved permanently to {response.moved_to} (now polled there); "
            feed = replace(feed, url=response.moved_to)
        if response.status == 304:
            return self._succeeded(feed, PollResult(feed.url, feed.label, True, ""), started, interval, response, moved)
        try:
            parsed = parse_feed(response.body, response.url, response.content_type)
        except LoadError as exc:
            return self._failed(feed, str(exc), started, interval, None, moved)
        if not feed.name and parsed.title:
            self.store.update(feed.feed_id, name=parsed.title)
            feed = replace(feed, name=parsed.title)
        result = PollResult(feed.url, feed.label, True, "")
        try:
            self._take_in(feed, parsed, result)
        except Exception as exc:  # the store failed (e.g. the Chroma server went away): retry next time
            log.exception("ingesting entries of %s failed", feed.url)
            reason = f"could not store its entries ({type(exc).__name__}: {exc})"
            return self._failed(feed, reason, started, interval, None, moved)
        note = f"; feed has XML errors ({parsed.problem})" if parsed.problem else ""
        return self._succeeded(feed, result, started, interval, response, moved, note)

    def _succeeded(
        self,
        feed: Feed,
        result: PollResult,
        started: float,
        interval: float,
        response: FeedResponse,
        moved: str = "",
        note: str = "",
    ) -> PollResult:
        if response.status == 304:
            summary = "not modified (HTTP 304)"
        else:
            counts = [f"{len(result.added)} new"]
            if result.updated:
                counts.append(f"{len(result.updated)} updated")
            if result.merged:
                counts.append(f"{len(result.merged)} merged (copies of stories already in the library)")
            if result.known:
                counts.append(f"{result.known} seen before")
            if result.failed:
                counts.append(f"{len(result.failed)} failed ({result.failed[0].reason})")
            summary = "OK: " + ", ".join(counts)
        result.status = moved + summary + note
        self.store.update(
            feed.feed_id,
            etag=response.etag if response.status == 200 else feed.etag,
            last_modified=response.last_modified if response.status == 200 else feed.last_modified,
            last_poll=started,
            last_ok=started,
            ok=1,
            status=result.status,
            next_poll=started + interval,
            hold_until=0,
            failures=0,
            backoff=0,
            new_items=len(result.added) + len(result.updated),
            entry_errors=len(result.failed),
        )
        return result

    def _failed(
        self, feed: Feed, reason: str, started: float, interval: float, wait: float | None, moved: str = ""
    ) -> PollResult:
        failures = feed.failures + 1
        delay = backoff_delay(failures, interval, self.settings.max_backoff)
        hold = 0.0
        if wait is not None:
            # A server's Retry-After is honoured (up to the longest backoff), even by `feeds poll --all`.
            wait = min(wait, self.settings.max_backoff)
            delay = max(delay, wait)
            hold = started + wait
        status = f"{moved}{reason}; {_ordinal(failures)} failure in a row, next try in {_duration(delay)}"
        self.store.update(
            feed.feed_id,
            last_poll=started,
            ok=0,
            status=status,
            next_poll=started + delay,
            hold_until=hold,
            failures=failures,
            backoff=delay,
            new_items=0,
        )
        return PollResult(feed.url, feed.label, False, status)

    # -- entries ------------------------------------------------------------------------------------

    def _take_in(self, feed: Feed, parsed: ParsedFeed, result: PollResult) -> None:
        entries = list(parsed.entries[: self.settings.max_entries])
        claims = self._claims()
        won: dict[str, tuple[Claim, Entry, str, str, bool]] = {}  # doc id -> (claim, entry, doc id, key, update)
        duplicates = DuplicateIndex(self.library)
        fresh: list[tuple[Any, str]] = []  # signatures of texts yielded in this poll, with their doc ids

        def documents() -> Iterator[Result]:
            for entry in entries:
                plan = self._plan(feed, entry, result)
                if plan is None:
                    continue
                doc_key, update = plan
                doc_id = doc_id_for(doc_key)
                if doc_id in won:  # two entries of this poll with one link: the first one stands
                    result.known += 1
                    continue
                # One claim per entry version: an update is claimed (and ingested) once too.
                claim = claims.take(hashlib.sha1(f"{entry.entry_id}\x1f{entry.digest}".encode()).hexdigest())
                if claim.state != "won":
                    if claim.state == "done" and claim.doc_id:
                        self.store.remember(feed.feed_id, entry, doc_key, claim.doc_id, "known")
                    result.known += 1
                    continue
                try:
                    loaded = self._document(feed, entry, parsed, doc_key)
                except LoadError as exc:
                    claims.release(claim)
                    result.failed.append(Failure(entry.link or entry.entry_id, str(exc)))
                    continue
                copy_of = self._copy_of(duplicates, fresh, loaded.text, doc_id)
                if copy_of is not None:
                    self.store.remember(feed.feed_id, entry, doc_key, copy_of, "merged")
                    claims.finish(claim, copy_of)
                    result.merged.append(loaded.title)
                    continue
                won[doc_id] = (claim, entry, doc_id, doc_key, update)
                yield loaded

        report: IngestReport | None = None
        try:
            report = self._ingestor().run_results(documents())
        finally:
            for claim, entry, doc_id, doc_key, update in won.values():
                origin = entry.link or entry.entry_id
                if report is None or not ({origin} & {*report.added, *report.updated, *report.unchanged}):
                    claims.release(claim)  # not stored: free for the next poll (or another process)
                    continue
                claims.finish(claim, doc_id)
                self.store.remember(feed.feed_id, entry, doc_key, doc_id, "added")
                label = entry.title or origin
                if origin in report.added or origin in report.updated:
                    (result.updated if update else result.added).append(label)
                else:
                    result.known += 1  # the feed entry changed but the stored document did not
        if report:
            result.failed.extend(report.failed)
            result.seconds = dict(report.seconds)

    def _plan(self, feed: Feed, entry: Entry, result: PollResult) -> tuple[str, bool] | None:
        """(document key, is an update) for an entry to take in, or None when it is already known."""
        row = self.store.known(entry.entry_id)
        if row is not None:
            if row["entry_hash"] == entry.digest or row["state"] != "added":
                result.known += 1
                return None
            return row["doc_key"], True  # the publisher changed it: the new version replaces the old
        own = self.library.find_by_key(entry.doc_key)
        if own is not None:
            # Stored under this entry's identity (by a poll interrupted before it could note it, or by
            # `briefing ingest LINK`): noted as this feed's, so later changes to the entry replace it.
            self.store.remember(feed.feed_id, entry, entry.doc_key, own[0], "added")
            result.known += 1
            return None
        by_link = self.store.known_link(entry.link) if entry.link else None
        if by_link is not None:
            # Another feed carried the same article under another GUID.
            self.store.remember(feed.feed_id, entry, entry.doc_key, by_link["doc_id"], "known")
            result.known += 1
            return None
        return entry.doc_key, False

    def _document(self, feed: Feed, entry: Entry, parsed: ParsedFeed, doc_key: str) -> Loaded:
        article: Loaded | None = None
        # Feeds that carry the article put it in <content:encoded> or Atom <content>, beyond the summary.
        has_full_text = len(entry.content) > len(entry.summary)
        if not has_full_text and entry.link and self.settings.fetch_articles:
            try:
                article = self._fetch_article(
                    entry.link, self.settings.article_timeout, self.settings.article_max_bytes
                )
            except LoadError as exc:
                if not (entry.summary or entry.content):
                    raise LoadError(f"cannot read the article ({exc}) and the feed gives no text") from exc
                log.info("article %s unreadable (%s); keeping the feed's summary", entry.link, exc)
        loaded = entry_document(entry, feed.name or parsed.title, article, entry.link or entry.entry_id)
        return replace(loaded, key=doc_key)

    def _copy_of(self, duplicates: DuplicateIndex, fresh: list[tuple[Any, str]], text: str, doc_id: str) -> str | None:
        """The doc id of a document (other than this one) that this text near-duplicates, if any."""
        sig = signature(text)
        if sig is None:
            return None
        found = duplicates.similar(sig, exclude=doc_id)
        if found is not None and found.similarity >= self.settings.near_duplicate:
            return found.doc_id
        for other, other_id in fresh:
            if other_id != doc_id and similarity(sig, other) >= self.settings.near_duplicate:
                return other_id
        fresh.append((sig, doc_id))
        return None


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


# --- the background thread -------------------------------------------------------------------------


class BackgroundPolling:
    """A daemon thread that polls due feeds, sleeping until the next one is due (at most `tick` seconds)."""

    def __init__(self, poll: Callable[[], object], next_due: Callable[[], float | None], tick: float = 30.0) -> None:
        self._poll = poll
        self._next_due = next_due
        self.tick = tick
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="briefing-feeds")
        self.rounds = 0

    def start(self) -> BackgroundPolling:
        self.thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def _run(self) -> None:
        while not self.stop_event.is_set():
            wait = self.tick
            try:
                self._poll()
                due = self._next_due()
                if due is not None:
                    wait = min(self.tick, max(1.0, due - time.time()))
            except Exception:  # keep going: the next round may find the store reachable again
                log.exception("background feed poll failed")
            self.rounds += 1
            self.stop_event.wait(wait)


# --- subscriptions ---------------------------------------------------------------------------------


def add_feed(store: FeedStore, url: str, name: str | None, every: str) -> Feed:
    """Follow a feed; a URL already followed keeps its state and takes the new name and interval."""
    url = url.strip()
    if urlparse(url).scheme not in ("http", "https") or not urlparse(url).hostname:
        raise BriefingError(f"'{url}' is not an http(s) URL")
    feed, _ = store.add(url, (name or "").strip() or None, parse_interval(every))
    return feed


def import_opml(store: FeedStore, data: bytes, every: str) -> list[tuple[Feed, bool]]:
    """Follow the feeds of an OPML file; feeds already followed keep their interval."""
    out: list[tuple[Feed, bool]] = []
    for spec in parse_opml(data):
        if urlparse(spec.url).scheme not in ("http", "https"):
            continue
        try:
            out.append((store.get(spec.url), False))
        except NotFound:
            out.append(store.add(spec.url, spec.name, parse_interval(every)))
    return out


def export_opml(feeds: Sequence[Feed]) -> str:
    return render_opml([FeedSpec(f.url, f.name) for f in feeds])


def describe_results(results: Sequence[PollResult], elapsed: float | None = None) -> list[str]:
    """One line per polled feed, then the totals, as the CLI prints them."""
    lines = [f"{'ok ' if r.ok else 'ERR'}  {r.name}: {r.status}" for r in results]
    stages = {stage: sum(r.seconds.get(stage, 0.0) for r in results) for stage in ("load", "embed", "write")}
    new = sum(len(r.added) for r in results)
    updated = sum(len(r.updated) for r in results)
    failed = sum(1 for r in results if not r.ok and not r.skipped)
    total = f"{len(results)} feeds polled: {new} new, {updated} updated, {failed} failed"
    if elapsed is not None:
        split = ", ".join(f"{stage} {value:.1f}s" for stage, value in stages.items())
        total += f" in {elapsed:.1f}s (ingest {split})"
    return [*lines, total]
