"""Hybrid retrieval latency as the library grows: 1k, 10k and 100k chunks.

    .venv/bin/python -m bench.retrieval [--quick]

How the library is built (embedding 100k chunks would take about an hour on 2 cores):
1. The clapnq corpus (592 Wikipedia passages) is cleaned and chunked as ingest does it, and every
   chunk is embedded with the default embedder: the base chunks, real text with real vectors.
2. Each bench document joins 4 base passages (passage d and three at offsets from d fixed per copy
   number c, chosen so that no two documents share more than one passage: none are near-duplicates
   of each other) separated by blank lines; its chunks
   are the base chunks of those passages at their new offsets, and each chunk's vector is its
   base vector plus Gaussian noise (sigma 0.02 per dimension, about cosine 0.93 to the base),
   normalised, so repeated texts do not tie in the vector index. Its outlet is one of 12 names
   and its publication day one of 4,000 days from 2014 on (seeded), so source and date filters
   cut the library like real ones.
3. Documents and chunks go in with `Library.commit` (SQLite and its FTS5 BM25 index), vectors with
   `VectorIndex.upsert` (Chroma, on disk), and each document is signed in the duplicate index
   (`DuplicateIndex.add`), all as ingest writes them, until the library holds 1k chunks; measured;
   then grown to 10k, then 100k.

At each size every clapnq dev question (180) is searched three ways: no filter, one outlet
(`sources`), and a date window (`since`/`until`); each search is `Retriever.search` (embed the
question, Chroma top-30, BM25 top-30, fuse, load chunks, collapse near-duplicates, one copy per
story), timed from the call to the returned hits, after one warm-up query. --quick stops at 10k.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import clapnq_questions, clapnq_records, parse_args, progress, quiet_env, save, summary

COMMAND = ".venv/bin/python -m bench.retrieval"
OUTLETS = [f"outlet-{i:02d}" for i in range(12)]
NOISE = 0.02


_OFFSETS: list[tuple[int, ...]] = []
_DIFFERENCES: set[int] = set()


def offsets_for(copy: int, n: int, rng: Any) -> tuple[int, ...]:
    """Passage offsets of copy `copy`: 0 and three more, with every pairwise difference (mod n) unused by
    earlier copies, so two bench documents share at most one passage and none are near-duplicates."""
    while len(_OFFSETS) <= copy:
        for _ in range(10_000):
            picked = (0, *sorted(int(x) for x in rng.choice(np.arange(1, n), 3, replace=False)))
            diffs = {(a - b) % n for a in picked for b in picked if a != b}
            if len(diffs) == 12 and not diffs & _DIFFERENCES:
                _DIFFERENCES.update(diffs)
                _OFFSETS.append(picked)
                break
        else:
            raise RuntimeError("ran out of distinct passage combinations")
    return _OFFSETS[copy]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()

    from briefing.api import Briefing
    from core.models import Chunk, Document
    from core.request import Filters
    from core.settings import Settings
    from ingest.chunking import split
    from ingest.clean import normalise
    from ingest.dedup import DuplicateIndex
    from ingest.pipeline import chunk_metadata, doc_id_for

    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    rng = np.random.default_rng(20240601)
    records = clapnq_records()
    questions = [q["question"] for q in clapnq_questions()]

    keep = os.environ.get("BENCH_RETRIEVAL_KEEP")  # a folder to build in and keep, for profiling
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        tmp = keep or tmp
        settings = Settings(data_dir=Path(tmp), generator="extractive")
        app = Briefing(settings)
        base: list[tuple[dict[str, Any], str, list[tuple[int, int, int, str]], Any]] = []
        started = time.perf_counter()
        for i, record in enumerate(records):
            text = normalise(record["text"])
            spans = [(c.index, c.start, c.end, c.text) for c in split(text, f"base{i}", "", 900, 150)]
            base.append((record, text, spans, None))
        all_texts = [s[3] for _, _, spans, _ in base for s in spans]
        vectors = np.asarray(app.embedder.embed_batch(all_texts), dtype=np.float32)
        offset = 0
        for i, (record, text, spans, _) in enumerate(base):
            base[i] = (record, text, spans, vectors[offset : offset + len(spans)])
            offset += len(spans)
        embed_seconds = time.perf_counter() - started
        progress(f"embedded {len(all_texts)} base chunks in {embed_seconds:.0f}s")

        day0 = date(2014, 1, 1)
        rng_offsets = np.random.default_rng(7)
        duplicates = DuplicateIndex(app.library)
        copy = 0
        total = 0
        rows = []
        build_seconds = 0.0
        n = len(base)
        for size in sizes:
            started = time.perf_counter()
            while total < size:
                items = []
                ids: list[str] = []
                vecs: list[Any] = []
                metas: list[dict[str, Any]] = []
                for d in range(n):
                    if total >= size:
                        break
                    parts = [base[(d + offset) % n] for offset in offsets_for(copy, n, rng_offsets)]
                    key = f"bench:{copy}:{d}"
                    doc_id = doc_id_for(key)
                    text = "\n\n".join(p[1] for p in parts)
                    document = Document(
                        doc_id=doc_id,
                        title=f"{parts[0][0].get('title') or 'Passage'} ({copy})",
                        text=text,
                        external_id=f"{parts[0][0]['id']}-{copy}",
                        source=OUTLETS[int(rng.integers(len(OUTLETS)))],
                        published=day0 + timedelta(days=int(rng.integers(4000))),
                        content_hash=f"{doc_id}-hash",
                        ingested_at="2025-01-01T00:00:00",
                    )
                    chunks = []
                    offset = 0
                    for _, part_text, spans, base_vectors in parts:
                        for index_in_part, s0, e0, chunk_text in spans:
                            index = len(chunks)
                            chunks.append(
                                Chunk(f"{doc_id}-{index}", doc_id, index, chunk_text, offset + s0, offset + e0)
                            )
                            assert text[offset + s0 : offset + e0] == chunk_text, index_in_part
                        noisy = base_vectors + rng.normal(0, NOISE, base_vectors.shape).astype(np.float32)
                        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
                        vecs.extend(noisy.tolist())
                        offset += len(part_text) + 2
                    items.append((document, key, chunks))
                    ids.extend(c.chunk_id for c in chunks)
                    metas.extend(chunk_metadata(document, c) for c in chunks)
                    total += len(chunks)
                for start in range(0, len(ids), 2000):
                    app.index.upsert(ids[start : start + 2000], vecs[start : start + 2000], metas[start : start + 2000])
                app.library.commit(items)
                for document, _, _ in items:
                    duplicates.add(document.doc_id, document.text)
                copy += 1
            build_seconds += time.perf_counter() - started
            counts = app.library.counts()
            progress(
                f"library at {counts['chunks']} chunks ({counts['documents']} documents); built in {build_seconds:.0f}s"
            )
            retriever = app.retriever()
            retriever.search("warm up the query path", Filters(), 6)
            cases = {
                "no filter": Filters(),
                "one outlet": Filters(sources=(OUTLETS[3],)),
                "date window": Filters(since=date(2019, 1, 1), until=date(2021, 12, 31)),
            }
            row: dict[str, Any] = {"chunks": counts["chunks"], "documents": counts["documents"]}
            for name, filters in cases.items():
                seconds = []
                empty = 0
                for question in questions:
                    t0 = time.perf_counter()
                    hits = retriever.search(question, filters, 6)
                    seconds.append(time.perf_counter() - t0)
                    empty += not hits
                row[name] = {**summary(seconds), "empty_results": empty}
                progress(f"{counts['chunks']} chunks, {name}: {row[name]}")
            rows.append(row)
        app.close()
    result = {
        "quick": args.quick,
        "base_chunks": len(all_texts),
        "noise_sigma": NOISE,
        "questions": len(questions),
        "build_seconds": round(build_seconds, 1),
        "rows": rows,
    }
    save("retrieval", result, COMMAND + (" --quick" if args.quick else ""))
    print(rows, file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
