"""Parties in trade news: whose goods a measure falls on, and what two parties do together.

China's 84 % tariff on US goods is no answer about US tariffs on China. A sentence on a tariff, a duty or
a sanction often names the party it falls on ("on Chinese goods", "on imports from Canada", "originating
from the United States"), and so does a question about one. Where both name such parties and none is
shared, the sentence is about another party's measure, however close its words are to the question's.

"What did the United States and China agree?" asks for what the two do together: "… the United States
and China will each lower tariffs by 115% …", "both nations agreed to establish a mechanism …", not
"China will remove the retaliatory tariffs …", one side's part of it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.words import CALENDAR_NAMES, STOPWORDS
from rag.abstain import alias_group, alias_groups
from rag.answer_type import asked_sentence
from rag.speakers import TITLE_WORDS

# What falls on a party: "a 10% tariff on China", "sanctions against Russia", "export controls on the PRC".
_MEASURE = (
    r"(?:tariffs?|dut(?:y|ies)|levy|levies|tax(?:es)?|sanctions?|bans?|restrictions?|controls?|countermeasures?"
    r"|quotas?|embargo(?:es)?|rates?)"
)
# What crosses a border: "imports from China", "goods originating from the United States", "articles of China".
_GOODS = r"(?:goods|imports|products|articles|exports|items|shipments|cars|vehicles|steel|chips)"
# Words between "on" and the party: "on all the", "on many", "on most".
_SOME = r"(?:all|the|many|most|some|certain|other|these|those)"


@lru_cache(maxsize=1)
def _party_pattern() -> str:
    spellings = sorted({s for group in alias_groups() for s in group if s.isascii()}, key=len, reverse=True)
    forms = [r"\.?\s*".join(re.escape(part) for part in re.split(r"[.\s]+", s) if part) + r"\.?" for s in spellings]
    return r"(?:" + "|".join(forms) + r")(?![\w])"


@lru_cache(maxsize=1)
def _targets() -> re.Pattern[str]:
    party = _party_pattern()
    return re.compile(
        # "a tariff on Chinese goods", "tariffs on China", "duties on many Chinese products", "countermeasures taken
        # against the United States"
        rf"\b{_MEASURE}\b(?:\s+[\w%.-]+){{0,6}}?\s+(?:on|against)\s+(?:{_SOME}\s+){{0,2}}(?P<on>{party})"
        # "imports from Canada", "goods … originating from the United States", "articles of China"
        rf"|\b{_GOODS}\b(?:\s+[\w-]+){{0,5}}?\s+(?:from|of|originating\s+(?:in|from))\s+(?:the\s+)?(?P<from>{party})",
        re.IGNORECASE,
    )


def _canonical(spelling: str) -> str | None:
    """The first spelling of a party's group ("prc" for "China", "Beijing" or "Chinese"; "u.s" read as "us")."""
    key = " ".join(re.split(r"[.\s]+", spelling.lower().replace("’", "'").removesuffix("'s"))).strip()
    group = alias_group(key) or alias_group(key.replace(" ", ""))
    return group[0] if group else None


def falls_on(text: str) -> set[str]:
    """The parties the trade measures a text speaks of fall on, one name for each ("prc" for "China" and "PRC")."""
    found = set()
    for match in _targets().finditer(text):
        spelled = [match.group("on") or match.group("from")]
        # "… on imports from Canada and Mexico": each party of the list.
        at = match.end()
        while (more := _more().match(text, at)) is not None:
            spelled.append(more.group("party"))
            at = more.end()
        # "US" is a party, "us" is a pronoun.
        found |= {party for s in spelled if s[:1].isupper() and (party := _canonical(s)) is not None}
    return found


@lru_cache(maxsize=1)
def _more() -> re.Pattern[str]:
    return re.compile(
        rf"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:(?:from|on|of)\s+)?(?:the\s+)?(?P<party>{_party_pattern()})",
        re.IGNORECASE,
    )


