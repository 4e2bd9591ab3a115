"""Call-centre interval statistics (an ACD's interval report) → :class:`Interval` records.

Columns ``interval_start, minutes, offered, answered, answered_in_time, abandoned, abandoned_short``
and optionally ``wait_seconds`` (the answered calls' total waiting time) and ``forecast``. The counts
must fit together: no more calls answered, and answered plus abandoned, than offered; no more
answered in time than answered; no more abandoned early than abandoned. An interval that begins
before the previous one of the data ends (the same interval twice, or 30-minute rows over
15-minute rows) is an error: its calls would count twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from slagen.errors import Problem
from slagen.measured.cells import read_count, read_decimal, read_timestamp
from slagen.measured.columns import Layout
from slagen.measured.files import Rows
from slagen.measured.records import Interval
from slagen.measured.rowcells import RowCells

COUNTS = ("offered", "answered", "answered_in_time", "abandoned", "abandoned_short")
_AT_MOST = (
    ("answered", "offered", "more calls answered than offered"),
    ("answered_in_time", "answered", "more calls answered in time than answered"),
    ("abandoned_short", "abandoned", "more calls abandoned early than abandoned"),
)


def read_minutes(cell: object) -> int:
    """The length of an interval in minutes: 1 to 1440."""
    minutes = read_count(cell)
    if not 1 <= minutes <= 1440:
        raise ValueError(f"{minutes} minutes is no interval length (1 to 1440)")
    return minutes


def read_intervals(layout: Layout, rows: Rows, path: Path, zone: ZoneInfo, problems: list[Problem]) -> list[Interval]:
    """The intervals of a file's rows; the problems of its cells added to ``problems``."""
    intervals = []
    for number, cells in rows:
        row = RowCells(layout, path, number, cells, problems)
        before = len(problems)
        start = row.value("interval_start", lambda cell: read_timestamp(cell, zone))
        minutes = row.value("minutes", read_minutes)
        counts = {column: row.value(column, read_count) for column in COUNTS}
        wait = row.value("wait_seconds", read_decimal, required=False)
        forecast = row.value("forecast", read_count, required=False)
        for part, whole, message in _AT_MOST:
            low, high = counts[part], counts[whole]
            if low is not None and high is not None and low > high:
                row.add(part, f"{message} ({low} > {high})")
        answered, abandoned, offered = counts["answered"], counts["abandoned"], counts["offered"]
        if answered is not None and abandoned is not None and offered is not None and answered + abandoned > offered:
            message = f"answered and abandoned calls ({answered} + {abandoned}) are more than offered ({offered})"
            row.add("abandoned", message)
        if len(problems) > before or start is None or minutes is None:
            continue
        offered, answered, in_time, abandoned, short = (counts[column] or 0 for column in COUNTS)
        intervals.append(
            Interval(start, minutes, offered, answered, in_time, abandoned, short, row.where, wait, forecast)
        )
    return intervals


def repeated_intervals(intervals: Iterable[Interval]) -> list[Problem]:
    """A problem for each interval that begins before an earlier-starting one ends."""
    problems = []
    latest: Interval | None = None
    for interval in sorted(intervals, key=lambda interval: interval.start):
        if latest is not None and interval.start < _end(latest):
            shown = f"{latest.start.isoformat()}, {latest.minutes} min"
            message = f"this interval overlaps the one at {latest.where} ({shown})"
            problems.append(Problem(message, interval.where.file, interval.where.row, "interval_start"))
        if latest is None or _end(interval) > _end(latest):
            latest = interval
    return problems


def _end(interval: Interval) -> dt.datetime:
    return interval.start + dt.timedelta(minutes=interval.minutes)
