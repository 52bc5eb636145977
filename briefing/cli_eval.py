"""`briefing eval-compare`: two `briefing eval --details` runs, question by question (registered on the main group)."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command(name="eval-compare")
@click.argument("before", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("after", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
def eval_compare(before: Path, after: Path, as_json: bool) -> None:
    """What changed between two `briefing eval --details` files of the same questions.

    For each outcome (answer contains a gold answer, gold document first and in the first 5, refusals)
    the questions gained and lost, with the exact McNemar p-value of that split, then every question
    whose answer changed, before and after.
    """
    from briefing.compare import compare

    result = compare(before, after)
    click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if as_json else result.markdown())
