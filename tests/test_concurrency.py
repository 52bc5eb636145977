"""Eight people asking at once while documents are being added: every question answered, nothing skewed.

Local mode: the askers and the ingest share one app (as the web app's threads do). Server mode:
the ingest is another process, a real `briefing ingest` with its own data folder, writing to
the same Chroma server the askers read.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.models import Answer
from ingest.catalog import Catalog, catalog_name
from ingest.vectors import connect
from tests.chroma_server import ChromaServer
from tests.helpers import assert_library_consistent, assert_well_cited, env_for_subprocess

pytestmark = pytest.mark.timeout(240)

ASKERS = 8
ROUNDS = 2
NEW_DOCS = 24  # several commits of ~256 chunks each, so the askers run while the ingest is half-way
SENTENCES = 24
CHUNK_SIZE = 120

# question -> words the answer must contain (facts from the sample library)
QUESTIONS = {
    "Who founded DeepSeek?": ["Liang Wenfeng"],
    "What did the United States and China agree in Geneva?": ["115%"],  # what the two agreed, not that they met
    "What is SMIC?": ["Semiconductor Manufacturing International Corporation"],
    "How much funding does the CHIPS and Science Act provide for semiconductor manufacturing?": ["billion"],
}

_CROPS = ["wheat", "barley", "maize", "sorghum", "rice", "millet"]
_WEATHER = ["heavy rain", "a dry spell", "late frost", "mild sunshine", "strong wind"]


def write_bulletins(folder: Path) -> list[Path]:
    """Farm bulletins: a topic the sample library never mentions, so answers about it stay the same."""
    folder.mkdir(parents=True)
    paths = []
    for n in range(NEW_DOCS):
        path = folder / f"bulletin-{n:02d}.md"
        lines = [
            f"District {n} reported {_WEATHER[(n + k) % 5]} over the {_CROPS[(n * k) % 6]} fields in week {k}, "
            f"and growers expect yields of {40 + (n * 7 + k * 3) % 50} bushels an acre."
            for k in range(SENTENCES)
        ]
        path.write_text(
            f"---\ntitle: Farm bulletin {n}\nid: farm-{n}\n---\n" + "\n".join(lines) + "\n", encoding="utf-8"
        )
        paths.append(path)
    return paths


def ask_concurrently(
    app: Briefing, started: threading.Event
) -> tuple[list[tuple[str, Answer, float]], list[BaseException]]:
    """ASKERS threads, each asking ROUNDS questions once `started` is set; returns answers and errors."""
    answers: list[tuple[str, Answer, float]] = []
    errors: list[BaseException] = []
    questions = list(QUESTIONS)

    def asker(i: int) -> None:
        started.wait(timeout=120)
        for r in range(ROUNDS):
            question = questions[(i + r) % len(questions)]
            try:
                begun = time.monotonic()
                answers.append((question, app.ask(question), begun))
            except BaseException as exc:  # every failure is reported, not just the first
                errors.append(exc)

    threads = [threading.Thread(target=asker, args=(i,)) for i in range(ASKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "an asker hung"
    return answers, errors


def check_answers(app: Briefing, answers: list[tuple[str, Answer, float]]) -> None:
    assert len(answers) == ASKERS * ROUNDS
    for question, answer, _ in answers:
        assert not answer.abstained, (question, answer.text)
        assert_well_cited(answer, app)
        for words in QUESTIONS[question]:
            assert words in answer.text, (question, answer.text)
        assert all(not c.title.startswith("Farm bulletin") for c in answer.citations)


def test_eight_askers_while_an_ingest_runs(
    mode: str, mode_corpus_app: Briefing, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    app = mode_corpus_app
    app.settings.ingest.chunk_size = CHUNK_SIZE
    before = assert_library_consistent(app)
    for question in QUESTIONS:  # warm up: model, answerer, caches
        assert not app.ask(question).abstained
    folder = tmp_path / "bulletins"
    write_bulletins(folder)
    started = threading.Event()
    ingest_errors: list[BaseException] = []
    ingest_done: list[float] = []

    if mode == "local":

        def ingest() -> None:
            try:
                report = app.ingest([folder], progress=lambda origin, outcome: started.set())
                assert len(report.added) == NEW_DOCS and not report.failed, report.failed
            except BaseException as exc:
                ingest_errors.append(exc)
            finally:
                started.set()
                ingest_done.append(time.monotonic())

        writer = threading.Thread(target=ingest)
        writer.start()
        answers, errors = ask_concurrently(app, started)
        writer.join(timeout=180)
    else:
        server: ChromaServer = request.getfixturevalue("chroma_server")
        writer_dir = tmp_path / "writer"
        env = env_for_subprocess(writer_dir)
        env["BRIEFING_CHUNK_SIZE"] = str(CHUNK_SIZE)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefing.cli",
                "--chroma-url",
                server.url,
                "--collection",
                app.settings.collection,
                "ingest",
                "--quiet",
                str(folder),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        catalog = Catalog(connect(writer_dir, server.url), catalog_name(app.settings.collection))
        threading.Thread(target=_when_first_commit_lands, args=(catalog, before["documents"], started)).start()
        answers, errors = ask_concurrently(app, started)
        out, err = process.communicate(timeout=180)
        ingest_done.append(time.monotonic())
        assert process.returncode == 0, err
        assert f"{NEW_DOCS} added" in out

    assert not errors, errors
    assert not ingest_errors, ingest_errors
    check_answers(app, answers)
    # The questions really ran while the library was growing.
    assert sum(begun < ingest_done[0] for _, _, begun in answers) >= ASKERS

    counts = assert_library_consistent(app)
    assert counts["documents"] == before["documents"] + NEW_DOCS
    assert counts["chunks"] == counts["bm25"] == counts["vectors"] == app.index.count()
    farm = app.ask("What yields do the farm bulletins say growers expect?")
    assert farm.citations and all(c.title.startswith("Farm bulletin") for c in farm.citations), farm.text


def _when_first_commit_lands(catalog: Catalog, existing: int, started: threading.Event) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not started.is_set():
        if len(catalog.listing()) > existing:
            break
        time.sleep(0.05)
    started.set()
