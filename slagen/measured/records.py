"""The measured facts a service-level report is computed from, one frozen record per row of a data file.

Every timestamp is timezone-aware: a reader interprets a timestamp without an offset in the agreement's
time zone (``service.time_zone``) and gives it with its UTC offset as a fixed ``datetime.timezone``
(:func:`slagen.measured.cells.fixed`: two datetimes of one named zone compare and subtract by wall-clock
time, wrong across a daylight-saving change); ``.astimezone(zone)`` gives the named zone back.
Every record knows the file and row it came from (:class:`Where`), so
that a report can cite it and a problem can be reported where it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from msgspec import Struct

CAUSES = ("provider", "scheduled", "force_majeure", "customer", "third_party")
"""Why a service was down. Only ``provider`` counts against availability; the others are excluded
(planned maintenance within the agreed window, force majeure, caused by the customer, by third parties for
whom the provider is not responsible) — whether an exclusion applies is the measurement definition's rule."""

TICKET_KINDS = ("incident", "complaint", "request")


class Where(Struct, frozen=True):
    """The file and the 1-based row (the header is row 1) a record was read from."""

    file: str
    row: int

    def __str__(self) -> str:
        return f"{self.file}:{self.row}"


class Outage(Struct, frozen=True):
    """An interval in which a service (or part of it) was not available, with its cause."""

    start: dt.datetime
    end: dt.datetime
    service: str
    cause: str
    where: Where
    note: str = ""


class Ticket(Struct, frozen=True):
    """An incident, complaint or request with the time stamps its response and restore times run between.

    ``paused`` holds the intervals in which the clock stopped (waiting for the customer, for access);
    ``from_backup`` says whether restoring the service required data from the backup (RTO and RPO apply).
    """

    id: str
    priority: str
    created: dt.datetime
    where: Where
    kind: str = "incident"
    responded: dt.datetime | None = None
    restored: dt.datetime | None = None
    resolved: dt.datetime | None = None
    paused: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    from_backup: bool = False
    data_lost_since: dt.datetime | None = None


class Interval(Struct, frozen=True):
    """One interval of call-centre (ACD) statistics, usually 15 or 30 minutes long.

    ``answered_in_time`` counts the calls answered within the agreed answer time; ``abandoned_short`` the
    calls abandoned within the short-abandon time (a subset of ``abandoned``); ``wait_seconds`` the total
    waiting time of the answered calls (for the average speed of answer); ``forecast`` the calls the
    customer forecast for the interval, if it did.
    """

    start: dt.datetime
    minutes: int
    offered: int
    answered: int
    answered_in_time: int
    abandoned: int
    abandoned_short: int
    where: Where
    wait_seconds: Decimal | None = None
    forecast: int | None = None


class Activity(Struct, frozen=True):
    """One agent's telemarketing day: calls, the calls a person answered, contacts and results.

    ``days_worked`` is the share of a day the agent worked for the customer (a half day is 0.5); the
    closing rate's agreed denominator is ``decision_maker_contacts``.
    """

    day: dt.date
    agent: str
    days_worked: Decimal
    calls: int
    answered_in_person: int
    decision_maker_contacts: int
    appointments: int
    where: Where
    recordings_reviewed: int = 0


class Measurement(Struct, frozen=True):
    """One row of a generic measurements file: its ``record`` type, time stamp and every other cell as read.

    The other cells (``fields``, by normalised column name) stay as the file holds them (text, or what a
    spreadsheet cell holds); a measurement definition types the fields it reads (a number, a time, yes/no)
    when it reads them, and a cell that is not of that type is a problem at its file, row and column.
    """

    record: str
    timestamp: dt.datetime
    fields: dict[str, object]
    where: Where
    id: str = ""


class Measured(Struct, frozen=True):
    """Everything read for one agreement: the records of every data file given, in file order."""

    outages: tuple[Outage, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    intervals: tuple[Interval, ...] = ()
    activity: tuple[Activity, ...] = ()
    measurements: tuple[Measurement, ...] = ()
