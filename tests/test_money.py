"""An amount asked for is answered by a sentence that states one: a sum of money in a currency, or a refusal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.request import Request
from rag.abstain import figure_unstated
from rag.answer_type import (
    answer_kind,
    asks_a_rate,
    asks_how_much,
    asks_money,
    holds_answer,
)
from rag.rates import bare_number_for_a_rate
from tests.helpers import HEADLINE_ASKED_ON, HEADLINE_SCENE, Article, assert_refused, beside_another_story, news_library
from tests.test_reader import as_local_model


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("How much prize money did the champion earn?", True),
        ("How much did the baseball card sell for?", True),
        ("How much was Instagram fined this week?", True),
        ("How much does the CHIPS and Science Act appropriate?", True),
        ("What was SMIC's revenue in 2024?", True),  # "revenue" asks for an amount, as "price" does
        ("The skeleton went under the hammer this week. How much did it sell for?", True),
        ("how much damage did hurricane harvey cause", True),  # storm damage is counted in money
        ("How much damage was done to the bridge?", True),
        ("What damage did the storm do to the pier?", False),  # what was damaged, not its cost
        # A rate, a share or a count is no sum, even where money is spoken of.
        ("By how much did the US and China agree to lower tariffs in Geneva?", False),
        ("How much did the tariff on steel rise?", False),
        ("What investment tax credit does the act give?", False),
        ("How many businesses paid the tariffs?", False),
        ("What share of its sales come from China?", False),
        ("How old was she?", False),
        ("How much does the bridge span?", False),  # a length, not what was spent
        ("How much did the price of eggs rise this year?", False),  # a change may be a percentage
        ("How much funding did the start-up raise?", True),  # unless it is money that moved
        ("How much more could a Super Bowl party cost than it did last year?", False),  # a difference: "14% higher"
        ("How much less did the tickets cost than last year?", False),
        ("How much more money did the campaign raise than last year?", True),
        ("Minions: The Rise of Gru set a record. How much did it earn over its opening?", True),  # the scene's "Rise"
    ],
)
def test_a_question_that_asks_for_a_sum_of_money(question: str, money: bool) -> None:
    assert asks_money(question) is money


def test_revenue_and_sales_are_amounts() -> None:
    assert answer_kind("What was SMIC's revenue in 2024?") == "amount"
    assert answer_kind("What quarterly sales did the company report?") == "amount"
    assert answer_kind("What wage standard has to be paid on construction?") == "other"  # a standard, not a sum


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        ("He took home $2.6 million for the title.", True),
        ("The winner receives 2.6 million dollars.", True),
        ("Ireland fined Instagram 405 million euros ($402 million).", True),
        ("The budget rose to RMB 1 trillion.", True),
        ("He played three consecutive five-set matches on the way to the final.", False),  # a count, not a sum
        ("He won at 2:50 a.m. after the second-longest match in the tournament's history.", False),
        ("The $2.04 billion jackpot was the largest ever.", False),  # the question's own sum
    ],
)
def test_a_sum_of_money_is_said_in_a_currency(sentence: str, holds: bool) -> None:
    question = "How much prize money did the winner of the $2.04 billion jackpot draw earn?"
    assert holds_answer("amount", question, sentence) is holds


def test_a_sum_of_money_no_source_states_is_refused(app: Briefing, tmp_path: Path) -> None:
    final = Article(
        "final.md",
        "Teenager wins the national open",
        "2024-09-09",
        "The 19-year-old won the national open on Sunday, the youngest champion in 30 years. He played three "
        "consecutive five-set matches on the way to the final and beat the top seed in four sets.",
    )
    news_library(app, tmp_path / "news", final)
    asked_on = date(2024, 9, 10)
    question = "How much prize money did the 19-year-old earn for winning the national open?"
    refused = app.ask(Request(question, asked_on=asked_on))
    assert refused.abstained and "state no figure" in refused.text, refused.text
    assert refused.citations == ()
    purse = Article(
        "purse.md",
        "The open's purse",
        "2024-09-09",
        "The national open's champion took home $2.6 million in prize money, the organisers said.",
    )
    news_library(app, tmp_path / "news", purse)
    answered = app.ask(Request(question, asked_on=asked_on))
    assert not answered.abstained and "$2.6 million" in answered.text, answered.text


def test_an_amount_is_answered_by_a_read_sentence_that_states_one(app: Briefing, tmp_path: Path) -> None:
    # The sentence closest to the question restates it without a figure; the one that states how far is read too.
    record = Article(
        "record.md",
        "Paper plane record",
        "2022-05-26",
        "A trio of friends in South Korea has set a new Guinness World Record for the farthest flight by a paper "
        "aircraft. The team spent months folding and testing designs. Their plane flew 252 feet and 7 inches "
        "on its best throw, the judges said.",
    )
    news_library(app, tmp_path / "news", record)
    question = "A trio in South Korea set a new Guinness World Record for the farthest flight by a paper aircraft. "
    answer = app.ask(Request(question + "How far did their plane fly?", asked_on=date(2022, 5, 27)))
    assert not answer.abstained
    assert "252 feet" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "how_much"),
    [
        ("A trio set a record for the farthest flight by a paper aircraft. How far did their plane fly?", True),
        ("By how much did the US and China agree to lower tariffs in Geneva?", True),
        ("The Bank of England made its biggest increase in 27 years. To what level did it raise its key rate?", True),
        ("What is the US tariff arrangement with China?", False),  # an amount's word, but it may ask what it is
        ("What tariff did China put on US goods?", False),
    ],
)
def test_a_question_that_asks_how_much_in_so_many_words(question: str, how_much: bool) -> None:
    assert asks_how_much(question) is how_much


@pytest.mark.parametrize(
    ("named", "question", "bare"),
    [
        ("14256", "What tariff rate did the April 9, 2025 order set on goods from China?", True),  # an order's number
        ("125%", "What tariff rate did the April 9, 2025 order set on goods from China?", False),
        ("24 percentage points", "What duty did the statement suspend?", False),
        ("18", "How many key allies face no restrictions?", False),  # a count asked for
        ("2021", "When did China publish its Data Security Law?", False),
    ],
)
def test_a_bare_number_is_no_rate(named: str, question: str, bare: bool) -> None:
    assert bare_number_for_a_rate(named, question) is bare


def test_the_local_models_order_number_does_not_lead_a_rate(corpus_app: Briefing) -> None:
    # The sentence amends "Executive Order 14256 …, from 90 percent to 120 percent": its number is no rate, whether
    # the model names it or the figure after the question's word "order" would replace the model's rate.
    question = "What tariff rate did the April 9, 2025 order set on goods from China?"
    as_local_model(corpus_app, " 14256\n")
    named = corpus_app.ask(question)
    assert not named.abstained and named.lead is None, named.text
    as_local_model(corpus_app, " 120 percent\n")
    rate = corpus_app.ask(question)
    assert rate.lead == "120 percent", rate.text


def test_a_sum_only_sentences_past_the_read_ones_state_is_not_an_answer(corpus_app: Briefing) -> None:
    # The DeepSeek article states sums (a training cost, a valuation elsewhere), but none of the sentences read for
    # "What revenue …?" states one; the best of them tells of a model release. Refused rather than quoted.
    asked_on = date(2026, 6, 1)
    refused = corpus_app.ask(Request("What revenue did DeepSeek report for 2025?", asked_on=asked_on))
    assert refused.abstained and "state no figure" in refused.text, refused.text
    # A sum the read sentences state is still the answer.
    answered = corpus_app.ask(Request("How much did DeepSeek say it spent to train its V3 model?", asked_on=asked_on))
    assert not answered.abstained and "6 million" in answered.text, answered.text


def test_a_sum_in_a_source_that_never_names_the_asked_subject_is_not_its_figure(corpus_app: Briefing) -> None:
    # The sentences read for each include a sum (a fact sheet's annual cost of counterfeit goods; the CHIPS Act's
    # $52.7 billion), from documents that never name DeepSeek, or Intel.
    asked_on = date(2026, 6, 1)
    sums = (
        "What was DeepSeek's annual revenue in 2025?",
        "How large a CHIPS Act grant did Intel end up receiving from the Commerce Department?",
    )
    assert_refused(corpus_app, sums, "state no figure", asked_on)
    # A sum in a source that names every name asked about is still the answer.
    answered = corpus_app.ask(
        Request("How much funding does the CHIPS and Science Act provide for semiconductors?", asked_on=asked_on)
    )
    assert not answered.abstained and "52.7 billion" in answered.text, answered.text


@pytest.mark.parametrize(
    ("document", "unstated"),
    [
        ("Acme Corp. makes widgets. It reported revenue of $4 billion for 2024.", False),
        ("Widgets are sold worldwide. The market was worth $4 billion in 2024.", True),  # Acme is never named
    ],
)
def test_a_figure_counts_only_from_a_source_naming_the_subject(document: str, unstated: bool) -> None:
    question = "How much revenue did Acme Corp. report for 2024?"
    sentence = document.split(". ", 1)[1]
    assert figure_unstated(question, [(sentence, document)]) == unstated


@pytest.mark.parametrize(
    ("question", "sentence", "unstated"),
    [
        # The rate sentences read name other goods than the asked ones.
        (
            "What tariff did India put on American almonds?",
            "For rice in the husk, the U.S. imposes a tariff of 2.7%, while India (80%) imposes a higher rate.",
            True,
        ),
        (
            "What tariff does India impose on passenger vehicle imports?",
            "The United States imposes a 2.5% tariff on passenger vehicle imports, while India (70%) imposes more.",
            False,
        ),
        # Goods at large are no goods named.
        ("What tariff did the President raise on Chinese goods today?", "The tariff on China rises to 125%.", False),
    ],
)
def test_a_rate_on_named_goods_is_stated_only_by_a_sentence_naming_them(
    question: str, sentence: str, unstated: bool
) -> None:
    assert figure_unstated(question, [(sentence, f"India, China and the United States. {sentence}")]) == unstated


def test_a_rate_on_goods_no_source_prices_is_refused(corpus_app: Briefing) -> None:
    # The reciprocal-tariff fact sheet compares rates on rice and passenger vehicles; none on almonds.
    answer = corpus_app.ask(Request("What tariff did India put on American almonds?", asked_on=date(2026, 6, 1)))
    assert answer.abstained and "state no figure" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "rate"),
    [
        (
            "The Bank of England made its biggest rate increase in 27 years. To what level did it raise its key rate?",
            True,
        ),
        ("How high did the average effective US tariff rate climb?", True),
        ("What tariff did China put on US goods?", True),
        ("How high did the price of eggs climb?", False),
        ("What level of support did the bill get?", False),
    ],
)
def test_a_question_that_asks_for_a_rate(question: str, rate: bool) -> None:
    assert asks_a_rate(question) is rate


def test_a_rate_asked_as_a_level_is_answered_by_the_sentence_stating_it(app: Briefing, tmp_path: Path) -> None:
    # The sentence closest to the question restates it with a count of years; the one that states the rate is read.
    hike = Article(
        "hike.md",
        "The Bank of England makes its biggest increase in 27 years",
        "2022-08-04",
        "Central bankers in the United Kingdom have announced the biggest increase in interest rates in 27 years, "
        "as spiraling inflation continues to squeeze households. The Bank of England raised the cost of borrowing "
        "by 50 basis points to 1.75%, the sixth time it has raised rates since December.",
    )
    news_library(app, tmp_path / "news", hike)
    question = (
        "The Bank of England made its biggest interest rate increase in 27 years last Thursday as UK inflation hit "
        "a four-decade high. To what level did it raise its key rate?"
    )
    answer = app.ask(Request(question, asked_on=date(2022, 8, 8)))
    assert not answer.abstained, answer.text
    assert "1.75%" in answer.text, answer.text


def test_how_much_more_something_costs_is_answered_by_a_share(app: Briefing, tmp_path: Path) -> None:
    party = Article(
        "party.md",
        "Inflation comes to the Super Bowl party",
        "2022-02-08",
        "Hosting friends for the big game will cost more this year. Wells Fargo crunched the numbers and found the "
        "price tag for your Super Bowl party could be 14% higher than last year, depending on what you serve.",
    )
    news_library(app, tmp_path / "news", party)
    question = "According to a Wells Fargo analysis, how much more could a Super Bowl party cost than it did last year?"
    answer = app.ask(Request(question, asked_on=date(2022, 2, 11)))
    assert not answer.abstained, answer.text
    assert "14%" in answer.text, answer.text


def test_an_amount_from_another_story_is_not_stood_on(app: Briefing, tmp_path: Path) -> None:
    # The closest sentence is a headline with no figure; the only read sentence stating one is far from the question.
    other = beside_another_story(app, tmp_path / "news", "The city expects to spend $325 million on the shelters.")
    answer = app.ask(Request(f"{HEADLINE_SCENE} How much was it?", asked_on=HEADLINE_ASKED_ON))
    assert "$325 million" not in answer.text, answer.text
    assert other.title not in {c.title for c in answer.citations}


def test_how_many_is_answered_by_a_count_not_by_a_share(app: Briefing, tmp_path: Path) -> None:
    # The closest sentence gives shares of the vote; the next one counts the votes asked about.
    runoff = Article(
        "runoff.md",
        "Lula beats Bolsonaro in Brazil's presidential runoff",
        "2022-10-31",
        "Lula da Silva defeated Jair Bolsonaro by a razor-thin margin in Sunday's presidential runoff, according to "
        "Brazil's electoral authority, winning 50.90% of the vote to Bolsonaro's 49.10%. The leftist former leader "
        "received more than 60 million votes, the most in Brazilian history. Bolsonaro has not yet conceded.",
    )
    news_library(app, tmp_path / "news", runoff)
    question = (
        "Lula da Silva beat Jair Bolsonaro by a razor-thin margin in Brazil's presidential runoff on Sunday. "
        "How many votes did Lula receive?"
    )
    answer = app.ask(Request(question, asked_on=date(2022, 11, 2)))
    assert "60 million votes" in answer.text, answer.text


def test_how_many_is_answered_by_the_rank_of_the_latest(app: Briefing, tmp_path: Path) -> None:
    # The closest sentence counts launches over ten days; the one giving the test's rank says how many this year.
    launch = Article(
        "launch.md",
        "North Korea fires ballistic missile over Japan",
        "2022-10-04",
        "North Korea fired a ballistic missile over Japan on Tuesday for the first time in five years, prompting a "
        "rare J-alert that told residents to take shelter. The launch comes amid a spate of missile tests, with five "
        "launches in the past 10 days. Tuesday's launch is the country's 23rd such missile test this year, "
        "including both ballistic and cruise missiles.",
    )
    news_library(app, tmp_path / "news", launch)
    question = (
        "North Korea fired a ballistic missile over Japan on Tuesday, setting off a rare J-alert. Counting both "
        "ballistic and cruise missiles, how many missile tests has the country carried out this year?"
    )
    answer = app.ask(Request(question, asked_on=date(2022, 10, 6)))
    assert "23rd" in answer.text, answer.text
