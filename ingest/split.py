"""A library folder keeps one SQLite file per Chroma collection; older versions kept one for all.

With one file shared, documents ingested into one collection were listed, found by their words and
counted as "unchanged" in every other (so an ingest into a second collection embedded nothing). A
collection other than the default now has `library-<name>.db`. In a folder that already has
`library.db`, such a collection's file starts empty and marked; when the collection is first opened,
the documents it has vectors of (written there by an older version) are copied in from `library.db`,
with their passages and words, and the mark is cleared. A collection made new has no vectors, so
nothing is copied. `library.db` stays the default collection's, unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.settings import Settings
from ingest.rows import batches
from ingest.store import Library

if TYPE_CHECKING:
    from ingest.vectors import VectorIndex

# Set on a collection's new file, naming the shared file, until its documents have been taken from it.
SPLIT_META = "split_from_shared"


def open_library(settings: Settings) -> Library:
    """The collection's library file; a new one in a folder with a shared file is marked to take its documents."""
    own, shared = settings.library_db, settings.data_dir / "library.db"
    due = not settings.chroma_url and own != shared and not own.exists() and shared.is_file()
    library = Library(own)
    if due:
        Library(shared).close()  # brought to the current schema, as opening the default collection would
        library.set_meta(SPLIT_META, str(shared))
    return library


def adopt_shared(library: Library, index: VectorIndex) -> int:
    """Copy into a marked file, from the shared one, the documents with vectors in its collection (with their
    passages and words); returns how many. Documents already in the file are left as they are."""
    shared = library.meta(SPLIT_META)
    if shared is None:
        return 0
    vectors = index.all_ids()
    if not vectors or not Path(shared).is_file():
        library.clear_meta(SPLIT_META)
        return 0
    db = library._db()  # the library's own connection, as the bin of removed documents uses it
    db.execute("ATTACH DATABASE ? AS shared", (shared,))  # not allowed inside a transaction
    try:
        with library._tx() as tx:
            if tx.execute("SELECT 1 FROM meta WHERE name = ?", (SPLIT_META,)).fetchone() is None:
                return 0  # another process took them first
            owners = sorted(
                {row[0] for row in tx.execute("SELECT doc_id, chunk_id FROM shared.chunks") if row[1] in vectors}
            )
            for table in ("documents", "chunks"):
                columns = ", ".join(row[1] for row in tx.execute(f"PRAGMA main.table_info({table})"))
                for batch in batches(owners, 500):
                    marks = ",".join("?" * len(batch))
                    # Inserting chunks fills the words index (its triggers); duplicate signatures are
                    # computed again by the next ingest (`ingest.dedup`'s backfill).
                    tx.execute(
                        f"INSERT OR IGNORE INTO main.{table} ({columns}) SELECT {columns} FROM shared.{table}"
                        f" WHERE doc_id IN ({marks})",
                        batch,
                    )
            tx.execute("DELETE FROM meta WHERE name = ?", (SPLIT_META,))
    finally:
        db.execute("DETACH DATABASE shared")
    return len(owners)
