"""A local news site for the feed tests and the feed benchmark: RSS feeds and article pages that change on demand.

Feeds answer conditional GETs like a careful server (ETag from the body, 304 when it matches),
and each feed can be told to fail: an HTTP status (with Retry-After), a permanent move, a body
that is not a feed, an endless body, or no answer at all. Every request is recorded.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Item:
    """A feed entry; `article` is the full text its page shows (None: the link is not served)."""

    guid: str
    title: str
    summary: str
    article: str | None = None
    content: str | None = None  # full text inside the feed (content:encoded)
    author: str | None = None
    published: datetime = field(default_factory=lambda: datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    link: str | None = None  # default: /articles/<guid>.html on this server


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int


@dataclass
class Behaviour:
    """How a feed path answers besides normally."""

    status: int | None = None
    retry_after: str | None = None
    moved_to: str | None = None
    redirect_status: int = 301
    raw: bytes | None = None
    stall: float = 0.0  # seconds to wait before answering
    endless: bool = False  # stream bytes until the client gives up


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up is no error here
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FeedSite:
    """Feeds at /feeds/<name>.xml and articles at /articles/<guid>.html, served on 127.0.0.1."""

    def __init__(self) -> None:
        self.feeds: dict[str, tuple[str, list[Item]]] = {}  # name -> (channel title, items)
        self.behaviour: dict[str, Behaviour] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site._answer(self)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FeedSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, name: str) -> str:
        return f"{self.base}/feeds/{name}.xml"

    def link(self, item: Item) -> str:
        return item.link or f"{self.base}/articles/{item.guid}.html"

    def publish(self, name: str, title: str, items: list[Item]) -> None:
        with self.lock:
            self.feeds[name] = (title, list(items))

    def seen(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    # -- rendering ---------------------------------------------------------------------------------

    def rss(self, name: str) -> bytes:
        title, items = self.feeds[name]
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
            f"<channel><title>{escape(title)}</title><link>{self.base}/</link><description>news</description>",
        ]
        for item in items:
            parts.append("<item>")
            parts.append(f"<title>{escape(item.title)}</title><link>{escape(self.link(item))}</link>")
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
            parts.append(f"<pubDate>{format_datetime(item.published, usegmt=True)}</pubDate>")
            parts.append(f"<description>{escape('<p>' + item.summary + '</p>')}</description>")
            if item.author:
                parts.append(f"<dc:creator>{escape(item.author)}</dc:creator>")
            if item.content:
                paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.content.split("\n\n"))
                parts.append(f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded>")
            parts.append("</item>")
        parts.append("</channel></rss>")
        return "\n".join(parts).encode()

    def article(self, guid: str) -> bytes | None:
        for _, items in self.feeds.values():
            for item in items:
                if item.guid == guid and item.article is not None:
                    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.article.split("\n\n"))
                    return (
                        f"<!doctype html><html><head><title>{escape(item.title)}</title></head><body>"
                        f"<nav>Home | World | Business</nav><article><h1>{escape(item.title)}</h1>"
                        f"{paragraphs}</article><footer>© The site</footer></body></html>"
                    ).encode()
        return None

    # -- answering ---------------------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        headers = {k.lower(): v for k, v in handler.headers.items()}
        status, body, extra = self._response(path, headers)
        with self.lock:
            self.requests.append(Request(path, headers, status))
        name = path.removeprefix("/feeds/").removesuffix(".xml")
        behaviour = self.behaviour.get(name, Behaviour()) if path.startswith("/feeds/") else Behaviour()
        if behaviour.stall:
            time.sleep(behaviour.stall)
        try:
            handler.send_response(status)
            for key, value in extra.items():
                handler.send_header(key, value)
            if behaviour.endless:
                handler.send_header("Content-Type", "application/rss+xml")
                handler.end_headers()
                handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>')
                while True:
                    handler.wfile.write(b"<item><title>more</title></item>" * 512)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _response(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if path.startswith("/articles/"):
            page = self.article(path.removeprefix("/articles/").removesuffix(".html"))
            if page is None:
                return 404, b"not found", {"Content-Type": "text/plain"}
            return 200, page, {"Content-Type": "text/html; charset=utf-8"}
        name = path.removeprefix("/feeds/").removesuffix(".xml")
        behaviour = self.behaviour.get(name, Behaviour())
        if behaviour.moved_to:
            return behaviour.redirect_status, b"", {"Location": behaviour.moved_to}
        if behaviour.status:
            extra = {"Retry-After": behaviour.retry_after} if behaviour.retry_after else {}
            return behaviour.status, b"error", {"Content-Type": "text/plain", **extra}
        if behaviour.endless:
            return 200, b"", {}
        if behaviour.raw is not None:
            return 200, behaviour.raw, {"Content-Type": "application/rss+xml"}
        with self.lock:
            known = name in self.feeds
        if not known:
            return 404, b"no such feed", {"Content-Type": "text/plain"}
        body = self.rss(name)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if headers.get("if-none-match") == etag:
            return 304, b"", {"ETag": etag}
        return 200, body, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag}
