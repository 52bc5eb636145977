"""A brief as Markdown, Word or JSON, with the same notes and bibliography as conversation exports."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from briefing.export import (
    Reference,
    _clean_xml,
    _md_bibliography,
    _md_linked,
    human_date,
    md_escape,
    note_line,
    reference_line,
)
from core.models import MARKER
from rag.brief import Brief, BriefItem


def brief_references(brief: Brief) -> list[Reference]:
    """The documents the brief cites, in order of first citation."""
    seen: dict[str, Reference] = {}
    for citation in brief.citations:
        seen.setdefault(citation.doc_id, Reference.from_citation(citation))
    return list(seen.values())


def period(brief: Brief) -> str:
    """'since 1 January 2024 · library as of 1 May 2025', or '' when the whole library was read."""
    parts = []
    if brief.since and brief.until:
        parts.append(f"{human_date(brief.since)} to {human_date(brief.until)}")
    elif brief.since:
        parts.append(f"since {human_date(brief.since)}")
    elif brief.until:
        parts.append(f"until {human_date(brief.until)}")
    if brief.as_of:
        parts.append(f"library as of {human_date(brief.as_of)}")
    return " · ".join(parts)


def dropped_line(brief: Brief) -> str:
    n = brief.dropped
    if not n:
        return "Every sentence above passed the citation check against the passage it cites."
    return f"{n} sentence{'s' if n != 1 else ''} left out because {'their' if n != 1 else 'its'} citation did not hold."


def _md_marked(text: str) -> str:
    """Escaped text whose [n] markers become footnote references."""
    out, pos = [], 0
    for match in MARKER.finditer(text):
        out.append(md_escape(text[pos : match.start()].rstrip()))
        out.append(f"[^{match.group(1)}]")
        pos = match.end()
    out.append(md_escape(text[pos:]))
    return "".join(out)


def _md_item(item: BriefItem) -> str:
    body = _md_marked(item.text)
    return f"- **{md_escape(item.label)}**: {body}" if item.label else f"- {body}"


def brief_markdown(brief: Brief, when: datetime | None = None) -> str:
    """The brief for pasting into a report: sections, footnotes with the quotes, a bibliography."""
    when = when or datetime.now()
    lines = [f"# Brief: {md_escape(brief.topic)}", ""]
    stamp = f"Prepared {human_date(when.date())}, {when:%H:%M}"
    if period(brief):
        stamp += f" · {period(brief)}"
    lines += [f"_{stamp}_", ""]
    lines += [line for note in brief.notes for line in (f"> {md_escape(note)}", "")]
    if not brief.sections:
        lines += ["_The library holds nothing on this topic._", ""]
    for section in brief.sections:
        lines += [f"## {section.title}", ""]
        if section.kind == "summary":
            lines += [" ".join(_md_marked(i.text) for i in section.items), ""]
        else:
            lines += [*(_md_item(i) for i in section.items), ""]
    if brief.citations:
        lines += [f"[^{c.n}]: {_md_linked(note_line(c), c.url)}" for c in brief.citations]
        lines.append("")
    lines += _md_bibliography(brief_references(brief), "## Sources")
    lines += ["", f"_{dropped_line(brief)}_"]
    return "\n".join(lines).rstrip() + "\n"


def brief_docx(brief: Brief, when: datetime | None = None) -> bytes:
    """The brief as a .docx: sections, superscript note numbers, notes, sources."""
    import docx
    from docx.shared import Pt

    when = when or datetime.now()
    doc = docx.Document()
    title = f"Brief: {brief.topic}"
    doc.core_properties.title = _clean_xml(title)[:255]
    doc.core_properties.author = ""
    doc.core_properties.created = when
    doc.add_heading(_clean_xml(title), level=0)
    stamp = f"Prepared {human_date(when.date())}, {when:%H:%M}" + (f" · {period(brief)}" if period(brief) else "")
    doc.add_paragraph(stamp).runs[0].italic = True
    for said in brief.notes:
        doc.add_paragraph(_clean_xml(said)).runs[0].italic = True

    def add_marked(paragraph: Any, text: str) -> None:
        pos = 0
        for match in MARKER.finditer(text):
            paragraph.add_run(_clean_xml(text[pos : match.start()].rstrip()))
            paragraph.add_run(match.group(1)).font.superscript = True
            pos = match.end()
        paragraph.add_run(_clean_xml(text[pos:]))

    for section in brief.sections:
        doc.add_heading(section.title, level=1)
        if section.kind == "summary":
            add_marked(doc.add_paragraph(), " ".join(i.text for i in section.items))
            continue
        for item in section.items:
            paragraph = doc.add_paragraph(style="List Bullet")
            if item.label:
                paragraph.add_run(_clean_xml(item.label) + ": ").bold = True
            add_marked(paragraph, item.text)
    if brief.citations:
        doc.add_heading("Notes", level=1)
        for citation in brief.citations:
            note = doc.add_paragraph()
            note.add_run(f"{citation.n}. ").bold = True
            note.add_run(_clean_xml(note_line(citation))).font.size = Pt(10)
    refs = brief_references(brief)
    if refs:
        doc.add_heading("Sources", level=1)
        for ref in refs:
            doc.add_paragraph(_clean_xml(reference_line(ref)), style="List Bullet")
    doc.add_paragraph(dropped_line(brief)).runs[0].italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def brief_dict(brief: Brief) -> dict[str, Any]:
    """JSON-ready form: sections, citations (with quotes and offsets), sources, and the dropped count."""
    data = asdict(brief)
    for key in ("since", "until", "as_of"):
        data[key] = data[key].isoformat() if data[key] else None
    data["sources"] = [
        {
            **asdict(ref),
            "published": ref.published.isoformat() if ref.published else None,
            "accessed": None,
            "line": reference_line(ref),
        }
        for ref in brief_references(brief)
    ]
    return data


def brief_json(brief: Brief) -> str:
    return json.dumps(brief_dict(brief), indent=2, ensure_ascii=False)
