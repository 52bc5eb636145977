"""Faults: ingests killed with SIGKILL at seeded random points, and a Chroma server that goes away.

Each kill trial runs a real `briefing ingest` process that adds new documents and replaces
changed ones, kills it (after a random delay once it has started writing, or at a random
occurrence of a random step of the commit sequence), checks what it left, then runs the same
command again and checks the library holds exactly what one clean run stores.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from core.errors import StoreUnavailable
from core.settings import Settings
from ingest.catalog import Catalog, catalog_name
from ingest.chunking import split
from ingest.embed import SentenceEmbedder
from ingest.loaders import Loaded, load_path
from ingest.pipeline import content_hash, doc_id_for
from ingest.store import Library
from ingest.vectors import VectorIndex, connect
from tests.chroma_server import ChromaServer, drop_library
from tests.helpers import assert_library_consistent, env_for_subprocess, make_settings, unique_collection

SEED = 20251129
TIMED_TRIALS = 1  # per mode, besides one trial per step of the commit sequence
CHUNK_SIZE, CHUNK_OVERLAP = 60, 0
DOCS = 10  # 32 chunks each: a run commits 8 documents (256 chunks), then 2
CHANGED = (0, 1, 8, 9)  # stored in an older version first, so both commits also replace documents
_PLACES = ["Ohio", "Texas", "Osaka", "Hsinchu", "Dresden", "Penang", "Seoul", "Arizona"]
_TOPICS = ["chip exports", "steel tariffs", "wafer sales", "memory prices", "foundry output"]


def write_articles(folder: Path, edition: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(DOCS):
        pick = random.Random(n)
        lines = [
            f"{pick.choice(_PLACES)} {pick.choice(_TOPICS)} moved {pick.randint(2, 40)}% in week {k}.\n"
            for k in range(31)
        ]
        path = folder / f"article-{n:02d}.md"
        path.write_text(
            f"---\ntitle: Trade bulletin {n}\nid: bulletin-{n}\n---\nEdition {edition} of bulletin {n}.\n"
            + "".join(lines),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def expected_versions(paths: list[Path]) -> dict[str, tuple[str, set[str]]]:
    """doc_id -> (content hash, chunk ids) one clean ingest stores, from the pure loader and chunker."""
    out: dict[str, tuple[str, set[str]]] = {}
    for path in paths:
        (loaded,) = load_path(path, 10**7)
        assert isinstance(loaded, Loaded)
        doc_id, digest = doc_id_for(loaded.key), content_hash(loaded)
        out[doc_id] = (digest, {c.chunk_id for c in split(loaded.text, doc_id, digest, CHUNK_SIZE, CHUNK_OVERLAP)})
    return out


def expected_chunks(paths: list[Path]) -> dict[str, set[str]]:
    return {doc_id: ids for doc_id, (_, ids) in expected_versions(paths).items()}


# A hook installed in the ingest process before the command runs: SIGKILL right after the
# STEP call number NTH (for 'delete', right before it), so every step of the sequence
# vectors -> server record -> local commit -> delete replaced vectors can be the last one.
HOOK = """
import os, signal, sys
from ingest.catalog import Catalog
from ingest.store import Library
from ingest.vectors import VectorIndex
STEP, NTH = sys.argv[1], int(sys.argv[2])
calls = {"n": 0}
def kill_after(cls, name, before=False, only=None):
    original = getattr(cls, name)
    def hooked(self, *args, **kwargs):
        if only is None or type(self) is only:
            calls["n"] += 1
            if calls["n"] == NTH and before:
                os.kill(os.getpid(), signal.SIGKILL)
            result = original(self, *args, **kwargs)
            if calls["n"] == NTH:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return original(self, *args, **kwargs)
    setattr(cls, name, hooked)
if STEP == "begin":
    kill_after(Library, "begin")
elif STEP == "vectors":
    kill_after(VectorIndex, "upsert", only=VectorIndex)
elif STEP == "publish":
    kill_after(Catalog, "publish")
elif STEP == "commit":
    kill_after(Library, "commit")
