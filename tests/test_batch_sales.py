"""slagen batch for real sales work (issue 19, item 3): the newcomer review's batch frictions (2c).

A template of the columns to fill in, a dry run, the failed rows to send back, one message for a
misspelt header, warnings once per key for customer details kept from the base and for shared
references, and a re-run without --force refused in one line.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from slagen.cli import main
from slagen.table import read_sheet

from .conftest import DEMO, EXAMPLES
from .test_output import ERRORS_MD

FAST = ("--jobs", "1", "--lang", "de", "--format", "md")


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *arguments])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def errors_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line or line.startswith("warning: ")]


def write_csv(path: Path, lines: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(lines)
    return path


CUSTOMERS = [
    ["name", "agreement.reference", "parties.customer.name", "parties.customer.register", "service.tier"],
    ["kunde-01", "SLA-2027-201", "Alpha Solar GmbH", "Amtsgericht Berlin, HRB 1", "basic"],
    ["kunde-02", "SLA-2027-202", "Beta Wind AG", "Amtsgericht Köln, HRB 2", "premuim"],
    ["kunde-03", "SLA-2027-203", "Gamma Bau GmbH", "Amtsgericht Bonn, HRB 3", "premium"],
]


# --- --template ---------------------------------------------------------------------------------


def test_template_on_stdout_has_the_keys_of_the_base_name_first_and_a_help_row() -> None:
    code, stdout, stderr = run("--template", "--base", str(DEMO))
    assert code == 0, stderr
    header, help_row = list(csv.reader(io.StringIO(stdout)))
    assert header[0] == "name"
    assert help_row[0].startswith("#")
    assert "slagen" not in header
    assert len(header) == len(set(header)) == len(help_row)
    helps = dict(zip(header, help_row, strict=True))
    assert helps["parties.customer.name"] == "Legal name of the customer. [empty: Nordlicht Solartechnik GmbH]"
    assert helps["parties.customer.register"].endswith("[empty: Amtsgericht Hamburg, HRB 201877]")
    # one column per KPI of the base's catalog, and only keys whose clauses apply to the base
    assert "service.overrides.closing_rate" in header
    assert "service.overrides" not in header
    assert helps["service.overrides.closing_rate"].startswith("Termin- und Leadquote je Kampagne (percent). ")  # DE-S16
    english = dict(
        zip(*csv.reader(io.StringIO(run("--template", "--base", str(DEMO), "--lang", "en")[1])), strict=True)
    )
    assert english["service.overrides.closing_rate"].startswith("Appointment and lead rate per campaign (percent). ")
    assert "telemarketing.audience" in header
    it_code, it_stdout, _ = run("--template", "--base", str(EXAMPLES / "it-service.yaml"))
    assert it_code == 0
    it_header = next(csv.reader(io.StringIO(it_stdout)))
    assert "telemarketing.audience" not in it_header
    assert "service.overrides.availability" in it_header
    assert "service.overrides.closing_rate" not in it_header


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_filled_in_template_is_read_back_with_its_help_row_skipped(tmp_path: Path, suffix: str) -> None:
    template = tmp_path / f"headers{suffix}"
    code, stdout, stderr = run("--template", "--base", str(DEMO), "-o", str(template))
    assert (code, stdout, stderr) == (0, f"{template}\n", "")
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(template)
        sheet = book.active
        header = [cell.value for cell in sheet[1]]
        assert sheet.cell(2, 1).value.startswith("#")
        lists = {
            header[next(iter(validation.sqref.ranges)).min_col - 1]: validation.formula1
            for validation in sheet.data_validations.dataValidation
        }
        assert lists["service.tier"] == '"basic,professional,premium"'
        assert lists["agreement.model"] == '"standard,customer-specific,multi-level"'
        assert lists["data_protection.call_recording"] == '"true,false"'
        row = {"name": "delta", "parties.customer.name": "Delta Logistik GmbH", "service.tier": "premium"}
        sheet.append([row.get(key) for key in header])
        book.save(template)
    else:
        lines = list(csv.reader(io.StringIO(template.read_text(encoding="utf-8-sig"))))
        header = lines[0]
        row = {"name": "delta", "parties.customer.name": "Delta Logistik GmbH", "service.tier": "premium"}
        write_csv(template, [*lines, [row.get(key, "") for key in header]])
    assert [(r.number, r.name) for r in read_sheet(template).rows] == [(3, "delta")]
    out = tmp_path / "out"
    code, stdout, stderr = run(str(template), "--base", str(DEMO), "-o", str(out), *FAST)
    assert code == 0, stderr
    assert stdout == f"built 1, failed 0 (of 1 rows) in {out}\n"
    assert "Delta Logistik GmbH" in (out / "delta.de.md").read_text(encoding="utf-8")


def test_template_refuses_an_existing_file_an_unknown_suffix_and_a_table(tmp_path: Path) -> None:
    template = tmp_path / "headers.csv"
    template.write_text("keep", encoding="utf-8")
    code, _, stderr = run("--template", "--base", str(DEMO), "-o", str(template))
    assert (code, stderr) == (2, f"error: {template}: already exists (use --force to overwrite)\n")
    assert template.read_text(encoding="utf-8") == "keep"
    assert run("--template", "--base", str(DEMO), "-o", str(template), "--force")[0] == 0
    assert template.read_text(encoding="utf-8-sig").startswith("name,")
    code, _, stderr = run("--template", "--base", str(DEMO), "-o", str(tmp_path / "headers.ods"))
    assert (code, stderr) == (2, f"error: {tmp_path / 'headers.ods'}: -o: write a .csv or .xlsx file, not '.ods'\n")
    code, _, stderr = run(str(template), "--template", "--base", str(DEMO))
    assert code == 2
    assert "--template writes a table to fill in: give no TABLE" in stderr
    code, _, stderr = run("--base", str(DEMO))
    assert code == 2
    assert "Missing argument 'TABLE'" in stderr


# --- --dry-run and --errors ---------------------------------------------------------------------


def test_dry_run_checks_every_row_and_writes_nothing(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "kunden.csv", CUSTOMERS)
    out = tmp_path / "out"
    code, stdout, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), "--dry-run", *FAST)
    assert code == 1
    assert stdout == "checked 3 rows: 2 ok, 1 failed (dry run: no contract written)\n"
    assert errors_of(stderr) == [
        f"error: {table}:3 (kunde-02): service.tier: unknown tier 'premuim' in catalog 'telemarketing' "
        "(did you mean 'premium'?)"
    ]
    assert not out.exists()
    good = write_csv(tmp_path / "good.csv", [CUSTOMERS[0], CUSTOMERS[1]])
    code, stdout, _ = run(str(good), "--base", str(DEMO), "-o", str(out), "--dry-run", "--json", *FAST)
    assert code == 0
    summary = json.loads(stdout)
    assert (summary["dry_run"], summary["built"], summary["failed"]) == (True, 0, 0)
    assert not out.exists()


def test_a_dry_run_renders_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "as check does, with rendering": a row whose clauses fail to render fails the dry run too
    import slagen.batch

    def broken(*args: object, **kwargs: object) -> object:
        raise slagen.batch.InputError.single("cannot render", file="templates/x.md.j2")

    monkeypatch.setattr(slagen.batch, "generate", broken)
    table = write_csv(tmp_path / "kunden.csv", [CUSTOMERS[0], CUSTOMERS[1]])
    code, _, stderr = run(str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), "--dry-run", *FAST)
    assert code == 1
    assert errors_of(stderr) == ["error: templates/x.md.j2: cannot render"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_errors_file_holds_the_failed_rows_as_they_were_and_goes_back_into_batch(tmp_path: Path, suffix: str) -> None:
    table = write_csv(tmp_path / "kunden.csv", CUSTOMERS)
    failed = tmp_path / f"failed{suffix}"
    out = tmp_path / "out"
    code, stdout, _ = run(str(table), "--base", str(DEMO), "-o", str(out), "--errors", str(failed), *FAST)
    assert code == 1
    assert stdout == f"built 2, failed 1 (of 3 rows) in {out}\nfailed rows: {failed}\n"
    message = (
        f"{table}:3 (kunde-02): service.tier: unknown tier 'premuim' in catalog 'telemarketing' "
        "(did you mean 'premium'?)"
    )
    if suffix == ".csv":
        lines = list(csv.reader(io.StringIO(failed.read_text(encoding="utf-8-sig"))))
    else:
        lines = [
            [cell or "" for cell in row] for row in openpyxl.load_workbook(failed).active.iter_rows(values_only=True)
        ]
    assert lines == [[*CUSTOMERS[0], "# errors"], [*CUSTOMERS[2], message]]
    # corrected by sales and given back as it is: the '# errors' column is a comment
    lines[1][4] = "premium"
    if suffix == ".csv":
        write_csv(failed, lines)
    else:
        book = openpyxl.Workbook()
        for line in lines:
            book.active.append(line)
        book.save(failed)
    code, stdout, stderr = run(str(failed), "--base", str(DEMO), "-o", str(out), *FAST)
    assert code == 0, stderr
    assert (out / "kunde-02.de.md").exists()


def test_errors_file_is_written_by_a_dry_run_and_refused_if_it_exists(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "kunden.csv", CUSTOMERS)
    failed = tmp_path / "failed.csv"
    out = tmp_path / "out"
    code, _, _ = run(str(table), "--base", str(DEMO), "-o", str(out), "--dry-run", "--errors", str(failed), *FAST)
    assert code == 1
    assert len(list(csv.reader(io.StringIO(failed.read_text(encoding="utf-8-sig"))))) == 2
    assert not out.exists()
    code, _, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), "--errors", str(failed), *FAST)
    assert code == 2
    assert errors_of(stderr) == [f"error: {out}: 1 file exists already ({failed}): use --force to overwrite"]
    assert not out.exists()
    code, _, stderr = run(str(table), "--base", str(DEMO), "--errors", str(tmp_path / "failed.txt"), *FAST)
    assert code == 2
    assert errors_of(stderr) == [f"error: {tmp_path / 'failed.txt'}: --errors: write a .csv or .xlsx file, not '.txt'"]


def test_errors_file_of_a_batch_without_failures_has_the_header_only(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "kunden.csv", [CUSTOMERS[0], CUSTOMERS[1]])
    failed = tmp_path / "failed.csv"
    code, _, _ = run(str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), "--errors", str(failed), *FAST)
    assert code == 0
    assert failed.read_text(encoding="utf-8-sig").splitlines() == [",".join([*CUSTOMERS[0], "# errors"])]


# --- the header ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_misspelt_header_is_one_error_with_a_suggestion_and_no_row_is_built(tmp_path: Path, suffix: str) -> None:
    lines = [["name", "parties.customer.nmae", "service.tier"]]
    lines += [[f"kunde-{i:02}", f"Kunde {i} GmbH", "premium"] for i in range(20)]
    if suffix == ".csv":
        table = write_csv(tmp_path / "kunden.csv", lines)
    else:
        book = openpyxl.Workbook()
        for line in lines:
            book.active.append(line)
        table = tmp_path / "kunden.xlsx"
        book.save(table)
    out = tmp_path / "out"
    code, stdout, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), *FAST)
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"error: {table}:1: column 2: 'parties.customer.nmae' is not an answer key "
        "(did you mean 'parties.customer.name'?)\n"
    )
    assert not out.exists()


def test_a_misspelt_kpi_column_is_one_error_too(tmp_path: Path) -> None:
    lines = [["name", "service.overrides.closng_rate"], ["a", "8%"], ["b", "9%"]]
    table = write_csv(tmp_path / "kunden.csv", lines)
    code, _, stderr = run(str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), *FAST)
    assert code == 2
    assert stderr == (
        f"error: {table}:1: column 2: 'service.overrides.closng_rate' is no entry of service.overrides "
        "(did you mean 'service.overrides.closing_rate'?)\n"
    )


def test_comment_rows_and_columns_are_not_read(tmp_path: Path) -> None:
    table = write_csv(
        tmp_path / "t.csv",
        [["name", "# note", "parties.customer.name"], ["# a row left out", "", "X GmbH"], ["a", "call back", "A GmbH"]],
    )
    (row,) = read_sheet(table, keys={"parties.customer.name"}).rows
    assert (row.number, row.name, row.values) == (3, "a", {"parties.customer.name": "A GmbH"})
    assert row.cells == ("a", "call back", "A GmbH")


# --- warnings across rows -----------------------------------------------------------------------


def test_customer_details_kept_from_the_base_are_warned_once_per_field(tmp_path: Path) -> None:
    lines = [["name", "agreement.reference", "parties.customer.name", "parties.customer.represented_by"]]
    lines += [[f"k{i}", f"SLA-{i}", f"Kunde {i} GmbH", f"Person {i}"] for i in range(6)]
    lines += [["same", "SLA-99", "Nordlicht Solartechnik GmbH", ""]]  # the base's customer: nothing kept wrongly
    table = write_csv(tmp_path / "kunden.csv", lines)
    code, _, stderr = run(str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), *FAST)
    assert code == 0, stderr
    assert warnings_of(stderr) == [
        f"{DEMO}:35: parties.customer.register: warning: 6 rows name another customer but keep the base's register "
        "entry (rows 2 (k0), 3 (k1), 4 (k2) and 3 more): give each row its own in a column "
        "parties.customer.register, or take it out of the base file",
        f"{DEMO}:36: parties.customer.address: warning: 6 rows name another customer but keep the base's address "
        "(rows 2 (k0), 3 (k1), 4 (k2) and 3 more): give each row its own in a column parties.customer.address, "
        "or take it out of the base file",
        f"{DEMO}:38: parties.customer.function: warning: 6 rows name another customer but keep the base's "
        "signatory's function (rows 2 (k0), 3 (k1), 4 (k2) and 3 more): give each row its own in a column "
        "parties.customer.function, or take it out of the base file",
    ]


def test_a_row_that_gives_the_detail_or_an_entry_of_it_keeps_nothing(tmp_path: Path) -> None:
    lines = [
        ["agreement.reference", "parties.customer.name", "parties.customer.represented_by"],
        ["SLA-1", "Alpha GmbH", ""],
        ["SLA-2", "Beta GmbH", "Berta Beta"],
    ]
    lines[0] += ["parties.customer.register", "parties.customer.address", "parties.customer.function.de"]
    lines[1] += ["HRB 1", "[Weg 1, 10115 Berlin]", "Inhaberin"]
    lines[2] += ["HRB 2", "[Weg 2, 10115 Berlin]", "Vorstand"]
    table = write_csv(tmp_path / "kunden.csv", lines)
    code, stdout, stderr = run(
        str(table),
        "--base",
        str(DEMO),
        "-o",
        str(tmp_path / "out"),
        "--dry-run",
        "--json",
        "--jobs",
        "1",
        "--format",
        "md",
    )
    assert code == 0, stderr
    assert json.loads(stdout)["warnings"] == [
        f"{DEMO}:37: parties.customer.represented_by: warning: row 2 names another customer but keeps the base's "
        "signatory: give each row its own in a column parties.customer.represented_by, or take it out of the base file"
    ]


def test_duplicate_references_are_warned_once_per_reference(tmp_path: Path) -> None:
    lines = [["name", "agreement.reference", "parties.customer.name"]]
    lines += [["a", "SLA-2027-200", "A GmbH"], ["b", "SLA-2027-201", "B GmbH"], ["c", "SLA-2027-200", "C GmbH"]]
    table = write_csv(tmp_path / "kunden.csv", lines)
    code, stdout, stderr = run(
        str(table),
        "--base",
        str(DEMO),
        "-o",
        str(tmp_path / "out"),
        "--dry-run",
        "--json",
        "--jobs",
        "1",
        "--format",
        "md",
    )
    assert code == 0, stderr
    assert [w for w in json.loads(stdout)["warnings"] if "reference" in w.split(":")[2]] == [
        f"{table}:4: agreement.reference: warning: 'SLA-2027-200' is the reference of 2 rows (rows 2 (a), 4 (c)): "
        "one contract each"
    ]
    kept = write_csv(tmp_path / "kept.csv", [["name", "parties.customer.name"], ["a", "A GmbH"], ["b", "B GmbH"]])
    code, stdout, _ = run(
        str(kept),
        "--base",
        str(DEMO),
        "-o",
        str(tmp_path / "out"),
        "--dry-run",
        "--json",
        "--jobs",
        "1",
        "--format",
        "md",
    )
    assert code == 0
    assert [w for w in json.loads(stdout)["warnings"] if "reference" in w.split(":")[2]] == [
        f"{DEMO}:12: agreement.reference: warning: 2 rows keep this reference 'SLA-2027-014' of the base "
        "(rows 2 (a), 3 (b)): give each row its own in a column agreement.reference"
    ]


# --- a re-run -----------------------------------------------------------------------------------


def test_a_rerun_without_force_is_refused_in_one_line_before_any_work(tmp_path: Path) -> None:
    lines = [["name", "agreement.reference", "parties.customer.name"]]
    lines += [[f"kunde-{i:02}", f"SLA-{i}", f"Kunde {i} GmbH"] for i in range(5)]
    table = write_csv(tmp_path / "kunden.csv", lines)
    out = tmp_path / "out"
    assert run(str(table), "--base", str(DEMO), "-o", str(out), *FAST)[0] == 0
    before = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    code, stdout, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), *FAST)
    assert (code, stdout) == (2, "")
    assert errors_of(stderr) == [
        f"error: {out}: 5 files exist already (kunde-00.de.md, kunde-01.de.md, kunde-02.de.md and 2 more): "
        "use --force to overwrite"
    ]
    assert len(stderr.splitlines()) == 1 + len(warnings_of(stderr))
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir()} == before
    # a dry run writes no contract: the files that exist are a warning for the run that follows
    code, stdout, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), "--dry-run", *FAST)
    assert code == 0
    assert warnings_of(stderr)[-1] == (
        f"warning: {out}: 5 files exist already (kunde-00.de.md, kunde-01.de.md, kunde-02.de.md and 2 more): "
        "use --force to overwrite them when the batch runs"
    )
    # a language or format not written before is no conflict; --force writes over
    assert run(str(table), "--base", str(DEMO), "-o", str(out), "--jobs", "1", "--lang", "en", "--format", "md")[0] == 0
    assert run(str(table), "--base", str(DEMO), "-o", str(out), *FAST, "--force")[0] == 0
    assert sorted(os.listdir(out)) == sorted(f"kunde-{i:02}.{lang}.md" for i in range(5) for lang in ("de", "en"))


def test_errors_file_of_a_semicolon_table_is_separated_by_semicolons(tmp_path: Path) -> None:
    # a German spreadsheet program writes and opens CSV with semicolons: the file goes back as it came
    table = tmp_path / "kunden.csv"
    table.write_text(
        "name;parties.customer.name;service.tier\r\nk1;Alpha GmbH; premuim \r\nk2;Beta GmbH;basic\r\n", encoding="utf-8"
    )
    failed = tmp_path / "failed.csv"
    code, _, _ = run(str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), "--errors", str(failed), *FAST)
    assert code == 1
    header, row = failed.read_text(encoding="utf-8-sig").splitlines()
    assert header == "name;parties.customer.name;service.tier;# errors"
    assert row.startswith(f"k1;Alpha GmbH; premuim ;{table}:2 (k1): service.tier: unknown tier 'premuim'")


def test_the_messages_are_those_docs_errors_md_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(DEMO, "telemarketing.yaml")
    base = ("--base", "telemarketing.yaml")
    lines = [["name", "service.overrides.closng_rate"], ["a", "8%"]]
    said = errors_of(run(str(write_csv(Path("kunden.csv"), lines)), *base, *FAST)[2])
    write_csv(Path("kunden.csv"), CUSTOMERS)
    said += errors_of(run("kunden.csv", *base, "--dry-run", *FAST)[2])
    lines = [["name", "agreement.reference", "parties.customer.name", "parties.customer.represented_by"]]
    lines += [[f"k{i}", f"SLA-{i}", f"Kunde {i} GmbH", f"Person {i}"] for i in range(6)]
    said += warnings_of(run(str(write_csv(Path("k.csv"), lines)), *base, "--dry-run", *FAST)[2])[:1]
    lines = [["name", "agreement.reference", "parties.customer.name", "parties.customer.register"]]
    lines += [[name, reference, f"{name} GmbH", "HRB 1"] for name, reference in [("a", "SLA-2027-200"), ("b", "SLA-1")]]
    lines += [["c", "SLA-2027-200", "c GmbH", "HRB 3"]]
    said += warnings_of(run(str(write_csv(Path("kunden.csv"), lines)), *base, "--dry-run", *FAST)[2])[-1:]
    lines = [["name", "parties.customer.name"]] + [[f"kunde-{i:02}", f"Kunde {i} GmbH"] for i in range(5)]
    write_csv(Path("kunden.csv"), lines)
    assert run("kunden.csv", *base, "-o", "out", *FAST)[0] == 0
    said += errors_of(run("kunden.csv", *base, "-o", "out", *FAST)[2])
    said += errors_of(run("--template", *base, "-o", "headers.ods")[2])
    lines = [["name", "parties.customer.name", "organisation.forecast_days"], ["a", "A GmbH", ""], ["b", "B GmbH", "5"]]
    said += [
        w
        for w in warnings_of(run(str(write_csv(Path("kunden.csv"), lines)), *base, *FAST)[2])
        if w.startswith("kunden.csv:3 (b)")
    ]
    assert len(said) == 7, said
    for line in said:
        assert line in ERRORS_MD


def test_the_examples_of_batch_help_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    help_text = CliRunner().invoke(main, ["batch", "--help"]).stdout
    examples = [
        line.strip() for line in help_text.split("Example:")[1].split("Options:")[0].splitlines() if line.strip()
    ]
    assert len(examples) == 3
    assert all(example.startswith("slagen batch ") for example in examples)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(EXAMPLES)
    for example in examples:
        code, _, stderr = run(*shlex.split(example)[2:])
        assert code == 0, (example, stderr)
    assert (tmp_path / "customers.xlsx").exists()
    assert (tmp_path / "failed.xlsx").exists()


def test_the_base_customers_contacts_are_warned_of_but_not_the_providers(tmp_path: Path) -> None:
    base = EXAMPLES / "it-service.yaml"
    table = write_csv(tmp_path / "k.csv", [["name", "parties.customer.name"], ["a", "Alpha Ltd"], ["b", "Beta Ltd"]])
    code, stdout, stderr = run(
        str(table),
        "--base",
        str(base),
        "-o",
        str(tmp_path / "out"),
        "--dry-run",
        "--json",
        "--jobs",
        "1",
        "--format",
        "md",
    )
    assert code == 0, stderr
    contacts = [w for w in json.loads(stdout)["warnings"] if ": contacts: " in w]
    line = next(n for n, text in enumerate(base.read_text(encoding="utf-8").splitlines(), 1) if text == "contacts:")
    assert contacts == [
        f"{base}:{line}: contacts: warning: 2 rows name another customer but keep the base's customer contacts "
        "(rows 2 (a), 3 (b)): give each row its own in a column contacts, or take it out of the base file"
    ]
    internal = EXAMPLES / "it-service-internal.yaml"
    code, stdout, _ = run(
        str(table),
        "--base",
        str(internal),
        "-o",
        str(tmp_path / "out"),
        "--dry-run",
        "--json",
        "--jobs",
        "1",
        "--format",
        "md",
    )
    assert any(": parties.customer.cost_centre: warning: " in w for w in json.loads(stdout)["warnings"])


def test_a_row_is_named_on_one_line_whatever_its_name_cell_holds(tmp_path: Path) -> None:
    table = write_csv(
        tmp_path / "t.csv", [["name", "service.tier"], ["kunde\n07 " + "x" * 50, "premuim"], ["", "basik"]]
    )
    code, _, stderr = run(str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), *FAST)
    assert code == 1
    assert [line.split(": service.tier")[0] for line in errors_of(stderr)] == [
        f"error: {table}:2 (kunde 07 {'x' * 30}…)",
        f"error: {table}:3",
    ]


def test_a_rows_own_warnings_are_reported_once_and_the_bases_not_per_row(tmp_path: Path) -> None:
    # organisation.forecast_days belongs to inbound call centres: given in a telemarketing row it is dropped
    lines = [["name", "parties.customer.name", "organisation.forecast_days"], ["a", "A GmbH", ""], ["b", "B GmbH", "5"]]
    table = write_csv(tmp_path / "t.csv", lines)
    fast = ("--jobs", "1", "--format", "md")
    code, stdout, stderr = run(
        str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), "--dry-run", "--json", *fast
    )
    assert code == 0, stderr
    rows = json.loads(stdout)["rows"]
    assert rows[0]["warnings"] == []
    assert rows[1]["warnings"] == [
        f"{table}:3 (b): organisation.forecast_days: warning: ignored: clause 'organisation.cooperation_inbound' "
        "applies only when the catalog's service is calls and contacts the provider receives (kind inbound_contacts)"
    ]
    code, _, stderr = run(str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), "--dry-run", *fast)
    assert [line for line in stderr.splitlines() if "organisation." in line] == rows[1]["warnings"]
