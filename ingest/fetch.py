"""Fetch a web page or file over http(s) and load it like a local file."""

from __future__ import annotations

import functools
import ssl
from urllib.parse import urlparse

import httpx

from briefing.errors import LoadError
from ingest.loaders import Loaded, html_document, load_bytes, size_text

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


def fetch(url: str, timeout: float, max_bytes: int) -> Loaded:
    """Download url (following redirects, at most max_bytes) and extract its text."""
    try:
        with httpx.stream(
            "GET",
            url,
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": _USER_AGENT},
            verify=tls_context(),
        ) as response:
            if response.status_code >= 400:
                raise LoadError(f"HTTP {response.status_code} {response.reason_phrase}")
            chunks: list[bytes] = []
            total = 0
            for piece in response.iter_bytes():
                total += len(piece)
                if total > max_bytes:
                    raise LoadError(f"response is over the {size_text(max_bytes)} limit")
                chunks.append(piece)
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            final_url = str(response.url)
    except httpx.HTTPError as exc:
        raise LoadError(f"cannot fetch: {type(exc).__name__}: {exc}") from exc
    data = b"".join(chunks)
    if not data:
        raise LoadError("empty response")
    key = f"url:{url}"
    if kind in ("text/html", "application/xhtml+xml") or (not kind and data.lstrip()[:1] == b"<"):
        return html_document(data, key, url, url=final_url)
    suffix = _DOCX if kind == _DOCX else _KINDS.get(kind)
    if suffix == _DOCX:
        suffix = ".docx"
    if suffix is None:
        path_suffix = (
            "." + urlparse(final_url).path.rsplit(".", 1)[-1].lower() if "." in urlparse(final_url).path else ""
        )
        suffix = path_suffix if path_suffix in {".pdf", ".txt", ".md", ".docx"} else None
    if suffix is None:
        raise LoadError(f"unsupported content type '{kind or 'unknown'}'")
    loaded = load_bytes(data, f"page{suffix}", key, url)
    return loaded if loaded.url else _with_url(loaded, final_url)


def _with_url(loaded: Loaded, url: str) -> Loaded:
    from dataclasses import replace

    from ingest.outlets import outlet_for

    return replace(loaded, url=url, source=loaded.source or outlet_for(url))
