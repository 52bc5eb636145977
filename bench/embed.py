"""Embedding throughput: plain SentenceTransformer.encode against the embedder ingest uses.

    .venv/bin/python -m bench.embed [--quick]

Both embed the same texts: the chunks ingest makes of the clapnq corpus (592 Wikipedia passages,
real prose of 100-250 words). The baseline is sentence-transformers with its default settings
(`SentenceTransformer(path).encode(texts)`, batch 32, torch's default threads). Variants run
interleaved, round after round, and each keeps its fastest round, so a burst of load from other
processes on the machine hits all of them alike; the ratio is what the target is about.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.common import Timer, chunk_texts, clapnq_records, parse_args, progress, quiet_env, save

COMMAND = ".venv/bin/python -m bench.embed"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from ingest.embed import SentenceEmbedder, resolve_model

    records = clapnq_records()
    texts = chunk_texts(records[:150] if args.quick else records)
    rounds = 1 if args.quick else 2
    progress(f"embedding {len(texts)} chunks, {rounds} round(s) per variant")

    baseline = SentenceTransformer(resolve_model("all-MiniLM-L6-v2"), device="cpu")
    variants: dict[str, Any] = {"sentence-transformers (torch, defaults)": lambda t: baseline.encode(t)}
    embedders = {name: SentenceEmbedder(backend=name) for name in ("onnx", "onnx-int8")}
    for name, embedder in embedders.items():
        variants[f"SentenceEmbedder {name}"] = embedder.embed_batch
    for run in variants.values():
        run(texts[:16])  # load and warm up

    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    vectors: dict[str, Any] = {}
    for r in range(rounds):
        for name, run in variants.items():
            with Timer() as t:
                out = run(texts)
            timings[name].append((t.wall, t.cpu))
            vectors[name] = np.asarray(out, dtype=np.float32)
            progress(f"round {r + 1}: {name}: {t.wall:.1f}s wall, {t.cpu:.1f}s CPU")

    reference = vectors["sentence-transformers (torch, defaults)"]
    reference = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    base_wall = min(w for w, _ in timings["sentence-transformers (torch, defaults)"])
    base_cpu = min(c for _, c in timings["sentence-transformers (torch, defaults)"])
    rows = []
    for name, runs in timings.items():
        wall = min(w for w, _ in runs)
        cpu = min(c for _, c in runs)
        cosine = (vectors[name] * reference).sum(axis=1)
        rows.append(
            {
                "variant": name,
                "seconds": round(wall, 2),
                "cpu_seconds": round(cpu, 2),
                "chunks_per_s": round(len(texts) / wall, 1),
                "speedup_wall": round(base_wall / wall, 2),
                "speedup_cpu": round(base_cpu / cpu, 2),
                "min_cosine_to_reference": round(float(cosine.min()), 4),
                "rounds_wall": [round(w, 2) for w, _ in runs],
            }
        )
    result = {"chunks": len(texts), "rounds": rounds, "quick": args.quick, "rows": rows}
    save("embed", result, COMMAND + (" --quick" if args.quick else ""))
    for row in rows:
        print(row, file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
