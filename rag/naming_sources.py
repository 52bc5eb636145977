"""The sentences whose sources name what a question names.

The names rule (`rag.abstain.names_unmentioned`) sets aside sources that never name what a question asks about,
for the sentences an answer would quote first. A figure is then sought among the read sentences: it must come
from such a source too. "How many jobs has Made in China 2025 created?" is not answered by a fact sheet's "nearly
800,000 manufacturing jobs", which never names the plan, nor counted by it.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.models import Document, Hit
from rag.abstain import names_unmentioned
from rag.extractive import Candidate


def as_evidence(document: Document, text: str | None = None) -> str:
    """What the names rule reads of a source: its title and outlet with its text (or one passage of it)."""
    return f"{document.title}\n{document.source or ''}\n{document.text if text is None else text}"


def from_naming_sources(question: str, ranked: Sequence[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """The candidates whose documents name what the question names, as the names rule reads them; all of them when
    the question names nothing."""
    naming: dict[str, bool] = {}
    out = []
    for candidate in ranked:
        document = hits[candidate.hit_number - 1].document
        if document.doc_id not in naming:
            naming[document.doc_id] = not names_unmentioned(question, [as_evidence(document)])
        if naming[document.doc_id]:
            out.append(candidate)
    return out
