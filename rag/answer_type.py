"""What kind of answer a question asks for, and whether a sentence holds one (pure functions).

"How much did the tariff rise?" and "What tariff did China announce?" want an amount (so does a vote's tally),
"who" a name, "when" a date, "what did they agree" the agreed content, "What is Made in China 2025?" the sentence that
says what it is. The extractive answerer prefers sentences that hold an answer of the asked kind that the question
does not already state: a sentence that only restates the question answers nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from core.words import CARDINALS, STOPWORDS, WEEKDAYS, unaccented
from rag.counting import counted_nouns, ranks
from rag.definitions import defines
from rag.dimensions import LONG_IN_UNITS, asked_measure, states_measure
from rag.periods import DAY, MONTH_ANY, MONTH_DAY, MONTH_FULL, YEAR, asked_day_said, names_another_day
from rag.rates import ASKS_RATE, STATED_RATE
from rag.text import asking_span, numbers
from rag.votes import asks_a_vote, states_a_vote

Kind = Literal["amount", "name", "date", "agreement", "definition", "other"]

# A word between "what"/"which" and the asked noun, possessives ("SMIC’s") and "U.S." included ("the U.S. tariff")
_WORD = r"[\w'’.-]+"

# "How much …?", "How far …?": a quantity, whatever it is of.
_HOW_MUCH = (
    rf"\b(?:by\s+)?how\s+(?:much|many|large|big|high|low|far|old|fast|often|tall|deep|wide|heavy|{LONG_IN_UNITS})\b"
)
_AMOUNT = re.compile(
    _HOW_MUCH
    # "What date does the tax season open?" asks for a date, whatever noun follows.
    + r"|\bwhat\s+(?!(?:date|day|year|month|time|week)\b)"
    + rf"(?:{_WORD}\s+){{0,3}}?(?:rate|percentage|percent|share|number|amount|price|cost|magnitude|size"
    r"|total|sum|level|figure|proportion|fraction|value|speed|temperature|score|age|margin|toll|count"
    # a tariff, a duty or a fine is asked for as a rate or a sum: "What tariff did China put on US goods?"
    r"|tariff|dut(?:y|ie)|tax(?:e)?|levy|levie|fine|fee|penalt(?:y|ie)"
    # … and so is a sum a company, a budget or an economy is measured by: "What was SMIC's revenue in 2024?"
    r"|revenue|sale|profit|earning|income|budget|spending|funding|salar(?:y|ie)|debt|deficit|surplus|gdp|valuation"
    r"|investment|donation|damage|jackpot|prize)s?\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"(?:^|[-–—:]\s)\W*when\b|\b(?:since|until|till|by)\s+when\b|\bhow\s+(?:soon|long)\b|\bwhat\s+(?:date|day|year|month|time|week)\b"
    r"|\bwhich\s+(?:date|day|year|month)\b|\b(?:what|which)\s+(?:\w+\s+)?deadline\b|\bwhat\s+(?:is|was)\s+the\s+(?:[\w-]+\s+){0,2}(?:deadline|date)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^\W*(?:who|whom|whose|where)\b|\b(?:which|what)\s+"
    rf"(?:{_WORD}\s+){{0,3}}?"
    r"(?:person|people|man|woman|official|leader|president|company|companies|firm|country|countries|nation|city"
    r"|state|team|player|star|actor|actress|singer|agency|organi[sz]ation|group|party|park|island|region|place"
    r"|brand|airline|bank|court|network|university|school|senator|governor|minister|celebrity|athlete|name)\b"
    r"|\bwhich\b|\bwho\b",
    re.IGNORECASE,
)
_AGREEMENT = re.compile(
    r"\bwhat\s+(?:did|does|do|have|has|will|would)\b.{0,80}?\b(?:agree|commit|decide|pledge|promise|announce|sign"
    r"|approve|order|rule|require|propose|plan|vote|settle)\w*\b|\bwhat\s+"
    rf"(?:{_WORD}\s+){{0,4}}?(?:agree|commit|decid|pledg"
    r"|promis)\w*\b",
    re.IGNORECASE,
)

_QUANTITY = re.compile(
    rf"\d|\b(?:{CARDINALS}|trillion|half|double|doubled|triple|tripled|dozen|percent|per\s+cent)\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday|today|tomorrow|yesterday|next\s+(?:week|month|year)|this\s+"
    r"(?:week|month|year)|(?:19|20)\d{2}|weeks?|months?|years?|days?|spring|summer|autumn|fall|winter)\b",
    re.IGNORECASE,
)

# "When will the funeral take place?" is not answered by "Buckingham Palace announced the official date and
# plan for the state funeral, which will be preceded by … four days": a sentence that speaks of a date without
# giving one (no month, weekday, year or "tomorrow" the question does not already say) stands in for it.
_A_DATE = re.compile(r"\b(?:a|an|the|its|their|this|that)\s+(?:[\w’'-]+\s+){0,2}?(?:dates?|deadline|timeline)\b", re.I)
# A weekday or a month by its full name: a day of the calendar, and no name of anyone ("on Tuesday").
_DAY_NAME = rf"(?:{'|'.join(WEEKDAYS)}|{MONTH_FULL})"
_CALENDAR_DAY = re.compile(
    rf"\b(?:{_DAY_NAME}|{YEAR}|today|tonight|tomorrow|yesterday)\b|{MONTH_DAY.pattern}|\b\d{{1,2}}/\d{{1,2}}\b",
    re.IGNORECASE,
)


def speaks_of_a_date(question: str, sentence: str) -> bool:
    """Whether the sentence refers to a date ("has set a date for another attempt", "the official date")
    and states no day of the calendar besides the question's own."""
    return _speaks_of_a_date(sentence, _without(sentence, question))


