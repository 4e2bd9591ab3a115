"""Service catalogs and their tiers: the KPIs a kind of service has, and the standard offerings.

Takes a library's ``tiers/<catalog>.yaml`` files (and ``tiers/<catalog>/<tier>.yaml`` tier files)
and the answers' declarations, and gives :class:`Catalog` records, every tier's targets, terms and
credits typed and checked (:mod:`slagen.tiers` checks that higher tiers promise no less).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from slagen.arithmetic import CreditScheme
from slagen.catalogfacts import Declarations, parse_declarations
from slagen.claim import CREDIT_PERIODS
from slagen.errors import Problem
from slagen.libfiles import need, read_file
from slagen.measure_conditions import unknown_references
from slagen.measure_def import MeasureDef, parse_measure
from slagen.params import Duration, Param, ParamError, coerce_value, parse_param
from slagen.tierfields import tier_credits, tier_terms
from slagen.tiers import check_tiers
from slagen.yamlsource import YamlSource

KPI_UNITS = {
    "count": "integer",
    "percent": "percent",
    "duration": "duration",
    "ppm": "ppm",
    "working_days": "working_days",
}
KPI_DIRECTIONS = ("at_least", "at_most")
KPI_ROLES = ("service_level", "measure")
"""A Service Level is owed and counts for credits and chronic failure; a measure only feeds one (``feeds``)."""
KPI_BASES = ("month", "week", "campaign", "event")
"""Over what a KPI is measured (``per``): a calendar month, a calendar week, a campaign, or each single event."""
KPI_WORDING = ("name", "period", "formula", "source")
"""What every KPI says in each language; ``name`` is needed to render, the rest is checked by rules and lint."""


class Kpi(Struct, frozen=True):
    """A measurable indicator of a catalog (a Service Level or a measure feeding one), with its wording per language."""

    id: str
    unit: str
    direction: str
    text: dict[str, dict[str, str]]
    group: str = ""
    """Clause that shows this KPI (e.g. ``incidents``); KPIs without a group form the service-level table."""
    bounded_by: str = ""
    """Another KPI whose target this one's may not exceed (a response time within its restore time)."""
    requires: str = ""
    """A yes/no answer that must be true when this KPI's target is above zero (reviewing recordings needs them)."""
    per: str = "month"
    """Over what it is measured (:data:`KPI_BASES`); a per-event target is a measure, never a Service Level."""
    role: str = "service_level"
    """``service_level`` (owed; credits and chronic failure count it) or ``measure`` (it feeds a Service Level)."""
    feeds: str = ""
    """The Service Level (an attainment rate) this measure feeds: each event counts as met or missed in it."""
    measure: MeasureDef | None = None
    """How it is measured (:mod:`slagen.measure_def`); a Service Level without one is a lint finding."""

    def missing_wording(self, language: str) -> list[str]:
        """The parts of :data:`KPI_WORDING` this KPI does not say in ``language``."""
        text = self.text.get(language) or {}
        return [part for part in KPI_WORDING if not str(text.get(part) or "").strip()]

    def coerce(self, value: Any) -> Any:
        """Type a target for this KPI (count, percent or duration); a percentage is at most 100."""
        maximum = Decimal(100) if self.unit == "percent" else None
        return coerce_value(Param(self.id, KPI_UNITS[self.unit], minimum=Decimal(0), maximum=maximum), value)

    def better(self, a: Any, b: Any) -> bool:
        """Whether target ``a`` promises more to the customer than target ``b``."""
        key_a, key_b = _measure(a), _measure(b)
        return key_a > key_b if self.direction == "at_least" else key_a < key_b


class Tier(Struct, frozen=True):
    """A standard offering of a catalog: a target for every KPI."""

    id: str
    name: str
    rank: int
    targets: dict[str, Any]
    terms: dict[str, Any] = field(default_factory=dict)
    """The catalog's other tier attributes (service hours, maintenance …), typed by their declarations."""
    credits: CreditScheme | None = None
    """Service-credit bands and cap, when the catalog has a credit KPI."""
    source: str = ""
    """The library file the tier is written in (the catalog's, or a tier file of its own)."""


class Catalog(Struct, frozen=True):
    """A kind of service (which KPIs it has) and its standard tiers."""

    id: str
    text: dict[str, dict[str, Any]]
    kpis: dict[str, Kpi]
    tiers: dict[str, Tier]
    terms: dict[str, Param] = field(default_factory=dict)
    """Declarations of the tier attributes besides KPI targets, written like clause parameters."""
    credit_kpi: str = ""
    """The KPI whose measured value earns service credits (``availability``); empty: no credits."""
    declared: Declarations = field(default_factory=Declarations)
    """Kinds of service, remedies and the base of credits (:mod:`slagen.catalogfacts`)."""
    problems: tuple[Problem, ...] = ()
    """Problems of its tier files: the catalog cannot be used until they are fixed; other catalogs can."""


