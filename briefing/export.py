"""Reports from answers: Markdown with footnotes, Word, BibTeX and CSL-JSON.

Everything about a source (title, outlet, date, link, author, quote) comes from the stored
metadata carried by `Citation` or `Document`, never from generated text, so a report's
bibliography is exactly as trustworthy as the library it was built from.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from briefing.authors import Name, parse_authors
from core.models import Answer, Citation, Document
from core.words import MONTH_NAMES as _MONTHS

# Only web and mail addresses become live links in Word; anything else stays text.
_LINKABLE = re.compile(r"(?:https?://|mailto:)\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """One cited document, as a bibliography lists it."""

    doc_id: str
    title: str
    source: str | None = None
    published: date | None = None
    url: str | None = None
    author: str | None = None
    accessed: date | None = None

    @classmethod
    def from_citation(cls, citation: Citation) -> Reference:
        return cls(
            doc_id=citation.doc_id,
            title=citation.title,
            source=citation.source,
            published=_parse_date(citation.published),
            url=citation.url,
            author=citation.author,
        )

    @classmethod
    def from_document(cls, document: Document) -> Reference:
        return cls(
            doc_id=document.doc_id,
            title=document.title,
            source=document.source,
            published=document.published,
            url=document.url,
            author=document.author,
            accessed=_parse_date(document.ingested_at[:10]) if document.ingested_at else None,
        )


def references(answers: Iterable[Answer]) -> list[Reference]:
    """The distinct documents cited across answers, in order of first citation."""
    seen: dict[str, Reference] = {}
    for answer in answers:
        for citation in answer.citations:
            seen.setdefault(citation.doc_id, Reference.from_citation(citation))
    return list(seen.values())


# --- plain-text pieces ---------------------------------------------------------------------------


def human_date(value: date | None) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}" if value else ""


def reference_line(ref: Reference) -> str:
    """A bibliography entry: Author. “Title.” Outlet, 13 April 2026. URL."""
    parts: list[str] = []
    if ref.author and ref.author != ref.source:
        parts.append(ref.author.rstrip(".") + ".")
    parts.append(f"“{ref.title.rstrip('.')}.”")
    where = ", ".join(x for x in (ref.source, human_date(ref.published)) if x)
    if where:
        parts.append(where + ".")
    if ref.url:
        parts.append(ref.url)
    return " ".join(parts)


def note_line(citation: Citation) -> str:
    """A footnote: the quoted sentence, then where it comes from."""
    where = ", ".join(x for x in (citation.source, human_date(_parse_date(citation.published))) if x)
    note = f"“{_squash(citation.quote)}” — {citation.title}"
    if where:
        note += f" ({where})"
    if citation.page is not None:
        note += f", p. {citation.page}"
    if citation.url:
        note += f". {citation.url}"
    return note


# --- Markdown ------------------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Text that Markdown shows literally (no emphasis, links or raw HTML)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def marked_segments(answer: Answer, numbers: dict[int, int]) -> Iterator[tuple[str, int | None]]:
    """The answer text split at its [n] markers: (text before a marker, its note number), then (rest, None).

    A note mark sits right after the word it annotates, so the space before a marker is dropped;
    markers with no listed citation are left in the text as written.
    """
    for text, n in answer.segments(numbers):
        yield (text.rstrip(), numbers[n]) if n is not None else (text, None)


def _md_body(answer: Answer, numbers: dict[int, int]) -> str:
    """Answer text with its [n] markers turned into footnote references."""
    out: list[str] = []
    for index, (text, note) in enumerate(marked_segments(answer, numbers)):
        lead, text = answer.split_lead(text) if index == 0 else ("", text)
        out.append(f"**{md_escape(lead)}**" if lead else "")
        out.append(md_escape(text))
        if note is not None:
            out.append(f"[^{note}]")
    return "".join(out).strip()


def _md_notes(answer: Answer, numbers: dict[int, int]) -> list[str]:
    return [f"[^{numbers[c.n]}]: {_md_linked(note_line(c), c.url)}" for c in answer.citations]


def _md_bibliography(refs: Sequence[Reference], heading: str) -> list[str]:
    if not refs:
        return []
    lines = [heading, ""]
    lines += [f"- {_md_linked(reference_line(ref), ref.url)}" for ref in refs]
    return lines


def _md_linked(line: str, url: str | None) -> str:
    """Escaped text whose URL stays a clickable autolink (an escaped URL would not link)."""
    escaped = md_escape(line)
    if url and " " not in url and "<" not in url and ">" not in url:
        escaped = escaped.replace(md_escape(url), f"<{url}>")
    return escaped


def answer_markdown(answer: Answer) -> str:
    """One answer for pasting into a report: footnote citations ([^1]) and a bibliography."""
    if answer.abstained or not answer.citations:
        return f"_{md_escape(answer.text)}_\n"
    numbers = {c.n: c.n for c in answer.citations}
    lines = [_md_body(answer, numbers), ""]
    lines += _md_notes(answer, numbers)
    lines.append("")
    lines += _md_bibliography(references([answer]), "**Sources**")
    return "\n".join(lines).rstrip() + "\n"


def conversation_markdown(answers: Sequence[Answer], title: str = "Briefing", when: datetime | None = None) -> str:
    """A whole conversation: each question and answer, numbered notes, one bibliography."""
    when = when or datetime.now()
    lines = [f"# {md_escape(title)}", "", f"_Prepared {human_date(when.date())}, {when:%H:%M}_", ""]
    offset = 0
    notes: list[str] = []
    for answer in answers:
        numbers = {c.n: offset + i for i, c in enumerate(answer.citations, start=1)}
        offset += len(answer.citations)
        lines += [f"## {md_escape(answer.question)}", ""]
        if answer.abstained or not answer.citations:
            lines += [f"_{md_escape(answer.text)}_", ""]
            continue
        lines += [_md_body(answer, numbers), ""]
        notes += _md_notes(answer, numbers)
    if notes:
        lines += [*notes, ""]
    lines += _md_bibliography(references(answers), "## Bibliography")
    return "\n".join(lines).rstrip() + "\n"


# --- Word ----------------------------------------------------------------------------------------


def conversation_docx(
    answers: Sequence[Answer], title: str = "Briefing", when: datetime | None = None, author: str = ""
) -> bytes:
    """The conversation as a .docx: answers with superscript note numbers, notes, bibliography.

    Source links are live hyperlinks. The document properties carry the title, `author` (empty
    unless given) and `when` as the creation time; a naive `when` is taken as local time.
    """
    import docx
    from docx.shared import Pt, RGBColor

    from briefing.export_cjk import use_east_asian_font

    when = (when or datetime.now()).astimezone()
    doc = docx.Document()
    _set_properties(doc, title, when, author)
    use_east_asian_font(doc)  # Chinese titles and quotes in a CJK font
    doc.add_heading(_clean_xml(title), level=0)
    stamp = doc.add_paragraph(f"Prepared {human_date(when.date())}, {when:%H:%M}")
    stamp.runs[0].italic = True
    offset = 0
    notes: list[tuple[int, Citation]] = []
    for answer in answers:
        numbers = {c.n: offset + i for i, c in enumerate(answer.citations, start=1)}
        offset += len(answer.citations)
        doc.add_heading(_clean_xml(answer.question), level=2)
        paragraph = doc.add_paragraph()
        if answer.abstained or not answer.citations:
            run = paragraph.add_run(_clean_xml(answer.text))
            run.italic = True
            run.font.color.rgb = RGBColor(0x80, 0x4A, 0x00)
            continue
        for index, (text, mark) in enumerate(marked_segments(answer, numbers)):
            lead, text = answer.split_lead(text) if index == 0 else ("", text)
            if lead:
                paragraph.add_run(_clean_xml(lead)).bold = True
            paragraph.add_run(_clean_xml(text))
            if mark is not None:
                paragraph.add_run(str(mark)).font.superscript = True
        notes += [(numbers[c.n], c) for c in answer.citations]
    if notes:
        doc.add_heading("Notes", level=1)
        for number, citation in notes:
            note = doc.add_paragraph()
            label = note.add_run(f"{number}. ")
            label.bold = True
            _add_linked_line(note, note_line(citation), citation.url, Pt(10))
    refs = references(answers)
    if refs:
        doc.add_heading("Bibliography", level=1)
        for ref in refs:
            _add_linked_line(doc.add_paragraph(style="List Bullet"), reference_line(ref), ref.url)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _set_properties(doc: Any, title: str, when: datetime, author: str) -> None:
    """Core properties of this report, replacing the template's (author "python-docx", created 2013)."""
    props = doc.core_properties
    props.title = _clean_xml(title)[:255]
    props.author = _clean_xml(author)[:255]
    props.last_modified_by = _clean_xml(author)[:255]
    props.comments = ""
    props.revision = 1
    # python-docx writes the time with a literal "Z", so it must be given in UTC.
    utc = when.astimezone(UTC)
    props.created = utc
    props.modified = utc


