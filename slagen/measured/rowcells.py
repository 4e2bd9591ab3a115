"""The cells of one data row by column, each read with the reader its column wants, every problem kept.

A reader asks for a column's value; a cell that cannot be read adds a
:class:`~slagen.errors.Problem` at file, row and column (the column as the contract names it) and gives
``None``, so that one row reports all its bad cells and the file all its bad rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from slagen.errors import Problem
from slagen.measured.cells import is_empty
from slagen.measured.columns import Layout
from slagen.measured.records import Where

T = TypeVar("T")


class RowCells:
    """One row's cells under a file's layout, collecting the problems of the cells read."""

    __slots__ = ("cells", "layout", "number", "path", "problems")

    def __init__(self, layout: Layout, path: Path, number: int, cells: list[object], problems: list[Problem]) -> None:
        self.layout = layout
        self.path = path
        self.number = number
        self.cells = cells
        self.problems = problems

    @property
    def where(self) -> Where:
        """The file and row, for the record."""
        return Where(str(self.path), self.number)

    def raw(self, column: str, index: int | None = None) -> object:
        """The cell of ``column`` (the ``index``-th of a repeated one) as the file holds it; ``None`` if absent."""
        found = self.layout.at.get(column, ())
        position = found[index or 0] if len(found) > (index or 0) else None
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def value(self, column: str, read: Callable[[object], T], *, required: bool = True, index: int = 0) -> T | None:
        """The cell of ``column`` read by ``read``; ``None`` for an empty optional cell or one that failed."""
        cell = self.raw(column, index)
        if is_empty(cell):
            if required:
                self.add(column, f"the {column} is missing")
            return None
        try:
            return read(cell)
        except ValueError as exc:
            self.add(column, str(exc))
            return None

    def add(self, column: str, message: str) -> None:
        """A problem in this row's ``column``."""
        self.problems.append(Problem(message, str(self.path), self.number, column))
