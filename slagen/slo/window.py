"""Over what period, on what clock and in what slices a KPI is measured: :func:`window_of`.

Every export takes the period and the granularity of a KPI from :func:`window_of` and nowhere else,
and :func:`window_of` takes them from the KPI's measurement definition (``measure:`` in the catalog,
:mod:`slagen.measure_def`), the same definition ``slagen report`` computes and the contract words:

- ``period: calendar_month`` is OpenSLO's ``1M`` from the first of the month of the effective date,
  ``calendar_week`` ``1w`` from the Monday of its week, ``contract_year`` ``1Y`` from the effective date;
- ``period: event`` (a per-event measure) is the period of the Service Level it feeds: the contract
  counts each event in that Service Level's period (a ticket in the month it was reported);
- ``period: campaign`` has no calendar window: the window is the calendar month, in which the contract
  counts a campaign when it ends, and the export says so (``note``);
- ``slice:`` (a share of time judged in slices, one check a minute) gives the time slices.

The clock is the time zone the contract states (:func:`slagen.timezone.time_zone_for`), never a guess.

>>> import datetime as dt
>>> first_of_period("calendar_week", dt.date(2027, 3, 18)), first_of_period("contract_year", dt.date(2027, 3, 18))
(datetime.date(2027, 3, 15), datetime.date(2027, 3, 18))
>>> shorthand(Decimal(60)), shorthand(Decimal(7200)), shorthand(Decimal(86400))
('1m', '2h', '1d')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from msgspec import Struct

from slagen.answers import Answers
from slagen.catalogs import Kpi
from slagen.timezone import time_zone_for

DURATIONS = {"calendar_month": "1M", "calendar_week": "1w", "contract_year": "1Y"}
"""A contract period → OpenSLO's duration shorthand (``M`` month, ``w`` week, ``Y`` year; ``1m`` is a minute)."""
DEFAULT_PERIOD = "calendar_month"
"""The period of a KPI whose catalog gives no measurement definition (the contract's months)."""
PERIOD_NOTES = {
    "campaign": "The contract measures this KPI per campaign, counted in the calendar month in which the campaign "
    "ends; the window here is the calendar month.",
}
"""What an export says about a KPI whose contract period has no calendar window of its own."""


class Window(Struct, frozen=True):
    """The contract period of a KPI and how it is sliced.

    ``period`` is the definition's (``calendar_month``, ``calendar_week``, ``contract_year``);
    ``duration`` is OpenSLO's shorthand (``1M`` is a month; ``1m`` would be a minute); ``start``
    is the first day of the first period, at midnight in ``time_zone``; ``partial_first`` is true
    when the agreement takes effect after that day, so its first period is shorter.
    ``slice`` is the length of a time slice (``1m``) for a KPI measured in slices, else empty.
    """

    period: str
    duration: str
    time_zone: str
    start: dt.date
    partial_first: bool
    slice: str = ""
    note: str = ""
    """Where the contract's own period differs from this window (a campaign counted in the month it ends)."""

    @property
    def start_time(self) -> str:
        """OpenSLO's ``calendar.startTime``: the date and time without a zone (the zone is ``time_zone``)."""
        return f"{self.start.isoformat()} 00:00:00"


def window_of(kpi: Kpi, answers: Answers, *, feeds: Kpi | None = None) -> Window:
    """The period ``kpi`` is measured over in the agreement ``answers``, in its time zone, and its slices.

    ``feeds`` is the Service Level a per-event measure feeds: its period is the measure's window.
    """
    period = _period(kpi)
    if period == "event":
        period = _period(feeds) if feeds is not None and feeds is not kpi else DEFAULT_PERIOD
        period = DEFAULT_PERIOD if period == "event" else period
    note = PERIOD_NOTES.get(period, "")
    if period not in DURATIONS:
        period = DEFAULT_PERIOD
    effective: dt.date = answers.values["agreement.effective_date"]
    start = first_of_period(period, effective)
    length = kpi.measure.slice if kpi.measure is not None else None
    return Window(
        period=period,
        duration=DURATIONS[period],
        time_zone=time_zone_for(answers),
        start=start,
        partial_first=start != effective,
        slice=shorthand(length.seconds) if length is not None else "",
        note=note,
    )


def _period(kpi: Kpi) -> str:
    return kpi.measure.period if kpi.measure is not None else DEFAULT_PERIOD


def first_of_period(period: str, day: dt.date) -> dt.date:
    """The first day of the ``period`` (a key of :data:`DURATIONS`) that holds ``day``; a contract year starts on it."""
    if period == "calendar_week":
        return day - dt.timedelta(days=day.weekday())
    if period == "contract_year":
        return day
    return day.replace(day=1)


def shorthand(seconds: Decimal) -> str:
    """Whole minutes as OpenSLO's duration shorthand, in the largest unit that divides them."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    raise ValueError(f"{seconds} s is not a whole number of minutes")
