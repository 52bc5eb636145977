"""The fast embedders (ONNX Runtime, fp32 and int8) against the sentence-transformers reference."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from chromadb.api.shared_system_client import SharedSystemClient

from briefing.api import EMBEDDER_META, Briefing
from core.errors import EmbedderMismatch
from core.settings import default_cache_dir
from ingest.embed import OnnxEncoder, SentenceEmbedder, onnx_model, resolve_model
from rag.chain import Done
from tests.helpers import CORPUS, make_settings


def _real_texts() -> list[str]:
    """Sentences and whole paragraphs from the sample library, plus short questions: real text of every length."""
    sentences: list[str] = []
    paragraphs: list[str] = []
    for path in sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md")[:6]:
        body = path.read_text(encoding="utf-8")
        for para in re.split(r"\n\s*\n", body):
            para = " ".join(para.split())
            if len(para) > 200 and not para.startswith(("#", "---", "|")):
                paragraphs.append(para)
                sentences.extend(s for s in re.split(r"(?<=[.!?])\s+", para) if len(s) > 25)
    questions = [
        "What did the October 2022 export controls restrict?",
        "Which company makes China's most advanced chips?",
        "tariff rate on Chinese electric vehicles",
        "AI diffusion rule limits on exports of model weights",
    ]
    # Runs of paragraphs longer than the model's 256-token window, to cover truncation.
    long = [" ".join(paragraphs[i : i + 4]) for i in range(0, 16, 4)]
    return sentences[:40] + paragraphs[:12] + long + questions


TEXTS = _real_texts()


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return np.array(SentenceEmbedder(backend="torch").embed_batch(TEXTS))


@pytest.mark.parametrize(("backend", "floor"), [("onnx", 0.9999), ("onnx-int8", 0.99)])
def test_fast_backends_match_the_reference(backend: str, floor: float, reference: np.ndarray) -> None:
    assert len(TEXTS) > 40 and max(len(t) for t in TEXTS) > 2000  # some texts run into the 256-token limit
    vectors = np.array(SentenceEmbedder(backend=backend).embed_batch(TEXTS))
    assert vectors.shape == reference.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosine = (vectors * reference).sum(axis=1)
    worst = int(cosine.argmin())
    assert cosine[worst] >= floor, (TEXTS[worst][:80], float(cosine[worst]))


def test_int8_keeps_the_reference_ranking(reference: np.ndarray) -> None:
    """Each question's best passage by the reference is among int8's top three; near ties may swap."""
    vectors = np.array(SentenceEmbedder(backend="onnx-int8").embed_batch(TEXTS))
    questions, passages = slice(len(TEXTS) - 4, None), slice(0, len(TEXTS) - 4)
    want = np.argsort(-(reference[questions] @ reference[passages].T), axis=1)[:, :3]
    got = np.argsort(-(vectors[questions] @ vectors[passages].T), axis=1)[:, :3]
    assert all(w[0] in g for w, g in zip(want, got, strict=True))
    assert np.mean([len(set(w) & set(g)) / 3 for w, g in zip(want, got, strict=True)]) >= 2 / 3


def test_padding_and_order_do_not_change_a_vector(embedder: SentenceEmbedder) -> None:
    """A short text batched with long ones (so padded) gets the vector it gets alone, in input order.

    int8 activations are scaled per batch, so batch-mates move a vector slightly; float is exact.
    """
    short = "Export controls on advanced chips."
    for model, floor in ((SentenceEmbedder(backend="onnx"), 0.9999), (embedder, 0.99)):
        alone = np.array(model.embed_query(short))
        batch = np.array(model.embed_batch([TEXTS[-6], short, TEXTS[-5]]))
        assert float(batch[1] @ alone) > floor
        assert float(batch[0] @ alone) < 0.9  # rows were not shuffled
    assert embedder.embed_batch([]) == []
    assert embedder.dimension == 384


def test_exported_model_is_cached_and_reused(tmp_path: Path) -> None:
    folder = Path(resolve_model("all-MiniLM-L6-v2"))
    shared = onnx_model(folder, True, default_cache_dir())  # built once per machine, reused by every run
    assert shared is not None and shared.is_file()
    first = SentenceEmbedder(backend="onnx-int8", cache_dir=default_cache_dir())
    assert isinstance(first.model, OnnxEncoder)
    stamp = shared.stat().st_mtime_ns
    again = SentenceEmbedder(backend="onnx-int8", cache_dir=default_cache_dir())
    again.embed_query("warm")
    assert shared.stat().st_mtime_ns == stamp  # loaded, not rebuilt
    assert first.identity == "all-MiniLM-L6-v2|onnx-int8"
    assert SentenceEmbedder("sentence-transformers/all-MiniLM-L6-v2", backend="torch").identity == (
        "all-MiniLM-L6-v2|torch"
    )


def test_library_refuses_vectors_of_another_model_until_reindexed(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    settings = make_settings(tmp_path / "lib")
    app = Briefing(settings, embedder=embedder)
    app.ingest([CORPUS / "wikipedia-smic.md"])
    assert app.library.meta(EMBEDDER_META) == embedder.identity
    app.library.set_meta(EMBEDDER_META, "some-other-model|torch")
    app.close()

    stale = Briefing(settings, embedder=embedder)
    with pytest.raises(EmbedderMismatch, match="reindex"):
        stale.retrieve("SMIC")
    with pytest.raises(EmbedderMismatch):
        stale.ingest([CORPUS / "wikipedia-deepseek.md"])
    embedded = stale.reindex()
    assert embedded == stale.library.counts()["chunks"] > 0
    assert stale.library.meta(EMBEDDER_META) == embedder.identity
    hits = stale.retrieve("Which chipmaker is China's largest foundry?")
    assert any("SMIC" in hit.chunk.text for hit in hits[:3])
    stale.close()


def test_same_model_on_another_backend_is_noted_not_refused(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    settings = make_settings(tmp_path / "lib")
    app = Briefing(settings, embedder=embedder)
    app.ingest([CORPUS / "wikipedia-smic.md"])
    # A library made before the record existed: its vectors came from the torch backend.
    app.library.clear_meta(EMBEDDER_META)
    app.close()

    mixed = Briefing(settings, embedder=embedder)
    assert mixed.library.meta(EMBEDDER_META) == "all-MiniLM-L6-v2|torch"
    assert mixed.embedder_note and "reindex" in mixed.embedder_note
    assert mixed.retrieve("SMIC")
    report = mixed.ingest([CORPUS / "wikipedia-deepseek.md"])
    assert any("torch backend" in note for note in report.notes)
    mixed.close()


def test_passages_without_vectors_are_noted_on_answers_until_reindexed(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    settings = make_settings(tmp_path / "lib")
    app = Briefing(settings, embedder=embedder)
    app.ingest([CORPUS / "wikipedia-smic.md"])
    question = "Which chipmaker is China's largest foundry?"
    assert not app.ask(question).notes and app.vector_gap() is None
    app.close()
    # The Chroma folder replaced by an empty one, as a restore of library.db alone would leave it.
    SharedSystemClient.clear_system_cache()
    shutil.rmtree(settings.chroma_dir)
    gapped = Briefing(settings, embedder=embedder)
    chunks = gapped.library.counts()["chunks"]
    gap = gapped.vector_gap()
    assert gap is not None and f"{chunks} of {chunks} stored passages have no vector" in gap and "reindex" in gap
    answer = gapped.ask(question)
    assert gap in answer.notes
    done = [event for event in gapped.stream(question) if isinstance(event, Done)]
    assert gap in done[0].answer.notes
    assert gapped.reindex() == chunks
    assert gapped.vector_gap() is None and not gapped.ask(question).notes
    gapped.close()
    # Another collection name in the same folder is another library: none of these passages, so no gap.
    other = Briefing(settings.model_copy(update={"collection": "elsewhere"}), embedder=embedder)
    assert other.vector_gap() is None and other.counts()["chunks"] == 0
    other.close()
