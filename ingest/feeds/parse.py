"""Reading feeds: RSS/Atom entries into documents, OPML subscription lists, and interval spellings."""

from __future__ import annotations

import email.utils
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlparse

from core.errors import BriefingError, LoadError
from ingest.clean import normalise, title_from_text
from ingest.loaders import Loaded
from ingest.outlets import host_of, outlet_for

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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
