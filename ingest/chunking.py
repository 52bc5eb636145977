"""Sentence-aware chunking that keeps character offsets into the document text."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Sequence

from core.models import Chunk, Document
from ingest.sentences import sentence_spans

# What a chunk is indexed with besides its own text. Bump when context_of or embedding_text change:
# libraries record it (meta "chunk_context") and older vectors are re-made by `briefing reindex`.
CONTEXT_VERSION = "1"


def chunk_id(doc_id: str, content_hash: str, index: int, start: int, end: int) -> str:
    """Stable id: the same document content always yields the same chunk ids."""
    digest = hashlib.sha1(f"{doc_id}\x1f{content_hash}\x1f{index}\x1f{start}\x1f{end}".encode()).hexdigest()
    return digest[:24]


def split(
    text: str,
    doc_id: str,
    content_hash: str = "",
    size: int = 900,
    overlap: int = 150,
    page_starts: Sequence[int] = (),
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `size` characters, repeating up to `overlap`.

    A sentence longer than `size` is cut at whitespace. Chunks never span a page break
    when page_starts is given, so each chunk has one page number.
    """
    if size <= 0:
        raise ValueError("chunk size must be positive")
    overlap = max(0, min(overlap, size // 2))
    spans: list[tuple[int, int]] = []
    for seg_start, seg_end in _segments(len(text), page_starts):
        for a, b in sentence_spans(text, seg_start, seg_end):
            spans.extend(_cut_long(text, a, b, size))
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        page = _page_of(spans[i][0], page_starts)
        j = i
        begin = spans[i][0]
        while j + 1 < len(spans) and spans[j + 1][1] - begin <= size and _page_of(spans[j + 1][0], page_starts) == page:
            j += 1
        end = spans[j][1]
        index = len(chunks)
        chunks.append(
            Chunk(
                chunk_id=chunk_id(doc_id, content_hash, index, begin, end),
                doc_id=doc_id,
                index=index,
                text=text[begin:end],
                start=begin,
                end=end,
                page=page,
            )
        )
        if j + 1 >= len(spans):
            break
        # Step back over trailing sentences that fit in the overlap, but only while the next new
        # sentence still fits after them: otherwise the next chunk would repeat this one's tail
        # and add nothing.
        nxt = j + 1
        following = spans[j + 1]
        while (
            nxt - 1 > i
            and end - spans[nxt - 1][0] <= overlap
            and following[1] - spans[nxt - 1][0] <= size
            and _page_of(spans[nxt - 1][0], page_starts) == _page_of(following[0], page_starts)
        ):
            nxt -= 1
        i = nxt
    return chunks


def _segments(length: int, page_starts: Sequence[int]) -> list[tuple[int, int]]:
    if not page_starts:
        return [(0, length)]
    bounds = [*page_starts, length]
    return [(bounds[k], bounds[k + 1]) for k in range(len(page_starts))]


def _page_of(offset: int, page_starts: Sequence[int]) -> int | None:
    if not page_starts:
        return None
    return bisect.bisect_right(page_starts, offset)


def _cut_long(text: str, a: int, b: int, size: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    while b - a > size:
        cut = text.rfind(" ", a + size // 2, a + size)
        if cut <= a:
            cut = a + size
        pieces.append((a, cut))
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if b > a:
        pieces.append((a, b))
    return pieces


def context_of(document: Document) -> str:
    """The words that place a passage: its document's title and outlet (indexed by BM25 beside the text).

    A passage rarely repeats its headline, yet questions name the story the headline names.
    """
    source = (document.source or "").removeprefix("www.")
    return f"{document.title.strip()} — {source}" if source else document.title.strip()


def embedding_text(document: Document, chunk: Chunk) -> str:
    """What is embedded for a chunk: its context line and date, then its text (offsets stay the text's)."""
    when = document.published.isoformat() if document.published else ""
    head = f"{context_of(document)}, {when}" if when else context_of(document)
    return f"{head}\n{chunk.text}"
