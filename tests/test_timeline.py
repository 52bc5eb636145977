"""Timelines: dated events on a topic, oldest first, each citing a document that states the event."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from rag.temporal import stated_dates
from rag.timeline import TimelineEntry, event_day, format_timeline
from tests.helpers import CORPUS

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
    deal = next(i for i, t in enumerate(texts) if "lower tariffs by 115%" in t)
    assert trade_war < deal
    assert entries[trade_war].when == "January 2018" and entries[trade_war].dated_by == "stated"
    assert entries[deal].day == date(2025, 5, 12)
    # Dated by the document when the sentence states no date of its own.
    assert any(e.dated_by == "published" for e in entries)


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
