"""Read measured-data files (CSV or XLSX) into one :class:`Measured`, every problem of every file reported.

Takes the files (each with its kind, or the kind found from its header: :mod:`slagen.measured.columns`),
the agreement's time zone (``service.time_zone``; a time without an offset is read in it) and the
catalog's priorities, and gives the records of all files in file order. Nothing is given unless every
cell of every file could be read: the problems (each with file, row and column) are raised together as
one :class:`~slagen.errors.InputError`, at most :data:`MAX_PROBLEMS` of them per file and then a count
of the rest, since a file broken as a whole (a wrong time zone, a shifted column) would otherwise
fill a terminal with half a million lines.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slagen.errors import InputError, Problem
from slagen.measured.activity import read_activity, repeated_days
from slagen.measured.columns import layout_of
from slagen.measured.files import read_rows
from slagen.measured.intervals import read_intervals, repeated_intervals
from slagen.measured.outages import overlapping, read_outages
from slagen.measured.records import Activity, Interval, Measured, Outage, Ticket
from slagen.measured.samples import read_samples
from slagen.measured.tickets import PRIORITIES, duplicates, read_tickets

MAX_PROBLEMS = 1000
"""Most problems reported of one file; the rest are counted."""

DataFile = Path | tuple[str, Path]
"""A file whose kind its header tells, or ``(kind, file)``."""


def zone_of(time_zone: str | ZoneInfo) -> ZoneInfo:
    """The time zone of an IANA name (``Europe/Berlin``); bad input if there is none of that name."""
    if isinstance(time_zone, ZoneInfo):
        return time_zone
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError.single(f"'{time_zone}' is no time zone (write an IANA name: Europe/Berlin)") from None


def read_measured(
    paths: Iterable[DataFile],
    time_zone: str | ZoneInfo,
    *,
    priorities: Collection[str] = PRIORITIES,
) -> Measured:
    """The records of every file in ``paths``; an :class:`InputError` with every problem found."""
    zone = zone_of(time_zone)
    outages: list[Outage] = []
    tickets: list[Ticket] = []
    intervals: list[Interval] = []
    activity: list[Activity] = []
    problems: list[Problem] = []
    for given in paths:
        kind, path = given if isinstance(given, tuple) else (None, given)
        found: list[Problem] = []
        try:
            header, rows = read_rows(path)
            layout = layout_of(header, path, kind)
            records: list[object] = []
            kind = layout.contract.kind
            if kind == "outages":
                records.extend(read_outages(layout, rows, path, zone, found))
            elif kind == "tickets":
                records.extend(read_tickets(layout, rows, path, zone, found, priorities))
            elif kind == "intervals":
                records.extend(read_intervals(layout, rows, path, zone, found))
            elif kind == "activity":
                records.extend(read_activity(layout, rows, path, found))
            else:
                records.extend(read_samples(layout, rows, path, zone, found))
        except InputError as exc:
            found.extend(exc.problems)
        else:
            if not records and not found:
                found.append(Problem("the file has a header but no rows of data", str(path), 2))
            for record in records:
                _sort(record, outages, tickets, intervals, activity)
        problems.extend(_bounded(found, path))
    problems.extend(overlapping(outages) + duplicates(tickets))
    problems.extend(repeated_intervals(intervals) + repeated_days(activity))
    if problems:
        raise InputError(problems)
    return Measured(tuple(outages), tuple(tickets), tuple(intervals), tuple(activity))


def _sort(
    record: object, outages: list[Outage], tickets: list[Ticket], intervals: list[Interval], activity: list[Activity]
) -> None:
    if isinstance(record, Outage):
        outages.append(record)
    elif isinstance(record, Ticket):
        tickets.append(record)
    elif isinstance(record, Interval):
        intervals.append(record)
    elif isinstance(record, Activity):
        activity.append(record)


def _bounded(problems: list[Problem], path: Path) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(f"and {rest:,} more problems in this file", str(path))]
