"""Fair ranking across languages, with a multilingual embedder, in a library of more than one language.

Dense side: multilingual-e5-small scores a passage written in the other language than the
question lower than the same passage in the question's language, and more so when the passage
answers the question (`bench/language_gap.py`, on parallel English/Chinese texts: an English
question loses 0.081 of cosine on the Chinese version of its answer but only 0.016 on unrelated
passages). So an English question ranked a Chinese announcement 32nd-55th behind English fact
sheets on the same story. The other language's best passages are searched for on their own and
get back that difference (the part of the gap that hides relevance); the part every passage of
that language loses alike is left, so on equal content the question's own language still ranks
first. A library of one language is left exactly as it was.

Fusion: reciprocal rank fusion adds the dense and the BM25 rank of each passage. A Chinese
passage asked about in English can only ever have a dense rank, so it loses to English passages
that score in both lists even when its dense rank is better. A passage in the other script gets
its dense rank counted for the BM25 list too: the missing rank says nothing about relevance,
only about the language. With the English-only embedder (all-MiniLM-L6-v2) it is the other way
round: BM25 still matches what both scripts write alike (34%, 2025, DeepSeek, 301), while the
embedder's rank of a passage it cannot read is noise; in a library of both scripts such a passage
gets its BM25 rank counted for the dense list.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.request import Filters
from ingest.segment import has_han
from ingest.store import Library

_HAN_LANGUAGES = frozenset({"zh", "ja"})

# Cosine given back to a passage of the other script group, by whether the question is written in
# Han characters: the median gap for passages that answer the question minus that for unrelated
# ones, from `python -m bench.language_gap` (bench/results/language_gap.json, relevance_gap). A
# Chinese question loses about 0.1 on every English passage, relevant or not (0.109 and 0.094),
# so little is given back there: giving back all of it let the English text of a statement
# outrank its Chinese original (zh→zh recall@1 0.9 → 0.1 on evals/zh-cross).
RELEVANCE_GAP = {False: 0.064, True: 0.015}


def languages_apart(library: Library, query: str, within: Sequence[str] = ()) -> tuple[str, ...]:
    """The library's languages written in the other script than the question (none in a one-script library)."""
    asked_in_han = has_han(query)
    han_share = library.chunk_share(Filters(languages=tuple(sorted(_HAN_LANGUAGES))))
    if han_share == 0.0 or (asked_in_han and han_share == 1.0):
        return ()  # the common case, an English library, costs one cached count and no listing
    held = library.languages()
    apart = tuple(sorted(c for c in held if (c in _HAN_LANGUAGES) != asked_in_han and (not within or c in within)))
    # A language filter that keeps only the other script's languages moves every candidate alike.
    return () if within and set(apart) == set(within) else apart


def on_common_footing(
    query: str, ranked: Sequence[tuple[str, float]], apart: Sequence[tuple[str, float]], n: int
) -> list[tuple[str, float]]:
    """The dense list with the other language's best passages merged in, ordered after giving them back the gap.

    ranked: the dense search's (chunk id, cosine); apart: the best passages of the languages written
    in the other script, searched for on their own. Cosines are returned unchanged; only the order moves.
    """
    if not apart:
        return list(ranked[:n])
    gap = RELEVANCE_GAP[has_han(query)]
    other = {cid for cid, _ in apart}
    merged = dict(ranked)
    merged.update(apart)
    order = sorted(merged, key=lambda cid: -(merged[cid] + (gap if cid in other else 0.0)))
    return [(cid, merged[cid]) for cid in order[:n]]


def other_language_bonus(
    query: str, judging_ids: Sequence[str], blind_ids: Sequence[str], library: Library, k: int
) -> dict[str, float]:
    """chunk id → the RRF share to add for passages one ranked list could not judge because of their language.

    judging_ids: the list that can rank a passage in the other script than the question; blind_ids:
    the one that cannot (BM25 beside a multilingual embedder; an English embedder beside BM25). Such
    a passage counts for the blind list as if ranked where the judging list ranked it, unless the
    blind list ranked it better.
    """
    if not judging_ids:
        return {}
    blind_rank = {cid: rank for rank, cid in enumerate(blind_ids, 1)}
    chunks = library.chunks(list(judging_ids))
    documents = library.documents_by_id({c.doc_id for c in chunks.values()})
    asked_in_han = has_han(query)
    bonus: dict[str, float] = {}
    for rank, cid in enumerate(judging_ids, 1):
        chunk = chunks.get(cid)
        document = documents.get(chunk.doc_id) if chunk else None
        if document is None or document.language is None:
            continue
        if (document.language in _HAN_LANGUAGES) != asked_in_han:
            found = blind_rank.get(cid)
            if found is None or found > rank:
                bonus[cid] = 1.0 / (k + rank) - (1.0 / (k + found) if found else 0.0)
    return bonus
