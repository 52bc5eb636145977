"""Following a feed in the browser: a live `briefing serve` polls a local news site in the background."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bench.screenshot import CHROMIUM_ARGS
from tests.feed_server import FeedSite, Item
from tests.helpers import live_serve
from tests.test_feeds import QUAKE, ROVER
from tests.test_ui_browser import CHROMIUM, TIMEOUT_MS, ask, open_ask, open_library, table_rows

pytestmark = pytest.mark.browser


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with FeedSite() as running:
        yield running


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with live_serve(tmp_path, env={"BRIEFING_FEED_MIN_INTERVAL": "0"}) as live:
        yield live.url


@pytest.fixture
def page(server: str) -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make dev` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1200})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(server)
        page.wait_for_selector("#bf-question textarea")
        yield page
        browser.close()


def feed_table(page: Page) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in table_rows(page, "#bf-feeds") if row}


def test_follow_a_feed_see_items_arrive_and_ask_about_a_new_one(site: FeedSite, page: Page) -> None:
    site.publish("wire", "Coastal Wire", [Item("b-1", "Rover finds clay layers", ROVER[:60], article=ROVER)])
    open_library(page)
    page.locator("#bf-feed-url textarea, #bf-feed-url input").first.fill(site.url("wire"))
    page.locator("#bf-feed-every textarea, #bf-feed-every input").first.fill("2s")
    page.click("#bf-feed-add")
    # The table refreshes on a timer and may first show the feed named but not yet polled: wait for the result.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#bf-feeds .virtual-row')]"
        ".some(r => r.textContent.includes('Coastal Wire') && r.textContent.includes('OK:'))",
        timeout=60_000,
    )
    row = feed_table(page)["Coastal Wire"]
    assert row[0] == "2s" and row[2:4] == ["1", "1"] and row[4].startswith("OK: 1 new")
    assert ["Coastal Wire", "added", "Rover finds clay layers"] in [r[1:] for r in table_rows(page, "#bf-feed-items")]

    # A story breaks: the background poller takes it in, and the section shows it without a reload.
    site.feeds["wire"][1].insert(0, Item("b-2", "Hokkaido quake delays trains", QUAKE[:60], article=QUAKE))
    page.wait_for_function(
        "() => document.querySelector('#bf-feed-items').textContent.includes('Hokkaido quake delays trains')",
        timeout=60_000,
    )
    assert feed_table(page)["Coastal Wire"][3] == "2"
    # The documents table beside it follows too.
    page.wait_for_function(
        "() => document.querySelector('#bf-documents').textContent.includes('Hokkaido quake delays trains')"
    )
    assert len(site.seen("/articles/b-1.html")) == 1  # the first item was not fetched again

    open_ask(page)
    answer = ask(page, "How late were the trains on the northern line?")
    assert "forty minutes" in answer.locator(".bf-text").inner_text()
    assert "Hokkaido quake delays trains" in (answer.locator("button.cite").first.get_attribute("title") or "")
