"""A short name said whole: "Lee" leads as "John Lee" when its article first names him so and no other Lee.

News names a person in full once and by surname after, and a place or a body by its short form ("the
space station"); the sentence that answers is often one of the later ones, and its short form is all
the model can copy from it. A report wants the name as the article first gives it. And "Whose consortium … did
Serena Williams join?" is answered by the name a sentence writes as a possessor ("… have joined Martin
Broughton's bid …"), which leads the answer. Pure functions.
"""

from __future__ import annotations

import re

from core.words import CALENDAR_NAMES, MONTH_NUMBERS, SENTENCE_ADVERBS, STOPWORDS, WEEKDAYS
from rag.abstain import alias_group, english_word
from rag.answer_type import asked_sentence
from rag.parties import BODY_WORDS
from rag.speakers import TITLE_WORDS

# A capitalised word that may open a name ("John", "International", "O’Neill"), not "The" or "In".
_WORD = r"[A-Z][\w’'.-]*"
# Where a sentence starts, a capitalised word may be any word ("Meanwhile Lee said …").
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|[\n“\"(]\s*)$")
_SPACE = r"[^\S\n]+"
SHORT_WORDS = 2


def fuller_name(short: str, text: str) -> str:
    """The longer name ending in `short` that the text first gives it, when the text's first capitalised
    mention of `short` is that longer form ("John Lee" before "Lee", "the International Space Station"
    before "the space station") and no other longer form ends in it ("Joe Biden", "Jill Biden").
    `short` comes back unchanged otherwise: a name the text first uses as it is ("Australia", then
    "South Australia"), or one of more than SHORT_WORDS words."""
    words = [w for w in short.split() if w.lower() not in ("the", "a", "an")]
    if not words or len(words) > SHORT_WORDS:
        return short
    tail = _SPACE.join(rf"(?i:{re.escape(w)})" for w in words)
    # The short form as a name, possessive or not ("Antarctica’s"): capitalised, not going on as a longer one
    # ("Lee Gardens").
    mentions = [
        m
        for m in re.finditer(rf"(?<![\w’'-])(?P<tail>{tail})(?![\w-]|[’'][a-rt-z])(?!{_SPACE}[A-Z])", text)
        if all(w[:1].isupper() for w in m.group("tail").split())
    ]
    if not mentions:
        return short
    names = _before(text, mentions[0].start()).split()
    # An office's or a body's words before a person's name are not the name ("… and Security Alan Estevez"), though
    # one may name a body with a word ("State Council").
    while names and names[0].lower().strip(".") in BODY_WORDS | TITLE_WORDS and (len(names) > 1 or len(words) > 1):
        names = names[1:]
    first = " ".join(names)
    if not first:
        return short
    # Another longer form of it later ("First lady Jill Biden" after "President Joe Biden") leaves it unsaid.
    if any(other and not first.endswith(other) for other in (_before(text, m.start()) for m in mentions[1:])):
        return short
    return f"{first} {' '.join(mentions[0].group('tail').split())}"


def with_given_name(short: str, text: str) -> str:
    """A one-word name as the text first writes it with a given name after it, as Chinese and Korean names go
    ("Xi" → "Xi Jinping", "He" → "He Lifeng"): the next word capitalised and no whole English word of the packaged
    embedder's vocabulary ("Trump Administration", "Lee Gardens" stay "Trump", "Lee"). `short` otherwise."""
    if len(short.split()) != 1:
        return short
    mention = re.search(rf"(?<![\w’'-]){re.escape(short)}{_SPACE}([A-Z][a-z]+)(?![\w’'-])", text)
    if mention is None or english_word(mention.group(1).lower()):
        return short
    return f"{short} {mention.group(1)}"


# A word of a person's name after a title: capitalised ("Joe", "O’Neill", "Jr.") or an initial ("M.").
_NAME_WORD = r"(?:[A-Z][\w’'-]*[a-z][\w’'-]*\.?|[A-Z]\.)"
_TITLE_CONNECTORS = frozenset(("of", "for", "and", "the", "&"))


def titled_name(title: str, sentence: str) -> str:
    """A lead that is only a title ("President", "Commerce Secretary", "Vice Premier") with the name the
    sentence gives right after it: "President Joe Biden" of "… signed into law by President Joe Biden on
    August 9, 2022". A title names an office, not who held it, and "Who signed …?" asks for the person.
    `title` comes back unchanged when it holds a word that is no title's, or the sentence names no one after it."""
    words = [w for w in title.split() if w.lower() not in ("the", "a", "an")]
    lowered = [w.lower().rstrip(".") for w in words]
    if not words or not all(w in TITLE_WORDS or w in _TITLE_CONNECTORS for w in lowered):
        return title
    if not any(w in TITLE_WORDS for w in lowered):
        return title
    said = _SPACE.join(re.escape(w) for w in words)
    titled = rf"(?<![\w’'-])(?i:{said}){_SPACE}(?P<name>{_NAME_WORD}(?:{_SPACE}{_NAME_WORD}){{0,2}})"
    for match in re.finditer(titled, sentence):
        name = match.group("name").split()
        # "President Trump’s order" names Trump; a month or a weekday after the title ("… Chair on Monday") is none.
        name[-1] = re.sub(r"[’']s$", "", name[-1])
        if len(name[-1]) > 3:
            name[-1] = name[-1].rstrip(".")  # the sentence's full stop, not an initial's or a "Jr."
        while name and (name[-1].lower().rstrip(".") in _NOT_NAMES or name[-1].lower() in TITLE_WORDS):
            name.pop()
        first = name[0].lower().rstrip(".") if name else ""
        # A surname that is also a word ("Vice Premier He Lifeng") is a name's first word only with more after it.
        if name and first not in _DAYS and first not in TITLE_WORDS and (first not in STOPWORDS or len(name) > 1):
            return f"{sentence[match.start() : match.start('name')].strip()} {' '.join(name)}"
    return title


