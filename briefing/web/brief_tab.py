"""The Brief tab: a structured, cited brief on a topic, built with visible progress, then downloadable."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from briefing.brief_export import brief_docx, brief_json, brief_markdown, dropped_line, period
from briefing.web.render import esc, passage_html, safe_url, short_date
from briefing.web.session import parse_day
from briefing.web.widgets import date_field, outlet_picker
from core.errors import BriefingError
from core.models import MARKER
from rag.brief import Brief, BriefItem, BriefProgress

if TYPE_CHECKING:
    from briefing.api import Briefing

BRIEF_EXPORTS = ("md", "docx", "json")


def _item_html(item: BriefItem) -> str:
    body: list[str] = []
    pos = 0
    for match in MARKER.finditer(item.text):
        body.append(esc(item.text[pos : match.start()].rstrip()))  # the link sits flush, as in answers
        n = match.group(1)
        body.append(f'<a class="cite bf-brief-cite" href="#bf-brief-note-{n}" data-n="{n}">[{n}]</a>')
        pos = match.end()
    body.append(esc(item.text[pos:]))
    label = f'<span class="bf-brief-label">{esc(item.label)}</span> ' if item.label else ""
    return f"{label}{''.join(body)}"


def render_brief(brief: Brief) -> str:
    """The brief as escaped HTML: sections, then numbered notes quoting each cited passage."""
    if not brief.sections:
        return f'<div class="bf-abstain">The library holds nothing to brief on “{esc(brief.topic)}”.</div>'
    out = [f'<div class="bf-brief"><h2 class="bf-brief-title">Brief: {esc(brief.topic)}</h2>']
    if period(brief):
        out.append(f'<div class="bf-scope">{esc(period(brief))}</div>')
    out += [f'<div class="bf-note" role="status">{esc(note)}</div>' for note in brief.notes]
    for section in brief.sections:
        out.append(f'<section class="bf-brief-section" data-kind="{section.kind}"><h3>{esc(section.title)}</h3>')
        if section.kind == "summary":
            out.append(f'<p class="bf-text">{" ".join(_item_html(i) for i in section.items)}</p>')
        else:
            out.append("<ul>" + "".join(f"<li>{_item_html(i)}</li>" for i in section.items) + "</ul>")
        out.append("</section>")
    notes = []
    for c in brief.citations:
        link = safe_url(c.url)
        title = esc(c.title)
        if link:
            title = f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer">{title}</a>'

        meta = " · ".join(esc(x) for x in (c.source, short_date(c.published_day)) if x)
        notes.append(
            f'<li id="bf-brief-note-{c.n}" class="bf-brief-note"><div>[{c.n}] {title}'
            f'{" · " + meta if meta else ""}</div><div class="bf-passage">{passage_html(c)}</div></li>'
        )
    out.append(f'<section class="bf-brief-section" data-kind="notes"><h3>Sources</h3><ol>{"".join(notes)}</ol>')
    out.append(f'</section><div class="bf-meta">{esc(dropped_line(brief))}</div></div>')
    return "".join(out)


def render_progress(topic: str, event: BriefProgress) -> str:
    share = 0 if not event.total else min(100, round(100 * event.done / event.total))
    return (
        f'<div class="bf-brief-progress" role="status"><div>Building the brief on “{esc(topic)}”: '
        f"{esc(event.stage)}…</div>"
        f'<progress max="100" value="{share}" aria-label="progress">{share}%</progress></div>'
    )


def write_brief_exports(brief: Brief, folder: Path) -> dict[str, Path]:
    """The brief as Markdown, Word and JSON files in a fresh subfolder, for the download buttons."""
    target = folder / f"brief-{time.time_ns()}"
    target.mkdir(parents=True, exist_ok=True)
    files = {"md": target / "brief.md", "docx": target / "brief.docx", "json": target / "brief.json"}
    files["md"].write_text(brief_markdown(brief), encoding="utf-8")
    files["docx"].write_bytes(brief_docx(brief))
    files["json"].write_text(brief_json(brief), encoding="utf-8")
    return files


def build_brief_tab(app: Briefing, exports: Path) -> None:
    """The Brief tab, inside the caller's gr.Tabs."""
    with gr.Tab("Brief", id="brief"), gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=250):
            topic = gr.Textbox(
                label="Topic",
                placeholder="e.g. US tariffs on goods from China",
                submit_btn="Build brief",
                elem_id="bf-brief-topic",
            )
            since = date_field("Events from", "bf-brief-since")
            until = date_field("Events until", "bf-brief-until")
            as_of = date_field("As of", "bf-brief-as-of", info="The library as it stood then")
            outlets = outlet_picker(app, "bf-brief-outlets")
            downloads = [
                gr.DownloadButton(f"Download .{kind}", interactive=False, size="sm", elem_id=f"bf-brief-dl-{kind}")
                for kind in BRIEF_EXPORTS
            ]
        with gr.Column(scale=3, min_width=440):
            view = gr.HTML(
                '<div class="bf-help">Name a topic: the brief gathers a summary, dated key developments, key '
                "figures, what the sources say and gaps, each sentence quoted from and cited to the library.</div>",
                elem_id="bf-brief",
                apply_default_css=False,
                js_on_load=None,
            )

    def none() -> list[Any]:
        return [gr.DownloadButton(value=None, interactive=False) for _ in BRIEF_EXPORTS]

    def on_brief(text: str, first: Any, last: Any, day: Any, chosen: list[str] | None) -> Iterator[tuple[Any, ...]]:
        text = (text or "").strip()
        if not text:
            yield ('<div class="bf-help">Name a topic first.</div>', *none())
            return
        try:
            options = {
                "since": parse_day(first, "Events from"),
                "until": parse_day(last, "Events until"),
                "as_of": parse_day(day, "As of"),
                "sources": tuple(chosen or ()),
            }
            for event in app.brief_stream(text, **options):
                if isinstance(event, BriefProgress):
                    yield (render_progress(text, event), *none())
                else:
                    files = write_brief_exports(event, exports)
                    buttons = [gr.DownloadButton(value=str(files[k]), interactive=True) for k in BRIEF_EXPORTS]
                    yield (render_brief(event), *buttons)
        except BriefingError as exc:
            yield (f'<div class="bf-abstain">{esc(exc)}</div>', *none())

    topic.submit(on_brief, [topic, since, until, as_of, outlets], [view, *downloads], api_visibility="private")
