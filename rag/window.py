"""A windowed question's sentences: which are the window's news, and which only its background (and, for a
question without a window, which pick is older news than the best sentence).

"What happened this week?" is answered from the week's articles, but those articles also recall older
events ("Then-President Donald Trump issued a 1 a.m. ET tweet on October, 2, 2020, announcing …" in a
story on who tested positive this week). Such sentences stay quotable, since the news often turns on
them, but rank below the window's own news.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from core.models import Hit
from rag.answer_type import answer_kind
from rag.extractive import Candidate, rival
from rag.periods import stated_dates, stated_periods

if TYPE_CHECKING:
    from rag.temporal import TimeScope

# How much lower a sentence that is only the window's background ranks (a sentence's score spans about
# 0.3 to 0.9). With it, news-dev's "Which high-ranking US official tested positive for Covid-19 this
# week?" quotes "Biden tested positive for Covid-19 Thursday morning …" instead of Trump's 2020 tweet
# (docs/EVAL.md, "A window's background ranks below its news").
BACKGROUND_PENALTY = 0.2

# A sentence saying what will happen may name older dates as it does ("China will also suspend its
# initial 34% tariff … it announced on April 4, 2025"); a date a span runs from ("since 1979", "from
# 2019") measures the window's news against the past.
_WILL = re.compile(r"\b(?:will|shall|would)\b", re.IGNORECASE)
_SPAN_BEFORE = re.compile(r"\b(?:since|from)\s*$", re.IGNORECASE)
_SPAN_WORD = re.compile(r"(?:since|from)\b", re.IGNORECASE)  # "since 1979" is read with its preposition


# Asked without time words, the answer is the day's news (rag.temporal's mild preference): the model's pick from an
# article published more than OLDER_NEWS_DAYS before the extractive best's gives way to it.
OLDER_NEWS_DAYS = 30


def from_older_news(ranked: Sequence[Candidate], index: int, hits: Sequence[Hit], scope: TimeScope | None) -> bool:
    """Whether the model's pick, ranked[index], gives way to the extractive best sentence because the question has
    no time window and the pick's article is more than OLDER_NEWS_DAYS older than the best's: asked on 2022-07-28
    which popular beverage is getting a new bottle design, the model named "Coca-Cola Starlight" from an April
    article beside the day-old "Sprite will no longer be sold in green bottles"."""
    if scope is None or scope.windowed or scope.recency is None:
        return False
    best = rival(ranked, index)
    if best is None:
        return False
    picked = hits[ranked[index].hit_number - 1].document.published
    newest = hits[best.hit_number - 1].document.published
    return picked is not None and newest is not None and (newest - picked).days > OLDER_NEWS_DAYS


def dated_before_window(sentence: str, scope: TimeScope | None) -> bool:
    """Whether a sentence is about a time before the question's window: it states a date in full (a
    year at least: "in 2019", "April 2, 2025") and every such date ends before the window starts.

    Later dates do not count: news of the window often says what happens next ("will go on sale in
    2023"). Words dated by their article ("on Friday", "today") are not read: the article is in the
    window, since only articles from the window are quoted.
    """
    if scope is None or scope.since is None:
        return False
    dates = stated_dates(sentence)
    return bool(dates) and all(d.last_day < scope.since for d in dates)


def dated_outside_window(sentence: str, scope: TimeScope | None, published: date | None = None) -> bool:
    """Whether a sentence states dates and every one lies outside the question's window, before or after
    it: "On 24 March 2025, DeepSeek released …" is not January 2025's news. Without `published`, only full
    dates count (a year at least); with it, also the days, months and quarters it dates ("rose to 7.0% in
    March from 6.2% in February, its highest since March 1992" is March's news, published in April)."""
    if scope is None or not scope.windowed:
        return False
    periods = stated_periods(sentence, published)
    return bool(periods) and not any(scope.meets(first, last) for first, last in periods)


def background(sentence: str, scope: TimeScope | None, published: date | None = None) -> bool:
    """Whether a sentence is only the window's background: it states full dates, every one before the
    window and none the start of a span ("since 1979"), it does not say what will happen, and, read against
    the day its article was published, it dates nothing in the window ("The firm, founded in 2019, said on
    Tuesday …" is the week's news)."""
    if scope is None or scope.since is None or _WILL.search(sentence):
        return False
    dates = [
        d
        for d in stated_dates(sentence)
        if not _SPAN_BEFORE.search(sentence, 0, d.start) and not _SPAN_WORD.match(sentence, d.start)
    ]
    if not dates or any(d.last_day >= scope.since for d in dates):
        return False
    return published is None or not any(scope.meets(first, last) for first, last in stated_periods(sentence, published))


def of_the_window(ranked: list[Candidate], hits: list[Hit], scope: TimeScope, question: str) -> list[Candidate]:
    """The candidates a windowed question may be answered from, best first. A document published outside
    the window is quoted for a passage that states a date in it; its sentences dated only outside the
    window are another time's news ("On 24 March 2025, DeepSeek released …" for January 2025). In the
    window's own documents, dates are what the news refers back to: every sentence stays, and one that is
    only background ranks BACKGROUND_PENALTY lower, unless the question asks when (its answer is a date)."""

    def kept(c: Candidate) -> bool:
        published = hits[c.hit_number - 1].document.published
        inside = published is not None and scope.meets(published, published)
        return inside or not dated_outside_window(c.text, scope, published)

    window = [c for c in ranked if kept(c)]
    if answer_kind(question) == "date":
        return window
    scored = (
        replace(c, score=c.score - BACKGROUND_PENALTY)
        if background(c.text, scope, hits[c.hit_number - 1].document.published)
        else c
        for c in window
    )
    return sorted(scored, key=lambda c: -c.score)
