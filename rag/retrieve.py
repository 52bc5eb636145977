"""Hybrid retrieval: dense (Chroma) and BM25 (SQLite FTS5) ranked lists fused by reciprocal rank."""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from typing import Any

from core.models import Document, Hit
from core.request import Filters
from core.settings import RetrievalSettings
from ingest.dedup import DuplicateIndex
from ingest.embed import SentenceEmbedder
from ingest.embed_e5 import is_multilingual
from ingest.store import Library
from ingest.vectors import VectorIndex
from rag.crosslingual import languages_apart, on_common_footing, other_language_bonus
from rag.fusion import weighted_rrf
from rag.periods import stated_periods
from rag.temporal import TimeScope

_WORD = re.compile(r"\w+")
# BM25 runs here while the calling thread embeds the question and searches the vectors: SQLite, ONNX
# Runtime and Chroma all release the GIL, so on two cores the two lists cost about the slower one
# (docs/BENCHMARKS.md). Shared by every retriever; each thread keeps its own SQLite connection.
_SPARSE_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bm25")
_Fused = tuple[float, int | None, int | None, float | None]


def chroma_where(filters: Filters) -> dict[str, Any] | None:
    """The same restrictions as the BM25 side, in Chroma's metadata filter language."""
    clauses: list[dict[str, Any]] = []
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.doc_ids:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
    if filters.languages:
        clauses.append({"language": {"$in": list(filters.languages)}})
    dated: list[dict[str, Any]] = []
    if filters.since:
        dated.append({"published": {"$gte": int(filters.since.strftime("%Y%m%d"))}})
    if filters.until:
        dated.append({"published": {"$lte": int(filters.until.strftime("%Y%m%d"))}})
        if not filters.since:
            dated.append({"published": {"$gt": 0}})  # undated chunks are stored as 0, as BM25 leaves out NULL
    if dated:
        window = dated[0] if len(dated) == 1 else {"$and": dated}
        clauses.append({"$or": [{"published": 0}, window]} if filters.keep_undated else window)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


