"""Abstention weighs the closest passage beside the best sentence: off-library near misses are refused, long news
questions answered; a question turning on a word the library never uses is refused, naming it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.api import Briefing
from core.request import Request
from core.settings import GenerationSettings
from rag.abstain import (
    UNNAMED_MARGIN,
    actor,
    asks_for_the_news,
    everyday,
    missing_names,
    names_something,
    question_names,
    spelled_out,
    support,
    unanswered,
    unfamiliar,
)
from rag.asking import TOPIC_MARGIN, only_a_topic
from rag.extractive import candidates
from rag.lead_phrase import lead
from rag.text import capitalised_in
from tests.helpers import Article, news_library

ASKED_ON = date(2022, 8, 24)
THRESHOLD = GenerationSettings().abstain_threshold
ARTICLES = {
    "tracks.md": (
        "Drought uncovers dinosaur tracks in Texas riverbed",
        "2022-08-22",
        "Dinosaur tracks that are about 113 million years old have emerged from a dried-up river at Dinosaur "
        "Valley State Park in Texas. The severe drought this summer left the Paluxy River almost completely dry, "
        "park officials said. Most of the tracks belong to Acrocanthosaurus, a meat-eating dinosaur that stood "
        "about 15 feet tall as an adult. Rain is expected to cover the footprints with water and sediment again "
        "in the coming weeks.",
    ),
    "recall.md": (
        "Carmaker recalls pickup trucks over faulty brakes",
        "2022-08-19",
        "The carmaker is recalling about 200,000 pickup trucks because a faulty brake line can leak fluid. Owners "
        "will be notified by mail in October, and dealers will replace the line free of charge. The company said "
        "it knows of no crashes or injuries linked to the problem.",
    ),
    "rules.md": (
        "Commerce updates export rules on advanced chips",
        "2022-08-16",
        "Today, the Commerce Department's export agency released a package of rules designed to update export "
        "controls on advanced computing chips and chipmaking equipment. The rules take effect in thirty days. "
        "Officials said the changes close loopholes that allowed sales through third countries.",
    ),
    "heat.md": (
        "Heat wave strains the Texas power grid",
        "2022-08-18",
        "Texas set a new record for electricity demand as temperatures passed 100 degrees for a tenth straight "
        "day. The grid operator asked residents to conserve power in the late afternoon. State parks extended "
        "their hours so visitors could hike in the cooler evening.",
    ),
}


@pytest.fixture
def news_app(app: Briefing, tmp_path: Path) -> Briefing:
    """A small library of three dated news articles."""
    folder = tmp_path / "news"
    folder.mkdir()
    for name, (title, published, body) in ARTICLES.items():
        text = f"---\ntitle: {title}\nsource: Example Wire\npublished: {published}\n---\n{body}\n"
        (folder / name).write_text(text, encoding="utf-8")
    assert not app.ingest([folder]).failed
    return app


def test_support_weighs_the_closest_passage_beside_the_best_sentence() -> None:
    assert support(0.6, None) == 0.6  # a BM25-only search has no passage similarity
    # A sentence that echoes the question from a passage about something else falls short …
    assert support(0.55, 0.32) < THRESHOLD <= 0.55
    # … and an answer sentence in a passage about the question as a whole is enough.
    assert support(0.50, 0.70) >= THRESHOLD > 0.50
    # Passages searched without the question's time words never lower what the sentence shows.
    assert support(0.55, 0.30, searched_as_asked=False) == 0.55


@pytest.mark.parametrize(
    "question",
    [
        "A drought in Texas this week dried up the Paluxy River and exposed tracks that are millions of years "
        "old. Which dinosaur left most of them?",
        "Owners of about 200,000 pickup trucks are affected by a recall announced this week over a brake "
        "problem. Who pays for the repair?",
    ],
)
def test_a_long_news_quiz_question_the_library_answers_is_answered(news_app: Briefing, question: str) -> None:
    answer = news_app.ask(Request(question, asked_on=ASKED_ON))
    assert not answer.abstained, answer.text
    assert answer.citations and answer.citations[0].title != ARTICLES["heat.md"][0], answer.text


def test_an_off_library_question_with_topical_words_is_refused(news_app: Briefing) -> None:
    # Every name is in the library and one sentence echoes the question ("State parks extended their
    # hours so visitors could hike in the cooler evening"), but its passage is about the power grid.
    question = "Which Texas state parks raised their entrance fees for evening visitors?"
    hits = news_app.retrieve(Request(question, asked_on=ASKED_ON))
    assert not missing_names(question, [h.document.title + " " + h.document.text for h in hits])
    assert max(c.relevance for c in candidates(question, hits, news_app.embedder)) >= THRESHOLD
    answer = news_app.ask(Request(question, asked_on=ASKED_ON))
    assert answer.abstained, answer.text
    assert answer.citations == ()
    off_topic = news_app.ask(Request("What did the carmaker say about crashes linked to its electric vans?"))
    assert off_topic.abstained, off_topic.text


def test_a_windowed_question_is_met_without_its_time_words(news_app: Briefing) -> None:
    # The window holds "on August 16, 2022"; the answer sentence says "Today" and its article is dated.
    question = "What rules did the Commerce Department release on August 16, 2022?"
    request = Request(question, asked_on=ASKED_ON)
    plan = news_app.answerer.plan(request)
    assert plan.scope is not None and plan.scope.windowed
    assert plan.query == "What rules did the Commerce Department release?"
    ranked = candidates(plan.standalone, news_app.retrieve(request), news_app.embedder, plan.query)
    said = next(c for c in ranked if "package of rules" in c.text)
    assert said.untimed is not None and said.untimed > said.relevance and said.topical == said.untimed

    answer = news_app.ask(request)
    assert not answer.abstained, answer.text
    assert "package of rules" in answer.text
    assert answer.citations[0].title == ARTICLES["rules.md"][0]
    # Leaving the time words out lets no off-library question of the same window through.
    for off in (
        "What rules did the Treasury Department release on August 16, 2022?",
        "What tariffs did the Commerce Department set on August 16, 2022?",
    ):
        assert news_app.ask(Request(off, asked_on=ASKED_ON)).abstained, off


def test_the_library_knows_the_words_its_passages_use_in_any_form(news_app: Briefing) -> None:
    uses = news_app.answerer.retriever.library.uses
    # Stemmed as BM25 reads them: "recalls" in the headline, "recalling" in the text; case does not matter.
    assert uses(["recall", "Acrocanthosaurus", "dinosaur", "stegosaurus", "soybeans", 'a"b']) == {
        "recall",
        "Acrocanthosaurus",
        "dinosaur",
    }


def test_only_rare_words_the_library_never_uses_count() -> None:
    # Whole words of the embedder's vocabulary, their other forms, and compounds as WordPiece reads them.
    for word in ("rise", "tall", "eu", "senators", "hikes", "cheaply", "allocate", "almonds", "automaker", "homegrown"):
        assert everyday(word), word
    for word in ("stegosaurus", "parton", "medicaid", "biome", "coaxial", "tiktok"):
        assert not everyday(word), word
    seen: list[set[str]] = []

    def library_uses(words: set[str]) -> set[str]:
        seen.append(set(words))
        return {"tiktok"}

    # Everyday words ("rise"), numbers, short abbreviations and stop words are never looked up.
    question = "Did TikTok's Medicaid fee rise to 25% in the EU, per the H20 Stegosaurus-2 filing?"
    assert unfamiliar(question, library_uses) == ["Medicaid", "H20", "Stegosaurus"]
    # The name of two words ("TikTok's Medicaid") is looked up whole first (see the next test), then the rare words.
    assert seen == [{"tiktok", "medicaid"}, {"tiktok", "medicaid", "h20", "stegosaurus"}]
    assert unfamiliar("How much did tariffs rise?", library_uses) == []
    # A version's name is short, yet no abbreviation a source spells out: it is looked up ("R2" is not "R1").
    assert unfamiliar("When did DeepSeek release its R2 model, after R1?", lambda words: {"r1"} & set(words)) == ["R2"]


def test_a_model_version_no_source_names_is_not_answered_for(corpus_app: Briefing) -> None:
    answer = corpus_app.ask(Request("When did DeepSeek release its R2 model?", asked_on=date(2026, 6, 1)))
    assert answer.abstained and "“R2”" in answer.text, answer.text
    known = corpus_app.ask(Request("When did DeepSeek launch its R1 chatbot?", asked_on=date(2026, 6, 1)))
    assert not known.abstained and "January 2025" in known.text, known.text


def test_a_full_name_the_library_never_uses_is_unknown_though_its_words_are_common() -> None:
    # "Jensen" and "Huang" are whole words of the embedder's vocabulary, so neither is rare on its own.
    assert everyday("jensen") and everyday("huang")
    used = {"nvidia", "gina", "raimondo", "china"}

    def library_uses(words: set[str]) -> set[str]:
        return {w for w in words if w in used}

    question = "What has Nvidia CEO Jensen Huang said about US export curbs on AI chips to China?"
    assert unfamiliar(question, library_uses) == ["Jensen Huang"]
    # A name the library uses a word of, a title before it, or a one-word name: left to the other rules.
    assert unfamiliar("What did Commerce Secretary Gina Raimondo say about chips?", library_uses) == []
    assert unfamiliar("What did Secretary Raimondo say about chips?", library_uses) == []
    assert unfamiliar("What did Huang say about chips?", library_uses) == []


def test_a_person_no_source_names_is_not_answered_for(corpus_app: Briefing) -> None:
    question = "What has Nvidia CEO Jensen Huang said about US export curbs on AI chips to China?"
    answer = corpus_app.ask(Request(question, asked_on=date(2026, 6, 1)))
    assert answer.abstained and "“Jensen Huang”" in answer.text, answer.text
    known = corpus_app.ask(Request("Who founded DeepSeek with Liang Wenfeng's hedge fund?", asked_on=date(2026, 6, 1)))
    assert "Jensen" not in known.text and "no source" not in known.text.lower(), known.text


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Japan joined the chip export controls. What did it restrict?", ["Japan"]),
        ("Chinese exporters faced a 125% tariff. What did Geneva lower it to?", ["Chinese", "Geneva"]),
        # Any other first word is capitalised for the sentence's sake.
        ("Soaring costs are driving up dairy prices. Which country saw the steepest rise?", []),
        ("Nvidia said it would comply. What did BIS require?", ["BIS"]),
    ],
)
def test_a_country_opening_a_sentence_is_a_name(question: str, names: list[str]) -> None:
    assert question_names(question) == names


def test_a_question_about_a_country_no_source_names_is_refused_though_it_opens_the_question(
    corpus_app: Briefing,
) -> None:
    # The sample library's BIS rules restrict the PRC's access to chips; no source says what Japan restricted.
    answer = corpus_app.ask(Request("Japan joined the chip export controls. What did it restrict?"))
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "doer"),
    [
        ("How did the EU respond to Washington lifting its China tariff to 125% last week?", "EU"),
        ("What did Japan say about the AI diffusion rule?", "Japan"),
        ("What has the White House said about fentanyl?", "White House"),
        ("Where did Liang Wenfeng study?", "Liang Wenfeng"),
        # No name before the verb: a thing, two parties, or a name further on.
        ("What did the images show?", None),
        ("What did the US and China agree in Geneva?", None),
        ("How did Beijing's commerce ministry retaliate?", None),
        ("Which countries did the EU exempt?", None),
    ],
)
def test_the_name_whose_doing_is_asked_about(question: str, doer: str | None) -> None:
    assert actor(question) == doer


def test_an_answer_about_another_actor_than_the_one_asked_about_is_refused() -> None:
    # Two of three names are in the evidence, so the names rule alone lets it through; the EU, whose response is
    # asked for, is not.
    question = "How did the EU respond to Washington lifting its China tariff to 125%?"
    evidence = ["Washington raised the tariff on goods from China to 125%; China answered with an 84 percent tariff."]
    assert missing_names(question, evidence) == ["EU"]
    assert unanswered(question, 0.9, THRESHOLD, evidence)
    assert not unanswered(question, 0.9, THRESHOLD, [*evidence, "The European Union said it would wait."])


def test_a_response_no_source_gives_is_not_answered_with_anothers(corpus_app: Briefing) -> None:
    question = "How did the EU respond to Washington lifting its China tariff to 125% last week?"
    answer = corpus_app.ask(Request(question, asked_on=date(2025, 4, 15)))
    assert answer.abstained, answer.text
    china = corpus_app.ask(Request("How did China respond to the April 2025 tariffs?", asked_on=date(2026, 6, 1)))
    assert not china.abstained, china.text


def test_an_abbreviation_is_known_by_the_name_it_stands_for() -> None:
    texts = ["A report by the Congressional Research Service", "the Bureau of Industry and Security (BIS)"]
    assert spelled_out("CRS", texts) and spelled_out("BIS", texts)
    assert spelled_out("USTR", ["the Office of the United States Trade Representative said"])
    # Initials of part of a longer name, other letters, or a word that is not all capitals: no.
    assert not spelled_out("UST", ["the Office of the United States Trade Representative said"])
    assert not spelled_out("CRX", texts) and not spelled_out("Crs", texts) and not spelled_out("C", texts)
    assert missing_names("What did the CRS report say about BIS?", texts) == []
    assert missing_names("What did the CRX report say?", texts) == ["CRX"]


def test_a_source_named_by_its_initials_is_not_a_word_the_library_never_uses(corpus_app: Briefing) -> None:
    # The sample library writes "Congressional Research Service" (the report's author), never "CRS".
    assert corpus_app.answerer.retriever.library.uses(["crs"]) == set()
    question = "According to the CRS report on chip export controls, since when has the US sought to strengthen them?"
    answer = corpus_app.ask(Request(question, asked_on=date(2026, 6, 1)))
    assert not answer.abstained, answer.text
    assert any("Congressional Research Service" in (c.source or "") for c in answer.citations), answer.citations
    unknown = corpus_app.ask(Request(question.replace("CRS", "CRX"), asked_on=date(2026, 6, 1)))
    assert unknown.abstained and "“CRX”" in unknown.text, unknown.text


def test_a_question_is_answered_from_the_sources_that_name_what_it_asks_about(corpus_app: Briefing) -> None:
    question = (
        "Which Commerce Secretary announced the October 2023 tightening of US controls on advanced computing chips"
        " and chipmaking equipment?"
    )
    request = Request(question, asked_on=date(2026, 6, 1))
    # The closest sentence is the AI diffusion fact sheet's "… the October 2022 and October 2023 chip
    # controls", a source that never names Commerce.
    plan = corpus_app.answerer.plan(request)
    hits = corpus_app.answerer.retriever.within_scope(corpus_app.answerer.search(plan), plan.scope)
    best = candidates(plan.standalone, hits, corpus_app.embedder)[0]
    best_source = hits[best.hit_number - 1].document
    assert missing_names(question, [best_source.title + " " + best_source.text]) == ["Commerce"], best_source.title
    answer = corpus_app.ask(request)
    assert not answer.abstained, answer.text
    assert {c.title for c in answer.citations} == {
        "Commerce Strengthens Restrictions on Advanced Computing Semiconductors, Semiconductor Manufacturing Equipment,"
        " and Supercomputing Items to Countries of Concern"
    }, answer.citations
    # A name no retrieved source mentions still refuses.
    assert corpus_app.ask(Request("What did the EU decide about tariffs on Chinese electric cars?")).abstained


def test_a_question_turning_on_a_word_the_library_never_uses_is_refused_and_names_it(news_app: Briefing) -> None:
    question = "Which stegosaurus tracks did the drought uncover in the Texas riverbed this week?"
    request = Request(question, asked_on=ASKED_ON)
    # Without that word the library would answer: the rest of the question is close to its sentences.
    hits = news_app.retrieve(request)
    assert max(c.relevance for c in candidates(question, hits, news_app.embedder)) >= THRESHOLD
    assert not missing_names(question, [h.document.title + " " + h.document.text for h in hits])
    answer = news_app.ask(request)
    assert answer.abstained and answer.citations == (), answer.text
    assert "No source in the library mentions “stegosaurus”" in answer.text
    # The library's own rare words are no bar, nor everyday words it says another way ("grow",
    # "automaker" for "carmaker").
    for asked in (
        "Which Acrocanthosaurus tracks did the drought uncover in the Texas riverbed this week?",
        "How tall did the meat-eating dinosaur grow?",
        "Which automaker is recalling pickup trucks over faulty brakes?",
    ):
        assert not news_app.ask(Request(asked, asked_on=ASKED_ON)).abstained, asked


@pytest.mark.parametrize(
    ("question", "open_ended"),
    [
        ("What did the Commerce Department do?", True),
        ("What happened in Geneva?", True),
        ("What did the Bureau of Industry and Security release?", True),
        ("What did President Biden announce?", True),
        ("What did President Biden sign?", False),  # one thing asked: support decides
        ("What did the EU say about tariffs?", False),
        ("What did the US announce?", False),  # too common a name to stand for the subject
        ("What happened?", False),
        ("what did nvidia announce", False),
        ("Who is the CEO of TSMC?", False),
    ],
)
def test_a_question_asking_only_for_the_news_of_a_subject_is_told_apart(question: str, open_ended: bool) -> None:
    assert asks_for_the_news(question) is open_ended


def test_asked_for_the_news_of_a_window_the_sources_naming_the_subject_answer(news_app: Briefing) -> None:
    question = "What did the Commerce Department do in August 2022?"
    request = Request(question, asked_on=ASKED_ON)
    plan = news_app.answerer.plan(request)
    assert plan.scope is not None and plan.scope.windowed
    # So open a question is far from every sentence: support alone would refuse it.
    ranked = candidates(plan.standalone, news_app.retrieve(request), news_app.embedder, plan.query)
    assert max(c.topical for c in ranked) < THRESHOLD
    answer = news_app.ask(request)
    assert not answer.abstained, answer.text
    assert "package of rules" in answer.text and answer.citations[0].title == ARTICLES["rules.md"][0]
    # Only sentences that name the subject say its news ("The rules take effect in thirty days" does not).
    assert all("Commerce" in c.quote for c in answer.citations), answer.text
    # A subject the window's sources never name, or name in no sentence (only as the outlet), is refused.
    for off in ("What did the Treasury Department do in August 2022?", "What did Example Wire report in August 2022?"):
        assert news_app.ask(Request(off, asked_on=ASKED_ON)).abstained, off


def test_a_name_typed_without_its_accents_is_the_sources_name() -> None:
    asked = "Which former rebel won Colombia's runoff, narrowly beating Rodolfo Hernandez?"
    sources = ["In Colombia, Petro won 50.4% of the vote, while Rodolfo Hernández got 47.3%, the registrar said."]
    assert missing_names(asked, sources) == []
    assert missing_names("Did Álvaro Uribe vote?", ["Alvaro Uribe voted early."]) == []
    assert missing_names(asked, ["Petro won the runoff in Colombia."]) == ["Rodolfo Hernandez"]
    # Nor does the model's echo of that name lead the answer: it adds nothing to the question.
    assert lead(" Rodolfo Hernández", sources[0], asked) is None


def test_a_lower_case_question_names_what_its_sources_write_as_a_name() -> None:
    passages = [
        "In 2014, the PRC government issued a national semiconductor policy. The PRC said it would invest.",
        "Cherry pickers harvest fruit. The term cherry picker is also used for a crane. Pickers rest at noon.",
    ]
    assert names_something("What did the PRC do in 2014?", [])  # a capitalised name needs no passage
    assert names_something("what did the prc government issue in 2014", passages)  # "PRC" twice, never lower
    assert not names_something("where does the term cherry picker come from", passages)  # lower case there
    assert not names_something("Which product remains hard to find in many stores?", passages)
    # Opening a sentence, a word is capitalised whatever it is.
    assert not names_something("what do pickers do", ["Pickers rest. Pickers eat."])


def test_a_question_that_names_nothing_must_come_closer(news_app: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.chain

    thresholds: list[float] = []
    checked = rag.chain.unanswered

    def spy(question: str, relevance: float, threshold: float, evidence: list[str]) -> bool:
        thresholds.append(threshold)
        return checked(question, relevance, threshold, evidence)

    monkeypatch.setattr(rag.chain, "unanswered", spy)
    news_app.ask(Request("How big were the dinosaur footprints found in the dry river?", asked_on=ASKED_ON))
    news_app.ask(Request("How old are the dinosaur tracks in Texas?", asked_on=ASKED_ON))
    # typed in lower case, "texas" is still a name: the passages write it "Texas"
    news_app.ask(Request("how old are the dinosaur tracks in texas", asked_on=ASKED_ON))
    assert thresholds == pytest.approx([THRESHOLD + UNNAMED_MARGIN, THRESHOLD, THRESHOLD])


@pytest.mark.parametrize(
    ("asked", "topic"),
    [
        ("types and causes of male and female infertility", True),
        ("after the fall of constantinople in 1453 moscow became known as the third rome", True),
        ("DeepSeek founder", True),
        ("DeepSeek founder?", False),  # a question mark asks
        ("Qui a fondé DeepSeek ?", False),
        ("Qu’est-ce que DeepSeek", False),  # another language's question word asks without its mark
        ("quien fundo DeepSeek", False),
        ("Wann trat der Zoll in Kraft", False),
        ("DeepSeek fondateur", True),  # no question word in any language: a topic
        ("Lake Como hotels", True),  # a capitalised word inside names something
        ("¿Cuándo entró en vigor el arancel", False),
        ("The tariff rose to what?", False),  # a question word anywhere asks
        ("Under the rule, what's the cap for non-VEU buyers?", False),  # "what's"
        ("is wellington in the north or south island", False),  # a yes-or-no question
        ("Isn’t the tariff 125%?", False),
        ("please list the tariffs on Chinese goods", False),  # a request
        ("Tell me about DeepSeek", False),
        ("谁创立了DeepSeek？", False),  # another script is not judged
        ("", False),
    ],
)
def test_a_topic_is_told_from_a_question(asked: str, topic: bool) -> None:
    assert only_a_topic(asked) is topic


def test_a_topic_without_a_question_must_come_closer(news_app: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.chain

    weighed: list[tuple[float, float]] = []
    checked = rag.chain.unanswered

    def spy(question: str, relevance: float, threshold: float, evidence: list[str]) -> bool:
        weighed.append((relevance, threshold))
        return checked(question, relevance, threshold, evidence)

    monkeypatch.setattr(rag.chain, "unanswered", spy)
    # The heat-wave article is close to it, but says nothing of outages: as a question's, its closeness would pass.
    outages = news_app.ask(Request("power outages in texas during the heat wave", asked_on=ASKED_ON))
    (relevance, threshold), *_ = weighed
    assert threshold == pytest.approx(THRESHOLD + TOPIC_MARGIN)
    assert threshold - TOPIC_MARGIN <= relevance < threshold
    assert outages.abstained, outages.text
    # A topic the library speaks to comes close enough.
    demand = news_app.ask(Request("record electricity demand in texas", asked_on=ASKED_ON))
    assert not demand.abstained and "new record for electricity demand" in demand.text, demand.text


PLAN = Article(
    "plan.md",
    "Made in Ruritania 2030",
    "2024-05-02",
    "Made in Ruritania 2030 is an industrial plan the government issued in 2020. It aims to raise the domestic "
    "content of core materials to 40 percent by 2025 and to 70 percent by 2030.",
)
JOBS = Article(
    "jobs.md",
    "Factories return to the coast",
    "2024-05-03",
    "Nearly 800,000 manufacturing jobs have been created on the coast since 2021, the ministry said. Many of them "
    "were made possible by tariffs on goods from Ruritania.",
)
PLAN_QUESTION = "How many jobs has Made in Ruritania 2030 created?"


def test_an_everyday_word_names_something_only_where_it_is_written_as_a_name(app: Briefing, tmp_path: Path) -> None:
    """ "Made" of "Made in Ruritania 2030" is not named by a source's "made": its count of jobs is not the plan's."""
    assert missing_names(PLAN_QUESTION, [JOBS.body]) == ["Made"]
    assert missing_names(PLAN_QUESTION, [PLAN.body]) == []
    assert missing_names("What did Bank of America report?", ["The bank reported that America …"]) == ["Bank"]
    assert missing_names("What did Bank of America report?", ["BANK OF AMERICA reported"]) == []
    # An everyday word a question capitalises alone is read as before: "Tariff" is not the head of a name here.
    assert missing_names("What is the Tariff on Chinese goods?", ["The tariff on Chinese goods rose."]) == []
    # Capitals, a plural, a possessive and a hyphen all write a word as a name.
    assert capitalised_in("Cokes", ["The Coke’s new look"]) and capitalised_in("Cola", ["Coca-Cola said"])
    assert capitalised_in("Trump", ["DONALD J. TRUMP"]) and not capitalised_in("Made", ["jobs made here"])
    news_library(app, tmp_path / "news", PLAN, JOBS)
    refused = app.ask(Request(PLAN_QUESTION, asked_on=date(2024, 5, 10)))
    assert refused.abstained and "give no number of jobs" in refused.text, refused.text
    # A count its source gives of what the question names still answers.
    answered = app.ask(Request("How many manufacturing jobs have been created on the coast since 2021?"))
    assert not answered.abstained and "800,000" in answered.text, answered.text
