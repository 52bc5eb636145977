"""The answering chain: rewrite → retrieve → generate (stream) → verify citations → Answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from itertools import islice
from typing import Any

from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableLambda

from core.models import Answer, Hit, split_markers
from core.request import Filters, Request
from core.settings import GenerationSettings
from ingest.embed import SentenceEmbedder
from ingest.embed_e5 import calibrated_relevance
from ingest.sentences import sentences as split_sentences
from rag.abstain import (
    asks_for_the_news,
    asks_what_a_document_says,
    figure_unstated,
    missing_names,
    names_unmentioned,
    spelled_out,
    support,
    unanswered,
    unfamiliar,
)
from rag.ages import stating_age
from rag.answer_type import answer_kind, not_the_asked_measure, without_dateline
from rag.asking import closeness_margin, only_a_topic, sentences_for
from rag.choices import choose_name
from rag.cite import Verifier
from rag.counting import counted_nouns, counted_nowhere
from rag.events import earlier_years, moved_note, plan_in, said_without_year
from rag.extractive import (
    Candidate,
    candidates,
    naming_the_asked,
    on_its_part,
    rival,
    saying_the_asking_sentence,
    select,
    standing_on,
    together,
)
from rag.figures import asked_figure
from rag.fullnames import fuller_name, possessor, titled_name
from rag.lead_phrase import lead, whole_date
from rag.leads import settled_lead
from rag.lists import listed
from rag.llms import LlamaCppCompletion, build_llm
from rag.local_model import LocalModelFailed
from rag.naming_sources import as_evidence, from_naming_sources
from rag.neighbours import stating_deadline, with_antecedents, with_sequels
from rag.parties import a_party_for_a_person, acts_as, asked_doer, asked_pair, asks_only_a_part, elsewhere, falls_on
from rag.prompts import COMPLETION, instruct_prompt, numbered_passages
from rag.reader import (
    READ_SENTENCES,
    READ_TOKENS,
    about_an_earlier_time,
    counts_elsewhere,
    for_another_party,
    guided,
    holding,
    naming,
    outscored,
    overruled,
    reading,
    stating_amount,
)
from rag.refusals import abstention_text
from rag.retrieve import Retriever
from rag.rewrite import rewrite
from rag.speakers import quoted_of, said_by
from rag.temporal import Recency, TimeScope
from rag.text import as_asked, capitalised, content_words, says_something
from rag.unstated import unstated_kind
from rag.window import from_older_news, of_the_window

NOT_IN_LIBRARY = "NOT IN LIBRARY"
# Passages read past top_k for an amount question whose read sentences never state the figure it asks for.
DEEPER_PASSAGES = 4
# Earlier years a window said without its year is asked again in when its own year's sources answer nothing.
EARLIER_YEARS = 2


@dataclass(frozen=True)
class Token:
    """A piece of answer text as it is generated (before verification)."""

    text: str


@dataclass(frozen=True)
class Done:
    """The verified answer, and the time scope it was read in (None: time handling off).

    Front ends render the answer, replacing the streamed draft, and say which dates were read.
    """

    answer: Answer
    scope: TimeScope | None = None


Event = Token | Done


@dataclass(frozen=True)
class Plan:
    """What a request searches for, and within what: worked out once, for answers and passages alike."""

    standalone: str  # the question made standalone from the conversation
    query: str  # the search text: the standalone question without its time words
    filters: Filters  # the request's filters, ending at as_of
    scope: TimeScope | None  # what its time words mean (None: time handling off)


class Answerer:
    """Runs the chain for one library; safe to share between threads."""

    def __init__(self, retriever: Retriever, settings: GenerationSettings, embedder: SentenceEmbedder) -> None:
        self.retriever = retriever
        self.settings = settings
        self.embedder = embedder
        self.verifier = Verifier(embedder, settings.support_threshold)
        self.generator_name, self.llm = build_llm(settings)

    def generation_chain(self) -> Runnable[dict[str, Any], str]:
        """LCEL: prompt | llm | text, for the configured LLM."""
        assert self.llm is not None
        numbered: Runnable[dict[str, Any], dict[str, str]] = RunnableLambda(
            lambda x: {"passages": numbered_passages(x["hits"]), "question": x["question"]}
        )
        return numbered | instruct_prompt(self.settings.max_answer_sentences) | self.llm | StrOutputParser()

    def reader_chain(self) -> Runnable[dict[str, Any], str]:
        """LCEL for the local base model: the best candidate sentences as context, continued after "Answer:"."""
        assert self.llm is not None
        context: Runnable[dict[str, Any], dict[str, str]] = RunnableLambda(
            lambda x: {"passages": reading(x["ranked"]), "question": x["question"]}
        )
        return context | COMPLETION | self.llm.bind(max_tokens=READ_TOKENS) | StrOutputParser()

    def time_scope(self, text: str, day: date, filters: Filters | None = None) -> TimeScope:
        """What the text's time words mean on that day; events and yearless days are dated from the library."""
        return plan_in(self.retriever.library, text, day, filters)

    def plan(self, request: Request) -> Plan:
        """The standalone question, its search text, filters and time scope."""
        standalone = rewrite(request.question, request.history)
        filters = request.scoped_filters()
        scope = self.time_scope(standalone, request.day, filters) if request.temporal else None
        # "this week" is not something a passage says: retrieval matches the question without its time words.
        query = scope.query if scope is not None and content_words(scope.query) else standalone
        return Plan(standalone, query, filters, scope)

    def search(self, plan: Plan, k: int | None = None) -> list[Hit]:
        """The k (default top_k) passages for a plan."""
        return self.retriever.search(plan.query, plan.filters, k, scope=plan.scope)

    def retrieve(self, request: Request, k: int | None = None) -> list[Hit]:
        """The passages stream() answers the request from (k of them, default top_k)."""
        return self.search(self.plan(request), k)

    def ask(self, request: Request) -> Answer:
        """The verified answer: the last event of stream()."""
        *_, last = self.stream(request)
        assert isinstance(last, Done)
        return last.answer

    def _weigh(
        self, ranked: list[Candidate], hits: list[Hit], plan: Plan, passages: set[int] | None = None
    ) -> tuple[list[Candidate], float, list[str]]:
        """The sentences an answer would quote, the support the evidence gives the question, and the texts
        of the documents quoted. `passages`: only these hits (numbered from 1) count for support."""
        most = self.settings.max_answer_sentences
        chosen = select(ranked, sentences_for(plan.standalone, ranked[0] if ranked else None, most))
        best = calibrated_relevance(self.embedder, max((c.topical for c in ranked), default=0.0))
        # The passages' cosine similarities come with the search: weighing them in costs nothing.
        similarities = [
            h.similarity
            for number, h in enumerate(hits, 1)
            if h.similarity is not None and (passages is None or number in passages)
        ]
        passage = calibrated_relevance(self.embedder, max(similarities)) if similarities else None
        relevance = support(best, passage, searched_as_asked=plan.query == plan.standalone)
        sources = {hits[c.hit_number - 1].document.doc_id: hits[c.hit_number - 1].document for c in chosen}
        evidence = [as_evidence(d, d.text) for d in sources.values()]
        return chosen, relevance, evidence

    def _deeper(
        self,
        plan: Plan,
        hits: list[Hit],
        ranked: list[Candidate],
        untimed: str | None,
        recency: Recency | None,
        wanted: Callable[[Candidate], bool],
        bar: float,
    ) -> tuple[list[Hit], list[Candidate]]:
        """The next DEEPER_PASSAGES passages' `wanted` sentences, when the best of them scores above `bar`: for an
        amount question none of whose read sentences states the figure a word of it takes, those that do, above
        every read one ("… will each lower tariffs by 115% …" for "By how much did the US and China agree to lower
        tariffs in Geneva?"); for what two parties agreed, those saying what both do. They join the ranking and
        their passages are appended to the hits. Otherwise the hits and ranking as they were."""
        read = {h.chunk.chunk_id for h in hits}
        deeper = self.search(plan, self.retriever.settings.top_k + DEEPER_PASSAGES)
        more = self.retriever.within_scope(deeper, plan.scope)
        extra = [h for h in more if h.chunk.chunk_id not in read][:DEEPER_PASSAGES]
        if not extra:
            return hits, ranked
        every = [*hits, *extra]
        deep = [
            c for c in candidates(plan.standalone, every, self.embedder, untimed, recency, skip=len(hits)) if wanted(c)
        ]
        # Only one that ranks above the bar is taken: anything less leaves the answer as it was.
        if not deep or deep[0].score <= bar:
            return hits, ranked
        return every, sorted([*deep, *ranked], key=lambda c: -c.score)

    def stream(self, request: Request) -> Iterator[Event]:
        """Tokens, then Done with the verified Answer and the time scope used (see Request for the options).

        A day or month said without its year that no source of its year answers is asked again of the earlier
        years the library holds, at most EARLIER_YEARS of them; the first answer found stands, with a note."""
        plan = self.plan(request)
        if not said_without_year(plan.scope):
            yield from self._answer(request, plan)
            return
        first = list(self._answer(request, plan))
        if _refused(first):
            for scope in islice(earlier_years(plan.scope, self.retriever.library, plan.filters), EARLIER_YEARS):
                again = list(self._answer(request, replace(plan, scope=scope)))
                if not _refused(again):
                    yield from again
                    return
        yield from first

    def _answer(self, request: Request, plan: Plan) -> Iterator[Event]:
        standalone, scope = plan.standalone, plan.scope
        most = self.settings.max_answer_sentences
        # Answers quote only the window a time-bound question asks about (retrieval may bend past it).
        hits = self.retriever.within_scope(self.search(plan), scope)
        base = Answer(
            question=request.question,
            text="",
            standalone_question=standalone if standalone != request.question.strip() else None,
            generator=self.generator_name,
            retrieved=tuple(h.chunk.chunk_id for h in hits),
            notes=moved_note(scope),
        )
        # Sentences are ranked against the whole question: "in 2014" helps pick the sentence that says 2014.
        # For support, a windowed question is also met without its time words: every passage here is already
        # inside the window, and a sentence saying "today" for "in October 2023" is no further from it for it.
        untimed = plan.query if scope is not None and scope.windowed and plan.query != standalone else None
        recency = scope.recency if scope is not None else None
        ranked = candidates(standalone, hits, self.embedder, untimed, recency) if hits else []
        # An amount none of the read sentences states as the figure its words take may be a passage further on.
        figure = partial(_states_figure, standalone)
        if ranked and answer_kind(standalone) == "amount" and not any(map(figure, ranked)):
            hits, ranked = self._deeper(plan, hits, ranked, untimed, recency, figure, ranked[0].score)
            base = replace(base, retrieved=tuple(h.chunk.chunk_id for h in hits))
        # So may what the two parties a question names agreed together, when its best read sentence says one side's
        # part ("CHINESE ACTIONS: China will remove …") or that there was a deal ("Today, the United States issued
        # the first joint statement …"), or what the one party it names does: taken when it would be among the
        # read sentences, above every such one.
        pair = asked_pair(standalone) if answer_kind(standalone) == "agreement" else None
        one = asked_doer(standalone) if pair is None and answer_kind(standalone) == "agreement" else None
        acts = partial(together, pair) if pair is not None else partial(on_its_part, one) if one else None
        if ranked and acts is not None and not acts(ranked[0]):
            bar = max([ranked[:READ_SENTENCES][-1].score, *(c.score for c in ranked if acts(c))])
            hits, ranked = self._deeper(plan, hits, ranked, untimed, recency, acts, bar)
            base = replace(base, retrieved=tuple(h.chunk.chunk_id for h in hits))
        if scope is not None and scope.windowed:
            ranked = of_the_window(ranked, hits, scope, standalone)
        # Names in time words ("before the Geneva talks") say when, not what: scope.query leaves them out.
        asked = scope.query if scope is not None and content_words(scope.query) else standalone
        # "What did the Commerce Department do in October 2023?" asks for the window's news of a subject:
        # no sentence is close to so little. Its answer is what the window's sentences naming it say.
        news_of: list[Candidate] = []
        if scope is not None and scope.windowed and asks_for_the_news(asked):
            news_of = _naming(asked, ranked)
        elif quoted := quoted_of(asked, ranked, [h.document.text for h in hits]):
            news_of = quoted  # "What did Gina Raimondo say about the rules?": what her quoted sentences say
        elif (party := asks_only_a_part(asked)) and (its_acts := [c for c in ranked if acts_as(party, c.text)]):
            news_of = its_acts  # "What did China agree to do in the Geneva deal?": what the sentences say China does
        elif pair is None and (
            titled := {n for n, h in enumerate(hits, 1) if asks_what_a_document_says(asked, h.document.title)}
        ):
            # So for "What did the Geneva joint statement agree?": the document its words name answers it. Not
            # for what two parties agreed ("… the US and China … in Geneva"), which any source may say.
            news_of = [c for c in ranked if c.hit_number in titled]
        if news_of:
            ranked = news_of
        # Support does not measure a question that asks so little (see above); the names rule still applies.
        threshold = 0.0 if news_of else self.settings.abstain_threshold
        if threshold:  # nothing named for the names rule to check, or only a topic named: it must come closer
            threshold += closeness_margin(asked, (h.chunk.text for h in hits))
        chosen, relevance, evidence = self._weigh(ranked, hits, plan)
        if ranked and relevance >= threshold and names_unmentioned(asked, evidence):
            # The best sentences come from sources that never name what is asked ("Which Commerce Secretary
            # …?" met by a fact sheet on another rule), while other retrieved passages do: the answer is
            # sought among theirs, and must be close enough to the question on its own.
            naming_passages = {
                number
                for number, h in enumerate(hits, 1)
                if not names_unmentioned(asked, [as_evidence(h.document, h.chunk.text)])
            }
            of_naming = [c for c in ranked if c.hit_number in naming_passages]
            if of_naming:
                ranked = of_naming
                chosen, relevance, evidence = self._weigh(ranked, hits, plan, naming_passages)
        # "Which Commerce official spoke for …?" is answered by a sentence saying who spoke.
        if spoken := said_by(asked, ranked):
            ranked, chosen = spoken, select(spoken, sentences_for(asked, spoken[0], most))
        # select() gives its sentences in reading order; the answer stands on its best-scored one.
        answering_sentence = max(chosen, key=lambda c: c.score) if chosen else None
        # A word the question turns on that the library never uses ("Medicaid") leaves nothing to answer from.
        unknown = unfamiliar(asked, self.retriever.library.uses) if ranked else []
        if unknown:
            # Nor is an abbreviation that a retrieved source writes out in full ("CRS": "Congressional Research
            # Service", the report's author).
            retrieved = {h.document.doc_id: h.document for h in hits}.values()
            written = [field or "" for d in retrieved for field in (d.title, d.source, d.author, d.text)]
            unknown = [word for word in unknown if not spelled_out(word, written)]
        far = unanswered(asked, relevance, threshold, evidence)
        # Close enough, yet "How many blocks does he have?" is not answered where no sentence gives a number of
        # blocks, nor "How large was the deficit?" where none states an amount: checked past support, as the reason.
        said = [] if far else [c.text for c in ranked]
        sourced = from_naming_sources(asked, ranked, hits) if said else []  # a count, a figure: from sources naming it
        counting = [c.text for c in sourced]
        uncounted = as_asked(asked, counted_nouns(asked)) if not far and counted_nowhere(asked, counting) else ""
        read = ((c.text, as_evidence(hits[c.hit_number - 1].document)) for c in ranked[:READ_SENTENCES])  # lazily
        unstated = "figure" if said and answer_kind(asked) == "amount" and figure_unstated(asked, read) else ""
        unstated = unstated or (unstated_kind(asked, said[:READ_SENTENCES], ranked, hits) if said else "")  # a person …
        if not ranked or unknown or far or uncounted or unstated:
            text = abstention_text(
                standalone, scope, found=bool(hits), unknown=unknown, uncounted=uncounted, unstated=unstated
            )
            yield Token(text)
            yield Done(replace(base, text=text, abstained=True), scope)
            return
        # A question asking how much, by when or who, or in words its scene lacks, stands on the sentence saying it; by
        # when, read with its time words: the day its scene names ("… said last Friday …") is not the asked one.
        if answering_sentence is not None and (
            stating := stating_amount(asked, sourced, answering_sentence)
            or stating_deadline(standalone, ranked[:READ_SENTENCES], answering_sentence, hits)
            or naming_the_asked(asked, ranked[:READ_SENTENCES], answering_sentence)
            or saying_the_asking_sentence(asked, ranked[:READ_SENTENCES], answering_sentence)
        ):
            chosen, answering_sentence = stating, stating[0]
        # "What did the US and China agree?" stands on the best read sentence saying what the two do together, "What
        # did China agree to do?" on the best saying what China will do or agreed to.
        part = standing_on(ranked[:READ_SENTENCES], answering_sentence, acts) if acts and answering_sentence else []
        if part:
            chosen, answering_sentence = part, part[0]
        fragments: tuple[str, ...] = ()
        opening: str | None = None
        # "How old was …?" is answered by the sentence that states the age; no reading can do better. Nor for
        # "Whose record did he break?" than the answer's sentence's one possessor ("… breaking Roger Maris’ record").
        aged = stating_age(standalone, ranked, hits)
        if aged is not None:
            chosen, opening = [ranked[aged[0]]], aged[1]
            answering_sentence = chosen[0]
        owned = answering_sentence is not None and possessor(standalone, answering_sentence.text) is not None
        picked = False  # whether the local model's pick was taken
        if self.generator_name == "llamacpp" and aged is None and not owned:
            # The local model names the answer; the candidate sentence holding that name says it. If its
            # worker crashed or stalled, this question still gets its answer, from the sources.
            try:
                reply = self.reader_chain().invoke({"question": standalone, "ranked": ranked})
                found = naming(reply, ranked, question=standalone)
                if found is None and reply.strip() and isinstance(self.llm, LlamaCppCompletion):
                    found = choose_name(self.llm, standalone, ranked)  # a name none holds: it weighs theirs
                if found is not None and a_party_for_a_person(found[1], standalone):
                    found = None  # "United States" for "Who is Beijing's lead negotiator?": no person named
            except LocalModelFailed as exc:
                note = f"local model unavailable: {exc.reason}; answered from the sources"
                base = replace(base, generator="extractive", notes=(*base.notes, note))
                found = None
            targets = falls_on(standalone)  # whose goods the question asks about, for every pick weighed below

            def set_aside(index: int, words: str) -> bool:
                # A sentence that restates the question holds the answer, or the model's is about another time
                # than the one asked about (or older news, none asked about), or only the best one counts what
                # "how many" counts, or the model names a count where a share was asked for, or its sentence is on
                # a measure that falls on another party's goods, or a topic asks nothing to name beside another
                # sentence ("CHIPS Act manufacturing incentives"): the extractive answer stands.
                return (
                    overruled(ranked, index, lambda r: calibrated_relevance(self.embedder, r))
                    or (only_a_topic(standalone) and rival(ranked, index) is not None)
                    or outscored(ranked, index, question=standalone, words=words)
                    or about_an_earlier_time(ranked, index, scope)
                    or from_older_news(ranked, index, hits, scope)
                    or counts_elsewhere(ranked, index, standalone)
                    or not_the_asked_measure(words, standalone)
                    or elsewhere(targets, ranked[index].text)
                )

            if found is not None and set_aside(*found):
                again = None
                if about_an_earlier_time(ranked, found[0], scope):
                    # The name may still be right where its sentence is about another time: another
                    # sentence naming it may be about the window's ("Lee's rise continued … in 2017" beside
                    # "John Lee, who became the face of the national security law, is set to replace …").
                    others = (i for i in holding(found[1], ranked) if i != found[0])
                    again = next((i for i in others if not set_aside(i, found[1])), None)
                found = (again, found[1]) if again is not None else None
            if found is not None:
                picked = True
                named, words = found
                chosen = guided(ranked, named, sentences_for(standalone, ranked[named], most))
                answering_sentence = chosen[0]
                opening = lead(words, ranked[named].text, standalone)
                if opening is not None and for_another_party(opening, ranked[named].text, standalone):
                    opening = None  # the model's value is another party's; the sentence still answers
                if opening is not None:
                    opening = whole_date(opening, ranked[named].text, standalone)
                if opening is not None and answer_kind(standalone) in ("name", "other"):
                    # "Lee" leads as "John Lee" when that is the one Lee its article names; "President" as "President
                    # Joe Biden" when the sentence names him after his title; "Qualcomm" as the list it is one of.
                    opening = fuller_name(opening, hits[ranked[named].hit_number - 1].document.text)
                    opening = listed(titled_name(opening, ranked[named].text), ranked[named].text, standalone)
                opening = capitalised(opening) if opening is not None else None
        # A lead is only ever found with its sentence: without one there is nothing to settle.
        if answering_sentence is not None:
            source = hits[answering_sentence.hit_number - 1].document
            opening = settled_lead(standalone, opening, answering_sentence.text, picked, bool(spoken), source)
            # The short answer said first stands on the sentence that says it: a second sentence would be padding.
            if opening is not None:
                chosen = [answering_sentence]
        # "It streamlines …" says what only after the sentence before it, quoted first and outside the sentence limit.
        answering = len(chosen)
        # "… will impose a 10% tariff on all countries." says when only in "This will take effect April 5, 2025."
        chosen = with_sequels(chosen, hits, standalone, answering_sentence)
        chosen = with_antecedents(chosen, hits, answering_sentence, question="" if opening else standalone)
        limit = most + len(chosen) - answering
        # A quote says what happened, not where and for whom it was filed: "London (CNN) Seven-time …" → "Seven-time …".
        extractive = [f"{capitalised(without_dateline(c.text))} [{c.hit_number}]" for c in chosen]
        if opening is not None:
            # The short answer first, in the sentence's own words, then the sentence that says it.
            extractive[0] = f"{opening} — {extractive[0]}"
        if self.llm is None or self.generator_name == "llamacpp":
            for sentence in extractive:
                yield Token(sentence + " ")
            draft = extractive
        else:
            parts: list[str] = []
            for piece in self.generation_chain().stream({"question": standalone, "hits": hits}):
                parts.append(piece)
                yield Token(piece)
            generated = "".join(parts).strip()
            if NOT_IN_LIBRARY.lower() in generated.lower():
                text = abstention_text(standalone, scope, found=bool(hits))
                yield Done(replace(base, text=text, abstained=True), scope)
                return
            # A small model may stop mid-clause ("The United States and China"): such fragments
            # can pass the word check yet say nothing, so they are left out as unsupported.
            sentences = split_sentences(generated)
            fragments = tuple(split_markers(s)[0] for s in sentences if not says_something(s))
            draft = [s for s in sentences if says_something(s)]
            limit = most
        verified = self.verifier.verify(draft, hits, limit)
        if fragments:
            verified = replace(verified, flagged=(*verified.flagged, *fragments))
        flagged = verified.flagged
        if not verified.citations and self.llm is not None:
            # The model said nothing the passages support: fall back to their best sentences.
            fallback = self.verifier.verify(extractive, hits)
            verified = replace(fallback, flagged=flagged)
        if not verified.citations:
            text = abstention_text(standalone, scope, found=bool(hits))
            yield Done(replace(base, text=text, abstained=True, flagged=flagged), scope)
            return
        answer = replace(
            base,
            text=verified.text,
            citations=verified.citations,
            flagged=verified.flagged,
            lead=opening if opening is not None and verified.text.startswith(f"{opening} — ") else None,
        )
        yield Done(answer, scope)


def _states_figure(question: str, candidate: Candidate) -> bool:
    return asked_figure(question, candidate.text) is not None


def _refused(events: list[Event]) -> bool:
    return isinstance(events[-1], Done) and events[-1].answer.abstained


def _naming(question: str, ranked: list[Candidate]) -> list[Candidate]:
    """The candidates that name every name of the question (in any known spelling), best first."""
    return [c for c in ranked if not missing_names(question, [c.text])]
