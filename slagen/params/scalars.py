"""Parameter types of one value each: texts, numbers, percentages, durations, dates, yes/no, one of a list."""

# ruff: noqa: D102 - the methods are ParamType's, documented there

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slagen.params.base import Asker, Choice, Languages, ParamType, yaml_number
from slagen.params.forms import read_date
from slagen.params.jsonschema import (
    DATE_PATTERN,
    DECIMAL_PATTERN,
    DURATION_PATTERN,
    PERCENT_PATTERN,
    TIME_PATTERN,
    limits,
)
from slagen.params.values import (
    LARGEST,
    Duration,
    ParamError,
    as_decimal,
    as_percent,
    as_text,
    check_bounds,
    readable_duration,
    show,
)

if TYPE_CHECKING:
    from slagen.library import Library
    from slagen.params.declaration import Param

_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?:\s*(?:Uhr|h))?$")
_LONGEST_DATE = 40
"""Characters of the longest date anyone writes (``30. September 2027`` with spaces to spare)."""


class StringType(ParamType):
    """One line of text; min and max count characters."""

    name = "string"
    multiline = False

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        return check_bounds(param, as_text(value, multiline=self.multiline))

    def describe_bound(self, bound: Decimal) -> str:
        return f"{bound} characters"

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "string", **limits(param, "minLength", "maxLength")}


class TextType(StringType):
    """Text that may run over several lines (a description)."""

    name = "text"
    multiline = True

    def describe_bound(self, bound: Decimal) -> str:
        return str(bound)


class IntegerType(ParamType):
    """A whole number."""

    name = "integer"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamError(f"expected a whole number, got {show(value)}")
        if abs(value) >= LARGEST:
            raise ParamError(f"{show(value)} is too large for a contract (at most {LARGEST - 1:,})")
        return check_bounds(param, value)

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "integer", **limits(param, "minimum", "maximum")}

    def from_text(self, raw: str) -> Any:
        return int(raw) if re.fullmatch(r"[+-]?\d+", raw) else raw


class DecimalType(ParamType):
    """A number with decimals, kept exactly as written (``Decimal``)."""

    name = "decimal"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        return check_bounds(param, as_decimal(value))

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        bounds = limits(param, "minimum", "maximum")
        return {"anyOf": [{"type": "number", **bounds}, {"type": "string", "pattern": DECIMAL_PATTERN}]}


class PercentType(ParamType):
    """Percentage points (``99.9%`` is ``Decimal("99.9")``), never a float."""

    name = "percent"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        return check_bounds(param, as_percent(value))

    def bound_text(self, bound: Decimal) -> str:
        return f"{bound}%"

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        bounds = limits(param, "minimum", "maximum")
        return {"anyOf": [{"type": "number", **bounds}, {"type": "string", "pattern": PERCENT_PATTERN}]}

    def to_yaml(self, typed: Any) -> Any:
        return f"{yaml_number(typed)}%"


LONGEST_DURATION = Decimal(366 * 86400)
"""A time limit longer than a (leap) year is a typing mistake (``999999999999999w``), not a contract value."""
SHORTEST_DURATION = Decimal("0.001")
"""Durations are whole milliseconds (latency targets); ``0.000001s`` is no contract value."""


class PpmType(ParamType):
    """Parts per million (``50 ppm`` is ``Decimal("50")``): a defect rate of deliveries, never a float."""

    name = "ppm"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        if isinstance(value, str):
            match = _PPM.match(value)
            if not match:
                raise ParamError(f"expected parts per million such as 50 ppm, got {show(value)}")
            value = match.group(1).replace(",", ".")
        return check_bounds(param, as_decimal(value))

    def bound_text(self, bound: Decimal) -> str:
        return f"{bound} ppm"

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        bounds = limits(param, "minimum", "maximum")
        return {"anyOf": [{"type": "number", **bounds}, {"type": "string", "pattern": _PPM.pattern}]}

    def to_yaml(self, typed: Any) -> Any:
        return f"{yaml_number(typed)} ppm"


