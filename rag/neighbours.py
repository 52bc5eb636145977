"""A chosen sentence's neighbours in its passage: what a sentence that points back stands for, and the sentence
that completes one lacking the asked amount or date ("… a 10% tariff on all countries. This will take effect April 5,
2025.").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from core.models import Hit
from core.words import STOPWORDS
from ingest.sentences import sentence_spans
from rag.answer_type import (
    Kind,
    answer_kind,
    asked_nouns,
    asked_sentence,
    holds_answer,
    looks_like_markup,
    name_key,
    name_keys,
    stands_in,
)
from rag.extractive import Candidate, announces, overlaps, standing_on
from rag.periods import asks_a_day
from rag.superlatives import not_a_superlative
from rag.text import content_words, numbers

# A sentence that opens by pointing back ("It streamlines licensing hurdles …", "He arrived at Valley
# Forge …") does not say who or what on its own, and pasted into a report it says nothing. The
# sentence before it in its passage is quoted first, as context: cited like any other sentence.
_POINTS_BACK = re.compile(
    r"[\"“‘'(]?(?:(?:It|They|He|She)['’](?:s|re|ve|d|ll)|It|Its|They|Their|Them|He|His|She|Her|This|These|That|Those)"
    r"\s+(?=[a-z0-9])"
)
# "It is important to …", "It was not until …": an "it" that stands for nothing before it.
_EXPLETIVE = re.compile(
    r"[\"“‘'(]?It\s+(?:is|was|has been|had been|will be|would be|may be|might be|seems|seemed|remains)\s+"
    r"(?:not\s+|also\s+|still\s+)?(?:important|necessary|possible|impossible|likely|unlikely|clear|unclear|"
    r"expected|estimated|believed|reported|said|thought|known|hoped|feared|time|difficult|hard|easy|"
    r"essential|critical|true|worth|until|that)\b"
    # "It was announced in February 2026 that DeepSeek will …": a report in the passive, its subject the clause after.
    r"|[\"“‘'(]?It\s+(?:is|was|has been|had been|will be)\s+(?:also\s+|now\s+|later\s+)?(?:announced|confirmed|"
    r"revealed|decided|agreed|claimed|alleged|understood|rumou?red|noted|stated|suggested|argued|"
    r"predicted|learned|determined|disclosed)\b[^.;:,]{0,60}?\bthat\b"
)
# … or, after a short opening phrase, says who or what by a pronoun only ("In her brief speech, she refused the
# Oscar …", "If the union does go on strike, it would be the largest strike …", "As of 2024, it is …").
# A name in the opening phrase is what the pronoun stands for ("When Biden took office, he …"): not pointing back.
_OPENS_THEN_POINTS = re.compile(
    r"[\"“‘'(]?[A-Z][\w’'-]*(?:\s+[^A-Z\s,;:][^\s,;:]*){0,9},\s+(?P<pronoun>she|he|they|it)\s+(?=[a-z])"
)
# "What is the word?", "What will the feature let users do?": the thing asked for by the words after "what is the",
# "what will the" (up to a stop word).
_WHAT_THE = re.compile(
    r"\b(?i:what\s+(?:is|was|are|were|will|would|did|does|do|has|have|can|could)\s+(?:the|its|their|his|her))"
    r"((?:\s+[a-z][a-z-]*\b(?!['’])){1,3})"
)


def referred_nouns(question: str) -> list[str]:
    """The words a sentence may speak of the asked thing by: `asked_nouns` ("Which band …?": band), or those after
    "what is the" ("What is the word?": word; "what is the highest mountain peak": mountain, peak, as "the highest
    point" is no stand-in for the peak)."""
    if nouns := asked_nouns(question):
        return nouns
    match = _WHAT_THE.search(asked_sentence(question))
    words: list[str] = []
    for word in match.group(1).split() if match else ():
        if word in STOPWORDS:
            break
        if not_a_superlative(word):
            words.append(word)
    return words


# The context sentence may take the answer past its usual budget, which is for sentences that stand alone.
ANTECEDENT_WORDS = 60


def points_back(sentence: str) -> bool:
    """Whether a sentence opens with a pronoun or demonstrative for something said before it, or names its
    subject by a pronoun after a short opening phrase without a name ("In her brief speech, she …").

    A capitalised next word ("This Is Us", "It Takes Two") is read as a title, not a reference.
    """
    if _POINTS_BACK.match(sentence):
        return not _EXPLETIVE.match(sentence)
    opening = _OPENS_THEN_POINTS.match(sentence)
    if opening is None:
        return False
    # The pronoun's clause read as a sentence of its own: "In 2020, it was not until …" stands for nothing.
    clause = sentence[opening.start("pronoun") :]
    return not _EXPLETIVE.match(clause[:1].upper() + clause[1:])


def with_antecedents(
    chosen: Sequence[Candidate],
    hits: Sequence[Hit],
    keep: Candidate | None,
    words: int = ANTECEDENT_WORDS,
    question: str = "",
) -> list[Candidate]:
    """The chosen sentences, with the sentence before each one that points back inserted before it.

    Only a whole sentence with a predecessor in the same passage gets one (a clause already sits in
    its sentence). Other sentences than `keep` (the one the answer stands on: the chosen sentences may
    stand in reading order, so it need not come first) are dropped while the answer is over `words`;
    context that would not fit even then is not added, and a sentence other than `keep` that needed
    it is dropped too. Given the `question`, the answering sentence that calls the asked thing only by the question's
    own word (`stands_in`: "… said the word …" for "What is the word?") gets one too, unless it opens with a name.
    """
    out = list(chosen)
    # The answering sentence that speaks of the asked thing by the question's own noun ("A spokesperson said the word
    # “sums up …”" for "What is the word?") says which only after the sentence before it, as "It" does. Only where a
    # name or a thing is asked, and not a sentence stating a figure the question does not: "The out-of-stock rate …
    # hovered between 2% and 8% …" says what it is about.
    nouns = referred_nouns(question) if question and answer_kind(question) in ("name", "other") else []
    for cand in chosen:
        standing_in = (
            cand == keep
            and stands_in(nouns, question, cand.text)
            and not numbers(cand.text) - numbers(question)
            and not _opens_with_a_name(cand, hits, question)
        )
        if cand not in out or not (points_back(cand.text) or standing_in):  # dropped for an earlier one's context
            continue
        context = _neighbour(cand, hits, -1)
        if context is None:
            continue
        if len(content_words(context.text)) < 3 or announces(context) or looks_like_markup(context.text):
            continue
        # Context that itself points back explains nothing; an earlier answer sentence from the same
        # passage already says what the pronoun stands for.
        index = out.index(cand)
        earlier = out[index - 1] if index else None
        if points_back(context.text) or (
            earlier is not None and earlier.hit_number == cand.hit_number and earlier.position < cand.position
        ):
            continue
        if any(overlaps(context, other) for other in out):
            continue
        # The answering sentence always stays.
        kept = _within([*out[:index], context, *out[index:]], (keep, context, cand), words)
        if kept is not None:
            out = kept
        elif cand is not keep:
            out.remove(cand)  # a runner-up that points back says nothing without its context: both go
    return out


def _opens_with_a_name(cand: Candidate, hits: Sequence[Hit], question: str) -> bool:
    """Whether a sentence opens with a name the question does not say, one its document also writes capitalised inside
    a sentence ("TikTok’s political fundraising ban …"): it says what it is about."""
    match = re.match(r"\W*([A-Z][\w-]*)", cand.text)
    if match is None or match.group(1).lower() in STOPWORDS or name_key(match.group(1)) in name_keys(question):
        return False
    text = hits[cand.hit_number - 1].document.text
    return re.search(rf"(?<=[a-z,;:]\s){re.escape(match.group(1))}(?!\w)", text) is not None


def with_sequels(
    chosen: Sequence[Candidate],
    hits: Sequence[Hit],
    question: str,
    keep: Candidate | None,
    words: int = ANTECEDENT_WORDS,
) -> list[Candidate]:
    """The chosen sentences, each that lacks the asked amount or date followed by the next sentence of its
    passage when that one points back to it and says it ("Using his IEEPA authority, President Trump will
    impose a 10% tariff on all countries. This will take effect April 5, 2025."); for a question that asks
    for a name, a sentence that opens a quotation is followed by the next when that one names its speaker.

    Within `words`: sentences other than `keep` and the pair give way first; a sequel that does not fit is
    left out.
    """
    kind = answer_kind(question)
    if kind not in ("amount", "date", "name"):
        return list(chosen)
    out = list(chosen)
    for cand in chosen:
        if cand not in out:
            continue
        if kind == "name":
            # Who said it is in the sentence that closes the quotation: "“Today’s updated rules will … shut off
            # pathways to evade our restrictions. These controls …,” said Secretary of Commerce Gina M. Raimondo."
            sequel = _neighbour(cand, hits, 1)
            if sequel is None or not (opens_quotation(cand.text) and _ATTRIBUTION.search(sequel.text)):
                continue
        elif holds_answer(kind, question, cand.text):
            continue  # it says the asked amount or date itself
        else:
            sequel = _completing(cand, hits, kind, question, past_line=cand is keep)
            if sequel is None:
                continue
        if any(
            overlaps(sequel, other) and (cand is not keep or numbers(sequel.text) <= numbers(other.text))
            for other in out
        ):
            continue  # a repeat; for the answer's own, not "This will take effect April 9" beside "… April 5"
        index = out.index(cand)
        kept = _within([*out[: index + 1], sequel, *out[index + 1 :]], (keep, cand, sequel), words)
        if kept is not None:
            out = kept
    return out


# A quotation closed and its speaker named: "…,” said Secretary Raimondo.", "…” Raimondo said.", "…,” she added."
_ATTRIBUTION = re.compile(r"[”\"]\s*[,—–-]?\s*(?:[\w.’'-]+\s+){0,6}?(?:said|says|added|told|wrote|stated)\b")


def opens_quotation(sentence: str) -> bool:
    """Whether a sentence opens a quotation it does not close: the speaker comes in a later sentence."""
    sentence = sentence.lstrip()
    if sentence.startswith("“"):
        return sentence.count("“") > sentence.count("”")
    return sentence.startswith('"') and sentence.count('"') % 2 == 1


def _within(sentences: list[Candidate], fixed: tuple[Candidate | None, ...], words: int) -> list[Candidate] | None:
    """The sentences within `words`, the last of those not `fixed` dropped first; None if even the fixed ones
    are over it."""
    kept = list(sentences)
    spare = [c for c in kept if c not in fixed]
    while sum(len(c.text.split()) for c in kept) > words and spare:
        kept.remove(spare.pop())
    return kept if sum(len(c.text.split()) for c in kept) <= words else None


def _says_it_back(sentence: Candidate, kind: Kind, question: str) -> bool:
    return points_back(sentence.text) and holds_answer(kind, question, sentence.text)


def _next_line(cand: Candidate, sequel: Candidate, later: Candidate, hits: Sequence[Hit]) -> bool:
    """Whether `sequel` ends the line `cand` is on and `later` opens the next."""
    text = hits[cand.hit_number - 1].document.text
    return "\n" not in text[cand.position : sequel.position] and "\n" in text[sequel.position : later.position]


def _neighbour(cand: Candidate, hits: Sequence[Hit], step: int) -> Candidate | None:
    """The whole sentence `step` places from a candidate sentence in its passage (None past either end, or
    for a clause, which has no place among the passage's sentences)."""
    hit = hits[cand.hit_number - 1]
    text = hit.document.text
    spans = sentence_spans(text, hit.chunk.start, hit.chunk.end)
    at = next((i for i, (a, _) in enumerate(spans) if a == cand.position), None)
    if at is None or not 0 <= at + step < len(spans):
        return None
    a, b = spans[at + step]
    return replace(cand, text=text[a:b], position=a)


def stating_deadline(
    question: str, read: Sequence[Candidate], answering: Candidate, hits: Sequence[Hit] = ()
) -> list[Candidate]:
    """For a question asking by when ("… by what date do both sides have to carry out the tariff changes?"), on what
    day or at what time, the best read sentence stating one ("Both sides will take these actions by May 14, 2025.",
    "It will reach its peak at 7:52 a.m. ET"), when the answering sentence states none ("Today, the United States
    issued the first joint statement …") and its next sentence does not complete it (`with_sequels`: "… a 10% tariff
    on all countries. This will take effect April 5, 2025 …"); empty otherwise."""
    if answer_kind(question) != "date" or not asks_a_day(asked_sentence(question)):
        return []
    if _completing(answering, hits, "date", question, past_line=True) is not None:
        return []
    return standing_on(read, answering, lambda c: holds_answer("date", question, c.text))


def _completing(cand: Candidate, hits: Sequence[Hit], kind: Kind, question: str, past_line: bool) -> Candidate | None:
    """The sentence that completes a candidate lacking the asked amount or date: the next one of its passage, when it
    points back and says it; with `past_line`, else the one opening the next line after a line of two ("- … the
    largest trade deficits. All other countries will continue …\n- This will take effect April 9, 2025 …")."""
    sequel = _neighbour(cand, hits, 1) if hits else None
    if sequel is None or _says_it_back(sequel, kind, question):
        return sequel
    later = _neighbour(cand, hits, 2) if past_line else None
    if later is None or not _says_it_back(later, kind, question) or not _next_line(cand, sequel, later, hits):
        return None
    return later
