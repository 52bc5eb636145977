"""News feeds end to end: a local news site whose feeds change between polls, a real library and embedder."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from core.errors import BriefingError
from core.settings import Settings
from ingest.embed import SentenceEmbedder
from ingest.feeds import (
    FeedSpec,
    FeedStore,
    LocalClaims,
    PollResult,
    ServerClaims,
    backoff_delay,
    fragment_text,
    parse_feed,
    parse_interval,
    parse_opml,
    render_opml,
    retry_after,
)
from ingest.store import Library
from ingest.vectors import VectorIndex
from tests.chroma_server import ChromaServer, drop_library
from tests.feed_server import Behaviour, FeedSite, Item
from tests.helpers import make_settings, unique_collection

GENEVA = (
    "Negotiators from Norway and Chile agreed in Valparaíso on Monday to cut tariffs on salmon feed by half. "
    "The accord takes effect in March and covers pellets, fish oil and algae meal, officials said."
)
GENEVA_ARTICLE = GENEVA + (
    "\n\nThe deal was signed by trade minister Ingrid Solberg, who called it a model for smaller economies. "
    "Fishing towns on both coasts had lobbied for it for six years."
)
ROVER = (
    "The Kestrel rover found layered clay near the rim of Jezero crater, mission scientists announced on Tuesday. "
    "The layers suggest a lake stood there for at least ten thousand years."
)
QUAKE = (
    "A magnitude 5.1 earthquake shook the island of Hokkaido early on Wednesday without causing damage. "
    "Trains on the northern line ran forty minutes late while tracks were inspected."
)


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with FeedSite() as running:
        yield running


def feed_settings(folder: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"feed_min_interval": 0.0, "feed_timeout": 2.0, "feed_deadline": 5.0, **overrides}
    return make_settings(folder, **values)


@pytest.fixture
def feeds_app(tmp_path: Path, embedder: SentenceEmbedder) -> Iterator[Briefing]:
    app = Briefing(feed_settings(tmp_path / "lib"), embedder=embedder)
    yield app
    app.close()


def titles(app: Briefing) -> list[str]:
    return sorted(d.title for d in app.library.documents())


# --- pure parts ------------------------------------------------------------------------------------


def test_intervals_backoff_and_retry_after() -> None:
    assert parse_interval("90s") == 90 and parse_interval("30m") == 1800 and parse_interval("2h") == 7200
    assert parse_interval("45") == 45 * 60 and parse_interval("1d") == 86400
    with pytest.raises(BriefingError, match="not an interval"):
        parse_interval("soon")
    assert [backoff_delay(n, 600, 3600) for n in (1, 2, 3, 4, 5)] == [600, 1200, 2400, 3600, 3600]
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC).timestamp()
    assert retry_after("120", now) == 120
    assert retry_after("Tue, 01 Dec 2026 12:05:00 GMT", now) == 300
    assert retry_after("whenever", now) is None and retry_after(None, now) is None


def test_feed_text_and_malformed_feeds() -> None:
    assert fragment_text("<p>One <b>bold</b> line</p><p>Two &amp; three</p><script>x()</script>") == (
        "One bold line\n\nTwo & three"
    )
    parsed = parse_feed(
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>'
        b"<entry><id>tag:x,2026:1</id><title>First</title><link href='http://x.test/1'/>"
        b"<updated>2026-11-02T10:00:00Z</updated><author><name>Ana Ruiz</name></author>"
        b"<summary>Short.</summary></entry></feed>",
        "http://x.test/atom",
        "application/atom+xml",
    )
    assert parsed.title == "Atom News" and parsed.problem is None
    (entry,) = parsed.entries
    assert (entry.entry_id, entry.link, entry.title, entry.author) == (
        "tag:x,2026:1",
        "http://x.test/1",
        "First",
        "Ana Ruiz",
    )
    assert entry.published == date(2026, 11, 2)
    for junk in (b"<html><body>Not a feed</body></html>", b"\x00\x01\x02", b"<rss><channel><item><title>x"):
        with pytest.raises(BriefingError, match="not a readable RSS or Atom feed"):
            parse_feed(junk, "http://x.test/feed")


def test_opml_round_trip_keeps_urls_names_and_nesting() -> None:
    feeds = [FeedSpec("https://a.test/rss", "A & Co <news>"), FeedSpec("https://b.test/atom.xml", None)]
    assert parse_opml(render_opml(feeds).encode()) == [feeds[0], FeedSpec("https://b.test/atom.xml", "b.test")]
    nested = (
        b'<opml version="1.0"><body><outline text="World"><outline text="C" xmlUrl="https://c.test/f"/>'
        b'</outline><outline text="no feed"/></body></opml>'
    )
    assert parse_opml(nested) == [FeedSpec("https://c.test/f", "C")]
    with pytest.raises(BriefingError, match="not an OPML file"):
        parse_opml(b"<rss/>")


# --- polling ---------------------------------------------------------------------------------------


def test_new_items_arrive_etag_is_honoured_and_summaries_fetch_the_article(site: FeedSite, feeds_app: Briefing) -> None:
    site.publish(
        "wire",
        "Coastal Wire",
        [
            Item("g-1", "Salmon feed tariffs halved", GENEVA[:80], article=GENEVA_ARTICLE, author="Tove Lund"),
            Item("g-2", "Rover finds clay layers", "Clay layers.", content=ROVER),
        ],
    )
    feed = feeds_app.feeds_add(site.url("wire"), every="1s")
    assert feed.name is None and feed.interval == 1
    (result,) = feeds_app.feeds_poll()
    assert result.ok and sorted(result.added) == ["Rover finds clay layers", "Salmon feed tariffs halved"]
    assert titles(feeds_app) == ["Rover finds clay layers", "Salmon feed tariffs halved"]

    salmon = feeds_app.library.document(feeds_app.library.resolve(site.link(site.feeds["wire"][1][0]))[0])
    assert salmon is not None
    # Only a summary in the feed: the article page was fetched, and the feed's metadata kept.
    assert "Ingrid Solberg" in salmon.text and "Home | World" not in salmon.text
    assert (salmon.source, salmon.author, salmon.published) == ("Coastal Wire", "Tove Lund", date(2026, 11, 30))
    assert len(site.seen("/articles/g-1.html")) == 1
    # Full text in the feed: no article request at all.
    assert site.seen("/articles/g-2.html") == []
    assert feeds_app.feeds_list()[0].name == "Coastal Wire"  # named after the feed's title

    # Nothing changed: a conditional GET, a 304, nothing ingested again.
    before = feeds_app.library.counts()
    time.sleep(1.1)
    (again,) = feeds_app.feeds_poll()
    last = site.seen("/feeds/wire.xml")[-1]
    assert last.headers.get("if-none-match") and last.status == 304
    assert last.headers["user-agent"].startswith("Briefing/") and "(+feed reader)" in last.headers["user-agent"]
    assert again.ok and "not modified" in again.status and not again.added
    assert feeds_app.library.counts() == before

    # Not due yet (interval 1 s has not passed): `feeds poll` leaves the server alone.
    requests = len(site.seen("/feeds/wire.xml"))
    assert feeds_app.feeds_poll() == []
    assert len(site.seen("/feeds/wire.xml")) == requests

    # A new item arrives; the two known ones are not fetched or ingested again.
    site.feeds["wire"][1].insert(0, Item("g-3", "Hokkaido quake delays trains", QUAKE[:60], article=QUAKE))
    (third,) = feeds_app.feeds_poll(everything=True)
    assert third.added == ["Hokkaido quake delays trains"] and third.known == 2
    assert len(site.seen("/articles/g-1.html")) == 1
    assert feeds_app.library.counts()["documents"] == 3
    answer = feeds_app.ask("How late were the trains on the northern line?")
    assert "forty minutes" in answer.text and answer.citations[0].title == "Hokkaido quake delays trains"


def test_no_feed_is_polled_more_often_than_the_minimum_interval(
    site: FeedSite, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    app = Briefing(feed_settings(tmp_path / "lib", feed_min_interval=60.0), embedder=embedder)
    site.publish("wire", "Coastal Wire", [Item("m-1", "Hokkaido quake delays trains", "x", content=QUAKE)])
    app.feeds_add(site.url("wire"), every="1s")
    (result,) = app.feeds_poll()
    assert result.added == ["Hokkaido quake delays trains"]
    (feed,) = app.feeds_list()
    assert feed.next_poll - feed.last_poll == pytest.approx(60)  # type: ignore[operator]
    time.sleep(1.1)
    assert app.feeds_poll() == []  # its own 1 s interval has passed, the floor has not
    assert len(site.seen("/feeds/wire.xml")) == 1
    app.close()


def test_an_updated_item_replaces_its_old_version(site: FeedSite, feeds_app: Briefing) -> None:
    item = Item("u-1", "Rover finds clay layers", "Clay.", content=ROVER)
    site.publish("science", "Science Desk", [item])
    feeds_app.feeds_add(site.url("science"), every="1s")
    feeds_app.feeds_poll()
    (doc_id,) = [d.doc_id for d in feeds_app.library.documents()]
    old_chunks = set(feeds_app.library.chunk_ids_of(doc_id))

    item.content = ROVER.replace("ten thousand", "forty thousand") + " A second rover will land in 2031."
    item.title = "Rover finds clay layers (updated)"
    (result,) = feeds_app.feeds_poll(everything=True)
    assert result.updated == ["Rover finds clay layers (updated)"] and not result.added
    documents = feeds_app.library.documents(with_text=True)
    assert [d.doc_id for d in documents] == [doc_id]
    assert "forty thousand" in documents[0].text and "ten thousand" not in documents[0].text
    assert documents[0].title == "Rover finds clay layers (updated)"
    # The old version's vectors are gone, not just hidden.
    assert not old_chunks & feeds_app.index.all_ids()
    hits = feeds_app.retrieve("how long did a lake stand in Jezero crater")
    assert hits and all("ten thousand" not in h.chunk.text for h in hits)


def test_an_article_already_added_by_url_is_not_added_again(site: FeedSite, feeds_app: Briefing) -> None:
    item = Item("k-1", "Hokkaido quake delays trains", QUAKE[:60], article=QUAKE)
    site.publish("wire", "Coastal Wire", [item])
    report = feeds_app.ingest([site.link(item)])
    assert len(report.added) == 1
    feeds_app.feeds_add(site.url("wire"))
    (result,) = feeds_app.feeds_poll()
    assert result.ok and not result.added and result.known == 1
    assert len(feeds_app.library.documents()) == 1
    assert len(site.seen("/articles/k-1.html")) == 1  # only the hand-made fetch


def test_a_syndicated_copy_merges_into_the_first(site: FeedSite, feeds_app: Briefing) -> None:
    site.publish("wire", "Coastal Wire", [Item("w-1", "Salmon feed tariffs halved", "x", content=GENEVA_ARTICLE)])
    site.publish(
        "daily",
        "Valley Daily",
        [
            # The same wire story under another outlet's headline, link and GUID, with its own footer.
            Item(
                "d-9",
                "Norway and Chile strike salmon feed deal",
                "x",
                content=GENEVA_ARTICLE + "\n\nThis story was provided by a news agency.",
            ),
            Item("d-10", "Hokkaido quake delays trains", "x", content=QUAKE),
        ],
    )
    feeds_app.feeds_add(site.url("wire"), every="1s")
    feeds_app.feeds_add(site.url("daily"), every="1s")
    wire, daily = feeds_app.feeds_poll()
    assert wire.added == ["Salmon feed tariffs halved"]
    assert daily.added == ["Hokkaido quake delays trains"]
    assert daily.merged == ["Norway and Chile strike salmon feed deal"]
    assert daily.status == "OK: 1 new, 1 merged (copies of stories already in the library)"
    assert titles(feeds_app) == ["Hokkaido quake delays trains", "Salmon feed tariffs halved"]
    # Polled again, the merged copy stays merged (it is remembered, not re-checked by fetching).
    time.sleep(1.1)
    site.feeds["daily"][1].append(Item("d-11", "Rover finds clay layers", "x", content=ROVER))
    _, daily = feeds_app.feeds_poll()
    assert daily.added == ["Rover finds clay layers"] and not daily.merged
    assert len(titles(feeds_app)) == 3


def test_failing_feeds_each_get_a_status_line_and_the_others_go_on(
    site: FeedSite, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    app = Briefing(feed_settings(tmp_path / "lib", feed_timeout=0.5, feed_max_bytes=64_000), embedder=embedder)
    site.publish("good", "Good News", [Item("ok-1", "Hokkaido quake delays trains", "x", content=QUAKE)])
    site.publish("moving", "Moving Desk", [Item("mv-1", "Rover finds clay layers", "x", content=ROVER)])
    site.publish("moved", "Moving Desk", [Item("mv-1", "Rover finds clay layers", "x", content=ROVER)])
    site.behaviour.update(
        {
            "broken": Behaviour(status=500),
            "busy": Behaviour(status=429, retry_after="120"),
            "gone": Behaviour(status=410),
            "missing": Behaviour(status=404),
            "silent": Behaviour(stall=3.0),
            "garbage": Behaviour(raw=b"<html><body><h1>Our new website!</h1></body></html>"),
            "huge": Behaviour(endless=True),
            "moving": Behaviour(moved_to=site.url("moved")),
            "visiting": Behaviour(moved_to=site.url("good"), redirect_status=302),
        }
    )
    names = ["broken", "busy", "gone", "missing", "silent", "garbage", "huge", "good", "moving", "visiting"]
    for name in names:
        app.feeds_add(site.url(name), name=name, every="10m")
    results = {r.name: r for r in app.feeds_poll()}
    status = {name: results[name].status for name in names}
    assert status["broken"].startswith("HTTP 500 Internal Server Error; 1st failure in a row, next try in 10 min")
    assert "HTTP 429" in status["busy"] and "asked to wait 120 s" in status["busy"]
    assert status["gone"].startswith("gone (HTTP 410)") and status["missing"].startswith("not found (HTTP 404)")
    assert status["silent"].startswith("no answer within 0.5 s")
    assert status["garbage"].startswith("not a readable RSS or Atom feed")
    assert status["huge"].startswith("the feed is over the 64 KB limit")
    assert status["moving"].startswith(f"moved permanently to {site.url('moved')}")
    assert results["good"].ok and results["good"].added == ["Hokkaido quake delays trains"]
    assert results["moving"].ok and results["moving"].added == ["Rover finds clay layers"]
    assert [n for n in names if not results[n].ok] == names[:7]
    assert titles(app) == ["Hokkaido quake delays trains", "Rover finds clay layers"]

    listed = {f.name: f for f in app.feeds_list()}
    assert listed["moving"].url == site.url("moved")  # the new address is kept
    assert listed["visiting"].url == site.url("visiting")  # a temporary redirect changes nothing
    assert results["visiting"].ok and results["visiting"].known == 1
    assert not listed["broken"].ok and listed["broken"].failures == 1
    assert listed["broken"].next_poll - listed["broken"].last_poll == pytest.approx(600)  # type: ignore[operator]

    # Failures in a row back off; a server's Retry-After holds even a forced poll.
    before = len(site.seen("/feeds/busy.xml"))
    results = {r.name: r for r in app.feeds_poll(everything=True)}
    assert results["broken"].status.startswith(
        "HTTP 500 Internal Server Error; 2nd failure in a row, next try in 20 min"
    )
    assert results["busy"].skipped and "waiting" in results["busy"].status
    assert len(site.seen("/feeds/busy.xml")) == before
    assert titles(app) == ["Hokkaido quake delays trains", "Rover finds clay layers"]

    # A feed that recovers is back to its interval.
    site.behaviour.pop("broken")
    site.publish("broken", "Fixed", [Item("b-1", "Salmon feed tariffs halved", "x", content=GENEVA_ARTICLE)])
    (fixed,) = app.feeds_poll(everything=True, only=[site.url("broken")])
    assert fixed.ok and fixed.added == ["Salmon feed tariffs halved"]
    assert app.feeds_list()[0].failures == 0
    app.close()


def test_cli_feeds_commands_and_opml_round_trip(site: FeedSite, tmp_path: Path) -> None:
    site.publish("wire", "Coastal Wire", [Item("c-1", "Hokkaido quake delays trains", "x", content=QUAKE)])
    runner = CliRunner()
    env = {"BRIEFING_FEED_MIN_INTERVAL": "0"}
    first = ["--data-dir", str(tmp_path / "one")]
    result = runner.invoke(
        cli, [*first, "feeds", "add", site.url("wire"), "--name", "Wire & Co", "--every", "15m"], env=env
    )
    assert result.exit_code == 0 and "every 15m" in result.output, result.output
    runner.invoke(cli, [*first, "feeds", "add", "https://feeds.example.org/world.rss"], env=env)
    result = runner.invoke(cli, [*first, "feeds", "poll"], env=env)
    assert result.exit_code == 1  # the example.org feed cannot be reached offline
    assert "ok   Wire & Co: OK: 1 new" in result.output and "ERR  feeds.example.org" in result.output
    result = runner.invoke(cli, [*first, "feeds", "list"], env=env)
    assert "Wire & Co  <" in result.output and "1 new last time" in result.output and "ERROR: " in result.output

    opml = tmp_path / "feeds.opml"
    result = runner.invoke(cli, [*first, "feeds", "export", str(opml)], env=env)
    assert result.exit_code == 0 and "wrote 2 feeds" in result.output
    second = ["--data-dir", str(tmp_path / "two")]
    result = runner.invoke(cli, [*second, "feeds", "import", str(opml)], env=env)
    assert "2 feeds added, 0 already followed" in result.output
    result = runner.invoke(cli, [*second, "feeds", "list", "--json"], env=env)
    listed = json.loads(result.output)
    assert [(f["url"], f["name"]) for f in listed] == [
        (site.url("wire"), "Wire & Co"),
        ("https://feeds.example.org/world.rss", "feeds.example.org"),
    ]
    result = runner.invoke(cli, [*second, "feeds", "remove", "Wire & Co"], env=env)
    assert result.exit_code == 0 and f"stopped following {site.url('wire')}" in result.output
    assert runner.invoke(cli, [*second, "feeds", "remove", "nope"], env=env).exit_code == 1


def test_a_restarted_poller_resumes_without_duplicates(
    site: FeedSite, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    settings = feed_settings(tmp_path / "lib")
    site.publish("wire", "Coastal Wire", [Item("r-1", "Hokkaido quake delays trains", QUAKE[:50], article=QUAKE)])
    first = Briefing(settings, embedder=embedder)
    first.feeds_add(site.url("wire"), every="1s")
    polling = first.start_feed_polling(tick=0.5)
    try:
        wait_for(lambda: len(first.library.documents()) == 1)
    finally:
        polling.stop()
    first.close()

    # While nobody polls, the feed gains an item; a new process on the same library takes up where it stopped.
    site.feeds["wire"][1].insert(0, Item("r-2", "Rover finds clay layers", ROVER[:50], article=ROVER))
    requests = len(site.seen("/feeds/wire.xml"))
    second = Briefing(settings, embedder=embedder)
    polling = second.start_feed_polling(tick=0.5)
    try:
        wait_for(lambda: len(second.library.documents()) == 2)
        wait_for(lambda: len(site.seen("/feeds/wire.xml")) >= requests + 3)  # a few more rounds: nothing new
    finally:
        polling.stop()
    assert titles(second) == ["Hokkaido quake delays trains", "Rover finds clay layers"]
    # Its first request carried the ETag the first process stored; each article was fetched once in all.
    assert site.seen("/feeds/wire.xml")[requests].headers.get("if-none-match")
    assert len(site.seen("/articles/r-1.html")) == 1 and len(site.seen("/articles/r-2.html")) == 1
    assert second.feeds_list()[0].items == 2
    second.close()


def wait_for(condition: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the background poller")
        time.sleep(0.2)


# --- claims: one process per entry -----------------------------------------------------------------


def test_local_claims_let_one_owner_ingest_an_entry(tmp_path: Path) -> None:
    library = Library(tmp_path / "library.db")
    FeedStore(library)  # creates the feed tables
    one, two = LocalClaims(library, lease=60), LocalClaims(library, lease=60)
    two.owner = "other-host:1:x"
    won = one.take("entry-v1")
    assert won.state == "won" and two.take("entry-v1").state == "busy"
    one.release(won)
    taken = two.take("entry-v1")
    assert taken.state == "won"
    two.finish(taken, "doc123")
    assert one.take("entry-v1").state == "done" and one.take("entry-v1").doc_id == "doc123"
    # A lease that ran out (its owner died) can be taken over.
    stale = LocalClaims(library, lease=-1)
    stale.owner = "dead-host:2:y"
    assert stale.take("entry-v2").state == "won"
    assert one.take("entry-v2").state == "won"


@pytest.mark.slow
def test_server_claims_let_exactly_one_process_win(chroma_server: ChromaServer) -> None:
    index = VectorIndex(chroma_server.client(), f"claims{int(time.time() * 1000)}__feeds")
    contenders = [ServerClaims(index, lease=60) for _ in range(6)]
    for n, claims in enumerate(contenders):
        claims.owner = f"host-{n}:1:x"
    assert sorted(race(contenders, "entry-v1")) == ["busy"] * 5 + ["won"]
    winner = next(c for c in contenders if c.take("entry-v1").state == "won")
    winner.finish(winner.take("entry-v1"), "doc9")
    assert {c.take("entry-v1").doc_id for c in contenders} == {"doc9"}
    # A lease that ran out (its owner died) is taken over, again by one process only.
    dead = ServerClaims(index, lease=-1)
    dead.owner = "dead:1:x"
    assert dead.take("entry-v2").state == "won"
    assert sorted(race(contenders, "entry-v2")) == ["busy"] * 5 + ["won"]


@pytest.mark.slow
def test_two_apps_on_one_server_ingest_each_entry_once(
    site: FeedSite, chroma_server: ChromaServer, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    items = [Item(f"s-{n}", title, "x", article=text) for n, (title, text) in enumerate(STORIES)]
    site.publish("wire", "Coastal Wire", items)
    collection = unique_collection()
    apps = [
        Briefing(feed_settings(tmp_path / name, chroma_url=chroma_server.url, collection=collection), embedder=embedder)
        for name in ("one", "two")
    ]
    try:
        for app in apps:
            app.feeds_add(site.url("wire"), every="1s")
            _ = app.index  # connected before the race
        results: list[list[PollResult]] = []
        barrier = threading.Barrier(len(apps))

        def poll(app: Briefing) -> None:
            barrier.wait()
            results.append(app.feeds_poll())

        threads = [threading.Thread(target=poll, args=(app,)) for app in apps]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        added = [title for polled in results for result in polled for title in result.added]
        assert sorted(added) == sorted(title for title, _ in STORIES)  # each entry by one app or the other
        for item in items:
            assert len(site.seen(f"/articles/{item.guid}.html")) == 1
        for app in apps:
            assert sorted(d.title for d in app.documents()) == sorted(title for title, _ in STORIES)
        assert apps[0].catalog is not None and len(apps[0].catalog.listing()) == len(STORIES)
    finally:
        for app in apps:
            app.close()
        drop_library(chroma_server.client(), collection)


STORIES = [
    ("Salmon feed tariffs halved", GENEVA_ARTICLE),
    ("Rover finds clay layers", ROVER),
    ("Hokkaido quake delays trains", QUAKE),
]


def race(contenders: list[ServerClaims], key: str) -> list[str]:
    """Every contender claims key at the same moment, each from its own thread."""
    outcomes: list[str] = []
    barrier = threading.Barrier(len(contenders))

    def claim(claims: ServerClaims) -> None:
        barrier.wait()
        outcomes.append(claims.take(key).state)

    threads = [threading.Thread(target=claim, args=(c,)) for c in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
