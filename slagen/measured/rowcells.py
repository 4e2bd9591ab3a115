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


def too_many_cells(cells: int, columns: int) -> str:
    """The message for a row of more cells than its header has columns."""
    return (
        f"the row has {cells} cells, the header {columns} columns: a cell with the separator in it "
        "(a comma in a note) needs quotes around it"
    )


def required_because(column: str) -> str:
    """Why an empty cell of ``column`` is refused."""
    if column == "priority":
        return "an incident needs its priority"
    return "this column needs a value in every row"


class RowCells:
    """One row's cells under a file's layout, collecting the problems of the cells read."""

    __slots__ = ("cells", "layout", "number", "path", "problems")

    def __init__(self, layout: Layout, path: Path, number: int, cells: list[object], problems: list[Problem]) -> None:
        self.layout = layout
        self.path = path
        self.number = number
        self.cells = cells
        self.problems = problems
        if layout.width and len(cells) > layout.width and not all(is_empty(cell) for cell in cells[layout.width :]):
            problems.append(Problem(too_many_cells(len(cells), layout.width), str(path), number))

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
                self.add(column, f"the cell is empty: {required_because(column)}")
            return None
        try:
            return read(cell)
        except ValueError as exc:
            self.add(column, str(exc))
            return None

    def add(self, column: str, message: str) -> None:
        """A problem in this row's ``column``."""
        self.problems.append(Problem(message, str(self.path), self.number, column))
