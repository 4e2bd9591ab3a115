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
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slagen.errors import InputError, Problem
from slagen.measured.activity import read_activity, repeated_days
from slagen.measured.columns import KINDS, layout_of
from slagen.measured.files import read_rows
from slagen.measured.generic import read_measurements
from slagen.measured.intervals import read_intervals, repeated_intervals
from slagen.measured.outages import overlapping, read_outages
from slagen.measured.records import Measured, Outage
from slagen.measured.samples import cut_by_log, read_samples
from slagen.measured.tickets import PRIORITIES, duplicates, read_tickets

MAX_PROBLEMS = 1000
"""Most problems reported of one file; the rest are counted."""

DataFile = Path | tuple[str, Path]
"""A file whose kind its header tells, or ``(kind, file)``."""


def data_file(text: str) -> DataFile:
    """A file given on the command line: ``PATH``, or ``KIND=PATH`` to name its kind rather than let the header tell.

    >>> data_file("tickets=export.csv"), data_file("data/outages.csv")
    (('tickets', PosixPath('export.csv')), PosixPath('data/outages.csv'))
    """
    kind, sep, rest = text.partition("=")
    if sep and kind in KINDS:
        return kind, Path(rest)
    return Path(text)


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
    """The records of every file in ``paths``; an :class:`InputError` with every problem found.

    Outages found in availability samples give way to the outage log: where a logged outage of the
    same service covers sampled minutes, the log's interval and cause count (a planned maintenance the
    probe saw as down is a maintenance), and the sampled outage keeps only the minutes outside it.
    """
    zone = zone_of(time_zone)
    found: dict[str, list[Any]] = {kind: [] for kind in KINDS}
    problems: list[Problem] = []
    for given in paths:
        kind, path = given if isinstance(given, tuple) else (None, given)
        problems.extend(_bounded(_read_file(path, kind, zone, priorities, found), path))
    logged: list[Outage] = found["outages"]
    outages = logged + cut_by_log(found["samples"], logged)
    problems.extend(overlapping(outages) + duplicates(found["tickets"]))
    problems.extend(repeated_intervals(found["intervals"]) + repeated_days(found["activity"]))
    if problems:
        raise InputError(problems)
    return Measured(
        tuple(outages), tuple(found["tickets"]), tuple(found["intervals"]), tuple(found["activity"]),
        tuple(found["measurements"]),
    )  # fmt: skip


def _read_file(
    path: Path, kind: str | None, zone: ZoneInfo, priorities: Collection[str], found: dict[str, list[Any]]
) -> list[Problem]:
    """Add the records of one file to ``found`` (by kind); give its problems."""
    problems: list[Problem] = []
    try:
        header, rows = read_rows(path)
        layout = layout_of(header, path, kind)
        kind = layout.contract.kind
        records: list[Any]
        if kind == "outages":
            records = read_outages(layout, rows, path, zone, problems)
        elif kind == "tickets":
            records = read_tickets(layout, rows, path, zone, problems, priorities)
        elif kind == "intervals":
            records = read_intervals(layout, rows, path, zone, problems)
        elif kind == "activity":
            records = read_activity(layout, rows, path, problems)
        elif kind == "measurements":
            records = read_measurements(layout, rows, path, zone, problems)
        else:
            records = read_samples(layout, rows, path, zone, problems)
    except InputError as exc:
        return problems + exc.problems
    if not records and not problems:
        problems.append(Problem("the file has a header but no rows of data", str(path), 2))
    found[kind].extend(records)
    return problems


def _bounded(problems: list[Problem], path: Path) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(f"and {rest:,} more problems in this file", str(path))]
