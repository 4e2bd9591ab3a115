"""The fields of generic measurement records typed as a definition reads them, every bad cell a problem.

A definition names fields (``rtt_ms``, ``confirmed``, ``correct``); :class:`Fields` reads each cell as
the type the definition uses it as — a number, a moment (a time, or a day without one), yes/no, text —
and records a :class:`~slagen.errors.Problem` at the cell's file, row and column when it cannot, or at
row 1 when the file has no such column. An empty cell is ``None``: "not (yet)", which meets no condition.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from msgspec import Struct

from slagen.errors import Problem
from slagen.measured.cells import is_empty, read_day, read_decimal, read_flag, read_timestamp, text_of
from slagen.measured.records import Measurement

_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_AMBIGUOUS = re.compile(r"\d{1,3}\.\d{3}")
"""A number as probes write it (``28.4``), read at once; ``1.843`` (thousands or a decimal point?) is not."""


class Moment(Struct, frozen=True):
    """A time, or a whole day (``day_only``: a date column such as a confirmed delivery date)."""

    at: dt.datetime
    day_only: bool
    day: dt.date


class Fields:
    """Typed reads of records' fields in one time zone, collecting the problems (each cell once)."""

    def __init__(self, zone: ZoneInfo, kpi: str) -> None:
        self.zone, self.kpi = zone, kpi
        self.problems: dict[tuple[str, int, str], Problem] = {}

    def _cell(self, record: Measurement, name: str) -> object:
        if name not in record.fields:
            key = (record.where.file, 1, name)
            columns = ", ".join(("record", "timestamp", "id", *record.fields))
            message = f"the measurements file has no column '{name}' (KPI {self.kpi} reads it); columns: {columns}"
            self.problems.setdefault(key, Problem(message, record.where.file, 1, name))
            return None
        return record.fields[name]

    def bad(self, record: Measurement, name: str, message: str) -> None:
        """A problem at ``record``'s row in column ``name`` (the first for that cell is kept)."""
        key = (record.where.file, record.where.row, name)
        self.problems.setdefault(key, Problem(message, record.where.file, record.where.row, name))

    def number(self, record: Measurement, name: str) -> Decimal | None:
        """A number of at least 0 (``12``, ``0,5``, ``1.843,5``); None if empty or bad."""
        cell = record.fields[name] if name in record.fields else self._cell(record, name)
        if isinstance(cell, str) and _PLAIN.fullmatch(cell) and not _AMBIGUOUS.fullmatch(cell):
            return Decimal(cell)
        if is_empty(cell):
            return None
        try:
            return read_decimal(cell)
        except ValueError as exc:
            self.bad(record, name, str(exc))
            return None

    def moment(self, record: Measurement, name: str) -> Moment | None:
        """A time (in the agreement's zone unless it has an offset) or a day; None if empty or bad."""
        if name == "timestamp":
            return Moment(record.timestamp, False, record.timestamp.astimezone(self.zone).date())
        cell = self._cell(record, name)
        if is_empty(cell):
            return None
        try:
            at = read_timestamp(cell, self.zone)
        except ValueError as exc:
            try:
                day = read_day(cell)
            except ValueError:
                self.bad(record, name, str(exc))
                return None
            return Moment(dt.datetime.combine(day, dt.time(), self.zone), True, day)
        return Moment(at, False, at.astimezone(self.zone).date())

    def flag(self, record: Measurement, name: str) -> bool | None:
        """Yes or no; None if empty or bad."""
        cell = self._cell(record, name)
        if is_empty(cell):
            return None
        try:
            return read_flag(cell)
        except ValueError as exc:
            self.bad(record, name, str(exc))
            return None

    def text(self, record: Measurement, name: str) -> str | None:
        """The cell as text (compared without regard to case); None if empty."""
        cell = self._cell(record, name)
        return None if is_empty(cell) else text_of(cell).casefold()

    def number_or_moment(self, record: Measurement, name: str) -> Any:
        """A number if the cell holds one, else a moment (a comparison of two fields without an offset)."""
        cell = self._cell(record, name)
        if is_empty(cell):
            return None
        try:
            return read_decimal(cell)
        except ValueError:
            return self.moment(record, name)
