"""Scaffolds for product owners: a new tier from an existing one, a new catalog of given kinds.

Takes a loaded library and gives the text of commented YAML files that load, lint clean and build
a contract as they are: ``slagen tiers new`` copies every target, term and credit of its base tier
as written; ``slagen catalog new`` starts from a library catalog of the same kinds (``--from``) or,
for kinds whose clauses read only generic KPIs, from the generic KPIs of
``templates/<lang>/scaffold.yaml`` (their wording per language).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from slagen.catalogfacts import KINDS
from slagen.catalogs import Catalog
from slagen.errors import InputError
from slagen.library import Library
from slagen.yamlsource import load_yaml

NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
SCAFFOLD_FILE = "scaffold.yaml"
GENERIC: dict[str, dict[str, dict[str, Any]]] = {
    "availability": {
        "availability": {
            "unit": "percent",
            "direction": "at_least",
            "measure": {"kind": "availability", "period": "calendar_month", "clock": "calendar", "partial": "part"}
            | {"excludes": ["force_majeure", "customer", "third_party"]},
            "targets": ("99%", "99.5%", "99.9%"),
        },
    },
    "work_items": {
        "on_time_rate": {
            "unit": "percent",
            "direction": "at_least",
            "measure": {"kind": "attainment", "period": "calendar_month", "clock": "calendar", "tickets": "request"},
            "targets": ("90%", "95%", "98%"),
        },
        "turnaround": {
            "unit": "duration",
            "direction": "at_most",
            "per": "event",
            "feeds": "on_time_rate",
            "measure": {"kind": "event_duration", "period": "event", "clock": "calendar"}
            | {"from": "created", "to": "resolved", "tickets": "request"},
            "targets": ("5d", "3d", "1d"),
        },
    },
    "deliveries": {
        "on_time_delivery": {
            "unit": "percent",
            "direction": "at_least",
            "measure": {"kind": "share", "period": "calendar_month", "clock": "calendar", "records": "delivery"}
            | {"at": "received", "where": [{"field": "received", "op": "le", "other": "confirmed"}]},
            "targets": ("95%", "97%", "99%"),
        },
        "defect_rate": {
            "unit": "percent",
            "direction": "at_most",
            "measure": {"kind": "ratio", "period": "calendar_month", "clock": "calendar", "records": "delivery"}
            | {"at": "received", "numerator": "qty_defective", "denominator": "qty_received"},
            "targets": ("2%", "1%", "0.5%"),
        },
    },
}
"""The KPIs a catalog of a kind starts with where the clauses of that kind read no KPI of their own."""
TIERS = (("basic", "Basic"), ("standard", "Standard"), ("premium", "Premium"))
CREDITS = (
    {"bands": [{"from": "98%", "below": "99%", "credit": "5%"}, {"below": "98%", "credit": "10%"}], "cap": "10%"},
    {"bands": [{"from": "99%", "below": "99.5%", "credit": "5%"}, {"below": "99%", "credit": "10%"}], "cap": "10%"},
    {"bands": [{"from": "99.5%", "below": "99.9%", "credit": "5%"}, {"below": "99.5%", "credit": "10%"}], "cap": "10%"},
)
"""Credits on the generic availability of the three generic tiers (a share of the monthly fee)."""


def check_name(name: str, what: str) -> None:
    """Refuse ``name`` unless it can name a tier or catalog (and its file)."""
    if not NAME.match(name):
        raise InputError.single(f"'{name}' cannot name a {what}: use lower-case letters, digits, '-' and '_'")


def _flow(value: Any) -> str:
    """``value`` as one line of YAML."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000).strip()
    return text.removesuffix("...").strip()


def _raw_tier(library: Library, catalog: Catalog, tier_id: str) -> dict[str, Any]:
    """Tier ``tier_id`` as written in its file (targets, terms, credits as the product owner wrote them)."""
    tier = catalog.tiers[tier_id]
    data = load_yaml(library.root / tier.source, display=tier.source).data or {}
    own = not (isinstance(data, dict) and data.get("catalog") == catalog.id)
    raw = data if own else data["tiers"][tier_id]
    return dict(raw) if isinstance(raw, dict) else {}


def scaffold_tier(library: Library, catalog: Catalog, base: str, new: str) -> str:
    """A commented YAML file for a new tier ``new`` of ``catalog``: every target, term and credit of ``base``."""
    check_name(new, "tier")
    if new in catalog.tiers:
        raise InputError.single(f"catalog '{catalog.id}' already has a tier '{new}'")
    if base not in catalog.tiers:
        known = ", ".join(catalog.tiers)
        raise InputError.single(f"unknown tier '{base}' in catalog '{catalog.id}' (one of: {known})")
    source, raw = catalog.tiers[base], _raw_tier(library, catalog, base)
    ranks = sorted({t.rank for t in catalog.tiers.values()})
    lines = [
        f"# New tier '{new}' of catalog '{catalog.id}', copied from '{source.id}' ({source.name}): every target,",
        "# term and credit band below is the base tier's. Change what the new offering promises, then run",
        "# `slagen lint`: a tier of higher rank never promises less on any KPI, nor shorter service hours.",
        f"name: {new.replace('-', ' ').replace('_', ' ').title()}",
        f"rank: {max(ranks) + 1}  # ranks in use: {', '.join(map(str, ranks))} ({source.id}: {source.rank});"
        f" {source.rank} would make it an alternative to {source.id}",
        "targets:",
    ]
    for kpi_id, kpi in catalog.kpis.items():
        name = kpi.text.get("en", {}).get("name", kpi_id)
        direction = "at least" if kpi.direction == "at_least" else "at most"
        lines.append(f"  {kpi_id}: {_flow(raw['targets'][kpi_id])}  # {name}: {direction} ({kpi.unit})")
    if catalog.terms:
        lines.append("terms:")
        for term, param in catalog.terms.items():
            value = (raw.get("terms") or {}).get(term, param.default)
            lines.append(f"  {term}: {_flow(value)}  # {param.help}".rstrip(" #"))
    if catalog.credit_kpi:
        credits = raw.get("credits") or {}
        lines.append(f"credits:  # service credits on '{catalog.credit_kpi}', from its target downwards")
        lines.append("  bands:")
        lines += [f"    - {_flow(band)}" for band in credits.get("bands") or []]
        lines.append(f"  cap: {_flow(credits.get('cap'))}  # most credit in one month")
    return "\n".join(lines) + "\n"


