"""Write a numbered document model as Markdown (CommonMark with GFM tables).

Takes a :class:`~slagen.model.Document` and gives its text: the same words and numbers as
the DOCX, readable and diffable. Cross-references are plain numbers.
"""

from __future__ import annotations

import functools
import re

from slagen import reuse
from slagen.model import Block, Document, Inline, ListBlock, Paragraph, Ref, Table, TermUse, Text, shape
from slagen.writers.written import WrittenClauses

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def write_markdown(document: Document) -> str:
    """The Markdown text of ``document``."""
    labels = document.labels
    out: list[str] = [f"# {_escape(document.title)}", ""]
    if document.subtitle and document.subtitle != document.title:
        out += [_escape(document.subtitle), ""]
    out += [
        f"{_escape(labels['reference'])}: {_escape(document.reference)} · "
        f"{_escape(labels['version'])} {_escape(document.version)} · {_escape(labels['date'])}: {document.date}",
        "",
    ]
    out += _blocks(document.front, document)
    out += _sections(document)
    out += _signatures(document)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _signatures(document: Document) -> list[str]:
    labels = document.labels
    parties = document.signatories
    rows = [
        ["", *(f"**{_escape(labels['for_party'].format(role=p.role))}**" for p in parties)],
        ["---", *("---" for _ in parties)],
        [_escape(labels["party"]), *(_escape(p.name) for p in parties)],
        [_escape(labels["place_date"]), *("" for _ in parties)],
        [_escape(labels["signature"]), *("" for _ in parties)],
        [_escape(labels["name_function"]), *(_escape(p.represented_by) for p in parties)],
    ]
    return [f"## {_escape(labels['signatures'])}", "", *("| " + " | ".join(row) + " |" for row in rows), ""]


_WRITTEN = WrittenClauses()


def _sections(document: Document) -> list[str]:
    """The numbered sections; written once for the documents of one shape and quotation marks."""
    if not reuse.enabled():
        return _write_sections(document)
    form, held = shape(document)
    key = (form, document.labels["quote_open"], document.labels["quote_close"])
    lines: list[str] | None = _WRITTEN.parts.get(key)
    if lines is None:
        lines = _write_sections(document)
        _WRITTEN.parts.put(key, lines, held)
    return lines


def _write_sections(document: Document) -> list[str]:
    out: list[str] = []
    for section in document.sections:
        out += [f"## {section.number}. {_escape(section.title)}", ""]
        for clause in section.clauses:
            out += [f"### {clause.number} {_inlines(clause.title, document)}", ""]
            out += _clause_body(clause.blocks, document)
    return out


def _clause_body(blocks: list[Block], doc: Document) -> list[str]:
    """A clause's blocks; written once when they come again with the same numbers and quotation marks."""
    if not reuse.enabled():
        return _blocks(blocks, doc)
    entry, key = _WRITTEN.key(blocks, doc.numbers, (doc.labels["quote_open"], doc.labels["quote_close"]))
    lines: list[str] | None = entry.written.get(key)
    if lines is None:
        lines = entry.written.put(key, _blocks(blocks, doc))
    return lines


def _blocks(blocks: list[Block], doc: Document, indent: str = "") -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out += [indent + _inlines(block.runs, doc), ""]
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
    def row(cells: list[list[Inline]]) -> str:
        return indent + "| " + " | ".join(_inlines(cell, doc) for cell in cells) + " |"

    return [row(table.header), indent + "|" + "|".join("---" for _ in table.header) + "|", *map(row, table.rows)]


def _inlines(runs: list[Inline], doc: Document) -> str:
    labels, numbers = doc.labels, doc.numbers
    parts = []
    for run in runs:
        if isinstance(run, Text):
            text, bold, italic = run.text, run.bold, run.italic
            parts.append(
                _text(text, bold, italic) if len(text) <= _CACHED_TEXT else _emphasis(_escape(text), bold, italic)
            )
        elif isinstance(run, Ref):
            parts.append(_emphasis(numbers[run.target], run.bold, run.italic))
        elif isinstance(run, TermUse):
            text = _escape(run.text)
            parts.append(f"{labels['quote_open']}**{text}**{labels['quote_close']}" if run.defining else text)
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _text(text: str, bold: bool, italic: bool) -> str:
    return _emphasis(_escape(text), bold, italic)


def _emphasis(text: str, bold: bool, italic: bool) -> str:
    stripped = text.strip()
    if not stripped or not (bold or italic):
        return text
    mark = ("**" if bold else "") + ("*" if italic else "")
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark[::-1]}{trail}"


def _escape(text: str) -> str:
    return _escaped(text) if len(text) <= _CACHED_TEXT else _SPECIAL.sub(r"\\\1", text)


_CACHED_TEXT = 1000
"""Longest text whose escaped form is kept: most texts repeat in every document of a batch."""


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)
