"""Chunks are indexed with their document's title and outlet; libraries from before are migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from briefing.api import CONTEXT_META, Briefing
from core.settings import Settings
from ingest.chunking import CONTEXT_VERSION, embedding_text
from ingest.embed import SentenceEmbedder

_OLD_FTS = """
DROP TRIGGER chunks_ai;
DROP TRIGGER chunks_ad;
DROP TABLE chunks_fts;
ALTER TABLE chunks DROP COLUMN context;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, content='chunks', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
DELETE FROM meta WHERE name = 'chunk_context';
"""


def _write(folder: Path) -> None:
    folder.mkdir()
    (folder / "flood.md").write_text(
        "---\ntitle: Zebracorn Valley evacuated\nsource: Example Wire\npublished: 2022-06-14\n---\n"
        "Rising water forced hundreds of families from their homes on Monday, officials said.\n",
        encoding="utf-8",
    )
    (folder / "budget.md").write_text(
        "---\ntitle: Council passes budget\nsource: City Desk\npublished: 2022-06-13\n---\n"
        "The council approved the budget after a long debate about road repairs.\n",
        encoding="utf-8",
    )


def test_a_title_word_finds_a_passage_that_never_repeats_it(app: Briefing, tmp_path: Path) -> None:
    _write(tmp_path / "news")
    assert not app.ingest([tmp_path / "news"]).failed
    found = app.library.search("Zebracorn", 5)
    assert len(found) == 1
    chunk = app.library.chunks([found[0][0]])[found[0][0]]
    document = app.library.document(chunk.doc_id)
    assert document is not None and "Zebracorn" not in chunk.text
    assert document.text[chunk.start : chunk.end] == chunk.text  # offsets are the text's, not the context's
    assert embedding_text(document, chunk).startswith("Zebracorn Valley evacuated — Example Wire, 2022-06-14\n")
    hits = app.retrieve("Zebracorn Valley", k=2)
    assert hits[0].document.title == "Zebracorn Valley evacuated"


def test_an_older_library_is_migrated_and_told_to_reindex(
    settings: Settings, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    _write(tmp_path / "news")
    first = Briefing(settings, embedder=embedder)
    assert not first.ingest([tmp_path / "news"]).failed
    first.close()
    db = sqlite3.connect(settings.library_db)
    db.executescript(_OLD_FTS)  # the library as it was before chunk context
    db.close()

    app = Briefing(settings, embedder=embedder)
    assert app.library.search("Zebracorn", 5), "BM25 rebuilt with the context column on open"
    assert app.library.search("families", 5)
    assert app.embedder_note and "briefing reindex" in app.embedder_note
    # The full-text index stays consistent through a removal (its delete trigger sees the same context).
    app.remove(str(tmp_path / "news" / "budget.md"))
    check = sqlite3.connect(settings.library_db)
    check.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')")
    check.close()
    assert app.reindex() == app.library.counts()["chunks"]
    assert app.library.meta(CONTEXT_META) == CONTEXT_VERSION and app.embedder_note is None
    app.close()
    assert Briefing(settings, embedder=embedder).embedder_note is None
