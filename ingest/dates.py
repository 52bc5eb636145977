"""Publication dates from metadata strings, URL paths and datelines."""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateparser

from core.words import MONTH_ABBREVIATIONS, MONTH_NAMES

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])(?:[/-](0?[1-9]|[12]\d|3[01]))?(?=/|$|[-_])")
_MONTHS = "|".join([*MONTH_NAMES, *(short.capitalize() for short in MONTH_ABBREVIATIONS)])
# "WASHINGTON, June 16, 2022 —" or "June 16 (Reuters) -" style datelines near the start of an article.
_DATELINE = re.compile(
    rf"^(?:[A-Z][A-Za-z .'-]{{1,40}},\s*)?((?:{_MONTHS})\.?\s+\d{{1,2}},\s*(?:19|20)\d{{2}}"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}})\s*(?:\(|[-—–:])",
    re.MULTILINE,
)
# "Published: 12 May 2025", "Posted on May 12, 2025 10:30 ET", "Updated 2025-05-12": stamps of scraped pages.
_DAY_TEXT = (
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+(?:19|20)\d{{2}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}}"
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
)
_STAMP = re.compile(
    rf"^[ \t]*(?:first[ \t]+)?(?P<kind>published|posted|updated|last[ \t]+updated)(?:[ \t]+on)?[ \t]*:?[ \t]*"
    rf"(?:[A-Za-z]+,[ \t]*)?(?P<day>{_DAY_TEXT})",
    re.IGNORECASE | re.MULTILINE,
)
_ISO = re.compile(r"^\s*((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")


def parse_date(value: object) -> date | None:
    """A date from a metadata value (date, datetime, '2025-05-12', '2025/05/12', 'May 12, 2025')."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    iso = _ISO.match(text)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    if not re.search(r"(?:19|20)\d{2}", text):
        return None  # a bare 'Friday' or '12 May' is not a publication date
    try:
        return dateparser.parse(text, fuzzy=False, default=datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def date_from_url(url: str | None) -> date | None:
    """The /2022/06/16/ (or /2025/05/) date in a news URL path; day 1 when only the month is given."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    except ValueError:
        return None


def date_from_dateline(text: str) -> date | None:
    """A dateline or a 'Published: …' stamp in the first lines of an article body.

    A publication stamp wins over a dateline, which wins over an 'Updated …' stamp (that is when the
    page changed, not when the story came out).
    """
    head = text[:400]
    stamps = {m.group("kind").lower(): m.group("day") for m in reversed(list(_STAMP.finditer(head)))}
    for kind in ("published", "posted"):
        if kind in stamps:
            return parse_date(stamps[kind])
    match = _DATELINE.search(head)
    if match:
        return parse_date(match.group(1))
    updated = stamps.get("updated") or next((v for k, v in stamps.items() if k.endswith("updated")), None)
    return parse_date(updated) if updated else None
