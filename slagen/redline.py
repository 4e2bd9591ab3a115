"""Compare two versions of an agreement: which clauses, paragraphs and words changed.

Takes two numbered documents in the same language and gives a list of :class:`Change`
items in document order. Clauses are matched by their library id, so a clause added or
removed whole is one insertion or deletion; paragraphs, list items and table rows in a
clause present in both are matched by their text, and a changed one is compared word by
word. The writers in :mod:`slagen.writers.redline` turn the changes into a DOCX with
tracked changes or a Markdown diff.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from slagen.model import Document, Inline, ListBlock, Paragraph, Ref, Table, TermUse, Text

Token = tuple[str, bool, bool]
"""A word, a space or a punctuation mark, with its bold and italic flags."""
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Unit:
    """One comparable piece of a document: a heading, a paragraph, a list item or a table."""

    kind: str
    """``heading1``, ``heading2``, ``heading_annex``, ``paragraph``, ``item`` or ``table``."""
    key: str
    """What must be equal for the unit to count as unchanged (an id for headings, else the text)."""
    tokens: tuple[Token, ...] = ()
    level: int = 0
    ordered: bool = False
    rows: tuple[tuple[tuple[Token, ...], ...], ...] = ()
    """Table rows (the first is the header), each a tuple of cells."""
    number: str = ""
    """A heading's number in its document."""


@dataclass(frozen=True, slots=True)
class Change:
    """``equal``, ``insert``, ``delete`` or ``modify`` (a unit in both, with different words)."""

    op: str
    old: Unit | None
    new: Unit | None


def compare_documents(old: Document, new: Document) -> list[Change]:
    """The changes that turn ``old`` into ``new``, in document order."""
    before, after = flatten(old), flatten(new)
    matcher = SequenceMatcher(None, [u.key for u in before], [u.key for u in after], autojunk=False)
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes += [Change("equal", a, b) for a, b in zip(before[i1:i2], after[j1:j2], strict=True)]
        elif op == "delete":
            changes += [Change("delete", a, None) for a in before[i1:i2]]
        elif op == "insert":
            changes += [Change("insert", None, b) for b in after[j1:j2]]
        else:
            changes += _pair(before[i1:i2], after[j1:j2])
    return changes


def _pair(old: list[Unit], new: list[Unit]) -> list[Change]:
    """Pair replaced units of the same kind in order (a modification); the rest are deleted or inserted."""
    changes: list[Change] = []
    j = 0
    for unit in old:
        match = next((k for k in range(j, len(new)) if _comparable(unit, new[k])), None)
        if match is None:
            changes.append(Change("delete", unit, None))
            continue
        changes += [Change("insert", None, b) for b in new[j:match]]
        changes.append(Change("modify", unit, new[match]))
        j = match + 1
    changes += [Change("insert", None, b) for b in new[j:]]
    return changes


def _comparable(a: Unit, b: Unit) -> bool:
    if a.kind != b.kind or a.kind.startswith("heading"):
        return False  # headings are matched by clause id only
    if a.kind == "table":
        return len(a.rows[0]) == len(b.rows[0])
    return (a.level, a.ordered) == (b.level, b.ordered)


def flatten(document: Document) -> list[Unit]:
    """The document's comparable units in order: headings, paragraphs, list items, tables."""
    units: list[Unit] = []
    numbers, labels = document.numbers, document.labels
    for section in document.sections:
        if not section.annex:  # an annex is a heading of its own: "Anlage 1 – Ansprechpartner"
            title = _tokens([Text(section.title)], numbers, labels)
            units.append(Unit("heading1", f"section:{section.id}", title, number=f"{section.number}."))
        for clause in section.clauses:
            if section.annex:
                title = _tokens([Text(f"{numbers[clause.id]} – "), *clause.title], numbers, labels)
                units.append(Unit("heading_annex", f"clause:{clause.id}", title))
            else:
                title = _tokens(clause.title, numbers, labels)
                units.append(Unit("heading2", f"clause:{clause.id}", title, number=clause.number))
            for block in clause.blocks:
                units += _block_units(block, numbers, labels, 0)
    return units


