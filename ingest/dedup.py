"""Near-duplicate documents: one story syndicated by several outlets, or re-scraped with new boilerplate.

MinHash over word 4-shingles estimates the Jaccard similarity of two texts from 128 numbers
per document; locality-sensitive hashing (32 bands of 4 rows) finds the candidate pairs without
comparing every pair, and the full signatures decide. Documents whose estimated similarity
reaches the threshold share a duplicate-group id: the doc id of the first copy the library
held. Signatures and groups are stored beside the documents in the library's SQLite file and
are deleted with them (foreign keys), so a removed or re-ingested document never leaves a
stale signature behind.

Measured on the sample library: distinct articles score at most 0.04 (two White House texts
from the same day); a copy with a new header and footer scores well above 0.5.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from core.models import Document
from ingest.store import Library

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 4
THRESHOLD = 0.5

_WORD = re.compile(r"\w+", re.UNICODE)
# Fixed seed: signatures must stay comparable across processes and library versions.
_RNG = np.random.default_rng(0x5EED_D0C5)
_A = _RNG.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _RNG.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_BLOCK = 4096

_SCHEMA = """
CREATE TABLE IF NOT EXISTS minhash (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    signature BLOB NOT NULL,
    group_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS minhash_group ON minhash(group_id);
CREATE TABLE IF NOT EXISTS minhash_bands (
    band INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS minhash_bands_doc ON minhash_bands(doc_id);
"""


# --- pure functions -------------------------------------------------------------------------------


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The distinct runs of `size` words in text (lower-cased, punctuation ignored)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature of text (NUM_PERM uint32), or None when it has no words.

    Each permutation is a multiply-shift hash: the high 32 bits of a·x + b mod 2^64.
    """
    grams = shingles(text)
    if not grams:
        return None
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams),
        dtype=np.uint64,
        count=len(grams),
    )
    out = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint64)
    for start in range(0, len(hashes), _BLOCK):
        block = hashes[start : start + _BLOCK, None]
        mixed = (block * _A + _B) >> np.uint64(32)  # uint64 arithmetic wraps: that is the mod 2^64
        out = np.minimum(out, mixed.min(axis=0))
    return out.astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts behind two signatures."""
    return float(np.mean(a == b))


def band_keys(sig: np.ndarray) -> list[int]:
    """One bucket key per band; two texts sharing any bucket are compared in full."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True))
    return keys


# --- storage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """An earlier document that a new one duplicates."""

    doc_id: str
    group_id: str
    similarity: float


