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
import functools
from collections.abc import Hashable, Iterator, Sequence
from typing import TYPE_CHECKING

from slagen.model import Block, Document, Inline, ListBlock, Paragraph, Ref, Section, Table, TermUse, Text
from slagen.typography import typeset, typeset_runs
from slagen.writers import reuse
from slagen.writers.hyphens import hyphenated
from slagen.writers.lists import Comments as Comments  # re-exported: docx and redline import them from here
from slagen.writers.lists import ListNumbering as ListNumbering
from slagen.writers.lists import short_list, short_nested
from slagen.writers.reference import ReferenceInfo
from slagen.writers.styles import tabs_xml
from slagen.writers.toc import contents_entries, pageref_xml
from slagen.writers.widths import column_widths
from slagen.writers.wordml import bookmark_name, escape, run_props, run_xml, text_xml

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
        self.fixed_state: tuple[Hashable, ...] | None = None
        self.document_state: tuple[Hashable, ...] | None = None
        """What parts of the body are written with, found once (:mod:`slagen.writers.reuse`)."""
        self.break_before = False
        """The next paragraph starts a page (``w:pageBreakBefore``, no empty paragraph that holds a break)."""
        self.plain_refs = {target for target in document.numbers if "#" in target} | {
            clause.id for section in document.sections if section.annex for clause in section.clauses
        }
        """References that show their bookmark's text ("Anlage 4", a paragraph's number), not a heading number."""
        self.section_ids = frozenset(section.id for section in document.sections)
        """A reference to a section is written with a numeric picture (:meth:`_ref`), one to a clause without."""
        self.clause = ""  # the id of the clause being written

    def write(self) -> bytes:
        """The body: cover, contents, front matter, the numbered sections, annexes, signatures.

        Under English law the execution page comes before the schedules, under German law after the annexes:
        the signature then covers everything above it (written form, § 126 BGB).
        """
        from slagen.writers.pages import parties_alignment, split_cover, write_cover, write_signatures

        write_cover(self)
        self._contents()
        self.break_before = True
        for block in split_cover(self.document)[1]:
            self._block(block, "Parties", extra=parties_alignment(self.document))
        self._sections(annexes=False)
        signed = not self.document.notice  # only the binding version is signed
        if signed and self.document.english_execution:
            write_signatures(self)
        self._sections(annexes=True)
        if signed and not self.document.english_execution:
            write_signatures(self)
        return "".join(self.out).encode()

    def _sections(self, *, annexes: bool) -> None:
        for section in self.document.sections:
            if section.annex == annexes:  # given again by the memo where it can (:mod:`slagen.writers.reuse`)
                reuse.section(self, section, functools.partial(self._section, section))

    def _section(self, section: Section) -> None:
        if not section.annex:
            self._heading("Heading 1", section.id, [Text(section.title)])
        for clause in section.clauses:
            self.clause = clause.id
            name = self.labels["review_clause"].format(id=clause.id, version=clause.version)
            note = "\n".join(filter(None, (name, clause.review))) if self.comments else ""
            if section.annex:  # "Anlage 4 – Kennzahlen" on a new page; the bookmark holds "Anlage 4"
                self.break_before = True
                self._heading("Heading 1", clause.id, clause.title, note, label=self.document.numbers[clause.id])
            else:
                self._heading("Heading 2", clause.id, clause.title, note)
            reuse.clause_body(self, clause.blocks, functools.partial(self._body_blocks, clause.blocks))

    def _body_blocks(self, blocks: Sequence[Block]) -> None:
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            # a paragraph that introduces a table or list stays on its page
            self._block(block, "Body Text", keep_next=isinstance(following, (Table, ListBlock)))

    def _contents(self) -> None:
        entries = contents_entries(self.document)
        reuse.contents(self, entries, functools.partial(self._write_contents, entries))

    def _write_contents(self, entries: Sequence[tuple[str, str, str, Sequence[Inline]]]) -> None:
        """A TOC field whose cached entries are the numbered headings, so it reads right before an update.

        Each entry is, as in Word's own TOC, a hyperlink to the heading's bookmark with its number, title,
        a dot-leader tab to the right margin and a PAGEREF field, its cached page filled by the layout
        pass (:mod:`slagen.writers.toc`).
        """
        self._paragraph("TOC Heading", [Text(self.labels["contents"])], extra=_NOT_NUMBERED)
        last = len(entries) - 1
        for index, (style, target, number, title) in enumerate(entries):
            tabs = tabs_xml(self.info.style_tabs.get(style, ()), right=self.info.text_width, leader="dot")
            self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/>{tabs}</w:pPr>')
            if index == 0:
                self._field_start('TOC \\o "1-2" \\h \\z \\u')
            bookmark = bookmark_name(target)
            self.out.append(f'<w:hyperlink w:anchor="{bookmark}" w:history="1">')
            self._run(number, False, False)
            self._runs(title, False)
            self.out.append(f"<w:r><w:tab/></w:r>{pageref_xml(bookmark)}</w:hyperlink>")
            if index == last:
                self.out.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
            self.out.append("</w:p>")
        self.break_before = True

    def _heading(self, style: str, target: str, runs: Sequence[Inline], note: str = "", *, label: str = "") -> None:
        """A numbered heading (numbers come from the style's list), bookmarked for cross-references.

        With ``label`` (an annex: "Anlage 4") the heading is not numbered; it opens with the label, which the
        bookmark holds, so that a reference shows "Anlage 4".
        """
        bookmark = len(self.bookmarks)
        self.bookmarks[target] = bookmark
        props = f'<w:pStyle w:val="{self.ids[style]}"/>' + self._break()
        if label:
            props += _NOT_NUMBERED + '<w:ind w:left="0" w:firstLine="0"/>'
        self.out.append(f"<w:p><w:pPr>{props}</w:pPr>")
        self.out.append(f'<w:bookmarkStart w:id="{bookmark}" w:name="{bookmark_name(target)}"/>')
        with self._commented(note):
            if label:
                self._run(label, False, False)
                self.out.append(f'<w:bookmarkEnd w:id="{bookmark}"/>')
                self._run(" – ", False, False)
            self._runs(runs, False)
        if not label:
            self.out.append(f'<w:bookmarkEnd w:id="{bookmark}"/>')
        self.out.append("</w:p>")

    def _break(self) -> str:
        """``w:pageBreakBefore`` if this paragraph starts a page (then no longer)."""
        if not self.break_before:
            return ""
        self.break_before = False
        return "<w:pageBreakBefore/>"

    @contextlib.contextmanager
    def _commented(self, note: str) -> Iterator[None]:
        """Anchor a review comment with ``note`` on what is written inside (nothing without --review)."""
        if not note or self.comments is None:
            yield
            return
        comment = self.comments.add(typeset(note, self.document.language))  # quotes as in the text
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
        section = run.target in self.section_ids
        switch = "" if run.target in self.plain_refs else " \\r"
        picture = ' \\# "0"' if section and switch else ""
        self._field_start(f"REF {bookmark_name(run.target)}{switch} \\h{picture}", props)
        self.out.append(f"<w:r>{props}{text_xml(self.document.numbers[run.target])}</w:r>")
        self.out.append(f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>')

    def _block(self, block: Block, style: str, *, keep_next: bool = False, extra: str = "") -> None:
        if isinstance(block, Paragraph):
            self._paragraph(style, block.runs, keep_next=keep_next, lead=self._paragraph_number(block), extra=extra)
        elif isinstance(block, ListBlock):
            self._list(block, 0, self._list_numbering(block), together=short_list(block))
        else:
            self._table(block)

    def _paragraph_number(self, block: Paragraph) -> str:
        """The "(2) " before a numbered paragraph; the bookmark of an anchored one holds the "2"."""
        if not block.number:
            return ""
        number = run_xml(block.number, False, False)
        if block.anchor:
            target = f"{self.clause}#{block.anchor}"
            bookmark = len(self.bookmarks)
            self.bookmarks[target] = bookmark
            name = bookmark_name(target)
            number = f'<w:bookmarkStart w:id="{bookmark}" w:name="{name}"/>{number}<w:bookmarkEnd w:id="{bookmark}"/>'
        return run_xml("(", False, False) + number + run_xml(")\u00a0", False, False)

    def _list_numbering(self, block: ListBlock) -> int:
        return self.numbering.restart() if block.ordered else self.info.bullet_num

    def _list(self, block: ListBlock, level: int, num_id: int, *, together: bool = False) -> None:
        """A list; a nested list of the same kind continues its numbering one level down.

        An item with a short nested list, and a ``together`` list, stay on one page (:mod:`slagen.writers.lists`).
        """
        style, last = "List Number" if block.ordered else "List Bullet", len(block.items) - 1
        for position, item in enumerate(block.items):
            whole = short_nested(item)
            for index, sub in enumerate(item):
                if isinstance(sub, ListBlock):
                    nested = num_id if sub.ordered == block.ordered else self._list_numbering(sub)
                    self._list(sub, level + 1, nested, together=whole)
                elif isinstance(sub, Paragraph) and index == 0:  # kept: the item's lines but the last
                    keep = whole or (together and position < last)
                    self._paragraph(style, sub.runs, numbering=(num_id, level), keep_next=keep)
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
        lead: str = "",
    ) -> None:
        props = f'<w:pStyle w:val="{self.ids[style]}"/>' + ("<w:keepNext/>" if keep_next else "") + self._break()
        if numbering is not None:
            props += f'<w:numPr><w:ilvl w:val="{numbering[1]}"/><w:numId w:val="{numbering[0]}"/></w:numPr>'
        self.out.append(f"<w:p><w:pPr>{props}{extra}{self._mark()}</w:pPr>{lead}")
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
                    self._run(run.text, bold or run.bold, False)

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
        merges = _group_merges(rows)
        for index, row in enumerate(rows):
            header = index == 0
            keep = (together or header) and index < len(rows) - 1
            self._row_start(header)
            for column, (width, cell) in enumerate(zip(widths, row, strict=False)):
                merge = merges[index] if column == 0 else ""
                self.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}</w:tcPr>')
                self._paragraph("Table Text", hyphenated(cell, self.document.language), bold=header, keep_next=keep)
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

    # what the cover and the signature page (:mod:`slagen.writers.pages`) write through
    paragraph = _paragraph
    block = _block
    table_start = _table_start


def _group_merges(rows: Sequence[Sequence[Sequence[Inline]]]) -> list[str]:
    """Per row, the ``w:vMerge`` of its first cell: an empty one continues the group of the row above.

    A table that groups rows ("Priorität 1" over response time, restore time and clock) leaves the first cell
    of the further rows empty; in the DOCX those cells merge with the group's first (m7 of the visual review).
    """
    merges = [""] * len(rows)
    filled = [any(not isinstance(r, Text) or r.text.strip() for r in row[0]) if row else True for row in rows]
    for index in range(2, len(rows)):  # body rows after the first: the header never starts a group
        if not filled[index] and (filled[index - 1] or merges[index - 1]):
            merges[index] = "<w:vMerge/>"
            if filled[index - 1]:
                merges[index - 1] = '<w:vMerge w:val="restart"/>'
    return merges
