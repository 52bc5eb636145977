"""The browser app: cited answers with clickable sources, the library, and report exports.

`build_ui(app, settings)` builds the Gradio Blocks and `serve(settings)` checks the bind
address, seeds a first-time library and launches it. Everything that comes from a document
or a model is HTML-escaped before it reaches the page: an article's markup is shown, never run.
"""

from __future__ import annotations

import atexit
import contextlib
import html
import ipaddress
import json
import logging
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from briefing import export
from briefing.env import quiet_environment
from briefing.errors import BackendUnavailable, BriefingError
from briefing.models import Answer, Citation, Document
from briefing.settings import Settings
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.store import Filters
from rag.timeline import TimelineEntry, format_timeline

# Before gradio: the huggingface_hub it imports reads HF_HUB_OFFLINE once, at import time.
quiet_environment()

import gradio as gr  # noqa: E402

if TYPE_CHECKING:
    from briefing.api import Briefing
    from ingest.pipeline import IngestReport

log = logging.getLogger("briefing.ui")

SEED_META = "seeded_from"
_MARKER = re.compile(r"\[(\d+)\]")


def esc(text: object) -> str:
    """Text made inert for HTML content and (quoted) attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


# --- conversation state --------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """One question and what came back: a verified answer, or the error that stopped it."""

    question: str
    answer: Answer | None = None
    error: str | None = None
    scope: str = ""


@dataclass(frozen=True)
class Scope:
    """What a question is restricted to, parsed from the filter controls."""

    filters: Filters
    as_of: date | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.filters.sources:
            parts.append("only " + ", ".join(self.filters.sources))
        since, until = self.filters.since, self.filters.until
        if since and until:
            parts.append(f"published {since.isoformat()} to {until.isoformat()}")
        elif since:
            parts.append(f"published from {since.isoformat()}")
        elif until:
            parts.append(f"published until {until.isoformat()}")
        if self.as_of:
            parts.append(f"as of {self.as_of.isoformat()}")
        return " · ".join(parts)


def parse_day(value: Any, label: str) -> date | None:
    """A date from a date control (YYYY-MM-DD, a datetime string or a timestamp); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC).date()
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        from dateutil import parser

        return parser.parse(text).date()
    except (ValueError, OverflowError) as exc:
        raise BriefingError(f"{label}: '{text}' is not a date (use YYYY-MM-DD)") from exc


def parse_scope(outlets: Sequence[str] | None, since: Any, until: Any, as_of: Any) -> Scope:
    first = parse_day(since, "Published from")
    last = parse_day(until, "Published until")
    if first and last and first > last:
        raise BriefingError(f"Published from ({first}) is after published until ({last})")
    filters = Filters(sources=tuple(outlets or ()), since=first, until=last)
    return Scope(filters, parse_day(as_of, "As of"))


def history_of(turns: Sequence[Turn]) -> list[tuple[str, str]]:
    """(question, answer text) pairs of the answered turns, for follow-up questions."""
    return [(t.question, t.answer.text) for t in turns if t.answer is not None]


def answer_turn(app: Briefing, question: str, turns: Sequence[Turn], scope: Scope) -> Iterator[str | Turn]:
    """The draft so far after each streamed token, then the finished Turn (an answer or an error)."""
    from rag.chain import Done, Token

    draft = ""
    try:
        answer: Answer | None = None
        for event in app.stream(question, history_of(turns), scope.filters, scope.as_of):
            if isinstance(event, Done):
                answer = event.answer
            elif isinstance(event, Token):
                draft += event.text
                yield draft
        if answer is None:
            raise BriefingError("the answer stream ended without an answer")
        yield Turn(question, answer=answer, scope=scope.describe())
    except BackendUnavailable as exc:
        yield Turn(question, error=f"The generator is not available: {exc}", scope=scope.describe())
    except BriefingError as exc:
        yield Turn(question, error=str(exc), scope=scope.describe())
    except Exception as exc:  # a failed answer must not take the session down with it
        log.exception("answering %r failed", question)
        yield Turn(question, error=f"Unexpected error ({type(exc).__name__}): {exc}", scope=scope.describe())


# --- rendering (pure: turns and citations in, escaped HTML out) ------------------------------------


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link; anything else (javascript:, data:) is not linked."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None


def short_date(value: str | date | None) -> str:
    if not value:
        return ""
    day = value if isinstance(value, date) else export._parse_date(value)
    return f"{day.day} {day:%b} {day.year}" if day else str(value)


def highlight_span(citation: Citation) -> tuple[int, int] | None:
    """Where the quote sits inside the passage (document offsets made chunk-relative)."""
    start, end = citation.quote_start - citation.start, citation.quote_end - citation.start
    passage = citation.passage
    squash = export._squash
    if 0 <= start < end <= len(passage) and squash(passage[start:end]) == squash(citation.quote):
        return start, end
    found = passage.find(citation.quote)
    if found >= 0 and citation.quote:
        return found, found + len(citation.quote)
    return None


def passage_html(citation: Citation) -> str:
    """The cited passage, escaped, with the supporting sentence in <mark>."""
    span = highlight_span(citation)
    passage = citation.passage
    if span is None:
        return esc(passage)
    start, end = span
    return f"{esc(passage[:start])}<mark>{esc(passage[start:end])}</mark>{esc(passage[end:])}"


def answer_text_html(answer: Answer, turn: int) -> str:
    """Answer text with each [n] as a button that opens citation n in the sources panel."""
    cited = {c.n: c for c in answer.citations}
    out: list[str] = []
    pos = 0
    for match in _MARKER.finditer(answer.text):
        n = int(match.group(1))
        citation = cited.get(n)
        if citation is None:
            continue
        out.append(esc(answer.text[pos : match.start()]))
        tip = " · ".join(x for x in (citation.title, citation.source, short_date(citation.published)) if x)
        out.append(
            f'<button type="button" class="cite" data-turn="{turn}" data-n="{n}" '
            f'title="{esc(tip)}" aria-label="Source {n}: {esc(tip)}">[{n}]</button>'
        )
        pos = match.end()
    out.append(esc(answer.text[pos:]))
    return "".join(out)


