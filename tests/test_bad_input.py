"""Bad input: each broken source fails once, by name and reason, and the rest of the batch goes in."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from tests.helpers import BAD, LATIN1, assert_library_consistent, make_settings, write_batch


def failure_names(folder: Path, origins: list[str]) -> list[str]:
    return sorted(Path(origin).name if origin.startswith(str(folder)) else origin for origin in origins)


def test_every_bad_file_fails_once_with_its_reason_and_good_files_are_added(app: Briefing, tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "batch")

    report = app.ingest([folder])

    failures = {Path(f.origin).name: f.reason for f in report.failed}
    assert failure_names(folder, [f.origin for f in report.failed]) == sorted(BAD)
    for name, reason in BAD.items():
        assert reason in failures[name], (name, failures[name])
    assert sorted(Path(origin).name for origin in report.added) == sorted(
        ["good.md", "latin1.txt", "report.pdf", "feed.jsonl:1", "feed.jsonl:3"]
    )
    assert report.notes == [f"{folder / 'latin1.txt'}: not UTF-8; read as Windows-1252/Latin-1"]
    # The good files are searchable; the feed's good lines are kept under their ids.
    assert app.library.resolve("good-1") and app.library.resolve("feed-1") and app.library.resolve("feed-3")
    assert app.library.resolve("feed-2") == []
    latin = app.document(app.library.resolve(str(folder / "latin1.txt"))[0])
    assert latin.text == LATIN1
    assert assert_library_consistent(app)["documents"] == 5

    # Nothing bad was half-stored, so a second run reports the same failures and adds nothing.
    again = app.ingest([folder])
    assert failure_names(folder, [f.origin for f in again.failed]) == sorted(BAD)
    assert again.added == [] and again.chunks == 0


def test_cli_names_each_failure_once_and_exits_non_zero(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "batch")

    result = CliRunner().invoke(cli, ["ingest", "--quiet", str(folder), str(tmp_path / "missing.md")])

    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    expected = {str(folder / name): reason for name, reason in BAD.items()}
    expected[str(tmp_path / "missing.md")] = "no such file or folder"
    assert len(errors) == len(expected)
    for origin, reason in expected.items():
        matching = [line for line in errors if line.startswith(f"error: {origin}: ")]
        assert len(matching) == 1, (origin, errors)
        assert reason in matching[0]
    assert f"note: {folder / 'latin1.txt'}: not UTF-8; read as Windows-1252/Latin-1" in result.stderr
    assert "5 added, 0 updated, 0 unchanged, 11 failed" in result.stdout
    assert "Traceback" not in result.output

    app = Briefing(make_settings(tmp_path / "data"))
    try:
        assert assert_library_consistent(app)["documents"] == 5
    finally:
        app.close()


def test_a_single_good_file_exits_zero_and_a_single_bad_one_does_not(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "batch")
    runner = CliRunner()

    good = runner.invoke(cli, ["ingest", "--quiet", str(folder / "good.md")])
    bad = runner.invoke(cli, ["ingest", "--quiet", str(folder / "locked.pdf")])

    assert good.exit_code == 0 and "1 added" in good.stdout
    assert bad.exit_code == 1
    assert bad.stderr.strip() == f"error: {folder / 'locked.pdf'}: encrypted PDF: it needs a password"


def test_a_repeated_id_fails_instead_of_silently_dropping_a_record(app: Briefing, tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        json.dumps({"id": "a-1", "text": "First story about chip exports."})
        + "\n"
        + json.dumps({"id": "a-1", "text": "A different story under the same id."})
        + "\n",
        encoding="utf-8",
    )
    twin = tmp_path / "twin.md"
    twin.write_text("---\nid: a-1\n---\nA file claiming the same id.\n", encoding="utf-8")

    report = app.ingest([dump, twin, dump])

    assert report.added == [f"{dump}:1"]
    assert [(f.origin, f.reason) for f in report.failed] == [
        (f"{dump}:2", f"duplicate id 'a-1': already loaded from {dump}:1"),
        (str(twin), f"duplicate id 'a-1': already loaded from {dump}:1"),
        (f"{dump}:2", f"duplicate id 'a-1': already loaded from {dump}:1"),
    ]
    assert report.unchanged == [f"{dump}:1"]  # the dump named twice: its first line is simply seen again
    (doc_id,) = app.library.resolve("a-1")
    assert app.document(doc_id).text == "First story about chip exports."


def test_size_limit_message_reads_well_at_any_scale(tmp_path: Path) -> None:
    from ingest.loaders import Failure, load_path

    big = tmp_path / "notes.txt"
    big.write_text("word " * 60_000)  # 300 KB
    (result,) = list(load_path(big, max_bytes=200_000))
    assert isinstance(result, Failure)
    assert result.reason == "file is 300 KB, over the 200 KB limit"
