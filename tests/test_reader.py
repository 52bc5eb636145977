"""The local model as a reader: it names the answer, and the library sentence holding that name says it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from langchain_core.language_models.fake import FakeListLLM

from briefing.api import Briefing
from core.request import Request
from ingest.embed import SentenceEmbedder
from rag.answer_type import names_someone_new, not_the_asked_measure
from rag.brief import figure_of
from rag.extractive import Candidate, candidates, select
from rag.lead_phrase import lead, whole_date
from rag.llms import llamacpp_available
from rag.rates import name_of_rate
from rag.reader import (
    OUTSCORED_AMOUNT_BY,
    OUTSCORED_BY,
    PAIR_WORDS,
    READ_SENTENCES,
    RESTATES_QUESTION,
    about_an_earlier_time,
    adds,
    counts_elsewhere,
    describes,
    for_another_party,
    guided,
    holding,
    named_sentence,
    naming,
    outscored,
    overruled,
    plain,
    reading,
    speaker_named,
    stating_amount,
)
from rag.temporal import TimeScope
from rag.text import AMOUNT
from rag.window import dated_outside_window
from tests.helpers import Article, make_settings, news_library


def cand(text: str, hit: int = 1, position: int = 0, score: float = 0.5) -> Candidate:
    return Candidate(hit, text, score, score, position)


RANKED = [
    cand("Flooding washed out roads and bridges across the park on Monday.", position=0, score=0.9),
    cand("Rangers closed all five entrances to visitors.", position=70, score=0.8),
    cand("A washed out bridge at Yellowstone National Park’s Rescue Creek.", position=120, score=0.7),
    cand("Officials said the “Grease” star died at 73.", hit=2, position=0, score=0.6),
]


def test_plain_text_ignores_case_punctuation_curly_quotes_and_articles() -> None:
    assert plain("The “Grease”!") == "grease"
    assert plain("Yellowstone National Park’s") == "yellowstone national park s"
    assert plain("up 54% to $6 billion") == "up 54% to $6 billion"
    # A number keeps its own comma and stop: "1" is not a word of "1,700", nor "5" of "1.5".
    assert (
        plain("roughly 1,700 GPUs, up 1.5 times in 2024, 12 firms.")
        == "roughly 1,700 gpus up 1.5 times in 2024 12 firms"
    )


def test_a_number_replied_is_not_found_inside_a_longer_one() -> None:
    ranked = [
        cand("Chip orders of up to roughly 1,700 advanced GPUs do not require a license.", position=0, score=0.9),
        cand("Sales rose 1.5 times.", position=90, score=0.8),
        cand("It ranks 1 among the firms.", position=120, score=0.7),
    ]
    assert named_sentence("1", ranked) == 2
    assert named_sentence("1,700", ranked) == 0
    assert named_sentence("5", ranked) is None


@pytest.mark.parametrize(
    ("reply", "index"),
    [
        ("Yellowstone National Park", 2),
        (" yellowstone.\nQuestion: next", 2),  # only the first line is the answer
        ('"Grease"', 3),
        ("The park", 0),  # the best-ranked sentence that holds it
        ("Zion", None),  # named, but no sentence read says it
        ("Rescue Creek at Yellowstone", 2),  # the same words in another order
        ("closed the entrance", 1),  # or number
        ("Yellowstone and Zion", None),  # every word must be there
        ("", None),
        ("Flooding washed out roads and bridges across the park on Monday and rangers closed it", None),  # not a name
    ],
)
def test_the_named_answer_picks_the_sentence_that_holds_it(reply: str, index: int | None) -> None:
    assert named_sentence(reply, RANKED) == index


def test_a_sentence_past_those_read_counts_only_when_it_holds_the_whole_phrase() -> None:
    many = [cand(f"Sentence number {i} about tariffs.", position=40 * i) for i in range(READ_SENTENCES + 2)]
    assert reading(many).count("Sentence number") == READ_SENTENCES
    assert named_sentence(f"number {READ_SENTENCES + 1}", many) == READ_SENTENCES + 1
    assert named_sentence(f"tariffs {READ_SENTENCES + 1}", many) is None  # its words, not the phrase
    assert named_sentence("number 1", many) == 1  # "number 1" is not in "number 10": whole words


def test_a_sentence_that_announces_a_list_is_read_but_never_named_or_chosen() -> None:
    intro = cand("The Parties commit to take the following actions by May 14, 2025:", score=0.9)
    action = cand("China will remove the retaliatory tariffs it announced since April 4, 2025.", position=80, score=0.8)
    ranked = [intro, action]
    assert "the following actions" in reading(ranked)
    assert named_sentence("the following actions by May 14, 2025", ranked) is None
    assert named_sentence("the retaliatory tariffs", ranked) == 1
    assert select(ranked, 2) == [action]
    assert guided(ranked, 1, 2) == [action]  # the best that may be said is the named one itself


def test_the_sentence_the_reply_copies_character_for_character_comes_first() -> None:
    straight = cand('Hollywood mourned the "Grease" star on Monday.', score=0.9)
    curly = cand("She charmed viewers in the blockbuster movie “Grease,” her family said.", hit=2, score=0.8)
    assert named_sentence("“Grease”", [straight, curly]) == 1
    assert named_sentence("Grease", [straight, curly]) == 0  # both hold it: the better ranked


FOUNDED = [
    cand("The company grew fast after its first model came out.", score=0.9),
    cand(
        "DeepSeek was founded in July 2023 by Liang Wenfeng, the co-founder of High-Flyer, who also serves as "
        "the CEO for both of the companies.",
        hit=2,
        score=0.8,
    ),
]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        # The model named the founder and ran on copying its sentence: the head names him.
        (
            " Liang Wenfeng, the co-founder of High-Flyer, who also serves as the CEO for both of the companies.",
            (1, "Liang Wenfeng"),
        ),
        ("Liang Wenfeng", (1, "Liang Wenfeng")),
        ("Hangzhou, Zhejiang, China", None),  # neither the reply nor its head is in a sentence
        ("the co-founder of High-Flyer", (1, "the co-founder of High-Flyer")),  # short: the whole reply
        ("July 2023, when the company began", (1, "July 2023")),
        ("", None),
    ],
)
def test_a_reply_that_runs_on_is_named_by_its_head(reply: str, expected: tuple[int, str] | None) -> None:
    assert naming(reply, FOUNDED) == expected


def test_a_reply_naming_only_the_questions_words_names_nothing() -> None:
    reply = " Liang Wenfeng, the co-founder of High-Flyer, who also serves as the CEO."
    assert naming(reply, FOUNDED, question="Who founded DeepSeek?") == (1, "Liang Wenfeng")
    # Its head is all the question says (accents aside): no answer is named.
    assert naming(reply, FOUNDED, question="Which company did Liáng Wenfeng found?") is None


@pytest.mark.parametrize(
    ("reply", "sentence", "question", "expected"),
    [
        ("Yellowstone National Park", RANKED[2].text, "Which park flooded?", "Yellowstone National Park"),
        (
            "the international space station",
            "The capsule docked at the International Space Station.",
            "Where did the capsule go?",
            "International Space Station",
        ),
        ("$12,600,000", "A card sold for $12,600,000 on Sunday.", "How much did the card sell for?", "$12,600,000"),
        (
            "11,000",
            "Meta will lay off 11,000 employees, about 13% of its staff.",
            "How many jobs did Meta cut?",
            "11,000",
        ),
        (
            "Grease",
            "She charmed viewers in the blockbuster movie “Grease,” her family said.",
            "Which film?",
            '"Grease"',  # the title's marks kept, written straight: the lead reads as the plain title
        ),
        (
            "Hold Me Closer",
            "The duet, “Hold Me Closer”, arrived at midnight.",
            "What is the song called?",
            '"Hold Me Closer"',
        ),
        ("Tesla", "Tesla showed a robot that walks on Friday.", "What did Tesla show?", None),  # the question's word
        ("heat waves", "Europe's heat wave moves east, and wildfires follow.", "Which weather hit Europe?", None),
        ("robot", "A robot.", "What did Tesla show?", None),  # the whole sentence: nothing to lead with
        ("1", "Prices rose 10% in 2021.", "By how much?", None),  # whole words only
        # What the question already says is dropped from the start, and a lead of nothing new is none.
        (
            "SMIC is headquartered in Shanghai",
            "SMIC is headquartered in Shanghai and incorporated in the Cayman Islands.",
            "Where is SMIC headquartered?",
            "Shanghai",
        ),
        (
            "Supreme Court ruled",
            "In February 2026, the Supreme Court ruled the IEEPA tariffs illegal in a case.",
            "What did the Supreme Court rule about the IEEPA tariffs?",
            None,
        ),
        (
            "He Lifeng, Vice Premier",
            "China will be represented by He Lifeng, Vice Premier of the State Council.",
            "Who represents China?",
            "He Lifeng, Vice Premier",
        ),
        (
            "The Supreme Court ruled",
            "In February 2026, The Supreme Court ruled the IEEPA tariffs illegal in a case.",
            "What did the Supreme Court rule about the IEEPA tariffs?",
            None,
        ),
        (
            "the 2024 deficit of $295.4 billion",
            "The 2024 deficit of $295.4 billion was the largest with any partner.",
            "How large was the deficit in 2024?",
            "$295.4 billion",
        ),
        # A bracket the reply opens is closed as the sentence closes it, or left out.
        (
            "Major League Pickleball (MLP",
            "He is buying a team in Major League Pickleball (MLP) as the league grows.",
            "LeBron James agreed to buy a team in which major sports league?",
            "Major League Pickleball (MLP)",
        ),
        (
            "Major League Pickleball (MLP",
            "He is buying a team in Major League Pickleball (MLP as the league grows.",
            "LeBron James agreed to buy a team in which major sports league?",
            "Major League Pickleball",
        ),
        # So is a quotation ("Antarctica’s so-called “doomsday glacier —" led news-dev 20220909_8's answer).
        (
            "Antarctica’s so-called “doomsday glacier",
            "Antarctica’s so-called “doomsday glacier” could raise sea levels by several feet, scientists say.",
            "Where is the glacier located?",
            "Antarctica’s so-called “doomsday glacier”",
        ),
        # Where the question says the rest, what owns it answers: the glacier is the question's, Antarctica is new.
        (
            "Antarctica’s so-called “doomsday glacier",
            "Antarctica’s so-called “doomsday glacier” could raise sea levels by several feet, scientists say.",
            "Scientists say a so-called “doomsday glacier” could raise sea level. Where is the glacier located?",
            "Antarctica",
        ),
        (
            "Tesla's Optimus robot",
            "Tesla's Optimus robot walked on stage on Friday at the company's event in Palo Alto.",
            "Which robot did Tesla show on Friday?",
            "Tesla's Optimus robot",
        ),  # "Optimus" is news: the whole phrase leads
        (
            "Thwaites Glacier, “the doomsday glacier",
            "Thwaites Glacier, “the doomsday glacier of Antarctica, is melting fast.",
            "Which glacier is melting fast?",
            "Thwaites Glacier",
        ),
        # A name or a compound is never cut where the question's words end: not "Station", not "Pickleball".
        (
            "the space station",
            "The crew flew to the space station aboard a Crew Dragon capsule.",
            "SpaceX and NASA launched a rocket into space Wednesday. What was its destination?",
            "space station",
        ),
        (
            "the Commerce Department",
            "The Commerce Department issued the rules on Friday.",
            "Which department issued the rules?",
            "Commerce Department",
        ),  # an article is not part of the name
        (
            "Chick-fil",
            "Chick-fil-A has the slowest drive-thrus in the country, a new study of ten chains revealed.",
            "Which chain had the slowest drive-thru?",
            "Chick-fil-A",
        ),  # a reply cut inside a hyphenated name leads with all of it
        # A number and the word multiplying it are one quantity, the question's number or not.
        (
            "76 million-year-old fossilized dinosaur skeleton",
            "A 76 million-year-old fossilized dinosaur skeleton will be auctioned off this month in New York City.",
            "Sotheby's will auction a 76-million-year-old dinosaur. What is for sale?",
            "76 million-year-old fossilized dinosaur skeleton",
        ),
        # A title's article is the title's, quoted or inside a sentence; a sentence's opening one is not (above).
        (
            "The Bold and the Beautiful",
            "Also contending are “The Bold and the Beautiful” and “The Young and the Restless,” both on CBS.",
            "Which show won the award for outstanding drama series?",
            '"The Bold and the Beautiful"',
        ),
        (
            "Washington Post",
            "The story first ran in The Washington Post.",
            "Which paper ran it?",
            "The Washington Post",
        ),
        (
            "Washington Post",
            "A review in The Times followed one in The Washington Post.",
            "Which paper reviewed it first?",
            "The Washington Post",
        ),  # the article right before the title, not an earlier one
        # The name before what describes it, and never who said it, unless the question asks who.
        (
            "Charles Franklin, the poll's director",
            "“It is hard to escape the conclusion,” said Charles Franklin, the poll's director.",
            "Who is the director of the poll?",
            "Charles Franklin",
        ),
        (
            "Moose Fire, Cernicek said",
            "The two pilots were contracted to help fight the Moose Fire, Cernicek said.",
            "Which wildfire were the pilots helping to fight?",
            "Moose Fire",
        ),
        (
            "Cernicek said",
            "The two pilots were contracted to help fight the Moose Fire, Cernicek said.",
            "Which wildfire were the pilots helping to fight?",
            None,
        ),
        (
            "Cernicek said",
            "The two pilots were contracted to help fight the Moose Fire, Cernicek said.",
            "Who said the pilots were fighting the Moose Fire?",
            "Cernicek",
        ),
    ],
)
def test_the_lead_is_the_named_phrase_as_the_sentence_spells_it(
    reply: str, sentence: str, question: str, expected: str | None
) -> None:
    assert lead(reply, sentence, question) == expected


def test_the_named_sentence_leads_and_the_best_follows_within_the_budget() -> None:
    assert [c.text for c in guided(RANKED, 2, 2)] == [RANKED[2].text, RANKED[0].text]
    assert len(" ".join(c.text for c in guided(RANKED, 2, 2)).split()) <= PAIR_WORDS
    assert guided(RANKED, 2, 1) == [RANKED[2]]  # one sentence asked for: only the named one
    assert guided(RANKED, 0, 2) == [RANKED[0]]  # the best itself named: no padding
    assert guided(RANKED, 2, 2, words=15) == [RANKED[2]]  # both would not fit
    clause = cand("washed out roads and bridges across the park", position=9, score=0.95)
    assert guided([clause, RANKED[0]], 1, 2) == [RANKED[0]]  # never a sentence and its own clause


def test_a_sentence_that_restates_the_question_overrules_the_models_pick() -> None:
    restating = Candidate(1, "Chestnut won the contest, devouring 63 hot dogs.", 0.9, RESTATES_QUESTION + 0.01, 0)
    other = Candidate(1, "He put away 15 more hot dogs than his closest competitor.", 0.6, 0.55, 80)
    same = float  # MiniLM's own scale
    assert overruled([restating, other], 1, same)
    assert not overruled([restating, other], 0, same)  # the model picked it too
    close = Candidate(1, restating.text, 0.9, RESTATES_QUESTION - 0.02, 0)
    assert not overruled([close, other], 1, same)  # close, but not a restatement: the model's pick stands
    # The relevance is read on MiniLM's scale: an embedder whose cosines run higher is mapped first.
    assert not overruled([restating, other], 1, lambda r: r - 0.1)
    announcing = Candidate(1, "The two sides agreed on the following steps:", 0.95, 0.95, 0)
    assert not overruled([announcing, other], 1, same)  # a sentence that only announces is never the answer


HOT_DOGS = """---
title: Joey Chestnut wins again
source: Example Wire
published: 2022-07-05
---
Competitive eater Joey Chestnut won his record-extending 15th Nathan's Famous International Hot Dog Eating
Contest, devouring an astounding 63 hot dogs and buns in 10 minutes on Monday.

