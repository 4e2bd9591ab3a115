"""Validation rules on money: the English-law cap, the carve-outs each law knows, and whose terms are tested.

Each function is one rule of :data:`slagen.rules.RULES`, reading the same :class:`~slagen.rules.Agreement`.
An English-law cap is chosen, not defaulted (EN-S4); a super-cap does not limit what is unlimited; the
carve-outs of one law are not carried into the other (EN-M2); and the AGB checks aim at the party whose
standard terms the agreement is (``agreement.drafted_by``, DE-S4).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slagen.rules import Agreement, Report

CLAIM_DAYS_WARNING = 30
"""Days below which the provider's own time bar for further service credits is worth a warning."""

UNSETTLED_IN_ENGLISH_LAW = {
    "gross_negligence": "'gross negligence' has no settled meaning in English law, and a carve-out for it can leave "
    "the main exposure uncapped (Triple Point v PTT [2021] UKSC 29); drop it, or use deliberate_default",
    "guarantee": "every warranty of the agreement may be read as a 'guarantee', which would empty the cap; drop it",
}
"""Carve-outs of the German list that English law does not require, with why they harm an English-law cap."""


def _path(key: str) -> tuple[str, ...]:
    return tuple(key.split("."))


def rule_liability_cap(agreement: Agreement, report: Report) -> None:
    """England and Wales: the cap is the parties' choice, complete, and never limits what is unlimited."""
    if "legal.liability_ew" not in agreement.clauses:
        return
    values = agreement.values
    cap = values.get("liability.cap")
    if not agreement.answered & {"liability.cap", "liability.cap_percent"}:
        report(
            _path("liability.cap"),
            f"no cap chosen: the default applies, {values.get('liability.cap_percent')} % of the annual fees per "
            "contract year; answer liability.cap (percent, amount, greater_of or none) to make it the parties' choice",
            warning=True,
        )
    if cap in ("amount", "greater_of") and not agreement.given("liability.cap_amount"):
        report(_path("liability.cap_amount"), f"missing: a cap of '{cap}' needs the amount in price.currency")
    if cap in ("percent", "none") and "liability.cap_amount" in agreement.answered:
        report(_path("liability.cap_amount"), f"ignored: liability.cap is '{cap}'", warning=True)
    if cap in ("amount", "none") and "liability.cap_percent" in agreement.answered:
        report(_path("liability.cap_percent"), f"ignored: liability.cap is '{cap}'", warning=True)
    data_cap = values.get("liability.data_cap_percent")
    if data_cap is None:
        return
    unlimited = set(values.get("liability.unlimited") or ())
    if cap == "none":
        report(_path("liability.data_cap_percent"), "ignored: there is no cap (liability.cap: none)", warning=True)
    elif unlimited & {"confidentiality", "data_protection"}:
        report(
            _path("liability.data_cap_percent"),
            "confidentiality and data protection are unlimited in liability.unlimited, which a super-cap would "
            "limit; drop them there or leave liability.data_cap_percent out",
        )
    elif cap == "percent" and Decimal(data_cap) <= Decimal(values.get("liability.cap_percent") or 0):
        report(
            _path("liability.data_cap_percent"),
            "the super-cap is not above the general cap (liability.cap_percent), so it only lowers the limit",
            warning=True,
        )


def rule_carve_outs(agreement: Agreement, report: Report) -> None:
    """Each law's carve-outs: no German ones that harm an English-law cap, no English ones under German law."""
    unlimited = agreement.values.get("liability.unlimited") or ()
    where = _path("liability.unlimited")
    if "legal.liability_ew" in agreement.clauses:
        for case in unlimited:
            if case in UNSETTLED_IN_ENGLISH_LAW:
                report(where, UNSETTLED_IN_ENGLISH_LAW[case], warning=True)
    if "legal.liability" in agreement.clauses and "deliberate_default" in unlimited:
        report(
            where,
            "deliberate_default is a carve-out of English law; under German law intent and gross negligence "
            "are unlimited already: drop it",
        )


def rule_credits_nature(agreement: Agreement, report: Report) -> None:
    """The legal nature of credits in the governing law's own terms, and the rental contract's natural choice."""
    if "organisation.credits" not in agreement.clauses:
        return
    values = agreement.values
    nature = values.get("credits.legal_nature")
    german = values.get("agreement.governing_law") == "de"
    if german and nature == "liquidated_damages":
        report(
            _path("credits.legal_nature"),
            "liquidated damages are a term of English law; under German law choose lump_sum_damages "
            "(pauschalierter Schadensersatz, proof of a lower loss allowed), penalty or fee_adjustment",
        )
    if german and "credits.sole_remedy" in agreement.answered:
        report(
            _path("credits.sole_remedy"),
            "ignored: under German law the customer keeps its further claims (proof of a higher damage)",
            warning=True,
        )
    if (
        german
        and values.get("agreement.contract_type") == "rental"
        and "credits.legal_nature" not in agreement.answered
    ):
        report(
            _path("credits.legal_nature"),
            "a rental contract: fee_adjustment fits best (a contractual rent reduction without fault); "
            f"the default {nature} requires fault; answer credits.legal_nature",
            warning=True,
        )


def rule_drafted_by(agreement: Agreement, report: Report) -> None:
    """German AGB control protects the other party: test the clauses that favour the party whose terms these are."""
    values = agreement.values
    if values.get("agreement.governing_law") != "de" or values.get("agreement.drafted_by") != "provider":
        return
    days = values.get("credits.claim_days")
    if "organisation.credits" in agreement.clauses and days is not None and days < CLAIM_DAYS_WARNING:
        report(
            _path("credits.claim_days"),
            f"the provider's standard terms bar further service credits after {days} days; a time bar this "
            f"short is at risk under § 307 BGB: give at least {CLAIM_DAYS_WARNING} days",
            warning=True,
        )