def _add_linked_line(paragraph: Any, line: str, url: str | None, size: Any = None) -> None:
    """A note or bibliography line whose trailing URL is a live hyperlink."""
    text, link = line, None
    if url and line.endswith(url) and _LINKABLE.match(url):
        text, link = line[: -len(url)], url
    body = paragraph.add_run(_clean_xml(text))
    if size is not None:
        body.font.size = size
    if link is not None:
        _add_hyperlink(paragraph, link, size)


def _add_hyperlink(paragraph: Any, url: str, size: Any = None) -> None:
    """A w:hyperlink to an external URL (a relationship of the document part), shown as the URL."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    styles = paragraph.part.document.styles
    if "Hyperlink" not in [s.name for s in styles]:
        style = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        style.font.underline = True
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    run_style = OxmlElement("w:rStyle")
    run_style.set(qn("w:val"), styles["Hyperlink"].style_id)
    props.append(run_style)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            half_points = OxmlElement(tag)
            half_points.set(qn("w:val"), str(int(size.pt * 2)))
            props.append(half_points)
    run.append(props)
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = _clean_xml(url)
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _clean_xml(text: str) -> str:
    """Drop the control characters that XML (and so .docx) cannot hold."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


# --- BibTeX --------------------------------------------------------------------------------------

_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def bib_escape(text: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in _squash(text))


