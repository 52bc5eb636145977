"""Citation checking: every answer sentence must be supported by the passage it cites.

A sentence is kept when a retrieved passage supports it: most of its content words
appear in one passage sentence (or two adjacent ones), every number it states appears
there too, and, for paraphrases, the sentence embeddings agree. Markers that point at
nothing, or at a passage that does not support the sentence, are re-attributed or dropped;
sentences no passage supports are removed from the answer and listed as flagged.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.models import Citation, Hit, split_markers
from ingest.embed import SentenceEmbedder
from ingest.embed_e5 import calibrated_relevance
from ingest.segment import has_han
from ingest.sentences import sentence_spans
from rag.figures import states_figures
from rag.injection import looks_like_instruction
from rag.periods import states_its_day
from rag.text import content_words, coverage, numbers


@dataclass(frozen=True)
class Support:
    """How well one passage span supports a claim."""

    score: float
    start: int  # offsets into the document text
    end: int


@dataclass(frozen=True)
class Verified:
    text: str
    citations: tuple[Citation, ...]
    flagged: tuple[str, ...]


class Verifier:
    """Checks claims against retrieved passages and builds numbered citations."""

    def __init__(self, embedder: SentenceEmbedder | None, threshold: float = 0.5) -> None:
        self.embedder = embedder
        self.threshold = threshold

    def spans(self, hit: Hit) -> list[tuple[int, int]]:
        """Candidate quote spans (document offsets): single sentences and adjacent pairs."""
        text = hit.document.text
        singles = sentence_spans(text, hit.chunk.start, hit.chunk.end)
        pairs = [(a[0], b[1]) for a, b in itertools.pairwise(singles)]
        # A sentence addressed to an AI is data, never evidence: a model repeating it is not supported.
        return [(a, b) for a, b in singles + pairs if not looks_like_instruction(text[a:b])]

    def support(self, claim: str, hit: Hit) -> Support:
        """The best-supporting span of this passage for the claim."""
        text = hit.document.text
        claim_numbers = numbers(claim)
        best = Support(0.0, hit.chunk.start, hit.chunk.start)
        whole = [(hit.chunk.start, hit.chunk.end)]
        candidates = self.spans(hit) or [s for s in whole if not looks_like_instruction(text[s[0] : s[1]])]
        for start, end in candidates:
            span = text[start:end]
            unstated = claim_numbers - numbers(span) and not states_figures(claim, span)
            if unstated and not states_its_day(claim, span, hit.document.published):
                continue  # a figure the passage does not state, in any words, is never supported
            score = coverage(claim, span)
            # Prefer the shorter (single-sentence) span when a pair adds nothing.
            if score > best.score + 1e-9:
                best = Support(score, start, end)
        if best.score < self.threshold and self.embedder is not None and best.score >= 0.5:
            best = self._semantic(claim, hit, candidates, best)
        return best

    def _semantic(self, claim: str, hit: Hit, candidates: list[tuple[int, int]], lexical: Support) -> Support:
        """Paraphrase check: a close embedding match with some shared words also counts."""
        assert self.embedder is not None
        text = hit.document.text
        allowed = [(a, b) for a, b in candidates if states_figures(claim, text[a:b])]
        if not allowed:
            return lexical
        vectors = np.array(self.embedder.embed_batch([claim] + [text[a:b] for a, b in allowed]))
        sims = vectors[1:] @ vectors[0]
        i = int(np.argmax(sims))
        close = calibrated_relevance(self.embedder, float(sims[i])) >= 0.85
        if close and coverage(claim, text[allowed[i][0] : allowed[i][1]]) >= 0.5:
            return Support(max(self.threshold, float(sims[i]) * 0.9), allowed[i][0], allowed[i][1])
        return lexical

    def verify(self, sentences: Sequence[str], hits: Sequence[Hit], limit: int | None = None) -> Verified:
        """Keep supported sentences (at most `limit`) with valid, renumbered citations; flag the rest."""
        kept: list[str] = []
        flagged: list[str] = []
        citations: list[Citation] = []
        index: dict[tuple[str, int, int], int] = {}
        for raw in sentences:
            claim, markers = split_markers(raw)
            if not content_words(claim) or claim in flagged:
                continue
            if looks_like_instruction(claim):  # the model is repeating or obeying planted text
                flagged.append(claim)
                continue
            if limit is not None and len(kept) >= limit:
                break
            cited = [hits[n - 1] for n in dict.fromkeys(markers) if 1 <= n <= len(hits)]
            found = [(h, s) for h in cited if (s := self.support(claim, h)).score >= self.threshold]
            if not found:
                # Uncited or mis-cited: attribute it to the retrieved passage that supports it best.
                scored = [(h, self.support(claim, h)) for h in hits]
                scored = [(h, s) for h, s in scored if s.score >= self.threshold]
                if scored:
                    found = [max(scored, key=lambda pair: pair[1].score)]
            if not found:
                flagged.append(claim)
                continue
            numbers_used: list[int] = []
            for hit, sup in found:
                key = (hit.chunk.chunk_id, sup.start, sup.end)
                if key not in index:
                    index[key] = len(citations) + 1
                    citations.append(cite_span(index[key], hit, sup.start, sup.end))
                numbers_used.append(index[key])
            kept.append(with_markers(claim, numbers_used))
        return Verified(" ".join(kept), tuple(citations), tuple(flagged))


_CLOSING_QUOTES = "\"”’'»」』)"


def with_markers(claim: str, ns: list[int]) -> str:
    """The claim with its [n] markers before its closing punctuation, as answers and briefs show them."""
    marks = "".join(f"[{n}]" for n in dict.fromkeys(ns))
    body = claim.rstrip()
    # A sentence that ends inside a quotation (…inspired by space.") keeps its quotation marks but gives
    # its full stop to the marker: `space" [1].`, never `space." [1].`, which reads as a sentence of its own.
    inside = body.rstrip(_CLOSING_QUOTES)
    quotes, body = body[len(inside) :], inside
    end = ""
    while body and body[-1] in ".!?;:。！？；：":
        end = body[-1] + end
        body = body[:-1]
    body = body.rstrip() + quotes
    # A list item or clause said on its own ends as a sentence: "… to 120 percent;" → "… to 120 percent [1]."
    end = {";": ".", ":": ".", "；": "。", "：": "。"}.get(end, end)
    # Chinese: no space before the marker. (An empty `end` must not match: '' is in every string.)
    if (end and end[0] in "。！？；：") or (not end and has_han(body[-1:])):
        return f"{body}{marks}{end or '。'}"
    return f"{body} {marks}{end or '.'}"


def cite_span(n: int, hit: Hit, start: int, end: int, also: tuple[str, ...] | None = None) -> Citation:
    """Citation number n for the document text [start, end) inside a retrieved passage."""
    d = hit.document
    return Citation(
        n=n,
        doc_id=d.doc_id,
        chunk_id=hit.chunk.chunk_id,
        title=d.title,
        source=d.source,
        published=d.published.isoformat() if d.published else None,
        url=d.url,
        author=d.author,
        start=hit.chunk.start,
        end=hit.chunk.end,
        quote=d.text[start:end],
        quote_start=start,
        quote_end=end,
        passage=hit.chunk.text,
        page=hit.chunk.page,
        also_reported_by=hit.also_in if also is None else also,
    )
