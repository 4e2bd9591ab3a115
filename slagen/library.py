"""Load the clause library: clause records, templates, labels, service catalogs and tiers.

Takes a library directory (the bundled one, or ``--library DIR``) and gives a
:class:`Library`: everything parsed, checked and indexed once per process, so that
each document only renders. Problems in library files are reported together, with
file, line and key, as a :class:`~slagen.errors.LibraryError`.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from slagen.errors import LibraryError, Problem
from slagen.params import LANGUAGES, Duration, Param, ParamError, coerce_value, parse_param
from slagen.yamlsource import YamlSource, load_yaml

TEMPLATE_SUFFIX = ".md.j2"
FRONT_SECTION = "front"
"""Section of the unnumbered front matter (title block and parties), rendered before section 1."""
KPI_UNITS = {"count": "integer", "percent": "percent", "duration": "duration"}
KPI_DIRECTIONS = ("at_least", "at_most")


@dataclass(frozen=True, slots=True)
class Clause:
    """A language-neutral clause record; its wording is ``templates/<lang>/<section>/<name>.md.j2``."""

    id: str
    version: int
    section: str
    order: int
    when: str | None
    params: tuple[Param, ...]
    requires: tuple[str, ...]
    review: str
    path: str
    applies_when: str = ""

    @property
    def template_name(self) -> str:
        """Template path relative to a language directory."""
        return self.id.replace(".", "/") + TEMPLATE_SUFFIX


@dataclass(frozen=True, slots=True)
class Kpi:
    """A measurable service level of a catalog, with its wording per language."""

    id: str
    unit: str
    direction: str
    text: dict[str, dict[str, str]]

    def coerce(self, value: Any) -> Any:
        """Type a target for this KPI (count, percent or duration)."""
        return coerce_value(Param(self.id, KPI_UNITS[self.unit], minimum=Decimal(0)), value)

    def better(self, a: Any, b: Any) -> bool:
        """Whether target ``a`` promises more to the customer than target ``b``."""
        key_a, key_b = _measure(a), _measure(b)
        return key_a > key_b if self.direction == "at_least" else key_a < key_b


@dataclass(frozen=True, slots=True)
class Tier:
    """A standard offering of a catalog: a target for every KPI."""

    id: str
    name: str
    rank: int
    targets: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Catalog:
    """A kind of service (which KPIs it has) and its standard tiers."""

    id: str
    text: dict[str, dict[str, Any]]
    kpis: dict[str, Kpi]
    tiers: dict[str, Tier]


@dataclass(slots=True)
class Library:
    """Everything the pipeline reads from the library, parsed once."""

    root: Path
    version: str
    sections: tuple[str, ...]
    clauses: tuple[Clause, ...]
    params: dict[str, Param]
    catalogs: dict[str, Catalog]
    labels: dict[str, dict[str, Any]]
    digest: str
    cache: dict[str, Any] = field(default_factory=dict)
    """Per-process memo of derived objects (the Jinja environment, compiled conditions)."""

    @property
    def template_root(self) -> Path:
        """Directory holding ``de/``, ``en/`` with the wording."""
        return self.root / "templates"


def _measure(value: Any) -> Decimal:
    return value.seconds if isinstance(value, Duration) else Decimal(value)


def default_library_path() -> Path:
    """The bundled library: inside the installed package, or the checkout's top level."""
    packaged = Path(__file__).parent / "_library"
    if (packaged / "clauses").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def load_library(root: Path | None = None) -> Library:
    """Read and check the library at ``root`` (default: the bundled one); parsed once per process."""
    return _load_library((root or default_library_path()).resolve())


@functools.lru_cache(maxsize=8)
def _load_library(root: Path) -> Library:
    if not (root / "clauses").is_dir():
        raise LibraryError.single("not a slagen library (no clauses/ directory)", file=root)
    problems: list[Problem] = []
    hasher = hashlib.sha256()
    sections, version = _load_sections(root, problems, hasher)
    clauses, params = _load_clauses(root, sections, problems, hasher)
    catalogs = _load_catalogs(root, problems, hasher)
    labels = _load_labels(root, problems, hasher)
    _check_templates(root, clauses, problems, hasher)
    if problems:
        raise LibraryError(problems)
    return Library(root, version, sections, clauses, params, catalogs, labels, hasher.hexdigest()[:16])


