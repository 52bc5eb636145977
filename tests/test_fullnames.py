"""A short name in the lead said as its article first gives it ("Lee" → "John Lee")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import rag.chain
import rag.leads
from briefing.api import Briefing
from core.models import Document
from core.request import Request
from ingest.embed import SentenceEmbedder
from rag.fullnames import another_spelling, fuller_name, possessor, titled_name, with_given_name
from rag.leads import settled_lead
from tests.test_reader import as_local_model, one_article_library

ARTICLE_TEXT = (
    "Hong Kong (Example Wire) Former security chief John Lee was the only name on the ballot on Sunday. "
    "Lee was elected with 99% of the votes. Critics say Lee’s record is why he now leads the city."
)


@pytest.mark.parametrize(
    ("short", "text", "said"),
    [
        ("Lee", ARTICLE_TEXT, "John Lee"),
        (
            "the space station",
            "The crew flew to the space station. It docked at the International Space Station.",
            "International Space Station",
        ),
        # Two longer names, or none inside a sentence and the word also in lower case: the short form stays.
        ("Biden", "President Joe Biden spoke. First lady Jill Biden listened. Biden left.", "Biden"),
        ("Lee", "Meanwhile Lee said nothing. Lee left. It was late, meanwhile.", "Lee"),
        # An adverb opening the sentence is no given name, though the story never writes it in lower case.
        ("Kucherov", "The Lightning lost. Instead Nikita Kucherov sent the game to overtime.", "Nikita Kucherov"),
        (
            "Nikita Kucherov",
            "The Lightning lost. Instead Nikita Kucherov sent the game to overtime.",
            "Nikita Kucherov",
        ),
        # A longer name goes on ("Lee Gardens"); a heading's last word is not a first name; an initial is one.
        ("Lee", "Hong Kong Lee Gardens opened. Lee spoke.", "Lee"),
        ("Lee", "What this means for Hong Kong\n\nLee has made it clear. Lee spoke.", "Lee"),
        ("Lee", "It was J. Lee who spoke; J. Lee left.", "J. Lee"),
        # A name the article first gives as it is stays as it is; "the Las Vegas Aces" is three words.
        ("Australia", "Australia announced a plan on Tuesday. South Australia has its own.", "Australia"),
        ("Antarctica", "Antarctica’s glacier may collapse. It lies in West Antarctica.", "Antarctica"),
        ("Aces", "Her Seattle Storm lost to the Las Vegas Aces. The Aces advanced.", "Las Vegas Aces"),
        ("Independence Day", "Indians celebrate Independence Day. It is India's Independence Day.", "Independence Day"),
        # A name already long, or one the text writes in lower case only.
        ("Katya Echazarreta", "The engineer Katya Echazarreta flew.", "Katya Echazarreta"),
        ("heat waves", "Europe's heat waves moved east.", "heat waves"),
        # An office's or a body's words before a person's name are not the name; one may name a body with a word.
        ("Estevez", "“…,” said Under Secretary of Commerce for Industry and Security Alan Estevez.", "Alan Estevez"),
        (
            "Alan Estevez",
            "“…,” said Under Secretary of Commerce for Industry and Security Alan Estevez.",
            "Alan Estevez",
        ),
        ("Raimondo", "Commerce Secretary Gina Raimondo spoke. Raimondo left.", "Gina Raimondo"),
        ("Council", "The State Council met. The Council said so.", "State Council"),
    ],
)
def test_a_short_name_is_said_whole_when_its_article_gives_one(short: str, text: str, said: str) -> None:
    assert fuller_name(short, text) == said


LEADER = """---
title: Hong Kong has a new leader
source: Example Wire
published: 2022-05-08
---
The vote took place on Sunday in a hall guarded by police, and former security chief John Lee was the only name on
the ballot put to the committee.

Experts say Lee’s handling of the 2019 protests is precisely why he now finds himself the city’s next leader.

