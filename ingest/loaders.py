"""Readers that turn files, URLs and JSON dumps into clean text plus metadata.

Each loader yields `Loaded` records or `Failure`s: one bad record in a dump
never hides the good ones, and every failure names its origin and reason.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from core.errors import LoadError, UnsupportedType
from ingest.clean import normalise, strip_markdown, title_from_text, without_furniture
from ingest.dates import date_from_dateline, date_from_url, parse_date
from ingest.limits import Budget, encodable, printable, reading, size_text
from ingest.office import docx_document, pdf_document, text_field
from ingest.outlets import outlet_for


@dataclass(frozen=True)
class Loaded:
    """A document ready to chunk; `key` is its identity (same key, same document)."""

    key: str
    origin: str
    text: str
    title: str
    external_id: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None
    page_starts: tuple[int, ...] = ()
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Failure:
    """A source that could not be loaded, and why."""

    origin: str
    reason: str


Result = Loaded | Failure

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx", ".jsonl", ".json"}

_SOURCE_LINE = re.compile(r"^\s*(?:Source|Via|Originally published (?:at|in|by))\s*:\s*(\S.*?)\s*$", re.I | re.M)
_BYLINE = re.compile(r"^\s*By\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*$", re.M)


def load_path(path: Path, max_bytes: int, key: str | None = None, budget: Budget | None = None) -> Iterator[Result]:
    """Load one file, choosing the reader by suffix; failures come back as `Failure`s."""
    origin = str(path)
    budget = (budget or Budget()).started_now()
    try:
        if not encodable(str(path)):
            raise LoadError("the file name is not valid UTF-8; rename the file to add it")
        size = path.stat().st_size
        if size == 0:
            raise LoadError("empty file (0 bytes)")
        if size > max_bytes:
            raise LoadError(f"file is {size_text(size)}, over the {size_text(max_bytes)} limit")
        suffix = path.suffix.lower()
        identity = key or f"path:{path.resolve()}"
        if suffix in {".jsonl", ".json"}:
            yield from _load_json(path, suffix, budget)
            return
        reader = _READERS.get(suffix)
        if reader is None:
            raise UnsupportedType(f"unsupported file type '{suffix or '(none)'}'")
        with reading(budget):
            loaded = reader(path.read_bytes(), identity, origin)
        yield loaded
    except LoadError as exc:
        yield Failure(printable(origin), str(exc))
    except OSError as exc:
        yield Failure(printable(origin), f"cannot read file: {exc.strerror or exc}")
    except RecursionError:
        yield Failure(printable(origin), "nested too deeply to read (thousands of levels of markup or brackets)")


def load_bytes(data: bytes, name: str, key: str, origin: str) -> Loaded:
    """Load content already in memory (uploads, fetched URLs) by its file name's suffix."""
    reader = _READERS.get(Path(name).suffix.lower())
    if reader is None:
        raise UnsupportedType(f"unsupported file type '{Path(name).suffix or '(none)'}'")
    return reader(data, key, origin)


# --- plain text and Markdown -------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 text, or legacy 8-bit text that is clearly prose; anything else is refused."""
    if b"\x00" in data[:8192]:
        raise LoadError("binary data, not text")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        utf8_error = exc
    controls = sum(1 for b in data if b < 0x20 and b not in (9, 10, 13))
    if controls > len(data) * 0.01:
        raise LoadError("binary data, not text")
    # Well-formed multibyte sequences mean UTF-8 with damage, not a legacy encoding: reading it as
    # Windows-1252 would turn every accent and curly quote into mojibake.
    if not _UTF8_SEQUENCE.search(data):
        text = data.decode("cp1252", errors="replace")
        if _reads_as_legacy_prose(text):
            return text, ("not UTF-8; read as Windows-1252/Latin-1",)
    raise LoadError(f"not valid UTF-8 text (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Besides letters, what Windows-1252 prose holds above ASCII: typographic quotes, dashes, symbols.
_LEGACY_PUNCTUATION = frozenset("\u00a0¡¢£¥§©«®°±²³´µ¶·¹º»¼½¾¿×÷‘’‚“”„†‡•…‰‹›€™–—")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3,}")


def _reads_as_legacy_prose(text: str) -> bool:
    """Accents and typography scattered through mostly-ASCII words, not a misread multibyte encoding."""
    if "\ufffd" in text or _NON_ASCII_RUN.search(text):
        return False
    high = [ch for ch in text if ord(ch) >= 0x80]
    if any(not (ch.isalpha() or ch in _LEGACY_PUNCTUATION) for ch in high):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return len(high) <= letters * 0.25


