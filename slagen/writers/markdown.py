"""Write a numbered document model as Markdown (CommonMark with GFM tables).

Takes a :class:`~slagen.model.Document` and gives its text: the same words and numbers as
the DOCX, readable and diffable. Cross-references are plain numbers. It only reads the
model; what it wrote for a clause's blocks may be given again by the caller's memo
(:meth:`slagen.memo.Memo.written`), keyed by the blocks and everything their text depends on.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

from slagen.model import Block, Document, Inline, ListBlock, Paragraph, Ref, Section, Table, TermUse, Text
from slagen.writers.pages import split_cover
from slagen.writers.signing import signature_rows

if TYPE_CHECKING:
    from slagen.memo import Memo

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def write_markdown(document: Document, memo: Memo | None = None) -> str:
    """The Markdown text of ``document``; ``memo`` gives again what was written for a clause's blocks."""
    labels = document.labels
    out: list[str] = [f"# {_escape(document.title)}", ""]
    if document.subtitle and document.subtitle != document.title:
        out += [_escape(document.subtitle), ""]
    if document.notice:  # a convenience translation says so under its title
        out += [f"**{_escape(document.notice)}**", ""]
    if document.draft:
        out += [f"**{_escape(labels['draft'])}**: {_escape(labels['draft_note'].format(date=document.date))}", ""]
    out += [
        f"{_escape(labels['reference'])}: {_escape(document.reference)} · "
        f"{_escape(labels['version'])} {_escape(document.version)} · {_escape(labels['date'])}: {document.date}",
        "",
    ]
    cover, front = split_cover(document)
    if cover:
        out += _blocks(cover, document)
    out += _blocks(front, document)
    out += _sections(document, memo, annexes=False)
    signed = not document.notice  # only the binding version is signed
    if signed and document.english_execution:  # the execution page before the schedules
        out += _signatures(document)
    out += _sections(document, memo, annexes=True)
    if signed and not document.english_execution:  # the signatures below everything (written form)
        out += _signatures(document)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _signatures(document: Document) -> list[str]:
    """The signature table: the same cells as the DOCX (:func:`slagen.writers.signing.signature_rows`)."""
    labels = document.labels
    head, *rows = signature_rows(document)
    lines = [
        "| " + " | ".join(f"**{_escape(cell.text)}**" for cell in head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
    ]
    signing = f"{_escape(labels['signature'])}: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_"
    for row in rows:
        cells = [signing if cell.line else _escape(cell.text.replace("_" * 20, "")).rstrip(": ") for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return [f"## {_escape(labels['signatures'])}", "", _escape(labels["signatures_intro"]), "", *lines, ""]


def _sections(document: Document, memo: Memo | None, *, annexes: bool) -> list[str]:
    out: list[str] = []
    state: tuple[object, ...] = ()
    if memo is not None:  # everything a section's text reads of the document: its labels and numbers
        state = (tuple(document.labels.items()), tuple(document.numbers.items()))
    for section in document.sections:
        if section.annex != annexes:
            continue
        if memo is None:
            out += _section(section, document, None)
            continue
        meta: tuple[Hashable, ...] = (section.id, section.title, section.number, section.annex)
        meta += tuple((clause.id, clause.number) for clause in section.clauses)
        parts = tuple(piece for clause in section.clauses for piece in (clause.title, clause.blocks))
        write = functools.partial(_section, section, document, memo)
        out += memo.written_all("markdown section", parts, (state, meta), write)
    return out


def _section(section: Section, document: Document, memo: Memo | None) -> tuple[str, ...]:
    out: list[str] = []
    labels = tuple(document.labels.items())
    if not section.annex:
        out += [f"## {section.number}. {_escape(section.title)}", ""]
    for clause in section.clauses:
        if section.annex:  # "Anlage 4 – Kennzahlen", at the level of a section
            out += [f"## {_escape(document.numbers[clause.id])} – {_inlines(clause.title, document)}", ""]
        else:
            out += [f"### {clause.number} {_inlines(clause.title, document)}", ""]
        if memo is None:
            out += _blocks(clause.blocks, document)
            continue
        # what the blocks' text depends on: the labels and the numbers of the clauses they refer to
        numbers = tuple(document.numbers[ref.target] for ref in memo.marks(clause.blocks).refs)
        write = functools.partial(_written, clause.blocks, document)
        out += memo.written("markdown", clause.blocks, (labels, numbers), write)
    return tuple(out)


def _written(blocks: Sequence[Block], doc: Document) -> tuple[str, ...]:
    return tuple(_blocks(blocks, doc))


def _blocks(blocks: Sequence[Block], doc: Document, indent: str = "") -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            number = f"({block.number}) " if block.number else ""  # a clause whose paragraphs are cited
            out += [indent + number + _inlines(block.runs, doc), ""]
        elif isinstance(block, ListBlock):
            out += _list(block, doc, indent)
            out.append("")
        else:
            out += _table(block, doc, indent)
            out.append("")
    return out


def _list(block: ListBlock, doc: Document, indent: str) -> list[str]:
    out: list[str] = []
    for index, item in enumerate(block.items, start=1):
        marker = f"{index}. " if block.ordered else "- "
        lines = [line for line in _blocks(item, doc, indent + " " * len(marker)) if line]
        if lines:
            lines[0] = indent + marker + lines[0][len(indent) + len(marker) :]
        out += lines
    return out


def _table(table: Table, doc: Document, indent: str) -> list[str]:
    def row(cells: Sequence[Sequence[Inline]]) -> str:
        return indent + "| " + " | ".join(_inlines(cell, doc) for cell in cells) + " |"

    return [row(table.header), indent + "|" + "|".join("---" for _ in table.header) + "|", *map(row, table.rows)]


def _inlines(runs: Sequence[Inline], doc: Document) -> str:
    labels, numbers = doc.labels, doc.numbers
    parts = []
    for run in runs:
        if isinstance(run, Text):
            parts.append(_emphasis(_escape(run.text), run.bold, run.italic))
        elif isinstance(run, Ref):
            parts.append(_emphasis(numbers[run.target], run.bold, run.italic))
        elif isinstance(run, TermUse):
            text = _escape(run.text)
            quoted = f"{labels['quote_open']}**{text}**{labels['quote_close']}"
            parts.append(quoted if run.defining else _emphasis(text, run.bold, False))
    return "".join(parts)


def _emphasis(text: str, bold: bool, italic: bool) -> str:
    stripped = text.strip()
    if not stripped or not (bold or italic):
        return text
    mark = ("**" if bold else "") + ("*" if italic else "")
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark[::-1]}{trail}"


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)
