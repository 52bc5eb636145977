"""Serving the app: who may bind where, seeding once, upload limits, escaping and failing backends."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import ui
from briefing.api import SEED_META, Briefing
from briefing.web import render, session
from briefing.web.library_tab import check_upload
from core.errors import BriefingError
from core.models import Answer, Citation
from core.request import Filters
from core.settings import Settings
from ingest.embed import SentenceEmbedder
from tests.helpers import BRIEFING, live_serve, make_settings, serve_environment

# --- binding and authentication -------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_password(host: str) -> None:
    assert ui.is_loopback(host)
    assert ui.check_bind(Settings(host=host).server) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "briefing.example.org"])
def test_other_addresses_are_refused_without_credentials(host: str) -> None:
    with pytest.raises(BriefingError, match=r"refusing to serve .* without a password.*--auth-user.*--insecure"):
        ui.check_bind(Settings(host=host).server)
    assert ui.check_bind(Settings(host=host).server, insecure=True) is None
    assert ui.check_bind(Settings(host=host, auth_user="ana", auth_password="s3cret").server) == ("ana", "s3cret")


def test_half_a_login_is_an_error_even_locally() -> None:
    with pytest.raises(BriefingError, match="both a user name and a password"):
        ui.check_bind(Settings(auth_user="ana").server)


def test_serve_command_refuses_a_public_address_before_opening_the_library(tmp_path: Path) -> None:
    runner = CliRunner()
    # `serve` is the command ui.py adds to the CLI (the `briefing` script starts at ui.main).
    result = runner.invoke(ui.cli, ["--data-dir", str(tmp_path / "lib"), "serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 1
    assert "refusing to serve on 0.0.0.0 without a password" in result.output
    assert not (tmp_path / "lib").exists()
    # The same check reads the credentials from the environment.
    result = runner.invoke(
        ui.cli, ["serve", "--host", "0.0.0.0", "--auth-user", "ana"], env={"BRIEFING_AUTH_PASSWORD": ""}
    )
    assert result.exit_code == 1 and "both a user name and a password" in result.output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live(app: Briefing) -> Iterator[str]:
    """The real app served in-process with a login and a 1 MB upload limit."""
    settings = app.settings.updated(port=free_port(), auth_user="ana", auth_password="s3cret", upload_max_mb=1)
    demo = ui.build_ui(app, settings)
    auth = ui.check_bind(settings.server)
    _, url, _ = ui.launch(demo, settings.server, auth, block=False)
    yield url.rstrip("/")
    demo.close()


def test_a_login_guards_the_app_and_uploads_are_capped(live: str) -> None:
    with httpx.Client(base_url=live, timeout=30) as client:
        assert client.get("/config").status_code == 401
        page = client.get("/")
        assert page.status_code == 200 and "Briefing: sign in to reach this library." in page.text
        assert client.post("/login", data={"username": "ana", "password": "wrong"}).status_code == 400
        assert client.post("/login", data={"username": "ana", "password": "s3cret"}).status_code == 200
        config = client.get("/config")
        assert config.status_code == 200 and config.json()["title"] == "Briefing"
        small = client.post("/gradio_api/upload", files={"files": ("ok.txt", b"A small article.", "text/plain")})
        assert small.status_code == 200
        big = client.post("/gradio_api/upload", files={"files": ("big.txt", b"x" * (1024 * 1024 + 10), "text/plain")})
        assert big.status_code == 413


def test_sigterm_stops_the_running_server_cleanly_and_removes_its_temporary_exports(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    with live_serve(tmp_path, env={"TMPDIR": str(temp)}) as live:
        deadline = time.monotonic() + 60
        while "Briefing is running" not in live.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert httpx.get(live.url + "/config", timeout=10).status_code == 200
        exports = list(temp.glob("briefing-exports-*"))
        assert len(exports) == 1 and exports[0].is_dir()
        live.process.send_signal(signal.SIGTERM)
        assert live.process.wait(timeout=60) == 0, live.output()
    assert not exports[0].exists()


def test_sigterm_while_the_app_starts_up_stops_it_cleanly(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = serve_environment(tmp_path, {"TMPDIR": str(temp)})
    process = subprocess.Popen(
        [*BRIEFING, "serve", "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # The exports folder is made as the page is built, before the server listens.
        deadline = time.monotonic() + 120
        while not list(temp.glob("briefing-exports-*")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        exports = list(temp.glob("briefing-exports-*"))
        assert exports, "the app never started building its page"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "Aborted" not in output and "Traceback" not in output
    assert not exports[0].exists()


# Page builders that receive a real SIGTERM where Python makes a clean stop hard.
STOPPED_BUILDERS = {
    # The page is built partly by code that exec() runs from strings; a stop landing there must still exit 0.
    "inside code run by exec": """
