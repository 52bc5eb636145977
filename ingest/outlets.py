"""Outlet names for well-known news domains, so 'Source: https://www.scmp.com' reads as an outlet."""

from __future__ import annotations

from urllib.parse import urlparse

_KNOWN = {
    "scmp.com": "South China Morning Post",
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "nytimes.com": "The New York Times",
    "wsj.com": "The Wall Street Journal",
    "ft.com": "Financial Times",
    "bloomberg.com": "Bloomberg",
    "theguardian.com": "The Guardian",
    "washingtonpost.com": "The Washington Post",
    "economist.com": "The Economist",
    "cnbc.com": "CNBC",
    "cnn.com": "CNN",
    "xinhuanet.com": "Xinhua",
    "globaltimes.cn": "Global Times",
    "caixinglobal.com": "Caixin",
    "nikkei.com": "Nikkei Asia",
    "whitehouse.gov": "The White House",
    "bidenwhitehouse.archives.gov": "The White House",
    "bis.gov": "Bureau of Industry and Security",
    "bis.doc.gov": "Bureau of Industry and Security",
    "congress.gov": "U.S. Congress",
    "everycrsreport.com": "Congressional Research Service",
    "wikipedia.org": "Wikipedia",
}


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def outlet_for(url: str | None) -> str | None:
    """The outlet behind a URL: a known name, else the bare host name."""
    host = host_of(url)
    if host is None:
        return None
    parts = host.split(".")
    for k in range(len(parts) - 1):
        name = _KNOWN.get(".".join(parts[k:]))
        if name:
            return name
    return host
