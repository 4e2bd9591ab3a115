"""Validation rule on the agreement's calendar (see :mod:`slagen.rules` and :mod:`slagen.clock`).

Takes the typed answers through :class:`slagen.rules.Agreement` and reports through its ``report``: the
public holidays named in ``service.holidays`` are ones slagen can compute (:data:`slagen.clock.HOLIDAY_CODES`),
so that due times and Working Days are never guessed. A library whose declaration offers a code that has no
holidays behind it is refused here, at ``check`` and ``build``, not when a report is due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slagen.clock import HOLIDAY_CODES, unknown_holidays

if TYPE_CHECKING:
    from slagen.rules import Agreement, Report


def rule_holidays(agreement: Agreement, report: Report) -> None:
    """``service.holidays`` names a public-holiday calendar slagen knows."""
    code = agreement.values.get("service.holidays")
    if code and str(code) not in HOLIDAY_CODES:
        report(("service", "holidays"), unknown_holidays(str(code)))