def _speaks_of_a_date(sentence: str, new: str) -> bool:
    """speaks_of_a_date, given what the sentence says that the question does not (`_without`)."""
    return bool(_A_DATE.search(sentence)) and not _CALENDAR_DAY.search(new)


# "What is Made in China 2025?", "Who is Liang Wenfeng?": what something or someone is. The subject is a
# short phrase without a possessive; after "the" it is a name ("the CHIPS and Science Act", not "the capital
# of France", which asks for a value), and "who" asks it only of a name ("who is the CEO …" asks for one).
_DEFINITION = re.compile(r"^\W*(?P<wh>what|who)\s+(?:is|are|was|were)\s+(?P<subject>[^?]+?)\W*$", re.IGNORECASE)
DEFINITION_SUBJECT_WORDS = 6
_PRONOUNS = frozenset(
    {
        *("it", "its", "it's", "they", "them", "their", "he", "him", "his", "she", "her", "hers"),
        *("this", "that", "these", "those", "there", "one"),
    }
)
_COMMITMENT = re.compile(
    r"\b(?:will|shall|agree[sd]?|agreement|commit(?:s|ted|ment)?|pledge[sd]?|decided|promise[sd]?|to\s+(?:suspend"
    r"|remove|lower|reduce|cut|raise|lift|pause|establish|allow|ban|end|extend|resume)\w*)\b",
    re.IGNORECASE,
)
# A year, a day of the month, an ordinal or a model name says when or which, not how much: "It was announced in
# February 2026 that …" holds no answer to "How much did DeepSeek spend …?", nor "enacted by the 117th
# Congress … on August 9, 2022" to "How much does the act appropriate?". A four-digit number counts as
# a year unless a unit or a counted noun follows it ("1999 troops", "2000%") or a currency sign precedes it.
_CALENDAR = re.compile(
    rf"\b{MONTH_ANY}\s+{DAY}\b|\b{DAY}\s+{MONTH_ANY}(?!\w)"
    r"|\b\d+(?:st|nd|rd|th)\b"  # an ordinal ranks or dates ("the 117th Congress"), it does not count
    r"|\b[a-z]+-?\d(?:[-.]?\w)*"  # nor a name with a number in it ("R1", "V3.2", "A100", "COVID-19", "V3-0324")
    r"|(?<![$€£¥\d,.])\b(?:1[89]|20)\d{2}(?:s|['’]s)?\b(?![,.]\d)(?!\s*(?:%|percent\b|per\s+cent\b|[a-z]+s\b))",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*[A-Za-z]|\b[A-Z]{2,}\b")
# Outside quotation marks, a first-person sentence is the author speaking of itself ("I hereby order"): preamble.
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|our|us)\b(?!\.)")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_MARKUP = re.compile(r"\|.*\||^\s*#|^\s*[-*]{3,}|\[\s*\]|<[a-z/][^>]*>|\.{4,}|\s(?:\. ){3,}", re.IGNORECASE)
# A link to another story, as news pages print them: "MORE:Heidi Klum spills details …", "Related: …", "►Food prices
# keep rising:3 tips to save on your groceries." (a "►" line without a label is news). What it says is the other
# story's, not this source's. A label run into a headline without a space is one too ("See first images:What the
# James Webb Space Telescope has captured"), unless it ends as a sentence does: "Phoenix:There has been a sharp
# decrease …" reports news. So is a label in capitals before a headline ("BUDGET AIRLINE BONANZA: What Spirit-Frontier
# merger would mean for fares, fees"); "CHINESE ACTIONS: China will remove … ." ends as a sentence does.
# After a link word's colon, a space and a line that ends as a sentence does is news: "Also today: US retail sales for
# August arrive at 8:30 a.m. ET.", "Watch this space: The agreement does not mean …".
_LINKED = r"(?:(?=\S)|(?!.*[.!][\"'”’)]*\s*$))"
_PROMO = re.compile(
    r"^\s*(?:read|see|also|more(?!\s+than\b)|related|watch|listen|subscribe|sign\s+up|don['’]t\s+miss|recommended"
    rf"|trending)(?:\s+\w+){{0,3}}\s*:{_LINKED}|^\W{{0,3}}[►▶][^:]{{0,60}}:{_LINKED}"
    r"|^[^:.!?]{0,60}[A-Za-z)'’]:(?!http)(?=[A-Z\"'‘“0-9])(?!.*[.!][\"'”’)]*\s*$)"
    r"|(?-i:^\W{0,3}[A-Z][A-Z0-9 '’()&,.-]{3,60}[A-Z)]:\s+(?!.*[.!?][\"'”’)]*\s*$))",
    re.IGNORECASE,
)


