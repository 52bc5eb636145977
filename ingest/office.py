"""Readers for packaged formats, PDF and Word, whose parsers unpack data: every read is capped.

`pdf_document` and `docx_document` are called through `ingest.loaders`, which picks the reader by
file type; the limits come from the current source's budget (`ingest.limits`).
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.errors import LoadError
from ingest.clean import normalise, title_from_text
from ingest.dates import date_from_dateline, parse_date
from ingest.limits import Budget, current_budget, encodable, repack_zip, size_text

if TYPE_CHECKING:
    from ingest.loaders import Loaded


def pdf_document(data: bytes, key: str, origin: str) -> Loaded:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from ingest.loaders import Loaded  # the loader that dispatches here; imported when called

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LoadError("not a PDF file (no %PDF header)")
    # A PDF ends with %%EOF; without it the file was cut short (an interrupted download or copy).
    damage = "truncated PDF (no end-of-file marker)" if b"%%EOF" not in data[-2048:] else "corrupt PDF"
    budget = current_budget()
    try:
        with _quiet("pypdf"), _pypdf_limits(budget.max_inflated):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise LoadError("encrypted PDF: it needs a password")
            pages = _pdf_pages(reader, budget)
            info: Any = reader.metadata or {}
            created = getattr(info, "creation_date", None)
    except LoadError:
        raise
    except RecursionError:
        raise LoadError(f"{damage} (objects nested too deeply)") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise LoadError(f"{damage} ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        if type(exc).__name__ == "LimitReachedError":
            raise LoadError(
                f"a PDF stream unpacks to over the {size_text(budget.max_inflated)} limit (setting max_inflated_bytes)"
            ) from exc
        if "crypt" in str(exc).lower():
            raise LoadError("encrypted PDF: it cannot be decrypted here") from exc
        raise LoadError(f"{damage} ({type(exc).__name__}: {exc})") from exc
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page_text in pages:
        cleaned = normalise(page_text)
        starts.append(offset)
        parts.append(cleaned)
        offset += len(cleaned) + 2
    text = "\n\n".join(parts)
    if not text.strip():
        raise LoadError("PDF has no extractable text (scanned images need OCR)")
    title = text_field(info.get("/Title")) if hasattr(info, "get") else None
    author = text_field(info.get("/Author")) if hasattr(info, "get") else None
    return Loaded(
        key=key,
        origin=origin,
        text=text,
        title=title or title_from_text(text),
        author=author,
        published=date_from_dateline(text) or parse_date(created),
        page_starts=tuple(starts),
    )


def _pdf_pages(reader: Any, budget: Budget) -> list[str]:
    """Text per page, stopping at the character limit or the deadline instead of reading every page."""

    pages: list[str] = []
    total = 0
    count = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        budget.check_time(f"at page {number} of {count}")
        text = page.extract_text() or ""
        total += len(text)
        if budget.max_chars and total > budget.max_chars:
            raise LoadError(
                f"text passes {budget.max_chars:,} characters at page {number} of {count}: over the"
                f" {budget.max_chars:,}-character limit per document (setting max_doc_chars);"
                " split it or raise the limit"
            )
        pages.append(text)
    return pages


_PYPDF_LIMITS = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "jbig2_maximum_output_length",
    "brotli_maximum_output_length",
    "maximum_declared_stream_length",
    "array_based_stream_maximum_output_length",
)


@contextmanager
def _pypdf_limits(limit: int) -> Iterator[None]:
    """pypdf's per-stream output limits (75 MB by default) set to ours: a stream stops inflating there."""
    import pypdf

    apply = getattr(pypdf, "apply_configuration", None)  # pypdf 7 and later
    if not limit or apply is None:
        yield
        return
    fields = set(pypdf.Configuration.__dataclass_fields__)
    with apply(**{name: limit for name in _PYPDF_LIMITS if name in fields}):
        yield


# --- DOCX -----------------------------------------------------------------------------------------


def docx_document(data: bytes, key: str, origin: str) -> Loaded:
    import docx

    from ingest.loaders import Loaded  # the loader that dispatches here; imported when called

    # python-docx inflates whole parts in one go: it gets the parts already unpacked, within the limit.
    data = repack_zip(data, current_budget().max_inflated, ".docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(f"not a valid .docx file ({type(exc).__name__})") from exc
    except Exception as exc:  # python-docx wraps damaged packages in its own errors
        raise LoadError(f"not a valid .docx file ({type(exc).__name__}: {exc})") from exc
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    text = normalise("\n\n".join(paragraphs))
    if not text:
        raise LoadError("document has no text")
    core = document.core_properties
    # Files made from python-docx's built-in template carry its stamp, not the writer's.
    stamped = core.author == _DOCX_TEMPLATE_AUTHOR
    created = None if stamped and core.created == _DOCX_TEMPLATE_CREATED else core.created
    return Loaded(
        key=key,
        origin=origin,
        text=text,
        title=text_field(core.title) or title_from_text(text),
        author=None if stamped else text_field(core.author),
        published=parse_date(created) or date_from_dateline(text),
    )


_DOCX_TEMPLATE_AUTHOR = "python-docx"
_DOCX_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


# --- JSON / JSONL article dumps -------------------------------------------------------------------


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Hold back a library's warnings about a damaged file: the LoadError says it once, clearly."""

    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def text_field(value: object) -> str | None:
    """A metadata value as clean text (lists joined), or None when empty."""
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    text = normalise(str(value)) if not encodable(str(value)) else str(value).strip()
    return text or None