_DAYS = frozenset(WEEKDAYS) | frozenset(MONTH_NUMBERS)
_NOT_NAMES = STOPWORDS | _DAYS


def _before(text: str, at: int) -> str:
    """The capitalised words (up to three, on the same line) that stand right before `at` as part of a name:
    "John" in "security chief John Lee", "Las Vegas" in "the Las Vegas Aces"; "" when there are none."""
    run = re.search(rf"((?:{_WORD}{_SPACE}){{1,3}})$", text[max(0, at - 80) : at])
    if run is None:
        return ""
    names = run.group(1).split()
    # A word that ends a sentence ("Sunday."), owns something ("India's") or carries no name ("The") ends a
    # run: the name starts after it. An initial ("J.") is part of one.
    for index in range(len(names) - 1, -1, -1):
        word = names[index]
        if (word.endswith(".") and len(word) > 2) or word.endswith(("’s", "'s")) or word.lower() in STOPWORDS:
            names = names[index + 1 :]
            break
    # At a sentence's start a capitalised word may be any word ("Meanwhile Lee …"): it counts as a name's
    # when the text never writes it in lower case, and it is not an adverb joining the sentence to the one
    # before ("Instead Nikita Kucherov …", where the story has no "instead" in lower case).
    start = at - len(run.group(1))
    whole = bool(names) and len(names) == len(run.group(1).split())
    opening = whole and _SENTENCE_START.search(text[max(0, start - 3) : start]) is not None
    if opening and (names[0].lower() in SENTENCE_ADVERBS or re.search(rf"\b{re.escape(names[0].lower())}\b", text)):
        names = names[1:]
    return " ".join(names)


_ASKS_WHOSE = re.compile(r"^\W*whose\b|\b(?:in|of|on|at|for|by|with|from|to|under|behind)\s+whose\b", re.IGNORECASE)
# Possessives that name no one: "It's", "That's", "Tuesday's game", "Today's ruling".
_NO_ONE = STOPWORDS | CALENDAR_NAMES | {"today", "tonight", "yesterday", "tomorrow"}
# A capitalised name of up to four words before "'s" or a bare apostrophe ("Roger Maris’ AL record").
_POSSESSIVE = re.compile(r"(?<![\w’'-])([A-Z][\w.-]*(?:[^\S\n]+[A-Z][\w.-]*){0,3})(?:['’]s|(?<=s)['’])(?!\w)")


def asks_whose(question: str) -> bool:
    """Whether the question's asking sentence asks whose something is ("Whose record did he break?")."""
    return _ASKS_WHOSE.search(asked_sentence(question)) is not None


def possessor(question: str, sentence: str) -> str | None:
    """For a "whose" question, the one name the sentence writes as a possessor that the question does not say
    ("Martin Broughton" of "… have joined Martin Broughton's bid …"); None for any other question, or when the
    sentence has none such, or several."""
    if not asks_whose(question):
        return None
    asked = {w.lower() for w in re.findall(r"[\w.-]+", question)}
    found = {m.group(1) for m in _POSSESSIVE.finditer(sentence)}
    new = [name for name in found if not {w.lower() for w in name.split()} <= asked | _NO_ONE]
    return new[0] if len(new) == 1 else None


# A capital stands for its government in news ("Beijing said …"), but is a place of its own when asked for.
_CAPITALS = frozenset(("beijing", "washington", "北京"))


def another_spelling(words: str, question: str) -> bool:
    """Whether `words` are a name the question already says, spelled another way: "United States" for "… U.S.
    duties …", "EU" for "… the European Union …". A short spelling (three letters or fewer) counts only in
    capitals ("US", not "us"); a capital is never the country's other spelling ("Beijing" for "the capital of
    China" is an answer)."""
    said = words.strip(" .").lower()
    group = alias_group(said)
    if group is None or said in _CAPITALS:
        return False
    for spelling in group:
        if spelling in _CAPITALS:
            continue
        short = len(spelling.replace(".", "")) <= 3
        written = re.escape(spelling.upper() if short else spelling)
        if re.search(rf"(?<![\w.]){written}\.?(?!\w)", question, 0 if short else re.IGNORECASE):
            return True
    return False
