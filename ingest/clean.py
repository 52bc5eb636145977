"""Text normalisation shared by every loader (pure functions)."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
# Lone surrogates (JSON "\ud800" escapes) cannot be stored as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])[*_](?=\S)([^*_\n]+?)(?<=\S)[*_](?![\w*])")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def normalise(text: str) -> str:
    """NFC, unix newlines, no control characters, single spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


# Page furniture that scrapers keep as if it were the article: a video player's ad-feedback form and a
# newsletter sign-up's consent notice. Each pattern matches one whole line, case aside; every pattern is
# anchored with bounded gaps, so a line is read in linear time whatever it holds.
_FURNITURE = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"(?:\d+\.\s*)?how relevant is this ad to you\?",
        r"video player was slow to load content\b.*",
        r"(?:would you like to receive|sign up for|subscribe to)\b.{0,80}\bnewsletters? ?[?.!]?",
        r"the\b.{1,40}\bnewsletter provides you with\b.*",
        r"if you wish to object to the use of your data\b.*",
        r"'we' includes\b.{0,120}\bbrands\b.*",
    )
]
# A consent notice: the privacy policy named beside what the reader's details are used for.
_CONSENT = ("manage your registration", "manage your subscription", "manage your newsletter", "legitimate interest")
# Furniture is a short line; longer ones are text (and are not read against the patterns at all).
FURNITURE_CHARS = 1000


def _furniture(line: str) -> bool:
    if len(line) > FURNITURE_CHARS:
        return False
    lowered = line.lower()
    if "privacy policy" in lowered and any(phrase in lowered for phrase in _CONSENT):
        return True
    return any(f.fullmatch(line) for f in _FURNITURE)


def without_furniture(text: str) -> str:
    """Normalised text without its lines of page furniture (an ad-feedback form, a newsletter's consent
    notice); empty when that was all the page held."""
    kept = [line for line in text.split("\n") if not _furniture(line.strip())]
    return _BLANKS.sub("\n\n", "\n".join(kept)).strip()


def strip_markdown(text: str) -> str:
    """Drop the markup a reader does not see: emphasis, link targets, heading hashes."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_ITALIC.sub(r"\1", text)
    return _MD_HEADING.sub("", text)


def title_from_text(text: str, limit: int = 90) -> str:
    """A headline-like title: a short first line, else the first sentence shortened at a word."""
    first = text.strip().split("\n", 1)[0].strip()
    if first and len(first) <= 120 and not first.endswith((".", "!", "?", ":", ",")):
        return first
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence.rstrip(".")
    cut = sentence.rfind(" ", 0, limit)
    return sentence[: cut if cut > 20 else limit].rstrip(",;:") + "…"
