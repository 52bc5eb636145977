"""Upload progress that moves with the work: passages embedded, not files finished."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from briefing.api import Briefing
    from ingest.pipeline import IngestReport

STEP = 64  # passages per progress step: one embedder batch, a second or two on two cores

Embedded = Callable[[int, int], None]  # (passages embedded so far, passages in this batch)


class CountingEmbedder:
    """An embedder that embeds in steps of STEP texts and reports after each; everything else is the inner one's."""

    def __init__(self, inner: Any, embedded: Embedded) -> None:
        self.inner = inner
        self.embedded = embedded

    def embed_batch(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        self.embedded(0, len(texts))
        for start in range(0, len(texts), STEP):
            vectors += self.inner.embed_batch(texts[start : start + STEP])
            self.embedded(len(vectors), len(texts))
        return vectors

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def add_upload_counting(app: Briefing, path: Path, name: str, embedded: Embedded) -> IngestReport:
    """`Briefing.add_upload`, calling `embedded` as the file's passages are embedded."""
    from briefing.api import upload_name

    app.refresh()
    safe = upload_name(name)
    ingestor = app.ingestor()
    ingestor.embedder = cast(Any, CountingEmbedder(ingestor.embedder, embedded))
    report = ingestor.run([path], key=f"upload:{safe}", display_name=safe)
    if app.embedder_note and (report.added or report.updated):
        report.notes.append(app.embedder_note)
    return report
