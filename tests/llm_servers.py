"""Small local HTTP servers that speak the Ollama and OpenAI streaming protocols, with scripted replies."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[dict[str, Any]], str]


class Recorder:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []


def _pieces(text: str) -> list[str]:
    """Split a reply into several stream chunks, as a real server sends tokens."""
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]


@contextmanager
def llm_server(protocol: str, reply: Reply) -> Iterator[tuple[str, Recorder]]:
    """Serve `protocol` ('ollama' or 'openai') on a free loopback port; yields (base_url, recorder)."""
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            recorder.requests.append(body)
            recorder.headers.append(dict(self.headers.items()))
            text = reply(body)
            if protocol == "ollama" and self.path == "/api/chat":
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                for piece in _pieces(text):
                    line = {"model": body["model"], "message": {"role": "assistant", "content": piece}, "done": False}
                    self.wfile.write((json.dumps(line) + "\n").encode())
                    self.wfile.flush()
                self.wfile.write((json.dumps({"model": body["model"], "done": True}) + "\n").encode())
            elif protocol == "openai" and self.path == "/v1/chat/completions":
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for piece in _pieces(text):
                    event = {
                        "id": "x",
                        "object": "chat.completion.chunk",
                        "choices": [{"index": 0, "delta": {"content": piece}}],
                    }
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
            else:
                self.send_response(404)
                self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        base = f"http://{host}:{port}" + ("/v1" if protocol == "openai" else "")
        yield base, recorder
    finally:
        server.shutdown()
        server.server_close()


def user_prompt(request: dict[str, Any]) -> str:
    return next(m["content"] for m in request["messages"] if m["role"] == "user")
