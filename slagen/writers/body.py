"""The body of a DOCX: a numbered document model written as WordprocessingML text, block by block.

Takes a :class:`~slagen.model.Document` and what the writer needs to know of the reference
(:class:`~slagen.writers.reference.ReferenceInfo`) and gives the XML inside ``w:body``, plus
what writing it added to two other parts: the list restarts of ``numbering.xml``
(:class:`ListNumbering`) and the review comments (:class:`Comments`). Headings, lists and
tables use real Word styles; clause numbers come from the heading styles' list,
cross-references are REF fields to bookmarks on the headings, the table of contents a TOC
field with its entries cached. It only reads the model; nothing is kept between documents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from slagen.model import Block, Document, Inline, ListBlock, Paragraph, Ref, Table, TermUse, Text
from slagen.typography import typeset_runs
from slagen.writers.reference import ReferenceInfo
from slagen.writers.signing import signature_rows
from slagen.writers.styles import tabs_xml
from slagen.writers.toc import pageref_xml
from slagen.writers.widths import column_widths
from slagen.writers.wordml import bookmark_name, comment_xml, escape, restart_xml, run_props, run_xml, text_xml, w_date

if TYPE_CHECKING:
    from slagen.memo import Memo

INDENT = 720
"""Indent of clause text (and body tables) under the clause number, in twips."""
_NOT_NUMBERED = '<w:numPr><w:numId w:val="0"/></w:numPr>'
"""Paragraph property that keeps a heading out of the clause numbering, whatever its style is based on."""
_FIRST_CHANGE = 10_000
"""Tracked changes are numbered from here: their ids share one space with bookmarks and comments."""


KEEP_TOGETHER_ROWS = 12
"""Tables of at most this many rows (header included) are kept on one page; longer ones break between rows."""


class ListNumbering:
    """Gives each numbered list its own ``w:num`` so that it starts at 1 (numIds as python-docx picks them)."""

    def __init__(self, taken: frozenset[int], abstract: int) -> None:
        self.first_taken = taken
        self.taken = set(taken)
        self.abstract = abstract
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
    """Review comments for the comments part, numbered from ``first``; the body marks where they apply."""

    def __init__(self, first: int, timestamp: dt.datetime) -> None:
        self.first = first
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


class BodyWriter:
    """Writes the body of one document as WordprocessingML text (:mod:`slagen.writers.redline` builds on it)."""

    def __init__(
        self,
        document: Document,
        info: ReferenceInfo,
        numbering: ListNumbering,
        comments: Comments | None = None,
        memo: Memo | None = None,
    ) -> None:
        self.document = document
        self.memo = memo
        """Gives again what was written for a clause's blocks in the same state (never with comments or tracking)."""
        self.labels = document.labels
        self.info = info
        self.ids = info.style_ids
        self.numbering = numbering
        self.comments = comments
        self.out: list[str] = []
        self.bookmarks: dict[str, int] = {}
        self.tracking: str | None = None
        """``ins`` or ``del`` while writing a tracked change (see :mod:`slagen.writers.redline`)."""
        self.change_attributes = ""
        self.next_change = _FIRST_CHANGE
        self._fixed_state: tuple[object, ...] | None = None

    def write(self) -> bytes:
        """The body: cover, contents, front matter, the numbered sections, signatures."""
        self._cover()
        self._contents()
        for block in self.document.front:
            self._block(block, "Parties")
        self._sections()
        if not self.document.notice:  # only the binding version is signed
            self._signatures()
        return "".join(self.out).encode()

    def _sections(self) -> None:
        for section in self.document.sections:
            self._heading("Heading 1", section.id, [Text(section.title)])
            for clause in section.clauses:
                name = self.labels["review_clause"].format(id=clause.id, version=clause.version)
                note = "\n".join(filter(None, (name, clause.review))) if self.comments else ""
                self._heading("Heading 2", clause.id, clause.title, note)
                self._clause_body(clause.blocks)

    def _clause_body(self, blocks: Sequence[Block]) -> None:
        """A clause's blocks; written once per state when the memo has seen the same blocks."""
        if self.memo is None or self.comments is not None or self.tracking:
            self._body_blocks(blocks)
            return
        numbering = self.numbering
        numbers = tuple(self.document.numbers[ref.target] for ref in self.memo.marks(blocks).refs)
        # what the XML depends on: the reference, the labels, the numbers referred to, the lists' state
        state = (self._fixed(), numbers, numbering.next, numbering.next in numbering.taken)
        written = self.memo.written("docx body", blocks, state, lambda: self._written(blocks))
        xml, restarts, following, assigned = written
        self.out.append(xml)
        numbering.out.extend(restarts)
        numbering.next = following
        numbering.taken.update(assigned)

    def _written(self, blocks: Sequence[Block]) -> tuple[str, tuple[str, ...], int, frozenset[int]]:
        """What writing ``blocks`` now gives, without any effect: the XML and what it did to the lists."""
        out, numbering = self.out, self.numbering
        scratch = ListNumbering(frozenset(numbering.taken), numbering.abstract)
        scratch.next = numbering.next
        self.out, self.numbering = [], scratch
        try:
            self._body_blocks(blocks)
            return "".join(self.out), tuple(scratch.out), scratch.next, frozenset(scratch.taken - numbering.taken)
        finally:
            self.out, self.numbering = out, numbering

    def _fixed(self) -> tuple[object, ...]:
        """What every clause body of this document is written with: reference, first list ids, labels."""
        if self._fixed_state is None:
            info = self.info
            self._fixed_state = (
                tuple(sorted(info.style_ids.items())),
                info.bullet_num,
                info.decimal_abstract,
                info.text_width,
                self.numbering.first_taken,
                tuple(self.labels.items()),
            )
        return self._fixed_state

    def _body_blocks(self, blocks: Sequence[Block]) -> None:
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            # a paragraph that introduces a table or list stays on its page
            self._block(block, "Body Text", keep_next=isinstance(following, (Table, ListBlock)))

    def _cover(self) -> None:
        doc, labels = self.document, self.labels
        self._paragraph("Title", [Text(doc.title)])
        for text, bold in ((doc.subtitle if doc.subtitle != doc.title else "", False), (doc.notice, True)):
            if text:  # the notice of a convenience translation: the cover has no header to carry it
                self._paragraph("Subtitle", [Text(text, bold=bold)])
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
        """A TOC field whose cached entries are the numbered headings, so it reads right before an update.

        Each entry is, as in Word's own TOC, a hyperlink to the heading's bookmark with its number, title,
        a dot-leader tab to the right margin and a PAGEREF field, its cached page filled by the layout
        pass (:mod:`slagen.writers.toc`).
        """
        self._paragraph("TOC Heading", [Text(self.labels["contents"])], extra=_NOT_NUMBERED)
        entries: list[tuple[str, str, str, Sequence[Inline]]] = []
        for section in self.document.sections:
            entries.append(("toc 1", section.id, f"{section.number}.", [Text(section.title)]))
            entries += [("toc 2", clause.id, clause.number, clause.title) for clause in section.clauses]
        last = len(entries) - 1
        for index, (style, target, number, title) in enumerate(entries):
            tabs = tabs_xml(self.info.style_tabs.get(style, ()), right=self.info.text_width, leader="dot")
            self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/>{tabs}</w:pPr>')
            if index == 0:
                self._field_start('TOC \\o "1-2" \\h \\z \\u')
            bookmark = bookmark_name(target)
            self.out.append(f'<w:hyperlink w:anchor="{bookmark}" w:history="1">')
            self._run(f"{number}\t", False, False)
            self._runs(title, False)
            self.out.append(f"<w:r><w:tab/></w:r>{pageref_xml(bookmark)}</w:hyperlink>")
            if index == last:
                self.out.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
            self.out.append("</w:p>")
        self._page_break()

    def _page_break(self) -> None:
        self.out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def _heading(self, style: str, target: str, runs: Sequence[Inline], note: str = "") -> None:
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
            f'<w:r>{props}<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
            f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
        )

    def _ref(self, run: Ref, bold: bool) -> None:
        """A REF field to the target's heading number (``\\r``), its cached result the current number.

        A section's number is written "8." by its list level; the numeric picture ``\\# "0"`` keeps the
        field's result "8" after an update, as cached (a clause's "7.4" needs none and would lose its ".4").
        """
        props = run_props(run.bold or bold, run.italic)
        picture = ' \\# "0"' if any(section.id == run.target for section in self.document.sections) else ""
        self._field_start(f"REF {bookmark_name(run.target)} \\r \\h{picture}", props)
        self.out.append(f"<w:r>{props}{text_xml(self.document.numbers[run.target])}</w:r>")
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
        runs: Sequence[Inline],
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

    def _runs(self, runs: Sequence[Inline], bold: bool) -> None:
        for run in typeset_runs(runs, self.document.language):
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
            self.out.append(run_xml(text, bold, italic))
            return
        run = run_xml(text, bold, italic, deleted=self.tracking == "del")
        self.out.append(f"{self._change(self.tracking)}>{run}</w:{self.tracking}>")

    def _table(self, table: Table) -> None:
        rows = [table.header, *table.rows]
        widths = column_widths(rows, self.info.text_width - INDENT, self.document.language)
        self._table_start("SLA Table", widths)
        together = len(rows) <= KEEP_TOGETHER_ROWS  # a short table stays on one page, with its introduction
        for index, row in enumerate(rows):
            header = index == 0
            keep = (together or header) and index < len(rows) - 1
            self._row_start(header)
            for width, cell in zip(widths, row, strict=False):
                self.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
                self._paragraph("Table Text", cell, bold=header, keep_next=keep)
                self.out.append("</w:tc>")
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")
        self._paragraph("Body Text", [], extra='<w:spacing w:after="0"/>')

    def _row_start(self, header: bool) -> None:
        props = ("<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>") + (
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
        rows = signature_rows(self.document)
        self._table_start("Signature Table", [width] * len(parties))
        for row in rows:
            self.out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for text, bold in row:
                self.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
                self._paragraph("Signature", [Text(text, bold=bold)], extra="<w:keepNext/>")
                self.out.append("</w:tc>")
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")
