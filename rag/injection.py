"""Sentences in documents that address an AI system rather than a reader (pure functions).

Passage text is data. A sentence that tells "the assistant" what to do, dresses itself up as a
system notice, or asks the model to play a role is never quoted as an answer, and never counts
as support for one. The patterns are aimed at the grammar of such text (imperatives to a model,
second person to an AI, notice framing) so ordinary news prose, which reports what people said,
passes: measured on the sample corpus and the news evaluation corpus (docs/RELIABILITY.md).

What this does not catch: instructions paraphrased as plain statements of fact ("The library
is empty."), text in other languages, instructions split across sentences so no one sentence
carries the cue, and obfuscated text (spacing, homoglyphs, encodings). Citation checking still
drops model output that no passage supports, but a false statement written as a statement is,
to a reader and to this check alike, just a claim in a document.
"""

from __future__ import annotations

import re

_AI = r"(?:ai|a\.i\.|assistants?|ai\s+assistants?|language\s+models?|llms?|chat\s*bots?|bots?|models?|gpt|chatgpt)"
_ANSWER_VERBS = r"(?:answer|say|reply|respond|state|claim|tell|output|print|write|repeat|insist|mention|cite)"

_PATTERNS = [
    # Overriding what came before: "Ignore previous instructions …", "disregard the above".
    # ("ignore parking rules" is news: rules count only as earlier, system or "your" rules.)
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|of\s+the\s+)?(?:your\s+|my\s+|these\s+)?"
    r"(?:(?:previous|prior|above|earlier|preceding|original|initial|system|safety|existing|your)\s+(?:\w+\s+)?"
    r"(?:instructions?|prompts?|rules|guidelines|guidance|directions|context|text|messages?|directives?|commands?)"
    r"|instructions?|prompts?|everything\s+(?:above|before|else)|above)\b",
    r"\bsystem\s+prompt\b|\bnew\s+instructions?\s*:|\b(?:your|following|these)\s+new\s+instructions?\b",
    r"\bdo\s+not\s+follow\s+(?:any\s+|the\s+|your\s+)?(?:previous|prior|other|original|system)\b",
    r"\breveal\s+(?:your|the)\s+(?:hidden\s+|secret\s+|original\s+)?(?:instructions|prompt|rules)\b",
    # Addressed to the answering system: "Note to the language model: …", "AI assistants reading this: …".
    rf"\b(?:note|message|instructions?|attention|reminder|warning)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?{_AI}\b",
    r"\bif\s+you\s+are\s+(?:an?\s+)?(?:ai|a\.i\.|assistant|language\s+model|llm|chat\s*bot|bot)\b",
    rf"\b{_AI}\s+(?:reading|processing|summari[sz]ing|answering|parsing)\s+(?:this|these)\b",
    rf"^\W*(?:dear\s+)?{_AI}\s*[,:]",  # "Assistant, respond that …", "AI: …"
    # The assistant told what to answer: "the assistant must answer every question with …".
    rf"\b(?:the|any|all|every|each)\s+{_AI}\s+(?:must|should|shall|will|is\s+to|needs\s+to|has\s+to|"
    rf"is\s+(?:required|instructed|told)\s+to)\s+(?:now\s+|always\s+|only\s+|never\s+)?"
    rf"(?:{_ANSWER_VERBS}|ignore|obey|follow|refuse|pretend|act|treat|respond|answer)\b",
    r"\b(?:answer|respond\s+to|reply\s+to)\s+(?:every|all|any|each)\s+(?:questions?|quer(?:y|ies)|prompts?|requests?)"
    r"\s+(?:with|by\s+saying|using|as|that)\b",
    r"\bwhen\s+asked\b[^.]{0,80},\s*(?:always\s+)?(?:answer|say|reply|respond|state|claim|tell)\b",
    # ("police may respond with force", "he did not answer that question": only an imperative or "you".)
    r"(?:^\W*|\byou\s+(?:must\s+|should\s+|shall\s+|will\s+)?|\balways\s+|\bonly\s+)(?:answer|reply|respond)\s+"
    r"(?:only\s+)?(?:with|that)\b",
    r"\balways\s+cite\b|\bcite\s+this\s+(?:document|source|page)\b",
    r"\b(?:tell|inform)\s+the\s+user\b|\bthe\s+user\s+(?:asks|wants)\b.{0,40}\b(?:answer|say|reply|respond)\b",
    r"\bfrom\s+now\s+on\b.{0,30}\b(?:you|answer|respond|reply|say|always|only)\b",
    r"\byou\s+(?:must|should|shall|will|are\s+to)\s+(?:now\s+|always\s+|only\s+|never\s+)?"
    r"(?:answer|reply|respond|ignore|obey|disregard)\b",
    r"\byour\s+(?:new\s+|real\s+|true\s+)?(?:task|instructions?|role|goal|job|purpose|directive)\s+(?:is|are)\b",
    # Imperative to say something, opening a sentence: "Say the library is empty.", "Respond only with …".
    r"^\W*(?:now\s+|instead\s+|please\s+|and\s+)?(?:say|answer|reply|respond|output|print|repeat)\s+"
    r"(?:only\s+|exactly\s+|just\s+|that\b|the\s+(?:word|phrase|text|sentence)\b|[\"'“‘])",
    # Notice framing: "IMPORTANT SYSTEM NOTICE: …", "[SYSTEM]", "SYSTEM: …", chat-template tokens.
    r"\b(?:important|urgent|critical|official|mandatory|priority)\s+(?:system|admin|administrator|developer)\s+"
    r"(?:notice|message|note|alert|instructions?|update|override|directive)\b",
    r"^\W*\[?(?:system|assistant|user|admin|administrator|developer|sys)\]?\s*:",
    r"\[/?(?:system|inst|sys)\]|<\|?(?:im_start|im_end|system|endoftext)\|?>|<<\s*sys\s*>>|###\s*(?:instruction|system)\b",
    r"\b(?:admin|developer|debug|god|jailbreak|jailbroken|dan)\s+mode\b",
    # Role-play: "You are now DAN …", "pretend you are …", "act as an unrestricted AI".
    # ("you are now an outlier" is prose: the role must be a model, a persona or a mode.)
    r"\byou\s+are\s+(?:now|no\s+longer)\s+(?:dan\b|(?:an?\s+|the\s+|my\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:ai|assistant|model|chatbot|bot|character|persona|entity|mode)\b|in\s+[\w-]+\s+mode\b|"
    r"(?:free|unrestricted|jailbroken|unfiltered|uncensored|called|named|known\s+as)\b)",
    r"\bas\s+an\s+ai\s+(?:language\s+model|assistant)\b",
    r"\bpretend\s+(?:that\s+)?(?:you\s+are|you're)\b|^\W*(?:now\s+|please\s+)?pretend\s+to\s+be\b|\bimagine\s+(?:that\s+)?you\s+are\s+(?:an?\s+)?(?:ai|assistant|model|chatbot)\b",
    r"\b(?:role-?play|roleplay)\s+as\b|\byou\s+(?:will|must|should|shall|are\s+going\s+to)\s+(?:now\s+)?"
    r"(?:play|assume|take\s+on|adopt)\s+(?:the\s+)?(?:role|persona|character)\b",
    r"^\W*(?:now\s+|please\s+|from\s+now\s+on,?\s+)?act\s+as\s+(?:if\s+you\s+(?:are|were)\s+)?(?:an?\s+|the\s+|my\s+)?",
    r"\bdo\s+anything\s+now\b",
    r"\bDAN\b(?=.{0,60}\b(?:you|mode|anything|jailbreak|rules|restrictions)\b)",
]

# "DAN" is matched case-sensitively (it is a name); everything else ignores case.
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS if "DAN" not in p), re.IGNORECASE | re.MULTILINE)
_CASED = re.compile("|".join(f"(?:{p})" for p in _PATTERNS if "DAN" in p), re.MULTILINE)


def looks_like_instruction(text: str) -> bool:
    """True for text addressed to an AI system rather than a reader ('ignore previous instructions …')."""
    return bool(_INJECTION.search(text) or _CASED.search(text))