Critics said the vote offered residents no choice at all.
"""


def test_the_lead_names_the_person_as_the_article_first_does(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    app = one_article_library(tmp_path, embedder, "leader.md", LEADER)
    request = Request("Who is Hong Kong's next leader?", asked_on=date(2022, 5, 9))
    as_local_model(app, " Lee\n")
    answer = app.ask(request)
    assert answer.lead == "John Lee", answer.text
    assert answer.text.startswith("John Lee — "), answer.text
    assert answer.citations, answer.text
    app.close()


SIGNED = "The act is a federal statute signed into law by President Joe Biden on August 9, 2022."


@pytest.mark.parametrize(
    ("title", "sentence", "said"),
    [
        ("President", SIGNED, "President Joe Biden"),
        ("The President", SIGNED, "President Joe Biden"),
        ("Secretary of Commerce", "“These controls work,” said Secretary of Commerce Gina M. Raimondo.", None),
        ("Commerce Secretary", "Commerce Secretary Gina M. Raimondo spoke.", None),
        ("CEO", "Nvidia CEO Jensen Huang said the rule hurt sales.", "CEO Jensen Huang"),
        ("Chair", "Fed Chair Jerome H. Powell said rates would hold.", "Chair Jerome H. Powell"),
        ("Vice Premier", "China is represented by Vice Premier He Lifeng.", "Vice Premier He Lifeng"),
        # A possessive names its owner; a weekday or a month after the title names no one.
        ("President", "President Trump’s order raised the tariff.", "President Trump"),
        ("President", "The statement the President on Monday signed took effect.", "President"),
        ("Premier", "The plan was issued by the Premier in May 2015.", "Premier"),
        # Not a title: a name, or a body, stays as it is.
        ("Congress", SIGNED, "Congress"),
        ("Joe Biden", SIGNED, "Joe Biden"),
        ("President", "The order was signed by the president of the company.", "President"),
    ],
)
def test_a_lead_that_is_only_a_title_takes_the_name_after_it(title: str, sentence: str, said: str | None) -> None:
    # "Secretary of Commerce" / "Commerce Secretary" hold a word that is no title's: left as they are.
    assert titled_name(title, sentence) == (said or title)


CHIPS = """---
title: CHIPS and Science Act
source: Example Encyclopedia
---
The CHIPS and Science Act is a U.S. federal statute enacted by Congress and signed into law by President Joe Biden
on August 9, 2022.

The act authorizes roughly $280 billion in new funding to boost domestic research and manufacturing of
semiconductors in the United States.
"""


def test_a_model_naming_only_the_title_leads_with_the_person_its_sentence_names(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    app = one_article_library(tmp_path, embedder, "chips.md", CHIPS)
    as_local_model(app, " The President\n")
    answer = app.ask(Request("Who signed the CHIPS and Science Act into law?", asked_on=date(2026, 6, 1)))
    assert answer.lead == "President Joe Biden", answer.text
    assert answer.text.startswith("President Joe Biden — The CHIPS and Science Act"), answer.text
    assert answer.citations, answer.text
    app.close()


WHOSE = "Whose consortium bidding for Chelsea did Serena Williams and Lewis Hamilton join last week?"


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        (
            WHOSE,
            "Serena Williams and Lewis Hamilton have joined Martin Broughton's bid to buy Chelsea.",
            "Martin Broughton",
        ),
        (
            "Aaron Judge hit his 62nd home run on Tuesday. Whose American League record did he break?",
            "Judge hit his 62nd home run of the season Tuesday night, breaking Roger Maris’ AL record.",
            "Roger Maris",
        ),
        # The question's own names, a weekday's or a pronoun's possessive, name no one new.
        (WHOSE, "Serena Williams's stake in the bid was not disclosed on Tuesday.", None),
        (WHOSE, "It’s the club’s biggest sale; Thursday’s talks ran late.", None),
        # Two possessors: which one is asked is not for this rule to say.
        (WHOSE, "They joined Martin Broughton's bid, not Todd Boehly's.", None),
        # Not a "whose" question.
        ("Which bid did Serena Williams join?", "They joined Martin Broughton's bid.", None),
    ],
)
def test_whose_is_the_name_a_sentence_writes_as_the_possessor(question: str, sentence: str, said: str | None) -> None:
    assert possessor(question, sentence) == said


BID = """---
title: Tennis star and F1 champion join a Chelsea bid
source: Example Wire
published: 2022-04-21
---
Serena Williams and Lewis Hamilton have joined Martin Broughton's bid to buy the Premier League club Chelsea,
a source close to the bid said on Thursday.

The consortium is one of three still in the running, and the sale is expected to close by the end of May.
"""


def test_a_whose_answer_leads_with_the_possessor(
    tmp_path: Path, embedder: SentenceEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = one_article_library(tmp_path, embedder, "bid.md", BID)
    request = Request(WHOSE, asked_on=date(2022, 4, 26))
    answer = app.ask(request)
    assert answer.lead == "Martin Broughton", answer.text
    assert answer.text.startswith("Martin Broughton — Serena Williams"), answer.text
    assert answer.citations, answer.text
    for module in (rag.chain, rag.leads):
        monkeypatch.setattr(module, "possessor", lambda question, sentence: None)
    assert app.ask(request).lead is None
    app.close()


def test_a_whose_answer_stands_on_its_possessor_whatever_the_model_names(
    tmp_path: Path, embedder: SentenceEmbedder
) -> None:
    # The possessor of the answer's sentence says whose; the model may name another of its names ("Aaron Judge …
    # Whose record did he break?" was led "Yankees" from "Yankees slugger Aaron Judge …", not "Roger Maris").
    app = one_article_library(tmp_path, embedder, "bid.md", BID)
    as_local_model(app, " Premier League\n")
    answer = app.ask(Request(WHOSE, asked_on=date(2022, 4, 26)))
    assert answer.lead == "Martin Broughton" and answer.text.startswith("Martin Broughton — Serena"), answer.text
    app.close()


@pytest.mark.parametrize(
    ("words", "question", "same"),
    [
        ("United States", "Which pre-existing U.S. duties on Chinese goods stay in force?", True),
        ("EU", "What did the European Union decide on electric cars?", True),
        ("Canada", "Which tariff hit Canadian goods first?", True),
        # "us" is a pronoun in lower case; a capital is a place of its own when asked for.
        ("United States", "Tell us which country imposed the tariff.", False),
        ("Beijing", "What is the capital of China?", False),
        ("Section 301", "Which pre-existing U.S. duties on Chinese goods stay in force?", False),
    ],
)
def test_a_name_the_question_says_in_another_spelling(words: str, question: str, same: bool) -> None:
    assert another_spelling(words, question) is same


GENEVA = """---
title: Geneva deal leaves older duties in place
source: Wire
published: 2025-05-13
---
Today, the United States issued the first joint statement on trade with China in many years, after talks in Geneva.