def scaffold_catalog(library: Library, name: str, kinds: list[str], base: str | None) -> str:
    """A commented catalog file ``tiers/<name>.yaml`` of ``kinds``: KPIs, three tiers, credits where it has them."""
    check_name(name, "catalog")
    if name in library.catalogs:
        raise InputError.single(f"the library already has a catalog '{name}'")
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise InputError.single(f"--kind takes one or several of: {', '.join(KINDS)}", key="--kind")
    if base is not None:
        if base not in library.catalogs:
            raise InputError.single(f"unknown catalog '{base}' (one of: {', '.join(library.catalogs)})", key="--from")
        copied = library.catalogs[base]
        # the KPIs and terms copied come with the kinds the base's clauses are written for (backup cites availability)
        kinds = [*kinds, *(kind for kind in copied.declared.kinds if kind not in kinds)]
        return _copied(library, name, kinds, copied)
    special = [kind for kind in kinds if kind not in GENERIC]
    if special:
        having = [c.id for c in library.catalogs.values() if set(special) <= set(c.declared.kinds)]
        hint = f"start from one with --from ({', '.join(having)})" if having else "no catalog of the library has it"
        raise InputError.single(
            f"the clauses for {', '.join(special)} read KPIs and tier terms of their own: {hint}", key="--kind"
        )
    return _generic(library, name, kinds)


def _header(name: str, kinds: list[str], remedies: list[str]) -> list[str]:
    return [
        f"# Service catalog '{name}'. Every line is yours to change; `slagen lint` checks the file, and",
        "# docs/catalogs.md explains each key. Wording per language: name, description, and per KPI",
        "# name, period, formula, source; {provider} and {customer} become the agreement's terms.",
        f"catalog: {name}",
        f"kinds: {_flow(kinds)}  # what legal's clauses are written for: {', '.join(KINDS)}",
        f"remedies: {_flow(remedies)}  # service_credits, lump_sum_damages or escalation",
    ]


def _generic(library: Library, name: str, kinds: list[str]) -> str:
    words = {lang: _words(library, lang) for lang in library.languages}
    kpis = {kpi_id: spec for kind in kinds for kpi_id, spec in GENERIC[kind].items()}
    credited = "availability" in kpis
    lines = _header(name, kinds, ["service_credits"] if credited else ["escalation"])
    lines.append("text:")
    for lang in library.languages:
        lines.append(f"  {lang}:")
        lines.append(f"    name: {_flow(words[lang]['name'])}")
        lines.append(f"    description: {_flow(words[lang]['description'])}")
    if credited:
        lines.append("credits: availability  # the Service Level whose monthly value earns service credits")
        lines.append("credit_base: monthly_fee  # or monthly_recurring_charge")
    lines.append("kpis:")
    for kpi_id, spec in kpis.items():
        lines.append(f"  {kpi_id}:")
        lines += [f"    {key}: {_flow(value)}" for key, value in spec.items() if key != "targets"]
        lines.append("    text:")
        for lang in library.languages:
            lines.append(f"      {lang}:")
            lines += [f"        {part}: {_flow(text)}" for part, text in words[lang]["kpis"][kpi_id].items()]
    lines.append("tiers:")
    for rank, (tier_id, tier_name) in enumerate(TIERS, start=1):
        lines += [f"  {tier_id}:", f"    name: {tier_name}", f"    rank: {rank}"]
        targets = {kpi_id: spec["targets"][rank - 1] for kpi_id, spec in kpis.items()}
        lines.append(f"    targets: {_flow(targets)}")
        if credited:
            lines.append(f"    credits: {_flow(CREDITS[rank - 1])}")
    return "\n".join(lines) + "\n"


def _words(library: Library, lang: str) -> dict[str, Any]:
    path = library.root / "templates" / lang / SCAFFOLD_FILE
    if not path.is_file():
        raise InputError.single(f"the library has no {SCAFFOLD_FILE} for '{lang}': start from a catalog with --from")
    data = load_yaml(path, display=f"templates/{lang}/{SCAFFOLD_FILE}").data
    return dict(data) if isinstance(data, dict) else {}


def _copied(library: Library, name: str, kinds: list[str], base: Catalog) -> str:
    """The catalog file of ``base`` under a new id and kinds (its KPIs, terms and tiers to change)."""
    path = library.root / "tiers" / f"{base.id}.yaml"
    data = dict(load_yaml(path, display=f"tiers/{base.id}.yaml").data or {})
    data.pop("catalog", None)
    data.pop("kinds", None)
    remedies = list(data.pop("remedies", None) or base.declared.remedies)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    lines = _header(name, kinds, remedies)
    lines.insert(1, f"# Copied from catalog '{base.id}': its KPIs, tier terms, tiers and credits, to change.")
    return "\n".join(lines) + "\n" + body
