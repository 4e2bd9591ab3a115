"""The supplier and logistics catalog (tiers/supplier.yaml), its clauses and the lump-sum rule.

The example builds in both languages, lints clean and shows the KPIs, the delivery window and the
rejection procedure (§ 377 HGB between merchants under German law); lump-sum damages for late delivery
whose rate or cap fails German standard-terms control are refused with exit 2, naming the key.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from slagen.cli import main
from slagen.library import Library
from slagen.lint import lint_library

from .conftest import EXAMPLES, ROOT, example_with

EXAMPLE = EXAMPLES / "supplier.yaml"


def slagen(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("supplier")
    code, _, err = slagen("build", str(EXAMPLE), "-o", str(out))
    assert code == 0, err
    return {lang: (out / f"supplier.{lang}.md").read_text(encoding="utf-8") for lang in ("de", "en")}


def check(write_answers: Callable[..., Path], changes: dict[str, Any]) -> tuple[int, str]:
    path = write_answers(yaml.safe_dump(example_with(EXAMPLE, changes), allow_unicode=True))
    code, out, err = slagen("check", str(path))
    return code, out + err


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
    catalog = library.catalogs["supplier"]
    tiers = sorted(catalog.tiers.values(), key=lambda tier: tier.rank)
    for lower, higher in itertools.pairwise(tiers):
        for kpi_id, kpi in catalog.kpis.items():
            assert kpi.better(higher.targets[kpi_id], lower.targets[kpi_id]), (kpi_id, lower.id, higher.id)


def test_the_library_lints_clean() -> None:
    assert [finding for finding in lint_library(ROOT) if "supplier" in str(finding)] == []
    code, out, _ = slagen("lint")
    assert (code, out.strip()) == (0, "library ok")


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


def test_without_two_merchants_section_377_does_not_apply(write_answers: Callable[..., Path], tmp_path: Path) -> None:
    data = example_with(EXAMPLE, {"parties.provider.merchant": False})
    path = write_answers(yaml.safe_dump(data, allow_unicode=True))
    code, _, err = slagen("build", str(path), "-o", str(tmp_path / "out"))
    assert code == 0, err
    de = (tmp_path / "out" / "answers.de.md").read_text(encoding="utf-8")
    assert "§ 377 HGB ist nicht anzuwenden, weil nicht beide Parteien Kaufleute sind" in de
    assert "Im Übrigen gilt § 377 HGB" not in de


def test_english_law_keeps_the_right_to_reject_until_inspection(
    write_answers: Callable[..., Path], tmp_path: Path
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
    path = write_answers(yaml.safe_dump(example_with(EXAMPLE, changes), allow_unicode=True))
    code, _, err = slagen("build", str(path), "-o", str(tmp_path / "out"))
    assert code == 0, err
    en = (tmp_path / "out" / "answers.en.md").read_text(encoding="utf-8")
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
    write_answers: Callable[..., Path], changes: dict[str, Any], key: str, words: str
) -> None:
    code, text = check(write_answers, changes)
    assert code == 2
    assert f"{key}: " in text
    assert words in text
    assert "Traceback" not in text


def test_the_supplier_s_own_form_is_not_held_to_the_limits(write_answers: Callable[..., Path]) -> None:
    code, text = check(write_answers, {"agreement.drafted_by": "provider", "late_delivery.cap": "10%"})
    assert code == 0, text


def test_a_deliveries_catalog_as_a_service_contract_is_warned_about(write_answers: Callable[..., Path]) -> None:
    code, text = check(write_answers, {"agreement.contract_type": "service"})
    assert code == 1  # warnings only
    assert "agreement.contract_type: warning: the catalog 'supplier' is one of deliveries of goods" in text


def test_the_catalog_page_documents_every_kpi_and_the_limits() -> None:
    page = (ROOT / "docs" / "catalogs" / "supplier.md").read_text(encoding="utf-8")
    catalog = yaml.safe_load((ROOT / "tiers" / "supplier.yaml").read_text(encoding="utf-8"))
    for kpi_id in catalog["kpis"]:
        assert f"`{kpi_id}`" in page, kpi_id
    assert "≤ 0.3 % per working day" in page
    assert "≤ 5 % of the late delivery's net value" in page


def test_a_multi_level_agreement_states_each_tier_s_window(write_answers: Callable[..., Path], tmp_path: Path) -> None:
    changes = {
        "agreement.model": "multi-level",
        "service.offered_tiers": ["standard", "preferred", "strategic"],
        "service.tier": ...,
    }
    path = write_answers(yaml.safe_dump(example_with(EXAMPLE, changes), allow_unicode=True))
    code, _, err = slagen("build", str(path), "-o", str(tmp_path / "out"))
    assert code == 0, err
    de = (tmp_path / "out" / "answers.de.md").read_text(encoding="utf-8")
    en = (tmp_path / "out" / "answers.en.md").read_text(encoding="utf-8")
    assert "in der Leistungsstufe Strategic frühestens 2 Arbeitstage vor und spätestens 1 Arbeitstag nach" in de
    assert "in the Standard tier no earlier than 5 Working Days before and no later than 3 Working Days after" in en
    assert "für jeden angefangenen Arbeitstag nach dem Ende des Lieferfensters" in de
