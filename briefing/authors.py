"""Author names for bibliographies: people split into family and given names, organisations kept whole.

A stored author is free text ("The White House", "Jane Doe and John Roe", "Bureau of Industry and
Security, Office of Congressional and Public Affairs"). Reference managers need to know which
parts are people: BibTeX reads `The White House` as a person with last name "House", and a
comma or an "and" inside an organisation's name splits it into several authors. Only a text
that is unmistakably a list of people is split; anything else is one organisation (a "literal"
name), which every citation processor prints exactly as stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words that mark an organisation, an outlet or a collective (matched as whole words, any case).
ORGANISATION_WORDS = frozenset(
    {
        "house", "bureau", "office", "offices", "department", "ministry", "agency", "agencies", "council",
        "commission", "committee", "institute", "institution", "university", "college", "school", "academy", "news",
        "press", "times", "journal", "herald", "tribune", "gazette", "daily", "weekly", "magazine", "review",
        "reuters", "associated", "bloomberg", "xinhua", "wikipedia", "inc", "ltd", "llc", "plc", "corp", "corporation",
        "company", "group", "foundation", "association", "society", "center", "centre", "service", "services",
        "administration", "government", "senate", "congress", "parliament", "assembly", "court", "bank", "fund",
        "organization", "organisation", "federation", "board", "authority", "network", "broadcasting", "radio",
        "television", "media", "staff", "contributors", "editors", "editorial", "team", "desk", "correspondents",
        "reporters", "wire", "affairs", "secretariat", "embassy", "consulate", "delegation", "party", "forum",
        "laboratory", "project", "initiative", "trust", "research", "representative", "representatives", "nations",
        "republic", "kingdom", "ministries", "bureaus", "commissions", "committees", "departments", "unit", "division",
        "program", "programme", "centers", "centres",
    }
)  # fmt: skip
# Lower-case name particles a person's name may hold ("Ludwig van Beethoven", "Osama bin Laden").
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "bin", "ibn", "al", "el", "ter",
     "ten", "dos", "das", "do", "y"}
)  # fmt: skip
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."})
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+(?:-[^\W\d_]\.)?$")
_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class Name:
    """One author: a person (family and given names) or an organisation (literal, printed as is)."""

    literal: str | None = None
    family: str = ""
    given: str = ""
    particle: str = ""  # "van", "de la": part of the family name, sorted under the family name
    suffix: str = ""  # "Jr.", "III"

    @property
    def is_person(self) -> bool:
        return self.literal is None


def parse_authors(author: str | None, outlets: Iterable[str | None] = ()) -> list[Name]:
    """The authors in a stored author field; `outlets` are names known to be organisations (the source)."""
    text = " ".join((author or "").split())
    known = {o.casefold() for o in outlets if o}
    names: list[Name] = []
    for group in (g.strip() for g in text.split(";")):
        if not group:
            continue
        people = _people(group, known)
        if people:
            names.extend(people)
        else:
            person = _person(group, known)
            names.append(person or Name(literal=group))
    return names


def is_organisation(name: str, outlets: Iterable[str | None] = ()) -> bool:
    """Whether a single name reads as an organisation, outlet or collective rather than a person."""
    known = {o.casefold() for o in outlets if o}
    return _organisation(_NOTE.sub("", name), known)


def _organisation(name: str, known: set[str]) -> bool:
    if name.casefold() in known or any(ch.isdigit() for ch in name) or "@" in name or "/" in name:
        return True
    words = re.findall(r"[^\W\d_][\w'’-]*", name)
    if not words or words[0].casefold() == "the":
        return True
    # "Office of …", "Committee on …": connecting words that no personal name holds.
    if any(w in ("of", "for", "on", "and", "the", "in", "at", "to") for w in words):
        return True
    return any(w.casefold().strip("'’") in ORGANISATION_WORDS for w in words)


def _people(group: str, known: set[str]) -> list[Name] | None:
    """The group as a list of people ("A and B", "A, B, and C", "Doe, Jane and Roe, John"), or None."""
    pieces: list[str] = []
    for part in re.split(r"\s+(?:and|&)\s+", group):
        part = part.strip().strip(",").strip()
        if not part:
            return None
        inverted = _inverted(part, known)
        if inverted is not None:
            pieces.append(part)
            continue
        pieces.extend(p.strip() for p in part.split(","))
    if len(pieces) < 2 and "," not in group:
        return None  # one name: the caller decides person or organisation
    found = [_inverted(p, known) or _person(p, known) for p in pieces]
    if not found or any(n is None for n in found):
        return None
    return [n for n in found if n is not None]


def _inverted(text: str, known: set[str]) -> Name | None:
    """'Doe, Jane' or 'van Gogh, Vincent' as a person, else None."""
    family, comma, given = text.partition(",")
    if not comma or "," in given:
        return None
    family_words, given_words = family.split(), given.split()
    if not 1 <= len(family_words) <= 3 or not 1 <= len(given_words) <= 3:
        return None
    if _organisation(text, known) or not all(_name_token(w) for w in family_words + given_words):
        return None
    particle = [w for w in family_words[:-1] if w in _PARTICLES]
    if len(particle) != len(family_words) - 1 or family_words[-1][0].islower():
        return None
    return Name(family=family_words[-1], given=" ".join(given_words), particle=" ".join(particle))


def _person(text: str, known: set[str]) -> Name | None:
    """'Jane Doe', 'Donald J. Trump', 'Ludwig van Beethoven', 'Martin Luther King Jr.' as a person, else None.

    A trailing note in brackets ("Donald J. Trump (Executive Order)") is not part of the name.
    """
    name = _NOTE.sub("", text).strip()
    if not name or _organisation(name, known):
        return None
    words = name.replace(", ", " ").split()
    suffix = ""
    if len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        suffix = words.pop()
    if not 2 <= len(words) <= 5 or not all(_name_token(w) for w in words):
        return None
    if words[0][0].islower() or words[-1][0].islower() or _INITIALS.match(words[-1]):
        return None
    first_particle = next((i for i, w in enumerate(words[1:], 1) if w in _PARTICLES), len(words) - 1)
    return Name(
        family=words[-1],
        given=" ".join(words[:first_particle]),
        particle=" ".join(words[first_particle:-1]),
        suffix=suffix,
    )


def _name_token(word: str) -> bool:
    return word in _PARTICLES or bool(_INITIALS.match(word)) or (bool(_TOKEN.match(word)) and word[0].isupper())
