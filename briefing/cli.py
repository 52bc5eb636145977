"""The `briefing` command line; every command is a thin layer over briefing.api.Briefing.

`briefing serve` is added by ui.py, the top of the app, which the `briefing` script starts from.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click

from core.errors import BriefingError
from core.settings import Settings, load_settings


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings


def _app(ctx: click.Context) -> Any:
    from briefing.api import Briefing

    if "app" not in ctx.obj:
        ctx.obj["app"] = Briefing(_settings(ctx))
    return ctx.obj["app"]


class _Group(click.Group):
    """Turns Briefing errors into one clear line and exit code 1 instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
@click.option("--data-dir", type=click.Path(path_type=Path), help="Library folder (env BRIEFING_DATA_DIR).")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://127.0.0.1:8000 (env BRIEFING_CHROMA_URL).")
@click.option("--collection", help="Chroma collection name (env BRIEFING_COLLECTION).")
@click.option(
    "--generator",
    type=click.Choice(["auto", "extractive", "llamacpp", "ollama", "openai"]),
    help="Answer generator (env BRIEFING_GENERATOR).",
)
@click.option("--llm-url", help="Ollama or OpenAI-compatible base URL (env BRIEFING_LLM_URL).")
@click.option("--llm-model", help="Model name or GGUF path (env BRIEFING_LLM_MODEL).")
@click.option("--embedder", help="Embedding model name or folder (env BRIEFING_EMBEDDER).")
@click.version_option(package_name="research-briefing")
@click.pass_context
def cli(ctx: click.Context, **options: Any) -> None:
    """Briefing: cited answers from your library of articles."""
    ctx.ensure_object(dict)
    ctx.obj["settings"] = load_settings(**{k: v for k, v in options.items()})


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def ingest(ctx: click.Context, targets: tuple[str, ...], quiet: bool) -> None:
    """Add files, folders, JSON/JSONL dumps or http(s) URLs to the library.

    Re-adding unchanged content does nothing; a changed file replaces its old version.
    Exit code 1 when any source failed (the others are still added).
    """
    from tqdm import tqdm

    from ingest.pipeline import expand

    app = _app(ctx)
    total = sum(1 for _ in expand(targets))
    bar = tqdm(total=total, unit="file", disable=quiet or None, file=sys.stderr, dynamic_ncols=True)
    counts = {"added": 0, "updated": 0, "unchanged": 0, "failed": 0}

    def progress(origin: str, outcome: str) -> None:
        counts[outcome] += 1
        is_record = ":" in Path(origin).name or "[" in Path(origin).name
        if not is_record:
            bar.update(1)
        bar.set_postfix(counts, refresh=False)

    started = time.perf_counter()
    report = app.ingest(list(targets), progress=progress)
    bar.close()
    elapsed = time.perf_counter() - started
    for failure in report.failed:
        click.echo(f"error: {failure.origin}: {failure.reason}", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    rate = report.chunks / elapsed if elapsed > 0 else 0.0
    click.echo(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.failed)} failed; {report.chunks} chunks in {elapsed:.1f}s ({rate:.1f} chunks/s; "
        f"load {report.seconds['load']:.1f}s, embed {report.seconds['embed']:.1f}s, "
        f"write {report.seconds['write']:.1f}s)"
    )
    if report.failed:
        ctx.exit(1)


