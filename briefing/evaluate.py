"""`briefing eval`: retrieval, answer, abstention, citation and cost scores on any folder of the eval shape.

The folder holds corpus.jsonl ({id, title, text, …}) and a question file
({id, question, answers, gold_ids, answerable?, question_date?}); see docs/EVAL.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import statistics
import string
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from briefing.api import Briefing
from briefing.compare import json_lines, wilson
from core.env import cpu
from core.errors import BriefingError
from core.models import Answer, split_markers
from core.request import Filters, Request
from core.settings import Settings
from ingest.chunking import CONTEXT_VERSION
from ingest.clean import CLEAN_VERSION
from ingest.dates import parse_date
from ingest.embed import SentenceEmbedder
from ingest.sentences import SPLITTER_VERSION
from ingest.sentences import sentences as split_sentences
from rag.text import content_words, numbers


@dataclass(frozen=True)
class Question:
    qid: str
    question: str
    answers: tuple[str, ...]
    gold_ids: tuple[str, ...]
    answerable: bool
    question_date: date | None
    # Optional group label, e.g. 'en-zh' (question language → answer document language): retrieval is
    # also scored per label.
    lang: str | None = None
    # Optional: search only documents in these languages (as `ask --lang` does).
    languages: tuple[str, ...] = ()


@dataclass
class Scores:
    """Everything `briefing eval` reports."""

    dataset: str
    split: str
    generator: str
    retrieval: str
    questions: int
    answerable: int
    unanswerable: int
    metrics: dict[str, float | None] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    # 95 % Wilson intervals of the metrics that are shares of questions (recall, contains, abstention).
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "split": self.split,
            "generator": self.generator,
            "retrieval": self.retrieval,
            "questions": self.questions,
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            "metrics": self.metrics,
            "intervals": {name: [round(lo, 3), round(hi, 3)] for name, (lo, hi) in self.intervals.items()},
            "options": self.options,
        }

    def markdown(self) -> str:
        head = (
            f"**{self.dataset}** / {self.split}: {self.questions} questions "
            f"({self.answerable} answerable, {self.unanswerable} unanswerable); "
            f"generator `{self.generator}`, retrieval `{self.retrieval}`"
            f"{', temporal handling off' if self.options.get('temporal') is False else ''}\n\n"
        )
        rows = ["| metric | value | 95 % interval |", "| --- | ---: | ---: |"]
        for name, value in self.metrics.items():
            span = self.intervals.get(name)
            shown = "n/a" if value is None else f"{value:.3f}"
            rows.append(f"| {name} | {shown} | {f'{span[0]:.3f}-{span[1]:.3f}' if span else ''} |")
        return head + "\n".join(rows)


def read_questions(path: Path) -> list[Question]:
    out = []
    for number, record in json_lines(path):
        gold = tuple(str(g) for g in record.get("gold_ids") or ())
        answers = tuple(str(a) for a in record.get("answers") or ())
        out.append(
            Question(
                qid=str(record.get("id", number)),
                question=str(record["question"]),
                answers=answers,
                gold_ids=gold,
                answerable=bool(record.get("answerable", bool(gold or answers))),
                question_date=parse_date(record.get("question_date")),
                lang=str(record["lang"]) if record.get("lang") else None,
                languages=tuple(str(code) for code in record.get("filter_languages") or ()),
            )
        )
    return out


def find_split(folder: Path, split: str | None) -> Path:
    if split:
        path = Path(split) if Path(split).is_file() else folder / split
        if not path.is_file():
            raise BriefingError(f"no question file {path}")
        return path
    for name in ("queries.jsonl", "dev.jsonl", "test.jsonl"):
        if (folder / name).is_file():
            return folder / name
    raise BriefingError(f"{folder} has no queries.jsonl or dev.jsonl; name one with --split")


# --- answer scoring (SQuAD) -------------------------------------------------------------------------

_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalise_answer(text: str, typographic: bool = False) -> str:
    """SQuAD normalisation; typographic=True also drops every Unicode punctuation mark (“ ” ’ –), as spaces."""
    text = text.lower()
    if typographic:
        text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def answer_contains(prediction: str, truths: Sequence[str], typographic: bool = False) -> float:
    """1.0 when the prediction contains one of the truths as whole words, after SQuAD normalisation.

    SQuAD's normalisation removes ASCII punctuation only, so a verbatim quote of “Grease” or TikTok’s
    does not contain "Grease" or "TikTok"; typographic=True counts those too.
    """
    said = f" {normalise_answer(prediction, typographic)} "
    golds = (normalise_answer(t, typographic) for t in truths)
    return max((float(f" {gold} " in said) for gold in golds if gold), default=0.0)


def exact_match(prediction: str, truths: Sequence[str]) -> float:
    return max((float(normalise_answer(prediction) == normalise_answer(t)) for t in truths), default=0.0)


def token_f1(prediction: str, truths: Sequence[str]) -> float:
    best = 0.0
    pred = normalise_answer(prediction).split()
    for truth in truths:
        gold = normalise_answer(truth).split()
        common = Counter(pred) & Counter(gold)
        same = sum(common.values())
        if same == 0:
            continue
        precision, recall = same / len(pred), same / len(gold)
        best = max(best, 2 * precision * recall / (precision + recall))
    return best


# --- citation scoring (ALCE-style, with a lexical entailment proxy) -----------------------------------


def entails(evidence: str, claim: str) -> bool:
    """Proxy for NLI entailment: ≥70% of the claim's content words and all its numbers are in the evidence."""
    words = content_words(claim)
    if not words:
        return False
    found = set(content_words(evidence))
    return numbers(claim) <= numbers(evidence) and sum(w in found for w in words) / len(words) >= 0.7