def _measure(value: Any) -> Decimal:
    return value.seconds if isinstance(value, Duration) else Decimal(value)


def load_catalogs(
    root: Path, params: dict[str, Param], languages: tuple[str, ...], problems: list[Problem], hasher: Any
) -> dict[str, Catalog]:
    """Every catalog of the library at ``root`` by id, with its tier files; problems are added to ``problems``.

    A problem of a tier file of its own (``tiers/<catalog>/<tier>.yaml``) stays with its catalog
    (:attr:`Catalog.problems`): it stops what uses that catalog, not the whole library.
    """
    catalogs: dict[str, Catalog] = {}
    for path in sorted((root / "tiers").glob("*.yaml")):
        source = read_file(path, root, problems, hasher)
        if source is not None:
            catalog = _parse_catalog(source, params, languages, problems)
            if catalog is not None:
                own: list[Problem] = []
                catalog = _add_tier_files(root, catalog, languages, own, hasher)
                for problem in check_tiers(catalog, source.path):
                    (problems if problem.file == source.path else own).append(problem)
                catalogs[catalog.id] = replace(catalog, problems=tuple(own)) if own else catalog
    return catalogs


def _add_tier_files(
    root: Path, catalog: Catalog, languages: tuple[str, ...], problems: list[Problem], hasher: Any
) -> Catalog:
    """Tiers kept in files of their own, ``tiers/<catalog>/<tier>.yaml`` (as ``slagen tiers new`` writes them)."""
    tiers = dict(catalog.tiers)
    for path in sorted((root / "tiers" / catalog.id).glob("*.yaml")):
        before = len(problems)
        source = read_file(path, root, problems, hasher)
        if source is None:
            continue
        tier_id = path.stem
        if tier_id in tiers:
            problems.append(Problem(f"catalog '{catalog.id}' already has a tier '{tier_id}'", source.path, 1))
            continue
        # the tier's own file reads as the catalog's `tiers.<id>` entry would
        nested = YamlSource(
            source.path,
            {"tiers": {tier_id: source.data}},
            {("tiers", tier_id, *key): line for key, line in source.lines.items()},
            source.text,
        )
        tier = _parse_tier(
            nested, tier_id, source.data, catalog.kpis, catalog.terms, catalog.credit_kpi, languages, problems
        )
        if tier is not None and len(problems) == before:
            tiers[tier_id] = tier
    return replace(catalog, tiers=tiers) if len(tiers) != len(catalog.tiers) else catalog


_CATALOG_FIELDS = ("catalog", "kinds", "text", "remedies", "credits", "credit_base", "terms", "kpis", "tiers")
_KPI_FIELDS = ("unit", "direction", "text", "group", "bounded_by", "requires", "per", "role", "feeds", "measure")
_TIER_FIELDS = ("name", "rank", "targets", "terms", "credits")
_RESERVED_TERMS = ("id", "name", "rank", "targets", "credits", "chosen")
"""Names a tier term may not take: templates see the terms beside these in ``tier``."""


def _check_windows(source: YamlSource, kpis: dict[str, Kpi], terms: dict[str, Param], problems: list[Problem]) -> None:
    """Every choice of the tier term naming the maintenance window has its window in the definition.

    The maintenance clause words each window from there, and the report computes with it.
    """
    for kpi in kpis.values():
        maintenance = kpi.measure.param("maintenance") if kpi.measure is not None else None
        if maintenance is None:
            continue
        for part, name in (("window", maintenance.window_term), ("limit", maintenance.limit_term)):
            if name and name not in terms:  # the maintenance clause and the report read the tier term by this name
                at = ("kpis", kpi.id, "measure", "maintenance", part)
                problems.append(
                    Problem(f"no tier term '{name}' in this catalog", source.path, source.line_of(at), ".".join(at))
                )
        term = terms.get(maintenance.window_term)
        if term is None:
            continue
        missing = [choice for choice in term.choices if choice not in maintenance.windows]
        if missing:
            at = ("kpis", kpi.id, "measure", "maintenance", "windows")
            message = f"no window for {', '.join(missing)} (choices of the tier term '{maintenance.window_term}')"
            problems.append(Problem(message, source.path, source.line_of(at), ".".join(at)))


def _unknown_fields(
    source: YamlSource, where: tuple[str, ...], spec: dict[str, Any], allowed: tuple[str, ...], problems: list[Problem]
) -> None:
    for key in spec:
        if key not in allowed:
            path = (*where, str(key))
            message = f"unknown field (allowed: {', '.join(allowed)})"
            problems.append(Problem(message, source.path, source.line_of(path), ".".join(path)))


