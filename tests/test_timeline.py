"""Timelines: dated events on a topic, oldest first, each citing a document that states the event."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from core.models import Document, Hit
from ingest.embed import SentenceEmbedder
from rag.periods import stated_dates
from rag.timeline import TimelineEntry, build_timeline, event_day, format_timeline, is_event
from tests.helpers import CORPUS, whole_document_hit

TODAY = date(2026, 11, 29)


def assert_well_cited(entries: list[TimelineEntry], app: Briefing) -> None:
    """Ordered oldest first; each line quotes its document verbatim and is dated by what that document says."""
    assert [e.citation.n for e in entries] == list(range(1, len(entries) + 1))
    assert [e.day for e in entries] == sorted(e.day for e in entries)
    for entry in entries:
        c = entry.citation
        document = app.document(c.doc_id)
        assert entry.text == c.quote == document.text[c.quote_start : c.quote_end]
        assert c.start <= c.quote_start < c.quote_end <= c.end
        assert c.published == (document.published.isoformat() if document.published else None)
        if entry.dated_by == "stated":
            stated = stated_dates(entry.text, document.published)
            assert (entry.day, entry.precision) in {(s.day, s.precision) for s in stated}, entry
            assert document.published is None or entry.day <= document.published
        else:
            assert entry.day == document.published and entry.precision == "day"


def test_timeline_is_ordered_and_every_line_cites_a_document_stating_the_event(corpus_app: Briefing) -> None:
    entries = corpus_app.timeline("US tariffs on China", asked_on=TODAY)
    assert len(entries) >= 8
    assert_well_cited(entries, corpus_app)
    texts = [e.text for e in entries]
    trade_war = next(i for i, t in enumerate(texts) if "since January 2018" in t)
    # The Geneva deal's day is on the timeline, after the start of the trade war.
    deal = next(i for i, e in enumerate(entries) if e.day == date(2025, 5, 12) and "tariffs" in e.text)
    assert trade_war < deal
    assert entries[trade_war].when == "January 2018" and entries[trade_war].dated_by == "stated"
    # Dated by the document when the sentence states no date of its own.
    assert any(e.dated_by == "published" for e in entries)


def test_one_fact_sheet_does_not_crowd_out_the_earlier_years(corpus_app: Briefing) -> None:
    entries = corpus_app.timeline("US tariffs on goods from China", asked_on=TODAY)
    assert len(entries) >= 10
    assert_well_cited(entries, corpus_app)
    per_document = Counter(e.citation.doc_id for e in entries)
    per_day = Counter((e.day, e.precision) for e in entries)
    assert max(per_document.values()) <= 3 and max(per_day.values()) <= 3
    assert len(per_document) >= 6
    years = {e.day.year for e in entries}
    assert len(years) >= 5, years
    assert len(years & set(range(2018, 2024))) >= 2, years  # the first trade war, not only 2024-2025
    assert sum(e.day == date(2024, 5, 14) for e in entries) <= 3
    # Events before background: most lines report an action (imposed, announced, reached …).
    assert sum(is_event(e.text) for e in entries) >= 0.75 * len(entries)


def passage(doc_id: str, title: str, published: date, sentences: list[str]) -> Hit:
    """A retrieved passage covering a whole small document."""
    text = " ".join(sentences)
    document = Document(doc_id=doc_id, title=title, text=text, source="Example Wire", published=published)
    return whole_document_hit(document)


def test_events_are_capped_per_document_and_day_and_spread_over_the_years(embedder: SentenceEmbedder) -> None:
    big = passage(
        "big",
        "Steel tariff fact sheet",
        date(2024, 5, 14),
        [
            f"Today the United States raised tariffs on Chinese steel product number {i} to {20 + i} percent."
            for i in range(10)
        ],
    )
    years = [
        passage(
            f"y{year}",
            f"Steel tariffs {year}",
            date(year, 6, 1),
            [f"In March {year}, the United States imposed new tariffs on Chinese steel."],
        )
        for year in range(2018, 2023)
    ]
    entries = build_timeline("US tariffs on Chinese steel", [big, *years], embedder, limit=8)
    assert len(entries) == 8
    assert sum(e.citation.doc_id == "big" for e in entries) == 3
    assert {e.day.year for e in entries} == {2018, 2019, 2020, 2021, 2022, 2024}
    assert [e.day for e in entries] == sorted(e.day for e in entries)
    loose = build_timeline("US tariffs on Chinese steel", [big], embedder, limit=8, per_document=10, per_day=10)
    assert len(loose) == 8  # the caps are what held the fact sheet back


def test_without_caps_each_year_still_gets_its_best_event(embedder: SentenceEmbedder) -> None:
    busy = passage(
        "busy",
        "A year of steel tariffs",
        date(2024, 12, 31),
        [
            f"On {month} 3, 2024, the United States raised tariffs on Chinese steel again."
            for month in ("March", "April", "May", "June", "July", "August")
        ],
    )
    # Less like the topic than the busy year's lines, so plain ranking would leave them out.
    years = [
        passage(
            f"y{year}",
            f"Duties {year}",
            date(year, 6, 1),
            [f"In March {year}, Washington added duties on some metal imports from China."],
        )
        for year in range(2019, 2022)
    ]
    entries = build_timeline(
        "US tariffs on Chinese steel", [busy, *years], embedder, limit=4, per_document=10, per_day=10
    )
    assert {e.day.year for e in entries} == {2019, 2020, 2021, 2024}


def test_an_event_is_preferred_to_background_on_the_same_topic(embedder: SentenceEmbedder) -> None:
    hit = passage(
        "d",
        "Steel",
        date(2024, 5, 14),
        [
            # Closer to the topic's words than the event, but says nothing happened.
            "US tariffs on Chinese steel and aluminum protect American steel workers.",
            "On May 14, 2024, the United States raised tariffs on Chinese steel to 25 percent.",
        ],
    )
    (entry,) = build_timeline("US tariffs on Chinese steel", [hit], embedder, limit=1)
    assert entry.text.startswith("On May 14, 2024") and entry.dated_by == "stated"
    assert is_event(entry.text) and not is_event(hit.document.text.split(".")[0])


def test_window_and_time_words_in_the_topic_select_events_by_their_date(corpus_app: Briefing) -> None:
    april = corpus_app.timeline("tariffs on China", since=date(2025, 4, 1), until=date(2025, 4, 30), asked_on=TODAY)
    assert april and all(date(2025, 4, 1) <= e.day <= date(2025, 4, 30) for e in april)
    assert any("84 percent" in e.text and e.day == date(2025, 4, 9) for e in april)
    assert_well_cited(april, corpus_app)
    since = corpus_app.timeline("tariffs on China since April 2025", asked_on=TODAY)
    assert since and all(e.day >= date(2025, 4, 1) for e in since)
    # An event stated in a later report is placed on its own date: the 2014 policy in a 2025 summary.
    policy = corpus_app.timeline("China semiconductor industrial policy", until=date(2016, 12, 31), asked_on=TODAY)
    assert any(e.when == "2014" and "national semiconductor industrial policy" in e.text for e in policy)
    assert all(e.day <= date(2016, 12, 31) for e in policy)


def test_a_syndicated_sentence_is_one_line_naming_the_other_outlet(corpus_app: Briefing, tmp_path: Path) -> None:
    text = (CORPUS / "wh-2025-05-12-us-china-trade-deal-fact-sheet.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    copy = tmp_path / "wire" / "deal.md"
    copy.parent.mkdir()
    copy.write_text(
        "---\ntitle: US, China strike tariff deal\nsource: Example Wire\npublished: 2025-05-12\n---\n"
        "GENEVA (Example Wire) - The White House released this fact sheet on Monday.\n" + body,
        encoding="utf-8",
    )
    assert corpus_app.ingest([copy]).added
    entries = corpus_app.timeline("US China trade deal tariffs", asked_on=TODAY)
    lines = [e for e in entries if "lower tariffs by 115%" in e.text]
    assert len(lines) == 1
    assert {lines[0].citation.source, *lines[0].citation.also_reported_by} == {"The White House", "Example Wire"}


def test_event_day_rules() -> None:
    published = date(2025, 5, 12)
    assert event_day("On April 9, 2025, the Commission announced a tariff.", published) == (
        date(2025, 4, 9),
        "day",
        "stated",
    )
    # An announcement of what will happen is dated by its publication, not by the date it mentions.
    assert event_day("The United States will suspend the tariff imposed on April 2, 2025.", published) == (
        published,
        "day",
        "published",
    )
    assert event_day("Both sides met again.", published) == (published, "day", "published")
    assert event_day("Both sides met again.", None) is None  # cannot be placed
    assert event_day("The parties commit to act by May 14, 2025.", date(2025, 5, 1)) == (
        date(2025, 5, 1),
        "day",
        "published",
    )


def test_cli_timeline(corpus_library: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(corpus_library, folder)
    runner = CliRunner()
    args = ["--data-dir", str(folder), "timeline", "export controls on advanced chips", "--until", "2023-12-31"]
    result = runner.invoke(cli, [*args, "--asked-on", "2026-11-29"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Timeline: export controls on advanced chips"
    events = lines[2:]
    assert events and any(line.startswith("2022-10-07 — “") for line in events)
    line_shape = re.compile(r"^(?:\d{4}-\d\d-\d\d|[A-Z][a-z]+ \d{4}|\d{4}) — “.+” \[\d+\] .+")
    assert all(line_shape.match(line) for line in events), events
    as_json = json.loads(runner.invoke(cli, [*args, "--json", "--limit", "3"]).stdout)
    assert 1 <= len(as_json) <= 3
    first = as_json[0]
    assert set(first) >= {"day", "when", "precision", "text", "citation", "dated_by", "line"}
    assert first["citation"]["quote"] == first["text"] and first["day"] <= "2023-12-31"
    assert format_timeline("nothing", []) == "The library holds no dated events on “nothing”."


def test_a_line_quotes_its_event_without_the_dateline(embedder: SentenceEmbedder) -> None:
    filed = passage(
        "filed",
        "Dockworkers strike at Felixstowe",
        date(2022, 8, 21),
        ["London (CNN) Dockworkers at the port of Felixstowe began an eight-day strike over pay on August 21, 2022."],
    )
    entries = build_timeline("the dockworkers' strike at Felixstowe", [filed], embedder, limit=3)
    assert [e.text for e in entries] == [
        "Dockworkers at the port of Felixstowe began an eight-day strike over pay on August 21, 2022."
    ]
    assert entries[0].citation.quote.startswith("London (CNN) Dockworkers")