elif STEP == "delete":
    kill_after(VectorIndex, "delete", before=True, only=VectorIndex)
from briefing.cli import main
sys.argv = ["briefing", *sys.argv[3:]]
main()
"""
STEPS = {
    "local": ["begin", "vectors", "commit", "delete"],
    "server": ["begin", "vectors", "publish", "commit", "delete"],
}


@dataclass
class Job:
    mode: str
    folder: Path
    settings: Settings

    def argv(self) -> list[str]:
        s = self.settings
        common = ["--data-dir", str(s.data_dir)]
        if s.chroma_url:
            common += ["--chroma-url", s.chroma_url, "--collection", s.collection]
        return [*common, "ingest", "--quiet", str(self.folder)]

    def env(self) -> dict[str, str]:
        env = env_for_subprocess(self.settings.data_dir)
        env["BRIEFING_CHUNK_SIZE"] = str(CHUNK_SIZE)
        env["BRIEFING_CHUNK_OVERLAP"] = str(CHUNK_OVERLAP)
        return env

    def run(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "briefing.cli", *self.argv()],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def run_killed_at(self, step: str, nth: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", HOOK, step, str(nth), *self.argv()],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def timed_run(self) -> float:
        """Run to the end; seconds from the first pending chunk to exit."""
        process = subprocess.Popen(
            [sys.executable, "-m", "briefing.cli", *self.argv()], env=self.env(), stdout=subprocess.DEVNULL
        )
        while process.poll() is None and not _pending(self.settings.library_db):
            time.sleep(0.005)
        started = time.monotonic()
        assert process.wait(timeout=120) == 0
        return time.monotonic() - started

    def run_killed_after(self, delay: float) -> int:
        """Start the ingest, and SIGKILL it `delay` seconds after it notes its first pending chunk."""
        process = subprocess.Popen(
            [sys.executable, "-m", "briefing.cli", *self.argv()],
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        db = self.settings.library_db
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if _pending(db):
                time.sleep(delay)
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        return process.wait()

    def open(self, embedder: SentenceEmbedder) -> Briefing:
        SharedSystemClient.clear_system_cache()  # another process wrote the Chroma folder since
        return Briefing(self.settings, embedder=embedder)


def _pending(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM pending").fetchone()[0])
    except sqlite3.OperationalError:  # schema not there yet
        return 0


def raw_state(job: Job) -> tuple[Library, set[str], dict[str, str] | None]:
    """SQLite, the vector ids and (server mode) the server's records, read without the app's repair."""
    SharedSystemClient.clear_system_cache()
    s = job.settings
    client = connect(s.chroma_dir, s.chroma_url)
    vectors = VectorIndex(client, s.collection).all_ids()
    records = Catalog(client, catalog_name(s.collection)).listing() if s.chroma_url else None
    return Library(s.library_db), vectors, records


Versions = dict[str, tuple[str, set[str]]]


def assert_nothing_half_indexed(job: Job, old: Versions, new: Versions) -> None:
    """What a killed ingest left: whole documents of one version or the other, every vector accounted for."""
    library, vectors, records = raw_state(job)
    try:
        counts = library.counts()
        assert counts["chunks"] == counts["bm25"]
        committed = library.all_chunk_ids()
        for document in library.documents():
            ids = set(library.chunk_ids_of(document.doc_id))
            versions = [v for v in (old.get(document.doc_id), new[document.doc_id]) if v]
            assert (document.content_hash, ids) in versions, f"{document.title}: not one whole version"
            assert ids <= vectors, f"{document.title}: committed chunks without vectors"
        accounted = committed | {
            r[0] for r in library._db().execute("SELECT chunk_id FROM pending UNION SELECT chunk_id FROM trash")
        }
        if records is not None:
            # A document committed on the server has every vector of the version its record names.
            for doc_id, digest in records.items():
                versions = {v[0]: v[1] for v in (old.get(doc_id), new[doc_id]) if v}
                assert digest in versions and versions[digest] <= vectors, (
                    f"{doc_id}: server record ahead of its vectors"
                )
                accounted |= versions[digest]
        assert vectors <= accounted, "vectors nobody can account for"
    finally:
        library.close()


@pytest.fixture
def before_folder(tmp_path: Path) -> tuple[Path, Versions]:
    """The articles in CHANGED in their first edition: what the library holds before each trial."""
    folder = tmp_path / "first-edition"
    paths = write_articles(folder, edition=1)
    keep = [paths[n] for n in CHANGED]
    for path in paths:
        if path not in keep:
            path.unlink()
    return folder, expected_versions(keep)


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_sigkilled_ingests_rerun_to_exactly_one_clean_copy(
    tmp_path: Path, embedder: SentenceEmbedder, before_folder: tuple[Path, Versions], request: pytest.FixtureRequest
) -> None:
    folder = tmp_path / "articles"
    versions = expected_versions(write_articles(folder, edition=2))
    expected = {doc_id: ids for doc_id, (_, ids) in versions.items()}
    all_expected = set().union(*expected.values())
    old_folder, expected_old = before_folder
    rng = random.Random(SEED)
    server: ChromaServer = request.getfixturevalue("chroma_server")

    def fresh_job(mode: str, n: int) -> Job:
        data_dir = tmp_path / f"trial-{mode}-{n}"
        if mode == "local":
            settings = make_settings(data_dir, chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        else:
            settings = make_settings(
                data_dir,
                chunk_size=CHUNK_SIZE,
                chunk_overlap=CHUNK_OVERLAP,
                chroma_url=server.url,
                collection=unique_collection(),
            )
        app = Briefing(settings, embedder=embedder)
        assert len(app.ingest([old_folder]).added) == len(CHANGED)
        app.close()
        return Job(mode, folder, settings)

    # One clean run, timed from its first pending chunk, bounds the random delays.
    work = fresh_job("local", 0).timed_run()

    outcomes: list[str] = []
    for mode, steps in STEPS.items():
        # Every step once, in a random order and at a random commit, plus kills after a random delay.
        plan: list[str | None] = [*rng.sample(steps, len(steps)), *[None] * TIMED_TRIALS]
        for n, step in enumerate(plan, 1):
            job = fresh_job(mode, n)
            if step is not None:
                nth = rng.randint(1, 2)
                killed = job.run_killed_at(step, nth)
                assert killed.returncode == -signal.SIGKILL, (step, nth, killed.stderr)
                outcome = f"{mode}: killed after {step} #{nth}"
            else:
                delay = rng.uniform(0.0, work * 0.6)
                returncode = job.run_killed_after(delay)
                outcome = (
                    f"{mode}: killed {delay:.2f}s in" if returncode == -signal.SIGKILL else f"{mode}: finished first"
                )
            assert_nothing_half_indexed(job, expected_old, versions)

            # Opening the library repairs it: no vector without a committed chunk, nothing waiting.
            app = job.open(embedder)
            try:
                assert_library_consistent(app)
                done = sum(d.content_hash == versions[d.doc_id][0] for d in app.library.documents())
                outcome += f"; {done} of {DOCS} documents already in the new edition"
            finally:
                app.close()

            rerun = job.run()
            assert rerun.returncode == 0, rerun.stderr
            app = job.open(embedder)
            try:
                counts = assert_library_consistent(app)
                assert counts["documents"] == DOCS
                assert counts["chunks"] == counts["bm25"] == counts["vectors"] == len(all_expected)
                assert app.library.all_chunk_ids() == app.index.all_ids() == all_expected
                for doc_id, ids in expected.items():
                    assert set(app.library.chunk_ids_of(doc_id)) == ids
            finally:
                app.close()
            if mode == "server":
                # and the server alone holds the same: a fresh data folder rebuilds it exactly.
                reader = Briefing(
                    job.settings.model_copy(update={"data_dir": tmp_path / f"reader-{n}"}), embedder=embedder
                )
                try:
                    assert reader.counts()["documents"] == DOCS
                    assert reader.library.all_chunk_ids() == all_expected
                finally:
                    reader.close()
                drop_library(server.client(), job.settings.collection)
            outcomes.append(outcome)
            shutil.rmtree(job.settings.data_dir)
    assert len(outcomes) == sum(len(steps) + TIMED_TRIALS for steps in STEPS.values()) >= 10
    print("\n".join(outcomes))


# --- the Chroma server goes away -------------------------------------------------------------------


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-data")
    server.start()
    yield server
    server.stop()


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_stopped_server_is_a_clear_error_and_the_same_process_recovers(
    own_server: ChromaServer, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    folder = write_articles(tmp_path / "articles", edition=1)[0].parent
    settings = make_settings(tmp_path / "lib", chroma_url=own_server.url, collection="briefing")
    app = Briefing(settings, embedder=embedder)
    question = "How much did steel tariffs move in Texas?"
    try:
        report = app.ingest([folder])
        assert len(report.added) == DOCS
        answer = app.ask(question)
        assert not answer.abstained and answer.citations

        own_server.stop()
        for call in (lambda: app.ask(question), app.documents, app.counts, lambda: app.ingest([folder])):
            with pytest.raises(StoreUnavailable) as caught:
                call()
            assert own_server.url in str(caught.value), str(caught.value)
        result = CliRunner().invoke(
            cli, ["--data-dir", str(tmp_path / "cli"), "--chroma-url", own_server.url, "ask", question]
        )
        assert result.exit_code == 1
        assert f"cannot reach the Chroma server at {own_server.url}" in result.stderr
        assert "Traceback" not in result.output

        own_server.start()  # same port, same data
        assert app.ask(question).to_dict() == answer.to_dict()
        edited = folder / "article-03.md"
        edited.write_text(edited.read_text(encoding="utf-8").replace("Edition 1", "Edition 2"), encoding="utf-8")
        assert app.ingest([folder]).updated == [str(edited)]
        assert assert_library_consistent(app)["documents"] == DOCS
    finally:
        app.close()


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_server_lost_mid_ingest_loses_nothing_once_it_is_back(
    own_server: ChromaServer, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    folder = write_articles(tmp_path / "articles", edition=1)[0].parent
    expected = set().union(*expected_chunks(sorted(folder.iterdir())).values())
    settings = make_settings(
        tmp_path / "lib",
        chroma_url=own_server.url,
        collection="briefing",
        chunk_size=CHUNK_SIZE,
        chunk_overlap=CHUNK_OVERLAP,
    )
    app = Briefing(settings, embedder=embedder)
    try:
        with pytest.raises(StoreUnavailable, match=own_server.url):
            # The server stops once the first batch is committed; the next batch cannot be written.
            app.ingest([folder], progress=lambda origin, outcome: own_server.stop())
        committed = app.library.counts()["documents"]
        assert 0 < committed < DOCS

        own_server.start()
        report = app.ingest([folder])
        assert len(report.added) == DOCS - committed and len(report.unchanged) == committed
        counts = assert_library_consistent(app)
        assert counts["documents"] == DOCS and app.index.all_ids() == expected
    finally:
        app.close()


def test_a_document_added_back_before_its_old_vectors_were_deleted_keeps_them(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    # A removal that died between committing and deleting leaves the chunk ids in trash; adding the same
    # document back commits the same chunk ids, and the repair that follows must not delete their vectors.
    folder = write_articles(tmp_path / "articles", edition=1)[0].parent
    app = Briefing(
        make_settings(tmp_path / "lib", chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP), embedder=embedder
    )
    try:
        app.ingest([folder])
        (doc_id,) = app.library.resolve("bulletin-3")
        ids = app.library.remove(doc_id)  # committed removal; the process "dies" before deleting vectors
        assert app.ingest([folder]).added == [str(folder / "article-03.md")]
        assert set(app.library.chunk_ids_of(doc_id)) == set(ids)
        app.repair()
        assert set(ids) <= app.index.all_ids()
        assert assert_library_consistent(app)["documents"] == DOCS
    finally:
        app.close()