# "What percentage of …?", "What share of …?": a part of a whole, said as a percentage or a fraction.
_ASKS_SHARE = re.compile(
    rf"\bwhat\s+(?:{_WORD}\s+){{0,2}}?(?:percentage|percent|share|proportion|fraction)\b|\bhow\s+many\s+percent\b"
    r"|\bwhat\s+per\s*cent\b",
    re.IGNORECASE,
)
# "What tariff …?", "What will the duty … go up to?", "What rate …?": the measure asked for is the rate itself (not
# "How much revenue did the tariffs raise?", a sum).
_ASKS_A_RATE = re.compile(
    rf"\bwhat\s+(?!(?:date|day|year|month|time|week)\b)(?:{_WORD}\s+){{0,3}}?(?:rate|tariff|dut(?:y|ie)|levy|levie)s?\b"
    # "To what level did it raise its key rate?"
    r"|\b(?:what\s+level|how\s+high|how\s+low)\b[^?]*?\b(?:rate|tariff|dut(?:y|ie)|levy|levie)s?\b",
    re.IGNORECASE,
)


def asks_a_rate(question: str) -> bool:
    """Whether a question asks for a rate ("What tariff …?"), not a sum of money or a share."""
    asking = asked_sentence(question)
    return _ASKS_A_RATE.search(asking) is not None and not _ASKS_SHARE.search(asking) and not asks_money(question)