def bib_name(name: Name) -> str:
    """One BibTeX name: 'von Last, Jr., First' for a person, '{Whole Name}' for an organisation."""
    if name.literal is not None:
        # Braces make BibTeX treat the name as one indivisible last name: no "and" split, no first/last.
        return "{" + bib_escape(name.literal) + "}"
    family = " ".join(x for x in (name.particle, name.family) if x)
    parts = [family, name.suffix, name.given] if name.suffix else [family, name.given]
    return ", ".join(bib_escape(x) for x in parts if x)


def _bib_authors(ref: Reference) -> str:
    return " and ".join(bib_name(n) for n in parse_authors(ref.author, (ref.source,)))


def csl_name(name: Name) -> dict[str, str]:
    """One CSL-JSON name: family/given for a person, literal for an organisation."""
    if name.literal is not None:
        return {"literal": name.literal}
    out = {"family": name.family, "given": name.given}
    if name.particle:
        out["non-dropping-particle"] = name.particle
    if name.suffix:
        out["suffix"] = name.suffix
    return out


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def _bib_keys(refs: Sequence[Reference]) -> list[str]:
    keys: list[str] = []
    for ref in refs:
        who = _key_name(ref)
        year = str(ref.published.year) if ref.published else "nd"
        word = next((w for w in (_slug(w) for w in ref.title.split()) if len(w) > 3), "") or _slug(ref.title)[:12]
        base = f"{who}{year}{word}"
        key, suffix = base, ord("a")
        while key in keys:
            key = f"{base}{chr(suffix)}"
            suffix += 1
        keys.append(key)
    return keys


def _key_name(ref: Reference) -> str:
    """The citation key's name part: the first author's family name, else the organisation's first word."""
    names = parse_authors(ref.author, (ref.source,))
    if names and names[0].is_person:
        return _slug(names[0].family) or "anon"
    words = (names[0].literal or "") if names else (ref.source or "")
    significant = [w for w in words.split() if w.casefold() not in ("the", "a", "an")]
    return _slug(significant[0]) if significant and _slug(significant[0]) else "anon"


def bibtex(refs: Sequence[Reference]) -> str:
    """BibLaTeX @online entries (BibTeX-compatible year/month fields included)."""
    entries: list[str] = []
    for key, ref in zip(_bib_keys(refs), refs, strict=True):
        fields: list[tuple[str, str]] = [("title", "{" + bib_escape(ref.title) + "}")]
        if ref.author:
            fields.append(("author", _bib_authors(ref)))
        if ref.source:
            fields.append(("organization", bib_escape(ref.source)))
        if ref.published:
            fields += [
                ("date", ref.published.isoformat()),
                ("year", str(ref.published.year)),
                ("month", _MONTHS[ref.published.month - 1][:3].lower()),
            ]
        if ref.url:
            fields.append(("url", ref.url.replace("}", "%7D").replace("{", "%7B")))
        if ref.url and ref.accessed:
            fields.append(("urldate", ref.accessed.isoformat()))
        body = ",\n".join(
            f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
        )
        entries.append(f"@online{{{key},\n{body}\n}}")
    return "\n\n".join(entries) + ("\n" if entries else "")


# --- CSL-JSON ------------------------------------------------------------------------------------


def csl_items(refs: Sequence[Reference]) -> list[dict[str, object]]:
    """CSL-JSON items (Zotero, Pandoc --citeproc) with the same keys as the BibTeX entries."""
    items: list[dict[str, object]] = []
    for key, ref in zip(_bib_keys(refs), refs, strict=True):
        item: dict[str, object] = {"id": key, "type": "webpage" if ref.url else "document", "title": ref.title}
        if ref.source:
            # The outlet once: as the website of a web page, as the publisher of anything else
            # (styles print both fields, so setting both repeats the outlet in every entry).
            item["container-title" if ref.url else "publisher"] = ref.source
        if ref.author:
            item["author"] = [csl_name(n) for n in parse_authors(ref.author, (ref.source,))]
        if ref.published:
            item["issued"] = {"date-parts": [[ref.published.year, ref.published.month, ref.published.day]]}
        if ref.url:
            item["URL"] = ref.url
        if ref.accessed:
            item["accessed"] = {"date-parts": [[ref.accessed.year, ref.accessed.month, ref.accessed.day]]}
        items.append(item)
    return items


def csl_json(refs: Sequence[Reference]) -> str:
    return json.dumps(csl_items(refs), indent=2, ensure_ascii=False) + "\n"


# --- helpers -------------------------------------------------------------------------------------


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
