"""Availability samples: one row per probe and service (``timestamp, service, up``) → :class:`Outage` records.

The form a monitoring system's export takes flattened to CSV (Prometheus ``probe_success`` from the
blackbox exporter: one sample a minute, ``1`` up, ``0`` down). Each run of down samples of a service
becomes one outage with the cause ``provider``, from its first down sample to the service's next
sample (a gap in the samples after a down sample counts as down: the probe saw nothing better), and
for a run at the end of the data, one sampling step (the last two samples' distance) after its last.
The outage cites the row of its first down sample. Samples may come in any order and services
interleaved; the same service twice at one time is an error. The samples cannot tell a failure from a
planned maintenance: where the outage log has an outage of the same service, its interval and cause
count, and a sampled outage keeps only its minutes outside the log's (:func:`cut_by_log`).

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

from msgspec.structs import replace

from slagen.errors import Problem
from slagen.measured.cells import fixed, is_empty, localize, read_flag, read_timestamp
from slagen.measured.columns import Layout
from slagen.measured.files import Rows
from slagen.measured.records import Outage, Where
from slagen.measured.rowcells import required_because, too_many_cells

_UP = {"1": True, "0": False, "1.0": True, "0.0": False, "true": True, "false": False, "up": True, "down": False}
_SIGNS = ("+", "-")
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
    hours: dict[str, dt.timedelta | None] = {}  # each clock hour's UTC offset; None if it changes in the hour
    offsets: dict[str, dt.timedelta] = {}  # each written offset (+01:00, Z) as a time span
    series: dict[str, _Series] = {}
    fromiso = dt.datetime.fromisoformat
    file = str(path)
    utc: dt.datetime | None  # naive, in UTC: subtracting an offset is many times quicker than attaching a zone
    for number, cells in rows:
        if len(cells) != layout.width:
            if len(cells) < width:
                cells = cells + [None] * (width - len(cells))
            elif len(cells) > layout.width and not all(is_empty(cell) for cell in cells[layout.width :]):
                problems.append(Problem(too_many_cells(len(cells), layout.width), file, number))
        text, service, flag = cells[at_time], cells[at_service], cells[at_up]
        try:
            # where an offset begins (-6 for +01:00, -1 for Z), 0 if none: inline, a call per row costs
            cut = -1 if text[-1:] == "Z" else -6 if text[-6:-5] in _SIGNS and text[-3:-2] == ":" else 0  # type: ignore[index]
            if cut:  # an offset written: the time without it, less the offset
                suffix = text[cut:]  # type: ignore[index]
                if suffix not in offsets:
                    offsets[suffix] = _suffix_offset(suffix)
                utc = fromiso(text[:cut]) - offsets[suffix]  # type: ignore[index]
            else:
                moment = fromiso(text)  # type: ignore[arg-type]
                if moment.tzinfo is not None:  # an offset in another form (+0100)
                    raise ValueError(moment)
                key = text[:13]  # type: ignore[index]
                if key not in hours:
                    hours[key] = _hour_offset(moment, zone)
                offset = hours[key]
                utc = moment - offset if offset is not None and len(text) > 10 else _utc(_slow(text, zone))  # type: ignore[arg-type]
        except (ValueError, TypeError):
            try:
                utc = _utc(_slow(cells[at_time], zone))
            except ValueError as slow:
                problems.append(Problem(str(slow), file, number, "timestamp"))
                utc = None
        up = _UP.get(flag) if isinstance(flag, str) else None
        if up is None:
            try:
                up = read_flag(flag)
            except ValueError as exc:
                problems.append(Problem(f"{exc} (up is 1, down is 0)", file, number, "up"))
        name = service.strip() if isinstance(service, str) else "" if service is None else str(service)
        if not name:
            problems.append(Problem(f"the cell is empty: {required_because('service')}", file, number, "service"))
        if utc is None or up is None or not name:
            continue
        found = series.get(name)
        if found is None:
            found = series[name] = _Series()
        found.times.append(utc)
        found.ups.append(up)
        found.rows.append(number)
    outages = []
    for name, samples in series.items():
        outages.extend(_outages(name, samples, file, zone, problems))
    return outages


def _slow(cell: object, zone: ZoneInfo) -> dt.datetime:
    if isinstance(cell, str) and cell.strip().replace(".", "", 1).isdigit() and len(cell.strip()) >= 9:
        return dt.datetime.fromtimestamp(float(cell), dt.UTC).astimezone(zone)  # Unix seconds
    return read_timestamp(cell, zone)


def _hour_offset(moment: dt.datetime, zone: ZoneInfo) -> dt.timedelta | None:
    """The UTC offset of the clock hour of ``moment``; ``None`` if it changes within the hour (or skips it)."""
    start = moment.replace(minute=0, second=0, microsecond=0)
    end = start + dt.timedelta(minutes=59, seconds=59, microseconds=999999)
    try:
        offsets = {localize(point, zone).utcoffset() for point in (start, end)}
    except ValueError:
        return None
    return offsets.pop() if len(offsets) == 1 else None


def _suffix_offset(suffix: str) -> dt.timedelta:
    offset = dt.datetime.fromisoformat("2000-01-01T00:00" + suffix).utcoffset()
    assert offset is not None  # the suffix is an offset
    return offset


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _local(utc: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return fixed(utc.replace(tzinfo=dt.UTC).astimezone(zone))


def _outages(name: str, samples: _Series, file: str, zone: ZoneInfo, problems: list[Problem]) -> list[Outage]:
    times, ups, rows = samples.times, samples.ups, samples.rows
    if any(later <= earlier for earlier, later in itertools.pairwise(times)):
        order = sorted(range(len(times)), key=times.__getitem__)
        times, ups, rows = [times[i] for i in order], [ups[i] for i in order], [rows[i] for i in order]
        for index in range(1, len(times)):
            if times[index] == times[index - 1]:
                shown = _local(times[index], zone).isoformat()
                message = f"'{name}' has a sample at {shown} already, in row {rows[index - 1]}"
                problems.append(Problem(message, file, rows[index], "timestamp"))
    outages = []
    start: int | None = None
    for index, up in enumerate(ups):
        if not up and start is None:
            start = index
        elif up and start is not None:
            span = _local(times[start], zone), _local(times[index], zone)
            outages.append(Outage(*span, name, "provider", Where(file, rows[start]), NOTE))
            start = None
    if start is not None:
        if len(times) < 2:
            problems.append(Problem(f"one sample of '{name}' cannot tell how long it was down", file, rows[start]))
        else:
            end = times[-1] + (times[-1] - times[-2])
            span = _local(times[start], zone), _local(end, zone)
            outages.append(Outage(*span, name, "provider", Where(file, rows[start]), NOTE))
    return outages


def cut_by_log(sampled: list[Outage], logged: list[Outage]) -> list[Outage]:
    """The sampled outages less the minutes the logged outages of their service cover (see the module)."""
    by_service: dict[str, list[Outage]] = {}
    for outage in logged:
        by_service.setdefault(outage.service, []).append(outage)
    for listed in by_service.values():
        listed.sort(key=lambda outage: outage.start)
    kept = []
    for outage in sampled:
        start = outage.start
        for covering in by_service.get(outage.service, ()):
            if covering.end <= start or covering.start >= outage.end:
                continue
            if covering.start > start:
                kept.append(replace(outage, start=start, end=covering.start))
            start = max(start, covering.end)
        if start < outage.end:
            kept.append(replace(outage, start=start))
    return kept