def elsewhere(asked: set[str], sentence: str) -> bool:
    """Whether a sentence speaks of measures that fall on other parties than the asked ones, and on none of them."""
    said = falls_on(sentence) if asked else set()
    return bool(said) and not said & asked


# Two names joined: "the United States and China", "the US and China", "Washington and Beijing".
_PAIR = re.compile(
    r"\b([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)\s+and\s+(?:the\s+)?([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)"
)
# … acting as one: "… will each lower", "… have agreed", "… committed to".
_ACTS = (
    r"(?:\s+(?:each|both|jointly|together|also|have|has|had))?\s+(?:will|shall|would|agreed?|agrees|commit(?:s|ted)?"
    r"|pledged?|decided|promised)\b(?!\s+be\b)"  # "China will be represented by …" is no act of China's
)
_BOTH = re.compile(
    r"\b(?:both\s+(?:sides|countries|nations|parties|governments)|the\s+(?:two\s+)?(?:sides|parties|countries"
    r"|nations|governments))" + _ACTS,
    re.IGNORECASE,
)


def _name(spelling: str) -> str:
    return _canonical(spelling) or spelling.lower()


def asked_pair(question: str) -> frozenset[str] | None:
    """The two parties a question asks about together ("What did the US and China agree?"), one name each."""
    match = _PAIR.search(asked_sentence(question))
    if match is None:
        return None
    pair = frozenset((_name(match.group(1)), _name(match.group(2))))
    return pair if len(pair) == 2 else None


def acts_jointly(pair: frozenset[str] | None, sentence: str) -> bool:
    """Whether a sentence says what the pair, or "both sides" ("the Parties"), will do or agreed to do together;
    without a pair, only the latter."""
    if _BOTH.search(sentence):
        return True
    return pair is not None and any(
        frozenset((_name(m.group(1)), _name(m.group(2)))) == pair and re.match(_ACTS, sentence[m.end() :])
        for m in _PAIR.finditer(sentence)
    )


# "Who is Beijing's lead negotiator …?", "Who will represent China …?": who holds a person's role.
_ASKS_A_PERSON = re.compile(
    r"^\W*who\b.*?\b(?:represents?|representing|represented|representatives?|negotiators?|envoys?|officials?"
    r"|ministers?|secretary|president|premier|ceo|founders?|spokes(?:person|man|woman)|ambassadors?|chair(?:man|woman)?"
    r"|directors?|commissioners?|governors?|senators?|leads|leading|heads?|chairs|mps?|justices?|correspondents?|reporters?"
    r"|anchors?|nominees?|executives?|chiefs?)\b"
    # "Whom did Carlsen accuse?": whom is asked of a person.
    r"|^\W*whom\b"
    # "Who is she?", "Who was he?": the scene before it told what the person did.
    r"|^\W*who\s+(?:is|was)\s+(?:he|she)\W*$"
    # "Which former assistant of the musician …?", "Which actress …?", "Which head of Russia's space agency …?"
    r"|^\W*(?:which|what)\s+(?:(?!(?:is|was|are|were|did|does|do|has|have|had|will|would|could|can|the|a|an)\b)"
    r"[\w'’.-]+\s+){0,3}?(?:person|man|woman|actor|actress|singer|rapper|musician|artist|author|writer|comedian"
    r"|coach|player|athlete|judge|lawyer|attorney|official|leader|president|senator|governor|minister|premier|ceo"
    r"|founder|executive|head|chief|assistant|spokes(?:person|man|woman)|billionaire|philanthropist|journalist"
    r"|astronaut|scientist|candidate|lawmaker|politician|congress(?:man|woman)|mayor|quarterback|justice|mp"
    r"|correspondent|reporter|anchor|host|nominee)s?\b"
    # … and not a word that only describes a thing: "What executive order …?", "What official figures …?"
    r"(?!-|\s+(?:orders?|branch|figures?|data|statistics|estimates?|results?|records?|documents?|reports?|statements?"
    r"|websites?|accounts?|language|count|tally|start|office|board|residence|summary|session|decision|department|ministry"
    r"|system|cit(?:y|ies)|countr(?:y|ies)|nations?|teams?|networks?|venues?)\b)",
    re.IGNORECASE,
)


