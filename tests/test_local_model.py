"""The local model runs in a supervised worker: real crashes and hangs in it never reach the app.

Faults are real: the worker process kills itself with SIGSEGV or abort() (switched on by an
environment variable it reads), or the test freezes it with SIGSTOP. Needs the [local] extra.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bench.screenshot import CHROMIUM_ARGS
from rag.llms import default_gguf, llamacpp_available
from rag.local_model import LocalModelFailed, LocalModelWorker, WorkerConfig, describe_exit
from rag.local_worker import FAULT_ENV, FAULT_ONCE_ENV
from tests.helpers import BRIEFING, CORPUS, LiveServer, env_for_subprocess, live_serve

needs_model = pytest.mark.skipif(not llamacpp_available(), reason="the [local] extra is not installed")
PROMPT = "Context: DeepSeek was founded in July 2023 by Liang Wenfeng.\n\nQuestion: Who founded DeepSeek?\nAnswer:"


def test_exit_codes_are_described_by_signal_name() -> None:
    assert describe_exit(-signal.SIGSEGV) == "crashed (SIGSEGV)"
    assert describe_exit(-signal.SIGABRT) == "crashed (SIGABRT)"
    assert describe_exit(3) == "exited with status 3"


@pytest.fixture
def worker(request: pytest.FixtureRequest) -> Iterator[LocalModelWorker]:
    timeout = getattr(request, "param", 30.0)
    instance = LocalModelWorker(WorkerConfig(model_path=str(default_gguf()), first_token_timeout=timeout))
    yield instance
    instance.close()


@needs_model
def test_the_worker_answers_from_a_context(worker: LocalModelWorker) -> None:
    assert worker.probe() is None and worker.state == "ready"
    text = "".join(worker.complete(PROMPT, max_tokens=12))
    assert "Liang" in text
    assert worker.pid is not None and worker.pid != os.getpid()


@needs_model
@pytest.mark.parametrize(("fault", "signal_name"), [("segv", "SIGSEGV"), ("abort", "SIGABRT")])
def test_a_native_crash_fails_one_request_and_the_next_restarts_the_worker(
    worker: LocalModelWorker, fault: str, signal_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FAULT_ENV, fault)
    monkeypatch.setenv(FAULT_ONCE_ENV, str(tmp_path / "crashed-once"))
    assert worker.probe() is None, "the start-up probe never triggers the fault"
    first_pid = worker.pid
    with pytest.raises(LocalModelFailed, match=f"crashed \\({signal_name}\\)"):
        "".join(worker.complete(PROMPT, max_tokens=12))
    assert worker.state == "failed" and first_pid is not None and not psutil.pid_exists(first_pid)
    assert "Liang" in "".join(worker.complete(PROMPT, max_tokens=12))
    assert worker.state == "ready" and worker.pid not in (None, first_pid) and worker.restarts == 1


CHOICE = (
    "Context: DeepSeek was founded in July 2023 by Liang Wenfeng, who also runs the hedge fund High-Flyer.\n\n"
    "Question: Who founded DeepSeek?\nAnswer:"
)


@needs_model
def test_the_worker_weighs_options_the_same_whatever_it_evaluated_before(worker: LocalModelWorker) -> None:
    options = ["Liang Wenfeng", "High-Flyer"]
    fresh = worker.score(CHOICE, options)
    assert fresh[0] > fresh[1], fresh  # the founder, not his fund
    # After a completion of another prompt, and of this one, the evaluated tokens it reuses or drops leave
    # the same scores, but for llama.cpp's arithmetic differing with how the tokens were batched (about
    # 0.1 nats, well under the margin a choice needs).
    "".join(worker.complete(PROMPT, max_tokens=12))
    assert worker.score(CHOICE, options) == pytest.approx(fresh, abs=0.3)
    "".join(worker.complete(CHOICE, max_tokens=12))
    again = worker.score(CHOICE, options)
    assert again == pytest.approx(fresh, abs=0.3) and again[0] > again[1]
    assert worker.score(CHOICE, []) == []


@needs_model
def test_a_crash_while_weighing_options_fails_that_request_only(
    worker: LocalModelWorker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FAULT_ENV, "segv")
    monkeypatch.setenv(FAULT_ONCE_ENV, str(tmp_path / "crashed-once"))
    assert worker.probe() is None
    first_pid = worker.pid
    with pytest.raises(LocalModelFailed, match="crashed \\(SIGSEGV\\)"):
        worker.score(CHOICE, ["Liang Wenfeng", "High-Flyer"])
    assert worker.state == "failed" and first_pid is not None and not psutil.pid_exists(first_pid)
    scores = worker.score(CHOICE, ["Liang Wenfeng", "High-Flyer"])
    assert scores[0] > scores[1] and worker.restarts == 1


@needs_model
@pytest.mark.parametrize("worker", [10.0], indirect=True)
def test_a_hung_worker_is_killed_at_the_first_token_limit(worker: LocalModelWorker) -> None:
    assert worker.probe() is None
    hung = worker.pid
    assert hung is not None
    os.kill(hung, signal.SIGSTOP)  # a real hang: the process exists but never answers
    with pytest.raises(LocalModelFailed, match="did not give its first token within 10 s"):
        "".join(worker.complete(PROMPT, max_tokens=12))
    assert not psutil.pid_exists(hung) or psutil.Process(hung).status() == psutil.STATUS_ZOMBIE
    assert "Liang" in "".join(worker.complete(PROMPT, max_tokens=12))


@needs_model
def test_a_model_that_cannot_load_is_reported(tmp_path: Path) -> None:
    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"GGUF" + b"\0" * 64)
    worker = LocalModelWorker(WorkerConfig(model_path=str(bogus)))
    try:
        problem = worker.probe()
        assert problem is not None and "could not load broken.gguf" in problem
        assert worker.state == "failed" and worker.pid is None
    finally:
        worker.close()


# --- the running app ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crashing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`briefing serve` on the local model, whose worker will SIGSEGV on its first real question."""
    if not llamacpp_available():
        pytest.skip("the [local] extra is not installed")
    folder = tmp_path_factory.mktemp("local-model")
    env = {
        "BRIEFING_GENERATOR": "llamacpp",
        FAULT_ENV: "segv",
        FAULT_ONCE_ENV: str(folder / "crashed-once"),
        # Generous, so that a fresh worker on a busy 2-core machine is never mistaken for a hung one.
        "BRIEFING_LLM_FIRST_TOKEN_TIMEOUT": "30",
    }
    with live_serve(folder, env, seed=CORPUS) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def ask(page: Page, question: str) -> tuple[str, str]:
    """Ask in the browser; returns the finished answer's text and its note line (or '')."""
    before = page.locator(".bf-turn:not(.bf-pending)").count()
    page.locator("#bf-question textarea").fill(question)
    page.locator("#bf-question textarea").press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.bf-turn:not(.bf-pending)').length > n && !document.querySelector('.bf-pending')",
        arg=before,
        timeout=90_000,
    )
    answer = page.locator(".bf-turn:not(.bf-pending)").nth(before).locator(".bf-a")
    note = answer.locator(".bf-note")
    return answer.inner_text(), (note.first.inner_text() if note.count() else "")


