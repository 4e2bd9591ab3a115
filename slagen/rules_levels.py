"""Validation rules on the Service Tiers a multi-level agreement offers (see :mod:`slagen.rules`).

Takes the typed answers through :class:`slagen.rules.Agreement` and reports through its ``report``:
the minimum Service Tier for the fixed term is one of the tiers offered, and the tier chosen is not
below it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slagen.rules import Agreement, Report


def rule_minimum_tier(agreement: Agreement, report: Report) -> None:
    """A minimum Service Tier for the fixed term: one of the tiers offered, and no tier chosen below it."""
    floor_id = agreement.values.get("service.minimum_tier")
    if not floor_id or agreement.values.get("agreement.model") != "multi-level":
        return
    offered = {tier.id: tier for tier in agreement.offered}
    floor = offered.get(str(floor_id))
    if floor is None:
        names = ", ".join(offered) or "none"
        report(("service", "minimum_tier"), f"'{floor_id}' is not one of the tiers offered ({names})")
        return
    chosen = agreement.tier
    if chosen is not None and chosen.id in offered and chosen.rank < floor.rank:
        message = f"the tier chosen ('{chosen.id}') is below the minimum tier for the fixed term ('{floor.id}')"
        report(("service", "tier"), message)