Tariffs imposed under Section 301 during the first Trump administration remain, officials said.

Both sides will cut the new duties for 90 days.
"""


def test_a_lead_that_only_respells_the_questions_party_is_no_answer(tmp_path: Path, embedder: SentenceEmbedder) -> None:
    # The model named the question's own party ("U.S.") as the sources spell it: nothing is answered by it.
    app = one_article_library(tmp_path, embedder, "geneva.md", GENEVA)
    as_local_model(app, " United States\n")
    question = "Which pre-existing U.S. duties on Chinese goods stay in force after the Geneva deal?"
    answer = app.ask(Request(question, asked_on=date(2025, 5, 14)))
    assert not answer.abstained and answer.lead != "United States", answer.text
    assert not answer.text.startswith("United States —"), answer.text
    app.close()


def test_a_one_word_name_takes_the_given_name_its_text_writes_after_it() -> None:
    text = "China will lead in AI, President Xi Jinping has told the Politburo. Xi said the gap must close."
    assert with_given_name("Xi", text) == "Xi Jinping"
    # An English word after it is no given name; a name of two words is left as it is.
    assert with_given_name("Trump", "The Trump Administration said on Monday that Trump would sign.") == "Trump"
    assert with_given_name("Lee", "Lee Gardens opened; Lee said so.") == "Lee"
    assert with_given_name("Xi Jinping", text) == "Xi Jinping"


def test_who_said_it_leads_with_the_speakers_whole_name(corpus_app: Briefing) -> None:
    # The SCMP article first writes "President Xi Jinping", then "Xi said …": the lead was "Xi".
    answer = corpus_app.ask("Who told a Politburo study session that China would use its new whole national system?")
    assert answer.text.startswith("Xi Jinping — "), answer.text
    # Not a product's: "Velveeta" is the cheese a news question asks for, "Velveeta Veltini" a cocktail made with it.
    assert fuller_name("Velveeta", "Velveeta is back. Try the Velveeta Veltini, a martini.") == "Velveeta"


def test_a_lead_names_its_owner_without_the_possessive() -> None:
    sentence = "Made in China 2025 was issued by Xi Jinping and Chinese Premier Li Keqiang's cabinet in May 2015."
    question = "Which Chinese premier's cabinet issued Made in China 2025?"
    assert settled_lead(question, "Li Keqiang's", sentence, picked=True, spoken=False) == "Li Keqiang"
    assert settled_lead(question, "Li Keqiang", sentence, picked=True, spoken=False) == "Li Keqiang"
    # A name of its own that ends so stays whole when no owner is asked for.
    chain = "Wendy's struck out in two categories on the study."
    assert settled_lead("Which chain was slowest?", "Wendy's", chain, picked=True, spoken=False) == "Wendy's"


@pytest.mark.parametrize(
    ("sentence", "text", "lead"),
    [
        # The one person named leads, as the story first writes the name, its title left off.
        (
            "The party has 359 MPs after Wakeford's defection.",
            "Christian Wakeford quit. Wakeford's move …",
            "Christian Wakeford",
        ),
        ("Experts say Lee’s record is why he leads.", "Chief Executive John Lee took office. Lee’s …", "John Lee"),
        ("Heard was cross-examined by the attorney Camille Vasquez.", "", "Camille Vasquez"),
        # No lead: two people, a dateline's city, a name whose last word is everyday English and no given name.
        ("Rishi Sunak won 137 votes and Liz Truss got 113.", "", None),
        ("New York (CNN Business) The rocket carried its fifth crew.", "", None),
        ("Hollywood icons in Southern California mourned the loss.", "", None),
        ("The Royal Family posted a statement.", "", None),
    ],
)
def test_the_one_person_a_sentence_names_leads_who_holds_a_role(sentence: str, text: str, lead: str | None) -> None:
    source = Document(doc_id="d", title="Story", text=text or sentence)
    assert settled_lead("Which MP was it?", None, sentence, picked=False, spoken=False, source=source) == lead