@cli.command()
@click.option("--lang", "languages", multiple=True, help="Only documents in this language, e.g. zh or en (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def sources(ctx: click.Context, languages: tuple[str, ...], as_json: bool) -> None:
    """List the documents in the library: title, source, date, language and chunk count.

    A near-duplicate (the same story from another outlet, or a re-scrape) is marked
    "= copy of ID" and counted apart; answers cite one copy of it.
    """
    app = _app(ctx)
    documents = app.documents()
    if languages:
        documents = [d for d in documents if d.language in languages]
    copies = app.copies()
    if as_json:
        listing = [{**d.meta(), "copy_of": copies.get(d.doc_id)} for d in documents]
        click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    if not documents:
        click.echo("The library is empty. Add documents with: briefing ingest PATH")
        return
    from briefing.display import clip, pad

    click.echo(f"{'ID':16}  {'DATE':10}  {'SOURCE':28}  {'LANG':4}  {'CHUNKS':>6}  TITLE")
    for d in documents:
        title = clip(d.title, 70)
        if d.doc_id in copies:
            title = f"= copy of {copies[d.doc_id]}: {title}"
        published = d.published.isoformat() if d.published else "-"
        click.echo(
            f"{d.doc_id:16}  {published:10}  {pad(d.source or '-', 28)}  {d.language or '-':4}  "
            f"{d.chunk_count:>6}  {title}"
        )
    plural = "copy" if len(copies) == 1 else "copies"
    stories = f" ({len(documents) - len(copies)} distinct, {len(copies)} {plural})" if copies else ""
    click.echo(f"{len(documents)} documents{stories}, {sum(d.chunk_count for d in documents)} chunks")


@cli.command()
@click.argument("refs", nargs=-1, required=True)
@click.pass_context
def remove(ctx: click.Context, refs: tuple[str, ...]) -> None:
    """Remove documents (by id, external id, URL or path) and all their chunks."""
    from ingest.removed import KEEP_DAYS

    app = _app(ctx)
    for ref in refs:
        for document in app.remove(ref):
            click.echo(f"removed {document.doc_id}  {document.title} ({document.chunk_count} chunks)")
    click.echo(f"`briefing restore ID` brings a removed document back for {KEEP_DAYS} days", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def trash(ctx: click.Context, as_json: bool) -> None:
    """List recently removed documents that `briefing restore` can bring back."""
    removals = _app(ctx).removed()
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in removals], indent=2, ensure_ascii=False))
        return
    if not removals:
        click.echo("No removed documents to restore.")
        return
    click.echo(f"{'ID':16}  {'REMOVED (UTC)':16}  {'CHUNKS':>6}  TITLE")
    for r in removals:
        d = r.document
        click.echo(f"{d.doc_id:16}  {r.removed_at:%Y-%m-%d %H:%M}  {d.chunk_count:>6}  {d.title}")


@cli.command()
@click.argument("doc_ids", nargs=-1, required=True)
@click.pass_context
def restore(ctx: click.Context, doc_ids: tuple[str, ...]) -> None:
    """Bring removed documents back exactly as they were (ids from `briefing trash`)."""
    app = _app(ctx)
    for doc_id in doc_ids:
        document = app.restore(doc_id)
        click.echo(f"restored {document.doc_id}  {document.title} ({document.chunk_count} chunks)")


@cli.command()
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def reindex(ctx: click.Context, quiet: bool) -> None:
    """Embed every stored chunk again with the configured embedder (after changing model or backend)."""
    from tqdm import tqdm

    app = _app(ctx)
    bar = tqdm(unit="chunk", disable=quiet or None, file=sys.stderr, dynamic_ncols=True)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    started = time.perf_counter()
    done = app.reindex(progress)
    bar.close()
    click.echo(f"{done} chunks embedded with {app.embedder.identity} in {time.perf_counter() - started:.1f}s")


def _filters(
    sources: tuple[str, ...],
    docs: tuple[str, ...],
    since: str | None,
    until: str | None,
    languages: tuple[str, ...] = (),
) -> Any:
    from core.request import Filters

    return Filters(
        sources=tuple(sources),
        doc_ids=tuple(docs),
        since=_date(since),
        until=_date(until),
        languages=tuple(languages),
    )


def format_answer(answer: Any) -> str:
    """The answer text and its numbered source list, as a terminal shows it."""
    lines = [answer.text]
    if answer.standalone_question:
        lines.insert(0, f"(understood as: {answer.standalone_question})")
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            where = ", ".join(x for x in (c.source, c.published) if x)
            lines.append(f"[{c.n}] {c.title}" + (f" ({where})" if where else "") + (f" {c.url}" if c.url else ""))
            lines.append(f"    “{c.quote}”")
            if c.also_reported_by:
                lines.append(f"    also reported by: {', '.join(c.also_reported_by)}")
    if answer.flagged:
        lines.append("")
        lines.append("Dropped as unsupported by the sources: " + " | ".join(answer.flagged))
    return "\n".join(lines)