def _turn_html(turn: Turn, index: int) -> str:
    question = f'<div class="bf-q"><div class="bf-bubble">{esc(turn.question)}</div></div>'
    scope = f'<div class="bf-scope">Filtered: {esc(turn.scope)}</div>' if turn.scope else ""
    if turn.error is not None:
        body = (
            '<div class="bf-a bf-error" role="alert"><div class="bf-label">Could not answer</div>'
            f'<p class="bf-text">{esc(turn.error)}</p>{scope}</div>'
        )
        return f'<article class="bf-turn" data-turn="{index}">{question}{body}</article>'
    answer = turn.answer
    assert answer is not None
    understood = (
        f'<div class="bf-understood">Understood as: “{esc(answer.standalone_question)}”</div>'
        if answer.standalone_question
        else ""
    )
    if answer.abstained:
        hint = " Try widening the filters." if turn.scope else ""
        body = (
            '<div class="bf-a bf-abstained"><div class="bf-label">Not in the library</div>'
            f'{understood}<p class="bf-text">{esc(answer.text)}{esc(hint)}</p>{scope}</div>'
        )
        return f'<article class="bf-turn" data-turn="{index}">{question}{body}</article>'
    docs = len({c.doc_id for c in answer.citations})
    flagged = (
        '<div class="bf-flagged">Left out as unsupported by the sources: '
        + " | ".join(f"“{esc(f)}”" for f in answer.flagged)
        + "</div>"
        if answer.flagged
        else ""
    )
    tools = (
        '<div class="bf-tools">'
        f'<span class="bf-meta">{len(answer.citations)} citation{"s" if len(answer.citations) != 1 else ""}'
        f" · {docs} document{'s' if docs != 1 else ''} · {esc(answer.generator)}</span>"
        '<button type="button" class="bf-copy">Copy for report</button>'
        f'<textarea class="bf-report-md" hidden readonly>{esc(export.answer_markdown(answer))}</textarea>'
        "</div>"
    )
    notes = "".join(f'<div class="bf-note" role="status">{esc(note)}</div>' for note in answer.notes)
    body = (
        f'<div class="bf-a bf-answered">{notes}{understood}<p class="bf-text">{answer_text_html(answer, index)}</p>'
        f"{flagged}{scope}{tools}</div>"
    )
    return f'<article class="bf-turn" data-turn="{index}">{question}{body}</article>'


def render_conversation(
    turns: Sequence[Turn], pending: str | None = None, draft: str = "", documents: int | None = None
) -> str:
    """The whole conversation; `pending` is a question being answered, `draft` its streamed text."""
    if not turns and pending is None:
        size = "" if documents is None else f"{documents} document{'s' if documents != 1 else ''} in the library. "
        return (
            '<div class="bf-empty"><div class="bf-empty-title">Ask the library</div>'
            f"<p>{esc(size)}Every sentence of an answer cites the passage it comes from; "
            "click a <span class='cite-demo'>[1]</span> marker to read it. When the library has no source, "
            "Briefing says so instead of guessing.</p>"
            "<p>Follow-up questions build on the conversation. Filters on the left narrow the sources.</p></div>"
        )
    parts = [_turn_html(t, i) for i, t in enumerate(turns)]
    if pending is not None:
        text = esc(draft) if draft else '<span class="bf-dots" aria-label="searching"><i></i><i></i><i></i></span>'
        parts.append(
            f'<article class="bf-turn bf-pending"><div class="bf-q"><div class="bf-bubble">{esc(pending)}</div></div>'
            '<div class="bf-a bf-draft"><div class="bf-label">Drafting · citations are checked when it finishes</div>'
            f'<p class="bf-text">{text}</p></div></article>'
        )
    return '<div class="bf-thread">' + "".join(parts) + "</div>"


def _group_by_document(citations: Sequence[Citation]) -> list[list[Citation]]:
    groups: dict[str, list[Citation]] = {}
    for citation in citations:
        groups.setdefault(citation.doc_id, []).append(citation)
    return list(groups.values())


def _citation_html(citation: Citation, turn: int) -> str:
    page = f" · page {citation.page}" if citation.page is not None else ""
    also = (
        f'<div class="bf-also">Also reported by: {esc(", ".join(citation.also_reported_by))}</div>'
        if citation.also_reported_by
        else ""
    )
    return (
        f'<details class="bf-cite" id="cite-{turn}-{citation.n}" data-n="{citation.n}">'
        f'<summary><span class="bf-n">[{citation.n}]</span> <span class="bf-quote">“{esc(citation.quote)}”</span>'
        "</summary>"
        f'<blockquote class="bf-passage">{passage_html(citation)}</blockquote>'
        f'<div class="bf-where">Characters {citation.quote_start:,}–{citation.quote_end:,} of the document{page}</div>'
        f"{also}</details>"
    )


def _document_html(citations: Sequence[Citation], turn: int) -> str:
    first = citations[0]
    meta = " · ".join(esc(x) for x in (first.source, short_date(first.published), first.author) if x)
    url = safe_url(first.url)
    link = (
        f'<a class="bf-link" href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">'
        f"{esc(urlparse(url).netloc)} ↗</a>"
        if url
        else ""
    )
    cites = "".join(_citation_html(c, turn) for c in citations)
    return (
        f'<section class="bf-doc" data-doc="{esc(first.doc_id)}"><div class="bf-doc-title">{esc(first.title)}</div>'
        f'<div class="bf-doc-meta">{meta}{" · " if meta and link else ""}{link}</div>{cites}</section>'
    )


def render_sources(turns: Sequence[Turn], active: int | None = None) -> str:
    """Cited documents per answer; only the active answer's group shows (a marker click switches)."""
    cited = [i for i, t in enumerate(turns) if t.answer is not None and t.answer.citations]
    if not cited:
        return (
            '<div class="bf-sources-empty"><div class="bf-panel-title">Sources</div>'
            "<p>The documents an answer cites appear here, with the exact passage and the supporting "
            "sentence highlighted.</p></div>"
        )
    if active is None or active not in cited:
        active = cited[-1]
    groups: list[str] = []
    for i in cited:
        answer = turns[i].answer
        assert answer is not None
        docs = "".join(_document_html(group, i) for group in _group_by_document(answer.citations))
        groups.append(
            f'<div class="bf-turn-sources{" active" if i == active else ""}" data-turn="{i}">'
            f'<div class="bf-panel-title">Sources <span class="bf-for">for “{esc(turns[i].question)}”</span></div>'
            f"{docs}</div>"
        )
    return "".join(groups)


