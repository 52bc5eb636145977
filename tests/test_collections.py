"""Collections in one library folder keep their own documents, and an older folder's shared file is split."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from briefing.api import Briefing
from ingest.embed import SentenceEmbedder
from ingest.split import SPLIT_META
from ingest.vectors import VectorIndex
from tests.helpers import assert_library_consistent, make_settings


def _articles(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    apples = folder / "apples.md"
    apples.write_text("# Apple harvest\n\nKent orchards picked 40 tonnes of apples this autumn.\n", encoding="utf-8")
    pears = folder / "pears.md"
    pears.write_text("# Pear harvest\n\nDevon growers picked 12 tonnes of pears, down from 30.\n", encoding="utf-8")
    return apples, pears


def _titles(app: Briefing) -> set[str]:
    return {d.title for d in app.library.documents()}


def test_each_collection_has_its_own_documents(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    apples, pears = _articles(tmp_path / "news")
    data = tmp_path / "lib"
    first = Briefing(make_settings(data), embedder=embedder)
    second = Briefing(make_settings(data, collection="orchards"), embedder=embedder)
    try:
        assert len(first.ingest([apples]).added) == 1
        # The same file in another collection is new there: it is embedded into it, not "unchanged".
        report = second.ingest([apples, pears])
        assert (len(report.added), len(report.unchanged)) == (2, 0)
        assert _titles(first) == {"Apple harvest"}
        assert _titles(second) == {"Apple harvest", "Pear harvest"}
        assert assert_library_consistent(first)["chunks"] == 1
        assert assert_library_consistent(second)["chunks"] == 2
        # Nothing of the other collection is found by its words, quoted, or named in a vector-gap note.
        answer = first.ask("How many tonnes of pears did Devon growers pick?")
        assert "12 tonnes" not in answer.text and not any(c.title == "Pear harvest" for c in answer.citations)
        assert first.vector_gap() is None
        assert "12 tonnes" in second.ask("How many tonnes of pears did Devon growers pick?").text
        # Removing a document from one collection leaves the other's copy alone.
        (doc_id,) = [d.doc_id for d in second.library.documents() if d.title == "Apple harvest"]
        second.remove(doc_id)
        assert _titles(second) == {"Pear harvest"} and _titles(first) == {"Apple harvest"}
        assert_library_consistent(first)
    finally:
        first.close()
        second.close()
    assert sorted(p.name for p in data.glob("library*.db")) == ["library-orchards.db", "library.db"]


def test_a_folder_from_an_older_version_is_split_by_collection(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    apples, pears = _articles(tmp_path / "news")
    data = tmp_path / "lib"
    # An older folder: one library.db holding the documents of two collections, "briefing" with the apples
    # and "orchards" with the pears (its vectors written there as an older ingest would have).
    old = Briefing(make_settings(data), embedder=embedder)
    try:
        old.ingest([apples, pears])
        pear_ids = [
            c for d in old.library.documents() if d.title == "Pear harvest" for c in old.library.chunk_ids_of(d.doc_id)
        ]
        stored = old.index.collection.get(ids=pear_ids, include=["embeddings", "metadatas"])
        orchards = VectorIndex(old._client, "orchards")
        orchards.upsert(stored["ids"], [list(v) for v in stored["embeddings"]], stored["metadatas"])
        old.index.delete(pear_ids)
    finally:
        old.close()
    shutil.copy(data / "library.db", tmp_path / "before.db")

    split = Briefing(make_settings(data, collection="orchards"), embedder=embedder)
    try:
        assert split.library.meta(SPLIT_META) is not None and _titles(split) == set()  # marked, nothing taken yet
        _ = split.index  # opening the collection takes the documents it holds vectors of
        assert split.library.meta(SPLIT_META) is None
        assert _titles(split) == {"Pear harvest"}
        assert_library_consistent(split)
        # Their words came with them (the words index), and nothing of the other collection's.
        assert split.library.search("pears Devon growers", 5) and split.library.search("apples Kent orchards", 5) == []
        assert "12 tonnes" in split.ask("How many tonnes of pears did Devon growers pick?").text
    finally:
        split.close()
    # The shared file is the default collection's and is left as it was.
    with sqlite3.connect(data / "library.db") as now, sqlite3.connect(tmp_path / "before.db") as before:
        query = "SELECT doc_id, title FROM documents ORDER BY doc_id"
        assert now.execute(query).fetchall() == before.execute(query).fetchall()
    # A new collection in that folder starts empty, though the shared file has documents.
    fresh = Briefing(make_settings(data, collection="vineyards"), embedder=embedder)
    try:
        _ = fresh.index
        assert _titles(fresh) == set() and fresh.counts()["chunks"] == 0
    finally:
        fresh.close()