@cli.command()
@click.argument("question")
@click.option("--source", "sources_", multiple=True, help="Only this outlet (repeatable).")
@click.option("--doc", "docs", multiple=True, help="Only this document id (repeatable).")
@click.option("--lang", "languages", multiple=True, help="Only documents in this language, e.g. zh (repeatable).")
@click.option("--since", help="Only documents published on or after YYYY-MM-DD.")
@click.option("--until", help="Only documents published on or before YYYY-MM-DD.")
@click.option("--as-of", "as_of", help="Answer as of YYYY-MM-DD: only documents dated on or before it.")
@click.option(
    "--asked-on",
    "asked_on",
    help="Ask as if on YYYY-MM-DD (default today): 'this week' counts from it; later documents are left out.",
)
@click.option("--no-temporal", is_flag=True, help="Treat time words as plain words (no date window or recency).")
@click.option("--stream", is_flag=True, help="Show the draft as it is generated, then the verified answer.")
@click.option("--json", "as_json", is_flag=True, help="Print the full Answer as JSON.")
@click.pass_context
def ask(
    ctx: click.Context,
    question: str,
    sources_: tuple[str, ...],
    docs: tuple[str, ...],
    languages: tuple[str, ...],
    since: str | None,
    until: str | None,
    as_of: str | None,
    asked_on: str | None,
    no_temporal: bool,
    stream: bool,
    as_json: bool,
) -> None:
    """Answer QUESTION from the library, with numbered citations.

    Time words in the question ("this week", "in March 2025", "since 2023", "before the
    Geneva talks") limit the answer to documents of that window, counted from --asked-on.
    """
    from core.request import Request
    from rag.chain import Done, Token

    app = _app(ctx)
    request = Request(
        question,
        filters=_filters(sources_, docs, since, until, languages),
        as_of=_date(as_of),
        asked_on=_date(asked_on),
        temporal=not no_temporal,
    )
    answer = None
    note = ""
    for event in app.stream(request):
        if isinstance(event, Token) and stream and not as_json:
            click.echo(event.text, nl=False, err=True)
        elif isinstance(event, Done):
            answer = event.answer
            note = event.scope.note() if event.scope is not None else ""
    if stream and not as_json:
        click.echo("", err=True)
    if note and not as_json:
        click.echo(f"({note})", err=True)
    assert answer is not None
    if as_json:
        click.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        for note in answer.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(format_answer(answer))
        if answer.abstained and not app.counts(vectors=False)["documents"]:
            empty = f"The library in {app.settings.data_dir} is empty. Add documents with: briefing ingest PATH"
            click.echo(f"({empty})", err=True)


