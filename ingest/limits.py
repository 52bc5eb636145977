"""What one source may cost: decompressed bytes, wall-clock time, and a name that prints.

A hostile file or server must fail alone, quickly and in bounded memory. Every decompressing
reader stops at its limit instead of inflating first and measuring after; the clock is checked
between pages, records and network reads.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from core.errors import LoadError

# A .docx has a few dozen parts; ten thousand is far past any real one and keeps the zip's directory small.
MAX_ZIP_MEMBERS = 10_000
_STEP = 64 * 1024  # the most one inflate step may produce


def size_text(size: int) -> str:
    """A byte count as people read it: '1.5 MB', '200 KB', '512 bytes'."""
    if size >= 1_000_000_000:
        return f"{size / 1e9:.1f}".removesuffix(".0") + " GB"
    if size >= 1_000_000:
        return f"{size / 1e6:.1f}".removesuffix(".0") + " MB"
    if size >= 1_000:
        return f"{size / 1e3:.0f} KB"
    return f"{size} bytes"


@dataclass(frozen=True)
class Budget:
    """Limits for reading one source; 0 means no limit."""

    max_inflated: int = 64_000_000  # bytes a zip, gzip body or PDF stream may unpack to
    max_chars: int = 0  # characters of text, checked while reading (PDF pages) as well as after
    seconds: float = 0.0  # wall-clock time to read and parse the source
    started: float = 0.0  # time.monotonic() when reading began

    def started_now(self) -> Budget:
        return Budget(self.max_inflated, self.max_chars, self.seconds, time.monotonic())

    def resumed(self, paused_at: float) -> Budget:
        """The same budget after a pause that began at paused_at (a consumer's time between records is not reading)."""
        if not self.started:
            return self
        return Budget(self.max_inflated, self.max_chars, self.seconds, self.started + time.monotonic() - paused_at)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check_time(self, where: str = "") -> None:
        """Stop a source that has run past its deadline (setting source_deadline)."""
        if self.seconds and self.started and self.elapsed() > self.seconds:
            at = f" ({where})" if where else ""
            raise LoadError(
                f"reading it took longer than the {self.seconds:g}-second limit per source{at}"
                " (setting source_deadline)"
            )


_BUDGET: ContextVar[Budget | None] = ContextVar("ingest_budget", default=None)


def current_budget() -> Budget:
    """The limits of the source being read in this thread (the defaults outside an ingest)."""
    return _BUDGET.get() or Budget()


@contextmanager
def reading(budget: Budget) -> Iterator[None]:
    """Readers called inside see `budget` (started by the caller); never held across a generator's yield."""
    token = _BUDGET.set(budget)
    try:
        yield
    finally:
        _BUDGET.reset(token)


def failure_reason(exc: BaseException) -> str:
    """One line for an unexpected error while reading one source: what went wrong, in words."""
    if isinstance(exc, LoadError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "ran out of memory reading it"
    if isinstance(exc, RecursionError):
        return "nested too deeply to read (thousands of levels of markup or brackets)"
    if isinstance(exc, UnicodeError):
        return f"text or name is not valid Unicode ({type(exc).__name__})"
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return f"damaged compressed data ({type(exc).__name__}: {exc})"
    detail = " ".join(str(exc).split())
    detail = detail[:200] + "…" if len(detail) > 200 else detail
    return f"cannot read it ({type(exc).__name__}{': ' + detail if detail else ''})"


# --- names ------------------------------------------------------------------------------------------


def printable(name: str) -> str:
    """A name safe to print and store: undecodable bytes as \\xNN, control characters escaped."""
    if name.isprintable():
        return name
    out: list[str] = []
    for ch in name:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte the file system name held that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def encodable(text: str) -> bool:
    """True when text can be written as UTF-8 (no lone surrogates from undecodable names or JSON escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- zip (.docx) ------------------------------------------------------------------------------------


def repack_zip(data: bytes, limit: int, kind: str = "zip") -> bytes:
    """The archive's parts re-stored uncompressed, read 64 KB at a time; refused once they pass `limit` bytes.

    A zip member's recorded size is only a claim, and Python's zipfile, asked for a whole member,
    inflates all of its compressed data in one call before cutting it to that size. So the parts
    are read here in small steps (each step inflates at most 64 KB) and handed on in a new archive
    that stores them as they are: whatever reads it next has nothing left to inflate.
    """
    members = _zip_member_count(data)
    if members is not None and members > MAX_ZIP_MEMBERS:
        raise LoadError(f"{kind} holds {members:,} parts, over the limit of {MAX_ZIP_MEMBERS:,}")
    out = io.BytesIO()
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as clean:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise LoadError(f"{kind} holds {len(infos):,} parts, over the limit of {MAX_ZIP_MEMBERS:,}")
            recorded = sum(info.file_size for info in infos)
            if limit and recorded > limit:
                raise LoadError(_too_big(kind, recorded, limit, "nothing was unpacked"))
            for info in infos:
                parts: list[bytes] = []
                with archive.open(info) as member:
                    while piece := member.read(_STEP):
                        total += len(piece)
                        if limit and total > limit:
                            raise LoadError(_too_big(kind, total, limit, "stopped there"))
                        parts.append(piece)
                clean.writestr(info.filename, b"".join(parts))
    except LoadError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        ValueError,
        EOFError,
        OSError,
        zlib.error,
        struct.error,
    ) as exc:
        raise LoadError(f"not a valid {kind} file ({type(exc).__name__}: {exc})") from exc
    return out.getvalue()


def _too_big(kind: str, size: int, limit: int, what: str) -> str:
    over = f"over {size_text(limit)}" if size <= limit + _STEP else size_text(size)
    return f"{kind} unpacks to {over}, over the {size_text(limit)} limit (setting max_inflated_bytes); {what}"


def _zip_member_count(data: bytes) -> int | None:
    """Entries named by the end-of-central-directory record, read without parsing the directory."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count: int = struct.unpack("<H", data[end + 10 : end + 12])[0]
    return None if count == 0xFFFF else count  # 0xFFFF: a zip64 archive, counted by zipfile itself


# --- HTTP content encodings -------------------------------------------------------------------------


class BoundedDecoder:
    """Undoes gzip/deflate Content-Encoding step by step, refusing output past `limit` bytes.

    Each inflate call produces at most 64 KB, so a small body that would inflate to gigabytes
    costs no more than the limit in memory before it is refused.
    """

    SUPPORTED = ("gzip", "x-gzip", "deflate", "identity")

    def __init__(self, content_encoding: str, limit: int) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        unknown = [n for n in names if n not in self.SUPPORTED]
        if unknown:
            raise LoadError(f"unsupported content encoding '{unknown[0]}'")
        # Encodings are listed in the order applied: undo the last one first.
        self.stages = [_Inflater(n) for n in reversed(names) if n != "identity"]
        self.limit = limit
        self.total = 0

    def feed(self, data: bytes) -> bytes:
        for stage in self.stages:
            data = stage.feed(data, self.limit)
        self.total += len(data)
        if self.limit and self.total > self.limit:
            raise LoadError(f"response unpacks to over the {size_text(self.limit)} limit")
        return data

    def finish(self) -> None:
        for stage in self.stages:
            stage.finish()


class _Inflater:
    def __init__(self, name: str) -> None:
        self.name = name
        self.decoder: zlib._Decompress | None = None
        self.members = 0  # gzip members (or the one deflate stream) finished
        self.produced = 0
        self.head = b""
        self.done = False

    def _new(self, first: bytes) -> zlib._Decompress:
        if self.name == "deflate":
            # "deflate" should be zlib-wrapped, but some servers send raw deflate.
            zlib_header = (first[0] & 0x0F) == 8 and ((first[0] << 8) | first[1]) % 31 == 0
            return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        return zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> bytes:
        out: list[bytes] = []
        try:
            while not self.done:
                if self.decoder is None:
                    data, self.head = self.head + data, b""
                    if len(data) < 2:
                        self.head = data  # a header's first byte: wait for the next one
                        break
                    if self.members and (self.name == "deflate" or not data.startswith(b"\x1f\x8b")):
                        self.done = True  # bytes after the body (some servers pad it): ignored
                        break
                    self.decoder = self._new(data)
                piece = self.decoder.decompress(data, _STEP)
                self.produced += len(piece)
                if limit and self.produced > limit:
                    raise LoadError(f"response unpacks to over the {size_text(limit)} limit")
                out.append(piece)
                if self.decoder.eof:
                    # Concatenated gzip members: carry on with the next one.
                    self.members += 1
                    data = self.decoder.unused_data
                    self.decoder = None
                    continue
                data = self.decoder.unconsumed_tail
                if not data and len(piece) < _STEP:
                    break  # a full step may leave output pending: ask again until it comes out short
        except zlib.error as exc:
            raise LoadError(f"damaged {self.name} response body ({exc})") from exc
        return b"".join(out)

    def finish(self) -> None:
        if (self.decoder is not None and not self.decoder.eof) or (self.head and not self.members):
            raise LoadError(f"the {self.name} response body was cut short")
