"""A deadline asked for is answered by a sentence stating one, or refused where no read sentence does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.request import Request
from rag.answer_type import answer_kind
from rag.superlatives import asked_ordinal, says_ordinal
from rag.unstated import _says_an_age, no_deadline_stated, no_deed_said, unstated_kind
from tests.helpers import Article, news_library

ASKED = "What's the compliance deadline for companies under the interim final rule?"


@pytest.mark.parametrize(
    ("read", "missing"),
    [
        (["Today the Administration is releasing an Interim Final Rule on AI diffusion."], True),
        (["The rule was released in January 2025 and covers 18 allies."], True),  # a date, but none to act by
        (["Companies must comply by May 15, 2025."], False),
        (["Both sides will take these actions by May 14, 2025."], False),
        (["Exporters have to comply within 120 days of publication."], False),
    ],
)
def test_a_deadline_is_stated_only_by_a_date_or_a_span_to_act_by(read: list[str], missing: bool) -> None:
    assert answer_kind(ASKED) == "date"  # "What is the … deadline" asks for a date, whatever words come between
    assert no_deadline_stated(ASKED, read) is missing
    assert unstated_kind(ASKED, read) == ("deadline" if missing else "")


def test_only_a_question_asking_for_a_deadline_needs_one() -> None:
    read = ["Today the Administration is releasing an Interim Final Rule on AI diffusion."]
    assert not no_deadline_stated("When was the rule released?", read)
    assert not no_deadline_stated("What does the rule restrict?", read)
    assert unstated_kind("What does the rule restrict?", read) == ""


def test_a_deadline_no_source_states_is_refused_and_one_it_states_answered(corpus_app: Briefing) -> None:
    asked_on = date(2026, 6, 1)
    question = "What's the compliance deadline for companies under the Biden AI diffusion interim final rule?"
    refused = corpus_app.ask(Request(question, asked_on=asked_on))
    assert refused.abstained and "state no deadline" in refused.text, refused.text
    answered = corpus_app.ask(Request("By what year did China aim to become a global AI leader?", asked_on=asked_on))
    assert not answered.abstained and "by 2030" in answered.text, answered.text


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("Police arrested a juvenile suspect in the death of 10-year-old Lily Peters.", False),  # the question's 10
        ("The suspect, 14, was charged on Tuesday.", True),
        ("A 14-year-old boy was charged.", True),
        ("Brigitte Macron (born 13 April 1953) is a former teacher.", True),  # an age said by a birth
    ],
)
def test_an_age_is_said_by_an_age_or_a_birth(sentence: str, says: bool) -> None:
    question = "The police arrested a suspect in the death of 10-year-old Lily Peters. How old is the suspect?"
    assert _says_an_age(sentence, question) is says


def test_an_age_no_source_states_is_refused(app: Briefing, tmp_path: Path) -> None:
    news_library(
        app,
        tmp_path / "news",
        Article(
            "arrest.md",
            "Juvenile arrested in death of Wisconsin girl",
            "2022-04-26",
            "Police in Chippewa Falls, Wisconsin, have arrested a juvenile suspect in connection with the death of "
            "10-year-old Lily Peters, the police chief said Tuesday night.\n\nThe suspect is being held at a "
            "juvenile detention facility, and charges are expected this week, police said.",
        ),
        Article(
            "obituary.md",
            "Marguerite Ollivant, who sang Carmen in forty countries, has died",
            "2022-04-25",
            "Marguerite Ollivant, the mezzo-soprano whose Carmen toured forty countries, died on Monday at her home "
            "in Lyon, her family said. She was 91.",
        ),
    )
    asked_on = date(2022, 4, 28)
    question = (
        "Police arrested a juvenile suspect this week in the death of 10-year-old Lily Peters. How old is the suspect?"
    )
    refused = app.ask(Request(question, asked_on=asked_on))  # the girl's age is the question's own
    assert refused.abstained and "state no age" in refused.text, refused.text
    answered = app.ask(Request("How old was Marguerite Ollivant when she died?", asked_on=asked_on))
    assert not answered.abstained and answered.lead == "91", answered.text


MOUNTAIN = Article(
    "logan.md",
    "Mount Logan",
    "2022-05-02",
    "Mount Logan is the highest mountain in Canada and the second-highest peak in North America. Mount Logan is "
    "located within Kluane National Park Reserve in southwestern Yukon, near the Alaska border. The mountain was named after Sir William Logan, a Canadian geologist.",
)
VOLCANOES = Article(
    "volcanoes.md",
    "Active volcanoes",
    "2022-05-03",
    "Mount Erebus in Antarctica has been observed erupting since 1972. Mount Etna in Italy erupted in 1981, 1999 "
    "and 2009, and about 30,000 people live on its slopes.",
)
CLIMBED = Article(
    "ascent.md",
    "The first ascent of Mount Logan",
    "2022-05-04",
    "Mount Logan, the highest mountain in Canada, was first climbed in June 1925 by a team of six climbers led "
    "by Albert MacCarthy.",
)


def test_a_date_or_a_figure_its_subject_never_states_is_refused(app: Briefing, tmp_path: Path) -> None:
    # Other stories' dates and counts are read beside the mountain's sentences; none of them is the mountain's.
    news_library(app, tmp_path / "news", MOUNTAIN, VOLCANOES)
    asked_on = date(2022, 6, 1)
    when = app.ask(Request("When was Mount Logan first climbed?", asked_on=asked_on))
    assert when.abstained and "state no date" in when.text, when.text
    assert when.citations == ()
    many = app.ask(Request("How many people have climbed Mount Logan?", asked_on=asked_on))
    assert many.abstained and "state no figure" in many.text, many.text  # not Etna's "about 30,000 people"
    news_library(app, tmp_path / "news", CLIMBED)
    answered = app.ask(Request("When was Mount Logan first climbed?", asked_on=asked_on))
    assert not answered.abstained and "1925" in answered.text, answered.text


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("who was the first governor general of canada", ("first", {"governor", "general"})),
        ("Who was the last emperor of the Byzantine Empire?", ("last", {"emperor"})),
        ("who was the very first mayor elected in the city", ("first", {"mayor"})),
        ("who was the first person to walk on the moon", ("first", set())),  # anyone first will do
        # … and a superlative asked the same way
        ("who is the best olympic gymnast of all time", ("best", {"olympic", "gymnast"})),
        ("Who is the latest winner of the prize?", None),  # "latest" ranks no answer apart
        ("Who is the best-known founder of DeepSeek?", None),
        # What, where or when came first or ranked highest a source says by its date or its figure, not in so many words.
        ("Where was the first round of US-China trade talks held in 2025?", None),
        ("What was the highest tariff the US put on Chinese goods in 2025?", None),
        # The ordinal only dates what is asked, or ranks no asked thing: no ordinal asked.
        ("how much were the actors paid per episode in the final seasons", None),
        ("who won the first season of the show", None),
        ("when was mount logan first climbed", None),
    ],
)
def test_the_ordinal_a_question_asks_who_was(question: str, asked: tuple[str, set[str]] | None) -> None:
    found = asked_ordinal(question)
    if asked is None:
        assert found is None
    else:  # what it ranks, word by word (and two words as one: "governorgeneral")
        assert found is not None and found.word == asked[0], found
        assert asked[1] <= found.what if asked[1] else not found.what, found


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("Viscount Monck became the first Governor General of the new Dominion in 1867.", True),
        ("The inaugural governor general, Viscount Monck, took office in 1867.", True),  # the same ordinal in a synonym
        ("The Governor General is the federal representative of the monarch.", False),  # no ordinal
        ("The first recorded epidemic struck the empire's capital.", False),  # first, but of nothing it ranks
    ],
)
def test_a_sentence_says_the_asked_ordinal_of_what_it_ranks(sentence: str, says: bool) -> None:
    asked = asked_ordinal("Who was the first governor general of Canada?")
    assert asked is not None and says_ordinal(asked, sentence) is says


@pytest.mark.parametrize(
    ("question", "sentence", "says"),
    [
        ("who is the biggest shareholder of the company", "The largest shareholder is a state fund.", True),
        ("who is the best olympic gymnast of all time", "She is widely seen as the greatest gymnast ever.", True),
        ("who is the best olympic gymnast of all time", "Biles won four gold medals at the 2016 Olympics.", False),
        ("Who is the largest chipmaker in China?", "It is the largest contract chip maker in mainland China.", True),
        ("Who is the largest chip maker in China?", "SMIC is the largest chipmaker in mainland China.", True),
    ],
)
def test_a_sentence_says_the_asked_superlative_in_the_same_or_another_word(
    question: str, sentence: str, says: bool
) -> None:
    asked = asked_ordinal(question)
    assert asked is not None and says_ordinal(asked, sentence) is says


RURITANIA = Article(
    "ruritania.md",
    "The governor general of Ruritania",
    "2022-05-02",
    "The Governor General of Ruritania is the representative of the crown in the province. The office was created "
    "in 1867 and is held for five years. Governor General Anton Hentzau opened the new parliament building in 1901.",
)
FIRST_GOVERNOR = Article(
    "elphberg.md",
    "Rudolf Elphberg, Ruritania's first governor general",
    "2022-05-03",
    "Rudolf Elphberg became the first Governor General of Ruritania in 1867, and served until 1872.",
)


@pytest.mark.parametrize(
    ("question", "read", "unsaid"),
    [
        ("who founded hello games", ["No Man's Sky was developed and published by the studio Hello Games."], True),
        ("who founded hello games", ["Hello Games was founded in 2008 by Sean Murray."], False),
        ("who founded hello games", ["Sean Murray, the studio's founder, spoke at the launch."], False),
        ("Who co-founded the Honest Tea brand?", ["Coca-Cola will phase out the Honest Tea line."], True),
        ("Who co-founded the Honest Tea brand?", ["Seth Goldman co-founded Honest Tea in 1998."], False),
        ("who created the sitcom friends", ["Two episodes were directed by David Schwimmer."], True),
        ("who created the sitcom friends", ["Friends is a sitcom created by David Crane and Marta Kauffman."], False),
        ("who sings the theme song from happy days", ["The theme is a song by Pratt and McClain."], False),
        ("who sings the theme song from happy days", ["Happy Days aired on ABC from 1974 to 1984."], True),
        ("who wrote the lyrics for it's now or never", ["The lyrics were by Aaron Schroeder and Wally Gold."], False),
        ("Who is the composer of the show's theme?", ["The show's theme was composed by Kyle Dixon."], False),
        ("Who is the composer of the show's theme?", ["The show premiered on Netflix in 2016."], True),
        # A making of its kin says that someone made the thing, as a source may put it.
        ("who created the sitcom friends", ["The sitcom was developed by David Crane and Marta Kauffman."], False),
        ("who founded the band", ["The band was formed in 1965 by two brothers."], False),
        ("who composed the theme", ["The theme's music was written by Kyle Dixon."], False),
        ("who founded hello games", ["The studio Hello Games was started by four friends."], False),
        ("who directed the sequel", ["The sequel was produced by Jerry Bruckheimer."], True),  # no kin of directing
        ("who founded hello games", ["A game that is as fun to play as to laugh at has been created."], True),
        # Deeds other than making: who won, replaced someone, bought.
        ("Who replaced Alan Estevez as head of the bureau?", ["The bureau issued new rules on chip exports."], True),
        ("Who replaced Alan Estevez as head of the bureau?", ["Jeffrey Kessler was named to lead the bureau."], False),
        ("who won the first season of american idol", ["ABC acquired the rights to the series."], True),
        ("who won the first season of american idol", ["Kelly Clarkson was the first season's winner."], False),
        ("Who bought the winning ticket?", ["The ticket was sold at a gas station in Altadena."], False),
        ("Who bought the winning ticket?", ["The jackpot was the largest in the game's history."], True),
        # Not a question asking who made something: the rule does not apply.
        ("Who chairs the State Council Tariff Commission?", ["The commission announced new tariffs."], False),
        ("who is the president of the club", ["Two episodes were directed by David Schwimmer."], False),
        ("Who played a key role in the talks?", ["He Lifeng led China's side in Geneva."], False),
    ],
)
def test_who_did_a_deed_needs_a_read_sentence_saying_it_was_done(question: str, read: list[str], unsaid: bool) -> None:
    assert no_deed_said(question, read) is unsaid


STUDIO = Article(
    "studio.md",
    "Hello Games ships a big update",
    "2022-07-20",
    "No Man's Sky is a survival game developed and published by the indie studio Hello Games. The studio shipped "
    "its biggest free update on Tuesday, adding new ships and planets.",
)
FOUNDING = Article(
    "founding.md",
    "The studio behind No Man's Sky",
    "2022-07-21",
    "Hello Games was founded in 2008 by Sean Murray, who had worked at Criterion Games.",
)


@pytest.mark.parametrize(
    ("question", "library", "saying", "who"),
    [
        # The library has the office and one holder of it, but no source says who held it first.
        ("Who was the first governor general of Ruritania?", RURITANIA, FIRST_GOVERNOR, "Rudolf Elphberg"),
        # The library has the studio and a man named beside it, but no source says who founded it.
        ("Who founded Hello Games, the studio that made No Man's Sky?", STUDIO, FOUNDING, "Sean Murray"),
    ],
)
def test_who_is_refused_until_a_source_says_what_is_asked(
    app: Briefing, tmp_path: Path, question: str, library: Article, saying: Article, who: str
) -> None:
    news_library(app, tmp_path / "news", library, VOLCANOES)
    asked_on = date(2022, 7, 22)
    refused = app.ask(Request(question, asked_on=asked_on))
    assert refused.abstained and "name no one who" in refused.text, refused.text
    assert refused.citations == ()
    news_library(app, tmp_path / "news", saying)
    answered = app.ask(Request(question, asked_on=asked_on))
    assert not answered.abstained and who in answered.text, answered.text
