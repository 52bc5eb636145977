"""Whether a question asks something, or only names a topic, and how close it must come to be answered.

"types and causes of male and female infertility", "swiss-eu agreement on the free movement of persons" or
"after the fall of constantinople in 1453 moscow became known as the third rome" ask no question word, open
with no auxiliary and request nothing: they name a topic. Any passage on that topic is as close to them as
the one that would answer what the asker had in mind, so closeness says less about whether the library holds
an answer, and they must come closer than a question (docs/EVAL.md, "A topic, not a question").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from core.words import QUESTION_WORDS
from rag.abstain import UNNAMED_MARGIN, names_something
from rag.answer_type import answer_kind, holds_answer
from rag.speakers import said_by

if TYPE_CHECKING:
    from rag.extractive import Candidate

# How much closer than a question a topic must come (chosen on ClapNQ's dev split, checked on the others).
TOPIC_MARGIN = 0.05

# A yes-or-no question opens with its auxiliary: "is wellington in the north or south island".
_AUXILIARY_LIST = """
is are was were am be do does did can could will would shall should may might must has have had
isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't shouldn't hasn't haven't
"""
_AUXILIARIES = frozenset(_AUXILIARY_LIST.split())
# A request opens with its verb: "list the tariffs …", "explain how …", "tell me about …".
_REQUEST_LIST = "tell list name explain describe define give show compare summarize summarise outline discuss find"
_REQUESTS = frozenset(_REQUEST_LIST.split())
# A word, its "n't" kept ("isn't"); "what's" is "what" and "s".
_WORD = re.compile(r"[a-z]+n['’]t|[a-z]+")
# Other scripts ask in words this module does not read ("谁创立了DeepSeek？"): they are not judged.
_NOT_LATIN = re.compile(r"[^\x00-\x7f\u00a0-\u024f\u2010-\u2027]")
# Question words of other languages written in Latin letters (French, Spanish, Portuguese, Italian, German),
# accents typed or not, so "Qu'est-ce que DeepSeek" or "quien fundo DeepSeek" asks without its question mark.
# Words that are English too ("was", "come", "dove") are left out.
_OTHER_QUESTION_WORD_LIST = """
qu qui que quoi quel quelle quels quelles où quand comment pourquoi combien lequel laquelle lesquels lesquelles
qué quién quiénes cuál cuáles dónde cuándo cómo cuánto cuánta cuántos cuántas quien quienes cual cuales donde
cuando como cuanto cuanta cuantos cuantas quem qual quais onde quanto quantos quanta quantas porquê porque
chi cosa quale quali perché perche wer wen wem wessen wann wo wie warum weshalb wieso welche welcher welches
welchen
"""
_OTHER_QUESTION_WORDS = frozenset(_OTHER_QUESTION_WORD_LIST.split())
_LETTERS = re.compile(r"[^\W\d_]+")


def only_a_topic(question: str) -> bool:
    """Whether the question names a topic without asking anything of it: no question word anywhere, no
    auxiliary or request verb first ("please" aside), no question mark at its end ("DeepSeek founder?" asks, and
    so does "Qui a fondé DeepSeek ?"). A question word of another language written in Latin letters asks too;
    questions in other scripts are not judged."""
    if _NOT_LATIN.search(question) or question.rstrip().endswith("?"):
        return False
    if any(_asks_in_another_language(m, question) for m in _LETTERS.finditer(question)):
        return False
    words = [w.replace("’", "'") for w in _WORD.findall(question.lower())]
    if words and words[0] == "please":
        words = words[1:]
    if not words:
        return False
    return not (QUESTION_WORDS.intersection(words) or words[0] in _AUXILIARIES or words[0] in _REQUESTS)


def _asks_in_another_language(word: re.Match[str], question: str) -> bool:
    """Whether a word is another language's question word: in lower case, or first ("Lake Como hotels" names
    a lake; "Como funciona DeepSeek" asks)."""
    text = word.group()
    first = not question[: word.start()].strip(" ¿¡\"'“‘")
    return text.lower() in _OTHER_QUESTION_WORDS and (text.islower() or first)


def closeness_margin(question: str, passages: Iterable[str]) -> float:
    """How much closer than the abstention threshold the question must come to be answered: a question that
    names nothing the names rule could check (`names_something` over the retrieved `passages`), and one that
    only names a topic, must each come closer."""
    margin = 0.0 if names_something(question, passages) else UNNAMED_MARGIN
    return margin + (TOPIC_MARGIN if only_a_topic(question) else 0.0)


def sentences_for(question: str, answering: Candidate | None, most: int) -> int:
    """How many sentences an answer may quote (`most` at most): one when the question asks for an amount and the
    sentence it stands on states one (a second would be padding), or asks who said what that sentence says."""
    if answering is not None and answer_kind(question) == "amount" and holds_answer("amount", question, answering.text):
        return 1
    if answering is not None and said_by(question, [answering]):
        return 1
    return most
