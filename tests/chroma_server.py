"""A real `chroma run` server on a free loopback port, started and stopped by the tests."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from ingest.catalog import catalog_name


def chroma_executable() -> str:
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the `chroma` command is not installed (pip install chromadb)")
    return found


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if the test run is killed, instead of living on."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ChromaServer:
    """`chroma run --path DIR --host 127.0.0.1 --port N`; stop() and start() again keep port and data."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.log = path.with_name(path.name + ".log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [chroma_executable(), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.alive():
                return
            time.sleep(0.05)
        self.stop()
        tail = self.log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"chroma server on port {self.port} did not start:\n{tail}")

    def alive(self) -> bool:
        try:
            return httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def client(self) -> Any:
        import chromadb

        from ingest.vectors import _chroma_settings

        return chromadb.HttpClient(host="127.0.0.1", port=self.port, settings=_chroma_settings())


def copy_library(client: Any, source: str, target: str) -> None:
    """Copy a server-mode library (vectors and document records) to a new collection name."""
    from ingest.vectors import _NoAutoEmbedding

    for src, dst in ((source, target), (catalog_name(source), catalog_name(target))):
        old = client.get_collection(src, embedding_function=_NoAutoEmbedding())
        new = client.get_or_create_collection(dst, embedding_function=_NoAutoEmbedding(), metadata=old.metadata)
        found = old.get(include=["embeddings", "metadatas", "documents"])
        for start in range(0, len(found["ids"]), 500):
            end = start + 500
            new.upsert(
                ids=found["ids"][start:end],
                embeddings=found["embeddings"][start:end],
                metadatas=found["metadatas"][start:end],
                documents=found["documents"][start:end],
            )


def drop_library(client: Any, name: str) -> None:
    for collection in (name, catalog_name(name)):
        with contextlib.suppress(Exception):  # never created, or already gone
            client.delete_collection(collection)
