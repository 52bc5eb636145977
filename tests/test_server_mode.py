"""Client/server mode against a real `chroma run` server: the server is the library.

The ingestion, bad-input and answering tests of test_ingest.py, test_bad_input.py and test_rag.py
run here a second time with `app` and `corpus_app` in server mode; the tests below check what
only server mode has: several processes with their own data folders sharing one library, the
local cache rebuilt from the server, and the cheap check before each question.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.api import Briefing
from core.settings import Settings
from ingest.catalog import Catalog, catalog_name
from ingest.embed import SentenceEmbedder
from tests import test_bad_input, test_ingest, test_rag
from tests.chroma_server import ChromaServer
from tests.helpers import (
    assert_library_consistent,
    env_for_subprocess,
    make_settings,
    unique_collection,
    write_mixed_folder,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

# Tests that check what the local folder stores, not behaviour: each has a server-mode counterpart below.
LOCAL_ONLY = {
    # asserts the exact metadata of a local vector; server mode adds the chunk's offsets and version
    "test_folder_of_every_format_is_stored_with_metadata_text_chunks_and_vectors",
    # a local commit failure undoes the batch; on a server the batch is already committed when its
    # documents are published, so the counterpart below checks that the cache catches up instead
    "test_a_batch_that_fails_half_way_is_undone_in_the_running_process",
}


@pytest.fixture
def mode() -> str:
    return "server"


@pytest.fixture
def app(mode_app: Briefing) -> Briefing:
    return mode_app


@pytest.fixture
def corpus_app(mode_corpus_app: Briefing) -> Briefing:
    return mode_corpus_app


def _server_mode_copies(*modules: Any) -> dict[str, Any]:
    """The tests of these modules that use `app` or `corpus_app`, and the fixtures they define."""
    found: dict[str, Any] = {}
    for module in modules:
        for name, value in vars(module).items():
            if name in ("app", "corpus_app") or name in LOCAL_ONLY:
                continue
            is_fixture = type(value).__name__ == "FixtureFunctionDefinition"
            uses_app = inspect.isfunction(value) and {"app", "corpus_app"} & set(inspect.signature(value).parameters)
            if is_fixture or (name.startswith("test_") and uses_app):
                found[name] = value
    return found


globals().update(_server_mode_copies(test_ingest, test_bad_input, test_rag))


def test_the_copies_above_run_against_the_server(app: Briefing, corpus_app: Briefing) -> None:
    for briefing in (app, corpus_app):
        assert briefing.settings.chroma_url and briefing.index is not None and briefing.catalog is not None
    assert corpus_app.counts()["documents"] == 23


# --- what only server mode has ----------------------------------------------------------------------


def server_settings(server: ChromaServer, data_dir: Path, collection: str) -> Settings:
    return make_settings(data_dir, chroma_url=server.url, collection=collection)


@pytest.fixture
def collection(chroma_server: ChromaServer) -> Iterator[str]:
    from tests.chroma_server import drop_library

    name = unique_collection()
    yield name
    drop_library(chroma_server.client(), name)


def test_the_server_holds_every_document_with_its_text_and_chunks(
    chroma_server: ChromaServer, collection: str, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    writer = Briefing(server_settings(chroma_server, tmp_path / "writer", collection), embedder=embedder)
    report = writer.ingest([folder])
    assert len(report.added) == 7 and not report.failed
    assert_library_consistent(writer)

    # The server alone describes the library: one record per document, chunk text and place on each vector.
    client = chroma_server.client()
    records = client.get_collection(catalog_name(collection)).get(include=["documents", "metadatas"])
    by_id = {
        rid: (text, meta)
        for rid, text, meta in zip(records["ids"], records["documents"], records["metadatas"], strict=True)
    }
    for document in writer.library.documents(with_text=True):
        text, meta = by_id[document.doc_id]
        assert text == document.text
        assert (meta["title"], meta["content_hash"], meta["chunk_count"]) == (
            document.title,
            document.content_hash,
            document.chunk_count,
        )
        chunks = writer.library.chunks_of(document.doc_id)
        stored = client.get_collection(collection).get(
            ids=[c.chunk_id for c in chunks], include=["documents", "metadatas"]
        )
        spans = {
            cid: (doc, m) for cid, doc, m in zip(stored["ids"], stored["documents"], stored["metadatas"], strict=True)
        }
        for chunk in chunks:
            doc, m = spans[chunk.chunk_id]
            assert doc == chunk.text
            assert (m["doc_id"], m["index"], m["start"], m["end"], m["version"], m.get("page")) == (
                document.doc_id,
                chunk.index,
                chunk.start,
                chunk.end,
                document.content_hash,
                chunk.page,
            )

    # A process with an empty data folder rebuilds the same documents, chunks and BM25 index from the server.
    reader = Briefing(server_settings(chroma_server, tmp_path / "reader", collection), embedder=embedder)
    try:
        assert_library_consistent(reader)
        assert reader.library.documents(with_text=True) == writer.library.documents(with_text=True)
        for document in writer.library.documents():
            assert reader.library.chunks_of(document.doc_id) == writer.library.chunks_of(document.doc_id)
        for word in ("Kumamoto", "cordial", "Seasonality", "lithography"):
            assert reader.library.search(word, k=10) == writer.library.search(word, k=10)
        question = "What did the United States and China agree in Geneva?"
        assert reader.ask(question).to_dict() == writer.ask(question).to_dict()
    finally:
        reader.close()
        writer.close()


def test_local_and_server_mode_store_the_same_library(
    chroma_server: ChromaServer, collection: str, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    local = Briefing(make_settings(tmp_path / "local"), embedder=embedder)
    server = Briefing(server_settings(chroma_server, tmp_path / "server", collection), embedder=embedder)
    try:
        local.ingest([folder])
        server.ingest([folder])
        assert local.library.all_chunk_ids() == server.library.all_chunk_ids() == server.index.all_ids()
        assert local.counts() == server.counts()
        question = "Where will the Taiwan foundry build its second plant?"
        assert local.ask(question).to_dict() == server.ask(question).to_dict()
    finally:
        local.close()
        server.close()


def test_a_running_process_sees_other_processes_changes_before_each_question(
    chroma_server: ChromaServer, collection: str, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    watcher = Briefing(server_settings(chroma_server, tmp_path / "watcher", collection), embedder=embedder)
    other = Briefing(server_settings(chroma_server, tmp_path / "other", collection), embedder=embedder)
    listings = 0
    real_listing = Catalog.listing

    def counted(self: Catalog) -> dict[str, str]:
        nonlocal listings
        listings += 1
        return real_listing(self)

    try:
        question = "Where will the Taiwan foundry build its second plant?"
        assert watcher.ask(question).abstained
        other.ingest([folder / "kumamoto.txt"])
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Catalog, "listing", counted)
            answer = watcher.ask(question)
            assert not answer.abstained and answer.citations[0].title == "Taiwan foundry expands in Kumamoto"
            assert listings == 1
            # Nothing changed: each question costs one small request, not a listing.
            for _ in range(3):
                watcher.ask(question)
            assert listings == 1
        assert_library_consistent(watcher)

        other.remove(str(folder / "kumamoto.txt"))
        assert watcher.ask(question).abstained
        assert watcher.documents() == []
        assert_library_consistent(watcher)
    finally:
        watcher.close()
        other.close()


def test_the_local_cache_can_be_thrown_away(
    chroma_server: ChromaServer, collection: str, tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    settings = server_settings(chroma_server, tmp_path / "lib", collection)
    app = Briefing(settings, embedder=embedder)
    app.ingest([folder])
    before = app.library.documents(with_text=True)
    app.close()
    for leftover in settings.library_db.parent.glob(settings.library_db.name + "*"):
        leftover.unlink()

    again = Briefing(settings, embedder=embedder)
    try:
        assert again.documents() and again.library.documents(with_text=True) == before
        assert_library_consistent(again)
        assert again.ingest([folder]).added == []  # nothing to do: the server already has it all
    finally:
        again.close()


def briefing_cli(server: ChromaServer, data_dir: Path, collection: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = ["--data-dir", str(data_dir), "--chroma-url", server.url, "--collection", collection, *args]
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", *command],
        env=env_for_subprocess(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_two_processes_with_their_own_data_folders_share_one_library(
    chroma_server: ChromaServer, collection: str, tmp_path: Path
) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    first, second = tmp_path / "first", tmp_path / "second"

    added = briefing_cli(chroma_server, first, collection, "ingest", "--quiet", str(folder / "geneva.md"))
    assert added.returncode == 0, added.stderr
    assert "1 added" in added.stdout

    asked = briefing_cli(
        chroma_server, second, collection, "ask", "--json", "What did the United States and China agree in Geneva?"
    )
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert not answer["abstained"]
    assert {c["title"] for c in answer["citations"]} == {"Geneva talks end with a tariff truce"}
    assert "ninety days" in answer["text"]

    more = briefing_cli(chroma_server, second, collection, "ingest", "--quiet", str(folder / "kumamoto.txt"))
    assert more.returncode == 0, more.stderr
    listed = briefing_cli(chroma_server, first, collection, "sources", "--json")
    assert sorted(d["title"] for d in json.loads(listed.stdout)) == [
        "Geneva talks end with a tariff truce",
        "Taiwan foundry expands in Kumamoto",
    ]

    removed = briefing_cli(chroma_server, first, collection, "remove", "ew-0042")
    assert removed.returncode == 0, removed.stderr
    listed = briefing_cli(chroma_server, second, collection, "sources", "--json")
    assert [d["title"] for d in json.loads(listed.stdout)] == ["Taiwan foundry expands in Kumamoto"]

    # Both caches and the server agree, chunk for chunk.
    for data_dir in (first, second):
        app = Briefing(server_settings(chroma_server, data_dir, collection))
        try:
            counts = assert_library_consistent(app)
            assert counts["documents"] == 1
        finally:
            app.close()


def test_a_batch_committed_on_the_server_survives_a_local_commit_failure(
    app: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kept.md").write_text("---\ntitle: Kept\n---\nThe server holds this article once it is published.\n")

    def broken_commit(*args: object, **kwargs: object) -> list[str]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(app.library, "commit", broken_commit)
    with pytest.raises(RuntimeError, match="disk full"):
        app.ingest([tmp_path / "kept.md"])
    monkeypatch.undo()
    # The server committed it: the next read brings the local cache up to date, vectors intact.
    titles = [d.title for d in app.documents()]
    assert titles == ["Kept"]
    counts = app.counts()
    assert counts["documents"] == 1 and counts["chunks"] == counts["bm25"] == counts["vectors"] > 0
    assert app.ingest([tmp_path / "kept.md"]).unchanged