def worker_of(server: LiveServer) -> psutil.Process:
    children = psutil.Process(server.process.pid).children(recursive=True)
    workers = [c for c in children if any("local_worker.py" in part for part in c.cmdline())]
    assert len(workers) == 1, [c.cmdline() for c in children]
    return workers[0]


@pytest.mark.browser
@pytest.mark.slow
@needs_model
def test_serve_survives_a_crashing_and_a_hanging_model(crashing_server: LiveServer, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(60_000)
    page.goto(crashing_server.url)
    page.wait_for_selector("#bf-question textarea")
    assert "ready" in page.locator("#bf-header-block").inner_text(), "the start-up check loaded the model"
    first_worker = worker_of(crashing_server).pid

    # 1. The worker dies with SIGSEGV mid-question: the question is still answered, from the sources.
    text, note = ask(page, "Who founded DeepSeek?")
    assert "local model unavailable: crashed (SIGSEGV)" in note and "answered from the sources" in note
    assert "Liang Wenfeng" in text and re.search(r"\[1\]", text)
    assert crashing_server.process.poll() is None, "the app itself is still running"

    # 2. The next question starts a new worker and is answered by the model again.
    text, note = ask(page, "Who founded DeepSeek?")
    assert note == "" and "llamacpp" in text
    second_worker = worker_of(crashing_server)
    assert second_worker.pid != first_worker

    # 3. A frozen worker (SIGSTOP) gives no token: after the 30 s limit the sources answer.
    second_worker.send_signal(signal.SIGSTOP)
    started = time.monotonic()
    text, note = ask(page, "When was DeepSeek founded?")
    assert "did not give its first token within 30 s" in note and "answered from the sources" in note
    assert time.monotonic() - started < 90
    assert crashing_server.process.poll() is None

    # 4. And the model is back for the question after.
    text, note = ask(page, "Who founded DeepSeek?")
    assert note == "" and "llamacpp" in text
    assert worker_of(crashing_server).pid != second_worker.pid
    page.close()


@needs_model
@pytest.mark.parametrize("fault", ["segv", "hang"])
def test_briefing_ask_answers_from_the_sources_when_the_model_fails(
    fault: str, corpus_library: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(corpus_library, folder)
    env = env_for_subprocess(folder)
    env.update({"BRIEFING_GENERATOR": "llamacpp", FAULT_ENV: fault, "BRIEFING_LLM_FIRST_TOKEN_TIMEOUT": "5"})
    done = subprocess.run(
        [*BRIEFING, "ask", "Who founded DeepSeek?"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    reason = "crashed (SIGSEGV)" if fault == "segv" else "did not give its first token within 5 s"
    assert f"note: local model unavailable: {reason}; answered from the sources" in done.stderr
    assert "Liang Wenfeng" in done.stdout and "[1]" in done.stdout
