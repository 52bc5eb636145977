"""Helpers shared by several test modules: paths, settings, file builders and library invariants.

Fixtures stay in conftest.py; what a test module imports from another one lives here.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import docx
import httpx
import pytest
from pypdf import PdfReader, PdfWriter

from briefing.api import Briefing
from core.models import Answer, Chunk, Document, Hit
from core.request import Request
from core.settings import Settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


class OutboundBlocked(ConnectionRefusedError):
    """A test tried to open a connection to a machine other than this one."""


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"generator": "extractive", **overrides}
    return Settings(data_dir=data_dir, **values)  # type: ignore[arg-type]


def env_for_subprocess(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BRIEFING_DATA_DIR"] = str(data_dir)
    env["HF_HUB_OFFLINE"] = "1"
    return env


def unique_collection() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


# --- library invariants -----------------------------------------------------------------------------


def assert_library_consistent(app: Briefing) -> dict[str, int]:
    """Every committed chunk is in SQLite, BM25 and Chroma, and nothing else is in Chroma."""
    counts = app.counts()
    assert counts["chunks"] == counts["bm25"] == counts["vectors"], counts
    assert counts["pending"] == 0 and counts["trash"] == 0, counts
    assert app.library.all_chunk_ids() == app.index.all_ids()
    for document in app.library.documents(with_text=True):
        chunks = app.library.chunks_of(document.doc_id)
        assert document.chunk_count == len(chunks) > 0
        assert [c.index for c in chunks] == list(range(len(chunks)))
        for chunk in chunks:
            assert chunk.text == document.text[chunk.start : chunk.end]
    return counts


def assert_well_cited(answer: Answer, app: Briefing) -> None:
    """Every marker points at a listed citation of a retrieved chunk, and every quote is real text."""
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert markers, answer.text
    assert set(markers) == set(numbers)
    for citation in answer.citations:
        assert citation.chunk_id in answer.retrieved
        document = app.document(citation.doc_id)
        assert document.text[citation.quote_start : citation.quote_end] == citation.quote
        assert citation.start <= citation.quote_start < citation.quote_end <= citation.end
        assert document.text[citation.start : citation.end] == citation.passage


# --- file builders ----------------------------------------------------------------------------------


def assert_refused(app: Briefing, questions: Iterable[str], reason: str, asked_on: date) -> None:
    """Each question is refused, and the refusal says the reason ("state no figure")."""
    for question in questions:
        refused = app.ask(Request(question, asked_on=asked_on))
        assert refused.abstained and reason in refused.text, refused.text


def pdf_bytes(pages: list[list[str]], title: str | None = None, author: str | None = None) -> bytes:
    """A valid PDF with one line of Helvetica text per string, written object by object."""

    def literal(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    page_numbers = [4 + 2 * i for i in range(len(pages))]
    kids = " ".join(f"{n} 0 R" for n in page_numbers)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for number, lines in zip(page_numbers, pages, strict=True):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {number + 1} 0 R >>".encode()
        )
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td", *(f"({literal(line)}) Tj T*" for line in lines), "ET"]
        stream = "\n".join(ops).encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    info = []
    if title:
        info.append(f"/Title ({literal(title)})")
    if author:
        info.append(f"/Author ({literal(author)})")
    info.append("/CreationDate (D:20240611093000Z)")
    objects.append(("<< " + " ".join(info) + " >>").encode("cp1252"))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypted_pdf(data: bytes, user_password: str, owner_password: str = "owner") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password)  # RC4: no extra packages
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(
    paragraphs: list[str],
    title: str | None = None,
    author: str | None = None,
    created: datetime | None = None,
) -> bytes:
    document = docx.Document()
    for n, text in enumerate(paragraphs):
        if n == 0:
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    if title:
        document.core_properties.title = title
    if author:
        document.core_properties.author = author
    if created:
        document.core_properties.created = created
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF_PAGES = [
    [
        "Semiconductor Outlook 2024",
        "Foundries added capacity for mature nodes.",
        "Demand for AI chips doubled.",
    ],
    ["Lithography tools remained the main bottleneck.", "Export rules (tightened twice) limited sales."],
    ["Outlook: prices for memory chips should recover by late 2025."],
]


# --- a folder with one file of every kind (ingest, and again in server mode) ---------------------------

MARKDOWN = """---
title: Geneva talks end with a tariff truce
source: Example Wire
url: https://wire.example.com/2025/05/12/geneva-truce
published: 2025-05-12
author: Jane Doe
id: ew-0042
---

