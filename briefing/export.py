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
from datetime import date, datetime

from briefing.models import Answer, Citation, Document

_MARKER = re.compile(r"\[(\d+)\]")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


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
    pos = 0
    for match in _MARKER.finditer(answer.text):
        n = int(match.group(1))
        if n not in numbers:
            continue
        yield answer.text[pos : match.start()].rstrip(), numbers[n]
        pos = match.end()
    yield answer.text[pos:], None


def _md_body(answer: Answer, numbers: dict[int, int]) -> str:
    """Answer text with its [n] markers turned into footnote references."""
    out: list[str] = []
    for text, note in marked_segments(answer, numbers):
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


def conversation_docx(answers: Sequence[Answer], title: str = "Briefing", when: datetime | None = None) -> bytes:
    """The conversation as a .docx: answers with superscript note numbers, notes, bibliography."""
    import docx
    from docx.shared import Pt, RGBColor

    from briefing.export_cjk import use_east_asian_font

    when = when or datetime.now()
    doc = docx.Document()
    use_east_asian_font(doc)  # Chinese titles and quotes in a CJK font
    doc.core_properties.title = title
    doc.add_heading(title, level=0)
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
        for text, mark in marked_segments(answer, numbers):
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
            body = note.add_run(_clean_xml(note_line(citation)))
            body.font.size = Pt(10)
    refs = references(answers)
    if refs:
        doc.add_heading("Bibliography", level=1)
        for ref in refs:
            doc.add_paragraph(_clean_xml(reference_line(ref)), style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


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


def _bib_authors(author: str) -> str:
    """Person names joined by ' and '; anything else kept verbatim as a corporate author."""
    names = [n.strip() for n in re.split(r";|\band\b", author) if n.strip()]
    person = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}$")
    return " and ".join(bib_escape(n) if person.match(n) else "{" + bib_escape(n) + "}" for n in names)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def _bib_keys(refs: Sequence[Reference]) -> list[str]:
    keys: list[str] = []
    for ref in refs:
        who = _slug((ref.author or ref.source or "anon").split()[0]) or "anon"
        year = str(ref.published.year) if ref.published else "nd"
        word = next((w for w in (_slug(w) for w in ref.title.split()) if len(w) > 3), "") or _slug(ref.title)[:12]
        base = f"{who}{year}{word}"
        key, suffix = base, ord("a")
        while key in keys:
            key = f"{base}{chr(suffix)}"
            suffix += 1
        keys.append(key)
    return keys


def bibtex(refs: Sequence[Reference]) -> str:
    """BibLaTeX @online entries (BibTeX-compatible year/month fields included)."""
    entries: list[str] = []
    for key, ref in zip(_bib_keys(refs), refs, strict=True):
        fields: list[tuple[str, str]] = [("title", "{" + bib_escape(ref.title) + "}")]
        if ref.author:
            fields.append(("author", _bib_authors(ref.author)))
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
            item["container-title"] = ref.source
            item["publisher"] = ref.source
        if ref.author:
            item["author"] = [{"literal": n.strip()} for n in re.split(r";|\band\b", ref.author) if n.strip()]
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
