"""Arithmetic of half-open time intervals ``[start, end)`` between aware datetimes (for :mod:`slagen.clock`).

Pure functions: the union of possibly overlapping intervals, the difference of a stream of intervals and a
sorted list of others, and the check that a moment carries its time zone.

>>> import datetime as dt
>>> at = lambda h: dt.datetime(2027, 3, 3, h, tzinfo=dt.UTC)
>>> [(a.hour, b.hour) for a, b in merged([(at(10), at(12)), (at(11), at(13)), (at(15), at(16))])]
[(10, 13), (15, 16)]
>>> [(a.hour, b.hour) for a, b in minus(iter([(at(9), at(17))]), [(at(10), at(13)), (at(15), at(16))])]
[(9, 10), (13, 15), (16, 17)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

Interval = tuple[dt.datetime, dt.datetime]
"""A half-open stretch of time ``[start, end)`` between two aware datetimes."""


def merged(paused: Iterable[Interval]) -> list[Interval]:
    """``paused`` as sorted, disjoint intervals in UTC; a pause that ends before it begins is a ``ValueError``."""
    spans = []
    for begin, end in paused:
        aware(begin, "pause start")
        aware(end, "pause end")
        if end < begin:
            raise ValueError(f"a pause ends ({end.isoformat()}) before it begins ({begin.isoformat()})")
        spans.append((begin.astimezone(dt.UTC), end.astimezone(dt.UTC)))
    spans.sort()
    merged: list[Interval] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def minus(running: Iterator[Interval], pauses: list[Interval]) -> Iterator[Interval]:
    """``running`` less the (sorted, disjoint) ``pauses``."""
    index = 0
    for begin, end in running:
        while index < len(pauses) and pauses[index][1] <= begin:
            index += 1
        cursor = begin
        probe = index
        while probe < len(pauses) and pauses[probe][0] < end:
            if pauses[probe][0] > cursor:
                yield cursor, pauses[probe][0]
            cursor = max(cursor, pauses[probe][1])
            probe += 1
        if cursor < end:
            yield cursor, end


def aware(moment: dt.datetime, what: str) -> None:
    """Refuse (``ValueError``) a ``moment`` that is no datetime with a time zone; ``what`` names it."""
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"the {what} must be a datetime with a time zone, not {moment!r}")
