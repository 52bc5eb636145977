"""Settings grouped by concern, still set by the flat names users know (BRIEFING_TOP_K, chunk_size = …)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import FLAT, Settings, load_settings


def test_flat_environment_variables_reach_their_groups(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env = {
        "BRIEFING_DATA_DIR": str(tmp_path / "lib"),
        "BRIEFING_CHROMA_URL": "http://127.0.0.1:8000",
        "BRIEFING_GENERATOR": "ollama",
        "BRIEFING_LLM_URL": "http://127.0.0.1:11434",
        "BRIEFING_LLM_MODEL": "llama3.2",
        "BRIEFING_TOP_K": "9",
        "BRIEFING_RETRIEVAL": "dense",
        "BRIEFING_CHUNK_SIZE": "700",
        "BRIEFING_MAX_DOC_CHARS": "1000",
        "BRIEFING_EMBEDDER": "my-model",
        "BRIEFING_EMBED_BACKEND": "torch",
        "BRIEFING_CACHE_DIR": str(tmp_path / "cache"),
        "BRIEFING_UPLOAD_MAX_MB": "5",
        "BRIEFING_AUTH_USER": "ana",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    s = Settings()
    assert (s.data_dir, s.chroma_url) == (tmp_path / "lib", "http://127.0.0.1:8000")
    assert (s.generation.generator, s.generation.llm_url, s.generation.llm_model) == (
        "ollama",
        "http://127.0.0.1:11434",
        "llama3.2",
    )
    assert (s.retrieval.top_k, s.retrieval.mode) == (9, "dense")
    assert (s.ingest.chunk_size, s.ingest.max_doc_chars) == (700, 1000)
    assert (s.embedding.model, s.embedding.backend, s.embedding.cache_dir) == ("my-model", "torch", tmp_path / "cache")
    assert (s.server.upload_max_mb, s.server.auth_user) == (5, "ana")
    # A bad value is refused by name, as before the grouping.
    monkeypatch.setenv("BRIEFING_RETRIEVAL", "psychic")
    with pytest.raises(ValueError, match="mode"):
        Settings()


def test_keyword_arguments_beat_the_environment_and_keep_its_other_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_TOP_K", "9")
    monkeypatch.setenv("BRIEFING_CANDIDATES", "50")
    s = load_settings(retrieval="sparse", top_k=4, generator=None)
    assert (s.retrieval.mode, s.retrieval.top_k, s.retrieval.candidates) == ("sparse", 4, 50)
    assert s.generation.generator == "extractive"  # the test environment's BRIEFING_GENERATOR, not overridden by None


def test_a_toml_file_takes_flat_keys_or_group_tables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('[briefing]\nchunk_size = 500\nretrieval = "dense"\n\n[briefing.generation]\nllm_model = "m"\n')
    monkeypatch.setenv("BRIEFING_CONFIG", str(config))
    s = Settings()
    assert (s.ingest.chunk_size, s.retrieval.mode, s.generation.llm_model) == (500, "dense", "m")
    monkeypatch.setenv("BRIEFING_CHUNK_SIZE", "800")  # the environment beats the file
    assert Settings().ingest.chunk_size == 800


def test_updated_changes_only_what_it_names(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, top_k=3)
    changed = s.updated(port=8001, retrieval="dense", host=None)
    assert (changed.server.port, changed.server.host, changed.retrieval.mode) == (8001, "127.0.0.1", "dense")
    assert (changed.retrieval.top_k, changed.data_dir) == (3, tmp_path)
    assert (s.server.port, s.retrieval.mode) == (7860, "hybrid")


def test_every_setting_has_one_flat_name() -> None:
    groups = {"embedding", "ingest", "retrieval", "generation", "server", "reports", "feeds"}
    fields = {(g, name) for g in groups for name in type(getattr(Settings(), g)).model_fields}
    assert sorted(FLAT.values()) == sorted(fields)
    assert set(Settings.model_fields) == groups | {"data_dir", "collection", "chroma_url", "chroma_timeout"}
