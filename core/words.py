"""Word lists shared by search, answering, date reading and exports: one home each."""

from __future__ import annotations

import unicodedata

# Words that carry no topic: left out of BM25 queries and of the content words claims are matched on.
_STOPWORD_LIST = """
a an and are as at be by for from has have how in is it its of on or that the this to was were what when
where which who whom why will with did do does about after before into than then there these those their
them they he she his her we you your i me my our us can could would should may might also not no but if so
such more most over under up down out all any each few other some only own same very just
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())

# Adverbs that open a sentence and join it to the one before ("Instead Nikita Kucherov sent …", "Meanwhile Lee said
# …"): capitalised there, yet no part of the name after them. Those among the stop words ("Then", "Also") are not here.
_SENTENCE_ADVERB_LIST = """
instead meanwhile however still later earlier now yet thus hence indeed moreover furthermore besides otherwise
nonetheless nevertheless eventually initially recently currently previously additionally ultimately separately
similarly likewise again finally afterward afterwards today yesterday tonight tomorrow here once soon even
perhaps maybe overall together already
"""
SENTENCE_ADVERBS = frozenset(_SENTENCE_ADVERB_LIST.split())

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Abbreviations as news text writes them ("Sept. 5", "Mar 2025"); "may" is already a full name.
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
# Lower-case month name or abbreviation → month number.
MONTH_NUMBERS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)},
    **MONTH_ABBREVIATIONS,
}
# The words a question asks with, wherever they stand ("The tariff rose to what?").
QUESTION_WORDS = frozenset(("what", "which", "who", "whom", "whose", "when", "where", "why", "how"))
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Lower-case full month and weekday names: capitalised words that name a day of the calendar, not anyone.
CALENDAR_NAMES = frozenset((*(name.lower() for name in MONTH_NAMES), *WEEKDAYS))


def unaccented(text: str) -> str:
    """The text with the accents of Latin letters dropped ("Hernández" → "Hernandez"); other scripts unchanged
    (a Japanese voicing mark is not an accent)."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


# Number words that count ("three", "a hundred", "two million"), as alternatives of a pattern.
CARDINALS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion"
)
