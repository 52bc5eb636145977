"""Make docs/screenshot.png: serve the sample library, ask, open a citation, capture a streaming draft.

    .venv/bin/python -m bench.screenshot [--out docs/screenshot.png] [--generator extractive]

Starts `briefing serve --seed corpus/` on a free port with a throw-away library, drives the
Debian chromium through Playwright, and stops the server afterwards.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
# The flags that keep headless Chromium offline and quiet here; the browser tests use the same.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTIONS = ("Who founded DeepSeek?", "What did the October 2022 export controls restrict?")
STREAMING = "What did the US and China agree in Geneva?"  # captured while its draft streams in


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, generator: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, BRIEFING_DATA_DIR=str(data_dir), BRIEFING_GENERATOR=generator)
    command = [sys.executable, "-m", "ui", "serve", "--port", str(port), "--seed", str(REPO / "corpus")]
    process = subprocess.Popen(command, cwd=REPO, env=env)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"briefing serve exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/config", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit("briefing serve did not come up in 4 minutes")


def ask(page: Page, question: str) -> None:
    before = page.locator(".bf-turn:not(.bf-pending)").count()
    box = page.locator("#bf-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.bf-turn:not(.bf-pending)').length > n && !document.querySelector('.bf-pending')",
        arg=before,
        timeout=120_000,
    )


def capture(url: str, out: Path, chromium: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
        page.goto(url)
        page.wait_for_selector("#bf-question textarea", timeout=60_000)
        for question in QUESTIONS:
            ask(page, question)
        # Open the first citation of the newest answer: its passage, quote highlighted.
        page.locator(".bf-turn").last.locator("button.cite").first.click()
        page.locator("#sources-panel details[open] mark").wait_for(state="visible")
        page.mouse.move(0, 0)
        page.wait_for_timeout(1500)  # let the highlight flash fade
        out.parent.mkdir(parents=True, exist_ok=True)
        # Then another question, captured while its draft is on screen and being checked.
        box = page.locator("#bf-question textarea")
        box.fill(STREAMING)
        box.press("Enter")
        page.wait_for_function(
            "() => (document.querySelector('.bf-draft .bf-text')?.textContent || '').trim().length > 0",
            timeout=120_000,
            polling=20,
        )
        page.screenshot(path=str(out))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    parser.add_argument("--generator", default="extractive", help="BRIEFING_GENERATOR for the server")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="briefing-screenshot-") as tmp:
        server = start_server(Path(tmp) / "data", args.generator, port)
        try:
            capture(f"http://127.0.0.1:{port}", args.out, args.chromium)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
