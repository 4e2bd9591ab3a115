"""The facility management catalog (internal, escalation instead of credits) and its example, in both languages."""

from __future__ import annotations

from pathlib import Path

from slagen.catalogs import Catalog
from slagen.library import Library

from .conftest import EXAMPLES
from .helpers import (
    assert_higher_tiers_promise_more,
    assert_lint_clean,
    build_markdown,
    built_example,
    check,
    variation,
)

EXAMPLE = EXAMPLES / "facility-management.yaml"


built = built_example(EXAMPLE)


def catalog(library: Library) -> Catalog:
    return library.catalogs["facility-management"]


def test_declarations(library: Library) -> None:
    fm = catalog(library)
    assert fm.declared.kinds == ("work_items",)
    assert fm.declared.remedies == ("escalation",)
    assert not fm.credit_kpi
    assert [t.id for t in sorted(fm.tiers.values(), key=lambda t: t.rank)] == ["basic", "standard", "critical"]
    measures = [k.id for k in fm.kpis.values() if k.role == "measure"]
    assert measures == ["p1_response", "p1_resolution", "p2_response", "p2_resolution", "p3_response", "p3_resolution"]
    assert all(fm.kpis[k].feeds == "attainment" and fm.kpis[k].group == "time_limits" for k in measures)


def test_higher_tiers_promise_more_on_every_kpi(library: Library) -> None:
    assert_higher_tiers_promise_more(catalog(library))


def test_the_example_builds_with_its_targets_in_both_languages(built: dict[str, str]) -> None:
    de, en = built["de"], built["en"]
    assert "| Einhaltungsquote der Reaktions- und Behebungszeiten | mindestens 97\u00a0% | je Kalendermonat |" in de
    assert "| Attainment of response and resolution times | at least 97% | per calendar month |" in en
    assert "| Reaktionszeit Priorität 1 (Notfall) | höchstens 15 Minuten |" in de
    assert "| Resolution time, priority 1 (emergency) | at most 2 hours |" in en
    assert "| Completion of the maintenance schedule | at least 98% | per calendar month |" in en
    assert "“**Service Hours**” means every day, around the clock." in en
    assert "(the time limits under clause 2.4)" in en


def test_no_credits_but_escalation_to_the_management(built: dict[str, str]) -> None:
    en = built["en"]
    assert "credit" not in en.lower()
    assert "the Receiving Unit may refer the matter to the company’s management" in en
    assert "the management of Kraichgau Pharma GmbH decides finally" in en
    assert "Gutschrift" not in built["de"]


def test_lint_is_clean() -> None:
    assert_lint_clean()


def test_credits_are_refused_in_the_internal_agreement(tmp_path: Path) -> None:
    run = check(tmp_path, EXAMPLE, {"credits.legal_nature": "penalty"}, "fm.yaml")
    assert run.code == 2
    assert "credits.legal_nature: an internal agreement carries no penalty" in run.err


def test_a_resolution_override_beyond_its_bound_is_refused(tmp_path: Path) -> None:
    changes = {"agreement.model": "customer-specific", "service.overrides": {"p1_response": "3h"}}
    run = check(tmp_path, EXAMPLE, changes, "fm.yaml")
    assert run.code == 2
    assert "service.overrides.p1_response: p1_response: 3h exceeds the target of 'p1_resolution' (2h)" in run.err


def test_a_multi_level_agreement_shows_the_time_limits_per_tier(tmp_path: Path) -> None:
    changes = {"agreement.model": "multi-level", "service.offered_tiers": ["standard", "critical"]}
    path = variation(tmp_path, EXAMPLE, changes, "fm.yaml")
    de = build_markdown(path, tmp_path / "out", "--lang", "de")["de"]
    assert "| Frist | Standard | Critical Site | geht ein in |" in de
    assert "| Behebungszeit Priorität 3 (normal) | 3 Tage | 24 Stunden |" in de
