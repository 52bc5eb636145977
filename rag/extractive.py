"""The extractive answerer: the passage sentences that best answer the question, verbatim, cited."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.models import Hit
from ingest.embed import SentenceEmbedder
from ingest.sentences import sentence_spans
from rag.answer_type import answer_kind, first_person, holds_answer, looks_like_markup
from rag.injection import looks_like_instruction
from rag.text import content_words, coverage


@dataclass(frozen=True)
class Candidate:
    hit_number: int  # 1-based position in the hit list: the marker the sentence will carry
    text: str
    score: float
    relevance: float
    position: int
    # Similarity to the question without its time words, for a question whose window already holds
    # them (None otherwise): what the abstention support weighs, never the ranking.
    untimed: float | None = None

    @property
    def topical(self) -> float:
        """How close the sentence comes to what is asked, the asked-about time aside."""
        return self.relevance if self.untimed is None else max(self.relevance, self.untimed)


# Sentences longer than this are also offered clause by clause, so a 125% buried in a legal
# sentence of 80 words can be said in 20.
LONG_SENTENCE_WORDS = 40
# Score terms beside relevance (docs/EVAL.md has the measurements): a sentence holding an answer of
# the asked kind (an amount, a date, what was agreed: kinds a pattern tells reliably; for names the
# bonus cost answers on news-dev), the share of its words the question does not already say (the
# answer is what the question lacks), and penalties for author preambles and needless length.
KIND_BONUS = 0.1
BONUS_KINDS = ("amount", "date", "agreement")
NOVELTY_WEIGHT = 0.1
FIRST_PERSON_PENALTY = 0.1
LENGTH_FREE_WORDS = 30
LENGTH_PENALTY_PER_WORD = 0.002

_CLAUSE_BREAK = re.compile(
    r"[;:]\s+|\s+[—–]\s+|,\s+(?=(?:and|but|while|whereas|which)\b)|\s(?=\((?:[ivx]{1,4}|[a-h])\)\s)"
)
_ENUMERATOR = re.compile(r"\s*\((?:[ivx]{1,4}|[a-h]|\d{1,2})\)\s*")


def candidates(
    question: str, hits: Sequence[Hit], embedder: SentenceEmbedder, untimed: str | None = None
) -> list[Candidate]:
    """Every usable sentence (and clause of a long sentence) of the retrieved passages, scored against the question.

    `untimed` is the question without its time words when a window stands for them ("What did BIS
    release" for "… in October 2023"); each candidate then also carries its similarity to that.
    """
    pool: list[tuple[int, str, int]] = []
    for number, hit in enumerate(hits, 1):
        text = hit.document.text
        for start, end in sentence_spans(text, hit.chunk.start, hit.chunk.end):
            for a, b in [(start, end), *clause_spans(text, start, end)]:
                sentence = text[a:b]
                # Passage text is data: sentences that address an AI system are never repeated as answers.
                if len(content_words(sentence)) < 3 or looks_like_instruction(sentence) or looks_like_markup(sentence):
                    continue
                pool.append((number, sentence, a))
    if not pool:
        return []
    vectors = np.array(embedder.embed_batch([question] + [s for _, s, _ in pool]))
    sims = vectors[1:] @ vectors[0]
    # Embedded apart: an int8 embedder quantises a batch as a whole, so one more text in it would
    # nudge every sentence's vector and with it the ranking, which the untimed question must not touch.
    plain = vectors[1:] @ np.array(embedder.embed_batch([untimed]))[0] if untimed is not None else [None] * len(pool)
    kind = answer_kind(question)
    asked = set(content_words(question))
    out = []
    for (number, sentence, start), sim, sim_untimed in zip(pool, sims, plain, strict=True):
        lexical = coverage(question, sentence)
        relevance = float(sim)
        words = content_words(sentence)
        novelty = sum(w not in asked for w in words) / max(1, len(words))
        # Small preference for higher-ranked passages, so ties go to the retriever's choice.
        score = 0.75 * relevance + 0.25 * lexical - 0.01 * (number - 1) + NOVELTY_WEIGHT * novelty
        if kind in BONUS_KINDS and holds_answer(kind, question, sentence):
            score += KIND_BONUS
        if first_person(sentence):
            score -= FIRST_PERSON_PENALTY
        score -= LENGTH_PENALTY_PER_WORD * max(0, len(sentence.split()) - LENGTH_FREE_WORDS)
        untimed_relevance = None if sim_untimed is None else float(sim_untimed)
        out.append(Candidate(number, sentence, score, relevance, start, untimed_relevance))
    return sorted(out, key=lambda c: -c.score)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of a long sentence (at semicolons, colons, dashes, list markers), offsets trimmed."""
    if len(text[start:end].split()) <= LONG_SENTENCE_WORDS:
        return []
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    out = []
    for a, b in spans:
        marker = _ENUMERATOR.match(text, a, b)
        a = marker.end() if marker else a
        while a < b and not text[a].isalnum():
            a += 1
        while b > a and text[b - 1] in " ,;:—–":
            b -= 1
        if len(text[a:b].split()) >= 6:
            out.append((a, b))
    return out if len(out) > 1 else []


def announces(cand: Candidate) -> bool:
    """A sentence ending in a colon only announces what follows ("The Parties commit to take the
    following actions by May 14, 2025:"): it stays in what the local model reads, never in an answer."""
    return cand.text.rstrip().endswith((":", "："))


def best_sayable(ranked: Sequence[Candidate]) -> int | None:
    """Index of the extractive best sentence: the best ranked that does not only announce."""
    return next((index for index, cand in enumerate(ranked) if not announces(cand)), None)


def select(ranked: Sequence[Candidate], max_sentences: int, relative: float = 0.9, words: int = 50) -> list[Candidate]:
    """The best sentence plus close runners-up that add something new, within a word budget, in reading order."""
    ranked = [c for c in ranked if not announces(c)]
    if not ranked:
        return []
    best = ranked[0]
    chosen = [best]
    used = len(best.text.split())
    for cand in ranked[1:]:
        if len(chosen) >= max_sentences:
            break
        if cand.score < best.score * relative:
            break
        size = len(cand.text.split())
        if used + size > words:
            continue
        if any(overlaps(cand, c) for c in chosen):
            continue
        chosen.append(cand)
        used += size
    return sorted(chosen, key=lambda c: (ranked.index(c) if c.hit_number != best.hit_number else -1, c.position))


def overlaps(cand: Candidate, other: Candidate) -> bool:
    """Whether cand repeats other: a clause of it (or the sentence of a clause), or mostly its words."""
    if cand.hit_number == other.hit_number and (
        other.position < cand.position + len(cand.text) and cand.position < other.position + len(other.text)
    ):
        return True
    new_words = set(content_words(cand.text))
    return len(new_words & set(content_words(other.text))) >= 0.6 * max(1, len(new_words))
