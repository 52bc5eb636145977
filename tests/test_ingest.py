"""Ingest end to end with the real embedder, a real Chroma folder and the SQLite store.

Covers metadata and offsets for every format, URLs from a local web server, idempotent
re-ingest, replacement of changed files, removal, and the `sources`/`remove` commands.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.api import Briefing
from briefing.cli import cli
from core.errors import NotFound
from core.models import Document
from ingest.embed import SentenceEmbedder
from ingest.loaders import Loaded, load_path
from ingest.pipeline import content_hash
from tests.helpers import (
    DATA,
    MARKDOWN,
    PDF_PAGES,
    assert_library_consistent,
    make_settings,
    pdf_bytes,
    write_mixed_folder,
)

# --- invariants ----------------------------------------------------------------------------------


def bm25_docs(app: Briefing, word: str) -> set[str]:
    """Documents whose chunks the full-text index finds for a word."""
    hits = app.library.search(word, k=50)
    return {c.doc_id for c in app.library.chunks([cid for cid, _ in hits]).values()}


def by_title(app: Briefing) -> dict[str, Document]:
    return {d.title: d for d in app.library.documents(with_text=True)}


# --- a folder with one file of every kind ----------------------------------------------------------

EXPECTED = {
    # title: (external_id, source, url, published, author)
    "Geneva talks end with a tariff truce": (
        "ew-0042",
        "Example Wire",
        "https://wire.example.com/2025/05/12/geneva-truce",
        date(2025, 5, 12),
        "Jane Doe",
    ),
    "Taiwan foundry expands in Kumamoto": (None, "South China Morning Post", "https://www.scmp.com", None, None),
    "Chipmakers brace for new export curbs": (
        None,
        "Harbour Ledger",
        "https://news.harbourledger.example/tech/chipmakers-brace-for-curbs",
        date(2024, 3, 5),
        "Maria Chen",
    ),
    "Chip Market Outlook": (None, None, None, date(2024, 6, 11), "R. Analyst"),
    "Geneva memo": (None, None, None, date(2025, 5, 13), "Sam Writer"),
    "Forecasting": (
        "820769473_15895-16818",
        "Wikipedia",
        "https://en.wikipedia.org/wiki/Forecasting",
        date(2019, 3, 1),
        "Wikipedia contributors",
    ),
    "Memory prices": ("doc-2", "Chip Weekly", None, date(2024, 6, 1), None),
}


def test_folder_of_every_format_is_stored_with_metadata_text_chunks_and_vectors(app: Briefing, tmp_path: Path) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    before = datetime.now(UTC).replace(microsecond=0)

    report = app.ingest([folder])

    assert report.failed == []
    assert len(report.added) == 7 and report.updated == [] and report.unchanged == []
    docs = by_title(app)
    assert set(docs) == set(EXPECTED)
    for title, (external_id, source, url, published, author) in EXPECTED.items():
        doc = docs[title]
        assert (doc.external_id, doc.source, doc.url, doc.published, doc.author) == (
            external_id,
            source,
            url,
            published,
            author,
        ), title
        assert re.fullmatch(r"[0-9a-f]{64}", doc.content_hash)
        ingested = datetime.fromisoformat(doc.ingested_at)
        assert before - timedelta(seconds=1) <= ingested <= datetime.now(UTC)
    # The stored hash is the hash of what the loader read, and the full text is kept.
    for path in folder.iterdir():
        for loaded in load_path(path, 10**7):
            assert isinstance(loaded, Loaded)
            doc = docs[loaded.title]
            assert doc.text == loaded.text
            assert doc.content_hash == content_hash(loaded)
            # Files are stored under their absolute path; a dump's records under file:line.
            assert doc.path == (str(path.resolve()) if loaded.origin == str(path) else loaded.origin)
    counts = assert_library_consistent(app)
    assert counts["documents"] == 7 and counts["chunks"] == report.chunks

    # PDF chunks carry the page they come from; other formats have no pages.
    pdf = docs["Chip Market Outlook"]
    pdf_chunks = app.library.chunks_of(pdf.doc_id)
    assert [c.page for c in pdf_chunks] == [1, 2, 3]
    assert "Lithography tools remained the main bottleneck." in pdf_chunks[1].text
    assert all(c.page is None for c in app.library.chunks_of(docs["Geneva memo"].doc_id))

    # Chroma holds each chunk's vector with the metadata dense retrieval filters on.
    stored = app.index.collection.get(ids=[c.chunk_id for c in pdf_chunks], include=["metadatas"])
    meta = {cid: m for cid, m in zip(stored["ids"], stored["metadatas"], strict=True)}
    for chunk in pdf_chunks:
        assert meta[chunk.chunk_id] == {
            "doc_id": pdf.doc_id,
            "source": "",
            "published": 20240611,
            "index": chunk.index,
            "language": "en",
        }
    # ... and the vectors are the embedder's: a paraphrase of page 2 finds page 2 first.
    top = app.index.query(app.embedder.embed_query("the main bottleneck was lithography equipment"), k=1)
    assert top[0][0] == pdf_chunks[1].chunk_id


def test_reingesting_the_same_folder_changes_nothing(app: Briefing, tmp_path: Path) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    first = app.ingest([folder])
    ids_before = app.index.all_ids()
    docs_before = {d.doc_id: d for d in app.library.documents()}

    again = app.ingest([folder])

    assert again.added == [] and again.updated == [] and again.failed == []
    assert sorted(again.unchanged) == sorted(first.added)
    assert again.chunks == 0
    assert app.index.all_ids() == ids_before
    assert {d.doc_id: d for d in app.library.documents()} == docs_before  # ingested_at untouched
    assert assert_library_consistent(app)["documents"] == 7


def test_chunk_ids_are_the_same_in_a_fresh_library(app: Briefing, tmp_path: Path, embedder: SentenceEmbedder) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    app.ingest([folder])
    other = Briefing(make_settings(tmp_path / "other-lib"), embedder=embedder)
    try:
        other.ingest([folder])
        assert other.library.all_chunk_ids() == app.library.all_chunk_ids()
        assert {d.doc_id for d in other.documents()} == {d.doc_id for d in app.documents()}
    finally:
        other.close()


def test_a_changed_file_replaces_its_old_chunks_everywhere(app: Briefing, tmp_path: Path) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    app.ingest([folder])
    target = folder / "kumamoto.txt"
    doc_id = app.library.resolve(str(target))[0]
    old_ids = set(app.library.chunk_ids_of(doc_id))
    assert bm25_docs(app, "Kumamoto") == {doc_id}

    target.write_text(
        "Taiwan foundry expands in Hokkaido\n"
        "The plant will now be built near Chitose and make logic chips for robotics firms.\n"
        "Source: https://www.scmp.com\n",
        encoding="utf-8",
    )
    report = app.ingest([folder])

    assert report.updated == [str(target)]
    assert report.added == [] and len(report.unchanged) == 6
    assert app.library.resolve(str(target)) == [doc_id]  # same file, same document id
    new_ids = set(app.library.chunk_ids_of(doc_id))
    assert new_ids and not new_ids & old_ids
    assert not old_ids & app.index.all_ids(), "old vectors left in Chroma"
    assert not old_ids & app.library.all_chunk_ids(), "old chunks left in SQLite"
    assert bm25_docs(app, "Kumamoto") == set(), "old text still found by BM25"
    assert bm25_docs(app, "Chitose") == {doc_id}
    assert app.document(doc_id).title == "Taiwan foundry expands in Hokkaido"
    assert assert_library_consistent(app)["documents"] == 7


def test_a_metadata_only_edit_is_an_update(app: Briefing, tmp_path: Path) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    app.ingest([folder])
    path = folder / "geneva.md"
    path.write_text(MARKDOWN.replace("author: Jane Doe", "author: John Roe"), encoding="utf-8")

    report = app.ingest([path])

    assert report.updated == [str(path)]
    (doc_id,) = app.library.resolve("ew-0042")
    assert app.document(doc_id).author == "John Roe"
    assert_library_consistent(app)


def test_remove_deletes_the_document_and_all_its_chunks(app: Briefing, tmp_path: Path) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    app.ingest([folder])
    (doc_id,) = app.library.resolve("ew-0042")
    chunk_ids = set(app.library.chunk_ids_of(doc_id))
    assert bm25_docs(app, "cordial") == {doc_id}

    removed = app.remove("ew-0042")

    assert [d.doc_id for d in removed] == [doc_id]
    assert app.library.document(doc_id) is None
    assert app.library.chunk_ids_of(doc_id) == []
    assert not chunk_ids & app.index.all_ids()
    assert bm25_docs(app, "cordial") == set()
    assert assert_library_consistent(app)["documents"] == 6
    with pytest.raises(NotFound):
        app.remove("ew-0042")
    # Ingesting the folder again brings it back, with the same chunk ids.
    report = app.ingest([folder])
    assert report.added == [str(folder / "geneva.md")]
    assert set(app.library.chunk_ids_of(doc_id)) == chunk_ids


# --- URLs from a real local web server --------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving an article page and a PDF report."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(DATA / "article.html", root / "article.html")
    (root / "report.pdf").write_bytes(pdf_bytes(PDF_PAGES, title="Chip Market Outlook"))
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_urls_are_fetched_extracted_and_chunked(app: Briefing, site: str) -> None:
    page, report_pdf, missing = f"{site}/article.html", f"{site}/report.pdf", f"{site}/gone.html"

    report = app.ingest([page, report_pdf, missing])

    assert sorted(report.added) == sorted([page, report_pdf])
    assert [(f.origin, f.reason) for f in report.failed] == [(missing, "HTTP 404 File not found")]
    html = app.document(app.library.resolve(page)[0])
    assert html.title == "Chipmakers brace for new export curbs"
    assert (html.url, html.source, html.author, html.published) == (
        page,
        "Harbour Ledger",
        "Maria Chen",
        date(2024, 3, 5),
    )
    assert "Subscribe" not in html.text and "Copyright" not in html.text
    pdf = app.document(app.library.resolve(report_pdf)[0])
    assert (pdf.title, pdf.url, pdf.source) == ("Chip Market Outlook", report_pdf, "127.0.0.1")
    assert [c.page for c in app.library.chunks_of(pdf.doc_id)] == [1, 2, 3]
    assert_library_consistent(app)

    again = app.ingest([page, report_pdf])
    assert sorted(again.unchanged) == sorted([page, report_pdf]) and again.chunks == 0


# --- the command line ---------------------------------------------------------------------------------


def test_cli_ingest_sources_and_remove(tmp_path: Path) -> None:
    folder = write_mixed_folder(tmp_path / "inbox")
    runner = CliRunner()

    result = runner.invoke(cli, ["ingest", "--quiet", str(folder)])
    assert result.exit_code == 0, result.output
    assert "7 added, 0 updated, 0 unchanged, 0 failed" in result.stdout

    listing = runner.invoke(cli, ["sources"])
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["ID", "DATE", "SOURCE", "LANG", "CHUNKS", "TITLE"]
    assert lines[-1].startswith("7 documents, ")
    geneva = next(line for line in lines if "Geneva talks end with a tariff truce" in line)
    assert "2025-05-12" in geneva and "Example Wire" in geneva

    as_json = json.loads(runner.invoke(cli, ["sources", "--json"]).stdout)
    assert {d["title"] for d in as_json} == set(EXPECTED)
    pdf = next(d for d in as_json if d["title"] == "Chip Market Outlook")
    assert pdf["chunk_count"] == 3 and pdf["published"] == "2024-06-11" and pdf["author"] == "R. Analyst"
    assert lines[-1] == f"7 documents, {sum(d['chunk_count'] for d in as_json)} chunks"

    removed = runner.invoke(cli, ["remove", pdf["doc_id"]])
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.strip() == f"removed {pdf['doc_id']}  Chip Market Outlook (3 chunks)"
    after = json.loads(runner.invoke(cli, ["sources", "--json"]).stdout)
    assert pdf["doc_id"] not in {d["doc_id"] for d in after} and len(after) == 6

    missing = runner.invoke(cli, ["remove", pdf["doc_id"]])
    assert missing.exit_code == 1
    assert f"no document matches '{pdf['doc_id']}'" in missing.stderr

    app = Briefing(make_settings(tmp_path / "data"))
    try:
        assert_library_consistent(app)
    finally:
        app.close()


def test_cli_jsonl_dump_keeps_external_ids_that_resolve(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    # Same shape as an evaluation corpus.jsonl: the evaluator looks passages up by these ids.
    dump = tmp_path / "corpus.jsonl"
    records = [
        {
            "id": f"{800000 + n}_{n * 100}-{n * 100 + 99}",
            "title": f"Passage {n}",
            "text": f"Fact number {n} is {n * 7}.",
        }
        for n in range(5)
    ]
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    runner = CliRunner()

    result = runner.invoke(cli, ["ingest", "--quiet", str(dump)])

    assert result.exit_code == 0, result.output
    assert "5 added" in result.stdout
    app = Briefing(make_settings(tmp_path / "data"), embedder=embedder)
    try:
        for record in records:
            (doc_id,) = app.library.resolve(record["id"])
            doc = app.document(doc_id)
            assert (doc.external_id, doc.title, doc.text) == (record["id"], record["title"], record["text"])
        assert_library_consistent(app)
    finally:
        app.close()
    removed = runner.invoke(cli, ["remove", records[0]["id"]])
    assert removed.exit_code == 0 and "Passage 0" in removed.stdout
    again = runner.invoke(cli, ["ingest", "--quiet", str(dump)])
    assert "1 added, 0 updated, 4 unchanged, 0 failed" in again.stdout


def test_cli_remove_finds_a_file_by_any_spelling_of_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_mixed_folder(tmp_path / "inbox")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "--quiet", "inbox"]).exit_code == 0  # cwd is tmp_path

    by_dot = runner.invoke(cli, ["remove", "./inbox/geneva.md"])
    monkeypatch.chdir(tmp_path / "inbox")
    by_name = runner.invoke(cli, ["remove", "memo.docx"])
    by_absolute = runner.invoke(cli, ["remove", str(tmp_path / "inbox" / "kumamoto.txt")])

    assert by_dot.exit_code == 0 and "Geneva talks end with a tariff truce" in by_dot.stdout
    assert by_name.exit_code == 0 and "Geneva memo" in by_name.stdout
    assert by_absolute.exit_code == 0 and "Taiwan foundry expands in Kumamoto" in by_absolute.stdout
    left = json.loads(runner.invoke(cli, ["sources", "--json"]).stdout)
    assert len(left) == 4


def test_a_batch_that_fails_half_way_is_undone_in_the_running_process(
    app: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vector write succeeds, the commit fails: the live process cleans up at once, not on restart."""
    (tmp_path / "keep.md").write_text("---\ntitle: Kept\n---\nThe first article stays in the library.\n")
    assert app.ingest([tmp_path / "keep.md"]).added
    before = app.counts()
    (tmp_path / "lost.md").write_text(
        "---\ntitle: Lost\n---\nThis article's commit fails after its vectors are written.\n"
    )

    def broken_commit(*args: object, **kwargs: object) -> list[str]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(app.library, "commit", broken_commit)
    with pytest.raises(RuntimeError, match="disk full"):
        app.ingest([tmp_path / "lost.md"])
    monkeypatch.undo()
    after = app.counts()
    assert after["documents"] == before["documents"] == 1
    assert after["vectors"] == before["vectors"] == after["chunks"]
    assert after["pending"] == 0
    assert app.ingest([tmp_path / "lost.md"]).added