def build_ui(app, settings):
    exec("os.kill(os.getpid(), signal.SIGTERM)\\nfor _ in range(3): pass\\ntime.sleep(30)")
    raise AssertionError("the stop signal did not interrupt the page's building")
""",
    # A stop inside a constructor leaves a half-built object whose finalizer fails; the clean stop must
    # not end with that traceback (seen with an asyncio event loop built while Gradio starts).
    "inside a constructor": """
class HalfBuilt(asyncio.SelectorEventLoop):
    def __init__(self):
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(3): pass
        super().__init__()

def build_ui(app, settings):
    HalfBuilt()
    raise AssertionError("the stop signal did not interrupt the page's building")
""",
}
SERVE_WITH_BUILDER = """
import asyncio, os, signal, sys, time
import ui
from core.settings import Settings
{builder}
ui.build_ui = build_ui
ui.serve(Settings(data_dir=sys.argv[1], generator="extractive"))
"""


@pytest.mark.parametrize("where", sorted(STOPPED_BUILDERS))
def test_sigterm_while_the_page_is_built_exits_cleanly(tmp_path: Path, where: str) -> None:
    script = SERVE_WITH_BUILDER.format(builder=STOPPED_BUILDERS[where])
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "data")],
        env=serve_environment(tmp_path),
        cwd=Path(ui.__file__).parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Stopped before the app was up." in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr


@pytest.fixture
def stop_handlers() -> Iterator[None]:
    """Briefing's Ctrl+C / SIGTERM handlers in this process, the previous ones restored after."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    hook = sys.unraisablehook
    ui._stop_on_signals()
    yield
    for sig, handler in previous.items():
        signal.signal(sig, handler)
    sys.unraisablehook = hook
    ui._STOP.clear()


def test_a_stop_signal_raises_where_it_can_and_is_never_lost(
    stop_handlers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ignored: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)

    class Finalised:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(3):  # the handler runs at this loop, inside __del__
                pass

    # Python ignores an exception raised in a finalizer: there the request is only recorded …
    finalised = Finalised()
    del finalised
    assert ui._STOP.is_set()
    assert ignored == []  # nothing raised there, so no "Exception ignored in … __del__" traceback
    # … and start-up stops at its next check.
    with pytest.raises(KeyboardInterrupt):
        ui._stop_if_asked()

    ui._STOP.clear()
    with pytest.raises(KeyboardInterrupt):  # anywhere else it interrupts at once, as Ctrl+C does
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(3):
            pass
    assert ui._STOP.is_set()


def test_a_busy_port_is_reported_clearly(app: Briefing) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        settings = app.settings.updated(port=sock.getsockname()[1])
        with pytest.raises(BriefingError, match=r"cannot listen on 127\.0\.0\.1:\d+ .*--port"):
            ui.launch(ui.build_ui(app, settings), settings.server, block=False)


# --- seeding ----------------------------------------------------------------------------------------


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    (folder / "tide.md").write_text(
        "---\ntitle: Tide mills of Brittany\nsource: Coastal Review\npublished: 2024-03-01\n---\n\n"
        "The tide mill at Rance was rebuilt in 1966 by engineers from Saint-Malo.\n"
    )
    (folder / "salt.txt").write_text("Salt marshes of Guérande\n\nGuérande salt is raked by hand in summer.\n")
    return folder


def test_seed_only_on_first_start_and_removed_samples_stay_removed(app: Briefing, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "samples")
    report = app.seed(folder)
    assert report is not None and len(report.added) == 2
    titles = {d.title for d in app.documents()}
    assert titles == {"Tide mills of Brittany", "Salt marshes of Guérande"}
    tide = next(d for d in app.documents() if d.title.startswith("Tide"))
    app.remove(tide.doc_id)
    # A second start (same library, same --seed) brings nothing back.
    assert app.seed(folder) is None
    assert {d.title for d in app.documents()} == {"Salt marshes of Guérande"}
    assert '"added": 2' in (app.library.meta(SEED_META) or "")


def test_seed_leaves_an_existing_library_alone(app: Briefing, tmp_path: Path) -> None:
    mine = tmp_path / "mine.txt"
    mine.write_text("My notes\n\nThe quarterly review moved to Thursday.\n")
    app.ingest([mine])
    assert app.seed(write_articles(tmp_path / "samples")) is None
    assert [d.title for d in app.documents()] == ["My notes"]
    assert "library not empty" in (app.library.meta(SEED_META) or "")


# --- uploads -----------------------------------------------------------------------------------------


