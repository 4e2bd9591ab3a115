"""slagen tiers: list, show, compare, check monotonicity, scaffold new offerings."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from slagen.cli import main
from slagen.library import Library
from slagen.tiers import check_tiers, compare_rows, scaffold_tier


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["tiers", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_every_tier_by_rank() -> None:
    code, stdout, _ = run()
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].split() == ["catalog", "tier", "rank", "name"]
    assert [line.split()[:3] for line in lines[2:] if line.startswith("telemarketing")] == [
        ["telemarketing", "basic", "1"],
        ["telemarketing", "professional", "2"],
        ["telemarketing", "premium", "3"],
    ]


def test_compare_prints_kpis_side_by_side() -> None:
    code, stdout, _ = run("compare", "basic", "premium", "--catalog", "telemarketing")
    assert code == 0
    rows = [line.split("  ") for line in stdout.splitlines()]
    assert "Basic (basic)" in stdout
    assert any(
        "Calls per agent per working day" in line and "≥ 80" in line and "≥ 120" in line for line in stdout.splitlines()
    )
    assert len(rows) == 2 + 4


def test_show_in_german(library: Library) -> None:
    rows = compare_rows(library.catalogs["telemarketing"], ["professional"], "de")
    assert rows[2] == ["Abschlussquote je Kampagne", "≥ 5\xa0%"]


def test_unknown_tier_is_a_clear_error() -> None:
    code, _, stderr = run("compare", "basic", "gold", "--catalog", "telemarketing")
    assert code == 2
    assert stderr == "error: unknown tier 'gold' in catalog 'telemarketing' (one of: basic, professional, premium)\n"


def test_monotonicity_finding_names_tier_kpi_and_values(library: Library) -> None:
    catalog = library.catalogs["telemarketing"]
    premium = catalog.tiers["premium"]
    broken = dataclasses.replace(premium, targets={**premium.targets, "closing_rate": Decimal("4")})
    catalog = dataclasses.replace(catalog, tiers={**catalog.tiers, "premium": broken})
    (problem,) = check_tiers(catalog, "tiers/telemarketing.yaml")
    assert str(problem) == (
        "tiers/telemarketing.yaml: tiers.premium.targets.closing_rate: tier 'premium' (rank 3) promises less than "
        "'professional' (rank 2) on closing_rate: 4% vs 5%"
    )
    assert check_tiers(library.catalogs["telemarketing"], "x") == []


def test_scaffold_is_commented_and_prefilled(library: Library) -> None:
    text = scaffold_tier(library.catalogs["telemarketing"], "premium", "enterprise")
    assert text.startswith("# New tier 'enterprise' of catalog 'telemarketing', started from 'premium' (Premium).")
    assert '  # Closing rate per campaign: at least; percent\n  closing_rate: "7%"\n' in text
    data = yaml.safe_load(text)
    assert data["name"] == "Enterprise"
    assert data["targets"]["complaint_resolution"] == "12h"


@pytest.mark.parametrize(
    ("name", "message"), [("premium", "already has a tier 'premium'"), ("Bad Name", "cannot name a tier")]
)
def test_scaffold_refuses_bad_names(tmp_path: Path, name: str, message: str) -> None:
    code, _, stderr = run("new", name, "--from", "basic", "--catalog", "telemarketing")
    assert code == 2
    assert message in stderr
