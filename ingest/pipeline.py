"""Ingest: walk sources, load, chunk, embed in batches, write vectors, then commit to the library."""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import LoadError
from core.models import Chunk, Document
from ingest.catalog import Catalog, with_spans
from ingest.chunking import embedding_text, split
from ingest.coherence import backfill as backfill_coherence
from ingest.coherence import by_document
from ingest.dedup import DuplicateIndex, Match
from ingest.embed import SentenceEmbedder
from ingest.fetch import download, is_url
from ingest.language import chunk_size_for, detect_language
from ingest.limits import Budget, encodable, failure_reason, printable, reading
from ingest.loaders import Failure, Loaded, Result, load_path
from ingest.store import Library
from ingest.vectors import VectorIndex

IGNORE_FILE = ".briefingignore"


@dataclass
class IngestReport:
    """What an ingest did, per document, with timings by stage."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: {"load": 0.0, "embed": 0.0, "write": 0.0})

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[str, str], None]
"""Called once per source with (origin, outcome): added, updated, unchanged or failed."""


def doc_id_for(key: str) -> str:
    # surrogateescape: a key holding an undecodable file name still hashes (the name is refused later, by name).
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def content_hash(loaded: Loaded) -> str:
    """Hash of everything stored for a document, so a metadata edit is a change too."""
    parts = [
        loaded.text,
        loaded.title,
        loaded.source or "",
        loaded.url or "",
        loaded.published.isoformat() if loaded.published else "",
        loaded.author or "",
        loaded.external_id or "",
        ",".join(map(str, loaded.page_starts)),
    ]
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def expand(targets: Iterable[str | Path]) -> Iterator[str | Path]:
    """Files and URLs to ingest: folders are walked (sorted), honouring .briefingignore and hidden names.

    Files of unsupported types are yielded too, so the report names them instead of silently
    leaving them out; list them in .briefingignore to skip them. Each real folder and file is
    walked once, so symlink loops (`up -> ..`) and second links to one file are passed over
    quietly. A folder that cannot be listed is yielded itself, to be reported by name.
    """
    seen: set[tuple[int, int]] = set()
    for target in targets:
        yield from _expand_one(target, seen)


def _expand_one(target: str | Path, seen: set[tuple[int, int]]) -> Iterator[str | Path]:
    if isinstance(target, str) and is_url(target):
        yield target
        return
    path = Path(target)
    if path.is_dir():
        yield from _walk(path, seen)
    else:
        yield path


def _walk(root: Path, seen: set[tuple[int, int]]) -> Iterator[Path]:
    # Depth-first with a stack rather than recursion: a tree thousands of folders deep is still walked.
    stack: list[Iterator[Path]] = []
    folders = [root] if _first_visit(root, seen) else []
    while folders or stack:
        if folders:
            folder = folders.pop()
            entries = _entries(folder)
            if entries is None:
                yield folder  # unreadable: the caller names it and says why
            else:
                stack.append(iter(entries))
            continue
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif entry.is_dir():
            if not _loops_back(entry) and _first_visit(entry, seen):
                folders.append(entry)
        elif entry.is_file() and _first_visit(entry, seen):
            yield entry


def _entries(folder: Path) -> list[Path] | None:
    """A folder's entries in name order without hidden and ignored names; None if it cannot be listed."""
    try:
        ignore = _ignore_patterns(folder)
        entries = sorted(folder.iterdir())
    except OSError:
        return None
    return [e for e in entries if not e.name.startswith(".") and not any(fnmatch.fnmatch(e.name, p) for p in ignore)]


def _loops_back(folder: Path) -> bool:
    """A link to the folder it sits in or one above it (`up -> ..`): following it would leave the tree."""
    if not folder.is_symlink():
        return False
    try:
        target, here = folder.resolve(), folder.parent.resolve()
    except (OSError, RuntimeError):
        return True  # a link that cannot be resolved (a loop of links) leads nowhere to read
    return target == here or target in here.parents


