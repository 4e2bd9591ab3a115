"""Write a redline: the whole new contract with every change from the old one, as DOCX or Markdown.

The DOCX: both versions' bodies are written by the contract's own writer
(:class:`~slagen.writers.body.BodyWriter`, on one frame and one list numbering), compared block by
block and word by word (:func:`slagen.redline.compare_bodies`), and the result, whose changes are
real Word revisions (author "slagen", dated, ids unique), goes into the frame with the new version's
header and footer, the provenance of both versions as custom properties and track changes switched on.
A summary (:mod:`slagen.redline_summary`) comes first, in a content control of its own tagged
``slagen-redline-summary``, outside the contract's text: accepting every change gives the new
contract, rejecting every change the old one, the summary aside.

The Markdown: both versions' Markdown compared line by line and word by word, in CriticMarkup
(``{++inserted++}``, ``{--deleted--}``), after the summary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from lxml import etree
from msgspec.structs import replace

from slagen.model import Document, Text
from slagen.provenance import custom_properties_xml
from slagen.redline import compare_bodies, grouped_edit, word_atoms
from slagen.redline_summary import SUMMARY_TAG, Summary
from slagen.writers.body import BodyWriter, ListNumbering
from slagen.writers.frame import Frame, frame_values, make_frame
from slagen.writers.reference import default_reference
from slagen.writers.tracked import number_ids, serialize
from slagen.writers.wordml import escape, get_or_add, w_date

_SETTINGS = "word/settings.xml"
_SECTION = re.compile(r"<w:sectPr\b.*?</w:sectPr>", re.S)
_HEADER_FOOTER = re.compile(r"<w:(?:headerReference|footerReference|titlePg)\b[^>]*/>")


def write_redline_docx(
    old: Document,
    new: Document,
    summary: Summary,
    properties: Mapping[str, str],
    *,
    timestamp: dt.datetime,
    reference: bytes | None = None,
) -> bytes:
    """A DOCX of ``new`` with every change from ``old`` as a tracked revision, ``summary`` first."""
    frame = _tracking(make_frame(reference or default_reference(), review=False, properties=True, answers=False))
    numbering = ListNumbering(frame.num_ids, frame.info.decimal_abstract)
    before = BodyWriter(old, frame.info, numbering).write()
    after = BodyWriter(new, frame.info, numbering).write()
    blocks = compare_bodies(before, after)
    number_ids(blocks, {"author": "slagen", "date": w_date(timestamp)})
    body = _summary_xml(new, frame, numbering, summary) + serialize(blocks)
    title = f"{new.title} ({new.labels['redline']})"
    values = frame_values(new, title=title, timestamp=timestamp, header_chars=frame.info.header_chars)
    values.update(body=body.encode(), numbering=numbering.xml(), properties=custom_properties_xml(dict(properties)))
    return frame.fill(values, date=timestamp)


def _summary_xml(document: Document, frame: Frame, numbering: ListNumbering, summary: Summary) -> str:
    """The summary as a content control (tagged :data:`SUMMARY_TAG`) ending with a page break."""
    writer = BodyWriter(document, frame.info, numbering)
    unnumbered = '<w:numPr><w:numId w:val="0"/></w:numPr>'
    writer.paragraph("Heading Unnumbered", [Text(summary.title)], extra=unnumbered)
    for kind, text in summary.lines:
        if kind == "heading":
            writer.paragraph("Heading Unnumbered", [Text(text)], extra=unnumbered, keep_next=True)
        elif kind == "item":
            writer.paragraph("List Bullet", [Text(text)], numbering=(frame.info.bullet_num, 0))
        else:
            writer.paragraph("Body Text", [Text(text)])
    writer.out.append(f"<w:p><w:pPr>{_summary_section(frame)}</w:pPr></w:p>")
    alias = escape(summary.title).replace('"', "&quot;")
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{SUMMARY_TAG}"/></w:sdtPr>'
        f"<w:sdtContent>{''.join(writer.out)}</w:sdtContent></w:sdt>"
    )


def _summary_section(frame: Frame) -> str:
    """The section break after the summary: the contract's page, no header or footer, so the cover stays bare."""
    for name, pieces in frame.parts:
        if name == "word/document.xml":
            xml = b"".join(piece for piece in pieces if isinstance(piece, bytes)).decode()
            found = _SECTION.search(xml)
            if found:
                return _HEADER_FOOTER.sub("", found.group(0))
    return ""


