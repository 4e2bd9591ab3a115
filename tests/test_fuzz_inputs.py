"""Property-based tests of the other inputs slagen reads: batch tables and reference documents (issue 15).

Tables (CSV with every separator and several encodings, XLSX with dates, times, formulas and merged cells)
and reference documents (the bundled one with a part damaged) are drawn by hypothesis; every case must end
as slagen promises: exit 0 or 1 with every row either built or failed with its table and row named, or exit
2 with a message — never a traceback, never exit 3. Runs in the ``ci`` profile like tests/test_fuzz.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from slagen.cli import main
from slagen.writers.reference import default_reference

from .conftest import DEMO, FUZZ_CASES
from .test_fuzz import ANY_TEXT, share

KEYS = ["name", "parties.customer.name", "service.tier", "agreement.effective_date", "agreement.term.months"]
KEYS += ["price.monthly_fee", "service.overrides.closing_rate", "parties.customer.merchant", "bogus.key"]
HOSTILE = [
    "2027-02-30", "012", "1:00", "true", "~", "=1+1", "#DIV/0!", "premium", "basic", "Acme\u2028GmbH",
    "Acme\u202eGmbH", "9" * 400, '"quoted, with comma"', "a;b\tc", "{x: 1}", "[1, 2]", "",
]  # fmt: skip
CELLS = st.one_of(st.sampled_from(HOSTILE), ANY_TEXT, st.integers(-(10**6), 10**6), st.dates())
RUNNER = CliRunner()


def run_batch(table: Path, out: Path) -> None:
    """``slagen batch`` on ``table``: exit 0, 1 or 2, each row built or failed with its row named."""
    arguments = ["batch", str(table), "--base", str(DEMO), "-o", str(out), "--jobs", "1", "--lang", "en"]
    result = RUNNER.invoke(main, [*arguments, "--format", "md", "--json"], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    kind = f"{table.suffix.lstrip('.')} table"
    if result.exit_code == 2:
        assert result.stderr.startswith("error: "), result.stderr
        FUZZ_CASES[f"{kind}:refused"] += 1
        return
    summary = json.loads(result.stdout)
    for row in summary["rows"]:
        assert bool(row["files"]) != bool(row["problems"]), row
        for problem in row["problems"]:
            assert problem.startswith(f"{table}:{row['row']}"), problem
    FUZZ_CASES[f"{kind}:{'built' if result.exit_code == 0 else 'rows failed'}"] += 1


@st.composite
def csv_tables(draw: st.DrawFn) -> tuple[bytes, str]:
    header = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5))
    rows = draw(st.lists(st.lists(CELLS.map(str), min_size=len(header), max_size=len(header)), max_size=4))
    text = io.StringIO()
    csv.writer(text, delimiter=draw(st.sampled_from([",", ";", "\t"]))).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.getvalue().encode(encoding, errors="replace"), encoding


@given(csv_tables())
@share(0.4)
def test_a_csv_table_ends_in_contracts_failed_rows_or_a_clean_error(table: tuple[bytes, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(table[0])
        run_batch(path, Path(folder) / "out")


XLSX_CELLS = st.one_of(
    CELLS,
    st.sampled_from([dt.time(12, 0), dt.timedelta(hours=4), dt.datetime(2027, 1, 1, 9, 30), "=1/0", "=A1&B1"]),
)


@st.composite
def xlsx_tables(draw: st.DrawFn) -> list[list[Any]]:
    header = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True))
    rows = draw(st.lists(st.lists(XLSX_CELLS, min_size=len(header), max_size=len(header)), max_size=4))
    return [list(header), *rows]


@given(xlsx_tables(), st.booleans())
@share(0.3)
def test_an_xlsx_table_ends_in_contracts_failed_rows_or_a_clean_error(rows: list[list[Any]], merge: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell[:200]) if isinstance(cell, str) else cell for cell in row])
        if merge and len(rows) > 2:
            sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
        book.save(path)
        run_batch(path, Path(folder) / "out")


REFERENCE = default_reference()
PARTS = sorted(zipfile.ZipFile(io.BytesIO(REFERENCE)).namelist())


@given(st.sampled_from(PARTS), st.sampled_from(["truncate", "garbage", "drop", "empty"]), st.integers(0, 4000))
@share(0.4)
def test_a_damaged_reference_document_ends_in_a_contract_or_a_clean_error(part: str, how: str, at: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = zipfile.ZipFile(io.BytesIO(REFERENCE))
        reference = Path(folder) / "reference.docx"
        with zipfile.ZipFile(reference, "w") as damaged:
            for name in source.namelist():
                data = source.read(name)
                if name == part:
                    if how == "drop":
                        continue
                    data = {"truncate": data[:at], "garbage": data[:at] + b"<\x00&]]>" + data[at:], "empty": b""}[how]
                damaged.writestr(name, data)
        arguments = ["build", str(DEMO), "-o", str(Path(folder) / "out"), "--lang", "en", "--format", "docx"]
        result = RUNNER.invoke(main, [*arguments, "--reference-doc", str(reference)], catch_exceptions=True)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 2:
            assert result.stderr.startswith("error: ")
        FUZZ_CASES[f"reference document:{'built' if result.exit_code == 0 else 'refused'}"] += 1
