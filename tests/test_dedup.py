"""Syndicated copies: MinHash signatures at ingest, one group per story, one copy in answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from ingest.dedup import THRESHOLD, DuplicateIndex, band_keys, shingles, signature, similarity
from tests.helpers import CORPUS

STORY = (
    "Chinese regulators approved the first export licences for gallium and germanium on Thursday, "
    "three months after Beijing restricted shipments of the two metals used in chips and solar panels. "
    "The commerce ministry said applications from several companies had been approved, without naming them. "
    "Exporters must now report the end users of every shipment and keep the paperwork for five years. "
    "Analysts said the approvals would ease shortages in Europe and Japan but keep Beijing's leverage over "
    "supply chains, since licences can be withdrawn at any time. Gallium prices in Rotterdam fell four percent "
    "after the announcement."
)
WIRE_ONE = "BEIJING (Wire One) - " + STORY + "\n\nReporting by the Wire One Asia desk; editing by our Singapore team."
WIRE_TWO = (
    "Updated 09:14 GMT. Listen to this article. "
    + STORY.replace("on Thursday", "on Thursday, officials said")
    + "\n\nSign up for the Wire Two markets newsletter. Copyright Wire Two. All rights reserved."
)
OTHER = (
    "Taiwan's largest chip maker said on Friday that its new plant in Kumamoto would start volume production "
    "next year, helped by subsidies from the Japanese government, and that a second plant was being planned."
)


def _write(folder: Path, name: str, title: str, source: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: {title}\nsource: {source}\npublished: 2025-05-12\n---\n{body}\n", encoding="utf-8")
    return path


def _jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def test_minhash_estimates_jaccard_and_separates_copies_from_other_articles() -> None:
    one, two, other = signature(WIRE_ONE), signature(WIRE_TWO), signature(OTHER)
    assert one is not None and two is not None and other is not None
    assert one.dtype == np.uint32 and len(one) == 128
    assert similarity(one, signature(WIRE_ONE)) == 1.0  # type: ignore[arg-type]
    assert abs(similarity(one, two) - _jaccard(WIRE_ONE, WIRE_TWO)) < 0.12
    assert similarity(one, two) >= THRESHOLD
    assert similarity(one, other) < 0.1
    assert band_keys(one) == band_keys(signature(WIRE_ONE))  # type: ignore[arg-type]
    assert signature("") is None


def test_distinct_sample_articles_stay_well_apart() -> None:
    texts = [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in sorted(CORPUS.glob("wh-2025-05-*.md"))]
    assert len(texts) == 2  # the Geneva joint statement and the fact sheet of the same day
    a, b = signature(texts[0]), signature(texts[1])
    assert a is not None and b is not None and similarity(a, b) < 0.2


@pytest.fixture
def syndicated(app: Briefing, tmp_path: Path) -> tuple[Briefing, dict[str, str]]:
    folder = tmp_path / "wires"
    folder.mkdir()
    _write(folder, "a-wire-one.md", "China approves first gallium export licences", "Wire One", WIRE_ONE)
    _write(folder, "b-wire-two.md", "Beijing grants gallium, germanium permits", "Wire Two", WIRE_TWO)
    _write(folder, "c-other.md", "Kumamoto plant to start volume production", "Chip Weekly", OTHER)
    report = app.ingest([folder])
    assert len(report.added) == 3
    ids = {d.source or "": d.doc_id for d in app.documents()}
    return app, ids


def test_copies_are_detected_at_ingest_and_stored(syndicated: tuple[Briefing, dict[str, str]], tmp_path: Path) -> None:
    app, ids = syndicated
    assert app.copies() == {ids["Wire Two"]: ids["Wire One"]}
    groups = DuplicateIndex(app.library).groups()
    assert list(groups.values()) == [sorted([ids["Wire One"], ids["Wire Two"]])]
    # The ingest report says which file repeats which story.
    folder = tmp_path / "later"
    folder.mkdir()
    third = _write(folder, "d-wire-three.md", "Gallium licences approved", "Wire Three", "By a staff writer. " + STORY)
    report = app.ingest([third])
    assert len(report.notes) == 1
    assert re.search(
        r"near-duplicate \(\d+% alike\) of “China approves first gallium export licences”", report.notes[0]
    )
    assert len(app.copies()) == 2


def test_answers_cite_one_copy_and_name_the_other_outlets(syndicated: tuple[Briefing, dict[str, str]]) -> None:
    app, ids = syndicated
    question = "Which metals did Chinese regulators approve export licences for?"
    hits = app.retrieve(question, k=6)
    story = [h for h in hits if h.document.doc_id in (ids["Wire One"], ids["Wire Two"])]
    assert story and len({h.document.doc_id for h in story}) == 1  # one copy per story
    outlets = {"Wire One", "Wire Two"}
    for hit in story:
        assert {hit.document.source, *hit.also_in} == outlets
    answer = app.ask(question)
    assert not answer.abstained and "gallium" in answer.text
    assert len({c.doc_id for c in answer.citations}) == 1
    cited = answer.citations[0]
    assert {cited.source, *cited.also_reported_by} == outlets


def test_groups_follow_removal_and_changes(syndicated: tuple[Briefing, dict[str, str]], tmp_path: Path) -> None:
    app, ids = syndicated
    app.remove(ids["Wire One"])
    assert app.copies() == {}  # a story with one copy left is not a duplicate any more
    index = DuplicateIndex(app.library)
    assert index.unsigned() == []
    # Signatures missing (a library from before detection existed) are rebuilt on the next ingest.
    app.library._db().execute("DELETE FROM minhash")
    assert sorted(index.unsigned()) == sorted([ids["Wire Two"], ids["Chip Weekly"]])
    folder = tmp_path / "again"
    folder.mkdir()
    _write(folder, "e-wire-four.md", "Gallium licences", "Wire Four", STORY)
    app.ingest([folder])
    assert index.unsigned() == []
    assert set(app.copies()) | set(app.copies().values()) == {
        ids["Wire Two"],
        next(d.doc_id for d in app.documents() if d.source == "Wire Four"),
    }


def test_cli_sources_marks_copies_without_inflating_the_count(
    syndicated: tuple[Briefing, dict[str, str]], tmp_path: Path
) -> None:
    app, ids = syndicated
    folder = app.settings.data_dir
    app.close()
    runner = CliRunner()
    listing = runner.invoke(cli, ["--data-dir", str(folder), "sources"])
    assert listing.exit_code == 0, listing.output
    lines = listing.stdout.splitlines()
    copy_line = next(line for line in lines if line.startswith(ids["Wire Two"]))
    assert f"= copy of {ids['Wire One']}" in copy_line
    assert lines[-1].startswith("3 documents (2 distinct, 1 copy), ")
    as_json = json.loads(runner.invoke(cli, ["--data-dir", str(folder), "sources", "--json"]).stdout)
    assert {d["doc_id"]: d["copy_of"] for d in as_json} == {
        ids["Wire One"]: None,
        ids["Wire Two"]: ids["Wire One"],
        ids["Chip Weekly"]: None,
    }
