"""Reporting periods in the agreement's time zone, cut to the term, and the calendar weeks that end in them.

>>> from zoneinfo import ZoneInfo
>>> p = month_period("2027-03", ZoneInfo("Europe/Berlin"), dt.date(2027, 3, 10), None)
>>> p.measured_start.isoformat(), p.end.isoformat(), p.partial
('2027-03-10T00:00:00+01:00', '2027-04-01T00:00:00+02:00', True)
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from slagen.errors import InputError
from slagen.report.model import Period

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> tuple[int, int]:
    """``2027-03`` as (2027, 3); an :class:`InputError` naming ``--period`` otherwise."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError.single(f"'{text}' is not a calendar month (write YYYY-MM, e.g. 2027-03)", key="--period")
    return int(match.group(1)), int(match.group(2))


def month_period(label: str, zone: ZoneInfo, term_start: dt.date, term_last: dt.date | None) -> Period:
    """The calendar month ``label`` (``YYYY-MM``) in ``zone``, measured only within the term.

    ``term_last`` is the term's last day (None: open-ended). A month wholly outside the term is an error.
    """
    year, month = parse_month(label)
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    begin = max(start, dt.datetime.combine(term_start, dt.time(), zone))
    finish = end
    if term_last is not None:
        finish = min(end, dt.datetime.combine(term_last + dt.timedelta(days=1), dt.time(), zone))
    if begin >= finish:
        last = f" to {term_last.isoformat()}" if term_last else ""
        raise InputError.single(f"{label} is outside the term ({term_start.isoformat()}{last})", key="--period")
    return Period(f"{year:04d}-{month:02d}", start, end, begin, finish)


def days_of(period: Period) -> list[tuple[dt.datetime, dt.datetime]]:
    """The calendar days measured in ``period``, each as (start, end) in the period's time zone."""
    zone = period.start.tzinfo
    days: list[tuple[dt.datetime, dt.datetime]] = []
    day = period.measured_start.date()
    while True:
        start = dt.datetime.combine(day, dt.time(), zone)
        if start >= period.measured_end:
            return days
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
        days.append((max(start, period.measured_start), min(end, period.measured_end)))
        day += dt.timedelta(days=1)


def weeks_ending_in(period: Period) -> list[tuple[dt.date, dt.date]]:
    """The calendar weeks (Monday to Sunday) whose Sunday falls in the period, as (Monday, Sunday).

    >>> from zoneinfo import ZoneInfo
    >>> p = month_period("2027-03", ZoneInfo("Europe/Berlin"), dt.date(2027, 1, 1), None)
    >>> [(a.isoformat(), b.isoformat()) for a, b in weeks_ending_in(p)][:2]
    [('2027-03-01', '2027-03-07'), ('2027-03-08', '2027-03-14')]
    >>> len(weeks_ending_in(p))
    4
    """
    first, last = period.start.date(), period.last_day
    sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
    weeks = []
    while sunday <= last:
        weeks.append((sunday - dt.timedelta(days=6), sunday))
        sunday += dt.timedelta(days=7)
    return weeks
