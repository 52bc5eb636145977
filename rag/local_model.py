"""The packaged local model behind a supervised worker process.

llama.cpp is native code: on some CPUs it crashes (SIGSEGV in decode on Intel AMX machines),
aborts on a bad file, or hangs. In-process, any of these kills `briefing serve` with every open
page. Here the model lives in a child process that this module starts, watches and restarts: a
crash, an abort, a model that does not load in time or gives no token in time becomes a
`LocalModelFailed` for that one question, and the next question starts a fresh worker.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import itertools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from core.errors import BackendUnavailable

WORKER_SCRIPT = Path(__file__).with_name("local_worker.py")
_EOF = object()


class LocalModelFailed(BackendUnavailable):
    """The local model's worker crashed, hung, or could not load the model."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WorkerConfig:
    """How to start the model; one worker per distinct config."""

    model_path: str
    n_ctx: int = 2048
    n_threads: int | None = None
    repack: bool = False
    load_timeout: float = 120.0
    first_token_timeout: float = 30.0
    timeout: float = 60.0


def _die_with_parent() -> None:
    """Linux: the worker gets SIGKILL if the app dies, even while it is stuck in native code."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def describe_exit(code: int | None) -> str:
    """'crashed (SIGSEGV)' for a signal, 'exited with status 3' otherwise."""
    if code is None:
        return "stopped"
    if code < 0:
        try:
            return f"crashed ({signal.Signals(-code).name})"
        except ValueError:
            return f"crashed (signal {-code})"
    return f"exited with status {code}"


def _looks_like_error(line: str) -> bool:
    lowered = line.lower()
    return "error" in lowered or "assert" in lowered


class LocalModelWorker:
    """One supervised worker process; safe to share between threads (one generation at a time)."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[Any] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        self._ids = itertools.count(1)
        self.state = "not started"
        self.problem: str | None = None
        self.restarts = 0

    # -- process management ------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def _start(self) -> None:
        """Start a worker and load the model; raises LocalModelFailed if it cannot within the limit."""
        if self._process is not None:
            self.restarts += 1
        self.state = "loading"
        env = dict(os.environ)
        env.setdefault("OMP_NUM_THREADS", str(self.config.n_threads or max(1, (os.cpu_count() or 2) // 2)))
        process = subprocess.Popen(
            [sys.executable, str(WORKER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
            env=env,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self._process = process
        self._lines = queue.Queue()
        self._stderr.clear()
        assert process.stdout is not None and process.stderr is not None
        threading.Thread(target=self._pump, args=(process.stdout, self._lines), daemon=True).start()
        threading.Thread(target=self._drain_stderr, args=(process.stderr,), daemon=True).start()
        c = self.config
        self._send(
            {"op": "load", "model_path": c.model_path, "n_ctx": c.n_ctx, "n_threads": c.n_threads, "repack": c.repack}
        )
        reply = self._next(time.monotonic() + c.load_timeout, c.load_timeout, "load the model")
        if "error" in reply:
            self._fail(f"could not load {Path(c.model_path).name}: {reply['error']}")
        self.state = "ready"
        self.problem = None

    @staticmethod
    def _pump(stream: IO[str], lines: queue.Queue[Any]) -> None:
        for line in stream:
            lines.put(line)
        lines.put(_EOF)

    def _drain_stderr(self, stream: IO[str]) -> None:
        for line in stream:
            if line.strip():
                self._stderr.append(line.rstrip())

    def _send(self, message: dict[str, Any]) -> None:
        process = self._process
        assert process is not None and process.stdin is not None
        try:
            process.stdin.write(json.dumps(message) + "\n")
            process.stdin.flush()
        except (BrokenPipeError, OSError):
            self._fail(self._exit_reason())

    def _next(self, deadline: float, limit: float, doing: str) -> dict[str, Any]:
        """The worker's next message, or LocalModelFailed when it dies or the deadline passes."""
        try:
            item = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            self._fail(f"did not {doing} within {limit:g} s")
        if item is _EOF:
            self._fail(self._exit_reason())
        try:
            message: dict[str, Any] = json.loads(item)
        except json.JSONDecodeError:
            return {}
        return message

    def _exit_reason(self) -> str:
        process = self._process
        code = None
        if process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = process.wait(timeout=5)
        reason = describe_exit(code)
        last = next((line for line in reversed(self._stderr) if _looks_like_error(line)), "")
        return f"{reason}: {last[:200]}" if last else reason

    def _fail(self, reason: str) -> Any:
        """Kill the worker, remember why, and raise; the next request starts a new one."""
        self._kill()
        self.state = "failed"
        self.problem = reason
        raise LocalModelFailed(reason)

    def _kill(self) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(OSError):
                process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        for stream in (process.stdin, process.stdout, process.stderr):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()

    def _ensure(self) -> None:
        if self._process is None or self._process.poll() is not None or self.state != "ready":
            self._kill()
            self._start()

    # -- requests ------------------------------------------------------------------------------------

    def probe(self) -> str | None:
        """Load the model and generate one token; None when it works, else why it does not."""
        try:
            for _ in self.complete("Question: Is this a test?\nAnswer:", max_tokens=1, stop=["\n"], probe=True):
                pass
        except LocalModelFailed as exc:
            return exc.reason
        return None

    def _request(self, message: dict[str, Any]) -> int:
        """Send a request under a new id, starting the worker if need be; the caller holds the lock."""
        self._ensure()
        rid = next(self._ids)
        self._send({**message, "id": rid})
        return rid

    def _reply(self, rid: int, deadline: float, limit: float, doing: str) -> dict[str, Any]:
        """The worker's next message for request `rid`; LocalModelFailed if it fails, stalls or reports an error."""
        while True:
            message = self._next(deadline, limit, doing)
            if message.get("id") != rid:
                continue  # the tail of an earlier generation whose reader stopped early
            if "error" in message:
                # A Python-level error inside the worker: the process is fine, this request is not.
                raise LocalModelFailed(f"the model failed: {message['error']}")
            return message

    def complete(
        self,
        prompt: str,
        max_tokens: int = 160,
        temperature: float = 0.0,
        stop: list[str] | None = None,
        probe: bool = False,
    ) -> Iterator[str]:
        """Text pieces as the model produces them; LocalModelFailed if the worker fails or stalls."""
        with self._lock:
            rid = self._request(
                {
                    "op": "complete",
                    "prompt": prompt,
                    "max_tokens": max_tokens,
                    "temperature": temperature,
                    "stop": stop or ["\n"],
                    "probe": probe,
                }
            )
            started = time.monotonic()
            limit = self.config.first_token_timeout
            doing = "give its first token"
            while True:
                message = self._reply(rid, started + limit, limit, doing)
                if message.get("done"):
                    return
                token = message.get("token")
                if token:
                    limit, doing = self.config.timeout, "finish its answer"
                    yield str(token)

    def score(self, prompt: str, options: Sequence[str]) -> list[float]:
        """The model's log-probability of each option as the answer after `prompt` (see the worker's `_score`);
        LocalModelFailed if the worker fails or does not finish within the answer limit."""
        if not options:
            return []
        with self._lock:
            rid = self._request({"op": "score", "prompt": prompt, "options": list(options)})
            limit = self.config.timeout
            scores = self._reply(rid, time.monotonic() + limit, limit, "weigh the options").get("scores")
        if isinstance(scores, list) and len(scores) == len(options):
            return [float(s) for s in scores]
        raise LocalModelFailed("the model's worker answered out of protocol")

    def close(self) -> None:
        self._kill()
        self._process = None
        self.state = "not started"


_WORKERS: dict[WorkerConfig, LocalModelWorker] = {}
_WORKERS_LOCK = threading.Lock()


def worker_for(config: WorkerConfig) -> LocalModelWorker:
    """The process-wide worker for a config (a library's answerer and the header share one)."""
    with _WORKERS_LOCK:
        worker = _WORKERS.get(config)
        if worker is None:
            worker = _WORKERS[config] = LocalModelWorker(config)
        return worker


@atexit.register
def _close_all() -> None:
    for worker in list(_WORKERS.values()):
        with contextlib.suppress(Exception):
            worker.close()
