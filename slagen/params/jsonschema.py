"""Pieces of JSON Schema (draft 2020-12) that the parameter types describe themselves with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slagen.params.values import DURATION_UNITS, Duration

if TYPE_CHECKING:
    from slagen.library import Library
    from slagen.params.declaration import Param

DURATION_PATTERN = r"^\s*\d+([.,]\d+)?\s*(?i:" + "|".join(sorted(DURATION_UNITS, key=len, reverse=True)) + r")\.?\s*$"
PERCENT_PATTERN = r"^\s*-?\d+([.,]\d+)?\s*%?\s*$"
DECIMAL_PATTERN = r"^\s*-?(\d+([.,]\d+)?|\d{1,3}(\.\d{3})+(,\d+)?|\d{1,3}(,\d{3})+(\.\d+)?)\s*$"
TIME_PATTERN = r"^\s*\d{1,2}([:.]\d{2})?(\s*(Uhr|h))?\s*$"
DATE_PATTERN = r"^\s*(\d{1,2}[./]\d{1,2}[./]\d{4}|\d{1,2}\.?\s+\w+\.?\s+\d{4})\s*$"


def share() -> dict[str, Any]:
    """The schema of a percentage from zero: a credit, a cap, a KPI target."""
    return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": PERCENT_PATTERN}]}


def json_leaf(param: Param, library: Library) -> dict[str, Any]:
    """The schema of one answer: its type's, with the declaration's help and default."""
    schema = param.kind.json_schema(param, library)
    if param.help:
        schema["description"] = param.help
    if param.default is not None:
        schema["default"] = to_json(param.default)
    return schema


def limits(param: Param, low: str, high: str) -> dict[str, Any]:
    """The declaration's min and max under the JSON Schema keywords ``low`` and ``high``."""
    convert = json_number if low == "minimum" else int  # lengths and item counts are whole numbers
    out: dict[str, Any] = {}
    if param.minimum is not None:
        out[low] = convert(param.minimum)
    if param.maximum is not None:
        out[high] = convert(param.maximum)
    return out


def json_number(value: Decimal) -> int | float:
    """A ``Decimal`` as a JSON number (whole numbers stay whole)."""
    return int(value) if value == value.to_integral_value() else float(value)


def to_json(value: Any) -> Any:
    """A typed value (a default) as JSON writes it."""
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value