def _edge_source_line(body: str) -> re.Match[str] | None:
    """A 'Source: https://…' line that is the first or last line: where the article came from.

    The same words inside the article (a chart's 'Source: IMF') are part of the text.
    """
    for line in _SOURCE_LINE.finditer(body):
        if not body[: line.start()].strip() or not body[line.end() :].strip():
            return line
    return None


def _split_front_matter(raw: str) -> tuple[dict[str, Any], str]:
    if not raw.startswith("---"):
        return {}, raw
    end = raw.find("\n---", 3)
    if end < 0:
        return {}, raw
    try:
        meta = yaml.safe_load(raw[3:end])
    except yaml.YAMLError as exc:
        raise LoadError(f"unreadable YAML front matter: {str(exc).splitlines()[0]}") from exc
    if not isinstance(meta, dict):
        return {}, raw
    body = raw[end + 4 :]
    return meta, body.split("\n", 1)[1] if "\n" in body else ""


def _text_document(data: bytes, key: str, origin: str) -> Loaded:
    raw, notes = decode_text(data)
    meta, body = _split_front_matter(raw)
    body = strip_markdown(body) if origin.lower().endswith((".md", ".markdown")) or meta else body
    url = text_field(meta.get("url"))
    source = text_field(meta.get("source") or meta.get("outlet") or meta.get("publisher"))
    line = _edge_source_line(body)
    if line:
        value = line.group(1)
        if value.startswith(("http://", "https://")):
            url = url or value
            source = source or outlet_for(value)
        else:
            source = source or value
        body = body[: line.start()] + body[line.end() :]
    author = text_field(meta.get("author"))
    if not author:
        byline = _BYLINE.search(body[:300])
        author = byline.group(1) if byline else None
    text = normalise(body)
    if not text:
        raise LoadError("no text in file")
    text, furniture = article_text(text, text_field(meta.get("title")))
    published = parse_date(meta.get("published") or meta.get("date")) or date_from_url(url) or date_from_dateline(text)
    return Loaded(
        key=_key_for(meta.get("id"), key),
        origin=origin,
        text=text,
        title=text_field(meta.get("title")) or title_from_text(text),
        external_id=text_field(meta.get("id")),
        source=source or outlet_for(url),
        url=url,
        published=published,
        author=author,
        notes=(*notes, *furniture),
    )


# --- HTML -----------------------------------------------------------------------------------------


def html_document(data: bytes | str, key: str, origin: str, url: str | None = None) -> Loaded:
    """Main text of a web page without navigation, plus title/date/author/site from its meta tags."""
    import trafilatura  # heavy; only needed for HTML

    html = data if isinstance(data, str) else _decode_html(data)
    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
    )
    info: dict[str, Any] = {}
    if extracted is not None:
        info = extracted if isinstance(extracted, dict) else extracted.as_dict()
    body = info.get("text") or ""
    if not body.strip():
        body = _deeply_nested_text(html)
    text = normalise(re.sub(r"\n+", "\n\n", body))
    if not text:
        raise LoadError("no readable text in the page (it holds only markup or script)")
    text, furniture = article_text(text, text_field(info.get("title")))
    page_url = url or text_field(info.get("url"))
    return Loaded(
        key=key,
        origin=origin,
        text=text,
        title=text_field(info.get("title")) or title_from_text(text),
        source=text_field(info.get("sitename")) or outlet_for(page_url),
        url=page_url,
        published=parse_date(info.get("date")) or date_from_url(page_url) or date_from_dateline(text),
        author=text_field(info.get("author")),
        notes=furniture,
    )