# Fewer passages than this say too little about how many subjects a document covers.
ROUNDUP_MIN_PASSAGES = 5
# The preference for recent news (rag.temporal.Recency) orders passages that answer about equally
# well; it does not lift one whose cosine to the question is further than this below the closest
# passage's. Multiplying fused scores that sit close together, it put a DeepSeek passage at 0.38 above
# the China AI passage at 0.71 that answers "By what year did China aim to become a global AI leader?"
# because the DeepSeek article was revised seven weeks before the question. At 0.25 no gold document
# of news-dev moves; 0.15 cost news-dev a first place (docs/EVAL.md).
RECENCY_SIMILARITY_GAP = 0.25
# Below this share of the library inside the filters, Chroma's own filtered search is the faster one.
_POST_FILTER_MIN_SHARE = 0.02


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set[Any], b: set[Any]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class Retriever:
    """Finds the passages most likely to answer a question, within filters, without near-duplicates."""

    def __init__(
        self, library: Library, index: VectorIndex, embedder: SentenceEmbedder, settings: RetrievalSettings
    ) -> None:
        self.library = library
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._duplicates: DuplicateIndex | None = None
        self._last_vector: tuple[str, list[float]] | None = None

    def dense(self, query: str, filters: Filters, n: int) -> list[tuple[str, float]]:
        vector = self._query_vector(query)
        if filters.empty:
            return self.index.query(vector, n)
        # Chroma applies a metadata filter by listing every matching vector first, which grows with
        # the library (200+ ms at 100k chunks for a 3-year window). When the filters keep a fair
        # share of the library, a wider unfiltered search filtered here finds the same top n for a
        # fraction of that; very selective filters (a few documents) still go to Chroma.
        share = self.library.chunk_share(filters)
        if share >= _POST_FILTER_MIN_SHARE:
            wide = int(n / share * 1.5) + 20
            found = self.index.query(vector, wide)
            inside = self.library.within([cid for cid, _ in found], filters)
            kept = [(cid, similarity) for cid, similarity in found if cid in inside]
            if len(kept) >= n or len(found) < wide:
                return kept[:n]
        return self.index.query(vector, n, chroma_where(filters))

    def _query_vector(self, query: str) -> list[float]:
        """The query's embedding; a search with a time window asks for the same one twice."""
        last = self._last_vector
        if last is not None and last[0] == query:
            return last[1]
        vector = self.embedder.embed_query(query)
        self._last_vector = (query, vector)
        return vector

    def sparse(self, query: str, filters: Filters, n: int) -> list[tuple[str, float]]:
        return self.library.search(query, n, filters)

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        k: int | None = None,
        mode: str | None = None,
        scope: TimeScope | None = None,
    ) -> list[Hit]:
        """The k best passages for query within filters.

        With a time scope: only documents its window and asked-on day allow (plus passages outside
        the window that state a date inside it, e.g. "In 2014, …" for a question about 2014), and
        fused scores multiplied by its recency factor.
        """
        filters = filters or Filters()
        k = k or self.settings.top_k
        mode = mode or self.settings.mode
        n = max(self.settings.candidates, k * 3)
        window = scope.filters(filters) if scope else filters
        found = self._fused(query, window, n, mode)
        stating: set[str] = set()
        outside: set[str] = set()
        if scope is not None and scope.windowed:
            broad = self._fused(query, replace(scope, since=None, until=None).filters(filters), n, mode)
            extra = self._stating_dates_in({cid: c for cid, c in broad.items() if cid not in found}, scope)
            extra = self._among_the_window(found, extra, broad)
            # A window is a strong preference, not a wall: when it holds anything, passages from just
            # outside it follow (scaled down by their distance), so an article dated a few days off
            # is still found. An empty window stays empty: the library has nothing from then.
            if found or extra:
                outside = {cid for cid in broad if cid not in found and cid not in extra}
                found.update({cid: broad[cid] for cid in outside})
            found.update(extra)
            stating = set(extra)
        chunks = self.library.chunks(list(found))  # vectors without a committed chunk are dropped here
        documents = self.library.documents_by_id({c.doc_id for c in chunks.values()})
        scores: dict[str, float] = {}
        closest = max((fused[3] for fused in found.values() if fused[3] is not None), default=None)
        for cid, (score, *_) in found.items():
            chunk = chunks.get(cid)
            if chunk is None or chunk.doc_id not in documents:
                continue
            document = documents[chunk.doc_id]
            if cid in outside and scope is not None:
                score *= scope.outside_factor(document.published)
            # A passage let in for the date it states is not preferred for when it was published.
            elif scope is not None and scope.recency is not None and cid not in stating and _near(found[cid], closest):
                score *= scope.recency.factor(document.published)
            scores[cid] = score * self.roundup_factor(document)
        hits = [
            Hit(chunks[cid], documents[chunks[cid].doc_id], score, *found[cid][1:]) for cid, score in scores.items()
        ]
        hits.sort(key=lambda h: -h.score)
        return self.one_copy_per_story(self.collapse(hits))[:k]

    def roundup_factor(self, document: Document) -> float:
        """What a passage's score is multiplied by for coming from a roundup of unrelated stories (else 1).

        A digest ("5 things to know for June 16") matches a question with one paragraph as well as the
        article about the story does, and was the first document for 4 of news-dev's 62 questions. The
        threshold is set for all-MiniLM-L6-v2's cosines; the multilingual embedder's run higher and
        were not measured, so it is left out there.
        """
        if (
            document.coherence is None
            or document.chunk_count < ROUNDUP_MIN_PASSAGES
            or document.coherence >= self.settings.roundup_coherence
            or is_multilingual(self.embedder)
        ):
            return 1.0
        return self.settings.roundup_factor

    def within_scope(self, hits: Sequence[Hit], scope: TimeScope | None) -> list[Hit]:
        """The hits an answer may quote: with a window, only passages published in it or stating a date in it
        (a date no broader than the window: a year does not place a passage in a week).

        Passages from just outside a window help find the article (they rank after the window's);
        an answer to "what happened this week" still quotes only what the week's articles say.
        """
        if scope is None or not scope.windowed:
            return list(hits)
        until = min(d for d in (scope.until, scope.asked_on) if d is not None)

        def inside(hit: Hit) -> bool:
            published = hit.document.published
            if published is not None and (scope.since is None or published >= scope.since) and published <= until:
                return True
            stated = stated_periods(hit.chunk.text, published)
            return any(first <= until and scope.stated_in(first, last) for first, last in stated)

        return [hit for hit in hits if inside(hit)]

    def _fused(self, query: str, filters: Filters, n: int, mode: str) -> dict[str, _Fused]:
        """chunk id → (RRF score, dense rank, BM25 rank, cosine similarity), best first."""
        multilingual = is_multilingual(self.embedder)
        pending = _SPARSE_POOL.submit(self.sparse, query, filters, n) if mode in ("hybrid", "sparse") else None
        dense = self.dense(query, filters, n) if mode in ("hybrid", "dense") else []
        apart = languages_apart(self.library, query, filters.languages) if mode != "sparse" else ()
        if dense and multilingual and apart:
            others = self.dense(query, replace(filters, languages=apart), n)
            dense = on_common_footing(query, dense, others, n)
        sparse = pending.result() if pending is not None else []
        dense_ids = [cid for cid, _ in dense]
        sparse_ids = [cid for cid, _ in sparse]
        scores = weighted_rrf([(dense_ids, 1.0), (sparse_ids, self.settings.sparse_weight)], self.settings.rrf_k)
        # Only a library holding both scripts has passages one list cannot judge (none in the common case).
        if mode == "hybrid" and apart:
            judging, blind = (dense_ids, sparse_ids) if multilingual else (sparse_ids, dense_ids)
            extra = other_language_bonus(query, judging, blind, self.library, self.settings.rrf_k)
            for cid, bonus in extra.items():
                scores[cid] = scores.get(cid, 0.0) + bonus
        dense_rank = {cid: i for i, cid in enumerate(dense_ids, 1)}
        sparse_rank = {cid: i for i, cid in enumerate(sparse_ids, 1)}
        similarity = dict(dense)
        ordered = sorted(scores, key=lambda cid: -scores[cid])
        return {cid: (scores[cid], dense_rank.get(cid), sparse_rank.get(cid), similarity.get(cid)) for cid in ordered}

    def _among_the_window(
        self, window: dict[str, _Fused], stating: dict[str, _Fused], broad: dict[str, _Fused]
    ) -> dict[str, _Fused]:
        """The passages stating a date in the window, scored by their ranks among the window's candidates rather
        than the whole library's: the window's were ranked against each other alone, so a passage let in for
        the date it states ("… was $295.4 billion in 2024", published in 2025) ranked first by closeness in the
        library came after every passage of the window. Closeness is compared by cosine; a BM25 rank by the
        broad search's, which every window passage missing from it is below."""
        if not stating:
            return stating
        cosines = [f[3] for f in (*window.values(), *stating.values()) if f[1] is not None and f[3] is not None]
        # A window passage's place in the broad BM25 list; one not in it ranks below every listed passage.
        lexical = [broad[cid][2] if cid in broad else None for cid, f in window.items() if f[2] is not None]
        lexical += [f[2] for f in stating.values() if f[2] is not None]
        weight, k = self.settings.sparse_weight, self.settings.rrf_k
        rescored: dict[str, _Fused] = {}
        for cid, (_, dense, sparse, cosine) in stating.items():
            score = 0.0
            if dense is not None and cosine is not None:
                score += 1.0 / (k + 1 + sum(c > cosine for c in cosines))
            if sparse is not None and weight > 0:
                score += weight / (k + 1 + sum(r is not None and r < sparse for r in lexical))
            rescored[cid] = (score, dense, sparse, cosine)
        return rescored

    def _stating_dates_in(self, found: dict[str, _Fused], scope: TimeScope) -> dict[str, _Fused]:
        """The candidates whose passage states a date inside the scope's window."""
        chunks = self.library.chunks(list(found))
        documents = self.library.documents_by_id({c.doc_id for c in chunks.values()})
        kept: dict[str, _Fused] = {}
        for cid, fused in found.items():
            chunk = chunks.get(cid)
            document = documents.get(chunk.doc_id) if chunk else None
            if chunk is None or document is None:
                continue
            if any(scope.stated_in(first, last) for first, last in stated_periods(chunk.text, document.published)):
                kept[cid] = fused
        return kept

    def collapse(self, hits: list[Hit]) -> list[Hit]:
        """Keep the best of each group of near-identical passages; note the other outlets."""
        kept: list[tuple[Hit, set[tuple[str, ...]]]] = []
        threshold = self.settings.near_duplicate_threshold
        for hit in hits:
            grams = shingles(hit.chunk.text)
            for i, (other, other_grams) in enumerate(kept):
                if _near_duplicate(grams, other_grams, threshold):
                    label = hit.document.source or hit.document.title
                    if label not in other.also_in and hit.document.doc_id != other.document.doc_id:
                        kept[i] = (replace(other, also_in=(*other.also_in, label)), other_grams)
                    break
            else:
                kept.append((hit, grams))
        return [h for h, _ in kept]

    @property
    def duplicates(self) -> DuplicateIndex:
        if self._duplicates is None:
            duplicates = DuplicateIndex(self.library)
            duplicates.backfill()  # documents this process's library got without an ingest (a rebuilt cache)
            self._duplicates = duplicates
        return self._duplicates

    def one_copy_per_story(self, hits: list[Hit]) -> list[Hit]:
        """One document per duplicate group (the best-ranked copy); its passages name the other outlets.

        A passage of another copy is replaced by the kept copy's closest passage, so what the copy
        matched is still found, once.
        """
        groups = self.duplicates.groups(h.document.doc_id for h in hits)
        group_of = {doc_id: group for group, members in groups.items() for doc_id in members}
        if not group_of:
            return hits
        kept: dict[str, Hit] = {}  # group → the first hit of the copy that represents it
        out: list[Hit] = []
        for hit in hits:
            group = group_of.get(hit.document.doc_id)
            first = kept.setdefault(group, hit) if group is not None else hit
            if first.document.doc_id == hit.document.doc_id:
                out.append(hit)
                continue
            twin = self._twin(hit, first)
            if twin is not None and all(h.chunk.chunk_id != twin.chunk.chunk_id for h in out):
                out.append(twin)
        members = self.library.documents_by_id(group_of)
        labelled = []
        for hit in out:
            group = group_of.get(hit.document.doc_id)
            if group is None:
                labelled.append(hit)
                continue
            own = _label(hit.document)
            others = sorted(
                (members[d] for d in groups[group] if d != hit.document.doc_id and d in members),
                key=lambda d: (d.published is None, d.published or date.min, d.title),
            )
            labels = [x for x in dict.fromkeys([*hit.also_in, *(_label(d) for d in others)]) if x != own]
            labelled.append(replace(hit, also_in=tuple(labels)))
        return labelled

    def _twin(self, hit: Hit, kept: Hit) -> Hit | None:
        """The kept copy's passage closest to a passage of another copy (None when none is close)."""
        grams = shingles(hit.chunk.text)
        best, best_score = None, 0.3
        for chunk in self.library.chunks_of(kept.document.doc_id):
            score = jaccard(grams, shingles(chunk.text))
            if score > best_score:
                best, best_score = chunk, score
        if best is None:
            return None
        return Hit(best, kept.document, hit.score, hit.dense_rank, hit.sparse_rank, hit.similarity)


def _near(fused: _Fused, closest: float | None) -> bool:
    """Whether a candidate is close enough to the best match for the recency preference to order it
    (a passage only BM25 found has no cosine to judge by, and keeps the preference)."""
    similarity = fused[3]
    return closest is None or similarity is None or similarity >= closest - RECENCY_SIMILARITY_GAP


def _label(document: Document) -> str:
    return document.source or document.title


def _near_duplicate(a: set[Any], b: set[Any], threshold: float) -> bool:
    """jaccard(a, b) >= threshold, or one passage (almost) wholly inside the other (an overlap window or a
    trimmed copy), from one set intersection instead of three."""
    if not a or not b:
        return False
    shared = len(a & b) if len(a) <= len(b) else len(b & a)
    if shared / (len(a) + len(b) - shared) >= threshold:
        return True
    return min(len(a), len(b)) >= 8 and shared >= 0.9 * min(len(a), len(b))
