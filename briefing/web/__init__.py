"""The browser app's parts: one module per tab, HTML rendering, conversation state, static CSS and JS.

`ui.py` assembles them into one Gradio app; every tab talks to the library only through
`briefing.api.Briefing`.
"""

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def static_text(name: str) -> str:
    """A file shipped in briefing/web/static (CSS, JS)."""
    return (STATIC / name).read_text(encoding="utf-8")
