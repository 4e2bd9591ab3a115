"""Write the changes between two versions of an agreement: DOCX with tracked changes, or Markdown.

Takes the :class:`~slagen.redline.Change` list of :func:`~slagen.redline.compare_documents`
and gives a DOCX whose changes are real Word revisions (``w:ins``/``w:del`` at word level,
author "slagen", dated), which Word and LibreOffice show to accept or reject, or a
Markdown text in CriticMarkup (``{++inserted++}``, ``{--deleted--}``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from slagen.model import Document, Inline, Text
from slagen.redline import Change, Token, Unit, row_changes, word_changes
from slagen.writers.body import INDENT, BodyWriter, ListNumbering
from slagen.writers.frame import frame_values, make_frame
from slagen.writers.reference import default_reference
from slagen.writers.widths import column_widths
from slagen.writers.wordml import w_date

_STYLE = {"heading1": "Heading 1", "heading2": "Heading 2", "heading_annex": "Heading 1", "paragraph": "Body Text"}
_NOT_NUMBERED = '<w:numPr><w:numId w:val="0"/></w:numPr>'
"""An annex's heading ("Anlage 1 – …") is a Heading 1 outside the clause numbering."""


def write_redline_docx(
    old: Document, new: Document, changes: list[Change], *, timestamp: dt.datetime, reference: bytes | None = None
) -> bytes:
    """A DOCX of ``new`` with every change from ``old`` as a tracked revision."""
    frame = make_frame(reference or default_reference(), review=False, properties=False, answers=False)
    numbering = ListNumbering(frame.num_ids, frame.info.decimal_abstract)
    writer = _RedlineWriter(new, frame.info, numbering)
    writer.change_attributes = f'w:author="slagen" w:date="{w_date(timestamp)}"'
    body = writer.write_changes(old, changes)
    values = frame_values(new, title=f"{new.title} ({new.labels['redline']})", timestamp=timestamp)
    values.update(body=body.encode(), numbering=numbering.xml())
    return frame.fill(values, date=timestamp)


class _RedlineWriter(BodyWriter):
    def write_changes(self, old: Document, changes: list[Change]) -> str:
        new, labels = self.document, self.labels
        self._paragraph("Title", [Text(new.title)])
        self._paragraph("Subtitle", [Text(labels["redline"])])
        self._paragraph(
            "Cover Text",
            [
                Text(f"{labels['reference']}: {old.reference}, {labels['version']} {old.version} ({old.date}) → "),
                Text(f"{new.reference}, {labels['version']} {new.version} ({new.date})"),
            ],
        )
        self.list_num: int | None = None
        for change in changes:
            if change.op == "equal" and change.new is not None:
                self._unit(change.new)
            elif change.op == "insert" and change.new is not None:
                with self._tracked("ins"):
                    self._unit(change.new)
            elif change.op == "delete" and change.old is not None:
                with self._tracked("del"):
                    self._unit(change.old)
            elif change.old is not None and change.new is not None:
                self._modified(change.old, change.new)
        return "".join(self.out)

    @contextlib.contextmanager
    def _tracked(self, kind: str) -> Iterator[None]:
        self.tracking = kind
        try:
            yield
        finally:
            self.tracking = None

    def _numbering(self, unit: Unit) -> tuple[int, int] | None:
        if unit.kind != "item":
            self.list_num = None
            return None
        if not unit.ordered:
            return (self.info.bullet_num, unit.level)
        if self.list_num is None:
            self.list_num = self.numbering.restart()
        return (self.list_num, unit.level)

    def _style(self, unit: Unit) -> str:
        if unit.kind == "item":
            return "List Number" if unit.ordered else "List Bullet"
        return _STYLE[unit.kind]

    def _unit(self, unit: Unit) -> None:
        if unit.kind == "table":
            self._token_table([Change("equal", None, _row(row)) for row in unit.rows])
            return
        extra = _NOT_NUMBERED if unit.kind == "heading_annex" else ""
        self._paragraph(self._style(unit), _runs(unit.tokens), numbering=self._numbering(unit), extra=extra)

    def _modified(self, old: Unit, new: Unit) -> None:
        if new.kind == "table":
            self._token_table(row_changes(old.rows, new.rows))
            return
        numbering = self._numbering(new)
        props = f'<w:pStyle w:val="{self.ids[self._style(new)]}"/>'
        if numbering is not None:
            props += f'<w:numPr><w:ilvl w:val="{numbering[1]}"/><w:numId w:val="{numbering[0]}"/></w:numPr>'
        props += _NOT_NUMBERED if new.kind == "heading_annex" else ""
        self.out.append(f"<w:p><w:pPr>{props}</w:pPr>")
        self._segments(word_changes(old.tokens, new.tokens))
        self.out.append("</w:p>")

    def _segments(self, segments: list[tuple[str, tuple[Token, ...]]]) -> None:
        for op, tokens in segments:
            with self._tracked({"delete": "del", "insert": "ins"}[op]) if op != "equal" else contextlib.nullcontext():
                self._runs(_runs(tokens), False)

    def _token_table(self, rows: list[Change]) -> None:
        self.list_num = None
        units = [row.new if row.new is not None else row.old for row in rows]
        cells = [_cells(unit.rows[0]) for unit in units if unit is not None]
        widths = column_widths(cells, self.info.text_width - INDENT, self.document.language)
        self._table_start("SLA Table", widths)
        for index, row in enumerate(rows):
            kind = {"insert": "ins", "delete": "del"}.get(row.op)
            with self._tracked(kind) if kind else contextlib.nullcontext():
                self._row_start(index == 0)
            unit = row.new if row.new is not None else row.old
            if unit is None:
                continue
            for column, width in enumerate(widths):
                self.out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
                self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.ids["Table Text"]}"/></w:pPr>')
                if row.op == "modify" and row.old is not None and row.new is not None:
                    self._segments(word_changes(row.old.rows[0][column], row.new.rows[0][column]))
                else:
                    with self._tracked(kind) if kind else contextlib.nullcontext():
                        self._runs(_runs(unit.rows[0][column]), index == 0)
                self.out.append("</w:p></w:tc>")
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")
        self._paragraph("Body Text", [], extra='<w:spacing w:after="0"/>')


