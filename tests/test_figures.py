"""Figures in short answers: a count in digits, a sum in millions, and citations that still hold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.request import Request
from ingest.embed import SentenceEmbedder
from rag.answer_type import answer_kind, holds_answer, not_the_asked_measure
from rag.cite import Verifier
from rag.figures import (
    as_figure,
    asked_figure,
    count_said,
    figure_stated,
    in_digits,
    in_scale,
    lead_figure,
    states_figures,
    values,
)
from tests.helpers import Article, news_library
from tests.test_reader import as_local_model


@pytest.mark.parametrize(
    ("count", "digits"),
    [("nine", "9"), ("Twenty-one", "21"), ("two million", "2 million"), ("11,000", "11,000"), ("dozens", "dozens")],
)
def test_a_count_in_words_is_said_in_digits(count: str, digits: str) -> None:
    assert in_digits(count) == digits


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        ("How many years is she due to serve?", "She must serve the rest of a nine-year drug sentence.", "9 years"),
        (
            "How many employees were affected?",
            "Meta will lay off 11,000 employees, about 13% of its staff.",
            "11,000 employees",
        ),
        ("How many people died?", "At least twelve people died in the fire.", "at least 12 people"),
        ("How many advanced GPUs can a buyer get?", "Buyers may buy 320,000 advanced GPUs.", "320,000 advanced GPUs"),
        ("How many percentage points did it fall?", "It fell by 24 percentage points.", "24 percentage points"),
        # The sentence's qualifier stays with its count.
        ("How many children must she have?", "It rewards women with more than 10 children.", "more than 10 children"),
        (
            "How many GPUs can be bought?",
            "Orders of up to roughly 1,700 advanced GPUs are allowed.",
            "roughly 1,700 advanced GPUs",
        ),
        # What is counted in the sentence's words, not the question's.
        ("How many close allies are exempt?", "No limits apply to 18 key allies and partners.", "18 key allies"),
        # Two counts, a share, none, one the question says, and a question that asks for no count.
        ("How many people died?", "Twelve people died and 30 people were hurt.", None),
        ("How many employees were affected?", "About 24% of employees were affected.", None),
        ("How many employees were affected?", "The company did not say.", None),
        ("How many of the 40 senators voted?", "Of the 40 senators, most voted.", None),
        ("How much did the card sell for?", "It sold for $12,600,000.", None),
    ],
)
def test_a_how_many_answer_leads_with_its_count(question: str, sentence: str, said: str | None) -> None:
    assert count_said(question, sentence) == said


@pytest.mark.parametrize(
    ("lead", "said"),
    [
        ("$12,600,000", "$12.6 million"),
        ("US$1,500,000,000", "US$1.5 billion"),
        ("$12,650,000", "$12.65 million"),
        ("$12,612,345", "$12,612,345"),  # said in millions it would lose digits
        ("$400,000", "$400,000"),
        ("12,600,000 people", "12,600,000 people"),
    ],
)
def test_a_sum_written_to_the_dollar_leads_in_millions(lead: str, said: str) -> None:
    assert in_scale(lead) == said


@pytest.mark.parametrize(
    ("question", "lead", "said"),
    [
        ("How many years is she due to serve?", "Nine", "9"),
        ("How many years is she due to serve?", "nine-year", "9 years"),
        ("How many years is she due to serve?", "11,000", "11,000"),
        ("How much did the card sell for?", "$12,600,000", "$12.6 million"),
        ("Which team won?", "Nine", "Nine"),
    ],
)
def test_a_lead_says_its_figure_as_a_report_does(question: str, lead: str, said: str) -> None:
    assert as_figure(question, lead) == said


def test_figures_are_compared_by_value() -> None:
    assert values("$12.6 million, sold in 1952") == {12_600_000.0, 1952.0}
    assert values("a nine-year sentence") == {9.0}
    assert states_figures("$12.6 million — it sold for $12,600,000", "It sold for $12,600,000 on Sunday.")
    assert states_figures("9 years — a nine-year sentence", "She must serve a nine-year sentence.")
    assert not states_figures("8 years — a nine-year sentence", "She must serve a nine-year sentence.")
    assert not states_figures("$12.7 million", "It sold for $12,600,000 on Sunday.")
    # A number inside a name is no figure: it is stated as written or not at all.
    assert not states_figures("The A2 chip is made in Taiwan.", "The A1 chip is made in Taiwan.")
    assert not states_figures("COVID-19 cases rose.", "COVID-18 cases rose.")


@pytest.fixture
def court_news(app: Briefing, tmp_path: Path) -> Briefing:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "sentence.md",
            "Former goalkeeper Ilse Vandamme sentenced for smuggling",
            "2022-11-08",
            "A court in Antwerp sentenced former goalkeeper Ilse Vandamme to a nine-year prison term for smuggling "
            "cigarettes, the prosecutor's office said on Tuesday. Her lawyer said she would appeal.\n\n"
            "Vandamme played for the national team for six seasons before she retired in 2019.",
        ),
        Article(
            "auction.md",
            "Signed 1962 cup final ball sells at auction",
            "2022-11-07",
            "A ball signed by the 1962 cup final team sold for $2,400,000 at an auction in Brussels on Sunday, "
            "the auction house said.",
        ),
    )
    return app


def test_how_many_years_leads_with_the_count_in_digits(court_news: Briefing) -> None:
    answer = court_news.ask(Request("How many years in prison did Ilse Vandamme get?", asked_on=date(2022, 11, 9)))
    assert not answer.abstained, answer.text
    assert answer.lead == "9 years", answer.text
    # The cited sentence is quoted as the court report writes it.
    assert "nine-year prison term" in answer.text
    assert answer.citations and answer.citations[0].title.startswith("Former goalkeeper")


def test_a_lead_in_other_words_is_cited_only_when_it_is_the_same_value(
    court_news: Briefing, embedder: SentenceEmbedder
) -> None:
    hits = court_news.retrieve("What did the signed 1962 cup final ball sell for?")
    sentence = "A ball signed by the 1962 cup final team sold for $2,400,000 at an auction in Brussels on Sunday"
    verifier = Verifier(embedder, 0.75)
    same = verifier.verify([f"$2.4 million — {sentence} [1]."], hits)
    assert same.citations and not same.flagged, same
    other = verifier.verify([f"$2.5 million — {sentence} [1]."], hits)
    assert not other.citations and other.flagged


APPROPRIATE = "How much does the CHIPS and Science Act appropriate?"
TRAINED = "How much does DeepSeek say it spent to train its V3 model?"
TRAINED_FOR = (
    "The company claims that it trained its V3 model for US$6 million—far less than the US$100 million cost for "
    "OpenAI's GPT-4 in 2023—and using one-tenth the computing power."
)


@pytest.mark.parametrize(
    ("question", "sentence", "asked"),
    [
        (APPROPRIATE, "The act authorizes roughly $280 billion, for which it appropriates $52.7 billion.", True),
        # The figure of a word the question does not ask with; the act is the subject, not what it takes.
        (APPROPRIATE, "The act includes $39 billion in subsidies for chip manufacturing.", False),
        (
            "By how much did each side cut its tariffs on the other?",
            "The United States and China will each lower tariffs by 115% while retaining a 10% tariff.",
            True,
        ),
        ("How much money is the attorney general seeking?", "She is seeking $250 million in funds.", True),
        # A year, and a figure the question already says, are not what it asks for.
        ("What tariff did the report on 2023 find?", "The tariff report in 2023 found no change.", False),
        ("How much did the 10% tariff raise?", "The tariff of 10% was kept.", False),
        # A name's number, or a date's day, after a capitalised word the question also says.
        (
            "What tariff rate did the April 9, 2025 order set on goods from China?",
            "This order amends Executive Order 14256 of April 2, 2025.",
            False,
        ),
        (
            "How much of the April 2 tariff did China suspend?",
            "China will suspend the tariff it set on April 4.",
            False,
        ),
        ("How much does Section 301 add?", "Section 301 adds 25 percent to the duty.", True),
        # What something was done or bought for: the figure after "for" is what the word before it took.
        (TRAINED, TRAINED_FOR, True),
        ("How much did the firm spend on chips?", "The firm was fined for $5 million.", False),
        # A date's words take no figure, though the question names the date.
        (
            "What levy did Beijing place in response to the April 2, 2025 tariffs?",
            "The United States will suspend its tariff imposed on April 2, 2025 for 90 days.",
            False,
        ),
        ("What did the US do on April 9?", "It raised the rate on April 9 to 125%.", False),
    ],
)
def test_the_figure_a_word_of_the_question_takes(question: str, sentence: str, asked: bool) -> None:
    assert (asked_figure(question, sentence) is not None) is asked


def test_how_much_the_act_appropriates_is_its_appropriation(corpus_app: Briefing) -> None:
    # "The act includes $39 billion in subsidies …" is as close to the question; the act appropriates $52.7 billion.
    answer = corpus_app.ask(APPROPRIATE)
    assert not answer.abstained
    assert "appropriates $52.7 billion" in answer.text.split("[1]")[0], answer.text


def test_a_lead_names_the_figure_the_question_asks_for() -> None:
    sentence = "The act authorizes roughly $280 billion in new funding, for which it appropriates $52.7 billion."
    assert asked_figure(APPROPRIATE, sentence) == "$52.7 billion"
    assert lead_figure(APPROPRIATE, "$280 billion", sentence) == "$52.7 billion"
    assert lead_figure(APPROPRIATE, "$52.7 billion", sentence) == "$52.7 billion"
    assert lead_figure(APPROPRIATE, "the act", sentence) == "the act"  # no figure to correct
    assert lead_figure(APPROPRIATE, "$39 billion", "The act includes $39 billion.") == "$39 billion"
    # A word the question sets aside takes no figure: what the act authorizes is not asked.
    contrasted = "How much does the CHIPS Act actually appropriate, as opposed to the total it authorizes?"
    assert lead_figure(contrasted, "$280 billion", sentence) == "$52.7 billion"
    assert asked_figure("How much does the act authorize, as opposed to what it appropriates?", sentence) == (
        "$280 billion"
    )
    # Nor is a figure said for another year than the asked one.
    assert (
        lead_figure("What share of core materials should be made at home by 2025?", "70 percent", MIC_GOALS)
        == "70 percent"
    )
    assert asked_figure("What share of core materials should be made at home by 2025?", MIC_GOALS) == "40 percent"
    # A lead said for another year gives way to the figure said for the asked one.
    assert lead_figure("What share of core materials should be made at home by 2025?", "40 percent", MIC_GOALS) == (
        "70 percent"
    )
    assert lead_figure("What share of core materials should be made at home?", "40 percent", MIC_GOALS) == "40 percent"
    # A figure said as a change ("by 115%") answers a question asking the change, not one asking the level kept.
    kept = "The United States and China will each lower tariffs by 115% while retaining an additional 10% tariff."
    added = "What additional tariff did the White House put on imports from China this week?"
    assert asked_figure(added, kept) == "10%"
    assert lead_figure(added, "115%", kept) == "10%"
    assert asked_figure("By how much did the US and China agree to lower tariffs?", kept) == "115%"
    assert asked_figure("What tariff did the deal set?", "The deal cut the tariff by 115%.") == "115%"  # no other
    # Two sums, told apart by what the question's word took: the model was trained for the first.
    assert figure_stated(TRAINED, TRAINED_FOR) == "US$6 million"
    # An order's number is no rate: the model's rate stays.
    amends = "It amends Executive Order 14256 of April 2, 2025, from 90 percent to 120 percent."
    assert lead_figure("What tariff rate did the April 9 order set?", "120 percent", amends) == "120 percent"


def test_a_lead_names_where_a_change_went_not_where_it_started() -> None:
    solar = (
        "The tariff rate on solar cells (whether or not assembled into modules) will increase from 25% to 50% in 2024."
    )
    assert lead_figure("What tariff rate on solar cells did the 2024 Section 301 review set?", "25%", solar) == "50%"
    assert lead_figure("What tariff rate on solar cells did the review set?", "50%", solar) == "50%"
    # Unless the question asks for the starting figure; a range it started from is left as it is.
    assert lead_figure("What was the tariff rate on solar cells before the review?", "25%", solar) == "25%"
    assert lead_figure("What was the previous tariff on solar cells?", "25%", solar) == "25%"
    steel = "The tariff rate on certain steel products will increase from 0–7.5% to 25% in 2024."
    assert lead_figure("What tariff rate on steel did the review set?", "7.5%", steel) == "7.5%"


def test_the_local_models_starting_figure_gives_way_to_the_one_set(corpus_app: Briefing) -> None:
    as_local_model(corpus_app, " 25%\n")  # the rate before the review, in the sentence that gives both
    question = "What tariff rate on solar cells from China did the 2024 Section 301 review set?"
    answer = corpus_app.ask(Request(question, asked_on=date(2026, 6, 1)))
    assert answer.lead == "50%", answer.text
    assert "from 25% to 50%" in answer.text, answer.text


def test_the_local_models_other_figure_gives_way_in_the_lead(corpus_app: Briefing) -> None:
    as_local_model(corpus_app, " $280 billion\n")  # what the act authorizes, in the sentence that says both
    answer = corpus_app.ask(APPROPRIATE)
    assert answer.lead == "$52.7 billion", answer.text


def test_the_asked_figure_is_read_past_the_first_passages(corpus_app: Briefing) -> None:
    # No sentence of the six passages first read states a figure the question's words take (the closest
    # gives the 2024 trade deficit); the fact sheet's "… will each lower tariffs by 115% …" is in the seventh.
    answer = corpus_app.ask("By how much did the US and China agree to lower tariffs in Geneva?")
    assert not answer.abstained
    assert "lower tariffs by 115%" in answer.text, answer.text
    assert "$295.4 billion" not in answer.text, answer.text


MIC_GOALS = (
    "Its goals include raising the domestic content of core materials to 40 percent by 2020 and 70 percent by 2025."
)


@pytest.mark.parametrize(
    ("question", "sentence", "stated"),
    [
        # The figure the question's word takes, and else the only figure the sentence states.
        (
            APPROPRIATE,
            "The act authorizes roughly $280 billion, for which it appropriates $52.7 billion.",
            "$52.7 billion",
        ),
        (
            "How big was the US goods trade gap with China in 2024?",
            "The U.S. goods trade deficit with China was $295.4 billion in 2024—the largest with any trading partner.",
            "$295.4 billion",
        ),
        # A bare number is said with the measure written after it, or not at all.
        ("How much did the pumpkin weigh?", "The squash weighed 2,554 pounds, a US record.", "2,554 pounds"),
        ("What was the magnitude of the quake?", "A magnitude 5.9 earthquake struck the country's east.", "5.9"),
        ("How much did the company earn?", "The company said 3,000 workers earned more.", None),
        # Two figures the question's words do not tell apart.
        (
            "How much fentanyl did border officers seize last year?",
            "Officers apprehended more than 21,000 pounds of fentanyl, enough to kill more than 4 billion people.",
            None,
        ),
        # Another measure than the asked one: a sum for a tariff, a count for a share.
        ("What tariff did the US put on Japanese cars?", "US carmakers lose out on $13.5 billion in exports.", None),
        ("What percentage of adults are vaccinated?", "Some 65.5 million adults got a shot.", None),
        # A year's figure: the one said for the asked year, none said for another.
        ("What share of core materials should be made at home by 2025?", MIC_GOALS, "70 percent"),
        ("What share of core materials did the plan set as its target for 2030?", MIC_GOALS, None),
        # A figure the question already states is not its answer.
        ("Who sold the card for $12.6 million?", "The card sold for $12.6 million on Sunday.", None),
    ],
)
def test_the_figure_an_amount_answer_leads_with(question: str, sentence: str, stated: str | None) -> None:
    assert figure_stated(question, sentence) == stated


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("How big was the US goods trade gap with China in 2024?", "$295.4 billion"),
        (APPROPRIATE, "$52.7 billion"),
        ("How much market value did Nvidia lose after DeepSeek's chatbot came out?", "US$600 billion"),
    ],
)
def test_an_extractive_amount_answer_leads_with_its_figure(corpus_app: Briefing, question: str, lead: str) -> None:
    answer = corpus_app.ask(question)
    assert answer.lead == lead, answer.text
    assert answer.text.startswith(f"{lead} — "), answer.text


def test_another_partys_rate_does_not_lead(corpus_app: Briefing) -> None:
    # "The United States imposes a 2.5% tariff on passenger vehicle imports …, while the European Union (10%)
    # and India (70%) …": the question's word takes the US rate; India's is in brackets.
    answer = corpus_app.ask("What tariff does India impose on passenger vehicle imports?")
    assert "India (70%)" in answer.text, answer.text
    assert answer.lead != "2.5%", answer.text


@pytest.mark.parametrize(
    ("question", "sentence", "stated"),
    [
        ("About how far from Earth is the planet?", "The planet is about 385 light-years away.", True),
        ("About how far from Earth is the planet?", "It is about 100 times farther from its star than Earth.", False),
        ("How tall is the rocket stack?", "The 322-foot stack rolled out on Thursday.", True),
        ("How deep is the wreck?", "It lies at a depth of 12,500 feet (3,800 m).", True),
        ("How deep is the wreck?", "The wreck was found in 1985 by a joint expedition.", False),
        ("How wide was the tornado at its widest point?", "It was 1,500 yards wide.", True),
        # a length of another dimension, or a distance to somewhere, is not the one asked
        ("How deep is the wreck?", "The ship itself was only 90 feet (27 m) wide.", False),
        ("How wide was the tornado at its widest point?", "A neighborhood 3 miles southwest of town was hit.", False),
        ("How tall is the tower?", "The tower stands 330 metres over the river.", True),
        ("How heavy is the telescope?", "The telescope weighs about 14,000 pounds.", True),
        ("How heavy is the telescope?", "The telescope cost $10 billion.", False),
        # a figure the question already says is not its answer
        ("How far did the 2,000-mile convoy travel in a day?", "The 2,000-mile convoy set off on Monday.", False),
        # "how long" in a unit of length asks a length, not a span of time
        ("How long is the Great Wall of China in miles?", "The wall runs for 13,171 miles.", True),
        (
            "How long is the Great Wall of China in miles?",
            "Building began in the 7th century BC and lasted 2,000 years.",
            False,
        ),
    ],
)
def test_how_far_tall_deep_wide_or_heavy_is_answered_in_a_unit_of_the_measure(
    question: str, sentence: str, stated: bool
) -> None:
    assert answer_kind(question) == "amount"
    assert holds_answer("amount", question, sentence) is stated


def test_a_figure_named_alone_is_read_with_its_sentence() -> None:
    # The local model's reply names the figure without its dimension; the sentence it comes from says "tall".
    assert not not_the_asked_measure("10,000 m", "How tall is Mauna Kea?")
    assert not not_the_asked_measure("nearly 10,000 m ( 33,000 ft )", "How tall is Mauna Kea?")


def test_how_long_asks_a_span_of_time_unless_asked_in_a_unit_of_length() -> None:
    assert answer_kind("How long did the strike last in July?") == "date"
    assert answer_kind("How long is the bridge, in feet?") == "amount"


def test_how_far_is_answered_by_the_sentence_giving_a_distance(app: Briefing, tmp_path: Path) -> None:
    story = Article(
        "exoplanet.md",
        "Telescope takes its first picture of a planet beyond the solar system",
        "2022-09-01",
        "Astronomers have used a space telescope to take its first direct image of a planet outside the solar system. "
        "The planet, a young gas giant, is about 100 times farther from its host star than Earth is from the sun. "
        "It orbits a star some 385 light-years away, in the constellation Centaurus.",
    )
    news_library(app, tmp_path / "news", story)
    question = (
        "Astronomers have used a space telescope to take its first direct image of a planet outside the solar system. "
        "About how far from Earth is the planet?"
    )
    answer = app.ask(Request(question, asked_on=date(2022, 9, 3)))
    assert "385 light-years" in answer.text, answer.text


def test_how_deep_is_answered_only_by_a_depth(app: Briefing, tmp_path: Path) -> None:
    # The wreck's story gives its width and the year it was found, not how deep it lies.
    wreck = Article(
        "wreck.md",
        "Search team finds the wreck of the steamer Aurora",
        "2022-08-01",
        "A search team has found the wreck of the steamer Aurora, lost in a storm in 1911. The debris field stretches "
        "for a mile or longer, whereas the Aurora itself was only 90 feet wide. The team found the wreck on its third "
        "expedition.",
    )
    news_library(app, tmp_path / "news", wreck)
    asked_on = date(2022, 8, 3)
    refused = app.ask(Request("How deep is the wreck of the Aurora?", asked_on=asked_on))
    assert refused.abstained and "state no figure" in refused.text, refused.text
    depth = Article(
        "dive.md",
        "Divers reach the Aurora",
        "2022-08-02",
        "Divers reached the wreck of the steamer Aurora, which lies at a depth of 12,500 feet in the Pacific.",
    )
    news_library(app, tmp_path / "news", depth)
    answered = app.ask(Request("How deep is the wreck of the Aurora?", asked_on=asked_on))
    assert not answered.abstained and "12,500 feet" in answered.text, answered.text
