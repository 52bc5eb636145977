"""The local GGUF model's worker process: reads JSON requests on stdin, writes JSON lines on stdout.

Run as a script by `rag.local_model.LocalModelWorker`, never imported by the app: llama.cpp is
native code that can crash (SIGSEGV, abort) or hang, and only a separate process contains that.
This file imports nothing from the project so the worker starts in well under a second.

Protocol, one JSON object per line:
  → {"op": "load", "model_path", "n_ctx", "n_threads", "repack"}   ← {"loaded": true} | {"error"}
  → {"op": "complete", "id", "prompt", "max_tokens", "temperature", "stop", "probe"}
                                                  ← {"id", "token"}* then {"id", "done": true} | {"id", "error"}
  → {"op": "score", "id", "prompt", "options"}   ← {"id", "scores": [log-probability of each option]} | {"id", "error"}
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from typing import Any, TextIO

# Fault injection for the containment tests: a real crash or hang inside this process, on the
# first completion only when a marker file is named (so the restarted worker answers normally).
FAULT_ENV = "BRIEFING_LLM_WORKER_FAULT"
FAULT_ONCE_ENV = "BRIEFING_LLM_WORKER_FAULT_ONCE"


def _inject_fault() -> None:
    kind = os.environ.get(FAULT_ENV, "")
    if not kind:
        return
    marker = os.environ.get(FAULT_ONCE_ENV)
    if marker:
        if os.path.exists(marker):
            return
        with open(marker, "w"):
            pass
    if kind == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "abort":
        os.abort()
    elif kind == "hang":
        while True:
            time.sleep(60)
    elif kind == "exit":
        os._exit(3)


def _load(request: dict[str, Any]) -> Any:
    import llama_cpp
    import llama_cpp.llama_cpp as native

    if not request.get("repack", False):
        # llama.cpp repacks weights into "extra" CPU buffer types (AMX, AVX-512/AVX2 interleaved
        # layouts) chosen for the CPU it runs on; on AMX CPUs that path crashes in decode. Plain
        # buffers run the same model everywhere, a little slower.
        fields = {name for name, *_ in native.llama_model_params._fields_}
        if "use_extra_bufts" in fields:
            default_params = native.llama_model_default_params

            def plain_buffers() -> Any:
                params = default_params()
                params.use_extra_bufts = False
                return params

            native.llama_model_default_params = plain_buffers
    return llama_cpp.Llama(
        model_path=request["model_path"],
        n_ctx=int(request.get("n_ctx", 2048)),
        n_threads=request.get("n_threads"),
        verbose=False,
    )


def _score(model: Any, prompt: str, options: list[str]) -> list[float]:
    """How likely the model finds each option as the whole answer after `prompt`: the sum of the log-probabilities
    of its tokens and of the line break that ends it. The prompt's evaluated tokens left by the completion before
    (usually this very prompt) are reused; each option's tokens are then evaluated in one batch after them.
    Scores differ by about 0.1 nats with how the prompt's tokens were batched (llama.cpp's arithmetic), no more.
    Uses llama-cpp-python's batch and context objects, as its own `eval` does: the tokens of one option need a
    row of logits each, which `eval` keeps only for the last."""
    import llama_cpp
    import numpy as np

    tokens = model.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
    # At least the prompt's last token is evaluated again, for the logits after it.
    model.n_tokens = model.longest_token_prefix(model.input_ids[: model.n_tokens], tokens[:-1])
    model.eval(tokens[model.n_tokens :])
    size = model.n_vocab()

    def log_prob(row: Any, token: int) -> float:
        top = float(row.max())
        return float(row[token]) - top - float(np.log(np.exp(row - top).sum(dtype=np.float64)))

    after_prompt = np.ctypeslib.as_array(llama_cpp.llama_get_logits(model.ctx), shape=(size,)).copy()
    scores: list[float] = []
    for option in options:
        said = model.tokenize(f" {option}\n".encode(), add_bos=False, special=False)
        if not said:
            scores.append(-1e9)
            continue
        total = log_prob(after_prompt, said[0])
        if len(said) > 1:
            # The option's tokens but its last, after the prompt, each with its row of logits for the next.
            model._ctx.kv_cache_seq_rm(-1, len(tokens), -1)
            model._batch.set_batch(batch=said[:-1], n_past=len(tokens), logits_all=True)
            model._ctx.decode(model._batch)
            rows = np.ctypeslib.as_array(llama_cpp.llama_get_logits(model.ctx), shape=(len(said) - 1, size))
            total += sum(log_prob(row, following) for row, following in zip(rows, said[1:], strict=True))
        scores.append(total)
    # What follows the prompt in the cache is an option's; the next request's `eval` drops it.
    model.n_tokens = len(tokens)
    return scores


def _send(out: TextIO, **message: Any) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def serve(requests: TextIO, out: TextIO) -> None:
    """Answer requests until stdin closes (the app went away)."""
    model: Any = None
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        op = request.get("op")
        if op == "load":
            try:
                model = _load(request)
            except Exception as exc:  # reported to the app, which answers from the sources
                _send(out, error=f"{type(exc).__name__}: {exc}")
                continue
            _send(out, loaded=True)
        elif op == "complete":
            rid = request.get("id")
            if model is None:
                _send(out, id=rid, error="no model loaded")
                continue
            if not request.get("probe"):
                _inject_fault()
            try:
                for part in model.create_completion(
                    request["prompt"],
                    max_tokens=int(request.get("max_tokens", 160)),
                    temperature=float(request.get("temperature", 0.0)),
                    stop=request.get("stop") or ["\n"],
                    stream=True,
                ):
                    text = part["choices"][0]["text"]
                    if text:
                        _send(out, id=rid, token=text)
            except Exception as exc:
                _send(out, id=rid, error=f"{type(exc).__name__}: {exc}")
                continue
            _send(out, id=rid, done=True)
        elif op == "score":
            rid = request.get("id")
            if model is None:
                _send(out, id=rid, error="no model loaded")
                continue
            _inject_fault()
            try:
                scores = _score(model, request["prompt"], [str(o) for o in request.get("options", [])])
            except Exception as exc:
                _send(out, id=rid, error=f"{type(exc).__name__}: {exc}")
                continue
            _send(out, id=rid, scores=scores)
        else:
            _send(out, error=f"unknown op {op!r}")


def main() -> None:
    # The protocol owns the real stdout; anything native code prints goes to stderr instead.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    serve(sys.stdin, protocol)


if __name__ == "__main__":
    main()
