"""Declared parameters: the one description of every answer a clause needs.

A parameter is declared once in the library (type, unit, default, bounds, choices) and
drives validation here, and later the interview, the JSON Schema and the docs. Values
come in as YAML gives them and leave typed: ``Decimal`` for numbers and percentages,
:class:`Duration` for durations, ``date`` for dates. Percentages are kept as percentage
points (``Decimal("99.9")``), never as floats.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from slagen.arithmetic import CreditBand, CreditScheme

TYPES = (
    "string",
    "text",
    "integer",
    "decimal",
    "percent",
    "duration",
    "date",
    "boolean",
    "enum",
    "list",
    "records",
    "catalog",
    "tier",
    "tiers",
    "kpi_values",
    "languages",
    "localized",
    "credits",
)

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
}
_DURATION_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2629746}
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$")
_LARGEST = 10**15
"""Numbers from this size on are no contract value (and overflow Babel's formatting)."""
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERCENT_RE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$")
# Characters that XML 1.0 cannot hold: a DOCX with them does not open.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LANGUAGES = ("de", "en")


@functools.total_ordering
@dataclass(frozen=True, slots=True, eq=False)
class Duration:
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
        """Read ``30min``, ``4h``, ``2d``, ``1w``; raise ``ValueError`` otherwise."""
        match = _DURATION_RE.match(text.lower())
        if not match or match.group(2) not in DURATION_UNITS:
            raise ValueError(f"'{text}' is not a duration (write e.g. 30min, 4h, 2d)")
        return cls(Decimal(match.group(1)), DURATION_UNITS[match.group(2)])

    @property
    def seconds(self) -> Decimal:
        """Length in seconds, for comparisons across units (a month counts 30.436875 days)."""
        return self.amount * _DURATION_SECONDS[self.unit]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Duration) and self.seconds == other.seconds

    def __lt__(self, other: Duration) -> bool:
        return self.seconds < other.seconds

    def __hash__(self) -> int:
        return hash(self.seconds)

    def __str__(self) -> str:
        short = {"second": "s", "minute": "min", "hour": "h", "day": "d", "week": "w", "month": "mo"}
        return f"{self.amount}{short[self.unit]}"


@dataclass(frozen=True, slots=True)
class Param:
    """One declared parameter: the answer key it reads and how to check it."""

    key: str
    type: str
    help: str = ""
    default: Any = None
    required: bool = True
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[str, ...] = ()
    unit: str | None = None
    fields: dict[str, Param] = field(default_factory=dict)
    declared_in: str = ""

    @property
    def has_default(self) -> bool:
        """Whether an absent answer takes a default rather than being an error."""
        return self.default is not None or not self.required


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


def coerce_value(param: Param, value: Any) -> Any:
    """Check ``value`` against ``param`` and return it typed; raise :class:`ParamError`.

    >>> coerce_value(Param("x", "percent"), "99.9%")
    Decimal('99.9')
    >>> coerce_value(Param("x", "integer", minimum=Decimal(1)), 0)
    Traceback (most recent call last):
    ...
    slagen.params.ParamError: 0 is below the minimum of 1
    """
    kind = param.type
    if kind in ("string", "text", "catalog", "tier"):
        return _check_bounds(param, _text(value, multiline=kind == "text"))
    if kind == "enum":
        text = _text(value, multiline=False)
        if text not in param.choices:
            raise ParamError(f"'{text}' is not allowed (choose one of: {', '.join(param.choices)})")
        return text
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamError(f"expected a whole number, got {_show(value)}")
        if abs(value) >= _LARGEST:
            raise ParamError(f"{_show(value)} is too large for a contract (at most {_LARGEST - 1:,})")
        return _check_bounds(param, value)
    if kind == "decimal":
        return _check_bounds(param, _decimal(value))
    if kind == "percent":
        return _check_bounds(param, _percent(value))
    if kind == "duration":
        if not isinstance(value, str):
            raise ParamError(f"expected a duration such as 24h or 30min, got {_show(value)}")
        try:
            duration = Duration.parse(value)
        except ValueError as exc:
            raise ParamError(str(exc)) from None
        if duration.amount >= _LARGEST:
            raise ParamError(f"{_show(value)} is too long for a contract")
        return _check_bounds(param, duration)
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _DATE_RE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ParamError(f"expected a date written as YYYY-MM-DD, got {_show(value)}")
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ParamError(f"expected true or false, got {_show(value)}")
        return value
    if kind == "languages":
        items = _list(value)
        for i, item in enumerate(items):
            if item not in LANGUAGES:
                raise ParamError(f"unknown language {_show(item)} (slagen writes: {', '.join(LANGUAGES)})", (str(i),))
        if len(set(items)) != len(items):
            raise ParamError("a language is listed twice")
        if not items:
            raise ParamError(f"name at least one language ({', '.join(LANGUAGES)})")
        return items
    if kind == "list":
        return _check_bounds(param, _texts(value, param.choices, unique=False))
    if kind == "tiers":  # whether each is a tier of the chosen catalog is checked by the answers stage
        return _check_bounds(param, _texts(value, (), unique=True))
    if kind == "localized":
        if isinstance(value, dict):
            texts = {}
            for lang, text in value.items():
                if lang not in LANGUAGES:
                    raise ParamError(f"unknown language '{lang}' (slagen writes: {', '.join(LANGUAGES)})", (str(lang),))
                try:
                    texts[lang] = _check_bounds(param, _text(text, multiline=False))
                except ParamError as exc:
                    raise ParamError(str(exc), (lang,)) from None
            return texts
        return _check_bounds(param, _text(value, multiline=False))
    if kind == "records":
        return _records(param, value)
    if kind == "credits":
        return _credits(value)
    if kind == "kpi_values":
        if not isinstance(value, dict):
            raise ParamError(f"expected a mapping of KPI to value, got {_show(value)}")
        return dict(value)  # typed against the catalog by the resolve stage
    raise ParamError(f"unknown parameter type '{kind}'")  # pragma: no cover - library lint catches this


