"""The browser app end to end: a live `briefing serve` driven by a real headless Chromium.

One server for the module, seeded from the repository's corpus/ into a temporary library,
answering with the extractive generator so the answers are deterministic.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from bench.screenshot import CHROMIUM_ARGS
from tests.helpers import CORPUS, DATA, live_serve

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("BRIEFING_CHROMIUM", "/usr/bin/chromium"))
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_serve(tmp_path_factory.mktemp("served"), seed=CORPUS) as live:
        yield live.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make dev` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(server)
    page.wait_for_selector("#bf-question textarea")
    yield page
    context.close()


# --- helpers ---------------------------------------------------------------------------------------


def ask(page: Page, question: str) -> Locator:
    """Ask and wait for the verified answer; returns the locator of that answer."""
    done = page.locator(".bf-turn:not(.bf-pending)")
    before = done.count()
    box = page.locator("#bf-question textarea")
    box.fill(question)
    box.press("Enter")
    # Generous: on a busy 2-core machine an answer can wait behind another process's work.
    page.wait_for_function(
        "n => document.querySelectorAll('.bf-turn:not(.bf-pending)').length > n"
        " && !document.querySelector('.bf-pending')",
        arg=before,
        timeout=90_000,
    )
    turn = done.nth(before)
    assert turn.locator(".bf-q").inner_text().strip() == question
    return turn.locator(".bf-a")


def open_library(page: Page) -> None:
    page.get_by_role("tab", name="Library").click()
    page.wait_for_selector("#bf-documents table")


def open_ask(page: Page) -> None:
    page.get_by_role("tab", name="Ask").click()
    page.wait_for_selector("#bf-question textarea")


def table_rows(page: Page, table: str) -> list[list[str]]:
    """The visible rows of a Gradio table (it renders rows virtually, as div[role=row])."""
    rows = page.locator(f"{table} .virtual-row")
    return [[c.strip() for c in row.locator("[role=gridcell]").all_inner_texts()] for row in rows.all()]


def upload(page: Page, files: list[Path], expect_rows: int) -> list[list[str]]:
    """Upload through the file picker; returns the 'Last import' rows once they show."""
    open_library(page)
    page.locator("#bf-upload input[type=file]").set_input_files([str(f) for f in files])
    page.wait_for_function(
        "n => document.querySelectorAll('#bf-results .virtual-row').length === n"
        " && !document.querySelector('#bf-results .virtual-row').textContent.includes('Loading')",
        arg=expect_rows,
    )
    return table_rows(page, "#bf-results")


def search_documents(page: Page, text: str) -> list[list[str]]:
    """Type in the documents table's search box; returns the rows that match."""
    box = page.locator("#bf-documents input[placeholder^='Search']")
    box.fill(text)
    page.wait_for_timeout(300)
    return table_rows(page, "#bf-documents")


def library_size(page: Page) -> int:
    return int(re.sub(r"\D", "", page.locator("#bf-size").inner_text().split("documents")[0]))


