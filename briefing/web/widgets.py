"""Input widgets several tabs declare alike: a date field and an outlet picker."""

from __future__ import annotations

from typing import TYPE_CHECKING

import gradio as gr

from briefing.web.render import outlet_choices

if TYPE_CHECKING:
    from briefing.api import Briefing


def date_field(label: str, elem_id: str, info: str | None = None) -> gr.DateTime:
    """A day without a time, given to handlers as an ISO string (session.parse_day reads it)."""
    return gr.DateTime(label=label, info=info, include_time=False, type="string", elem_id=elem_id)


def outlet_picker(app: Briefing, elem_id: str) -> gr.Dropdown:
    """The library's outlets to choose from; none chosen means every outlet."""
    return gr.Dropdown(
        choices=outlet_choices(app.outlets()),
        value=[],
        multiselect=True,
        label="Outlets",
        info="Empty: every outlet",
        elem_id=elem_id,
    )
