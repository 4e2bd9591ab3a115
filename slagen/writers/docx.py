"""Write a numbered document model as DOCX for legal review and signature.

Takes a :class:`~slagen.model.Document` and gives the bytes of a .docx. The body is
WordprocessingML written here as text in one pass; everything around it (styles, page
setup, numbering definitions, header, footer, properties) comes from the frame of the
reference document (``slagen/resources/reference/``: A4, Arial, only the styles slagen
uses; or ``--reference-doc``), which :mod:`slagen.writers.frame` prepares once per process
with python-docx. Per document nothing is parsed: the body, the list restarts, the review
comments, the header and footer text and the properties are filled into the frame's parts,
which are zipped in one pass. Headings, lists and tables use real Word styles; the header
names the agreement, the footer counts pages with PAGE/NUMPAGES fields. The output is
reproducible: zip entries carry a fixed timestamp and the core properties take the date
passed in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Hashable, Iterator

from slagen import reuse
from slagen.model import Block, Document, Inline, ListBlock, Paragraph, Ref, Table, TermUse, Text, plain_text, shape
from slagen.provenance import answers_xml, custom_properties_xml
from slagen.reference import ReferenceInfo, default_reference
from slagen.writers.frame import Comments, ListNumbering, frame, frame_values
from slagen.writers.package import Deflated, deflate_piece
from slagen.writers.written import WrittenClauses

_CHAR_WIDTH, _CELL_PADDING, _SHORT_COLUMN = 100, 260, 24
"""Approximate width of a character of Table Text (9.5 pt Arial) and of a cell's margins, in twips;
columns whose longest cell has at most _SHORT_COLUMN characters are kept on one line."""
_NOT_NUMBERED = '<w:numPr><w:numId w:val="0"/></w:numPr>'
"""Paragraph property that keeps a heading out of the clause numbering, whatever its style is based on."""
_INDENT = 720
"""Indent of clause text (and body tables) under the clause number, in twips."""


def write_docx(
    document: Document, *, timestamp: dt.datetime, reference: bytes | None = None, review: bool = False
) -> bytes:
    """The DOCX bytes of ``document``; ``timestamp`` becomes the created/modified date.

    With ``review``, each clause heading carries a Word comment naming its library id and
    version (and the library's review note), and each value with a note (a deviation from
    the standard tier) a comment with that note.
    """
    properties = bool(document.properties)
    answers = properties and document.answers_text is not None
    parts = frame(reference or default_reference(), review=review, properties=properties, answers=answers)
    numbering = ListNumbering(parts)
    comments = Comments(parts, timestamp) if review else None
    body = _BodyWriter(document, parts.info, numbering, comments, parts.written).write()
    values: dict[str, bytes | list[bytes | Deflated]] = {}
    values.update(frame_values(document, title=document.title, timestamp=timestamp))
    values.update(body=body, numbering=numbering.xml(), comments=comments.xml() if comments else b"")
    if properties:
        values["properties"] = custom_properties_xml(document.properties)
    if answers and document.answers_text is not None:
        values["answers"] = answers_xml(document.answers_text)
    return parts.fill(values)


class _BodyWriter:
    """Writes the body of the document as WordprocessingML text, block by block."""

    def __init__(
        self,
        document: Document,
        info: ReferenceInfo,
        numbering: ListNumbering,
        comments: Comments | None = None,
        written: WrittenClauses | None = None,
    ) -> None:
        self.document = document
        self.written = written
        self._shape: tuple[Hashable, list[object]] | None = None
        self.labels = document.labels
        self.info = info
        self.ids = info.style_ids
        self.numbering = numbering
        self.comments = comments
        self.out: list[str] = []
        self.pieces: list[bytes | Deflated] = []
        self.bookmarks: dict[str, int] = {}
        self.tracking: str | None = None
        """``ins`` or ``del`` while writing a tracked change (see :mod:`slagen.writers.redline`)."""
        self.change_attributes = ""
        self.next_change = 10_000  # change ids share one space with bookmarks and comments

    def write(self) -> list[bytes | Deflated]:
        """The body in pieces: the contents and the numbered sections deflated on their own (see :meth:`_kept`)."""
        self._cover()
        self._kept("contents", self._contents)
        for block in self.document.front:
            self._block(block, "Parties")
        self._kept("sections", self._sections)
        self._signatures()
        self._cut()
        return self.pieces

    def _cut(self) -> None:
        """What is written so far becomes a piece of the body."""
        if self.out:
            self.pieces.append("".join(self.out).encode())
            self.out.clear()

    def _deflated(self) -> Deflated:
        """What is written since the last cut, deflated as a piece of the body."""
        piece = deflate_piece("".join(self.out).encode())
        self.out.clear()
        return piece

    def _reusing(self) -> bool:
        return self.written is not None and self.comments is None and not self.tracking and reuse.enabled()

    def _kept(self, part: str, write: Callable[[], None]) -> None:
        """Write ``part`` with ``write``, or take it as written for a document of the same shape.

        The key is the document's :func:`~slagen.model.shape`, its labels and the writer's
        state (the next list number, the bookmarks so far); what writing it did to that state (lists
        restarted, bookmarks set) is done again when it is taken.
        """
        self._cut()
        if self.written is None or not self._reusing():
            write()
            self.pieces.append(self._deflated())
            return
        if self._shape is None:
            self._shape = shape(self.document)
        form, held = self._shape
        key = (part, form, tuple(self.labels.items()), self.numbering.next, len(self.bookmarks))
        kept: tuple[Deflated, int, list[tuple[str, int]]] | None = self.written.parts.get(key)
        if kept is None:
            lists, marks = len(self.numbering.out), len(self.bookmarks)
            write()
            piece, added = self._deflated(), list(self.bookmarks.items())[marks:]
            self.written.parts.put(key, (piece, len(self.numbering.out) - lists, added), held)
            self.pieces.append(piece)
            return
        piece, lists, added = kept
        self.pieces.append(piece)
        for _ in range(lists):  # the same lists restart their numbering, with the same ids, as when written
            self.numbering.restart()
        self.bookmarks.update(added)

    def _sections(self) -> None:
        for section in self.document.sections:
            self._heading("Heading 1", section.id, [Text(section.title)])
            for clause in section.clauses:
                note = ""
                if self.comments is not None:
                    note = self.labels["review_clause"].format(id=clause.id, version=clause.version)
                    note += f"\n{clause.review}" if clause.review else ""
                self._heading("Heading 2", clause.id, clause.title, note)
                self._clause_body(clause.blocks)

    def _clause_body(self, blocks: list[Block]) -> None:
        """A clause's blocks; written once per frame when they come again with the same numbers and lists."""
        if self.written is None or not self._reusing():
            self._body_blocks(blocks)
            return
        state = (self.numbering.next, self.labels["quote_open"], self.labels["quote_close"])
        entry, key = self.written.key(blocks, self.document.numbers, state)
        kept: tuple[str, int] | None = entry.written.get(key)
        if kept is None:
            start, lists = len(self.out), len(self.numbering.out)
            self._body_blocks(blocks)
            entry.written.put(key, ("".join(self.out[start:]), len(self.numbering.out) - lists))
            return
        text, lists = kept
        self.out.append(text)
        for _ in range(lists):  # the same lists restart their numbering, with the same ids, as when written
            self.numbering.restart()

    def _body_blocks(self, blocks: list[Block]) -> None:
        for block, following in zip(blocks, [*blocks[1:], None], strict=True):
            # a paragraph that introduces a table or list stays on its page
            self._block(block, "Body Text", keep_next=isinstance(following, (Table, ListBlock)))

    def _cover(self) -> None:
        doc, labels = self.document, self.labels
        self._paragraph("Title", [Text(doc.title)])
        if doc.subtitle and doc.subtitle != doc.title:
            self._paragraph("Subtitle", [Text(doc.subtitle)])
        first, *others = doc.signatories
        self._paragraph("Cover Text", [Text(labels["between"])])
        self._paragraph("Cover Text", [Text(first.name, bold=True)])
        for party in others:
            self._paragraph("Cover Text", [Text(labels["and"])])
            self._paragraph("Cover Text", [Text(party.name, bold=True)])
        self._paragraph("Cover Text", [], extra='<w:spacing w:before="1440"/>')
        self._paragraph("Cover Text", [Text(f"{labels['reference']}: {doc.reference}")])
        self._paragraph("Cover Text", [Text(f"{labels['version']} {doc.version} · {labels['date']}: {doc.date}")])
        self._page_break()

    def _contents(self) -> None:
        """A TOC field whose cached entries are the numbered headings, so it reads right before an update."""
        self._paragraph("TOC Heading", [Text(self.labels["contents"])], extra=_NOT_NUMBERED)
        entries: list[tuple[str, str, list[Inline]]] = []
        for section in self.document.sections:
            entries.append(("toc 1", f"{section.number}.", [Text(section.title)]))
            entries += [("toc 2", clause.number, clause.title) for clause in section.clauses]
        last = len(entries) - 1
        for index, (style, number, title) in enumerate(entries):
            self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/></w:pPr>')
            if index == 0:
                self._field_start('TOC \\o "1-2" \\h \\z \\u')
            self._run(f"{number}\t", False, False)
            self._runs(title, False)
            if index == last:
                self.out.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
            self.out.append("</w:p>")
        self._page_break()

    def _page_break(self) -> None:
        self.out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def _heading(self, style: str, target: str, runs: list[Inline], note: str = "") -> None:
        """A numbered heading (numbers come from the style's list), bookmarked for cross-references."""
        bookmark = len(self.bookmarks)
        self.bookmarks[target] = bookmark
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/></w:pPr>')
        self.out.append(f'<w:bookmarkStart w:id="{bookmark}" w:name="{bookmark_name(target)}"/>')
        with self._commented(note):
            self._runs(runs, False)
        self.out.append(f'<w:bookmarkEnd w:id="{bookmark}"/></w:p>')

    @contextlib.contextmanager
    def _commented(self, note: str) -> Iterator[None]:
        """Anchor a review comment with ``note`` on what is written inside (nothing without --review)."""
        if not note or self.comments is None:
            yield
            return
        comment = self.comments.add(note)
        self.out.append(f'<w:commentRangeStart w:id="{comment}"/>')
        yield
        self.out.append(f'<w:commentRangeEnd w:id="{comment}"/><w:r><w:commentReference w:id="{comment}"/></w:r>')

    def _field_start(self, instruction: str, props: str = "") -> None:
        self.out.append(
            f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{props}<w:instrText xml:space="preserve"> {_escape(instruction)} </w:instrText></w:r>'
            f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
        )

    def _ref(self, run: Ref, bold: bool) -> None:
        """A REF field to the target's heading number (``\\r``), its cached result the current number."""
        props = _run_props(run.bold or bold, run.italic)
        self._field_start(f"REF {bookmark_name(run.target)} \\r \\h", props)
        self.out.append(f"<w:r>{props}{_text_xml(self.document.numbers[run.target])}</w:r>")
        self.out.append(f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>')

    def _block(self, block: Block, style: str, *, keep_next: bool = False) -> None:
        if isinstance(block, Paragraph):
            self._paragraph(style, block.runs, keep_next=keep_next)
        elif isinstance(block, ListBlock):
            self._list(block, 0, self._list_numbering(block))
        else:
            self._table(block)

    def _list_numbering(self, block: ListBlock) -> int:
        return self.numbering.restart() if block.ordered else self.info.bullet_num

    def _list(self, block: ListBlock, level: int, num_id: int) -> None:
        """A list; a nested list of the same kind continues its numbering one level down."""
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            for index, sub in enumerate(item):
                if isinstance(sub, ListBlock):
                    nested = num_id if sub.ordered == block.ordered else self._list_numbering(sub)
                    self._list(sub, level + 1, nested)
                elif isinstance(sub, Paragraph) and index == 0:
                    self._paragraph(style, sub.runs, numbering=(num_id, level))
                else:
                    self._block(sub, "Body Text")

    def _paragraph(
        self,
        style: str,
        runs: list[Inline],
        *,
        numbering: tuple[int, int] | None = None,
        bold: bool = False,
        extra: str = "",
        keep_next: bool = False,
    ) -> None:
        props = f'<w:pStyle w:val="{self.ids[style]}"/>' + ("<w:keepNext/>" if keep_next else "")
        if numbering is not None:
            props += f'<w:numPr><w:ilvl w:val="{numbering[1]}"/><w:numId w:val="{numbering[0]}"/></w:numPr>'
        self.out.append(f"<w:p><w:pPr>{props}{extra}{self._mark()}</w:pPr>")
        self._runs(runs, bold)
        self.out.append("</w:p>")

    def _change(self, kind: str) -> str:
        """Attributes of a new tracked change: a unique id, the author and the date."""
        self.next_change += 1
        return f'<w:{kind} w:id="{self.next_change}" {self.change_attributes}'

    def _mark(self) -> str:
        """The paragraph mark's change (inserted or deleted with the paragraph), if tracking."""
        return f"<w:rPr>{self._change(self.tracking)}/></w:rPr>" if self.tracking else ""

    def _runs(self, runs: list[Inline], bold: bool) -> None:
        for run in runs:
            if isinstance(run, Text):
                if run.note and self.comments is not None:
                    with self._commented(run.note):
                        self._run(run.text, run.bold or bold, run.italic)
                else:
                    self._run(run.text, run.bold or bold, run.italic)
            elif isinstance(run, Ref):
                self._ref(run, bold)
            elif isinstance(run, TermUse):
                if run.defining:
                    self._run(self.labels["quote_open"], bold, False)
                    self._run(run.text, True, False)
                    self._run(self.labels["quote_close"], bold, False)
                else:
                    self._run(run.text, bold, False)

    def _run(self, text: str, bold: bool, italic: bool) -> None:
        if not text:
            return
        if not self.tracking:
            self.out.append(
                _plain_run(text, bold, italic) if len(text) <= _CACHED_RUN else _run_xml(text, bold, italic)
            )
            return
        run = _run_xml(text, bold, italic, deleted=self.tracking == "del")
        self.out.append(f"{self._change(self.tracking)}>{run}</w:{self.tracking}>")

    def _table(self, table: Table) -> None:
        widths = _column_widths([table.header, *table.rows], self.info.text_width - _INDENT)
        self._table_start("SLA Table", widths)
        for index, row in enumerate([table.header, *table.rows]):
            header = index == 0
            self._row_start(header)
            for width, cell in zip(widths, row, strict=False):
                self.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
                self._paragraph("Table Text", cell, bold=header)
                self.out.append("</w:tc>")
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")
        self._paragraph("Body Text", [], extra='<w:spacing w:after="0"/>')

    def _row_start(self, header: bool) -> None:
        props = ("<w:cantSplit/><w:tblHeader/>" if header else "") + (
            f"{self._change(self.tracking)}/>" if self.tracking else ""
        )
        self.out.append(f"<w:tr><w:trPr>{props}</w:trPr>" if props else "<w:tr>")

    def _table_start(self, style: str, widths: list[int]) -> None:
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        self.out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.ids[style]}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        )

    def _signatures(self) -> None:
        labels = self.labels
        self._paragraph("Heading Unnumbered", [Text(labels["signatures"])], extra=_NOT_NUMBERED)
        parties = self.document.signatories
        width = self.info.text_width // len(parties)
        rows = [
            [(labels["for_party"].format(role=p.role), True) for p in parties],
            [(p.name, False) for p in parties],
            [("", False) for _ in parties],
            [(f"{labels['place_date']}: ____________________", False) for _ in parties],
            [("\n\n______________________________", False) for _ in parties],
            [(p.represented_by, False) for p in parties],
        ]
        self._table_start("Signature Table", [width] * len(parties))
        for row in rows:
            self.out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for text, bold in row:
                self.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
                self._paragraph("Signature", [Text(text, bold=bold)], extra="<w:keepNext/>")
                self.out.append("</w:tc>")
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")


