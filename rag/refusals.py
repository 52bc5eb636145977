"""The words of a refusal: what the library looked at, and what it did not find.

A refusal names the question (its start only), the window it read when the question has one, and why none of the
sources answers: a word no source uses, no number of what "how many" counts, no person, date or figure of the asked
kind, or nothing close enough.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.temporal import TimeScope


ECHO_CHARS = 200  # an abstention repeats at most this much of the question


def abstention_text(
    question: str,
    scope: TimeScope | None = None,
    found: bool = False,
    unknown: Sequence[str] = (),
    uncounted: str = "",
    unstated: str = "",
) -> str:
    """The refusal, saying what was looked at: with `found`, the library had passages (inside the
    window, when there is one) and none answers; without, it had none there at all. `unknown`: the
    question's words that no document of the library uses, which the refusal names; `uncounted`: what a
    "how many" question counts, when no source gives a number of it; `unstated`: what none gives (`rag.unstated`)."""
    # Only the start of the question is echoed: a 100 KB question must not come back as a 100 KB answer.
    topic = re.sub(r"\s+", " ", question[: ECHO_CHARS * 4].strip().rstrip("?.! ")) or "this question"
    if len(topic) > ECHO_CHARS:
        cut = topic.rfind(" ", 0, ECHO_CHARS)
        topic = topic[: cut if cut > ECHO_CHARS // 2 else ECHO_CHARS].rstrip(" ,;:") + "…"
    described = scope.describe() if scope is not None and scope.windowed else ""
    window = f"{described} " if described else ""
    if unknown:
        said = " or ".join(f"“{word}”" for word in unknown[:3])
        return f"No source in the library mentions {said}, so it cannot answer “{topic}”."
    if found and uncounted:
        return f"The library’s sources {window}give no number of {uncounted}, so they do not answer “{topic}”."
    if found and unstated:
        missing = "name no one who" if unstated == "person" else f"state no {unstated} that"  # "figure", "day" …
        return f"The library’s sources {window}{missing} answers “{topic}”."
    if found:
        return f"The library’s sources {window}do not answer “{topic}”."
    return f"The library has no source {window}on “{topic}”."
