"""An ingest killed with SIGKILL leaves no half-indexed document, and the next run finishes the job.

SQLite is the commit log: vectors go to Chroma first, noted in `pending`; a document and its
chunks become visible in one transaction; replaced vectors wait in `trash`. These tests kill a
real `briefing ingest` process at a random point and at the two worst points, then check what a
restarted app sees.
"""

from __future__ import annotations

import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient

from briefing.api import Briefing
from core.settings import Settings
from ingest.chunking import split
from ingest.embed import SentenceEmbedder
from ingest.loaders import Loaded, load_path
from ingest.pipeline import content_hash, doc_id_for
from ingest.store import Library
from ingest.vectors import VectorIndex, connect
from tests.helpers import assert_library_consistent, env_for_subprocess, make_settings

pytestmark = pytest.mark.timeout(180)

# Embedding is the cost: one short sentence per chunk gives the ingest many batches to commit
# (one per ~256 chunks) while keeping the text, and so the run, short. Five commits leave four
# chances to catch the run half-way, however fast the embedder is.
CHUNK_SIZE, CHUNK_OVERLAP = 60, 0
DOCS = 40  # 32 chunks each
_PLACES = ["Ohio", "Texas", "Osaka", "Hsinchu", "Dresden", "Penang", "Seoul", "Arizona", "Shenzhen", "Grenoble"]
_TOPICS = ["chip exports", "steel tariffs", "wafer sales", "memory prices", "foundry output", "tool orders"]
_MOVES = ["rose", "fell", "held", "slipped", "jumped", "eased", "doubled", "stalled"]


def write_articles(folder: Path, count: int, sentences: int = 31) -> list[Path]:
    """Distinct short articles (seeded per article, so every run writes the same files)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        pick = random.Random(n)
        lines = [
            f"{pick.choice(_PLACES)} {pick.choice(_TOPICS)} {pick.choice(_MOVES)} {pick.randint(2, 40)}%"
            f" in week {pick.randint(1, 52)}.\n"
            for _ in range(sentences)
        ]
        path = folder / f"article-{n:02d}.md"
        path.write_text(
            f"---\ntitle: Trade bulletin {n}\nid: bulletin-{n}\n---\nBulletin {n} opens with a headline.\n"
            + "".join(lines),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def expected_chunks(paths: list[Path]) -> dict[str, set[str]]:
    """doc_id -> chunk ids a complete ingest must store, computed with the pure chunker."""
    out: dict[str, set[str]] = {}
    for path in paths:
        (loaded,) = load_path(path, 10**7)
        assert isinstance(loaded, Loaded)
        doc_id = doc_id_for(loaded.key)
        chunks = split(loaded.text, doc_id, content_hash(loaded), CHUNK_SIZE, CHUNK_OVERLAP)
        out[doc_id] = {c.chunk_id for c in chunks}
    return out


def subprocess_env(data_dir: Path) -> dict[str, str]:
    env = env_for_subprocess(data_dir)
    env["BRIEFING_CHUNK_SIZE"] = str(CHUNK_SIZE)
    env["BRIEFING_CHUNK_OVERLAP"] = str(CHUNK_OVERLAP)
    return env


def settings_for(data_dir: Path) -> Settings:
    return make_settings(data_dir, chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)


def stored_state(data_dir: Path) -> tuple[Library, set[str]]:
    """The SQLite store and the ids in Chroma, read without running the app's repair step."""
    SharedSystemClient.clear_system_cache()  # another process wrote the folder since we last looked
    index = VectorIndex(connect(data_dir / "chroma", None), "briefing")
    return Library(data_dir / "library.db"), index.all_ids()


def pending_ids(library: Library) -> set[str]:
    return {r[0] for r in library._db().execute("SELECT chunk_id FROM pending")}


def trash_ids(library: Library) -> set[str]:
    return {r[0] for r in library._db().execute("SELECT chunk_id FROM trash")}


