"""HTML for the browser app, built from answers, citations and documents (pure: data in, escaped HTML out).

Everything that comes from a document or a model is HTML-escaped before it reaches the page:
an article's markup is shown, never run.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from briefing import export
from core.models import Answer, Citation, Document

if TYPE_CHECKING:
    from briefing.web.session import Turn
    from ingest.pipeline import IngestReport
    from rag.timeline import TimelineEntry

DOC_HEADERS = ["Title", "Outlet", "Published", "Language", "Passages", "Added", "ID"]
RESULT_HEADERS = ["File", "Result", "Details"]


def esc(text: object) -> str:
    """Text made inert for HTML content and (quoted) attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link; anything else (javascript:, data:) is not linked."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None


def count(n: int, noun: str) -> str:
    """'1 passage', '2 passages', '1,200 documents'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def short_date(value: date | None) -> str:
    return f"{value.day} {value:%b} {value.year}" if value else ""


def passage_html(citation: Citation) -> str:
    """The cited passage, escaped, with the supporting sentence in <mark>."""
    span = citation.highlight()
    passage = citation.passage
    if span is None:
        return esc(passage)
    start, end = span
    return f"{esc(passage[:start])}<mark>{esc(passage[start:end])}</mark>{esc(passage[end:])}"


def answer_text_html(answer: Answer, turn: int) -> str:
    """Answer text with each [n] as a button that opens citation n in the sources panel."""
    cited = {c.n: c for c in answer.citations}
    out: list[str] = []
    for index, (text, n) in enumerate(answer.segments()):
        if index == 0:
            # The short answer stands out; the quotation after it says where it comes from.
            lead, text = answer.split_lead(text)
            out.append(f"<b>{esc(lead)}</b>" if lead else "")
        out.append(esc(text))
        if n is None:
            continue
        citation = cited[n]
        tip = " · ".join(x for x in (citation.title, citation.source, short_date(citation.published_day)) if x)
        out.append(
            f'<button type="button" class="cite" data-turn="{turn}" data-n="{n}" '
            f'title="{esc(tip)}" aria-label="Source {n}: {esc(tip)}">[{n}]</button>'
        )
    return "".join(out)


# --- the conversation and its sources ------------------------------------------------------------


def _turn_html(turn: Turn, index: int) -> str:
    question = f'<div class="bf-q"><div class="bf-bubble">{esc(turn.question)}</div></div>'
    scope = f'<div class="bf-scope">Filtered: {esc(turn.scope)}</div>' if turn.scope else ""
    if turn.time_note:
        # The dates the question's time words selected, as the answer was read in them.
        scope += f'<div class="bf-scope bf-time">{esc(turn.time_note[:1].upper() + turn.time_note[1:])}</div>'
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
            "click a <span class='cite-demo'>[1]</span> marker to read it. When no source answers the question, "
            "Briefing says so instead of guessing.</p>"
            "<p>Follow-up questions build on the conversation. Filters on the left narrow the sources.</p></div>"
        )
    parts = [_turn_html(t, i) for i, t in enumerate(turns)]
    if pending is not None:
        text = esc(draft) if draft else '<span class="bf-dots" aria-label="searching"><i></i><i></i><i></i></span>'
        label = "Draft · checking each sentence against its source…" if draft else "Searching the library…"
        parts.append(
            f'<article class="bf-turn bf-pending"><div class="bf-q"><div class="bf-bubble">{esc(pending)}</div></div>'
            f'<div class="bf-a bf-draft"><div class="bf-label">{label}</div>'
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
    meta = " · ".join(esc(x) for x in (first.source, short_date(first.published_day), first.author) if x)
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
        f'<span class="bf-chip" id="bf-size">{count(documents, "document")} · {count(chunks, "passage")}</span>'
        "</div></header>"
    )


# --- timeline and library -----------------------------------------------------------------------------


def render_timeline(topic: str, entries: Sequence[TimelineEntry], notes: Sequence[str] = ()) -> str:
    """Dated events, oldest first; every line quotes its document and links the source. The notes say how the
    topic's time words were read."""
    if not topic:
        return '<div class="bf-help">Name a topic, e.g. “export controls on chips” or “tariffs on China”.</div>'
    said = "".join(f'<div class="bf-note" role="status">{esc(note)}</div>' for note in notes)
    if not entries:
        return f'<div class="bf-abstain">The library holds no dated events on “{esc(topic)}”.</div>{said}'
    rows = []
    for entry in entries:
        c = entry.citation
        link = safe_url(c.url)
        title = (
            f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer">{esc(c.title)}</a>'
            if link
            else esc(c.title)
        )
        meta = " · ".join(esc(x) for x in (c.source, short_date(c.published_day)) if x)
        also = f" · also reported by {esc(', '.join(c.also_reported_by))}" if c.also_reported_by else ""
        dated = "date stated in the text" if entry.dated_by == "stated" else "dated by publication"
        rows.append(
            '<li class="bf-tl-entry">'
            f'<div class="bf-tl-when" title="{esc(dated)}">{esc(entry.when)}</div>'
            '<div class="bf-tl-body">'
            f'<div class="bf-tl-text">“{esc(entry.text)}”<button type="button" class="cite" data-n="{c.n}" '
            f'aria-expanded="false" aria-controls="tl-passage-{c.n}" title="Show the passage">[{c.n}]</button></div>'
            f'<div class="bf-tl-source">[{c.n}] {title}{" · " + meta if meta else ""}{also}</div>'
            f'<blockquote class="bf-passage" id="tl-passage-{c.n}" hidden>{passage_html(c)}</blockquote></div>'
            "</li>"
        )
    return (
        f'<div class="bf-section-title">Timeline: {esc(topic)} · {len(entries)} events, oldest first</div>{said}'
        f'<ol class="bf-timeline">{"".join(rows)}</ol>'
    )


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
    lines.append(f"{count(document.chunk_count, 'passage')} · id {document.doc_id}")
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


def outlet_choices(outlets: Sequence[tuple[str, int]]) -> list[tuple[str, str]]:
    """Dropdown choices for outlets: 'Name (documents)' shown, the name as the value."""
    return [(f"{name} ({count})", name) for name, count in outlets]