def _first_visit(path: Path, seen: set[tuple[int, int]]) -> bool:
    """True the first time a walk reaches this folder or file by any route (links included)."""
    try:
        info = path.stat()
    except OSError:
        return True  # let the reader name the problem
    identity = (info.st_dev, info.st_ino)
    if identity in seen:
        return False
    seen.add(identity)
    return True


def _ignore_patterns(folder: Path) -> list[str]:
    path = folder / IGNORE_FILE
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def chunk_metadata(document: Document, chunk: Chunk) -> dict[str, Any]:
    """What Chroma stores beside a vector: enough to filter dense search like BM25."""
    return {
        "doc_id": document.doc_id,
        "source": document.source or "",
        "published": int(document.published.strftime("%Y%m%d")) if document.published else 0,
        "index": chunk.index,
        "language": document.language or "",
    }


class Ingestor:
    """Loads sources into the library; commits documents in batches after their vectors are written."""

    def __init__(
        self,
        library: Library,
        index: VectorIndex,
        embedder: SentenceEmbedder,
        chunk_size: int = 900,
        chunk_overlap: int = 150,
        max_bytes: int = 50 * 1024 * 1024,
        fetch_timeout: float = 20.0,
        batch_chunks: int = 256,
        max_chars: int = 0,
        catalog: Catalog | None = None,
        max_inflated: int = 64_000_000,
        source_deadline: float = 120.0,
        fetch_deadline: float = 60.0,
    ) -> None:
        self.library = library
        self.index = index
        self.embedder = embedder
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.max_bytes = max_bytes
        self.fetch_timeout = fetch_timeout
        self.batch_chunks = batch_chunks
        # Embedding is the cost of ingest (some 30,000 characters a second on two cores): a limit turns
        # a runaway text (a 10 MB log line) into one clear failure instead of minutes of work.
        self.max_chars = max_chars
        # One hostile source must fail alone, in bounded memory and time (ingest/limits.py).
        self.budget = Budget(max_inflated=max_inflated, max_chars=max_chars, seconds=source_deadline)
        self.fetch_deadline = fetch_deadline
        self.catalog = catalog
        self.duplicates = DuplicateIndex(library)

    def run(
        self,
        targets: Sequence[str | Path],
        progress: Progress | None = None,
        key: str | None = None,
        display_name: str | None = None,
    ) -> IngestReport:
        """Ingest targets; `key`/`display_name` name a single upload by its original file name."""
        return self.run_results(self._results(targets, key), progress, display_name)

    def run_results(
        self, results: Iterator[Result], progress: Progress | None = None, display_name: str | None = None
    ) -> IngestReport:
        """Ingest documents already loaded (or failures), e.g. the entries of a news feed, as run() does."""
        report = IngestReport()
        self.duplicates.backfill()  # documents stored before duplicate detection existed
        backfill_coherence(self.library, self.index)  # and before coherence was measured
        batch: list[tuple[Document, str, list[Chunk], str, bool]] = []
        batch_size = 0
        seen: dict[str, str] = {}  # identity key -> the origin it was first loaded from
        while True:
            started = time.perf_counter()
            result = next(results, None)
            if result is None:
                break
            origin = display_name or result.origin
            if isinstance(result, Failure):
                report.seconds["load"] += time.perf_counter() - started
                report.failed.append(Failure(origin, result.reason))
                _tell(progress, origin, "failed")
                continue
            if self.max_chars and len(result.text) > self.max_chars:
                report.seconds["load"] += time.perf_counter() - started
                reason = (
                    f"text is {len(result.text):,} characters, over the {self.max_chars:,}-character limit"
                    " per document (setting max_doc_chars); split it or raise the limit"
                )
                report.failed.append(Failure(origin, reason))
                _tell(progress, origin, "failed")
                continue
            first = seen.get(result.key)
            if first == origin:  # the same source named twice
                report.unchanged.append(origin)
                _tell(progress, origin, "unchanged")
                continue
            if first is not None:
                # Two records or files with one id cannot both be stored: say so rather than drop one.
                which = f"id '{result.external_id}'" if result.external_id else "identity"
                report.failed.append(Failure(origin, f"duplicate {which}: already loaded from {first}"))
                _tell(progress, origin, "failed")
                continue
            seen[result.key] = origin
            try:
                document, chunks, existing = self._prepare(result, display_name)
            except Exception as exc:  # naming, hashing, chunking one source (MemoryError, RecursionError too)
                report.seconds["load"] += time.perf_counter() - started
                report.failed.append(Failure(printable(origin), failure_reason(exc)))
                _tell(progress, printable(origin), "failed")
                continue
            report.seconds["load"] += time.perf_counter() - started
            for note in result.notes:
                report.notes.append(f"{origin}: {note}")
            if existing == document.content_hash:
                report.unchanged.append(origin)
                report.doc_ids.append(document.doc_id)
                _tell(progress, origin, "unchanged")
                continue
            batch.append((document, result.key, chunks, origin, existing is not None))
            batch_size += len(chunks)
            if batch_size >= self.batch_chunks:
                self._flush(batch, report, progress)
                batch, batch_size = [], 0
        if batch:
            self._flush(batch, report, progress)
        return report

    def _results(self, targets: Sequence[str | Path], key: str | None) -> Iterator[Result]:
        seen: set[tuple[int, int]] = set()
        for target in targets:
            try:
                sources = list(_expand_one(target, seen))
            except Exception as exc:  # a folder tree that cannot be walked: named once, the rest goes on
                yield Failure(printable(str(target)), failure_reason(exc))
                continue
            for source in sources:
                yield from self._guarded(source, key)

    def _guarded(self, target: str | Path, key: str | None) -> Iterator[Result]:
        """One source's results: anything that goes wrong inside it becomes that source's failure line."""
        origin = printable(str(target))
        try:
            if isinstance(target, str):
                yield self._fetch(target)
            elif target.is_dir():  # only a folder the walk could not list comes back as a target
                try:
                    next(target.iterdir(), None)
                    yield Failure(origin, "cannot read folder")
                except OSError as exc:
                    yield Failure(origin, f"cannot read folder: {exc.strerror or exc}")
            elif not target.exists():
                yield Failure(origin, "no such file or folder")
            else:
                yield from load_path(target, self.max_bytes, key=key, budget=self.budget)
        except Exception as exc:  # any parser's error, RecursionError and MemoryError included
            yield Failure(origin, failure_reason(exc))

    def _fetch(self, url: str) -> Result:
        try:
            downloaded = download(url, self.fetch_timeout, self.max_bytes, self.fetch_deadline)
            with reading(self.budget.started_now()):
                return downloaded.load()
        except LoadError as exc:
            return Failure(printable(url), str(exc))

    def _prepare(self, loaded: Loaded, display_name: str | None) -> tuple[Document, list[Chunk], str | None]:
        for value in (loaded.key, loaded.origin, loaded.text, loaded.title, loaded.source, loaded.url, loaded.author):
            if value and not encodable(value):
                raise LoadError("its name or text holds bytes that are not valid UTF-8")
        digest = content_hash(loaded)
        doc_id = doc_id_for(loaded.key)
        found = self.library.find_by_key(loaded.key)
        existing = found[1] if found else None
        document = Document(
            doc_id=doc_id,
            title=loaded.title,
            text=loaded.text,
            external_id=loaded.external_id,
            source=loaded.source,
            url=loaded.url,
            published=loaded.published,
            author=loaded.author,
            path=display_name or _absolute(loaded.origin),
            content_hash=digest,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            page_starts=loaded.page_starts,
            language=detect_language(loaded.text),
        )
        if existing == digest:
            return document, [], existing
        size, overlap = chunk_size_for(document.language, self.chunk_size, self.chunk_overlap)
        chunks = split(loaded.text, doc_id, digest, size, overlap, loaded.page_starts)
        return document, chunks, existing

    def _flush(
        self,
        batch: list[tuple[Document, str, list[Chunk], str, bool]],
        report: IngestReport,
        progress: Progress | None,
    ) -> None:
        chunks = [c for _, _, doc_chunks, _, _ in batch for c in doc_chunks]
        documents = {d.doc_id: d for d, *_ in batch}
        self.library.begin(chunks)
        published: list[bool] = []
        try:
            self._write(batch, chunks, documents, report, published)
        except BaseException:
            # Once the server holds the documents (server mode), their vectors are committed data.
            if not published:
                self._undo(chunks)
            raise
        for document, _, _, origin, was_there in batch:
            (report.updated if was_there else report.added).append(origin)
            report.doc_ids.append(document.doc_id)
            _tell(progress, origin, "updated" if was_there else "added")

    def _undo(self, chunks: list[Chunk]) -> None:
        """Best effort after a failed batch: drop its uncommitted vectors now, not at the next restart.

        If the vector store is unreachable, the pending rows stay and repair() finishes the job later.
        """
        committed = self.library.chunks([c.chunk_id for c in chunks])
        stale = [c.chunk_id for c in chunks if c.chunk_id not in committed]
        if not stale:
            return
        with contextlib.suppress(Exception):
            self.index.delete(stale)
            self.library.forget(stale)

    def _write(
        self,
        batch: list[tuple[Document, str, list[Chunk], str, bool]],
        chunks: list[Chunk],
        documents: dict[str, Document],
        report: IngestReport,
        published: list[bool],
    ) -> None:
        started = time.perf_counter()
        vectors = self.embedder.embed_batch([embedding_text(documents[c.doc_id], c) for c in chunks])
        report.seconds["embed"] += time.perf_counter() - started
        started = time.perf_counter()
        metadatas = [chunk_metadata(documents[c.doc_id], c) for c in chunks]
        measured = by_document([c.doc_id for c in chunks], vectors)
        items = [(replace(d, coherence=measured.get(d.doc_id)), key, doc_chunks) for d, key, doc_chunks, _, _ in batch]
        if self.catalog is None:
            self.index.upsert([c.chunk_id for c in chunks], vectors, metadatas)
        else:
            # Server mode: each vector carries its chunk's text and place, and the documents are committed on
            # the server (after their vectors) before the local cache, so every process can rebuild them.
            metadatas = with_spans(metadatas, chunks, documents)
            self.index.upsert([c.chunk_id for c in chunks], vectors, metadatas, texts=[c.text for c in chunks])
            self.catalog.publish(items)
            published.append(True)
        replaced = self.library.commit(items)
        if replaced:
            self.index.delete(replaced)
            self.library.forget(replaced)
        for document, _, _, origin, _ in batch:
            matches = self.duplicates.add(document.doc_id, document.text)
            if matches:
                report.notes.append(f"{origin}: {_same_story(self.library, matches[0])}")
        report.seconds["write"] += time.perf_counter() - started
        report.chunks += len(chunks)


def _absolute(origin: str) -> str:
    """A local file's absolute path, so the library can find it again from any folder; other origins as given."""
    path = Path(origin)
    return str(path.resolve()) if path.is_file() else origin


def _same_story(library: Library, match: Match) -> str:
    other = library.document(match.doc_id, with_text=False)
    if other is None:
        return f"near-duplicate of document {match.doc_id}"
    where = ", ".join(x for x in (other.source, other.published.isoformat() if other.published else None) if x)
    return (
        f"near-duplicate ({match.similarity:.0%} alike) of “{other.title}”"
        + (f" ({where})" if where else "")
        + "; answers cite one copy and list the other as also reporting it"
    )


def _tell(progress: Progress | None, origin: str, outcome: str) -> None:
    if progress is not None:
        progress(origin, outcome)