# A share as a figure says it: what `holds_answer` asks of a sentence for "What percentage …?" ("most" and "all" say
# that a part is large, not how large).
_STATED_SHARE = re.compile(
    r"%|\bper\s*cent\b|\bpercent|\bhalf\b|\b(?:one|two|three|four)[\s-](?:thirds?|quarters?|fifths?|tenths?)\b"
    r"|\ba\s+(?:third|quarter|fifth|tenth)\b",
    re.IGNORECASE,
)
# A share named as the answer may also be said in words: "the majority", "most", "none", "all".
_SHARE = re.compile(_STATED_SHARE.pattern + r"|\bmajority\b|\bminority\b|\bmost\b|\bnone\b|\ball\b", re.IGNORECASE)


def not_the_asked_measure(named: str, question: str) -> bool:
    """Whether words named as the answer miss the measure the question asks for: a count or a sum
    ("65.5 million people") for "What percentage of the population …?", or a year or a day for
    "What tariff …?" ("2023", from "A 2023 report … on tariffs")."""
    if _ASKS_SHARE.search(question):
        return not _SHARE.search(named)
    if not numbers(named) or answer_kind(question) != "amount":
        return False
    if asks_a_rate(question):
        # A figure named alone says no more than its unit: "84 percent" is a rate; "$18 billion" and "2023" are not.
        return STATED_RATE.search(_without(_CALENDAR.sub(" ", named), question)) is None
    return not holds_answer("amount", question, named)


# "How long …?" asks for a span of time, said as so many of its units ("nine years", "90 days", "a decade").
_HOW_LONG = re.compile(r"\bhow\s+long\b", re.IGNORECASE)
_SPAN = re.compile(
    rf"\b(?:\d[\d,.]*|a|an|{CARDINALS})[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b", re.I
)

# "What's the price …?" asks as "What is the price …?" does.
_CONTRACTED = re.compile(r"\b(what|who|when|where|which|how)['’]s\b", re.IGNORECASE)


def asked_sentence(question: str) -> str:
    """The sentence of a question that asks: its last one ending in "?" (else its last one), with
    "what's" read as "what is".

    A quiz question often sets the scene first ("Olivia Newton-John, who …, died this week at 73. Which
    movie made her a star?"): what kind of answer it wants is said in the asking sentence, and a "who"
    or "when" of the scene must not count.
    """
    start, end = asking_span(question)
    return _CONTRACTED.sub(lambda m: m.group(1) + " is", question[start:end])


def asks_how_much(question: str) -> bool:
    """Whether a question's asking sentence asks "how much", "how many", "how far" …: a quantity in so many
    words ("To what level did it raise its key rate?" too), where "What tariff …?" or "What is the US tariff
    arrangement …?" may ask for what a measure is."""
    to_what = r"|\bto\s+what\s+(?:level|rate|percentage|figure|amount)\b"
    return re.search(_HOW_MUCH + to_what, asked_sentence(question), re.IGNORECASE) is not None


def answer_kind(question: str) -> Kind:
    """The kind of answer a question asks for ('other' when it does not say), read from its asking sentence."""
    question = asked_sentence(question)
    if _AGREEMENT.search(question):
        return "agreement"
    if _AMOUNT.search(question) or asks_a_vote(question):
        return "amount"
    if definition_subject(question) is not None:
        return "definition"
    if _DATE.search(question):
        return "date"
    if _NAME.search(question):
        return "name"
    return "other"


