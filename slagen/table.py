"""Read a batch table (CSV or XLSX) as carefully as an answers file.

Takes a table whose header row names answer keys (``parties.customer.name``, ``service.tier``) and
gives one :class:`Row` per table row, each cell typed as YAML would type it (``120`` is a number,
``true`` a boolean, ``2027-01-01`` a date). What cannot be read right is never guessed:

- a problem with the table as a whole (no header, a header twice or one that is no answer key, a
  damaged workbook, a CSV cell beyond the csv module's limit) is an :class:`~slagen.errors.InputError`
  before any row is built;
- a cell that cannot be read (a date that does not exist, a number of thousands of digits, a time of
  day, a formula without a stored result, an Excel error value, part of merged cells) fails its row,
  named ``table:ROW: COLUMN: …``, and the other rows are built.

A row is one row: a CSV is split into lines only at line ends (``\\n``, ``\\r``), never at the Unicode
line and paragraph separators that text pasted from a word processor brings along. A column whose header
begins with ``#`` and a row whose first cell begins with ``#`` are comments, never read as answers: the
help row of ``slagen batch --template`` is one, the ``# errors`` column of ``--errors`` another.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct

from slagen.errors import InputError, Problem

NAME_COLUMN = "name"
"""Optional column with the output file name of a row (not an answer)."""
MAX_ROWS = 100_000
"""Most rows a table may have (a batch of more is split into several)."""
MAX_CSV_BYTES = 64 * 2**20
"""Largest CSV table read (64 MiB)."""
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})
"""What a spreadsheet shows for a formula that failed: never an answer."""
COMMENT = "#"
"""How a comment column's header and a comment row's first cell begin (they are never read as answers)."""


class Row(Struct, frozen=True):
    """One table row: its number as a spreadsheet shows it (the header is row 1), its answers, its name.

    ``problems`` are cells that could not be read: the row fails with them.
    """

    number: int
    values: dict[str, Any]
    name: str = ""
    problems: tuple[Problem, ...] = ()
    cells: tuple[Any, ...] = ()
    """The row's cells as the table holds them, one per header column (what ``--errors`` writes back)."""

    @property
    def label(self) -> str:
        """How messages name the row: its number, and its ``name`` cell if it has one (``8 (kunde-07)``)."""
        name = " ".join(self.name.split())  # one line, whatever the cell holds
        return f"{self.number} ({name if len(name) <= 40 else name[:39] + '…'})" if name else str(self.number)


class Table(Struct, frozen=True):
    """A table read: its header as written (comment columns too) and its rows (comment rows left out)."""

    header: tuple[str, ...]
    rows: list[Row]
    delimiter: str = ","
    """A CSV table's separator (a semicolon from a German spreadsheet program), for what is written back."""


def read_sheet(
    path: Path, keys: Collection[str] | None = None, entries: Mapping[str, Collection[str]] | None = None
) -> Table:
    """The header and rows of a CSV (UTF-8; comma, semicolon or tab) or XLSX table, with cells typed.

    ``keys`` are the answer keys the library declares: a header that is none of them (nor an entry
    under one, ``service.overrides.availability``) is refused before any row is read. ``entries``
    names, for a key whose entries are columns of their own, the entries it has (the KPIs under
    ``service.overrides``): a column under it naming another is refused too, with a suggestion.
    """
    delimiter = ","
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, rows = _read_xlsx(path)
    else:
        header, rows, delimiter = _read_csv(path)
    _check_header(path, header, keys, entries or {})
    result = []
    for number, cells in rows:
        if number > MAX_ROWS + 1:
            raise InputError.single(f"more than {MAX_ROWS:,} rows: split the table into several batches", file=path)
        if cells and isinstance(cells[0], str) and cells[0].lstrip().startswith(COMMENT):
            continue
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        name = ""
        for key, cell in zip(header, cells, strict=False):
            if not key or key.startswith(COMMENT) or cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            if isinstance(cell, _Unreadable):
                problems.append(Problem(cell.why, str(path), number, None if cell.row else key))
            elif key == NAME_COLUMN:
                name = str(cell).strip()
            else:
                try:
                    values[key] = _typed(cell)
                except ValueError as exc:
                    problems.append(Problem(str(exc), str(path), number, key))
        if values or name or problems:
            raw = tuple("" if isinstance(cell, _Unreadable) else cell for cell in cells)
            result.append(Row(number, values, name, tuple(problems), raw + ("",) * (len(header) - len(raw))))
    return Table(tuple(header), result, delimiter)


def _check_header(
    path: Path, header: list[str], keys: Collection[str] | None, entries: Mapping[str, Collection[str]]
) -> None:
    if not header or not any(header):
        raise InputError.single("the table has no header row of answer keys", file=path)
    problems = []
    seen: set[str] = set()
    for column, key in enumerate(header, start=1):
        if not key or key.startswith(COMMENT):
            continue
        if key in seen:
            problems.append(Problem(f"column {column}: '{key}' is a column already; which one counts?", str(path), 1))
        seen.add(key)
        if keys is not None and key != NAME_COLUMN and not _is_answer(key, keys):
            close = difflib.get_close_matches(key, [*keys, NAME_COLUMN], n=1, cutoff=0.8)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(f"column {column}: '{key}' is not an answer key{hint}", str(path), 1))
            continue
        for parent, known in entries.items():
            entry = key.removeprefix(parent + ".").split(".", 1)[0]
            if key.startswith(parent + ".") and entry not in known:
                close = difflib.get_close_matches(entry, list(known), n=1, cutoff=0.6)
                hint = f"did you mean '{parent}.{close[0]}'?" if close else f"known: {', '.join(sorted(known))}"
                problems.append(Problem(f"column {column}: '{key}' is no entry of {parent} ({hint})", str(path), 1))
    if problems:
        raise InputError(problems)


