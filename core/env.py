"""Process environment the app needs before any heavy library is imported."""

import os
import platform
from pathlib import Path
from typing import TypedDict

_DEFAULTS = {
    # Never reach a model hub: the embedder ships inside a Python package.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def quiet_environment() -> None:
    """Set offline and no-telemetry defaults unless the user chose otherwise."""
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)


# The instruction sets that decide which native kernels run: ONNX Runtime's int8 products (VNNI or not) and
# llama.cpp's (AVX2, AVX-512, AMX). Figures measured on one set may differ a little on another.
_KERNEL_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_tile")


class Cpu(TypedDict):
    model: str
    features: list[str]


def cpu() -> Cpu:
    """The CPU's model and the kernel-relevant instruction sets it has, as /proc/cpuinfo reports them."""
    model, flags = platform.processor() or platform.machine(), set[str]()
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            model = value.strip()
        elif key.strip() in ("flags", "Features"):
            flags = set(value.split())
            break
    return {"model": model, "features": [f for f in _KERNEL_FLAGS if f in flags]}
