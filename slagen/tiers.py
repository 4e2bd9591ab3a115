"""Service tiers for product owners: list, show, compare, check and scaffold new offerings.

Takes the library's catalogs and gives tables of targets (for the terminal), the findings
of the tier checks (every KPI has a target in every tier; a tier of higher rank never
promises less on any KPI, in the KPI's direction; service hours are clock times, start
before end, and never shorter in a higher tier), and the text of a commented YAML
scaffold for a new tier that starts from an existing one.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from slagen.errors import InputError, LibraryError, Problem
from slagen.formatting import format_duration, format_percent, format_value
from slagen.params import Duration

if TYPE_CHECKING:  # slagen.library runs the tier checks when it loads, so it imports this module
    from slagen.catalogs import Catalog, Tier
    from slagen.library import Library


def find_catalog(library: Library, catalog: str | None, tiers: list[str] | None = None) -> Catalog:
    """The catalog named ``catalog``, or the only one that has all ``tiers``; a clear error otherwise."""
    if catalog is not None:
        if catalog not in library.catalogs:
            raise InputError.single(f"unknown catalog '{catalog}' (one of: {', '.join(library.catalogs)})")
        return usable(library.catalogs[catalog])
    names = tiers or []
    having = [c for c in library.catalogs.values() if all(name in c.tiers for name in names)]
    if len(having) == 1:
        return usable(having[0])
    if not having:
        raise InputError.single(f"no catalog has the tiers {', '.join(names)}")
    several = ", ".join(c.id for c in having)
    raise InputError.single(
        f"several catalogs ({several}) have tiers named {', '.join(names)}: choose one with --catalog"
    )


def usable(catalog: Catalog) -> Catalog:
    """``catalog``, unless a tier file of its own is broken: then a library error naming each problem."""
    if catalog.problems:
        raise LibraryError(list(catalog.problems))
    return catalog


def list_rows(library: Library, catalog: str | None = None) -> list[list[str]]:
    """One row per tier: catalog, tier, rank, name."""
    catalogs = [find_catalog(library, catalog)] if catalog else list(library.catalogs.values())
    return [
        [c.id, tier.id, str(tier.rank), tier.name]
        for c in catalogs
        for tier in sorted(c.tiers.values(), key=lambda t: t.rank)
    ]


def compare_rows(
    catalog: Catalog, tier_ids: list[str], language: str = "en", *, locale: str | None = None
) -> list[list[str]]:
    """A table of the tiers side by side: a header row, then one row per KPI (name and id), tier term and credits.

    ``locale`` is the language's Babel locale (``library.locale(language)``, from its labels);
    without it, Babel's default locale of the language.
    """
    tiers = [_tier(catalog, tier_id) for tier_id in tier_ids]
    locale = locale or language
    rows = [["", *(f"{t.name} ({t.id})" for t in tiers)]]
    for kpi_id, kpi in catalog.kpis.items():
        name = kpi.text.get(language, {}).get("name", kpi_id)
        direction = "≥" if kpi.direction == "at_least" else "≤"
        values = [f"{direction} {format_value(t.targets[kpi_id], kpi.unit, locale)}" for t in tiers]
        rows.append([f"{name} ({kpi_id})", *values])
    for term in catalog.terms:
        rows.append([f"term {term}", *(_term_text(t.terms.get(term), locale) for t in tiers)])
    if catalog.credit_kpi:
        rows.append([f"credits ({catalog.credit_kpi})", *(_credits_text(t, locale) for t in tiers)])
    return rows


def _term_text(value: object, locale: str) -> str:
    if isinstance(value, Duration):
        return format_duration(value, locale)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "–"
    return "–" if value is None or value == "" else str(value)


def _credits_text(tier: Tier, locale: str) -> str:
    """``< 99,9 %: 5 %; < 99,5 %: 10 %; cap 10 %``: each band by its upper bound, then the cap."""
    if tier.credits is None:
        return "–"
    bands = [f"< {format_percent(b.upper, locale)}: {format_percent(b.credit, locale)}" for b in tier.credits.bands]
    return "; ".join([*bands, f"cap {format_percent(tier.credits.cap, locale)}"])


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
    worse: dict[tuple[str, str], list[Tier]] = {}  # (higher tier, KPI) -> the lower tiers that promise more
    for lower, higher in sorted(pairs, key=lambda pair: (pair[1].rank, -pair[0].rank, pair[1].id, pair[0].id)):
        for kpi_id, kpi in catalog.kpis.items():
            low, high = lower.targets.get(kpi_id), higher.targets.get(kpi_id)
            if low is not None and high is not None and kpi.better(low, high):
                worse.setdefault((higher.id, kpi_id), []).append(lower)
    for (higher_id, kpi_id), lowers in worse.items():
        higher, lower, unit = catalog.tiers[higher_id], lowers[0], catalog.kpis[kpi_id].unit
        also = [f"'{other.id}'" for other in lowers[1:]]
        own_file = higher.source and higher.source != path  # a tier file of its own
        problems.append(
            Problem(
                f"tier '{higher.id}' (rank {higher.rank}) promises less than '{lower.id}' (rank {lower.rank}) "
                f"on {kpi_id}: {format_value(higher.targets[kpi_id], unit, 'en_GB')} vs "
                f"{format_value(lower.targets[kpi_id], unit, 'en_GB')}"
                + (f" (and less than {', '.join(also)})" if also else "")
                + "; a tier of higher rank must promise at least as much",
                higher.source or path,
                None,
                f"targets.{kpi_id}" if own_file else f"tiers.{higher.id}.targets.{kpi_id}",
            )
        )
    problems.extend(_check_service_hours(catalog, path, pairs))
    return problems


_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def _check_service_hours(catalog: Catalog, path: str, pairs: list[tuple[Tier, Tier]]) -> list[Problem]:
    """Service hours (tier terms ``service_from``/``service_to``/``service_days``) are sane and monotone.

    Each tier's hours are clock times ``HH:MM`` from 00:00 to 24:00 with the start before the end;
    a tier of higher rank never offers fewer service days (the catalog declares the ``service_days``
    choices from fewest to most) or a shorter window than one of lower rank.
    """
    if not {"service_from", "service_to"} <= set(catalog.terms):
        return []
    problems = []

    def report(tier: Tier, term: str, message: str) -> None:
        own_file = tier.source and tier.source != path
        key = f"terms.{term}" if own_file else f"tiers.{tier.id}.terms.{term}"
        problems.append(Problem(message, tier.source or path, None, key))

    declared = catalog.terms.get("service_days")
    order = declared.choices if declared is not None else ()  # declared from fewest days to most
    minutes: dict[str, tuple[int, int]] = {}
    for tier in catalog.tiers.values():
        start, end = (str(tier.terms.get(term, "")) for term in ("service_from", "service_to"))
        times = [_minutes(start), _minutes(end)]
        for term, text, value in zip(("service_from", "service_to"), (start, end), times, strict=True):
            if value is None:
                report(tier, term, f"tier '{tier.id}': '{text}' is not a time of day (write HH:MM, 00:00 to 24:00)")
        if times[0] is None or times[1] is None:
            continue
        if times[0] >= times[1]:
            report(tier, "service_to", f"tier '{tier.id}': the service hours end ({end}) before they start ({start})")
            continue
        minutes[tier.id] = (times[0], times[1])
    for lower, higher in pairs:
        if lower.id in minutes and higher.id in minutes:
            (low_start, low_end), (high_start, high_end) = minutes[lower.id], minutes[higher.id]
            if high_start > low_start or high_end < low_end:
                report(
                    higher,
                    "service_from" if high_start > low_start else "service_to",
                    f"tier '{higher.id}' (rank {higher.rank}) offers shorter service hours than '{lower.id}' "
                    f"(rank {lower.rank}): {higher.terms['service_from']}–{higher.terms['service_to']} vs "
                    f"{lower.terms['service_from']}–{lower.terms['service_to']}",
                )
        days = [str(tier.terms.get("service_days", "")) for tier in (lower, higher)]
        if all(d in order for d in days) and order.index(days[1]) < order.index(days[0]):
            report(
                higher,
                "service_days",
                f"tier '{higher.id}' (rank {higher.rank}) offers fewer service days than '{lower.id}' "
                f"(rank {lower.rank}): {days[1]} vs {days[0]}",
            )
    return problems


def _minutes(text: str) -> int | None:
    """Minutes after midnight of ``HH:MM`` (24:00 is the end of the day), or None."""
    match = _CLOCK.match(text)
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        return None
    return int(match.group(1)) * 60 + int(match.group(2))
