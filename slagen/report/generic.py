"""The generic measurement kinds over measurements records: share, every, ratio, mean, minimum, maximum.

A definition names the ``records`` it reads (the ``record`` column), the field placing a record in a period
(``at``, default ``timestamp``: the record counts if it falls in the measured part of the month) and the
conditions a record must meet to count at all (``only``). Then:

- ``share``: records meeting every ``where`` condition ÷ records × 100;
- ``every``: met only if every record meets the ``where`` conditions (no record: met); no value;
- ``ratio``: the sum of ``numerator`` ÷ the sum of ``denominator`` × 100 (percent), × 1,000,000 (ppm), × 1;
- ``mean``, ``minimum``, ``maximum`` of a number ``field`` (``in: ms`` etc. for a duration), or of the span
  ``from`` one field ``to`` another: seconds on the calendar, whole working days on ``clock: working_days``
  (the working days after the first field's day up to and including the second's).

Values are cut (not rounded) to two decimal places, durations to the microsecond; met or missed is decided
on the exact value. A condition on an empty cell is not met; a bad cell is a problem at its file, row and
column (:mod:`slagen.report.fields`).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from msgspec.structs import replace

from slagen.catalogs import Kpi
from slagen.clock import add_service_days
from slagen.errors import InputError
from slagen.measure_conditions import Condition, Operand
from slagen.measure_def import NUMBER_UNITS
from slagen.measured.records import Measurement
from slagen.report.fields import Fields, Moment
from slagen.report.model import Event, Formula, Period, Result

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}  # fmt: skip
_FIELD_UNITS = tuple(f"_{unit}" for unit in NUMBER_UNITS)
SCALES = {"percent": Decimal(100), "ppm": Decimal(1_000_000)}


class Context:
    """What conditions and spans read besides the records: targets, tier terms, the period and the working days."""

    def __init__(self, targets: dict[str, Any], terms: dict[str, Any], period: Period, calendar: Any) -> None:
        self.targets, self.terms, self.period, self.calendar = targets, terms, period, calendar
        self.holiday = calendar.holiday_test()

    def working(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day."""
        return bool(self.calendar.is_service_day(day, self.holiday))

    def add_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (before it if negative); 0 gives ``day``."""
        return add_service_days(day, count, self.calendar, is_holiday=self.holiday)

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days after ``first`` up to and including ``last`` (negative if ``last`` is earlier)."""
        sign, (low, high) = (1, (first, last)) if last >= first else (-1, (last, first))
        count, day = 0, low
        while day < high:
            day += dt.timedelta(days=1)
            count += self.working(day)
        return sign * count


def generic_result(kpi: Kpi, target: Any, records: tuple[Measurement, ...], context: Context, fields: Fields) -> Result:
    """The result of ``kpi`` (a generic kind) over the period's records; bad cells are left in ``fields``."""
    measure = kpi.measure
    assert measure is not None
    period = context.period
    wanted, placed_by = str(measure.param("records")).lower(), str(measure.param("at") or "")
    only = measure.param("only")
    chosen = []
    for record in records:
        if record.record != wanted:
            continue
        if placed_by:
            at = fields.moment(record, placed_by)
            if at is None or not _inside(at, period):
                continue
        elif not period.measured_start <= record.timestamp < period.measured_end:
            continue
        if not only or all(_holds(c, record, fields, context, measure.clock) for c in only):
            chosen.append(record)
    kind = measure.kind
    if kind in ("share", "every"):
        where = measure.param("where")
        missed = tuple(
            Event(r.id, kpi.id, r.record, r.timestamp, None, None, False, str(r.where))
            for r in chosen
            if not all(_holds(c, r, fields, context, measure.clock) for c in where)
        )
        met = len(chosen) - len(missed)
        numbers = {"met": Decimal(met), "records": Decimal(len(chosen)), "missed": Decimal(len(missed))}
        if kind == "every":
            note = "" if chosen else "no_events"
            return replace(_result(kpi, target, None, not missed, Formula("every", numbers), note), events=missed)
        result = _value(kpi, target, Decimal(met), Decimal(len(chosen)), SCALES["percent"], "share", numbers)
        return replace(result, events=missed)
    if kind == "ratio":
        top = sum((fields.number(r, measure.param("numerator")) or Decimal(0) for r in chosen), Decimal(0))
        bottom = sum((fields.number(r, measure.param("denominator")) or Decimal(0) for r in chosen), Decimal(0))
        scale = SCALES.get(kpi.unit, Decimal(1))
        numbers = {"numerator": top, "denominator": bottom, "scale": scale, "records": Decimal(len(chosen))}
        return _value(kpi, target, top, bottom, scale, f"ratio_{kpi.unit}" if kpi.unit in SCALES else "ratio", numbers)
    values = [v for v in (_statistic_value(r, measure, fields, context) for r in chosen) if v is not None]
    unit = measure.param("in")
    span = "" if measure.param("field") else ("_working_days" if measure.clock == "working_days" else "_seconds")
    formula = f"{kind}_{unit}" if unit else kind + span  # the arithmetic in the field's own unit (ms), or the span's
    if not values:
        return _result(kpi, target, None, None, Formula(formula, {"count": Decimal(0)}), "nothing_to_count")
    count = Decimal(len(values))
    factor = Decimal(NUMBER_UNITS[unit]) if unit else Decimal(1)
    if kind == "mean":
        total = sum(values, Decimal(0))
        return _value(kpi, target, total, count, factor, formula, {"total": total, "count": count})
    chosen_value = min(values) if kind == "minimum" else max(values)
    return _value(kpi, target, chosen_value, Decimal(1), factor, formula, {"count": count})


