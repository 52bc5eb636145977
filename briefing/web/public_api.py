"""The app's public API: named Gradio endpoints for code, the same operations as MCP tools.

Each function below is one endpoint (`gradio_client.Client(url).predict(..., api_name="/ask")`,
`POST /gradio_api/call/ask`) and, when the MCP server is on, one MCP tool of the same name; the
docstrings are what API and MCP clients read. Values are plain JSON: an answer is
`Answer.to_dict()`, a document is `Document.meta()`. They run outside the queue, so an MCP call
goes straight to the function instead of looping back through HTTP. MCP clients get the same
values as JSON text (`mcp_results_as_json`).

`MCPLogin` holds the MCP routes to the page's login: Gradio mounts them without one.
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
from gradio_client import utils as client_utils

from core.errors import BriefingError
from core.request import Filters, Request

if TYPE_CHECKING:
    from briefing.api import Briefing
    from core.models import Document
    from ingest.pipeline import IngestReport

# The stable names: clients call these, so they change only with a new major version.
ENDPOINTS = ("ask", "sources", "add_url", "add_file", "remove", "restore", "timeline")
MCP_PATH = "/gradio_api/mcp"


def _day(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise gr.Error(f"{name} must be a date as YYYY-MM-DD, not '{value}'") from None


def _report(report: IngestReport) -> dict[str, Any]:
    return {
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "failed": [{"origin": f.origin, "reason": f.reason} for f in report.failed],
        "doc_ids": report.doc_ids,
        "chunks": report.chunks,
        "notes": report.notes,
    }


def _document(document: Document) -> dict[str, Any]:
    """A document's metadata, its path as `file_path`: Gradio clients fetch any object with a `path` as a file."""
    meta = document.meta()
    meta["file_path"] = meta.pop("path")
    return meta


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The library's own errors reach the caller as their message, not as a bare 'Error'."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BriefingError as exc:
            raise gr.Error(str(exc)) from exc

    call.__name__, call.__doc__, call.__wrapped__ = fn.__name__, fn.__doc__, fn  # type: ignore[attr-defined]
    call.__annotations__ = fn.__annotations__
    return call


def build_public_api(app: Briefing, upload_max_mb: int) -> None:
    """Register the named endpoints inside the current gr.Blocks."""
    from briefing.web.library_tab import check_upload

    def ask(question: str, outlets: list[str] | None = None, since: str = "", until: str = "", as_of: str = "") -> dict:
        """Answer a question from the library, with numbered citations checked against the sources.

        Args:
            question: The question, in plain words ("What did the EU decide on tariffs in 2025?").
            outlets: Only documents from these outlets (names as listed by `sources`); empty for all.
            since: Only documents published on or after this day, YYYY-MM-DD; empty for no limit.
            until: Only documents published on or before this day, YYYY-MM-DD; empty for no limit.
            as_of: Answer as the library stood on this day (documents dated up to it), YYYY-MM-DD.

        Returns:
            The answer: text with [n] markers, lead (the short answer the text opens with, or null), and
            citations (n, title, outlet, date, url, quote, passage).
        """
        if not question.strip():
            raise gr.Error("the question is empty")
        filters = Filters(sources=tuple(outlets or ()), since=_day(since, "since"), until=_day(until, "until"))
        answer = app.ask(Request(question.strip(), filters=filters, as_of=_day(as_of, "as_of")))
        return answer.to_dict()

    def sources() -> list[dict]:
        """List the documents in the library: id, title, outlet, date, URL, file_path and passages.

        Returns:
            One entry per document; copy_of names the document it duplicates, if any.
        """
        copies = app.copies()
        return [{**_document(d), "copy_of": copies.get(d.doc_id)} for d in app.documents()]

    def add_url(url: str) -> dict:
        """Fetch a web page or PDF by URL and add it to the library.

        Args:
            url: An http(s) address of an article or PDF.

        Returns:
            What happened: added/updated/unchanged/failed sources, the new doc_ids, and chunks indexed.
        """
        if not url.strip().lower().startswith(("http://", "https://")):
            raise gr.Error("give an http:// or https:// address")
        return _report(app.ingest([url.strip()]))

    def add_file(file: gr.FileData) -> dict:
        """Add a file (PDF, Word, HTML, Markdown, text, JSON or JSONL) to the library.

        Args:
            file: The file to add; its name is kept as the document's path.

        Returns:
            What happened: added/updated/unchanged/failed sources, the new doc_ids, and chunks indexed.
        """
        data = file if isinstance(file, dict) else file.model_dump()
        path = Path(str(data.get("path") or ""))
        if not path.is_file():
            raise gr.Error("no file was received")
        name = str(data.get("orig_name") or path.name)
        # Gradio keeps the uploaded file's own name, so its suffix is the one to check.
        problem = check_upload(path, upload_max_mb)
        if problem:
            raise gr.Error(problem)
        return _report(app.add_upload(path, name))

    def remove(ref: str) -> list[dict]:
        """Remove documents from the library by id, URL or path; `restore` brings one back.

        Args:
            ref: A document id (from `sources`), its URL or its path.

        Returns:
            The documents removed.
        """
        return [_document(d) for d in app.remove(ref.strip())]

    def restore(doc_id: str) -> dict:
        """Bring a removed document back exactly as it was (removed documents are kept for a while).

        Args:
            doc_id: The id of the removed document.

        Returns:
            The restored document.
        """
        return _document(app.restore(doc_id.strip()))

    def timeline(topic: str, since: str = "", until: str = "", limit: int = 20) -> list[dict]:
        """Dated events the library holds on a topic, oldest first, each with its source and quote.

        Args:
            topic: What the events are about ("US-China tariffs").
            since: Only events on or after this day, YYYY-MM-DD; empty for no limit.
            until: Only events on or before this day, YYYY-MM-DD; empty for no limit.
            limit: At most this many events.

        Returns:
            Events with day, precision, text (verbatim), dated_by and citation.
        """
        if not topic.strip():
            raise gr.Error("the topic is empty")
        entries = app.timeline(topic.strip(), _day(since, "since"), _day(until, "until"), limit=max(1, min(limit, 100)))
        return [{**asdict(e), "day": e.day.isoformat(), "when": e.when} for e in entries]

    for fn in (ask, sources, add_url, add_file, remove, restore, timeline):
        gr.api(_guarded(fn), api_name=fn.__name__, api_visibility="public", queue=False)


