"""Ticket KPIs: each event's time on the agreed clock against its limit, and the attainment rate they feed.

An event counts in the month in which it was reported (``created``), if that falls inside the measured part
of the period. A measure (``event_duration``) applies to a ticket of its kind and, if it names one, of its
priority (and only to restores from the backup if it says so); it is met if its end stamp is no later than
the due time, which is the limit counted on the measure's clock from its start stamp with the paused
intervals left out. A ticket still open at the end of the period is missed if its due time has passed, and
otherwise not yet decided (listed, not counted). A ticket meets the attainment rate if every measure that
applies to it is met. Small-sample rule: no event — met; fewer than ``min_events`` — met if no more than
``misses`` missed; else the rate (met ÷ decided × 100) must reach the target. With ``by: priority`` each
priority is decided alone and the Service Level is met only if every priority is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from msgspec.structs import replace

from slagen.catalogs import Kpi
from slagen.measured.records import Ticket
from slagen.report.model import Event, Formula, Period, Result

HUNDRED = Decimal(100)
Clock = Callable[[Kpi, str], Any]
"""Gives the ``slagen.clock.ServiceCalendar`` a measure runs on for a priority."""


def attainment(
    kpi: Kpi, target: Decimal, measures: list[tuple[Kpi, Any]], tickets: tuple[Ticket, ...], period: Period,
    clock: Clock,
) -> Result:  # fmt: skip
    """The attainment result of ``kpi`` from the ``measures`` (KPI, target) that feed it."""
    measure = kpi.measure
    assert measure is not None
    kind = measure.param("tickets")
    chosen = [t for t in tickets if t.kind == kind and period.measured_start <= t.created < period.measured_end]
    events = [event for ticket in chosen for event in _events(ticket, measures, period, clock)]
    by_ticket: dict[str, list[Event]] = {}
    for event in events:
        by_ticket.setdefault(event.id, []).append(event)
    groups = sorted({t.priority for t in chosen}) if measure.param("by") == "priority" else [""]
    parts = []
    for group in groups:
        ids = [t.id for t in chosen if not group or t.priority == group]
        parts.append(_rate(kpi, target, group, ids, by_ticket, int(measure.param("min_events", 0)),
                           int(measure.param("misses", 0))))  # fmt: skip
    late = tuple(e for e in events if e.met is not True)
    if len(parts) == 1 and not parts[0].group:
        return replace(parts[0], events=late)
    met = all(part.met for part in parts)
    return Result(
        kpi.id, kpi.unit, kpi.direction, kpi.role, target, None, met, None, "per_group", events=late,
        parts=tuple(parts),
    )  # fmt: skip


def _rate(
    kpi: Kpi, target: Decimal, group: str, ids: list[str], by_ticket: dict[str, list[Event]], minimum: int,
    allowed: int,
) -> Result:  # fmt: skip
    verdicts = [_ticket_met(by_ticket.get(i, [])) for i in ids]
    decided = [v for v in verdicts if v is not None]
    met_count, misses = sum(decided), len(decided) - sum(decided)
    numbers = {"met": Decimal(met_count), "events": Decimal(len(decided)), "missed": Decimal(misses),
               "open": Decimal(len(verdicts) - len(decided)), "min_events": Decimal(minimum),
               "misses_allowed": Decimal(allowed)}  # fmt: skip
    if not decided:
        return Result(kpi.id, kpi.unit, kpi.direction, kpi.role, target, None, True,
                      Formula("attainment_none", numbers), "no_events", group=group)  # fmt: skip
    exact = Decimal(met_count) / Decimal(len(decided)) * HUNDRED
    value = exact.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    numbers["exact"] = exact
    if len(decided) < minimum:
        met, kind = misses <= allowed, "attainment_small"
    else:
        met, kind = exact >= target, "attainment"
    return Result(kpi.id, kpi.unit, kpi.direction, kpi.role, target, value, met, Formula(kind, numbers), group=group)


def _ticket_met(events: list[Event]) -> bool | None:
    if any(e.met is False for e in events):
        return False
    return None if any(e.met is None for e in events) else True


def _events(ticket: Ticket, measures: list[tuple[Kpi, Any]], period: Period, clock: Clock) -> list[Event]:
    from slagen.clock import due

    found = []
    for kpi, limit in measures:
        measure = kpi.measure
        if measure is None or measure.kind != "event_duration":
            continue
        wanted = measure.param("priority")
        if measure.param("tickets") not in (None, ticket.kind) or (wanted and wanted != ticket.priority):
            continue
        if measure.param("only_from_backup") and not ticket.from_backup:
            continue
        start, done = getattr(ticket, measure.param("from")), getattr(ticket, measure.param("to"))
        if start is None:
            continue
        calendar = clock(kpi, ticket.priority)
        when = due(start, dt.timedelta(microseconds=int(limit.seconds * 1_000_000)), calendar, ticket.paused)
        if done is not None:
            met: bool | None = done <= when
        else:
            met = False if when < period.measured_end else None
        found.append(Event(ticket.id, kpi.id, ticket.priority, start, when, done, met, str(ticket.where)))
    return found