def _inside(at: Moment, period: Period) -> bool:
    if at.day_only:
        last = (period.measured_end - dt.timedelta(seconds=1)).date()
        return period.measured_start.date() <= at.day <= last
    return period.measured_start <= at.at < period.measured_end


def _statistic_value(record: Measurement, measure: Any, fields: Fields, context: Context) -> Decimal | None:
    field = measure.params.get("field")
    if field:
        return fields.number(record, field)
    start, end = fields.moment(record, measure.param("from")), fields.moment(record, measure.param("to"))
    if start is None or end is None:
        return None
    if measure.clock == "working_days":
        return Decimal(context.working_days_between(start.day, end.day))
    return Decimal(int(end.at.timestamp() - start.at.timestamp()))


def _holds(condition: Condition, record: Measurement, fields: Fields, context: Context, clock: str) -> bool:
    """Whether ``record`` meets ``condition``; an empty or bad cell meets none."""
    compare, against = _COMPARE[condition.op], condition.against
    if against.kind == "value":
        wanted = against.value
        if isinstance(wanted, bool):
            have: Any = fields.flag(record, condition.field)
        elif isinstance(wanted, str):
            have, wanted = fields.text(record, condition.field), wanted.casefold()
        else:
            have, wanted = fields.number(record, condition.field), Decimal(wanted)
        return have is not None and compare(have, wanted)
    if against.kind == "period":
        moment = fields.moment(record, condition.field)
        end = context.period.measured_end
        if moment is None:
            return False
        if moment.day_only:
            return bool(compare(moment.day, (end - dt.timedelta(seconds=1)).date()))
        return bool(compare(moment.at, end - dt.timedelta(microseconds=1)) if condition.op in ("le", "gt")
                    else compare(moment.at, end))  # fmt: skip
    if condition.offset is None:
        mine, other = fields.number_or_moment(record, condition.field), fields.number_or_moment(record, against.value)
        if mine is None or other is None:
            return False
        if isinstance(mine, Moment) and isinstance(other, Moment):
            if mine.day_only or other.day_only:
                return bool(compare(mine.day, other.day))
            return bool(compare(mine.at, other.at))
        if isinstance(mine, Moment) or isinstance(other, Moment):
            fields.bad(record, condition.field, f"'{condition.field}' and '{against.value}' are not of one kind")
            return False
        return bool(compare(mine, other))
    mine_m, base = fields.moment(record, condition.field), fields.moment(record, against.value)
    if mine_m is None or base is None:
        return False
    limit = _moved(base, condition, context, clock)
    if isinstance(limit, dt.date) and not isinstance(limit, dt.datetime):
        return bool(compare(mine_m.day, limit))
    if mine_m.day_only:
        return bool(compare(mine_m.day, limit.astimezone(context.calendar.zone).date()))
    return bool(compare(mine_m.at, limit))


