"""The answering chain: rewrite → retrieve → generate (stream) → verify citations → Answer."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from langchain_core.language_models.llms import LLM
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableLambda

from briefing.errors import BackendUnavailable
from briefing.models import Answer, Hit
from briefing.settings import Settings
from ingest.embed import SentenceEmbedder
from ingest.embed_e5 import calibrated_relevance
from ingest.sentences import sentences as split_sentences
from ingest.store import Filters
from rag.cite import Verifier
from rag.extractive import candidates, select
from rag.local_model import LocalModelFailed
from rag.prompts import COMPLETION, INSTRUCT, numbered_passages, plain_passages
from rag.retrieve import Retriever
from rag.rewrite import rewrite
from rag.temporal import TimeScope, event_date, plan
from rag.text import content_words

NOT_IN_LIBRARY = "NOT IN LIBRARY"


@dataclass(frozen=True)
class Token:
    """A piece of answer text as it is generated (before verification)."""

    text: str


@dataclass(frozen=True)
class Done:
    """The verified answer; front ends render this, replacing the streamed draft."""

    answer: Answer


Event = Token | Done


def abstention_text(question: str, scope: TimeScope | None = None) -> str:
    topic = re.sub(r"\s+", " ", question.strip().rstrip("?.! ")) or "this question"
    window = scope.describe() if scope is not None and scope.windowed else ""
    return f"The library has no source {window + ' ' if window else ''}on “{topic}”."


def build_llm(settings: Settings) -> tuple[str, LLM | None]:
    """The configured generator: ('extractive', None) or (name, a LangChain LLM)."""
    from rag.llms import LlamaCppCompletion, OllamaLLM, OpenAICompatLLM, llamacpp_available

    mode = settings.generator
    if mode == "auto":
        mode = "llamacpp" if llamacpp_available() and not settings.llm_url else "extractive"
        if settings.llm_url and settings.llm_model:
            mode = "openai"
    common: dict[str, Any] = {"max_tokens": settings.llm_max_tokens, "temperature": settings.llm_temperature}
    if mode == "extractive":
        return "extractive", None
    if mode == "llamacpp":
        return "llamacpp", LlamaCppCompletion(
            model_path=settings.llm_model,
            repack=settings.llm_repack,
            load_timeout=settings.llm_load_timeout,
            first_token_timeout=settings.llm_first_token_timeout,
            timeout=settings.llm_timeout,
            **common,
        )
    if mode == "ollama":
        return "ollama", OllamaLLM(
            base_url=settings.llm_url or "http://127.0.0.1:11434",
            model=settings.llm_model or "llama3.2",
            timeout=settings.llm_timeout,
            **common,
        )
    if mode == "openai":
        if not settings.llm_url:
            raise BackendUnavailable("the openai generator needs a server URL", "set BRIEFING_LLM_URL")
        return "openai", OpenAICompatLLM(
            base_url=settings.llm_url,
            model=settings.llm_model or "default",
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout,
            **common,
        )
    raise BackendUnavailable(f"unknown generator '{mode}'")


class Answerer:
    """Runs the chain for one library; safe to share between threads."""

    def __init__(self, retriever: Retriever, settings: Settings, embedder: SentenceEmbedder) -> None:
        self.retriever = retriever
        self.settings = settings
        self.embedder = embedder
        self.verifier = Verifier(embedder, settings.support_threshold)
        self.generator_name, self.llm = build_llm(settings)

    def generation_chain(self) -> Runnable[dict[str, Any], str]:
        """LCEL: prompt | llm | text, for the configured LLM."""
        assert self.llm is not None
        if self.generator_name == "llamacpp":
            # A base model gets the top passages as plain context and continues after "Answer:".
            base: Runnable[dict[str, Any], dict[str, str]] = RunnableLambda(
                lambda x: {"passages": plain_passages(x["hits"][:3]), "question": x["question"]}
            )
            return base | COMPLETION | self.llm | StrOutputParser()
        numbered: Runnable[dict[str, Any], dict[str, str]] = RunnableLambda(
            lambda x: {"passages": numbered_passages(x["hits"]), "question": x["question"]}
        )
        return numbered | INSTRUCT | self.llm | StrOutputParser()

    def scope(self, question: str, asked_on: date | None = None) -> TimeScope:
        """What the question's time words mean on asked_on (default today); events are dated from the library."""
        library = self.retriever.library
        return plan(question, asked_on or date.today(), lambda phrase, day: event_date(library, phrase, day))

    def retrieve(
        self,
        question: str,
        filters: Filters | None = None,
        k: int | None = None,
        asked_on: date | None = None,
        temporal: bool = True,
    ) -> list[Hit]:
        """The passages stream() answers from: with temporal handling, time words become a window or a
        recency preference relative to asked_on (default today) and are left out of the search text."""
        scope = self.scope(question, asked_on) if temporal else None
        query = scope.query if scope is not None else question
        return self.retriever.search(query, filters or Filters(), k or self.settings.top_k, scope=scope)

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        filters: Filters | None = None,
        as_of: date | None = None,
        asked_on: date | None = None,
        temporal: bool = True,
    ) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, history, filters, as_of, asked_on, temporal):
            if isinstance(event, Done):
                answer = event.answer
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        filters: Filters | None = None,
        as_of: date | None = None,
        asked_on: date | None = None,
        temporal: bool = True,
    ) -> Iterator[Event]:
        """Tokens, then the verified Answer.

        as_of: only documents dated on or before it (the library as it stood that day).
        asked_on: the day the question is asked (default as_of, else today): "this week", "last month",
        "before the Geneva talks" are resolved against it and documents published after it are left out.
        temporal=False: no time handling at all (time words are searched as plain words).
        """
        filters = filters or Filters()
        if as_of is not None and (filters.until is None or as_of < filters.until):
            filters = replace(filters, until=as_of)
        standalone = rewrite(question, history)
        scope = self.scope(standalone, asked_on or as_of) if temporal else None
        # "this week" is not something a passage says: retrieval matches the question without its time words.
        query = scope.query if scope is not None and content_words(scope.query) else standalone
        hits = self.retriever.search(query, filters, self.settings.top_k, scope=scope)
        base = Answer(
            question=question,
            text="",
            standalone_question=standalone if standalone != question.strip() else None,
            generator=self.generator_name,
            retrieved=tuple(h.chunk.chunk_id for h in hits),
        )
        # Sentences are ranked against the whole question: "in 2014" helps pick the sentence that says 2014.
        ranked = candidates(standalone, hits, self.embedder) if hits else []
        relevance = calibrated_relevance(self.embedder, max((c.relevance for c in ranked), default=0.0))
        if not ranked or relevance < self.settings.abstain_threshold:
            text = abstention_text(standalone, scope)
            yield Token(text)
            yield Done(replace(base, text=text, abstained=True))
            return
        extractive = [f"{c.text} [{c.hit_number}]" for c in select(ranked, self.settings.max_answer_sentences)]
        if self.llm is None:
            for sentence in extractive:
                yield Token(sentence + " ")
            draft = extractive
        else:
            parts: list[str] = []
            try:
                for piece in self.generation_chain().stream({"question": standalone, "hits": hits}):
                    parts.append(piece)
                    yield Token(piece)
            except LocalModelFailed as exc:
                # The worker crashed or stalled: this question still gets its answer, from the sources.
                note = f"local model unavailable: {exc.reason}; answered from the sources"
                base = replace(base, generator="extractive", notes=(*base.notes, note))
                parts = []
                yield Token("\n" + " ".join(extractive))
                draft = extractive
            else:
                generated = "".join(parts).strip()
                if NOT_IN_LIBRARY.lower() in generated.lower():
                    text = abstention_text(standalone, scope)
                    yield Done(replace(base, text=text, abstained=True))
                    return
                draft = split_sentences(generated)
        verified = self.verifier.verify(draft, hits, self.settings.max_answer_sentences)
        flagged = verified.flagged
        if not verified.citations and self.llm is not None:
            # The model said nothing the passages support: fall back to their best sentences.
            fallback = self.verifier.verify(extractive, hits)
            verified = replace(fallback, flagged=flagged)
        if not verified.citations:
            text = abstention_text(standalone, scope)
            yield Done(replace(base, text=text, abstained=True, flagged=flagged))
            return
        yield Done(replace(base, text=verified.text, citations=verified.citations, flagged=verified.flagged))


def answer_hits(answer: Answer, hits: Sequence[Hit]) -> bool:
    """True when every citation of the answer points at one of the retrieved hits."""
    ids = {h.chunk.chunk_id for h in hits}
    return all(c.chunk_id in ids for c in answer.citations)