def _parse_catalog(
    source: YamlSource, params: dict[str, Param], languages: tuple[str, ...], problems: list[Problem]
) -> Catalog | None:
    before = len(problems)
    _unknown_fields(source, (), source.data, _CATALOG_FIELDS, problems)
    catalog_id = need(source, problems, ("catalog",), str, "a catalog id")
    text = need(source, problems, ("text",), dict, "the catalog's wording per language")
    for lang in languages if text is not None else ():
        if not isinstance(text.get(lang), dict) or not text[lang].get("name"):
            message = f"wording for '{lang}' (name) is missing"
            problems.append(Problem(message, source.path, source.line_of(("text",)), f"text.{lang}"))
    kpis: dict[str, Kpi] = {}
    for kpi_id, spec in (need(source, problems, ("kpis",), dict, "a mapping of KPIs") or {}).items():
        kpi = _parse_kpi(source, str(kpi_id), spec, params, languages, problems)
        if kpi is not None:
            kpis[kpi.id] = kpi
    for kpi in list(kpis.values()):
        bound = kpis.get(kpi.bounded_by)
        if kpi.bounded_by and (bound is None or bound.unit != kpi.unit):
            at = ("kpis", kpi.id, "bounded_by")
            message = f"'{kpi.bounded_by}' is not a KPI of this catalog with the same unit ({kpi.unit})"
            problems.append(Problem(message, source.path, source.line_of(at), ".".join(at)))
            kpis[kpi.id] = replace(kpi, bounded_by="")
    _check_feeds(source, kpis, problems)
    terms: dict[str, Param] = {}
    for name, spec in (source.data.get("terms") or {}).items():
        where = ("terms", str(name))
        try:
            if name in _RESERVED_TERMS:
                raise ValueError(f"'{name}' is reserved (templates see tier.{name}); choose another name")
            terms[str(name)] = parse_param(str(name), spec, source.path, languages=languages)
        except ValueError as exc:
            problems.append(Problem(str(exc), source.path, source.line_of(where), ".".join(where)))
    problems.extend(unknown_references(source, kpis, terms))
    credit_kpi = str(source.data.get("credits") or "")
    if credit_kpi:
        kpi = kpis.get(credit_kpi)
        if kpi is None or kpi.direction != "at_least" or kpi.unit == "duration" or kpi.role != "service_level":
            message = (
                f"'{credit_kpi}' is not a Service Level of this catalog measured as a count or percentage, at least"
            )
            problems.append(Problem(message, source.path, source.line_of(("credits",)), "credits"))
            credit_kpi = ""
        elif kpi.measure is not None and kpi.measure.period not in CREDIT_PERIODS:
            message = (
                f"'{credit_kpi}' is measured per {kpi.measure.period}, but credits are shares of a month's fee: "
                f"the KPI that earns them must be measured per {' or '.join(CREDIT_PERIODS)}"
            )
            problems.append(Problem(message, source.path, source.line_of(("credits",)), "credits"))
            credit_kpi = ""
    _check_windows(source, kpis, terms, problems)
    declared = parse_declarations(source, str(source.data.get("credits") or ""), problems)
    tiers: dict[str, Tier] = {}
    for tier_id, spec in (need(source, problems, ("tiers",), dict, "a mapping of tiers") or {}).items():
        tier = _parse_tier(source, str(tier_id), spec, kpis, terms, credit_kpi, languages, problems)
        if tier is not None:
            tiers[tier.id] = tier
    if len(problems) > before:
        return None
    return Catalog(catalog_id, text, kpis, tiers, terms, credit_kpi, declared)


def _parse_kpi(
    source: YamlSource,
    kpi_id: str,
    spec: Any,
    params: dict[str, Param],
    languages: tuple[str, ...],
    problems: list[Problem],
) -> Kpi | None:
    where = ("kpis", kpi_id)
    line = source.line_of(where)
    if not isinstance(spec, dict):
        problems.append(Problem("expected a mapping", source.path, line, ".".join(where)))
        return None
    _unknown_fields(source, where, spec, _KPI_FIELDS, problems)
    unit, direction = spec.get("unit"), spec.get("direction")
    if unit not in KPI_UNITS:
        problems.append(
            Problem(f"unit must be one of {', '.join(KPI_UNITS)}", source.path, line, f"kpis.{kpi_id}.unit")
        )
    if direction not in KPI_DIRECTIONS:
        message = f"direction must be one of {', '.join(KPI_DIRECTIONS)}"
        problems.append(Problem(message, source.path, line, f"kpis.{kpi_id}.direction"))
    wording = spec.get("text") or {}
    for lang in languages:
        if not isinstance(wording.get(lang), dict) or not wording[lang].get("name"):
            message = f"wording for '{lang}' ({', '.join(KPI_WORDING)}) is missing"
            problems.append(Problem(message, source.path, line, f"kpis.{kpi_id}.text.{lang}"))
    requires = str(spec.get("requires") or "")
    if requires and (requires not in params or params[requires].type != "boolean"):
        message = f"'{requires}' is not a yes/no answer declared by a clause"
        problems.append(Problem(message, source.path, source.line_of((*where, "requires")), f"kpis.{kpi_id}.requires"))
    group, bounded_by = str(spec.get("group") or ""), str(spec.get("bounded_by") or "")
    per = str(spec.get("per") or "month")
    role = str(spec.get("role") or ("measure" if per == "event" else "service_level"))
    for name, value, allowed in (("per", per, KPI_BASES), ("role", role, KPI_ROLES)):
        if value not in allowed:
            at = f"kpis.{kpi_id}.{name}"
            problems.append(Problem(f"{name} must be one of {', '.join(allowed)}", source.path, line, at))
    feeds = str(spec.get("feeds") or "")
    measure = parse_measure(source, (*where, "measure"), spec.get("measure"), problems)
    return Kpi(kpi_id, str(unit), str(direction), wording, group, bounded_by, requires, per, role, feeds, measure)


