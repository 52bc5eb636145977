"""Word-level helpers for matching claims to passages (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from core.models import split_markers
from core.words import STOPWORDS
from ingest.numbers_zh import ascii_digits, chinese_numbers, is_numeral_word, without_numbers
from ingest.segment import STOPWORDS_ZH, han_words, has_han
from ingest.sentences import sentence_spans

_STOPWORDS = STOPWORDS | STOPWORDS_ZH

_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# An amount or a rate as news states it: "$18 billion", "US$5m", "€2,5", "125%", "84 percent", "24 percentage
# points", "300 billion dollars". Briefs lead with one; a lead that is one is checked against its party.
AMOUNT = re.compile(
    r"(?:US)?[$€£¥]\s?\d[\d,.]*(?:\s?(?:billion|million|trillion|bn|m)\b)?"
    r"|\d[\d,.]*\s?(?:%|percent\b|per cent\b|percentage points?\b)"
    r"|\d[\d,.]*\s(?:billion|million|trillion)\b(?:\s(?:dollars|yuan|euros|tons|people|jobs))?",
    re.IGNORECASE,
)


def stem(word: str) -> str:
    """A deliberately light stemmer: plural and common verb endings, enough to match 'tariffs'/'tariff'."""
    w = word.lower()
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + keep
    return w


def alike(one: str, other: str) -> bool:
    """Two stems of one word ("appropriat", "appropriate"; "strik", "strike"): equal, or one begins the other,
    five letters on."""
    short, long = sorted((one, other), key=len)
    return short == long or (len(short) >= 5 and long.startswith(short))


def says_whole(name: str, text: str) -> bool:
    """Whether a lower-cased text says a lower-cased name as whole words: "texas" in "in texas", not "texas-based"."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def content_words(text: str) -> list[str]:
    """Stemmed words that carry meaning (no stop words), in order."""
    words = (w.lower() for w in _WORD.findall(text))
    found = [stem(w) for w in words if w not in _STOPWORDS and (len(w) > 1 or w.isdigit())]
    if has_han(text):
        # Chinese words from the segmenter; one-character words are mostly particles.
        # Numbers are checked apart (numbers()); blanking them keeps 二〇二五年 and 2025年 alike here.
        han = han_words(without_numbers(text))
        found.extend(w for w in han if len(w) > 1 and w not in _STOPWORDS and not is_numeral_word(w))
        found.extend(sorted(chinese_numbers(text)))  # as the Arabic digits of the same text would be
    return found


def numbers(text: str) -> set[str]:
    """The numbers text states, in ASCII digits: 1,200 → '1200', ３４ → '34', 二〇二五 → '2025'."""
    found = {ascii_digits(n.replace(",", "")) for n in _NUMBER.findall(text)}
    return found | chinese_numbers(text) if has_han(text) else found


def coverage(claim: str, evidence: str) -> float:
    """Share of the claim's content words found in the evidence (1.0 for a verbatim quote)."""
    words = content_words(claim)
    if not words:
        return 0.0
    found = set(content_words(evidence))
    return sum(1 for w in words if w in found) / len(words)


_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")


def says_something(sentence: str) -> bool:
    """False for a bare noun phrase ("The United States and China"): every word a name or a stop word.

    A claim needs at least one ordinary word (a verb, a noun in lower case) beside its names; its citation
    markers aside.
    """
    claim = split_markers(sentence)[0]
    words = [w for w in _TOKEN.findall(claim) if content_words(w)]
    return any(not w[0].isupper() for w in words) or (not words and bool(content_words(claim)))


def as_asked(question: str, words: Sequence[str]) -> str:
    """Words read from the question in lower case, written as the question writes them ("GPUs")."""
    found = (re.search(rf"(?<!\w){re.escape(word)}(?!\w)", question, re.IGNORECASE) for word in words)
    return " ".join(m.group(0) if m else word for m, word in zip(found, words, strict=True))


def capitalised(text: str) -> str:
    """A clause said as a sentence starts with a capital (a citation still quotes the source as written)."""
    return text[:1].upper() + text[1:]


def is_asked(sentence: str) -> bool:
    """Whether a sentence ends as a question does ("?", or the full-width "？")."""
    return sentence.rstrip().endswith(("?", "？"))


# "When he raised the duties last week, how did Biden describe …?": an opening "when" clause sets the scene too.
_WHEN_CLAUSE = re.compile(r"\W*when\b[^?]*?,\s*(?=(?:how|what|who|whom|which|where|why)\b)", re.IGNORECASE)


def asking_span(question: str) -> tuple[int, int]:
    """Where a question's asking sentence is: its last one ending in "?" (else its last one); what comes
    before it sets the scene ("Olivia Newton-John, who …, died this week at 73. Which movie made her a star?"),
    and so does an opening "when" clause before the question word that asks."""
    spans = sentence_spans(question)
    if len(spans) < 2:
        start, end = 0, len(question)
    else:
        asking = [(a, b) for a, b in spans if is_asked(question[a:b])]
        start, end = (asking or spans)[-1]
    clause = _WHEN_CLAUSE.match(question, start, end)
    return (clause.end(), end) if clause else (start, end)


def tidy_query(text: str) -> str:
    """A question with time words taken out, its spaces and trailing prepositions tidied."""
    text = re.sub(r"\s+(?:['’]s\b\s*)?", " ", text)  # and a possessive its time words left ("last week's")
    text = re.sub(r"\s+([?.!,;:])", r"\1", text)
    text = re.sub(r"(?:\s*\b(?:in|on|of|for|and|from|during|the)\b)+\s*([?.!])?$", r"\1", text.strip(), flags=re.I)
    text = re.sub(r",\s*([?.!])", r"\1", text)
    text = text.strip(" ,;:")
    return text


def heads_a_name(word: str, question: str) -> bool:
    """Whether the question writes the word capitalised before "of", "in" or "for" and another capitalised word or a
    number, as the first word of a name of several ("Made in China 2025", "Bank of America")."""
    return re.search(rf"(?<!\w){re.escape(word)}\s+(?:of|in|for)\s+[A-Z0-9]", question) is not None


def capitalised_in(word: str, texts: Iterable[str]) -> bool:
    """Whether one of the texts writes the word capitalised as it is given, as a name: an everyday word ("Made",
    "Apple") names something only where it is written so."""
    stem = re.escape(word.removesuffix("s"))  # "Cokes" as "Coke", "Coke's"; "Cola" of "Coca-Cola"; "TRUMP"
    pattern = re.compile(rf"(?<!\w)(?:{stem}|{stem.upper()})(?:s|['’]s)?(?![a-z])")
    return any(pattern.search(text) for text in texts)
