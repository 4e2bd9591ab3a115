"""The tables ``slagen batch`` writes: a template of column headers, and the failed rows to send back.

Takes the base answers (for the template) or a table read by :mod:`slagen.table` and the results of
its rows (for the failed rows), and gives the file contents, CSV or XLSX by the file name's suffix:

- the template has the ``name`` column first, then one column per answer key the base's clauses
  use (one per KPI of the base's catalog under ``service.overrides``), and a second row of help, each
  column's declaration help and what an empty cell keeps. The help row's first cell begins with
  ``#``, so :mod:`slagen.table` skips it when the filled-in table is read back;
- the failed rows are the table's header and each failed row's cells as they were, with a ``# errors``
  column of the row's messages; :mod:`slagen.table` ignores that column, so the corrected file can be
  given to ``slagen batch`` as it is.

A CSV is UTF-8 with a byte order mark (so that a spreadsheet program reads its umlauts), separated by
commas, or for the failed rows of a CSV table as that table was (a semicolon from a German spreadsheet).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from slagen.answers import Answers
from slagen.errors import InputError
from slagen.library import Library
from slagen.table import NAME_COLUMN, Row, Table

SUFFIXES = (".csv", ".xlsx")
"""What a template or a failed-rows file may be written as."""
ERRORS_COLUMN = "# errors"
"""The column of messages in a failed-rows file (a comment column: never read as an answer)."""
NAME_HELP = (
    "# help row, skipped when the table is read. name: file name of the row's contracts (empty: the customer's name)"
)
"""The help of the ``name`` column, which makes the help row a comment row."""
_NOT_COLUMNS = frozenset({"slagen"})
"""Declared keys that are no column: the answers file's format version."""
_SHOWN = 60
"""Most characters of a base value shown in the help row."""
_LISTED = 255
"""Longest drop-down list of an XLSX cell (Excel's limit on a list written in the validation itself)."""
_VALIDATED_ROWS = 2000
"""Rows of an XLSX template whose cells offer the drop-down lists."""


def sheet_format(path: Path, option: str) -> str:
    """``csv`` or ``xlsx`` by the suffix of ``path``; bad input for any other."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.single(f"{option}: write a .csv or .xlsx file, not '{suffix or 'no suffix'}'", file=path)
    return suffix[1:]


def template_columns(answers: Answers, library: Library, language: str | None = None) -> list[tuple[str, str]]:
    """The template's columns for the base ``answers``: (header, help), the ``name`` column first.

    A column for every key a clause of the base uses, in the library's order; ``kpi_values`` keys
    (``service.overrides``) one per KPI of the base's catalog, named in ``language`` (else the base's
    first), ``credits`` keys one per part.
    """
    used = {param.key for clause in answers.clauses for param in clause.params}
    language = language or str(answers.values["languages"][0])
    catalog = library.catalogs.get(str(answers.values.get("service.catalog") or ""))
    columns = [(NAME_COLUMN, NAME_HELP)]
    for key, param in library.params.items():
        if key not in used or key in _NOT_COLUMNS:
            continue
        if param.type == "kpi_values":
            for kpi in catalog.kpis.values() if catalog else ():
                name = kpi.text.get(language, {}).get("name", kpi.id)
                columns.append((f"{key}.{kpi.id}", f"{name} ({kpi.unit}). {param.help}"))
        elif param.type == "credits":
            columns.append((f"{key}.bands", f"{param.help} The bands: [{{from: …, below: …, credit: …}}, …]"))
            columns.append((f"{key}.cap", f"{param.help} The cap, a percentage."))
        else:
            columns.append((key, param.help + _kept(answers, key)))
    return columns


def template_choices(answers: Answers, library: Library) -> dict[str, tuple[str, ...]]:
    """The values a template column takes, for a drop-down list in XLSX: enums, the catalog's tiers, yes/no."""
    catalog = library.catalogs.get(str(answers.values.get("service.catalog") or ""))
    choices: dict[str, tuple[str, ...]] = {}
    for key, param in library.params.items():
        if param.type == "enum" and param.choices:
            choices[key] = tuple(str(choice) for choice in param.choices)
        elif param.type == "tier" and catalog is not None:
            choices[key] = tuple(catalog.tiers)
        elif param.type == "boolean":
            choices[key] = ("true", "false")
    return choices