def _check_feeds(source: YamlSource, kpis: dict[str, Kpi], problems: list[Problem]) -> None:
    """A measure feeds a Service Level of the catalog that is a rate (percent, at least); a Service Level feeds none."""
    for kpi in kpis.values():
        if not kpi.feeds:
            continue
        at = ("kpis", kpi.id, "feeds")
        fed = kpis.get(kpi.feeds)
        if kpi.role != "measure":
            message = "only a measure feeds a Service Level (role: measure)"
        elif fed is None or fed.role != "service_level" or fed.unit != "percent" or fed.direction != "at_least":
            message = f"'{kpi.feeds}' is not a Service Level of this catalog measured as a rate (percent, at least)"
        else:
            continue
        problems.append(Problem(message, source.path, source.line_of(at), ".".join(at)))


def _parse_tier(
    source: YamlSource,
    tier_id: str,
    spec: Any,
    kpis: dict[str, Kpi],
    terms: dict[str, Param],
    credit_kpi: str,
    languages: tuple[str, ...],
    problems: list[Problem],
) -> Tier | None:
    where = ("tiers", tier_id)
    if not isinstance(spec, dict) or not isinstance(spec.get("targets"), dict):
        problems.append(
            Problem("a tier needs name, rank and targets", source.path, source.line_of(where), ".".join(where))
        )
        return None
    _unknown_fields(source, where, spec, _TIER_FIELDS, problems)
    targets: dict[str, Any] = {}
    for kpi_id in kpis:
        if kpi_id not in spec["targets"]:
            problems.append(
                Problem(
                    f"no target for KPI '{kpi_id}'",
                    source.path,
                    source.line_of((*where, "targets")),
                    f"tiers.{tier_id}.targets",
                )
            )
    for kpi_id, value in spec["targets"].items():
        key = (*where, "targets", kpi_id)
        if kpi_id not in kpis:
            problems.append(Problem("not a KPI of this catalog", source.path, source.line_of(key), ".".join(key)))
            continue
        try:
            targets[kpi_id] = kpis[kpi_id].coerce(value)
        except ParamError as exc:
            problems.append(Problem(str(exc), source.path, source.line_of(key), ".".join(key)))
    for kpi_id, message in check_bounds(kpis, targets):
        key = (*where, "targets", kpi_id)
        problems.append(Problem(message, source.path, source.line_of(key), ".".join(key)))
    values = tier_terms(source, where, spec.get("terms") or {}, terms, languages, problems)
    credits = None
    if credit_kpi:
        credits = tier_credits(source, where, spec.get("credits"), targets.get(credit_kpi), kpis[credit_kpi], problems)
    elif "credits" in spec and not source.data.get("credits"):
        message = "the catalog has no credit KPI (catalog field 'credits')"
        problems.append(Problem(message, source.path, source.line_of((*where, "credits")), f"tiers.{tier_id}.credits"))
    name, rank = str(spec.get("name", tier_id)), int(spec.get("rank", 0))
    return Tier(tier_id, name, rank, targets, values, credits, source.path)


def agreed_targets(tier: Tier, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The target of every KPI: the tier's, or the override agreed for it."""
    return {**tier.targets, **(overrides or {})}


def check_bounds(kpis: dict[str, Kpi], targets: dict[str, Any]) -> list[tuple[str, str]]:
    """KPIs whose target exceeds the target of the KPI that bounds it (``bounded_by``), with a message."""
    found = []
    for kpi in kpis.values():
        if kpi.bounded_by and kpi.id in targets and kpi.bounded_by in targets:
            target, bound = targets[kpi.id], targets[kpi.bounded_by]
            if _measure(target) > _measure(bound):
                found.append((kpi.id, f"{target} exceeds the target of '{kpi.bounded_by}' ({bound})"))
    return found