def test_upload_checks_size_and_type_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2 * 1024 * 1024 + 1))
    assert check_upload(big, 2) == "file is 2.0 MB; the upload limit is 2 MB (BRIEFING_UPLOAD_MAX_MB)"
    odd = tmp_path / "slides.pptx"
    odd.write_bytes(b"PK")
    assert (check_upload(odd, 2) or "").startswith("unsupported file type '.pptx' (supported: .docx, .htm")
    fine = tmp_path / "fine.md"
    fine.write_text("# Fine\n\nText.")
    assert check_upload(fine, 2) is None


def test_upload_rows_report_each_outcome_with_reasons(app: Briefing, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Harbour notes\n\nThe harbour dredging finished in May.\n")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    assert render.report_rows(app.add_upload(good, "notes.txt"), "notes.txt") == [["notes.txt", "added", "indexed"]]
    rows = render.report_rows(app.add_upload(broken, "report.pdf"), "report.pdf")
    assert rows[0][:2] == ["report.pdf", "failed"] and rows[0][2]
    again = render.report_rows(app.add_upload(good, "notes.txt"), "notes.txt")
    assert again == [["notes.txt", "unchanged", "already in the library"]]
    good.write_text("Harbour notes\n\nThe harbour dredging finished in June.\n")
    assert render.report_rows(app.add_upload(good, "notes.txt"), "notes.txt")[0][1] == "updated"
    assert len(app.documents()) == 1


# --- what the page shows -------------------------------------------------------------------------------

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def evil_citation(n: int = 1, **fields: object) -> Citation:
    passage = f"Intro {EVIL}. The Zorblatt consortium was founded by Mirela Quint in 2019. Outro."
    quote = "The Zorblatt consortium was founded by Mirela Quint in 2019."
    start = 1000
    base: dict[str, object] = {
        "n": n,
        "doc_id": "evil",
        "chunk_id": "evil-0",
        "title": f"Zorblatt {EVIL}",
        "source": f"Evil {EVIL} Times",
        "published": "2025-01-02",
        "url": "javascript:window.__pwned=3",
        "author": EVIL,
        "start": start,
        "end": start + len(passage),
        "quote": quote,
        "quote_start": start + passage.index(quote),
        "quote_end": start + passage.index(quote) + len(quote),
        "passage": passage,
        "also_reported_by": (EVIL,),
    }
    base.update(fields)
    return Citation(**base)  # type: ignore[arg-type]


def tags(page: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z]+)", page)}


def test_document_markup_is_rendered_inert_everywhere() -> None:
    citation = evil_citation()
    answer = Answer(question=f"Who {EVIL}?", text=f"Founded by Mirela Quint {EVIL} [1].", citations=(citation,))
    turns = [session.Turn(answer.question, answer=answer, scope="only Evil")]
    page = render.render_conversation(turns) + render.render_sources(turns)
    page += render.render_conversation([], pending=EVIL, draft=EVIL)
    page += render.render_header(EVIL, EVIL, EVIL, 1, 2)
    assert tags(page) <= {
        "article", "div", "p", "button", "span", "textarea", "section", "details", "summary",
        "blockquote", "mark", "header", "b", "i",
    }  # fmt: skip
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "href=" not in page  # the javascript: URL is never linked


def test_citation_markers_become_buttons_only_for_real_citations() -> None:
    answer = Answer(question="q", text="Tariffs rose [1] in [2024] and [7].", citations=(evil_citation(1),))
    html = render.answer_text_html(answer, turn=3)
    assert html.count("<button") == 1
    assert 'data-turn="3" data-n="1"' in html
    assert "[2024]" in html and "[7]" in html


def test_the_short_answer_is_set_in_bold_and_escaped() -> None:
    answer = Answer(
        question="q",
        text=f"Mirela {EVIL} — Founded by Mirela {EVIL} [1].",
        citations=(evil_citation(1),),
        lead=f"Mirela {EVIL}",
    )
    html = render.answer_text_html(answer, turn=1)
    assert html.startswith("<b>Mirela &lt;script&gt;")
    assert html.count("<b>") == 1 and "</b> — Founded by" in html


def test_passage_highlights_the_quote_from_its_offsets() -> None:
    citation = evil_citation()
    html = render.passage_html(citation)
    assert "<mark>The Zorblatt consortium was founded by Mirela Quint in 2019.</mark>" in html
    assert html.startswith("Intro &lt;script&gt;")
    # Offsets that do not match the passage fall back to finding the quote.
    shifted = evil_citation(quote_start=citation.quote_start + 3, quote_end=citation.quote_end + 3)
    assert shifted.highlight() == citation.highlight()
    missing = evil_citation(quote="A sentence that is not there.", quote_start=0, quote_end=5)
    assert "<mark>" not in render.passage_html(missing)


def test_links_are_only_plain_web_addresses() -> None:
    assert render.safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert render.safe_url("javascript:alert(1)") is None
    assert render.safe_url("data:text/html,hi") is None
    assert render.safe_url("//example.org") is None


