"""Time words in questions: windows for a fixed asked-on day, recency, events, and retrieval that uses them."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import rag.chain
from briefing.api import Briefing
from briefing.cli import cli
from core.request import Filters, Request
from ingest.embed import SentenceEmbedder
from rag.chain import Done
from rag.events import event_date, resolve_event, yearless
from rag.periods import stated_dates, stated_periods
from rag.temporal import (
    MILD_WEIGHT,
    STRONG_WEIGHT,
    Recency,
    TimeScope,
    parse_question,
)
from rag.text import tidy_query
from rag.window import dated_outside_window
from tests.helpers import Article, make_settings, news_library

ASKED = date(2025, 5, 14)  # a Wednesday
D = date


@pytest.mark.parametrize(
    ("question", "since", "until", "query"),
    [
        # relative to the asked-on day
        (
            "What did the US and China agree this week?",
            D(2025, 5, 8),
            D(2025, 5, 14),
            "What did the US and China agree?",
        ),
        ("What happened yesterday?", D(2025, 5, 13), D(2025, 5, 14), "What happened?"),
        ("What was announced today?", D(2025, 5, 14), D(2025, 5, 14), "What was announced?"),
        ("What changed last week?", D(2025, 5, 5), D(2025, 5, 11), "What changed?"),
        ("What changed in the last week?", D(2025, 5, 7), D(2025, 5, 14), "What changed?"),
        ("What did China announce last month?", D(2025, 4, 1), D(2025, 4, 30), "What did China announce?"),
        ("Tariff news this month", D(2025, 5, 1), D(2025, 5, 14), "Tariff news"),
        ("What did Congress pass last year?", D(2024, 1, 1), D(2024, 12, 31), "What did Congress pass?"),
        ("Chip rules in the past 3 days", D(2025, 5, 11), D(2025, 5, 14), "Chip rules"),
        ("What happened two weeks ago?", D(2025, 4, 28), D(2025, 5, 4), "What happened?"),
        ("What did Xi say on Friday?", D(2025, 5, 8), D(2025, 5, 10), "What did Xi say?"),
        ("What happened over the weekend?", D(2025, 5, 10), D(2025, 5, 12), "What happened?"),
        ("What was decided earlier this year?", D(2025, 1, 1), D(2025, 5, 14), "What was decided?"),
        ("Export curbs in the first quarter", D(2025, 1, 1), D(2025, 3, 31), "Export curbs"),
        # calendar dates and periods
        ("What tariffs were announced in March 2025?", D(2025, 3, 1), D(2025, 3, 31), "What tariffs were announced?"),
        ("What tariffs were announced in March?", D(2025, 3, 1), D(2025, 3, 31), "What tariffs were announced?"),
        (
            "What did Commerce announce on October 7, 2022?",
            D(2022, 10, 6),
            D(2022, 10, 8),
            "What did Commerce announce?",
        ),
        ("What did they agree on May 12?", D(2025, 5, 11), D(2025, 5, 13), "What did they agree?"),
        ("What did the US say on 2025-05-12?", D(2025, 5, 11), D(2025, 5, 13), "What did the US say?"),
        ("What tariffs did Biden raise in 2024?", D(2024, 1, 1), D(2024, 12, 31), "What tariffs did Biden raise?"),
        ("Chip controls in Q4 2023", D(2023, 10, 1), D(2023, 12, 31), "Chip controls"),
        # after an event of a period: from the period's start ("after last month" alone: from its end)
        (
            "What did China do after last month's tariff hike?",
            D(2025, 4, 1),
            D(2025, 5, 14),
            "What did China do tariff hike?",
        ),
        ("What happened after last month?", D(2025, 5, 1), D(2025, 5, 14), "What happened?"),
        # the possessive of a time phrase goes with it
        (
            "When did last week's baseline tariff take effect?",
            D(2025, 5, 5),
            D(2025, 5, 11),
            "When did baseline tariff take effect?",
        ),
        ("What was announced in early 2025?", D(2025, 1, 1), D(2025, 4, 30), "What was announced?"),
        # open-ended and ranges
        ("What changed since 2023?", D(2023, 1, 1), D(2025, 5, 14), "What changed?"),
        ("What tariffs were imposed since January?", D(2025, 1, 1), D(2025, 5, 14), "What tariffs were imposed?"),
        ("What were US tariffs on China before 2025?", None, D(2024, 12, 31), "What were US tariffs on China?"),
        ("What happened after March 2025?", D(2025, 4, 1), D(2025, 5, 14), "What happened?"),
        # what answered something came on its day or later
        (
            "What levy did China impose in response to the April 2, 2025 tariffs?",
            D(2025, 4, 2),
            D(2025, 5, 14),
            "What levy did China impose tariffs?",
        ),
        (
            "What did Beijing do in retaliation for the May 2024 increases?",
            D(2024, 5, 1),
            D(2025, 5, 14),
            "What did Beijing do increases?",
        ),
        ("Which tariffs applied until April 2025?", None, D(2025, 4, 30), "Which tariffs applied?"),
        ("Export controls between 2022 and 2023?", D(2022, 1, 1), D(2023, 12, 31), "Export controls?"),
        ("Tariffs from 2022 to 2024", D(2022, 1, 1), D(2024, 12, 31), "Tariffs"),
    ],
)
def test_each_expression_kind_maps_to_its_window(question: str, since: date | None, until: date, query: str) -> None:
    scope = parse_question(question, ASKED)
    assert (scope.since, scope.until) == (since, until), scope
    assert scope.query == query
    assert scope.expressions


@pytest.mark.parametrize(
    ("question", "since", "until", "query"),
    [
        ("What tariffs were set in the first half of 2025?", D(2025, 1, 1), D(2025, 6, 30), "What tariffs were set?"),
        ("What happened in H2 2024?", D(2024, 7, 1), D(2024, 12, 31), "What happened?"),
        ("What happened in the second half of the year?", D(2025, 7, 1), D(2025, 12, 31), "What happened?"),
        ("What happened in late April 2025?", D(2025, 4, 21), D(2025, 4, 30), "What happened?"),
        ("What was announced in mid-March?", D(2025, 3, 11), D(2025, 3, 20), "What was announced?"),
        ("What happened late last year?", D(2024, 9, 1), D(2024, 12, 31), "What happened?"),
        ("What did China do early this month?", D(2025, 11, 1), D(2025, 11, 10), "What did China do?"),
        ("What happened the week of May 12, 2025?", D(2025, 5, 12), D(2025, 5, 18), "What happened?"),
        ("What happened during 2023 and 2024?", D(2023, 1, 1), D(2024, 12, 31), "What happened?"),
        (
            "What tariffs were announced in May and June 2025?",
            D(2025, 5, 1),
            D(2025, 6, 30),
            "What tariffs were announced?",
        ),
        ("What did China export in the spring of 2025?", D(2025, 3, 1), D(2025, 5, 31), "What did China export?"),
        ("What happened last summer?", D(2025, 6, 1), D(2025, 8, 31), "What happened?"),  # asked in November
        ("What happened last winter?", D(2024, 12, 1), D(2025, 2, 28), "What happened?"),
        ("Storms in winter 2024", D(2023, 12, 1), D(2024, 2, 29), "Storms"),  # named for its January
        ("How did chip exports change in the 2010s?", D(2010, 1, 1), D(2019, 12, 31), "How did chip exports change?"),
        ("What changed over the past decade?", D(2015, 11, 30), D(2025, 11, 30), "What changed?"),
        ("What changed since the start of the year?", D(2025, 1, 1), D(2025, 11, 30), "What changed?"),
        ("What did the US do at the end of March?", D(2025, 3, 21), D(2025, 3, 31), "What did the US do?"),
        ("What happened on Monday, May 12?", D(2025, 5, 11), D(2025, 5, 13), "What happened?"),
        ("What did China say this morning?", D(2025, 11, 30), D(2025, 11, 30), "What did China say?"),
        # Hours count whole days back; a fortnight is 14 days, never a calendar unit, "last" or not.
        ("What did China say in the past 48 hours?", D(2025, 11, 28), D(2025, 11, 30), "What did China say?"),
        ("What did the court decide in the past hour?", D(2025, 11, 29), D(2025, 11, 30), "What did the court decide?"),
        ("What did the Fed do 48 hours ago?", D(2025, 11, 28), D(2025, 11, 29), "What did the Fed do?"),
        (
            "What did Trump announce in the last fortnight?",
            D(2025, 11, 16),
            D(2025, 11, 30),
            "What did Trump announce?",
        ),
        ("What happened over the past two fortnights?", D(2025, 11, 2), D(2025, 11, 30), "What happened?"),
        ("What did BIS release a fortnight ago?", D(2025, 11, 10), D(2025, 11, 16), "What did BIS release?"),
        # The first or last week of a named period.
        ("What did China do in the last week of May 2024?", D(2024, 5, 25), D(2024, 5, 31), "What did China do?"),
        ("What did the US do in the first week of April?", D(2025, 4, 1), D(2025, 4, 7), "What did the US do?"),
        ("What did China do in late May 2024?", D(2024, 5, 21), D(2024, 5, 31), "What did China do?"),
    ],
)
def test_halves_parts_seasons_decades_weeks_and_two_periods(
    question: str, since: date, until: date, query: str
) -> None:
    scope = parse_question(question, D(2025, 11, 30))
    assert (scope.since, scope.until, scope.query) == (since, until, query), scope


@pytest.mark.parametrize(
    "question",
    ["What happened in 2024 after March 2025?", "Tariffs from May to March 3", "News from Friday through May 2024"],
)
def test_time_words_that_contradict_each_other_make_no_window(question: str) -> None:
    scope = parse_question(question, D(2026, 6, 1))
    assert not scope.windowed and scope.query == question and not scope.expressions, scope


@pytest.mark.parametrize(
    ("question", "query"),
    [
        (
            "Adele announced new dates this week for her residency, which she postponed in January. When do they start?",
            "Adele announced new dates for her residency, which she postponed in January. When do they start?",
        ),
        (
            "The Academy apologized this week to the activist who declined the Oscar in 1973. Who is she?",
            "The Academy apologized to the activist who declined the Oscar in 1973. Who is she?",
        ),
    ],
)
def test_the_askers_week_holds_when_other_time_words_are_background(question: str, query: str) -> None:
    # Asked in July 2022, "this week" and "in January" / "in 1973" name days that never meet: the question is
    # about this week's news, and the earlier date tells what it follows.
    scope = parse_question(question, D(2022, 7, 29))
    assert (scope.since, scope.until, scope.query, scope.expressions) == (
        D(2022, 7, 23),
        D(2022, 7, 29),
        query,
        ("this week",),
    )
    # Counted back from, "this month" is no window of its own: "ten years ago this month" contradicts nothing.
    counted = parse_question("Made in China 2025 was issued ten years ago this month; by whom?", D(2025, 5, 19))
    assert not counted.windowed


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        # asked in June 2026: "January" alone would be January 2026, after the range's end
        ("How high did tariffs climb between January and April 2025?", D(2025, 1, 1), D(2025, 4, 30)),
        ("Tariffs from November to February 2025", D(2024, 11, 1), D(2025, 2, 28)),
        ("What happened from March 3 to April 9, 2025?", D(2025, 3, 3), D(2025, 4, 10)),
        ("Tariffs between May and April", None, None),  # ends before it starts: no window
    ],
)
def test_a_range_says_its_year_once(question: str, since: date | None, until: date | None) -> None:
    scope = parse_question(question, D(2026, 6, 1))
    assert (scope.since, scope.until) == (since, until), scope


@pytest.mark.parametrize(
    "question",
    [
        "What is Made in China 2025?",  # a name, not a year asked about
        "What does the CHIPS and Science Act of 2022 provide?",
        "What may happen to tariffs on steel?",  # the verb, not the month
        "What does China aim to achieve by 2030?",  # a goal in the future is a topic
        "Who founded DeepSeek?",
        "How many goals were scored in the first half?",  # a match's half, not the year's
        "What did the 1990s trade deals say?",  # a decade names the deals, as a year names an act
        "What happened in the fall of Constantinople?",
        "How many hours a day do TSMC's fabs run?",
        "Why did the 24 hours of talks fail?",
        "What happened in the last week of the talks?",  # part of the talks, not the week before the day asked
        "What was agreed in the last hour of the negotiations?",
    ],
)
def test_questions_without_time_words_get_only_the_mild_prior(question: str) -> None:
    scope = parse_question(question, ASKED)
    assert not scope.windowed and scope.event is None
    assert scope.query == question
    assert scope.recency == Recency(ASKED, MILD_WEIGHT, scope.recency.half_life_days if scope.recency else 0)


def test_recency_words_become_a_strong_preference_not_a_window() -> None:
    scope = parse_question("What is the latest on US tariffs on China?", ASKED)
    assert not scope.windowed and scope.recency is not None and scope.recency.weight == STRONG_WEIGHT
    assert scope.query == "What is on US tariffs on China?"
    assert parse_question("What did China announce in recent weeks?", ASKED).query == "What did China announce?"
    current = parse_question("What is the current US tariff on Chinese goods?", ASKED)
    assert current.recency is not None and current.recency.weight == STRONG_WEIGHT
    prior = current.recency
    assert prior.factor(D(2025, 5, 12)) > prior.factor(D(2025, 2, 1)) > prior.factor(D(2022, 8, 9)) > 1.0
    assert prior.factor(None) == 1.0  # undated: neither preferred nor hidden


def test_events_are_recognised_and_resolved_relative_to_their_day() -> None:
    scope = parse_question("What was the US tariff on Chinese goods before the Geneva talks?", ASKED)
    assert (scope.event, scope.relation) == ("the Geneva talks", "before")
    before = resolve_event(scope, D(2025, 5, 12))
    assert (before.since, before.until) == (None, D(2025, 5, 11))
    assert before.query == "What was the US tariff on Chinese goods?"
    after = resolve_event(parse_question("What did China do after the Geneva talks ended?", ASKED), D(2025, 5, 12))
    assert (after.since, after.until) == (D(2025, 5, 12), None)
    unknown = resolve_event(scope, None)  # not in the library: no window, words stay topic words
    assert not unknown.windowed and "Geneva" in unknown.query
    assert parse_question("What happened since they met?", ASKED).event is None


def test_a_stated_period_speaks_of_a_window_only_when_no_broader_than_it() -> None:
    week = parse_question("What did SMIC report this week?", D(2024, 8, 9))
    assert (week.since, week.until) == (D(2024, 8, 3), D(2024, 8, 9))
    assert week.stated_in(D(2024, 8, 6), D(2024, 8, 6))  # "on Tuesday, August 6"
    assert not week.stated_in(D(2024, 1, 1), D(2024, 12, 31))  # "in 2024": the week is in it, but so is all 2024
    assert not week.stated_in(D(2024, 7, 1), D(2024, 7, 31))  # another time
    year = parse_question("What did SMIC report in 2024?", D(2025, 6, 1))
    assert year.stated_in(D(2024, 1, 1), D(2024, 12, 31)) and year.stated_in(D(2024, 8, 1), D(2024, 8, 31))
    before = parse_question("What did SMIC report before 2024?", D(2025, 6, 1))  # open: any breadth
    assert before.stated_in(D(2023, 1, 1), D(2023, 12, 31))


def test_a_passage_stating_only_a_broader_period_is_not_the_windows_news(corpus_app: Briefing) -> None:
    # The SMIC article is undated; it says "in 2024" of a 5 nm process. Nothing in the library is from that week.
    request = Request(
        "What quarterly revenue did SMIC report in its earnings release this week?", asked_on=D(2024, 8, 9)
    )
    answer = corpus_app.ask(request)
    assert answer.abstained and answer.citations == (), answer.text


def test_an_event_is_not_dated_against_the_questions_own_dates() -> None:
    # Dates that contradict each other: no window, and the event is not looked up either.
    confused = parse_question(
        "What kind of deal did Washington and Beijing reach in January 2020 after the trade war escalated through 2019?",
        ASKED,
    )
    assert not confused.windowed and confused.event is None
    # The library dates the event after the month the question asks about: the month stands.
    scope = parse_question("What did China announce in January 2020 after the Geneva talks?", ASKED)
    assert (scope.since, scope.until, scope.event) == (D(2020, 1, 1), D(2020, 1, 31), "the Geneva talks")
    late = resolve_event(scope, D(2025, 5, 12))
    assert (late.since, late.until, late.event_day) == (D(2020, 1, 1), D(2020, 1, 31), None)
    assert "Geneva talks" in late.query
    inside = resolve_event(scope, D(2020, 1, 15))
    assert (inside.since, inside.until, inside.event_day) == (D(2020, 1, 15), D(2020, 1, 31), D(2020, 1, 15))


def test_scope_filters_keep_undated_documents_only_without_a_window() -> None:
    plain = parse_question("Who founded DeepSeek?", ASKED).filters()
    assert plain == Filters(until=ASKED, keep_undated=True)
    windowed = parse_question("What happened in 2024?", ASKED).filters(Filters(sources=("Wikipedia",)))
    assert windowed == Filters(sources=("Wikipedia",), since=D(2024, 1, 1), until=D(2024, 12, 31))
    explicit = TimeScope(ASKED, "q").filters(Filters(until=D(2024, 12, 31)))
    assert explicit.until == D(2024, 12, 31) and not explicit.keep_undated  # an explicit window stays strict


def test_stated_dates_in_text() -> None:
    found = stated_dates("On April 9, 2025, the Commission announced an 84 percent tariff.", D(2025, 4, 9))
    assert [(s.day, s.precision) for s in found] == [(D(2025, 4, 9), "day")]
    assert [(s.day, s.precision) for s in stated_dates("In 2014, the PRC government issued a policy.")] == [
        (D(2014, 1, 1), "year")
    ]
    assert [(s.day, s.precision) for s in stated_dates("issued by the cabinet in May 2015.")] == [
        (D(2015, 5, 1), "month")
    ]
    assert stated_dates("Made in China 2025's goals include 40 percent by 2020.") == []
    # News copy sometimes puts a comma after the month too: the day is still read.
    tweet = stated_dates("Trump issued a 1 a.m. ET tweet on October, 2, 2020, announcing that he had tested positive.")
    assert [(s.day, s.precision) for s in tweet] == [(D(2020, 10, 2), "day")]
    relative = stated_dates("Addressing a study session on Friday, Xi said", D(2025, 4, 28))
    assert [s.day for s in relative] == [D(2025, 4, 25)]


def test_a_passage_states_the_quarter_it_reports() -> None:
    # Quarterly results are reported after the quarter: the passage is let into a window by what it states.
    text = "It shed 200,000 subscribers in the first quarter of 2022, the company reported on Tuesday."
    assert (D(2022, 1, 1), D(2022, 3, 31)) in stated_periods(text, D(2022, 4, 19))  # beside "on Tuesday"
    assert stated_periods("Q3 2024 revenue rose; fourth-quarter 2023 sales fell.") == [
        (D(2024, 7, 1), D(2024, 9, 30)),
        (D(2023, 10, 1), D(2023, 12, 31)),
    ]
    # Without its year, after "in the", the latest such quarter begun when the passage was published.
    assert stated_periods("It expects to lose two million in the second quarter.", D(2022, 4, 19)) == [
        (D(2022, 4, 1), D(2022, 6, 30))
    ]
    quarter = parse_question("How many subscribers did Netflix lose in the first quarter of 2022?", D(2022, 4, 22))
    assert quarter.stated_in(D(2022, 1, 1), D(2022, 3, 31))


def test_a_passage_states_a_day_without_on_and_a_month_without_its_year() -> None:
    # "said … Thursday" in Monday's article is last Thursday; "7.0% in March" in April's is this March.
    said = "Costco's finance chief said during a call on its results Thursday that the price would hold."
    assert stated_periods(said, D(2022, 9, 26)) == [(D(2022, 9, 22), D(2022, 9, 22))]
    rates = "The annual inflation rate climbed to 7.0% in March from 6.2% in February, its highest since March 1992."
    periods = stated_periods(rates, D(2022, 4, 13))
    assert (D(2022, 3, 1), D(2022, 3, 31)) in periods and (D(2022, 2, 1), D(2022, 2, 28)) in periods
    assert (D(1992, 3, 1), D(1992, 3, 31)) in periods and (D(1991, 3, 1), D(1991, 3, 31)) not in periods
    assert stated_periods("Officials may act. They met thursday.", D(2022, 9, 26)) == []  # the verb; lower case
    assert stated_periods(said) == []  # nothing to read a weekday against
    # A sentence of an article published after the window is March's news when it says "in March".
    march = parse_question("What was Britain's inflation rate in March?", D(2022, 5, 30))
    assert not dated_outside_window(rates, march, D(2022, 4, 13))
    assert dated_outside_window("Inflation hit 5.5% in January.", march, D(2022, 2, 16))


def test_a_quarter_without_its_year_or_a_preposition_is_not_a_time() -> None:
    coin = parse_question(
        "The US Mint said the first quarter featuring Anna May Wong will circulate. When?", D(2022, 10, 21)
    )
    assert not coin.windowed and "first quarter" in coin.query
    assert parse_question("Export curbs in the first quarter", ASKED).windowed


def test_a_named_day_reaches_back_a_day_and_after_it_starts_on_it() -> None:
    # Hong Kong's Sunday vote is dated Saturday by a New York outlet; "after Sunday's runoff" is reported Sunday.
    sunday = parse_question("Who did the committee choose on Sunday?", D(2022, 5, 10))
    assert (sunday.since, sunday.until) == (D(2022, 5, 7), D(2022, 5, 9))
    after = parse_question("Who won after Sunday's runoff?", D(2022, 6, 24))
    assert (after.since, after.until) == (D(2022, 6, 19), D(2022, 6, 24))
    assert parse_question("What happened yesterday?", ASKED).since == D(2025, 5, 13)  # the asker's own day


# --- with the real embedder, Chroma and the sample library -----------------------------------------------


@pytest.fixture
def two_dated_articles(app: Briefing, tmp_path: Path) -> Briefing:
    added = news_library(
        app,
        tmp_path / "news",
        # The older piece repeats the question's words; the recent one answers "this week".
        Article(
            "old.md",
            "Rare earth export licences explained",
            "2025-02-20",
            "Rare earth export licences: the commerce ministry said rare earth export licences would be reviewed. "
            "The commerce ministry said rare earth export licences for magnets need new paperwork, "
            "and rare earth export licences take 45 days.",
            source="Metals Monthly",
        ),
        Article(
            "recent.md",
            "Beijing approves first magnet shipments",
            "2025-05-13",
            "China's commerce ministry said on Tuesday it had approved a first batch of rare earth export permits "
            "for European magnet makers, easing shortages at car plants.",
        ),
        Article(
            "plant.md",
            "Kumamoto plant history",
            "2019-03-04",
            "The Kumamoto wafer plant was founded in 1998 by a joint venture of two electronics makers. "
            "It first produced 200 mm wafers for car makers.",
            source="Chip Weekly",
        ),
        Article(
            "expansion.md",
            "Kumamoto plant to expand",
            "2025-05-10",
            "The Kumamoto wafer plant will add a second building next year, its owner said, "
            "as demand for car chips recovers.",
            source="Chip Weekly",
        ),
    )
    assert len(added) == 4
    return app


def test_this_week_prefers_the_recent_article_over_an_older_one_with_more_word_overlap(
    two_dated_articles: Briefing,
) -> None:
    app = two_dated_articles
    question = "What did the commerce ministry say about rare earth export licences this week?"
    timeless = app.retrieve(Request(question, temporal=False), k=4)
    assert timeless[0].document.title == "Rare earth export licences explained"  # word overlap wins without dates
    hits = app.retrieve(Request(question, asked_on=ASKED), k=4)
    assert hits and hits[0].document.title == "Beijing approves first magnet shipments"
    # The week's articles first; older ones may follow (a window bends), never ahead of them.
    inside = [bool(h.document.published and h.document.published >= D(2025, 5, 8)) for h in hits]
    assert inside == sorted(inside, reverse=True)
    answer = app.ask(Request(question, asked_on=ASKED))
    assert not answer.abstained
    assert {c.title for c in answer.citations} == {"Beijing approves first magnet shipments"}
    # The same question asked in March finds that week empty and says so, with the window.
    march = app.ask(Request(question, asked_on=D(2025, 3, 30)))
    assert march.abstained
    assert march.text.startswith("The library has no source published 2025-03-24 to 2025-03-30 on “")
    # A week that has articles, none of them on the question, is not said to be empty.
    wheat = app.ask(Request("How much did wheat prices rise in Kansas this week?", asked_on=ASKED))
    assert wheat.abstained
    assert wheat.text.startswith("The library’s sources published 2025-05-08 to 2025-05-14 do not answer “How much")


def test_undated_question_still_finds_the_older_source_that_answers_it(two_dated_articles: Briefing) -> None:
    answer = two_dated_articles.ask(Request("When was the Kumamoto wafer plant founded?", asked_on=ASKED))
    assert not answer.abstained
    assert "1998" in answer.text
    assert answer.citations[0].title == "Kumamoto plant history"


def test_recency_does_not_lift_a_passage_far_from_the_question(corpus_app: Briefing) -> None:
    # Asked seven weeks after the DeepSeek article's revision, without time words: the mild recency
    # preference used to put a DeepSeek passage (cosine 0.38) first, above the passage on China's AI
    # plans (0.71) that answers, and the answer then named DeepSeek's "2021".
    request = Request("By what year did China aim to become a global AI leader?", asked_on=D(2026, 6, 1))
    hits = corpus_app.retrieve(request, k=6)
    assert hits[0].document.title == "Artificial intelligence industry in China", [h.document.title for h in hits]
    answer = corpus_app.ask(request)
    assert "2030" in answer.text, answer.text


def test_same_question_on_different_days_reads_that_week(corpus_app: Briefing) -> None:
    question = "What tariff did the White House announce on Chinese goods this week?"
    expected = {
        D(2025, 2, 3): D(2025, 2, 1),
        D(2025, 4, 10): D(2025, 4, 9),
        D(2025, 5, 14): D(2025, 5, 12),
    }
    for asked_on, published in expected.items():
        hits = corpus_app.retrieve(Request(question, asked_on=asked_on), k=5)
        assert hits and {h.document.published for h in hits} == {published}, asked_on
    # Without time handling the three days get one and the same mixed list.
    timeless = corpus_app.retrieve(Request(question, temporal=False), k=5)
    assert len({h.document.published for h in timeless}) > 1


def test_before_an_event_uses_the_day_the_library_dates_it(corpus_app: Briefing) -> None:
    assert event_date(corpus_app.library, "the Geneva talks", D(2025, 6, 1)) == D(2025, 5, 12)
    assert event_date(corpus_app.library, "the Geneva talks", D(2025, 5, 1)) is None  # not yet reported
    question = "What was the US tariff on Chinese goods before the Geneva talks?"
    scope = corpus_app.plan(Request(question, asked_on=D(2025, 6, 1))).scope
    assert scope is not None
    assert (scope.event_day, scope.until) == (D(2025, 5, 12), D(2025, 5, 11))
    hits = corpus_app.retrieve(Request(question, asked_on=D(2025, 6, 1)), k=6)
    assert hits
    for hit in hits:
        published = hit.document.published
        stated = [s.day for s in stated_dates(hit.chunk.text, published)]
        assert (published and published <= scope.until) or any(d <= scope.until for d in stated)
    assert hits[0].document.published and hits[0].document.published < D(2025, 5, 12)


def test_a_year_asked_about_finds_a_later_report_that_states_it(corpus_app: Briefing) -> None:
    question = "What did the PRC government issue in 2014?"
    hits = corpus_app.retrieve(Request(question, asked_on=D(2025, 9, 1)), k=4)
    assert hits and "In 2014, the PRC government issued" in hits[0].chunk.text
    answer = corpus_app.ask(Request(question, asked_on=D(2025, 9, 1)))
    assert not answer.abstained and "2014" in answer.text


def test_a_later_report_stating_the_year_ranks_among_the_years_own_passages(corpus_app: Briefing) -> None:
    # The 2025 fact sheet's "… deficit with China was $295.4 billion in 2024" is the library's closest passage to
    # the question, but the 2024 fact sheet's passages were ranked against each other alone and came first: it was
    # not among the twelve best. Now it is among the six an answer reads.
    question = "How big was the US goods trade gap with China in 2024?"
    hits = corpus_app.retrieve(Request(question, asked_on=D(2025, 9, 1)))
    assert any("$295.4 billion in 2024" in h.chunk.text for h in hits), [h.chunk.text[:80] for h in hits]
    answer = corpus_app.ask(Request(question, asked_on=D(2025, 9, 1)))
    assert not answer.abstained and "$295.4 billion" in answer.text, answer.text


@pytest.mark.parametrize(
    ("words", "without_year"),
    [
        ("on April 9", True),
        ("in March", True),
        ("in mid-March", True),
        ("in the first quarter", True),
        ("this summer", False),  # the asker's own
        ("last March", False),
        ("in March 2025", False),
        ("this week", False),
        ("two weeks ago", False),
    ],
)
def test_a_calendar_time_said_without_its_year_is_told(words: str, without_year: bool) -> None:
    assert yearless(words) is without_year


def test_a_day_said_without_its_year_is_the_latest_the_library_can_speak_of(corpus_app: Briefing) -> None:
    # Asked in December 2026, "May 12" first reads as 2026's; the library holds nothing published since then,
    # so the asker means the Geneva statement of 2025-05-12, and the answer says how it read the words.
    question = "What did the US and China agree on May 12?"
    late = corpus_app.plan(Request(question, asked_on=D(2026, 12, 2))).scope
    assert late is not None and (late.since, late.until) == (D(2025, 5, 11), D(2025, 5, 13))
    answer = corpus_app.ask(Request(question, asked_on=D(2026, 12, 2)))
    assert not answer.abstained and "115%" in answer.text, answer.text
    assert answer.notes == ("“on May 12” read as 2025’s: no document searched was published since 2026-05-11",)
    # Asked in June 2025, the words mean that year's May 12, as they say.
    early = corpus_app.plan(Request(question, asked_on=D(2025, 6, 1))).scope
    assert early is not None and early.since == D(2025, 5, 11) and early.moved_from is None
    assert not corpus_app.ask(Request(question, asked_on=D(2025, 6, 1))).notes
    # A month the library has later reports from keeps its year: the April 2026 article tells of February 2026.
    february = corpus_app.plan(
        Request("Who accused DeepSeek in February of using fake accounts?", asked_on=D(2026, 12, 2))
    )
    assert february.scope is not None and february.scope.since == D(2026, 2, 1)
    # Asked of one outlet, its own documents decide: the library has April 2026 articles, the White House none.
    question = "What did President Trump declare on April 2?"
    whole = corpus_app.plan(Request(question, asked_on=D(2026, 12, 2))).scope
    assert whole is not None and whole.since == D(2026, 4, 1)
    house = Request(question, asked_on=D(2026, 12, 2), filters=Filters(sources=("The White House",)))
    own = corpus_app.plan(house).scope
    assert own is not None and (own.since, own.moved_from) == (D(2025, 4, 1), D(2026, 4, 1))
    assert "national emergency" in corpus_app.ask(house).text
    # And a day no year of the library holds anything from is left as said, and refused as before.
    july = corpus_app.ask(Request("What did China announce on July 4?", asked_on=D(2026, 12, 2)))
    assert july.abstained and "2026-07-03" in july.text, july.text


def test_a_day_said_without_its_year_that_no_source_of_its_year_answers_is_asked_of_the_year_before(
    corpus_app: Briefing, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The library holds April 2026 articles (on DeepSeek), so "on April 2" reads as 2026's; none of them says what
    # Trump declared, and the White House's fact sheet of 2025-04-02 does: that answer stands, and says so.
    request = Request("What did President Trump declare on April 2?", asked_on=D(2026, 12, 2))
    planned = corpus_app.plan(request).scope
    assert planned is not None and planned.since == D(2026, 4, 1)
    *_, done = corpus_app.stream(request)
    assert isinstance(done, Done) and done.scope is not None
    assert not done.answer.abstained and "national emergency" in done.answer.text, done.answer.text
    assert done.answer.notes == ("“on April 2” read as 2025’s: no document searched answers it for 2026",)
    assert (done.scope.since, done.scope.until, done.scope.moved_from) == (D(2025, 4, 1), D(2025, 4, 3), D(2026, 4, 1))
    assert {c.published for c in done.answer.citations} == {"2025-04-02"}
    # What no year the library holds answers is refused for the year the words first read as.
    football = corpus_app.ask(Request("Which football team won the league on April 2?", asked_on=D(2026, 12, 2)))
    assert football.abstained and "2026-04-01 to 2026-04-03" in football.text and not football.notes
    # A window its own year answers keeps it ("in February": the April 2026 article tells of February 2026).
    february = corpus_app.ask(
        Request("Who accused DeepSeek in February of using fake accounts?", asked_on=D(2026, 12, 2))
    )
    assert "Anthropic" in february.text and not february.notes, february.text
    # Asked of no earlier year, the first reading's refusal stands.
    monkeypatch.setattr(rag.chain, "EARLIER_YEARS", 0)
    assert corpus_app.ask(request).abstained


def test_cli_ask_asked_on(corpus_library: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(corpus_library, folder)
    runner = CliRunner()
    args = ["--data-dir", str(folder), "ask", "--asked-on", "2025-05-14", "What did the US and China agree this week?"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (
        "(reading documents published 2025-05-08 to 2025-05-14, and passages that state a date in it: this week)"
        in result.stderr
    )
    assert "Sources:" in result.stdout and "2025-05-12" in result.stdout
    assert "2022" not in result.stdout.split("Sources:")[1]


def test_cli_plans_a_question_once_and_shows_the_scope_it_used(
    corpus_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rag.events

    lookups: list[str] = []
    real = rag.events.event_date

    def counted(library: object, phrase: str, asked_on: date) -> date | None:
        lookups.append(phrase)
        return real(library, phrase, asked_on)  # type: ignore[arg-type]

    monkeypatch.setattr(rag.events, "event_date", counted)
    folder = tmp_path / "lib"
    shutil.copytree(corpus_library, folder)
    question = "What was the US tariff on Chinese goods before the Geneva talks?"
    result = CliRunner().invoke(cli, ["--data-dir", str(folder), "ask", "--asked-on", "2025-06-01", question])
    assert result.exit_code == 0, result.output
    assert lookups == ["the Geneva talks"]  # the library search that dates the event runs once
    assert (
        "(reading documents published up to 2025-05-11, and passages that state a date in it: before the Geneva talks)"
        in result.stderr
    )


def eval_set(folder: Path, records: list[dict[str, str]], question: dict[str, object]) -> Path:
    """An eval folder as `briefing eval` reads it: the articles in corpus.jsonl, one question in queries.jsonl."""
    folder.mkdir()
    (folder / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (folder / "queries.jsonl").write_text(json.dumps(question) + "\n")
    return folder


def test_eval_scores_retrieval_with_and_without_temporal_handling(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    records = [
        {
            "id": "old",
            "title": "Rare earth export licences explained",
            "date": "2025-02-20",
            "text": "The commerce ministry said rare earth export licences would be reviewed. The commerce ministry "
            "said rare earth export licences for magnets need new paperwork.",
        },
        {
            "id": "new",
            "title": "Beijing approves first magnet shipments",
            "date": "2025-05-13",
            "text": "China's commerce ministry said it had approved a first batch of rare earth export permits "
            "for European magnet makers.",
        },
    ]
    question = {
        "id": "q1",
        "question": "What did the commerce ministry say about rare earth export licences this week?",
        "answers": ["approved a first batch of rare earth export permits"],
        "gold_ids": ["new"],
        "question_date": "2025-05-14",
    }
    folder = eval_set(tmp_path / "news-set", records, question)
    from briefing.evaluate import evaluate

    settings = make_settings(tmp_path / "data")
    on = evaluate(folder, settings, embedder=embedder)
    off = evaluate(folder, settings, embedder=embedder, temporal=False)
    assert on.metrics["retrieval_recall@1"] == 1.0 and on.metrics["answers_citing_gold"] == 1.0
    assert off.metrics["retrieval_recall@1"] == 0.0
    assert on.options["temporal"] is True and "temporal handling off" in off.markdown()


def test_eval_ranks_documents_as_the_answer_was_searched_when_it_came_from_an_earlier_year(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    # "On April 2", asked in December 2026, first reads as 2026's, whose one article answers nothing; the answer
    # comes from 2025's declaration, and recall is taken on that search, not the first reading's.
    records = [
        {
            "id": "declared",
            "title": "President declares a national emergency over trade deficits",
            "date": "2025-04-02",
            "text": "The President declared a national emergency on April 2, the White House said, and imposed a "
            "10% tariff on all countries.",
        },
        {
            "id": "chips",
            "title": "Chip maker opens a new plant",
            "date": "2026-04-02",
            "text": "A chip maker opened a new plant on the outskirts of the city, hiring 400 engineers.",
        },
    ]
    question = {
        "id": "q1",
        "question": "What did the President declare on April 2?",
        "answers": ["a national emergency"],
        "gold_ids": ["declared"],
        "question_date": "2026-12-02",
    }
    folder = eval_set(tmp_path / "declared", records, question)
    from briefing.evaluate import evaluate

    records_seen: list[dict[str, object]] = []
    scores = evaluate(folder, make_settings(tmp_path / "data"), embedder=embedder, details=records_seen.append)
    (record,) = records_seen
    assert record["contains"] is True and record["gold_rank"] == 1, (record["answer"], record["gold_rank"])
    assert scores.metrics["retrieval_recall@1"] == 1.0


def test_dates_from_stamps_and_day_first_datelines_reach_sources_and_citations(app: Briefing, tmp_path: Path) -> None:
    folder = tmp_path / "scraped"
    folder.mkdir()
    (folder / "stamp.txt").write_text(
        "Updated: 14 May 2025\nPublished: 12 May 2025\n\n"
        "Chinese regulators approved gallium export licences for three European firms, officials said.\n",
        encoding="utf-8",
    )
    (folder / "dateline.txt").write_text(
        "BEIJING, 9 April 2025 - China raised its tariff on American soybeans to 84 percent, the ministry said.\n",
        encoding="utf-8",
    )
    assert len(app.ingest([folder]).added) == 2
    published = {Path(d.path or "").name: d.published for d in app.documents()}
    assert published == {"stamp.txt": D(2025, 5, 12), "dateline.txt": D(2025, 4, 9)}
    answer = app.ask(Request("Which firms got gallium export licences in May 2025?", asked_on=ASKED))
    assert not answer.abstained and answer.citations[0].published == "2025-05-12"


# Each: an older article whose sentence is as close to the question as the week's article, or closer; the
# week's article, which answers; the question (asked without time words) and the day it is asked.
_OLDER_AND_THIS_WEEKS = [
    pytest.param(
        # A 2020 sentence as close to the question as this week's.
        Article(
            "old.md",
            "Coronavirus travel advisory",
            "2020-02-01",
            "The World Health Organization declared the coronavirus outbreak a public health emergency of "
            "international concern on Thursday. Airlines cancelled flights to mainland China.",
        ),
        Article(
            "recent.md",
            "WHO to meet again on monkeypox",
            "2022-07-06",
            "As monkeypox cases keep rising worldwide, officials at the World Health Organization will reconsider "
            "whether the outbreak should be declared a public health emergency. Its committee meets within two weeks.",
        ),
        "Which virus is making officials at the World Health Organization reconsider whether they should "
        "declare a public health emergency?",
        D(2022, 7, 8),
        "monkeypox",
        id="years-old",
    ),
    pytest.param(
        # Last month's sentence, closer to the question than this week's (it says "bottle design").
        Article(
            "older.md",
            "Soda maker unveils a limited-edition flavour",
            "2022-06-14",
            "Last month, the soda maker announced a new limited-edition beverage in a new bottle design, a red "
            "version of its iconic cola. It is sold for a limited time.",
        ),
        Article(
            "recent.md",
            "Lemon-lime soda drops its green bottle",
            "2022-07-27",
            "After more than 60 years, the popular soda Sprite will drop its green bottles. The lemon-lime soda "
            "will move to clear plastic from August 1, the company said.",
        ),
        "After more than 60 years, which popular beverage is getting a new bottle design?",
        D(2022, 7, 28),
        "Sprite",
        id="last-month",
    ),
]


@pytest.mark.parametrize(("older", "recent", "question", "asked_on", "answer_word"), _OLDER_AND_THIS_WEEKS)
def test_without_time_words_the_sentence_of_the_days_news_answers_before_an_older_close_one(
    app: Briefing, tmp_path: Path, older: Article, recent: Article, question: str, asked_on: D, answer_word: str
) -> None:
    # A question asked without time words prefers the week's news in its sentences as in its passages.
    news_library(app, tmp_path / "news", older, recent)
    answer = app.ask(Request(question, asked_on=asked_on))
    assert not answer.abstained
    assert answer.citations[0].title == recent.title
    assert answer_word in answer.text.split("[1]")[0]
    # Asked years later, both are old news and closeness alone decides.
    later = app.ask(Request(question, asked_on=D(2026, 12, 2)))
    assert later.citations[0].title == older.title


# Shortages of other products in earlier years, each in the question's words: they put the week's
# article, which answers in its own words, about twenty places down both rankings.
_SCARCE = (
    *("paper towels", "toothpaste", "canned tomatoes", "bicycles", "hand sanitizer", "flour", "yeast"),
    *("dumbbells", "chlorine tablets", "ketchup packets", "sriracha", "cream cheese", "tampons", "aluminum cans"),
    *("propane tanks", "lumber", "pet food", "diapers", "eggs", "chicken wings", "oat milk"),
)


def test_without_time_words_the_weeks_article_comes_before_an_older_one_in_the_questions_words(
    app: Briefing, tmp_path: Path
) -> None:
    older = Article(
        "older.md",
        "What to know about the toilet paper shortage",
        "2022-05-20",
        "Toilet paper remains difficult to find in many US stores due to a nationwide shortage, "
        "as shoppers stock up again and mills run short of pulp.",
    )
    recent = Article(
        "recent.md",
        "Parents still hunt for formula",
        "2022-07-14",
        "Months after the recall that shut the largest plant, baby formula is still hard to find, "
        "a shortage that leaves pharmacy shelves empty across the country.",
    )
    earlier = [
        Article(
            f"scarce-{i}.md",
            f"{product.title()} in short supply",
            f"{2019 + i % 3}-0{1 + i % 9}-1{i % 9}",
            f"Shoppers in many US stores could not find {product} on the shelves during a shortage, "
            "store managers said.",
        )
        for i, product in enumerate(_SCARCE)
    ]
    news_library(app, tmp_path / "news", older, recent, *earlier)
    question = "Which product remains difficult to find in many US stores due to a nationwide shortage?"
    # Without its day, the May article's words decide: it is first in both rankings, the week's about 20th.
    timeless = app.retrieve(Request(question, temporal=False), k=30)
    assert timeless[0].document.title == older.title
    ranks = [(h.dense_rank, h.sparse_rank) for h in timeless if h.document.title == recent.title]
    assert ranks and min(ranks[0]) > 15, ranks  # type: ignore[type-var]
    # Asked the next week, that week's article comes first.
    hits = app.retrieve(Request(question, asked_on=D(2022, 7, 21)), k=3)
    assert hits[0].document.title == recent.title, [(h.document.title, round(h.score, 5)) for h in hits]
    # Asked years later, both are old news and the closer words decide again.
    later = app.retrieve(Request(question, asked_on=D(2026, 12, 2)), k=3)
    assert later[0].document.title == older.title


def test_recency_words_prefer_recent_news_at_no_age_less_than_no_time_words() -> None:
    mild = parse_question("Which product is hard to find?", ASKED).recency
    strong = parse_question("Which product is hard to find now?", ASKED).recency
    assert mild is not None and strong is not None and strong.weight == STRONG_WEIGHT
    for days in range(0, 400, 5):
        published = D.fromordinal(ASKED.toordinal() - days)
        assert strong.factor(published) >= mild.factor(published), days


@pytest.mark.parametrize(
    ("left", "tidied"),
    [
        ("What did Xi say in ?", "What did Xi say?"),  # the preposition of a time phrase taken out, and its space
        ("What did the Commerce Department do during the ?", "What did the Commerce Department do?"),
        ("What tariffs did Biden raise  ?", "What tariffs did Biden raise?"),
        ("What did China do last week 's tariff hike?", "What did China do last week tariff hike?"),
        # A word that only ends like a preposition stays.
        ("Who won in Boston?", "Who won in Boston?"),
        ("What is the plan for Beijing?", "What is the plan for Beijing?"),
    ],
)
def test_a_query_without_its_time_words_is_tidied(left: str, tidied: str) -> None:
    assert tidy_query(left) == tidied


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        # a year inside a sentence that sets the scene dates its background, not the news asked about
        ("A rocket launched in 2015 is on course to hit the moon. On what date is the impact expected?", None, None),
        ("Ikea was not serving them when it opened its cafe in 1953. In what year did meatballs arrive?", None, None),
        ("A meteor which struck Earth in January 2014 was interstellar. Where did it come down?", None, None),
        # a scene that opens with its time is dated by it; so is the asking sentence
        ("In May 2025, the two sides met in Geneva. What did they agree?", D(2025, 5, 1), D(2025, 5, 31)),
        ("The two sides met in Geneva. What did they agree in May 2025?", D(2025, 5, 1), D(2025, 5, 31)),
        ("What did the two sides agree in Geneva in May 2025?", D(2025, 5, 1), D(2025, 5, 31)),
        # the asker's own days in the scene still are the window
        ("The two sides met in Geneva this week. What did they agree?", D(2025, 8, 3), D(2025, 8, 9)),
        # a question before the asking one asks of its year too, and a search that asks nothing sets no scene
        ("What did the two sides agree in Geneva in May 2025? What followed?", D(2025, 5, 1), D(2025, 5, 31)),
        ("Tariffs the two sides agreed in May 2025. Geneva statement.", D(2025, 5, 1), D(2025, 5, 31)),
    ],
)
def test_a_year_in_the_scene_is_background(question: str, since: D | None, until: D | None) -> None:
    scope = parse_question(question, D(2025, 8, 9))
    assert (scope.since, scope.until) == (since, until), scope
    if since is None:
        assert scope.query == question  # its years stay words to match


def test_a_question_whose_scene_names_an_old_year_is_answered_from_the_weeks_news(
    app: Briefing, tmp_path: Path
) -> None:
    launch = Article(
        "launch.md",
        "Falcon 9 carries deep space weather satellite",
        "2015-02-12",
        "A SpaceX Falcon 9 rocket lifted off from Cape Canaveral on Feb. 11, 2015, carrying the Deep Space "
        "Climate Observatory. The rocket's second stage was left in a high orbit after the launch.",
    )
    impact = Article(
        "impact.md",
        "Old SpaceX rocket stage will hit the moon",
        "2022-01-26",
        "The upper stage of a SpaceX Falcon 9 rocket that has drifted in space for seven years is on course to "
        "crash into the far side of the moon. The second stage is expected to impact the moon on March 4, "
        "astronomers said.",
    )
    news_library(app, tmp_path / "news", launch, impact)
    question = (
        "The second stage of a SpaceX Falcon 9 rocket launched in 2015 is on course to crash into the far side "
        "of the moon. On what date is the impact expected?"
    )
    answer = app.ask(Request(question, asked_on=D(2022, 1, 28)))
    assert not answer.abstained
    assert {c.title for c in answer.citations} == {impact.title}
    assert "March 4" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        # days of one story that only overlap: the window spans them, not the day they share
        (
            "The adviser announced on Monday that she had tested positive, adding that she had last seen the "
            "President on Wednesday. Who is she?",
            D(2022, 5, 8),
            D(2022, 5, 12),
        ),
        (
            "A storm hit the coast over the weekend. As of Friday, how many people were under an alert?",
            None,
            D(2022, 5, 9),
        ),
    ],
)
def test_days_of_one_story_are_spanned(question: str, since: D | None, until: D | None) -> None:
    scope = parse_question(question, D(2022, 5, 12))
    assert (scope.since, scope.until) == (since, until), scope


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("What did the Fed announce on May 4 in May 2022?", "What did the Fed announce on May 4?"),
        ("What did the Fed announce in the first week of May on May 4?", "What did the Fed announce on May 4?"),
    ],
)
def test_a_day_within_a_wider_period_is_the_day(question: str, day: str) -> None:
    scope, alone = parse_question(question, D(2022, 5, 12)), parse_question(day, D(2022, 5, 12))
    assert len(scope.expressions) == 2, scope
    assert (scope.since, scope.until) == (alone.since, alone.until), scope


def test_a_question_naming_two_days_of_a_story_is_answered_from_the_first_days_article(
    app: Briefing, tmp_path: Path
) -> None:
    rice = Article(
        "rice.md",
        "Domestic policy adviser tests positive for Covid-19",
        "2022-05-09",
        "White House domestic policy adviser Susan Rice has tested positive for Covid-19, she announced Monday. "
        "Rice said she last saw President Joe Biden in person on Wednesday, masked, and is not a close contact.",
    )
    gas = Article(
        "gas.md",
        "Gas prices jump to a record high",
        "2022-05-10",
        "The national average price of gasoline rose to a record on Tuesday, the motoring club said. Diesel also "
        "reached a record, and the White House said it was working to bring prices down.",
    )
    news_library(app, tmp_path / "news", rice, gas)
    question = (
        "The White House's domestic policy adviser announced on Monday that she had tested positive for Covid-19, "
        "adding that she had last seen President Biden, masked, on Wednesday. Who is she?"
    )
    answer = app.ask(Request(question, asked_on=D(2022, 5, 12)))
    assert not answer.abstained, answer.text
    assert {c.title for c in answer.citations} == {rice.title}
    assert "Susan Rice" in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        "How much more could a Super Bowl party cost than it did last year?",
        "Did prices rise more than last month?",
        "Prices are higher compared with last year. Why?",
    ],
)
def test_a_period_compared_with_is_no_window(question: str) -> None:
    scope = parse_question(question, D(2022, 2, 11))
    assert not scope.windowed and scope.query == question, scope