def _records(param: Param, value: Any) -> list[dict[str, Any]]:
    items = _list(value)
    out: list[dict[str, Any]] = []
    errors: list[ParamError] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append(
                ParamError(f"expected a mapping with {', '.join(param.fields)}, got {_show(item)}", (str(i),))
            )
            continue
        record: dict[str, Any] = {}
        for name in item:
            if name not in param.fields:
                errors.append(ParamError(f"unknown key '{name}' (expected: {', '.join(param.fields)})", (str(i), name)))
        for name, spec in param.fields.items():
            if name in item:
                try:
                    record[name] = coerce_value(spec, item[name])
                except ParamError as exc:
                    errors.extend(ParamError(str(e), (str(i), name, *e.subkey)) for e in exc.all())
            elif spec.has_default:
                record[name] = spec.default
            else:
                errors.append(ParamError(f"missing: {spec.help or 'required'}", (str(i), name)))
        out.append(record)
    if errors:
        raise ParamError(str(errors[0]), errors[0].subkey, tuple(errors[1:]))
    _check_bounds(param, out)
    return out


def _credits(value: Any) -> CreditScheme:
    """Service-credit bands and cap, typed; whether the bands fit together is for ``check_credits`` to say."""
    if not isinstance(value, dict):
        raise ParamError(f"expected a mapping with bands and cap, got {_show(value)}")
    errors: list[ParamError] = [
        ParamError("unknown key (expected: bands, cap)", (str(name),)) for name in value if name not in ("bands", "cap")
    ]
    cap = Decimal(0)
    if "cap" not in value:
        errors.append(ParamError("missing: the cap on the credits of one period (e.g. 25%)", ("cap",)))
    else:
        try:
            cap = _percent(value["cap"])
        except ParamError as exc:
            errors.append(ParamError(str(exc), ("cap",)))
    bands: list[CreditBand] = []
    items = value.get("bands")
    if not isinstance(items, list):
        errors.append(ParamError(f"expected a list of bands (from, below, credit), got {_show(items)}", ("bands",)))
        items = []
    for i, item in enumerate(items):
        where = ("bands", str(i))
        if not isinstance(item, dict):
            errors.append(ParamError(f"expected a mapping with from, below and credit, got {_show(item)}", where))
            continue
        for name in item:
            if name not in ("from", "below", "credit"):
                errors.append(ParamError("unknown key (expected: from, below, credit)", (*where, str(name))))
        typed: dict[str, Decimal | None] = {"from": None}
        for name in ("from", "below", "credit"):
            if name not in item:
                if name != "from":
                    errors.append(ParamError(f"missing: '{name}'", (*where, name)))
                continue
            try:
                typed[name] = _percent(item[name])
            except ParamError as exc:
                errors.append(ParamError(str(exc), (*where, name)))
        upper, credit = typed.get("below"), typed.get("credit")
        if upper is not None and credit is not None:
            bands.append(CreditBand(upper, typed["from"], credit))
    if errors:
        raise ParamError(str(errors[0]), errors[0].subkey, tuple(errors[1:]))
    return CreditScheme(tuple(bands), cap)


def _texts(value: Any, choices: tuple[str, ...], *, unique: bool) -> list[str]:
    """A list of single-line texts, each one of ``choices`` if there are any, each once if ``unique``."""
    out: list[str] = []
    for i, item in enumerate(_list(value)):
        try:
            text = _text(item, multiline=False)
        except ParamError as exc:
            raise ParamError(str(exc), (str(i),)) from None
        if choices and text not in choices:
            raise ParamError(f"'{text}' is not allowed (choose from: {', '.join(choices)})", (str(i),))
        if unique and text in out:
            raise ParamError(f"'{text}' is listed twice", (str(i),))
        out.append(text)
    return out


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ParamError(f"expected a list, got {_show(value)}")
    return value


