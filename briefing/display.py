"""Terminal column layout that counts Chinese and other wide characters as two columns."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Columns text takes in a terminal (East Asian wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, columns: int) -> str:
    """text cut to at most `columns` columns, with an ellipsis when cut."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, columns: int) -> str:
    """text clipped to `columns` columns and padded with spaces to exactly that width."""
    text = clip(text, columns)
    return text + " " * (columns - width(text))
