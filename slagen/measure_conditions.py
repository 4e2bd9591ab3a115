"""The declarative conditions of the generic measurement kinds: which records count, which are met.

A condition compares one field of a measured record (:class:`slagen.measured.records.Measurement`) with
a fixed value, another field (optionally moved by an offset), or the end of the period. It is data, never
an expression evaluated from a string:

.. code-block:: yaml

    where:
      - {field: received, op: le, other: confirmed, plus: {term: window_late}}     # not after the window
      - {field: qty_received, op: ge, other: qty_ordered}                          # in full
      - {field: qty_rejected, op: eq, value: 0}
      - {field: posted, op: le, other: received, plus: {target: invoice_entry_time}, cutoff: "14:00"}
      - {field: done, op: le, period: end}

An offset (``plus``, ``minus``) is the tier's target of a KPI (``{target: …}``), a tier term (``{term: …}``),
a number of days or a duration (``2``, ``48h``); it counts on the definition's clock.

>>> c = parse_conditions([{"field": "qty_rejected", "op": "eq", "value": 0}])
>>> c[0].field, c[0].op, c[0].against
('qty_rejected', 'eq', Operand(kind='value', value=0))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec import Struct

from slagen.errors import Problem

OPS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
"""The comparisons, with the sign a report prints."""
OPERANDS = ("value", "other", "period")
OFFSET_SOURCES = ("target", "term")


class Operand(Struct, frozen=True):
    """What a field is compared with (``value``, ``other`` field, ``period`` end) or an offset's source."""

    kind: str
    value: Any


class Condition(Struct, frozen=True):
    """``field op against (+ plus − minus)``; ``cutoff`` (HH:MM): a later time of ``other`` counts from the next day."""

    field: str
    op: str
    against: Operand
    plus: Operand | None = None
    minus: Operand | None = None
    cutoff: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        """The record fields the condition reads."""
        return (self.field, self.against.value) if self.against.kind == "other" else (self.field,)

    @property
    def offset(self) -> Operand | None:
        """The offset, plus or minus."""
        return self.plus or self.minus


def parse_conditions(value: Any) -> tuple[Condition, ...]:
    """A list of condition mappings typed; ``ValueError`` with the reason otherwise."""
    if not isinstance(value, list) or not value:
        raise ValueError("expected a list of conditions ({field, op, value | other | period})")
    return tuple(_condition(index, spec) for index, spec in enumerate(value, start=1))


def _condition(index: int, spec: Any) -> Condition:
    where = f"condition {index}"
    allowed = ("field", "op", *OPERANDS, "plus", "minus", "cutoff")
    if not isinstance(spec, dict):
        raise ValueError(f"{where}: expected a mapping {{field, op, value | other | period}}")
    unknown = [str(key) for key in spec if key not in allowed]
    if unknown:
        raise ValueError(f"{where}: unknown field '{unknown[0]}' (allowed: {', '.join(allowed)})")
    field = spec.get("field")
    if not isinstance(field, str) or not field:
        raise ValueError(f"{where}: 'field' names a column of the records")
    op = spec.get("op")
    if op not in OPS:
        raise ValueError(f"{where}: 'op' must be one of {', '.join(OPS)}")
    given = [name for name in OPERANDS if name in spec]
    if len(given) != 1:
        raise ValueError(f"{where}: compare with exactly one of value, other (a field) or period (end)")
    kind = given[0]
    against = spec[kind]
    if kind == "value" and not isinstance(against, bool | int | float | str):
        raise ValueError(f"{where}: 'value' is a number, yes/no or a text")
    if kind == "other" and (not isinstance(against, str) or not against):
        raise ValueError(f"{where}: 'other' names another column of the records")
    if kind == "period" and against != "end":
        raise ValueError(f"{where}: 'period' can only be 'end' (the end of the measured period)")
    if "plus" in spec and "minus" in spec:
        raise ValueError(f"{where}: give plus or minus, not both")
    offsets = {name: _offset(where, spec[name]) for name in ("plus", "minus") if name in spec}
    if offsets and kind != "other":
        raise ValueError(f"{where}: an offset (plus, minus) moves another field ('other')")
    cutoff = str(spec.get("cutoff") or "")
    if cutoff and (kind != "other" or not _clock_time(cutoff)):
        raise ValueError(f"{where}: 'cutoff' is a time of day (HH:MM) for the other field")
    value = against if isinstance(against, bool | str) else _number(against)
    return Condition(field, str(op), Operand(kind, value), offsets.get("plus"), offsets.get("minus"), cutoff)


def _offset(where: str, spec: Any) -> Operand:
    if isinstance(spec, dict):
        if len(spec) != 1 or next(iter(spec)) not in OFFSET_SOURCES or not isinstance(next(iter(spec.values())), str):
            raise ValueError(f"{where}: an offset is {{target: <KPI>}}, {{term: <tier term>}}, a number or a duration")
        source, name = next(iter(spec.items()))
        return Operand(str(source), name)
    if isinstance(spec, int) and not isinstance(spec, bool) and spec >= 0:
        return Operand("days", spec)
    if isinstance(spec, str):
        from slagen.params import Duration

        try:
            return Operand("duration", Duration.parse(spec))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    raise ValueError(f"{where}: an offset is {{target: <KPI>}}, {{term: <tier term>}}, a number or a duration")


def _clock_time(text: str) -> bool:
    hour, sep, minute = text.partition(":")
    return bool(sep) and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60


def _number(value: Any) -> Any:
    from decimal import Decimal

    return Decimal(str(value)) if isinstance(value, float) else value


def check_generic(kind: str, params: dict[str, Any], clock: str) -> list[tuple[tuple[str, ...], str]]:
    """What is wrong with a generic kind's parameters as a whole: (sub-key, message) pairs."""
    found: list[tuple[tuple[str, ...], str]] = []
    if clock not in ("calendar", "working_days"):
        found.append((("clock",), f"kind '{kind}' counts on the calendar or on working days, not on {clock}"))
    if kind in ("mean", "minimum", "maximum"):
        span = "from" in params or "to" in params
        if ("field" in params) == span or (span and not ("from" in params and "to" in params)):
            found.append(((), f"kind '{kind}' needs 'field' (a number column) or 'from' and 'to' (two time columns)"))
        if "in" in params and "field" not in params:
            found.append((("in",), "'in' is the unit of a field's numbers; a span from … to has its clock's unit"))
    return found


def unknown_references(source: Any, kpis: Mapping[str, Any], terms: Mapping[str, Any]) -> list[Problem]:
    """A problem for each offset of a catalog's conditions naming a KPI or tier term the catalog does not have."""
    found = []
    for kpi in kpis.values():
        params = kpi.measure.params if kpi.measure is not None else {}
        for name in ("only", "where"):
            for index, condition in enumerate(params.get(name) or (), start=1):
                offset = condition.offset
                table = kpis if offset is not None and offset.kind == "target" else terms
                if offset is None or offset.kind not in OFFSET_SOURCES or offset.value in table:
                    continue
                what = "KPI of this catalog" if offset.kind == "target" else "tier term of this catalog"
                where = ("kpis", kpi.id, "measure", name)
                message = f"condition {index}: {offset.kind} '{offset.value}' is no {what}"
                found.append(Problem(message, source.path, source.line_of(where), ".".join(where)))
    return found