The United States and China agreed in Geneva to cut tariffs for ninety days.
Officials from both sides called the talks cordial.
"""


PLAIN = """Taiwan foundry expands in Kumamoto
The second plant will make chips for carmakers and start production in 2027.
Local officials expect three thousand new jobs.
Source: https://www.scmp.com
"""


JSONL_RECORDS = [
    {
        "id": "820769473_15895-16818",
        "title": "Forecasting",
        "text": "Seasonality is a characteristic of a time series that recurs every calendar year.",
        "source": "Wikipedia",
        "url": "https://en.wikipedia.org/wiki/Forecasting",
        "date": "2019-03-01",
        "author": "Wikipedia contributors",
    },
    {
        "id": "doc-2",
        "title": "Memory prices",
        "text": "Memory chip prices rose for a third straight month as inventories shrank.",
        "source": "Chip Weekly",
        "date": "2024-06-01",
    },
]


def write_mixed_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "geneva.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "kumamoto.txt").write_text(PLAIN, encoding="utf-8")
    shutil.copy(DATA / "article.html", folder / "curbs.html")
    (folder / "outlook.pdf").write_bytes(pdf_bytes(PDF_PAGES, title="Chip Market Outlook", author="R. Analyst"))
    (folder / "memo.docx").write_bytes(
        docx_bytes(
            ["Trade Talks Resume", "Negotiators met in Geneva on Monday.", "Both sides agreed to lower rates."],
            title="Geneva memo",
            author="Sam Writer",
            created=datetime(2025, 5, 13, 9, 0),
        )
    )
    (folder / "dump.jsonl").write_text("\n".join(json.dumps(r) for r in JSONL_RECORDS) + "\n", encoding="utf-8")
    return folder


# --- a batch with one file of every kind of bad input (bad input, and again beside hostile input) --------

LATIN1 = "Le café de la gare a fermé. Les habitués étaient déçus – la mairie promet une réouverture en été."


# file name -> what its failure must say
BAD = {
    "corrupt.pdf": "corrupt PDF",
    "truncated.pdf": "truncated PDF",
    "locked.pdf": "encrypted PDF: it needs a password",
    "empty.txt": "empty file (0 bytes)",
    "picture.txt": "binary data, not text",
    "chinese.txt": "not valid UTF-8 text (byte 0xd6 at offset 0)",
    "slides.xyz": "unsupported file type '.xyz'",
    "broken.docx": "not a valid .docx file",
    "widget.html": "no readable text in the page",
    "feed.jsonl:2": "invalid JSON",
}


def write_batch(folder: Path) -> Path:
    """Good files and one file of every kind of bad input, side by side."""
    folder.mkdir(parents=True)
    (folder / "good.md").write_text(
        "---\ntitle: Fab subsidies\nid: good-1\n---\nSubsidies drew new fabs to Ohio. Hiring began in May.\n",
        encoding="utf-8",
    )
    (folder / "latin1.txt").write_bytes(LATIN1.encode("cp1252"))
    (folder / "report.pdf").write_bytes(pdf_bytes(PDF_PAGES))

    valid_pdf = pdf_bytes(PDF_PAGES, title="Cut short")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    (folder / "truncated.pdf").write_bytes(valid_pdf[: len(valid_pdf) * 2 // 3])
    (folder / "locked.pdf").write_bytes(encrypted_pdf(valid_pdf, user_password="s3cret"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + gzip.compress(b"pixels" * 500))
    (folder / "chinese.txt").write_bytes("中国将调动全国资源推动人工智能理论和核心技术的进步。".encode("gbk"))
    (folder / "slides.xyz").write_bytes(b"some proprietary format")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 this zip archive stops here")
    (folder / "widget.html").write_text(
        "<html><head><script>var config = {a: 1};</script></head>"
        "<body><script>document.write('Loading the interactive chart, please wait')</script></body></html>",
        encoding="utf-8",
    )
    records = [
        json.dumps({"id": "feed-1", "title": "Tariff pause", "text": "The tariff pause was extended."}),
        '{"id": "feed-2", "title": "Cut off", "text": "This line was cut o',
        json.dumps({"id": "feed-3", "title": "Chip sales", "text": "Chip sales rose in June."}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return folder


# --- a live `briefing serve` ---------------------------------------------------------------------------

# The `briefing` script runs ui.main; this runs the same from the tree under test.
BRIEFING = [sys.executable, "-m", "ui"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def serve_environment(folder: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a test's `briefing serve`: its data in folder, offline, extractive answers."""
    environment = dict(os.environ)
    environment.update(
        {
            "BRIEFING_DATA_DIR": str(folder / "data"),
            "BRIEFING_GENERATOR": "extractive",
            "HF_HUB_OFFLINE": "1",
            "GRADIO_ANALYTICS_ENABLED": "False",
        }
    )
    environment.pop("BRIEFING_CHROMA_URL", None)
    environment.update(env or {})
    return environment


