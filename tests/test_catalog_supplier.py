"""The supplier and logistics catalog (tiers/supplier.yaml), its clauses and the lump-sum rule.

The example builds in both languages, lints clean and shows the KPIs, the delivery window and the
rejection procedure (§ 377 HGB between merchants under German law); lump-sum damages for late delivery
whose rate or cap fails German standard-terms control are refused with exit 2, naming the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen.library import Library
from slagen.lint import lint_library

from .conftest import EXAMPLES, ROOT
from .helpers import (
    assert_higher_tiers_promise_more,
    assert_lint_clean,
    build_markdown,
    built_example,
    check,
    variation,
)

EXAMPLE = EXAMPLES / "supplier.yaml"


built = built_example(EXAMPLE)


def checked(tmp_path: Path, changes: dict[str, Any]) -> tuple[int, str]:
    run = check(tmp_path, EXAMPLE, changes)
    return run.code, run.out + run.err


def test_the_catalog_declares_deliveries_lump_sums_and_a_window(library: Library) -> None:
    catalog = library.catalogs["supplier"]
    assert catalog.declared.kinds == ("deliveries",)
    assert catalog.declared.remedies == ("lump_sum_damages",)
    assert catalog.credit_kpi == ""
    assert catalog.kpis["defect_rate"].unit == "ppm"
    assert [(t.terms["window_early"], t.terms["window_late"]) for t in catalog.tiers.values()] == [
        (5, 3),
        (3, 2),
        (2, 1),
    ]


def test_higher_tiers_promise_more_on_every_kpi(library: Library) -> None:
    assert_higher_tiers_promise_more(library.catalogs["supplier"])


def test_the_library_lints_clean() -> None:
    assert [finding for finding in lint_library(ROOT) if "supplier" in str(finding)] == []
    assert_lint_clean()


def test_the_example_shows_kpis_window_and_lump_sum(built: dict[str, str]) -> None:
    de, en = built["de"], built["en"]
    assert "| Fehlerquote | höchstens 100 ppm | je Kalendermonat |" in de
    assert "| Termin- und Mengentreue (OTIF) | mindestens 95\xa0% | je Kalendermonat |" in de
    assert "| Fristgerecht bestätigte Bestellungen | mindestens 95\xa0% innerhalb von 24 Stunden |" in de
    assert "| Lead time | at most 15 working days | per calendar month |" in en
    assert "frühestens 3 Arbeitstage vor und spätestens 2 Arbeitstage nach dem bestätigten Liefertermin" in de
    assert "(das „**Lieferfenster**“)" in de
    assert "no earlier than 3 Working Days before and no later than 2 Working Days after" in en
    assert "für jeden angefangenen Arbeitstag nach dem Ende des Lieferfensters pauschalierten Schadensersatz" in de
    assert "in Höhe von 0,2\xa0% des Nettowerts der verspäteten Lieferung" in de
    assert "insgesamt höchstens 5\xa0% dieses Nettowerts" in de
    assert "Dem Auftragnehmer ist der Nachweis ausdrücklich gestattet" in de
    assert "Servicegutschrift" not in de


def test_the_rejection_clause_applies_section_377_hgb_between_merchants(built: dict[str, str]) -> None:
    de, en = built["de"], built["en"]
    assert "### 2.4 Wareneingangsprüfung, Mängelanzeige und Zurückweisung fehlerhafter Lose" in de
    assert "innerhalb von 5 Arbeitstagen nach Eingang der Lieferung in Textform an" in de
    assert "Im Übrigen gilt § 377 HGB mit diesen Maßgaben." in de
    assert "innerhalb von 3 Arbeitstagen nach Zugang der Zurückweisung" in de
    assert "darf der Auftraggeber das gesamte Los zurückweisen" in de
    assert "section 377 of the German Commercial Code (HGB) applies" in en
    assert "gelten die gesetzlichen Vorschriften über den Kauf (§§ 434 ff. BGB)" in de
    assert "Dienstleistungen (§§ 611 ff. BGB)" not in de


def test_without_two_merchants_section_377_does_not_apply(tmp_path: Path) -> None:
    path = variation(tmp_path, EXAMPLE, {"parties.provider.merchant": False})
    de = build_markdown(path, tmp_path / "out")["de"]
    assert "§ 377 HGB ist nicht anzuwenden, weil nicht beide Parteien Kaufleute sind" in de
    assert "Im Übrigen gilt § 377 HGB" not in de


def test_english_law_keeps_the_right_to_reject_until_inspection(
    tmp_path: Path,
) -> None:
    changes = {
        "agreement.governing_law": "en-gb",
        "agreement.contract_type": ...,
        "agreement.main_contract": ...,
        "agreement.term": {"months": 24, "auto_renew": False},
        "agreement.jurisdiction": "London",
        "liability.cap_percent": 100,
        "price.monthly_fee": 1000,
        "price.currency": "GBP",
        "scope.territory": ["GB"],
        "parties.provider.country": "GB",
        "parties.customer.country": "GB",
        "service.time_zone": "Europe/London",
    }
    en = build_markdown(variation(tmp_path, EXAMPLE, changes), tmp_path / "out")["en"]
    assert "A delivery is not deemed accepted (section 35 of the Sale of Goods Act 1979)" in en
    assert "liquidated damages of 0.2% of the net value of the late delivery" in en
    assert "they are not a penalty" in en
    assert "section 377" not in en
    assert "The terms implied by sections 13 to 15 of the Sale of Goods Act 1979 are not excluded." in en
    assert "All other warranties, conditions and terms implied by statute" not in en


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"late_delivery.rate": "0.5%"}, "late_delivery.rate", "0.5 % a working day exceed the 0.3 % a working day"),
        (
            {"late_delivery.rate": "2%", "late_delivery.period": "week"},
            "late_delivery.rate",
            "2 % a week exceed the 1.5 % a week",
        ),
        ({"late_delivery.cap": "10%"}, "late_delivery.cap", "a cap of 10 % of the late delivery's net value exceeds"),
        (
            {"late_delivery.rate": "0.3%", "late_delivery.cap": "0.2%"},
            "late_delivery.cap",
            "the cap (0.2 %) is below the damages for a single period late (0.3 %)",
        ),
    ],
)
def test_lump_sums_beyond_standard_terms_control_are_refused(
    tmp_path: Path, changes: dict[str, Any], key: str, words: str
) -> None:
    code, text = checked(tmp_path, changes)
    assert code == 2
    assert f"{key}: " in text
    assert words in text
    assert "Traceback" not in text


def test_the_supplier_s_own_form_is_not_held_to_the_limits(tmp_path: Path) -> None:
    code, text = checked(tmp_path, {"agreement.drafted_by": "provider", "late_delivery.cap": "10%"})
    assert code == 0, text


def test_a_deliveries_catalog_as_a_service_contract_is_warned_about(tmp_path: Path) -> None:
    code, text = checked(tmp_path, {"agreement.contract_type": "service"})
    assert code == 1  # warnings only
    assert "agreement.contract_type: warning: the catalog 'supplier' is one of deliveries of goods" in text


def test_the_catalog_page_documents_every_kpi_and_the_limits() -> None:
    page = (ROOT / "docs" / "catalogs" / "supplier.md").read_text(encoding="utf-8")
    catalog = yaml.safe_load((ROOT / "tiers" / "supplier.yaml").read_text(encoding="utf-8"))
    for kpi_id in catalog["kpis"]:
        assert f"`{kpi_id}`" in page, kpi_id
    assert "≤ 0.3 % per working day" in page
    assert "≤ 5 % of the late delivery's net value" in page


def test_a_multi_level_agreement_states_each_tier_s_window(tmp_path: Path) -> None:
    changes = {
        "agreement.model": "multi-level",
        "service.offered_tiers": ["standard", "preferred", "strategic"],
        "service.tier": ...,
    }
    texts = build_markdown(variation(tmp_path, EXAMPLE, changes), tmp_path / "out")
    de, en = texts["de"], texts["en"]
    assert "in der Leistungsstufe Strategic frühestens 2 Arbeitstage vor und spätestens 1 Arbeitstag nach" in de
    assert "in the Standard tier no earlier than 5 Working Days before and no later than 3 Working Days after" in en
    assert "für jeden angefangenen Arbeitstag nach dem Ende des Lieferfensters" in de
