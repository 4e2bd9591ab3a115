"""Call-centre intervals and telemarketing activity: rates and averages over the period's records.

Intervals count if they start inside the measured part of the period and, on the service-hours clock,
inside the service hours; an interval whose calls exceed the customer's forecast by more than the agreed
tolerance is disregarded (listed with the reason ``overflow``). Which abandoned calls count for the answer
rate is the agreement's answer (``service.abandoned_calls``): ``count_all`` — answered + abandoned;
``exclude_short`` — answered + abandoned − abandoned within the short-abandon time; ``exclude_all`` —
answered only. Activity ratios divide one sum by another (× 100 for a percentage); a per-agent count
takes each agent's sum and the lowest agent decides. A weekly KPI is decided for each calendar week that
ends in the month (its days may reach into the month before).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from msgspec.structs import replace

from slagen.catalogs import Kpi
from slagen.measured.records import Activity, Interval
from slagen.report.model import Excluded, Formula, Period, Result
from slagen.report.period import weeks_ending_in

HUNDRED = Decimal(100)


def _met(kpi: Kpi, value: Decimal, target: Any) -> bool:
    goal = Decimal(target.seconds) if hasattr(target, "seconds") else Decimal(target)
    return value >= goal if kpi.direction == "at_least" else value <= goal


def _cut(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def interval_result(
    kpi: Kpi, target: Any, intervals: tuple[Interval, ...], period: Period, values: dict[str, Any], in_hours: Any
) -> Result:
    """The answer rate, average wait or abandonment rate of ``kpi`` over the period's intervals."""
    measure = kpi.measure
    assert measure is not None
    tolerance = values.get(measure.param("tolerance") or "")
    used, excluded = [], []
    for item in intervals:
        if not period.measured_start <= item.start < period.measured_end or not in_hours(item.start):
            continue
        if (
            tolerance is not None
            and item.forecast is not None
            and item.offered * HUNDRED > item.forecast * (HUNDRED + Decimal(tolerance))
        ):
            end = item.start + dt.timedelta(minutes=item.minutes)
            excluded.append(Excluded(item.start, end, "overflow", str(item.where), Decimal(item.minutes * 60)))
            continue
        used.append(item)
    answered = sum(i.answered for i in used)
    slots: tuple[tuple[str, Decimal], ...] = ()
    if measure.kind == "answer_rate":
        rule = str(values.get(measure.param("abandoned_rule")) or "exclude_short")
        abandoned = sum(i.abandoned for i in used) if rule != "exclude_all" else 0
        short = sum(i.abandoned_short for i in used) if rule == "exclude_short" else 0
        numerator, denominator = Decimal(sum(i.answered_in_time for i in used)), Decimal(answered + abandoned - short)
        numbers = {"in_time": numerator, "answered": Decimal(answered), "abandoned": Decimal(abandoned),
                   "short": Decimal(short), "counted": denominator}  # fmt: skip
        kind, scale = f"answer_rate_{rule}", HUNDRED
        slots = _slots(used, rule)
    elif measure.kind == "average_wait":
        numerator = sum((i.wait_seconds or Decimal(0) for i in used), Decimal(0))
        denominator = Decimal(answered)
        numbers, kind, scale = {"wait": numerator, "answered": denominator}, "average_wait", Decimal(1)
    else:
        numerator, denominator = Decimal(sum(i.abandoned for i in used)), Decimal(sum(i.offered for i in used))
        numbers, kind, scale = {"abandoned": numerator, "offered": denominator}, "abandon_rate", HUNDRED
    result = _ratio(kpi, target, numerator, denominator, scale, kind, numbers, tuple(excluded))
    return replace(result, slots=slots) if measure.kind == "answer_rate" else result


def _slots(used: list[Interval], rule: str) -> tuple[tuple[str, Decimal], ...]:
    """The answer rate of each interval of the day (all days of the month together), by the same rule."""
    sums: dict[str, list[int]] = {}
    for item in used:
        counted = item.answered + (item.abandoned if rule != "exclude_all" else 0)
        counted -= item.abandoned_short if rule == "exclude_short" else 0
        totals = sums.setdefault(item.start.strftime("%H:%M"), [0, 0])
        totals[0] += item.answered_in_time
        totals[1] += counted
    return tuple(
        (slot, _cut(Decimal(top) / Decimal(bottom) * HUNDRED)) for slot, (top, bottom) in sorted(sums.items()) if bottom
    )


def _ratio(
    kpi: Kpi, target: Any, numerator: Decimal, denominator: Decimal, scale: Decimal, kind: str,
    numbers: dict[str, Decimal], excluded: tuple[Excluded, ...] = (), group: str = "",
) -> Result:  # fmt: skip
    if not denominator:
        return Result(kpi.id, kpi.unit, kpi.direction, kpi.role, target, None, None, Formula(kind, numbers),
                      "nothing_to_count", excluded, group=group)  # fmt: skip
    exact = numerator / denominator * scale
    numbers["exact"] = exact
    value = _cut(exact)
    return Result(kpi.id, kpi.unit, kpi.direction, kpi.role, target, value, _met(kpi, exact, target),
                  Formula(kind, numbers), "", excluded, group=group)  # fmt: skip


def activity_result(kpi: Kpi, target: Any, activity: tuple[Activity, ...], period: Period) -> Result:
    """An activity ratio or per-agent count over the period (or each week ending in it)."""
    measure = kpi.measure
    assert measure is not None
    if measure.period == "calendar_week":
        parts = []
        for monday, sunday in weeks_ending_in(period):
            rows = [a for a in activity if monday <= a.day <= sunday]
            parts.append(_activity(kpi, target, rows, f"{monday.isoformat()}/{sunday.isoformat()}"))
        missed = sum(part.met is False for part in parts)
        return Result(kpi.id, kpi.unit, kpi.direction, kpi.role, target, None, missed < 2, None, "per_week",
                      parts=tuple(parts))  # fmt: skip
    first, last = period.measured_start.date(), (period.measured_end - dt.timedelta(seconds=1)).date()
    result = _activity(kpi, target, [a for a in activity if first <= a.day <= last], "")
    if measure.period == "campaign":  # the position so far: decided in the month the campaign ends
        return replace(result, met=None, note="campaign")
    return result


def _activity(kpi: Kpi, target: Any, rows: list[Activity], group: str) -> Result:
    measure = kpi.measure
    assert measure is not None
    scale = HUNDRED if kpi.unit == "percent" else Decimal(1)
    if measure.kind == "per_agent":
        field = measure.param("count")
        per_agent: dict[str, Decimal] = {}
        for row in rows:
            per_agent[row.agent] = per_agent.get(row.agent, Decimal(0)) + Decimal(getattr(row, field))
        if not per_agent:
            return _ratio(kpi, target, Decimal(0), Decimal(0), scale, "per_agent", {}, group=group)
        agent = min(per_agent, key=lambda name: (per_agent[name], name))
        numbers = {"lowest": per_agent[agent], "agents": Decimal(len(per_agent))}
        return _ratio(kpi, target, per_agent[agent], Decimal(1), Decimal(1), "per_agent", numbers, group=agent)
    top, bottom = measure.param("numerator"), measure.param("denominator")
    numerator = sum((Decimal(getattr(r, top)) for r in rows), Decimal(0))
    denominator = sum((Decimal(getattr(r, bottom)) for r in rows), Decimal(0))
    kind = "activity_ratio_percent" if scale == HUNDRED else "activity_ratio"
    return _ratio(kpi, target, numerator, denominator, scale, kind, {top: numerator, bottom: denominator}, group=group)