def entries_of(library: Library) -> dict[str, set[str]]:
    """For each key whose entries may be columns of their own, the entries it has (for the header check)."""
    entries: dict[str, set[str]] = {}
    for key, param in library.params.items():
        if param.type == "kpi_values":
            entries[key] = {kpi for catalog in library.catalogs.values() for kpi in catalog.kpis}
        elif param.type == "credits":
            entries[key] = {"bands", "cap"}
        elif param.type == "localized":
            entries[key] = set(library.labels)
    return entries


def _kept(answers: Answers, key: str) -> str:
    """What an empty cell of ``key`` keeps: the base's own answer, as written there."""
    node: Any = answers.source.data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return ""
        node = node[part]
    if node is None:
        return ""
    shown = _cell_text(node)
    if len(shown) > _SHOWN:
        shown = shown[: _SHOWN - 1] + "…"
    return f" [empty: {shown}]"


def _cell_text(value: Any) -> str:
    """A value as a cell shows it, and as :mod:`slagen.table` reads it back (YAML flow style for lists)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=2**30)
        return dumped.strip()
    return str(value)


def template_sheet(
    columns: Sequence[tuple[str, str]], fmt: str, choices: Mapping[str, Sequence[str]] | None = None
) -> bytes:
    """The template file: the headers, then the help row; in XLSX a drop-down list where ``choices`` has one."""
    lines = [[key for key, _ in columns], [text for _, text in columns]]
    return sheet_bytes(lines, fmt, help_row=True, choices=choices or {})


def failed_sheet(table: Table, failed: dict[int, list[str]], fmt: str) -> bytes:
    """The header and the failed rows of ``table`` as they were, with their messages (``failed``: by row number).

    A ``# errors`` column the table had already (it is a failed-rows file itself) is replaced.
    """
    keep = [index for index, key in enumerate(table.header) if key != ERRORS_COLUMN]
    lines: list[list[Any]] = [[table.header[index] for index in keep] + [ERRORS_COLUMN]]
    for row in table.rows:
        if row.number in failed:
            lines.append([_cell(row, index) for index in keep] + ["\n".join(failed[row.number])])
    return sheet_bytes(lines, fmt, delimiter=table.delimiter)


def _cell(row: Row, index: int) -> Any:
    return row.cells[index] if index < len(row.cells) else ""


def sheet_bytes(
    lines: list[list[Any]],
    fmt: str,
    *,
    help_row: bool = False,
    delimiter: str = ",",
    choices: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """``lines`` (the first the header) as a CSV (separated by ``delimiter``) or XLSX file (``choices``: by header)."""
    if fmt == "xlsx":
        return _xlsx(lines, help_row=help_row, choices=choices or {})
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    for line in lines:
        writer.writerow(cell if isinstance(cell, str) else _cell_text(cell) for cell in line)
    return text.getvalue().encode("utf-8-sig")


def _xlsx(lines: list[list[Any]], *, help_row: bool, choices: Mapping[str, Sequence[str]]) -> bytes:
    import openpyxl  # only for XLSX files
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    for line in lines:
        sheet.append([_xlsx_value(cell) for cell in line])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if help_row and len(lines) > 1:
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="666666")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if lines[0][-1] == ERRORS_COLUMN:  # a row's messages one per line
        for (cell,) in sheet.iter_rows(min_row=2, min_col=len(lines[0]), max_col=len(lines[0])):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B3" if help_row else "B2"
    for column, header in enumerate(lines[0], start=1):
        listed = ",".join(choices.get(str(header), ()))
        if listed and len(listed) <= _LISTED:  # a warning, not a stop: the answers file's rules decide
            letter = openpyxl.utils.get_column_letter(column)
            valid = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, errorStyle="warning")
            valid.add(f"{letter}{len(lines) + 1}:{letter}{_VALIDATED_ROWS}")
            sheet.add_data_validation(valid)
    for column, header in enumerate(lines[0], start=1):
        width = min(50, max(12, len(str(header)) + 2))
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    book.properties.creator = "slagen"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)  # the same file for the same input
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _xlsx_value(cell: Any) -> Any:
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():  # a date cell, shown as a date
        return cell.date()
    if cell is None or isinstance(cell, str | int | float | dt.date | dt.datetime):
        return cell
    return _cell_text(cell)
