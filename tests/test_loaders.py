"""Every loader on real files: Markdown/text with front matter, HTML, PDF, DOCX and JSON(L) dumps.

The PDF and DOCX builders are in tests/helpers.py (the ingest and bad-input tests use them too).
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from core.errors import LoadError
from ingest.clean import FURNITURE_CHARS, without_furniture
from ingest.limits import Budget
from ingest.loaders import Failure, Loaded, decode_text, load_bytes, load_path
from tests.helpers import CORPUS, DATA, PDF_PAGES, docx_bytes, encrypted_pdf, pdf_bytes

LIMIT = 10 * 1024 * 1024


# --- builders -------------------------------------------------------------------------------------


def load_one(path: Path) -> Loaded:
    results = list(load_path(path, LIMIT))
    assert len(results) == 1
    result = results[0]
    assert isinstance(result, Loaded), result
    return result


# --- text and Markdown ----------------------------------------------------------------------------


def test_markdown_front_matter_supplies_every_field(tmp_path: Path) -> None:
    path = tmp_path / "geneva.md"
    path.write_text(
        "---\n"
        'title: "Geneva talks: what was agreed"\n'
        "source: Example Wire\n"
        "url: https://wire.example.com/2025/05/12/geneva-talks\n"
        "published: 2025-05-12\n"
        "author: Jane Doe\n"
        "id: ew-2025-0042\n"
        "---\n\n"
        "# Geneva talks\n\n"
        "The **United States** and China agreed to cut [tariffs](https://wire.example.com/t) for 90 days.\n\n"
        "Officials said talks would continue.\n",
        encoding="utf-8",
    )
    doc = load_one(path)
    assert doc.title == "Geneva talks: what was agreed"
    assert doc.source == "Example Wire"
    assert doc.url == "https://wire.example.com/2025/05/12/geneva-talks"
    assert doc.published == date(2025, 5, 12)
    assert doc.author == "Jane Doe"
    assert doc.external_id == "ew-2025-0042"
    assert doc.key == "id:ew-2025-0042"
    # Front matter is gone and the Markdown reads as the reader sees it.
    assert doc.text == (
        "Geneva talks\n\nThe United States and China agreed to cut tariffs for 90 days.\n\n"
        "Officials said talks would continue."
    )


def test_text_file_with_front_matter_and_date_string(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "---\ntitle: Chip subsidies explained\nsource: Policy Desk\ndate: May 3, 2023\n"
        "author: [Ann Lee, Bo Chen]\n---\n"
        "Subsidies went to new fabs. Most went to Arizona.\n",
        encoding="utf-8",
    )
    doc = load_one(path)
    assert (doc.title, doc.source, doc.published, doc.author) == (
        "Chip subsidies explained",
        "Policy Desk",
        date(2023, 5, 3),
        "Ann Lee, Bo Chen",
    )
    assert doc.external_id is None
    assert doc.key == f"path:{path.resolve()}"
    assert doc.text == "Subsidies went to new fabs. Most went to Arizona."


def test_plain_text_article_gets_title_and_outlet_from_its_source_line() -> None:
    path = CORPUS / "scmp-xi-ai-self-reliance.txt"
    raw = path.read_text(encoding="utf-8")
    assert raw.rstrip().endswith("Source: https://www.scmp.com")

    doc = load_one(path)

    assert doc.url == "https://www.scmp.com"
    assert doc.source == "South China Morning Post"
    assert "Source:" not in doc.text
    assert doc.text.endswith("Beijing has responded with new 125 per cent duties on imports from the United States.")
    # A headline-like title: the opening of the lead sentence, cut at a word, not the whole paragraph.
    first_sentence = raw.split(". ")[0].split(",")[0]
    assert 20 <= len(doc.title) <= 91
    assert doc.title.startswith("China will mobilise the country’s resources")
    assert doc.title.rstrip("…") in first_sentence
    assert "\n" not in doc.title


def test_byline_dateline_and_via_line_in_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text(
        "Tariffs climb again\n"
        "By Jane Doe\n"
        "WASHINGTON, April 9, 2025 — The administration raised tariffs on Chinese goods to 125 per cent.\n"
        "Markets fell sharply.\n"
        "Via: Reuters\n",
        encoding="utf-8",
    )
    doc = load_one(path)
    assert doc.title == "Tariffs climb again"
    assert doc.author == "Jane Doe"
    assert doc.published == date(2025, 4, 9)
    assert doc.source == "Reuters"
    assert doc.url is None
    assert "Via:" not in doc.text


def test_a_source_line_inside_the_article_is_text_not_metadata(tmp_path: Path) -> None:
    path = tmp_path / "chart.txt"
    path.write_text(
        "Growth slowed in the second quarter.\n"
        "Source: IMF World Economic Outlook\n"
        "Analysts expect a rebound next year.\n"
        "Source: https://www.reuters.com/markets/2024/07/02/growth/\n",
        encoding="utf-8",
    )
    doc = load_one(path)
    assert "Source: IMF World Economic Outlook" in doc.text
    assert doc.source == "Reuters"
    assert doc.url == "https://www.reuters.com/markets/2024/07/02/growth/"
    assert doc.published == date(2024, 7, 2)  # from the URL path


def test_latin1_text_is_read_as_windows_1252_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "paris.txt"
    body = "Le café de la gare a fermé. Les habitués étaient déçus – la mairie promet une réouverture en été."
    path.write_bytes(body.encode("cp1252"))
    doc = load_one(path)
    assert doc.text == body
    assert doc.notes == ("not UTF-8; read as Windows-1252/Latin-1",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("中国将调动全国资源推动人工智能理论和核心技术的进步。".encode("gbk"), "not valid UTF-8 text"),
        # UTF-8 with one damaged character: reading it as Windows-1252 would garble every curly quote.
        (
            ("China’s hopes were dimmed, said the café owner. " + "Exports of chips fell again. " * 8)
            .encode()
            .replace(b"\xc3\xa9", b"\xc3"),
            "not valid UTF-8",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data, not text"),
    ],
)
def test_text_that_is_not_text_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(LoadError, match=reason):
        decode_text(data)


# --- HTML -----------------------------------------------------------------------------------------


def test_html_main_text_without_boilerplate_and_metadata_from_meta_tags() -> None:
    doc = load_one(DATA / "article.html")
    assert doc.title == "Chipmakers brace for new export curbs"
    assert doc.source == "Harbour Ledger"
    assert doc.author == "Maria Chen"
    assert doc.published == date(2024, 3, 5)
    assert doc.url == "https://news.harbourledger.example/tech/chipmakers-brace-for-curbs"
    assert "Semiconductor companies in Asia are preparing for a fresh round" in doc.text
    assert doc.text.endswith("would consult companies before responding.")
    boilerplate = ["Subscribe", "Sign in", "Most read", "Ten gadgets", "Copyright", "Privacy", "dataLayer"]
    assert [words for words in boilerplate if words in doc.text] == []


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_text_per_page_with_page_offsets_and_info(tmp_path: Path) -> None:
    path = tmp_path / "outlook.pdf"
    path.write_bytes(pdf_bytes(PDF_PAGES, title="Chip Market Outlook", author="R. Analyst"))
    doc = load_one(path)

    assert doc.title == "Chip Market Outlook"
    assert doc.author == "R. Analyst"
    assert doc.published == date(2024, 6, 11)  # /CreationDate, as the text has no dateline
    assert len(doc.page_starts) == 3
    bounds = [*doc.page_starts, len(doc.text) + 2]
    for n, lines in enumerate(PDF_PAGES):
        page_text = doc.text[bounds[n] : bounds[n + 1] - 2]
        assert page_text.split("\n") == lines


def test_pdf_without_info_gets_title_from_text(tmp_path: Path) -> None:
    path = tmp_path / "untitled.pdf"
    path.write_bytes(pdf_bytes(PDF_PAGES[:1]))
    doc = load_one(path)
    assert doc.title == "Semiconductor Outlook 2024"
    assert doc.author is None


def test_pdf_protected_only_by_an_owner_password_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "protected.pdf"
    path.write_bytes(encrypted_pdf(pdf_bytes(PDF_PAGES), user_password=""))
    doc = load_one(path)
    assert doc.text.startswith("Semiconductor Outlook 2024")
    assert len(doc.page_starts) == 3


# --- DOCX -----------------------------------------------------------------------------------------


def test_docx_paragraphs_and_core_properties(tmp_path: Path) -> None:
    path = tmp_path / "memo.docx"
    path.write_bytes(
        docx_bytes(
            [
                "Trade Talks Resume",
                "Negotiators met in Geneva on Monday.",
                "Both sides agreed to lower rates.",
            ],
            title="Geneva memo",
            author="Sam Writer",
            created=datetime(2025, 5, 12, 9, 0),
        )
    )
    doc = load_one(path)
    assert doc.text == (
        "Trade Talks Resume\n\nNegotiators met in Geneva on Monday.\n\nBoth sides agreed to lower rates."
    )
    assert (doc.title, doc.author, doc.published) == ("Geneva memo", "Sam Writer", date(2025, 5, 12))


def test_docx_without_properties_does_not_report_the_template_stamp(tmp_path: Path) -> None:
    # python-docx's blank template says author 'python-docx', created 2013-12-23: not this memo's.
    path = tmp_path / "plain.docx"
    path.write_bytes(docx_bytes(["Quarterly chip exports", "BEIJING, March 4, 2024 — Exports rose. Imports fell."]))
    doc = load_one(path)
    assert doc.title == "Quarterly chip exports"
    assert doc.author is None
    assert doc.published == date(2024, 3, 4)


# --- JSON and JSONL dumps -------------------------------------------------------------------------

RECORDS = [
    {
        "id": "art-001",
        "title": "Fab opens in Arizona",
        "text": "A new chip plant opened in Phoenix. It employs 2,000 people.",
        "source": "Desert Daily",
        "url": "https://desertdaily.example/2024/04/08/fab",
        "date": "2024-04-08",
        "author": "Lee Park",
    },
    {
        "id": "art-002",
        "title": "Tariff pause extended",
        "text": "The pause on new tariffs was extended by ninety days.",
        "url": "https://www.reuters.com/world/2025/08/11/pause/",
        "date": "2025-08-11T14:00:00Z",
    },
    {"id": 3, "text": "Untitled wire item. Memory prices rose for a third month."},
]


def test_jsonl_dump_keeps_ids_as_external_ids(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n\n", encoding="utf-8")
    docs = list(load_path(path, LIMIT))
    assert all(isinstance(d, Loaded) for d in docs)
    loaded = [d for d in docs if isinstance(d, Loaded)]

    assert [d.external_id for d in loaded] == ["art-001", "art-002", "3"]
    assert [d.key for d in loaded] == ["id:art-001", "id:art-002", "id:3"]
    assert [d.origin for d in loaded] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    first, second, third = loaded
    assert (first.title, first.source, first.url, first.published, first.author) == (
        "Fab opens in Arizona",
        "Desert Daily",
        "https://desertdaily.example/2024/04/08/fab",
        date(2024, 4, 8),
        "Lee Park",
    )
    assert first.text == RECORDS[0]["text"]
    assert (second.source, second.published, second.author) == ("Reuters", date(2025, 8, 11), None)
    assert third.title == "Untitled wire item"


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_time_spent_embedding_between_records_is_not_charged_to_reading(tmp_path: Path, suffix: str) -> None:
    # A dump of a thousand articles takes minutes to embed; the per-source deadline is for reading it.
    path = tmp_path / f"dump{suffix}"
    records = [{"id": f"a{i}", "text": f"Article {i} says the memory price rose again."} for i in range(4)]
    path.write_text(
        "\n".join(json.dumps(r) for r in records) if suffix == ".jsonl" else json.dumps(records), encoding="utf-8"
    )
    results = []
    for result in load_path(path, LIMIT, budget=Budget(seconds=0.5)):
        results.append(result)
        time.sleep(0.3)  # the consumer embeds: 1.2 s in all, past the 0.5 s deadline
    assert [r.external_id for r in results if isinstance(r, Loaded)] == ["a0", "a1", "a2", "a3"]


def test_a_slow_read_still_meets_the_deadline(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "text": f"Item {i} is here."}) for i in range(3)), encoding="utf-8")
    started = Budget(seconds=0.5).started_now()
    expired = Budget(started.max_inflated, started.max_chars, started.seconds, started.started - 1.0)
    with pytest.raises(LoadError, match="limit per source"):
        expired.check_time("at line 1")
    assert expired.resumed(time.monotonic()).elapsed() >= 1.0  # a pause that just began gives no time back


@pytest.mark.parametrize("shape", ["list", "articles", "single"])
def test_json_dump_in_its_common_shapes(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "dump.json"
    shapes = {"list": RECORDS[:2], "articles": {"articles": RECORDS[:2]}, "single": RECORDS[0]}
    payload: object = shapes[shape]
    path.write_text(json.dumps(payload), encoding="utf-8")
    loaded = list(load_path(path, LIMIT))
    expected = ["art-001"] if shape == "single" else ["art-001", "art-002"]
    assert [d.external_id for d in loaded if isinstance(d, Loaded)] == expected
    assert not [d for d in loaded if isinstance(d, Failure)]


def test_in_memory_content_uses_the_reader_for_its_name() -> None:
    doc = load_bytes(b"Plain words. Nothing else.", "notes.TXT", "upload:notes.TXT", "notes.TXT")
    assert (doc.key, doc.text, doc.title) == ("upload:notes.TXT", "Plain words. Nothing else.", "Plain words")


# --- page furniture -------------------------------------------------------------------------------

AD_FORM = (
    "1. How relevant is this ad to you?\n\nVideo player was slow to load content Video content never loaded "
    "Ad froze or did not finish loading Video content did not start after ad Audio on ad was too loud Other issues"
)
CONSENT = (
    "We will use the details you have shared to manage your registration. You agree to the processing, storage, "
    "sharing and use of this information for the purpose of managing your registration as described in our "
    "Privacy Policy.\n\nWould you like to receive The Harbour Daily newsletter ?\n\nThe Harbour Daily newsletter "
    "provides you with a daily digest of news and analysis.\n\nIf you wish to object to the use of your data in "
    "this way, please tick here."
)


def test_page_furniture_is_dropped_and_a_page_of_nothing_else_keeps_its_headline(tmp_path: Path) -> None:
    records = [
        {"id": "v1", "title": "Harbour Motors recalls 200,000 pickup trucks over rollaway risk", "text": AD_FORM},
        {"id": "v2", "text": AD_FORM},
        {
            "id": "a1",
            "title": "Tide mills",
            "text": f"The Rance tide mill reopened in May.\n\n{CONSENT}\n\nIt grinds flour.",
        },
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    video, untitled, article = list(load_path(path, LIMIT))

    assert isinstance(video, Loaded)
    assert video.text == "Harbour Motors recalls 200,000 pickup trucks over rollaway risk"
    assert video.notes == (
        "the page holds only furniture (a video player's ad-feedback form or a newsletter "
        "sign-up); indexed by its headline alone",
    )
    assert isinstance(untitled, Failure)
    assert untitled.origin == f"{path}:2" and "only furniture" in untitled.reason and "no headline" in untitled.reason
    assert isinstance(article, Loaded) and article.notes == ()
    assert article.text == "The Rance tide mill reopened in May.\n\nIt grinds flour."


def test_a_web_page_of_only_an_ad_form_is_its_headline() -> None:
    html = (
        "<html><head><title>Harbour Motors recalls pickup trucks</title></head><body><article>"
        + "".join(f"<p>{line}</p>" for line in AD_FORM.split("\n\n"))
        + "</article></body></html>"
    )
    doc = load_bytes(html.encode(), "recall.html", "url:recall", "https://example.org/recall")
    assert doc.text == doc.title == "Harbour Motors recalls pickup trucks"
    assert doc.notes and "indexed by its headline alone" in doc.notes[0]


def test_a_photo_gallery_is_left_out_of_a_story_and_split_into_captions_on_its_own_page() -> None:
    gallery = (
        "Photos: Floods in the valley Photos: Floods in the valley People take refuge in a camp on August 31. "
        "Hide Caption 1 of 3 Photos: Floods in the valley People wade through floodwaters on August 31. "
        "Hide Caption 2 of 3 Photos: Floods in the valley Children sit on a bed outside. Hide Caption 3 of 3"
    )
    # The captions describe the pictures, not the story: "The scene near the location where …" is no answer.
    text = without_furniture(f"The river burst its banks.\n\n{gallery}\n\nAid arrived on Friday.")
    assert text.split("\n\n") == ["The river burst its banks.", "Aid arrived on Friday."]
    # A gallery scraped across two lines goes as a whole.
    first, second = gallery.split(" Hide Caption 2 of 3 ")
    assert without_furniture(f"The river burst its banks.\n{first}\nHide Caption 2 of 3 {second}") == (
        "The river burst its banks."
    )
    # A page that is nothing but a gallery keeps it: the title once, then a paragraph per caption.
    assert without_furniture(gallery).split("\n\n") == [
        "Floods in the valley",
        "People take refuge in a camp on August 31.",
        "People wade through floodwaters on August 31.",
        "Children sit on a bed outside.",
    ]
    # Captions that share no title keep their own first words; a line without the marker is untouched, and so is
    # a line of story that runs into a gallery (its captions go apart).
    untitled = "Photos: The mayor speaks. Hide Caption 1 of 2 Photos: The crowd cheers. Hide Caption 2 of 2"
    assert without_furniture(untitled).split("\n\n") == ["The mayor speaks.", "The crowd cheers."]
    assert without_furniture("Photos: the mayor's gallery opened.") == "Photos: the mayor's gallery opened."
    mixed = without_furniture(f"The river rose. {untitled}").split("\n\n")
    assert mixed[0].startswith("The river rose.") and mixed[-1] == "The crowd cheers."


def test_furniture_is_a_short_line_and_a_long_one_is_text() -> None:
    notice = "We will use the details you have shared to manage your registration, as our Privacy Policy says."
    assert without_furniture(f"{notice}\nThe mill reopened.") == "The mill reopened."
    # An article quoting such words at length is text: only lines of furniture's length are read against
    # the patterns, which also keeps a hostile line of repeated phrases from costing more than one pass.
    long = ("Readers were told: " + "manage your registration under the Privacy Policy; " * 40).strip()
    assert len(long) > FURNITURE_CHARS
    assert without_furniture(f"{long}\nThe mill reopened.") == f"{long}\nThe mill reopened."
