"""One cell of a measured-data file read as the type its column wants, in the forms people type.

Each reader raises ``ValueError`` with the reason; the caller turns it into a
:class:`~slagen.errors.Problem` at the cell's file, row and column. A cell is a string (CSV) or what
openpyxl gives (``int``, ``float``, ``datetime``, ``bool``) for an XLSX file.

Timestamps: ISO 8601 with or without offset (``2027-03-01T08:00``, ``2027-03-01 08:00:00+01:00``,
``…Z``), the German form ``01.03.2027 08:00`` (``1.3.2027 8:00:30`` too), a spreadsheet's date-and-time
cell, and Unix seconds (``1804140000``, as a Prometheus export writes them). A time without an
offset is read in the agreement's time zone; a local time that the clock skips or shows twice at a
daylight-saving change is refused, since which instant it means is a guess.

>>> from zoneinfo import ZoneInfo
>>> berlin = ZoneInfo("Europe/Berlin")
>>> read_timestamp("01.03.2027 08:00", berlin).isoformat()
'2027-03-01T08:00:00+01:00'
>>> read_timestamp("2027-03-28T02:30", berlin)
Traceback (most recent call last):
ValueError: 2027-03-28 02:30 does not exist in Europe/Berlin (the clocks go forward): write it with its offset
>>> read_count("1.234"), read_count("12")
(1234, 12)
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from slagen.params.forms import read_date, read_number

_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*Uhr)?$")
_LOOSE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")  # 2027-03-01 8:00
_EPOCHS = (10**8, 10**11)
"""Unix seconds read as a time: from 1973 to the year 5138, never a spreadsheet's day number."""
_EPOCH = re.compile(r"^\d{9,11}(?:\.\d+)?$")
_GROUPED_COUNT = re.compile(r"^\d{1,3}(?:([.,'\u00a0\u202f ])\d{3})(?:\1\d{3})*$")
_YES = frozenset({"1", "true", "yes", "y", "x", "ja", "j", "wahr", "up"})
_NO = frozenset({"0", "false", "no", "n", "nein", "falsch", "down", "-"})


def text_of(cell: object) -> str:
    """A cell as text, stripped; an empty cell is ``""``."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def is_empty(cell: object) -> bool:
    """Whether a cell holds nothing (``None`` or only spaces)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_timestamp(cell: object, zone: ZoneInfo) -> dt.datetime:
    """The instant a cell names, with its UTC offset (:func:`fixed`); a time without one in ``zone``."""
    return fixed(_timestamp(cell, zone))


def fixed(moment: dt.datetime) -> dt.datetime:
    """``moment`` with its UTC offset as a fixed ``datetime.timezone`` rather than a named zone.

    Python compares and subtracts two datetimes of the same ``tzinfo`` by their wall-clock times,
    which is wrong across a daylight-saving change (01:00 to 04:00 on the night the clocks go
    forward would be three hours); with fixed offsets every comparison and difference is exact.
    ``moment.astimezone(zone)`` gives the named zone back for calendar arithmetic.

    >>> from zoneinfo import ZoneInfo
    >>> night = ZoneInfo("Europe/Berlin")
    >>> end, start = dt.datetime(2027, 3, 28, 4, tzinfo=night), dt.datetime(2027, 3, 28, 1, tzinfo=night)
    >>> end - start, fixed(end) - fixed(start)
    (datetime.timedelta(seconds=10800), datetime.timedelta(seconds=7200))
    """
    offset = moment.utcoffset()
    assert offset is not None  # aware
    return moment.astimezone(dt.timezone(offset))


def _timestamp(cell: object, zone: ZoneInfo) -> dt.datetime:
    if isinstance(cell, dt.datetime):
        return localize(cell, zone) if cell.tzinfo is None else cell
    if isinstance(cell, dt.date):
        raise ValueError(f"{cell.isoformat()} is a day without a time of day: write the time too")
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if (
            not _EPOCHS[0] <= cell < _EPOCHS[1]
        ):  # a spreadsheet's day number (46082.3) in a cell not formatted as a date
            raise ValueError(f"{cell} is a number, not a time: format the cell as a date and time (2027-03-01 08:00)")
        return dt.datetime.fromtimestamp(cell, dt.UTC).astimezone(zone)
    text = text_of(cell)
    if not text:
        raise ValueError("the cell is empty: write a time")
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        value = _other_form(text)
    else:
        if len(text) <= 10:  # 2027-03-01: fromisoformat reads a day as its midnight
            raise ValueError(f"'{text}' is a day without a time of day: write the time too (2027-03-01 08:00)")
    return localize(value, zone) if value.tzinfo is None else value


