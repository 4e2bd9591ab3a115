"""The HR shared services catalog (internal, escalation instead of credits) and its English example, in both languages."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from slagen.cli import main
from slagen.library import Library

from .conftest import EXAMPLES, example_with

EXAMPLE = EXAMPLES / "hr-services.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("hr")
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no warning either
    return {lang: (out / f"hr-services.{lang}.md").read_text(encoding="utf-8") for lang in ("de", "en")}


def test_declarations_and_tiers(library: Library) -> None:
    hr = library.catalogs["hr-services"]
    assert hr.declared.kinds == ("work_items",)
    assert hr.declared.remedies == ("escalation",)
    assert [k.id for k in hr.kpis.values() if k.role == "service_level"] == [
        "case_attainment",
        "payroll_accuracy",
        "payroll_cutoff",
        "onboarding_lead_time",
    ]
    tiers = sorted(hr.tiers.values(), key=lambda t: t.rank)
    assert [t.id for t in tiers] == ["basic", "standard", "premium"]
    for lower, higher in itertools.pairwise(tiers):
        for kpi in hr.kpis.values():
            assert kpi.better(higher.targets[kpi.id], lower.targets[kpi.id]), (kpi.id, lower.id, higher.id)


def test_english_binds_and_the_uk_gdpr_applies(built: dict[str, str]) -> None:
    en, de = built["en"], built["de"]
    assert "Translation for information" not in en
    assert "**Übersetzung zur Information: Maßgeblich ist allein die englische Fassung." in de
    assert "Article 4(7) UK GDPR" in en
    assert "public holidays in England and Wales" in en
    assert "Pennine Engineering Ltd" in en


def test_targets_appear_in_both_languages(built: dict[str, str]) -> None:
    en, de = built["en"], built["de"]
    assert "| Cases handled in time | at least 95% | per calendar month |" in en
    assert "| Payroll accuracy | at least 99.7% | per calendar month |" in en
    assert "| Payroll cut-off (working days before the pay date) | at most 5 days | per calendar month |" in en
    assert "| Onboarding notice (working days before the first working day) | at most 2 days |" in en
    assert "| Response time per case | at most 4 hours | Cases handled in time |" in en
    assert "| Richtigkeit der Entgeltabrechnung | mindestens 99,7\u00a0% | je Kalendermonat |" in de
    assert "| Lösungszeit je Fall (in Arbeitstagen) | höchstens 3 Tage | Fristgerecht bearbeitete Fälle |" in de
    assert "Service Credit" not in en


def test_a_tier_of_another_catalog_is_refused(tmp_path: Path) -> None:
    data = example_with(EXAMPLE, {"service.tier": "critical"})
    path = tmp_path / "hr.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "service.tier" in result.stderr
    assert "unknown tier 'critical' in catalog 'hr-services'" in result.stderr


def test_a_processing_agreement_is_refused_within_one_company(tmp_path: Path) -> None:
    data = example_with(EXAMPLE, {"data_protection.processing": True})
    path = tmp_path / "hr.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "data_protection.processing: units of one company are one controller" in result.stderr
