"""Availability samples: one row per probe and service (``timestamp, service, up``) → :class:`Outage` records.

The form a monitoring system's export takes flattened to CSV (Prometheus ``probe_success`` from the
blackbox exporter: one sample a minute, ``1`` up, ``0`` down). Each run of down samples of a service
becomes one outage with the cause ``provider``, from its first down sample to the service's next
sample (a gap in the samples after a down sample counts as down: the probe saw nothing better), and
for a run at the end of the data, one sampling step (the last two samples' distance) after its last.
The outage cites the row of its first down sample. Samples may come in any order and services
interleaved; the same service twice at one time is an error. Whether planned maintenance excuses
part of an outage is the report's matter: the samples cannot tell.

A year of minute samples is 525,600 rows, so the reading is made for speed: the csv module,
:meth:`datetime.fromisoformat`, and the daylight-saving check done once per hour of the clock, not
per row (``benchmarks/measured.py`` measures it); a cell off the fast path is read by
:mod:`slagen.measured.cells` with its full messages.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from zoneinfo import ZoneInfo

from slagen.errors import Problem
from slagen.measured.cells import localize, read_flag, read_timestamp
from slagen.measured.columns import Layout
from slagen.measured.files import Rows
from slagen.measured.records import Outage, Where

_UP = {"1": True, "0": False, "1.0": True, "0.0": False, "true": True, "false": False, "up": True, "down": False}
NOTE = "from availability samples"
"""The note of an outage found in samples."""


class _Series:
    """One service's samples, in parallel lists (cheaper than a tuple per row)."""

    __slots__ = ("rows", "times", "ups")

    def __init__(self) -> None:
        self.times: list[dt.datetime] = []
        self.ups: list[bool] = []
        self.rows: list[int] = []


def read_samples(layout: Layout, rows: Rows, path: Path, zone: ZoneInfo, problems: list[Problem]) -> list[Outage]:
    """The outages the down samples of a file's rows make; the problems of its cells added to ``problems``."""
    at_time, at_service, at_up = (layout.index(column) for column in ("timestamp", "service", "up"))
    assert at_time is not None  # required columns
    assert at_service is not None
    assert at_up is not None
    width = max(at_time, at_service, at_up) + 1
    hours: dict[str, bool] = {}  # whether each hour of the clock is free of a daylight-saving change
    series: dict[str, _Series] = {}
    fromiso = dt.datetime.fromisoformat
    file = str(path)
    moment: dt.datetime | None
    for number, cells in rows:
        if len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        text, service, flag = cells[at_time], cells[at_service], cells[at_up]
        try:
            moment = fromiso(text)  # type: ignore[arg-type]
            if moment.tzinfo is None:
                key = text[:13]  # type: ignore[index]
                plain = hours.get(key)
                if plain is None:
                    plain = hours[key] = _plain_hour(moment, zone)
                moment = moment.replace(tzinfo=zone) if plain and len(text) > 10 else _slow(text, zone)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            try:
                moment = _slow(cells[at_time], zone)
            except ValueError as slow:
                problems.append(Problem(str(slow), file, number, "timestamp"))
                moment = None
        up = _UP.get(flag) if isinstance(flag, str) else None
        if up is None:
            try:
                up = read_flag(flag)
            except ValueError as exc:
                problems.append(Problem(f"{exc} (up is 1, down is 0)", file, number, "up"))
        name = service.strip() if isinstance(service, str) else "" if service is None else str(service)
        if not name:
            problems.append(Problem("the service is missing", file, number, "service"))
        if moment is None or up is None or not name:
            continue
        found = series.get(name)
        if found is None:
            found = series[name] = _Series()
        found.times.append(moment)
        found.ups.append(up)
        found.rows.append(number)
    outages = []
    for name, samples in series.items():
        outages.extend(_outages(name, samples, file, problems))
    return outages


def _slow(cell: object, zone: ZoneInfo) -> dt.datetime:
    if isinstance(cell, str) and cell.strip().replace(".", "", 1).isdigit() and len(cell.strip()) >= 9:
        return dt.datetime.fromtimestamp(float(cell), dt.UTC).astimezone(zone)  # Unix seconds
    return read_timestamp(cell, zone)


def _plain_hour(moment: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the clock hour of ``moment`` has one offset throughout (no time in it is skipped or doubled)."""
    start = moment.replace(minute=0, second=0, microsecond=0)
    end = start + dt.timedelta(minutes=59, seconds=59, microseconds=999999)
    try:
        offsets = {localize(point, zone).utcoffset() for point in (start, end)}
    except ValueError:
        return False
    return len(offsets) == 1


def _outages(name: str, samples: _Series, file: str, problems: list[Problem]) -> list[Outage]:
    times, ups, rows = samples.times, samples.ups, samples.rows
    if any(later <= earlier for earlier, later in itertools.pairwise(times)):
        order = sorted(range(len(times)), key=times.__getitem__)
        times, ups, rows = [times[i] for i in order], [ups[i] for i in order], [rows[i] for i in order]
        for index in range(1, len(times)):
            if times[index] == times[index - 1]:
                message = f"'{name}' has a sample at {times[index].isoformat()} already, in row {rows[index - 1]}"
                problems.append(Problem(message, file, rows[index], "timestamp"))
    outages = []
    start: int | None = None
    for index, up in enumerate(ups):
        if not up and start is None:
            start = index
        elif up and start is not None:
            outages.append(Outage(times[start], times[index], name, "provider", Where(file, rows[start]), NOTE))
            start = None
    if start is not None:
        if len(times) < 2:
            problems.append(Problem(f"one sample of '{name}' cannot tell how long it was down", file, rows[start]))
        else:
            end = times[-1] + (times[-1] - times[-2])
            outages.append(Outage(times[start], end, name, "provider", Where(file, rows[start]), NOTE))
    return outages