def _other_form(text: str) -> dt.datetime:
    parts = _written_parts(text)
    if parts is not None:
        try:
            return dt.datetime(*parts)
        except ValueError as exc:
            raise ValueError(f"'{text}' is no time that exists ({exc})") from None
    if _EPOCH.match(text):
        return dt.datetime.fromtimestamp(float(text), dt.UTC)
    if _is_date(text):
        raise ValueError(f"'{text}' is a day without a time of day: write the time too (01.03.2027 08:00)")
    raise ValueError(f"'{text}' is no time: write 2027-03-01 08:00 (ISO 8601, an offset allowed) or 01.03.2027 08:00")


def _written_parts(text: str) -> tuple[int, int, int, int, int, int] | None:
    """Year, month, day, hour, minute, second of ``01.03.2027 08:00[:00][ Uhr]`` or ``2027-03-01 8:00``."""
    match = _GERMAN.match(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
    else:
        match = _LOOSE_ISO.match(text)
        if match is None:
            return None
        year, month, day, hour, minute, second = match.groups()
    return int(year), int(month), int(day), int(hour), int(minute), int(second or 0)


def _is_date(text: str) -> bool:
    try:
        return read_date(text) is not None
    except ValueError:
        return False


def localize(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``value`` (naive, a wall-clock time) in ``zone``; ``ValueError`` if that time is skipped or shown twice."""
    aware = value.replace(tzinfo=zone)
    other = value.replace(tzinfo=zone, fold=1)
    if aware.utcoffset() == other.utcoffset():
        return aware
    shown = value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise ValueError(f"{shown} does not exist in {zone.key} (the clocks go forward): write it with its offset")
    offsets = " or ".join(_offset(moment) for moment in (aware, other))
    raise ValueError(f"{shown} happens twice in {zone.key} (the clocks go back): write it with its offset ({offsets})")


def _offset(moment: dt.datetime) -> str:
    text = moment.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def read_day(cell: object) -> dt.date:
    """A calendar day: ``2027-03-01``, ``01.03.2027``, ``1. März 2027`` or a spreadsheet date cell."""
    if isinstance(cell, dt.datetime):
        if cell.time() != dt.time():
            raise ValueError(f"{cell.isoformat(sep=' ')} is a time, not a day")
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = text_of(cell)
    if not text:
        raise ValueError("the cell is empty: write a day")
    try:
        day = read_date(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' is no day that exists ({exc})") from None
    if day is None:
        raise ValueError(f"'{text}' is no day: write 2027-03-01 or 01.03.2027")
    return day


def read_count(cell: object) -> int:
    """A whole number of at least 0: ``12``, ``1234``, ``1.234`` and ``1,234`` (a count has no fraction)."""
    if isinstance(cell, bool):
        raise ValueError(f"'{cell}' is no number")
    if isinstance(cell, int):
        value = cell
    elif isinstance(cell, float):
        if not cell.is_integer():
            raise ValueError(f"{cell} is no whole number")
        value = int(cell)
    else:
        text = text_of(cell)
        if not text:
            raise ValueError("the cell is empty: write a number")
        if text.isdigit():
            value = int(text)
        elif _GROUPED_COUNT.match(text):
            value = int(re.sub(r"\D", "", text))
        else:
            number = _number(text)
            if number != number.to_integral_value():
                raise ValueError(f"'{text}' is no whole number")
            value = int(number)
    if value < 0:
        raise ValueError(f"{value} is negative: a count is at least 0")
    return value


def read_decimal(cell: object) -> Decimal:
    """A number of at least 0, German or English (``0,5``, ``12.5``, ``1.234,5``)."""
    if isinstance(cell, bool):
        raise ValueError(f"'{cell}' is no number")
    if isinstance(cell, int | float):
        value = Decimal(str(cell))
    else:
        text = text_of(cell)
        if not text:
            raise ValueError("the cell is empty: write a number")
        value = _number(text)
    if value < 0:
        raise ValueError(f"{value} is negative")
    return value


def _number(text: str) -> Decimal:
    try:
        number = read_number(text)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    if number is None or not number.is_finite():
        raise ValueError(f"'{text}' is no number")
    return number


def read_flag(cell: object) -> bool:
    """Yes or no: ``1``/``0``, ``true``/``false``, ``yes``/``no``, ``ja``/``nein``, ``x``, ``up``/``down``."""
    if isinstance(cell, bool):
        return cell
    text = text_of(cell).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"'{text_of(cell)}' is neither yes nor no: write yes or no (1 or 0, ja or nein)")
