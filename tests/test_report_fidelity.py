"""Reports read by real tools: BibTeX by bibtexparser, CSL-JSON by citeproc-py, Word by python-docx."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import bibtexparser
import docx
import pytest
from bibtexparser import middlewares
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn

from briefing import export
from briefing.api import Briefing
from briefing.authors import Name, is_organisation, parse_authors
from core.models import Answer
from core.settings import Settings
from ingest.embed import SentenceEmbedder
from tests.helpers import make_settings
from tests.test_export import chips_answer, cite

BIS = "Bureau of Industry and Security, Office of Congressional and Public Affairs"
# A standard style that citeproc-py ships (Harvard, "Cite Them Right").
STYLE = "harvard-cite-them-right"


# --- who is a person ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "author",
    [
        "The White House",
        BIS,
        "The White House (Biden-Harris Administration)",
        "Congressional Research Service",
        "Wikipedia contributors",
        "Office of Congressional & Public Affairs",
        "Department of Energy and Natural Resources",
        "Reuters",
        "Associated Press",
        "The New York Times",
        "Xinhua News Agency",
        "Huawei Technologies Co., Ltd.",
    ],
)
def test_organisations_are_one_literal_name(author: str) -> None:
    assert parse_authors(author) == [Name(literal=author)]
    assert is_organisation(author)


def test_people_are_split_into_family_and_given_names() -> None:
    assert parse_authors("Jane Doe and John Roe") == [
        Name(family="Doe", given="Jane"),
        Name(family="Roe", given="John"),
    ]
    assert (
        parse_authors("Doe, Jane; Roe, John")
        == parse_authors("Jane Doe, John Roe")
        == parse_authors("Doe, Jane and Roe, John")
    )
    assert parse_authors("Ludwig van Beethoven") == [Name(family="Beethoven", given="Ludwig", particle="van")]
    assert parse_authors("Martin Luther King Jr.") == [Name(family="King", given="Martin Luther", suffix="Jr.")]
    # A note in brackets is not part of the name.
    assert parse_authors("Donald J. Trump (Executive Order)") == [Name(family="Trump", given="Donald J.")]
    # An outlet used as the author is an organisation even when it looks like a name.
    assert parse_authors("Ming Pao", outlets=["Ming Pao"]) == [Name(literal="Ming Pao")]
    assert parse_authors("Reuters; Jane Doe") == [Name(literal="Reuters"), Name(family="Doe", given="Jane")]
    assert parse_authors(None) == parse_authors("  ") == []


# --- BibTeX and CSL-JSON through real parsers -------------------------------------------------------


def parse_bibtex(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def bib_names(entry: bibtexparser.model.Entry) -> list[tuple[str, str, str, str]]:
    """Each author as (first, von, last, jr), the four parts BibTeX splits a name into."""
    return [(" ".join(n.first), " ".join(n.von), " ".join(n.last), " ".join(n.jr)) for n in entry["author"]]


def render(items: list[dict[str, object]]) -> list[str]:
    """A Harvard bibliography of the CSL-JSON items, as citeproc-py renders it."""
    source = CiteProcJSON(json.loads(json.dumps(items)))
    bibliography = CitationStylesBibliography(CitationStylesStyle(STYLE, validate=False), source, formatter.plain)
    for item in items:
        bibliography.register(CslCitation([CitationItem(str(item["id"]))]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_sample_library_bibliography_keeps_corporate_authors_whole(corpus_app: Briefing) -> None:
    documents = corpus_app.library.documents()
    stored = {d.doc_id: d.author for d in documents}
    assert BIS in stored.values() and "The White House" in stored.values()
    refs = [export.Reference.from_document(d) for d in documents]
    keys = dict(zip(export._bib_keys(refs), refs, strict=True))

    library = parse_bibtex(export.bibtex(refs))
    assert len(library.entries) == len(refs)
    for entry in library.entries:
        ref = keys[entry.key]
        names = bib_names(entry) if ref.author else []
        if ref.author == "Donald J. Trump (Executive Order)":
            assert names == [("Donald J.", "", "Trump", "")]
        elif ref.author:
            # Each organisation one indivisible name, exactly as stored (a "; " lists several).
            assert names == [("", "", "{" + part + "}", "") for part in ref.author.split("; ")], (ref.author, names)
        assert entry["title"] == "{" + ref.title.replace("&", r"\&") + "}"

    items = json.loads(export.csl_json(refs))
    by_id = {item["id"]: item for item in items}
    assert set(by_id) == set(keys)
    for key, ref in keys.items():
        if ref.author and ref.author != "Donald J. Trump (Executive Order)":
            assert by_id[key]["author"] == [{"literal": part} for part in ref.author.split("; ")]

    rendered = render(items)
    assert len(rendered) == len(refs)
    text = "\n".join(rendered)
    assert f"{BIS} (2022)" in text and f"{BIS} (2023)" in text
    assert "The White House (2025)" in text and "Congressional Research Service (2025)" in text
    assert "Trump, D.J. (2025)" in text
    # What first/last name splitting would have made of them: "House, T.W.", "Affairs, O. of C. and P.".
    assert not any(line.startswith(("House,", "Affairs,", "Security,", "Bureau, ")) for line in rendered), rendered
    assert "House, T" not in text and "Affairs, O" not in text


def test_exports_of_a_real_answer_parse_and_render_with_the_corporate_author(corpus_app: Briefing) -> None:
    answer = corpus_app.ask("What did the October 2022 export controls on advanced computing chips restrict?")
    assert not answer.abstained and answer.citations
    refs = export.references([answer])
    bis = [r for r in refs if r.author == BIS]
    assert bis, [r.author for r in refs]
    library = parse_bibtex(export.bibtex(refs))
    entry = next(e for e in library.entries if e["title"] == "{" + bis[0].title + "}")
    assert bib_names(entry) == [("", "", "{" + BIS + "}", "")]
    items = export.csl_items(refs)
    assert {"literal": BIS} in [a for item in items for a in item.get("author", [])]  # type: ignore[attr-defined]
    assert any(line.startswith(f"{BIS} (") for line in render(items))


def test_people_survive_bibtexparser_and_citeproc() -> None:
    refs = [
        export.Reference(
            "a", "Trade war deepens", "Reuters", date(2025, 4, 9), "https://example.com/a", "Jane Doe and John Roe"
        ),
        export.Reference(
            "b", "Symphonies", None, date(2024, 1, 2), None, "Ludwig van Beethoven; Martin Luther King Jr."
        ),
        export.Reference("c", "Wire copy", "Reuters", date(2024, 3, 4), None, "Reuters"),
    ]
    library = parse_bibtex(export.bibtex(refs))
    names = {e.key: bib_names(e) for e in library.entries}
    assert names == {
        "doe2025trade": [("Jane", "", "Doe", ""), ("John", "", "Roe", "")],
        "beethoven2024symphonies": [("Ludwig", "van", "Beethoven", ""), ("Martin Luther", "", "King", "Jr.")],
        "reuters2024wire": [("", "", "{Reuters}", "")],
    }
    rendered = render(export.csl_items(refs))
    assert any(line.startswith("Doe, J. and Roe, J. (2025)") for line in rendered), rendered
    assert any(line.startswith("Reuters (2024)") for line in rendered), rendered
    # The outlet is named once per entry, not as both website and publisher.
    assert all(line.count("Reuters") <= 2 for line in rendered)  # author and website at most


# --- Word ------------------------------------------------------------------------------------------


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_docx_source_links_are_live_hyperlinks() -> None:
    answer = chips_answer()
    doc = open_docx(export.conversation_docx([answer], title="Chips", when=datetime(2026, 5, 4, 9, 30, tzinfo=UTC)))
    rels = doc.part.rels
    links = [link for paragraph in doc.paragraphs for link in paragraph.hyperlinks]
    # Three notes and two bibliography entries, each ending in its source's address.
    assert [link.url for link in links] == [c.url for c in answer.citations] + [
        "https://en.wikipedia.org/wiki/DeepSeek",
        "https://www.bis.gov/press_release/2022_10_07",
    ]
    for link in links:
        rel = rels[link._hyperlink.rId]
        assert rel.reltype == RELATIONSHIP_TYPE.HYPERLINK and rel.is_external
        assert rel.target_ref == link.url == link.text
    elements = doc.element.body.findall(".//" + qn("w:hyperlink"))
    assert len(elements) == 5 and all(e.get(qn("r:id")) in rels for e in elements)
    bibliography = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bibliography[1].text.endswith("7 October 2022. https://www.bis.gov/press_release/2022_10_07")


def test_docx_links_only_web_addresses() -> None:
    answer = Answer(
        question="q",
        text="One [1]. Two [2].",
        citations=(cite(1, url="javascript:alert(1)"), cite(2, "d2", url="https://example.com/a b")),
    )
    doc = open_docx(export.conversation_docx([answer], when=datetime(2026, 5, 4, tzinfo=UTC)))
    assert [link.url for p in doc.paragraphs for link in p.hyperlinks] == []
    assert not [r for r in doc.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.HYPERLINK]
    notes = [p.text for p in doc.paragraphs if p.text.startswith(("1. ", "2. "))]
    assert notes[0].endswith("javascript:alert(1)") and notes[1].endswith("https://example.com/a b")


def test_docx_core_properties_name_the_report_not_the_library() -> None:
    when = datetime(2026, 5, 4, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    props = open_docx(export.conversation_docx([chips_answer()], title="China chips brief", when=when)).core_properties
    assert props.title == "China chips brief"
    assert props.author == "" and props.last_modified_by == ""
    assert props.comments == ""
    assert props.created == props.modified == datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    # Without a time given: now, not the template's 2013.
    before = datetime.now(UTC).replace(microsecond=0)
    fresh = open_docx(export.conversation_docx([chips_answer()], author="Desk A")).core_properties
    assert before <= fresh.created <= datetime.now(UTC) and fresh.created.tzinfo is not None
    assert fresh.author == "Desk A" and "python-docx" not in (fresh.author, fresh.last_modified_by, fresh.comments)


def test_report_author_comes_from_the_settings(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    settings: Settings = make_settings(tmp_path / "lib", report_author="Research Desk")
    app = Briefing(settings, embedder=embedder)
    try:
        props = open_docx(app.report_docx([chips_answer()], title="Brief")).core_properties
    finally:
        app.close()
    assert (props.author, props.title) == ("Research Desk", "Brief")
