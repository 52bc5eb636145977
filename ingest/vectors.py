"""The Chroma collection holding chunk vectors: a local folder, or a Chroma server."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from core.errors import StoreUnavailable

_SPACE = {"hnsw:space": "cosine"}


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class _NoAutoEmbedding:
    """Stands in for Chroma's default embedder, which would download a model; vectors are always given."""

    is_legacy = False

    def __call__(self, input: Sequence[str]) -> list[list[float]]:
        raise RuntimeError("Briefing always passes vectors to Chroma")

    @staticmethod
    def name() -> str:
        return "briefing-explicit-vectors"

    def embed_query(self, input: Sequence[str]) -> list[list[float]]:
        return self(input)

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _NoAutoEmbedding:
        return _NoAutoEmbedding()

    def is_legacy_fn(self) -> bool:
        return False


def describe(chroma_dir: Path, chroma_url: str | None) -> str:
    """Where the vectors live, as error messages name it."""
    return f"the Chroma server at {chroma_url}" if chroma_url else f"the Chroma folder {chroma_dir}"


def connect(chroma_dir: Path, chroma_url: str | None) -> Any:
    """A Chroma client: persistent on disk, or HTTP to a server at chroma_url."""
    import chromadb

    try:
        if chroma_url:
            parsed = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=_chroma_settings(),
            )
        chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(chroma_dir), settings=_chroma_settings())
    except Exception as exc:
        raise StoreUnavailable(f"cannot reach {describe(chroma_dir, chroma_url)}: {exc}") from exc


class VectorIndex:
    """Chunk vectors with the metadata dense retrieval filters on (doc, source, published day)."""

    def __init__(self, client: Any, name: str, where: str = "the Chroma store") -> None:
        self.client = client
        self.name = name
        self.where = where
        self._collection: Any = None

    @property
    def collection(self) -> Any:
        if self._collection is None:
            try:
                self._collection = self.client.get_or_create_collection(
                    self.name,
                    embedding_function=_NoAutoEmbedding(),
                    metadata=_SPACE,
                )
            except Exception as exc:
                raise StoreUnavailable(f"cannot reach the collection '{self.name}' on {self.where}: {exc}") from exc
        return self._collection

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.collection, method)(**kwargs)
        except StoreUnavailable:
            raise
        except Exception as exc:
            if _is_connection_error(exc):
                # Forget the handle: the next call reconnects, so a restarted server is picked up.
                self._collection = None
                raise StoreUnavailable(f"{self.where} is unreachable: {exc}") from exc
            raise

    def upsert(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        metadatas: Sequence[dict[str, Any]],
        texts: Sequence[str] | None = None,
    ) -> None:
        if ids:
            extra = {"documents": list(texts)} if texts is not None else {}
            embeddings = [list(v) for v in vectors]
            self._call("upsert", ids=list(ids), embeddings=embeddings, metadatas=list(metadatas), **extra)

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 1000):
            self._call("delete", ids=list(ids[start : start + 1000]))

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk_id, cosine similarity)."""
        # Chroma returns fewer than k when the collection holds fewer, so no count() first: at
        # 100k vectors that round trip cost as much as the search. Older servers that refuse a
        # k above the count get it clamped.
        query = {"query_embeddings": [list(vector)], "where": where or None, "include": ["distances"]}
        try:
            result = self._call("query", n_results=k, **query)
        except StoreUnavailable:
            raise
        except Exception:
            count = self.count()
            if count == 0:
                return []
            result = self._call("query", n_results=min(k, count), **query)
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]

    def count(self) -> int:
        return int(self._call("count"))

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        offset = 0
        while True:
            page = self._call("get", include=[], limit=5000, offset=offset)
            ids.update(page["ids"])
            if len(page["ids"]) < 5000:
                return ids
            offset += 5000

    def metadata_of(self, doc_ids: Sequence[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        """doc_id -> (chunk id, metadata) of every vector stored for those documents."""
        out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for start in range(0, len(doc_ids), 500):
            batch = list(doc_ids[start : start + 500])
            found = self._call("get", where={"doc_id": {"$in": batch}}, include=["metadatas"])
            for cid, meta in zip(found["ids"], found["metadatas"], strict=True):
                out.setdefault(str(meta["doc_id"]), []).append((cid, dict(meta)))
        return out


def _is_connection_error(exc: Exception) -> bool:
    import httpx

    if isinstance(exc, httpx.TransportError):
        return True
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in ("connect", "connection", "timeout", "refused", "unreachable"))
