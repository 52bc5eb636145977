"""Checks of the test harness itself, not of Briefing: the suite's offline guard (tests/conftest.py).

Every other test relies on it: a test that would reach past this machine must fail at once, and
loopback servers (Chroma, LLM stubs, web pages) must stay reachable.
"""

from __future__ import annotations

import socket
import threading

import pytest

from tests.helpers import OutboundBlocked

pytestmark = pytest.mark.harness


@pytest.mark.parametrize(
    "address", [("192.0.2.10", 80), ("203.0.113.7", 443), ("2001:db8::1", 443), ("example.com", 80)]
)
def test_connections_beyond_this_machine_are_refused(address: tuple[str, int]) -> None:
    with pytest.raises(OutboundBlocked, match="offline"):
        socket.create_connection(address, timeout=5)


def test_loopback_stays_open() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        accepted.append(conn.recv(5))
        conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        with socket.create_connection(("localhost", port), timeout=5) as client:
            client.sendall(b"hello")
        thread.join(timeout=5)
        assert accepted == [b"hello"]
    finally:
        server.close()
