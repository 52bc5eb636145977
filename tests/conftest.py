"""Shared fixtures: every test gets its own data folder; the real embedder loads once per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.api import Briefing
from briefing.settings import Settings
from ingest.embed import SentenceEmbedder

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


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


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"generator": "extractive", **overrides}
    return Settings(data_dir=data_dir, **values)  # type: ignore[arg-type]


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


def env_for_subprocess(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BRIEFING_DATA_DIR"] = str(data_dir)
    env["HF_HUB_OFFLINE"] = "1"
    return env
