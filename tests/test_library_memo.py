"""What every search sizes itself by (filter shares, the library's languages) is read once per change of the library."""

from __future__ import annotations

import threading
from pathlib import Path

from briefing.api import Briefing
from core.request import Filters
from ingest.store import Library

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DEEPSEEK = CORPUS / "wikipedia-deepseek.md"
HOUSE = Filters(sources=("The White House",))


def _exact_share(library: Library, filters: Filters) -> float:
    db = library._db()
    total = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    inside = db.execute(
        "SELECT count(*) FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE d.source = ?",
        filters.sources,
    ).fetchone()[0]
    return float(inside) / float(total)


def _statements(library: Library) -> list[str]:
    seen: list[str] = []
    library._db().set_trace_callback(seen.append)
    return seen


def test_shares_and_languages_are_read_again_only_after_the_library_changed(app: Briefing) -> None:
    assert not app.ingest([CORPUS / "wh-2025-05-12-us-china-trade-deal-fact-sheet.md"]).failed
    assert not app.ingest([DEEPSEEK]).failed
    library = app.library
    first = library.chunk_share(HOUSE)
    assert first == _exact_share(library, HOUSE) and 0 < first < 1
    assert library.languages() == ["en"]

    seen = _statements(library)
    for _ in range(3):
        assert library.chunk_share(HOUSE) == first
        assert library.languages() == ["en"]
    counted = [s for s in seen if "count(" in s or "DISTINCT language" in s]
    assert counted == [], "nothing was written, yet the library was counted again"

    # A commit by another thread (its own connection) is seen here.
    worker = threading.Thread(
        target=lambda: app.ingest([CORPUS / "wh-2025-04-09-executive-order-china-tariff-125.md"]), name="writer"
    )
    worker.start()
    worker.join()
    second = library.chunk_share(HOUSE)
    assert second == _exact_share(library, HOUSE) and second > first

    # So is a commit on another connection, here another Library on the same file, as another process would.
    other = Library(library.path)
    try:
        other.set_language(other.resolve(str(DEEPSEEK))[0], "de")
    finally:
        other.close()
    assert sorted(library.languages()) == ["de", "en"]

    # And a write on this thread's own connection.
    app.remove(str(DEEPSEEK))
    assert library.chunk_share(HOUSE) == _exact_share(library, HOUSE) == 1.0
    assert library.languages() == ["en"]
    assert not app.ingest([CORPUS / "zh-2025-05-12-geneva-joint-statement.md"]).failed
    assert library.chunk_share(HOUSE) == _exact_share(library, HOUSE) < 1.0
    assert sorted(library.languages()) == ["en", "zh"]
