"""The Python API's news-feed operations, mixed into `briefing.api.Briefing`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.settings import Settings
from ingest.store import Library
from ingest.vectors import VectorIndex

if TYPE_CHECKING:
    from ingest.catalog import Catalog
    from ingest.feeds import BackgroundPolling, Claims, Feed, FeedPoller, PollResult
    from ingest.pipeline import Ingestor


class FeedsMixin:
    """Follow RSS/Atom feeds: each new entry becomes a document once (see ingest/feeds)."""

    # Provided by Briefing.
    settings: Settings
    library: Library
    catalog: Catalog | None
    _client: Any
    _lock: threading.Lock
    _feed_poller: FeedPoller | None

    @property
    def index(self) -> VectorIndex:
        raise NotImplementedError

    def ingestor(self) -> Ingestor:
        raise NotImplementedError

    def refresh(self) -> Any:
        raise NotImplementedError

    @property
    def feed_poller(self) -> FeedPoller:
        if self._feed_poller is None:
            from ingest.feeds import FeedPoller, poll_settings

            with self._lock:
                if self._feed_poller is None:
                    settings = poll_settings(self.settings)
                    self._feed_poller = FeedPoller(self.library, self.ingestor, self._feed_claims, settings)
        return self._feed_poller

    def _feed_claims(self) -> Claims:
        from ingest.feeds import LocalClaims, ServerClaims

        index, lease = self.index, self.settings.feeds.claim_lease
        if self.catalog is None:
            return LocalClaims(self.library, lease)
        return ServerClaims(VectorIndex(self._client, f"{self.settings.collection}__feeds", index.where), lease)

    def feeds_add(self, url: str, name: str | None = None, every: str | None = None) -> Feed:
        """Follow a feed (an RSS or Atom URL); `every` is an interval like '30m' (default: setting feed_interval)."""
        from ingest.feeds import add_feed

        return add_feed(self.feed_poller.store, url, name, every or self.settings.feeds.interval)

    def feeds_list(self) -> list[Feed]:
        return self.feed_poller.store.all()

    def feeds_remove(self, ref: str) -> Feed:
        """Stop following a feed (by URL or name); the documents it brought stay in the library."""
        feed = self.feed_poller.store.get(ref)
        self.feed_poller.store.remove(feed)
        return feed

    def feeds_poll(
        self, everything: bool = False, only: Sequence[str] = (), progress: Callable[[PollResult], None] | None = None
    ) -> list[PollResult]:
        """Poll the feeds that are due (every feed with everything=True) and ingest their new entries."""
        self.refresh()
        results = self.feed_poller.poll(everything, only, progress)
        if any(r.added or r.updated for r in results):
            self.refresh()  # server mode: bump the local cache past our own commits
        return results

    def feeds_import_opml(self, path: Path) -> list[tuple[Feed, bool]]:
        """Follow every feed an OPML file lists; returns (feed, newly added) for each."""
        from ingest.feeds import import_opml

        return import_opml(self.feed_poller.store, Path(path).read_bytes(), self.settings.feeds.interval)

    def feeds_export_opml(self, path: Path) -> int:
        """Write the followed feeds as OPML; returns how many."""
        from ingest.feeds import export_opml

        feeds = self.feeds_list()
        Path(path).write_text(export_opml(feeds), encoding="utf-8")
        return len(feeds)

    def start_feed_polling(self, tick: float = 30.0) -> BackgroundPolling:
        """Poll due feeds in a daemon thread until stopped (what `briefing serve` runs)."""
        from ingest.feeds import BackgroundPolling

        return BackgroundPolling(self.feeds_poll, self.feed_poller.next_due, tick).start()
