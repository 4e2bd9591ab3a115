"""Validation rules that a catalog's declarations call for: processing of business data, lump-sum damages.

Rules of :data:`slagen.rules.RULES` that read what the chosen catalog declares, never its id: a catalog of
``business_processes`` (accounting, payroll) processes the customer's personal data on its behalf, so the
agreement must say so; the lump-sum damages for late deliveries (clause ``organisation.late_delivery``, a
catalog with the remedy ``lump_sum_damages``) keep within what German standard-terms control lets stand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from slagen.rules_privacy import uk_regime

if TYPE_CHECKING:
    from slagen.rules import Agreement, Report

LUMP_SUM_DAILY_LIMIT = Decimal("0.3")
"""Most lump-sum damages per working day, in % of the late delivery's net value, in the customer's standard terms
under German law: the daily rate German case law on late completion treats as safe in standard terms."""
LUMP_SUM_CAP_LIMIT = Decimal(5)
"""Most lump-sum damages for one late delivery, in % of its net value, in the customer's standard terms under
German law: the limit the BGH sets for contractual penalties in standard terms (VII ZR 210/01), by analogy."""
WORKING_DAYS_PER_WEEK = 5


def _path(key: str) -> tuple[str, ...]:
    return tuple(key.split("."))


def rule_business_processes(agreement: Agreement, report: Report) -> None:
    """A provider running the customer's accounting or payroll processes its personal data on its behalf."""
    catalog, values = agreement.catalog, agreement.values
    if catalog is None or "business_processes" not in catalog.declared.kinds:
        return
    if values.get("agreement.kind") == "internal" or values.get("data_protection.processing"):
        return
    article = "Art. 28 UK GDPR" if uk_regime(values) else "Art. 28 GDPR"
    report(
        _path("data_protection.processing"),
        f"the catalog '{catalog.id}' runs business processes on the customer's data (such as accounts payable and "
        "payroll), which contain personal data of employees, suppliers and customers: that is processing on the "
        f"customer's behalf and needs a processing agreement ({article}); set data_protection.processing: true "
        "and name the agreement in data_protection.agreement",
    )


def rule_lump_sum(agreement: Agreement, report: Report) -> None:
    """Lump-sum damages for late delivery: a cap above one period's rate; German limits in the customer's terms."""
    if "organisation.late_delivery" not in agreement.clauses:
        return
    values = agreement.values
    rate = Decimal(values.get("late_delivery.rate") or 0)
    cap = Decimal(values.get("late_delivery.cap") or 0)
    weekly = values.get("late_delivery.period") == "week"
    if cap < rate:
        report(
            _path("late_delivery.cap"),
            f"the cap ({cap} %) is below the damages for a single period late ({rate} %): raise late_delivery.cap "
            "or lower late_delivery.rate",
        )
    if values.get("agreement.governing_law") != "de" or values.get("agreement.drafted_by") != "customer":
        return  # German standard-terms control protects the provider only against the customer's own terms
    daily = rate / WORKING_DAYS_PER_WEEK if weekly else rate
    if daily > LUMP_SUM_DAILY_LIMIT:
        per = "a week" if weekly else "a working day"
        limit = LUMP_SUM_DAILY_LIMIT * WORKING_DAYS_PER_WEEK if weekly else LUMP_SUM_DAILY_LIMIT
        report(
            _path("late_delivery.rate"),
            f"the customer's standard terms under German law: lump-sum damages of {rate} % {per} exceed the "
            f"{limit} % {per} that is taken as the typical loss from late delivery (§ 309 no. 5 a BGB, applied "
            f"through § 307 BGB); lower late_delivery.rate to at most {limit} %",
        )
    if cap > LUMP_SUM_CAP_LIMIT:
        report(
            _path("late_delivery.cap"),
            f"the customer's standard terms under German law: a cap of {cap} % of the late delivery's net value "
            f"exceeds the {LUMP_SUM_CAP_LIMIT} % of the order value that the courts let stand in standard terms "
            "(BGH VII ZR 210/01, § 307 BGB); lower late_delivery.cap to at most 5 %",
        )


def rule_goods(agreement: Agreement, report: Report) -> None:
    """Under German law, deliveries of goods are a sale: the contract type says so (a warning otherwise)."""
    catalog, values = agreement.catalog, agreement.values
    if catalog is None or "deliveries" not in catalog.declared.kinds or "legal.warranty" not in agreement.clauses:
        return
    if values.get("agreement.governing_law") == "de" and values.get("agreement.contract_type") != "sale":
        report(
            _path("agreement.contract_type"),
            f"the catalog '{catalog.id}' is one of deliveries of goods, which German law treats as a sale "
            f"(§§ 433 ff., § 650 BGB), but agreement.contract_type is '{values.get('agreement.contract_type')}'; "
            "set it to sale, unless the provider transports or handles goods as a service",
            warning=True,
        )


CATALOG_RULES = (rule_business_processes, rule_lump_sum, rule_goods)
"""The rules of this module, in the order :data:`slagen.rules.RULES` runs them."""
