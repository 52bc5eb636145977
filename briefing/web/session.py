"""A conversation's state in the browser app: its turns, the filters a question is asked with, its exports."""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing import export
from core.errors import BackendUnavailable, BriefingError
from core.models import Answer
from core.request import Filters, Request

if TYPE_CHECKING:
    from briefing.api import Briefing

log = logging.getLogger("briefing.ui")


@dataclass(frozen=True)
class Turn:
    """One question and what came back: a verified answer, or the error that stopped it."""

    question: str
    answer: Answer | None = None
    error: str | None = None
    scope: str = ""
    time_note: str = ""  # what the question's time words selected, e.g. "reading documents published …"


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

    request = Request(question, history=history_of(turns), filters=scope.filters, as_of=scope.as_of)
    draft = ""
    try:
        done: Done | None = None
        for event in app.stream(request):
            if isinstance(event, Done):
                done = event
            elif isinstance(event, Token):
                draft += event.text
                yield draft
        if done is None:
            raise BriefingError("the answer stream ended without an answer")
        note = done.scope.note() if done.scope is not None else ""
        yield Turn(question, answer=done.answer, scope=scope.describe(), time_note=note)
    except BackendUnavailable as exc:
        yield Turn(question, error=f"The generator is not available: {exc}", scope=scope.describe())
    except BriefingError as exc:
        yield Turn(question, error=str(exc), scope=scope.describe())
    except Exception as exc:  # a failed answer must not take the session down with it
        log.exception("answering %r failed", question)
        yield Turn(question, error=f"Unexpected error ({type(exc).__name__}): {exc}", scope=scope.describe())


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
