"""Removing a document can be undone: the bin keeps it, restore brings it back exactly.

Runs against a real Chroma folder and (marked slow) a real `chroma run` server through the
`mode` fixture, with the real embedder.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from core.errors import BriefingError, NotFound
from core.models import Document
from ingest.removed import KEEP_DAYS, stored_vectors
from ingest.store import Library
from tests.helpers import CORPUS, make_settings
from tests.test_ingest import assert_library_consistent

QUESTION = "What did the October 2022 export controls on advanced computing chips restrict?"
BIS_2022 = "Commerce Implements New Export Controls on Advanced Computing and Semiconductor Manufacturing Items"


def results(app: Briefing) -> list[tuple[str, float]]:
    return [(h.chunk.chunk_id, round(h.score, 9)) for h in app.retrieve(QUESTION, k=8)]


def bis_2022(app: Briefing) -> Document:
    listed = next(d for d in app.documents() if d.title.startswith(BIS_2022))  # server mode: syncs the cache
    return app.document(listed.doc_id)


def without_text(document: Document) -> Document:
    """The document as remove() reports it: metadata only."""
    return replace(document, text="")


def test_remove_then_restore_gives_back_the_same_document_chunks_and_results(mode_corpus_app: Briefing) -> None:
    app = mode_corpus_app
    before = results(app)
    document = bis_2022(app)
    chunks = app.library.chunks_of(document.doc_id)
    vectors = stored_vectors(app.index, [c.chunk_id for c in chunks])
    assert {cid for cid, _ in before} & {c.chunk_id for c in chunks}, "the question should find the document"
    counts = assert_library_consistent(app)

    assert app.remove(document.url or "") == [without_text(document)]
    gone = results(app)
    assert not {cid for cid, _ in gone} & {c.chunk_id for c in chunks}
    assert app.counts()["vectors"] == counts["vectors"] - len(chunks)
    assert not stored_vectors(app.index, [c.chunk_id for c in chunks])  # no hidden vectors left in Chroma
    (listed,) = app.removed()
    assert listed.document.doc_id == document.doc_id and listed.document.chunk_count == len(chunks)
    assert datetime.now(UTC) - listed.removed_at < timedelta(minutes=5)

    restored = app.restore(document.doc_id)
    assert restored == document  # same id, text, metadata, content hash and time of ingest
    assert app.library.chunks_of(document.doc_id) == chunks  # same chunk ids and offsets
    again = stored_vectors(app.index, [c.chunk_id for c in chunks])
    # The kept vectors go back (Chroma may round the last bit of a float32 it normalises).
    assert set(again) == set(vectors) and all(np.allclose(again[cid], vectors[cid], atol=1e-6) for cid in vectors)
    assert results(app) == before
    assert app.removed() == []
    assert assert_library_consistent(app) == counts
    with pytest.raises(NotFound):
        app.restore(document.doc_id)


def test_restore_embeds_again_when_the_library_changed_embedder(corpus_app: Briefing) -> None:
    document = bis_2022(corpus_app)
    before = results(corpus_app)
    corpus_app.remove(document.doc_id)
    # As if the library had been re-embedded since: the kept vectors are of another kind now
    # (here made useless, so restoring them instead of embedding again would change the results).
    db = corpus_app.library._db()
    db.execute("UPDATE removed_documents SET embedder = 'other-model|torch'")
    db.execute("UPDATE removed_chunks SET vector = ?", (np.full(384, 384**-0.5, dtype=np.float32).tobytes(),))
    corpus_app.restore(document.doc_id)
    assert [cid for cid, _ in results(corpus_app)] == [cid for cid, _ in before]
    assert_library_consistent(corpus_app)


def test_a_document_added_again_is_not_restored_over(corpus_app: Briefing, tmp_path: Path) -> None:
    source = next(CORPUS.glob("bis-2022-10-07-*.md"))
    document = bis_2022(corpus_app)
    corpus_app.remove(document.doc_id)
    assert corpus_app.ingest([source]).added
    assert corpus_app.removed() == []  # the bin lists only what is not in the library
    with pytest.raises(BriefingError, match="in the library again"):
        corpus_app.restore(document.doc_id)
    assert_library_consistent(corpus_app)


def test_the_bin_forgets_documents_after_the_keeping_period(corpus_app: Briefing) -> None:
    document = bis_2022(corpus_app)
    corpus_app.remove(document.doc_id)
    old = (datetime.now(UTC) - timedelta(days=KEEP_DAYS, minutes=1)).isoformat()
    corpus_app.library._db().execute("UPDATE removed_documents SET removed_at = ?", (old,))
    assert corpus_app.removed() == []
    with pytest.raises(NotFound):
        corpus_app.restore(document.doc_id)
    assert corpus_app.library._db().execute("SELECT count(*) FROM removed_chunks").fetchone()[0] == 0


def test_an_interrupted_restore_is_repaired_and_can_be_run_again(
    corpus_library: Path, tmp_path: Path, embedder: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(corpus_library, folder)
    app = Briefing(make_settings(folder), embedder=embedder)  # type: ignore[arg-type]
    document = bis_2022(app)
    before = results(app)
    app.remove(document.doc_id)

    def fail(*args: object, **kwargs: object) -> list[str]:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(Library, "commit", fail)
        with pytest.raises(OSError):
            app.restore(document.doc_id)
    # The vectors written before the failed commit were dropped again; the bin still has the document.
    assert_library_consistent(app)
    assert [r.document.doc_id for r in app.removed()] == [document.doc_id]
    app.close()

    reopened = Briefing(make_settings(folder), embedder=embedder)  # type: ignore[arg-type]
    try:
        assert reopened.restore(document.doc_id) == document
        assert results(reopened) == before
        assert_library_consistent(reopened)
    finally:
        reopened.close()


def test_another_process_sees_the_removal_and_the_restore(mode_corpus_app: Briefing, embedder: object) -> None:
    app = mode_corpus_app
    if not app.settings.chroma_url:
        pytest.skip("server mode only: a local library has one process's view")
    other = Briefing(
        make_settings(
            app.settings.data_dir.parent / "other-cache",
            chroma_url=app.settings.chroma_url,
            collection=app.settings.collection,
        ),
        embedder=embedder,  # type: ignore[arg-type]
    )
    try:
        before = results(other)
        document = bis_2022(app)
        app.remove(document.doc_id)
        assert document.doc_id not in {d.doc_id for d in other.documents()}
        app.restore(document.doc_id)
        assert document.doc_id in {d.doc_id for d in other.documents()}
        assert other.document(document.doc_id) == document
        assert results(other) == before
        assert_library_consistent(other)
    finally:
        other.close()


def test_cli_trash_and_restore(corpus_library: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(corpus_library, folder)
    runner = CliRunner()
    base = ["--data-dir", str(folder)]
    assert runner.invoke(cli, [*base, "trash"]).stdout.strip() == "No removed documents to restore."
    listing = json.loads(runner.invoke(cli, [*base, "sources", "--json"]).stdout)
    doc = next(d for d in listing if d["title"].startswith(BIS_2022))
    removed = runner.invoke(cli, [*base, "remove", doc["doc_id"]])
    assert removed.exit_code == 0, removed.output
    assert "briefing restore ID" in removed.stderr
    trash = runner.invoke(cli, [*base, "trash"])
    lines = trash.stdout.splitlines()
    assert lines[0].split() == ["ID", "REMOVED", "(UTC)", "CHUNKS", "TITLE"]
    assert lines[1].startswith(doc["doc_id"]) and BIS_2022 in lines[1]
    (entry,) = json.loads(runner.invoke(cli, [*base, "trash", "--json"]).stdout)
    assert entry["doc_id"] == doc["doc_id"] and entry["chunk_count"] == doc["chunk_count"] and entry["removed_at"]
    restored = runner.invoke(cli, [*base, "restore", doc["doc_id"]])
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith(f"restored {doc['doc_id']}  {doc['title']}")
    assert json.loads(runner.invoke(cli, [*base, "sources", "--json"]).stdout) == listing
    missing = runner.invoke(cli, [*base, "restore", doc["doc_id"]])
    assert missing.exit_code == 1 and "no removed document" in missing.output
