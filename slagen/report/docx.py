"""A report's view as a Word document (python-docx): headings, the facts, tables, and charts as PNG.

The document carries fixed core properties (title, the period's end as its date), so the same report
gives the same document.
"""

from __future__ import annotations

import datetime as dt
import io

from slagen.report.model import Report
from slagen.report.view import Table, View


def to_docx(view: View, report: Report) -> bytes:
    """The report as DOCX bytes."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(view.title, level=1)
    for label, value in view.facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    for section in view.sections:
        document.add_heading(section.heading, level=section.level)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(document, block, view.language)
            else:
                document.add_paragraph(block)
        if section.chart is not None:
            from docx.shared import Cm

            from slagen.report.charts import png

            document.add_picture(io.BytesIO(png(section.chart)), width=Cm(16))
    when = dt.datetime.combine(report.period.last_day, dt.time())
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = view.title, "slagen", "slagen"
    properties.created = properties.modified = when
    properties.revision = 1
    out = io.BytesIO()
    document.save(out)
    from slagen.writers.package import read_parts, zip_parts

    return zip_parts(read_parts(out.getvalue()), date=when)


def _table(document: object, table: Table, language: str) -> None:
    """A grid of the table, with soft hyphens in its long words as in a contract's tables.

    A narrow column then breaks a word at a syllable, not between any two letters (:mod:`slagen.writers.hyphens`).
    """
    from slagen.writers.hyphens import hyphenate

    grid = document.add_table(rows=1, cols=len(table.header))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = hyphenate(text, language)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = hyphenate(text, language)