def _is_answer(key: str, keys: Collection[str]) -> bool:
    parts = key.split(".")
    return any(".".join(parts[:length]) in keys for length in range(1, len(parts) + 1))


class _Unreadable:
    """A cell whose value cannot be read (a formula without a stored result, merged cells), or a whole row."""

    __slots__ = ("row", "why")

    def __init__(self, why: str, *, row: bool = False) -> None:
        self.why = why
        self.row = row


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]], str]:
    from slagen.archives import read_regular

    raw = read_regular(path, limit=MAX_CSV_BYTES, noun="tables")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        found = "UTF-16 text (Excel's 'Unicode text')" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "not UTF-8 text"
        message = f"{found}: byte 0x{raw[exc.start]:02x} at offset {exc.start}; save the table as CSV UTF-8"
        raise InputError.single(message, file=path) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": lines end only at \n and \r (never at U+2028, U+2029 or U+0085)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    table: list[list[Any]] = []
    while True:
        try:
            table.append(next(reader))
        except StopIteration:
            break
        except csv.Error as exc:  # a cell beyond the csv module's limit: that row fails, the reader goes on
            if not table:
                raise InputError.single(f"cannot read the header: {exc}", file=path) from None
            table.append([_Unreadable(f"a cell of this row cannot be read ({exc})", row=True)])
    header = [cell.strip() for cell in table[0]] if table else []
    return header, ((index, row) for index, row in enumerate(table[1:], start=2)), str(dialect.delimiter)


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    import openpyxl  # only for XLSX tables

    from slagen.archives import read_package, stored_zip

    # openpyxl reads the workbook as slagen.archives has read it, within bounds (a zip bomb is refused unread)
    workbook = stored_zip(read_package(path, not_a_zip="not an Excel workbook (.xlsx) that can be read"))
    try:
        _count_rows(openpyxl.load_workbook(io.BytesIO(workbook), read_only=True), path)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is no workbook or is damaged
        raise InputError.single("not an Excel workbook (.xlsx) that can be read", file=path) from None
    try:  # values as the spreadsheet last computed them, and the formulas, to tell an empty cell from one
        values = openpyxl.load_workbook(io.BytesIO(workbook), data_only=True).worksheets[0]
        formulas = openpyxl.load_workbook(io.BytesIO(workbook), data_only=False).worksheets[0]
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is no workbook or is damaged
        raise InputError.single("not an Excel workbook (.xlsx) that can be read", file=path) from None
    merged = {
        (row, column): str(cells)
        for cells in values.merged_cells.ranges
        for row in range(cells.min_row, cells.max_row + 1)
        for column in range(cells.min_col, cells.max_col + 1)
        if (row, column) != (cells.min_row, cells.min_col)
    }
    rows = zip(values.iter_rows(), formulas.iter_rows(), strict=False)
    first = next(rows, None)
    header = [str(cell.value).strip() if cell.value is not None else "" for cell in (first[0] if first else ())]
    table = [[_xlsx_cell(cell, formula, merged) for cell, formula in zip(*pair, strict=False)] for pair in rows]
    return header, ((index, row) for index, row in enumerate(table, start=2))


def _count_rows(book: Any, path: Path) -> None:
    """Refuse a sheet of more than :data:`MAX_ROWS` rows, streaming it, before it is loaded whole (twice)."""
    try:
        for count, _ in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if count > MAX_ROWS + 1:
                raise InputError.single(f"more than {MAX_ROWS:,} rows: split the table into several batches", file=path)
    finally:
        book.close()


def _xlsx_cell(cell: Any, formula: Any, merged: dict[tuple[int, int], str]) -> Any:
    where = (cell.row, cell.column)
    if where in merged:  # shown as the first cell's value, stored as nothing: which rows it means is a guess
        return _Unreadable(f"part of merged cells {merged[where]}: unmerge them and write the value in each row")
    value = cell.value
    if isinstance(formula.value, str) and formula.value.startswith("=") and value is None:
        return _Unreadable(
            "a formula without a stored result (a table written by a program): open and save it in a spreadsheet "
            "program, or write the value"
        )
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        return _Unreadable(f"the spreadsheet shows the error {value.strip()} here, not a value")
    if isinstance(value, dt.time):
        return _Unreadable(f"a time of day ({value.isoformat()}) is no answer; write it as text")
    if isinstance(value, dt.timedelta):
        return _Unreadable("a duration cell is no answer; write it as text as an answers file does (4h, 30min)")
    return value


def _typed(cell: Any) -> Any:
    """A cell as YAML would read it; spreadsheet dates become dates; ``ValueError`` for what cannot be read."""
    if isinstance(cell, dt.datetime):
        return cell.date() if cell.time() == dt.time() else cell
    if not isinstance(cell, str):
        return cell
    try:
        value = yaml.safe_load(cell)
    except yaml.YAMLError:
        return cell.strip()
    except (ValueError, OverflowError) as exc:  # a date that does not exist, a number too long to read
        raise ValueError(f"cannot read {_shown(cell)}: {exc}") from None
    return cell.strip() if value is None or isinstance(value, dict) else value


def _shown(cell: str) -> str:
    return repr(cell if len(cell) <= 40 else cell[:37] + "...")
