"""What the library's catalogs offer, as the interview shows it: catalogs by name, tiers with their targets."""

from __future__ import annotations

import difflib
from typing import Any

from slagen.catalogs import KPI_UNITS, Catalog, Tier
from slagen.errors import InputError
from slagen.library import Library
from slagen.params import PARAM_TYPES, Choice
from slagen.params.base import shown


def catalog_choices(library: Library, lang: str) -> tuple[Choice, ...]:
    """Every catalog of ``library``, with its name in ``lang``."""
    return tuple(Choice(c.id, str((c.text.get(lang) or {}).get("name", ""))) for c in library.catalogs.values())


def tier_choices(library: Library, catalog: Catalog | None, offered: list[str], lang: str) -> tuple[Choice, ...]:
    """The tiers of ``catalog`` (of every catalog if none is chosen), lowest rank first; only ``offered`` if any."""
    choices = []
    for cat in [catalog] if catalog else library.catalogs.values():
        for tier in sorted(cat.tiers.values(), key=lambda t: t.rank):
            if not offered or tier.id in offered:
                choices.append(Choice(tier.id, f"{tier.name}: {targets(cat, tier, lang)}"))
    return tuple(choices)


def targets(catalog: Catalog, tier: Tier, lang: str) -> str:
    """A tier's targets as the sales person reads them: ``Closing rate per campaign 5%, …``."""
    return ", ".join(
        f"{kpi_name(catalog, k, lang)} {shown(target_yaml(catalog, k, v))}" for k, v in tier.targets.items()
    )


def kpi_name(catalog: Catalog, kpi_id: str, lang: str) -> str:
    """The name of a KPI in ``lang``; its id if the catalog has none."""
    wording = catalog.kpis[kpi_id].text.get(lang) or {}
    return str(wording.get("name") or kpi_id)


def kpi_type(catalog: Catalog, kpi_id: str) -> str:
    """The parameter type a KPI's target is typed as (``percent``, ``duration``, ``integer``)."""
    return KPI_UNITS[catalog.kpis[kpi_id].unit]


def target_yaml(catalog: Catalog, kpi_id: str, target: Any) -> Any:
    """A KPI target as the answers file writes it (``5%``, ``4h``)."""
    return PARAM_TYPES[kpi_type(catalog, kpi_id)].to_yaml(target)


def presets(library: Library, given: dict[str, str | None]) -> dict[str, str]:
    """The catalog and tier given on the command line, by answer key; one the library does not offer is an error."""
    found: dict[str, str] = {}
    for kind, value in given.items():
        if value is None:
            continue
        key = library.key_of(kind)
        if key is None:
            raise InputError.single(f"this library asks for no {kind}", key=kind)
        if kind == "catalog":
            known = list(library.catalogs)
        else:
            chosen = given.get("catalog")
            catalogs = [library.catalogs[chosen]] if chosen else []
            known = [t for c in catalogs or library.catalogs.values() for t in c.tiers]
        if value not in known:
            close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(known)}"
            raise InputError.single(f"unknown {kind} '{value}' ({hint})", key=key)
        found[key] = value
    return found