def render_header(generator: str, generator_problem: str | None, embedder: str, documents: int, chunks: int) -> str:
    gen = (
        f'<span class="bf-chip bf-warn" title="{esc(generator_problem)}">Generator: {esc(generator)} · '
        f"{esc(generator_problem)}</span>"
        if generator_problem
        else f'<span class="bf-chip">Generator: <b>{esc(generator)}</b></span>'
    )
    return (
        '<header class="bf-header"><div class="bf-brand"><span class="bf-logo">B</span>'
        '<span class="bf-name">Briefing</span><span class="bf-tag">cited answers from your library</span></div>'
        f'<div class="bf-chips">{gen}<span class="bf-chip">Embedder: <b>{esc(embedder)}</b></span>'
        f'<span class="bf-chip" id="bf-size">{documents:,} documents · {chunks:,} passages</span></div></header>'
    )


def generator_status(app: Briefing) -> tuple[str, str | None]:
    """The active generator's name, and why it cannot run (with the install hint) if it cannot."""
    from rag.llms import LOCAL_HINT, llamacpp_available

    try:
        name = app.answerer.generator_name
    except BriefingError as exc:
        return app.settings.generator, str(exc)
    if name == "llamacpp":
        if not llamacpp_available():
            return name, f"not installed ({LOCAL_HINT})"
        model = Path(app.settings.llm_model).name if app.settings.llm_model else "Gemma 3 270M"
        state, problem = app.local_model_state()
        if problem:
            return f"llamacpp · {model}", f"local model unavailable: {problem}; answering from the sources"
        return f"llamacpp · {model} · {state}", None
    if name in ("ollama", "openai") and app.settings.llm_model:
        return f"{name} · {app.settings.llm_model}", None
    return name, None


# --- library tab -------------------------------------------------------------------------------------

DOC_HEADERS = ["Title", "Outlet", "Published", "Language", "Passages", "Added", "ID"]
RESULT_HEADERS = ["File", "Result", "Details"]


def document_rows(documents: Sequence[Document]) -> list[list[Any]]:
    return [
        [
            d.title,
            d.source or "",
            d.published.isoformat() if d.published else "",
            d.language or "",
            d.chunk_count,
            d.ingested_at[:10],
            d.doc_id,
        ]
        for d in documents
    ]


def document_choices(documents: Sequence[Document]) -> list[tuple[str, str]]:
    def label(d: Document) -> str:
        extra = ", ".join(x for x in (d.source, d.published.isoformat() if d.published else None) if x)
        return f"{d.title} ({extra})" if extra else d.title

    return [(label(d), d.doc_id) for d in documents]


def document_preview(document: Document, limit: int = 4000) -> str:
    lines = [document.title]
    meta = " · ".join(x for x in (document.source, document.published.isoformat() if document.published else None) if x)
    if meta:
        lines.append(meta)
    for label, value in (("Author", document.author), ("URL", document.url), ("From", document.path)):
        if value:
            lines.append(f"{label}: {value}")
    lines.append(f"{document.chunk_count} passages · id {document.doc_id}")
    text = document.text if len(document.text) <= limit else document.text[:limit].rstrip() + " …"
    return "\n".join(lines) + "\n\n" + text


def report_rows(report: IngestReport, name: str | None = None) -> list[list[str]]:
    """One row per source of an ingest: what happened, and why for a failure."""
    rows: list[list[str]] = []
    notes: dict[str, list[str]] = {}
    for note in report.notes:
        origin, _, text = note.partition(": ")
        notes.setdefault(origin, []).append(text)

    def detail(origin: str, default: str) -> str:
        return "; ".join(notes.get(origin, [])) or default

    for outcome, origins, default in (
        ("added", report.added, "indexed"),
        ("updated", report.updated, "replaced the earlier version"),
        ("unchanged", report.unchanged, "already in the library"),
    ):
        rows += [[name or origin, outcome, detail(origin, default)] for origin in origins]
    rows += [[name or f.origin, "failed", f.reason] for f in report.failed]
    return rows


def check_upload(path: Path, max_mb: int) -> str | None:
    """Why an uploaded file is refused before reading it, or None."""
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        return f"file is {size / 1024 / 1024:.1f} MB; the upload limit is {max_mb} MB (BRIEFING_UPLOAD_MAX_MB)"
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return f"unsupported file type '{path.suffix or '(none)'}' (supported: {kinds})"
    return None


def seed_library(app: Briefing, folder: Path) -> IngestReport | None:
    """Ingest `folder` on the library's first start only; removed sample documents stay removed."""
    if app.library.meta(SEED_META) is not None:
        return None
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    if app.library.counts()["documents"]:
        # Someone already built this library: don't mix the samples into it.
        app.library.set_meta(SEED_META, json.dumps({"path": None, "at": stamp, "skipped": "library not empty"}))
        return None
    report = app.ingest([folder])
    app.library.set_meta(SEED_META, json.dumps({"path": str(folder), "at": stamp, "added": len(report.added)}))
    return report


# --- exports ----------------------------------------------------------------------------------------


def write_exports(turns: Sequence[Turn], folder: Path, when: datetime | None = None) -> dict[str, Path]:
    """Conversation files for download: md and docx when anything was answered, bib and json when cited."""
    answers = [t.answer for t in turns if t.answer is not None]
    if not answers:
        return {}
    when = when or datetime.now()
    _prune(folder, keep_seconds=24 * 3600)
    target = folder / uuid.uuid4().hex[:12]
    target.mkdir(parents=True)
    stem = f"briefing-{when:%Y%m%d-%H%M}"
    files = {"md": target / f"{stem}.md", "docx": target / f"{stem}.docx"}
    files["md"].write_text(export.conversation_markdown(answers, when=when), encoding="utf-8")
    files["docx"].write_bytes(export.conversation_docx(answers, when=when))
    refs = export.references(answers)
    if refs:
        files["bib"] = target / f"{stem}-sources.bib"
        files["bib"].write_text(export.bibtex(refs), encoding="utf-8")
        files["json"] = target / f"{stem}-sources.json"
        files["json"].write_text(export.csl_json(refs), encoding="utf-8")
    return files