He put away 15 and a half more hot dogs than his closest competitor, Geoffrey Esper, but came up well short
of his own personal record of 76 set last year.
"""


def one_article_library(tmp_path: Path, embedder: SentenceEmbedder, name: str, text: str) -> Briefing:
    """A library on disk holding one news article, with the real embedder."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    app = Briefing(make_settings(tmp_path / "lib"), embedder=embedder)
    assert not app.ingest([folder]).failed
    return app


def test_the_answer_keeps_the_sentence_that_restates_the_question(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    app = one_article_library(tmp_path, embedder, "hot-dogs.md", HOT_DOGS)
    question = (
        "How many hot dogs did competitive eater Joey Chestnut devour to win the Nathan's Famous International "
        "Hot Dog Eating Contest?"
    )
    extractive = app.ask(question)
    assert "63 hot dogs" in extractive.text
    as_local_model(app, " 15\n")  # the model names the number of the wrong sentence
    answer = app.ask(question)
    # The sentence that stands leads with its own count, as the extractive answer does.
    assert answer.text == extractive.text and answer.lead == extractive.lead == "63 hot dogs"
    assert not answer.text.startswith("15")
    app.close()


TESLA = """---
title: Tesla shows off a humanoid robot
source: Example Wire
published: 2022-10-01
---
Tesla debuted a prototype of its Optimus humanoid robot at its AI Day event on Friday, a product the company
says could one day work in its factories.

When Tesla revealed the Cybertruck in 2019, it was said to cost $39,990, but the pickup truck is still not
for sale.
"""

WEEK = TimeScope(
    asked_on=date(2022, 10, 6),
    query="Which new product did Tesla debut?",
    since=date(2022, 9, 29),
    until=date(2022, 10, 5),
)


def test_a_pick_dated_before_the_window_gives_way_to_the_best_sentence() -> None:
    best = cand("Tesla debuted a prototype of its Optimus humanoid robot on Friday.", score=0.8)
    older = cand("When Tesla revealed the Cybertruck in 2019, it was said to cost $39,990.", position=90, score=0.6)
    dated = cand("On September 30, 2022, Tesla also showed a new charger.", position=170, score=0.5)
    later = cand("Tesla said the robot could go on sale in 2023.", position=230, score=0.5)
    assert about_an_earlier_time([best, older], 1, WEEK)
    assert not about_an_earlier_time([best, later], 1, WEEK)  # what happens next is news of the week too
    assert not about_an_earlier_time([best, older], 0, WEEK)  # the model picked the best sentence itself
    assert not about_an_earlier_time([best, dated], 1, WEEK)  # a date inside the window
    assert not about_an_earlier_time([older, best], 1, WEEK)  # the best sentence is no closer to the week
    assert not about_an_earlier_time([best, older], 1, None)  # no window, no time to be outside of
    ever = TimeScope(asked_on=date(2022, 10, 6), query="Which new product did Tesla debut?")
    assert not about_an_earlier_time([best, older], 1, ever)


def test_the_answer_to_a_question_about_this_week_is_not_named_from_another_year(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    app = one_article_library(tmp_path, embedder, "tesla.md", TESLA)
    request = Request("Which new product did Tesla debut at an event this week?", asked_on=date(2022, 10, 6))
    extractive = app.ask(request)
    assert not extractive.abstained and "humanoid robot" in extractive.text
    as_local_model(app, " Cybertruck\n")  # the model names the product of the sentence about 2019
    answer = app.ask(request)
    assert answer.text == extractive.text and answer.lead is None, answer.text
    app.close()


def _drinks(app: Briefing, folder: Path, older_day: str) -> None:
    news_library(
        app,
        folder,
        Article(
            "older.md",
            "Coke's latest flavor is here",
            older_day,
            "Coca-Cola announced a new limited-edition beverage: Coca-Cola Starlight, a red version of its soda "
            "in a new bottle, with a flavor inspired by space.",
        ),
        Article(
            "recent.md",
            "Sprite will no longer be sold in green bottles",
            "2022-07-27",
            "After more than 60 years, the popular soda Sprite is getting a new bottle: it drops its green plastic "
            "for clear plastic from August 1, the company said.",
        ),
    )


@pytest.mark.parametrize(("older_day", "gives_way"), [("2022-04-04", True), ("2022-07-13", False)])
def test_an_untimed_answer_is_not_named_from_an_article_months_older_than_the_best(
    tmp_path: Path, embedder: SentenceEmbedder, older_day: str, gives_way: bool
) -> None:
    # Asked without time words, the answer is the day's news: the model named April's drink beside the day-old
    # article that answers. An article two weeks older is the same news, and the model's pick stands.
    app = Briefing(make_settings(tmp_path / "lib"), embedder=embedder)
    _drinks(app, tmp_path / "news", older_day)
    request = Request(
        "After more than 60 years, which popular beverage is getting a new bottle design?", asked_on=date(2022, 7, 28)
    )
    extractive = app.ask(request)
    assert (
        not extractive.abstained and extractive.citations[0].title == "Sprite will no longer be sold in green bottles"
    )
    as_local_model(app, " Coca-Cola Starlight\n")
    answer = app.ask(request)
    if gives_way:
        assert answer.text == extractive.text and answer.lead is None, answer.text
    else:
        assert answer.lead == "Coca-Cola Starlight", answer.text
    app.close()


TARIFFS = (
    "Until the crisis is alleviated, the President is implementing a 25% additional tariff on imports from Canada "
    "and Mexico and a 10% additional tariff on imports from China."
)


@pytest.mark.parametrize(
    ("lead_value", "question", "another"),
    [
        ("10%", "What tariff did the US put on Canadian goods?", True),  # 10% is China's
        ("25%", "What tariff did the US put on Canadian goods?", False),
        ("10%", "What tariff did the US put on Chinese goods?", False),
        ("10%", "What tariff did the US put on imported goods?", False),  # no party named: nothing to decide
        ("10%", "What tariff did the US put on goods from Peru?", False),  # no value is followed by Peru
    ],
)
def test_a_lead_value_that_belongs_to_another_party_is_told_apart(
    lead_value: str, question: str, another: bool
) -> None:
    assert for_another_party(lead_value, TARIFFS, question) is another


def test_a_lead_from_a_sentence_with_one_value_is_never_another_partys() -> None:
    sentence = "The CHIPS and Science Act provides $52.7 billion for semiconductor manufacturing in the United States."
    assert not for_another_party("$52.7 billion", sentence, "How much does the CHIPS Act give Intel?")


def test_an_amount_restated_in_brackets_is_the_same_amount() -> None:
    sentence = (
        "Ireland's regulator will levy a record fine of 405 million euros ($402 million) against Instagram "
        "following an investigation into its handling of children's data."
    )
    question = "How much was Instagram fined for failing to protect children's data?"
    assert not for_another_party("405 million euros", sentence, question)
    # Two amounts that are not a restatement are still read apart.
    two = "Meta paid 405 million euros in Ireland and $5 billion to the FTC over Instagram."
    assert for_another_party("405 million euros", two, question)


RATES = (
    "For rice in the husk, the U.S. imposes a tariff of 2.7%, while India (80%), Malaysia (40%), and Turkey "
    "(31%) impose higher rates."
)


@pytest.mark.parametrize(
    ("lead_value", "question", "another"),
    [
        ("2.7%", "What tariff does India impose on rice?", True),  # the U.S. rate, before India's bracket
        ("80%", "What tariff does India impose on rice?", False),  # "India (80%)": the name before the bracket
        ("40%", "What tariff does India impose on rice?", True),  # Malaysia's
        ("40%", "What tariff does Malaysia impose on rice?", False),
    ],
)
def test_a_value_in_brackets_after_a_name_is_that_names(lead_value: str, question: str, another: bool) -> None:
    assert for_another_party(lead_value, RATES, question) is another


def test_the_model_naming_another_partys_rate_does_not_lead_the_answer(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    text = f"---\ntitle: Tariffs on Canada, Mexico and China\nsource: Example Wire\npublished: 2025-02-01\n---\n{TARIFFS}\n"
    app = one_article_library(tmp_path, embedder, "tariffs.md", text)
    question = "What tariff did the US put on Canadian goods?"
    as_local_model(app, " 10%\n")  # the small model names China's rate
    answer = app.ask(question)
    assert not answer.abstained and answer.lead is None, answer.text
    assert answer.text.startswith("Until the crisis is alleviated") and "25% additional tariff" in answer.text
    as_local_model(app, " 25%\n")
    assert app.ask(question).text.startswith("25% — Until the crisis is alleviated")
    app.close()


def test_a_name_leads_as_the_one_bracketed_with_the_rate_the_question_names(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    assert name_of_rate({"80"}, "Malaysia", RATES) == "India"
    assert name_of_rate({"80"}, "India", RATES) is None  # already the one
    assert name_of_rate({"2.7"}, "India", RATES) is None  # the U.S. rate is not in brackets after a name
    assert name_of_rate({"80"}, "Rice", RATES) is None  # no bracketed name
    text = f"---\ntitle: Tariffs on rice\nsource: Example Wire\npublished: 2025-04-02\n---\n{RATES}\n"
    app = one_article_library(tmp_path, embedder, "rice.md", text)
    as_local_model(app, " Malaysia\n")  # the small model names the bracketed name before another rate
    answer = app.ask("Which country's tariff on rice in the husk is 80%?")
    assert answer.text.startswith("India — For rice in the husk"), answer.text
    app.close()


VACCINATED = (
    "About two-thirds of the total US population is vaccinated against Covid-19 with an initial series, according"
    " to data from the CDC. But still about 21% of the eligible population, or 65.5 million people 5 and older,"
    " have not received a single dose of a Covid-19 vaccine, the CDC data show."
)


def test_a_count_named_for_a_share_does_not_lead_the_answer(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    text = f"---\ntitle: Covid-19 vaccinations\nsource: Example Wire\npublished: 2022-09-01\n---\n{VACCINATED}\n"
    app = one_article_library(tmp_path, embedder, "vaccinated.md", text)
    question = "What percentage of the total US population is vaccinated against Covid-19?"
    as_local_model(app, " 65.5 million people 5 and older\n")  # a count, where a share was asked for
    answer = app.ask(question)
    assert not answer.abstained and answer.lead is None, answer.text
    assert answer.text.startswith("About two-thirds of the total US population is vaccinated"), answer.text
    as_local_model(app, " two-thirds\n")
    assert app.ask(question).lead == "Two-thirds"
    app.close()


@pytest.mark.parametrize(
    ("named", "question", "missed"),
    [
        ("65.5 million people", "What percentage of the total US population is vaccinated?", True),
        ("68%", "What percentage of the total US population is vaccinated?", False),
        ("about two-thirds", "What share of Americans are vaccinated?", False),
        ("half", "What proportion of SMIC's sales come from China?", False),
        ("84 percent", "What percent of goods does the tariff cover?", False),
        ("65.5 million people", "How many people are vaccinated?", False),  # a count is what it asks
        ("$260 million", "How much aid did the US approve?", False),
    ],
)
def test_a_share_is_named_as_a_percentage_or_a_fraction(named: str, question: str, missed: bool) -> None:
    assert not_the_asked_measure(named, question) is missed


@pytest.mark.parametrize(
    ("named", "question", "missed"),
    [
        # A year or a day is when, not how much: "A 2023 report … on tariffs" read for the tariff China announced.
        ("2023", "What tariff did China announce on US goods before the Geneva talks?", True),
        ("April 9", "What tariff rate did the order set on goods from China?", True),
        ("84 percent", "What tariff did China announce on US goods?", False),
        ("$1.5 billion", "How much did DeepSeek spend in 2023?", False),
        ("96", "How old was she?", False),
        ("reciprocal tariffs", "What tariff did the President impose?", False),  # no figure: left to the rules
        ("2023", "When was the report published?", False),  # a date asked for
        # A sum is not a rate: "… increase tariffs under Section 301 … on $18 billion of imports from China".
        ("$18 billion", "What will the duty on Chinese EVs go up to?", True),
        ("2.7 cents per kilogram", "What tariff applies to rice?", False),
        (
            "$18 billion",
            "How much revenue did the tariffs raise?",
            False,
        ),  # a sum asked for, where tariffs are spoken of
    ],
)
def test_a_date_is_not_named_for_an_amount(named: str, question: str, missed: bool) -> None:
    assert not_the_asked_measure(named, question) is missed


SIGNED = (
    "The CHIPS and Science Act is a U.S. federal statute enacted by the 117th United States Congress and signed"
    " into law by President Joe Biden on August 9, 2022. It authorizes roughly $280 billion in new funding."
)


def test_a_year_named_for_when_leads_with_the_date_its_sentence_states(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    text = f"---\ntitle: CHIPS and Science Act\nsource: Example Wire\npublished: 2022-08-10\n---\n{SIGNED}\n"
    app = one_article_library(tmp_path, embedder, "chips.md", text)
    as_local_model(app, " 2022\n")
    answer = app.ask("When did the CHIPS and Science Act become law?")
    assert answer.lead == "August 9, 2022", answer.text
    # Asked for a year, the year is the answer.
    assert app.ask("In what year did the CHIPS and Science Act become law?").lead == "2022"
    app.close()


@pytest.mark.parametrize(
    ("year", "sentence", "widened"),
    [
        ("2023", "DeepSeek was founded in July 2023 by Liang Wenfeng.", "July 2023"),
        ("2025", "The order took effect on 9 April 2025 at noon.", "9 April 2025"),
        ("2024", "The order took effect on 9 April 2025 at noon.", "2024"),  # not the year named
        ("2025", "Tariffs rose on April 2, 2025 and again on April 9, 2025.", "2025"),  # two dates: which is not said
        ("2025", "Sales may 2025 be higher, the company said.", "2025"),  # "may" the verb is no month
        ("2025", "Exports fell in 2025, the ministry said.", "2025"),  # nothing fuller to say
    ],
)
def test_a_bare_year_widens_only_to_the_one_date_of_that_year(year: str, sentence: str, widened: str) -> None:
    assert whole_date(year, sentence, "When did it happen?") == widened


def test_a_year_widens_only_for_a_question_that_asks_when() -> None:
    assert whole_date("2022", SIGNED, "When did the act become law?") == "August 9, 2022"
    assert whole_date("2022", SIGNED, "Which act did Biden sign in 2022?") == "2022"


FLOOD = """---
title: Floods hit the Northern Rockies
source: Example Wire
published: 2022-06-14
---
Dangerous flooding caused by abundant rain and rapid snowmelt began to hit the park and several counties in
southern Montana on Monday, washing out or eroding roads and bridges and inflicting damage on homes.

A washed out bridge at Yellowstone National Park's Rescue Creek was seen from the air on Tuesday.

Officials said the cleanup of roads would take months, and visitors were asked to stay away.
"""

QUESTION = "Which US national park was impacted by severe flooding that washed out roads and bridges?"


@pytest.fixture()
def flood_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "flood.md").write_text(FLOOD, encoding="utf-8")
    return folder


@pytest.fixture()
def scripted(tmp_path: Path, embedder: SentenceEmbedder, flood_folder: Path) -> Iterator[Briefing]:
    app = Briefing(make_settings(tmp_path / "lib"), embedder=embedder)
    assert not app.ingest([flood_folder]).failed
    yield app
    app.close()


def as_local_model(app: Briefing, reply: str) -> None:
    # The chain's logic with a scripted model; the real model is tested below.
    app.answerer.generator_name = "llamacpp"
    app.answerer.llm = FakeListLLM(responses=[reply])


def test_the_answer_leads_with_the_sentence_holding_what_the_model_named(scripted: Briefing) -> None:
    extractive = scripted.ask(QUESTION)
    assert "Yellowstone" not in extractive.text.split("[1]")[0]  # the closest sentence restates the question
    as_local_model(scripted, " Yellowstone National Park\n")
    answer = scripted.ask(QUESTION)
    # The short answer leads, in the sentence's own words; the cited sentence says it.
    assert answer.text.startswith(
        "Yellowstone National Park — A washed out bridge at Yellowstone National Park's Rescue Creek"
    ), answer.text
    assert answer.text.count("[1]") == 1
    assert answer.lead == "Yellowstone National Park" and answer.to_dict()["lead"] == answer.lead
    assert answer.generator == "llamacpp"
    first = answer.citations[0]
    assert "Yellowstone" in first.quote
    assert scripted.document(first.doc_id).text[first.quote_start : first.quote_end] == first.quote


def test_a_topic_is_answered_by_its_best_sentence_when_the_model_names_another(scripted: Briefing) -> None:
    # "national park flooding washed out roads and bridges" asks nothing by which the model's pick could beat the
    # best sentence: a name from another sentence gives way to it, a name the best sentence holds leads it.
    topic = "national park flooding washed out roads and bridges"
    extractive = scripted.ask(topic)
    assert not extractive.abstained and extractive.text.startswith("Dangerous flooding"), extractive.text
    as_local_model(scripted, " Rescue Creek\n")
    answer = scripted.ask(topic)
    assert answer.text == extractive.text and answer.lead is None, answer.text
    as_local_model(scripted, " Montana\n")
    assert scripted.ask(topic).lead == "Montana"
    # Asked as a question, the model's pick from another sentence stands.
    as_local_model(scripted, " Yellowstone National Park\n")
    assert scripted.ask(QUESTION).lead == "Yellowstone National Park"


SHORT_FLOOD = """---
title: Floods hit Montana
source: Example Wire
published: 2022-06-14
---
Severe flooding washed out roads and bridges across southern Montana on Monday.

A bridge at Yellowstone National Park was swept away.

Officials said repairs would take months.
"""


def test_an_answer_that_leads_with_its_short_answer_quotes_only_the_sentence_saying_it(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    # The model's pick leads; the closest sentence beside it, which says no park, would only pad the answer.
    app = one_article_library(tmp_path, embedder, "flood.md", SHORT_FLOOD)
    try:
        assert app.ask(QUESTION).text.startswith("Severe flooding washed out roads"), app.ask(QUESTION).text
        as_local_model(app, " Yellowstone National Park\n")
        answer = app.ask(QUESTION)
        assert answer.lead == "Yellowstone National Park" and len(answer.citations) == 1, answer.text
        assert answer.text == "Yellowstone National Park — A bridge at Yellowstone National Park was swept away [1].", (
            answer.text
        )
    finally:
        app.close()


RUNOFF = """---
title: Colombia elects its first leftist president
source: Example Wire
published: 2022-06-20
---
Colombia will be governed by a leftist president for the first time after former rebel Gustavo Petro narrowly
won Sunday's runoff election with 50.4% of the votes.

Real estate millionaire Rodolfo Hernández, who ran as a political outsider, conceded on Sunday evening and
wished his rival well.

Turnout was the highest in two decades, election authorities said.
"""


def test_a_reply_naming_only_what_the_question_says_names_no_answer(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "runoff.md").write_text(RUNOFF, encoding="utf-8")
    app = Briefing(make_settings(tmp_path / "lib"), embedder=embedder)
    assert not app.ingest([folder]).failed
    question = "Which former rebel won Colombia's runoff, narrowly beating Hernandez?"
    try:
        extractive = app.ask(question)
        assert "Gustavo Petro narrowly" in extractive.text
        # The model names the question's own man (accents aside): the sentence holding that name is no
        # answer for holding it, and the extractive answer stands.
        as_local_model(app, " Hernández\n")
        echoed = app.ask(question)
        assert echoed.text == extractive.text and echoed.lead is None
        # A name the question does not say still leads.
        as_local_model(app, " Gustavo Petro\n")
        assert app.ask(question).lead == "Gustavo Petro"
        # Nor does the question's man with a description before his name (its words are new, the man is not).
        named = "Which former rebel won Colombia's runoff, narrowly beating Rodolfo Hernandez?"
        as_local_model(app, " Real estate millionaire Rodolfo Hernández\n")
        described = app.ask(named)
        assert described.lead is None and "Gustavo Petro narrowly" in described.text, described.text
    finally:
        app.close()
    assert adds("Petro", question) and adds("3 runoffs", question)
    assert not adds("Hernández", question) and not adds("the runoff", question)
    assert describes("Yankees slugger Aaron Judge", "Whose record did Aaron Judge break?")
    assert describes("President Joe Biden", "What did Joe Biden sign?")  # a title is a description
    assert not describes("First lady Jill Biden", "Who is Joe Biden's wife?")  # another Biden
    assert not describes(
        "Arlington, Texas", "In which Texas city did he hit it?"
    )  # a name before it, not a description
    assert not describes("Texas Rangers", "Which team did he play in Texas?")
    assert not describes("They may not leave the borders of Ukraine.", "What did Ukraine's border guards ban?")


def test_a_reply_that_runs_on_still_leads_with_the_name(scripted: Briefing) -> None:
    as_local_model(
        scripted, " Yellowstone National Park, which straddles three states and drew record crowds in 2021.\n"
    )
    answer = scripted.ask(QUESTION)
    assert answer.lead == "Yellowstone National Park", answer.text
    assert "straddles" not in answer.text and "2021" not in answer.text


def test_a_name_no_sentence_holds_leaves_the_extractive_answer(scripted: Briefing) -> None:
    extractive = scripted.ask(QUESTION)
    as_local_model(scripted, "Zion National Park")
    answer = scripted.ask(QUESTION)
    assert answer.text == extractive.text and "Zion" not in answer.text
    assert answer.lead is None and extractive.lead is None


@pytest.mark.skipif(not llamacpp_available(), reason="the [local] extra is not installed")
def test_the_packaged_model_names_the_park(tmp_path: Path, embedder: SentenceEmbedder, flood_folder: Path) -> None:
    app = Briefing(make_settings(tmp_path / "lib", generator="llamacpp"), embedder=embedder)
    try:
        assert not app.ingest([flood_folder]).failed
        answer = app.ask(QUESTION)
        assert answer.generator == "llamacpp" and not answer.notes, answer.notes
        assert "Yellowstone" in answer.text, answer.text
    finally:
        app.close()


FIREWORKS = """---
title: Lawmakers agree on fireworks safety
source: Example Wire
published: 2024-06-20
---
Lawmakers from both parties announced an agreement on fireworks safety on Thursday, after a summer of
accidents in several states.

The agreement would expand checks on how fireworks are stored and fund safety programs in schools.

Also left out is a national ban on fireworks sales, another measure campaigners have pushed for in recent years.
"""


@pytest.mark.skipif(not llamacpp_available(), reason="the [local] extra is not installed")
def test_the_packaged_model_names_what_was_left_out_in_a_few_words(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    # Without the worked example in its prompt, the model answers "The National Fireworks Safety Act of
    # 2018.", words no sentence holds, and the answer falls back to the closest sentence.
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "fireworks.md").write_text(FIREWORKS, encoding="utf-8")
    app = Briefing(make_settings(tmp_path / "lib", generator="llamacpp"), embedder=embedder)
    try:
        assert not app.ingest([folder]).failed
        answer = app.ask("Lawmakers announced an agreement on fireworks safety. Which measure did they leave out?")
        assert answer.generator == "llamacpp" and not answer.notes, answer.notes
        lead, _, sentence = answer.text.rpartition(" — ")
        assert sentence.startswith("Also left out is a national ban on fireworks sales"), answer.text
        assert lead.lower() in sentence.lower(), answer.text
    finally:
        app.close()


@pytest.mark.parametrize(
    ("sentence", "amounts"),
    [
        ("It raised tariffs on $18 billion of imports from China.", ["$18 billion"]),
        ("A US$5m fine, then €2 billion and £3m more.", ["US$5m", "€2 billion", "£3m"]),
        ("Suspending 24 percentage points while retaining 10 percent.", ["24 percentage points", "10 percent"]),
        ("Rates rose from 25% to 50%, on 300 billion dollars of goods.", ["25%", "50%", "300 billion dollars"]),
        ("In 2025 some 40,000 workers were hired.", []),
    ],
)
def test_amounts_and_rates_are_read_one_way_for_leads_and_briefs(sentence: str, amounts: list[str]) -> None:
    assert [m.group(0) for m in AMOUNT.finditer(sentence)] == amounts
    assert figure_of(sentence) == (amounts[0] if amounts else None)


def test_a_sentence_dated_only_outside_the_window_is_told_apart() -> None:
    january = TimeScope(
        asked_on=date(2026, 6, 1), query="What did DeepSeek release?", since=date(2025, 1, 1), until=date(2025, 1, 31)
    )
    assert dated_outside_window("On 24 March 2025, DeepSeek released DeepSeek-V3-0324.", january)
    assert dated_outside_window("In 2023 it was founded.", january)
    assert not dated_outside_window("On 20 January 2025, DeepSeek launched its chatbot.", january)
    assert not dated_outside_window("It was founded in 2023 and launched R1 on 20 January 2025.", january)
    assert not dated_outside_window("DeepSeek launched its chatbot.", january)  # no date: the article's
    assert not dated_outside_window("On 24 March 2025, it released V3.", None)


def test_a_pick_far_outscored_by_the_best_sentence_gives_way() -> None:
    best = cand("Griner is due to serve the remainder of a nine-year drug smuggling sentence.", score=0.99)
    other = cand("Paul Whelan, another American held in Russia, was sentenced to 16 years.", position=90, score=0.56)
    assert outscored([best, other], 1)
    assert not outscored([best, other], 0)  # the model picked the best sentence itself
    near = cand(other.text, position=90, score=best.score - OUTSCORED_BY + 0.01)
    assert not outscored([best, near], 1)  # a runner-up this close may well be the answer
    announcing = cand("The court handed down the following sentences:", position=200, score=1.2)
    assert outscored([announcing, best, other], 2)  # measured from the best sentence that can be said
    assert not outscored([announcing, best, other], 1)


GRINER = """---
title: Brittney Griner moved to a penal colony
source: Example Wire
published: 2022-11-09
---
US women’s basketball star Brittney Griner is being moved to a Russian penal colony where she is due to serve
the remainder of a nine-year drug smuggling sentence, her attorneys said on Wednesday.

Officials said they continue to work to bring home both Griner and Paul Whelan, another American held in Russia,
who was sentenced to 16 years in prison after he was convicted of espionage.
"""


def test_a_value_from_a_sentence_far_behind_the_best_does_not_lead(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    app = one_article_library(tmp_path, embedder, "griner.md", GRINER)
    question = (
        "Brittney Griner was transferred to a Russian penal colony. How many years is she due to serve for her drug"
        " smuggling sentence?"
    )
    extractive = app.ask(question)
    # The count the best sentence states leads, in digits (rag.figures).
    assert extractive.text.startswith("9 years — US women’s basketball star Brittney Griner"), extractive.text
    as_local_model(app, " 16 years\n")  # the model names another prisoner's sentence
    answer = app.ask(question)
    assert answer.lead == "9 years" and answer.text == extractive.text, answer.text
    app.close()


def test_a_speaker_named_for_a_question_that_asks_who_stands_however_far_behind() -> None:
    best = cand("Today, the Department of Commerce released a package of rules on advanced chips.", score=0.6)
    quote = cand(
        "“These controls maintain our focus,” said Secretary of Commerce Gina M. Raimondo.", position=90, score=0.18
    )
    asked = "Who at Commerce defended the new chip rules?"
    assert outscored([best, quote], 1)  # far behind on its own score
    assert not outscored([best, quote], 1, question=asked, words="Commerce Secretary Gina M. Raimondo")
    assert speaker_named("Estevez", "Estevez said the rules would work.", "Which official spoke for BIS?")
    # Not the speaker, or not a question that asks who: the best sentence still wins.
    assert outscored([best, quote], 1, question=asked, words="Today")
    assert outscored([best, quote], 1, question="What did the rules restrict?", words="Gina M. Raimondo")
    assert not speaker_named("China", "The rules restrict China, officials said.", "Which country was targeted?")


def test_the_speaker_the_model_names_answers_who(corpus_app: Briefing) -> None:
    question = "Who at Commerce defended the tightened chip and chipmaking-equipment rules released in October 2023?"
    request = Request(question, asked_on=date(2023, 10, 19))
    plan = corpus_app.answerer.plan(request)
    hits = corpus_app.answerer.retriever.within_scope(corpus_app.answerer.search(plan), plan.scope)
    ranked = candidates(plan.standalone, hits, corpus_app.embedder)
    quote = next(i for i, c in enumerate(ranked) if "said Secretary of Commerce Gina M. Raimondo" in c.text)
    assert outscored(ranked, quote), [(round(c.score, 2), c.text[:40]) for c in ranked]  # far behind the best
    as_local_model(corpus_app, " Commerce Secretary Gina M. Raimondo\n")
    answer = corpus_app.ask(request)
    assert not answer.abstained and "said Secretary of Commerce Gina M. Raimondo" in answer.text, answer.text


def test_a_part_the_model_picks_gives_way_sooner_to_a_best_sentence_stating_the_asked_amount() -> None:
    asked = "How much new funding does the CHIPS and Science Act authorize?"
    best = cand("The act authorizes roughly $280 billion in new funding for research and chips.", score=0.93)
    gap = (OUTSCORED_AMOUNT_BY + OUTSCORED_BY) / 2  # past the amount margin, short of the general one
    part = cand("It authorizes $10 billion to invest in regional technology hubs.", position=90, score=0.93 - gap)
    assert outscored([best, part], 1, question=asked, words="$10 billion")
    assert not outscored([best, part], 1)  # without the question, the general margin
    assert not outscored([best, part], 1, question="Who wrote the CHIPS and Science Act?", words="$10 billion")
    unstated = cand("The act authorizes new funding for research and chips.", score=0.93)  # no amount in it
    assert not outscored([unstated, part], 1, question=asked, words="$10 billion")
    near = cand(part.text, position=90, score=0.93 - OUTSCORED_AMOUNT_BY + 0.01)
    assert not outscored([best, near], 1, question=asked, words="$10 billion")


def test_the_total_the_act_authorizes_stands_against_a_part_the_model_names(corpus_app: Briefing) -> None:
    question = "How much new funding does the CHIPS and Science Act authorize?"
    as_local_model(corpus_app, " $10 billion\n")
    answer = corpus_app.ask(question)
    assert not answer.abstained and "$280 billion" in answer.text, answer.text
    assert answer.lead != "$10 billion", answer.text


def test_a_pick_that_does_not_count_what_how_many_counts_gives_way() -> None:
    best = cand("China will suspend 24 percentage points of that rate for an initial 90 days.", score=0.77)
    other = cand("China will retain a 10% tariff during the period of the pause.", position=90, score=0.73)
    asked = "How many percentage points of the additional tariff did Beijing agree to suspend for 90 days?"
    assert counts_elsewhere([best, other], 1, asked)
    assert not counts_elsewhere([best, other], 0, asked)  # the model picked the best sentence itself
    assert not counts_elsewhere([best, other], 1, "What tariff did China keep during the pause?")  # no count asked
    counting = cand("Griner's sentence of nine years stands, while Whelan serves 16 years.", position=90, score=0.5)
    years = cand("Griner is due to serve the remainder of a nine-year sentence.", score=0.99)
    assert not counts_elsewhere([years, counting], 1, "How many years is Griner due to serve?")  # both count
    # Any read sentence that counts it, not only the best: the model's pick was the best, and does not count.
    fact_sheet = cand("The United States will suspend its 34% reciprocal tariff, but retain a 10% tariff.", score=0.78)
    assert counts_elsewhere([fact_sheet, best], 0, asked)


def test_how_many_stands_on_a_read_sentence_that_counts_what_it_counts() -> None:
    asked = "How many percentage points of the additional tariff did Beijing agree to suspend for 90 days?"
    fact_sheet = cand("China will suspend its initial 34% tariff for 90 days, but retain a 10% tariff.", score=0.78)
    statement = cand(
        "China will suspend 24 percentage points of that rate for an initial 90 days.", position=90, score=0.77
    )
    assert stating_amount(asked, [fact_sheet, statement], fact_sheet) == [statement]
    # The answering sentence counts it: it stands. Nothing counts it: an amount stands as before.
    assert stating_amount(asked, [statement, fact_sheet], statement) == []
    assert stating_amount(asked, [fact_sheet], fact_sheet) == []
    # A question asking how much, with no amount in its best sentence: the best read one stating one.
    unstated = cand("The trio joined forces to destroy the record.", score=0.9)
    flight = cand("Their plane flew 252 feet and 7 inches.", position=90, score=0.7)
    assert stating_amount("How far did their plane fly?", [unstated, flight], unstated) == [flight]
    assert stating_amount("Who flew the plane?", [unstated, flight], unstated) == []  # no amount asked
    # A long sentence that counts it is quoted by its clause that does.
    clause = (
        "modify the application of the additional rate of duty on articles of China set forth in the order of"
        " April 2, 2025, by suspending 24 percentage points of that rate for an initial period of 90 days"
    )
    whole = (
        f"The United States will (i) {clause}; and (ii) remove the rates imposed by the orders of April 8 and 9, 2025."
    )
    long = cand(whole, position=500, score=0.6)
    part = cand(clause, position=500 + whole.index(clause), score=0.4)
    assert stating_amount(asked, [fact_sheet, long, part], fact_sheet) == [part]


def test_the_models_rate_gives_way_to_the_count_of_points_asked_for(corpus_app: Briefing) -> None:
    # The model named "10%" from the fact sheet's "… retain a 10% tariff …", the best read sentence; the joint
    # statement's "… by suspending 24 percentage points of that rate …", also read, counts the points asked for.
    as_local_model(corpus_app, " 10%\n")
    answer = corpus_app.ask(
        "How many percentage points of the reciprocal tariff did the Geneva joint statement suspend?"
    )
    assert answer.lead == "24 percentage points", answer.text


LAUNCH = """---
title: Suborbital rocket carries six to the edge of space
source: Example Wire
published: 2022-06-04
---
Houston (CNN) A suborbital rocket built by Jeff Bezos' Blue Origin carried six passengers to the edge of space on
Saturday, among them the first woman born in Mexico to make the trip.

The capsule spent about ten minutes in flight before it parachuted back to the desert.

Most of the six paid for their seats; the company does not say how much.

But Elena Marquez, an electrical engineer who grew up in Monterrey, flew on a seat paid for by a charity that sends
teachers and researchers to space.

The rocket lifted off from a launch site in West Texas shortly after nine in the morning.
"""


def test_who_is_named_by_a_sentence_that_names_someone_new() -> None:
    asked = "Blue Origin's fifth crewed flight carried the first Mexican-born woman to make the trip. Who is she?"
    # A dateline, and the owner of a thing the question names, name no one the question asks for.
    assert not names_someone_new(asked, "Houston (CNN) A rocket built by Jeff Bezos' Blue Origin carried her.")
    assert not names_someone_new(asked, "BOGOTA, Colombia — The flight carried the first Mexican-born woman.")
    assert names_someone_new(asked, "But Elena Marquez, an engineer, flew on a seat paid for by a charity.")
    # Accents and plurals are the question's own spelling.
    assert not names_someone_new("Who beat Rodolfo Hernandez?", "Voters backed Rodolfo Hernández in the north.")
    assert not names_someone_new("Which Americans won?", "Four American athletes won gold.")


def test_a_far_pick_naming_someone_stands_when_the_best_sentence_names_no_one() -> None:
    best = cand("A rocket built by Jeff Bezos' Blue Origin carried the first Mexican-born woman to space.", score=0.8)
    pick = cand(
        "But Elena Marquez, an engineer from Monterrey, flew on a seat paid for by a charity.", position=90, score=0.45
    )
    asked = "Blue Origin's flight carried the first Mexican-born woman to make the trip. Who is she?"
    assert best.score - pick.score >= OUTSCORED_BY
    assert not outscored([best, pick], 1, question=asked, words="Elena Marquez")
    # Not when the model names nothing new, nor when the question does not ask who or which.
    assert outscored([best, pick], 1, question=asked, words="Blue Origin")
    assert outscored(
        [best, pick], 1, question="How far did the rocket fly with the first Mexican-born woman?", words="Elena Marquez"
    )
    # Nor when the best sentence itself names someone the question does not.
    named = cand("The first Mexican-born woman on Blue Origin's flight, Ana Ruiz, waved.", score=0.8)
    assert outscored([named, pick], 1, question=asked, words="Elena Marquez")


def test_the_model_names_who_where_the_closest_sentence_restates_the_question(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    app = one_article_library(tmp_path, embedder, "launch.md", LAUNCH)
    question = "Blue Origin's crewed flight carried the first Mexican-born woman to the edge of space. Who is she?"
    as_local_model(app, " Elena Marquez\n")
    answer = app.ask(Request(question, asked_on=date(2022, 6, 6)))
    assert answer.lead == "Elena Marquez" and "Elena Marquez, an electrical engineer" in answer.text, answer.text
    app.close()


LEADER = """---
title: Hong Kong committee picks its next leader
source: Example Wire
published: 2022-05-07
---
A committee of about 1,500 people loyal to Beijing picked Hong Kong's next leader on Sunday, with a single name on
the ballot.

Lee, the only candidate, became security secretary in 2017 and oversaw the police through the protests.

John Lee, who led the security crackdown, will take office as the next leader on July 1.

Critics said the vote offered residents no choice at all.
"""


def test_a_name_from_a_sentence_about_an_earlier_time_is_said_by_a_sentence_of_the_window(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    app = one_article_library(tmp_path, embedder, "leader.md", LEADER)
    question = "A committee chose Hong Kong's next leader on Sunday; the former security chief was the only candidate. Who is he?"
    request = Request(question, asked_on=date(2022, 5, 10))
    plan = app.answerer.plan(request)
    assert plan.scope is not None and plan.scope.since == date(2022, 5, 7)  # the outlet dated Sunday's vote Saturday
    hits = app.answerer.retriever.within_scope(app.answerer.search(plan), plan.scope)
    ranked = candidates(plan.standalone, hits, app.embedder)
    first = holding("Lee", ranked)[0]
    assert about_an_earlier_time(ranked, first, plan.scope) and "2017" in ranked[first].text
    as_local_model(app, " Lee\n")
    answer = app.ask(request)
    assert "John Lee, who led the security crackdown" in answer.text and "2017" not in answer.text, answer.text
    app.close()


def test_a_place_named_only_in_a_dateline_is_not_where_it_happened() -> None:
    # "Tokyo (CNN)" says where the story was filed: a reply naming Tokyo for the city of the attack finds no
    # sentence that says so, and the answer stands on the sources' best sentence without a lead.
    filed = cand("Tokyo (CNN) Former Prime Minister Shinzo Abe died after being shot during a speech.", score=0.9)
    where = cand("He was shot while campaigning outside a train station in Nara.", position=90, score=0.8)
    assert named_sentence("Tokyo", [filed, where]) is None
    assert holding("Tokyo", [filed, where]) == []
    assert named_sentence("Nara", [filed, where]) == 1
    assert named_sentence("Shinzo Abe", [filed, where]) == 0  # the sentence after its dateline still counts
