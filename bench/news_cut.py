"""A smaller cut of an eval folder: every gold document of its questions plus others drawn at random.

    .venv/bin/python -m bench.news_cut SOURCE TARGET [--size 200] [--seed 0]

For embedders too slow to index the whole news-dev corpus (docs/EVAL.md compares MiniLM and
multilingual-e5-small on the 200-article cut of ../shared/eval/news-dev this writes). The questions
are copied unchanged; the cut keeps the corpus order.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections.abc import Sequence
from pathlib import Path


def cut(source: Path, target: Path, size: int = 200, seed: int = 0, split: str = "dev.jsonl") -> tuple[int, int]:
    """Write target/corpus.jsonl and target/<split>; returns (documents kept, gold documents among them)."""
    questions = [json.loads(line) for line in (source / split).read_text(encoding="utf-8").splitlines() if line]
    gold = {str(g) for q in questions for g in q.get("gold_ids") or ()}
    lines = [line for line in (source / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line]
    ids = [str(json.loads(line)["id"]) for line in lines]
    others = [i for i in ids if i not in gold]
    random.Random(seed).shuffle(others)
    by_id = dict(zip(ids, lines, strict=True))
    # Gold documents first, in corpus order, then the drawn ones in drawn order: the cut EVAL.md used.
    chosen = [line for line, i in zip(lines, ids, strict=True) if i in gold]
    chosen += [by_id[i] for i in others[: max(0, size - len(chosen))]]
    target.mkdir(parents=True, exist_ok=True)
    (target / "corpus.jsonl").write_text("\n".join(chosen) + "\n", encoding="utf-8")
    shutil.copyfile(source / split, target / split)
    return len(chosen), len(gold & by_id.keys())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    kept, gold = cut(args.source, args.target, args.size, args.seed)
    print(f"wrote {kept} documents ({gold} gold) to {args.target}")


if __name__ == "__main__":
    main()
