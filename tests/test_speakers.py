"""Questions asking who said something, the names sentences attribute words to, and the answers they give."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.api import Briefing
from core.request import Request
from rag.extractive import Candidate
from rag.speakers import asks_who_said, quoted_by, quoted_of, speaker, without_titles
from tests.test_reader import as_local_model


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which Commerce official spoke for the October 2022 chip export controls?", True),
        ("Who at Commerce defended the tightened chip rules released on Tuesday?", True),
        ("Who was the Commerce Under Secretary for Industry and Security quoted when the rules were unveiled?", True),
        ("Which Commerce Secretary announced the October 2023 tightening of US controls?", True),
        ("Who said the October 2023 rules would shut off pathways to evade the restrictions?", True),
        ("Which Costco executive said on the earnings call that the $1.50 combo price would hold?", True),
        # Whom a named speaker spoke of; what someone said; who did something else.
        ("Who did Rob Walton say will serve as CEO of the Denver Broncos?", False),
        ("What did Nvidia say about export controls on its H20 chips?", False),
        ("Who founded DeepSeek?", False),
        # "announced" is a country's or a band's as often as a person's.
        ("Which country announced a new plan this week to prevent extinctions?", False),
        ("Which band announced this week it is dropping a new single?", False),
        # An official fronting an announcement speaks for it in the release; a company unveils a product.
        ("Which BIS official fronted the new export controls on advanced chips?", True),
        ("Which Commerce Secretary presented the October 2023 update to the chip rules?", True),
        ("Which company unveiled the new chip?", False),
        ("Which official resigned after the rules were released?", False),
    ],
)
def test_a_question_asking_who_said_something(question: str, asks: bool) -> None:
    assert asks_who_said(question) is asks


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "“The threat environment is always changing,” said Under Secretary of Commerce for Industry and"
            " Security Alan Estevez.",
            "Alan Estevez",
        ),
        (
            "“Today’s rules will increase effectiveness,” said Secretary of Commerce Gina M. Raimondo.",
            "Gina M. Raimondo",
        ),
        (
            "Even though prices may increase, Costco CFO Richard Galanti said during a presentation Thursday that the"
            " combo will stay inexpensive.",
            "Richard Galanti",
        ),
        (
            "Still, this is no typical bout of inflation, said Robert Frick, corporate economist at a credit union.",
            "Robert Frick",
        ),
        ("“We will win,” Biden said.", "Biden"),
        ("Secretary Raimondo said the rules are tough.", "Raimondo"),
        # No name spoke: a pronoun, a day after the verb, an organisation said in lower case, no saying at all.
        ("He said Thursday that it would go on.", None),
        ("The company said in a statement that it would comply.", None),
        ("The export controls announced in the two rules today restrict the PRC.", None),
    ],
)
def test_the_name_a_sentence_attributes_words_to(sentence: str, name: str | None) -> None:
    assert speaker(sentence) == name


QUOTED = [
    # The announcement's own sentences restate the question more closely than the quotation does.
    ("Which Commerce official spoke for the October 2022 chip export controls?", "Alan Estevez"),
    (
        "Which Commerce Secretary announced the October 2023 tightening of US controls on advanced chips?",
        "Gina M. Raimondo",
    ),
]


@pytest.mark.parametrize(("question", "name"), QUOTED)
def test_who_spoke_is_answered_by_the_quotation_and_its_speaker_leads(
    corpus_app: Briefing, question: str, name: str
) -> None:
    answer = corpus_app.ask(Request(question, asked_on=date(2026, 6, 1)))
    assert not answer.abstained
    assert answer.lead == name and answer.text.startswith(f"{name} — “"), answer.text
    # The cited sentence is the one that says who spoke.
    assert any(name in c.quote for c in answer.citations), answer.citations


def test_the_speaker_leads_whatever_the_local_model_names(corpus_app: Briefing) -> None:
    question, name = QUOTED[1]
    as_local_model(corpus_app, " the U.S. Department of Commerce\n")  # a name no attributed sentence holds
    answer = corpus_app.ask(Request(question, asked_on=date(2026, 6, 1)))
    assert answer.lead == name, answer.text


def _said(text: str, hit: int = 1) -> Candidate:
    return Candidate(hit, text, 0.5, 0.4, 0)


RULES = "BIS released updated rules on advanced computing chips and chipmaking equipment."
QUOTES = [
    _said(
        "These controls maintain our clear focus on military applications,” said Secretary of Commerce Gina M. Raimondo."
    ),
    _said("“We will keep working with allies,” said Under Secretary Alan Estevez.", 2),
    _said("Today, the Department of Commerce released a package of rules."),
]


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("What did Gina Raimondo say about the rules?", [0]),
        ("What did Secretary Raimondo say?", [0]),
        ("What has Estevez said about the controls?", [1]),
        # What no quotation of the person's document is about; a speaker the sentences never quote; another form.
        ("What did Raimondo say about quantum computing?", []),
        ("What did Jensen Huang say about the rules?", []),
        ("Who said the controls maintain a clear focus?", []),
        ("What did the rules require?", []),
    ],
)
def test_what_a_named_person_said_is_what_sentences_attribute_to_them(question: str, quoted: list[int]) -> None:
    documents = [f"{RULES} {QUOTES[0].text}", f"{RULES} controls. {QUOTES[1].text}"]
    assert quoted_of(question, QUOTES, documents) == [QUOTES[i] for i in quoted]


def test_what_a_named_official_said_is_answered_by_the_quotation(corpus_app: Briefing) -> None:
    # The quotation does not name Raimondo in the question's words: its support alone (0.40) would refuse it.
    answer = corpus_app.ask(
        Request("What did Gina Raimondo say about the October 2023 rules?", asked_on=date(2026, 6, 1))
    )
    assert not answer.abstained, answer.text
    # Any sentence of her quotation is hers, those before its attribution and the one running on after it.
    assert any(words in answer.text for words in ("shut off pathways", "military applications", "trade flows"))
    refused = corpus_app.ask(Request("What did Raimondo say about quantum computing?", asked_on=date(2026, 6, 1)))
    assert refused.abstained, refused.text


# A press release's quotations as the sample library prints them: a quotation of two sentences attributed after
# it, one running on after its attribution, and a paragraph that opens a quotation and never closes it.
RELEASE = (
    "Washington, D.C.—Today, the Department released a package of rules on advanced chips.\n\n"
    "“Today’s rules will shut off pathways to evade our restrictions. These controls keep our focus on military "
    "applications,” said Secretary of Commerce Gina M. Raimondo. “As we implement them, we will keep minimizing "
    "any impact on trade flows.”\n\n"
    "“We must acknowledge the technological gap,” state news agency Xinhua quoted Xi as saying.\n"
    "“[China should] concentrate on conquering core technologies such as high-end chips.\n"
    "“[We should then] use AI to lead the paradigm shift in scientific research.”\n\n"
    "The rules take effect in 30 days. “Nobody will be exempt,” one analyst wrote in a note."
)


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Today’s rules will shut off pathways", "Gina M. Raimondo"),  # before the attribution
        ("These controls keep our focus", "Gina M. Raimondo"),  # inside the quotation, before the attribution
        ("“As we implement them", "Gina M. Raimondo"),  # running on after it
        ("“We must acknowledge", "Xi"),  # "quoted Xi as saying"
        ("“[China should]", "Xi"),  # a paragraph opening a quotation that never closes
        ("“[We should then]", "Xi"),  # and the one after it
        # Outside any quotation; a quotation whose attribution names no one.
        ("Washington, D.C.—Today", None),
        ("The rules take effect", None),
        ("“Nobody will be exempt", None),
    ],
)
def test_the_sentences_of_a_quotation_are_its_speakers(sentence: str, who: str | None) -> None:
    start = RELEASE.index(sentence.lstrip("“"))
    assert quoted_by(RELEASE, start) == who


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("How did Secretary Raimondo describe the rules on advanced chips?", True),
        ("In the release on chips, what did Raimondo promise about trade flows?", True),
        ("What did Xi Jinping acknowledge about the technological gap?", True),
        ("Which technologies did Xi Jinping say China should concentrate on?", True),
        ("Who did Secretary Raimondo say the rules on chips would keep from evading them?", True),
        # What a person's words were said beside ("when Xi told …"), not what they said.
        ("What had the rules on chips done when Xi told China to concentrate on core technologies?", False),
        # A name the document never says; most of the question's words not in it; no person named.
        ("How did Raimondo justify adding SMIC to the rules?", False),
        ("What did Raimondo say about quantum computing and biotechnology?", False),
        ("How did the rules describe chips?", False),
    ],
)
def test_what_a_person_said_is_asked_in_many_forms(question: str, quoted: bool) -> None:
    sentences = [
        Candidate(1, RELEASE[start : start + 60], 0.5, 0.4, start)
        for start in (RELEASE.index("Today’s rules"), RELEASE.index("“We must"), RELEASE.index("The rules take"))
    ]
    assert bool(quoted_of(question, sentences, [RELEASE])) == quoted


def test_no_piece_of_a_quotation_leads_what_a_person_said(corpus_app: Briefing) -> None:
    # The local model replies with words of the quotation; what the person said is the quotation itself.
    as_local_model(corpus_app, " always changing\n")
    question = "How did Under Secretary Estevez describe the threat environment when the October 2022 rules came out?"
    answer = corpus_app.ask(Request(question, asked_on=date(2026, 6, 1)))
    assert answer.lead is None and "The threat environment is always changing" in answer.text, answer.text
    # A question asking for something else than what was said still leads with what the model names.
    as_local_model(corpus_app, " Liang Wenfeng\n")
    founded = corpus_app.ask(Request("Who founded DeepSeek?", asked_on=date(2026, 6, 1)))
    assert founded.lead == "Liang Wenfeng", founded.text


@pytest.mark.parametrize(
    ("name", "untitled"),
    [
        ("Justice Stephen Breyer", ["Stephen", "Breyer"]),
        ("President Biden", ["Biden"]),
        ("Vice Premier He Lifeng", ["He", "Lifeng"]),
        ("Sen. Joe Manchin", ["Joe", "Manchin"]),
        ("Secretary", ["Secretary"]),  # the last word always stays
        ("Christian Wakeford", ["Christian", "Wakeford"]),
    ],
)
def test_a_names_titles_are_left_off(name: str, untitled: list[str]) -> None:
    assert without_titles(name.split()) == untitled
