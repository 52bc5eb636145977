"""The Chroma collection holding chunk vectors: a local folder, or a Chroma server."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from core.errors import StoreUnavailable

_SPACE = {"hnsw:space": "cosine"}
_BATCH = 1000  # records per Chroma call


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


def connect(chroma_dir: Path, chroma_url: str | None, timeout: float = 30.0) -> Any:
    """A Chroma client: persistent on disk, or HTTP to a server at chroma_url (every request bounded by timeout)."""
    import chromadb

    where = describe(chroma_dir, chroma_url)
    try:
        if chroma_url:
            parsed = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
            host = parsed.hostname or "127.0.0.1"
            port = parsed.port or (443 if parsed.scheme == "https" else 8000)
            ssl = parsed.scheme == "https"
            # chromadb's HTTP client waits forever (its httpx session has timeout=None) and sends its first
            # request while being built: probe with a bounded request first, then bound its session.
            _probe(f"{'https' if ssl else 'http'}://{host}:{port}", where, timeout)
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=_chroma_settings())
            _bound_requests(client, timeout)
            return client
        chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(chroma_dir), settings=_chroma_settings())
    except StoreUnavailable:
        raise
    except Exception as exc:
        raise StoreUnavailable(f"cannot reach {where}: {_reason(exc)}") from exc


def _probe(base: str, where: str, timeout: float) -> None:
    import httpx

    try:
        httpx.get(f"{base}/api/v2/heartbeat", timeout=timeout)
    except httpx.TimeoutException as exc:
        raise StoreUnavailable(f"cannot reach {where}: {_reason(exc, timeout)}") from exc
    except httpx.HTTPError as exc:
        raise StoreUnavailable(f"cannot reach {where}: {exc}") from exc


def _bound_requests(client: Any, timeout: float) -> None:
    """Give the client's HTTP session a timeout on every request (chromadb offers no setting for it)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout)


def _timeout_of(client: Any) -> float | None:
    session = getattr(getattr(client, "_server", None), "_session", None)
    read = getattr(getattr(session, "timeout", None), "read", None)
    return float(read) if read else None


def _reason(exc: BaseException, timeout: float | None = None) -> str:
    """An error from the store in words: a timeout says the server did not answer, and which setting bounds it."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        within = f" within {timeout:g} s" if timeout else ""
        return f"it did not answer{within} (setting chroma_timeout); the server may be stopped, frozen or overloaded"
    return str(exc)


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
                reason = _reason(exc, _timeout_of(self.client))
                raise StoreUnavailable(f"cannot reach the collection '{self.name}' on {self.where}: {reason}") from exc
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
                reason = _reason(exc, _timeout_of(self.client))
                raise StoreUnavailable(f"{self.where} is unreachable: {reason}") from exc
            raise

    def upsert(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        metadatas: Sequence[dict[str, Any]],
        texts: Sequence[str] | None = None,
    ) -> None:
        # Chroma refuses a call with more than a few thousand records (5,461 locally): a long document
        # (a 12,000-page PDF has 12,000 chunks) goes in several calls. Its chunks are pending until committed.
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            extra = {"documents": list(texts[start:end])} if texts is not None else {}
            embeddings = [list(v) for v in vectors[start:end]]
            batch = {"ids": list(ids[start:end]), "embeddings": embeddings, "metadatas": list(metadatas[start:end])}
            self._call("upsert", **batch, **extra)

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

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, list[float]]:
        """chunk id → stored vector, for those of chunk_ids the index holds."""
        out: dict[str, list[float]] = {}
        for start in range(0, len(chunk_ids), 1000):
            found = self._call("get", ids=list(chunk_ids[start : start + 1000]), include=["embeddings"])
            for cid, vector in zip(found["ids"], found["embeddings"], strict=True):
                out[cid] = [float(x) for x in vector]
        return out

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
