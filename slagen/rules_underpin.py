"""The underpinning rule: an agreement that underpins an external SLA promises at least what that SLA promises.

An operational level agreement (or a subcontract) that underpins an external service level agreement
names it under ``agreement.underpins``: its reference, its catalog (by default this agreement's) and its
tier, optionally a hand-off time and pairs of KPIs. For every KPI the answers pair and, where both use the
same catalog, every KPI of it, this agreement's target may not be weaker than the
external one: a time no longer, an availability or rate no lower. A time limit per event that completes
the work (one not bounded by another time limit: a restore or resolution time, not a response time)
must also leave the hand-off time, which the external provider needs after this one has finished. Each
breach names the answer to change and both values.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slagen.catalogs import Catalog, Kpi, Tier
from slagen.params import Duration
from slagen.params.values import unknown_choice

if TYPE_CHECKING:
    from slagen.rules import Agreement, Report

KEY = "agreement.underpins"
"""The answers that name the external agreement."""


def rule_underpins(agreement: Agreement, report: Report) -> None:
    """Each shared or paired KPI is at least as strong here as in the external agreement this one underpins."""
    values = agreement.values
    given = [key for key in agreement.answered if key.startswith(f"{KEY}.")]
    for part in ("reference", "tier"):
        if given and not agreement.given(f"{KEY}.{part}"):
            report(_path(part), f"missing: an agreement that underpins another names its {part} ({KEY}.{part})")
    tier_id = values.get(f"{KEY}.tier")
    own = agreement.catalog
    if not tier_id or own is None:
        return
    catalog_id = values.get(f"{KEY}.catalog") or own.id
    external = agreement.library.catalogs.get(catalog_id)
    if external is None:
        report(_path("catalog"), unknown_choice("catalog", catalog_id, sorted(agreement.library.catalogs), ""))
        return
    tier = external.tiers.get(tier_id)
    if tier is None:
        report(_path("tier"), unknown_choice("tier", tier_id, list(external.tiers), f" in catalog '{external.id}'"))
        return
    pairs = list(_pairs(own, external, values.get(f"{KEY}.kpis") or (), report))
    handoff: Duration | None = values.get(f"{KEY}.handoff")
    reference = values.get(f"{KEY}.reference") or ""
    overrides = values.get("service.overrides") or {}
    for own_tier, targets in zip(agreement.offered, agreement.all_targets(), strict=False):
        for mine, theirs in pairs:
            if mine.id not in targets or theirs.id not in tier.targets:
                continue
            found = _weaker(mine, targets[mine.id], tier.targets[theirs.id], handoff)
            if found:
                where = ("service", "overrides", mine.id) if mine.id in overrides else ("service", "tier")
                if values.get("agreement.model") == "multi-level":
                    where = ("service", "offered_tiers")
                report(where, _message(mine, theirs, own_tier, tier, external, reference, found))
        shorter = _shorter_clock(own, own_tier, tier)
        if shorter:
            where = (
                ("service", "offered_tiers") if values.get("agreement.model") == "multi-level" else ("service", "tier")
            )
            report(
                where,
                f"tier '{own_tier.id}' {shorter} than tier '{tier.id}' of the external agreement it underpins "
                f"({KEY}.tier): time limits counted during service hours run on a shorter clock here; "
                "check that they still end in time",
                warning=True,
            )


def _pairs(own: Catalog, external: Catalog, paired: Any, report: Report) -> Iterator[tuple[Kpi, Kpi]]:
    """The KPIs compared: those the answers pair and, under the same catalog, every other one (same id)."""
    named: set[str] = set()
    for i, pair in enumerate(paired):
        mine, theirs = own.kpis.get(pair.get("kpi")), external.kpis.get(pair.get("external"))
        if mine is None:
            report(_path("kpis", str(i), "kpi"), unknown_choice("KPI", pair.get("kpi"), list(own.kpis), ""))
        elif theirs is None:
            where = f" in catalog '{external.id}'"
            report(
                _path("kpis", str(i), "external"),
                unknown_choice("KPI", pair.get("external"), list(external.kpis), where),
            )
        elif (mine.unit, mine.direction) != (theirs.unit, theirs.direction):
            report(
                _path("kpis", str(i)),
                f"'{mine.id}' ({mine.unit}, {mine.direction}) cannot be compared with '{theirs.id}' "
                f"({theirs.unit}, {theirs.direction}): pair KPIs of the same unit and direction",
            )
        else:
            named.add(mine.id)
            yield mine, theirs
    for kpi_id, mine in own.kpis.items() if own.id == external.id else ():
        theirs = external.kpis.get(kpi_id)
        if (
            kpi_id not in named
            and theirs is not None
            and (mine.unit, mine.direction) == (theirs.unit, theirs.direction)
        ):
            yield mine, theirs


def _shorter_clock(own: Catalog, mine: Tier, theirs: Tier) -> str:
    """How this tier's clock is shorter than the external tier's (service hours, days, priorities around the clock)."""
    start, end = (str(mine.terms.get(t, "")) for t in ("service_from", "service_to"))
    their_start, their_end = (str(theirs.terms.get(t, "")) for t in ("service_from", "service_to"))
    if start and their_start and end and their_end and (start > their_start or end < their_end):
        return f"has shorter service hours ({start}–{end} against {their_start}–{their_end})"
    declared = own.terms.get("service_days")
    order = declared.choices if declared is not None else ()
    days = str(mine.terms.get("service_days", "")), str(theirs.terms.get("service_days", ""))
    if all(d in order for d in days) and order.index(days[0]) < order.index(days[1]):
        return f"has fewer service days ({days[0]} against {days[1]})"
    clock = set(theirs.terms.get("calendar_clock") or ()) - set(mine.terms.get("calendar_clock") or ())
    if clock and "calendar_clock" in own.terms:
        return f"counts {', '.join(sorted(clock))} during service hours only, not around the clock"
    return ""


def _weaker(kpi: Kpi, mine: Any, theirs: Any, handoff: Duration | None) -> tuple[str, str] | None:
    """Both values as printed if ``mine`` promises less than ``theirs`` (less the hand-off for a time), else None."""
    if isinstance(mine, Duration) and isinstance(theirs, Duration):
        completes = kpi.direction == "at_most" and kpi.per == "event" and not kpi.bounded_by
        allowed = theirs.seconds - (handoff.seconds if handoff and completes else Decimal(0))
        if mine.seconds > allowed:
            limit = f"{theirs}" if allowed == theirs.seconds else f"{theirs} less the hand-off of {handoff}"
            if allowed <= 0:
                limit += " (nothing left)"
            return str(mine), limit
        return None
    a, b = Decimal(str(mine)), Decimal(str(theirs))
    if (kpi.direction == "at_most" and a > b) or (kpi.direction == "at_least" and a < b):
        unit = " %" if kpi.unit == "percent" else (" ppm" if kpi.unit == "ppm" else "")
        return f"{a}{unit}", f"{b}{unit}"
    return None


def _message(
    mine: Kpi, theirs: Kpi, own_tier: Tier, tier: Tier, external: Catalog, ref: str, found: tuple[str, str]
) -> str:
    weaker = (
        "longer"
        if mine.direction == "at_most" and mine.unit == "duration"
        else ("higher" if mine.direction == "at_most" else "lower")
    )
    name = f"'{mine.id}'" if mine.id == theirs.id else f"'{mine.id}' (paired with '{theirs.id}')"
    agreement = f"the external agreement {ref}" if ref else "the external agreement"
    return (
        f"KPI {name}: tier '{own_tier.id}' promises {found[0]}, {weaker} than the {found[1]} of tier '{tier.id}' "
        f"of catalog '{external.id}' in {agreement} that it underpins ({KEY}.tier); an underpinning agreement "
        "must promise at least as much"
    )


def _path(*more: str) -> tuple[str, ...]:
    return (*KEY.split("."), *more)
