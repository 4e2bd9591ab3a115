"""A text dump of a DOCX for golden tests: one line per paragraph (style and text) and table cell."""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def dump_docx(data: bytes) -> str:
    """Style and text of every paragraph and table cell of the body, header and footer, in order."""
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    section = document.sections[0]
    lines += [f"[header] {_text(p)}" for p in section.header.paragraphs]
    lines += [f"[footer] {_text(p)}" for p in section.footer.paragraphs]
    counters = [0, 0]
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            number = ""
            if block.style.name == "Heading 1":  # the numbers Word shows from the heading styles' list
                counters = [counters[0] + 1, 0]
                number = f"{counters[0]}. "
            elif block.style.name == "Heading 2":
                counters[1] += 1
                number = f"{counters[0]}.{counters[1]} "
            lines.append(f"{block.style.name}: {number}{_text(block)}")
        elif isinstance(block, Table):
            lines.append(f"[table {block.style.name if block.style is not None else '-'}]")
            for row in block.rows:
                cells = [" / ".join(_text(p) for p in cell.paragraphs) for cell in row.cells]
                lines.append("  | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _text(paragraph: Paragraph) -> str:
    """Paragraph text including field results (PAGE/NUMPAGES), with numbering level marked."""
    parts = []
    for node in paragraph._p.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t" and node.text:
            parts.append(node.text)
        elif tag == "tab" and node.getparent().tag != f"{W}tabs":  # a tab character, not a tab stop
            parts.append("\t")
        elif tag == "br":
            parts.append("\n")
        elif tag == "fldSimple":
            parts.append("{" + node.get(f"{W}instr").strip() + "}")
        elif tag == "instrText" and node.text:
            parts.append("{" + node.text.strip() + "}")
        elif tag == "bookmarkStart":
            parts.append("⟦" + node.get(f"{W}name") + "⟧")
    text = "".join(parts)  # a field shows as {INSTRUCTION} followed by its cached result
    num = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if num is not None and num.ilvl is not None:
        text = f"(level {num.ilvl.val}) {text}"
    return text.replace("\xa0", "\u2423")
