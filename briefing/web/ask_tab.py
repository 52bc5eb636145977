"""The Ask tab: filters, the conversation with clickable citations, the sources panel and exports."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from briefing.web import static_text
from briefing.web.render import render_conversation, render_sources
from briefing.web.session import Turn, answer_turn, parse_scope, write_exports
from briefing.web.widgets import date_field, outlet_picker
from core.errors import BriefingError

if TYPE_CHECKING:
    from briefing.api import Briefing

EXPORT_KINDS = ("md", "docx", "bib", "json")
DRAFT_SECONDS = 0.6  # shortest time a streamed draft stays up before the verified answer replaces it


@dataclass(frozen=True)
class AskTab:
    """The Ask tab's components that other parts of the app update."""

    outlets: gr.Dropdown
    conversation: gr.HTML


def download_updates(files: dict[str, Path]) -> tuple[Any, ...]:
    """The four download buttons: each enabled with its file, or disabled when there is none."""
    return tuple(
        gr.DownloadButton(value=str(files[kind]) if kind in files else None, interactive=kind in files)
        for kind in EXPORT_KINDS
    )


def build_ask_tab(app: Briefing, header: gr.HTML, header_html: Callable[[], str], exports: Path) -> AskTab:
    """The Ask tab, inside the caller's gr.Tabs; `header` is refreshed when a generator fails."""
    with gr.Tab("Ask", id="ask"), gr.Row(equal_height=False):
        # Inside the tab: anything directly in gr.Tabs (even a State) hides the later tabs in the browser.
        turns_state = gr.State([])
        with gr.Column(scale=1, min_width=250, elem_id="bf-filters"):
            gr.HTML('<div class="bf-section-title">Filters</div>', apply_default_css=False, js_on_load=None)
            outlets = outlet_picker(app, "bf-outlets")
            since = date_field("Published from", "bf-since")
            until = date_field("Published until", "bf-until")
            as_of = date_field("As of", "bf-as-of", info="Answer as it stood then: later documents are ignored")
            clear_filters = gr.Button("Clear filters", size="sm", variant="secondary")
        with gr.Column(scale=3, min_width=440):
            conversation = gr.HTML(
                render_conversation([], documents=app.counts(vectors=False)["documents"]),
                elem_id="bf-conversation",
                js_on_load=static_text("conversation.js"),
                apply_default_css=False,
                # conversation.js follows new answers itself, and stops when the reader scrolls up.
                autoscroll=False,
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
        drafted = 0.0
        for step in answer_turn(app, text, turns, scope):
            if isinstance(step, Turn):
                turn = step
            else:
                drafted = drafted or time.monotonic()
                yield (render_conversation(turns, pending=text, draft=step), gr.skip(), *skip6, gr.skip())
        assert turn is not None
        # A draft from the sources comes all at once and is checked in a moment: keep it on screen long
        # enough to be seen, so the reader sees the answer drafted, then verified.
        if drafted and (left := DRAFT_SECONDS - (time.monotonic() - drafted)) > 0:
            time.sleep(left)
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
        # Enter pressed while an answer is still on its way asks that question next (Gradio's default
        # drops it silently); its inputs are read when it runs, so it sees the conversation so far.
        trigger_mode="always_last",
    )

    def new_conversation() -> tuple[Any, ...]:
        return (
            render_conversation([], documents=app.counts(vectors=False)["documents"]),
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
    # Cleared in the browser, at once: a reply from the server could land after the reader has typed a
    # new date and wipe it.
    clear_filters.click(
        None, None, [outlets, since, until, as_of], js="() => [[], null, null, null]", api_visibility="private"
    )
    return AskTab(outlets=outlets, conversation=conversation)