def test_abstentions_and_errors_look_different_from_answers() -> None:
    abstained = session.Turn("Peru?", answer=Answer(question="Peru?", text="No source.", abstained=True))
    failed = session.Turn("Why?", error="The generator is not available: x (pip install y)")
    answered = session.Turn("Q", answer=Answer(question="Q", text="A [1].", citations=(evil_citation(),)))
    page = render.render_conversation([abstained, failed, answered])
    assert page.count('class="bf-a bf-abstained"') == 1 and "Not in the library" in page
    assert page.count('class="bf-a bf-error" role="alert"') == 1 and "pip install y" in page
    assert page.count('class="bf-a bf-answered"') == 1


def test_filters_are_parsed_and_described() -> None:
    scope = session.parse_scope(["Wikipedia"], "2024-01-01", "2025-06-30", "2025-03-01")
    assert scope.filters == Filters(
        sources=("Wikipedia",), since=session.parse_day("2024-01-01", "x"), until=session.parse_day("2025-06-30", "x")
    )
    assert scope.describe() == "only Wikipedia · published 2024-01-01 to 2025-06-30 · as of 2025-03-01"
    assert session.parse_scope([], None, "", None).filters.empty
    with pytest.raises(BriefingError, match=r"Published from .* is after"):
        session.parse_scope([], "2025-01-02", "2025-01-01", None)
    with pytest.raises(BriefingError, match="As of: 'soon' is not a date"):
        session.parse_scope([], None, None, "soon")


def test_exports_are_written_for_download(tmp_path: Path) -> None:
    answer = Answer(question="Who?", text="Mirela Quint [1].", citations=(evil_citation(),))
    files = session.write_exports([session.Turn("Who?", answer=answer)], tmp_path)
    assert sorted(files) == ["bib", "docx", "json", "md"]
    assert "## Bibliography" in files["md"].read_text()
    assert "@online{" in files["bib"].read_text()
    assert session.write_exports([session.Turn("x", error="boom")], tmp_path) == {}


# --- a missing backend ------------------------------------------------------------------------------


@pytest.fixture
def gemma_missing(corpus_library: Path, tmp_path: Path, embedder: SentenceEmbedder) -> Iterator[Briefing]:
    """The sample library, configured for a local GGUF model that is not there."""
    folder = tmp_path / "lib"
    shutil.copytree(corpus_library, folder)
    settings = make_settings(folder, generator="llamacpp", llm_model=str(tmp_path / "missing.gguf"))
    briefing = Briefing(settings, embedder=embedder)
    yield briefing
    briefing.close()


def test_a_missing_generator_shows_its_hint_instead_of_failing(gemma_missing: Briefing) -> None:
    steps = list(session.answer_turn(gemma_missing, "Who founded DeepSeek?", [], session.Scope(Filters())))
    turn = steps[-1]
    assert isinstance(turn, session.Turn) and turn.answer is None
    assert turn.error is not None and "GGUF model not found" in turn.error and "BRIEFING_LLM_MODEL" in turn.error
    assert "Could not answer" in render.render_conversation([turn])


def test_an_answer_shows_the_dates_its_time_words_selected(corpus_app: Briefing) -> None:
    steps = list(
        session.answer_turn(corpus_app, "What did the US and China agree this week?", [], session.Scope(Filters()))
    )
    turn = steps[-1]
    assert isinstance(turn, session.Turn) and turn.answer is not None
    assert turn.time_note.startswith("reading documents published ") and turn.time_note.endswith(": this week")
    page = render.render_conversation([turn])
    assert '<div class="bf-scope bf-time">Reading documents published ' in page
    plain = list(session.answer_turn(corpus_app, "Who founded DeepSeek?", [], session.Scope(Filters())))[-1]
    assert isinstance(plain, session.Turn) and plain.time_note == ""
    assert "bf-time" not in render.render_conversation([plain])


def test_header_names_the_generator_and_embedder(app: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ui.generator_status(app) == ("extractive", None)
    html = render.render_header(*ui.generator_status(app), app.settings.embedding.model, 0, 0)
    assert "Generator: <b>extractive</b>" in html and "Embedder: <b>all-MiniLM-L6-v2</b>" in html
    import rag.llms

    monkeypatch.setattr(rag.llms, "llamacpp_available", lambda: False)
    local = Briefing(app.settings.updated(generator="llamacpp"), embedder=app.embedder)
    name, problem = ui.generator_status(local)
    assert name == "llamacpp" and problem == "not installed (pip install 'research-briefing[local]')"
    broken = Briefing(app.settings.updated(generator="openai"), embedder=app.embedder)
    assert ui.generator_status(broken) == ("openai", "the openai generator needs a server URL (set BRIEFING_LLM_URL)")