def asks_a_person(question: str) -> bool:
    """Whether the question asks who holds a person's role ("Who leads for China in the talks?")."""
    return _ASKS_A_PERSON.search(asked_sentence(question)) is not None


# A run of capitalised words ("Vice Premier He Lifeng", "Gina M. Raimondo"), none of them all capitals, a nickname
# in quotation marks among them ("Ramesh "Sunny" Balwani", "Viola “Mother” Fletcher").
_CAPITALISED_RUN = re.compile(
    r"(?<![\w’'.-])(?:[A-Z][a-z’'-]+|[A-Z]\.)(?:[^\S\n]+(?:[A-Z][a-z’'-]+|[A-Z]\.|[\"“][A-Z][a-z’'-]+[\"”]))+(?![\w’'-])"
)
# Last words of a body's, a place's, an event's or a document's name, not a person's: "State Council", "The New York
# Times", "Homeland Security", "International Space Station", "Super Bowl".
_BODY_LIST = """
council department act administration commission bureau office house party congress court fund bank group company
corporation university institute agency ministry committee association union republic states kingdom region
statement order sheet representative times post news street exchange board service services program plan
security commerce treasury state defense justice labor energy interior agriculture education transportation affairs
industry republicans democrats no
station center centre museum hospital airport stadium arena foundation organization league club hotel square
telescope county island islands river lake bay avenue road highway bowl cup games awards festival prize garden gardens
war wars olympics championship championships series
semiconductor semiconductors technology technologies telecom electronics motors systems airlines airways holdings
inc corp ltd llc labs media entertainment studios network networks communications devices industries
"""
BODY_WORDS = frozenset(_BODY_LIST.split())
_ROLES = TITLE_WORDS | {"senior", "counselor", "counsel", "adviser", "advisor", "economic", "policy"}


# One capitalised word owning something, as a story names someone it has named in full before ("after Wakeford's
# defection", "Breyer's seat may be …"), not as "It's" or "Today's" open a sentence, nor a shop's name ("Joe's
# Service Center").
_SURNAME_OWNS = re.compile(r"(?<![\w’'.-])(?<!The\s)([A-Z][a-z]+(?:-[A-Z][a-z]+)?)['’]s\b(?!\s+[A-Z])")
_NOT_OWNERS = frozenset(("let", "today", "tomorrow", "yesterday", "tonight", "here", "there", "what"))


def names_a_person(sentence: str, question: str) -> bool:
    """Whether the sentence names a person the question does not (`persons_named`)."""
    return bool(persons_named(sentence, question))


def persons_named(sentence: str, question: str) -> list[str]:
    """The persons the sentence names that the question does not, in the sentence's order, each once: the last two
    or three capitalised words of a run, or one after a title, the title words set aside ("Vice Premier He Lifeng",
    "Secretary Bessent"), no country's, government's or body's ("United States", "State Council", "The New York
    Times") and no day's; or one such word owning something ("Breyer's seat")."""
    asked = question.lower()
    found: list[tuple[int, str]] = []
    for match in _SURNAME_OWNS.finditer(sentence):
        word = match.group(1).lower()
        if word in asked or word in STOPWORDS or word in _NOT_OWNERS or word in CALENDAR_NAMES:
            continue
        if word not in BODY_WORDS | _ROLES and _canonical(match.group(1)) is None:
            found.append((match.start(), match.group(1)))
    for match in _CAPITALISED_RUN.finditer(sentence):
        run = re.sub(r"(?<=\w)['’]s\b.*", "", match.group().removeprefix("The ")).split()  # "Biden’s Investing"
        words = run[-3:]  # "Commerce Gina M. Raimondo": a name ends a run
        while len(words) > 1 and words[0].lower().strip(".") in BODY_WORDS | _ROLES:
            words = words[1:]  # "… and Security Alan Estevez", "Treasury Secretary Scott Bessent": the name after
        if len(words) < (1 if len(words) < len(run) else 2):  # "Secretary Bessent" has a title for a first name
            continue
        if words[-1].lower() in BODY_WORDS | _ROLES or " ".join(words[-2:]).lower() in asked:
            continue  # "… and Security Alan Estevez" is the question's own "Alan Estevez"
        if any(_canonical(w) is not None or w.lower() in CALENDAR_NAMES for w in words):
            continue  # "Chinese Premier", "Monday March"
        if _canonical(" ".join(words)) is None:
            found.append((match.start(), " ".join(words)))
    return list(dict.fromkeys(name for _, name in sorted(found)))


