"""A library folder keeps one SQLite file per Chroma collection; older versions kept one for all.

With one file shared, documents ingested into one collection were listed, found by their words and
counted as "unchanged" in every other (so an ingest into a second collection embedded nothing). A
collection other than the default now has `library-<name>.db`. A folder written by an older version
is split the first time such a collection is opened: the shared file is copied, and the copy keeps
only the documents that have vectors in that collection (none, for a collection not made yet). The
shared file stays the default collection's, unchanged: nothing is deleted from it.
"""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING

from core.settings import Settings
from ingest.rows import batches
from ingest.store import Library

if TYPE_CHECKING:
    from ingest.vectors import VectorIndex

# Set on a copy of the shared file until it has been pruned to its collection's documents.
SPLIT_META = "split_from_shared"


def open_library(settings: Settings) -> Library:
    """The collection's library file, split from an older version's shared file first if that is due."""
    split_shared(settings)
    return Library(settings.library_db)


def split_shared(settings: Settings) -> bool:
    """Copy the shared file of an older folder to the collection's own file, if that is due; True if copied."""
    own, shared = settings.library_db, settings.data_dir / "library.db"
    if settings.chroma_url or own == shared or own.exists() or not shared.is_file():
        return False
    partial = own.with_name(f"{own.name}.{os.getpid()}.partial")
    try:
        source = sqlite3.connect(shared)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # a consistent copy even while another process writes
                with target:
                    target.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                    target.execute("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)", (SPLIT_META, str(shared)))
            finally:
                target.close()
        finally:
            source.close()
        # Only a finished copy takes the file's name, and never over one another process made meanwhile.
        try:
            os.link(partial, own)
        except FileExistsError:
            return False
    finally:
        partial.unlink(missing_ok=True)
    return True


def prune_split(library: Library, index: VectorIndex) -> int:
    """Drop from a freshly split copy the documents without vectors in its collection; returns how many."""
    if library.meta(SPLIT_META) is None:
        return 0
    vectors = index.all_ids()
    # Shares the library's connection and transaction, as the bin of removed documents does.
    with library._tx() as db:
        live = {row[0] for row in db.execute("SELECT doc_id, chunk_id FROM chunks") if row[1] in vectors}
        others = [row[0] for row in db.execute("SELECT doc_id FROM documents") if row[0] not in live]
        for batch in batches(others, 500):
            # Chunks, their words and the duplicate index's rows go with their documents (ON DELETE CASCADE).
            db.execute(f"DELETE FROM documents WHERE doc_id IN ({','.join('?' * len(batch))})", batch)
        db.execute("DELETE FROM meta WHERE name = ?", (SPLIT_META,))
    return len(others)
