"""Several things asked for at once: "Which companies …?", "Which two countries …?" are answered by a
sentence that names several ("Notable customers include Huawei, Qualcomm, Broadcom, and Texas
Instruments."), not by one that tells of the subject without naming any. Pure functions.
"""

from __future__ import annotations

import re

from rag.answer_type import answer_kind, asked_nouns
from rag.text import says_whole

# "Which two countries …", "Which three firms …": a number asked for is several.
_SEVERAL = re.compile(r"\bwhich\s+(?:two|three|four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE)
# A name in a list: capitalised words, a few of them ("Texas Instruments"), with an "&" or "of" inside.
_ITEM = r"[A-Z][\w&'’.-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w&'’.-]*){0,3}"
# Two names or more: "A and B", "A, B, and C", "A, B or C".
_LIST = re.compile(rf"(?<![\w-])({_ITEM})((?:,\s+{_ITEM})*),?\s+(?:and|or)\s+({_ITEM})")
# Words that open a sentence or a clause capitalised without naming anything.
_OPENERS = "the a an this that these those it its they their in on at as for and or but"
_NOT_NAMES = frozenset(_OPENERS.split())
# How many names, the question's own aside, make a list.
LIST_NAMES = 2


def asks_for_several(question: str) -> bool:
    """Whether a "which" question asks for several things: a plural noun ("Which companies …?", "On which
    products …?") or a number ("Which two countries …?")."""
    if answer_kind(question) != "name":
        return False
    nouns = asked_nouns(question)
    return bool(_SEVERAL.search(question)) or any(n.endswith("s") and n[:-1] in nouns for n in nouns)


def lists_names(question: str, sentence: str) -> bool:
    """Whether the sentence lists LIST_NAMES names or more that the question does not say ("Sweden and Finland",
    "Baidu, Tencent, Alibaba, SenseTime, and iFlytek")."""
    asked = question.lower()
    for match in _LIST.finditer(sentence):
        items = [match.group(1), *re.split(r",\s+", match.group(2).strip(", ")), match.group(3)]
        names = {i for i in items if i and i.split()[0].lower() not in _NOT_NAMES and not says_whole(i.lower(), asked)}
        if len(names) >= LIST_NAMES:
            return True
    return False


def listed(lead: str | None, sentence: str, question: str) -> str | None:
    """For a question asking for several things, a lead that is one name of a list its sentence gives, widened to
    the whole list as the sentence writes it ("Qualcomm" of "Notable customers include Huawei, Qualcomm, Broadcom,
    and Texas Instruments." → "Huawei, Qualcomm, Broadcom, and Texas Instruments"); any other lead as it was."""
    if lead is None or not asks_for_several(question):
        return lead
    for match in _LIST.finditer(sentence):
        if says_whole(lead.lower(), match.group(0).lower()) and lists_names(question, match.group(0)):
            return match.group(0).removesuffix(".") if not sentence[match.end() :].strip() else match.group(0)
    return lead
