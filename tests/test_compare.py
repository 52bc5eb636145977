"""`briefing eval-compare`: two real `briefing eval --details` runs of one set, question by question."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.compare import mcnemar_exact, wilson
from tests.test_rag import mini_eval_set


@pytest.mark.parametrize(
    ("gained", "lost", "p"),
    [(0, 0, 1.0), (1, 1, 1.0), (0, 2, 0.5), (5, 0, 0.0625), (1, 9, 0.021484375), (10, 10, 1.0)],
)
def test_exact_mcnemar(gained: int, lost: int, p: float) -> None:
    assert mcnemar_exact(gained, lost) == pytest.approx(p)


def test_wilson_interval() -> None:
    # Newcombe (1998)'s worked example, and the edges: none and all of ten.
    assert wilson(81, 263) == pytest.approx((0.2553, 0.3662), abs=1e-4)
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    assert wilson(0, 0) is None


def test_a_stricter_abstention_line_shows_as_two_answers_lost(tmp_path: Path) -> None:
    folder = mini_eval_set(tmp_path)
    runner = CliRunner()
    base = ["--data-dir", str(tmp_path / "data"), "--generator", "extractive", "eval", str(folder), "--json"]
    before, after = tmp_path / "before.jsonl", tmp_path / "after.jsonl"
    assert runner.invoke(cli, [*base, "--details", str(before)]).exit_code == 0
    # The same questions with an abstention line no answer reaches: both answers become refusals.
    strict = runner.invoke(cli, [*base, "--details", str(after)], env={"BRIEFING_ABSTAIN_THRESHOLD": "5"})
    assert strict.exit_code == 0, strict.output

    result = runner.invoke(cli, ["eval-compare", str(before), str(after), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["paired"] == 3 and report["only_before"] == report["only_after"] == []
    outcomes = {o["outcome"]: o for o in report["outcomes"]}
    contains = outcomes["answer contains a gold answer"]
    assert (contains["before"], contains["after"], contains["gained"], contains["lost"]) == (2, 0, [], ["q1", "q2"])
    assert contains["p_value"] == 0.5
    refused = outcomes["refused although answerable"]
    assert (refused["before"], refused["after"], refused["lost"]) == (0, 2, ["q1", "q2"])
    # Retrieval is the same in both runs, and the unanswerable question was refused both times.
    assert outcomes["gold document first"]["gained"] == outcomes["gold document first"]["lost"] == []
    assert outcomes["refused, as the library has no answer"]["before"] == 1
    assert [c["id"] for c in report["changed"]] == ["q1", "q2"]
    assert "Phobos" in report["changed"][0]["before"] and "Phobos" not in report["changed"][0]["after"]

    table = runner.invoke(cli, ["eval-compare", str(before), str(after)]).stdout
    assert "| answer contains a gold answer | 2 / 2 | 0 / 2 | 0 | 2 | 0.50 |" in table
    assert (
        "- q1: What are the moons of Mars? (answer contains a gold answer: lost; refused although answerable: lost)"
        in table
    )


def test_a_file_that_is_not_a_details_file_is_named_with_its_line(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "q1", "question": "?", "answer": "x", "answerable": True}) + "\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "q1"}) + "\n\n{not json\n")
    result = CliRunner().invoke(cli, ["eval-compare", str(good), str(bad)])
    assert result.exit_code == 1 and f"{bad}:3: invalid JSON" in result.output
    scores = tmp_path / "scores.jsonl"
    scores.write_text(json.dumps({"metrics": {}}) + "\n")
    result = CliRunner().invoke(cli, ["eval-compare", str(scores), str(good)])
    assert result.exit_code == 1 and f"{scores}:1: not a question record" in result.output
