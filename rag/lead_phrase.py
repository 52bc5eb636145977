"""The words of the answering sentence that lead an answer: what the local model named, as the sentence spells it.

The model's reply is matched in its sentence and widened or narrowed to a phrase a reader can take as the short
answer: never cut inside a name or a compound, a bracket or a quotation closed where the sentence closes it, a
possessor for what owns the question's own thing, and a bare year widened to the fuller date its sentence states.
Pure functions.
"""

from __future__ import annotations

import re

from core.words import STOPWORDS
from rag.answer_type import answer_kind, asked_sentence
from rag.periods import ASKS_A_YEAR, YEAR, stated_dates
from rag.reader import LEAD_WORDS, adds, first_line, plain
from rag.speakers import SAID_VERBS, asks_what_said
from rag.text import content_words

_LEAD_SEPARATOR = r"[^\w%$€£]+(?:(?:a|an|the)[^\w%$€£]+)?"
_QUOTE_PAIRS = {"“": "”", '"': '"', "‘": "’", "«": "»"}
# A capitalised article that is part of a title, ending where the title starts: right after an opening quotation mark,
# or after a lower-case word.
_TITLE_ARTICLE = re.compile(r"(?:(?<=[“\"‘«])|(?<=[a-z,;:][^\S\n]))(?:The|A|An)[^\S\n]+$")
# A phrase ending in who said it: what was said (maybe nothing), then the speaker's capitalised name and the verb.
_ATTRIBUTED = re.compile(
    rf"(?:(?P<said>.+?),\s*)?(?P<speaker>[A-Z][\w.’'-]*(?:[^\S\n]+[A-Z][\w.’'-]*){{0,3}})\s+(?:{SAID_VERBS})"
)
_ASKS_WHO = re.compile(r"^\W*(?:who|whom)\b", re.IGNORECASE)
# A name, then a comma and what describes it, opening with an article and listing nothing.
_APPOSITION = re.compile(r"([A-Z][^,]*?),\s+(?:the|a|an)\s+(?:(?!\band\b)[^,])+")