def _prune(folder: Path, keep_seconds: float) -> None:
    """Forget old exports: Gradio serves its own copy, and a long-running server would pile them up."""
    if not folder.is_dir():
        return
    cutoff = time.time() - keep_seconds
    for old in folder.iterdir():
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)


# --- the app ----------------------------------------------------------------------------------------

# Runs once per conversation element: [n] markers open their passage in the sources panel, and
# "Copy for report" puts that answer's Markdown on the clipboard.
CONVERSATION_JS = """
if (element.dataset.bfWired) return;
element.dataset.bfWired = "1";
element.addEventListener("click", async (event) => {
  const marker = event.target.closest("button.cite");
  if (marker) {
    event.preventDefault();
    const turn = marker.dataset.turn, n = marker.dataset.n;
    const panel = document.getElementById("sources-panel");
    if (!panel) return;
    panel.querySelectorAll(".bf-turn-sources").forEach((g) => g.classList.toggle("active", g.dataset.turn === turn));
    const id = `cite-${turn}-${n}`;
    panel.querySelectorAll("details.bf-cite").forEach((d) => { d.open = d.id === id; });
    element.querySelectorAll("button.cite.selected").forEach((b) => b.classList.remove("selected"));
    marker.classList.add("selected");
    const target = document.getElementById(id);
    if (target) {
      target.scrollIntoView({block: "nearest", behavior: "smooth"});
      target.classList.remove("bf-flash"); void target.offsetWidth; target.classList.add("bf-flash");
    }
    return;
  }
  const copy = event.target.closest("button.bf-copy");
  if (copy) {
    const area = copy.parentElement.querySelector("textarea.bf-report-md");
    try {
      await navigator.clipboard.writeText(area.value);
      copy.textContent = "Copied ✓";
    } catch (err) {
      area.hidden = false; area.focus(); area.select();
      copy.textContent = "Press Ctrl+C to copy";
    }
    setTimeout(() => { copy.textContent = "Copy for report"; }, 2500);
  }
});
"""

