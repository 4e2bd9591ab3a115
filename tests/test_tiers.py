"""slagen tiers: list, show, compare, check monotonicity, scaffold new offerings."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from msgspec.structs import replace

from slagen.cli import main
from slagen.library import Library
from slagen.scaffold import scaffold_tier
from slagen.tiers import check_tiers, compare_rows
from tests.helpers import copy_library


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
        "Calls answered per agent per day worked" in line and "≥ 80" in line and "≥ 120" in line
        for line in stdout.splitlines()
    )
    assert len(rows) == 2 + 5


def test_show_in_german(library: Library) -> None:
    rows = compare_rows(library.catalogs["telemarketing"], ["professional"], "de")
    assert rows[2] == ["Termin- und Leadquote je Kampagne (closing_rate)", "≥ 5\xa0%"]


def test_unknown_tier_is_a_clear_error() -> None:
    code, _, stderr = run("compare", "basic", "gold", "--catalog", "telemarketing")
    assert code == 2
    assert stderr == "error: unknown tier 'gold' in catalog 'telemarketing' (one of: basic, professional, premium)\n"


def test_monotonicity_finding_names_tier_kpi_and_values(library: Library) -> None:
    catalog = library.catalogs["telemarketing"]
    premium = catalog.tiers["premium"]
    broken = replace(premium, targets={**premium.targets, "closing_rate": Decimal("4")})
    catalog = replace(catalog, tiers={**catalog.tiers, "premium": broken})
    (problem,) = check_tiers(catalog, "tiers/telemarketing.yaml")
    assert str(problem) == (
        "tiers/telemarketing.yaml: tiers.premium.targets.closing_rate: tier 'premium' (rank 3) promises less than "
        "'professional' (rank 2) on closing_rate: 4% vs 5%; a tier of higher rank must promise at least as much"
    )
    assert check_tiers(library.catalogs["telemarketing"], "x") == []


def test_a_longer_time_promises_less_and_is_reported_once_per_tier_and_kpi(library: Library) -> None:
    """Newcomer B6: a 48 h response in the top tier promises less (not more), once, naming every lower tier."""
    catalog = library.catalogs["it-service"]
    top = max(catalog.tiers.values(), key=lambda tier: tier.rank)
    lower = sorted((t for t in catalog.tiers.values() if t.rank < top.rank), key=lambda t: -t.rank)
    slow_time = replace(top.targets["p4_response"], amount=Decimal(48), unit="hour")
    slow = replace(top, targets={**top.targets, "p4_response": slow_time})
    catalog = replace(catalog, tiers={**catalog.tiers, top.id: slow})
    (problem,) = [p for p in check_tiers(catalog, "tiers/it-service.yaml") if p.key and "p4_response" in p.key]
    assert f"tier '{top.id}' (rank {top.rank}) promises less than '{lower[0].id}'" in problem.message
    assert "48 hours vs" in problem.message
    assert f"(and less than {', '.join(repr(t.id) for t in lower[1:])})" in problem.message


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (
            {"service_from": "7:00"},
            "tiers.gold.terms.service_from: tier 'gold': '7:00' is not a time of day (write HH:MM, 00:00 to 24:00)",
        ),
        (
            {"service_to": "24:30"},
            "tiers.gold.terms.service_to: tier 'gold': '24:30' is not a time of day (write HH:MM, 00:00 to 24:00)",
        ),
        (
            {"service_from": "19:00", "service_to": "07:00"},
            "tiers.gold.terms.service_to: tier 'gold': the service hours end (07:00) before they start (19:00)",
        ),
        (
            {"service_from": "08:00", "service_to": "18:00"},
            "tiers.gold.terms.service_from: tier 'gold' (rank 3) offers shorter service hours than 'silver' "
            "(rank 2): 08:00–18:00 vs 07:00–19:00",
        ),
        (
            {"service_days": "weekdays_saturday", "service_from": "00:00", "service_to": "24:00"},
            None,
        ),
    ],
)
def test_service_hours_are_checked(library: Library, terms: dict[str, str], expected: str | None) -> None:
    catalog = library.catalogs["it-service"]
    gold = catalog.tiers["gold"]
    broken = replace(gold, terms={**gold.terms, **terms})
    catalog = replace(catalog, tiers={**catalog.tiers, "gold": broken})
    found = [f"{p.key}: {p.message}" for p in check_tiers(catalog, "tiers/it-service.yaml")]
    assert found == ([expected] if expected else [])


def test_fewer_service_days_in_a_higher_tier_is_a_finding(library: Library) -> None:
    catalog = library.catalogs["call-centre-inbound"]
    premium = catalog.tiers["premium"]
    broken = replace(premium, terms={**premium.terms, "service_days": "weekdays"})
    catalog = replace(catalog, tiers={**catalog.tiers, "premium": broken})
    assert [f"{p.key}: {p.message}" for p in check_tiers(catalog, "tiers/call-centre-inbound.yaml")] == [
        "tiers.premium.terms.service_days: tier 'premium' (rank 3) offers fewer service days than 'professional' "
        "(rank 2): weekdays vs weekdays_saturday"
    ]


def test_scaffold_is_commented_and_prefilled(library: Library) -> None:
    text = scaffold_tier(library, library.catalogs["telemarketing"], "premium", "enterprise")
    assert text.startswith("# New tier 'enterprise' of catalog 'telemarketing', copied from 'premium' (Premium)")
    assert "  closing_rate: 7%  # Appointment and lead rate per campaign: at least (percent)\n" in text
    data = yaml.safe_load(text)
    assert data["name"] == "Enterprise"
    assert data["rank"] == 4
    assert data["targets"]["complaint_resolution"] == "12h"


@pytest.mark.parametrize(
    ("name", "message"), [("premium", "already has a tier 'premium'"), ("Bad Name", "cannot name a tier")]
)
def test_scaffold_refuses_bad_names(library_copy: Path, name: str, message: str) -> None:
    code, _, stderr = run("new", name, "--from", "basic", "--catalog", "telemarketing", "--library", str(library_copy))
    assert code == 2
    assert message in stderr


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:

    return copy_library(tmp_path / "library")


def test_a_filled_in_scaffold_loads_and_builds(library_copy: Path, tmp_path: Path) -> None:
    from .conftest import DEMO

    code, stdout, stderr = run(
        "new", "enterprise", "--from", "premium", "--catalog", "telemarketing", "--library", str(library_copy)
    )
    assert code == 0, stderr
    scaffold = library_copy / "tiers" / "telemarketing" / "enterprise.yaml"
    assert stdout.strip() == str(scaffold)
    # the library is parsed once per process: go on with a copy, as a new process would read it
    text = scaffold.read_text(encoding="utf-8")
    text = text.replace("rank: 3", "rank: 4").replace("calls_per_agent_day: 120", "calls_per_agent_day: 150")
    scaffold.write_text(text, encoding="utf-8")
    library_copy = shutil.copytree(library_copy, tmp_path / "edited")
    code, stdout, _ = run("--library", str(library_copy), "compare", "premium", "enterprise")
    assert code == 0
    assert "≥ 150" in stdout
    answers = tmp_path / "sla.yaml"
    answers.write_text(
        DEMO.read_text(encoding="utf-8").replace("tier: professional", "tier: enterprise"), encoding="utf-8"
    )
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(answers),
            "-o",
            str(tmp_path / "out"),
            "--format",
            "md",
            "--lang",
            "en",
            "--library",
            str(library_copy),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "| Calls answered per agent per day worked | at least 150 |" in (tmp_path / "out" / "sla.en.md").read_text(
        encoding="utf-8"
    )


def test_a_tier_that_breaks_monotonicity_stops_its_catalog(library_copy: Path) -> None:
    run("new", "cheap", "--from", "basic", "--catalog", "telemarketing", "--library", str(library_copy))
    scaffold = library_copy / "tiers" / "telemarketing" / "cheap.yaml"
    scaffold.write_text(scaffold.read_text(encoding="utf-8").replace("rank: 4", "rank: 5"), encoding="utf-8")
    edited = str(shutil.copytree(library_copy, library_copy.parent / "edited"))
    assert run("--library", edited, "show", "gold")[0] == 0  # another catalog is not stopped
    code, _, stderr = run("--library", edited, "show", "basic", "--catalog", "telemarketing")
    assert code == 2
    assert (
        "error: tiers/telemarketing/cheap.yaml: targets.calls_per_agent_day: tier 'cheap' (rank 5) promises less than "
        "'premium' (rank 3) on calls_per_agent_day: 80 vs 120" in stderr
    )


@pytest.mark.parametrize(("written", "read"), [("7:00", "07:00"), ("7.00", "07:00"), ("7 Uhr", "07:00")])
def test_a_time_of_day_is_read_as_people_write_it(library_copy: Path, written: str, read: str) -> None:
    """Newcomer B7: `7:00` is a normal way to write a time; it is read as 07:00, with no second message."""
    catalog = library_copy / "tiers" / "it-service.yaml"
    text = catalog.read_text(encoding="utf-8")
    assert 'service_from: "07:00"' in text
    catalog.write_text(text.replace('service_from: "07:00"', f'service_from: "{written}"', 1), encoding="utf-8")
    from slagen.library import load_library

    tier = next(t for t in load_library(library_copy).catalogs["it-service"].tiers.values() if t.id == "silver")
    assert tier.terms["service_from"] == read


def test_a_time_that_is_none_gives_one_message_with_its_value(library_copy: Path) -> None:
    catalog = library_copy / "tiers" / "it-service.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('service_from: "07:00"', 'service_from: "25:00"', 1), encoding="utf-8")
    from slagen.errors import LibraryError
    from slagen.library import load_library

    with pytest.raises(LibraryError) as exc:
        load_library(library_copy)
    messages = [str(p) for p in exc.value.problems]
    assert len(messages) == 1, messages
    assert "expected a time of day such as 08:00 or 17:30, got '25:00'" in messages[0]
