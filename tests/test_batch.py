"""slagen batch: one contract per table row, in parallel, bad rows reported and skipped."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from slagen.batch import merge_row, output_names
from slagen.cli import main
from slagen.provenance import read_provenance
from slagen.table import Row, read_table
from slagen.yamlsource import load_yaml

from .conftest import DEMO

CSV = """name,parties.customer.name,parties.customer.address,service.tier,agreement.reference,agreement.model,service.overrides.closing_rate
,Alpha Solar GmbH,"[Weg 1, 10115 Berlin]",basic,SLA-2027-101,,
,Beta Wind AG,"[Allee 2, 80331 München]",premium,SLA-2027-102,customer-specific,8%
gamma,Gamma Bau GmbH,"[Ring 3, 50667 Köln]",profesional,SLA-2027-103,,
,Alpha Solar GmbH,"[Weg 9, 10115 Berlin]",professional,SLA-2027-104,,
"""


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *arguments])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_contract_per_row_and_a_bad_row_is_reported(table: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), "--jobs", jobs, "--format", "md")
    assert code == 1
    assert stdout == f"built 3, failed 1 (of 4 rows) in {out}\n"
    assert stderr.strip().endswith(
        f"error: {table}:4: service.tier: unknown tier 'profesional' in catalog 'telemarketing' "
        "(did you mean 'professional'?)"
    )
    assert {p.name for p in out.iterdir()} == {
        f"{name}.{lang}.md"
        for name in ("alpha-solar-gmbh", "alpha-solar-gmbh-2", "beta-wind-ag")
        for lang in ("de", "en")
    }
    beta = (out / "beta-wind-ag.en.md").read_text(encoding="utf-8")
    assert "Beta Wind AG" in beta
    assert "at least 8%" in beta
    assert "SLA-2027-102" in beta


def test_json_summary_and_provenance_of_each_row(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run(str(table), "--base", str(DEMO), "-o", str(out), "--json", "--lang", "de")
    assert code == 1
    summary = json.loads(stdout)
    assert (summary["built"], summary["failed"]) == (3, 1)
    assert summary["rows"][1] == {
        "row": 3,
        "name": "beta-wind-ag",
        "files": ["beta-wind-ag.de.docx", "beta-wind-ag.de.md"],
        "problems": [],
    }
    found = read_provenance(out / "beta-wind-ag.de.docx")
    assert found.properties["slagen.tier"] == "premium"
    assert found.answers is not None
    assert "Beta Wind AG" in found.answers


def test_xlsx_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["parties.customer.name", "agreement.effective_date", "agreement.term.months", "service.tier"])
    sheet.append(["Delta Logistik GmbH", dt.datetime(2027, 3, 1), 24, "premium"])
    path = tmp_path / "customers.xlsx"
    book.save(path)
    out = tmp_path / "out"
    code, _, stderr = run(str(path), "--base", str(DEMO), "-o", str(out), "--format", "md", "--lang", "de")
    assert code == 0, stderr
    text = (out / "delta-logistik-gmbh.de.md").read_text(encoding="utf-8")
    assert "tritt am 1. März 2027 in Kraft" in text
    assert "feste Laufzeit von 24 Monaten" in text


def test_existing_outputs_fail_their_row_only(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "beta-wind-ag.de.md").write_text("keep", encoding="utf-8")
    code, stdout, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), "--format", "md")
    assert code == 1
    assert "built 2, failed 2" in stdout
    assert "beta-wind-ag.de.md: already exists (use --force to overwrite)" in stderr
    assert (out / "beta-wind-ag.de.md").read_text(encoding="utf-8") == "keep"
    assert not (out / "beta-wind-ag.en.md").exists()


def test_bad_base_or_table_is_bad_input(tmp_path: Path, table: Path) -> None:
    code, _, stderr = run(str(tmp_path / "missing.csv"), "--base", str(DEMO), "-o", str(tmp_path))
    assert (code, stderr) == (2, f"error: {tmp_path / 'missing.csv'}: file not found\n")
    broken = tmp_path / "base.yaml"
    broken.write_text("agreement: [\n", encoding="utf-8")
    code, _, stderr = run(str(table), "--base", str(broken), "-o", str(tmp_path / "out"))
    assert code == 2
    assert stderr.startswith(f"error: {broken}:")


def test_cells_are_typed_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a;b;c;d;e\n120;true;2027-01-01;99.9%;[de, en]\n", encoding="utf-8")
    (row,) = read_table(path)
    assert row.values == {"a": 120, "b": True, "c": dt.date(2027, 1, 1), "d": "99.9%", "e": ["de", "en"]}


def test_output_names_never_collide() -> None:
    rows = [Row(2, {}, "Müller & Söhne"), Row(3, {}, "müller-söhne"), Row(4, {}, ""), Row(5, {}, "")]
    assert output_names(rows, lambda row: "") == {2: "muller-sohne", 3: "muller-sohne-2", 4: "row-4", 5: "row-5"}


def test_each_row_carries_its_own_answers(tmp_path: Path) -> None:
    base = load_yaml(DEMO)
    table = tmp_path / "customers.csv"
    table.write_text(CSV, encoding="utf-8")
    rows = read_table(table)
    for row in [rows[0], rows[1], rows[0], rows[3]]:
        merged = merge_row(base, row, str(table))
        assert yaml.safe_load(merged.text) == merged.data
        assert merged.data["parties"]["customer"]["name"] == row.values["parties.customer.name"]
        assert merged.data["agreement"]["reference"] == row.values["agreement.reference"]
        assert merged.text.startswith(f"# slagen batch: {table} row {row.number} on top of {DEMO}\n")
    # the groups a row leaves alone are the base's, word for word
    assert yaml.safe_load(merge_row(base, rows[0], str(table)).text)["service"]["catalog"] == "telemarketing"


def test_a_row_is_dumped_as_yaml_dumps_it_whole_and_leaves_the_base_as_it_was(tmp_path: Path) -> None:
    base = load_yaml(DEMO)
    before = copy.deepcopy(base.data)
    odd = {"parties.customer.yes": "x", "parties.customer." + "k" * 200: "long", "new.group": [1, {"a": None}]}
    for values in [{"parties.customer.name": "A"}, {"agreement.reference": "R", **odd}, {"service.tier": "basic"}]:
        merged = merge_row(base, Row(2, values), "t.csv")
        whole = yaml.dump(merged.data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False)
        assert merged.text.split("\n", 1)[1] == whole
    assert base.data == before