# --- the MCP routes' login ------------------------------------------------------------------------

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def basic_credentials(scope: Scope) -> tuple[str, str] | None:
    """The user name and password of an `Authorization: Basic` header, or None."""
    for key, value in scope.get("headers") or ():
        if key.lower() == b"authorization" and value[:6].lower() == b"basic ":
            try:
                user, _, password = base64.b64decode(value[6:].strip()).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
            return user, password
    return None


class MCPLogin:
    """ASGI middleware: with a login set, requests to the MCP routes need it as HTTP Basic credentials."""

    def __init__(self, app: ASGIApp, auth: tuple[str, str] | None) -> None:
        self.app = app
        self.auth = auth

    def allowed(self, scope: Scope) -> bool:
        if self.auth is None or scope["type"] != "http" or not scope.get("path", "").startswith(MCP_PATH):
            return True
        given = basic_credentials(scope)
        # Both compared in full whatever the first gives, so timing tells nothing about either.
        return given is not None and all(
            [hmac.compare_digest(a.encode(), b.encode()) for a, b in zip(given, self.auth, strict=True)]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allowed(scope):
            await self.app(scope, receive, send)
            return
        body = b"sign in: send the app's user name and password as HTTP Basic credentials\n"
        headers = [
            (b"content-type", b"text/plain"),
            (b"www-authenticate", b'Basic realm="Briefing"'),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": body})


# --- MCP results as JSON ----------------------------------------------------------------------------


def json_text(value: Any) -> str | None:
    """An endpoint's dict or list as the JSON text an MCP client parses; None for anything else
    (text, numbers, files), which Gradio's own conversion handles."""
    if isinstance(value, dict | list) and not client_utils.is_file_obj_with_meta(value):
        return json.dumps(value, ensure_ascii=False)
    return None


def mcp_results_as_json() -> None:
    """Send MCP tool results as JSON text.

    Gradio turns an endpoint's value into an MCP text result with `str()`, so a client reading
    `ask` got a Python dict's repr (single quotes, None, True) that JSON parsers refuse. The same
    values go to Gradio's API clients unchanged. Installed once per process, before the server starts.
    """
    from gradio.mcp import GradioMCPServer

    gradio_postprocess = getattr(GradioMCPServer, "postprocess_output_data", None)
    if gradio_postprocess is None or getattr(gradio_postprocess, "briefing_json", False):
        return  # another Gradio than the one pinned: its own conversion stands (the MCP test says which)

    def postprocess(self: GradioMCPServer, data: Any, root_url: str) -> list[Any]:
        results: list[Any] = []
        for value in data:
            text = json_text(value)
            if text is None:
                results.extend(gradio_postprocess(self, [value], root_url))
            else:
                results.append(self.types.TextContent(type="text", text=text))
        return results

    postprocess.briefing_json = True  # type: ignore[attr-defined]
    GradioMCPServer.postprocess_output_data = postprocess  # type: ignore[method-assign]


def mcp_login_middleware(auth: tuple[str, str] | None) -> list[Any]:
    """For `gr.Blocks.launch(app_kwargs={"middleware": ...})`."""
    from starlette.middleware import Middleware

    return [Middleware(MCPLogin, auth=auth)]