def download(page: Page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(selector)
    path = info.value.path()
    return info.value.suggested_filename, Path(path).read_bytes()


# --- asking ----------------------------------------------------------------------------------------


def test_cited_answer_passage_follow_up_abstention_and_reports(page: Page) -> None:
    # Record every state of the conversation, to see the draft streamed before the verified answer.
    page.evaluate(
        """() => { window.__drafts = 0; new MutationObserver(() => {
             if (document.querySelector('.bf-draft .bf-text')?.textContent.includes('Liang')) window.__drafts++;
           }).observe(document.getElementById('bf-conversation'), {subtree: true, childList: true,
                                                                  characterData: true}); }"""
    )
    answer = ask(page, "Who founded DeepSeek?")
    text = answer.locator(".bf-text").inner_text()
    assert "Liang Wenfeng" in text and "[1]" in text
    assert page.evaluate("window.__drafts") > 0
    marker = answer.locator("button.cite").first
    assert "DeepSeek" in (marker.get_attribute("title") or "")

    panel = page.locator("#sources-panel")
    assert panel.locator(".bf-turn-sources.active .bf-doc-title").first.inner_text() == "DeepSeek"
    assert "Wikipedia" in panel.locator(".bf-turn-sources.active .bf-doc-meta").first.inner_text()
    link = panel.locator(".bf-turn-sources.active a.bf-link").first
    assert link.get_attribute("href") == "https://en.wikipedia.org/wiki/DeepSeek"
    passage = panel.locator("#cite-0-1 blockquote.bf-passage")
    assert not passage.is_visible()

    marker.click()
    passage.wait_for(state="visible")
    highlighted = passage.locator("mark").inner_text()
    assert "founded" in highlighted and "Liang Wenfeng" in highlighted
    assert passage.inner_text().index(highlighted) > 0  # the passage gives context around the quote
    quote = panel.locator("#cite-0-1 .bf-quote").text_content().strip("“” ")
    assert highlighted.strip() == quote

    # "Copy for report": Markdown with footnotes and a bibliography, on the clipboard.
    answer.locator("button.bf-copy").click()
    page.wait_for_function("() => document.querySelector('button.bf-copy').textContent.includes('Copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert re.search(r"Liang Wenfeng.*\[\^1\]", copied)
    assert "[^1]: “DeepSeek was founded" in copied
    assert "**Sources**" in copied and "“DeepSeek.” Wikipedia, 13 April 2026." in copied

    # A follow-up uses the conversation: "it" is DeepSeek.
    follow = ask(page, "Who owns it?")
    assert "High-Flyer" in follow.locator(".bf-text").inner_text()
    assert "DeepSeek" in (follow.locator("button.cite").first.get_attribute("title") or "")
    assert "Understood as" in follow.inner_text()

    # Clicking an older answer's marker brings its sources back.
    marker.click()
    assert panel.locator(".bf-turn-sources.active").get_attribute("data-turn") == "0"

    refused = ask(page, "What is the capital of Peru?")
    assert "bf-abstained" in (refused.get_attribute("class") or "")
    assert refused.locator(".bf-label").text_content() == "Not in the library"
    assert refused.locator("button.cite").count() == 0

    # Exports of the whole conversation, built from the stored metadata.
    name, data = download(page, "#bf-dl-md")
    assert name.endswith(".md")
    md = data.decode()
    assert "## Who founded DeepSeek?" in md and "## What is the capital of Peru?" in md
    bibliography = md.split("## Bibliography", 1)[1]
    assert "“DeepSeek.” Wikipedia, 13 April 2026. <https://en.wikipedia.org/wiki/DeepSeek>" in bibliography
    name, data = download(page, "#bf-dl-docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Bibliography" in paragraphs and any("“DeepSeek.”" in p for p in paragraphs)
    name, data = download(page, "#bf-dl-bib")
    assert name.endswith(".bib") and "@online{wikipedia2026deepseek," in data.decode()
    name, data = download(page, "#bf-dl-csl")
    assert json.loads(data)[0]["URL"] == "https://en.wikipedia.org/wiki/DeepSeek"


def test_a_day_said_without_its_year_is_read_in_a_year_the_library_holds_and_the_answer_says_so(page: Page) -> None:
    # The served library's newest document is of April 2026: asked on any later day, "May 12" is 2025's.
    answer = ask(page, "What did the US and China agree on May 12?")
    assert "115%" in answer.locator(".bf-text").inner_text()
    note = answer.locator(".bf-note").inner_text()
    assert "“on May 12” read as 2025’s: no document searched was published since" in note, note


def test_a_question_asked_while_another_is_answered_is_answered_next(page: Page) -> None:
    box = page.locator("#bf-question textarea")
    box.fill("Who founded DeepSeek?")
    box.press("Enter")
    page.wait_for_selector(".bf-pending")
    # Pressed while the first answer is still on its way: kept and asked next, never dropped.
    box.fill("Where is SMIC headquartered?")
    box.press("Enter")
    # Until it runs it shows as queued below the answer on its way (the draft stays up 0.6 s at least).
    queued = page.locator("#bf-conversation .bf-queued")
    queued.wait_for(state="visible", timeout=5_000)
    assert queued.locator(".bf-bubble").inner_text().strip() == "Where is SMIC headquartered?"
    assert "Queued" in queued.locator(".bf-label").inner_text()
    page.wait_for_function(
        "() => document.querySelectorAll('.bf-turn:not(.bf-pending)').length === 2"
        " && !document.querySelector('.bf-pending')",
        timeout=90_000,
    )
    turns = page.locator(".bf-turn")
    assert turns.nth(0).locator(".bf-q").inner_text().strip() == "Who founded DeepSeek?"
    assert turns.nth(1).locator(".bf-q").inner_text().strip() == "Where is SMIC headquartered?"
    assert "Shanghai" in turns.nth(1).locator(".bf-text").inner_text()
    assert box.input_value() == ""
    assert queued.count() == 0


def test_a_chinese_source_is_rendered_and_its_quoted_sentence_highlighted(page: Page) -> None:
    answer = ask(page, "税委会公告2025年第6号把加征关税税率由84%提高至多少？")
    text = answer.locator(".bf-text").inner_text()
    assert "由84%提高至125%" in text and "[1]" in text
    marker = answer.locator("button.cite").first
    assert "税委会公告2025年第6号" in (marker.get_attribute("title") or "")

    panel = page.locator("#sources-panel")
    title = "国务院关税税则委员会关于调整对原产于美国的进口商品加征关税措施的公告（税委会公告2025年第6号）"
    assert panel.locator(".bf-turn-sources.active .bf-doc-title").first.inner_text() == title
    assert "国务院关税税则委员会" in panel.locator(".bf-turn-sources.active .bf-doc-meta").first.inner_text()
    marker.click()
    passage = panel.locator("#cite-0-1 blockquote.bf-passage")
    passage.wait_for(state="visible")
    highlighted = passage.locator("mark").inner_text()
    assert "由84%提高至125%" in highlighted
    assert passage.inner_text().index(highlighted) > 0  # the sentence is shown inside its passage
    quote = panel.locator("#cite-0-1 .bf-quote").text_content().strip("“” ")
    assert highlighted.strip() == quote

    # The library lists the document with its detected language.
    open_library(page)
    rows = search_documents(page, "税委会公告2025年第6号")
    assert [r[:4] for r in rows] == [[title, "国务院关税税则委员会", "2025-04-11", "zh"]]


def test_filters_narrow_the_sources(page: Page) -> None:
    outlets = page.locator("#bf-outlets input")
    outlets.click()
    outlets.fill("White House")
    outlets.press("Enter")
    page.keyboard.press("Escape")
    answer = ask(page, "Who founded DeepSeek?")
    assert "Filtered: only The White House" in answer.inner_text()
    titles = [b.get_attribute("title") or "" for b in answer.locator("button.cite").all()]
    assert all("The White House" in t for t in titles)
    assert not any("Wikipedia" in t for t in titles)

    page.click("text=Clear filters")
    as_of = page.locator("#bf-as-of input")
    as_of.fill("2015-01-01")
    as_of.press("Enter")
    dated = ask(page, "Who founded DeepSeek?")
    assert "as of 2015-01-01" in dated.inner_text()
    assert "only The White House" not in dated.inner_text()  # the outlet filter was cleared
    assert "bf-abstained" in (dated.get_attribute("class") or "")


# --- the library -----------------------------------------------------------------------------------


def test_upload_answer_from_it_then_remove_it(page: Page, tmp_path: Path) -> None:
    article = tmp_path / "vellmar-institute.txt"
    article.write_text(
        "Vellmar Institute marks its anniversary\n\n"
        "The Vellmar Institute was founded by the glaciologist Odile Prask in 1987 in Tromsø. "
        "It studies how sea ice forms along the Norwegian coast.\n"
    )
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not a real pdf at all")
    before = library_size(page)
    rows = upload(page, [article, broken], expect_rows=2)
    outcomes = {row[0]: row[1:] for row in rows}
    assert outcomes["vellmar-institute.txt"] == ["added", "indexed"]
    assert outcomes["broken.pdf"][0] == "failed" and outcomes["broken.pdf"][1]  # with the reason
    found = search_documents(page, "Vellmar")
    assert [r[:2] for r in found] == [["Vellmar Institute marks its anniversary", ""]]
    assert library_size(page) == before + 1

    open_ask(page)
    answer = ask(page, "Who founded the Vellmar Institute?")
    said = answer.locator(".bf-text").inner_text()
    assert "Odile Prask" in said, said  # the reply itself, refusal wording included, if it ever is one
    marker = answer.locator("button.cite").first
    assert "Vellmar Institute marks its anniversary" in (marker.get_attribute("title") or "")

    # Re-uploading the same file under the same name changes nothing.
    rows = upload(page, [article], expect_rows=1)
    assert rows == [["vellmar-institute.txt", "unchanged", "already in the library"]]

    # Remove it: pick the row, remove, and the table and the answers forget it.
    search_documents(page, "Vellmar")
    page.locator("#bf-documents [role=gridcell]", has_text="Vellmar Institute marks").first.click()
    page.wait_for_function("() => document.querySelector('#bf-preview textarea').value.includes('Odile Prask')")
    assert "1 passage · id " in page.locator("#bf-preview textarea").input_value()
    # Removing asks first; Cancel keeps the document.
    page.click("#bf-remove")
    page.locator("#bf-confirm-text").get_by_text("Remove “Vellmar Institute marks its anniversary”").wait_for()
    page.click("#bf-confirm-cancel")
    page.locator("#bf-confirm-row").wait_for(state="hidden")
    assert library_size(page) == before + 1
    # Remove, then Undo brings it back, then remove it for good.
    page.click("#bf-remove")
    page.click("#bf-confirm-remove")
    page.wait_for_function(f"() => document.querySelector('#bf-size').textContent.startsWith('{before} ')")
    page.click("#bf-undo")
    page.wait_for_function(f"() => document.querySelector('#bf-size').textContent.startsWith('{before + 1} ')")
    assert [r[0] for r in search_documents(page, "Vellmar")] == ["Vellmar Institute marks its anniversary"]
    page.locator("#bf-documents [role=gridcell]", has_text="Vellmar Institute marks").first.click()
    page.wait_for_function("() => document.querySelector('#bf-preview textarea').value.includes('Odile Prask')")
    page.click("#bf-remove")
    page.click("#bf-confirm-remove")
    page.wait_for_function(f"() => document.querySelector('#bf-size').textContent.startsWith('{before} ')")
    assert search_documents(page, "Vellmar") == []
    open_ask(page)
    again = ask(page, "Who founded the Vellmar Institute?")
    assert "Odile Prask" not in again.inner_text()


def test_add_an_article_by_url(page: Page) -> None:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(DATA))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    site = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{site.server_address[1]}"
        open_library(page)
        box = page.locator("#bf-url textarea, #bf-url input").first
        box.fill(f"{base}/article.html {base}/gone.html")
        box.press("Enter")
        page.wait_for_function("() => document.querySelectorAll('#bf-results .virtual-row').length === 2")
        outcomes = {row[0]: row[1:] for row in table_rows(page, "#bf-results")}
        assert outcomes[f"{base}/article.html"][0] in ("added", "updated")
        assert outcomes[f"{base}/gone.html"][0] == "failed" and "404" in outcomes[f"{base}/gone.html"][1]
        found = search_documents(page, "Chipmakers brace")
        assert [r[:3] for r in found] == [["Chipmakers brace for new export curbs", "Harbour Ledger", "2024-03-05"]]
    finally:
        site.shutdown()
        site.server_close()


def test_markup_in_documents_is_shown_as_text_and_never_runs(page: Page, tmp_path: Path) -> None:
    payload = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">'
    evil = tmp_path / "zorblatt.txt"
    evil.write_text(
        f"Zorblatt {payload}\n\n"
        f"The Zorblatt consortium was founded by Mirela Quint in 2019. {payload} "
        "It makes tidal turbines.\n"
    )
    rows = upload(page, [evil], expect_rows=1)
    assert rows[0][:2] == ["zorblatt.txt", "added"]
    found = search_documents(page, "Zorblatt")
    assert found and found[0][0] == f"Zorblatt {payload}"

    open_ask(page)
    answer = ask(page, "Who founded the Zorblatt consortium?")
    assert "Mirela Quint" in answer.inner_text()
    answer.locator("button.cite").first.click()
    passage = page.locator("#sources-panel details[open] blockquote.bf-passage")
    passage.wait_for(state="visible")
    assert payload in passage.inner_text()
    assert (
        "<script>window.__pwned=1</script>"
        in page.locator("#sources-panel .bf-turn-sources.active .bf-doc-title").inner_text()
    )
    assert page.locator("#sources-panel img, #bf-conversation img, #bf-documents img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_the_page_says_which_models_are_active(page: Page) -> None:
    header = page.locator(".bf-header").inner_text()
    assert "Generator: extractive" in header and "Embedder: all-MiniLM-L6-v2" in header
    assert re.search(r"\d+ documents · \d+ passages", header)


def test_timeline_lists_dated_events_oldest_first_with_citations(page: Page) -> None:
    page.get_by_role("tab", name="Timeline").click()
    box = page.locator("#bf-tl-topic textarea")
    box.fill("export controls on advanced computing chips")
    box.press("Enter")
    page.wait_for_selector("#bf-timeline .bf-tl-entry")
    days = page.locator("#bf-timeline .bf-tl-when").all_inner_texts()
    assert len(days) >= 2
    years = [int(re.search(r"(\d{4})", d).group(1)) for d in days]  # type: ignore[union-attr]
    assert years == sorted(years)
    sources = page.locator("#bf-timeline .bf-tl-source").all_inner_texts()
    assert all(re.match(r"\[\d+\] \S", s) for s in sources)
    assert any("Bureau of Industry and Security" in s for s in sources)
    copy = page.locator("#bf-tl-copy textarea").input_value()
    assert copy.startswith("Timeline: export controls on advanced computing chips")
    assert len(copy.splitlines()) == len(days) + 2
    assert page.locator("#bf-timeline .bf-note").count() == 0
    # A month said without its year that only an earlier year's sources answer: the timeline says how it read it.
    box.fill("US tariffs on China in April")
    box.press("Enter")
    note = page.locator("#bf-timeline .bf-note")
    note.wait_for()
    assert "“in April” read as 2025’s" in note.inner_text()
    assert "Note: “in April” read as 2025’s" in page.locator("#bf-tl-copy textarea").input_value()


def test_brief_tab_shows_progress_then_a_cited_brief_and_downloads_it(page: Page) -> None:
    page.get_by_role("tab", name="Brief").click()
    box = page.locator("#bf-brief-topic textarea")
    box.wait_for()
    page.evaluate(
        """() => { window.__progress = 0; new MutationObserver(() => {
             if (document.querySelector('#bf-brief .bf-brief-progress')) window.__progress++;
           }).observe(document.getElementById('bf-brief'), {subtree: true, childList: true}); }"""
    )
    box.fill("US tariffs on goods from China")
    box.press("Enter")
    page.wait_for_selector("#bf-brief .bf-brief-section[data-kind=developments]", timeout=120_000)
    assert page.evaluate("window.__progress") > 0, "progress is shown while the brief is built"
    brief = page.locator("#bf-brief")
    text = brief.inner_text()
    assert "Key developments" in text and "Sources" in text and "2024-05-14" in text
    marker = brief.locator("a.bf-brief-cite").first
    n = marker.get_attribute("data-n")
    marker.click()
    note = page.locator(f"#bf-brief-note-{n}")
    assert note.is_visible() and note.locator("mark").count() == 1, "the note quotes the cited sentence"
    name, data = download(page, "#bf-brief-dl-md")
    assert name.endswith(".md") and b"## Key developments" in data and b"## Sources" in data
    name, data = download(page, "#bf-brief-dl-docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Sources" in paragraphs and any("The White House" in p for p in paragraphs)


# --- following the conversation, streaming, progress, timeline passages, layout -----------------------


CONVERSATION_BOX = """() => {
  // The box the conversation scrolls in: the nearest ancestor of the thread that scrolls.
  let n = document.querySelector('#bf-conversation .bf-thread');
  for (; n && n !== document.body; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (/(auto|scroll)/.test(s.overflowY) && n.scrollHeight > n.clientHeight + 1) break;
  }
  const box = (n && n !== document.body ? n : document.getElementById('bf-conversation')).getBoundingClientRect();
  const answers = document.querySelectorAll('#bf-conversation .bf-turn .bf-a');
  const last = answers[answers.length - 1].getBoundingClientRect();
  return {box: [box.top, box.bottom], last: [last.top, last.bottom], window: window.innerHeight};
}"""


def test_the_newest_answer_is_in_view_after_a_citation_click(page: Page) -> None:
    page.evaluate(
        """() => { window.__labels = new Set(); new MutationObserver(() => {
             const label = document.querySelector('.bf-draft .bf-label');
             const text = document.querySelector('.bf-draft .bf-text')?.textContent || '';
             if (label && text.trim()) window.__labels.add(label.textContent);
           }).observe(document.getElementById('bf-conversation'), {subtree: true, childList: true,
                                                                  characterData: true}); }"""
    )
    for question in ("Who founded DeepSeek?", "What did the October 2022 export controls restrict?"):
        ask(page, question)
    # The streamed draft was on screen, labelled as being checked, before the verified answer.
    assert "Draft · checking each sentence against its source…" in page.evaluate("[...window.__labels]")
    first = page.locator(".bf-turn .bf-a").first
    first.locator("button.cite").first.click()
    page.locator("#cite-0-1 blockquote.bf-passage").wait_for(state="visible")
    newest = ask(page, "What tariffs did the US put on goods from China in 2025?")
    page.wait_for_timeout(300)  # the scroll follows on the next animation frame
    seen = page.evaluate(CONVERSATION_BOX)
    top, bottom = seen["box"]
    assert top - 1 <= seen["last"][0] and seen["last"][1] <= bottom + 1, seen
    assert top >= 0 and seen["last"][1] <= seen["window"], seen  # and the box itself is on screen
    assert newest.locator("button.cite").count() > 0


def test_the_chat_stays_where_the_reader_scrolled_while_an_answer_comes_in(page: Page) -> None:
    # Answers are short: enough turns that the conversation overflows its box.
    for question in (
        "Who founded DeepSeek?",
        "What did the October 2022 export controls restrict?",
        "What tariffs did the US put on goods from China in 2025?",
        "What does the CHIPS and Science Act fund?",
        "What is SMIC?",
        "What did Xi Jinping say about artificial intelligence?",
    ):
        ask(page, question)
    box = page.locator("#bf-conversation .bf-thread")
    scroller = """(t) => { let n = t; for (; n && n !== document.body; n = n.parentElement) {
                     const s = getComputedStyle(n);
                     if (/(auto|scroll)/.test(s.overflowY) && n.scrollHeight > n.clientHeight + 1) return n.scrollTop; }
                   return null; }"""
    assert (box.evaluate(scroller) or 0) > 100  # long enough to scroll, and following: at the bottom
    question = page.locator("#bf-question textarea")
    question.fill("What did the US and China agree in Geneva?")
    question.press("Enter")
    page.locator(".bf-pending").wait_for()
    # The reader scrolls up to reread while the answer comes in: the chat must not pull them down.
    page.locator("#bf-conversation .bf-turn").first.hover()
    for _ in range(10):
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(30)
    page.wait_for_function("() => !document.querySelector('.bf-pending')")
    page.wait_for_timeout(300)
    assert box.evaluate(scroller) == 0


def test_an_opened_passage_shows_its_sentence_in_the_middle_of_the_panel(page: Page) -> None:
    answer = ask(page, "What tariffs did the US put on goods from China in 2025?")
    markers = answer.locator("button.cite")
    assert markers.count() >= 1
    for i in reversed(range(markers.count())):  # the last sources sit lowest in the panel
        markers.nth(i).click()
        mark = page.locator("#sources-panel details[open] blockquote.bf-passage mark")
        mark.wait_for(state="visible")
        placed = mark.evaluate(
            """(m) => { const out = []; const r = m.getBoundingClientRect();
                 for (let n = m.parentElement; n && n !== document.body; n = n.parentElement) {
                   const s = getComputedStyle(n);
                   if (/(auto|scroll)/.test(s.overflowY) && n.scrollHeight > n.clientHeight + 1) {
                     const b = n.getBoundingClientRect();
                     out.push({box: [b.top, b.bottom], mark: [r.top, r.bottom], top: n.scrollTop === 0,
                               end: n.scrollTop + n.clientHeight >= n.scrollHeight - 1}); }
                 }
                 return {boxes: out, mark: [r.top, r.bottom], window: window.innerHeight}; }"""
        )
        assert placed["mark"][0] >= 0 and placed["mark"][1] <= placed["window"], placed
        for box in placed["boxes"]:  # inside every box that scrolls, and near its middle when it had to scroll
            top, bottom = box["box"]
            assert top - 1 <= box["mark"][0] and box["mark"][1] <= bottom + 1, placed
            middle, height = (top + bottom) / 2, bottom - top
            centre = (box["mark"][0] + box["mark"][1]) / 2
            # Centred, unless the box cannot scroll further that way (the sentence opens or closes the text).
            assert (
                abs(centre - middle) <= height / 4
                or (box["top"] and centre < middle)
                or (box["end"] and centre > middle)
                or box["mark"][1] - box["mark"][0] > height / 2
            ), placed


def test_upload_progress_moves_with_passages_embedded_in_one_place(page: Page, tmp_path: Path) -> None:
    # About 300 passages: several seconds of embedding, reported in steps of 64.
    paragraphs = [
        f"Report {i} on the Harlow tidal barrage. Engineers measured a flow of {1000 + i} cubic metres per second "
        f"at gate {i % 17}, and the operators logged the reading in the annual register of the estuary works. "
        + "The sluices were inspected and found sound after the winter storms of that year. "
        * 6
        for i in range(330)
    ]
    big = tmp_path / "harlow-barrage-register.txt"
    big.write_text("Harlow barrage register\n\n" + "\n\n".join(paragraphs))
    open_library(page)
    page.evaluate(
        """() => { window.__progress = []; window.__places = 0; new MutationObserver(() => {
             const bars = [...document.querySelectorAll('.progress-level-inner')]
               .filter((e) => e.textContent.includes('Indexing'));
             window.__places = Math.max(window.__places, bars.length);
             for (const bar of bars) {
               const m = bar.textContent.match(/([0-9.]+)%/);
               if (m) window.__progress.push(parseFloat(m[1]));
             }
           }).observe(document.body, {subtree: true, childList: true, characterData: true}); }"""
    )
    page.locator("#bf-upload input[type=file]").set_input_files([str(big)])
    page.wait_for_function(
        "() => [...document.querySelectorAll('#bf-results .virtual-row')].some((r) => r.textContent.includes('added'))",
        timeout=240_000,
    )
    progress = page.evaluate("window.__progress")
    between = sorted({p for p in progress if 0 < p < 100})
    assert len(between) >= 2 and progress == sorted(progress), progress  # it moved, in steps, never back
    assert page.evaluate("window.__places") == 1  # one indicator, not one per part of the page
    assert library_size(page) > 0
    search_documents(page, "Harlow barrage register")
    page.locator("#bf-documents [role=gridcell]", has_text="Harlow barrage register").first.click()
    # Remove acts on the chosen document: wait until the choice has reached the server (its preview shows).
    page.wait_for_function(
        "() => document.querySelector('#bf-preview textarea').value.includes('Harlow barrage register')"
    )
    page.click("#bf-remove")
    page.click("#bf-confirm-remove")
    page.locator("#bf-undo-row").wait_for()


def test_timeline_markers_open_their_passage(page: Page) -> None:
    page.get_by_role("tab", name="Timeline").click()
    topic = page.locator("#bf-tl-topic textarea")
    topic.fill("export controls on advanced computing chips")
    topic.press("Enter")
    entry = page.locator("#bf-timeline .bf-tl-entry").first
    entry.wait_for()
    passage = entry.locator("blockquote.bf-passage")
    assert not passage.is_visible()
    entry.locator("button.cite").click()
    passage.wait_for(state="visible")
    quoted = entry.locator(".bf-tl-text").inner_text().split("”")[0].strip("“ ")
    assert passage.locator("mark").inner_text().strip() == quoted
    entry.locator("button.cite").click()
    passage.wait_for(state="hidden")


def test_layout_labels_headers_ids_and_footer(page: Page) -> None:
    footer = page.locator("footer").inner_text()
    assert "Settings" not in footer and not footer.strip().endswith("·"), footer
    answer = ask(page, "Who founded DeepSeek?")
    assert not re.search(r"\]\s+[.,;:]", answer.locator(".bf-text").inner_text())
    open_library(page)
    label = page.locator("#bf-upload label").first.bounding_box()
    icon = page.locator("#bf-upload .wrap svg, #bf-upload .wrap .icon-wrap").first.bounding_box()
    assert label and icon and label["y"] + label["height"] <= icon["y"] + 1, (label, icon)

    def lines(locator: Locator) -> float:
        return locator.evaluate(
            "(e) => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight || '18')"
        )

    header = page.locator("#bf-documents th", has_text="Passages").locator(".cell-wrap span").first
    assert lines(header) < 1.5
    first_id = page.locator("#bf-documents .virtual-row").first.locator("[role=gridcell]").last
    assert lines(first_id.locator(".cell-wrap span").first) < 1.5
