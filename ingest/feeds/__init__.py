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

from ingest.feeds.claims import Claim, Claims, LocalClaims, ServerClaims, owner_id
from ingest.feeds.http import FeedFetchError, FeedResponse, Limits, backoff_delay, get_feed, retry_after, user_agent
from ingest.feeds.parse import (
    Entry,
    FeedSpec,
    ParsedFeed,
    entry_document,
    format_interval,
    fragment_text,
    parse_feed,
    parse_interval,
    parse_opml,
    render_opml,
)
from ingest.feeds.poll import (
    BackgroundPolling,
    FeedPoller,
    PollResult,
    PollSettings,
    add_feed,
    describe_results,
    export_opml,
    import_opml,
    poll_settings,
)
from ingest.feeds.store import Feed, FeedStore

__all__ = [
    "BackgroundPolling",
    "Claim",
    "Claims",
    "Entry",
    "Feed",
    "FeedFetchError",
    "FeedPoller",
    "FeedResponse",
    "FeedSpec",
    "FeedStore",
    "Limits",
    "LocalClaims",
    "ParsedFeed",
    "PollResult",
    "PollSettings",
    "ServerClaims",
    "add_feed",
    "backoff_delay",
    "describe_results",
    "entry_document",
    "export_opml",
    "format_interval",
    "fragment_text",
    "get_feed",
    "import_opml",
    "owner_id",
    "parse_feed",
    "parse_interval",
    "parse_opml",
    "poll_settings",
    "render_opml",
    "retry_after",
    "user_agent",
]
