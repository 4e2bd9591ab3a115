"""The finance and accounting outsourcing catalog (tiers/finance-bpo.yaml) and its example.

The example builds in both languages, lints clean, shows the KPIs and the targets of its tier (working days
for the close and invoice entry), the processing annex names the data of accounting and payroll, and an
agreement that says the provider processes no personal data is refused, naming data_protection.processing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from slagen.formatting import format_value
from slagen.library import Library
from slagen.lint import lint_library
from slagen.params import Param, ParamError, coerce_value

from .conftest import EXAMPLES, ROOT, example_with
from .helpers import assert_higher_tiers_promise_more, assert_lint_clean, build_markdown, built_example, slagen

EXAMPLE = EXAMPLES / "finance-bpo.yaml"


built = built_example(EXAMPLE)


def test_the_catalog_declares_its_kinds_and_three_tiers(library: Library) -> None:
    catalog = library.catalogs["finance-bpo"]
    assert catalog.declared.kinds == ("work_items", "business_processes")
    assert catalog.declared.remedies == ("service_credits",)
    assert catalog.credit_kpi == "processing_accuracy"
    assert [tier.id for tier in catalog.tiers.values()] == ["standard", "advanced", "premium"]
    assert catalog.kpis["close_time"].unit == "working_days"
    assert [catalog.tiers[t].targets["close_time"] for t in ("standard", "advanced", "premium")] == [8, 5, 3]
    assert catalog.kpis["invoice_entry_time"].feeds == "invoice_entry_compliance"


def test_higher_tiers_promise_more_on_every_kpi(library: Library) -> None:
    assert_higher_tiers_promise_more(library.catalogs["finance-bpo"])


def test_the_library_lints_clean() -> None:
    assert [finding for finding in lint_library(ROOT) if "finance-bpo" in str(finding)] == []
    assert_lint_clean()


def test_the_example_shows_the_kpis_and_targets_in_both_languages(built: dict[str, str]) -> None:
    de, en = built["de"], built["en"]
    assert "| Monatsabschluss | höchstens 5 Arbeitstage | je Kalendermonat |" in de
    assert "| Month-end close | at most 5 working days | per calendar month |" in en
    assert "| Fristgerecht erfasste Rechnungen | mindestens 97\xa0% innerhalb von 2 Arbeitstagen |" in de  # dative
    assert "| Invoices entered in time | at least 97% within 2 working days | per calendar month |" in en
    assert "| Processing accuracy (first-pass yield) | at least 98.5% | per calendar month |" in en
    assert "| Payroll release before pay day | at least 2 working days | per calendar month |" in en
    assert "| Queries answered in time | at least 95% within 8 hours | per calendar month |" in en
    assert "| from 97.5% to below 98.5% | 5% |" in en


def test_the_processing_annex_names_the_data_of_accounting_and_payroll(built: dict[str, str]) -> None:
    en = built["en"]
    assert "## Schedule 4 – Processing of personal data (Article 28(3) UK GDPR)" in en
    assert "in order to run the agreed finance, accounting and payroll processes for the Customer" in en
    assert "trade union membership for deducting union subscriptions" in en  # UK payroll: no church tax
    assert "special categories of personal data under Article 9(1) UK GDPR" in en
    assert "Employees and former employees of the Customer" in en
    assert "Kirchensteuer" not in built["de"]
    assert "Gewerkschaftszugehörigkeit" in built["de"]


def test_under_german_law_the_annex_names_church_tax(write_answers: Callable[..., Path], tmp_path: Path) -> None:
    data = example_with(
        EXAMPLE,
        {
            "agreement.governing_law": "de",
            "agreement.jurisdiction": "Frankfurt am Main",
            "agreement.amendment_form": ...,
            "liability": ...,
            "credits.legal_nature": "lump_sum_damages",
            "scope.territory": ["DE"],
            "service.holidays": ...,
            "price.currency": "EUR",
        },
    )
    for role in ("provider", "customer"):
        data["parties"][role].update(country="DE", merchant=True)
    path = write_answers(yaml.safe_dump(data, allow_unicode=True))
    de = build_markdown(path, tmp_path / "out")["de"]
    assert "die Religionszugehörigkeit für die Kirchensteuer" in de
    assert "besondere Kategorien personenbezogener Daten nach Art. 9 Abs. 1 DSGVO" in de


def test_no_processing_is_refused_naming_the_key(write_answers: Callable[..., Path], tmp_path: Path) -> None:
    data = example_with(EXAMPLE, {"data_protection.processing": False, "data_protection.agreement": ...})
    path = write_answers(yaml.safe_dump(data, allow_unicode=True))
    run = slagen("build", str(path), "-o", str(tmp_path / "out"))
    assert run.code == 2
    err = run.err
    assert "data_protection.processing" in err
    assert "runs business processes on the customer's data" in err
    assert "Art. 28 UK GDPR" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("written", "days"), [("T+3", 3), ("t + 5", 5), (2, 2), ("3 working days", 3), ("4 Arbeitstage", 4), ("1 AT", 1)]
)
def test_working_days_are_read_as_written(written: object, days: int) -> None:
    assert coerce_value(Param("close", "working_days"), written) == Decimal(days)


@pytest.mark.parametrize("written", ["T+2.5", "3 weeks", "soon", True])
def test_working_days_refuse_what_is_no_whole_number_of_working_days(written: object) -> None:
    with pytest.raises(ParamError, match="working days"):
        coerce_value(Param("close", "working_days"), written)


def test_working_days_are_printed_in_each_language() -> None:
    assert format_value(Decimal(3), "working_days", "de_DE") == "3 Arbeitstage"
    assert format_value(Decimal(1), "working_days", "de_DE") == "1 Arbeitstag"
    assert format_value(Decimal(5), "working_days", "en_GB") == "5 working days"
    assert format_value(Decimal(1), "working_days", "en_GB") == "1 working day"


def test_the_catalog_page_documents_every_kpi() -> None:
    page = (ROOT / "docs" / "catalogs" / "finance-bpo.md").read_text(encoding="utf-8")
    catalog = yaml.safe_load((ROOT / "tiers" / "finance-bpo.yaml").read_text(encoding="utf-8"))
    for kpi_id in catalog["kpis"]:
        assert f"`{kpi_id}`" in page, kpi_id
