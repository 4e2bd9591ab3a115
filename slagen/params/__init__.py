"""Declared parameters and their types: what every answer may be, and how it is typed.

A parameter is declared once in the library (``type``, unit, default, bounds, choices);
each ``type`` is one class (:mod:`slagen.params.scalars`, :mod:`~slagen.params.lists`,
:mod:`~slagen.params.service`, all built on :class:`~slagen.params.base.ParamType`) that
coerces a value, describes itself for the JSON Schema and the answers reference, and asks
for itself in the interview. Values come in as YAML gives them and leave typed:
``Decimal`` for numbers and percentages (percentage points, never floats),
:class:`Duration` for durations, ``date`` for dates.
"""

from slagen.params.base import MISSING, Asker, Choice, ParamType
from slagen.params.declaration import PARAM_TYPES, TYPES, Param, coerce_value, parse_param
from slagen.params.values import DURATION_UNITS, Duration, ParamError, readable_duration

__all__ = [
    "DURATION_UNITS",
    "MISSING",
    "PARAM_TYPES",
    "TYPES",
    "Asker",
    "Choice",
    "Duration",
    "Param",
    "ParamError",
    "ParamType",
    "coerce_value",
    "parse_param",
    "readable_duration",
]