_PPM = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:ppm)?\s*$")


class DurationType(ParamType):
    """A span of time as people write it (``30min``, ``4h``, ``2d``); bounds are durations too."""

    name = "duration"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        if not isinstance(value, str):
            raise ParamError(f"expected a duration such as 24h or 30min, got {show(value)}")
        try:
            duration = Duration.parse(value)
        except ValueError as exc:
            raise ParamError(str(exc)) from None
        if duration.amount >= LARGEST or duration.seconds > LONGEST_DURATION:
            raise ParamError(
                f"{show(value)} is longer than a year: no time limit of a service level agreement runs that long"
            )
        if duration.seconds % SHORTEST_DURATION:
            raise ParamError(
                f"{show(value)} is not a whole number of milliseconds: no clock in a contract measures finer"
            )
        return check_bounds(param, duration)

    def check_spec(self, spec: dict[str, Any]) -> None:
        if any(not isinstance(spec.get(b, ""), str) for b in ("min", "max")):
            raise ValueError("duration bounds are written like durations (15min, 10d)")

    def parse_bound(self, raw: Any) -> Decimal:
        return Duration.parse(raw).seconds

    def bound_text(self, bound: Decimal) -> str:
        return str(readable_duration(bound))

    def describe_bound(self, bound: Decimal) -> str:
        return str(readable_duration(bound))

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "string", "pattern": DURATION_PATTERN, "examples": ["30min", "4h", "2d"]}


class DateType(ParamType):
    """A calendar date: ``YYYY-MM-DD``, or as people write one (``01.03.2027``, ``1 March 2027``: :mod:`.forms`)."""

    name = "date"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and len(value) <= _LONGEST_DATE:
            try:
                date = read_date(value)
            except ValueError as exc:
                raise ParamError(f"{show(value)} is no date: {exc}") from None
            if date is not None:
                return date
        raise ParamError(f"expected a date such as 2027-12-31, 31.12.2027 or 31 December 2027, got {show(value)}")

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": DATE_PATTERN}]}


class TimeType(ParamType):
    """A time of day as ``HH:MM`` (00:00 to 24:00, 24:00 the end of the day); ``8:00``, ``8.00`` and ``8 Uhr`` too."""

    name = "time"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        text = as_text(value, multiline=False) if isinstance(value, str) else ""
        match = _TIME_RE.match(text)
        if match:
            hours, minutes = int(match.group(1)), int(match.group(2) or 0)
            if (hours < 24 and minutes < 60) or (hours, minutes) == (24, 0):
                return f"{hours:02d}:{minutes:02d}"
        raise ParamError(f"expected a time of day such as 08:00 or 17:30, got {show(value)}")

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "string", "pattern": TIME_PATTERN, "examples": ["08:00", "17:30"]}


class BooleanType(ParamType):
    """Yes or no; the interview asks it as a yes/no question."""

    name = "boolean"
    scalar = False

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        if not isinstance(value, bool):
            raise ParamError(f"expected true or false, got {show(value)}")
        return value

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "boolean"}

    def ask(self, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        return asker.confirm(key, text, help_text, param.default, error)

    def ask_field(self, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        return asker.confirm(key, text, help_text, param.default, error)


class EnumType(ParamType):
    """One of the declared ``choices``."""

    name = "enum"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        text = as_text(value, multiline=False)
        if text not in param.choices:
            raise ParamError(f"'{text}' is not allowed (choose one of: {', '.join(param.choices)})")
        return text

    def check_declaration(self, param: Param, spec: dict[str, Any]) -> None:
        if "choices" in spec and not param.choices:
            raise ValueError("'choices' must not be empty")
        if not param.choices:
            raise ValueError("an enum needs 'choices'")

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "string", "enum": list(param.choices)}

    def choices(self, asker: Asker, param: Param) -> tuple[Choice, ...]:
        return tuple(Choice(c) for c in param.choices)
