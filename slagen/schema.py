"""A JSON Schema (draft 2020-12) of the answers file, derived from the library's declarations.

Takes the library and gives a schema with a description, default, bounds and choices for
every declared parameter, so editors (e.g. VS Code with the YAML extension) validate and
complete answers files. It is derived from the same declarations that ``slagen check``
validates with: each parameter's type describes itself
(:meth:`~slagen.params.base.ParamType.json_schema`), languages are the library's, and
tiers and KPI overrides are narrowed per catalog with ``if``/``then``.
"""

from __future__ import annotations

from typing import Any

from slagen.library import Library
from slagen.params.jsonschema import json_leaf

DRAFT = "https://json-schema.org/draft/2020-12/schema"


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
        node["properties"][leaf] = json_leaf(param, library)
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
