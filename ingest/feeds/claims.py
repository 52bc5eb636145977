"""Claims: who ingests an entry version, kept in the library's SQLite file or on the Chroma server."""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from core.errors import BriefingError
from ingest.store import Library

if TYPE_CHECKING:
    from ingest.vectors import VectorIndex

log = logging.getLogger("briefing.feeds")


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming one entry version: won (ingest it), busy (another is on it) or done."""

    key: str
    state: str
    doc_id: str | None = None
    token: str = ""


class Claims(Protocol):
    """Who ingests an entry version: at most one process at a time, and once it is done, nobody again."""

    def take(self, key: str) -> Claim: ...

    def finish(self, claim: Claim, doc_id: str) -> None: ...

    def release(self, claim: Claim) -> None: ...


def owner_id() -> str:
    """Host and pid (for people reading the table) plus a random part: each poll claims as a new owner."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LocalClaims:
    """Claims in the library's SQLite file: serialised by SQLite's write lock (one machine, one data folder)."""

    def __init__(self, library: Library, lease: float) -> None:
        self.library = library
        self.lease = lease
        self.owner = owner_id()

    def take(self, key: str) -> Claim:
        now = time.time()
        with self.library._tx() as db:
            row = db.execute("SELECT owner, expires, doc_id FROM feed_claims WHERE claim = ?", (key,)).fetchone()
            if row and row["doc_id"]:
                return Claim(key, "done", row["doc_id"])
            if row and row["owner"] != self.owner and row["expires"] > now:
                return Claim(key, "busy")
            db.execute(
                "INSERT OR REPLACE INTO feed_claims(claim, owner, expires, doc_id) VALUES (?, ?, ?, NULL)",
                (key, self.owner, now + self.lease),
            )
        return Claim(key, "won", token=key)

    def finish(self, claim: Claim, doc_id: str) -> None:
        with self.library._tx() as db:
            db.execute(
                "UPDATE feed_claims SET doc_id = ? WHERE claim = ? AND owner = ?", (doc_id, claim.key, self.owner)
            )

    def release(self, claim: Claim) -> None:
        with self.library._tx() as db:
            db.execute(
                "DELETE FROM feed_claims WHERE claim = ? AND owner = ? AND doc_id IS NULL", (claim.key, self.owner)
            )


class ServerClaims:
    """Claims on the Chroma server, so processes with separate data folders (or machines) agree.

    Chroma has no transactions, but `add` never overwrites a record that exists: of two processes
    adding the same record id, the one whose write the server applies first keeps it, and both
    read back the same owner. A claim is record `<key>#<n>`; a lease that expired (its owner
    died) is taken over by adding `<key>#<n+1>`, which again only one process can win.
    """

    def __init__(self, index: VectorIndex, lease: float) -> None:
        self.index = index
        self.lease = lease
        self.owner = owner_id()

    def take(self, key: str) -> Claim:
        now = time.time()
        found = self.index._call("get", where={"claim": key}, include=["metadatas"])
        latest: dict[str, Any] | None = None
        for meta in found["metadatas"]:
            if latest is None or int(meta["n"]) > int(latest["n"]):
                latest = dict(meta)
        if latest is not None:
            if latest.get("doc_id"):
                return Claim(key, "done", str(latest["doc_id"]))
            if float(latest["expires"]) > now:
                mine = latest["owner"] == self.owner
                return Claim(key, "won", token=f"{key}#{latest['n']}") if mine else Claim(key, "busy")
        n = int(latest["n"]) + 1 if latest is not None else 0
        record = f"{key}#{n}"
        meta = {"claim": key, "n": n, "owner": self.owner, "expires": now + self.lease}
        try:
            self.index._call("add", ids=[record], embeddings=[_unit(record)], metadatas=[meta])
        except BriefingError:
            raise
        except Exception:  # a server that refuses a duplicate id: someone else added it first
            log.debug("claim %s: add refused", record, exc_info=True)
        stored = self.index._call("get", ids=[record], include=["metadatas"])
        if stored["ids"] and stored["metadatas"][0].get("owner") == self.owner:
            return Claim(key, "won", token=record)
        return Claim(key, "busy")

    def finish(self, claim: Claim, doc_id: str) -> None:
        n = int(claim.token.rsplit("#", 1)[1])
        meta = {"claim": claim.key, "n": n, "owner": self.owner, "expires": time.time(), "doc_id": doc_id}
        self.index._call("upsert", ids=[claim.token], embeddings=[_unit(claim.token)], metadatas=[meta])

    def release(self, claim: Claim) -> None:
        self.index.delete([claim.token])


def _unit(record: str) -> list[float]:
    """Claims are looked up by id and metadata, never by similarity; a small distinct vector each."""
    return [b / 255 + 0.01 for b in hashlib.sha1(record.encode()).digest()[:8]]
