"""A real `briefing serve` in a subprocess, for tests that drive the running app."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

BRIEFING = Path(sys.executable).parent / "briefing"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def live_serve(folder: Path, env: dict[str, str] | None = None, seed: Path | None = None,
               startup: float = 180) -> Iterator[LiveServer]:
    """Start `briefing serve` on a free port with its data in `folder`; stop it afterwards."""
    port = free_port()
    environment = dict(os.environ)
    environment.update(
        {
            "BRIEFING_DATA_DIR": str(folder / "data"),
            "BRIEFING_GENERATOR": "extractive",
            "HF_HUB_OFFLINE": "1",
            "GRADIO_ANALYTICS_ENABLED": "False",
        }
    )
    environment.pop("BRIEFING_CHROMA_URL", None)
    environment.update(env or {})
    log_path = folder / "server.log"
    command = [str(BRIEFING), "serve", "--port", str(port)] + (["--seed", str(seed)] if seed else [])
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=folder, env=environment, stdout=log, stderr=subprocess.STDOUT)
        server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
        deadline = time.monotonic() + startup
        try:
            while True:
                if process.poll() is not None:
                    pytest.fail(f"briefing serve exited with {process.returncode}:\n{server.output()}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(server.url + "/config", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    pytest.fail(f"briefing serve did not come up:\n{server.output()}")
                time.sleep(0.5)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
