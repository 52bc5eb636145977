"""Two `briefing eval --details` files of the same questions, question by question.

A change to retrieval or answering moves some answers one way and some the other, and on sets of a few
dozen questions a handful of moves either way is what reordering near-tied sentences alone produces.
`compare` pairs the two runs by question id and, for each outcome, counts the questions it gained and
lost and gives the exact McNemar p-value: the chance that a change which made no difference would still
split the changed questions at least this unevenly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import BriefingError

Record = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """A yes/no result per question; `applies` says which questions have one."""

    name: str
    applies: Callable[[Record], bool]
    holds: Callable[[Record], bool]
    # For "refused although answerable" fewer is better: gaining it is a loss.
    better_when_true: bool = True


def _ranked_within(k: int) -> Callable[[Record], bool]:
    return lambda r: r.get("gold_rank") is not None and int(r["gold_rank"]) <= k


OUTCOMES = (
    Outcome("answer contains a gold answer", lambda r: "contains" in r, lambda r: bool(r["contains"])),
    Outcome("gold document first", lambda r: bool(r.get("gold_ids")), _ranked_within(1)),
    Outcome("gold document in the first 5", lambda r: bool(r.get("gold_ids")), _ranked_within(5)),
    Outcome(
        "refused although answerable",
        lambda r: bool(r.get("answerable")),
        lambda r: bool(r.get("abstained")),
        better_when_true=False,
    ),
    Outcome(
        "refused, as the library has no answer",
        lambda r: not r.get("answerable"),
        lambda r: bool(r.get("abstained")),
    ),
)


@dataclass
class Tally:
    outcome: str
    questions: int
    before: int
    after: int
    gained: list[str] = field(default_factory=list)  # ids that got better
    lost: list[str] = field(default_factory=list)

    @property
    def p_value(self) -> float:
        return mcnemar_exact(len(self.gained), len(self.lost))

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "questions": self.questions,
            "before": self.before,
            "after": self.after,
            "gained": self.gained,
            "lost": self.lost,
            "p_value": round(self.p_value, 4),
        }


@dataclass
class Comparison:
    before: str
    after: str
    paired: int
    only_before: list[str]
    only_after: list[str]
    tallies: list[Tally]
    # (id, question, what changed, answer before, answer after) for every question whose answer changed.
    changed: list[tuple[str, str, list[str], str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "paired": self.paired,
            "only_before": self.only_before,
            "only_after": self.only_after,
            "outcomes": [t.to_dict() for t in self.tallies],
            "changed": [
                {"id": i, "question": q, "moves": moves, "before": a, "after": b} for i, q, moves, a, b in self.changed
            ],
        }

    def markdown(self, width: int = 160) -> str:
        lines = [
            f"{self.paired} questions in both runs (before: {self.before}; after: {self.after})"
            + (f"; {len(self.only_before)} only before, {len(self.only_after)} only after" if self._unpaired else "")
            + ".",
            "",
            "| outcome | before | after | gained | lost | p (exact McNemar) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for t in self.tallies:
            if t.questions:
                lines.append(
                    f"| {t.outcome} | {t.before} / {t.questions} | {t.after} / {t.questions} | "
                    f"{len(t.gained)} | {len(t.lost)} | {t.p_value:.2f} |"
                )
        moved = sum(1 for _, _, moves, _, _ in self.changed if moves)
        lines += ["", f"{len(self.changed)} answers changed, {moved} of them in an outcome above."]
        for qid, question, moves, old, new in self.changed:
            lines += [
                "",
                f"- {qid}: {_clip(question, width)}" + (f" ({'; '.join(moves)})" if moves else ""),
                f"  before: {_clip(old, width)}",
                f"  after:  {_clip(new, width)}",
            ]
        return "\n".join(lines)

    @property
    def _unpaired(self) -> bool:
        return bool(self.only_before or self.only_after)


def mcnemar_exact(gained: int, lost: int) -> float:
    """Two-sided exact McNemar test: binomial(gained + lost, 1/2) at least as uneven as observed."""
    n = gained + lost
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(gained, lost) + 1)) / 2**n
    return min(1.0, 2 * tail)


def wilson(successes: float, total: int, z: float = 1.96) -> tuple[float, float] | None:
    """The 95 % Wilson score interval of a proportion (None without observations): on 62 questions a
    contains of 0.677 is 0.55-0.78, which is how far two sets of that size may differ by chance."""
    if total <= 0:
        return None
    share = successes / total
    spread = z * z / total
    centre = (share + spread / 2) / (1 + spread)
    half = z * math.sqrt(share * (1 - share) / total + spread / (4 * total)) / (1 + spread)
    return max(0.0, centre - half), min(1.0, centre + half)


def json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line of a JSON Lines file; a line that is not JSON, or a
    file that cannot be read, is an error naming the file and the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BriefingError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise BriefingError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc


def read_details(path: Path) -> dict[str, Record]:
    """The records of a details file by question id; a line that is not a record is an error naming it."""
    records: dict[str, Record] = {}
    for number, record in json_lines(path):
        if not isinstance(record, dict) or "id" not in record:
            raise BriefingError(f"{path}:{number}: not a question record of `briefing eval --details`")
        records[str(record["id"])] = record
    return records


def compare(before_path: Path, after_path: Path) -> Comparison:
    before, after = read_details(before_path), read_details(after_path)
    ids = [i for i in before if i in after]
    tallies = []
    moves: dict[str, list[str]] = {i: [] for i in ids}
    for outcome in OUTCOMES:
        # (id, held before, holds after) for the questions the outcome applies to in both runs.
        pairs = [
            (i, outcome.holds(before[i]), outcome.holds(after[i]))
            for i in ids
            if outcome.applies(before[i]) and outcome.applies(after[i])
        ]
        tally = Tally(outcome.name, len(pairs), sum(was for _, was, _ in pairs), sum(now for _, _, now in pairs))
        for i, was, now in pairs:
            if was == now:
                continue
            better = now == outcome.better_when_true
            (tally.gained if better else tally.lost).append(i)
            moves[i].append(f"{outcome.name}: {'gained' if better else 'lost'}")
        tallies.append(tally)
    changed = [
        (i, str(before[i].get("question", "")), moves[i], _said(before[i]), _said(after[i]))
        for i in ids
        if _said(before[i]) != _said(after[i]) or moves[i]
    ]
    return Comparison(
        before=str(before_path),
        after=str(after_path),
        paired=len(ids),
        only_before=[i for i in before if i not in after],
        only_after=[i for i in after if i not in before],
        tallies=tallies,
        changed=changed,
    )


def _said(record: Record) -> str:
    return str(record.get("answer") or "")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
