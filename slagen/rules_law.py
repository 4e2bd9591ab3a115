"""Validation rules on the law that fits the parties: who they are, where they sit, where the calls go.

Each rule reads the typed answers of :class:`slagen.rules.Agreement` and reports through its
:class:`slagen.rules.Report`, like the rules of :mod:`slagen.rules`, which runs them (:data:`LAW_RULES`):
a consumer customer is refused (slagen writes business-to-business agreements only); English law
chosen in a purely German case is warned about (Rome I Art. 3 (3)); and under the laws of England
and Wales the answers whose defaults are German must be stated.

A purely German case is the derived value ``domestic_de`` (:mod:`slagen.derived`): both parties have
their registered office in Germany (``parties.*.country``) and the services are performed only from
Germany (``scope.territory``); the clauses ``legal.liability`` and ``legal.liability_ew`` and the
templates of ``legal.law``, ``legal.final``, ``legal.exit`` and ``legal.warranty`` read the same value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from slagen.derived import of_values

if TYPE_CHECKING:
    from slagen.rules import Agreement, Report

STATED_UNDER_ENGLISH_LAW = {
    "parties.provider.country": "the provider's country (the default is Germany)",
    "parties.customer.country": "the customer's country (the default is Germany)",
    "scope.territory": "the countries the services are performed from (the default is Germany)",
    "service.time_zone": "the time zone of every time the agreement states (the default is Europe/Berlin)",
    "price.currency": "the currency of the fees (the default is EUR)",
    "telemarketing.market": "where the numbers called are (the default is Germany, where the UWG applies)",
}
"""Answers with a German default that an agreement under the laws of England and Wales must state, and why."""


def rule_consumer(agreement: Agreement, report: Report) -> None:
    """The customer acts as a business: slagen has no consumer contract (§§ 308, 309, 312 ff. BGB; CRA 2015)."""
    values = agreement.values
    if values.get("parties.customer.consumer") and values.get("agreement.kind") == "external":
        report(
            ("parties", "customer", "consumer"),
            "slagen writes agreements between businesses only: a customer who acts as a consumer (§ 13 BGB; "
            "Consumer Rights Act 2015) needs the consumer-protection rules on terms, renewal and withdrawal, which "
            "this library does not have; the agreement states that the customer acts in the course of its business",
        )


def rule_domestic_choice_of_law(agreement: Agreement, report: Report) -> None:
    """English law in a purely German case: German mandatory law, standard-terms law included, still applies."""
    values = agreement.values
    if values.get("agreement.governing_law") != "en-gb" or values.get("agreement.kind") != "external":
        return
    if not of_values(values)["domestic_de"]:
        return
    report(
        ("agreement", "governing_law"),
        "both parties sit in Germany and the services are performed from Germany: the laws of England and Wales "
        "cannot set aside German mandatory law there (Rome I Art. 3 (3)), so German standard-terms law (§§ 305-310 "
        "BGB) still applies; the German liability and severability clauses are kept, and a German court may test "
        "the choice of the English courts against § 38 ZPO",
        warning=True,
    )


def rule_stated_under_english_law(agreement: Agreement, report: Report) -> None:
    """Under the laws of England and Wales, the answers whose defaults are German are stated, not assumed."""
    values = agreement.values
    if values.get("agreement.governing_law") != "en-gb" or values.get("agreement.kind") != "external":
        return
    used = {
        param.key for clause in agreement.library.clauses if clause.id in agreement.clauses for param in clause.params
    }
    for key, what in STATED_UNDER_ENGLISH_LAW.items():
        if key in used and key not in agreement.answered:
            report(
                tuple(key.split(".")),
                f"missing: under the laws of England and Wales state {key}, {what}",
            )


LAW_RULES: tuple[Callable[[Agreement, Report], None], ...] = (
    rule_consumer,
    rule_domestic_choice_of_law,
    rule_stated_under_english_law,
)
"""The rules of this module, in the order :data:`slagen.rules.RULES` runs them."""
