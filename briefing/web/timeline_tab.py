"""The Timeline tab: dated, cited events on a topic, and the same as pasteable text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import gradio as gr

from briefing.web import static_text
from briefing.web.render import esc, render_timeline
from briefing.web.session import parse_day
from briefing.web.widgets import date_field
from core.errors import BriefingError
from rag.timeline import format_timeline

if TYPE_CHECKING:
    from briefing.api import Briefing


def build_timeline_tab(app: Briefing) -> None:
    """The Timeline tab, inside the caller's gr.Tabs."""
    with gr.Tab("Timeline", id="timeline"), gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=250):
            tl_topic = gr.Textbox(
                label="Topic",
                placeholder="e.g. export controls on advanced chips",
                submit_btn="Build timeline",
                elem_id="bf-tl-topic",
            )
            tl_since = date_field("From", "bf-tl-since")
            tl_until = date_field("Until", "bf-tl-until")
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
                render_timeline("", []),
                elem_id="bf-timeline",
                apply_default_css=False,
                js_on_load=static_text("timeline.js"),
            )

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
        return render_timeline(topic, entries, entries.notes), format_timeline(topic, entries, entries.notes)

    tl_topic.submit(on_timeline, [tl_topic, tl_since, tl_until], [tl_view, tl_text], api_visibility="private")