def test_a_video_page_of_only_an_ad_form_is_found_and_quoted_by_its_headline(app: Briefing, tmp_path: Path) -> None:
    from core.request import Request
    from tests.test_loaders import AD_FORM

    records = [
        {
            "id": "recall",
            "title": "Harbour Motors recalls 200,000 pickup trucks over a rollaway risk",
            "text": AD_FORM,
            "source": "Coastal Review",
            "published": "2024-09-20",
        },
        {
            "id": "mill",
            "title": "Tide mills",
            "text": "The Rance tide mill reopened in May. It grinds flour for bakers.",
            "source": "Coastal Review",
            "published": "2024-09-19",
        },
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    report = app.ingest([path])
    assert len(report.added) == 2 and report.failed == []
    assert [n for n in report.notes if "indexed by its headline alone" in n] == [
        f"{path}:1: the page holds only furniture (a video player's ad-feedback form or a newsletter sign-up); "
        "indexed by its headline alone"
    ]
    # No passage of the library quotes the form.
    assert not any("this ad" in d.text for d in app.library.documents())

    answer = app.ask(Request("Which automaker recalled pickup trucks this week?", asked_on=date(2024, 9, 21)))
    assert not answer.abstained
    assert "Harbour Motors recalls 200,000 pickup trucks" in answer.text
    assert answer.citations[0].quote == records[0]["title"]