CSS = """
.gradio-container { width: 100% !important; max-width: 1560px !important; margin: 0 auto !important; }
#bf-documents table, #bf-results table { font-family: var(--font); font-size: 13.5px; }
#bf-remove-row { align-items: flex-end; }
.bf-header { display:flex; align-items:center; justify-content:space-between; flex-wrap:wrap; gap:10px;
  padding: 4px 2px 10px; border-bottom: 1px solid var(--border-color-primary); }
.bf-brand { display:flex; align-items:center; gap:10px; }
.bf-logo { display:inline-grid; place-items:center; width:30px; height:30px; border-radius:8px;
  background: var(--color-accent); color:#fff; font-weight:700; font-size:17px; }
.bf-name { font-size: 21px; font-weight: 700; letter-spacing: -0.01em; color: var(--body-text-color); }
.bf-tag { color: var(--body-text-color-subdued); font-size: 14px; }
.bf-chips { display:flex; gap:6px; flex-wrap:wrap; }
.bf-chip { font-size: 12.5px; padding: 3px 10px; border-radius: 999px; color: var(--body-text-color-subdued);
  background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary); }
.bf-chip b { color: var(--body-text-color); font-weight: 600; }
.bf-chip.bf-warn { color:#8a4b00; background:#fff4e0; border-color:#f3c77a; max-width: 640px; }
.bf-section-title { font-weight: 600; font-size: 13px; text-transform: uppercase; letter-spacing: .05em;
  color: var(--body-text-color-subdued); margin: 2px 0 2px; }
#bf-conversation { border: 1px solid var(--border-color-primary); border-radius: 12px;
  background: var(--background-fill-primary); padding: 6px 16px; }
.bf-thread { display:flex; flex-direction:column; gap: 18px; padding: 10px 0 14px; }
.bf-turn { display:flex; flex-direction:column; gap:8px; }
.bf-q { display:flex; justify-content:flex-end; }
.bf-bubble { max-width: 85%; background: var(--color-accent-soft); color: var(--body-text-color);
  padding: 8px 13px; border-radius: 14px 14px 4px 14px; font-size: 15px; white-space: pre-wrap; }
.bf-a { border-left: 3px solid var(--color-accent); padding: 4px 0 4px 14px; }
.bf-text { font-size: 15.5px; line-height: 1.62; margin: 2px 0; color: var(--body-text-color); white-space: pre-wrap; }
.bf-label { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; margin-bottom: 2px; }
.bf-abstained { border-left-color: #d08a14; background: rgba(245, 166, 35, .08); border-radius: 0 8px 8px 0;
  padding-right: 10px; }
.bf-abstained .bf-label { color: #b06d00; }
.bf-error { border-left-color: #d33; background: rgba(220, 50, 50, .07); border-radius: 0 8px 8px 0;
  padding-right: 10px; }
.bf-error .bf-label { color: #c22; }
#bf-documents .cell-wrap, #bf-results .cell-wrap { font-family: var(--font) !important; }
#bf-filters .label-content { flex-direction: column; align-items: flex-start; gap: 2px; }
.bf-draft { border-left-style: dashed; opacity: .8; }
.bf-draft .bf-label { color: var(--body-text-color-subdued); font-weight: 500; text-transform:none; letter-spacing:0; }
.bf-note { font-size: 12.5px; margin: 2px 0 6px; padding: 4px 8px; border-radius: 6px;
  background: var(--color-accent-soft); color: var(--body-text-color); }
.bf-understood, .bf-scope, .bf-flagged { font-size: 12.5px; color: var(--body-text-color-subdued); margin: 2px 0; }
.bf-flagged { font-style: italic; }
button.cite { all: unset; cursor: pointer; font-size: 12px; font-weight: 600; line-height: 1; padding: 2px 4px;
  margin: 0 1px; border-radius: 5px; color: var(--color-accent); background: var(--color-accent-soft);
  vertical-align: 2px; }
button.cite:hover, button.cite.selected { background: var(--color-accent); color: #fff; }
button.cite:focus-visible { outline: 2px solid var(--color-accent); outline-offset: 1px; }
.cite-demo { font-size: 12px; font-weight: 600; padding: 1px 4px; border-radius: 5px; color: var(--color-accent);
  background: var(--color-accent-soft); }
.bf-tools { display:flex; align-items:center; gap:10px; margin-top: 6px; flex-wrap: wrap; }
.bf-meta { font-size: 12.5px; color: var(--body-text-color-subdued); }
button.bf-copy { all: unset; cursor:pointer; font-size: 12.5px; padding: 3px 10px; border-radius: 6px;
  border: 1px solid var(--border-color-primary); color: var(--body-text-color);
  background: var(--background-fill-secondary); }
button.bf-copy:hover { border-color: var(--color-accent); }
textarea.bf-report-md { width: 100%; min-height: 140px; font-family: var(--font-mono); font-size: 12px; }
.bf-empty { padding: 36px 18px; color: var(--body-text-color-subdued); font-size: 15px; line-height: 1.6;
  max-width: 640px; }
.bf-empty-title { font-size: 20px; font-weight: 650; color: var(--body-text-color); margin-bottom: 6px; }
.bf-dots i { display:inline-block; width:6px; height:6px; margin-right:4px; border-radius:50%;
  background: var(--body-text-color-subdued); animation: bf-blink 1.2s infinite both; }
.bf-dots i:nth-child(2) { animation-delay: .2s; } .bf-dots i:nth-child(3) { animation-delay: .4s; }
@keyframes bf-blink { 0%, 80%, 100% { opacity: .2; } 40% { opacity: 1; } }
#sources-panel { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: 10px 14px;
  background: var(--background-fill-primary); }
.bf-panel-title { font-weight: 650; font-size: 15px; margin: 2px 0 8px; color: var(--body-text-color); }
.bf-for { font-weight: 400; color: var(--body-text-color-subdued); font-size: 13px; }
.bf-sources-empty p { color: var(--body-text-color-subdued); font-size: 14px; line-height: 1.55; }
.bf-turn-sources { display: none; } .bf-turn-sources.active { display: block; }
.bf-doc { padding: 10px 0; border-top: 1px solid var(--border-color-primary); }
.bf-doc-title { font-weight: 600; font-size: 14.5px; color: var(--body-text-color); }
.bf-doc-meta { font-size: 12.5px; color: var(--body-text-color-subdued); margin: 2px 0 6px; }
.bf-link { color: var(--color-accent); text-decoration: none; }
.bf-link:hover { text-decoration: underline; }
details.bf-cite { border-radius: 8px; margin: 4px 0; transition: background-color .4s; }
details.bf-cite > summary { cursor: pointer; font-size: 13.5px; line-height: 1.5; color: var(--body-text-color);
  list-style: none; padding: 4px 6px; border-radius: 8px; }
details.bf-cite > summary::-webkit-details-marker { display:none; }
details.bf-cite > summary:hover { background: var(--background-fill-secondary); }
details.bf-cite[open] { background: var(--background-fill-secondary); }
.bf-n { font-weight: 700; color: var(--color-accent); font-size: 12.5px; }
.bf-quote { color: var(--body-text-color-subdued); }
details.bf-cite[open] .bf-quote { display: none; }
details.bf-cite[open] > summary::after { content: "Passage"; font-size: 12px; color: var(--body-text-color-subdued); }
blockquote.bf-passage { margin: 2px 8px 6px; padding: 8px 12px; border-left: 3px solid var(--border-color-accent);
  font-size: 14px; line-height: 1.6; white-space: pre-wrap; color: var(--body-text-color);
  max-height: 340px; overflow-y: auto; }
blockquote.bf-passage mark { background: #ffe27a; color: #1f1a00; padding: 1px 0; border-radius: 2px; }
.bf-where, .bf-also { font-size: 12px; color: var(--body-text-color-subdued); margin: 0 8px 8px; }
.bf-flash { animation: bf-flash 1.2s ease-out; }
@keyframes bf-flash { 0% { box-shadow: 0 0 0 3px var(--color-accent); } 100% { box-shadow: 0 0 0 0 transparent; } }
#bf-downloads button { font-size: 13px; }
.bf-help { font-size: 13px; color: var(--body-text-color-subdued); }
.bf-timeline { list-style: none; padding: 0; margin: 8px 0; }
.bf-tl-entry { display: flex; gap: 14px; padding: 8px 0; border-bottom: 1px solid var(--border-color-primary); }
.bf-tl-when { flex: 0 0 110px; font-weight: 600; font-variant-numeric: tabular-nums; }
.bf-tl-text { line-height: 1.45; }
.bf-tl-source { font-size: 13px; color: var(--body-text-color-subdued); margin-top: 2px; }
"""


def render_timeline(topic: str, entries: Sequence[TimelineEntry]) -> str:
    """Dated events, oldest first; every line quotes its document and links the source."""
    if not topic:
        return '<div class="bf-help">Name a topic, e.g. “export controls on chips” or “tariffs on China”.</div>'
    if not entries:
        return f'<div class="bf-abstain">The library holds no dated events on “{esc(topic)}”.</div>'
    rows = []
    for entry in entries:
        c = entry.citation
        link = safe_url(c.url)
        title = f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer">{esc(c.title)}</a>' if link else esc(
            c.title
        )
        meta = " · ".join(esc(x) for x in (c.source, short_date(c.published)) if x)
        also = f" · also reported by {esc(', '.join(c.also_reported_by))}" if c.also_reported_by else ""
        dated = "date stated in the text" if entry.dated_by == "stated" else "dated by publication"
        rows.append(
            '<li class="bf-tl-entry">'
            f'<div class="bf-tl-when" title="{esc(dated)}">{esc(entry.when)}</div>'
            '<div class="bf-tl-body">'
            f'<div class="bf-tl-text">“{esc(entry.text)}” <span class="cite">[{c.n}]</span></div>'
            f'<div class="bf-tl-source">[{c.n}] {title}{" · " + meta if meta else ""}{also}</div></div>'
            "</li>"
        )
    return (
        f'<div class="bf-section-title">Timeline: {esc(topic)} · {len(entries)} events, oldest first</div>'
        f'<ol class="bf-timeline">{"".join(rows)}</ol>'
    )


