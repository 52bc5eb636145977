"""The Python API: one object that the CLI, the web app and the evaluator all call."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any

from briefing.errors import EmbedderMismatch, NotFound
from briefing.models import Answer, Document, Hit
from briefing.settings import Settings, load_settings
from ingest.catalog import Catalog, SyncReport, catalog_name, sync, with_spans
from ingest.embed import SentenceEmbedder
from ingest.store import Filters, Library
from ingest.vectors import VectorIndex, connect, describe

EMBEDDER_META = "embedder"

if TYPE_CHECKING:
    # Loaders, chunking and fetching are for ingest only: `briefing ask` never imports them.
    from ingest.pipeline import Ingestor, IngestReport, Progress
    from rag.chain import Answerer, Event
    from rag.retrieve import Retriever
    from rag.temporal import TimeScope
    from rag.timeline import TimelineEntry


class Briefing:
    """A library of documents, and cited answers from it."""

    def __init__(self, settings: Settings | None = None, embedder: SentenceEmbedder | None = None) -> None:
        self.settings = settings or load_settings()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.library = Library(self.settings.library_db)
        self.embedder = embedder or SentenceEmbedder(
            self.settings.embedder,
            self.settings.embed_batch_size,
            self.settings.embed_threads,
            backend=self.settings.embed_backend,
            cache_dir=self.settings.cache_dir,
        )
        self._embedder_error: str | None = None
        self.embedder_note = self._check_embedder()
        self._client: Any = None
        self._index: VectorIndex | None = None
        self.catalog: Catalog | None = None  # server mode: the server's list of documents
        self._answerer: Answerer | None = None
        self._lock = threading.Lock()
        self._sync_lock = threading.Lock()

    # -- stores ----------------------------------------------------------------------------------

    @property
    def index(self) -> VectorIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    s = self.settings
                    self._client = connect(s.chroma_dir, s.chroma_url)
                    where = describe(s.chroma_dir, s.chroma_url)
                    index = VectorIndex(self._client, s.collection, where)
                    _ = index.collection
                    if s.chroma_url:
                        self.catalog = Catalog(self._client, catalog_name(s.collection), where)
                        _ = self.catalog.collection
                    self._index = index
                    try:
                        self.repair()
                    except BaseException:
                        self._index = None  # opened again, and repaired, on the next call
                        raise
        return self._index

    def refresh(self) -> SyncReport | None:
        """Server mode: bring the local cache up to the server's documents (one small request when current)."""
        index = self.index
        if self.catalog is None:
            return None
        with self._sync_lock:
            return sync(self.library, self.catalog, index)

    def _check_embedder(self) -> str | None:
        """Record which embedder made the library's vectors; refuse another model, note another backend.

        Libraries from before this record was kept were embedded by the torch backend.
        """
        current = self.embedder.identity
        stored = self.library.meta(EMBEDDER_META)
        if stored is None:
            has_chunks = self.library.counts()["chunks"] > 0
            stored = f"{current.partition('|')[0]}|torch" if has_chunks else current
            self.library.set_meta(EMBEDDER_META, stored)
        if stored == current:
            return None
        model, _, backend = stored.partition("|")
        if model != current.partition("|")[0]:
            # Searching other vectors with this model would return noise: refused until reindexed.
            self._embedder_error = (
                f"this library was embedded with '{model}' but the embedder is now "
                f"'{current.partition('|')[0]}'; set BRIEFING_EMBEDDER={model}, "
                "or run `briefing reindex` to embed the library again with the new model"
            )
            return None
        # Same model, another runtime: vectors agree to cosine >= 0.99, so search still works.
        return (
            f"the library's vectors were made by the {backend} backend and this process uses "
            f"{self.embedder.backend} (same model); `briefing reindex` makes them uniform"
        )

    def reindex(self, progress: Callable[[int, int], None] | None = None, batch: int = 256) -> int:
        """Embed every stored chunk again with the configured embedder; returns chunks embedded.

        Reads chunk texts from the library (no source files needed) and overwrites their vectors.
        """
        from ingest.language import backfill_languages
        from ingest.pipeline import chunk_metadata

        backfill_languages(self.library)  # documents stored before detection; their vectors carry it
        total = self.library.counts()["chunks"]
        done = 0
        for chunks in self.library.iter_chunks(batch):
            documents = self.library.documents_by_id({c.doc_id for c in chunks})
            vectors = self.embedder.embed_batch([c.text for c in chunks])
            metadatas = [chunk_metadata(documents[c.doc_id], c) for c in chunks]
            if self.catalog is None:
                self.index.upsert([c.chunk_id for c in chunks], vectors, metadatas)
            else:  # keep what other processes rebuild chunks from
                metadatas = with_spans(metadatas, chunks, documents)
                self.index.upsert([c.chunk_id for c in chunks], vectors, metadatas, texts=[c.text for c in chunks])
            done += len(chunks)
            if progress:
                progress(done, total)
        self.library.set_meta(EMBEDDER_META, self.embedder.identity)
        self.embedder_note = self._embedder_error = None
        return done

    def _require_compatible_embedder(self) -> None:
        if self._embedder_error:
            raise EmbedderMismatch(self._embedder_error)

    def repair(self) -> int:
        """Finish what an interrupted ingest or removal left behind; returns vectors cleaned."""
        self.refresh()  # server mode: a document committed on the server is not abandoned work
        stale = self.library.abandoned()
        if stale:
            self.index.delete(stale)
            self.library.forget(stale)
        return len(stale)

    # -- library ---------------------------------------------------------------------------------

    def ingestor(self) -> Ingestor:
        from ingest.pipeline import Ingestor

        self._require_compatible_embedder()
        s = self.settings
        return Ingestor(
            self.library,
            self.index,
            self.embedder,
            chunk_size=s.chunk_size,
            chunk_overlap=s.chunk_overlap,
            max_bytes=s.max_file_bytes,
            fetch_timeout=s.fetch_timeout,
            max_chars=s.max_doc_chars,
            catalog=self.catalog,
        )

    def ingest(self, targets: Sequence[str | Path], progress: Progress | None = None) -> IngestReport:
        """Add or update files, folders, JSON(L) dumps and URLs."""
        self.refresh()
        report = self.ingestor().run(targets, progress)
        if self.embedder_note and (report.added or report.updated):
            report.notes.append(self.embedder_note)
        return report

    def add_upload(self, path: Path, name: str, progress: Progress | None = None) -> IngestReport:
        """Add an uploaded file under its original name (re-uploading the same name replaces it)."""
        self.refresh()
        safe = upload_name(name)
        return self.ingestor().run([path], progress, key=f"upload:{safe}", display_name=safe)

    def documents(self) -> list[Document]:
        self.refresh()
        return self.library.documents()

    def document(self, doc_id: str) -> Document:
        found = self.library.document(doc_id)
        if found is None:
            raise NotFound(f"no document with id {doc_id}")
        return found

    def remove(self, ref: str) -> list[Document]:
        """Remove the documents matching an id, external id, URL or path, with all their chunks."""
        self.refresh()
        doc_ids = self.library.resolve(ref)
        if not doc_ids:
            raise NotFound(f"no document matches '{ref}'")
        removed: list[Document] = []
        for doc_id in doc_ids:
            document = self.library.document(doc_id, with_text=False)
            ids = self.library.remove(doc_id)
            if self.catalog is not None:
                self.catalog.withdraw([doc_id])  # the removal's commit; the vectors go after it
            self.index.delete(ids)
            self.library.forget(ids)
            if document:
                removed.append(document)
        return removed

    def copies(self) -> dict[str, str]:
        """Near-duplicate documents: copy doc id → the doc id it copies (the earliest published copy)."""
        from ingest.dedup import DuplicateIndex

        duplicates = DuplicateIndex(self.library)
        duplicates.backfill()
        return duplicates.copies()

    def counts(self) -> dict[str, int]:
        self.refresh()
        counts = self.library.counts()
        counts["vectors"] = self.index.count()
        return counts

    # -- answers ---------------------------------------------------------------------------------

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            from rag.chain import Answerer

            self._answerer = Answerer(self.retriever(), self.settings, self.embedder)
        return self._answerer

    def check_generator(self) -> str | None:
        """Start the local model's worker and have it generate one token: None when it works, else why not.

        Other generators are not probed (a remote server may legitimately be started later).
        """
        from rag.llms import LlamaCppCompletion

        llm = self.answerer.llm
        if isinstance(llm, LlamaCppCompletion):
            return llm.worker().probe()
        return None

    def local_model_state(self) -> tuple[str, str | None]:
        """The local model worker's state ('not started', 'loading', 'ready', 'failed') and its last problem."""
        from rag.llms import LlamaCppCompletion

        llm = self.answerer.llm
        if not isinstance(llm, LlamaCppCompletion):
            return "not used", None
        worker = llm.worker()
        return worker.state, worker.problem if worker.state == "failed" else None

    def retriever(self) -> Retriever:
        from rag.retrieve import Retriever

        self._require_compatible_embedder()
        return Retriever(self.library, self.index, self.embedder, self.settings)

    def retrieve(
        self,
        question: str,
        filters: Filters | None = None,
        k: int | None = None,
        asked_on: date | None = None,
        temporal: bool | None = None,
    ) -> list[Hit]:
        """The passages for a question. Time handling (as ask() does it) is on when asked_on is given
        or temporal=True; without it the question's words are searched as they are."""
        use_time = temporal if temporal is not None else asked_on is not None
        k = k or self.settings.top_k
        self.refresh()
        if not use_time:
            return self.answerer.retriever.search(question, filters or Filters(), k)
        return self.answerer.retrieve(question, filters, k, asked_on, temporal=True)

    def time_scope(self, question: str, asked_on: date | None = None) -> TimeScope:
        """What a question's time words mean on asked_on (default today): window, recency, search text."""
        return self.answerer.scope(question, asked_on)

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        filters: Filters | None = None,
        as_of: Any = None,
        asked_on: date | None = None,
        temporal: bool = True,
    ) -> Answer:
        """A cited answer (or a plain abstention). See stream() for as_of, asked_on and temporal."""
        self.refresh()
        return self.answerer.ask(question, history, filters or Filters(), as_of, asked_on, temporal)

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        filters: Filters | None = None,
        as_of: Any = None,
        asked_on: date | None = None,
        temporal: bool = True,
    ) -> Iterator[Event]:
        """Tokens as they are generated, then the verified Answer.

        as_of: only documents dated on or before that day. asked_on: the day the question is asked
        (default as_of, else today); "this week", "since January", "before the Geneva talks" are
        resolved against it and documents published after it are left out. temporal=False turns
        all time handling off.
        """
        self.refresh()
        return self.answerer.stream(question, history, filters or Filters(), as_of, asked_on, temporal)

    def timeline(
        self,
        topic: str,
        since: date | None = None,
        until: date | None = None,
        limit: int = 20,
        asked_on: date | None = None,
    ) -> list[TimelineEntry]:
        """Dated events the library holds on a topic, oldest first, each with its citation.

        Time words in the topic ("tariffs since 2024") narrow the window like since/until do;
        events are placed by the date their sentence states, else by their document's date, and
        only documents published by asked_on (default today) are read. See rag.timeline.TimelineEntry.
        """
        from dataclasses import replace as _replace

        from rag.timeline import build_timeline

        scope = self.answerer.scope(topic, asked_on)
        since = max((d for d in (since, scope.since) if d), default=None)
        until = min((d for d in (until, scope.until) if d), default=None)
        query = scope.query or topic
        # The window selects events, not documents: a 2025 report may state what happened in 2014.
        window = _replace(scope, since=since, until=until, recency=None)
        hits = self.answerer.retriever.search(query, Filters(), k=max(40, limit * 2), scope=window)
        return build_timeline(query, hits, self.embedder, since, until, limit)

    def close(self) -> None:
        self.library.close()


def upload_name(name: str) -> str:
    """The base name of an uploaded file, whatever separators or `..` parts the browser sent."""
    base = PureWindowsPath(name.replace("\x00", "")).name  # splits on / and on backslashes
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base if base.strip(".") else "upload"