@contextlib.contextmanager
def live_serve(
    folder: Path, env: dict[str, str] | None = None, seed: Path | None = None, startup: float = 180
) -> Iterator[LiveServer]:
    """Start `briefing serve` on a free port with its data in `folder`; stop it afterwards."""
    port = free_port()
    environment = serve_environment(folder, env)
    log_path = folder / "server.log"
    command = [*BRIEFING, "serve", "--port", str(port)] + (["--seed", str(seed)] if seed else [])
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=folder, env=environment, stdout=log, stderr=subprocess.STDOUT)
        server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
        deadline = time.monotonic() + startup
        try:
            while True:
                if process.poll() is not None:
                    pytest.fail(f"briefing serve exited with {process.returncode}:\n{server.output()}")
                with contextlib.suppress(httpx.HTTPError):
                    # 401: up, and asking for the login it was started with.
                    if httpx.get(server.url + "/config", timeout=2).status_code in (200, 401):
                        break
                if time.monotonic() > deadline:
                    pytest.fail(f"briefing serve did not come up:\n{server.output()}")
                time.sleep(0.5)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def write_article(folder: Path, name: str, title: str, published: str, body: str, source: str = "Example Wire") -> None:
    """A news article as a Markdown file with its front matter, for a one-folder library."""
    text = f"---\ntitle: {title}\nsource: {source}\npublished: {published}\n---\n{body}\n"
    (folder / name).write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Article:
    """A news article for `news_library`: its file name, front matter and body."""

    name: str
    title: str
    published: str
    body: str
    source: str = "Example Wire"


def news_library(app: Briefing, folder: Path, *articles: Article) -> list[str]:
    """Write the articles into folder (made if missing) and ingest it; fails the test if any file fails.
    Returns the document ids added."""
    folder.mkdir(parents=True, exist_ok=True)
    for a in articles:
        write_article(folder, a.name, a.title, a.published, a.body, a.source)
    report = app.ingest([folder])
    assert not report.failed, report.failed
    return list(report.added)


# A story told only by its headline, which answers nothing asked of it, beside another story whose second sentence
# says something of the asked kind: what the answer must not stand on.
HEADLINE_ONLY = Article(
    "gift.md",
    "Girl Scouts of the USA receive largest ever donation from single donor",
    "2022-10-18",
    "Girl Scouts of the USA receive largest ever donation from single donor.",
)
HEADLINE_SCENE = "Girl Scouts of the USA received its largest ever donation from a single donor this week."
HEADLINE_ASKED_ON = date(2022, 10, 20)


def beside_another_story(app: Briefing, folder: Path, says: str) -> Article:
    """Index HEADLINE_ONLY with another story that `says` one more sentence; returns the other story."""
    other = Article(
        "shelters.md",
        "New York City opens a tent shelter for migrants",
        "2022-10-19",
        f"New York City opened a tent camp on Wednesday to house migrants arriving by bus. {says}",
    )
    news_library(app, folder, HEADLINE_ONLY, other)
    return other


def whole_document_hit(document: Document) -> Hit:
    """A retrieved passage that is the whole of its (small) document, as the answerer and the verifier read one."""
    text = document.text
    return Hit(Chunk(f"{document.doc_id}-0", document.doc_id, 0, text, 0, len(text)), document, 1.0)