def _moved(base: Moment, condition: Condition, context: Context, clock: str) -> dt.date | dt.datetime:
    """``base`` moved by the condition's offset on ``clock``: a day (whole days) or a moment (a duration).

    Whole days (a number, a ``working_days`` target or term, a duration in days or weeks) move the day of
    ``base``: on ``clock: working_days`` by working days, after the ``cutoff`` counting from the next one;
    a duration in hours or minutes moves the moment, on working days by :func:`slagen.clock.due`.
    """
    sign = 1 if condition.plus is not None else -1
    amount = _offset_value(condition.offset, context)
    unit = str(getattr(amount, "unit", ""))
    if unit in ("", "day", "week"):
        days = int(getattr(amount, "amount", amount)) * {"week": 5 if clock == "working_days" else 7}.get(unit, 1)
        if clock != "working_days":
            return base.day + dt.timedelta(days=sign * days)
        day = base.day
        local = base.at.astimezone(context.calendar.zone).strftime("%H:%M")
        if condition.cutoff and not base.day_only and local >= condition.cutoff:
            day = context.add_days(day, 1)
        return context.add_days(day, sign * days)
    delta = dt.timedelta(microseconds=int(Decimal(amount.seconds) * 1_000_000))
    if clock != "working_days":
        return base.at + sign * delta
    if sign < 0:
        raise InputError.single(f"a time in hours subtracted on working days has no exact meaning ({condition.field})")
    from slagen.clock import due

    return due(base.at, delta, context.calendar, is_holiday=context.holiday)


def _offset_value(offset: Operand | None, context: Context) -> Any:
    assert offset is not None
    if offset.kind in ("days", "duration"):
        return offset.value
    table = context.targets if offset.kind == "target" else context.terms
    if offset.value not in table:
        what = "a KPI of the catalog" if offset.kind == "target" else "a term of the tier"
        raise InputError.single(f"the measurement definition names {offset.kind} '{offset.value}', which is not {what}")
    return table[offset.value]


def _result(kpi: Kpi, target: Any, value: Decimal | None, met: bool | None, formula: Formula, note: str = "") -> Result:
    return Result(kpi.id, kpi.unit, kpi.direction, kpi.role, target, value, met, formula, note)


def _value(
    kpi: Kpi, target: Any, top: Decimal, bottom: Decimal, scale: Decimal, kind: str, numbers: dict[str, Decimal]
) -> Result:
    if not bottom:
        return _result(kpi, target, None, None, Formula(kind, numbers), "nothing_to_count")
    exact = top / bottom * scale
    numbers["exact"] = top / bottom if kind.endswith(_FIELD_UNITS) else exact
    places = Decimal("0.000001") if kpi.unit == "duration" else Decimal("0.01")
    goal = Decimal(target.seconds) if hasattr(target, "seconds") else Decimal(target)
    met = exact >= goal if kpi.direction == "at_least" else exact <= goal
    return _result(kpi, target, exact.quantize(places, rounding=ROUND_DOWN), met, Formula(kind, numbers))


GENERIC_KINDS = ("share", "every", "ratio", "mean", "minimum", "maximum")


def measured_result(
    kpi: Kpi, targets: dict[str, Any], terms: dict[str, Any], period: Period, values: dict[str, Any],
    records: tuple[Measurement, ...], problems: dict[tuple[str, int, str], Any],
) -> Result:  # fmt: skip
    """The result of a KPI of a generic kind; its bad cells are added to ``problems`` (each cell once).

    On ``clock: working_days`` the contract's Working Days count: Monday to Friday without the public holidays
    of ``service.holidays``; an agreement that names none is refused (naming the key), never computed on a guess.
    """
    from slagen.clock import ServiceCalendar, working_days_for

    zone = str(values["service.time_zone"])
    if kpi.measure is not None and kpi.measure.clock == "working_days":  # undefined Working Days: an error, no guess
        calendar = working_days_for(values)
    else:  # the calendar clock: no day is skipped, so no public holidays are needed
        calendar = ServiceCalendar(zone, "weekdays", "00:00", "24:00", "")
    fields = Fields(calendar.zone, kpi.id)
    result = generic_result(kpi, targets[kpi.id], records, Context(targets, terms, period, calendar), fields)
    for key, problem in fields.problems.items():
        problems.setdefault(key, problem)
    return result