def holds_answer(kind: Kind, question: str, sentence: str) -> bool:
    """Whether the sentence states something of the asked kind that the question does not already say; for a
    question asking for a sum of money (`asks_money`), a sum in a currency; for a share, a percentage or a fraction."""
    if kind == "amount":
        if asks_a_vote(question):  # "What was the Senate vote tally?" is not answered by "… the 117th Congress"
            return states_a_vote(sentence)
        if asks_money(question):
            return any(numbers(m.group()) - numbers(question) for m in _SUM.finditer(sentence))
        if _ASKS_SHARE.search(asked_sentence(question)):
            # "What percentage of SMIC does the Big Fund hold?" is not answered by "… are major shareholders of SMIC."
            return _STATED_SHARE.search(_without(sentence, question)) is not None
        if (measure := asked_measure(asked_sentence(question))) is not None:
            return states_measure(measure, question, sentence)  # "How far …?" is answered in miles, not "100 times"
        if asks_a_rate(question):
            # "What will the duty on Chinese EVs go up to?" is not answered by "… tariffs … on $18 billion of imports",
            # nor by "China's exports of EVs grew by 70% …": a rate, said of a rate.
            stated = STATED_RATE.search(_without(_CALENDAR.sub(" ", sentence), question)) is not None
            return stated and ASKS_RATE.search(sentence) is not None
        counted = _CALENDAR.sub(" ", sentence)
        new_numbers = numbers(counted) - numbers(question)
        # An ordinal is no amount ("the 117th Congress") unless it ranks what is counted ("its 23rd such missile test").
        return (
            bool(new_numbers)
            or bool(_QUANTITY.search(_without(counted, question)))
            or ranks(counted_nouns(question), sentence)
        )
    if kind == "date":
        new = _without(sentence, question)
        if _HOW_LONG.search(asked_sentence(question)):
            return _SPAN.search(new) is not None  # "How long was the sentence?" is not answered by "Today, …"
        if (asked_day := asked_day_said(asked_sentence(question), new, sentence)) is False:
            return False  # a deadline, a day or a time asked, and not said: "Since 2018, …" for "By what year …?"
        said = asked_day or bool(_DATE_WORDS.search(new) or _CALENDAR_DAY.search(new))
        said = said or names_another_day(sentence, question)
        return said and not _speaks_of_a_date(sentence, new)
    if kind == "name":
        asked = {w.lower() for w in re.findall(r"[\w'’.-]+", question)}
        names = [m.group(0) for m in _CAPITALISED.finditer(sentence) if m.start() > 0]
        return any(name.lower().strip(".") not in asked for name in names)
    if kind == "agreement":
        return bool(_COMMITMENT.search(sentence))
    if kind == "definition":
        return defines(definition_subject(question) or "", sentence)
    return True


