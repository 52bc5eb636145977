"""Report builders: Markdown footnotes, Word, BibTeX and CSL-JSON from stored citation metadata."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import docx

from briefing import export
from briefing.api import Briefing
from core.models import Answer, Citation, Document

WHEN = datetime(2026, 5, 4, 9, 30)


def cite(n: int, doc: str = "d1", **fields: object) -> Citation:
    base: dict[str, object] = {
        "n": n,
        "doc_id": doc,
        "chunk_id": f"{doc}-c{n}",
        "title": "DeepSeek",
        "source": "Wikipedia",
        "published": "2026-04-13",
        "url": "https://en.wikipedia.org/wiki/DeepSeek",
        "author": "Wikipedia contributors",
        "start": 100,
        "end": 300,
        "quote": "DeepSeek was founded in July 2023 by Liang Wenfeng.",
        "quote_start": 120,
        "quote_end": 171,
        "passage": "x" * 200,
    }
    base.update(fields)
    return Citation(**base)  # type: ignore[arg-type]


def chips_answer() -> Answer:
    return Answer(
        question="Who founded DeepSeek and what did the export rules do?",
        text="DeepSeek was founded by Liang Wenfeng [1]. The rules restricted advanced chips [2][3].",
        citations=(
            cite(1),
            cite(
                2,
                "d2",
                title="Commerce Implements New Export Controls",
                source="Bureau of Industry & Security",
                published="2022-10-07",
                url="https://www.bis.gov/press_release/2022_10_07",
                author="Office of Congressional & Public Affairs",
                quote="The rules restrict advanced computing chips.",
            ),
            cite(3, "d1", quote="A second sentence from the same article."),
        ),
        generator="extractive",
    )


def led_answer() -> Answer:
    """An answer that opens with the short answer the local model named, as the source spells it."""
    return Answer(
        question="Who founded DeepSeek?",
        text="Liang Wenfeng — DeepSeek was founded in July 2023 by Liang Wenfeng [1].",
        citations=(cite(1),),
        generator="llamacpp",
        lead="Liang Wenfeng",
    )


# --- Markdown -----------------------------------------------------------------------------------


def test_answer_markdown_turns_markers_into_footnotes_with_a_bibliography() -> None:
    md = export.answer_markdown(chips_answer())
    body, _, rest = md.partition("\n\n")
    assert body == ("DeepSeek was founded by Liang Wenfeng[^1]. The rules restricted advanced chips[^2][^3].")
    notes = re.findall(r"^\[\^(\d+)\]: (.+)$", rest, flags=re.M)
    assert [n for n, _ in notes] == ["1", "2", "3"]
    assert notes[0][1].startswith(
        "“DeepSeek was founded in July 2023 by Liang Wenfeng.” — DeepSeek (Wikipedia, 13 April 2026)"
    )
    # URLs stay clickable autolinks even though underscores elsewhere are escaped.
    assert "<https://www.bis.gov/press_release/2022_10_07>" in notes[1][1]
    bibliography = rest.split("**Sources**", 1)[1].strip().splitlines()
    # Two citations of the same article give one bibliography entry, in order of first citation.
    assert bibliography == [
        "- Wikipedia contributors. “DeepSeek.” Wikipedia, 13 April 2026. <https://en.wikipedia.org/wiki/DeepSeek>",
        "- Office of Congressional & Public Affairs. “Commerce Implements New Export Controls.” "
        "Bureau of Industry & Security, 7 October 2022. <https://www.bis.gov/press_release/2022_10_07>",
    ]


def test_the_short_answer_is_bold_in_markdown_and_word() -> None:
    body = export.answer_markdown(led_answer()).partition("\n\n")[0]
    assert body == "**Liang Wenfeng** — DeepSeek was founded in July 2023 by Liang Wenfeng[^1]."
    doc = docx.Document(io.BytesIO(export.conversation_docx([led_answer()], when=WHEN)))
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Liang Wenfeng —"))
    assert [r.text for r in paragraph.runs if r.bold] == ["Liang Wenfeng"]
    # A lead the text does not open with (an edited text) is not set apart.
    plain = Answer(question="q", text="DeepSeek was founded by Liang Wenfeng [1].", citations=(cite(1),), lead="Liang")
    assert export.answer_markdown(plain).startswith("DeepSeek was founded")


def test_markdown_shows_source_markup_literally_and_keeps_unknown_brackets_as_text() -> None:
    answer = Answer(
        question="q",
        text="Prices rose *sharply* <b>in</b> [2024] [1].",
        citations=(cite(1, title="<script>alert(1)</script> _Tariffs_"),),
    )
    md = export.answer_markdown(answer)
    first = md.splitlines()[0]
    assert first == r"Prices rose \*sharply\* \<b\>in\</b\> \[2024\][^1]."
    assert "<script>" not in md and r"\<script\>alert(1)\</script\> \_Tariffs\_" in md


def test_abstention_is_exported_as_such_without_sources() -> None:
    answer = Answer(question="Capital of Peru?", text="The library has no source on “Capital of Peru”.", abstained=True)
    assert export.answer_markdown(answer) == "_The library has no source on “Capital of Peru”._\n"
    assert export.references([answer]) == []


def test_conversation_markdown_numbers_notes_across_answers_and_shares_one_bibliography() -> None:
    first = chips_answer()
    follow_up = Answer(
        question="When?",
        text="In July 2023 [1].",
        citations=(cite(1, quote="Founded in July 2023."),),
    )
    abstained = Answer(question="Peru?", text="The library has no source on “Peru”.", abstained=True)
    md = export.conversation_markdown([first, abstained, follow_up], when=WHEN)
    assert md.startswith("# Briefing\n\n_Prepared 4 May 2026, 09:30_\n")
    assert "## Who founded DeepSeek and what did the export rules do?" in md
    assert "_The library has no source on “Peru”._" in md
    assert "In July 2023[^4]." in md
    labels = re.findall(r"^\[\^(\d+)\]:", md, flags=re.M)
    assert labels == ["1", "2", "3", "4"]
    assert "“Founded in July 2023.”" in md.split("[^4]:", 1)[1]
    bibliography = md.split("## Bibliography", 1)[1]
    assert bibliography.count("“DeepSeek.”") == 1
    assert bibliography.count("- ") == 2


# --- Word ---------------------------------------------------------------------------------------


def test_docx_has_questions_superscript_notes_and_bibliography() -> None:
    data = export.conversation_docx([chips_answer()], title="China chips brief", when=WHEN)
    doc = docx.Document(io.BytesIO(data))
    assert doc.core_properties.title == "China chips brief"
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "China chips brief"
    assert "Who founded DeepSeek and what did the export rules do?" in texts
    body = next(p for p in doc.paragraphs if p.text.startswith("DeepSeek was founded"))
    assert body.text == "DeepSeek was founded by Liang Wenfeng1. The rules restricted advanced chips23."
    assert [r.text for r in body.runs if r.font.superscript] == ["1", "2", "3"]
    notes = texts[texts.index("Notes") + 1 : texts.index("Bibliography")]
    assert notes[1].startswith("2. “The rules restrict advanced computing chips.” — Commerce Implements")
    bibliography = texts[texts.index("Bibliography") + 1 :]
    assert len(bibliography) == 2 and bibliography[0].startswith("Wikipedia contributors. “DeepSeek.”")


def test_docx_survives_control_characters_in_source_text() -> None:
    answer = Answer(question="q\x0b", text="Odd\x00 text [1].", citations=(cite(1, title="Bad\x1ftitle"),))
    doc = docx.Document(io.BytesIO(export.conversation_docx([answer], when=WHEN)))
    assert any(p.text == "Odd text1." for p in doc.paragraphs)
    assert any("Badtitle" in p.text for p in doc.paragraphs)


# --- BibTeX and CSL-JSON --------------------------------------------------------------------------


def bib_entries(text: str) -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for key, body in re.findall(r"@online\{([^,]+),\n(.*?)\n\}", text, flags=re.S):
        fields = dict(re.findall(r"^  (\w+) = (.+?),?$", body, flags=re.M))
        entries[key] = fields
    return entries


def test_bibtex_entries_escape_specials_and_carry_stored_metadata() -> None:
    refs = export.references([chips_answer()])
    text = export.bibtex(refs)
    assert text.count("{") == text.count("}")
    entries = bib_entries(text)
    assert list(entries) == ["wikipedia2026deepseek", "office2022commerce"]
    deepseek = entries["wikipedia2026deepseek"]
    assert deepseek["title"] == "{{DeepSeek}}"
    assert deepseek["author"] == "{{Wikipedia contributors}}"  # corporate: kept whole
    assert deepseek["organization"] == "{Wikipedia}"
    assert (deepseek["date"], deepseek["year"], deepseek["month"]) == ("{2026-04-13}", "{2026}", "apr")
    assert deepseek["url"] == "{https://en.wikipedia.org/wiki/DeepSeek}"
    bis = entries["office2022commerce"]
    assert bis["organization"] == r"{Bureau of Industry \& Security}"
    assert bis["url"] == "{https://www.bis.gov/press_release/2022_10_07}"


def test_bibtex_keys_stay_unique_and_people_are_split() -> None:
    refs = [
        export.Reference("a", "Trade war deepens", "Reuters", date(2025, 4, 9), None, "Jane Doe and John Roe"),
        export.Reference("b", "Trade war ends", "Reuters", date(2025, 4, 10), None, "Jane Doe"),
        export.Reference("c", "50% tariffs & $ {braces}", None, None, None, None),
    ]
    entries = bib_entries(export.bibtex(refs))
    assert list(entries) == ["doe2025trade", "doe2025tradea", "anonndtariffs"]
    assert entries["doe2025trade"]["author"] == "{Doe, Jane and Roe, John}"
    assert entries["anonndtariffs"]["title"] == r"{{50\% tariffs \& \$ \{braces\}}}"


def test_csl_json_matches_bibtex_keys_and_dates() -> None:
    refs = export.references([chips_answer()])
    items = json.loads(export.csl_json(refs))
    assert [i["id"] for i in items] == list(bib_entries(export.bibtex(refs)))
    first = items[0]
    assert first == {
        "id": "wikipedia2026deepseek",
        "type": "webpage",
        "title": "DeepSeek",
        "container-title": "Wikipedia",
        "author": [{"literal": "Wikipedia contributors"}],
        "issued": {"date-parts": [[2026, 4, 13]]},
        "URL": "https://en.wikipedia.org/wiki/DeepSeek",
    }


def test_reference_from_document_records_when_it_was_added() -> None:
    document = Document(
        doc_id="d9",
        title="Chips Act",
        text="...",
        source="The White House",
        published=date(2022, 8, 9),
        ingested_at="2026-01-02T03:04:05+00:00",
    )
    ref = export.Reference.from_document(document)
    assert ref.accessed == date(2026, 1, 2)
    assert (
        '"accessed": {\n      "date-parts": [\n        [\n          2026,\n          1,\n          2'
        in export.csl_json([ref])
    )
    assert "urldate = {2026-01-02}" not in export.bibtex([ref])  # no URL, so no access date to cite


# --- from a real answer ---------------------------------------------------------------------------


def test_exports_of_a_real_answer_use_the_library_metadata(corpus_app: Briefing) -> None:
    answer = corpus_app.ask("Who founded DeepSeek?")
    assert not answer.abstained and answer.citations
    stored = corpus_app.document(answer.citations[0].doc_id)
    md = export.answer_markdown(answer)
    assert f"“{stored.title}.”" in md and f"<{stored.url}>" in md
    assert "Liang Wenfeng" in md.splitlines()[0]
    items = json.loads(export.csl_json(export.references([answer])))
    assert items[0]["title"] == stored.title
    assert items[0]["issued"] == {"date-parts": [[stored.published.year, stored.published.month, stored.published.day]]}  # type: ignore[union-attr]
