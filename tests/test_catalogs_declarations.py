"""Catalog declarations (kinds, remedies, credit base), the lint rule ``catalogs`` and the tiers help examples."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.catalogfacts import catalog_facts
from slagen.cli import main
from slagen.errors import LibraryError
from slagen.library import Library, load_library
from slagen.lint import lint_library

from .conftest import EXAMPLES
from .helpers import copy_library, edit


def slagen(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return copy_library(tmp_path / "library")


def test_the_shipped_catalogs_declare_their_kinds_and_remedies(library: Library) -> None:
    facts = {catalog.id: catalog_facts(catalog) for catalog in library.catalogs.values()}
    assert facts["it-service"]["kinds"] == ["availability", "systems", "tickets"]
    assert facts["it-service"]["remedies"] == ["service_credits"]
    assert facts["it-service"]["groups"] == ["backup", "incidents"]
    assert facts["call-centre-inbound"]["kinds"] == ["inbound_contacts"]
    assert facts["telemarketing"]["remedies"] == ["escalation"]
    assert facts["telemarketing"]["terms"] == []
    assert facts["telemarketing"]["credit_base"] == "monthly_fee"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("kinds: [outbound_contacts]", "kinds: [outbound_calls]", "kinds.0: 'outbound_calls' is not one of"),
        ("kinds: [outbound_contacts]   #", "#", "kinds: declare the kinds of service (one or several of:"),
        ("remedies: [escalation]", "remedies: [service_credits]", "remedies: service_credits needs a credit KPI"),
        ("remedies: [escalation]", "remedies: [escalation]\ncredit_base: fee", "credit_base: credit_base must be"),
    ],
)
def test_a_wrong_declaration_is_a_library_error(copy: Path, old: str, new: str, message: str) -> None:
    edit(copy / "tiers" / "telemarketing.yaml", old, new)
    with pytest.raises(LibraryError) as exc:
        load_library(copy)
    assert any(
        message in str(problem) and "tiers/telemarketing.yaml:" in str(problem) for problem in exc.value.problems
    )


def test_lint_refuses_a_clause_or_template_that_names_a_catalog(copy: Path) -> None:
    edit(copy / "clauses/services/backup.yaml", "\"'backup' in catalog.groups\"", "service.catalog == 'it-service'")
    edit(copy / "templates/en/services/hours.md.j2", "'tickets' in catalog.kinds", "catalog.id == 'it-service'")
    found = [str(f) for f in lint_library(copy) if f.rule == "catalogs" and "applies to catalog" not in f.message]
    assert found == [
        "clauses/services/backup.yaml:5: catalogs: names the catalog 'it-service': select by its declarations "
        "(catalog.kinds, …)",
        "clauses/services/backup.yaml:5: catalogs: reads 'service.catalog': select by the catalog's declarations "
        "(catalog.kinds, …), not its id",
        "templates/en/services/hours.md.j2:14: catalogs: names the catalog 'it-service': select by its declarations "
        "(catalog.kinds, …)",
        "templates/en/services/hours.md.j2:14: catalogs: reads 'catalog.id': select by the catalog's declarations "
        "(catalog.kinds, …)",
    ]


def test_lint_reports_a_catalog_without_what_its_clauses_read(copy: Path) -> None:
    # the inbound catalog claims tickets: the incident clause would read response and restore KPIs it lacks
    edit(copy / "tiers" / "call-centre-inbound.yaml", "kinds: [inbound_contacts]", "kinds: [inbound_contacts, tickets]")
    found = [f for f in lint_library(copy) if f.rule == "catalogs"]
    messages = {f.message for f in found}
    assert (
        "clause 'services.incidents' applies to catalog 'call-centre-inbound' (its when: 'tickets' in catalog.kinds) "
        "and reads its tier term 'calendar_clock', which the catalog does not declare"
    ) in messages
    assert {f.file for f in found} == {"templates/de/services/incidents.md.j2", "templates/en/services/incidents.md.j2"}


def test_a_condition_reading_an_undeclared_fact_stops_the_build(copy: Path, tmp_path: Path) -> None:
    edit(copy / "clauses/services/backup.yaml", "catalog.groups", "catalog.families")
    code, _, stderr = slagen("check", str(EXAMPLES / "it-service.yaml"), "--library", str(copy))
    assert code == 2
    assert "clauses/services/backup.yaml:5: when: a catalog declares no 'families' (conditions read kinds," in stderr


def test_a_broken_tier_file_stops_only_its_catalog(copy: Path, tmp_path: Path) -> None:
    (copy / "tiers" / "it-service").mkdir()
    (copy / "tiers" / "it-service" / "platinum.yaml").write_text("name: Platinum\nrank: 4\ntargets: {}\n")
    code, _, stderr = slagen("check", str(EXAMPLES / "telemarketing.yaml"), "--library", str(copy))
    assert code == 0, stderr
    code, _, stderr = slagen("check", str(EXAMPLES / "it-service.yaml"), "--library", str(copy))
    assert code == 2
    assert "error: tiers/it-service/platinum.yaml:3: tiers.platinum.targets: no target for KPI 'availability'" in stderr
    lint = [str(f) for f in lint_library(copy) if f.rule == "library"]
    assert "tiers/it-service/platinum.yaml:1: library: tiers.platinum.credits: no service credits (bands and cap " in (
        "\n".join(lint)
    )


def test_tiers_show_prints_ids_terms_and_credits() -> None:
    code, stdout, _ = slagen("tiers", "show", "gold", "--catalog", "it-service", "--lang", "de")
    assert code == 0
    assert "Verfügbarkeit der Systeme (availability)" in stdout
    rows = {line.split("  ")[0]: line for line in stdout.splitlines()}
    assert rows["term service_from"].split()[-1] == "00:00"
    assert rows["term maintenance_notice"].split("  ")[-1].strip() == "10 Tage"
    assert rows["credits (availability)"].endswith(
        "< 99,95\xa0%: 10\xa0%; < 99,9\xa0%: 20\xa0%; < 99,5\xa0%: 35\xa0%; < 99\xa0%: 50\xa0%; cap 50\xa0%"
    )


def _examples(*command: str) -> list[str]:
    code, stdout, _ = slagen(*command, "--help")
    assert code == 0
    lines = stdout.split("Example:")[1].splitlines()
    return [line.strip() for line in lines if line.strip().startswith("slagen ")]


@pytest.mark.parametrize("command", [("tiers",), ("tiers", "show"), ("tiers", "compare"), ("tiers", "new")])
def test_the_help_examples_of_tiers_run(
    command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLAGEN_LIBRARY", raising=False)
    assert slagen("library", "init", "our-library")[0] == 0
    assert slagen("library", "init", "my-library")[0] == 0
    examples = _examples(*command)
    assert examples
    for example in examples:
        code, stdout, stderr = slagen(*shlex.split(example)[1:])
        assert code == 0, f"{example}: {stderr}"
        assert stdout