# lxml (under trafilatura) stops building the tree a few hundred levels down, so a page wrapped in
# thousands of elements reads as empty; such pages are read with the stdlib's flat tokenizer instead.
_LXML_DEPTH = 255
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object"})
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}
)

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _FlatText(HTMLParser):
    """Text outside scripts and styles, a paragraph break at each block element; no tree, so no depth limit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.deepest = 0
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _deeply_nested_text(html: str) -> str:
    """The text of a page nested deeper than lxml reads, or '' for an ordinary page."""
    parser = _FlatText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts) if parser.deepest > _LXML_DEPTH else ""


def _decode_html(data: bytes) -> str:
    head = data[:2048].decode("ascii", errors="ignore").lower()
    charset = re.search(r"charset=[\"']?([\w-]+)", head)
    for encoding in ([charset.group(1)] if charset else []) + ["utf-8"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    if b"\x00" in data[:8192]:
        raise LoadError("binary data, not HTML")
    return data.decode("cp1252", errors="replace")


def _html_file(data: bytes, key: str, origin: str) -> Loaded:
    return html_document(data, key, origin)


# --- PDF ------------------------------------------------------------------------------------------


def _load_json(path: Path, suffix: str, budget: Budget) -> Iterator[Result]:
    if suffix == ".jsonl":
        yield from _jsonl_records(path, budget)
        return
    try:
        raw, _ = decode_text(path.read_bytes())
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        yield Failure(str(path), f"invalid JSON: {exc.msg} at line {exc.lineno}")
        return
    except RecursionError:
        yield Failure(str(path), _TOO_DEEP)
        return
    except LoadError as exc:
        yield Failure(str(path), str(exc))
        return
    records = data.get("articles") or data.get("documents") or [data] if isinstance(data, dict) else data
    if not isinstance(records, list):
        yield Failure(str(path), "JSON holds neither an article nor a list of articles")
        return
    for number, record in enumerate(records, 1):
        budget.check_time(f"at record {number}")
        paused = time.monotonic()
        yield _record(record, f"{path}[{number}]", path)
        budget = budget.resumed(paused)


def _jsonl_records(path: Path, budget: Budget) -> Iterator[Result]:
    # The deadline is for reading: while the caller embeds a record, this generator is paused and its
    # clock with it, so a dump of thousands of articles is never cut off by the embedding it feeds.
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            budget.check_time(f"at line {number}")
            origin = f"{path}:{number}"
            if not line.strip():
                continue
            paused = time.monotonic()
            yield _jsonl_record(line, origin, path)
            budget = budget.resumed(paused)


def _jsonl_record(line: bytes, origin: str, path: Path) -> Result:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return Failure(origin, "line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return Failure(origin, f"invalid JSON ({exc.msg})")
    except RecursionError:
        return Failure(origin, _TOO_DEEP)
    return _record(record, origin, path)


_TOO_DEEP = "JSON nested too deeply to read (thousands of levels of brackets)"


def _record(record: object, origin: str, path: Path) -> Result:
    if not isinstance(record, dict):
        return Failure(origin, "record is not a JSON object")
    body = record.get("text") or record.get("body") or record.get("content")
    if not isinstance(body, str) or not body.strip():
        return Failure(origin, "record has no 'text'")
    try:
        text, furniture = article_text(normalise(body), text_field(record.get("title")))
    except LoadError as exc:
        return Failure(origin, str(exc))
    external = text_field(record.get("id"))
    url = text_field(record.get("url"))
    return Loaded(
        key=_key_for(external, f"record:{origin}"),
        origin=origin,
        text=text,
        title=text_field(record.get("title")) or title_from_text(text),
        external_id=external,
        source=text_field(record.get("source")) or outlet_for(url),
        url=url,
        published=parse_date(record.get("date") or record.get("published")) or date_from_url(url),
        author=text_field(record.get("author")),
        notes=furniture,
    )


# --- helpers --------------------------------------------------------------------------------------

FURNITURE_ONLY = "the page holds only furniture (a video player's ad-feedback form or a newsletter sign-up)"


def article_text(text: str, title: str | None) -> tuple[str, tuple[str, ...]]:
    """Normalised text without page furniture, and a note when that was all it held.

    Such a page (a video page whose scraped text is the player's ad form) keeps its headline as its
    text: the headline is what the page says, and it can then be found and quoted. Without a
    headline there is nothing to keep.
    """
    kept = without_furniture(text)
    if kept:
        return kept, ()
    if title:
        return title, (f"{FURNITURE_ONLY}; indexed by its headline alone",)
    raise LoadError(f"{FURNITURE_ONLY} and no headline")


def _key_for(external_id: object, fallback: str) -> str:
    value = text_field(external_id)
    return f"id:{value}" if value else fallback


_READERS: dict[str, Callable[[bytes, str, str], Loaded]] = {
    **dict.fromkeys(TEXT_SUFFIXES, _text_document),
    **dict.fromkeys(HTML_SUFFIXES, _html_file),
    ".pdf": pdf_document,
    ".docx": docx_document,
}
