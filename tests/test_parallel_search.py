"""BM25 runs on its own thread beside the vector search; the fused passages are what one thread finds."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import Future
from typing import Any

import pytest

import rag.retrieve
from briefing.api import Briefing
from core.request import Filters

QUESTIONS = [
    "Who founded DeepSeek?",
    "What tariff did the United States put on Chinese electric vehicles in 2024?",
    "What did the CHIPS and Science Act fund?",
]


class _SameThread:
    """An executor that runs each call at once on the caller's thread: the search as it was before."""

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def _ranked(app: Briefing, filters: Filters) -> list[list[tuple[str, float]]]:
    retriever = app.retriever()
    return [[(h.chunk.chunk_id, round(h.score, 9)) for h in retriever.search(q, filters, 6)] for q in QUESTIONS]


def test_bm25_runs_on_another_thread_and_finds_what_one_thread_finds(
    corpus_app: Briefing, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, index = corpus_app.library, corpus_app.index
    threads: dict[str, set[str]] = {"bm25": set(), "vectors": set()}
    search, query = library.search, index.query

    def sparse(*args: Any, **kwargs: Any) -> Any:
        threads["bm25"].add(threading.current_thread().name)
        return search(*args, **kwargs)

    def dense(*args: Any, **kwargs: Any) -> Any:
        threads["vectors"].add(threading.current_thread().name)
        return query(*args, **kwargs)

    monkeypatch.setattr(library, "search", sparse)
    monkeypatch.setattr(index, "query", dense)
    outlet = Filters(sources=("The White House",))
    together = [_ranked(corpus_app, Filters()), _ranked(corpus_app, outlet)]
    assert threads["vectors"] == {threading.current_thread().name}
    assert threads["bm25"] and all(name.startswith("bm25") for name in threads["bm25"])

    monkeypatch.setattr(rag.retrieve, "_SPARSE_POOL", _SameThread())
    alone = [_ranked(corpus_app, Filters()), _ranked(corpus_app, outlet)]
    assert together == alone
    assert all(hits for case in together for hits in case)


def test_a_bm25_failure_reaches_the_caller(corpus_app: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(corpus_app.library, "search", locked)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        corpus_app.retriever().search(QUESTIONS[0], Filters(), 6)