class DuplicateIndex:
    """Signatures and duplicate groups of a library's documents, in its SQLite file."""

    def __init__(self, library: Library, threshold: float = THRESHOLD) -> None:
        self.library = library
        self.threshold = threshold
        self.library._db().executescript(_SCHEMA)

    def add(self, doc_id: str, text: str) -> list[Match]:
        """Sign a (new or changed) document and put it in its group; returns the documents it copies."""
        sig = signature(text)
        if sig is None:
            return []
        keys = band_keys(sig)
        with self.library._tx() as db:
            matches = self._matches(db, sig, keys, doc_id)
            group = matches[0].group_id if matches else doc_id
            merged = sorted({m.group_id for m in matches} - {group})
            if merged:
                # A document that bridges two groups makes them one story.
                marks = ",".join("?" * len(merged))
                db.execute(f"UPDATE minhash SET group_id = ? WHERE group_id IN ({marks})", (group, *merged))
            db.execute("DELETE FROM minhash_bands WHERE doc_id = ?", (doc_id,))
            db.execute(
                "INSERT OR REPLACE INTO minhash(doc_id, signature, group_id) VALUES (?, ?, ?)",
                (doc_id, sig.tobytes(), group),
            )
            db.executemany(
                "INSERT OR IGNORE INTO minhash_bands(band, bucket, doc_id) VALUES (?, ?, ?)",
                [(band, key, doc_id) for band, key in enumerate(keys)],
            )
        return matches

    def similar(self, sig: np.ndarray, exclude: str = "") -> Match | None:
        """The closest stored document at or above the threshold (other than `exclude`), without storing sig."""
        matches = self._matches(self.library._db(), sig, band_keys(sig), exclude)
        return matches[0] if matches else None

    def _matches(self, db: sqlite3.Connection, sig: np.ndarray, keys: list[int], doc_id: str) -> list[Match]:
        values = ",".join("(?, ?)" for _ in keys)
        params: list[object] = [x for band, key in enumerate(keys) for x in (band, key)]
        # Join the keys to the (band, bucket) primary key: `(band, bucket) IN (VALUES …)` made SQLite
        # scan every band row, so each new document cost time in proportion to the library.
        rows = db.execute(
            f"WITH k(band, bucket) AS (VALUES {values}) "
            "SELECT m.doc_id, m.signature, m.group_id FROM minhash m WHERE m.doc_id IN ("
            "SELECT b.doc_id FROM k JOIN minhash_bands b ON b.band = k.band AND b.bucket = k.bucket"
            ") AND m.doc_id != ?",
            (*params, doc_id),
        ).fetchall()
        matches = []
        for row in rows:
            other = np.frombuffer(row["signature"], dtype=np.uint32)
            score = similarity(sig, other)
            if score >= self.threshold:
                matches.append(Match(row["doc_id"], row["group_id"], score))
        matches.sort(key=lambda m: (-m.similarity, m.doc_id))
        return matches

    def unsigned(self) -> list[str]:
        """Documents without a signature (added before duplicate detection existed, or interrupted)."""
        sql = "SELECT d.doc_id FROM documents d LEFT JOIN minhash m ON m.doc_id = d.doc_id WHERE m.doc_id IS NULL"
        return [r[0] for r in self.library._db().execute(sql)]

    def backfill(self) -> int:
        """Sign every unsigned document (oldest ingest first, so the first copy names the group)."""
        missing = self.unsigned()
        if not missing:
            return 0
        documents = self.library.documents_by_id(missing)
        ordered = sorted(documents.values(), key=lambda d: (d.ingested_at, d.doc_id))
        for document in ordered:
            self.add(document.doc_id, document.text)
        return len(ordered)

    def groups(self, doc_ids: Iterable[str] | None = None) -> dict[str, list[str]]:
        """Group id → its member doc ids, for groups of two or more (only groups touching doc_ids, if given)."""
        db = self.library._db()
        if doc_ids is None:
            rows = db.execute(
                "SELECT doc_id, group_id FROM minhash WHERE group_id IN"
                " (SELECT group_id FROM minhash GROUP BY group_id HAVING count(*) > 1)"
            ).fetchall()
        else:
            ids = list(dict.fromkeys(doc_ids))
            rows = []
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows.extend(
                    db.execute(
                        "SELECT doc_id, group_id FROM minhash WHERE group_id IN"
                        f" (SELECT group_id FROM minhash WHERE doc_id IN ({marks}))",
                        batch,
                    ).fetchall()
                )
        members: dict[str, list[str]] = {}
        for row in rows:
            members.setdefault(row["group_id"], []).append(row["doc_id"])
        return {g: sorted(set(ids)) for g, ids in members.items() if len(set(ids)) > 1}

    def copies(self) -> dict[str, str]:
        """Copy doc id → the doc id of the copy it duplicates (the earliest published, then first ingested)."""
        out: dict[str, str] = {}
        for group, members in self.groups().items():
            documents = self.library.documents_by_id(members)
            first = _original(list(documents.values()), group)
            out.update({doc_id: first for doc_id in members if doc_id != first})
        return out


def _original(documents: Sequence[Document], group: str) -> str:
    """The copy that counts as the original: earliest published (undated last), then the first one
    the library held (the group is named after it), then the first ingested."""
    first = min(
        documents,
        key=lambda d: (d.published is None, d.published or date.min, d.doc_id != group, d.ingested_at, d.doc_id),
    )
    return first.doc_id