def _read(path: Path, root: Path, problems: list[Problem], hasher: Any) -> YamlSource | None:
    try:
        source = load_yaml(path, display=str(path.relative_to(root)))
    except LibraryError as exc:
        problems.extend(exc.problems)
        return None
    except Exception as exc:  # noqa: BLE001 - any parse failure becomes a finding with its file
        problems.extend(getattr(exc, "problems", [Problem(str(exc), str(path))]))
        return None
    hasher.update(str(path.relative_to(root)).encode() + path.read_bytes())
    if not isinstance(source.data, dict):
        problems.append(Problem("expected a mapping at the top level", source.path, 1))
        return None
    return source


def _need(source: YamlSource, problems: list[Problem], path: tuple[str, ...], kind: type, what: str) -> Any:
    node: Any = source.data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, kind) or (kind is str and not node):
        problems.append(Problem(f"{what} is required", source.path, source.line_of(path), ".".join(path)))
        return None
    return node


def _load_sections(root: Path, problems: list[Problem], hasher: Any) -> tuple[tuple[str, ...], str]:
    source = _read(root / "clauses" / "sections.yaml", root, problems, hasher)
    if source is None:
        return (), ""
    ids = _need(source, problems, ("sections",), list, "a list of section ids")
    version = _need(source, problems, ("version",), str, "the library's version (a string)")
    return tuple(str(s) for s in ids or ()), str(version or "")


def _load_clauses(
    root: Path, sections: tuple[str, ...], problems: list[Problem], hasher: Any
) -> tuple[tuple[Clause, ...], dict[str, Param]]:
    clauses: list[Clause] = []
    params: dict[str, Param] = {}
    for path in sorted((root / "clauses").rglob("*.yaml")):
        if path.name == "sections.yaml":
            continue
        source = _read(path, root, problems, hasher)
        if source is None:
            continue
        clause = _parse_clause(source, sections, problems)
        if clause is None:
            continue
        expected = path.relative_to(root / "clauses").with_suffix("").as_posix().replace("/", ".")
        if clause.id != expected:
            problems.append(Problem(f"id '{clause.id}' must match the file name ('{expected}')", source.path, 1, "id"))
        clauses.append(clause)
        for param in clause.params:
            earlier = params.get(param.key)
            if earlier is not None and _signature(earlier) != _signature(param):
                problems.append(
                    Problem(
                        f"declared differently in {earlier.declared_in}; declare a parameter once",
                        source.path,
                        source.line_of(("params", param.key)),
                        f"params.{param.key}",
                    )
                )
            params.setdefault(param.key, param)
    order = {s: i for i, s in enumerate(sections)}
    order[FRONT_SECTION] = -1
    clauses.sort(key=lambda c: (order.get(c.section, len(order)), c.order, c.id))
    in_document_order = {p.key: params[p.key] for clause in clauses for p in clause.params}
    return tuple(clauses), in_document_order


def _signature(param: Param) -> tuple[Any, ...]:
    return (param.type, param.default, param.required, param.minimum, param.maximum, param.choices, param.unit)


def _parse_clause(source: YamlSource, sections: tuple[str, ...], problems: list[Problem]) -> Clause | None:
    data = source.data
    before = len(problems)
    allowed = {"id", "version", "section", "order", "when", "applies_when", "params", "requires", "review"}
    for key in sorted(set(data) - allowed):
        problems.append(
            Problem(f"unknown field (allowed: {', '.join(sorted(allowed))})", source.path, source.line_of((key,)), key)
        )
    clause_id = _need(source, problems, ("id",), str, "a clause id")
    version = _need(source, problems, ("version",), int, "a version number")
    section = _need(source, problems, ("section",), str, "a section")
    if section and section not in (FRONT_SECTION, *sections):
        problems.append(Problem(f"unknown section '{section}'", source.path, source.line_of(("section",)), "section"))
    declared: list[Param] = []
    for key, spec in (data.get("params") or {}).items():
        try:
            declared.append(parse_param(key, spec, source.path))
        except ValueError as exc:
            problems.append(Problem(str(exc), source.path, source.line_of(("params", key)), f"params.{key}"))
    if len(problems) > before:
        return None
    return Clause(
        id=clause_id,
        version=version,
        section=section,
        order=int(data.get("order", 0)),
        when=data.get("when"),
        params=tuple(declared),
        requires=tuple(data.get("requires") or ()),
        review=str(data.get("review", "")),
        path=source.path,
        applies_when=str(data.get("applies_when", "")),
    )


