"""A battery of hostile inputs, each built small on disk, run one at a time in a measured subprocess.

Each case writes a few files (never more than a few MB; the bombs are built from repeated
compressed blocks, not by compressing gigabytes), beside a good file that must still go in,
and runs `briefing ingest` on them in a child process against a copy of a library that
already holds a document. The parent samples the child's memory with psutil and kills it past
HARD_CAP_MB or its time limit, so a regression fails the test instead of exhausting the host.
tests/test_hostile_corpus.py asserts the outcome of every case; run as a script, this
measures every case and writes bench/results/hostile.json:

    .venv/bin/python -m tests.hostile_corpus
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MB = 1024 * 1024
HARD_CAP_MB = 1536  # the child is killed past this: a failing case must not take the host down
RSS_LIMIT_MB = 1024  # what every case must stay under
GOOD_TEXT = "---\ntitle: Harbour note\n---\nThe good note says harbour fees rose by a tenth at the northern terminal.\n"
SEED_TEXT = "---\ntitle: Seed\n---\nThe seed document already in the library says crane orders fell by a third.\n"


@dataclass
class Plan:
    """What to run for one case and what must come of it."""

    targets: list[str]
    failures: dict[str, str]  # a name in the failure line -> words its reason must contain
    added: int  # documents added (the good ones)
    exit_code: int = 1
    env: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)  # CLI arguments after the global options, if not `ingest`
    seconds: float = 120.0  # the child is killed after this
    bound: float | None = None  # the deadline the case tests: the ingest must end within bound + SLACK


SLACK = 5.0


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[Path, contextlib.ExitStack], Plan]


@dataclass
class Outcome:
    exit_code: int | None
    stdout: str
    stderr: str
    seconds: float  # child wall time, start-up included
    peak_rss_mb: float
    killed: str | None = None

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error: ")]

    @property
    def ingest_seconds(self) -> float | None:
        """The ingest's own time, as the CLI reports it (start-up excluded)."""
        found = re.search(r"chunks in ([0-9.]+)s", self.stdout)
        return float(found.group(1)) if found else None


# --- builders of compressed bombs, from repeated blocks ------------------------------------------------


def zeros_deflate(megabytes: int, filler: bytes = b"\0") -> tuple[bytes, int]:
    """A raw deflate stream of `megabytes` MB of filler (about 1 KB per MB) and its CRC-32."""
    chunk = filler * MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # A full flush resets the compressor, so every 1 MB block compresses to the same bytes: repeat them.
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return block * megabytes + compressor.flush(), crc


def gzip_of_deflate(deflated: bytes, crc: int, size: int) -> bytes:
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + deflated + struct.pack("<II", crc, size & 0xFFFFFFFF)


