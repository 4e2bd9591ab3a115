"""Parameter types that name what the library offers: a catalog, its tiers, KPI targets and service credits.

Whether a tier or a KPI belongs to the *chosen* catalog depends on another answer, so
these types check it in :meth:`~slagen.params.base.ParamType.in_catalog`, which the
answers stage calls once the catalog is known.
"""

# ruff: noqa: D102 - the methods are ParamType's, documented there

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slagen.arithmetic import CreditBand, CreditScheme
from slagen.params.base import Asker, Choice, Findings, Languages, ParamType
from slagen.params.jsonschema import DURATION_PATTERN, share
from slagen.params.values import ParamError, as_percent, as_text, check_bounds, show, unknown_choice

if TYPE_CHECKING:
    from slagen.catalogs import Catalog
    from slagen.library import Library
    from slagen.params.declaration import Param


class CatalogType(ParamType):
    """The service catalog the agreement is about (one of the library's)."""

    name = "catalog"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        return check_bounds(param, as_text(value, multiline=False))  # one of the library's: the answers stage

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "string", "enum": sorted(library.catalogs)}

    def choices(self, asker: Asker, param: Param) -> tuple[Choice, ...]:
        return asker.catalog_choices()


class TierType(ParamType):
    """The standard tier the agreement starts from (one of the chosen catalog's)."""

    name = "tier"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        return check_bounds(param, as_text(value, multiline=False))  # the catalog's tiers: see in_catalog

    def in_catalog(self, value: Any, catalog: Catalog) -> tuple[Any, Findings]:
        if value in catalog.tiers:
            return value, []
        return None, [((), unknown_choice("tier", value, list(catalog.tiers), f" in catalog '{catalog.id}'"))]

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "string", "enum": sorted({t for c in library.catalogs.values() for t in c.tiers})}

    def choices(self, asker: Asker, param: Param) -> tuple[Choice, ...]:
        return asker.tier_choices(offered_only=True)


class KpiValuesType(ParamType):
    """Targets agreed other than the tier's, by KPI id; typed by each KPI's unit once the catalog is known."""

    name = "kpi_values"
    scalar = False

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        if not isinstance(value, dict):
            raise ParamError(f"expected a mapping of KPI to value, got {show(value)}")
        return dict(value)  # typed against the catalog by in_catalog

    def in_catalog(self, value: Any, catalog: Catalog) -> tuple[Any, Findings]:
        typed: dict[str, Any] = {}
        found: Findings = []
        for kpi_id, target in value.items():
            kpi = catalog.kpis.get(kpi_id)
            if kpi is None:
                found.append(
                    ((kpi_id,), unknown_choice("KPI", kpi_id, list(catalog.kpis), f" in catalog '{catalog.id}'"))
                )
                continue
            try:
                typed[kpi_id] = kpi.coerce(target)
            except ParamError as exc:
                found.append(((kpi_id,), str(exc)))
        return typed, found

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        kpis = {k: _kpi_schema(kpi.unit) for c in library.catalogs.values() for k, kpi in c.kpis.items()}
        return {"type": "object", "additionalProperties": False, "properties": kpis}

    def ask(self, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        return asker.kpi_values(key, param, text, help_text, error)


def _kpi_schema(unit: str) -> dict[str, Any]:
    if unit == "percent":
        return share()
    if unit == "duration":
        return {"type": "string", "pattern": DURATION_PATTERN}
    return {"type": "integer", "minimum": 0}


class CreditsType(ParamType):
    """Service-credit bands and cap, typed; whether the bands fit together is for ``check_credits`` to say."""

    name = "credits"
    scalar = False

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        if not isinstance(value, dict):
            raise ParamError(f"expected a mapping with bands and cap, got {show(value)}")
        errors = [
            ParamError("unknown key (expected: bands, cap)", (str(k),)) for k in value if k not in ("bands", "cap")
        ]
        cap = Decimal(0)
        if "cap" not in value:
            errors.append(ParamError("missing: the cap on the credits of one period (e.g. 25%)", ("cap",)))
        else:
            try:
                cap = as_percent(value["cap"])
            except ParamError as exc:
                errors.append(ParamError(str(exc), ("cap",)))
        items = value.get("bands")
        if not isinstance(items, list):
            errors.append(ParamError(f"expected a list of bands (from, below, credit), got {show(items)}", ("bands",)))
            items = []
        bands = [band for i, item in enumerate(items) if (band := _band(item, ("bands", str(i)), errors)) is not None]
        if errors:
            raise ParamError.gather(errors)
        return CreditScheme(tuple(bands), cap)

    def ask(self, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        return asker.credit_scheme(key, param, text, help_text, error)

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        percent = share()
        band = {
            "type": "object",
            "additionalProperties": False,
            "properties": {"from": percent, "below": percent, "credit": percent},
            "required": ["below", "credit"],
        }
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {"bands": {"type": "array", "items": band, "minItems": 1}, "cap": percent},
            "required": ["bands", "cap"],
        }


def _band(item: Any, where: tuple[str, ...], errors: list[ParamError]) -> CreditBand | None:
    """One band (from, below, credit), or None with its findings added to ``errors``."""
    if not isinstance(item, dict):
        errors.append(ParamError(f"expected a mapping with from, below and credit, got {show(item)}", where))
        return None
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
            typed[name] = as_percent(item[name])
        except ParamError as exc:
            errors.append(ParamError(str(exc), (*where, name)))
    upper, credit = typed.get("below"), typed.get("credit")
    if upper is None or credit is None:
        return None
    return CreditBand(upper, typed["from"], credit)
