"""Process environment the app needs before any heavy library is imported."""

import os

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
