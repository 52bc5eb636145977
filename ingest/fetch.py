"""Fetch a web page or file over http(s) and load it like a local file.

A download has an overall deadline, not just a per-read timeout (a server that sends a byte
every few seconds never trips a read timeout), and a compressed body is unpacked step by step
up to the size limit, never in full first.
"""

from __future__ import annotations

import functools
import ssl
import threading
import time
from dataclasses import dataclass, replace
from urllib.parse import urlparse

import httpx

from core.errors import LoadError
from ingest.limits import BoundedDecoder, size_text
from ingest.loaders import Loaded, html_document, load_bytes

_USER_AGENT = "Briefing/0.1 (+research briefing tool)"
_KINDS = {"application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md"}
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verified TLS context (httpx's CA bundle) for every request: building one costs ~50 ms."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def is_url(target: str) -> bool:
    return urlparse(target).scheme in {"http", "https"}


@dataclass(frozen=True)
class Download:
    """A fetched body, decoded, before its text is extracted."""

    url: str
    final_url: str
    kind: str
    data: bytes

    def load(self) -> Loaded:
        """Extract text and metadata by content type (or the URL's suffix)."""
        data, kind, url, final_url = self.data, self.kind, self.url, self.final_url
        if not data:
            raise LoadError("empty response")
        key = f"url:{url}"
        if kind in ("text/html", "application/xhtml+xml") or (not kind and data.lstrip()[:1] == b"<"):
            return html_document(data, key, url, url=final_url)
        suffix = ".docx" if kind == _DOCX else _KINDS.get(kind)
        if suffix is None:
            path = urlparse(final_url).path
            path_suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
            suffix = path_suffix if path_suffix in {".pdf", ".txt", ".md", ".docx"} else None
        if suffix is None:
            raise LoadError(f"unsupported content type '{kind or 'unknown'}'")
        loaded = load_bytes(data, f"page{suffix}", key, url)
        return loaded if loaded.url else _with_url(loaded, final_url)


def fetch(url: str, timeout: float, max_bytes: int, deadline: float = 60.0) -> Loaded:
    """Download url (following redirects, at most max_bytes, within `deadline` seconds) and extract its text."""
    return download(url, timeout, max_bytes, deadline).load()


def download(url: str, timeout: float, max_bytes: int, deadline: float = 60.0) -> Download:
    """The decoded body of url, or LoadError; never waits much past `deadline` seconds in all.

    The transfer runs in a helper thread the caller waits for with a timeout, so even a read
    blocked inside the socket cannot hold the caller; the thread gives up at its next read.
    """
    if not deadline:
        return _download(url, timeout, max_bytes, threading.Event(), None)
    stop = threading.Event()
    outcome: list[Download | BaseException] = []
    ends = time.monotonic() + deadline

    def run() -> None:
        try:
            outcome.append(_download(url, min(timeout, deadline), max_bytes, stop, ends))
        except BaseException as exc:  # handed to the waiting caller
            outcome.append(exc)

    worker = threading.Thread(target=run, name="briefing-fetch", daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive() or not outcome:
        stop.set()
        raise LoadError(
            f"download took longer than the {deadline:g}-second limit per URL (setting fetch_deadline); stopped"
        )
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _download(url: str, timeout: float, max_bytes: int, stop: threading.Event, ends: float | None) -> Download:
    # Only encodings unpacked here, step by step; httpx would inflate each network read in one go.
    headers = {"User-Agent": _USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    try:
        with httpx.stream(
            "GET", url, timeout=timeout, follow_redirects=True, headers=headers, verify=tls_context()
        ) as response:
            if response.status_code >= 400:
                raise LoadError(f"HTTP {response.status_code} {response.reason_phrase}")
            decoder = BoundedDecoder(response.headers.get("content-encoding", ""), max_bytes)
            chunks: list[bytes] = []
            received = 0
            for piece in response.iter_raw():
                if stop.is_set() or (ends is not None and time.monotonic() > ends):
                    raise LoadError("download stopped at its deadline")
                received += len(piece)
                if received > max_bytes:
                    raise LoadError(f"response is over the {size_text(max_bytes)} limit")
                chunks.append(decoder.feed(piece))
            decoder.finish()
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            final_url = str(response.url)
    except httpx.HTTPError as exc:
        raise LoadError(f"cannot fetch: {type(exc).__name__}: {exc}") from exc
    return Download(url, final_url, kind, b"".join(chunks))


def _with_url(loaded: Loaded, url: str) -> Loaded:
    from ingest.outlets import outlet_for

    return replace(loaded, url=url, source=loaded.source or outlet_for(url))
