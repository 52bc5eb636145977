"""A vote asked for, and a vote stated: "What was the Senate vote tally on the act?" is answered by "64-33"."""

from __future__ import annotations

import re

# "What was the Senate vote tally …?", "What was the Supreme Court's vote in …?", "By what vote did the House pass
# it?": a vote's count. Not a vote's subject ("What was the vote on?") nor a count of votes ("How many votes did
# she win?", a number like any other).
_ASKS_A_VOTE = re.compile(
    r"\bvote\s+(?:tally|tallies|count|counts|margin|split|breakdown|total)\b"
    r"|\bwhat\s+(?:was|were|is)\s+(?:the\s+)?(?:[\w'’.-]+\s+){0,4}?(?:vote|tally)\b(?!\s+(?:on|for|to|about)\b)"
    r"|\bby\s+what\s+(?:vote|tally|count)\b",
    re.IGNORECASE,
)
# "64-33", "6–3", "68 to 32", "passed unanimously", "by a voice vote", "with 218 votes".
_STATES_A_VOTE = re.compile(
    r"(?<![\d,.])\d{1,3}\s*(?:-|–|—|to)\s*\d{1,3}(?![\d,.]*\d|\s*(?:%|percent|per\s+cent))"
    r"|\bunanimous(?:ly)?\b|\bvoice\s+vote\b|\b\d[\d,]*\s+votes?\b",
    re.IGNORECASE,
)


def asks_a_vote(question: str) -> bool:
    """Whether the question asks how a vote went, as a count: "What was the Senate vote tally …?"."""
    return _ASKS_A_VOTE.search(question) is not None


def states_a_vote(sentence: str) -> bool:
    """Whether the sentence says how a vote went: a tally ("64-33", "6 to 3"), "unanimously" or a count of votes."""
    return _STATES_A_VOTE.search(sentence) is not None