def _text(value: Any, *, multiline: bool) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ParamError(f"expected text, got {_show(value)}")
    text = str(value)
    bad = _XML_INVALID.search(text)
    if bad:
        raise ParamError(f"contains the control character U+{ord(bad.group()):04X}, which a document cannot hold")
    if not multiline and ("\n" in text.strip() or "\r" in text.strip()):
        raise ParamError("must be a single line")
    return text.strip()


def _decimal(value: Any) -> Decimal:
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # repr keeps what the user wrote: 99.9, not 99.900000000000005684
    elif isinstance(value, str):
        with contextlib.suppress(InvalidOperation):
            number = Decimal(value.strip())
    if number is None or not number.is_finite():
        raise ParamError(f"expected a number, got {_show(value)}")
    if abs(number) >= _LARGEST:
        raise ParamError(f"{_show(value)} is too large for a contract (at most {_LARGEST - 1:,})")
    return number


def _percent(value: Any) -> Decimal:
    if isinstance(value, str):
        match = _PERCENT_RE.match(value)
        if not match:
            raise ParamError(f"expected a percentage such as 99.9%, got {_show(value)}")
        return Decimal(match.group(1).replace(",", "."))
    return _decimal(value)


def _check_bounds(param: Param, value: Any) -> Any:
    measure: Any = value
    if isinstance(value, (str, list)):
        measure = len(value)
    elif isinstance(value, Duration):
        measure = value.seconds
    if param.minimum is not None and measure < param.minimum:
        if isinstance(value, str):
            raise ParamError(f"{_show(value)} is too short (at least {param.minimum} characters)")
        if isinstance(value, list):
            raise ParamError(f"needs at least {param.minimum} entries, got {len(value)}")
        raise ParamError(f"{_show(value)} is below the minimum of {_bound(param, param.minimum)}")
    if param.maximum is not None and measure > param.maximum:
        if isinstance(value, str):
            raise ParamError(f"{_show(value)} is too long (at most {param.maximum} characters)")
        if isinstance(value, list):
            raise ParamError(f"takes at most {param.maximum} entries, got {len(value)}")
        raise ParamError(f"{_show(value)} is above the maximum of {_bound(param, param.maximum)}")
    return value


def _bound(param: Param, bound: Decimal) -> str:
    if param.type == "duration":
        return str(readable_duration(bound))
    if param.type == "percent":
        return f"{bound}%"
    return str(bound)


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


def _show(value: Any) -> str:
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


def parse_param(key: str, spec: Any, declared_in: str) -> Param:
    """Build a :class:`Param` from its library declaration; raise ``ValueError`` if malformed."""
    if not isinstance(spec, dict):
        raise ValueError("a parameter is declared as a mapping with at least 'type'")
    allowed = {"type", "help", "default", "required", "min", "max", "choices", "unit", "fields"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
    kind = spec.get("type")
    if kind not in TYPES:
        raise ValueError(f"unknown type {kind!r} (one of: {', '.join(TYPES)})")
    if not isinstance(spec.get("fields") or {}, dict):
        raise ValueError("'fields' must be a mapping of field name to declaration")
    if kind == "duration" and any(not isinstance(spec.get(b, ""), str) for b in ("min", "max")):
        raise ValueError("duration bounds are written like durations (15min, 10d)")
    if not isinstance(spec.get("choices", []), list):
        raise ValueError("'choices' must be a list")
    fields = {name: parse_param(f"{key}.{name}", sub, declared_in) for name, sub in (spec.get("fields") or {}).items()}
    bounds = {}
    for name in ("min", "max"):
        if name in spec:
            raw = spec[name]
            bounds[name] = Duration.parse(raw).seconds if kind == "duration" else _decimal(raw)
    param = Param(
        key=key,
        type=kind,
        help=str(spec.get("help", "")),
        default=None,
        required=bool(spec.get("required", "default" not in spec)),
        minimum=bounds.get("min"),
        maximum=bounds.get("max"),
        choices=tuple(str(c) for c in spec.get("choices", ())),
        unit=spec.get("unit"),
        fields=fields,
        declared_in=declared_in,
    )
    if kind in ("enum", "list") and "choices" in spec and not param.choices:
        raise ValueError("'choices' must not be empty")
    if kind == "enum" and not param.choices:
        raise ValueError("an enum needs 'choices'")
    if "default" in spec and spec["default"] is not None:
        try:
            default = coerce_value(param, spec["default"])
        except ParamError as exc:
            raise ValueError(f"default does not fit: {exc}") from None
        param = replace(param, default=default)
    return param
