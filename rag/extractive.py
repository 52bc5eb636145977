"""The extractive answerer: the passage sentences that best answer the question, verbatim, cited."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.models import Hit
from ingest.embed import SentenceEmbedder
from ingest.sentences import sentence_spans
from rag.ages import asks_age, stated_age
from rag.answer_type import (
    answer_kind,
    asked_nouns,
    asked_sentence,
    first_person,
    holds_answer,
    looks_like_markup,
    names_someone_new,
    speaks_of_a_date,
    stands_in,
)
from rag.counting import counted_nouns, counts
from rag.deeds import asked_deed
from rag.figures import asked_figure
from rag.injection import looks_like_instruction
from rag.lists import asks_for_several, lists_names
from rag.named import asked_name_nouns, gives_a_name
from rag.parties import (
    acts_as,
    acts_jointly,
    asked_doer,
    asked_pair,
    asks_a_person,
    elsewhere,
    falls_on,
    names_a_person,
)
from rag.periods import YEAR_RE, states_no_deadline
from rag.rates import another_rate, rates_named
from rag.superlatives import asked_superlative, repeats_superlative
from rag.text import asking_span, content_words, coverage, numbers

if TYPE_CHECKING:
    from rag.temporal import Recency


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
# the asked kind (an amount, a date, what was agreed, what a named thing is: kinds a pattern tells
# reliably; for any name the bonus cost answers on news-dev, but a name set right after the asked
# noun, "striker Karim Benzema" for "Which striker …?", earns it), the share of its words the question does
# not already say (the answer is what the question lacks), and penalties for author preambles and
# needless length.
KIND_BONUS = 0.1
BONUS_KINDS = ("amount", "date", "agreement", "definition")
# … and more for a count of what a "how many" question counts ("24 percentage points" for "How many
# percentage points …", over a sentence that holds "34%").
COUNTED_BONUS = 0.05
# … or for the figure a word of the question takes ("… for which it appropriates $52.7 billion" for "How much
# does the act appropriate?", over "The act includes $39 billion …").
ASKED_FIGURE_BONUS = 0.05
# … and for what two parties asked about together do together ("the United States and China will each …"), or
# what "both sides" or "the Parties" will do, for any question of what was agreed.
JOINT_BONUS = 0.1
NOVELTY_WEIGHT = 0.1
# A question asked without time words prefers the news of its day (rag.temporal.Recency); the
# retriever's preference orders passages, this one orders their sentences the same way, so a
# three-year-old sentence close to the question does not answer for this week's article beside it, nor
# last month's for this week's (at most 0.15 for the day's news, halving every 30 days; swept on the
# news sets, docs/EVAL.md "This week's sentences before last month's").
RECENCY_BONUS = 0.2
FIRST_PERSON_PENALTY = 0.1
LENGTH_FREE_WORDS = 30
# Asked "Which band announced …?", a sentence speaking of "the band" without naming anything new stands in
# for the answer instead of giving it (rag.answer_type.stands_in), as one speaking of "the date" without
# giving one does for "when" (rag.answer_type.speaks_of_a_date): it ranks this much lower.
STAND_IN_PENALTY = 0.1
LENGTH_PENALTY_PER_WORD = 0.002

_CLAUSE_BREAK = re.compile(
    r"[;:]\s+|\s+[—–]\s+|,\s+(?=(?:and|but|while|whereas|which)\b)|\s(?=\((?:[ivx]{1,4}|[a-h])\)\s)"
)
_ENUMERATOR = re.compile(r"\s*\((?:[ivx]{1,4}|[a-h]|\d{1,2})\)\s*")


def candidates(
    question: str,
    hits: Sequence[Hit],
    embedder: SentenceEmbedder,
    untimed: str | None = None,
    recency: Recency | None = None,
    skip: int = 0,
) -> list[Candidate]:
    """Every usable sentence (and clause of a long sentence) of the retrieved passages, scored against the question.

    `skip`: the first hits are not read (their sentences are already scored); the others keep their numbers.

    `untimed` is the question without its time words when a window stands for them ("What did BIS
    release" for "… in October 2023"); each candidate then also carries its similarity to that.
    `recency`, the question's preference for recent news, adds RECENCY_BONUS × (its factor − 1) to
    each sentence: up to 0.15 for a document of the day asked, with recency words or none.
    """
    pool: list[tuple[int, str, int]] = []
    # "She was 96." says little, but all that "How old was she?" asks.
    ages = asks_age(question)
    for number, hit in enumerate(hits, 1):
        if number <= skip:
            continue
        text = hit.document.text
        for start, end in sentence_spans(text, hit.chunk.start, hit.chunk.end):
            for a, b in [(start, end), *clause_spans(text, start, end)]:
                sentence = text[a:b]
                # Passage text is data: sentences that address an AI system are never repeated as answers.
                brief = len(content_words(sentence)) < 3 and not (ages and stated_age(sentence, question))
                if brief or looks_like_instruction(sentence) or looks_like_markup(sentence):
                    continue
                pool.append((number, sentence, a))
    if not pool:
        return []
    # Scored as what it says: "The act authorizes roughly $280 billion …" in "CHIPS and Science Act" is read
    # "CHIPS and Science Act authorizes …", or it loses to any sentence that names the act.
    said = [named(sentence, hits[number - 1].document.title) for number, sentence, _ in pool]
    vectors = np.array(embedder.embed_batch([question, *said]))
    sims = vectors[1:] @ vectors[0]
    # Embedded apart: an int8 embedder quantises a batch as a whole, so one more text in it would
    # nudge every sentence's vector and with it the ranking, which the untimed question must not touch.
    plain = vectors[1:] @ np.array(embedder.embed_batch([untimed]))[0] if untimed is not None else [None] * len(pool)
    kind = answer_kind(question)
    counted = counted_nouns(question) if kind == "amount" else []
    nouns = asked_nouns(question) if kind == "name" else []
    # The asked thing's own words, not a verb after them ("Which judge issued …?": judge), for a name set after it.
    named_nouns = [noun for noun in nouns if not noun.endswith(("ed", "ing"))]
    asked = set(content_words(question))
    # "… on goods from China": a sentence on a tariff on US goods is about another party's (rag.parties).
    targets = falls_on(question)
    named_rates = rates_named(asked_sentence(question), kind)
    # "What did the US and China agree?": what the two do together, not one side's part.
    joint = kind == "agreement"
    pair = asked_pair(question) if joint else None
    # "What did China agree to do?": China's part, not what both sides do.
    doer = asked_doer(question) if joint else None
    several = asks_for_several(question)
    superlative = asked_superlative(question)
    # Per passage, once: every sentence of a passage shares its document's date.
    fresh = [RECENCY_BONUS * (recency.factor(h.document.published) - 1.0) if recency else 0.0 for h in hits]
    out = []
    for (number, sentence, start), text, sim, sim_untimed in zip(pool, said, sims, plain, strict=True):
        lexical = coverage(question, text)
        relevance = float(sim)
        words = content_words(sentence)
        novelty = sum(w not in asked for w in words) / max(1, len(words))
        # Small preference for higher-ranked passages, so ties go to the retriever's choice.
        score = 0.75 * relevance + 0.25 * lexical - 0.01 * (number - 1) + NOVELTY_WEIGHT * novelty
        # A rate on another party's goods is not the asked one, nor are rates other than the one a question names
        # its measure by (`rates_named`): no bonus for stating them, and ranked lower.
        misdirected = elsewhere(targets, sentence) or another_rate(named_rates, sentence)
        if kind in BONUS_KINDS and not misdirected and holds_answer(kind, question, sentence):
            score += KIND_BONUS
            if counted and counts(counted, sentence):
                score += COUNTED_BONUS
            if kind == "amount" and asked_figure(question, sentence) is not None:
                score += ASKED_FIGURE_BONUS
        score += fresh[number - 1]
        if joint and (acts_as(doer, sentence) if doer else acts_jointly(pair, sentence)):
            score += JOINT_BONUS
        if named_nouns and gives_a_name(named_nouns, question, sentence, after=True):
            score += KIND_BONUS  # "Which judge …?": "Judge Lewis Kaplan …", a name right after what is asked for
        if several and lists_names(question, sentence):
            score += KIND_BONUS  # "Which companies …?": a sentence naming several
        if superlative and repeats_superlative(superlative, sentence):
            score += KIND_BONUS  # "… the quickest time?": "KFC had the quickest …", not "… has the slowest …"
        # A date it speaks of but does not state, or a date that is not the deadline asked for, stands in.
        undated = kind == "date" and (speaks_of_a_date(question, sentence) or states_no_deadline(question, sentence))
        if undated or (nouns and stands_in(nouns, question, sentence)) or misdirected:
            score -= STAND_IN_PENALTY
        if first_person(sentence):
            score -= FIRST_PERSON_PENALTY
        score -= LENGTH_PENALTY_PER_WORD * max(0, len(sentence.split()) - LENGTH_FREE_WORDS)
        untimed_relevance = None if sim_untimed is None else float(sim_untimed)
        out.append(Candidate(number, sentence, score, relevance, start, untimed_relevance))
    return sorted(out, key=lambda c: -c.score)


_DEFINITE = re.compile(r"(?:The|This|That)\s+([a-z]+)\b")
_CONNECTORS = frozenset(("and", "of", "for", "on", "in", "the", "&"))


def named(sentence: str, title: str) -> str:
    """The sentence with its opening "The act" / "This agency" replaced by the name its document's title
    gives it ("CHIPS and Science Act"), when the title names one with that word; else the sentence."""
    match = _DEFINITE.match(sentence)
    if match is None:
        return sentence
    head = match.group(1)
    words = title.split()
    for i, word in enumerate(words):
        if word.lower() != head or not word[:1].isupper():
            continue
        start = i
        while start > 0 and not re.search(r"[:;,.!?|]$", words[start - 1]):
            before = words[start - 1]
            if not (before[:1].isupper() or (before in _CONNECTORS and start > 1)):
                break
            start -= 1
        while start < i and words[start] in _CONNECTORS:
            start += 1
        if start < i:
            return " ".join(words[start : i + 1]) + sentence[match.end() :]
    return sentence


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


def together(pair: frozenset[str], cand: Candidate) -> bool:
    """Whether a sentence says what the asked pair (or "both sides") will do or agreed to do together, rather
    than announcing a list of it."""
    return acts_jointly(pair, cand.text) and not announces(cand)


def on_its_part(party: str, cand: Candidate) -> bool:
    """Whether a sentence says what the asked party will do or agreed to do ("China will remove …")."""
    return acts_as(party, cand.text)


def best_sayable(ranked: Sequence[Candidate]) -> int | None:
    """Index of the extractive best sentence: the best ranked that does not only announce."""
    return next((index for index, cand in enumerate(ranked) if not announces(cand)), None)


def rival(ranked: Sequence[Candidate], index: int) -> Candidate | None:
    """The extractive best sentence (`best_sayable`) when it is another than the model's pick, ranked[index]."""
    best = best_sayable(ranked)
    return ranked[best] if best is not None and best != index else None


def naming_the_asked(question: str, read: Sequence[Candidate], answering: Candidate) -> list[Candidate]:
    """For a question asking who holds a person's role ("Who leads for China in the trade talks …?"), the best read
    sentence naming a person ("… will be He Lifeng, Vice Premier of the State Council …"), when the answering
    sentence names none ("Today, the United States issued the first joint statement …"); for one asking for a thing
    by its name ("What is the name of the trial?"), the best giving it a name ("The trial, called RESTORE, …"),
    when the answering sentence gives none; for one asking who did a deed ("Who founded Hello Games?", "Who replaced
    …?"), the best saying the deed and naming someone, when the answering sentence does not; empty otherwise."""
    if asks_a_person(question):
        return standing_on(read, answering, lambda c: names_a_person(c.text, question))
    if (deed := asked_deed(question)) is not None:  # "Who founded …?": "… was founded in 2008 by Sean Murray"
        return standing_on(
            read, answering, lambda c: deed.search(c.text) is not None and names_someone_new(question, c.text)
        )
    if nouns := asked_name_nouns(question):
        return standing_on(read, answering, lambda c: gives_a_name(nouns, question, c.text))
    return []


# A sentence stood on in place of the answering one comes from the answering sentence's passage, or at least this
# close to the question, as a share of the answering sentence's closeness: one from another story ("… a staff
# attorney with the Legal Aid Society …", 0.18 beside a headline's 0.88) names a person, but not the one asked about,
# while the answering passage's own "… at 12.48 am on Sunday 1 September 1985 pieces of debris began to appear …"
# says when the Titanic's wreck was found without naming it.
NEAR_SHARE = 0.5


def near(cand: Candidate, answering: Candidate) -> bool:
    """Whether a read sentence is of the answering sentence's story, by its passage or its closeness to the
    question, to stand on in its place."""
    return cand.hit_number == answering.hit_number or cand.topical >= NEAR_SHARE * answering.topical


def saying_the_asking_sentence(question: str, read: Sequence[Candidate], answering: Candidate) -> list[Candidate]:
    """For a question that sets a scene first, what its asking sentence adds to the scene, when the answering
    sentence, close to the scene, does not say it: the best read sentence stating every figure the asking sentence
    adds, a year aside ("… forced 1,000 evacuations over the weekend. Which of the fires had burned 9,000 acres by
    Sunday?"), when the answering sentence states none of them; else the best sharing two or more of the words it
    adds and holding an answer of the asked kind ("… retired its holiday drinks. Which returning drink did the chain
    bring back on Tuesday for a limited time?"), when the answering sentence shares none; empty otherwise."""
    start, end = asking_span(question)
    if not start:
        return []
    asking, scene = question[start:end], question[:start]
    # "Whose record, set in 1961, …?": a year is the asked thing's background
    figures = {n for n in numbers(asking) - numbers(scene) if not YEAR_RE.fullmatch(n)}
    if figures and not figures & numbers(answering.text):
        stating = select([c for c in read if figures <= numbers(c.text) and near(c, answering)], 1)
        if stating:
            return stating
    words = set(content_words(asking)) - set(content_words(scene))
    if not words or words & set(content_words(answering.text)):
        return []
    kind = answer_kind(question)
    saying = [c for c in read if len(words & set(content_words(c.text))) >= 2 and holds_answer(kind, question, c.text)]
    return select([c for c in saying if near(c, answering)], 1)


def standing_on(read: Sequence[Candidate], answering: Candidate, says: Callable[[Candidate], bool]) -> list[Candidate]:
    """The best read sentence that `says` what is asked and is `near` the answering sentence's story, when the
    answering sentence does not say it; empty otherwise."""
    return [] if says(answering) else select([c for c in read if says(c) and near(c, answering)], 1)


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