def theme() -> Any:
    # Local fonts only: a theme with Google fonts would make every page load reach the internet.
    return gr.themes.Soft(
        primary_hue="indigo",
        neutral_hue="slate",
        font=["Inter", "Liberation Sans", "DejaVu Sans", "system-ui", "sans-serif"],
        font_mono=["DejaVu Sans Mono", "Liberation Mono", "monospace"],
    )


def build_ui(app: Briefing, settings: Settings | None = None) -> gr.Blocks:
    """The Gradio app over one library; launching is separate (see `serve`)."""
    settings = settings or app.settings
    max_mb = settings.upload_max_mb
    exports = Path(tempfile.mkdtemp(prefix="briefing-exports-"))
    atexit.register(shutil.rmtree, exports, ignore_errors=True)

    def header_html() -> str:
        name, problem = generator_status(app)
        counts = app.library.counts()
        return render_header(name, problem, settings.embedder, counts["documents"], counts["chunks"])

    def outlet_choices() -> list[tuple[str, str]]:
        return [(f"{name} ({count})", name) for name, count in app.library.sources()]

    def library_state(keep_outlets: Sequence[str] | None = None, chosen: str | None = None) -> tuple[Any, ...]:
        """Everything that shows the library's contents, freshly read."""
        documents = app.documents()
        choices = outlet_choices()
        names = {value for _, value in choices}
        ids = {d.doc_id for d in documents}
        return (
            header_html(),
            gr.Dropdown(choices=choices, value=[o for o in keep_outlets or [] if o in names]),
            gr.Dataframe(value=document_rows(documents)),
            gr.Dropdown(choices=document_choices(documents), value=chosen if chosen in ids else None),
        )

    def download_updates(files: dict[str, Path]) -> tuple[Any, ...]:
        return tuple(
            gr.DownloadButton(value=str(files[kind]) if kind in files else None, interactive=kind in files)
            for kind in ("md", "docx", "bib", "json")
        )

    with gr.Blocks(title="Briefing", fill_width=True, delete_cache=(3600, 24 * 3600)) as demo:
        turns_state = gr.State([])
        header = gr.HTML(header_html(), elem_id="bf-header-block", apply_default_css=False, js_on_load=None)
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"), gr.Row(equal_height=False):
                with gr.Column(scale=1, min_width=250, elem_id="bf-filters"):
                    gr.HTML('<div class="bf-section-title">Filters</div>', apply_default_css=False, js_on_load=None)
                    outlets = gr.Dropdown(
                        choices=outlet_choices(),
                        value=[],
                        multiselect=True,
                        label="Outlets",
                        info="Empty: every outlet",
                        elem_id="bf-outlets",
                    )
                    since = gr.DateTime(label="Published from", include_time=False, type="string", elem_id="bf-since")
                    until = gr.DateTime(label="Published until", include_time=False, type="string", elem_id="bf-until")
                    as_of = gr.DateTime(
                        label="As of",
                        info="Answer as it stood then: later documents are ignored",
                        include_time=False,
                        type="string",
                        elem_id="bf-as-of",
                    )
                    clear_filters = gr.Button("Clear filters", size="sm", variant="secondary")
                with gr.Column(scale=3, min_width=440):
                    conversation = gr.HTML(
                        render_conversation([], documents=app.library.counts()["documents"]),
                        elem_id="bf-conversation",
                        js_on_load=CONVERSATION_JS,
                        apply_default_css=False,
                        autoscroll=True,
                        min_height=430,
                        max_height=660,
                    )
                    question = gr.Textbox(
                        placeholder="Ask a question about your library…",
                        show_label=False,
                        submit_btn="Ask",
                        autofocus=True,
                        max_length=2000,
                        elem_id="bf-question",
                    )
                    with gr.Row():
                        new_chat = gr.Button("New conversation", size="sm", variant="secondary", scale=0)
                        gr.HTML(
                            '<div class="bf-help">Follow-ups use the conversation, e.g. “When was it founded?”</div>',
                            apply_default_css=False,
                            js_on_load=None,
                        )
                with gr.Column(scale=2, min_width=340):
                    sources = gr.HTML(
                        render_sources([]),
                        elem_id="sources-panel",
                        apply_default_css=False,
                        js_on_load=None,
                        max_height=560,
                    )
                    gr.HTML(
                        '<div class="bf-section-title">Export conversation</div>',
                        apply_default_css=False,
                        js_on_load=None,
                    )
                    with gr.Row(elem_id="bf-downloads"):
                        dl_md = gr.DownloadButton("Markdown", interactive=False, size="sm", elem_id="bf-dl-md")
                        dl_docx = gr.DownloadButton("Word", interactive=False, size="sm", elem_id="bf-dl-docx")
                        dl_bib = gr.DownloadButton("BibTeX", interactive=False, size="sm", elem_id="bf-dl-bib")
                        dl_csl = gr.DownloadButton("CSL-JSON", interactive=False, size="sm", elem_id="bf-dl-csl")
            with gr.Tab("Library", id="library") as library_tab, gr.Row(equal_height=False):
                with gr.Column(scale=2, min_width=320):
                    upload = gr.File(
                        label=f"Add files (several at once; up to {max_mb} MB each)",
                        file_count="multiple",
                        file_types=sorted(SUPPORTED_SUFFIXES),
                        elem_id="bf-upload",
                        height=150,
                    )
                    url_box = gr.Textbox(
                        label="Add from the web",
                        placeholder="https://…  (several URLs: separate with spaces)",
                        submit_btn="Add",
                        elem_id="bf-url",
                    )
                    results = gr.Dataframe(
                        headers=RESULT_HEADERS,
                        value=[],
                        label="Last import",
                        interactive=False,
                        wrap=True,
                        elem_id="bf-results",
                        column_widths=["40%", "16%", "44%"],
                    )
                with gr.Column(scale=3, min_width=440):
                    docs_table = gr.Dataframe(
                        headers=DOC_HEADERS,
                        value=document_rows(app.documents()),
                        datatype=["str", "str", "str", "number", "str", "str"],
                        label="Documents · click a row to select it",
                        interactive=False,
                        wrap=True,
                        max_height=430,
                        show_search="search",
                        elem_id="bf-documents",
                        column_widths=["42%", "20%", "11%", "9%", "9%", "9%"],
                    )
                    with gr.Row(equal_height=False, elem_id="bf-remove-row"):
                        chosen = gr.Dropdown(
                            choices=document_choices(app.documents()),
                            value=None,
                            label="Selected document",
                            filterable=True,
                            scale=5,
                            elem_id="bf-chosen",
                        )
                        remove_btn = gr.Button(
                            "Remove from library",
                            variant="stop",
                            size="md",
                            scale=1,
                            min_width=170,
                            elem_id="bf-remove",
                        )
                    preview = gr.Textbox(
                        label="Preview", lines=8, max_lines=14, interactive=False, elem_id="bf-preview"
                    )

            with gr.Tab("Timeline", id="timeline"), gr.Row(equal_height=False):
                with gr.Column(scale=1, min_width=250):
                    tl_topic = gr.Textbox(
                        label="Topic",
                        placeholder="e.g. export controls on advanced chips",
                        submit_btn="Build timeline",
                        elem_id="bf-tl-topic",
                    )
                    tl_since = gr.DateTime(label="From", include_time=False, type="string", elem_id="bf-tl-since")
                    tl_until = gr.DateTime(label="Until", include_time=False, type="string", elem_id="bf-tl-until")
                    tl_text = gr.Textbox(
                        label="Copy for report",
                        lines=8,
                        max_lines=20,
                        interactive=False,
                        buttons=["copy"],
                        elem_id="bf-tl-copy",
                    )
                with gr.Column(scale=3, min_width=440):
                    tl_view = gr.HTML(
                        render_timeline("", []), elem_id="bf-timeline", apply_default_css=False, js_on_load=None
                    )

        library_outputs = [header, outlets, docs_table, chosen]

        def on_timeline(topic: str, first: Any, last: Any) -> tuple[str, str]:
            topic = (topic or "").strip()
            if not topic:
                return render_timeline("", []), ""
            try:
                since_day = parse_day(first, "From")
                until_day = parse_day(last, "Until")
                entries = app.timeline(topic, since=since_day, until=until_day)
            except BriefingError as exc:
                gr.Warning(str(exc))
                return f'<div class="bf-abstain">{esc(exc)}</div>', ""
            return render_timeline(topic, entries), format_timeline(topic, entries)

        tl_topic.submit(on_timeline, [tl_topic, tl_since, tl_until], [tl_view, tl_text], api_visibility="private")

        # -- asking --------------------------------------------------------------------------------

        def ask(
            text: str, turns: list[Turn], picked: list[str], first: Any, last: Any, asof: Any
        ) -> Iterator[tuple[Any, ...]]:
            text = (text or "").strip()
            if not text:
                yield (gr.skip(),) * 9
                return
            skip6 = (gr.skip(),) * 6
            try:
                scope = parse_scope(picked, first, last, asof)
            except BriefingError as exc:
                gr.Warning(str(exc))
                yield (gr.skip(), text, *skip6, gr.skip())
                return
            yield (render_conversation(turns, pending=text), "", *skip6, gr.skip())
            turn: Turn | None = None
            for step in answer_turn(app, text, turns, scope):
                if isinstance(step, Turn):
                    turn = step
                else:
                    yield (render_conversation(turns, pending=text, draft=step), gr.skip(), *skip6, gr.skip())
            assert turn is not None
            turns = [*turns, turn]
            files = write_exports(turns, exports)
            yield (
                render_conversation(turns),
                gr.skip(),
                render_sources(turns),
                turns,
                *download_updates(files),
                # A generator that failed says so (with its install hint) in the header too.
                header_html() if turn.error else gr.skip(),
            )

        ask_outputs = [conversation, question, sources, turns_state, dl_md, dl_docx, dl_bib, dl_csl, header]
        question.submit(
            ask,
            [question, turns_state, outlets, since, until, as_of],
            ask_outputs,
            show_progress="hidden",
            api_visibility="private",
        )

        def new_conversation() -> tuple[Any, ...]:
            return (
                render_conversation([], documents=app.library.counts()["documents"]),
                render_sources([]),
                [],
                *download_updates({}),
            )

        new_chat.click(
            new_conversation,
            None,
            [conversation, sources, turns_state, dl_md, dl_docx, dl_bib, dl_csl],
            api_visibility="private",
        )
        clear_filters.click(
            lambda: ([], None, None, None), None, [outlets, since, until, as_of], api_visibility="private"
        )

        # -- library -------------------------------------------------------------------------------

        def on_upload(
            files: list[str] | None,
            picked: list[str],
            progress: gr.Progress = gr.Progress(),  # noqa: B008
        ) -> tuple[Any, ...]:
            rows: list[list[str]] = []
            paths = [Path(f) for f in files or []]
            for i, path in enumerate(paths):
                name = path.name
                progress((i, len(paths)), desc=f"Indexing {name}", unit="files")
                problem = check_upload(path, max_mb)
                if problem:
                    rows.append([name, "failed", problem])
                    continue
                try:
                    rows += report_rows(app.add_upload(path, name), name)
                except BriefingError as exc:
                    rows.append([name, "failed", str(exc)])
                except Exception as exc:  # one bad file must not stop the others
                    log.exception("upload of %s failed", name)
                    rows.append([name, "failed", f"{type(exc).__name__}: {exc}"])
            _notify(rows)
            return (rows, None, *library_state(picked))

        upload.upload(
            on_upload,
            [upload, outlets],
            [results, upload, *library_outputs],
            api_visibility="private",
            concurrency_id="ingest",
            concurrency_limit=1,
        )

        def on_urls(
            text: str,
            picked: list[str],
            progress: gr.Progress = gr.Progress(),  # noqa: B008
        ) -> tuple[Any, ...]:
            urls = [u for u in re.split(r"[\s,]+", text or "") if u]
            if not urls:
                return (gr.skip(), gr.skip(), *library_state(picked))
            progress(0, desc=f"Fetching {len(urls)} URL{'s' if len(urls) > 1 else ''}")
            rows: list[list[str]] = []
            for url in urls:
                if not url.startswith(("http://", "https://")):
                    rows.append([url, "failed", "not an http(s) URL"])
                    continue
                try:
                    rows += report_rows(app.ingest([url]))
                except BriefingError as exc:
                    rows.append([url, "failed", str(exc)])
            _notify(rows)
            return (rows, "", *library_state(picked))

        url_box.submit(
            on_urls,
            [url_box, outlets],
            [results, url_box, *library_outputs],
            api_visibility="private",
            concurrency_id="ingest",
            concurrency_limit=1,
        )

        def on_select(evt: gr.SelectData) -> Any:
            row = evt.row_value or []
            return row[-1] if row else gr.skip()

        docs_table.select(on_select, None, chosen, api_visibility="private")

        def on_choose(doc_id: str | None) -> str:
            if not doc_id:
                return ""
            try:
                return document_preview(app.document(doc_id))
            except BriefingError as exc:
                return str(exc)

        chosen.change(on_choose, chosen, preview, api_visibility="private")

        def on_remove(doc_id: str | None, picked: list[str]) -> tuple[Any, ...]:
            if not doc_id:
                gr.Warning("Select a document first: click its row in the table or pick it from the list.")
                return (gr.skip(), *library_state(picked, doc_id))
            try:
                removed = app.remove(doc_id)
            except BriefingError as exc:
                gr.Warning(str(exc))
                return (gr.skip(), *library_state(picked))
            for document in removed:
                gr.Info(f"Removed “{document.title}” ({document.chunk_count} passages).")
            return ("", *library_state(picked))

        remove_btn.click(
            on_remove,
            [chosen, outlets],
            [preview, *library_outputs],
            api_visibility="private",
            concurrency_id="ingest",
            concurrency_limit=1,
        )

        def refresh(picked: list[str], doc_id: str | None) -> tuple[Any, ...]:
            return library_state(picked, doc_id)

        def on_load() -> tuple[Any, ...]:
            documents = app.library.counts()["documents"]
            return (render_conversation([], documents=documents), *library_state())

        # Another tab, the CLI or another analyst may have changed the library since the page was built.
        demo.load(on_load, None, [conversation, *library_outputs], api_visibility="private")
        library_tab.select(refresh, [outlets, chosen], library_outputs, api_visibility="private")
    return demo