def assert_no_half_indexed_document(library: Library, vectors: set[str]) -> None:
    """Committed documents are whole in SQLite, BM25 and Chroma; every other vector is accounted for."""
    counts = library.counts()
    assert counts["chunks"] == counts["bm25"]
    committed = library.all_chunk_ids()
    for document in library.documents():
        ids = set(library.chunk_ids_of(document.doc_id))
        assert len(ids) == document.chunk_count > 0
        assert ids <= vectors, f"{document.title}: chunks without vectors"
    # A vector is either a committed chunk or written work the log can undo.
    assert vectors - committed <= pending_ids(library) | trash_ids(library)


def run_killing_at(hook: str, folder: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run `briefing ingest` with a hook that SIGKILLs the process at one exact step."""
    script = f"""
import os, signal, sys
from ingest.store import Library
from ingest.vectors import VectorIndex
{hook}
from briefing.cli import main
sys.argv = ["briefing", "ingest", "--quiet", sys.argv[1]]
main()
"""
    return subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        env=subprocess_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sigkill_mid_ingest_then_repair_and_rerun(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    folder = tmp_path / "articles"
    paths = write_articles(folder, DOCS)
    expected = expected_chunks(paths)
    data_dir = tmp_path / "data"
    log = (tmp_path / "ingest.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing.cli", "ingest", "--quiet", str(folder)],
        env=subprocess_env(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Kill once some documents are committed and the next batch is being embedded.
    db_path = data_dir / "library.db"
    committed = pending = 0
    deadline = time.monotonic() + 120
    db: sqlite3.Connection | None = None
    try:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if db is None and db_path.exists():
                    db = sqlite3.connect(db_path, timeout=5)
                if db is not None:
                    committed = db.execute("SELECT count(*) FROM documents").fetchone()[0]
                    pending = db.execute("SELECT count(*) FROM pending").fetchone()[0]
                    if 0 < committed < DOCS and pending:
                        break
            except sqlite3.OperationalError:  # the schema is not there yet
                pass
            time.sleep(0.005)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        log.close()
        if db is not None:
            db.close()
    assert process.returncode == -signal.SIGKILL, (tmp_path / "ingest.log").read_text()
    assert 0 < committed < DOCS and pending, "the ingest was not caught half-way"

    # What the killed process left: whole documents only.
    library, vectors = stored_state(data_dir)
    survivors = {d.doc_id for d in library.documents()}
    assert 0 < len(survivors) < DOCS
    for doc_id in survivors:
        assert set(library.chunk_ids_of(doc_id)) == expected[doc_id]
    assert_no_half_indexed_document(library, vectors)
    assert pending_ids(library)
    library.close()

    # The app's repair step drops every vector that has no committed chunk.
    app = Briefing(settings_for(data_dir), embedder=embedder)
    try:
        assert app.index.all_ids() == app.library.all_chunk_ids()
        assert_library_consistent(app)
        assert {d.doc_id for d in app.documents()} == survivors
    finally:
        app.close()

    # Running the same command again finishes the job, with nothing twice.
    SharedSystemClient.clear_system_cache()
    rerun = subprocess.run(
        [sys.executable, "-m", "briefing.cli", "ingest", "--quiet", str(folder)],
        env=subprocess_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{DOCS - len(survivors)} added, 0 updated, {len(survivors)} unchanged, 0 failed" in rerun.stdout

    SharedSystemClient.clear_system_cache()
    app = Briefing(settings_for(data_dir), embedder=embedder)
    try:
        counts = assert_library_consistent(app)
        all_expected = set().union(*expected.values())
        assert counts["documents"] == DOCS
        assert counts["chunks"] == counts["vectors"] == len(all_expected)
        assert app.library.all_chunk_ids() == app.index.all_ids() == all_expected
        for doc_id, ids in expected.items():
            assert set(app.library.chunk_ids_of(doc_id)) == ids
    finally:
        app.close()


KILL_BEFORE_COMMIT = """
def commit(self, items):
    os.kill(os.getpid(), signal.SIGKILL)
Library.commit = commit
"""

KILL_BEFORE_TRASH_IS_EMPTIED = """
original_delete = VectorIndex.delete
def delete(self, ids):
    if ids:
        os.kill(os.getpid(), signal.SIGKILL)
    return original_delete(self, ids)
VectorIndex.delete = delete
"""


def test_killed_after_vectors_are_written_but_before_commit(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    folder = tmp_path / "articles"
    paths = write_articles(folder, 3, sentences=8)
    data_dir = tmp_path / "data"
    app = Briefing(settings_for(data_dir), embedder=embedder)
    app.ingest([folder])
    old = {d.doc_id: set(app.library.chunk_ids_of(d.doc_id)) for d in app.documents()}
    app.close()
    # One file changes and one is new: the crash hits while both are being written.
    paths[0].write_text(paths[0].read_text(encoding="utf-8").replace("headline", "revised"), encoding="utf-8")
    paths.append(folder / "article-99.md")
    paths[-1].write_text("---\ntitle: Late bulletin\n---\nA late bulletin arrived. It is short.\n", encoding="utf-8")
    SharedSystemClient.clear_system_cache()

    killed = run_killing_at(KILL_BEFORE_COMMIT, folder, data_dir)

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    library, vectors = stored_state(data_dir)
    orphans = vectors - library.all_chunk_ids()
    new = expected_chunks(paths)
    changed_id = doc_id_for("id:bulletin-0")
    assert orphans == new[changed_id] | new[doc_id_for(f"path:{paths[-1].resolve()}")]
    assert_no_half_indexed_document(library, vectors)
    # The old version of the changed file is still whole and searchable.
    assert set(library.chunk_ids_of(changed_id)) == old[changed_id]
    assert library.search("headline", k=50)
    library.close()

    app = Briefing(settings_for(data_dir), embedder=embedder)
    try:
        assert not orphans & app.index.all_ids()
        assert_library_consistent(app)
        report = app.ingest([folder])
        assert (len(report.added), len(report.updated), len(report.unchanged)) == (1, 1, 2)
        counts = assert_library_consistent(app)
        assert counts["documents"] == 4
        assert app.library.all_chunk_ids() == set().union(*new.values())
    finally:
        app.close()


def test_killed_after_commit_before_replaced_vectors_are_deleted(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    folder = tmp_path / "articles"
    paths = write_articles(folder, 2, sentences=8)
    data_dir = tmp_path / "data"
    app = Briefing(settings_for(data_dir), embedder=embedder)
    app.ingest([folder])
    changed_id = doc_id_for("id:bulletin-1")
    old_ids = set(app.library.chunk_ids_of(changed_id))
    app.close()
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace("headline", "revised"), encoding="utf-8")
    SharedSystemClient.clear_system_cache()

    killed = run_killing_at(KILL_BEFORE_TRASH_IS_EMPTIED, folder, data_dir)

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    library, vectors = stored_state(data_dir)
    new_ids = set(library.chunk_ids_of(changed_id))
    assert new_ids == expected_chunks(paths)[changed_id] and not new_ids & old_ids
    assert trash_ids(library) == old_ids  # committed, old vectors not yet deleted
    assert old_ids <= vectors
    assert_no_half_indexed_document(library, vectors)
    library.close()

    app = Briefing(settings_for(data_dir), embedder=embedder)
    try:
        assert not old_ids & app.index.all_ids()
        counts = assert_library_consistent(app)
        assert counts["documents"] == 2
        assert app.ingest([folder]).unchanged == [str(p) for p in paths]
    finally:
        app.close()


def test_pending_work_of_a_running_process_is_not_abandoned(tmp_path: Path) -> None:
    # A second app opening the library while an ingest runs must leave that ingest's vectors alone;
    # work owned by a process that no longer exists is abandoned.
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        library = Library(tmp_path / "data" / "library.db")
        host = socket.gethostname()
        library._db().execute(
            "INSERT INTO pending(chunk_id, doc_id, owner) VALUES ('live', 'd', ?), ('dead', 'd', ?)",
            (f"{host}:{sleeper.pid}", f"{host}:{gone.pid}"),
        )
        assert library.abandoned() == ["dead"]
        library.close()
    finally:
        sleeper.kill()
        sleeper.wait()
