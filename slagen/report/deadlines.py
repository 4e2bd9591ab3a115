"""The days a report sets running: when it counts as received, and the notice deadline.

The claim deadline for further Service Credits is the claim rule's (:mod:`slagen.claim`).

A period of days that starts with an event (receipt of the report) does not count the day of the event
(§ 187 (1) BGB) and ends with the end of its last day (§ 188 (1) BGB). Under German law a period for a
declaration whose last day is a Saturday, Sunday or public holiday at the place of performance ends on the
next working day (§ 193 BGB); English law has no such rule, so the last day stays.

>>> weekdays = lambda day: day.weekday() < 5
>>> period_end(dt.date(2027, 4, 7), 30, weekdays, extend=True)      # Friday 7 May 2027
datetime.date(2027, 5, 7)
>>> period_end(dt.date(2027, 4, 9), 30, weekdays, extend=True)      # Sunday 9 May: Monday 10 May
datetime.date(2027, 5, 10)
>>> period_end(dt.date(2027, 4, 9), 30, weekdays, extend=False)
datetime.date(2027, 5, 9)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

WorkingDay = Callable[[dt.date], bool]


def period_end(event: dt.date, days: int, working_day: WorkingDay, *, extend: bool) -> dt.date:
    """The last day of a period of ``days`` days after ``event`` (moved to a working day if ``extend``)."""
    last = event + dt.timedelta(days=days)
    while extend and not working_day(last):
        last += dt.timedelta(days=1)
    return last


def weekdays_only(day: dt.date) -> bool:
    """Monday to Friday: the working days when no public-holiday calendar is at hand."""
    return day.weekday() < 5