def _notify(rows: Sequence[Sequence[str]]) -> None:
    if not rows:
        return
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
    if counts.get("failed"):
        gr.Warning(f"Import finished: {summary}. See “Last import” for the reasons.")
    else:
        gr.Info(f"Import finished: {summary}.")


# --- serving ----------------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(settings: Settings, insecure: bool = False) -> tuple[str, str] | None:
    """The credentials to require, or None; refuses a reachable address that nobody guards."""
    user, password = settings.auth_user, settings.auth_password
    if bool(user) != bool(password):
        raise BriefingError(
            "give both a user name and a password (--auth-user/--auth-password or "
            "BRIEFING_AUTH_USER/BRIEFING_AUTH_PASSWORD)"
        )
    if user and password:
        return (user, password)
    if is_loopback(settings.host) or insecure:
        return None
    raise BriefingError(
        f"refusing to serve on {settings.host} without a password: anyone who can reach that address could read "
        "and change the library. Set --auth-user and --auth-password (or BRIEFING_AUTH_USER and "
        "BRIEFING_AUTH_PASSWORD), bind to 127.0.0.1, or pass --insecure on a network you trust."
    )


def launch(
    demo: gr.Blocks, settings: Settings, auth: tuple[str, str] | None = None, block: bool = True
) -> tuple[Any, str, str]:
    """Serve the app with the house theme, the upload limit and (when given) a login."""
    demo.queue(default_concurrency_limit=2)
    try:
        return demo.launch(
            server_name=settings.host,
            server_port=settings.port,
            auth=auth,
            auth_message="Briefing: sign in to reach this library." if auth else None,
            max_file_size=f"{settings.upload_max_mb}mb",
            show_error=True,
            quiet=True,
            prevent_thread_lock=not block,
            footer_links=["settings"],
            ssr_mode=False,
            mcp_server=False,
            pwa=False,
            theme=theme(),
            css=CSS,
        )
    except OSError as exc:
        raise BriefingError(
            f"cannot listen on {settings.host}:{settings.port} ({exc}); is another server using it? Try --port"
        ) from exc


