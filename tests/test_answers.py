"""Answers that answer: the asked kind of fact, said once, cited; soft time windows; abstention on near misses."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import rag.answer_type
import rag.extractive
from briefing.api import Briefing
from core.models import Document
from core.request import Request
from ingest.embed import SentenceEmbedder
from rag.abstain import missing_names, question_names
from rag.answer_type import (
    answer_kind,
    asked_nouns,
    asked_sentence,
    first_person,
    holds_answer,
    looks_like_markup,
    speaks_of_a_date,
    stands_in,
    without_dateline,
)
from rag.cite import Verifier
from rag.counting import counted_nouns, counted_nowhere, counts
from rag.extractive import Candidate, candidates, clause_spans, named
from rag.neighbours import opens_quotation, points_back, referred_nouns, stating_deadline, with_antecedents
from rag.periods import asked_day_said, dated_by_publication, states_no_deadline
from rag.rates import another_rate, rates_named, stated_rates
from tests.helpers import (
    HEADLINE_ASKED_ON,
    HEADLINE_SCENE,
    Article,
    beside_another_story,
    make_settings,
    news_library,
    whole_document_hit,
)


def sentences_of(text: str) -> list[str]:
    """Answer sentences: each ends with its citation markers and a full stop."""
    return [s for s in re.split(r"(?<=\]\.)\s+", text.strip()) if s]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What tariff rate did the April 9, 2025 order set on goods from China?", "amount"),
        ("By how much did the US and China agree to lower tariffs in Geneva?", "amount"),
        ("How many hot dogs did he eat?", "amount"),
        ("Who founded DeepSeek?", "name"),
        ("Which two countries did NATO invite to join?", "name"),
        ("When was the CHIPS Act signed?", "date"),
        ("Since when has China had a national AI agenda?", "date"),
        ("Until when does the global tariff stay in effect?", "date"),
        ("What did the Geneva joint statement agree?", "agreement"),
        ("What tariff did China announce on US goods before the Geneva talks?", "amount"),
        ("What duties did Beijing put on imports from the United States?", "amount"),
        ("What is Made in China 2025?", "definition"),
        ("What is the CHIPS and Science Act?", "definition"),
        ("what is a sapper in the canadian army", "definition"),
        ("Who is Liang Wenfeng?", "definition"),
        ("Who is the CEO of TSMC?", "name"),  # asks for a name, not what a CEO is
        ("What is the capital of France?", "other"),  # a value of a thing, not what the thing is
        ("What was SMIC's revenue in 2024?", "amount"),  # a sum, as a price or a cost is
        ("On what date does the tax filing season open?", "date"),  # "tax" does not make it a rate
        ("Why do tariffs matter?", "other"),
        # A question that sets a scene first is read from the sentence that asks.
        ("Markets fell on Monday after the order. When will the new tariffs take effect?", "date"),
        ("The senator, who chairs the committee, resigned this week. What was the reason given?", "other"),
        ("Parliament met on Wednesday after the president fled. Whom did lawmakers elect?", "name"),
        ("The critic lost her seat this week. What is her name?", "name"),
        ("The rocket launched on Wednesday. What was its destination?", "other"),  # a pronoun is no subject
        ("According to the poll in Dobbs v. Jackson, what percentage disapprove?", "amount"),  # one sentence
        # A possessive or a dotted abbreviation between "what" and the asked noun, and "what's".
        ("What is the U.S. tariff on Chinese steel?", "amount"),
        ("What was SMIC's total revenue for 2023?", "amount"),
        ("What is Tesla’s share price?", "amount"),
        ("Which of the U.K.'s airlines cut flights?", "name"),
        ("What's the tariff on steel?", "amount"),
        ("Who’s the U.S. trade representative?", "name"),
        ("What's DeepSeek?", "definition"),
        # "when" after a dash or a colon opens the question; inside a sentence it is a conjunction.
        ("Re the tariffs Trump declared last week - when do the higher rates take effect?", "date"),
        ("Quick one: when does the pause end?", "date"),
        # An opening "when" clause sets the scene of another ask; "when" asked after a comma is still asked.
        ("When he raised the duties last week, how did Biden describe American workers?", "other"),
        ("When Biden designated the monument, which company did he name?", "name"),
        ("When the talks end, when will the tariffs fall?", "date"),
        ("What did she say when asked about the tariffs?", "other"),
        # "What is the … date?" asks for one, as "What is the … deadline?" does.
        ("NASA set a new target for the launch. What is the new launch date?", "date"),
        ("What was the original release date of the film?", "date"),
    ],
)
def test_question_kinds(question: str, kind: str) -> None:
    assert answer_kind(question) == kind


def test_a_day_of_the_month_is_a_date_the_question_did_not_give() -> None:
    # "April 2025" in the question blanks "April" and "2025" in the sentence, not the day: April 5 is new.
    asked = "Under the April 2025 emergency order, on what date did the 10% tariff on all countries begin?"
    assert holds_answer("date", asked, "This will take effect April 5, 2025 at 12:01 a.m. EDT.")
    assert not holds_answer("date", asked, "Using his IEEPA authority, President Trump will impose a 10% tariff.")
    assert not holds_answer("date", "Did the tariff begin on April 5, 2025?", "It took effect on April 5, 2025.")


@pytest.mark.parametrize(
    ("question", "rates"),
    [
        ("When did the universal 10% tariff on all countries start?", {"10"}),
        ("Which Chinese body announced the 84 percent tariff on American goods?", {"84"}),
        # A rate said before the asking sentence is the story's; an amount question asks for a rate.
        ("Grocery prices rose by more than 13% this year. Which item showed one of the largest spikes?", set()),
        ("After the 125% tariff, what rate did the US set in Geneva?", set()),
        ("When did the tariff on Chinese goods take effect?", set()),
    ],
)
def test_the_rate_a_question_names_its_measure_by(question: str, rates: set[str]) -> None:
    assert rates_named(asked_sentence(question), answer_kind(question)) == rates


def test_a_rate_is_read_however_it_is_written() -> None:
    said = "84 percent, 125%, 7.5 per cent and 24 percentage points, not 2.7 cents per kilogram, in 2025."
    assert stated_rates(said) == {"84", "125", "7.5", "24"}


def test_a_sentence_on_another_rate_does_not_answer_for_the_named_one(corpus_app: Briefing) -> None:
    # China's "84 percent tariff … effective at 12:01 a.m. on April 10, 2025" was quoted for the 10% tariff's
    # start: its dates and "all goods" are close to the question. It states only another rate, so it ranks below
    # the sentences on the 10% tariff.
    on_84 = "an 84 percent tariff would be imposed"
    assert another_rate({"10"}, f"On April 9, 2025, the Commission announced that {on_84} on all goods.")
    assert not another_rate({"10"}, "Using his IEEPA authority, President Trump will impose a 10% tariff.")
    assert not another_rate({"10"}, "This will take effect April 5, 2025 at 12:01 a.m. EDT.")
    answer = corpus_app.ask(
        "Under the April 2025 emergency order, on what date did the 10% tariff on all countries begin?"
    )
    assert not answer.abstained and "10%" in answer.text and on_84 not in answer.text, answer.text


def test_a_change_is_named_by_both_its_rates() -> None:
    # "… from 25% to 50% in 2024?": 25% to 100% is another change, though it starts from the same rate.
    assert another_rate({"25", "50"}, "The tariff rate on electric vehicles will increase from 25% to 100% in 2024.")
    assert not another_rate({"25", "50"}, "The tariff rate on solar cells will increase from 25% to 50% in 2024.")


def test_a_sentence_holds_an_answer_only_when_it_adds_one() -> None:
    question = "What tariff rate did the order set on goods from China?"
    assert holds_answer("amount", question, "The rate on goods from China rises to 125% on April 10.")
    assert not holds_answer("amount", question, "The order sets a tariff rate on goods from China.")
    assert holds_answer("name", "Who founded DeepSeek?", "DeepSeek was founded by Liang Wenfeng in 2023.")
    assert not holds_answer("name", "Who founded DeepSeek?", "It was founded to build DeepSeek models.")
    assert first_person("By the authority vested in me as President, I hereby order:")
    assert not first_person("“We will respond,” the ministry said.")
    assert looks_like_markup("| Country | Rate | Date |")
    assert not looks_like_markup("The rate rose to 125% on goods from China.")


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        ("It was announced in February 2026 that DeepSeek will release its latest AI model.", False),
        ("On Aug. 9, 2022, the act was signed into law.", False),
        ("On 20 January 2025, DeepSeek launched its chatbot.", False),
        ("Sales of the product have fallen since the 1990s.", False),
        ("The company claims that it trained its V3 model for US$6 million.", True),
        ("In 2021 the firm bought 10,000 GPUs.", True),  # a date beside an amount still holds one
        ("The fund had 2025 investors.", True),  # a counted noun after it: not a year
        ("Costs rose by a third in 2024.", False),  # "third" is not a quantity word here
        ("Costs doubled in 2024.", True),
        ("The act was enacted by the 117th United States Congress.", False),
        ("DeepSeek cut the training cost of its R1 model with mixture of experts.", False),  # a model's name
        ("DeepSeek-V3.2 was released alongside a reasoning variant.", False),
        ("On 24 March 2025, DeepSeek released DeepSeek-V3-0324 under the MIT License.", False),
        ("It bought 10,000 Nvidia A100 GPUs.", True),
    ],
)
def test_a_date_an_ordinal_or_a_model_name_is_not_an_amount(sentence: str, holds: bool) -> None:
    # A question asking for an amount other than a sum of money (a sum must be in a currency: tests/test_money.py).
    question = "How much computing power did DeepSeek say it used to train its V3 model?"
    assert holds_answer("amount", question, sentence) is holds


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        ("The fund holds 12% of SMIC's shares.", True),
        ("The fund holds about 12 percent of SMIC.", True),
        ("About two-thirds of SMIC is held by state investors.", True),
        ("Half of SMIC's shares are held by the fund.", True),
        # Numbers that are no share of it, and words that say a part is large without saying how large.
        ("The China Integrated Circuit Industry Investment Fund is a major shareholder of SMIC.", False),
        ("As of 2024, SMIC is the world's third largest contract chip maker with 20 fabs.", False),
        ("Most of SMIC is held by state investors.", False),
    ],
)
def test_a_share_is_held_only_by_a_percentage_or_a_fraction(sentence: str, holds: bool) -> None:
    question = "What percentage of SMIC is held by the China Integrated Circuit Industry Investment Fund?"
    assert holds_answer("amount", question, sentence) is holds


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        ("The tariff rate on electric vehicles under Section 301 will increase from 25% to 100% in 2024.", True),
        ("The duty on EVs rises to 100 percent this year.", True),
        # A sum, a count or a date where a rate was asked for; a rate that is no tariff's (a growth).
        (
            "Biden is directing his Trade Representative to increase tariffs on $18 billion of imports from China.",
            False,
        ),
        ("The tariff increases take effect in 2024 on 14 product lines.", False),
        ("China's exports of EVs grew by 70% from 2022 to 2023.", False),
    ],
)
def test_a_rate_is_held_only_by_a_rate_said_of_a_tariff_or_a_duty(sentence: str, holds: bool) -> None:
    question = "Under the Section 301 increases Biden ordered last week, what will the duty on Chinese EVs go up to?"
    assert holds_answer("amount", question, sentence) is holds


def test_the_rate_asked_for_is_found_past_a_sum_and_a_growth_rate(corpus_app: Briefing) -> None:
    question = "Under the Section 301 increases Biden ordered last week, what will the duty on Chinese EVs go up to?"
    answer = corpus_app.ask(Request(question, asked_on=date(2024, 5, 21)))
    assert "100%" in answer.text and "$18 billion" not in answer.text and "70%" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "sentence", "holds"),
    [
        (
            "What is Made in China 2025?",
            "Made in China 2025 (MIC25, MIC 2025, or MIC2025; Chinese: 中国制造2025) is a national strategic plan "
            "and industrial policy of the Chinese Communist Party.",
            True,
        ),
        (
            "What is Made in China 2025?",
            "Made in China 2025's goals include increasing the Chinese-domestic content of core materials to 40 "
            "percent by 2020.",
            False,
        ),
        (
            "What is DeepSeek?",
            "Hangzhou DeepSeek Artificial Intelligence Co., Ltd., doing business as DeepSeek, is a Chinese "
            "artificial intelligence company.",
            True,
        ),
        ("What is DeepSeek?", "Nvidia is a supplier of the chips DeepSeek bought.", False),  # another subject
        ("what is a sapper in the canadian army", "A sapper, also called a pioneer, is a combat engineer.", True),
        (
            "What is the CHIPS and Science Act?",
            "After months of talks, lawmakers in both chambers agreed on a final text that the President signed "
            "in August, and the CHIPS and Science Act is the result.",
            False,  # the subject comes too late to be what the sentence is about
        ),
    ],
)
def test_a_definition_says_what_its_subject_is(question: str, sentence: str, holds: bool) -> None:
    assert holds_answer("definition", question, sentence) is holds


def test_what_is_is_answered_by_the_sentence_that_defines(corpus_app: Briefing) -> None:
    # Made in China 2025's article: "Made in China 2025's goals include increasing the Chinese-domestic
    # content …" is closer to the question than the sentence that says what the plan is.
    answer = corpus_app.ask("What is Made in China 2025?")
    assert not answer.abstained
    assert "is a national strategic plan" in answer.text, answer.text


def test_what_tariff_is_answered_by_a_rate(corpus_app: Briefing) -> None:
    # The 2024 Section 301 fact sheet: "The increase in the tariff rate on electric vehicles will protect
    # these investments …" restates the question; the rate itself is what it asks for.
    question = "What tariff on Chinese electric vehicles did the US announce last year?"
    answer = corpus_app.ask(Request(question, asked_on=date(2025, 3, 1)))
    assert not answer.abstained
    assert "from 25% to 100%" in answer.text, answer.text


@pytest.mark.parametrize(
    ("sentence", "title", "read"),
    [
        (
            "The act authorizes roughly $280 billion in new funding.",
            "CHIPS and Science Act",
            "CHIPS and Science Act authorizes roughly $280 billion in new funding.",
        ),
        (
            "This agency issued the rule.",
            "FACT SHEET: Food and Drug Agency Acts on Vapes",
            "Food and Drug Agency issued the rule.",
        ),
        ("The launch window opens at 12.07 a.m.", "NASA sets date for another try at Artemis I launch", None),
        ("The company makes chips.", "Semiconductor Manufacturing International Corporation", None),
        ("The Supreme Court ruled on Friday.", "Supreme Court strikes down tariffs", None),
        ("The act was signed.", "Act of Congress", None),  # no name before the word
    ],
)
def test_a_sentence_about_the_act_is_read_with_the_acts_name(sentence: str, title: str, read: str | None) -> None:
    assert named(sentence, title) == (read or sentence)


def test_the_act_is_the_act_its_article_is_about(corpus_app: Briefing) -> None:
    # The CHIPS and Science Act's article says "The act authorizes roughly $280 billion in new funding …";
    # the White House fact sheet's "The CHIPS and Science Act authorizes $10 billion to invest in regional
    # innovation …" names the act and was closer to the question while "The act" counted for nothing.
    answer = corpus_app.ask("How much new funding does the CHIPS and Science Act authorize?")
    assert not answer.abstained
    assert "$280 billion" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "sentence", "counted"),
    [
        (
            "How many percentage points did the statement suspend?",
            "by suspending 24 percentage points of that rate",
            True,
        ),
        (
            "How many percentage points did the statement suspend?",
            "The US will suspend its 34% reciprocal tariff.",
            False,
        ),
        (
            "How many allies and partners face no restrictions?",
            "No restrictions apply to 18 key allies and partners.",
            True,
        ),
        ("How many advanced GPUs can a verified user buy?", "It may buy up to 320,000 advanced GPUs.", True),
        (
            "How many advanced GPUs can a verified user buy?",
            "Two advanced packaging plants opened.",
            False,
        ),  # GPUs, not "advanced"
        ("How many years is she due to serve?", "She is serving a nine-year sentence.", True),
        ("How much did it cost?", "It cost $6 million.", False),  # nothing counted
        # "other" is no counted word, nor "had"; a counted phrase of two words may stand a word further off.
        (
            "How many other trading partners had approached the US?",
            "More than 75 other foreign trading partners have approached the United States.",
            True,
        ),
        (
            "How many other trading partners had approached the US?",
            "Some 75 trading firms in other partner countries objected.",
            False,
        ),
        ("How many US cities did FIFA name as host sites?", "Matches will be held in 11 US cities.", True),
        # A share is no count of what it is a share of; a tally may follow in brackets.
        ("How many votes did Lula receive?", "Lula da Silva won 50.90% of the vote.", False),
        ("How many votes did Lula receive?", "Lula received more than 60 million votes.", True),
        ("How many percentage points did it fall?", "It fell 2 percentage points.", True),
        (
            "How many touchdown passes did he throw?",
            "He leads in passing yards (84,520), touchdown passes (624).",
            True,
        ),
        # The rank of the latest is the number so far.
        ("How many missile tests has it carried out?", "It was the country's 23rd such missile test this year.", True),
        ("How many missile tests has it carried out?", "It marked the 23rd anniversary of the first test.", False),
        # News counts firms, companies and businesses by one another's names.
        ("How many firms are on the roster?", "The list includes fifteen China-based companies.", True),
        ("How many companies joined?", "Ten firms joined the group.", True),
        ("How many businesses paid?", "Some 300,000 companies paid.", True),
    ],
)
def test_a_count_of_what_how_many_counts(question: str, sentence: str, counted: bool) -> None:
    assert counts(counted_nouns(question), sentence) is counted


@pytest.mark.parametrize(
    ("question", "sentence", "nowhere"),
    [
        ("How many companies are on the list?", "The list includes fifteen China-based companies.", False),
        ("How many businesses paid the tariffs?", "About 300,000 businesses paid them.", False),  # a shorter head
        ("How many years is Griner due to serve?", "She serves a nine-year drug smuggling sentence.", False),
        ("How many blocks does Whiteside have in his career?", "Whiteside, No. 21, Miami Heat, age 28.", True),
        ("How many goals have Arsenal scored?", "Jens Lehmann kept ten consecutive clean sheets.", True),
        ("How many people died in the flood?", "The flood killed 12.", False),  # said without "people"
        ("How many times has she won?", "She has won it twice.", False),
        ("How many percent of voters approved?", "Some 59.6% of voters approved.", False),
        ("How much did it cost?", "It cost nothing.", False),  # no count asked
        ("How many OTs are there in the NFL?", "One overtime period is played.", False),  # may be written out
        ("how many ots are there in the nfl", "One overtime period is played.", False),  # so may this
        # A short word a question written with capitals writes in lower case is a word, not an abbreviation.
        ("How many jobs has the plan created?", "The plan set a goal of 40 percent.", True),
        ("how many jobs has the plan created", "The plan set a goal of 40 percent.", False),
    ],
)
def test_a_how_many_question_whose_count_no_sentence_gives(question: str, sentence: str, nowhere: bool) -> None:
    assert counted_nowhere(question, [sentence]) is nowhere


def test_a_count_no_source_gives_is_refused_and_a_count_in_words_answered(corpus_app: Briefing) -> None:
    asked_on = date(2026, 6, 1)
    refused = corpus_app.ask(Request("How many chips did China import in October 2022?", asked_on=asked_on))
    assert refused.abstained and "give no number of chips" in refused.text, refused.text
    assert refused.citations == ()
    answered = corpus_app.ask(
        Request("How many companies are on China's list of national AI teams?", asked_on=asked_on)
    )
    assert not answered.abstained and "fifteen" in answered.text, answered.text


def test_an_amount_no_source_states_is_refused(app: Briefing, tmp_path: Path) -> None:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "bridge.md",
            "City reopens the river bridge",
            "2024-05-02",
            "The city reopened the river bridge on Thursday after a long repair paid for by the state. The mayor "
            "thanked the engineers and said the repair budget had been spent with care.",
        ),
    )
    asked_on = date(2024, 5, 3)
    refused = app.ask(Request("How much did the repair of the river bridge cost the state?", asked_on=asked_on))
    assert refused.abstained and "state no figure" in refused.text, refused.text
    assert refused.citations == ()
    cost = Article(
        "cost.md",
        "Bridge repair cost revealed",
        "2024-05-03",
        "The repair of the river bridge cost the state $4.2 million, the transport department said on Friday.",
    )
    news_library(app, tmp_path / "news", cost)
    answered = app.ask(Request("How much did the repair of the river bridge cost the state?", asked_on=asked_on))
    assert not answered.abstained and "$4.2 million" in answered.text, answered.text


def test_how_many_points_is_answered_by_a_count_of_points(corpus_app: Briefing) -> None:
    # The joint statement suspends "24 percentage points"; the fact sheet's "The United States will suspend
    # its 34% reciprocal tariff …" is closer to the question and holds an amount too, but not of points.
    answer = corpus_app.ask(
        "How many percentage points of the reciprocal tariff did the Geneva joint statement suspend?"
    )
    assert not answer.abstained
    assert "24 percentage points" in answer.text, answer.text


def test_how_much_is_answered_by_the_amount_not_by_a_dated_sentence(corpus_app: Briefing) -> None:
    # DeepSeek's article: "It was announced in February 2026 that Deepseek will release its latest AI
    # model …" is closer to the question than "The company claims that it trained its V3 model for
    # US$6 million …", and took the answer while its year counted as an amount.
    answer = corpus_app.ask("How much did DeepSeek say it spent to train its V3 model?")
    assert not answer.abstained
    assert "US$6 million" in answer.text, answer.text
    assert "February 2026" not in answer.text, answer.text


def test_an_amount_stated_is_said_in_its_own_sentence_alone(corpus_app: Briefing) -> None:
    # "In 2018, the Chinese government committed to investing roughly US$300 billion …" answers; the goals
    # sentence close behind it ("… 40 percent by 2020 and 70 percent by 2025") only padded the answer.
    answer = corpus_app.ask("How much did the Chinese government commit to investing in Made in China 2025?")
    assert "US$300 billion" in answer.text, answer.text
    assert len(sentences_of(answer.text)) == 1, answer.text
    # A question of another kind keeps its second sentence when one is close enough to add something.
    assert len(sentences_of(corpus_app.ask("What does the CHIPS and Science Act do?").text)) == 2


def test_the_best_sentence_is_not_dropped_for_the_context_of_a_runner_up(corpus_app: Briefing) -> None:
    # The AI diffusion fact sheet: "To strengthen U.S. security … releasing an Interim Final Rule …. It
    # streamlines licensing hurdles …" comes before "No restrictions apply to chip sales to 18 key allies
    # and partners." The 18 ranks first and "It streamlines …" close behind; in reading order the
    # runner-up came first, and room for its context was made by dropping the best sentence.
    answer = corpus_app.ask(
        "How many allies and partners face no restrictions on chip sales under the AI diffusion rule?"
    )
    assert not answer.abstained
    assert "18 key allies" in answer.text, answer.text
    # Nor is the runner-up left without what "It" stands for.
    assert not any(s.startswith("It ") for s in sentences_of(answer.text)), answer.text


def test_a_sentence_that_points_back_with_the_asked_date_follows_the_one_it_completes(corpus_app: Briefing) -> None:
    # The April 2 fact sheet: "Using his IEEPA authority, President Trump will impose a 10% tariff on all
    # countries. This will take effect April 5, 2025 at 12:01 a.m. EDT." The first is close to the question
    # and says no date; the second says it, but alone ("This will …") is far from the question. Two lines
    # further: "… All other countries will continue to be subject to the original 10% tariff baseline. This
    # will take effect April 9, 2025 …". The two antecedents are a near tie for the question (cosine 0.694
    # and 0.699 on one CPU, the other order on another: int8 vectors differ by instruction set), so which
    # pair is quoted is not pinned; that the date follows its own sentence, and never stands alone, is.
    completes = {
        "Using his IEEPA authority": "This will take effect April 5, 2025",
        "All other countries will continue": "This will take effect April 9, 2025",
    }
    answer = corpus_app.ask("When did the 10% tariff on all countries take effect?")
    assert not answer.abstained
    said = sentences_of(answer.text)
    first = next(i for i, s in enumerate(said) if s.startswith(tuple(completes)))
    assert said[first + 1].startswith(next(v for k, v in completes.items() if said[first].startswith(k))), answer.text
    for i, sentence in enumerate(said):
        if sentence.startswith("This will take effect"):
            assert i > 0 and any(said[i - 1].startswith(k) and sentence.startswith(v) for k, v in completes.items())


def test_the_date_that_opens_the_next_line_completes_the_answers_line_of_two_sentences(corpus_app: Briefing) -> None:
    # "- President Trump will impose an individualized reciprocal higher tariff on the countries with which the United
    # States has the largest trade deficits. All other countries will continue to be subject to the original 10%
    # tariff baseline.\n- This will take effect April 9, 2025 at 12:01 a.m. EDT." The date's sentence follows the
    # answer's line, past its second sentence, though it repeats the words of the April 5 line above.
    question = "Trump declared the reciprocal tariff emergency last week - when do the individualized higher rates take effect?"
    answer = corpus_app.ask(Request(question, asked_on=date(2025, 4, 7)))
    _assert_followed(
        "President Trump will impose an individualized", "This will take effect April 9, 2025", answer.text
    )


def test_who_said_a_quotation_is_answered_with_the_sentence_that_names_the_speaker(corpus_app: Briefing) -> None:
    # The October 2023 release quotes Secretary Raimondo over two sentences; the first is the one close to
    # the question and names nobody, the second closes the quotation: "…,” said Secretary of Commerce …".
    answer = corpus_app.ask("Who said the October 2023 rules would shut off pathways to evade the restrictions?")
    assert not answer.abstained
    said = sentences_of(answer.text)
    at = next(i for i, s in enumerate(said) if "shut off pathways" in s)
    assert said[at].startswith("Gina M. Raimondo — “Today’s updated rules") and "Raimondo" in said[at + 1], answer.text
    assert answer.lead == "Gina M. Raimondo"
    assert len(answer.text.split()) <= 65


def test_a_quotation_opened_and_its_speaker() -> None:
    assert opens_quotation("“Today’s updated rules will increase effectiveness of our controls.")
    assert opens_quotation('"The rules are clear.')
    assert not opens_quotation("“We will respond,” the ministry said.")
    assert not opens_quotation("The ministry said “we will respond.”")


def test_long_sentences_split_into_clauses_at_their_own_offsets() -> None:
    text = (
        "The United States will (i) modify the additional rate of duty on articles of China by suspending 24 "
        "percentage points of that rate for an initial period of 90 days, while retaining the remaining rate "
        "of 10 percent on those articles; and (ii) remove the modified additional rates of duty imposed by "
        "the orders of April 8 and April 9, 2025."
    )
    spans = clause_spans(text, 0, len(text))
    assert len(spans) >= 2
    assert any("suspending 24 percentage points" in text[a:b] for a, b in spans)
    assert all(text[a:b] == text[a:b].strip() and b - a < len(text) for a, b in spans)
    assert clause_spans("A short sentence stays whole.", 0, 29) == []


def test_the_rate_question_answers_with_a_rate_in_one_sentence_without_the_preamble(corpus_app: Briefing) -> None:
    answer = corpus_app.ask("What tariff rate did the April 9, 2025 order set on goods from China?")
    assert not answer.abstained
    assert len(sentences_of(answer.text)) == 1, answer.text  # no padding sentence
    # A rate, as asked; which rate is the next test's matter (it quotes the order's de minimis 120 percent, not
    # its 125%; China's 84% on US goods is another party's, tests/test_parties.py).
    assert re.search(r"\d+(?:%| percent)", answer.text), answer.text
    # The order opens in the first person ("By the authority vested in me …, I hereby determine and order:").
    assert "vested in me" not in answer.text and "hereby" not in answer.text
    citation = answer.citations[0]
    assert corpus_app.document(citation.doc_id).text[citation.quote_start : citation.quote_end] == citation.quote


@pytest.mark.xfail(
    strict=True,
    reason="the order says 125% only in its HTSUS amendments ('deleting “84%” … inserting “125%” in lieu thereof'),"
    " a passage that shares no word with the question and is not among those read (docs/EVAL.md)",
)
def test_the_rate_the_april_9_order_set_on_goods_from_china_is_125_percent(corpus_app: Briefing) -> None:
    answer = corpus_app.ask("What tariff rate did the April 9, 2025 order set on goods from China?")
    assert "125%" in answer.text and "84 percent" not in answer.text, answer.text


def test_a_sentence_that_only_announces_a_list_is_not_the_answer(corpus_app: Briefing) -> None:
    # The joint statement says "The Parties commit to take the following actions by May 14, 2025:",
    # and the actions follow: the sentence before the colon answers nothing.
    answer = corpus_app.ask(
        Request("What did the US and China commit to do by May 14, 2025?", asked_on=date(2025, 5, 20))
    )
    assert not answer.abstained
    assert "the following actions" not in answer.text, answer.text
    assert all(not c.quote.rstrip().endswith(":") for c in answer.citations)


@pytest.mark.parametrize(
    ("sentence", "refers"),
    [
        ("It streamlines licensing hurdles for both large and small chip orders.", True),
        ("He arrived at Valley Forge on February 23, 1778.", True),
        ("“Its share price fell by a fifth,” the report said.", True),
        ("These actions take effect on May 14, 2025.", True),
        ("It’s the first time the trio will be together since 2015.", True),
        ("It is important to work with AI companies and foreign governments.", False),  # "it" stands for nothing
        ("It was not until 1990 that the wall came down.", False),
        # A report in the passive says what in the clause after it; without one, what was announced came before.
        ("It was announced in February 2026 that DeepSeek will release its latest model.", False),
        ("It is also understood that talks will continue.", False),
        ("It was announced on Monday at a press event.", True),
        ("It was confirmed by the ministry, which said that the talks would go on.", True),
        ("This Is Us is an American family drama.", False),  # a title, not a reference
        ("Italy raised its tariffs.", False),
        # … and a pronoun after a short opening phrase, unless the phrase names what it stands for.
        ("In her brief speech, she refused the Oscar on his behalf.", True),
        ("If the union does go on strike, it would be the largest strike in history.", True),
        ("As of 2024, it is the world's third largest contract chip maker.", True),
        ("When Biden took office, he signed a dozen orders.", False),
        ("In particular, it is important to keep the rules.", False),
        ("In 2020, the firm grew.", False),
    ],
)
def test_a_sentence_that_points_back_is_told_apart(sentence: str, refers: bool) -> None:
    assert points_back(sentence) is refers


@pytest.mark.parametrize(
    ("question", "asked_on"),
    [
        ("What rule on AI chip exports did the White House release?", None),
        # Here the first answer sentence's context pushes the second one, which also points back, out.
        ("What rule on AI chip exports did the White House release last month?", date(2025, 2, 10)),
    ],
)
def test_a_sentence_that_points_back_is_quoted_with_the_one_before_it(
    corpus_app: Briefing, question: str, asked_on: date | None
) -> None:
    # The fact sheet: "… the Biden-Harris Administration today is releasing an Interim Final Rule on Artificial
    # Intelligence Diffusion. It streamlines licensing hurdles …". The second sentence matches the question
    # best, and alone it never says which rule; the sentence before it is quoted first.
    answer = corpus_app.ask(Request(question, asked_on=asked_on) if asked_on else question)
    assert not answer.abstained
    assert not answer.text.startswith("It "), answer.text
    context = next(c for c in answer.citations if "Interim Final Rule on Artificial Intelligence Diffusion" in c.quote)
    pointing = next(c for c in answer.citations if c.quote.startswith("It streamlines"))
    assert answer.text.index("Interim Final Rule") < answer.text.index("It streamlines"), answer.text
    assert context.quote_end <= pointing.quote_start and context.doc_id == pointing.doc_id
    # Both are cited, each with its own span: every sentence of the answer carries a marker.
    assert all(s.endswith("].") for s in sentences_of(answer.text)), answer.text
    for c in (context, pointing):
        assert corpus_app.document(c.doc_id).text[c.quote_start : c.quote_end] == c.quote


def test_names_the_library_never_mentions_make_it_abstain() -> None:
    assert question_names("What did the EU decide about tariffs on Chinese electric cars?") == ["EU", "Chinese"]
    assert question_names("who founded deepseek") == []
    assert missing_names("What did the EU decide about Chinese cars?", ["US tariffs on Chinese EVs"]) == ["EU"]
    assert missing_names("What did the U.S. say?", ["The United States said"]) == []


@pytest.mark.parametrize(
    ("question", "evidence", "missing"),
    [
        ("What tariff did the US put on Canadian goods?", "a 25% additional tariff on imports from Canada", []),
        ("What did Canadians pay?", "prices in Canada rose", []),
        ("What did Japan export?", "Japanese exports rose", []),
        ("What about South Korean chips?", "chips from South Korea", []),
        ("What did Canadian officials say about Mexico?", "officials in Mexico said", ["Canadian"]),
        ("What did Korean firms sell?", "Japanese firms sold", ["Korean"]),
        # a capital for its government, as sources write it
        ("What deal did Washington and Beijing reach?", "the United States and China reached a deal", []),
        ("What did Washington announce?", "the EU announced new duties", ["Washington"]),
    ],
)
def test_a_country_and_its_peoples_adjective_name_the_same_place(
    question: str, evidence: str, missing: list[str]
) -> None:
    assert missing_names(question, [evidence]) == missing


def test_a_question_naming_a_country_by_its_adjective_is_answered(corpus_app: Briefing) -> None:
    # The fact sheet says "imports from Canada", never "Canadian".
    answer = corpus_app.ask(
        Request("What tariff did the US put on Canadian goods in February 2025?", asked_on=date(2026, 6, 1))
    )
    assert not answer.abstained, answer.text
    assert "25% additional tariff on imports from Canada" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "What did the EU decide about tariffs on Chinese electric cars?",
        "What tariffs did Canada impose on Chinese steel?",
        "What did Nvidia say about export controls on its chips?",
    ],
)
def test_off_library_questions_with_topical_words_abstain(corpus_app: Briefing, question: str) -> None:
    answer = corpus_app.ask(Request(question, asked_on=date(2026, 6, 1)))
    assert answer.abstained, answer.text
    assert answer.citations == ()


def test_an_article_just_outside_the_week_asked_about_is_still_found(app: Briefing, tmp_path: Path) -> None:
    # The flood story ran nine days before the question; "this week" covers the last seven days.
    news_library(
        app,
        tmp_path / "news",
        Article(
            "flood.md",
            "Floods close Yellowstone",
            "2022-06-07",
            "Record flooding washed out roads and bridges in Yellowstone National Park, and the park closed "
            "all five entrances to visitors.",
        ),
        Article(
            "budget.md",
            "City budget vote",
            "2022-06-14",
            "The city council approved next year's budget after a long debate about road repairs and bridges.",
        ),
        Article(
            "old.md",
            "Park visitor numbers",
            "2021-01-10",
            "Visitor numbers at national parks rose again, park officials said.",
        ),
    )
    question = "Which US national park was hit by severe flooding this week that washed out roads and bridges?"
    hits = app.retrieve(Request(question, asked_on=date(2022, 6, 16)), k=6)
    titles = [h.document.title for h in hits]
    assert "Floods close Yellowstone" in titles, titles
    # Inside the window first; outside it in order of distance, the year-old piece last if at all.
    assert titles[0] == "City budget vote"
    assert titles.index("Floods close Yellowstone") < (
        titles.index("Park visitor numbers") if "Park visitor numbers" in titles else 99
    )
    # The answer to "this week" still quotes only what that week's articles say.
    answer = app.ask(Request(question, asked_on=date(2022, 6, 16)))
    assert all(c.title == "City budget vote" for c in answer.citations), answer.text
    # A week with nothing in the library still says so rather than reaching months away.
    empty = app.ask(Request(question, asked_on=date(2022, 3, 20)))
    assert empty.abstained and "published 2022-03-14 to 2022-03-20" in empty.text


def test_what_happened_in_a_window_is_said_by_the_sentences_naming_the_subject(corpus_app: Briefing) -> None:
    # Asked for a subject's news, the answer quotes only what the window's sentences naming it say: the
    # joint statement's clauses ("Adopt all necessary administrative measures …") rank close but do not.
    answer = corpus_app.ask(Request("What happened in Geneva in May 2025?", asked_on=date(2026, 6, 1)))
    assert not answer.abstained, answer.text
    assert "joint statement" in answer.text
    assert all("Geneva" in c.quote for c in answer.citations), answer.text


def test_a_subjects_news_from_a_later_article_is_what_it_dates_inside_the_window(corpus_app: Briefing) -> None:
    # The DeepSeek article (2026) is read for January 2025 because it states dates in it; its sentences
    # about March and August 2025 releases are other months' news.
    answer = corpus_app.ask(Request("What did DeepSeek release in January 2025?", asked_on=date(2026, 6, 1)))
    assert not answer.abstained, answer.text
    assert "January 2025" in answer.text and "R1" in answer.text, answer.text
    assert not any(month in answer.text for month in ("March 2025", "August 2025")), answer.text


def test_a_windowed_answer_quotes_no_sentence_a_later_article_dates_outside_the_window(corpus_app: Briefing) -> None:
    # Any windowed question, not only an open one: the later article's March 2025 sentence is not quoted.
    answer = corpus_app.ask(
        Request("What license did DeepSeek use for its January 2025 release?", asked_on=date(2026, 6, 1))
    )
    assert not answer.abstained, answer.text
    assert "MIT License" in answer.text and "March 2025" not in answer.text, answer.text


def test_the_asked_noun_after_which_and_a_sentence_standing_in_for_its_name() -> None:
    assert asked_nouns("Which band announced this week it’s dropping a new single?") == ["band", "announced"]
    assert asked_nouns("A processed cheese product is popular. Which product is it?") == ["product"]
    assert asked_nouns("What is her name?") == []
    # A name qualifying the noun is not it ("the US" is no park); a plural is also sought in the singular.
    assert asked_nouns("Which US national park was hit by flooding?") == ["national", "park"]
    assert asked_nouns("Which two major supermarkets plan to merge?") == [
        "major",
        "supermarkets",
        "supermarket",
        "plan",
    ]
    which_band = "Which band announced a tour?"
    assert stands_in(["band"], which_band, "The band announced a new tour in a funny video on Tuesday.")
    assert stands_in(["player"], "Which player?", "It makes him the highest paid player in the league's history.")
    assert not stands_in(["band"], which_band, "Blink-182 announced a new tour in a funny video on Tuesday.")
    # Naming something new, it may be the answer ("The band's singer, Mark Hoppus, said …").
    assert not stands_in(["band"], which_band, "The band's singer, Mark Hoppus, said the tour starts in March.")
    assert not stands_in([], which_band, "The band announced a new tour.")


def test_a_sentence_speaking_of_the_band_asked_about_does_not_answer_which_band(
    app: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "tour.md",
            "Pop-punk trio back on the road",
            "2022-10-12",
            "The Harbour Lights announced a reunion tour of 40 cities, starting in March.\n\n"
            "The band shared the news of its reunion in a video on Tuesday, to the delight of fans who had "
            "waited nine years.",
        ),
    )
    question = Request("Which band announced a reunion tour this week?", asked_on=date(2022, 10, 13))
    plan = app.answerer.plan(question)
    hits = app.answerer.search(plan)
    # The fixture is a real test of the rule: without the penalty the sentence that only says "the band" ranks first.
    monkeypatch.setattr(rag.extractive, "STAND_IN_PENALTY", 0.0)
    assert candidates(plan.standalone, hits, app.answerer.embedder)[0].text.startswith("The band shared")
    monkeypatch.undo()
    assert candidates(plan.standalone, hits, app.answerer.embedder)[0].text.startswith("The Harbour Lights announced")
    # Either way the answer says which band first: the sentence saying "the band" comes after the one before it.
    answer = app.ask(question)
    assert answer.text.startswith("The Harbour Lights announced"), answer.text


def test_a_sentence_that_speaks_of_a_date_without_giving_one_is_no_date() -> None:
    when = "When will the funeral take place?"
    official = (
        "Buckingham Palace announced the official date and plan for the funeral, after four days of lying in state."
    )
    assert speaks_of_a_date(when, official) and not holds_answer("date", when, official)
    assert speaks_of_a_date(when, "NASA has set a date for another attempt, after a storm late last month.")
    given = "The date of the funeral has not been announced, but it is expected to be around Sept 19."
    assert not speaks_of_a_date(when, given) and holds_answer("date", when, given)
    assert holds_answer("date", when, "It will take place on 19 Sept. at the abbey.")
    # The question's own date is no answer to it.
    asked = "When did the June 2025 summit open?"
    assert speaks_of_a_date(asked, "The date of the June 2025 summit was kept secret.")


def test_when_is_answered_by_the_day_not_by_the_sentence_that_a_date_was_set(
    app: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launch = Article(
        "launch.md",
        "Space agency sets date for another try at moon rocket launch",
        "2022-10-12",
        "The space agency has set a date for another attempt at launching its moon rocket, after a hurricane "
        "forced it to roll the rocket back into its hangar late last month.\n\n"
        "The next attempt to launch the moon rocket could take place as early as Monday, November 14, the "
        "agency said.",
    )
    news_library(app, tmp_path / "news", launch)
    question = Request(
        "The space agency has set a date for another try at launching its moon rocket. How soon could the attempt occur?",
        asked_on=date(2022, 10, 13),
    )
    # Without the rule the sentence that only says a date was set leads ("late last month" read as its date).
    monkeypatch.setattr(rag.answer_type, "_speaks_of_a_date", lambda sentence, new: False)  # in holds_answer
    monkeypatch.setattr(rag.extractive, "speaks_of_a_date", lambda question, sentence: False)  # the penalty
    unruled = app.ask(question)
    assert unruled.text.startswith("The space agency has set a date"), unruled.text
    monkeypatch.undo()
    answer = app.ask(question)
    assert answer.text.startswith("The next attempt to launch the moon rocket"), answer.text


def test_a_pronoun_after_an_opening_phrase_is_quoted_with_the_sentence_it_points_back_to(
    app: Briefing, tmp_path: Path
) -> None:
    speech = Article(
        "oscars.md",
        "Academy apologizes to the activist who refused an Oscar in 1973",
        "2022-08-15",
        "Sacheen Littlefeather had only 60 seconds to speak at the 1973 Academy Awards. In her brief speech, "
        "she refused the Oscar for best actor on behalf of Marlon Brando and defended the rights of Native "
        "Americans.\n\nThe Academy's letter came almost 50 years later.",
    )
    news_library(app, tmp_path / "news", speech)
    answer = app.ask(
        Request(
            "The Academy apologized this week to the activist who declined Marlon Brando's best actor Oscar on his "
            "behalf in 1973. Who is she?",
            asked_on=date(2022, 8, 16),
        )
    )
    assert "Sacheen Littlefeather" in answer.text, answer.text
    assert answer.text.index("Sacheen Littlefeather") < answer.text.index("In her brief speech"), answer.text


def test_a_sentence_saying_the_asked_thing_by_the_questions_noun_is_quoted_with_the_one_before_it(
    app: Briefing, tmp_path: Path
) -> None:
    words = Article(
        "words.md",
        "Dictionary publisher reveals its word of the year",
        "2022-11-01",
        "“Splooting” is one of the most talked-about words of 2022, according to dictionary publisher HarperCollins. "
        "The publisher of the Collins Dictionary named “permacrisis” as the word of the year. A spokesperson said the "
        "word “sums up quite succinctly just how truly awful 2022 has been for many people”.\n\nOther entries on the "
        "publisher's list include quiet quitting and partygate.",
    )
    news_library(app, tmp_path / "news", words)
    scene = "Collins Dictionary named its word of the year this week, a term it says sums up how truly awful 2022 "
    answer = app.ask(Request(scene + "has been for many people. What is the word?", asked_on=date(2022, 11, 4)))
    # "A spokesperson said the word …" matches the question best and alone never says which word.
    assert "permacrisis" in answer.text, answer.text
    assert answer.text.index("permacrisis") < answer.text.index("A spokesperson said"), answer.text


@pytest.mark.parametrize(
    ("answering", "context_added"),
    [
        # "the platform" is the question's own word for what it asks: the sentence alone says which only before it.
        ("The ban will kick in over the coming weeks on the platform.", True),
        # The same sentence opening with a name its story writes inside sentences too says which itself.
        ("TikTok’s ban will kick in over the coming weeks on the platform.", False),
        # It names no platform, but calls none "the platform" either.
        ("The ban will kick in over the coming weeks.", False),
        # A figure the question does not say is something the sentence says itself.
        ("The ban will cost the platform 5,000 accounts over the coming weeks.", False),
    ],
)
def test_a_sentence_calling_the_asked_thing_by_the_questions_word_comes_after_the_one_before_it(
    answering: str, context_added: bool
) -> None:
    before = "Politicians on TikTok can no longer raise money, the company said Wednesday."
    text = f"{before} {answering}"
    hit = whole_document_hit(Document(doc_id="platform", title="Social platform bans political fundraising", text=text))
    cand = Candidate(1, answering, 0.8, 0.8, len(before) + 1)
    question = "Which social media platform banned political fundraising this week?"
    out = with_antecedents([cand], [hit], cand, question=question)
    assert [c.text for c in out] == ([before, answering] if context_added else [answering])
    assert with_antecedents([cand], [hit], cand) == [cand]  # without the question, only a pronoun points back


@pytest.mark.parametrize(
    ("question", "nouns"),
    [
        ("Collins named its word of the year this week. What is the word?", ["word"]),
        ("The show premiered this week. What was its name?", ["name"]),
        ("Which band announced a tour?", ["band", "announced"]),
        ("Twitter is testing a feature. What will the feature let users do?", ["feature", "let", "users"]),
        ("what is the highest mountain peak in hawaii", ["mountain", "peak"]),
        ("What is Made in China 2025?", []),
        ("What did the Senate pass?", []),
    ],
)
def test_the_nouns_a_sentence_may_speak_of_the_asked_thing_by(question: str, nouns: list[str]) -> None:
    assert referred_nouns(question) == nouns


@pytest.mark.parametrize(
    ("question", "sentence", "holds"),
    [
        (
            "By what year did the plan aim to lead the industry?",
            "It set the goal of leading the industry by 2030.",
            True,
        ),
        ("By what year did the plan aim to lead the industry?", "Since 2018, the plan has been revised twice.", False),
        ("What deadline did the two sides set?", "Both sides will take these actions by May 14, 2025.", True),
        ("What deadline did the two sides set?", "The tariffs it imposed on April 8 will be removed.", False),
        # A date question that asks no deadline takes any date.
        ("When was the plan revised?", "Since 2018, the plan has been revised twice.", True),
    ],
)
def test_a_deadline_is_a_date_something_is_to_happen_by(question: str, sentence: str, holds: bool) -> None:
    assert answer_kind(question) == "date"
    assert holds_answer("date", question, sentence) == holds
    assert states_no_deadline(question, sentence) == (not holds and any(c.isdigit() for c in sentence))


def test_a_deadline_question_is_answered_by_the_date_set_for_it(
    app: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = Article(
        "rule.md",
        "Regulator finalises chip reporting rule",
        "2024-03-05",
        "The regulator first proposed the chip reporting rule on March 3, 2022, after a review of export licences "
        "that began in 2021.\n\n"
        "Chipmakers must file their first reports by June 30, 2025, the regulator said in its notice.",
    )
    news_library(app, tmp_path / "news", rule)
    question = Request("What deadline did the regulator set chipmakers for their reports?", asked_on=date(2024, 3, 6))
    answer = app.ask(question)
    assert answer.text.startswith("Chipmakers must file their first reports by June 30, 2025"), answer.text
    # Without the rule the question is no date question, and the sentence that shares its words leads.
    monkeypatch.setattr(rag.answer_type, "_DATE", re.compile(r"^\W*when\b", re.IGNORECASE))
    unruled = app.ask(question)
    assert not unruled.text.startswith("Chipmakers must file"), unruled.text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Today, President Donald J. Trump declared a national emergency.", date(2025, 4, 2)),
        ("Washington, D.C.--Today, the Bureau of Industry and Security released a package of rules.", date(2025, 4, 2)),
        ("The ministry said yesterday that it would retaliate.", date(2025, 4, 1)),
        # A date of its own, two days, or a weekday (which may be the next one): no day read from the source.
        ("Today, it said the tariff takes effect April 5, 2025.", None),
        ("Today, it said the tariff takes effect April 5.", None),
        ("Prices rose today, a year after they fell last year.", None),
        ("Prices rose today after falling yesterday.", None),
        ("Talks resume on Tuesday.", None),
    ],
)
def test_the_day_a_sentence_names_only_against_its_sources_date(text: str, day: date | None) -> None:
    assert dated_by_publication(text, date(2025, 4, 2)) == day
    assert dated_by_publication(text, None) is None


def test_a_when_answer_said_as_today_leads_with_its_sources_day(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    release = Article(
        "rules.md",
        "Commerce updates chip export rules",
        "2023-10-17",
        "Today, the Bureau of Industry and Security released a package of rules on advanced computing chips. "
        "The rules take effect in thirty days.",
    )
    app = Briefing(make_settings(tmp_path / "lib", generator="extractive"), embedder=embedder)
    news_library(app, tmp_path / "news", release)
    answer = app.ask(Request("When did BIS release its rules on advanced computing chips?", asked_on=date(2024, 1, 5)))
    assert answer.text.startswith("October 17, 2023 — Today, the Bureau"), answer.text
    assert answer.lead == "October 17, 2023" and answer.citations, answer
    # The passage states that day as "Today" in a release of that day, and no other: another date is no claim of it.
    hits = app.retrieve("When did BIS release its rules?")
    sentence = "Today, the Bureau of Industry and Security released a package of rules on advanced computing chips"
    verifier = Verifier(embedder, 0.75)
    assert verifier.verify([f"October 17, 2023 — {sentence} [1]."], hits).citations
    assert not verifier.verify([f"October 18, 2023 — {sentence} [1]."], hits).citations
    assert not verifier.verify([f"October 17, 2023 — {sentence}, 40 of them [1]."], hits).citations
    # The day it was announced answers neither what is to come nor a deadline the next sentence states.
    for question in ("When will the chip rules take effect?", "When were the chip rules to take effect?"):
        later = app.ask(Request(question, asked_on=date(2024, 1, 5)))
        assert later.lead is None and not later.text.startswith("October 17, 2023"), later.text
    deal = Article(
        "deal.md",
        "Trade deal reached",
        "2025-05-12",
        "Today, the two governments reached an agreement to reduce tariffs on each other's goods. "
        "Both sides will take these actions by May 14, 2025.",
    )
    news_library(app, tmp_path / "deal", deal)
    deadline = app.ask(
        Request("What deadline did the two governments set for the tariff cuts?", asked_on=date(2025, 5, 20))
    )
    assert deadline.lead is None and not deadline.text.startswith("May 12"), deadline.text
    app.close()


def test_a_question_asking_by_when_stands_on_the_sentence_that_states_the_date(corpus_app: Briefing) -> None:
    today = Candidate(1, "Today, the United States issued the first joint statement on trade with China.", 0.6, 0.6, 0)
    by = Candidate(2, "Both sides will take these actions by May 14, 2025.", 0.5, 0.4, 90)
    asked = "By what date do both sides have to carry out the tariff changes?"
    assert stating_deadline(asked, [today, by], today) == [by]
    assert stating_deadline(asked, [by, today], by) == []  # the answering sentence states it already
    assert stating_deadline("When did the two sides meet?", [today, by], today) == []  # no deadline asked
    # The joint statement's release ("Today, the United States issued …") was closer in words, and the answer.
    answer = corpus_app.ask(
        Request(
            "The US-China statement out of Geneva this week - by what date do both sides have to carry out the tariff"
            " changes?",
            asked_on=date(2025, 5, 15),
        )
    )
    assert "by May 14, 2025" in answer.text and "Today" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("asked", "sentence", "said"),
    [
        ("At what time did it peak?", "It will reach its peak at 7:52 a.m. ET Tuesday.", True),
        ("At what time did it peak?", "This year's strawberry moon is the first of two supermoons.", False),
        ("On what date is the impact expected?", "It will crash into the moon on March 4.", True),
        ("On what date is the impact expected?", "It is projected to crash into the moon in five weeks.", False),
        ("Which day will the funeral be held?", "The funeral will be held on Monday.", True),
        ("By what year did the policy aim to lead?", "Since 2018, the policy has aimed to lead.", False),
        ("In what year did it become a peninsula?", "It became a peninsula after an eruption in 1914.", True),
        ("In what year did it become a peninsula?", "It erupted around 8:05 p.m. on Sunday.", False),
        ("Which year did the band form?", "The band formed in the late 1970s.", True),
        ("Since what year has the combo cost $1.50?", "Since 1985, the combo has cost $1.50.", True),
        ("When did it happen?", "It happened in five weeks.", None),  # no day, time or deadline asked
        ("What time period does the plan cover?", "It covers 2025 to 2030.", None),
        ("what time of year do the leaves change colour", "Leaves change colour in autumn.", None),  # a season
    ],
)
def test_a_day_or_a_time_asked_is_said_only_by_one(asked: str, sentence: str, said: bool | None) -> None:
    assert asked_day_said(asked, sentence, sentence) is said


def test_a_sentence_its_next_completes_with_the_asked_day_is_not_set_aside(corpus_app: Briefing) -> None:
    # "Using his IEEPA authority, President Trump will impose a 10% tariff on all countries." says no day; its next
    # sentence does ("This will take effect April 5, 2025 …"). The best read sentence saying a day on its own ("… the
    # Executive Order dated April 8, 2025") is not the answer (sample-library blind.jsonl bl-15).
    question = "Under the April 2025 emergency trade order, on what date was the universal 10% tariff on all countries to start?"
    answer = corpus_app.ask(Request(question, asked_on=date(2026, 6, 1)))
    _assert_followed("Using his IEEPA authority", "This will take effect April 5, 2025", answer.text)


def _assert_followed(first: str, then: str, text: str) -> None:
    """The answer quotes a sentence opening `first`, and right after it one opening `then`."""
    said = sentences_of(text)
    at = next(i for i, s in enumerate(said) if s.startswith(first))
    assert said[at + 1].startswith(then), text


def test_a_question_asking_at_what_time_stands_on_the_sentence_that_states_one(app: Briefing, tmp_path: Path) -> None:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "moon.md",
            "June's strawberry moon will light up the sky this week",
            "2022-06-13",
            "This year's strawberry moon is the first of two consecutive supermoons.\n\nThe moon will appear full "
            "from Sunday to Wednesday, according to NASA. It will reach its peak at 7:52 a.m. ET Tuesday but will "
            "not be fully visible in North America until moonrise.",
        ),
    )
    question = (
        "June's strawberry moon, the first of two supermoons this year, peaked on Tuesday. At what time did it peak?"
    )
    answer = app.ask(Request(question, asked_on=date(2022, 6, 15)))
    assert "7:52 a.m." in answer.text and "first of two consecutive" not in answer.text, answer.text


def test_a_question_asking_in_what_year_stands_on_the_sentence_that_states_one(app: Briefing, tmp_path: Path) -> None:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "volcano.md",
            "Japan's Mount Kaido volcano erupts, prompting evacuations",
            "2022-07-24",
            "The Mount Kaido volcano, one of Japan's most active volcanoes, erupted Sunday evening, prompting "
            "evacuations on the country's southern island. The agency said Mount Kaido erupted around 8:05 p.m. local "
            "time, hurling large rocks as far as two miles and sending up plumes of smoke and ash.\n\nThe agency "
            "raised its alert to the highest level, asking residents of nearby towns to evacuate. The volcano sits on "
            "the southern tip of the prefecture. It used to be an island but became a peninsula after an eruption in "
            "1914.",
        ),
    )
    scene = "Japan's Mount Kaido volcano erupted on Sunday evening, hurling large rocks and triggering the country's "
    asked = "highest alert level. In what year did an eruption turn Mount Kaido from an island into a peninsula?"
    answer = app.ask(Request(scene + asked, asked_on=date(2022, 7, 27)))
    assert "1914" in answer.text and "8:05 p.m." not in answer.text, answer.text


def test_a_scene_questions_own_figure_finds_the_sentence_stating_it(app: Briefing, tmp_path: Path) -> None:
    fires = Article(
        "fires.md",
        "Two massive wildfires burn thousands of acres, force evacuations",
        "2022-03-06",
        "Florida firefighters are still battling two massive wildfires Sunday that have burned thousands of acres and "
        "forced over 1,000 evacuations in an area of the Florida Panhandle still recovering from Hurricane Michael. "
        "Crews worked through the night. As of Sunday afternoon, the growing Bertha Swamp Road fire had burned 9,000 "
        "acres and was 10% contained. The Adkins Avenue fire was 35% contained.",
    )
    news_library(app, tmp_path / "news", fires)
    scene = "Two major wildfires forced more than 1,000 evacuations in Florida's Panhandle, recovering from Hurricane "
    answer = app.ask(Request(scene + "Michael. Which of the fires had burned 9,000 acres?", asked_on=date(2022, 3, 9)))
    assert not answer.abstained, answer.text
    assert "Bertha Swamp Road" in answer.text, answer.text


def test_a_scene_questions_own_words_find_the_sentence_saying_them(app: Briefing, tmp_path: Path) -> None:
    menu = Article(
        "menu.md",
        "Starbucks winter menu brings back the Pistachio Latte",
        "2022-01-04",
        "So long, Starbucks' holiday drinks and pumpkin spice latte. Starbucks told USA TODAY that holiday beverages "
        "and pumpkin drinks will no longer be offered with the arrival of the winter menu. With the new year, the "
        "Seattle-based coffee giant has changed seasons and announced the return of its Pistachio Latte on Tuesday "
        "at participating locations for a limited time this winter.",
    )
    news_library(app, tmp_path / "news", menu)
    scene = "Starbucks retired its holiday drinks this week as it switched to its winter menu. "
    asked = "Which returning drink did the coffee chain bring back on Tuesday for a limited time?"
    answer = app.ask(Request(scene + asked, asked_on=date(2022, 1, 7)))
    assert not answer.abstained, answer.text
    assert "Pistachio Latte" in answer.text, answer.text


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        ("Griner was sentenced to nine years in prison.", True),
        ("The court handed down a 9-year sentence.", True),
        ("The strike lasted a week.", True),
        # a day is no span of time
        ("Today, American citizen Brittney Griner received a prison sentence that is a reminder.", False),
        ("Griner was sentenced on Thursday, August 4.", False),
    ],
)
def test_how_long_is_answered_by_a_span_of_time(sentence: str, holds: bool) -> None:
    question = "A Russian court on Thursday convicted Brittney Griner. How long was the prison sentence she received?"
    assert holds_answer("date", question, sentence) is holds


def test_a_day_from_another_story_is_not_stood_on(app: Briefing, tmp_path: Path) -> None:
    # A "by when" question stands on a read sentence stating a day only if it is of the answering sentence's story.
    other = beside_another_story(app, tmp_path / "news", "The camp is to close by November 30, officials said.")
    answer = app.ask(Request(f"{HEADLINE_SCENE} By what date will the money be paid?", asked_on=HEADLINE_ASKED_ON))
    assert "November 30" not in answer.text, answer.text
    assert other.title not in {c.title for c in answer.citations}


def test_a_date_in_the_answering_passage_is_stood_on_though_it_names_nothing_asked(
    app: Briefing, tmp_path: Path
) -> None:
    # The sentence giving the day is far from the question in words, but of the answering sentence's own passage.
    wreck = Article(
        "wreck.md",
        "Discovery of the Titanic wreck",
        "2022-05-01",
        "In 1985 a joint French and American expedition set out to find the wreck of RMS Titanic. After a week of "
        "fruitless searching, at 12.48 am on Sunday 1 September 1985 pieces of debris began to appear on the "
        "screens of the research vessel Knorr. One of them was identified as a boiler, identical to those shown in "
        "pictures from 1911. The following day, the main part of the wreck was found and Argo sent back the first "
        "pictures of Titanic since her sinking 73 years before.",
    )
    news_library(app, tmp_path / "news", wreck)
    answer = app.ask(Request("what date was the titanic wreck discovered", asked_on=date(2022, 6, 1)))
    assert "1 September 1985" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "asking"),
    [
        ("When he raised the duties last week, how did Biden describe American workers?", "how did Biden describe"),
        ("Biden visited Colorado. When he designated the monument, what did he pause?", "what did he pause?"),
        ("When will the tariffs fall?", "When will the tariffs fall?"),
        ("When the talks end, when will the tariffs fall?", "When the talks end, when will"),
    ],
)
def test_an_opening_when_clause_is_scene(question: str, asking: str) -> None:
    assert asked_sentence(question).startswith(asking)


def test_a_quoted_sentence_leaves_out_its_dateline_and_is_cited_whole(app: Briefing, tmp_path: Path) -> None:
    # "London (CNN)" and "NEW YORK (AP) —" say where and for whom a story was filed; the answer quotes what the
    # sentence says, and its citation still points at the whole sentence of the source.
    news_library(
        app,
        tmp_path / "news",
        Article(
            "tennis.md",
            "Serena Williams to play Wimbledon again",
            "2022-06-14",
            "London (CNN) Seven-time Wimbledon champion Serena Williams will return to the tournament this summer "
            "after a year away, the club said on Tuesday. She was given a wildcard into the singles draw.",
        ),
        Article(
            "dogs.md",
            "Hot dog contest crowns its champion",
            "2022-07-04",
            "NEW YORK (AP) — Joey Chestnut ate 63 hot dogs and buns in ten minutes on Monday to win the annual "
            "contest on Coney Island. It was his fifteenth title.",
        ),
    )
    asked = {
        "Which champion will return to Wimbledon this summer after a year away?": "Seven-time Wimbledon champion",
        "How many hot dogs did Joey Chestnut eat to win the contest on Coney Island?": "Joey Chestnut ate 63",
    }
    for question, said in asked.items():
        answer = app.ask(Request(question, asked_on=date(2022, 7, 5)))
        assert not answer.abstained and said in answer.text, answer.text
        assert "(CNN)" not in answer.text and "(AP)" not in answer.text, answer.text
        quotes = [c.quote for c in answer.citations]
        assert any(said in q and ("(CNN)" in q or "(AP)" in q) for q in quotes), quotes


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "London (CNN) Seven-time champion Serena Williams will return.",
            "Seven-time champion Serena Williams will return.",
        ),
        ("NEW YORK (AP) — Joey Chestnut ate 63 hot dogs.", "Joey Chestnut ate 63 hot dogs."),
        ("BOGOTA, Colombia — Gustavo Petro won the runoff.", "Gustavo Petro won the runoff."),
        # A hyphen stands for the dash before a capital ("TRENTON - After …"), and only there.
        ("TRENTON - After two years, lawmakers acted.", "After two years, lawmakers acted."),
        ("WASHINGTON, D.C. - The vote passed.", "The vote passed."),
        ("NASA - the agency said so.", "NASA - the agency said so."),
        ("The Associated Press (AP) reported the vote.", "The Associated Press (AP) reported the vote."),
        ("NEW YORK (AP) —", "NEW YORK (AP) —"),  # nothing follows: the text stays as it is
    ],
)
def test_a_dateline_is_told_from_the_sentence_it_opens(text: str, said: str) -> None:
    assert without_dateline(text) == said


def test_the_day_a_questions_scene_names_is_not_the_asked_date(app: Briefing, tmp_path: Path) -> None:
    # The scene's "last Friday" is read as a window and left out of the question the rules read; the first sentence's
    # "announced Friday" is then no new day for "On what date …?": the sentence giving one answers.
    medals = Article(
        "medals.md",
        "Biden to award the Medal of Freedom to 17 people",
        "2022-07-01",
        "WASHINGTON — President Joe Biden will present the nation's highest civilian honor, the Presidential Medal of "
        "Freedom, to 17 people, including gymnast Simone Biles and the late John McCain, the White House announced "
        "Friday.\n\nThe Democratic president will present the medals at the White House on July 7.\n\nBiden himself "
        "is a medal recipient.",
    )
    news_library(app, tmp_path / "news", medals)
    asked = (
        "The White House said last Friday that President Biden will award the Presidential Medal of Freedom to 17 "
        "people, including Simone Biles. On what date will he present the medals?"
    )
    answer = app.ask(Request(asked, asked_on=date(2022, 7, 5)))
    assert "July 7" in answer.text, answer.text