def _row(cells: tuple[tuple[Token, ...], ...]) -> Unit:
    return Unit("row", "", rows=(cells,))


def _cells(row: tuple[tuple[Token, ...], ...]) -> list[list[Inline]]:
    return [list(_runs(cell)) for cell in row]


def _runs(tokens: tuple[Token, ...]) -> list[Inline]:
    """Tokens as text runs, neighbours with the same emphasis joined."""
    runs: list[Inline] = []
    for text, bold, italic in tokens:
        last = runs[-1] if runs else None
        if isinstance(last, Text) and (last.bold, last.italic) == (bool(bold), bool(italic)):
            runs[-1] = Text(last.text + text, last.bold, last.italic)
        else:
            runs.append(Text(text, bool(bold), bool(italic)))
    return runs


def write_redline_markdown(old: Document, new: Document, changes: list[Change]) -> str:
    """The changes as Markdown in CriticMarkup: ``{++inserted++}``, ``{--deleted--}``."""
    labels = new.labels
    out = [
        f"# {new.title}",
        "",
        labels["redline"],
        "",
        f"{labels['reference']}: {old.reference}, {labels['version']} {old.version} ({old.date}) → "
        f"{new.reference}, {labels['version']} {new.version} ({new.date})",
        "",
    ]
    for change in changes:
        unit = change.new if change.new is not None else change.old
        if unit is None:
            continue
        if change.op == "modify" and change.old is not None and change.new is not None:
            if unit.kind == "table":
                out += _markdown_table(row_changes(change.old.rows, change.new.rows))
                continue
            text = "".join(_critic(op, tokens) for op, tokens in word_changes(change.old.tokens, change.new.tokens))
        else:
            op = {"insert": "insert", "delete": "delete"}.get(change.op, "equal")
            if unit.kind == "table":
                out += _markdown_table([Change(change.op, _row(r), _row(r)) for r in unit.rows])
                continue
            text = _critic(op, unit.tokens)
        out += [_markdown_line(unit, text), ""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _markdown_line(unit: Unit, text: str) -> str:
    if unit.kind == "heading1":
        return f"## {unit.number} {text}"
    if unit.kind == "heading_annex":
        return f"## {text}"
    if unit.kind == "heading2":
        return f"### {unit.number} {text}"
    if unit.kind == "item":
        return "  " * unit.level + ("1. " if unit.ordered else "- ") + text
    return text


def _markdown_table(rows: list[Change]) -> list[str]:
    lines = []
    for index, row in enumerate(rows):
        if row.op == "modify" and row.old is not None and row.new is not None:
            cells = [
                "".join(_critic(op, tokens) for op, tokens in word_changes(a, b))
                for a, b in zip(row.old.rows[0], row.new.rows[0], strict=True)
            ]
        else:
            unit = row.new if row.new is not None else row.old
            op = {"insert": "insert", "delete": "delete"}.get(row.op, "equal")
            cells = [_critic(op, cell) for cell in unit.rows[0]] if unit is not None else []
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "|".join("---" for _ in cells) + "|")
    return [*lines, ""]


def _critic(op: str, tokens: tuple[Token, ...]) -> str:
    text = "".join(token[0] for token in tokens)
    if op == "insert":
        return f"{{++{text}++}}"
    if op == "delete":
        return f"{{--{text}--}}"
    return text
