"""The cover and the signature page of a DOCX contract, written through the body writer.

The cover carries the title, a draft marking (``build --draft``), the key terms and the reference
line. The key terms are the table the front matter's template opens with (``templates/<lang>/front.md.j2``):
the wording stays in the library, and Markdown shows the same table under its title. The signature
page is a table whose rows never split and whose paragraphs keep with the next one, so it stays on one
page with its heading and lead-in sentence and moves to a new page as a whole when it would not fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slagen.model import Block, Document, Table, Text
from slagen.writers.signing import signature_rows

if TYPE_CHECKING:
    from slagen.writers.body import BodyWriter

_NOT_NUMBERED = '<w:numPr><w:numId w:val="0"/></w:numPr>'
_SIGNING_LINE = (
    '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr><w:spacing w:before="1560"/>'
)
"""About 2.75 cm of signing space above a ruled line."""


def split_cover(document: Document) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """The key-terms table the front matter opens with (for the cover), and the rest of the front matter."""
    front = document.front
    if front and isinstance(front[0], Table):
        return front[:1], front[1:]
    return (), front


def parties_alignment(document: Document) -> str:
    """The parties block's alignment: centred (the "Parties" style), left in an English-law agreement in English.

    English drafting practice opens with "THIS AGREEMENT is dated …" and the parties numbered (1) and (2),
    flush left; German practice centres "Zwischen … und …".
    """
    return '<w:jc w:val="left"/>' if document.english_execution and document.language == "en" else ""


def write_cover(writer: BodyWriter) -> None:
    """Title, draft marking, key terms and the reference line; the contents start a new page."""
    doc, labels = writer.document, writer.labels
    writer.paragraph("Title", [Text(doc.title)], extra='<w:spacing w:before="1440"/>')
    for text, bold in ((doc.subtitle if doc.subtitle != doc.title else "", False), (doc.notice, True)):
        if text:  # the notice of a convenience translation: the cover has no header to carry it
            writer.paragraph("Subtitle", [Text(text, bold=bold)])
    if doc.draft:
        writer.paragraph("Subtitle", [Text(labels["draft"], bold=True)], extra='<w:spacing w:after="120"/>')
        writer.paragraph("Cover Text", [Text(labels["draft_note"].format(date=doc.date))])
    cover, _ = split_cover(doc)
    if cover:  # its header row names it ("Eckdaten", "Key terms")
        writer.paragraph("Cover Text", [], extra='<w:spacing w:before="240"/>')
        for block in cover:
            writer.block(block, "Cover Text")
    writer.paragraph("Cover Text", [Text(f"{labels['reference']}: {doc.reference}")])
    writer.paragraph("Cover Text", [Text(f"{labels['version']} {doc.version} · {labels['date']}: {doc.date}")])
    writer.break_before = True


def write_signatures(writer: BodyWriter) -> None:
    """The signature page: heading, lead-in sentence and one column per party, kept on one page."""
    labels = writer.labels
    writer.paragraph("Heading Unnumbered", [Text(labels["signatures"])], extra=_NOT_NUMBERED)
    writer.paragraph("Body Text", [Text(labels["signatures_intro"])], keep_next=True, extra='<w:ind w:left="0"/>')
    parties = writer.document.signatories
    width = writer.info.text_width // len(parties)
    rows = signature_rows(writer.document)
    writer.table_start("Signature Table", [width] * len(parties))
    for index, row in enumerate(rows):
        writer.out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        keep = index < len(rows) - 1
        for cell in row:
            writer.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
            extra = _SIGNING_LINE if cell.line else ('<w:spacing w:before="120"/>' if cell.space else "")
            writer.paragraph("Signature", [Text(cell.text, bold=cell.bold)], extra=extra, keep_next=keep)
            writer.out.append("</w:tc>")
        writer.out.append("</w:tr>")
    writer.out.append("</w:tbl>")
