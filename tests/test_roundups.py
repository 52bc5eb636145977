"""Roundups of unrelated stories are measured at ingest and rank after the article about the story."""

from __future__ import annotations

import itertools
import math
import sqlite3
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.models import Document
from core.settings import Settings
from ingest.coherence import by_document, coherence
from ingest.embed import SentenceEmbedder
from rag.retrieve import ROUNDUP_MIN_PASSAGES
from tests.chroma_server import drop_library
from tests.helpers import make_settings

# Six paragraphs on one story, and a roundup whose first paragraph is that story and the rest are not.
_BRIDGE = [
    "The old stone bridge over the Quillan river at Marrowby collapsed on Tuesday night after days of heavy rain. "
    "Its middle arch fell into the water shortly before midnight, and the two arches beside it followed an hour later. "
    "Police closed the river road at both ends of the bridge.",
    "Engineers said floodwater had scoured away the riverbed around the bridge's central pier until the pier tilted. "
    "Once the pier moved, the arch it carried could no longer stand, they said. "
    "The same pier had been repaired after the floods of 1998.",
    "No one was on the bridge when it fell, but two cars waiting at the far end were hit by falling stones. "
    "Their drivers were treated for minor injuries at the scene. "
    "Firefighters spent the night keeping people away from the broken bridge and the river bank.",
    "The county council said a temporary crossing to replace the bridge would take months to build. "
    "Until then, drivers between Marrowby and the villages across the river face a detour of twenty miles. "
    "A ferry for people on foot will run from next week.",
    "Residents had warned for years that the cracks in the bridge's arches were widening after every flood. "
    "A petition asking the council to inspect the bridge gathered eight hundred names last winter. "
    "The council said an inspection had been planned for the spring.",
    "Inspectors will now check every river bridge in the county built before 1900, the council said. "
    "Eleven stone bridges of the same age and design cross the Quillan and its tributaries. "
    "Two of them have been closed to lorries while engineers examine their piers.",
]
_ROUNDUP = [
    "Marrowby: the old stone bridge over the Quillan river collapsed on Tuesday night after days of heavy rain. "
    "Engineers blame floodwater that scoured the riverbed around its central pier. "
    "The river road is closed and a temporary crossing will take months.",
    "Football: Harwick United won the cup final three goals to one after extra time in front of a record crowd. "
    "Their captain scored twice in the last ten minutes. "
    "The club will parade the trophy through the town centre on Sunday afternoon.",
    "Markets: shares in chip makers fell sharply as investors worried about slowing orders from phone makers. "
    "The main index closed two percent lower. "
    "Analysts expect the chip makers' quarterly results next week to show weaker sales in Asia.",
    "Recipes: a slow-roasted tomato soup needs only olive oil, garlic, basil and a little cream. "
    "Roast the tomatoes for an hour before blending them with the stock. "
    "It keeps for three days in the fridge and freezes well.",
    "Space: a private rocket carried a weather satellite into orbit from a launch site on the coast. "
    "The satellite will photograph clouds over the ocean every ten minutes. "
    "The rocket's first stage landed on a barge for reuse.",
    "Courts: a judge struck down a city rule that banned food trucks from parking near restaurants. "
    "The ruling said the rule protected restaurant owners from competition and served no public purpose. "
    "The city has thirty days to appeal.",
]


def _write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bridge.md").write_text(
        "---\ntitle: Inspectors examine the fallen arch\nsource: County Courier\npublished: 2024-03-06\n---\n"
        + "\n\n".join(_BRIDGE)
        + "\n",
        encoding="utf-8",
    )
    (folder / "roundup.md").write_text(
        '---\ntitle: "Six things to know this Wednesday"\nsource: Morning Digest\n'
        "published: 2024-03-06\n---\n" + "\n\n".join(_ROUNDUP) + "\n",
        encoding="utf-8",
    )


def _settings(folder: Path, **overrides: object) -> Settings:
    # Small chunks: one paragraph each, so each document has six passages.
    return make_settings(folder, chunk_size=350, chunk_overlap=0, **overrides)


def _by_title(app: Briefing) -> dict[str, Document]:
    return {d.title: d for d in app.documents()}


def test_coherence_is_the_mean_pairwise_cosine() -> None:
    rng = [[math.sin(i * 1.3 + j) for j in range(8)] for i in range(5)]
    unit = [[x / math.sqrt(sum(y * y for y in v)) for x in v] for v in rng]
    pairs = [sum(a * b for a, b in zip(u, v, strict=True)) for u, v in itertools.combinations(unit, 2)]
    assert coherence(rng) == pytest.approx(sum(pairs) / len(pairs), abs=1e-4)
    assert coherence([[1.0, 0.0]]) == 1.0  # one passage: nothing to disagree with
    assert coherence([[1.0, 0.0], [0.0, 2.0]]) == 0.0
    assert coherence([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]) == 1.0
    assert by_document(["a", "b", "a"], [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]) == {"a": 0.0, "b": 1.0}


