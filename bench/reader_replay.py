"""The local model as a reader, replayed: how many candidate sentences it reads, and the pair's word budget.

    .venv/bin/python -m bench.reader_replay [FOLDER ...] [--split FILE] [--reads 3,5,8] [--budgets 45,50]
        [--prompts example,plain] [--restates 0.85,0.9]

Each answerable question of each folder (default ../shared/eval/news-dev) is planned and searched as
`briefing eval` asks it (on its question_date, in the folder's cached eval library), and its
candidate sentences are ranked once. The packaged Gemma model then reads the best N of them once
for each N; each word budget replays `rag.reader.naming`, `overruled`, `outscored`, `guided` and `lead` on that
reply as the answer path does (the extractive answer when the reply names nothing a candidate holds,
when a sentence restating the question overrules it, or when the best candidate outscores the one named
by `OUTSCORED_BY`; `--restates` replays other thresholds; the window, count and share checks are not replayed). Per setting: how many
answers contain a gold answer (SQuAD-normalised, as `briefing eval` scores it) and their mean length;
and how many questions have the gold answer in a gold article at all, in a retrieved passage, and
in the first 1, 2, 5, 8 ranked candidates. `--prompts plain` also replays the prompt without its
worked example (`rag.prompts.WORKED_EXAMPLE`), as it was before the example was added.
Abstention is left out: the model reads only after it. Writes bench/results/reader_replay-<first folder>[-<split>].json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import REPO, quiet_env, save

COMMAND = ".venv/bin/python -m bench.reader_replay"
NEWS_DEV = REPO.parent / "shared" / "eval" / "news-dev"


def replay(
    folder: Path,
    reads: Sequence[int],
    budgets: Sequence[int],
    split: str | None = None,
    prompts: Sequence[str] = ("example",),
    restates: Sequence[float] | None = None,
) -> dict[str, Any]:
    """{setting: {contains, words_mean}} plus the extractive answer's figures, for one eval folder."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import PromptTemplate

    from briefing.api import Briefing
    from briefing.evaluate import answer_contains, eval_library_dir, find_split, read_questions
    from core.request import Request
    from core.settings import Settings
    from ingest.embed_e5 import calibrated_relevance
    from rag.extractive import candidates, select
    from rag.lead_phrase import lead
    from rag.prompts import COMPLETION, WORKED_EXAMPLE
    from rag.reader import READ_TOKENS, RESTATES_QUESTION, guided, naming, outscored, overruled, reading

    settings = Settings(generator="llamacpp")
    corpus = folder / "corpus.jsonl"
    app = Briefing(settings.model_copy(update={"data_dir": eval_library_dir(settings, corpus), "collection": "eval"}))
    app.ingest([corpus])  # a no-op once `briefing eval` has built the library
    answerer = app.answerer
    thresholds = list(restates or [RESTATES_QUESTION])

    def relevance(similarity: float) -> float:
        return calibrated_relevance(answerer.embedder, similarity)

    assert answerer.llm is not None
    plain = PromptTemplate.from_template(COMPLETION.template.removeprefix(WORKED_EXAMPLE))
    templates = {"example": COMPLETION, "plain": plain}
    models = {p: templates[p] | answerer.llm.bind(max_tokens=READ_TOKENS) | StrOutputParser() for p in prompts}
    limit = answerer.settings.max_answer_sentences
    records = (json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip())
    articles = {str(r.get("id")): f"{r.get('title') or ''} {r.get('text') or ''}" for r in records}
    tallies: dict[str, list[tuple[float, int]]] = {}
    answered: dict[str, dict[str, tuple[bool, str]]] = {}  # per question: setting -> (holds gold, answer)
    read_seconds: dict[str, list[float]] = {}  # per prompt and number read: the prompts differ in length
    reach: dict[str, int] = dict.fromkeys(
        ["in a gold article", "in a retrieved passage", *(f"in the first {d} candidates" for d in (1, 2, 5, 8))], 0
    )

    def tally(name: str, chosen: Sequence[Any], answers: Sequence[str], opening: str | None = None) -> None:
        text = " ".join([opening or "", *(c.text for c in chosen)]).strip()
        holds = answer_contains(text, answers)
        tallies.setdefault(name, []).append((holds, len(text.split())))
        answered.setdefault(qid, {})[name] = (bool(holds), text)

    for question in read_questions(find_split(folder, split)):
        if not question.answerable or not question.answers:
            continue
        qid = question.qid
        plan = answerer.plan(Request(question.question, asked_on=question.question_date or date.today()))
        hits = answerer.retriever.within_scope(answerer.search(plan), plan.scope)
        recency = plan.scope.recency if plan.scope is not None else None  # as the answer path ranks them
        ranked = candidates(plan.standalone, hits, answerer.embedder, recency=recency) if hits else []
        if not ranked:
            continue
        extractive = select(ranked, limit)
        tally("extractive", extractive, question.answers)
        # Where the gold answer sits: in its article at all, in a retrieved passage, how far down the candidates.
        reach["in a gold article"] += any(
            answer_contains(articles.get(g, ""), question.answers) for g in question.gold_ids
        )
        passages = [h.document.text[h.chunk.start : h.chunk.end] for h in hits]
        reach["in a retrieved passage"] += any(answer_contains(p, question.answers) for p in passages)
        first = next((i for i, c in enumerate(ranked, 1) if answer_contains(c.text, question.answers)), None)
        for depth in (1, 2, 5, 8):
            reach[f"in the first {depth} candidates"] += first is not None and first <= depth
        for (prompt, model), n in itertools.product(models.items(), reads):
            started = time.perf_counter()
            reply = model.invoke({"passages": reading(ranked, n), "question": plan.standalone})
            read_seconds.setdefault(f"{prompt}, reads {n}", []).append(time.perf_counter() - started)
            named = naming(reply, ranked, n, question=plan.standalone)
            for threshold in thresholds:
                set_aside = named is not None and (
                    overruled(ranked, named[0], relevance, threshold)
                    or outscored(ranked, named[0], question=plan.standalone, words=named[1])
                )
                found = None if set_aside else named
                opening = lead(found[1], ranked[found[0]].text, plan.standalone) if found is not None else None
                for words in budgets:
                    chosen = guided(ranked, found[0], limit, words) if found is not None else extractive
                    label = (
                        f"reads {n}, {words} words"
                        if prompt == "example"
                        else f"{prompt} prompt, reads {n}, {words} words"
                    )
                    if len(thresholds) > 1:
                        label += f", restates at {threshold}"
                    tally(label, chosen, question.answers, opening)
    app.close()
    out: dict[str, Any] = {
        name: {
            "questions": len(rows),
            "contains": sum(c for c, _ in rows),
            "words_mean": round(sum(w for _, w in rows) / len(rows), 1),
        }
        for name, rows in tallies.items()
    }
    out["gold answer"] = reach
    # The questions on which the settings disagree, with each setting's answer.
    out["disagreements"] = {
        q: {name: f"[{'holds' if holds else 'misses'}] {text}" for name, (holds, text) in by.items()}
        for q, by in answered.items()
        if len({holds for name, (holds, _) in by.items() if name != "extractive"}) > 1
    }
    out["read_seconds_median"] = {n: round(sorted(s)[len(s) // 2], 2) for n, s in read_seconds.items() if s}
    return out


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=[NEWS_DEV])
    parser.add_argument("--split", help="Question file in each folder (default as `briefing eval` picks).")
    parser.add_argument("--reads", default="3,5,8", help="Sentences the model reads, comma-separated.")
    parser.add_argument("--budgets", default="45,50", help="Word budgets for the pair, comma-separated.")
    parser.add_argument("--prompts", default="example", help="Prompts to replay: example (the one used), plain.")
    parser.add_argument(
        "--restates", help="Relevance thresholds at which the best sentence overrules the model (default the one used)."
    )
    args = parser.parse_args(argv)
    quiet_env()
    reads = [int(x) for x in args.reads.split(",")]
    budgets = [int(x) for x in args.budgets.split(",")]
    restates = [float(x) for x in args.restates.split(",")] if args.restates else None
    results = {
        f"{folder} {args.split or ''}".strip(): replay(
            folder, reads, budgets, args.split, args.prompts.split(","), restates
        )
        for folder in args.folders
    }
    for folder, rows in results.items():
        print(folder)
        for name, row in rows.items():
            if name == "disagreements":
                for qid, by in row.items():
                    print(f"  differs on {qid}:")
                    for setting, text in by.items():
                        print(f"    {setting}: {text[:140]}")
            else:
                print(f"  {name}: {row}")
    name = f"reader_replay-{args.folders[0].name}" + (f"-{Path(args.split).stem}" if args.split else "")
    settings = {"reads": reads, "budgets": budgets, "prompts": args.prompts.split(","), "restates": restates}
    save(name, {**settings, "sets": results}, COMMAND)
    return results


if __name__ == "__main__":
    main()
