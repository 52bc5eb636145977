"""Polite feed requests: conditional GETs within a timeout, deadline and size limit, and backoff."""

from __future__ import annotations

import email.utils
import functools
import importlib.metadata
import time
from dataclasses import dataclass
from datetime import UTC
from urllib.parse import urljoin

import httpx

from core.errors import BriefingError
from ingest.fetch import tls_context
from ingest.loaders import size_text

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
_MAX_HOPS = 5


@functools.cache
def user_agent() -> str:
    """The User-Agent every feed request sends: who is asking, so a publisher can tell."""
    # The installed distribution's version, not briefing.__version__: ingest never imports the app edge.
    try:
        version = importlib.metadata.version("research-briefing")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        version = "dev"
    return f"Briefing/{version} (+feed reader)"


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
