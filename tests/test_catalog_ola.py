"""The underpinning rule: an OLA (or subcontract) promises at least what the external SLA it underpins promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen.library import Library

from .conftest import EXAMPLES
from .helpers import build_markdown, check, variation

IT_OLA = EXAMPLES / "it-service-internal.yaml"
FACILITY = EXAMPLES / "facility-management.yaml"
EXTERNAL = yaml.safe_load((EXAMPLES / "it-service.yaml").read_text(encoding="utf-8"))
"""examples/it-service.yaml: the external SLA (it-service, Silver) the IT OLA underpins."""

UNDER_IT = {"reference": EXTERNAL["agreement"]["reference"], "tier": EXTERNAL["service"]["tier"]}


def checked(tmp_path: Path, example: Path, changes: dict[str, Any]) -> tuple[int, str]:
    run = check(tmp_path, example, changes, "ola.yaml")
    return run.code, run.err


def test_the_external_sla_is_silver() -> None:
    assert UNDER_IT == {"reference": "SLA-2027-102", "tier": "silver"}


def test_an_it_ola_on_the_same_tier_passes_and_names_the_external_sla(tmp_path: Path) -> None:
    path = variation(tmp_path, IT_OLA, {"agreement.underpins": UNDER_IT}, "ola.yaml")
    texts = build_markdown(path, tmp_path / "out")
    de, en = texts["de"], texts["en"]
    assert "sichert das Service Level Agreement mit der Referenz SLA-2027-102 ab" in de
    assert "underpins the service level agreement with the reference SLA-2027-102" in en
    assert "before the corresponding time limit" not in en  # no hand-off time agreed


def test_a_weaker_tier_is_refused_naming_the_key_and_both_values(tmp_path: Path) -> None:
    code, err = checked(tmp_path, IT_OLA, {"agreement.underpins": UNDER_IT, "service.tier": "bronze"})
    assert code == 2
    assert "service.tier: KPI 'availability': tier 'bronze' promises 99.5 %, lower than the 99.9 % of tier " in err
    assert "service.tier: KPI 'p1_restore': tier 'bronze' promises 8h, longer than the 4h of tier 'silver'" in err
    assert "in the external agreement SLA-2027-102 that it underpins (agreement.underpins.tier)" in err
    assert "Traceback" not in err


def test_an_override_that_lengthens_the_restore_time_is_named(tmp_path: Path) -> None:
    changes = {
        "agreement.underpins": UNDER_IT,
        "agreement.model": "customer-specific",
        "service.overrides": {"p1_restore": "6h"},
    }
    code, err = checked(tmp_path, IT_OLA, changes)
    assert code == 2
    assert "service.overrides.p1_restore: KPI 'p1_restore': tier 'silver' promises 6h, longer than the 4h" in err
    assert err.count("error:") == 1


def test_the_hand_off_time_shortens_what_the_ola_may_allow(tmp_path: Path) -> None:
    changes = {"agreement.underpins": {**UNDER_IT, "handoff": "30min"}}
    code, err = checked(tmp_path, IT_OLA, changes)
    assert code == 2
    assert "KPI 'p1_restore': tier 'silver' promises 4h, longer than the 4h less the hand-off of 30min" in err
    assert "availability" not in err  # a hand-off does not touch a percentage
    code, err = checked(tmp_path, IT_OLA, {**changes, "service.tier": "gold"})
    assert (code, err) == (0, "")


def test_the_hand_off_is_printed_in_the_contract(tmp_path: Path) -> None:
    changes = {"agreement.underpins": {**UNDER_IT, "handoff": "30min"}, "service.tier": "gold"}
    de = build_markdown(variation(tmp_path, IT_OLA, changes, "ola.yaml"), tmp_path / "out", "--lang", "de")["de"]
    assert "jede Frist endet mindestens 30 Minuten vor der entsprechenden Frist des externen SLA" in de


def test_an_unknown_external_tier_is_refused_with_a_hint(tmp_path: Path) -> None:
    code, err = checked(tmp_path, IT_OLA, {"agreement.underpins": {**UNDER_IT, "tier": "silber"}})
    assert code == 2
    assert "agreement.underpins.tier: unknown tier 'silber' in catalog 'it-service' (did you mean 'silver'?)" in err


def test_the_reference_is_required_with_the_tier(tmp_path: Path) -> None:
    code, err = checked(tmp_path, IT_OLA, {"agreement.underpins": {"tier": "silver"}})
    assert code == 2
    assert "agreement.underpins.reference: missing: an agreement that underpins another names its reference" in err


@pytest.mark.parametrize(
    ("tier", "handoff", "expected"),
    [
        ("critical", "1h", ""),  # 2 h resolution; 4 h restore less 1 h hand-off leaves 3 h
        ("standard", "1h", "KPI 'p1_resolution' (paired with 'p1_restore'): tier 'standard' promises 4h, longer than"),
    ],
)
def test_a_facility_ola_under_an_it_sla_compares_paired_kpis(
    tmp_path: Path, tier: str, handoff: str, expected: str
) -> None:
    underpins = {
        **UNDER_IT,
        "catalog": "it-service",
        "handoff": handoff,
        "kpis": [
            {"kpi": "p1_response", "external": "p1_response"},
            {"kpi": "p1_resolution", "external": "p1_restore"},
            {"kpi": "attainment", "external": "incident_compliance"},
        ],
    }
    code, err = checked(tmp_path, FACILITY, {"agreement.underpins": underpins, "service.tier": tier})
    assert code == (2 if expected else 0), err
    assert expected in err
    if expected:
        assert "the 4h less the hand-off of 1h of tier 'silver' of catalog 'it-service'" in err


def test_pairs_of_different_units_or_unknown_kpis_are_refused(tmp_path: Path) -> None:
    underpins = {
        **UNDER_IT,
        "catalog": "it-service",
        "kpis": [{"kpi": "attainment", "external": "p1_restore"}, {"kpi": "p9_resolution", "external": "p1_restore"}],
    }
    code, err = checked(tmp_path, FACILITY, {"agreement.underpins": underpins})
    assert code == 2
    assert "agreement.underpins.kpis.0: 'attainment' (percent, at_least) cannot be compared with 'p1_restore'" in err
    assert "agreement.underpins.kpis.1.kpi: unknown KPI 'p9_resolution'" in err


def test_an_unknown_external_catalog_is_refused(tmp_path: Path) -> None:
    code, err = checked(tmp_path, FACILITY, {"agreement.underpins": {**UNDER_IT, "catalog": "it-services"}})
    assert code == 2
    assert "agreement.underpins.catalog: unknown catalog 'it-services' (did you mean 'it-service'?)" in err


def test_a_multi_level_ola_is_checked_for_every_offered_tier(tmp_path: Path) -> None:
    underpins = {**UNDER_IT, "catalog": "it-service", "kpis": [{"kpi": "p1_resolution", "external": "p1_restore"}]}
    changes = {
        "agreement.underpins": underpins,
        "agreement.model": "multi-level",
        "service.offered_tiers": ["basic", "critical"],
        "service.tier": ...,
    }
    code, err = checked(tmp_path, FACILITY, changes)
    assert code == 2
    assert "service.offered_tiers: KPI 'p1_resolution' (paired with 'p1_restore'): tier 'basic' promises 24h" in err
    assert "tier 'critical'" not in err


def test_a_shorter_clock_is_warned_about(tmp_path: Path) -> None:
    underpins = {**UNDER_IT, "kpis": [{"kpi": "attainment", "external": "incident_compliance"}]}
    underpins["catalog"] = "it-service"
    code, err = checked(tmp_path, FACILITY, {"agreement.underpins": underpins, "service.tier": "basic"})
    assert code == 1  # warnings only
    assert "error:" not in err
    assert (
        "service.tier: warning: tier 'basic' has shorter service hours (07:00–17:00 against 07:00–19:00) than "
        "tier 'silver' of the external agreement it underpins (agreement.underpins.tier)"
    ) in err


def test_the_interview_asks_for_the_external_sla_only_once_skipped(library: Library) -> None:
    from .test_interview import GERMAN, check, interview

    _, script = interview(library, GERMAN, "de")
    assert "agreement.underpins.reference" in script.asked_keys()
    assert "agreement.underpins.tier" not in script.asked_keys()
    answers = {**GERMAN, "agreement.underpins.reference": "SLA-2026-900", "agreement.underpins.tier": "basic"}
    text, script = interview(library, answers, "de")
    assert "agreement.underpins.tier" in script.asked_keys()
    values = check(library, text)
    assert (values["agreement.underpins.reference"], values["agreement.underpins.tier"]) == ("SLA-2026-900", "basic")
