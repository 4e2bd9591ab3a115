"""Batch tables read as carefully as answers files: the reliability probe's batch failures F1–F7.

Each test is the probe of ``reviews/reliability.md`` as a command: exit 0 with the right contracts, 1 with
the failed rows named and the others built, or 2 with a message naming the table, the row or cell and the
key — never 3, never a wrong contract.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from slagen.cli import main
from slagen.library import load_library
from slagen.table import read_sheet

from .conftest import DEMO


def batch(table: Path, out: Path) -> tuple[int, dict[str, object], str]:
    args = ["batch", str(table), "--base", str(DEMO), "-o", str(out), "--jobs", "1", "--lang", "en", "--format", "md"]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    summary = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, summary, result.stderr


def problems_of(summary: dict[str, object]) -> dict[str, list[str]]:
    rows = summary["rows"]
    assert isinstance(rows, list)
    return {row["name"]: row["problems"] for row in rows}


def test_f1_a_cell_yaml_cannot_read_fails_its_row_only(tmp_path: Path) -> None:
    table = tmp_path / "dates.csv"
    table.write_text(
        "name,parties.customer.name,agreement.effective_date\na,Acme GmbH,2027-02-30\nb,Beta GmbH,2027-03-01\n"
        "c," + "9" * 5000 + ",2027-03-01\n",
        encoding="utf-8",
    )
    code, summary, _ = batch(table, tmp_path / "out")
    assert code == 1
    problems = problems_of(summary)
    assert problems["b"] == []
    assert problems["a"] == [
        f"{table}:2 (a): agreement.effective_date: cannot read '2027-02-30': day is out of range for month"
    ]
    (message,) = problems["c"]
    assert message.startswith(f"{table}:4 (c): parties.customer.name: cannot read '9999")
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["b.en.md"]


def test_f2_a_cell_beyond_the_csv_limit_fails_its_row_only(tmp_path: Path) -> None:
    table = tmp_path / "wide.csv"
    table.write_text("name,parties.customer.represented_by\na," + "Felix " * 40000 + "\nb,Jana Berger\n", "utf-8")
    code, summary, _ = batch(table, tmp_path / "out")
    assert code == 1
    rows = summary["rows"]
    assert isinstance(rows, list)
    assert [row["problems"] for row in rows] == [
        [f"{table}:2: a cell of this row cannot be read (field larger than field limit (131072))"],
        [],
    ]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["b.en.md"]


def workbook(path: Path, rows: list[list[object]], merge: str = "") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def test_f3_a_damaged_workbook_is_bad_input(tmp_path: Path) -> None:
    good = workbook(tmp_path / "good.xlsx", [["name", "parties.customer.name"], ["a", "Acme GmbH"]])
    source = zipfile.ZipFile(io.BytesIO(good.read_bytes()))
    with zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as damaged:
        for name in source.namelist():
            data = source.read(name)
            damaged.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    code, _, stderr = batch(tmp_path / "bad.xlsx", tmp_path / "out")
    assert code == 2
    assert stderr == f"error: {tmp_path / 'bad.xlsx'}: not an Excel workbook (.xlsx) that can be read\n"


def test_f4_a_time_cell_fails_its_row_and_every_other_row_is_built(tmp_path: Path) -> None:
    rows: list[list[object]] = [["name", "parties.customer.name", "agreement.effective_date"]]
    rows += [["t1", "Acme GmbH", dt.date(2027, 2, 1)], ["t2", "Beta GmbH", dt.date(2027, 3, 1)]]
    rows += [["t3", "Gamma GmbH", dt.time(12, 0)], ["t4", "Delta GmbH", dt.date(2027, 4, 1)]]
    table = workbook(tmp_path / "time.xlsx", rows)
    code, summary, _ = batch(table, tmp_path / "out")
    assert code == 1
    problems = problems_of(summary)
    assert problems["t3"] == [
        f"{table}:4 (t3): agreement.effective_date: a time of day (12:00:00) is no answer; write it as text"
    ]
    assert [name for name, found in problems.items() if not found] == ["t1", "t2", "t4"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_f5_a_unicode_line_separator_never_splits_a_row(tmp_path: Path, separator: str) -> None:
    table = tmp_path / "ls.csv"
    table.write_text(
        f"name,parties.customer.name,service.tier\na,Acme{separator}Corp GmbH,premium\nb,Beta GmbH,basic\n"
    )
    rows = read_sheet(table).rows
    assert [(row.number, row.name) for row in rows] == [(2, "a"), (3, "b")]
    # the separator stays, or YAML folds it into a space as it does a line break (U+0085); the row is one row
    assert rows[0].values["parties.customer.name"].replace(separator, " ") == "Acme Corp GmbH"
    assert rows[0].values["service.tier"] == "premium"


def test_f6_formulas_without_a_result_error_values_and_merged_cells_are_refused_with_their_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [["name", "parties.customer.name", "service.tier"]]
    rows += [["f1", '=CONCATENATE("Acme"," GmbH")', "premium"], ["m1", "Beta GmbH", "premium"]]
    rows += [["m2", "Gamma GmbH", None], ["e1", "#DIV/0!", "basic"], ["ok", "Delta GmbH", "basic"]]
    table = workbook(tmp_path / "f.xlsx", rows, merge="C3:C4")
    code, summary, _ = batch(table, tmp_path / "out")
    assert code == 1
    problems = problems_of(summary)
    assert problems["f1"] == [
        f"{table}:2 (f1): parties.customer.name: a formula without a stored result (a table written by a program): "
        "open and save it in a spreadsheet program, or write the value"
    ]
    assert problems["m2"] == [
        f"{table}:4 (m2): service.tier: part of merged cells C3:C4: unmerge them and write the value in each row"
    ]
    assert problems["e1"] == [
        f"{table}:5 (e1): parties.customer.name: the spreadsheet shows the error #DIV/0! here, not a value"
    ]
    assert problems["m1"] == problems["ok"] == []
    built = (tmp_path / "out" / "ok.en.md").read_text(encoding="utf-8")
    assert "Delta GmbH" in built
    assert not (tmp_path / "out" / "f1.en.md").exists()


def test_f7_a_column_twice_or_a_misspelt_one_is_one_error_before_any_row(tmp_path: Path) -> None:
    table = tmp_path / "dup.csv"
    table.write_text(
        "name,parties.customer.name,parties.customer.name,parties.custmer.represented_by\na,First,Second,X\n"
    )
    code, _, stderr = batch(table, tmp_path / "out")
    assert code == 2
    assert stderr.splitlines() == [
        f"error: {table}:1: column 3: 'parties.customer.name' is a column already; which one counts?",
        f"error: {table}:1: column 4: 'parties.custmer.represented_by' is not an answer key "
        "(did you mean 'parties.customer.represented_by'?)",
    ]
    assert not (tmp_path / "out").exists()


def test_entries_under_an_answer_are_columns(tmp_path: Path) -> None:
    table = tmp_path / "ok.csv"
    table.write_text("name,service.overrides.closing_rate,agreement.term.months\na,6%,24\n")
    (row,) = read_sheet(table, keys=load_library().params).rows
    assert row.values == {"service.overrides.closing_rate": "6%", "agreement.term.months": 24}


def test_a_utf16_table_is_named_as_such_with_its_byte(tmp_path: Path) -> None:
    table = tmp_path / "unicode.csv"
    table.write_bytes("name,parties.customer.name\na,Acme\n".encode("utf-16"))
    code, _, stderr = batch(table, tmp_path / "out")
    assert code == 2
    assert stderr == (
        f"error: {table}: UTF-16 text (Excel's 'Unicode text'): byte 0xff at offset 0; save the table as CSV UTF-8\n"
    )


def test_a_header_only_table_builds_nothing_and_says_so(tmp_path: Path) -> None:
    table = tmp_path / "empty.csv"
    table.write_text("name,parties.customer.name\n", encoding="utf-8")
    code, summary, _ = batch(table, tmp_path / "out")
    assert code == 0  # decided: an empty table is no error (surprise 10)
    assert summary["built"] == 0
    assert summary["rows"] == []
