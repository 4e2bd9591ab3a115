"""The header and rows of a measured-data file, CSV or XLSX, as cells (text, or what a spreadsheet holds).

A CSV is UTF-8 (a byte order mark allowed), separated by commas, semicolons (as a German spreadsheet
program writes it) or tabs; an XLSX file is read from its first worksheet, in openpyxl's read-only mode
(rows streamed, values as the spreadsheet last computed them), after :mod:`slagen.archives` has checked
it within bounds. Rows are numbered as a spreadsheet shows them: the header is row 1. A row whose cells
are all empty, and a row whose first cell begins with ``#`` (a comment), are left out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from slagen.errors import InputError

MAX_CSV_BYTES = 256 * 2**20
"""Largest CSV file read (256 MiB: a year of minute samples of a dozen services)."""
COMMENT = "#"
_MAYBE_COMMENT = ("", COMMENT, " ", "\t")
"""How the first cell of a row that might be a comment or empty begins."""

Rows = Iterator[tuple[int, list[object]]]


def read_rows(path: Path) -> tuple[list[str], Rows]:
    """The header (stripped) and the numbered rows of ``path``; an empty file is an error."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, rows = _xlsx(path)
    else:
        header, rows = _csv(path)
    if not any(header):
        raise InputError.single("the file is empty: it needs a header row and a row per record", file=path)
    return header, rows


def _csv(path: Path) -> tuple[list[str], Rows]:
    from slagen.archives import read_regular

    raw = read_regular(path, limit=MAX_CSV_BYTES, noun="data files")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        found = "UTF-16 text (Excel's 'Unicode text')" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "not UTF-8 text"
        message = f"{found}: byte 0x{raw[exc.start]:02x} at offset {exc.start}; save the file as CSV UTF-8"
        raise InputError.single(message, file=path) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except csv.Error as exc:
        raise InputError.single(f"cannot read the header: {exc}", file=path) from None
    return header, _csv_rows(reader, path)


def _csv_rows(reader: Iterator[list[str]], path: Path) -> Rows:
    number = 1
    try:
        for row in reader:
            number += 1
            # the usual row is told by its first character; only an empty or comment-like one is looked at
            if row and (row[0][:1] not in _MAYBE_COMMENT or (any(row) and not _comment(row[0]))):
                yield number, row  # type: ignore[misc]
    except csv.Error as exc:
        raise InputError.single(f"cannot read the row: {exc}", file=path, line=number + 1) from None


def _comment(first: str) -> bool:
    """Whether a row whose first cell is ``first`` is a comment (``# …``, spaces before it allowed)."""
    return first.startswith(COMMENT) or (first[:1].isspace() and first.lstrip().startswith(COMMENT))


def _xlsx(path: Path) -> tuple[list[str], Rows]:
    import openpyxl  # only for XLSX files

    from slagen.archives import read_package, stored_zip

    workbook = stored_zip(read_package(path, not_a_zip="not an Excel workbook (.xlsx) that can be read"))
    try:
        book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        first = next(rows, ())
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is no workbook or is damaged
        raise InputError.single("not an Excel workbook (.xlsx) that can be read", file=path) from None
    header = [str(cell).strip() if cell is not None else "" for cell in first]
    return header, _xlsx_rows(rows, book)


def _xlsx_rows(rows: Iterator[tuple[object, ...]], book: object) -> Rows:
    try:
        for number, row in enumerate(rows, start=2):
            if any(cell is not None and cell != "" for cell in row):
                if isinstance(row[0], str) and row[0].lstrip().startswith(COMMENT):
                    continue
                yield number, list(row)
    finally:
        book.close()  # type: ignore[attr-defined]