@cli.command()
@click.argument("topic")
@click.option("--since", help="Only events on or after YYYY-MM-DD.")
@click.option("--until", help="Only events on or before YYYY-MM-DD.")
@click.option("--asked-on", "asked_on", help="Read only documents published by YYYY-MM-DD (default today).")
@click.option("--limit", type=int, default=20, show_default=True, help="At most this many events.")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
@click.pass_context
def timeline(
    ctx: click.Context,
    topic: str,
    since: str | None,
    until: str | None,
    asked_on: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Dated events the library holds on TOPIC, oldest first, each with its source and quote.

    An event is dated by the date its sentence states, else by its document's date. Time words
    in TOPIC ("tariffs since April 2025") narrow the window like --since/--until.
    """
    from dataclasses import asdict

    from rag.timeline import format_timeline

    entries = _app(ctx).timeline(topic, _date(since), _date(until), limit=limit, asked_on=_date(asked_on))
    if as_json:
        data = [{**asdict(e), "day": e.day.isoformat(), "when": e.when, "line": e.line()} for e in entries]
        for note in entries.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(format_timeline(topic, entries, entries.notes))


@cli.command()
@click.argument("topic")
@click.option("--since", help="Only events and sources from YYYY-MM-DD on.")
@click.option("--until", help="Only events up to YYYY-MM-DD.")
@click.option("--as-of", "as_of", help="Read the library as it stood on YYYY-MM-DD (later documents left out).")
@click.option("--source", "sources_", multiple=True, help="Only this outlet (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "docx", "json"]), default="md", show_default=True, help="Output format."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (needed for docx)."
)
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.pass_context
def brief(
    ctx: click.Context,
    topic: str,
    since: str | None,
    until: str | None,
    as_of: str | None,
    sources_: tuple[str, ...],
    fmt: str,
    output: Path | None,
    quiet: bool,
) -> None:
    """A cited brief on TOPIC from the library: summary, key developments, key figures, what the
    sources say, gaps and sources. Every sentence is a verified quote of the passage it cites."""
    from briefing.brief_export import brief_docx, brief_json, brief_markdown
    from rag.brief import Brief

    if fmt == "docx" and output is None:
        raise click.UsageError("--format docx needs -o FILE.docx")
    app = _app(ctx)
    result: Brief | None = None
    options = {"since": _date(since), "until": _date(until), "as_of": _date(as_of), "sources": sources_}
    for event in app.brief_stream(topic, **options):
        if isinstance(event, Brief):
            result = event
        elif not quiet:
            click.echo(f"… {event.stage}", err=True)
    assert result is not None
    if fmt == "docx":
        assert output is not None
        output.write_bytes(brief_docx(result))
        click.echo(f"wrote {output}", err=True)
        return
    text = brief_json(result) if fmt == "json" else brief_markdown(result)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command(name="eval")
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--split", help="Question file in DATA_DIR (default queries.jsonl, then dev.jsonl).")
@click.option(
    "--retrieval", type=click.Choice(["hybrid", "dense", "sparse"]), help="Retrieval mode to score (default hybrid)."
)
@click.option("--limit", type=int, help="Only the first N questions.")
@click.option(
    "--no-temporal",
    is_flag=True,
    help="No time handling: ignore question_date and treat time words as plain words.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option(
    "--details",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write one JSON line per question (gold rank, top documents, answer, scores) to this file.",
)
@click.pass_context
def eval_(
    ctx: click.Context,
    data_dir: Path,
    split: str | None,
    retrieval: str | None,
    limit: int | None,
    no_temporal: bool,
    as_json: bool,
    details: Path | None,
) -> None:
    """Score retrieval, answers, abstention, citations and cost on an evaluation folder.

    DATA_DIR holds corpus.jsonl and a question file; the corpus is indexed once into a
    separate cached library under the data folder.
    """
    from tqdm import tqdm

    from briefing.evaluate import details_file, evaluate

    settings = _settings(ctx)
    if retrieval:
        settings = settings.updated(retrieval=retrieval)
    bar = tqdm(unit="q", file=sys.stderr, disable=as_json or None, dynamic_ncols=True)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(1)

    with details_file(details) as write:
        scores = evaluate(
            data_dir, settings, split=split, limit=limit, progress=progress, temporal=not no_temporal, details=write
        )
    bar.close()
    if details is not None:
        click.echo(f"wrote {scores.questions} question records to {details}", err=True)
    if as_json:
        click.echo(json.dumps(scores.to_dict(), indent=2))
    else:
        click.echo(scores.markdown())


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"'{value}' is not a date (use YYYY-MM-DD)") from exc


def _register() -> None:
    from briefing.cli_eval import eval_compare
    from briefing.cli_feeds import feeds

    cli.add_command(feeds)
    cli.add_command(eval_compare)


_register()


def main() -> None:
    """The commands without `serve` (`python -m briefing.cli`); the `briefing` script is ui.main."""
    cli(obj={})


if __name__ == "__main__":
    main()
