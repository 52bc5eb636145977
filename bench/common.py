"""Shared by the benchmarks: the machine, result files, timing statistics and the evaluation corpus."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.env import cpu

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DOCS = REPO / "docs"
CLAPNQ = Path(os.environ.get("BRIEFING_BENCH_EVAL", REPO.parent / "shared" / "eval" / "clapnq"))


def quiet_env() -> None:
    """The same offline, no-telemetry environment the app sets, before any heavy import."""
    from core.env import quiet_environment

    quiet_environment()


def parse_args(description: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="Smaller sizes and fewer repeats (a smoke run).")
    return parser.parse_args(argv)


def machine() -> dict[str, Any]:
    """CPU model, cores and RAM as /proc reports them, plus the software that matters."""
    processor = cpu()
    ram_gib = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    versions = {}
    for name in ("torch", "onnxruntime", "sentence_transformers", "chromadb", "llama_cpp"):
        try:
            module = __import__(name)
            versions[name] = getattr(module, "__version__", "?")
        except ImportError:
            versions[name] = None
    return {
        "cpu": processor["model"] or "unknown",
        "cpu_features": processor["features"],
        "cores": os.cpu_count(),
        "ram_gib": round(ram_gib, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "versions": versions,
        "load_average_at_start": os.getloadavg()[0],
    }


def save(name: str, data: dict[str, Any], command: str) -> Path:
    """Write bench/results/NAME.json with the command and date that produced it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "command": command,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **data,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}", file=sys.stderr)
    return path


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/mean/min in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "min_ms": round(min(ms), 2),
    }


class Timer:
    """Wall and process-CPU seconds of a block."""

    def __enter__(self) -> Timer:
        self.wall0 = time.perf_counter()
        self.cpu0 = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


def clapnq_records(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or CLAPNQ / "corpus.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def clapnq_questions(answerable_only: bool = False) -> list[dict[str, Any]]:
    path = CLAPNQ / "dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("answerable", True)] if answerable_only else rows


def repeated_corpus(target: Path, documents: int) -> Path:
    """A JSONL corpus of `documents` real passages: clapnq repeated, each copy with its own id and title.

    Written line by line, so building a large one never holds it in memory either.
    """
    records = clapnq_records()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as out:
        for i in range(documents):
            base = records[i % len(records)]
            copy = i // len(records)
            record = dict(base, id=f"{base['id']}-r{copy}", title=f"{base.get('title', '')} ({copy})")
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def chunk_texts(records: Sequence[dict[str, Any]], chunk_size: int = 900, overlap: int = 150) -> list[str]:
    """The chunks ingest makes of these records (same cleaning and splitter)."""
    from ingest.chunking import split
    from ingest.clean import normalise

    texts: list[str] = []
    for i, record in enumerate(records):
        text = normalise(record["text"])
        texts.extend(c.text for c in split(text, f"d{i}", "", chunk_size, overlap))
    return texts


def progress(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