def _load_catalogs(root: Path, problems: list[Problem], hasher: Any) -> dict[str, Catalog]:
    catalogs: dict[str, Catalog] = {}
    for path in sorted((root / "tiers").glob("*.yaml")):
        source = _read(path, root, problems, hasher)
        if source is not None:
            catalog = _parse_catalog(source, problems)
            if catalog is not None:
                catalogs[catalog.id] = catalog
    return catalogs


def _parse_catalog(source: YamlSource, problems: list[Problem]) -> Catalog | None:
    before = len(problems)
    catalog_id = _need(source, problems, ("catalog",), str, "a catalog id")
    text = _need(source, problems, ("text",), dict, "the catalog's wording per language")
    kpis: dict[str, Kpi] = {}
    for kpi_id, spec in (_need(source, problems, ("kpis",), dict, "a mapping of KPIs") or {}).items():
        where = ("kpis", kpi_id)
        line = source.line_of(where)
        if not isinstance(spec, dict):
            problems.append(Problem("expected a mapping", source.path, line, ".".join(where)))
            continue
        unit, direction = spec.get("unit"), spec.get("direction")
        if unit not in KPI_UNITS:
            problems.append(
                Problem(f"unit must be one of {', '.join(KPI_UNITS)}", source.path, line, f"kpis.{kpi_id}.unit")
            )
        if direction not in KPI_DIRECTIONS:
            problems.append(
                Problem(
                    f"direction must be one of {', '.join(KPI_DIRECTIONS)}",
                    source.path,
                    line,
                    f"kpis.{kpi_id}.direction",
                )
            )
        wording = spec.get("text") or {}
        for lang in LANGUAGES:
            if not isinstance(wording.get(lang), dict) or not wording[lang].get("name"):
                problems.append(
                    Problem(
                        f"wording for '{lang}' (name, period, formula) is missing",
                        source.path,
                        line,
                        f"kpis.{kpi_id}.text.{lang}",
                    )
                )
        kpis[kpi_id] = Kpi(kpi_id, str(unit), str(direction), wording)
    tiers: dict[str, Tier] = {}
    for tier_id, spec in (_need(source, problems, ("tiers",), dict, "a mapping of tiers") or {}).items():
        tier = _parse_tier(source, tier_id, spec, kpis, problems)
        if tier is not None:
            tiers[tier_id] = tier
    if len(problems) > before:
        return None
    return Catalog(catalog_id, text, kpis, tiers)


def _parse_tier(
    source: YamlSource, tier_id: str, spec: Any, kpis: dict[str, Kpi], problems: list[Problem]
) -> Tier | None:
    where = ("tiers", tier_id)
    if not isinstance(spec, dict) or not isinstance(spec.get("targets"), dict):
        problems.append(
            Problem("a tier needs name, rank and targets", source.path, source.line_of(where), ".".join(where))
        )
        return None
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
    return Tier(tier_id, str(spec.get("name", tier_id)), int(spec.get("rank", 0)), targets)


def _load_labels(root: Path, problems: list[Problem], hasher: Any) -> dict[str, dict[str, Any]]:
    labels: dict[str, dict[str, Any]] = {}
    for lang in LANGUAGES:
        source = _read(root / "templates" / lang / "labels.yaml", root, problems, hasher)
        if source is not None:
            _need(source, problems, ("locale",), str, "a Babel locale")
            labels[lang] = source.data
    return labels


def _check_templates(root: Path, clauses: tuple[Clause, ...], problems: list[Problem], hasher: Any) -> None:
    for lang in LANGUAGES:
        for clause in clauses:
            name = f"templates/{lang}/{clause.template_name}"
            path = root / name
            if path.is_file():
                hasher.update(name.encode() + path.read_bytes())
            else:
                problems.append(Problem(f"clause '{clause.id}' has no '{lang}' wording", name))
    if not any(clause.section == FRONT_SECTION for clause in clauses):
        problems.append(Problem(f"no clause of section '{FRONT_SECTION}' (the title block and parties)", "clauses/"))