def _tracking(frame: Frame) -> Frame:
    """The frame with track changes switched on (``w:trackRevisions`` in the settings): edits are tracked too."""
    parts = []
    for name, pieces in frame.parts:
        if name == _SETTINGS and len(pieces) == 1 and isinstance(pieces[0], bytes):
            root = etree.fromstring(pieces[0], etree.XMLParser(resolve_entities=False, no_network=True))
            get_or_add(root, "w:trackRevisions")
            pieces = (etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),)
        parts.append((name, pieces))
    return replace(frame, parts=tuple(parts))


_PREFIX = re.compile(r"^(#+ |\s*(?:[-*] |\d+\. )|> )?")
_HEADING = re.compile(r"^#+ [\d.]+ ")
"""A heading's number: headings are matched by their text, a renumbered one is changed in its number only."""


def write_redline_markdown(old: str, new: str, summary: Summary) -> str:
    """The new Markdown with every change from the old one in CriticMarkup, after the summary."""
    from difflib import SequenceMatcher

    out = [f"<!-- {SUMMARY_TAG} -->", "", f"## {summary.title}", ""]
    for kind, text in summary.lines:
        text = summary.markdown_note if kind == "note" and summary.markdown_note else text
        out += [f"### {text}" if kind == "heading" else f"- {text}" if kind == "item" else text, ""]
    out += [f"<!-- /{SUMMARY_TAG} -->", "", "---", ""]
    before, after = old.splitlines(), new.splitlines()
    matcher = SequenceMatcher(
        None, [_HEADING.sub("#", a) for a in before], [_HEADING.sub("#", b) for b in after], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":  # the same but for a heading's number
            for a, b in zip(before[i1:i2], after[j1:j2], strict=True):
                out += [b] if a == b else _changed_line(a, b)
            continue
        pairs = min(i2 - i1, j2 - j1)
        for a, b in zip(before[i1 : i1 + pairs], after[j1 : j1 + pairs], strict=True):
            out += _changed_line(a, b)
        out += [_whole_line(line, "--") for line in before[i1 + pairs : i2]]
        out += [_whole_line(line, "++") for line in after[j1 + pairs : j2]]
    return "\n".join(out).rstrip("\n") + "\n"


def _whole_line(line: str, mark: str) -> str:
    """A line deleted or inserted whole; its Markdown prefix (heading, list item) and table cells kept as such."""
    if line.startswith("|"):
        cells = line.strip("|").split("|")
        if all(set(cell.strip()) <= set("-:") for cell in cells):
            return line
        return "|" + "|".join(f" {{{mark}{cell.strip()}{mark}}} " if cell.strip() else cell for cell in cells) + "|"
    prefix = _PREFIX.match(line)
    head = prefix.group(0) if prefix else ""
    rest = line[len(head) :]
    return f"{head}{{{mark}{rest}{mark}}}" if rest else line


def _changed_line(old: str, new: str) -> list[str]:
    """A line changed word by word, grouped as in the DOCX.

    A line that changed for the most part, or a table row that became another kind of line, is the old line
    deleted and the new one inserted (two table rows stay together, other lines are two paragraphs).
    """
    segments = grouped_edit(word_atoms(old), word_atoms(new))
    if old.startswith("|") != new.startswith("|") or (len(segments) == 1 and segments[0][0] == "change"):
        if not old or not new:
            return [new or old]
        rows = old.startswith("|") and new.startswith("|")
        return [_whole_line(old, "--"), *([] if rows else [""]), _whole_line(new, "++")]
    pieces = []
    for op, gone, came in segments:
        before, after = "".join(a.text for a in gone), "".join(a.text for a in came)
        if op == "equal":
            pieces.append(after)
        else:
            pieces.append((f"{{--{before}--}}" if before else "") + (f"{{++{after}++}}" if after else ""))
    return ["".join(pieces)]
