"""What "how far", "how tall", "how deep", "how wide" and "how heavy" ask for: a figure in a unit of the measure.

"About how far from Earth is the planet?" is not answered by "The exoplanet is about 100 times farther from its
host star than Earth is from the sun": the sentence must state a number with a unit of length ("385 light-years",
"12,500 feet", "a 322-foot rocket") or, for "how heavy", of weight, and a number the question does not say.
"""

from __future__ import annotations

import re

from rag.text import numbers

_LENGTH = (
    r"(?:nautical\s+)?miles?|kilomet(?:er|re)s?|km|light[-\s]years?|feet|foot|ft|met(?:er|re)s?|m|yards?|inches"
    r"|stor(?:ey|ie)s|storeys?|parsecs?|astronomical\s+units?"
)
# "How long is the Great Wall in miles?" asks a length, where "How long did the strike last?" asks a span of time.
LONG_IN_UNITS = rf"long(?=[^?]*\bin\s+(?:{_LENGTH})\b)"
_ASKED = re.compile(rf"\bhow\s+(far|tall|deep|wide|heavy|{LONG_IN_UNITS})\b", re.IGNORECASE)
_WEIGHT = r"pounds?|lbs?|kilo(?:gram)?s?|kg|tons?|tonnes?|ounces?|oz"
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundreds?|thousands?|a\s+few|several|dozens"
)


def _figure(units: str) -> re.Pattern[str]:
    # "385 light-years", "12,500 ft", "4,207 m", "a 322-foot rocket", "two miles", "1.2 million kilometers"
    number = rf"(?:\d[\d,]*(?:\.\d+)?|(?:{_NUMBER_WORDS})(?![\w-]))"
    return re.compile(
        rf"(?<![\w.]){number}(?:\s+(?:million|billion|thousand|hundred))?(?:\s+of)?(?:\s*-\s*|\s+)(?:{units})(?![\w])",
        re.IGNORECASE,
    )


_STATED = {"length": _figure(_LENGTH), "weight": _figure(_WEIGHT)}

# "How deep is the wreck?" is not answered by "… Titanic itself was only 90 feet ( 27 m ) wide": a height, a depth or
# a width is stated with a word of its dimension ("4,207 m above sea level", "at a depth of"), or as the measure a
# thing is named by ("the 322-foot stack", "a 1,500-yard-wide tornado").
_DIMENSION = {
    "tall": r"tall|taller|high|higher|height|above|elevation|summit|peak|rises?|rising|stands?|standing",
    "deep": r"deep|deeper|depth|below|beneath|down|under|underwater|bottom|floor|seabed",
    "wide": r"wide|wider|width|across|diameter|broad|breadth|span",
}

# Words beside its figures that only name a figure ("nearly 10,000 m ( 33,000 ft )"), not a sentence that could say its
# dimension.
_NAMED_WORDS = 2


def asked_measure(question: str) -> str | None:
    """The measure a "how far / tall / deep / wide / heavy" question asks for: "length" or "weight"; None else."""
    match = _ASKED.search(question)
    if match is None:
        return None
    return "weight" if match.group(1).lower() == "heavy" else "length"


def states_measure(measure: str, question: str, sentence: str) -> bool:
    """Whether the sentence states a figure in a unit of the measure, with a number the question does not say, and,
    asked how tall, deep or wide, a word of that dimension or a figure a thing is named by ("the 322-foot stack")."""
    said = numbers(question)
    figures = [
        m.group() for m in _STATED[measure].finditer(sentence) if numbers(m.group()) - said or not numbers(m.group())
    ]
    asked = _ASKED.search(question)
    dimension = _DIMENSION.get(asked.group(1).lower()) if asked is not None else None
    if not figures or dimension is None:
        return bool(figures)
    if len(re.findall(r"[^\W\d_]+", _STATED[measure].sub(" ", sentence))) <= _NAMED_WORDS:
        return True  # a figure named alone (the local model's reply) is read with its sentence
    named_by = any(re.search(r"\w\s*-\s*\w", figure) for figure in figures)  # "322-foot", "90 - foot"
    return named_by or re.search(rf"\b(?:{dimension})\b", sentence, re.IGNORECASE) is not None
