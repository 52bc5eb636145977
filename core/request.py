"""What a question asks for: the filters every retriever applies, and the one request object all callers build."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class Filters:
    """Restrictions every retriever applies: outlets, documents and a published-date window."""

    sources: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    # With since/until: also keep documents that have no published date (nothing says they fall outside).
    keep_undated: bool = False
    # ISO 639-1 codes ('en', 'zh'): only documents detected as written in one of these.
    languages: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.sources or self.doc_ids or self.since or self.until or self.languages)


@dataclass(frozen=True)
class Request:
    """One question to answer and everything that scopes it; the API, CLI, app and evaluation all build one.

    as_of: only documents dated on or before it (the library as it stood that day).
    asked_on: the day the question is asked (default as_of, else today): "this week", "last month",
    "before the Geneva talks" are resolved against it and documents published after it are left out.
    temporal=False: no time handling at all (time words are searched as plain words).
    """

    question: str
    history: Sequence[tuple[str, str]] = ()
    filters: Filters = Filters()
    as_of: date | None = None
    asked_on: date | None = None
    temporal: bool = True

    @property
    def day(self) -> date:
        """The day time words are read against."""
        return self.asked_on or self.as_of or date.today()

    def scoped_filters(self) -> Filters:
        """The filters, with their end moved back to as_of when that is earlier."""
        filters = self.filters
        if self.as_of is not None and (filters.until is None or self.as_of < filters.until):
            filters = replace(filters, until=self.as_of)
        return filters
