"""`briefing feeds …`: follow RSS/Atom feeds from the command line (registered on the main group)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click


def _app(ctx: click.Context) -> Any:
    from briefing.cli import _app as app_for  # the one Briefing of this invocation

    return app_for(ctx)


@click.group()
def feeds() -> None:
    """Follow RSS/Atom feeds: each new entry becomes a document, once (`briefing serve` polls them too)."""


@feeds.command(name="add")
@click.argument("url")
@click.option("--name", help="What to call the feed (default: the feed's own title).")
@click.option("--every", help="Poll interval, e.g. 15m, 2h, 1d (default: setting feed_interval, 30m).")
@click.pass_context
def feeds_add(ctx: click.Context, url: str, name: str | None, every: str | None) -> None:
    """Follow the feed at URL (polled by `feeds poll` and by `briefing serve`)."""
    from ingest.feeds import format_interval

    feed = _app(ctx).feeds_add(url, name=name, every=every)
    click.echo(f"following {feed.url} every {format_interval(feed.interval)} (poll now: briefing feeds poll)")


@feeds.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def feeds_list(ctx: click.Context, as_json: bool) -> None:
    """The followed feeds: interval, last poll, items taken in, and the last poll's status line."""
    from ingest.feeds import format_interval

    listing = _app(ctx).feeds_list()
    if as_json:
        click.echo(json.dumps([f.describe() for f in listing], indent=2, ensure_ascii=False))
        return
    if not listing:
        click.echo("No feeds followed. Add one with: briefing feeds add URL")
        return
    for f in listing:
        polled = f.describe()["last_poll"] or "never"
        click.echo(f"{f.label}  <{f.url}>")
        click.echo(
            f"    every {format_interval(f.interval)} · last poll {polled} · {f.new_items} new last time"
            f" · {f.items} items in all · {'ok' if f.ok else 'ERROR'}: {f.status}"
        )


@feeds.command(name="remove")
@click.argument("refs", nargs=-1, required=True)
@click.pass_context
def feeds_remove(ctx: click.Context, refs: tuple[str, ...]) -> None:
    """Stop following feeds (by URL or name); the documents they brought stay in the library."""
    for ref in refs:
        click.echo(f"stopped following {_app(ctx).feeds_remove(ref).url}")


@feeds.command(name="poll")
@click.option("--all", "everything", is_flag=True, help="Poll every feed now, not only those due.")
@click.pass_context
def feeds_poll(ctx: click.Context, everything: bool) -> None:
    """Poll the feeds that are due and ingest their new entries. Exit code 1 when a feed failed."""
    from ingest.feeds import describe_results

    started = time.perf_counter()
    results = _app(ctx).feeds_poll(everything=everything)
    if not results:
        click.echo("No feed is due (use --all to poll them anyway).")
        return
    for line in describe_results(results, time.perf_counter() - started):
        click.echo(line)
    for result in results:
        for failure in result.failed:
            click.echo(f"error: {failure.origin}: {failure.reason}", err=True)
    if any(not r.ok and not r.skipped for r in results):
        ctx.exit(1)


@feeds.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def feeds_import(ctx: click.Context, path: Path) -> None:
    """Follow every feed an OPML file lists (what feed readers export)."""
    pairs = _app(ctx).feeds_import_opml(path)
    added = sum(1 for _, new in pairs if new)
    click.echo(f"{added} feeds added, {len(pairs) - added} already followed")


@feeds.command(name="export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def feeds_export(ctx: click.Context, path: Path) -> None:
    """Write the followed feeds to an OPML file."""
    count = _app(ctx).feeds_export_opml(path)
    click.echo(f"wrote {count} feeds to {path}")
