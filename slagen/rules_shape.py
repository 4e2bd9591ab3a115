"""Validation rules of the agreement's shape: a term that can end, and terms fit for the drafter's form.

A stand-alone agreement runs for a fixed term that renews unless notice is given; the notice must be
shorter than the term it ends, or it can never be given in time and the agreement renews for ever
(intransparent under § 307 (1) sentence 2 BGB). An agreement that is a schedule to a main contract runs
as long as that contract, and its own term answers are not read. Registered in :data:`slagen.rules.RULES`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slagen.rules import Agreement, Report

LONG_TERM_MONTHS = 36
"""Initial term above which a provider's standard form gets a warning (German law, § 307 BGB)."""
LONG_RENEWAL_MONTHS = 12
"""Renewal above which a provider's standard form gets a warning (German law, § 307 BGB)."""


def rule_term(agreement: Agreement, report: Report) -> None:
    """The notice period is shorter than the term and each renewal; long terms in a provider's form warn."""
    values = agreement.values
    if values.get("agreement.main_contract.date"):
        return  # a schedule runs as long as its main contract (scope.term)
    months, renewal, notice = (
        values.get(f"agreement.term.{key}") for key in ("months", "renewal_months", "notice_months")
    )
    if not isinstance(months, int) or not isinstance(notice, int):
        return
    renews = bool(values.get("agreement.term.auto_renew"))
    if renews:
        for length, key, what in ((months, "months", "the initial term"), (renewal, "renewal_months", "each renewal")):
            if isinstance(length, int) and notice >= length:
                report(
                    ("agreement", "term", "notice_months"),
                    f"a notice period of {_months(notice)} is not shorter than {what} ({_months(length)}, "
                    f"agreement.term.{key}): notice could never be given in time and the agreement would renew "
                    "for ever; shorten agreement.term.notice_months",
                )
                return
    if values.get("agreement.drafted_by", "provider") != "provider" or values.get("agreement.governing_law") != "de":
        return
    if values.get("agreement.kind") == "internal":
        return
    if months > LONG_TERM_MONTHS:
        report(
            ("agreement", "term", "months"),
            f"an initial term of {months} months in the provider's standard terms binds the customer for long; "
            f"above {LONG_TERM_MONTHS} months it needs a reason such as investments to recoup (§ 307 BGB; the "
            "usual term is 12 months, renewing by 12 with 3 months' notice)",
            warning=True,
        )
    if renews and isinstance(renewal, int) and renewal > LONG_RENEWAL_MONTHS:
        report(
            ("agreement", "term", "renewal_months"),
            f"a tacit renewal by {renewal} months in the provider's standard terms binds the customer for long; "
            f"above {LONG_RENEWAL_MONTHS} months it needs a reason (§ 307 BGB; the usual renewal is 12 months "
            "with 3 months' notice)",
            warning=True,
        )


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"