def _block_units(block: object, numbers: Mapping[str, str], labels: Mapping[str, str], level: int) -> list[Unit]:
    if isinstance(block, Paragraph):
        tokens = _tokens(block.runs, numbers, labels)
        return [Unit("paragraph", "p:" + _text(tokens), tokens)]
    if isinstance(block, ListBlock):
        units = []
        for item in block.items:
            for index, sub in enumerate(item):
                if isinstance(sub, Paragraph) and index == 0:
                    tokens = _tokens(sub.runs, numbers, labels)
                    key = f"i{level}{'o' if block.ordered else 'b'}:{_text(tokens)}"
                    units.append(Unit("item", key, tokens, level=level, ordered=block.ordered))
                else:
                    units += _block_units(sub, numbers, labels, level + 1)
        return units
    if isinstance(block, Table):
        rows = tuple(tuple(_tokens(cell, numbers, labels) for cell in row) for row in [block.header, *block.rows])
        key = "t:" + "\n".join("|".join(_text(cell) for cell in row) for row in rows)
        return [Unit("table", key, rows=rows)]
    return []


def _tokens(runs: Sequence[Inline], numbers: Mapping[str, str], labels: Mapping[str, str]) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for run in runs:
        if isinstance(run, Text):
            pieces = [(run.text, run.bold, run.italic)]
        elif isinstance(run, Ref):
            pieces = [(numbers.get(run.target, ""), run.bold, run.italic)]
        elif isinstance(run, TermUse) and run.defining:
            pieces = [
                (labels["quote_open"], False, False),
                (run.text, True, False),
                (labels["quote_close"], False, False),
            ]
        else:
            pieces = [(run.text, False, False)]
        for text, bold, italic in pieces:
            tokens += [(word, bold, italic) for word in _TOKEN.findall(text)]
    return tuple(tokens)


def _text(tokens: tuple[Token, ...]) -> str:
    return "".join(token[0] for token in tokens)


def word_changes(old: tuple[Token, ...], new: tuple[Token, ...]) -> list[tuple[str, tuple[Token, ...]]]:
    """The word-level edit from ``old`` to ``new``: (``equal``/``delete``/``insert``, tokens) in order.

    >>> word_changes((("a", 0, 0), (" ", 0, 0), ("b", 0, 0)), (("a", 0, 0), (" ", 0, 0), ("c", 0, 0)))
    [('equal', (('a', 0, 0), (' ', 0, 0))), ('delete', (('b', 0, 0),)), ('insert', (('c', 0, 0),))]
    """
    matcher = SequenceMatcher(None, [t[0] for t in old], [t[0] for t in new], autojunk=False)
    result: list[tuple[str, tuple[Token, ...]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.append(("equal", new[j1:j2]))
            continue
        if i2 > i1:
            result.append(("delete", old[i1:i2]))
        if j2 > j1:
            result.append(("insert", new[j1:j2]))
    return result


def row_changes(
    old: tuple[tuple[tuple[Token, ...], ...], ...], new: tuple[tuple[tuple[Token, ...], ...], ...]
) -> list[Change]:
    """Rows of two tables matched like units: equal, inserted, deleted or modified cell by cell."""
    before = [Unit("row", "|".join(_text(c) for c in row), rows=(row,)) for row in old]
    after = [Unit("row", "|".join(_text(c) for c in row), rows=(row,)) for row in new]
    matcher = SequenceMatcher(None, [u.key for u in before], [u.key for u in after], autojunk=False)
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes += [Change("equal", a, b) for a, b in zip(before[i1:i2], after[j1:j2], strict=True)]
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        changes += [Change("modify", before[i1 + k], after[j1 + k]) for k in range(pairs)]
        changes += [Change("delete", a, None) for a in before[i1 + pairs : i2]]
        changes += [Change("insert", None, b) for b in after[j1 + pairs : j2]]
    return changes
