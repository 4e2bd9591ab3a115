"""Measurement definitions (``measure:`` per KPI): loaded and checked, linted, and the one source of both the
contract's wording and the report's computation (issue 17, items 1 and 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.cli.group import main
from slagen.errors import LibraryError
from slagen.library import Library, load_library
from slagen.lint import lint_library
from tests.helpers import copy_library, edit

ROOT = Path(__file__).resolve().parent.parent
IT = ROOT / "examples" / "it-service.yaml"
AVAILABILITY_EXCLUDES = (
    "      excludes: [scheduled_maintenance, force_majeure, customer, third_party]\n      partial: part"
)


@pytest.fixture
def library_files(tmp_path: Path) -> Path:
    return copy_library(tmp_path / "lib")


def test_every_service_level_of_every_catalog_has_a_definition(library: Library) -> None:
    kinds = {
        (catalog.id, kpi.id): kpi.measure.kind
        for catalog in library.catalogs.values()
        for kpi in catalog.kpis.values()
        if kpi.role == "service_level" and kpi.measure is not None
    }
    missing = [(c.id, k.id) for c in library.catalogs.values() for k in c.kpis.values() if k.role == "service_level"]
    assert sorted(kinds) == sorted(missing)
    assert kinds[("it-service", "availability")] == "availability"
    assert kinds[("call-centre-inbound", "service_level")] == "answer_rate"
    assert kinds[("telemarketing", "complaint_compliance")] == "attainment"


def test_a_service_level_without_a_definition_is_a_lint_finding(library_files: Path) -> None:
    catalog = library_files / "tiers" / "call-centre-inbound.yaml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("  asa:\n")
    block = text[start:].split("    text:\n", 1)[0]
    edit(catalog, block, "\n".join(line for line in block.split("\n") if "measure:" not in line))
    findings = [str(f) for f in lint_library(library_files) if f.rule == "service-levels"]
    assert len(findings) == 1
    assert findings[0].startswith("tiers/call-centre-inbound.yaml:")
    assert findings[0].endswith(
        "kpis.asa.measure: Service Level 'asa' has no measurement definition (measure: kind, period …)"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("kind: availability", "kind: uptime", "kpis.availability.measure.kind: kind must be one of availability,"),
        ("period: calendar_month\n      clock: calendar", "period: fortnight\n      clock: calendar",
         "kpis.availability.measure.period: period must be one of calendar_month, calendar_week"),
        ("      decimals: 2", "      decimals: two", "kpis.availability.measure.decimals: expected a whole number"),
        ("period: calendar_month\n      clock: calendar", "period: contract_year\n      clock: calendar",
         "kpis.availability.measure.period: kind 'availability' is computed per calendar_month, not per contract_year"),
        ("excludes: [scheduled_maintenance, force_majeure, customer, third_party]", "excludes: [weather]",
         "kpis.availability.measure.excludes: excludes must be a list of scheduled_maintenance"),
        ("      min_outage: 1min", "      min_outage: 1min\n      colour: red",
         "kpis.availability.measure.colour: unknown field (allowed for kind 'availability'"),
    ],
)  # fmt: skip
def test_a_bad_definition_names_file_line_and_key(library_files: Path, old: str, new: str, message: str) -> None:
    edit(library_files / "tiers" / "it-service.yaml", old, new)
    with pytest.raises(LibraryError) as caught:
        load_library(library_files)
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith("tiers/it-service.yaml:") and message in p for p in problems), problems


def _build_and_report(library: Path, tmp_path: Path, name: str) -> tuple[str, dict[str, object]]:
    data = tmp_path / "outages.csv"
    data.write_text("start,end,service,cause\n2027-03-20 12:00,2027-03-20 13:00,Portal,customer\n", encoding="utf-8")
    out = tmp_path / name
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(IT), "--library", str(library), "-o", str(out), "--format", "md"])
    assert built.exit_code == 0, built.stderr
    reported = runner.invoke(
        main,
        ["report", str(IT), "--library", str(library), "--data", str(data), "--period", "2027-03",
         "--format", "json", "-o", str(out)],
    )  # fmt: skip
    assert reported.exit_code == 0, reported.stderr
    contract = (out / "it-service.en.md").read_text(encoding="utf-8")
    return contract, json.loads((out / "it-service.2027-03.json").read_text(encoding="utf-8"))


def test_changing_the_definition_changes_the_contract_and_the_computation(library_files: Path, tmp_path: Path) -> None:
    contract, report = _build_and_report(library_files, tmp_path, "before")
    line = next(text for text in contract.splitlines() if text.startswith("  - Not counted: announced maintenance"))
    assert "failures caused by the Customer" in line
    assert report["results"][0]["value"] == "100.00"  # the customer's hour is not downtime
    edit(
        library_files / "tiers" / "it-service.yaml",
        AVAILABILITY_EXCLUDES,
        AVAILABILITY_EXCLUDES.replace("force_majeure, customer,", "force_majeure,"),
    )
    contract, report = _build_and_report(library_files, tmp_path, "after")
    line = next(text for text in contract.splitlines() if text.startswith("  - Not counted: announced maintenance"))
    assert "Customer" not in line
    assert report["results"][0]["value"] == "99.86"  # 60 of 44,580 minutes now count


def test_changing_the_period_wording_follows_the_definition(library_files: Path, tmp_path: Path) -> None:
    edit(
        library_files / "tiers" / "call-centre-inbound.yaml",
        "measure: {kind: reported, period: calendar_month, clock: calendar}",
        "measure: {kind: reported, period: contract_year, clock: calendar}",
    )
    out = tmp_path / "cc"
    answers = ROOT / "examples" / "call-centre.yaml"
    result = CliRunner().invoke(
        main, ["build", str(answers), "--library", str(library_files), "-o", str(out), "--format", "md"]
    )
    assert result.exit_code == 0, result.stderr
    text = (out / "call-centre.de.md").read_text(encoding="utf-8")
    assert "| mindestens 70\xa0% | je Vertragsjahr |" in text