@functools.lru_cache(maxsize=1024)
def bookmark_name(target: str) -> str:
    """Word bookmark name for a clause or section id: hidden (``_Ref``), at most 40 characters."""
    name = "_Ref_" + "".join(c if c.isascii() and c.isalnum() else "_" for c in target)
    if len(name) > 40:
        name = "_Ref_" + hashlib.sha1(target.encode(), usedforsecurity=False).hexdigest()[:20]
    return name


_CACHED_RUN = 1000
"""Longest text whose run is kept: most runs repeat in every document of a batch."""


def _run_xml(text: str, bold: bool, italic: bool, *, deleted: bool = False) -> str:
    return f"<w:r>{_run_props(bold, italic)}{_text_xml(text, deleted=deleted)}</w:r>"


@functools.lru_cache(maxsize=4096)
def _plain_run(text: str, bold: bool, italic: bool) -> str:
    return _run_xml(text, bold, italic)


def _run_props(bold: bool, italic: bool) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f"<w:rPr>{props}</w:rPr>" if props else ""


def _text_xml(text: str, *, deleted: bool = False) -> str:
    """Run content for ``text``: escaped ``w:t`` elements, with tabs and line breaks as their own elements.

    Deleted text (in a tracked deletion) is ``w:delText``.
    """
    tag = "w:delText" if deleted else "w:t"
    if "\t" not in text and "\n" not in text:
        return f'<{tag} xml:space="preserve">{_escape(text)}</{tag}>'
    parts = []
    for line_index, line in enumerate(text.split("\n")):
        if line_index:
            parts.append("<w:br/>")
        for tab_index, piece in enumerate(line.split("\t")):
            if tab_index:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<{tag} xml:space="preserve">{_escape(piece)}</{tag}>')
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column_widths(rows: list[list[list[Inline]]], total: int) -> list[int]:
    """Share ``total`` twips between the columns of a table.

    Short columns get what their longest cell needs on one line; long ones share the rest by
    their length, so that a "Target" column does not wrap.
    """
    columns = max(len(row) for row in rows)
    longest = [0] * columns
    for row in rows:
        for index, cell in enumerate(row):
            longest[index] = max(longest[index], len(plain_text(cell)))
    needed = [_CELL_PADDING + _CHAR_WIDTH * length for length in longest]
    short = [index for index, length in enumerate(longest) if length <= _SHORT_COLUMN]
    if len(short) == columns or sum(needed[i] for i in short) > total // 2:
        short = []
    rest = total - sum(needed[i] for i in short)
    weights = {i: max(longest[i], 1) for i in range(columns) if i not in short}
    widths = [needed[i] if i in short else rest * weights[i] // sum(weights.values()) for i in range(columns)]
    widths[-1] += total - sum(widths)
    return widths
