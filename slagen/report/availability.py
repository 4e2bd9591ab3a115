"""Availability from an outage log: the period's minutes less the minutes of downtime, over the period's minutes.

Only outages the provider caused count; an outage of a cause the definition excludes is listed with its reason
and not counted; planned maintenance is excluded only inside the maintenance window and up to the monthly
limit (in the order it happened), the rest counts. Periods excluded are subtracted from downtime even where a
provider-caused outage overlaps them; several systems failing in the same minute count once (or, on the
``per_system`` basis, each system is computed alone and the lowest value applies). A continuous stretch of
downtime shorter than ``min_outage`` is not downtime. The value is truncated, not rounded, to ``decimals``
places (or the target's places, if more).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from decimal import ROUND_DOWN, Decimal
from typing import Any

from slagen.measure_def import Maintenance, MeasureDef
from slagen.measured.records import Outage
from slagen.report.intervals import Span, intersect, subtract, total, union
from slagen.report.model import Counted, Excluded, Formula, Period, Result
from slagen.report.period import days_of

HUNDRED = Decimal(100)
_REASON = {"scheduled": "scheduled_maintenance"}
_SLACK = dt.timedelta(days=1)
"""Margin of the cheap pre-test, wider than any difference of UTC offsets."""


def availability(
    outages: tuple[Outage, ...],
    period: Period,
    measure: MeasureDef,
    target: Decimal,
    terms: dict[str, Any],
    *,
    per_system: bool = False,
    kpi: str = "availability",
) -> Result:
    """The availability result of ``period`` (see the module's documentation for the rules)."""
    if per_system:
        systems = sorted({o.service for o in outages})
        parts = [
            _one([o for o in outages if o.service == name], period, measure, target, terms, kpi, name)
            for name in systems
        ]
        if parts:
            lowest = min(parts, key=lambda part: part.value or HUNDRED)
            return Result(
                kpi, "percent", "at_least", "service_level", target, lowest.value, lowest.met,
                lowest.formula, "lowest", lowest.excluded, lowest.counted, parts=tuple(parts), daily=lowest.daily,
            )  # fmt: skip
    return _one(list(outages), period, measure, target, terms, kpi, "")


def _one(
    outages: list[Outage], period: Period, measure: MeasureDef, target: Decimal, terms: dict[str, Any], kpi: str,
    group: str,
) -> Result:  # fmt: skip
    lo, hi = int(period.measured_start.timestamp()), int(period.measured_end.timestamp())
    counting: list[tuple[Span, str, str]] = []
    excluded: list[tuple[Span, str, str]] = []
    planned: list[tuple[Span, str]] = []
    # a cheap test first (datetimes of one zone compare without offsets), then exact seconds for the few
    first, last = period.measured_start - _SLACK, period.measured_end + _SLACK
    offsets: dict[tuple[int, int, int], int] = {}
    for outage in outages:
        if outage.end < first or outage.start > last:
            continue
        start, end = max(_seconds(outage.start, offsets), lo), min(_seconds(outage.end, offsets), hi)
        if start >= end:
            continue
        reason, where = _REASON.get(outage.cause, outage.cause), str(outage.where)
        if outage.cause == "provider" or reason not in measure.excludes:
            counting.append(((start, end), outage.cause, where))
        elif outage.cause == "scheduled":
            planned.append(((start, end), where))
        else:
            excluded.append(((start, end), reason, where))
    maintenance = measure.param("maintenance")
    if planned:
        counting_planned, excluded_planned = _maintenance(planned, period, maintenance, terms)
        counting += counting_planned
        excluded += excluded_planned
    out = union([span for span, _, _ in excluded])
    down = subtract(union([span for span, _, _ in counting]), out)
    minimum = int(measure.param("min_outage").seconds) if measure.param("min_outage") else 0
    short = [span for span in down if span[1] - span[0] < minimum]
    down = [span for span in down if span[1] - span[0] >= minimum]
    listed = [Excluded(_at(s, period), _at(e, period), r, w, Decimal(e - s)) for (s, e), r, w in sorted(excluded)]
    listed += [Excluded(_at(s, period), _at(e, period), "below_minimum", "", Decimal(e - s)) for s, e in short]
    counted = _counted(down, counting, period)
    seconds, down_seconds = Decimal(hi - lo), Decimal(total(down))
    places = max(int(measure.param("decimals", 2)), -int(target.as_tuple().exponent))
    exact = (seconds - down_seconds) / seconds * HUNDRED
    value = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    numbers = {"minutes": seconds / 60, "downtime": down_seconds / 60, "exact": exact, "places": Decimal(places)}
    return Result(
        kpi, "percent", "at_least", "service_level", target, value, value >= target,
        Formula("availability", numbers), "", tuple(sorted(listed, key=lambda x: x.start)), counted,
        group=group, daily=_daily(down, period),
    )  # fmt: skip


def _maintenance(
    planned: list[tuple[Span, str]], period: Period, maintenance: Maintenance | None, terms: dict[str, Any]
) -> tuple[list[tuple[Span, str, str]], list[tuple[Span, str, str]]]:
    """Planned maintenance split into what counts (outside the window, over the limit) and what is excluded."""
    window = maintenance.windows.get(str(terms.get(maintenance.window_term))) if maintenance else None
    limit_term = terms.get(maintenance.limit_term) if maintenance else None
    left = int(limit_term.seconds) if limit_term is not None else None
    windows = _window_spans(period, window) if window else None
    counting, excluded = [], []
    for span, where in sorted(planned):
        inside = intersect([span], windows) if windows is not None else [span]
        counting += [(part, "maintenance_outside_window", where) for part in subtract([span], inside)]
        for start, end in inside:
            if left is not None:
                allowed = min(end - start, left)
                left -= allowed
                if allowed < end - start:
                    counting.append(((start + allowed, end), "maintenance_over_limit", where))
                end = start + allowed
            if end > start:
                excluded.append(((start, end), "scheduled_maintenance", where))
    return counting, excluded


def _window_spans(period: Period, window: Any) -> list[Span]:
    """Every occurrence of the maintenance window that touches the period (wall-clock times)."""
    zone, spans = period.start.tzinfo, []
    day = period.measured_start.date() - dt.timedelta(days=1)
    while day <= period.measured_end.date():
        if day.weekday() in window.days:
            start = dt.datetime.combine(day, dt.time(window.start // 60, window.start % 60), zone)
            end = (start.replace(tzinfo=None) + dt.timedelta(minutes=window.minutes)).replace(tzinfo=zone)
            spans.append((int(start.timestamp()), int(end.timestamp())))
        day += dt.timedelta(days=1)
    return union(spans)


def _counted(down: list[Span], counting: list[tuple[Span, str, str]], period: Period) -> tuple[Counted, ...]:
    """Each stretch of downtime with the reasons and rows of the outages that make it up."""
    starts = [start for start, _ in down]
    rows: list[list[tuple[str, str]]] = [[] for _ in down]
    for (start, end), why, where in counting:
        i = max(bisect_right(starts, start) - 1, 0)
        while i < len(down) and down[i][0] < end:
            if down[i][1] > start:
                rows[i].append((why, where))
            i += 1
    found = []
    for (start, end), found_rows in zip(down, rows, strict=True):
        reasons = sorted({why for why, _ in found_rows})
        wheres = ", ".join(dict.fromkeys(where for _, where in found_rows if where))
        found.append(Counted(_at(start, period), _at(end, period), Decimal(end - start), "+".join(reasons), wheres))
    return tuple(found)


def _daily(down: list[Span], period: Period) -> tuple[tuple[dt.date, Decimal], ...]:
    days, i = [], 0
    for start, end in days_of(period):
        lo, hi = int(start.timestamp()), int(end.timestamp())
        while i < len(down) and down[i][1] <= lo:
            i += 1
        lost, j = 0, i
        while j < len(down) and down[j][0] < hi:
            lost += min(down[j][1], hi) - max(down[j][0], lo)
            j += 1
        value = (Decimal(hi - lo - lost) / Decimal(hi - lo) * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        days.append((start.date(), value))
    return tuple(days)


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _seconds(moment: dt.datetime, offsets: dict[tuple[int, int, int], int]) -> int:
    """Whole seconds since the epoch, as ``int(moment.timestamp())``, but faster.

    The UTC offset is looked up once per hour of the clock (``offsets``, kept for one computation): the
    lookup is most of the cost of ``timestamp()``.

    >>> from zoneinfo import ZoneInfo
    >>> moment = dt.datetime(2027, 3, 28, 1, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    >>> _seconds(moment, {}) == int(moment.timestamp())
    True
    """
    day = moment.toordinal()
    key = (day, moment.hour, moment.fold + 2 * id(moment.tzinfo))
    offset = offsets.get(key)
    if offset is None:
        delta = moment.utcoffset()
        offset = offsets[key] = 0 if delta is None else int(delta.total_seconds())
    return (day - _EPOCH) * 86400 + moment.hour * 3600 + moment.minute * 60 + moment.second - offset


def _at(stamp: int, period: Period) -> dt.datetime:
    return dt.datetime.fromtimestamp(stamp, period.start.tzinfo)