def write_zip(path: Path, members: list[tuple[str, bytes, int, int, int | None]]) -> None:
    """A zip of (name, raw deflate data, crc, true size, size to record or None for the true size)."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size, recorded in members:
        stated = size if recorded is None else recorded
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), stated, len(encoded), 0)
        out += encoded + data
        fields = (0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), stated, len(encoded), 0, 0, 0, 0, 0, offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", *fields)
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    path.write_bytes(bytes(out))


def docx_bomb(path: Path, megabytes: int, recorded: int | None = None) -> None:
    """A .docx whose word/document.xml inflates to `megabytes` MB of spaces inside a paragraph."""
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    body, _ = zeros_deflate(megabytes, b" ")
    size = len(head) + megabytes * MB
    # The CRC matches the size recorded, so only the inflating, not a checksum, can give the lie away.
    crc = zlib.crc32(head[: recorded or size])
    chunk = b" " * MB
    left = (recorded or size) - len(head)
    while left > 0:
        crc = zlib.crc32(chunk[:left], crc)
        left -= len(chunk)
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="word/document.xml"/></Relationships>'
    )

    def small(name: str, data: bytes) -> tuple[str, bytes, int, int, None]:
        packed = zlib.compressobj(9, zlib.DEFLATED, -15)
        return name, packed.compress(data) + packed.flush(), zlib.crc32(data), len(data), None

    write_zip(
        path,
        [
            small("[Content_Types].xml", types),
            small("_rels/.rels", rels),
            ("word/document.xml", first + body, crc, size, recorded),
        ],
    )


def pdf_amplified(path: Path, pages: int, words: int) -> None:
    """A small PDF whose pages all show one shared content stream of `words` words: text multiplied by pages."""
    text = ("grain " * words).strip()
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode(), 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    }
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    for i in range(pages):
        objects[5 + i] = page
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in sorted(objects))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


# --- local HTTP servers that misbehave -----------------------------------------------------------------


@contextlib.contextmanager
def http_server(handler: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """A loopback HTTP server answering every GET with `handler`; yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with contextlib.suppress(OSError):
                handler(self)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def slow_drip(stop: threading.Event, every: float) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """Headers, then one byte every `every` seconds, for ever (each read arrives well within any read timeout)."""

    def handle(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/plain")
        request.send_header("Content-Length", "1000000")
        request.end_headers()
        while not stop.wait(every):
            request.wfile.write(b"a")
            request.wfile.flush()

    return handle


def fixed_body(body: bytes, headers: dict[str, str]) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def handle(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


# --- the cases -------------------------------------------------------------------------------------------


def _good(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / "good.md"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    return good


def _deep_json(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return Plan([str(folder)], {"deep.json": "nested too deeply"}, added=1)


def _deep_jsonl(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    lines = [
        json.dumps({"id": "line-1", "text": "Line one says the ferry timetable changed in May."}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": "line-3", "text": "Line three says the pilots' union agreed a new contract."}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Plan([str(folder)], {"feed.jsonl:2": "nested too deeply"}, added=3)


def _deep_yaml(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    (folder / "deep-front-matter.md").write_text("---\ntitle: " + "[" * 50_000 + "\n---\nBody.\n", encoding="utf-8")
    return Plan([str(folder)], {"deep-front-matter.md": "nested too deeply"}, added=1)


def _bad_name(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    with open(os.fsencode(folder) + b"/inv\xff\xfename.md", "wb") as handle:
        handle.write(b"# Invalid name\n\nThe text itself is fine.\n")
    return Plan([str(folder)], {"inv\\xff\\xfename.md": "not valid UTF-8"}, added=1)


def _surrogate_record(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    record = '{"id": "lone", "title": "Lone \\udc00 surrogate", "text": "A record with a lone \\ud800 surrogate about tugboats."}'
    (folder / "dump.jsonl").write_text(record + "\n", encoding="utf-8")
    return Plan([str(folder)], {}, added=2, exit_code=0)


def _docx_bomb(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    docx_bomb(folder / "bomb.docx", 1024)  # 1 MB on disk, 1 GB inflated
    return Plan([str(folder)], {"bomb.docx": "unpacks to 1.1 GB"}, added=1)


def _docx_lying(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    docx_bomb(folder / "liar.docx", 1024, recorded=4096)  # says 4 KB, inflates to 1 GB
    return Plan([str(folder)], {"liar.docx": "not a valid .docx"}, added=1)


def _pdf_amplified(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    pdf_amplified(folder / "pages.pdf", pages=5000, words=150_000)  # 0.7 MB: 5,000 pages x 900 KB of text
    return Plan([str(folder)], {"pages.pdf": "over the 2,000,000-character limit"}, added=1)


def _pdf_many_pages(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    pdf_amplified(folder / "long.pdf", pages=12_000, words=5)  # 2 MB: some 10 s of reading, little text
    deadline = 3.0
    return Plan(
        [str(folder)],
        {"long.pdf": "longer than the 3-second limit per source (at page"},
        added=1,
        env={"BRIEFING_SOURCE_DEADLINE": str(deadline)},
        bound=deadline,
    )


def _nested_divs(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in"
    _good(folder)
    paragraph = "<p>The buried paragraph says grain exports through the strait doubled in March.</p>"
    html = "<html><body>" + "<div>" * 100_000 + paragraph + "</div>" * 100_000 + "</body></html>"
    (folder / "nested.html").write_text(html, encoding="utf-8")
    return Plan([str(folder)], {}, added=2, exit_code=0)


def _symlink_loop(root: Path, _: contextlib.ExitStack) -> Plan:
    folder = root / "in" / "box"
    _good(folder)
    (folder / "up").symlink_to("..")
    (folder / "again.md").symlink_to("good.md")
    # Beside the folder, not in it: following `up` would add it.
    (folder.parent / "sibling.md").write_text("---\ntitle: Sibling\n---\nNot part of the folder.\n", encoding="utf-8")
    return Plan([str(folder)], {}, added=1, exit_code=0)


def _slow_drip(root: Path, stack: contextlib.ExitStack) -> Plan:
    good = _good(root / "in")
    stop = threading.Event()
    stack.callback(stop.set)
    url = stack.enter_context(http_server(slow_drip(stop, every=2.0)))
    deadline = 6.0
    return Plan(
        [f"{url}/drip.txt", str(good)],
        {"drip.txt": "longer than the 6-second limit per URL"},
        added=1,
        env={"BRIEFING_FETCH_DEADLINE": str(deadline)},
        seconds=90,
        bound=deadline,
    )


def _gzip_bomb(root: Path, stack: contextlib.ExitStack) -> Plan:
    good = _good(root / "in")
    inner_deflate, crc = zeros_deflate(4095)
    inner = gzip_of_deflate(inner_deflate, crc, 4095 * MB)  # 4 MB, inflates to 4 GB
    outer = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = outer.compress(inner) + outer.flush()  # some 10 KB
    headers = {"Content-Type": "text/plain", "Content-Encoding": "gzip, gzip"}
    url = stack.enter_context(http_server(fixed_body(body, headers)))
    return Plan([f"{url}/bomb.txt", str(good)], {"bomb.txt": "unpacks to over the"}, added=1)


CASES = [
    Case("deep-json", "`.json` holding `[` × 100,000 then `]` × 100,000 (200 KB)", _deep_json),
    Case("deep-jsonl-line", "`.jsonl` whose 2nd of 3 lines is that nesting", _deep_jsonl),
    Case("deep-front-matter", "`.md` whose YAML front matter opens 50,000 lists", _deep_yaml),
    Case("non-utf8-name", "a file named `inv\\xff\\xfename.md` (bytes that are not UTF-8)", _bad_name),
    Case("lone-surrogate", 'a JSONL record with `"\\ud800"` escapes in its text and title', _surrogate_record),
    Case("docx-bomb", "1 MB `.docx` whose `document.xml` inflates to 1 GB", _docx_bomb),
    Case("docx-lying-size", "the same bomb recording 4 KB (and that 4 KB's CRC) as its size", _docx_lying),
    Case(
        "pdf-shared-stream",
        "0.7 MB PDF: 5,000 pages share one stream of 900 KB of text (4.5 GB in all)",
        _pdf_amplified,
    ),
    Case(
        "pdf-many-pages", "2 MB PDF of 12,000 short pages, some 10 s of reading (source_deadline 3 s)", _pdf_many_pages
    ),
    Case("nested-divs", "HTML with a paragraph inside 100,000 nested `<div>`s (1.1 MB)", _nested_divs),
    Case("symlink-loop", "a folder holding `up -> ..` and a second link to its one file", _symlink_loop),
    Case("slow-drip-url", "a URL sending one byte every 2 s for ever (fetch_deadline 6 s)", _slow_drip),
    Case("gzip-bomb-url", "a URL whose 10 KB body, `Content-Encoding: gzip, gzip`, inflates to 4 GB", _gzip_bomb),
]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- running one case ------------------------------------------------------------------------------------


def seed_library(data_dir: Path, env: dict[str, str]) -> None:
    """A library that already holds one document, as every case's starting point."""
    seed = data_dir.parent / "seed" / "seed.md"
    seed.parent.mkdir(parents=True, exist_ok=True)
    seed.write_text(SEED_TEXT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "briefing.cli", "ingest", "--quiet", str(seed)],
        env={**env, "BRIEFING_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seeding failed: {done.stderr}")


def run_case(case: Case, root: Path, seeded: Path, env: dict[str, str]) -> tuple[Plan, Outcome]:
    """Build the case under root, ingest it into a copy of the seeded library in a child, measured."""
    import psutil

    data_dir = root / "lib"
    shutil.copytree(seeded, data_dir)
    with contextlib.ExitStack() as stack:
        plan = case.build(root, stack)
        args = plan.args or ["ingest", "--quiet", *plan.targets]
        command = [sys.executable, "-m", "tests.hostile_corpus", "child", *args]
        child_env = {**env, "BRIEFING_DATA_DIR": str(data_dir), **plan.env}
        started = time.monotonic()
        process = subprocess.Popen(
            command, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).parent.parent
        )
        output: dict[str, bytes] = {}
        readers = [
            threading.Thread(target=lambda: output.__setitem__("out", process.stdout.read()), daemon=True),  # type: ignore[union-attr]
            threading.Thread(target=lambda: output.__setitem__("err", process.stderr.read()), daemon=True),  # type: ignore[union-attr]
        ]
        for reader in readers:
            reader.start()
        watched = psutil.Process(process.pid)
        peak = 0.0
        killed = None
        while process.poll() is None:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, watched.memory_info().rss / MB)
            if peak > HARD_CAP_MB:
                killed = f"killed at {peak:.0f} MB resident"
            elif time.monotonic() - started > plan.seconds:
                killed = f"killed after {plan.seconds:g} s"
            if killed:
                process.kill()
                break
            time.sleep(0.02)
        process.wait()
        seconds = time.monotonic() - started
        for reader in readers:
            reader.join(10)
    stderr = output.get("err", b"").decode("utf-8", "replace")
    reported = re.search(r"^peak_rss_kb=(\d+)$", stderr, re.M)
    if reported:  # the child's own high-water mark, exact where sampling may miss a spike
        peak = max(peak, int(reported.group(1)) / 1024)
    outcome = Outcome(
        None if killed else process.returncode,
        output.get("out", b"").decode("utf-8", "replace"),
        stderr,
        seconds,
        peak,
        killed,
    )
    return plan, outcome


def _peak_rss_kb() -> int:
    """This process's own peak RSS. Not getrusage's ru_maxrss: Linux carries that across fork and exec,
    so a child of a large process (a test run holding the embedder) would report its parent's peak."""
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _child(args: list[str]) -> None:
    """Run the CLI and report this process's peak resident memory on exit."""
    import atexit

    atexit.register(lambda: print(f"peak_rss_kb={_peak_rss_kb()}", file=sys.stderr))
    from briefing.cli import main as cli_main

    sys.argv = ["briefing", *args]
    cli_main()


def freeze(pid: int) -> None:
    """SIGSTOP a process and wait until every one of its threads has stopped (delivery is not instant)."""
    import signal

    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 10
    tasks = Path(f"/proc/{pid}/task")
    while time.monotonic() < deadline:
        states = []
        for task in tasks.iterdir():
            with contextlib.suppress(OSError):
                states.append((task / "stat").read_text().rsplit(")", 1)[1].split()[0])
        if states and all(state in "Tt" for state in states):
            return
        time.sleep(0.01)
    raise RuntimeError(f"process {pid} did not stop")


def measure_frozen_server(root: Path, env: dict[str, str], timeout: float = 5.0) -> dict[str, Any]:
    """`briefing sources` against a `chroma run` server stopped with SIGSTOP: how long until a clear error."""
    import signal

    import psutil

    from tests.chroma_server import ChromaServer

    root.mkdir(parents=True, exist_ok=True)
    server = ChromaServer(root / "chroma-data")
    server.start()
    try:
        assert server.process is not None
        freeze(server.process.pid)
        command = [sys.executable, "-m", "tests.hostile_corpus", "child", "--chroma-url", server.url, "sources"]
        child_env = {**env, "BRIEFING_DATA_DIR": str(root / "lib"), "BRIEFING_CHROMA_TIMEOUT": str(timeout)}
        started = time.monotonic()
        process = subprocess.Popen(
            command, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).parent.parent
        )
        peak = 0.0
        while process.poll() is None and time.monotonic() - started < 120:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, psutil.Process(process.pid).memory_info().rss / MB)
            time.sleep(0.02)
        killed = None
        if process.poll() is None:
            killed = "killed after 120 s"
            process.kill()
        _, err = process.communicate(timeout=30)
        seconds = time.monotonic() - started
        os.kill(server.process.pid, signal.SIGCONT)
    finally:
        server.stop()
    said = [line for line in err.decode("utf-8", "replace").splitlines() if "Chroma server" in line]
    return {
        "case": "frozen-chroma-server",
        "input": f"`briefing sources` against a SIGSTOPped `chroma run` (chroma_timeout {timeout:g} s)",
        "exit_code": None if killed else process.returncode,
        "killed": killed,
        "errors": said,
        "child_seconds": round(seconds, 2),
        "peak_rss_mb": round(peak),
    }


def measure(out: Path) -> list[dict[str, Any]]:
    """Every case once, one at a time; a table on stdout and the figures in `out`."""
    import tempfile

    rows = []
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "BRIEFING_GENERATOR": "extractive"}
    env.pop("BRIEFING_CHROMA_URL", None)
    with tempfile.TemporaryDirectory() as tmp:
        seeded = Path(tmp) / "seeded"
        seed_library(seeded, env)
        for case in CASES:
            root = Path(tmp) / case.name
            root.mkdir()
            _, outcome = run_case(case, root, seeded, env)
            on_disk = sum(p.stat().st_size for p in (root / "in").rglob("*") if p.is_file() and not p.is_symlink())
            row = {
                "case": case.name,
                "input": case.what,
                "bytes_on_disk": on_disk,
                "exit_code": outcome.exit_code,
                "killed": outcome.killed,
                "errors": [line[7:] for line in outcome.errors],
                "summary": outcome.stdout.strip().splitlines()[-1] if outcome.stdout.strip() else "",
                "child_seconds": round(outcome.seconds, 2),
                "ingest_seconds": outcome.ingest_seconds,
                "peak_rss_mb": round(outcome.peak_rss_mb),
            }
            rows.append(row)
            errors = row["errors"]
            said = (errors[0][:150] + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else "")) if errors else ""
            print(
                f"| {case.name} | {outcome.killed or said or row['summary'][:80]} | {row['child_seconds']} s | {row['peak_rss_mb']} MB |"
            )
            shutil.rmtree(root)
        frozen = measure_frozen_server(Path(tmp) / "frozen", env)
        rows.append(frozen)
        print(
            f"| {frozen['case']} | {(frozen['errors'] or [''])[0][:150]} | {frozen['child_seconds']} s | {frozen['peak_rss_mb']} MB |"
        )
    from bench.common import save

    save(out.stem, {"cases": rows, "hard_cap_mb": HARD_CAP_MB}, "python -m tests.hostile_corpus")
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        _child(sys.argv[2:])
    else:
        measure(Path("bench/results/hostile.json"))