def a_party_for_a_person(named: str, question: str) -> bool:
    """Whether words named as the answer are a country or its government ("the United States", "Beijing")
    where the question asks who holds a person's role: "Who is Beijing's lead negotiator …?" is not answered
    "United States" because the sentence read says "the representatives from the U.S. side will be …"."""
    said = re.sub(r"^(?:the|a|an)\s+", "", named.strip(), flags=re.IGNORECASE)
    return _ASKS_A_PERSON.search(asked_sentence(question)) is not None and _canonical(said) is not None


@lru_cache(maxsize=1)
def _doer() -> re.Pattern[str]:
    party = _party_pattern()
    return re.compile(
        # "What did China agree to do …?", "What has the United States committed to …?"
        rf"\bwhat\s+(?:did|does|do|will|has|have|would)\s+(?:the\s+)?(?P<subject>{party})\s+(?:\w+\s+)?"
        r"(?:agree|commit|pledge|promise|decide)(?!\w*\s+with\b)"
        # "What did the joint statement commit China to do?"
        rf"|\bcommit(?:s|ted)?\s+(?:the\s+)?(?P<object>{party})\s+to\b",
        re.IGNORECASE,
    )


def asked_doer(question: str) -> str | None:
    """The one party whose part of an agreement a question asks for ("What did China agree to do …?", "What did
    the statement commit China to?"), one name for it; None when it asks for what two did together."""
    match = _doer().search(asked_sentence(question))
    if match is None:
        return None
    spelled = match.group("subject") or match.group("object")
    return _canonical(spelled) if spelled[:1].isupper() else None


@lru_cache(maxsize=1)
def _acting() -> re.Pattern[str]:
    return re.compile(rf"(?P<party>{_party_pattern()}){_ACTS}", re.IGNORECASE)


def acts_as(party: str, sentence: str) -> bool:
    """Whether the party is said to do or to have agreed to something in the sentence ("China will remove the
    retaliatory tariffs …", "the United States will suspend …")."""
    return any(
        m.group("party")[:1].isupper() and _canonical(m.group("party")) == party for m in _acting().finditer(sentence)
    )


# What else a question asking only for one party's part may say: a verb of agreeing and the deal it names
# ("… under its Geneva deal with Beijing", "… in the May 2025 trade agreement").
_DEAL_WORD_LIST = """
agree agrees agreed commit commits committed pledge pledges pledged promise promises promised decide decides decided
deal deals agreement agreements accord accords pact pacts treaty truce statement joint talks trade
"""
_DEAL_WORDS = frozenset(_DEAL_WORD_LIST.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


def asks_only_a_part(question: str) -> str | None:
    """The party whose part of an agreement is all a question asks ("What did China agree to do in the Geneva
    deal?"): past its first word, every word is a name, a stop word, a verb of agreeing or a word for a deal.
    None for any other question, and for one that asks more of that part ("… agree to do about fentanyl?")."""
    doer = asked_doer(question)
    if doer is None:
        return None
    for word in _WORD.findall(asked_sentence(question))[1:]:
        if not (word[0].isupper() or word.lower() in STOPWORDS or word.lower() in _DEAL_WORDS):
            return None
    return doer
