"""When did an event happen? Dating "the Geneva talks" from what the library reports about it."""

from __future__ import annotations

import re
from datetime import date

from ingest.store import Library
from rag.periods import stated_dates
from rag.temporal import EVENT_NOUNS


def event_terms(phrase: str) -> list[str]:
    """The words that identify an event: its names, else its other content words ('Geneva' in 'the Geneva talks')."""
    from rag.text import content_words

    words = re.findall(r"[A-Za-z0-9][\w'-]*", phrase)
    names = [w for i, w in enumerate(words) if w[0].isupper() or w[0].isdigit() or (i and w.isupper())]
    chosen = names or [w for w in words if w.lower() not in EVENT_NOUNS]
    return list(dict.fromkeys(content_words(" ".join(chosen)))) or content_words(phrase)


def event_date(library: Library, phrase: str, asked_on: date) -> date | None:
    """When the library first reports an event: the earliest dated document (published by asked_on)
    whose passages mention all of the event's identifying words. A full date stated in the same
    sentence as the mention, earlier than the document, is taken instead ("talks in Geneva on May 10")."""
    from ingest.sentences import sentences
    from rag.text import content_words

    terms = event_terms(phrase)
    if not terms:
        return None
    found = library.search(" ".join(terms), 200)
    chunks = library.chunks([cid for cid, _ in found])
    documents = library.documents_by_id({c.doc_id for c in chunks.values()})
    best: date | None = None
    for chunk in chunks.values():
        document = documents.get(chunk.doc_id)
        if document is None or document.published is None or document.published > asked_on:
            continue
        if not set(terms) <= set(content_words(chunk.text)):
            continue
        candidate = document.published
        for sentence in sentences(chunk.text):
            if not set(terms) <= set(content_words(sentence)):
                continue
            for stated in stated_dates(sentence, document.published):
                if stated.precision == "day" and stated.day < candidate:
                    candidate = stated.day
        best = candidate if best is None else min(best, candidate)
    return best
