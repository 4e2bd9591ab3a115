"""The frame of a DOCX: every part but the contract's own text, prepared once per reference.

python-docx opens the reference document once per process (and per kind of document: with
or without review comments and provenance) and does there what every document needs: the
header and footer parts, a different first page, the core properties, the comments part, the
provenance parts. Each place whose content differs between documents gets a marker: the
body, the text of the header and footer, the list restarts in ``numbering.xml``, the
comments, the values of the core properties and the provenance parts. The package is then
serialized and split at the markers (the parts without one, and the fixed pieces between the
markers, are deflated there and then). A document is these parts with its values spliced in,
zipped in one pass, with no XML parsed and no python-docx object made per document.

Each marker is found by the exact XML this module writes for its content (a run, a list
restart, a comment), so every part is byte for byte what python-docx would save, and a
python-docx that serializes differently fails here, loudly, instead of changing them.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from slagen.errors import InputError
from slagen.model import Document
from slagen.provenance import add_provenance_parts
from slagen.reference import ReferenceInfo, reference_info
from slagen.writers.package import (
    Deflated,
    Entry,
    deflate,
    deflate_piece,
    deflate_pieces,
    package_parts,
    zip_entries,
)
from slagen.writers.written import WrittenClauses

_MARK_DATE = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
"""Stands for the document's date in the core properties and comments while the frame is made."""
_CORE_VALUES = ("title", "subject", "identifier", "language")

Pieces = tuple[Deflated | str, ...]
"""A part's bytes, split at its markers: fixed bytes (deflated once) and the names of the values filled in."""