def test_ingest_measures_a_story_as_coherent_and_a_roundup_as_not(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    _write(tmp_path / "news")
    app = Briefing(_settings(tmp_path / "lib"), embedder=embedder)
    assert not app.ingest([tmp_path / "news"]).failed
    documents = _by_title(app)
    story = documents["Inspectors examine the fallen arch"]
    roundup = documents["Six things to know this Wednesday"]
    assert story.chunk_count >= ROUNDUP_MIN_PASSAGES and roundup.chunk_count >= ROUNDUP_MIN_PASSAGES
    assert story.coherence is not None and roundup.coherence is not None
    threshold = app.settings.retrieval.roundup_coherence
    assert roundup.coherence < threshold < story.coherence
    assert app.answerer.retriever.roundup_factor(roundup) == app.settings.retrieval.roundup_factor
    assert app.answerer.retriever.roundup_factor(story) == 1.0
    app.close()


def test_the_article_ranks_before_a_roundup_that_matches_as_well(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    _write(tmp_path / "news")
    question = "Why did the Quillan bridge at Marrowby collapse?"
    plain = Briefing(_settings(tmp_path / "lib", roundup_factor=1.0), embedder=embedder)
    assert not plain.ingest([tmp_path / "news"]).failed
    # The setting that makes this a test: without the rule, the roundup's paragraph (headline words and all) leads.
    assert plain.retrieve(question, k=3)[0].document.source == "Morning Digest"
    plain.close()
    app = Briefing(_settings(tmp_path / "lib"), embedder=embedder)
    hits = app.retrieve(question, k=12)
    assert hits[0].document.source == "County Courier"
    # Lowered, not removed: the roundup's paragraph is still there to be quoted.
    assert any(h.document.source == "Morning Digest" for h in hits)
    app.close()


def _ingested(tmp_path: Path, embedder: SentenceEmbedder) -> tuple[Briefing, dict[str, float | None]]:
    """The two documents ingested into a new library, and each one's coherence by title."""
    _write(tmp_path / "news")
    app = Briefing(_settings(tmp_path / "lib"), embedder=embedder)
    assert not app.ingest([tmp_path / "news"]).failed
    return app, {title: d.coherence for title, d in _by_title(app).items()}


def test_a_library_from_before_is_measured_on_its_next_ingest(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    first, measured = _ingested(tmp_path, embedder)
    settings = first.settings
    first.close()
    db = sqlite3.connect(settings.library_db)
    db.execute("ALTER TABLE documents DROP COLUMN coherence")  # the library as it was before
    db.commit()
    db.close()

    app = Briefing(settings, embedder=embedder)
    assert all(d.coherence is None for d in app.documents()), "the column is added, empty"
    assert all(app.answerer.retriever.roundup_factor(d) == 1.0 for d in app.documents())
    report = app.ingest([tmp_path / "news"])  # nothing changed, so nothing is re-embedded
    assert not report.added and not report.updated and not report.failed
    assert {t: d.coherence for t, d in _by_title(app).items()} == pytest.approx(measured)
    app.close()


def test_reindex_measures_again_on_the_new_vectors(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    app, measured = _ingested(tmp_path, embedder)
    # As if the vectors had been made by another embedder with another scale.
    app.library.set_coherence({d.doc_id: 0.01 for d in app.documents()})
    assert app.reindex() == sum(d.chunk_count for d in app.documents())
    assert {t: d.coherence for t, d in _by_title(app).items()} == pytest.approx(measured)
    app.close()


def test_the_measure_travels_with_the_document_in_server_mode(
    mode_settings: Settings, embedder: SentenceEmbedder, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    _write(tmp_path / "news")
    settings = mode_settings.updated(chunk_size=350, chunk_overlap=0)  # one paragraph a passage, as above
    app = Briefing(settings, embedder=embedder)
    try:
        assert not app.ingest([tmp_path / "news"]).failed
        roundup = next(d for d in app.documents() if d.source == "Morning Digest")
        assert roundup.coherence is not None and roundup.coherence < settings.retrieval.roundup_coherence
        if settings.chroma_url:
            # Another machine's cache of the same server is built from the catalog: the measure comes with it.
            other = Briefing(settings.model_copy(update={"data_dir": tmp_path / "other"}), embedder=embedder)
            copy = next(d for d in other.documents() if d.source == "Morning Digest")
            assert copy.coherence == pytest.approx(roundup.coherence)
            other.close()
    finally:
        app.close()
        if settings.chroma_url:
            drop_library(request.getfixturevalue("chroma_server").client(), settings.collection)
