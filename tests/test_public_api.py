"""The public API against a live `briefing serve` with a login: gradio_client, plain HTTP and MCP."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

import ui
from briefing.api import Briefing
from briefing.web.public_api import ENDPOINTS
from core.settings import Settings
from tests.helpers import CORPUS, LiveServer, free_port, live_serve

pytestmark = pytest.mark.slow

LOGIN = ("ana", "s3cret")
XI = "What did Xi say about self-reliance?"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on loopback with a login (MCP is on by default there), over two sample articles."""
    folder = tmp_path_factory.mktemp("api")
    seed = folder / "seed"
    seed.mkdir()
    for name in ("scmp-xi-ai-self-reliance.txt", "wh-2025-05-12-us-china-geneva-joint-statement.md"):
        shutil.copy(CORPUS / name, seed / name)
    env = {"BRIEFING_AUTH_USER": LOGIN[0], "BRIEFING_AUTH_PASSWORD": LOGIN[1]}
    with live_serve(folder, env=env, seed=seed) as live:
        yield live


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def assert_cited(answer: dict[str, Any]) -> None:
    assert answer["question"] == XI and not answer["abstained"]
    assert "self-reliance" in answer["text"] and "[1]" in answer["text"]
    first = answer["citations"][0]
    assert first["n"] == 1 and first["quote"] in first["passage"] and first["doc_id"]


def test_gradio_client_asks_adds_removes_and_restores(served: LiveServer, tmp_path: Path) -> None:
    client = Client(served.url, auth=LOGIN, verbose=False, download_files=False)
    named = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {f"/{name}" for name in ENDPOINTS} <= set(named)
    assert [p["parameter_name"] for p in named["/ask"]["parameters"]] == [
        "question",
        "outlets",
        "since",
        "until",
        "as_of",
    ]

    assert_cited(client.predict(XI, api_name="/ask"))

    note = tmp_path / "tide-mills.md"
    note.write_text("# Tide mills\n\nThe tide mill at Rance was rebuilt in 1966 by engineers from Saint-Malo.\n")
    report = client.predict(handle_file(str(note)), api_name="/add_file")
    assert report["added"] == ["tide-mills.md"] and report["chunks"] == 1 and not report["failed"]
    doc_id = report["doc_ids"][0]
    listed = {d["doc_id"]: d for d in client.predict(api_name="/sources")}
    assert listed[doc_id]["title"] == "Tide mills" and len(listed) == 3

    answer = client.predict("Who rebuilt the tide mill at Rance?", api_name="/ask")
    assert "Saint-Malo" in answer["text"] and answer["citations"][0]["doc_id"] == doc_id

    removed = client.predict(doc_id, api_name="/remove")
    assert [d["doc_id"] for d in removed] == [doc_id]
    assert doc_id not in {d["doc_id"] for d in client.predict(api_name="/sources")}
    assert client.predict(doc_id, api_name="/restore")["title"] == "Tide mills"
    assert doc_id in {d["doc_id"] for d in client.predict(api_name="/sources")}

    with pytest.raises(AppError, match="no document matches 'no-such-thing'"):
        client.predict("no-such-thing", api_name="/remove")
    with pytest.raises(AppError, match="since must be a date"):
        client.predict(XI, None, "last spring", api_name="/ask")


def test_plain_http_needs_the_login_then_answers(served: LiveServer) -> None:
    body = {"data": [XI, [], "", "", ""]}
    with httpx.Client(base_url=served.url, timeout=60) as anonymous:
        # Every way in to the endpoints is refused without the login.
        for path in ("/gradio_api/call/ask", "/gradio_api/run/ask", "/gradio_api/api/ask", "/gradio_api/queue/join"):
            assert anonymous.post(path, json=body).status_code == 401, path
        assert anonymous.get("/gradio_api/info").status_code == 401
        with pytest.raises(ValueError):  # gradio_client refuses to connect without the login
            Client(served.url, verbose=False)
    # The README's curl steps: sign in, start the call, read its result from the event stream.
    with httpx.Client(base_url=served.url, timeout=60) as http:
        assert http.post("/login", data={"username": LOGIN[0], "password": LOGIN[1]}).status_code == 200
        event = http.post("/gradio_api/call/ask", json=body).json()["event_id"]
        stream = http.get(f"/gradio_api/call/ask/{event}").text
    assert "event: complete" in stream, stream
    data = next(line[len("data: ") :] for line in stream.splitlines() if line.startswith("data: "))
    assert_cited(json.loads(data)[0])


async def mcp_session(url: str, headers: dict[str, str]) -> tuple[list[str], Any, Any]:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async with streamablehttp_client(url, headers=headers) as (read, write, _), ClientSession(read, write) as session:
        await session.initialize()
        tools = await session.list_tools()
        answer = await session.call_tool("ask", {"question": XI})
        listed = await session.call_tool("sources", {})
        return [tool.name for tool in tools.tools], answer, listed


def test_an_mcp_client_lists_the_tools_and_gets_a_cited_answer_as_json(served: LiveServer) -> None:
    url = served.url + "/gradio_api/mcp/"
    names, answer, listed = asyncio.run(mcp_session(url, basic(*LOGIN)))
    assert set(ENDPOINTS) <= set(names)
    assert not answer.isError and not listed.isError
    # The values API clients get, as JSON text (not a Python repr with single quotes and None).
    assert_cited(json.loads(answer.content[0].text))
    documents = json.loads(listed.content[0].text)
    assert documents and all({"doc_id", "title", "copy_of"} <= set(d) for d in documents)


@pytest.mark.parametrize("headers", [{}, basic("ana", "wrong"), basic("bob", "s3cret"), {"Authorization": "Basic !!"}])
def test_mcp_refuses_a_request_without_the_login(served: LiveServer, headers: dict[str, str]) -> None:
    hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    accept = {"Accept": "application/json, text/event-stream"}
    response = httpx.post(served.url + "/gradio_api/mcp/", json=hello, headers={**headers, **accept}, timeout=30)
    assert response.status_code == 401
    assert "ask" not in response.text
    assert httpx.get(served.url + "/gradio_api/mcp/schema", headers=headers, timeout=30).status_code == 401


def test_mcp_is_on_by_default_only_on_loopback() -> None:
    assert ui.mcp_enabled(Settings(host="127.0.0.1").server)
    assert not ui.mcp_enabled(Settings(host="0.0.0.0").server)
    assert ui.mcp_enabled(Settings(host="0.0.0.0", mcp=True).server)
    assert not ui.mcp_enabled(Settings(mcp=False).server)


@pytest.mark.parametrize(("mcp", "status"), [(None, 200), (False, 404)])
def test_no_mcp_turns_the_tools_off(app: Briefing, mcp: bool | None, status: int) -> None:
    settings = app.settings.updated(port=free_port(), mcp=mcp)
    demo = ui.build_ui(app, settings)
    _, url, _ = ui.launch(demo, settings.server, None, block=False)
    try:
        # Loopback without a login: the tools are open to this machine, as the page is.
        assert httpx.get(url.rstrip("/") + "/gradio_api/mcp/schema", timeout=30).status_code == status
    finally:
        demo.close()
