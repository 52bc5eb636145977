"""The Library tab: upload files, add URLs, a searchable table of documents, preview and remove."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from briefing.web.feeds import build_feeds_section
from briefing.web.progress import add_upload_counting
from briefing.web.render import (
    DOC_HEADERS,
    RESULT_HEADERS,
    count,
    document_choices,
    document_preview,
    document_rows,
    esc,
    outlet_choices,
    report_rows,
)
from core.errors import BriefingError
from ingest.loaders import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from briefing.api import Briefing

log = logging.getLogger("briefing.ui")


@dataclass(frozen=True)
class LibraryTab:
    """What the app wires beyond the tab: the tab itself, its selection, and everything showing the library."""

    tab: gr.Tab
    chosen: gr.Dropdown
    outputs: list[Any]  # header, outlet filter, documents table, selected document
    state: Callable[..., tuple[Any, ...]]  # fresh values for `outputs`


def check_upload(path: Path, max_mb: int) -> str | None:
    """Why an uploaded file is refused before reading it, or None."""
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        return f"file is {size / 1024 / 1024:.1f} MB; the upload limit is {max_mb} MB (BRIEFING_UPLOAD_MAX_MB)"
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return f"unsupported file type '{path.suffix or '(none)'}' (supported: {kinds})"
    return None


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


def build_library_tab(
    app: Briefing, header: gr.HTML, header_html: Callable[[], str], outlets: gr.Dropdown, max_mb: int
) -> LibraryTab:
    """The Library tab, inside the caller's gr.Tabs; changes refresh `header` and the Ask tab's `outlets`."""
    with gr.Tab("Library", id="library") as library_tab, gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=320):
            upload = gr.File(
                label=f"Add files (several at once; up to {max_mb} MB each)",
                file_count="multiple",
                file_types=sorted(SUPPORTED_SUFFIXES),
                elem_id="bf-upload",
                height=170,
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
            feeds_changed = build_feeds_section(app)
        with gr.Column(scale=3, min_width=440):
            documents = app.documents()
            docs_table = gr.Dataframe(
                headers=DOC_HEADERS,
                value=document_rows(documents),
                datatype=["str", "str", "str", "number", "str", "str"],
                label="Documents · click a row to select it",
                interactive=False,
                wrap=True,
                max_height=430,
                show_search="search",
                elem_id="bf-documents",
                column_widths=["30%", "15%", "11%", "8%", "9%", "11%", "16%"],
            )
            with gr.Row(equal_height=False, elem_id="bf-remove-row"):
                chosen = gr.Dropdown(
                    choices=document_choices(documents),
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
            # Removing asks first, then offers Undo (the removed document is kept in the bin for a while).
            with gr.Row(visible=False, elem_id="bf-confirm-row") as confirm_row:
                confirm_text = gr.HTML("", apply_default_css=False, js_on_load=None, elem_id="bf-confirm-text")
                confirm_yes = gr.Button("Remove", variant="stop", size="sm", scale=0, elem_id="bf-confirm-remove")
                confirm_no = gr.Button("Cancel", size="sm", scale=0, elem_id="bf-confirm-cancel")
            with gr.Row(visible=False, elem_id="bf-undo-row") as undo_row:
                undo_text = gr.HTML("", apply_default_css=False, js_on_load=None, elem_id="bf-undo-text")
                undo_btn = gr.Button("Undo", size="sm", scale=0, elem_id="bf-undo")
            removed_ids = gr.State([])
            preview = gr.Textbox(label="Preview", lines=8, max_lines=14, interactive=False, elem_id="bf-preview")

    library_outputs = [header, outlets, docs_table, chosen]

    def library_state(keep_outlets: Sequence[str] | None = None, selected: str | None = None) -> tuple[Any, ...]:
        """Everything that shows the library's contents, freshly read."""
        documents = app.documents()
        choices = outlet_choices(app.outlets())
        names = {value for _, value in choices}
        ids = {d.doc_id for d in documents}
        return (
            header_html(),
            gr.Dropdown(choices=choices, value=[o for o in keep_outlets or [] if o in names]),
            gr.Dataframe(value=document_rows(documents)),
            gr.Dropdown(choices=document_choices(documents), value=selected if selected in ids else None),
        )

    def on_upload(
        files: list[str] | None,
        picked: list[str],
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        rows: list[list[str]] = []
        paths = [Path(f) for f in files or []]
        for i, path in enumerate(paths):
            name = path.name
            of = f" ({i + 1} of {len(paths)})" if len(paths) > 1 else ""
            progress(0, desc=f"Reading {name}{of}")
            problem = check_upload(path, max_mb)
            if problem:
                rows.append([name, "failed", problem])
                continue

            def embedded(done: int, total: int, name: str = name, of: str = of) -> None:
                progress((done, total), desc=f"Indexing {name}{of}", unit="passages")

            try:
                rows += report_rows(add_upload_counting(app, path, name, embedded), name)
            except BriefingError as exc:
                rows.append([name, "failed", str(exc)])
            except Exception as exc:  # one bad file must not stop the others
                log.exception("upload of %s failed", name)
                rows.append([name, "failed", f"{type(exc).__name__}: {exc}"])
        _notify(rows)
        return (rows, None, *library_state(picked))

    # Uploads and URL imports share one queue, one at a time, with one indicator on the import results
    # instead of one on every output.
    ingest_event: dict[str, Any] = {
        "show_progress_on": results,
        "api_visibility": "private",
        "concurrency_id": "ingest",
        "concurrency_limit": 1,
    }
    upload.upload(on_upload, [upload, outlets], [results, upload, *library_outputs], **ingest_event)

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

    url_box.submit(on_urls, [url_box, outlets], [results, url_box, *library_outputs], **ingest_event)

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
    # A question about one document must not be answered for another: a new selection withdraws it.
    chosen.change(lambda: gr.Row(visible=False), None, confirm_row, api_visibility="private", show_progress="hidden")

    def on_ask_remove(doc_id: str | None) -> tuple[Any, ...]:
        if not doc_id:
            gr.Warning("Select a document first: click its row in the table or pick it from the list.")
            return gr.Row(visible=False), gr.skip()
        try:
            title = app.document(doc_id).title
        except BriefingError as exc:
            gr.Warning(str(exc))
            return gr.Row(visible=False), gr.skip()
        return gr.Row(visible=True), f'<div class="bf-confirm">Remove “{esc(title)}” from the library?</div>'

    remove_btn.click(on_ask_remove, chosen, [confirm_row, confirm_text], api_visibility="private")
    confirm_no.click(lambda: gr.Row(visible=False), None, confirm_row, api_visibility="private")

    def on_remove(doc_id: str | None, picked: list[str]) -> tuple[Any, ...]:
        hidden = gr.Row(visible=False)
        if not doc_id:
            return (gr.skip(), *library_state(picked), hidden, gr.skip(), gr.skip(), gr.skip())
        try:
            removed = app.remove(doc_id)
        except BriefingError as exc:
            gr.Warning(str(exc))
            return (gr.skip(), *library_state(picked), hidden, gr.skip(), gr.skip(), gr.skip())
        titles = ", ".join(f"“{d.title}” ({count(d.chunk_count, 'passage')})" for d in removed)
        note = f'<div class="bf-confirm">Removed {esc(titles)}.</div>'
        return ("", *library_state(picked), hidden, gr.Row(visible=True), note, [d.doc_id for d in removed])

    confirm_yes.click(
        on_remove,
        [chosen, outlets],
        [preview, *library_outputs, confirm_row, undo_row, undo_text, removed_ids],
        api_visibility="private",
        concurrency_id="ingest",
        concurrency_limit=1,
    )

    def on_undo(doc_ids: list[str], picked: list[str]) -> tuple[Any, ...]:
        restored = []
        for doc_id in doc_ids:
            try:
                restored.append(app.restore(doc_id))
            except BriefingError as exc:
                gr.Warning(str(exc))
        if restored:
            gr.Info("Restored " + ", ".join(f"“{d.title}”" for d in restored) + ".")
        selected = restored[0].doc_id if restored else None
        return (*library_state(picked, selected), gr.Row(visible=False), [])

    undo_btn.click(
        on_undo,
        [removed_ids, outlets],
        [*library_outputs, undo_row, removed_ids],
        api_visibility="private",
        concurrency_id="ingest",
        concurrency_limit=1,
    )
    # Items a feed brings in appear in the documents table without a reload.
    feeds_changed.change(library_state, [outlets, chosen], library_outputs, api_visibility="private")
    return LibraryTab(tab=library_tab, chosen=chosen, outputs=library_outputs, state=library_state)
