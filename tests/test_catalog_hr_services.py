"""The HR shared services catalog (internal, escalation instead of credits) and its English example, in both languages."""

from __future__ import annotations

from pathlib import Path

from slagen.library import Library

from .conftest import EXAMPLES
from .helpers import assert_higher_tiers_promise_more, built_example, check

EXAMPLE = EXAMPLES / "hr-services.yaml"
built = built_example(EXAMPLE, quiet=True)  # no warning either


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
    assert [t.id for t in sorted(hr.tiers.values(), key=lambda t: t.rank)] == ["basic", "standard", "premium"]
    assert_higher_tiers_promise_more(hr)


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
    run = check(tmp_path, EXAMPLE, {"service.tier": "critical"}, "hr.yaml")
    assert run.code == 2
    assert "service.tier" in run.err
    assert "unknown tier 'critical' in catalog 'hr-services'" in run.err


def test_a_processing_agreement_is_refused_within_one_company(tmp_path: Path) -> None:
    run = check(tmp_path, EXAMPLE, {"data_protection.processing": True}, "hr.yaml")
    assert run.code == 2
    assert "data_protection.processing: units of one company are one controller" in run.err
