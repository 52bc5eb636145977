"""Polling: fetch the due feeds, take in their new entries once each, and keep polling in the background."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from core.errors import BriefingError, LoadError, NotFound
from ingest.dedup import DuplicateIndex, signature, similarity
from ingest.feeds.claims import Claim, Claims
from ingest.feeds.http import FeedFetchError, FeedResponse, Limits, backoff_delay, get_feed
from ingest.feeds.parse import (
    Entry,
    FeedSpec,
    ParsedFeed,
    entry_document,
    parse_feed,
    parse_interval,
    parse_opml,
    render_opml,
)
from ingest.feeds.store import Feed, FeedStore
from ingest.fetch import fetch
from ingest.loaders import Failure, Loaded, Result
from ingest.pipeline import doc_id_for
from ingest.store import Library

if TYPE_CHECKING:
    from core.settings import Settings
    from ingest.pipeline import Ingestor, IngestReport

log = logging.getLogger("briefing.feeds")


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

    limits: Limits = Limits()  # noqa: RUF009 (Limits is frozen: one shared default is safe)
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
