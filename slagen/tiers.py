"""Service tiers for product owners: list, show, compare, check and scaffold new offerings.

Takes the library's catalogs and gives tables of targets (for the terminal), the findings
of the tier checks (every KPI has a target in every tier; a tier of higher rank never
promises less on any KPI, in the KPI's direction), and the text of a commented YAML
scaffold for a new tier that starts from an existing one.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from slagen.errors import InputError, Problem
from slagen.formatting import format_value

if TYPE_CHECKING:  # slagen.library runs the tier checks when it loads, so it imports this module
    from slagen.library import Catalog, Library, Tier

LOCALES = {"de": "de_DE", "en": "en_GB"}
_TIER_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def find_catalog(library: Library, catalog: str | None, tiers: list[str] | None = None) -> Catalog:
    """The catalog named ``catalog``, or the only one that has all ``tiers``; a clear error otherwise."""
    if catalog is not None:
        if catalog not in library.catalogs:
            raise InputError.single(f"unknown catalog '{catalog}' (one of: {', '.join(library.catalogs)})")
        return library.catalogs[catalog]
    names = tiers or []
    having = [c for c in library.catalogs.values() if all(name in c.tiers for name in names)]
    if len(having) == 1:
        return having[0]
    if not having:
        raise InputError.single(f"no catalog has the tiers {', '.join(names)}")
    several = ", ".join(c.id for c in having)
    raise InputError.single(f"several catalogs ({several}) have them: choose one with --catalog")


def list_rows(library: Library, catalog: str | None = None) -> list[list[str]]:
    """One row per tier: catalog, tier, rank, name."""
    catalogs = [find_catalog(library, catalog)] if catalog else list(library.catalogs.values())
    return [
        [c.id, tier.id, str(tier.rank), tier.name]
        for c in catalogs
        for tier in sorted(c.tiers.values(), key=lambda t: t.rank)
    ]


def compare_rows(catalog: Catalog, tier_ids: list[str], language: str = "en") -> list[list[str]]:
    """A KPI × tier table: a header row, then one row per KPI with its target in each tier."""
    tiers = [_tier(catalog, tier_id) for tier_id in tier_ids]
    locale = LOCALES[language]
    rows = [["KPI", *(f"{t.name} ({t.id})" for t in tiers)]]
    for kpi_id, kpi in catalog.kpis.items():
        name = kpi.text.get(language, {}).get("name", kpi_id)
        direction = "≥" if kpi.direction == "at_least" else "≤"
        rows.append([name, *(f"{direction} {format_value(t.targets[kpi_id], kpi.unit, locale)}" for t in tiers)])
    return rows


def _tier(catalog: Catalog, tier_id: str) -> Tier:
    if tier_id not in catalog.tiers:
        known = ", ".join(catalog.tiers)
        raise InputError.single(f"unknown tier '{tier_id}' in catalog '{catalog.id}' (one of: {known})")
    return catalog.tiers[tier_id]


def check_tiers(catalog: Catalog, path: str) -> list[Problem]:
    """Findings of the tier checks for ``catalog`` (whose file is ``path``).

    Every tier is compared with every tier of lower rank; tiers of the same rank are
    alternatives and are not compared.
    """
    problems = []
    tiers = list(catalog.tiers.values())
    pairs = [(a, b) for a, b in itertools.product(tiers, tiers) if a.rank < b.rank]
    for lower, higher in sorted(pairs, key=lambda pair: (pair[1].rank, pair[0].rank, pair[1].id, pair[0].id)):
        for kpi_id, kpi in catalog.kpis.items():
            low, high = lower.targets.get(kpi_id), higher.targets.get(kpi_id)
            if low is None or high is None or not kpi.better(low, high):
                continue
            word = "less" if kpi.direction == "at_least" else "more"
            unit = kpi.unit
            own_file = higher.source and higher.source != path  # a tier file of its own
            problems.append(
                Problem(
                    f"tier '{higher.id}' (rank {higher.rank}) promises {word} than '{lower.id}' (rank {lower.rank}) "
                    f"on {kpi_id}: {format_value(high, unit, 'en_GB')} vs {format_value(low, unit, 'en_GB')}",
                    higher.source or path,
                    None,
                    f"targets.{kpi_id}" if own_file else f"tiers.{higher.id}.targets.{kpi_id}",
                )
            )
    return problems


def scaffold_tier(catalog: Catalog, base: str, new: str) -> str:
    """A commented YAML file for a new tier ``new`` of ``catalog``, pre-filled from tier ``base``."""
    if not _TIER_ID.match(new):
        raise InputError.single(f"'{new}' cannot name a tier: use lower-case letters, digits, '-' and '_'")
    if new in catalog.tiers:
        raise InputError.single(f"catalog '{catalog.id}' already has a tier '{new}'")
    source = _tier(catalog, base)
    ranks = sorted(t.rank for t in catalog.tiers.values())
    lines = [
        f"# New tier '{new}' of catalog '{catalog.id}', started from '{source.id}' ({source.name}).",
        "# Change the targets to the new offering, then run `slagen lint`: a tier of higher rank",
        "# must never promise less on any KPI than a tier of lower rank.",
        f"name: {new.replace('-', ' ').replace('_', ' ').title()}",
        f"rank: {source.rank}  # in use: {', '.join(map(str, ranks))}; the same rank is an alternative to {source.id}",
        "targets:",
    ]
    for kpi_id, kpi in catalog.kpis.items():
        name = kpi.text.get("en", {}).get("name", kpi_id)
        direction = "at least" if kpi.direction == "at_least" else "at most"
        value = source.targets[kpi_id]
        written = f'"{value}%"' if kpi.unit == "percent" else str(value)
        lines.append(f"  # {name}: {direction}; {kpi.unit}")
        lines.append(f"  {kpi_id}: {written}")
    return "\n".join(lines) + "\n"
