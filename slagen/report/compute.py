"""The report of one period, from the agreement, its service levels, the measured data and earlier reports.

:func:`compute_report` is a pure function: it reads nothing but its arguments (the public holidays come
from the ``holidays`` package through :mod:`slagen.clock`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from msgspec.structs import replace

from slagen.catalogs import Kpi
from slagen.claim import claim_deadline, claim_rule
from slagen.clock import nth_day
from slagen.errors import InputError
from slagen.measured.records import Measured
from slagen.report.availability import availability
from slagen.report.calls import activity_result, interval_result
from slagen.report.chronic import chronic
from slagen.report.credits import apply_annual_cap, service_credit
from slagen.report.deadlines import period_end, weekdays_only
from slagen.report.generic import GENERIC_KINDS, measured_result
from slagen.report.history import Past
from slagen.report.model import Chronic, Credit, Report, Result
from slagen.report.period import month_period
from slagen.report.tickets import attainment
from slagen.resolve import ServiceLevels
from slagen.termdates import term_end
from slagen.timezone import time_zone_for

CHRONIC_CLAUSE = "organisation.chronic_failure"


def compute_report(
    values: dict[str, Any],
    clauses: tuple[str, ...],
    service: ServiceLevels,
    measured: Measured,
    label: str,
    *,
    history: tuple[Past, ...] = (),
    received: dt.date | None = None,
    fee: Decimal | None = None,
    agreement: str = "",
) -> Report:
    """The report for the calendar month ``label`` (``YYYY-MM``); see ``docs/report.md`` for every rule."""
    zone = _zone(values)
    start: dt.date = values["agreement.effective_date"]
    months = values.get("agreement.term.months")
    last = term_end(start, int(months)) if months and not values.get("agreement.term.auto_renew") else None
    period = month_period(label, zone, start, last)
    tier = service.tier
    if tier is None:
        raise InputError.single("no tier is chosen yet: a report needs the applicable tier", key="service.tier")
    targets = {level.kpi.id: level.target for level in service.levels}
    if service.multi_level:  # the offered tiers side by side: the chosen one applies
        targets = dict(tier.targets)
    kpis = service.catalog.kpis
    clocks: dict[tuple[str, str], Any] = {}

    def clock(kpi: Kpi, priority: str) -> Any:
        key = (kpi.measure.clock if kpi.measure else "calendar", priority)
        if key not in clocks:
            clocks[key] = _calendar(key[0], values, tier.terms, priority, str(zone.key))
        return clocks[key]

    results = []
    bad_cells: dict[tuple[str, int, str], Any] = {}
    for kpi in kpis.values():
        if kpi.role != "service_level":
            continue
        whole = kpi.measure is not None and kpi.measure.partial == "whole"  # a period cut by the term, measured whole
        kpi_period = period.whole() if whole else period
        if kpi.measure is not None and kpi.measure.kind in GENERIC_KINDS:
            result = measured_result(kpi, targets, tier.terms, kpi_period, values, measured.measurements, bad_cells)
        else:
            feeding = [(k, targets[k.id]) for k in kpis.values() if k.feeds == kpi.id]
            result = _result(kpi, targets[kpi.id], feeding, measured, kpi_period, values, tier.terms, clock)
        if whole and period.partial and not result.note:
            result = replace(result, note="whole_period")
        results.append(result)
    if bad_cells:
        raise InputError(sorted(bad_cells.values(), key=lambda p: (p.file or "", p.line or 0, p.key or "")))
    working_day = _working_day(values)
    assumed = received is None
    received = received or nth_day(period.last_day, int(values.get("reporting.due_days") or 1), working_day)
    credit = _credit(values, service, results, fee, history, label, start, agreement)
    if credit is not None:
        rule = claim_rule(values)
        claim = claim_deadline(rule, period.last_day, received, _day_off(values))
        credit = _with(credit, claim_by=claim, received=received, claim_rule=rule)
    chronic_states: tuple[Chronic, ...] = ()
    if CHRONIC_CLAUSE in clauses:
        chronic_states = _chronic(values, service, results, history, label, start, agreement, received, working_day)
    notes = ("weekdays_only",) if working_day is weekdays_only else ()
    return Report(
        agreement, service.catalog.id, tier.id, period, str(zone.key), tuple(results), credit, chronic_states,
        received, tuple(values.get("languages") or ()), notes, assumed,
    )  # fmt: skip


def _zone(values: dict[str, Any]) -> ZoneInfo:
    return ZoneInfo(time_zone_for(values))


def _calendar(kind: str, values: dict[str, Any], terms: dict[str, Any], priority: str, zone: str) -> Any:
    from slagen.clock import around_the_clock, calendar_for, working_days_for

    if kind == "calendar":
        return around_the_clock(zone)
    if kind == "working_days":
        return working_days_for(values)
    return calendar_for(values, terms, priority if kind == "per_priority" else "")


def _working_day(values: dict[str, Any]) -> Callable[[dt.date], bool]:
    if not values.get("service.holidays"):
        return weekdays_only
    from slagen.clock import working_days_for

    calendar = working_days_for(values)
    holiday = calendar.holiday_test()
    return lambda day: calendar.is_service_day(day, holiday)


def _day_off(values: dict[str, Any]) -> Callable[[dt.date], bool]:
    """A Saturday, a Sunday or a public holiday at the place of performance (``service.holidays``, if named)."""
    holiday: Callable[[dt.date], bool] = lambda day: False  # noqa: E731 - the test when no holidays are named
    if values.get("service.holidays"):
        from slagen.clock import working_days_for

        holiday = working_days_for(values).holiday_test()
    return lambda day: day.weekday() >= 5 or holiday(day)


def _result(
    kpi: Kpi, target: Any, feeding: list[tuple[Kpi, Any]], measured: Measured, period: Any, values: dict[str, Any],
    terms: dict[str, Any], clock: Callable[[Kpi, str], Any],
) -> Result:  # fmt: skip
    measure = kpi.measure
    if measure is None or measure.kind == "reported":
        note = "no_definition" if measure is None else "reported"
        return Result(kpi.id, kpi.unit, kpi.direction, kpi.role, target, None, None, None, note)
    if measure.kind == "availability":
        per_system = values.get("service.availability_basis") == "per_system"
        return availability(measured.outages, period, measure, Decimal(target), terms, per_system=per_system,
                            kpi=kpi.id)  # fmt: skip
    if measure.kind == "attainment":
        return attainment(kpi, Decimal(target), feeding, measured.tickets, period, clock)
    if measure.kind in ("answer_rate", "average_wait", "abandon_rate"):
        return interval_result(kpi, target, measured.intervals, period, values, _in_hours(kpi, clock))
    return activity_result(kpi, target, measured.activity, period)


def _in_hours(kpi: Kpi, clock: Callable[[Kpi, str], Any]) -> Callable[[dt.datetime], bool]:
    if kpi.measure is None or kpi.measure.clock != "service_hours":
        return lambda moment: True
    calendar = clock(kpi, "")
    holiday = calendar.holiday_test()

    def inside(moment: dt.datetime) -> bool:
        local = moment.astimezone(calendar.zone)
        start, end = calendar.hours_of(local.date())
        return bool(calendar.is_service_day(local.date(), holiday) and start <= local < end)

    return inside


def _contract_year(label: str, start: dt.date) -> str:
    """The first month (``YYYY-MM``) of the contract year ``label`` falls in (years run from the effective date)."""
    index = int(label[:4]) * 12 + int(label[5:7]) - 1
    first = start.year * 12 + start.month - 1
    begin = first + (index - first) // 12 * 12
    return f"{begin // 12:04d}-{begin % 12 + 1:02d}"


def _credit(
    values: dict[str, Any], service: ServiceLevels, results: list[Result], fee: Decimal | None,
    history: tuple[Past, ...], label: str, start: dt.date, agreement: str,
) -> Credit | None:  # fmt: skip
    credits = service.credits
    scheme = credits.scheme if credits is not None else None
    if credits is not None and scheme is None and service.tier in service.offered:  # multi-level: the chosen tier
        scheme = credits.per_tier[service.offered.index(service.tier)]
    result = next((r for r in results if credits is not None and r.kpi == credits.kpi), None)
    if credits is None or scheme is None or result is None or result.value is None:
        return None
    monthly = values.get("price.monthly_fee")
    for entry in values.get("price.tier_fees") or ():  # multi-level: the chosen tier's fee
        if service.tier is not None and entry.get("tier") == service.tier.id:
            monthly = Decimal(entry["monthly_fee"])
    fee = fee if fee is not None else monthly
    currency = str(values.get("price.currency") or "")
    credit = service_credit(credits.kpi, result.value, scheme, fee, currency)
    year = _contract_year(label, start)
    earlier = sum((p.credited for p in history if p.agreement == agreement and year <= p.period < label), Decimal(0))
    year_fees = None if monthly is None else Decimal(monthly) * 12
    return apply_annual_cap(credit, values.get("credits.annual_cap"), year_fees, earlier)


def _with(credit: Credit, **changes: Any) -> Credit:
    return replace(credit, **changes)


def missed_for_chronic(result: Result, service: ServiceLevels, values: dict[str, Any]) -> bool:
    """Whether ``result`` counts as a miss for the chronic-failure rule (``chronic_failure.counts_below``)."""
    if result.met is not False:
        return False
    credits = service.credits
    if (
        values.get("chronic_failure.counts_below") == "first_band"
        and credits is not None
        and credits.kpi == result.kpi
        and credits.scheme is not None
        and credits.scheme.bands[0].lower is not None
        and result.value is not None
    ):
        return result.value < credits.scheme.bands[0].lower
    return True


def _chronic(
    values: dict[str, Any], service: ServiceLevels, results: list[Result], history: tuple[Past, ...], label: str,
    start: dt.date, agreement: str, received: dt.date, working_day: Callable[[dt.date], bool],
) -> tuple[Chronic, ...]:  # fmt: skip
    consecutive = int(values.get("chronic_failure.consecutive_months") or 2)
    rule = (consecutive, int(values.get("chronic_failure.months_in_year") or 3))
    mine = [p for p in history if p.agreement == agreement and p.period < label]
    known = {p.period for p in mine}
    first = f"{start.year:04d}-{start.month:02d}"
    states = []
    for result in results:
        earlier = {p.period for p in mine if result.kpi in p.missed}
        state = chronic(result.kpi, label, earlier, missed_for_chronic(result, service, values), rule, first, known)
        if state.arisen:
            days = int(values.get("chronic_failure.notice_days") or 30)
            german = values.get("agreement.governing_law") == "de"
            state = _with_notice(state, period_end(received, days, working_day, extend=german))
        states.append(state)
    return tuple(states)


def _with_notice(state: Chronic, notice_by: dt.date) -> Chronic:
    return replace(state, notice_by=notice_by)
