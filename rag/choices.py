"""When the local model names what none of its sentences holds, it chooses among the names they give.

The packaged base model sometimes answers from what it knows rather than from what it read: "Twitter" for
the platform its sentences say banned political fundraising (they say TikTok), "Australia" for the country
they say the 2014 meteor fell off (Papua New Guinea). Its answer is then set aside and the closest sentence
stands, without a short answer. Asked instead how likely each name its sentences give is as the whole
answer (the log-probability of the name's tokens after the same prompt), the same model ranks the one they
answer with first in most such cases. The name it ranks first is read like a reply, through every check a
reply goes through, but only when it is clearly ahead: CHOICE_MARGIN nats above every name that is not a
part or a longer form of it ("President Joe Biden" and "Biden" are one answer), and only from a sentence
about as close to the question as the best one (CHOICE_BEHIND): a model that made its answer up has shown
it read poorly, and on ClapNQ and news-quiz its choices from sentences further behind were wrong ("Arnold"
for who trained the army at Valley Forge, "Russia" for the region of a Russian penal colony). docs/EVAL.md,
"Choosing among the sentences' names", has the measurements.

Only for questions asking for a name ("who", "which …", "what <noun> …"): "What did the president ask
Congress to do?" is answered by a deed, not by a name the sentences give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from core.words import MONTH_NUMBERS, STOPWORDS, WEEKDAYS
from rag.answer_type import answer_kind, name_key, without_dateline
from rag.extractive import Candidate
from rag.prompts import COMPLETION
from rag.reader import READ_SENTENCES, naming, reading

# How far (in nats, natural-log probability) the first name must be ahead of every other answer.
CHOICE_MARGIN = 1.0
# The sentence holding the chosen name may score at most this much below the best candidate. On the dev sets
# the right choices came from sentences 0 to 0.021 behind the best, the wrong ones from 0.111 to 0.297 behind.
CHOICE_BEHIND = 0.05
# At most this many names are weighed, in the order the sentences read give them, best sentence first.
MAX_OPTIONS = 12

# A word of a name: capitalised with a lower-case letter after ("TikTok", "O’Neill", "Blink-182"), or an
# acronym ("UPS", "NATO"); words of one name are joined by a space, or by "of" ("Bank of England").
_NAME_WORD = r"(?:[A-Z][\w’'-]*[a-z][\w’'-]*|[A-Z]{2,}[\w’'-]*)"
_NAME = re.compile(rf"{_NAME_WORD}(?:(?:[^\S\n]+|[^\S\n]+of[^\S\n]+(?:the[^\S\n]+)?){_NAME_WORD})*")
_NOT_A_NAME = frozenset(WEEKDAYS) | frozenset(MONTH_NUMBERS) | frozenset(STOPWORDS)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;“\"(]\s*)$")
_ASKS_FOR_A_NAME = re.compile(
    r"\b(?:who|whom|whose)\b|\bwhich\b"
    r"|\bwhat\s+(?!(?:did|does|do|is|was|are|were|has|have|had|will|would|can|could|should|happened)\b)[a-z]+",
    re.IGNORECASE,
)


class Scorer(Protocol):
    def score(self, prompt: str, options: Sequence[str]) -> list[float]: ...


def asks_for_a_name(question: str) -> bool:
    """Whether the question asks who or which one: "Which platform …?", "What country …?", "Who …?"."""
    return answer_kind(question) == "name" and _ASKS_FOR_A_NAME.search(question) is not None


def name_options(question: str, texts: Sequence[str], limit: int = MAX_OPTIONS) -> list[str]:
    """The names the texts give that the question does not, once each, in the order they come.

    A capitalised word opening a sentence counts only when the texts also write it capitalised inside one
    ("Biden tested positive …" beside "… said President Biden"), so "Officials" or "Rising" is no name.
    Weekdays, months and words like "The" are trimmed from either end; a possessive is dropped ("TikTok’s").
    """
    # "US-China" says "China" too.
    asked = {name_key(part) for w in re.findall(r"[\w’'.-]+", question) for part in (w, *w.split("-"))}
    texts = [without_dateline(t) for t in texts]
    found: dict[str, str] = {}
    for text in texts:
        for match in _NAME.finditer(text):
            words = match.group(0).split()
            if _SENTENCE_START.search(text[: match.start()]):
                inside = re.compile(rf"(?<=[\w,;]\s){re.escape(words[0])}(?!\w)")
                if not any(inside.search(t) for t in texts):
                    words = words[1:]
            while words and words[0].lower() in _NOT_A_NAME:
                words = words[1:]
            while words and words[-1].lower() in _NOT_A_NAME:
                words = words[:-1]
            if not words or all(name_key(w) in asked for w in words):
                continue
            # "Chinese Premier Li Keqiang" for "which Chinese premier …?": the title is the question's, the
            # name is the rest.
            while name_key(words[0]) in asked:
                words = words[1:]
            name = re.sub(r"[’']s?$", "", " ".join(words))
            found.setdefault(name_key(name), name)
            if len(found) == limit:
                return list(found.values())
    return list(found.values())


def _one_answer(a: str, b: str) -> bool:
    """Whether two names are one answer: one's words are all among the other's ("Biden", "Joe Biden")."""
    first, second = {name_key(w) for w in a.split()}, {name_key(w) for w in b.split()}
    return first <= second or second <= first


def clear_choice(options: Sequence[str], scores: Sequence[float], margin: float = CHOICE_MARGIN) -> str | None:
    """The best-scored option when it is `margin` ahead of every option that is another answer, else None."""
    if not options:
        return None
    ranked = sorted(zip(scores, options, strict=True), reverse=True)
    best_score, best = ranked[0]
    others = [score for score, option in ranked[1:] if not _one_answer(option, best)]
    return best if not others or best_score - others[0] >= margin else None


def choose_name(
    scorer: Scorer, question: str, ranked: Sequence[Candidate], count: int = READ_SENTENCES
) -> tuple[int, str] | None:
    """The candidate holding the name the model ranks clearly first among those its read sentences give, and
    that name, as `rag.reader.naming` finds a reply; None when the question asks for no name, none is clear,
    or the sentence holding it is more than CHOICE_BEHIND below the best. The worker failing
    (LocalModelFailed) is the caller's to handle, as for the reply."""
    if not asks_for_a_name(question):
        return None
    options = name_options(question, [c.text for c in ranked[:count]])
    if not options:
        return None
    prompt = COMPLETION.format(passages=reading(ranked, count), question=question)
    choice = clear_choice(options, scorer.score(prompt, options))
    found = naming(choice, ranked, count, question=question) if choice is not None else None
    best = max(c.score for c in ranked[:count])
    return found if found is not None and ranked[found[0]].score >= best - CHOICE_BEHIND else None