# "How much prize money did he earn?", "How much did it sell for?", "How much damage did the storm cause?": a sum
# of money. Not a rate or a share of one ("How much did the tariff rise?", "by how much did they raise interest
# rates?"), nor a count.
_MONEY_WORDS = re.compile(
    r"\b(?:money|costs?|price[sd]?|pa(?:y|id|ys)|spen(?:d|ds|t|ding)|earn(?:s|ed|ings)?|fund(?:s|ed|ing)?"
    r"|revenues?|salar(?:y|ies)|prize|jackpot|fined?|donat\w*|damages|(?<=\bmuch\s)damage|budget"
    r"|invest(?:s|ed|ment)?|worth|sells?|sold"
    r"|valu(?:ation|ed)|compensation|reward|bail|ransom|subsid\w*|grant(?:s|ed)?|award(?:s|ed)?|appropriat\w*"
    r"|loans?|profits?|income)\b",
    re.IGNORECASE,
)
_RATE_WORDS = re.compile(
    r"\b(?:tariffs?|dut(?:y|ies)|rates?|percent\w*|shares?|tax(?:es)?|interest|how\s+many)\b", re.IGNORECASE
)
# A change may be asked for as a share of what changed ("How much did the price of eggs rise?": "30%"), unless
# the question says it is money that moved ("How much funding did the start-up raise?").
CHANGE_WORDS = re.compile(
    r"\b(?:ris(?:e|es|en|ing)|rose|f(?:all|alls|ell|allen|alling)|increas\w*|decreas\w*|jump\w*|drop\w*|climb\w*"
    r"|surg\w*|declin\w*|gr(?:ow|ows|ew|own|owing)|soar\w*|plung\w*|cuts?|lower\w*|rais(?:e|es|ed|ing)|shr[ia]nk\w*"
    r"|slump\w*|tumbl\w*)\b",
    re.IGNORECASE,
)
_MONEY_NAMED = re.compile(r"\b(?:money|funds?|funding)\b", re.IGNORECASE)
# A sum in a currency: "$429", "US$6 million", "405 million euros", "£115,000", "RMB 1 trillion".
_SUM = re.compile(
    r"(?:[A-Z]{1,3})?[$€£¥]\s?\d[\d,.]*"
    r"|\d[\d,.]*(?:\s?(?:million|billion|trillion|bn|m))?\s(?:dollars|euros|pounds|yuan|yen|rupees|francs|won|renminbi)\b"
    r"|\b(?:RMB|CNY|EUR|GBP|USD)\s?\d[\d,.]*",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def asks_money(question: str) -> bool:
    """Whether a question asks for a sum of money: an amount question whose asking sentence speaks of money
    (a price, a cost, a fine, funding, what was paid, earned or sold for) and of no rate, share or count, nor
    of a change unless it names money as what changed."""
    asking = asked_sentence(question)
    if answer_kind(question) != "amount" or not _MONEY_WORDS.search(asking) or _RATE_WORDS.search(asking):
        return False
    return not (CHANGE_WORDS.search(asking) or _COMPARED.search(asking)) or bool(_MONEY_NAMED.search(asking))


# "How much more could a party cost than it did last year?": a difference, said as a share too ("14% higher").
_COMPARED = re.compile(r"\bhow\s+much\s+(?:more|less|higher|lower|cheaper|dearer)\b", re.IGNORECASE)


def definition_subject(question: str) -> str | None:
    """What a "what is X" / "who is X" question asks to have defined, or None when it asks something else.

    A pronoun is no subject to define: "What is her name?" asks for a name, "What was its destination?"
    for a place, "What are they now prohibited from doing?" for an act.
    """
    match = _DEFINITION.match(asked_sentence(question).strip())
    if match is None:
        return None
    subject = match.group("subject")
    words = subject.split()
    if len(words) > DEFINITION_SUBJECT_WORDS or "'s" in subject or "’s" in subject:
        return None
    if words[0].lower() in _PRONOUNS:
        return None
    if words[0].lower() == "the":
        if match.group("wh").lower() == "who" or len(words) < 2 or not words[1][:1].isupper():
            return None
    elif match.group("wh").lower() == "who" and not any(w[:1].isupper() for w in words):
        return None
    return subject


def first_person(sentence: str) -> bool:
    """The author speaks of itself outside any quotation ('I hereby determine and order')."""
    return bool(_FIRST_PERSON.search(_QUOTED.sub(" ", sentence)))


def looks_like_markup(sentence: str) -> bool:
    """Table rows, headings, rules, leader dots and links to other stories: layout, never an answer."""
    letters = sum(ch.isalpha() for ch in sentence)
    return bool(_MARKUP.search(sentence) or _PROMO.search(sentence)) or letters < 0.5 * len(sentence.strip())


def _without(sentence: str, question: str) -> str:
    """The sentence with the question's own words blanked, so what remains is new."""
    asked = {w.lower() for w in re.findall(r"\w+", question) if len(w) > 2}
    return re.sub(r"\w+", lambda m: " " if m.group(0).lower() in asked else m.group(0), sentence)


# A news article's dateline says where and for whom it was filed, not who did what: "New York (CNN Business)",
# "Berlin (CNN)", "NEW YORK (AP) —", "BOGOTA, Colombia —", "TRENTON - " before a capital; not a sentence's subject
# ("The Associated Press (AP) reported …").
_DATELINE = re.compile(
    r"^\s*(?:(?!The\b)[A-Z][\w.’'-]*(?:[\s,]+[A-Z][\w.’'-]*){0,3}\s*)?\((?:CNN|AP|AFP|Reuters)[\w\s]*\)\s*(?:[—–-]+\s+)?"
    r"|^\s*[A-Z][A-Z.’' -]{2,}(?:,\s*[A-Z][\w.’' -]*)?\s+(?:[—–]|-(?=\s+[A-Z“\"]))\s+"
)


def without_dateline(text: str) -> str:
    """The text without the dateline it opens with, if any: "Tokyo (CNN) Former …" → "Former …"; the text as
    it is when nothing follows its dateline."""
    rest = _DATELINE.sub("", text, count=1)
    return rest if re.search(r"\w", rest) else text


def names_someone_new(question: str, text: str) -> bool:
    """Whether the text names someone or something the question does not: a capitalised word that is not
    the first of a sentence, the question's (accents and plurals aside), its dateline's, or the owner of a
    thing the question names ("Jeff Bezos' Blue Origin" for a question about Blue Origin's flight)."""
    asked = name_keys(question)
    text = without_dateline(text)
    for match in _CAPITALISED.finditer(text):
        if match.start() == 0 or name_key(match.group(0)) in asked:
            continue
        owner = re.match(r"(?:[’']s?|\s+[A-Z][\w-]*[’']s?)\s+([\w-]+)", text[match.end() :])
        if owner is not None and name_key(owner.group(1)) in asked:
            continue
        return True
    return False


def name_keys(text: str) -> set[str]:
    """The text's words as names are compared (`name_key`): what a question says, to leave out of what is new."""
    return {name_key(word) for word in re.findall(r"[\w’'.-]+", text)}


def name_key(word: str) -> str:
    """A word as names are compared: lower case, no accents, no possessive, no plural "s"."""
    word = unaccented(word).lower().strip(".")
    return word.removesuffix("’s").removesuffix("'s").rstrip("’'").rstrip("s")


# "Which band announced …?" is not answered by "The band announced a new tour …": a sentence that speaks of the
# asked-for thing by the question's own noun ("the band", "the highest paid player") stands in for its name.
_WHICH = re.compile(r"\b(?:which|what)\s+((?:[\w’'-]+\s+){0,3}[\w’'-]+)", re.IGNORECASE)
_DAY_NAMES = re.compile(rf"\b{_DAY_NAME}\b", re.IGNORECASE)
_CARDINAL_WORDS = frozenset(CARDINALS.split("|"))
_TIME_NOUNS = frozenset(("week", "month", "year", "day", "time", "today", "weekend"))


def asked_nouns(question: str) -> list[str]:
    """The lower-case words after "which"/"what" up to the first stop word, a plural also in the singular:
    "Which band announced this week …" → band, announced; "Which two major supermarkets …" → major,
    supermarkets, supermarket. The thing asked for is among them. A capitalised word there is a name that
    qualifies it ("Which US national park"), skipped: "the US" is not the park."""
    match = _WHICH.search(asked_sentence(question))
    if match is None:
        return []
    words: list[str] = []
    for word in match.group(1).split():
        if word[:1].isupper():
            continue
        if word in STOPWORDS:
            break
        if word not in _TIME_NOUNS and word not in _CARDINAL_WORDS and len(word) > 2:
            words.append(word)
            if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
                words.append(word[:-1])
    return words


def stands_in(nouns: Sequence[str], question: str, sentence: str) -> bool:
    """Whether the sentence refers to one of the asked nouns with a definite article ("the band", "this
    product") and names nothing the question does not, days and months aside ("on Tuesday" names no band)."""
    if not nouns:
        return False
    alternatives = "|".join(re.escape(n) for n in nouns)
    pattern = rf"\b(?:the|this|that|these|those)\s+(?:[\w’'-]+\s+){{0,2}}(?:{alternatives})s?\b"
    if re.search(pattern, sentence, re.IGNORECASE) is None:
        return False
    return not names_someone_new(question, _DAY_NAMES.sub(" ", sentence))
