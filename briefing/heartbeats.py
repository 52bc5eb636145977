"""A bound on Gradio's heartbeat streams, which any client may open without signing in.

Each open page keeps one `GET /gradio_api/heartbeat/<session>` stream for as long as it is open;
Gradio closes the session when that stream ends. Gradio has no setting to limit how many such
streams one client holds, so a script can open hundreds and pin as many sockets and file
descriptors. This ASGI middleware caps the number open at once, per client address and in all,
and answers the rest with 429 at once. Their length is left alone: cutting a stream would end a
real reader's session while their tab is still open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PER_CLIENT = 16  # open pages per address; behind a reverse proxy every reader shares one address
TOTAL = 256


class HeartbeatLimit:
    """At most `per_client` heartbeat streams per client address and `total` in all; more get 429."""

    def __init__(self, app: ASGIApp, per_client: int = PER_CLIENT, total: int = TOTAL) -> None:
        self.app = app
        self.per_client = per_client
        self.total = total
        self.open: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "/heartbeat/" not in scope.get("path", ""):
            await self.app(scope, receive, send)
            return
        client = str((scope.get("client") or ("unknown",))[0])
        # One event loop runs every request, so these counts need no lock.
        if self.open[client] >= self.per_client or sum(self.open.values()) >= self.total:
            await _too_many(send)
            return
        self.open[client] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.open[client] -= 1
            if self.open[client] <= 0:
                del self.open[client]


async def _too_many(send: Send) -> None:
    body = b"too many open heartbeat streams from this address\n"
    headers = [(b"content-type", b"text/plain"), (b"retry-after", b"30"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def heartbeat_middleware(per_client: int = PER_CLIENT, total: int = TOTAL) -> list[Any]:
    """For `gr.Blocks.launch(app_kwargs={"middleware": ...})`."""
    from starlette.middleware import Middleware

    return [Middleware(HeartbeatLimit, per_client=per_client, total=total)]
