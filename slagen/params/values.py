"""Typed values and the checks every parameter type shares.

A value comes in as YAML gives it and leaves typed: ``Decimal`` for numbers and
percentages, :class:`Duration` for durations, ``date`` for dates; a value that does not
fit raises :class:`ParamError` in words a sales person understands. The parameter types
(:mod:`slagen.params.scalars`, …) are built from these pieces.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from slagen.params.forms import read_number

if TYPE_CHECKING:
    from slagen.params.declaration import Param

DURATION_UNITS = {
    "s": "second",
    "sec": "second",
    "second": "second",
    "seconds": "second",
    "min": "minute",
    "minute": "minute",
    "minutes": "minute",
    "h": "hour",
    "hour": "hour",
    "hours": "hour",
    "d": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "week": "week",
    "weeks": "week",
    "mo": "month",
    "month": "month",
    "months": "month",
    # the forms people type, German and English (a trailing full stop is read past: "30 Min.")
    "sek": "second",
    "sekunde": "second",
    "sekunden": "second",
    "secs": "second",
    "mins": "minute",
    "minuten": "minute",
    "std": "hour",
    "stunde": "hour",
    "stunden": "hour",
    "hr": "hour",
    "hrs": "hour",
    "tag": "day",
    "tage": "day",
    "tagen": "day",
    "woche": "week",
    "wochen": "week",
    "monat": "month",
    "monate": "month",
    "monaten": "month",
    "ms": "millisecond",
    "millisecond": "millisecond",
    "milliseconds": "millisecond",
    "millisekunde": "millisecond",
    "millisekunden": "millisecond",
}
_DURATION_SECONDS: dict[str, Decimal] = {
    "millisecond": Decimal("0.001"),
    "second": Decimal(1),
    "minute": Decimal(60),
    "hour": Decimal(3600),
    "day": Decimal(86400),
    "week": Decimal(604800),
    "month": Decimal(2629746),
}
_DURATION_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-z]+)\.?\s*$")
MAX_DECIMALS = 6
"""A number other than 0 is at least 10**-6 (``1e-999999999`` would print as 0)."""
LARGEST = 10**15
"""Numbers from this size on are no contract value (and overflow Babel's formatting)."""
_PERCENT_RE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$")
# Characters that XML 1.0 cannot hold: a DOCX with them does not open (checked in answers, and in what a
# template renders).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Invisible characters that change how a text reads, or what a terminal does: bidirectional embeddings,
# overrides and isolates (a party's name could read backwards, "trojan source"), and C1 controls.
_INVISIBLE = re.compile("[\x80-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
MAX_TEXT = 100_000
"""Longest text an answer may be (characters): far above any name or clause text; a template's limits are above it."""


class Duration(Struct, frozen=True, eq=False):
    """A span of time as people write it (``24h``), keeping the unit they chose.

    >>> Duration.parse("24h")
    Duration(amount=Decimal('24'), unit='hour')
    >>> Duration.parse("30 min").seconds
    Decimal('1800')
    """

    amount: Decimal
    unit: str

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read ``30min``, ``4h``, ``2d``, ``1w``, ``50ms``; raise ``ValueError`` otherwise."""
        match = _DURATION_RE.match(text.lower())
        if not match or match.group(2) not in DURATION_UNITS:
            raise ValueError(f"'{text}' is not a duration (write e.g. 30min, 4h, 2d)")
        return cls(Decimal(match.group(1).replace(",", ".")), DURATION_UNITS[match.group(2)])

    @property
    def seconds(self) -> Decimal:
        """Length in seconds, for comparisons across units (a month counts 30.436875 days)."""
        return self.amount * _DURATION_SECONDS[self.unit]

    # Every comparison written out: a Struct's own (returning NotImplemented with eq=False) would come
    # before what functools.total_ordering or object derive from __eq__ and __lt__.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Duration) and self.seconds == other.seconds

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: Duration) -> bool:
        return self.seconds < other.seconds

    def __le__(self, other: Duration) -> bool:
        return self.seconds <= other.seconds

    def __gt__(self, other: Duration) -> bool:
        return self.seconds > other.seconds

    def __ge__(self, other: Duration) -> bool:
        return self.seconds >= other.seconds

    def __hash__(self) -> int:
        return hash(self.seconds)

    def __str__(self) -> str:
        short = {
            "millisecond": "ms",
            "second": "s",
            "minute": "min",
            "hour": "h",
            "day": "d",
            "week": "w",
            "month": "mo",
        }
        return f"{self.amount}{short[self.unit]}"


def readable_duration(seconds: Decimal) -> Duration:
    """The largest whole unit for a number of seconds.

    >>> str(readable_duration(Decimal(864000)))
    '10d'
    """
    for unit in ("week", "day", "hour", "minute"):
        size = _DURATION_SECONDS[unit]
        if seconds >= size and seconds % size == 0:
            return Duration(seconds / size, unit)
    return Duration(seconds, "second")


class ParamError(ValueError):
    """A value does not fit its declaration; ``subkey`` points inside lists and records.

    ``more`` holds further findings of the same value (other records of a list), so that
    every problem is reported at once.
    """

    def __init__(self, message: str, subkey: tuple[str, ...] = (), more: tuple[ParamError, ...] = ()) -> None:
        super().__init__(message)
        self.subkey = subkey
        self.more = more

    def all(self) -> list[ParamError]:
        """This finding and the further ones."""
        return [self, *self.more]

    @classmethod
    def gather(cls, errors: list[ParamError]) -> ParamError:
        """One error that reports all of ``errors`` (the first is the error, the rest its ``more``)."""
        return cls(str(errors[0]), errors[0].subkey, tuple(errors[1:]))


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list; else the error every list-valued type gives."""
    if not isinstance(value, list):
        raise ParamError(f"expected a list, got {show(value)}")
    return value


def as_text(value: Any, *, multiline: bool) -> str:
    """A text without the control characters a document cannot hold, stripped; one line unless ``multiline``."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ParamError(f"expected text, got {show(value)}")
    text = str(value)
    bad = XML_INVALID.search(text)
    if bad:
        raise ParamError(f"contains the control character U+{ord(bad.group()):04X}, which a document cannot hold")
    invisible = _INVISIBLE.search(text)
    if invisible:
        raise ParamError(
            f"contains the invisible character U+{ord(invisible.group()):04X}, which can make a text read other "
            "than it is; remove it"
        )
    if not multiline and _LINE_BREAKS.search(text.strip()):
        raise ParamError("must be a single line")
    if len(text) > MAX_TEXT:
        raise ParamError(f"is {len(text):,} characters long (at most {MAX_TEXT:,})")
    return text.strip()


def as_texts(value: Any, choices: tuple[str, ...], *, unique: bool) -> list[str]:
    """A list of single-line texts, each one of ``choices`` if there are any, each once if ``unique``."""
    out: list[str] = []
    for i, item in enumerate(as_list(value)):
        try:
            text = as_text(item, multiline=False)
        except ParamError as exc:
            raise ParamError(str(exc), (str(i),)) from None
        if choices and text not in choices:
            raise ParamError(f"'{text}' is not allowed (choose from: {', '.join(choices)})", (str(i),))
        if (unique or choices) and text in out:
            raise ParamError(f"'{text}' is listed twice", (str(i),))
        out.append(text)
    return out


def as_decimal(value: Any) -> Decimal:
    """A finite number below :data:`LARGEST`, exactly as written (``99.9``, not a float's digits)."""
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # repr keeps what the user wrote: 99.9, not 99.900000000000005684
    elif isinstance(value, str):
        try:
            number = read_number(value)
        except ValueError as exc:
            raise ParamError(f"expected a number, got {show(value)}: {exc}") from None
    if number is None or not number.is_finite():
        raise ParamError(f"expected a number, got {show(value)}")
    if abs(number) >= LARGEST:
        raise ParamError(f"{show(value)} is too large for a contract (at most {LARGEST - 1:,})")
    if not number.is_zero() and number.adjusted() < -MAX_DECIMALS:
        raise ParamError(f"{show(value)} is too small for a contract (it would print as 0)")
    return abs(number) if number.is_zero() else number  # -0.0 is 0: a contract never says "-€0.00"


def as_percent(value: Any) -> Decimal:
    """Percentage points from ``99.9%``, ``"99,9 %"`` or a number."""
    if isinstance(value, str):
        match = _PERCENT_RE.match(value)
        if not match:
            raise ParamError(f"expected a percentage such as 99.9%, got {show(value)}")
        return Decimal(match.group(1).replace(",", "."))
    return as_decimal(value)


def check_bounds(param: Param, value: Any) -> Any:
    """``value`` if it is within the declaration's min and max (a length for texts and lists)."""
    measure: Any = value
    if isinstance(value, (str, list)):
        measure = len(value)
    elif isinstance(value, Duration):
        measure = value.seconds
    if param.minimum is not None and measure < param.minimum:
        if isinstance(value, str):
            raise ParamError(f"{show(value)} is too short (at least {param.minimum} characters)")
        if isinstance(value, list):
            raise ParamError(f"needs at least {param.minimum} entries, got {len(value)}")
        raise ParamError(f"{show(value)} is below the minimum of {param.kind.bound_text(param.minimum)}")
    if param.maximum is not None and measure > param.maximum:
        if isinstance(value, str):
            raise ParamError(f"{show(value)} is too long (at most {param.maximum} characters)")
        if isinstance(value, list):
            raise ParamError(f"takes at most {param.maximum} entries, got {len(value)}")
        raise ParamError(f"{show(value)} is above the maximum of {param.kind.bound_text(param.maximum)}")
    return value


def show(value: Any) -> str:
    """A value as an error message quotes it."""
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, Duration):
        return str(value)
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return str(value)


def unknown_choice(what: str, value: Any, choices: list[str], where: str) -> str:
    """``unknown tier 'platinium' in catalog 'x' (did you mean 'platinum'?)``, or the choices if none is close."""
    import difflib  # only for a suggestion in a message: not at start-up

    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(choices)}"
    return f"unknown {what} '{value}'{where} ({hint})"
