"""Over what period, on what clock and in what slices a KPI is measured: :func:`window_of`.

Every export takes the period and the granularity of a KPI from :func:`window_of` and nowhere else,
so that when the catalogs describe the measurement of each KPI (a ``measure:`` block), this one
function reads it. Until then the rule is the contract's: a calendar month in the agreement's time
zone (``service.time_zone``; when the answers do not give one, the governing law's: Europe/Berlin,
Europe/London for the laws of England and Wales), from the month of ``agreement.effective_date``.

>>> import datetime as dt
>>> first_of_month(dt.date(2027, 3, 15))
datetime.date(2027, 3, 1)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from slagen.answers import Answers
from slagen.catalogs import Kpi

DEFAULT_TIME_ZONES = {"en-gb": "Europe/London"}
"""The time zone of an agreement that names none, by governing law; any other law: :data:`FALLBACK_TIME_ZONE`."""
FALLBACK_TIME_ZONE = "Europe/Berlin"

TIME_SLICES = {("it-service", "availability"): "1m"}
"""KPIs measured in time slices (the catalog's wording: checked once a minute), until ``measure:`` says so."""
PERIOD_NOTES = {
    "campaign": "The contract measures this KPI per campaign, counted in the calendar month in which the campaign "
    "ends; the window here is the calendar month.",
    "week": "The contract measures this KPI per calendar week; the window here is the calendar month.",
}
"""What an export says about a KPI whose contract period (``per``) is not the calendar month."""


@dataclass(frozen=True, slots=True)
class Window:
    """The contract period of a KPI and how it is sliced.

    ``duration`` is OpenSLO's shorthand (``1M`` is a month; ``1m`` would be a minute); ``start``
    is the first day of the first period, at midnight in ``time_zone``; ``partial_first`` is true
    when the agreement takes effect after that day, so its first period is shorter than a month.
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


def window_of(kpi: Kpi, answers: Answers) -> Window:
    """The period ``kpi`` is measured over in the agreement ``answers``, in its time zone, and its slices.

    Today every KPI is measured per calendar month (a per-event target within the month of its
    event, a weekly or per-campaign figure within the month the contract counts it in).
    """
    values = answers.values
    effective: dt.date = values["agreement.effective_date"]
    start = first_of_month(effective)
    catalog = str(values.get("service.catalog") or "")
    return Window(
        period="calendar_month",
        duration="1M",
        time_zone=time_zone_of(answers),
        start=start,
        partial_first=start != effective,
        slice=TIME_SLICES.get((catalog, kpi.id), ""),
        note=PERIOD_NOTES.get(kpi.per, ""),
    )


def time_zone_of(answers: Answers) -> str:
    """The agreement's time zone: ``service.time_zone`` as written in the answers, else the governing law's."""
    given: Any = (answers.source.data.get("service") or {}).get("time_zone")
    if isinstance(given, str) and given:
        return str(answers.values.get("service.time_zone") or given)
    law = str(answers.values.get("agreement.governing_law") or "")
    return DEFAULT_TIME_ZONES.get(law, FALLBACK_TIME_ZONE)


def first_of_month(day: dt.date) -> dt.date:
    """The first day of the calendar month of ``day``."""
    return day.replace(day=1)