def w_date(timestamp: dt.datetime) -> str:
    """A date as WordprocessingML writes it on comments, revisions and core properties."""
    return timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def xml_text(text: str) -> str:
    """``text`` escaped for an XML element's content, as lxml escapes it."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


def run_xml(text: str) -> str:
    """A plain run of ``text``, as python-docx's ``add_run`` writes it (tabs and line breaks as elements)."""
    if not text:
        return "<w:r/>"
    out = ["<w:r>"]
    for piece in re.split(r"(\t|\r|\n)", text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{xml_text(piece)}</w:t>")
    out.append("</w:r>")
    return "".join(out)


def field_xml(instruction: str) -> str:
    """A simple field (``PAGE``, ``NUMPAGES``) whose cached result is 1."""
    return f'<w:fldSimple w:instr=" {instruction} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'


def comment_xml(comment_id: int, text: str, date: str) -> str:
    """A review comment by slagen, each line of ``text`` a paragraph, as python-docx's ``add_comment`` writes it."""
    first, *others = text.split("\n")
    style = '<w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
    mark = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
    lines = "".join(f"<w:p>{style}{run_xml(line) if line else ''}</w:p>" for line in others)
    return (
        f'<w:comment w:id="{comment_id}" w:author="slagen" w:initials="SG" w:date="{date}">'
        f"<w:p>{style}{mark}{run_xml(first)}</w:p>{lines}</w:comment>"
    )


def restart_xml(num_id: int, abstract: int) -> str:
    """A ``w:num`` of the list definition ``abstract`` that starts again at 1."""
    return (
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )


@dataclass(frozen=True, slots=True)
class Frame:
    """A reference's parts, split at the markers, and what the body writer needs to know of it."""

    info: ReferenceInfo
    parts: tuple[Entry | tuple[str, Pieces], ...]
    """The parts in order: deflated once when they are the same in every document, else split at their markers."""
    num_ids: frozenset[int]
    """The ``numId`` values the reference's numbering already has."""
    first_comment: int
    """The id of the first review comment."""
    written: WrittenClauses = field(default_factory=WrittenClauses, compare=False)
    """Clause bodies written on this frame, kept for the documents that bring them again."""

    def fill(self, values: Mapping[str, bytes | list[bytes | Deflated]]) -> bytes:
        """The DOCX with ``values`` (by marker name) in place of the markers.

        A value may be a list of pieces, some of them deflated already (the body, whose numbered
        sections come again from document to document): its part is deflated piece by piece.
        """
        return zip_entries(part if isinstance(part, Entry) else _deflated(*part, values) for part in self.parts)


class ListNumbering:
    """Gives each numbered list its own ``w:num`` so that it starts at 1 (numIds as python-docx picks them)."""

    def __init__(self, frame: Frame) -> None:
        self.taken = set(frame.num_ids)
        self.abstract = frame.info.decimal_abstract
        self.next = 1
        self.out: list[str] = []

    def restart(self) -> int:
        """The ``numId`` of a new list that starts at 1."""
        while self.next in self.taken:
            self.next += 1
        self.taken.add(self.next)
        self.out.append(restart_xml(self.next, self.abstract))
        return self.next

    def xml(self) -> bytes:
        """The new ``w:num`` elements."""
        return "".join(self.out).encode()


class Comments:
    """Review comments for the comments part; the body marks where they apply."""

    def __init__(self, frame: Frame, timestamp: dt.datetime) -> None:
        self.first = frame.first_comment
        self.date = w_date(timestamp)
        self.out: list[str] = []

    def add(self, text: str) -> int:
        """The id of a new comment saying ``text``."""
        comment_id = self.first + len(self.out)
        self.out.append(comment_xml(comment_id, text, self.date))
        return comment_id

    def xml(self) -> bytes:
        """The ``w:comment`` elements."""
        return "".join(self.out).encode()


def frame_values(document: Document, *, title: str, timestamp: dt.datetime) -> dict[str, bytes]:
    """The header, footer and core properties of ``document``: title and reference, page X of Y, the facts."""
    labels = document.labels
    before, _, rest = labels["page"].partition("{page}")
    middle, _, after = rest.partition("{pages}")
    footer = run_xml(before) + field_xml("PAGE") + run_xml(middle) + field_xml("NUMPAGES")
    footer += run_xml(after) if after else ""
    core = (title, document.subtitle, document.reference, document.locale.replace("_", "-"))
    return {
        "header": run_xml(f"{document.title}\t{labels['reference']}: {document.reference}").encode(),
        "footer": footer.encode(),
        "date": w_date(timestamp).encode(),
        **{name: xml_text(value).encode() for name, value in zip(_CORE_VALUES, core, strict=True)},
    }


def _mark(name: str) -> str:
    return f"SLAGEN-MARK-{name}"


@functools.lru_cache(maxsize=16)
def frame(reference: bytes, *, review: bool, properties: bool, answers: bool) -> Frame:
    """The frame of documents on ``reference``, with a comments part (``review``) and provenance parts."""
    info = reference_info(reference)
    target = docx.Document(io.BytesIO(reference))
    markers: dict[str, str] = {}  # exact XML → name of the value in its place
    first_comment = 0
    if review:
        text = f"{_mark('comments')}\n\n {_mark('comments')} "  # a marker that shows every way of writing a line
        comment = target.comments.add_comment(text=text, author="slagen", initials="SG")
        comment._comment_elm.set(qn("w:date"), w_date(_MARK_DATE))  # python-docx stamps the current time
        first_comment = int(comment.comment_id)
        markers[comment_xml(first_comment, text, w_date(_MARK_DATE))] = "comments"
    numbering = target.part.numbering_part.element
    num_ids = frozenset(int(num_id) for num_id in numbering.xpath("./w:num/@w:numId"))
    num = numbering.add_num(info.decimal_abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    markers[restart_xml(int(num.numId), info.decimal_abstract)] = "numbering"
    body = f"<w:p>{run_xml(_mark('body'))}</w:p>"
    markers[body] = "body"
    _fill_body(target, body)
    markers.update(_header_footer(target, info.style_ids))
    _core_properties(target)
    markers.update({_mark(name): name for name in _CORE_VALUES})
    markers[w_date(_MARK_DATE)] = "date"
    if properties:
        answers_part = _mark("answers").encode() if answers else None
        add_provenance_parts(target.part.package, _mark("properties").encode(), answers_part)
        markers[_mark("properties")] = "properties"
        if answers:
            markers[_mark("answers")] = "answers"
    parts, found = _split(package_parts(target), markers)
    missing = sorted(set(markers.values()) - found)
    if missing:
        raise InputError.single(f"the reference document cannot be used: its {', '.join(missing)} could not be placed")
    return Frame(info, parts, num_ids, first_comment)


def _deflated(name: str, pieces: Pieces, values: Mapping[str, bytes | list[bytes | Deflated]]) -> Entry:
    """A part with its values filled in: its fixed pieces come deflated, the values are packed now."""
    return deflate_pieces(name, _flat(pieces, values))


def _flat(pieces: Pieces, values: Mapping[str, bytes | list[bytes | Deflated]]) -> Iterator[bytes | Deflated]:
    for piece in pieces:
        if isinstance(piece, Deflated):
            yield piece
            continue
        value = values[piece]
        if isinstance(value, bytes):
            yield value
        else:
            yield from value


def _split(
    parts: list[tuple[str, bytes]], markers: dict[str, str]
) -> tuple[tuple[Entry | tuple[str, Pieces], ...], set[str]]:
    """Every part split at the markers (longest first), or deflated if it has none; and the markers found."""
    pattern = re.compile(b"|".join(re.escape(marker.encode()) for marker in sorted(markers, key=len, reverse=True)))
    found: set[str] = set()
    result: list[Entry | tuple[str, Pieces]] = []
    for name, blob in parts:
        pieces: list[Deflated | str] = []
        position = 0
        for match in pattern.finditer(blob):
            if match.start() > position:
                pieces.append(deflate_piece(blob[position : match.start()]))
            slot = markers[match.group().decode()]
            pieces.append(slot)
            found.add(slot)
            position = match.end()
        if position < len(blob):
            pieces.append(deflate_piece(blob[position:]))
        result.append((name, tuple(pieces)) if position else deflate(name, blob))
    return tuple(result), found


def _fill_body(target: DocxDocument, xml: str) -> None:
    """Replace the reference's empty body with ``xml``, keeping its section properties (page, margins)."""
    body = target.element.body
    section = body.sectPr
    section_xml = etree.tostring(section, encoding="unicode") if section is not None else ""
    target.element.replace(body, parse_xml(f"<w:body {nsdecls('w', 'r')}>{xml}{section_xml}</w:body>"))


def _header_footer(target: DocxDocument, ids: dict[str, str]) -> dict[str, str]:
    """Header and footer (none on the cover page) with markers for their text.

    A header or footer that the reference document already fills is kept as it is.
    """
    markers = {}
    section = target.sections[0]
    section.different_first_page_header_footer = True
    for name, part, style in (("header", section.header, "Header"), ("footer", section.footer, "Footer")):
        if _has_text(part):
            continue
        paragraph = part.paragraphs[0]
        paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = ids[style]
        paragraph.add_run(_mark(name))
        markers[run_xml(_mark(name))] = name
    return markers


def _has_text(part: Any) -> bool:
    return not part.is_linked_to_previous and any(p.text.strip() for p in part.paragraphs)


def _core_properties(target: DocxDocument) -> None:
    props = target.core_properties
    props.title = _mark("title")
    props.subject = _mark("subject")
    props.identifier = _mark("identifier")
    props.language = _mark("language")
    props.author = props.last_modified_by = "slagen"
    props.created = props.modified = _MARK_DATE
    props.revision = 1