def _warm_up(app: Briefing) -> None:
    try:
        app.retrieve("warm up")
    except Exception:  # the first real question will report the problem properly
        log.debug("warm-up failed", exc_info=True)


def _check_local_model(app: Briefing) -> None:
    """Start the local model's worker once, so the header tells its state before the first question."""
    try:
        if app.answerer.generator_name != "llamacpp":
            return
        print("Checking the local model …", file=sys.stderr, flush=True)
        problem = app.check_generator()
    except BriefingError as exc:
        problem = str(exc)
    if problem:
        print(f"local model unavailable: {problem}; questions are answered from the sources", file=sys.stderr)
    else:
        print("The local model is ready.", file=sys.stderr)


def serve(settings: Settings, seed: Path | None = None, insecure: bool = False) -> None:
    """Check the address, open the library, seed it on first start, then serve until interrupted."""
    auth = check_bind(settings, insecure)
    if not is_loopback(settings.host) and not auth:
        print(f"warning: serving on {settings.host} without a password (--insecure)", file=sys.stderr)
    from briefing.api import Briefing

    app = Briefing(settings)
    if seed is not None:
        print(f"Checking the sample library in {seed} …", file=sys.stderr)
        report = seed_library(app, seed)
        if report is not None:
            print(
                f"Seeded the library with {len(report.added)} documents from {seed} ({len(report.failed)} failed).",
                file=sys.stderr,
            )
    _check_local_model(app)
    demo = build_ui(app, settings)
    # Load the embedder and open the indexes while the page loads, so the first question is quick.
    threading.Thread(target=_warm_up, args=(app,), daemon=True, name="briefing-warm-up").start()
    try:
        launch(demo, settings, auth, block=False)
        host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
        print(f"Briefing is running at http://{host}:{settings.port}  (Ctrl+C to stop)", file=sys.stderr, flush=True)
        demo.block_thread()
    finally:
        app.close()