def lead(reply: str, sentence: str, question: str) -> str | None:
    """The words of `sentence` that say what the reply names, as the sentence spells them, to lead the answer.

    None when the sentence does not hold the reply as a phrase, when that phrase is long (a clause),
    or when it adds no word to the question's own ("Tesla" for "Which Tesla product …"). Words the
    question already says are dropped from its start, but never from inside a name, a compound noun or a
    quantity ("76 million-year-old"). A title keeps its article (“The Bold and the Beautiful”), a name described
    after a comma leads alone ("Charles Franklin, the poll's director"), and who said the sentence ("…, Cernicek
    said") leads only an answer to who.
    """
    words = plain(first_line(reply)).split()
    if not words or len(words) > LEAD_WORDS:
        return None
    if asks_what_said(question) and answer_kind(question) == "other":
        return None  # "What did Estevez say …?" is answered by the words themselves: no piece of them leads
    pattern = r"(?<!\w)" + _LEAD_SEPARATOR.join(re.escape(w) for w in words) + r"(?!\w)"
    match = re.search(pattern, sentence, flags=re.IGNORECASE)
    if match is None:
        return None
    start, end = match.span()
    # A reply cut inside a hyphenated name ("Chick-fil" of "Chick-fil-A") leads with the whole name.
    while (joined := re.match(r"[-‑]\w+", sentence[end:])) is not None:
        end += joined.end()
    # It starts at its first word the question does not already say: "SMIC is headquartered in
    # Shanghai" leads with "Shanghai"; "Supreme Court ruled" adds nothing to "What did the Supreme
    # Court rule …" and leads with nothing.
    spoken = list(re.finditer(r"\S+", sentence[start:end]))
    for at, word in enumerate(spoken):
        said = word.group()
        # A capitalised short word may be a name ("He Lifeng"), but an article never is.
        if adds(said, question) or (said[:1].isupper() and not content_words(said) and plain(said) != ""):
            # Never from the middle of a name or a compound: "Major League Pickleball", "space station"
            # stay whole although the question says "league" or "space".
            while at > 0 and _one_run(spoken[at - 1].group(), spoken[at].group()):
                at -= 1
            start += spoken[at].start()
            break
    # A title's own article comes with it, in quotation marks or inside a sentence (“The Bold and the Beautiful”, "… in
    # The Washington Post"), not a sentence's opening one ("The Commerce Department issued …").
    if (article := _TITLE_ARTICLE.search(sentence[:start])) is not None:
        start = article.start()
    # A bracket or a quotation the reply opened is closed where the sentence closes it ("Major League Pickleball
    # (MLP" → "… (MLP)", "so-called “doomsday glacier" → "… “doomsday glacier”"), or left out with what it holds
    # when the sentence does not close it right there.
    for opened, closed in (("(", ")"), ("“", "”"), ("«", "»")):
        if sentence.count(opened, start, end) > sentence.count(closed, start, end):
            if sentence[end : end + 1] == closed:
                end += 1
            else:
                end = start + len(sentence[start : sentence.rfind(opened, start, end)].rstrip(" ,;:"))
    phrase = sentence[start:end]
    # "Moose Fire, Cernicek said": who said it is the source's attribution, not the answer; a reply that is only the
    # speaker ("Cernicek said") leads, as the name alone, only an answer to who.
    if (attributed := _ATTRIBUTED.fullmatch(phrase)) is not None:
        if attributed.group("said"):
            phrase = attributed.group("said")
        elif _ASKS_WHO.search(asked_sentence(question)):
            phrase = attributed.group("speaker")
        else:
            return None
        end = start + len(phrase)
    # "Charles Franklin, the poll's director": the name comes before what describes it.
    if (described := _APPOSITION.fullmatch(phrase)) is not None and adds(described.group(1), question):
        phrase, end = described.group(1), start + len(described.group(1))
    if not phrase or not adds(phrase, question):
        return None
    # What owns the question's own thing answers: "Antarctica’s so-called “doomsday glacier”" leads as "Antarctica"
    # for "Where is the glacier located?", as "Whose bid …?" leads with the possessor.
    owned = re.fullmatch(r"(.+?)[’']s\s+(.+)", phrase)
    if owned is not None and not adds(owned.group(2), question) and adds(owned.group(1), question):
        phrase, end = owned.group(1), start + len(owned.group(1))
    # A title in quotation marks keeps them, without a comma the quotation closes over: “Grease,” → "Grease". They
    # are written straight, as the answer's own words: the sentence after quotes the source's marks as they are, and
    # a lead in plain marks reads as the plain title wherever text is compared with punctuation set aside.
    closing = _QUOTE_PAIRS.get(sentence[start - 1]) if start > 0 else None
    after = sentence[end : end + 2]
    if closing is not None and (after[:1] == closing or (after[:1] in ",." and after[1:] == closing)):
        phrase = f'"{phrase}"'
    return phrase if len(phrase.split()) * 2 < len(sentence.split()) else None


def whole_date(opening: str, sentence: str, question: str) -> str:
    """A lead that is a bare year, widened to the one fuller date of that year its sentence states, when the
    question asks when but not for a year: "2022" → "August 9, 2022" for "When did the act become law?".
    A month counts only capitalised ("may 2025" is the verb)."""
    if answer_kind(question) != "date" or not re.fullmatch(YEAR, opening) or ASKS_A_YEAR.search(question):
        return opening
    fuller = {
        sentence[d.start : d.end]
        for d in stated_dates(sentence)
        if d.precision != "year" and d.day.year == int(opening)
    }
    named = [said for said in fuller if any(ch.isupper() for ch in said if ch.isalpha())]
    return named[0] if len(named) == 1 else opening


def _one_run(before: str, word: str) -> bool:
    """Whether two neighbouring words belong together: both capitalised (a name) or both lower-case (a
    compound noun), with nothing but a space between them; or a number and the word that multiplies it ("76
    million-year-old"). A stop word ("The", "In", "of") starts or joins neither; an abbreviation ("US
    Department") does."""
    if re.fullmatch(r"\d[\d,.]*", before) and re.match(r"(?:hundred|thousand|million|billion|trillion)\b", word, re.I):
        return True
    if not before[-1:].isalnum() or not before[:1].isalpha() or not word[:1].isalpha():
        return False
    if before.lower() in STOPWORDS and not (before.isupper() and len(before) > 1):
        return False
    return before[:1].isupper() == word[:1].isupper()