def citation_scores(answer: Answer) -> tuple[float, float] | None:
    """(citation recall, citation precision) for one answer, or None when it has no sentences."""
    by_n = {c.n: c for c in answer.citations}
    sentence_support: list[bool] = []
    precise: list[bool] = []
    for sentence in split_sentences(answer.text):
        claim, markers = split_markers(sentence)
        if not content_words(claim):
            continue
        cited = [by_n[n] for n in markers if n in by_n]
        joint = " ".join(c.passage for c in cited)
        supported = bool(cited) and entails(joint, claim)
        sentence_support.append(supported)
        for c in cited:
            alone = entails(c.passage, claim)
            # ALCE: a citation is imprecise when it neither supports alone nor is needed by the rest.
            others = " ".join(o.passage for o in cited if o is not c)
            needed = supported and not (others and entails(others, claim))
            precise.append(alone or needed)
    if not sentence_support:
        return None
    return (
        sum(sentence_support) / len(sentence_support),
        sum(precise) / len(precise) if precise else 0.0,
    )


# --- the run ----------------------------------------------------------------------------------------------


def eval_library_dir(settings: Settings, corpus: Path) -> Path:
    """A cache folder per corpus content and indexing settings, so re-runs skip the ingest.

    Keyed on the corpus's bytes, not its path or time stamps: a copied or re-extracted data set
    reuses the library, and an edited one gets its own.
    """
    digest = hashlib.sha1()
    with corpus.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    key = (
        "|".join(str(part) for part in (digest.hexdigest(), settings.embedding.model, settings.embedding.backend))
        + f"|{settings.ingest.chunk_size}|{settings.ingest.chunk_overlap}"
    )
    key += f"|context{CONTEXT_VERSION}"  # libraries indexed before chunk context are not reused
    key += f"|sentences{SPLITTER_VERSION}"  # nor those chunked at other sentence boundaries
    key += f"|clean{CLEAN_VERSION}"  # nor those whose pages were cleaned otherwise
    return settings.data_dir / "eval" / hashlib.sha1(key.encode()).hexdigest()[:12]


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def evaluate(
    folder: Path,
    settings: Settings,
    split: str | None = None,
    limit: int | None = None,
    embedder: SentenceEmbedder | None = None,
    progress: Callable[[int, int], None] | None = None,
    temporal: bool = True,
    details: Callable[[dict[str, Any]], None] | None = None,
) -> Scores:
    """Ingest folder/corpus.jsonl into a cached library of its own, then score every question.

    temporal=True asks each question on its question_date with full time handling (time words
    become a date window or a recency preference); temporal=False turns time handling off.
    `details`, when given, receives one record per question as it is scored (see `_detail`).
    """
    from rag.chain import Done

    corpus = folder / "corpus.jsonl"
    if not corpus.is_file():
        raise BriefingError(f"{folder} has no corpus.jsonl")
    questions = read_questions(find_split(folder, split))
    if limit:
        questions = questions[:limit]
    eval_settings = settings.model_copy(update={"data_dir": eval_library_dir(settings, corpus), "collection": "eval"})
    app = Briefing(eval_settings, embedder=embedder)
    started = time.perf_counter()
    report = app.ingest([corpus])
    ingest_seconds = time.perf_counter() - started
    if report.failed:
        failure = report.failed[0]
        raise BriefingError(f"{len(report.failed)} corpus records failed, e.g. {failure.origin}: {failure.reason}")

    recall = {1: [], 5: [], 10: []}  # type: dict[int, list[float]]
    mrr: list[float] = []
    by_lang: dict[str, dict[str, list[float]]] = {}
    em: list[float] = []
    f1: list[float] = []
    abstained_right = abstained_wrong = unanswerable = 0
    cite_recall: list[float] = []
    cite_precision: list[float] = []
    gold_cited: list[float] = []
    timings: list[float] = []
    contains: list[float] = []
    contains_typographic: list[float] = []
    words: list[int] = []
    same_story = _same_story_ids(app)
    for done, q in enumerate(questions, 1):
        # With temporal handling the question is asked on its question_date (today when it has none):
        # its time words become a window or a recency preference. Without, none of that happens.
        asked_on = (q.question_date or date.today()) if temporal else None
        first: int | None = None
        top: list[tuple[str | None, str]] = []
        request = Request(q.question, filters=_filters(q), asked_on=asked_on, temporal=temporal)
        # Document level: distinct documents in the order their best passage ranks, so 10 passages
        # of one article count once. 30 passages give at least 10 documents almost always.
        hits = app.retrieve(request, k=30) if q.answerable and q.gold_ids else []
        t0 = time.perf_counter()
        *_, last = app.stream(request)
        timings.append(time.perf_counter() - t0)
        assert isinstance(last, Done)
        answer = last.answer
        if hits and last.scope is not None and last.scope.moved_unanswered:
            # Answered in an earlier year than its words first read as: ranked as the answer was searched.
            hits = app.answerer.search(replace(app.plan(request), scope=last.scope), k=30)
        if q.answerable and q.gold_ids:
            # A passage of a syndicated copy of a gold document supports the answer as well as the original.
            external = {h.document.doc_id: h.document.external_id for h in hits}
            owners = _distinct_documents(h.document.doc_id for h in hits)
            owners_ids = [same_story.get(d, {external[d]}) for d in owners]
            gold = set(q.gold_ids)
            first = next((i for i, owner in enumerate(owners_ids, 1) if owner & gold), None)
            titles = {h.document.doc_id: h.document.title for h in hits}
            top = [(external[d], titles[d]) for d in owners[:5]]
            for k in recall:
                recall[k].append(float(first is not None and first <= k))
            mrr.append(1.0 / first if first and first <= 10 else 0.0)
            if q.lang:
                group = by_lang.setdefault(q.lang, {})
                for k in recall:
                    group.setdefault(f"retrieval_recall@{k}", []).append(recall[k][-1])
                group.setdefault("retrieval_mrr@10", []).append(mrr[-1])
        if not answer.abstained:
            words.append(len(answer.plain_text.split()))
        cited = list(dict.fromkeys(_external(app, c.doc_id) for c in answer.citations))  # distinct, in order
        scored: dict[str, Any] = {}  # this question's own scores, for --details
        if q.answerable:
            text = "" if answer.abstained else answer.plain_text
            if q.answers:
                em.append(exact_match(text, q.answers))
                f1.append(token_f1(text, q.answers))
                contains.append(answer_contains(text, q.answers))
                contains_typographic.append(answer_contains(text, q.answers, typographic=True))
                scored.update(contains=bool(contains[-1]), f1=round(f1[-1], 3))
            if q.gold_ids:
                gold_cited.append(float(any(c in q.gold_ids for c in cited)))
                scored["cites_gold"] = bool(gold_cited[-1])
            if answer.abstained:
                abstained_wrong += 1
        else:
            unanswerable += 1
            if answer.abstained:
                abstained_right += 1
        scores = citation_scores(answer) if not answer.abstained else None
        if scores is not None:
            cite_recall.append(scores[0])
            cite_precision.append(scores[1])
        if details:
            details(_detail(q, asked_on, first, top, answer, cited, timings[-1]) | scored)
        if progress:
            progress(done, len(questions))
    predicted_abstain = abstained_right + abstained_wrong
    answerable = sum(1 for q in questions if q.answerable)
    metrics: dict[str, float | None] = {
        "retrieval_recall@1": _mean(recall[1]),
        "retrieval_recall@5": _mean(recall[5]),
        "retrieval_recall@10": _mean(recall[10]),
        "retrieval_mrr@10": _mean(mrr),
        "answer_exact_match": _mean(em),
        "answer_f1": _mean(f1),
        "answer_contains": _mean(contains),
        "answer_contains_typographic": _mean(contains_typographic),
        "answer_words_mean": _mean(words),
        "answerable_refused": float(abstained_wrong),
        "abstention_precision": abstained_right / predicted_abstain if predicted_abstain else None,
        "abstention_recall": abstained_right / unanswerable if unanswerable else None,
        "citation_recall": _mean(cite_recall),
        "citation_precision": _mean(cite_precision),
        "answers_citing_gold": _mean(gold_cited),
        "seconds_per_question_median": statistics.median(timings) if timings else None,
        "seconds_per_question_p95": percentile(timings, 0.95) if timings else None,
        "ingest_seconds": ingest_seconds,
        "ingested_chunks": float(report.chunks),
    }
    shares = {f"retrieval_recall@{k}": recall[k] for k in recall} | {
        "answer_contains": contains,
        "answer_contains_typographic": contains_typographic,
        "answers_citing_gold": gold_cited,
    }
    counts = {name: (sum(values), len(values)) for name, values in shares.items()}
    counts["abstention_precision"] = (abstained_right, predicted_abstain)
    counts["abstention_recall"] = (abstained_right, unanswerable)
    intervals = {name: span for name, (hits, n) in counts.items() if (span := wilson(hits, n)) is not None}
    for lang, group in sorted(by_lang.items()):
        metrics.update({f"{name} [{lang}]": _mean(values) for name, values in group.items()})
    app.close()
    return Scores(
        dataset=folder.name,
        split=find_split(folder, split).name,
        generator=app.answerer.generator_name,
        retrieval=settings.retrieval.mode,
        questions=len(questions),
        answerable=answerable,
        unanswerable=len(questions) - answerable,
        metrics=metrics,
        # The CPU too: int8 embedder and local-model kernels depend on its instruction sets (docs/EVAL.md).
        options={"top_k": settings.retrieval.top_k, "temporal": temporal, "limit": limit, "cpu": cpu()},
        intervals=intervals,
    )


