"""Write a numbered document model as DOCX for legal review and signature.

Takes a :class:`~slagen.model.Document` and gives the bytes of a .docx built with
python-docx on a slim reference document (``slagen/resources/reference/``: A4, Arial,
only the styles slagen uses). Headings, lists and tables use real Word styles; the header
names the agreement, the footer counts pages with PAGE/NUMPAGES fields. The output is
reproducible: zip entries carry a fixed timestamp and the core properties take the date
passed in, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from slagen.model import Block, Document, Inline, ListBlock, Paragraph, Ref, Table, TermUse, Text

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "resources" / "reference"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@functools.lru_cache(maxsize=1)
def default_reference() -> bytes:
    """The bundled reference document, zipped once per process from its XML parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(REFERENCE_DIR.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(path.relative_to(REFERENCE_DIR).as_posix(), _ZIP_DATE)
                archive.writestr(entry, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_docx(document: Document, *, timestamp: dt.datetime, reference: bytes | None = None) -> bytes:
    """The DOCX bytes of ``document``; ``timestamp`` becomes the created/modified date."""
    target = docx.Document(io.BytesIO(reference or default_reference()))
    _Writer(target, document).write()
    props = target.core_properties
    props.title = document.title
    props.subject = document.subtitle
    props.identifier = document.reference
    props.language = document.locale.replace("_", "-")
    props.author = props.last_modified_by = "slagen"
    props.created = props.modified = timestamp
    props.revision = 1
    buffer = io.BytesIO()
    target.save(buffer)
    return _normalize_zip(buffer.getvalue())


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry dates: python-docx stamps each entry with the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(zipfile.ZipInfo(info.filename, _ZIP_DATE), source.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()


class _Writer:
    def __init__(self, target: DocxDocument, document: Document) -> None:
        self.target = target
        self.document = document
        self.labels = document.labels
        styles = target.styles
        self.style = {
            name: styles[name]
            for name in (
                "Title",
                "Subtitle",
                "Parties",
                "Heading 1",
                "Heading 2",
                "Body Text",
                "List Bullet",
                "List Number",
                "Table Text",
                "Signature",
                "Header",
                "Footer",
            )
        }
        self.table_style = styles["SLA Table"]
        self.signature_style = styles["Signature Table"]

    def write(self) -> None:
        doc = self.document
        self._header_footer()
        self.target.add_paragraph(doc.title, self.style["Title"])
        if doc.subtitle and doc.subtitle != doc.title:
            self.target.add_paragraph(doc.subtitle, self.style["Subtitle"])
        self.target.add_paragraph(f"{self.labels['reference']}: {doc.reference}", self.style["Parties"])
        for block in doc.front:
            self._block(block, self.style["Parties"])
        for section in doc.sections:
            self.target.add_paragraph(f"{section.number}.\t{section.title}", self.style["Heading 1"])
            for clause in section.clauses:
                heading = self.target.add_paragraph(f"{clause.number}\t", self.style["Heading 2"])
                self._runs(heading, clause.title)
                for block in clause.blocks:
                    self._block(block, self.style["Body Text"])
        self._signatures()

    def _block(self, block: Block, style: Any, level: int = 0) -> None:
        if isinstance(block, Paragraph):
            self._runs(self.target.add_paragraph(style=style), block.runs)
        elif isinstance(block, ListBlock):
            self._list(block, level)
        else:
            self._table(block)

    def _list(self, block: ListBlock, level: int) -> None:
        style = self.style["List Number" if block.ordered else "List Bullet"]
        num_id = self._restart_numbering() if block.ordered and level == 0 else None
        for item in block.items:
            for index, sub in enumerate(item):
                if isinstance(sub, ListBlock):
                    self._list(sub, level + 1)
                    continue
                if not isinstance(sub, Paragraph):
                    self._block(sub, style)
                    continue
                para = self.target.add_paragraph(style=style if index == 0 else self.style["Body Text"])
                if index == 0 and (level or num_id):
                    _set_numbering(para, num_id or (2 if block.ordered else 1), level)
                self._runs(para, sub.runs)

    def _restart_numbering(self) -> int:
        numbering = self.target.part.numbering_part.element
        num = numbering.add_num(1)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)

    def _table(self, block: Table) -> None:
        table = self.target.add_table(rows=1 + len(block.rows), cols=len(block.header))
        table.style = self.table_style
        for row_index, cells in enumerate([block.header, *block.rows]):
            row = table.rows[row_index]
            for cell, runs in zip(row.cells, cells, strict=False):
                self._cell(cell, runs, bold=row_index == 0)
        _repeat_header(table.rows[0]._tr)
        self.target.add_paragraph(style=self.style["Body Text"]).paragraph_format.space_after = Pt(0)

    def _cell(self, cell: _Cell, runs: list[Inline], *, bold: bool = False) -> None:
        para = cell.paragraphs[0]
        para.style = self.style["Table Text"]
        self._runs(para, runs, bold=bold)

    def _runs(self, para: DocxParagraph, runs: list[Inline], *, bold: bool = False) -> None:
        for run in runs:
            if isinstance(run, Text):
                self._add(para, run.text, run.bold or bold, run.italic)
            elif isinstance(run, Ref):
                self._add(para, run.label, run.bold or bold, run.italic)
            elif isinstance(run, TermUse):
                if run.defining:
                    self._add(para, self.labels["quote_open"], bold, False)
                    self._add(para, run.text, True, False)
                    self._add(para, self.labels["quote_close"], bold, False)
                else:
                    self._add(para, run.text, bold, False)

    @staticmethod
    def _add(para: DocxParagraph, text: str, bold: bool, italic: bool) -> None:
        if not text:
            return
        run = para.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True

    def _header_footer(self) -> None:
        section = self.target.sections[0]
        header = section.header.paragraphs[0]
        header.style = self.style["Header"]
        header.add_run(f"{self.document.title}\t{self.labels['reference']}: {self.document.reference}")
        footer = section.footer.paragraphs[0]
        footer.style = self.style["Footer"]
        before, _, rest = self.labels["page"].partition("{page}")
        middle, _, after = rest.partition("{pages}")
        footer.add_run(before)
        _add_field(footer, "PAGE", "1")
        footer.add_run(middle)
        _add_field(footer, "NUMPAGES", "1")
        if after:
            footer.add_run(after)

    def _signatures(self) -> None:
        labels = self.labels
        self.target.add_paragraph(labels["signatures"], self.style["Heading 1"])
        parties = self.document.signatories
        table = self.target.add_table(rows=6, cols=len(parties))
        table.style = self.signature_style
        for column, party in enumerate(parties):
            cells = [table.rows[r].cells[column] for r in range(6)]
            lines = [
                (labels["for_party"].format(role=party.role), True),
                (party.name, False),
                ("", False),
                (f"{labels['place_date']}: ____________________", False),
                ("\n\n______________________________", False),
                (party.represented_by, False),
            ]
            for cell, (text, bold) in zip(cells, lines, strict=True):
                para = cell.paragraphs[0]
                para.style = self.style["Signature"]
                self._add(para, text, bold, False)
        _keep_together(table)


def _set_numbering(para: DocxParagraph, num_id: int, level: int) -> None:
    num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _add_field(para: DocxParagraph, instruction: str, cached: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = cached
    run.append(text)
    field.append(run)
    para._p.append(field)


def _repeat_header(tr: Any) -> None:
    tr_pr = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _keep_together(table: Any) -> None:
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True
