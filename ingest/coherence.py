"""How closely a document's passages keep to one subject: the mean cosine similarity between them.

An article about one story scores high (median 0.73 over the 1,000 news articles of news-dev's corpus
with all-MiniLM-L6-v2); a roundup of unrelated stories ("5 things to know for June 16", "news from
around our 50 states") scores low (0.23–0.41 for 32 of the 33 daily digests there; `python -m
bench.roundups`). Retrieval uses it to rank a roundup's passing paragraph after the article that is
about the story (rag/retrieve.py).

It is computed once per document from the vectors ingest has just written; libraries stored before
it existed get it from their stored vectors on the next ingest, and `briefing reindex` measures it
again on the new vectors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ingest.store import Library
    from ingest.vectors import VectorIndex


def coherence(vectors: Sequence[Sequence[float]]) -> float:
    """Mean cosine similarity over all pairs of passage vectors (1.0 for a single passage)."""
    if len(vectors) < 2:
        return 1.0
    matrix = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit = matrix / np.where(norms == 0, 1.0, norms)
    # The sum of all pairwise cosines is |Σ u|² minus the n self-similarities: O(n·d), not O(n²·d).
    total = unit.sum(axis=0)
    n = len(unit)
    pairs = (float(total @ total) - float((unit * unit).sum())) / (n * (n - 1))
    return round(max(-1.0, min(1.0, pairs)), 4)


def by_document(doc_ids: Iterable[str], vectors: Sequence[Sequence[float]]) -> dict[str, float]:
    """doc id → coherence of its vectors, for vectors listed with the document each belongs to."""
    grouped: dict[str, list[Sequence[float]]] = {}
    for doc_id, vector in zip(doc_ids, vectors, strict=True):
        grouped.setdefault(doc_id, []).append(vector)
    return {doc_id: coherence(group) for doc_id, group in grouped.items()}


def backfill(library: Library, index: VectorIndex, batch: int = 200) -> int:
    """Measure the documents stored without coherence from their stored vectors; returns how many.

    Documents whose vectors are missing (an index being rebuilt) stay unmeasured and are tried again.
    """
    missing = library.without_coherence()
    done = 0
    for start in range(0, len(missing), batch):
        doc_ids = missing[start : start + batch]
        owners = library.chunk_owners(doc_ids)  # chunk id → doc id
        found = index.vectors(list(owners))
        # Only documents with every vector present: a partial set would measure a different document.
        expected = Counter(owners.values())
        present = Counter(owners[cid] for cid in found)
        complete = [cid for cid in found if present[owners[cid]] == expected[owners[cid]]]
        values = by_document([owners[c] for c in complete], [found[c] for c in complete])
        library.set_coherence(values)
        done += len(values)
    return done
