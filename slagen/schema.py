"""A JSON Schema (draft 2020-12) of the answers file, derived from the library's declarations.

Takes the library and gives a schema with a description, default, bounds and choices for
every declared parameter, so editors (e.g. VS Code with the YAML extension) validate and
complete answers files. It is derived from the same declarations that ``slagen check``
validates with; tiers and KPI overrides are narrowed per catalog with ``if``/``then``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from slagen.library import Library
from slagen.params import DURATION_UNITS, LANGUAGES, Duration, Param

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DURATION = r"^\s*\d+(\.\d+)?\s*(" + "|".join(sorted(DURATION_UNITS, key=len, reverse=True)) + r")\s*$"
_PERCENT = r"^\s*-?\d+([.,]\d+)?\s*%?\s*$"
_DECIMAL = r"^\s*-?\d+(\.\d+)?\s*$"


def answers_schema(library: Library) -> dict[str, Any]:
    """The JSON Schema of an answers file for ``library``."""
    always = {p.key for clause in library.clauses if not clause.when for p in clause.params}
    root: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": "urn:slagen:answers:1",
        "title": "slagen answers file",
        "description": "One Service Level Agreement: the answers slagen builds it from (see docs/answers.md).",
    }
    root.update(_object())
    for key, param in library.params.items():
        node = root
        *groups, leaf = key.split(".")
        for group in groups:
            node = node["properties"].setdefault(group, _object())
        node["properties"][leaf] = _leaf(param, library)
        if key in always and param.required and param.default is None:
            _require(root, key.split("."))
    conditions = _per_catalog(library) + _per_model(library)
    if conditions:
        root["allOf"] = conditions
    return root


def _object() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "properties": {}}


def _require(root: dict[str, Any], path: list[str]) -> None:
    node = root
    for part in path:
        required = node.setdefault("required", [])
        if part not in required:
            required.append(part)
        node = node["properties"][part]


def _leaf(param: Param, library: Library) -> dict[str, Any]:
    schema = _type_schema(param, library)
    if param.help:
        schema["description"] = param.help
    if param.default is not None:
        schema["default"] = _json(param.default)
    return schema


def _type_schema(param: Param, library: Library) -> dict[str, Any]:
    kind = param.type
    bounds = _limits(param, "minimum", "maximum")
    if kind in ("string", "text"):
        return {"type": "string", **_limits(param, "minLength", "maxLength")}
    if kind == "localized":
        text = {"type": "string", **_limits(param, "minLength", "maxLength")}
        per_language = {"type": "object", "additionalProperties": False, "properties": dict.fromkeys(LANGUAGES, text)}
        return {"anyOf": [text, per_language]}
    if kind == "integer":
        return {"type": "integer", **bounds}
    if kind == "decimal":
        return {"anyOf": [{"type": "number", **bounds}, {"type": "string", "pattern": _DECIMAL}]}
    if kind == "percent":
        return {"anyOf": [{"type": "number", **bounds}, {"type": "string", "pattern": _PERCENT}]}
    if kind == "duration":
        return {"type": "string", "pattern": _DURATION, "examples": ["30min", "4h", "2d"]}
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "enum":
        return {"type": "string", "enum": list(param.choices)}
    if kind == "languages":
        return {"type": "array", "items": {"enum": list(LANGUAGES)}, "uniqueItems": True, "minItems": 1}
    if kind == "list":
        items: dict[str, Any] = {"type": "string"}
        if param.choices:
            items["enum"] = list(param.choices)
        return {"type": "array", "items": items, **_limits(param, "minItems", "maxItems")}
    if kind == "records":
        fields = {name: _leaf(field, library) for name, field in param.fields.items()}
        required = [name for name, field in param.fields.items() if field.required and field.default is None]
        item = {"type": "object", "additionalProperties": False, "properties": fields, "required": required}
        return {"type": "array", "items": item, **_limits(param, "minItems", "maxItems")}
    if kind == "catalog":
        return {"type": "string", "enum": sorted(library.catalogs)}
    if kind == "tier":
        return {"type": "string", "enum": sorted({t for c in library.catalogs.values() for t in c.tiers})}
    if kind == "tiers":
        tiers = {"enum": sorted({t for c in library.catalogs.values() for t in c.tiers})}
        return {"type": "array", "items": tiers, "uniqueItems": True, **_limits(param, "minItems", "maxItems")}
    if kind == "kpi_values":
        kpis = {k: _kpi(kpi.unit) for c in library.catalogs.values() for k, kpi in c.kpis.items()}
        return {"type": "object", "additionalProperties": False, "properties": kpis}
    if kind == "credits":
        share = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _PERCENT}]}
        band = {
            "type": "object",
            "additionalProperties": False,
            "properties": {"from": share, "below": share, "credit": share},
            "required": ["below", "credit"],
        }
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {"bands": {"type": "array", "items": band, "minItems": 1}, "cap": share},
            "required": ["bands", "cap"],
        }
    raise ValueError(f"no JSON Schema for parameter type {kind!r}")  # pragma: no cover - library lint


def _kpi(unit: str) -> dict[str, Any]:
    if unit == "percent":
        return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _PERCENT}]}
    if unit == "duration":
        return {"type": "string", "pattern": _DURATION}
    return {"type": "integer", "minimum": 0}


def _per_catalog(library: Library) -> list[dict[str, Any]]:
    """Tiers and overridable KPIs of the chosen catalog only."""
    catalog_key, tier_key = library.key_of("catalog"), library.key_of("tier")
    tiers_key, kpi_key = library.key_of("tiers"), library.key_of("kpi_values")
    if catalog_key is None:
        return []
    conditions = []
    for catalog in library.catalogs.values():
        then: dict[str, Any] = {}
        if tier_key:
            _nested(then, tier_key, {"enum": sorted(catalog.tiers)})
        if tiers_key:
            _nested(then, tiers_key, {"items": {"enum": sorted(catalog.tiers)}})
        if kpi_key:
            _nested(then, kpi_key, {"propertyNames": {"enum": list(catalog.kpis)}})
        condition = _nested({}, catalog_key, {"const": catalog.id})
        _require(condition, catalog_key.split("."))
        conditions.append({"if": condition, "then": then})
    return conditions


def _per_model(library: Library) -> list[dict[str, Any]]:
    """A tier is required unless the agreement is multi-level (as ``slagen check`` requires it)."""
    tier_key = library.key_of("tier")
    if tier_key is None or "agreement.model" not in library.params:
        return []
    multi = _nested({}, "agreement.model", {"const": "multi-level"})
    _require(multi, ["agreement", "model"])
    required: dict[str, Any] = _nested({}, tier_key, {})
    _require(required, tier_key.split("."))
    return [{"if": multi, "else": required}]


def _nested(node: dict[str, Any], key: str, leaf: dict[str, Any]) -> dict[str, Any]:
    current = node
    *groups, last = key.split(".")
    for group in groups:
        current = current.setdefault("properties", {}).setdefault(group, {})
    current.setdefault("properties", {})[last] = leaf
    return node


def _limits(param: Param, low: str, high: str) -> dict[str, Any]:
    """The declaration's min and max under the JSON Schema keywords ``low`` and ``high``."""
    convert = _number if low == "minimum" else int  # lengths and item counts are whole numbers
    out: dict[str, Any] = {}
    if param.minimum is not None:
        out[low] = convert(param.minimum)
    if param.maximum is not None:
        out[high] = convert(param.maximum)
    return out


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value