@contextlib.contextmanager
def details_file(path: Path | None) -> Iterator[Callable[[dict[str, Any]], None] | None]:
    """The `details` callback of `evaluate` writing JSON lines to path (None: no callback)."""
    if path is None:
        yield None
        return
    try:
        handle = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise BriefingError(f"cannot write the details to {path}: {exc.strerror or exc}") from exc

    def write(record: dict[str, Any]) -> None:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.flush()  # a run stopped half-way keeps the questions it scored

    with handle:
        yield write


def _detail(
    q: Question,
    asked_on: date | None,
    gold_rank: int | None,
    top: Sequence[tuple[str | None, str]],
    answer: Answer,
    cited: Sequence[str | None],
    seconds: float,
) -> dict[str, Any]:
    """One question's record for `briefing eval --details`: what was asked, found and answered (its
    scores are added by the caller, which has computed them)."""
    return {
        "id": q.qid,
        "question": q.question,
        "asked_on": asked_on.isoformat() if asked_on else None,
        "answerable": q.answerable,
        "gold_answers": list(q.answers),
        "gold_ids": list(q.gold_ids),
        # Rank of the first gold document among distinct documents (None: not in the top 30 passages).
        "gold_rank": gold_rank,
        "top_documents": [{"id": doc, "title": title} for doc, title in top],
        "abstained": answer.abstained,
        "answer": answer.plain_text,
        "lead": answer.lead,
        "cited": list(cited),
        "words": 0 if answer.abstained else len(answer.plain_text.split()),
        "seconds": round(seconds, 3),
    }


def _filters(question: Question) -> Filters:
    return Filters(languages=question.languages) if question.languages else Filters()


def _same_story_ids(app: Briefing) -> dict[str, set[str | None]]:
    """doc id → the external ids of every copy of its story, for documents that have copies."""
    from ingest.dedup import DuplicateIndex

    out: dict[str, set[str | None]] = {}
    for members in DuplicateIndex(app.library).groups().values():
        documents = app.library.documents_by_id(members)
        ids = {d.external_id for d in documents.values()}
        out.update(dict.fromkeys(members, ids))
    return out


def _distinct_documents(doc_ids: Iterable[str]) -> list[str]:
    """Document ids in first-seen order, each once."""
    return list(dict.fromkeys(doc_ids))


def _external(app: Briefing, doc_id: str) -> str | None:
    document = app.library.document(doc_id, with_text=False)
    return document.external_id if document else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
