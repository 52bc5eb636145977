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
    notice) and without a photo gallery's captions, which describe the page's pictures, not its story; a page
    that is nothing but a gallery keeps its captions, each apart. Empty when furniture was all the page held."""
    kept = [line for line in text.split("\n") if not _furniture(line.strip())]
    story = [line for line in kept if not gallery(line)]
    lines = story if any(line.strip() for line in story) else kept
    return _BLANKS.sub("\n\n", "\n".join(captions_apart(line) for line in lines)).strip()


# A photo gallery scraped as one paragraph: "Photos: <gallery title> <caption> Hide Caption 1 of 28 Photos:
# <gallery title> <caption> Hide Caption 2 of 28 …". Its captions run into each other and into the gallery's
# title, so a sentence would read "… in Pakistan People wade through floodwaters …".
_HIDE_CAPTION = re.compile(r"\s*\bHide Caption \d{1,3} of \d{1,3}\b\s*")
_PHOTOS_LABEL = re.compile(r"^(?:Photos:\s*)+")
# Bumped when a change here changes what a page's text is, so evaluation libraries are indexed anew.
CLEAN_VERSION = "3"


def gallery(line: str) -> bool:
    """Whether a line is (part of) a photo gallery: it opens with a "Photos:" label or a "Hide Caption n of m"
    and holds such a marker. A line of story that runs into a gallery is not one (its captions go apart)."""
    opens = _PHOTOS_LABEL.match(line.strip()) is not None or line.lstrip().startswith("Hide Caption")
    return opens and _HIDE_CAPTION.search(line) is not None


def captions_apart(line: str) -> str:
    """A gallery's line as its title once, then each caption a paragraph of its own, without the "Hide
    Caption n of m" and "Photos:" labels; any other line as it is."""
    if "Hide Caption" not in line:
        return line
    pieces = [_PHOTOS_LABEL.sub("", piece).strip() for piece in _HIDE_CAPTION.split(line)]
    pieces = [piece for piece in pieces if piece]
    title: list[str] = []
    if len(pieces) >= 2:
        words = [piece.split() for piece in pieces]
        shared = 0
        while all(len(w) > shared + 1 for w in words) and len({w[shared] for w in words}) == 1:
            shared += 1
        if shared >= 2:  # one shared word is a coincidence ("The", "Japan's"), two or more a title
            title = [" ".join(words[0][:shared])]
            pieces = [_untitled(" ".join(w[shared:]), title[0]) for w in words]
    return "\n\n".join([*title, *pieces])


def _untitled(caption: str, title: str) -> str:
    """A caption without the labels and titles repeated before it ("Photos: <title> Photos: <title> …")."""
    while True:
        rest = _PHOTOS_LABEL.sub("", caption).strip()
        rest = rest[len(title) :].strip() if rest.startswith(title + " ") else rest
        if rest == caption:
            return caption
        caption = rest


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
