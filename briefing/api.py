"""The Python API: one object that the CLI, the web app and the evaluator all call."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any

from briefing.feeds_api import FeedsMixin
from core.errors import BriefingError, EmbedderMismatch, NotFound
from core.models import Answer, Document, Hit
from core.request import Request
from core.settings import Settings, load_settings
from ingest.catalog import Catalog, SyncReport, catalog_name, sync, with_spans
from ingest.embed import SentenceEmbedder
from ingest.split import adopt_shared, open_library
from ingest.vectors import VectorIndex, connect, describe

EMBEDDER_META = "embedder"
SEED_META = "seeded_from"
CONTEXT_META = "chunk_context"

if TYPE_CHECKING:
    # Loaders, chunking and fetching are for ingest only: `briefing ask` never imports them.
    from ingest.feeds import FeedPoller
    from ingest.pipeline import Ingestor, IngestReport, Progress
    from ingest.removed import Removal, RemovedBin
    from rag.brief import Brief, BriefProgress
    from rag.chain import Answerer, Event, Plan
    from rag.retrieve import Retriever
    from rag.timeline import Timeline


class Briefing(FeedsMixin):
    """A library of documents, and cited answers from it."""

    def __init__(self, settings: Settings | None = None, embedder: SentenceEmbedder | None = None) -> None:
        self.settings = settings or load_settings()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.library = open_library(self.settings)
        e = self.settings.embedding
        self.embedder = embedder or SentenceEmbedder(
            e.model, e.batch_size, e.threads, backend=e.backend, cache_dir=e.cache_dir
        )
        self._embedder_error: str | None = None
        self.embedder_note = self._check_embedder() or self._check_context()
        self._client: Any = None
        self._index: VectorIndex | None = None
        self.catalog: Catalog | None = None  # server mode: the server's list of documents
        self._answerer: Answerer | None = None
        self._removed_bin: RemovedBin | None = None
        self._lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._feed_poller: FeedPoller | None = None

    # -- stores ----------------------------------------------------------------------------------

    @property
    def index(self) -> VectorIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    s = self.settings
                    self._client = connect(s.chroma_dir, s.chroma_url, s.chroma_timeout)
                    where = describe(s.chroma_dir, s.chroma_url)
                    index = VectorIndex(self._client, s.collection, where)
                    _ = index.collection
                    if s.chroma_url:
                        self.catalog = Catalog(self._client, catalog_name(s.collection), where)
                        _ = self.catalog.collection
                    self._index = index
                    try:
                        adopt_shared(self.library, index)
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

    def _check_context(self) -> str | None:
        """Vectors embedded before chunk context still work; a note says `briefing reindex` improves them."""
        from ingest.chunking import CONTEXT_VERSION

        stored = self.library.meta(CONTEXT_META)
        if stored is None:
            stored = "0" if self.library.counts()["chunks"] else CONTEXT_VERSION
            self.library.set_meta(CONTEXT_META, stored)
        if stored == CONTEXT_VERSION:
            return None
        return (
            "the library's vectors were embedded without their documents' titles, outlets and dates;"
            " `briefing reindex` embeds them again with them (search works meanwhile, a little less well)"
        )

    def reindex(self, progress: Callable[[int, int], None] | None = None, batch: int = 256) -> int:
        """Embed every stored chunk again with the configured embedder; returns chunks embedded.

        Reads chunk texts from the library (no source files needed) and overwrites their vectors.
        """
        from ingest.chunking import CONTEXT_VERSION, embedding_text
        from ingest.coherence import backfill as backfill_coherence
        from ingest.language import backfill_languages
        from ingest.pipeline import chunk_metadata

        backfill_languages(self.library)  # documents stored before detection; their vectors carry it
        total = self.library.counts()["chunks"]
        done = 0
        for chunks in self.library.iter_chunks(batch):
            documents = self.library.documents_by_id({c.doc_id for c in chunks})
            vectors = self.embedder.embed_batch([embedding_text(documents[c.doc_id], c) for c in chunks])
            metadatas = [chunk_metadata(documents[c.doc_id], c) for c in chunks]
            if self.catalog is None:
                self.index.upsert([c.chunk_id for c in chunks], vectors, metadatas)
            else:  # keep what other processes rebuild chunks from
                metadatas = with_spans(metadatas, chunks, documents)
                self.index.upsert([c.chunk_id for c in chunks], vectors, metadatas, texts=[c.text for c in chunks])
            done += len(chunks)
            if progress:
                progress(done, total)
        # Coherence is measured on the vectors: the new ones measure it again (ingest/coherence.py).
        self.library.forget_coherence()
        backfill_coherence(self.library, self.index)
        self.library.set_meta(EMBEDDER_META, self.embedder.identity)
        self.library.set_meta(CONTEXT_META, CONTEXT_VERSION)
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
        s = self.settings.ingest
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
            max_inflated=s.max_inflated_bytes,
            source_deadline=s.source_deadline,
            fetch_deadline=s.fetch_deadline,
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

    def seed(self, folder: Path) -> IngestReport | None:
        """Ingest `folder` on the library's first start only; removed sample documents stay removed."""
        if self.library.meta(SEED_META) is not None:
            return None
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        if self.library.counts()["documents"]:
            # Someone already built this library: don't mix the samples into it.
            self.library.set_meta(SEED_META, json.dumps({"path": None, "at": stamp, "skipped": "library not empty"}))
            return None
        report = self.ingest([folder])
        self.library.set_meta(SEED_META, json.dumps({"path": str(folder), "at": stamp, "added": len(report.added)}))
        return report

    def documents(self) -> list[Document]:
        self.refresh()
        return self.library.documents()

    def outlets(self) -> list[tuple[str, int]]:
        """Each outlet in the library with its number of documents."""
        return self.library.sources()

    def document(self, doc_id: str) -> Document:
        found = self.library.document(doc_id)
        if found is None:
            raise NotFound(f"no document with id {doc_id}")
        return found

    def remove(self, ref: str) -> list[Document]:
        """Remove the documents matching an id, external id, URL or path, with all their chunks.

        Each stays in the bin for ingest.removed.KEEP_DAYS days: restore(doc_id) brings it back.
        """
        self.refresh()
        doc_ids = self.library.resolve(ref)
        if not doc_ids:
            raise NotFound(f"no document matches '{ref}'")
        removed: list[Document] = []
        for doc_id in doc_ids:
            document = self.library.document(doc_id, with_text=False)
            self.removed_bin.keep(doc_id, self.index, self.library.meta(EMBEDDER_META) or "")
            ids = self.library.remove(doc_id)
            if self.catalog is not None:
                self.catalog.withdraw([doc_id])  # the removal's commit; the vectors go after it
            self.index.delete(ids)
            self.library.forget(ids)
            if document:
                removed.append(document)
        return removed

    @property
    def removed_bin(self) -> RemovedBin:
        from ingest.removed import RemovedBin

        if self._removed_bin is None:
            self._removed_bin = RemovedBin(self.library)
        return self._removed_bin

    def removed(self) -> list[Removal]:
        """Recently removed documents that restore() can bring back, most recent first."""
        self.refresh()
        return self.removed_bin.entries()

    def restore(self, doc_id: str) -> Document:
        """Bring a removed document back exactly as it was: same id, text, metadata, chunks and offsets."""
        from ingest.dedup import DuplicateIndex
        from ingest.removed import put_back

        self._require_compatible_embedder()
        self.refresh()
        kept = self.removed_bin.load(doc_id)
        if kept is None:
            raise NotFound(f"no removed document with id {doc_id} (removed documents are kept for a limited time)")
        document = kept.removal.document
        if self.library.document(doc_id, with_text=False) is not None or self.library.find_by_key(kept.key):
            raise BriefingError(f"'{document.title}' is in the library again; there is nothing to restore")
        put_back(kept, self.library, self.index, self.embedder, self.library.meta(EMBEDDER_META) or "", self.catalog)
        self.removed_bin.discard(doc_id)
        DuplicateIndex(self.library).add(doc_id, document.text)
        return self.document(doc_id)

    def copies(self) -> dict[str, str]:
        """Near-duplicate documents: copy doc id → the doc id it copies (the earliest published copy)."""
        from ingest.dedup import DuplicateIndex

        duplicates = DuplicateIndex(self.library)
        duplicates.backfill()
        return duplicates.copies()

    def counts(self, vectors: bool = True) -> dict[str, int]:
        """Documents and chunks in the library, and (unless vectors=False) vectors in the index."""
        if not vectors:
            return self.library.counts()
        self.refresh()
        counts = self.library.counts()
        counts["vectors"] = self.index.count()
        return counts

    # -- answers ---------------------------------------------------------------------------------

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            from rag.chain import Answerer

            self._answerer = Answerer(self.retriever(), self.settings.generation, self.embedder)
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
        return Retriever(self.library, self.index, self.embedder, self.settings.retrieval)

    def plan(self, request: Request | str) -> Plan:
        """How a request will be searched: standalone question, search text, filters and time scope."""
        return self.answerer.plan(_request(request))

    def retrieve(self, request: Request | str, k: int | None = None) -> list[Hit]:
        """The k (default top_k) passages a request is answered from, planned as ask() plans it.

        A plain string is searched as written, without time handling; a Request has it on by default.
        """
        self.refresh()
        return self.answerer.retrieve(_request(request, temporal=False), k)

    def ask(self, request: Request | str) -> Answer:
        """A cited answer (or a plain abstention); a string is a Request with no history or filters."""
        self.refresh()
        answer = self.answerer.ask(_request(request))
        gap = self.vector_gap()
        return answer.with_note(gap) if gap else answer

    def stream(self, request: Request | str) -> Iterator[Event]:
        """Tokens as they are generated, then Done with the verified Answer and the time scope it used.

        See core.request.Request for history, filters, as_of, asked_on and temporal.
        """
        self.refresh()
        events = self.answerer.stream(_request(request))
        gap = self.vector_gap()
        return _with_note(events, gap) if gap else events

    def vector_gap(self) -> str | None:
        """What is missing, and how to mend it, when stored passages lack vectors in a local collection.

        Ingest writes vectors before it commits passages and removal forgets passages before their vectors, so
        only a Chroma folder replaced or deleted leaves fewer. Server mode is left out: other processes write there."""
        if self.settings.chroma_url:
            return None
        chunks = self.library.chunk_count()
        vectors = self.index.count() if chunks else 0
        if vectors >= chunks:
            return None
        return (
            f"{chunks - vectors} of {chunks} stored passages have no vector in the collection "
            f"'{self.settings.collection}' in {self.settings.chroma_dir}: they are found by their words only; "
            "run `briefing reindex` to embed them again"
        )

    def timeline(
        self,
        topic: str,
        since: date | None = None,
        until: date | None = None,
        limit: int = 20,
        asked_on: date | None = None,
    ) -> Timeline:
        """Dated events the library holds on a topic, oldest first, each with its citation.

        Time words in the topic ("tariffs since 2024") narrow the window like since/until do;
        events are placed by the date their sentence states, else by their document's date, and
        only documents published by asked_on (default today) are read. A day or month said without
        its year is read in the year an answer to the topic reads it in (see briefing.topics); the timeline's
        `notes` then say so. A list of rag.timeline.TimelineEntry.
        """
        from briefing.topics import timeline

        return timeline(self, topic, since, until, limit, asked_on)

    def brief(
        self,
        topic: str,
        since: date | None = None,
        until: date | None = None,
        as_of: date | None = None,
        sources: Sequence[str] = (),
        progress: Callable[[BriefProgress], None] | None = None,
        max_passages: int = 80,
    ) -> Brief:
        """A structured, cited brief on a topic from the library (see rag.brief).

        since/until select events and passages by date; as_of reads the library as it stood that day
        (documents published later are left out). Time words in the topic narrow the window too.
        At most max_passages passages are read, which bounds the time a large topic takes. A day or
        month said without its year is read in the year an answer to the topic reads it in, with a note
        when that is not the latest (see briefing.topics).
        """
        from briefing.topics import brief

        self.refresh()
        return brief(self, topic, since, until, as_of, sources, progress, max_passages)

    def brief_stream(self, topic: str, **options: Any) -> Iterator[BriefProgress | Brief]:
        """Progress events while a brief is built, then the Brief (for the app and the CLI)."""
        from rag.brief import brief_events

        return brief_events(lambda tell: self.brief(topic, progress=tell, **options))

    def report_docx(self, answers: Sequence[Answer], title: str = "Briefing", when: datetime | None = None) -> bytes:
        """A conversation as a Word report, its author property taken from the report_author setting."""
        from briefing.export import conversation_docx

        return conversation_docx(answers, title, when, author=self.settings.reports.author)

    def close(self) -> None:
        self.library.close()


def _request(request: Request | str, temporal: bool = True) -> Request:
    return Request(request, temporal=temporal) if isinstance(request, str) else request


def upload_name(name: str) -> str:
    """The base name of an uploaded file, whatever separators or `..` parts the browser sent."""
    base = PureWindowsPath(name.replace("\x00", "")).name  # splits on / and on backslashes
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base if base.strip(".") else "upload"


def _with_note(events: Iterator[Event], note: str) -> Iterator[Event]:
    """The events, with `note` added to the answer of the last one."""
    from rag.chain import Done

    for event in events:
        yield Done(event.answer.with_note(note), event.scope) if isinstance(event, Done) else event
