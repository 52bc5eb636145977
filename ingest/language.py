"""The language of a document: a script check settles Chinese, Japanese and Korean; langdetect the rest.

Codes are ISO 639-1 ('en', 'zh', 'fr', …); Simplified and Traditional Chinese are both 'zh'.
None when a text has too few letters to tell.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from ingest.segment import HAN

if TYPE_CHECKING:
    from ingest.store import Library

_LETTER = re.compile(r"[^\W\d_]")
_HAN_CHAR = re.compile(f"[{HAN}]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# Enough text to tell a language apart, without reading a whole book.
_SAMPLE = 3000
_MIN_LETTERS = 20
_LOCK = threading.Lock()


def detect_language(text: str) -> str | None:
    """The main language of text as an ISO 639-1 code, or None when it cannot be told."""
    sample = text[:_SAMPLE] if len(text) <= 2 * _SAMPLE else text[:_SAMPLE] + "\n" + text[len(text) // 2 :][:_SAMPLE]
    letters = len(_LETTER.findall(sample))
    if letters < _MIN_LETTERS:
        return None
    if len(_KANA.findall(sample)) > 0.05 * letters:
        return "ja"
    if len(_HANGUL.findall(sample)) > 0.2 * letters:
        return "ko"
    # Each Han character is a word's worth of text: a third of the letters means Chinese prose.
    if len(_HAN_CHAR.findall(sample)) > 0.3 * letters:
        return "zh"
    return _langdetect(sample)


def _langdetect(sample: str) -> str | None:
    try:
        from langdetect import DetectorFactory, detect
        from langdetect.lang_detect_exception import LangDetectException
    except ImportError:
        return None
    with _LOCK:
        # A fixed seed makes the result the same on every run (langdetect samples n-grams at random).
        DetectorFactory.seed = 0
        try:
            code = detect(sample)
        except LangDetectException:
            return None
    return code.split("-")[0]


def language_name(code: str | None) -> str:
    """A short label for listings: the code itself, or '-' when unknown."""
    return code or "-"


# Characters per chunk relative to English: a Chinese character is about one model token, an
# English character about a quarter of one, so Chinese chunks of the English size would overrun
# the embedder's window (256 tokens for MiniLM) and lose their ends.
_CHARS_PER_TOKEN_SHARE = {"zh": 3, "ja": 3, "ko": 2}


def chunk_size_for(language: str | None, size: int, overlap: int) -> tuple[int, int]:
    """Chunk size and overlap in characters for a document in this language."""
    divisor = _CHARS_PER_TOKEN_SHARE.get(language or "", 1)
    return max(1, size // divisor), overlap // divisor


def backfill_languages(library: Library) -> int:
    """Detect and store the language of documents that have none; returns how many were set."""
    done = 0
    for document in library.documents():
        if document.language is None:
            full = library.document(document.doc_id)
            if full is not None:
                library.set_language(document.doc_id, detect_language(full.text))
                done += 1
    return done
