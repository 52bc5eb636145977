"""Shared fixtures: every test gets its own data folder; the real embedder loads once per session."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.api import Briefing
from core.settings import Settings
from ingest.embed import SentenceEmbedder
from tests.chroma_server import ChromaServer, copy_library, drop_library
from tests.helpers import CORPUS, OutboundBlocked, make_settings, unique_collection


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return host.lower() in {"localhost", "localhost.localdomain", "ip6-localhost"}


def _local_name(host: str) -> bool:
    return is_loopback(host) or host in {socket.gethostname(), socket.getfqdn()}


def _refuse_outbound(address: Any, family: int) -> None:
    if family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        host = str(address[0])
        if not is_loopback(host):
            raise OutboundBlocked(f"the test suite is offline: connection to {host}:{address[1]} refused")


@pytest.fixture(autouse=True, scope="session")
def _offline() -> Iterator[None]:
    """Only loopback connections: a test that would reach the network fails at once instead."""
    connect, connect_ex, getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: Any) -> None:
        _refuse_outbound(address, self.family)
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        _refuse_outbound(address, self.family)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        # A name lookup is outbound traffic too (to the resolver); literal addresses need none.
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and not _local_name(name):
            try:
                ipaddress.ip_address(name.split("%", 1)[0])
            except ValueError:
                raise OutboundBlocked(f"the test suite is offline: name lookup of {name} refused") from None
        return getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", guarded_connect)
        patch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
        patch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
        yield


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes a user's caches: home and cache folders point into the session's temporary folder.

    Derived model files (the embedder exported to ONNX, the assembled Gemma GGUF) are built there
    once per session; subprocesses started by tests inherit the same folders.
    """
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
        patch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
        patch.delenv("BRIEFING_CACHE_DIR", raising=False)
        yield


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes a user's library, config or the network."""
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BRIEFING_CHROMA_URL", raising=False)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("BRIEFING_GENERATOR", "extractive")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def embedder() -> SentenceEmbedder:
    """The real packaged all-MiniLM-L6-v2, loaded once for the whole run."""
    model = SentenceEmbedder()
    _ = model.model
    return model


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "lib")


@pytest.fixture
def app(settings: Settings, embedder: SentenceEmbedder) -> Iterator[Briefing]:
    """An empty library on disk with the real embedder and a real local Chroma."""
    briefing = Briefing(settings, embedder=embedder)
    yield briefing
    briefing.close()


@pytest.fixture(scope="session")
def corpus_library(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceEmbedder) -> Path:
    """The sample library indexed once per session; tests copy it before writing."""
    folder = tmp_path_factory.mktemp("corpus-lib")
    briefing = Briefing(make_settings(folder), embedder=embedder)
    report = briefing.ingest([CORPUS])
    assert not report.failed, report.failed
    briefing.close()
    return folder


@pytest.fixture
def corpus_app(corpus_library: Path, tmp_path: Path, embedder: SentenceEmbedder) -> Iterator[Briefing]:
    """A private copy of the indexed sample library."""
    folder = tmp_path / "corpus-copy"
    shutil.copytree(corpus_library, folder)
    briefing = Briefing(make_settings(folder), embedder=embedder)
    yield briefing
    briefing.close()


# --- both stores: a local Chroma folder and a real `chroma run` server -----------------------------


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One real Chroma server on a free loopback port for the session; data in a temporary folder."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["local", pytest.param("server", marks=pytest.mark.slow)])
def mode(request: pytest.FixtureRequest) -> str:
    """Where the vectors live: 'local' (a Chroma folder) or 'server' (the session's Chroma server)."""
    return str(request.param)


@pytest.fixture
def mode_settings(mode: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    if mode == "local":
        return make_settings(tmp_path / "lib")
    server: ChromaServer = request.getfixturevalue("chroma_server")
    return make_settings(tmp_path / "lib", chroma_url=server.url, collection=unique_collection())


@pytest.fixture
def mode_app(mode_settings: Settings, embedder: SentenceEmbedder, request: pytest.FixtureRequest) -> Iterator[Briefing]:
    """An empty library in the mode under test, with the real embedder."""
    briefing = Briefing(mode_settings, embedder=embedder)
    yield briefing
    briefing.close()
    if mode_settings.chroma_url:
        drop_library(request.getfixturevalue("chroma_server").client(), mode_settings.collection)


@pytest.fixture(scope="session")
def server_corpus(
    chroma_server: ChromaServer, tmp_path_factory: pytest.TempPathFactory, embedder: SentenceEmbedder
) -> str:
    """The sample library indexed once per session on the Chroma server; tests copy the collection."""
    settings = make_settings(
        tmp_path_factory.mktemp("server-corpus"), chroma_url=chroma_server.url, collection="corpus-lib"
    )
    briefing = Briefing(settings, embedder=embedder)
    report = briefing.ingest([CORPUS])
    assert not report.failed, report.failed
    briefing.close()
    return settings.collection


@pytest.fixture
def mode_corpus_app(
    mode: str, tmp_path: Path, embedder: SentenceEmbedder, request: pytest.FixtureRequest
) -> Iterator[Briefing]:
    """A private copy of the indexed sample library in the mode under test (server: a fresh local cache)."""
    if mode == "local":
        folder = tmp_path / "corpus-copy"
        shutil.copytree(request.getfixturevalue("corpus_library"), folder)
        settings = make_settings(folder)
    else:
        server: ChromaServer = request.getfixturevalue("chroma_server")
        settings = make_settings(tmp_path / "corpus-cache", chroma_url=server.url, collection=unique_collection())
        copy_library(server.client(), request.getfixturevalue("server_corpus"), settings.collection)
    briefing = Briefing(settings, embedder=embedder)
    yield briefing
    briefing.close()
    if settings.chroma_url:
        drop_library(request.getfixturevalue("chroma_server").client(), settings.collection)
