"""A thing asked for by its name, and whether a sentence gives one.

"What is the name of the trial?" is answered by "… the RESTORE trial …" or "… a trial called RESTORE …", not by
"… transfused into people in a world-first clinical trial", nor by a sentence naming the university that ran it:
a name stands beside the thing it names ("Fern Hollow Bridge", "the song “Hold Me Closer”", "Issue 4, the
ballot measure …"), or after "called", "named", "dubbed" or "known as".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.words import CALENDAR_NAMES, STOPWORDS
from rag.answer_type import asked_sentence, name_key, name_keys
from rag.speakers import SAID_VERBS

# "What is the name of the Pittsburgh bridge …?"; "At which hospital …?", "In which Kabul neighborhood …?". Not
# "What is the song called?", which a common noun may answer as well as a name ("the island's family code").
_NAME_OF = re.compile(
    r"\bwhat\s+(?:is|was|are|were|will\s+be)\s+(?:the\s+|its\s+|his\s+|her\s+|their\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"names?\s+of\s+(?P<thing>[^?]+)",
    re.IGNORECASE,
)
_AT_WHICH = re.compile(
    r"\b(?:at|in|to|from|into)\s+(?:which|what)\s+(?P<thing>(?:[\w'’-]+\s+){0,2}?(?:hospital|neighbou?rhood)s?)\b",
    re.IGNORECASE,
)

# A name as a sentence writes it: a quotation, or a run of capitalised words that may hold "of", "for", "and" ….
_NAME = r"(?:[“\"][^”\"]{2,80}[”\"]|[A-Z][\w'’.&-]*(?:\s+(?:of|for|and|the|de|[A-Z0-9][\w'’.&-]*))*)"
_SAYING = r"(?:called|named|dubbed|titled|known\s+as)"
_OWNER = r"(?:a|an|the|its|his|her|their)"
# "… taken to a hospital, Drew Hammill said": a name after the thing that speaks is no name of it.
_NOT_SPEAKING = rf"(?!\s+(?:{SAID_VERBS}|wrote|noted|explained)\b)"


def asked_name_nouns(question: str) -> list[str]:
    """The words a question asking for something's name calls that thing by, lower case ("What is the name of the
    Pittsburgh bridge that collapsed …?" → bridge; "At which hospital is he being treated?" → hospital); empty
    when it does not ask for a name in one of these forms."""
    asking = asked_sentence(question)
    for pattern in (_NAME_OF, _AT_WHICH):
        if match := pattern.search(asking):
            return _nouns(match.group("thing"))
    return []


def _nouns(thing: str) -> list[str]:
    """The lower-case words of a phrase up to the first function word after them, a place's or an owner's name, a
    number and a possessive set aside: "the 15-year-old suspect charged in …" → suspect, charged."""
    nouns: list[str] = []
    for word in re.findall(r"[\w'’-]+", thing):
        if word[:1].isupper() or any(ch.isdigit() for ch in word) or word.endswith(("'s", "’s")):
            continue  # "Pittsburgh", "15-year-old", "the synagogue's rabbi"
        if word.lower() in STOPWORDS:
            if nouns:
                break
            continue
        nouns.append(word.lower())
    return nouns


def gives_a_name(nouns: Sequence[str], question: str, sentence: str, after: bool = False) -> bool:
    """Whether the sentence names one of the asked things by a name the question does not say: a name right before
    it ("the RESTORE trial") or after it ("the song “Hold Me Closer”", "his company, Lions Not Sheep"), one it is set
    beside ("Issue 4, the ballot measure"), or one said to be called so. `after`: only a name right after it ("Judge
    Lewis Kaplan"): a name before a word of the question may be one of what that word qualifies ("the Chinese chip
    industry" for "Which chip company …?"), and one said to be called so may be another thing's ("… a new single,
    titled “Edging”" for "Which band …?")."""
    if not nouns:
        return False
    thing = "|".join(re.escape(noun) for noun in sorted(nouns, key=len, reverse=True))
    thing = rf"(?i:(?:{thing})(?:e?s)?)\b"
    patterns = [rf"\b{thing}(?:\s*,\s*|\s+)(?:{_SAYING}\s+)?(?:the\s+)?(?P<name>(?>{_NAME})){_NOT_SPEAKING}"]
    if not after:
        patterns.append(rf"(?P<name>{_NAME})\s+{thing}")
        patterns.append(rf"(?P<name>{_NAME}),\s+{_OWNER}\s+(?:[\w'’-]+\s+){{0,3}}?{thing}")
        patterns.append(rf"\b{_SAYING}\s+(?:the\s+)?(?P<name>{_NAME})")
    asked = name_keys(question)
    for pattern in patterns:
        for match in re.finditer(pattern, sentence):
            for word in re.findall(r"[\w’'.&-]+", match.group("name").strip('“”"')):
                key = name_key(word)
                if word[:1].isupper() and key not in asked and key not in STOPWORDS and key not in CALENDAR_NAMES:
                    return True
    return False


def no_name_given(question: str, read: Sequence[str]) -> bool:
    """Whether the question asks for something by its name and no read sentence gives one."""
    nouns = asked_name_nouns(question)
    return bool(nouns) and not any(gives_a_name(nouns, question, sentence) for sentence in read)
