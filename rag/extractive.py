"""The extractive answerer: the passage sentences that best answer the question, verbatim, cited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.models import Hit
from ingest.embed import SentenceEmbedder
from ingest.sentences import sentence_spans
from rag.injection import looks_like_instruction
from rag.text import content_words, coverage


@dataclass(frozen=True)
class Candidate:
    hit_number: int  # 1-based position in the hit list: the marker the sentence will carry
    text: str
    score: float
    relevance: float
    position: int


def candidates(question: str, hits: Sequence[Hit], embedder: SentenceEmbedder) -> list[Candidate]:
    """Every usable sentence of the retrieved passages, scored against the question."""
    pool: list[tuple[int, str, int]] = []
    for number, hit in enumerate(hits, 1):
        text = hit.document.text
        for start, end in sentence_spans(text, hit.chunk.start, hit.chunk.end):
            sentence = text[start:end]
            # Passage text is data: sentences that address an AI system are never repeated as answers.
            if len(content_words(sentence)) < 3 or looks_like_instruction(sentence):
                continue
            pool.append((number, sentence, start))
    if not pool:
        return []
    vectors = np.array(embedder.embed_batch([question] + [s for _, s, _ in pool]))
    sims = vectors[1:] @ vectors[0]
    out = []
    for (number, sentence, start), sim in zip(pool, sims, strict=True):
        lexical = coverage(question, sentence)
        relevance = float(sim)
        # Small preference for higher-ranked passages, so ties go to the retriever's choice.
        score = 0.75 * relevance + 0.25 * lexical - 0.01 * (number - 1)
        out.append(Candidate(number, sentence, score, relevance, start))
    return sorted(out, key=lambda c: -c.score)


def select(ranked: Sequence[Candidate], max_sentences: int, relative: float = 0.85) -> list[Candidate]:
    """The best sentence plus close runners-up that add something new, in reading order per passage."""
    if not ranked:
        return []
    best = ranked[0]
    chosen = [best]
    for cand in ranked[1:]:
        if len(chosen) >= max_sentences:
            break
        if cand.score < best.score * relative:
            break
        words = set(content_words(cand.text))
        if any(len(words & set(content_words(c.text))) >= 0.6 * max(1, len(words)) for c in chosen):
            continue
        chosen.append(cand)
    return sorted(chosen, key=lambda c: (ranked.index(c) if c.hit_number != best.hit_number else -1, c.position))
