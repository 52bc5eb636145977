"""Fair fusion across languages: BM25 cannot match a passage written in another language than the question.

Reciprocal rank fusion adds the dense and the BM25 rank of each passage. A Chinese passage
asked about in English can only ever have a dense rank, so it loses to English passages that
score in both lists even when its dense rank is better. With a multilingual embedder, a
passage in the other script gets its dense rank counted for the BM25 list too: the missing
rank says nothing about relevance, only about the language.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.segment import has_han
from ingest.store import Library

_HAN_LANGUAGES = frozenset({"zh", "ja"})


def other_language_bonus(
    query: str, dense_ids: Sequence[str], sparse_ids: Sequence[str], library: Library, k: int
) -> dict[str, float]:
    """chunk id → the RRF share to add for passages BM25 could not see because of their language.

    Such a passage counts for BM25 as if ranked where the dense search ranked it, unless BM25
    ranked it better (a number or a name both languages write alike).
    """
    if not dense_ids:
        return {}
    sparse_rank = {cid: rank for rank, cid in enumerate(sparse_ids, 1)}
    chunks = library.chunks(list(dense_ids))
    documents = library.documents_by_id({c.doc_id for c in chunks.values()})
    asked_in_han = has_han(query)
    bonus: dict[str, float] = {}
    for rank, cid in enumerate(dense_ids, 1):
        chunk = chunks.get(cid)
        document = documents.get(chunk.doc_id) if chunk else None
        if document is None or document.language is None:
            continue
        if (document.language in _HAN_LANGUAGES) != asked_in_han:
            found = sparse_rank.get(cid)
            if found is None or found > rank:
                bonus[cid] = 1.0 / (k + rank) - (1.0 / (k + found) if found else 0.0)
    return bonus
