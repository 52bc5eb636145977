"""The Feeds section of the Library tab: follow RSS/Atom feeds, see their status, poll now, stop following.

Built by `build_feeds_section(app)` inside the tab's Blocks context. `briefing serve` polls the
feeds in the background; the section re-reads their state every few seconds while the page is open.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.errors import BriefingError

if TYPE_CHECKING:
    import gradio as gr

    from briefing.api import Briefing
    from ingest.feeds import Feed, PollResult

log = logging.getLogger("briefing.web.feeds")

FEED_HEADERS = ["Feed", "Every", "Last poll", "New", "Items", "Status"]
ITEM_HEADERS = ["Taken in", "Feed", "Outcome", "Title"]
_OUTCOMES = {"added": "added", "merged": "copy of a stored story", "known": "already in the library"}


def _when(stamp: float | None) -> str:
    if not stamp:
        return "never"
    return datetime.fromtimestamp(stamp, UTC).strftime("%d %b %H:%M UTC")


def feed_rows(feeds: Sequence[Feed]) -> list[list[Any]]:
    """One table row per followed feed; the status says what the last poll found or why it failed."""
    from ingest.feeds import format_interval

    return [
        [
            f.label,
            format_interval(f.interval),
            _when(f.last_poll),
            f.new_items,
            f.items,
            ("" if f.ok else "⚠ ") + f.status,
        ]
        for f in feeds
    ]


def feed_choices(feeds: Sequence[Feed]) -> list[tuple[str, str]]:
    return [(f"{f.label} ({f.url})", f.url) for f in feeds]


def item_rows(app: Briefing, limit: int = 15) -> list[list[str]]:
    rows = app.feed_poller.store.recent(limit)
    return [[_when(when), feed, _OUTCOMES.get(state, state), title] for when, feed, state, title in rows]


def poll_summary(results: Sequence[PollResult]) -> str:
    new = sum(len(r.added) + len(r.updated) for r in results)
    failed = [r.name for r in results if not r.ok and not r.skipped]
    text = f"Polled {len(results)} feed{'s' if len(results) != 1 else ''}: {new} new or updated item(s)"
    return text + (f"; failed: {', '.join(failed)} (see Status)" if failed else ".")


def build_feeds_section(app: Briefing, refresh_seconds: float = 5.0) -> gr.State:
    """The Feeds section; call inside a gr.Blocks context (the Library tab).

    Returns a State holding the number of documents feeds have brought in: its change event is
    the caller's cue to refresh whatever else shows the library.
    """
    import gradio as gr  # imported by ui.py after the offline environment is set

    gr.HTML('<div class="bf-section-title">Feeds</div>', apply_default_css=False, js_on_load=None)
    with gr.Row(equal_height=True):
        url = gr.Textbox(
            label="Feed URL (RSS or Atom)", placeholder="https://…/feed.xml", scale=4, elem_id="bf-feed-url"
        )
        name = gr.Textbox(label="Name", placeholder="optional", scale=2, elem_id="bf-feed-name")
        every = gr.Textbox(
            label="Every", value=app.settings.feeds.interval, scale=1, min_width=80, elem_id="bf-feed-every"
        )
    with gr.Row():
        follow = gr.Button("Follow and poll now", variant="primary", size="sm", elem_id="bf-feed-add")
        poll = gr.Button("Poll all now", size="sm", variant="secondary", elem_id="bf-feed-poll")
    feeds_table = gr.Dataframe(
        headers=FEED_HEADERS,
        value=feed_rows(app.feeds_list()),
        datatype=["str", "str", "str", "number", "number", "str"],
        label="Followed feeds",
        interactive=False,
        wrap=True,
        elem_id="bf-feeds",
        column_widths=["19%", "10%", "17%", "9%", "10%", "35%"],
    )
    with gr.Row(equal_height=False):
        chosen = gr.Dropdown(
            choices=feed_choices(app.feeds_list()), value=None, label="Feed", scale=4, elem_id="bf-feed-chosen"
        )
        unfollow = gr.Button("Stop following", variant="stop", size="sm", scale=1, elem_id="bf-feed-remove")
    items = gr.Dataframe(
        headers=ITEM_HEADERS,
        value=item_rows(app),
        label="Latest feed items",
        interactive=False,
        wrap=True,
        max_height=260,
        elem_id="bf-feed-items",
        datatype=["str", "str", "str", "str"],
        column_widths=["17%", "20%", "18%", "45%"],
    )

    taken_in = gr.State(app.feed_poller.store.change_mark())

    def state(keep: str | None = None) -> tuple[Any, ...]:
        feeds = app.feeds_list()
        urls = {f.url for f in feeds}
        return (
            gr.Dataframe(value=feed_rows(feeds)),
            gr.Dropdown(choices=feed_choices(feeds), value=keep if keep in urls else None),
            gr.Dataframe(value=item_rows(app)),
            app.feed_poller.store.change_mark(),
        )

    outputs = [feeds_table, chosen, items, taken_in]

    def on_follow(text: str, label: str, interval: str) -> tuple[Any, ...]:
        text = (text or "").strip()
        if not text:
            gr.Warning("Paste the address of an RSS or Atom feed first.")
            return (gr.skip(), *state())
        try:
            feed = app.feeds_add(text, name=label or None, every=interval or None)
            polled = app.feeds_poll(only=[feed.url])
            result = polled[0] if polled else None
        except BriefingError as exc:
            gr.Warning(str(exc))
            return (gr.skip(), *state())
        except Exception as exc:  # the page must keep working whatever a feed does
            log.exception("following %s failed", text)
            gr.Warning(f"{type(exc).__name__}: {exc}")
            return (gr.skip(), *state())
        if result is not None and result.ok:
            gr.Info(f"Following {result.name}: {len(result.added)} new item(s).")
        elif result is not None:
            gr.Warning(f"Following {result.name}, but its first poll failed: {result.status}")
        return ("", *state(feed.url))

    follow.click(
        on_follow,
        [url, name, every],
        [url, *outputs],
        api_visibility="private",
        concurrency_id="ingest",
        concurrency_limit=1,
    )
    url.submit(
        on_follow,
        [url, name, every],
        [url, *outputs],
        api_visibility="private",
        concurrency_id="ingest",
        concurrency_limit=1,
    )

    def on_poll(keep: str | None) -> tuple[Any, ...]:
        try:
            gr.Info(poll_summary(app.feeds_poll(everything=True)))
        except BriefingError as exc:
            gr.Warning(str(exc))
        return state(keep)

    poll.click(on_poll, chosen, outputs, api_visibility="private", concurrency_id="ingest", concurrency_limit=1)

    def on_unfollow(ref: str | None) -> tuple[Any, ...]:
        if not ref:
            gr.Warning("Pick a feed first.")
            return state()
        try:
            feed = app.feeds_remove(ref)
            gr.Info(f"Stopped following {feed.label}; its documents stay in the library.")
        except BriefingError as exc:
            gr.Warning(str(exc))
        return state()

    unfollow.click(on_unfollow, chosen, outputs, api_visibility="private")

    # The background poller adds items while the page is open: show them without a reload.
    timer = gr.Timer(refresh_seconds)

    def on_tick() -> tuple[Any, ...]:
        table, _, latest, count = state()
        return table, latest, count  # the feed picker is left alone: it may be open

    timer.tick(on_tick, None, [feeds_table, items, taken_in], api_visibility="private", show_progress="hidden")
    return taken_in
