"""Check a clause library as its writers need: ``slagen lint [--library DIR]``.

Takes a library directory and gives findings, each with file, line and rule:

- ``languages``: every clause has its wording in every language (each ``templates/<lang>/`` with a ``labels.yaml``),
  every template belongs to a clause, and the languages' labels have the same section titles and defined terms;
- ``versions``: every clause record has a version (a whole number from 1);
- ``library``: anything else that stops the library from loading;
- ``conditions``: every ``when`` condition parses;
- ``variables``: every variable a template reads is a declared answer (or a group of them), a label of its
  language, a KPI, a tier term, a value derived from answers or one of the values slagen gives every template;
- ``parameters``: every declared parameter is read by a template, a condition (or a value derived from it) or slagen;
- ``terms``: every defined term is defined by exactly one clause and used, every term named in a template is one the
  labels define, and a kind's wording (``kinds.<kind>`` in labels.yaml) rewords only labels and kinds that exist;
- ``kpis``: every KPI of every catalog has name, period, formula and source in every language;
- ``service-levels``: no per-event target is a Service Level (one late call, incident or complaint would be a
  failure of its own and count towards termination), and every measure feeds one.
- ``questions``: every declared answer has its question in each language (:mod:`slagen.lintquestions`).
- ``references``: citations of a clause only where it is included (:mod:`slagen.lintrefs`).
- ``review``: every review note is given per law and language, none "[unverified]" (:mod:`slagen.lintnotes`).

Templates are parsed with Jinja's own parser (never rendered), so the checks are static: a variable built at run
time (``level[p ~ '_response']``) is checked as far as it is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from msgspec import Struct, field
from msgspec.structs import replace

from slagen import derived
from slagen.catalogs import KPI_WORDING
from slagen.context import CONTEXT_NAMES, CREDITS_FIELDS, LABEL_OVERRIDES, LEVEL_FIELDS
from slagen.errors import LibraryError, Problem
from slagen.library import FRONT_SECTION, TEMPLATE_SUFFIX, Clause, Library, library_languages, load_library
from slagen.lintcatalogs import catalog_read_problem, check_catalogs
from slagen.lintnotes import check_notes
from slagen.lintquestions import check_questions
from slagen.lintrefs import check_references
from slagen.names import Chain, aliases, chains, extend, term_calls
from slagen.sandbox import RESERVED_GLOBALS, make_environment
from slagen.select import answer_problem, answer_reached, line_of_when
from slagen.yamlsource import load_yaml

READ_BY_SLAGEN = frozenset(
    {
        "slagen",
        "languages",
        "agreement.model",
        "agreement.drafted_by",
        "agreement.title",
        "agreement.reference",
        "agreement.version",
        "agreement.effective_date",
        "service.catalog",
        "service.tier",
        "service.offered_tiers",
        "service.overrides",
        "credits.scheme",
    }
)
"""Answers the program itself reads (answers, resolve, the render frame), not only templates."""


class Finding(Struct, frozen=True, order=True):
    """One thing a clause writer should fix."""

    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.rule}: {self.message}"


def lint_library(root: Path) -> list[Finding]:
    """Every finding in the library at ``root``, sorted by file and line."""
    root = root.resolve()
    found = _check_files(root)
    try:
        library = load_library(root)
    except LibraryError as exc:
        found += [_library_finding(p, root) for p in exc.problems if not _checked_already(p)]
        return sorted(set(found))
    # a broken tier file stops only its catalog
    found += [_library_finding(p, root) for catalog in library.catalogs.values() for p in catalog.problems]
    found += _check_conditions(library)
    found += _Templates(library).check()
    found += _check_kpis(library)
    for rule, check in (("review", check_notes), ("questions", check_questions), ("catalogs", check_catalogs)):
        found += [Finding(file, line, rule, message) for file, line, message in check(library)]
    found += [Finding(file, line, "references", message) for file, line, message in check_references(library)]
    return sorted(set(found))


def _library_finding(problem: Problem, root: Path) -> Finding:
    message = problem.message if not problem.key else f"{problem.key}: {problem.message}"
    return Finding(problem.file or str(root), problem.line or 0, "library", message)


def _checked_already(problem: Problem) -> bool:
    """Whether :func:`_check_files` reports ``problem`` under its own rule (a missing translation or version)."""
    return problem.key == "version" or problem.message.endswith("wording")


def _check_files(root: Path) -> list[Finding]:
    """Versions and translations, from the files alone (so that they are found even if the library does not load)."""
    found: list[Finding] = []
    clauses = root / "clauses"
    languages = library_languages(root)
    expected: set[str] = set()
    for path in sorted(clauses.rglob("*.yaml")) if clauses.is_dir() else ():
        if path.name == "sections.yaml":
            continue
        name = path.relative_to(root).as_posix()
        try:
            source = load_yaml(path, display=name)
        except LibraryError:
            continue  # the library check reports it
        data = source.data if isinstance(source.data, dict) else {}
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            line = source.line_of(("version",)) or 1
            found.append(Finding(name, line, "versions", "the clause needs a version: a whole number from 1"))
        template = path.relative_to(clauses).with_suffix("").as_posix() + TEMPLATE_SUFFIX
        expected.add(template)
        for lang in languages:
            if not (root / "templates" / lang / template).is_file():
                message = f"no '{lang}' wording (templates/{lang}/{template})"
                found.append(Finding(name, 1, "languages", message))
    for lang in languages:
        folder = root / "templates" / lang
        for path in sorted(folder.rglob("*" + TEMPLATE_SUFFIX)) if folder.is_dir() else ():
            relative = path.relative_to(folder).as_posix()
            if relative not in expected and relative != f"{FRONT_SECTION}{TEMPLATE_SUFFIX}":
                message = "no clause record for this template (clauses/" + relative.removesuffix(TEMPLATE_SUFFIX)
                found.append(Finding(f"templates/{lang}/{relative}", 1, "languages", message + ".yaml)"))
    return found


def _check_conditions(library: Library) -> list[Finding]:
    env = SandboxedEnvironment()
    found = []
    for clause in library.clauses:
        if clause.when:
            try:
                env.compile_expression(clause.when)
            except TemplateSyntaxError as exc:
                line = line_of_when(library, clause)
                found.append(Finding(clause.path, line, "conditions", f"the condition does not parse: {exc.message}"))
    return found


def _check_kpis(library: Library) -> list[Finding]:
    found = []
    for path, catalog in _catalog_files(library):
        for kpi in catalog.kpis.values():
            found += _check_role(library.root / path, path, kpi)
            for lang in library.languages:
                missing = kpi.missing_wording(lang)
                if missing:
                    message = f"KPI '{kpi.id}' has no {', '.join(missing)} in '{lang}'"
                    found.append(Finding(path, _line_of_kpi(library.root / path, kpi.id), "kpis", message))
    return found


def _check_role(file: Path, path: str, kpi: Any) -> list[Finding]:
    """A per-event target is a measure feeding an attainment rate, never a Service Level; a measure feeds one."""
    if kpi.per == "event" and kpi.role == "service_level":
        key = "role"
        message = (
            f"KPI '{kpi.id}' is measured per event and cannot be a Service Level (a single late event would be"
            " a failure and count towards termination); make it a measure (role: measure) that feeds an"
            " attainment rate (feeds: <Service Level>)"
        )
    elif kpi.role == "measure" and not kpi.feeds:
        key = "feeds"
        message = f"measure '{kpi.id}' feeds no Service Level (feeds: <an attainment rate>)"
    elif kpi.role == "service_level" and kpi.measure is None:
        key, message = "measure", f"Service Level '{kpi.id}' has no measurement definition (measure: kind, period …)"
    else:
        return []
    source = load_yaml(file, display=file.name)
    line = source.line_of(("kpis", kpi.id, key)) or source.line_of(("kpis", kpi.id)) or 1
    return [Finding(path, line, "service-levels", f"kpis.{kpi.id}.{key}: {message}")]


def _catalog_files(library: Library) -> Iterator[tuple[str, Any]]:
    for path in sorted((library.root / "tiers").glob("*.yaml")):
        source = load_yaml(path, display=f"tiers/{path.name}")
        catalog = library.catalogs.get(str((source.data or {}).get("catalog")))
        if catalog is not None:
            yield source.path, catalog


def _line_of_kpi(path: Path, kpi_id: str) -> int:
    return load_yaml(path, display=path.name).line_of(("kpis", kpi_id)) or 1


class _Templates(Struct, dict=True):
    """The template checks: variables, parameters and terms, over every template of every language."""

    library: Library
    findings: list[Finding] = field(default_factory=list)
    used_keys: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Jinja's analysis leaves out names that are globals of the environment that parsed the template;
        # a library's answer may be named like one (the library refuses that, lint reports it): parse
        # without globals, so that every name a template reads from outside is found.
        self.env = make_environment(self.library.template_root, bytecode_cache=False)
        self.env.globals.clear()
        self.keys = set(self.library.params)
        self.roots = {k.split(".")[0] for k in self.keys}
        self.kpis = {kpi for catalog in self.library.catalogs.values() for kpi in catalog.kpis}
        self.tier_fields = {"id", "name", "rank", "chosen", "credits"} | {
            t for c in self.library.catalogs.values() for t in c.terms
        }

    def check(self) -> list[Finding]:
        languages = self.library.languages
        defines: dict[str, dict[str, list[tuple[str, int]]]] = {lang: {} for lang in languages}
        uses: dict[str, set[str]] = {lang: set() for lang in languages}
        for clause in self.library.clauses:
            self.read_condition(clause)
            for lang in languages:
                name = f"templates/{lang}/{clause.template_name}"
                source = (self.library.root / name).read_text(encoding="utf-8")
                try:
                    tree = self.env.parse(source, name=f"{lang}/{clause.template_name}")
                except TemplateSyntaxError as exc:
                    self._add(name, exc.lineno, "variables", f"the template does not parse: {exc.message}")
                    continue
                self._read(tree, name, lang)
                for term, line, defining in term_calls(tree):
                    if defining:
                        defines[lang].setdefault(term, []).append((name, line))
                    else:
                        uses[lang].add(term)
                    if term not in self.library.labels[lang].get("terms", {}):
                        self._add(name, line, "terms", f"'{term}' is not a defined term of labels.yaml ({lang})")
        self._check_terms(defines, uses)
        self._check_parameters()
        self._check_labels()
        return self.findings

    def read_condition(self, clause: Clause) -> None:
        """Check the names ``clause``'s ``when`` reads: declared answers only (findings at the ``when:`` line)."""
        if not clause.when:
            return
        try:
            condition = self.env.parse(f"{{{{ {clause.when} }}}}")
        except TemplateSyntaxError:
            return  # reported by the conditions rule
        before = len(self.findings)
        self._read(condition, clause.path, self.library.languages[0], condition=True)
        if len(self.findings) > before:  # the line is the record's, not the expression's
            line = line_of_when(self.library, clause)
            self.findings[before:] = [replace(finding, line=line) for finding in self.findings[before:]]

    def _add(self, file: str, line: int | None, rule: str, message: str) -> None:
        self.findings.append(Finding(file, line or 0, rule, message))

    def _read(self, tree: nodes.Template, file: str, lang: str, *, condition: bool = False) -> None:
        if condition:  # an expression assigns nothing: every name it reads comes from outside
            declared = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
        else:
            declared = meta.find_undeclared_variables(tree)
        aliased = aliases(tree, declared)
        for chain in chains(tree):
            if chain.root in aliased:
                chain = extend(aliased[chain.root], chain)
            elif chain.root not in declared:
                continue
            self._check_chain(chain, file, lang, condition=condition)

    def _check_chain(self, chain: Chain, file: str, lang: str, *, condition: bool) -> None:
        root, parts = chain.root, chain.parts
        if root == "catalog":
            if problem := catalog_read_problem(parts, condition=condition):
                self._add(file, chain.line, "variables", problem)
        elif root == derived.NAMESPACE:  # read as the answers it is computed from
            self.used_keys.update(derived.answers_read(parts))
            if problem := derived.read_problem(parts, self.keys):
                self._add(file, chain.line, "variables", problem)
        elif root in self.roots:
            self._check_answer(root, parts, file, chain.line)
        elif condition:
            self._add(file, chain.line, "variables", f"'{root}' is not an answer (conditions read answers only)")
        elif root == "labels":
            self._check_label(parts, file, chain.line, lang)
        elif root == "level":
            if parts and parts[0] not in self.kpis:
                self._add(file, chain.line, "variables", f"'{parts[0]}' is not a KPI of any catalog")
            elif len(parts) > 1 and parts[1] not in LEVEL_FIELDS | set(KPI_WORDING):
                self._add(file, chain.line, "variables", f"a KPI level has no '{parts[1]}'")
        elif root == "tier" and parts and parts[0] not in self.tier_fields:
            self._add(file, chain.line, "variables", f"'{parts[0]}' is not a term of any catalog's tiers")
        elif root == "service_credits" and parts and parts[0] not in CREDITS_FIELDS:
            self._add(file, chain.line, "variables", f"service credits have no '{parts[0]}'")
        elif root not in CONTEXT_NAMES and root not in RESERVED_GLOBALS and root not in self.roots:
            self._add(file, chain.line, "variables", f"'{root}' is not an answer, a label or a template value")

    def _check_answer(self, root: str, parts: tuple[str, ...], file: str, line: int) -> None:
        key = answer_reached(self.library, root, parts)
        if key in self.keys:
            self.used_keys.add(key)
        elif key in self.library.groups:
            self.used_keys.update(k for k in self.keys if k.startswith(key + "."))
        else:
            self._add(file, line, "variables", answer_problem(self.library, root, parts) or "")

    def _check_label(self, parts: tuple[str, ...], file: str, line: int, lang: str) -> None:
        node: Any = self.library.labels[lang]
        for depth, part in enumerate(parts[:2]):
            if not isinstance(node, dict):
                return
            if part not in node:
                where = ".".join(parts[: depth + 1])
                self._add(file, line, "variables", f"templates/{lang}/labels.yaml has no '{where}'")
                return
            node = node[part]

    def _check_terms(self, defines: dict[str, dict[str, list[tuple[str, int]]]], uses: dict[str, set[str]]) -> None:
        for lang in self.library.languages:
            labels_file = f"templates/{lang}/labels.yaml"
            for term in self.library.labels[lang].get("terms", {}):
                places = defines[lang].get(term, [])
                files = sorted({file for file, _ in places})
                if not files:
                    self._add(labels_file, 0, "terms", f"'{term}' is defined by no clause (write define('{term}'))")
                elif len(files) > 1:
                    file, line = places[0]
                    self._add(file, line, "terms", f"'{term}' is defined by more than one clause: {', '.join(files)}")
                if term not in uses[lang]:
                    self._add(labels_file, 0, "terms", f"'{term}' is defined but never used (write term('{term}'))")

    def _check_parameters(self) -> None:
        for catalog in self.library.catalogs.values():
            self.used_keys.update(kpi.requires for kpi in catalog.kpis.values() if kpi.requires)
        for clause in self.library.clauses:
            for param in clause.params:
                if param.key not in self.used_keys and param.key not in READ_BY_SLAGEN:
                    message = f"'{param.key}' is declared but no template or condition reads it"
                    self._add(clause.path, 0, "parameters", message)

    def _check_labels(self) -> None:
        first, *others = self.library.languages
        for lang in others:
            for part in ("sections", "terms"):
                a, b = set(self.library.labels[first].get(part, {})), set(self.library.labels[lang].get(part, {}))
                for missing, where in ((a - b, lang), (b - a, first)):
                    for key in sorted(missing):
                        self._add(f"templates/{where}/labels.yaml", 0, "languages", f"no {part}.{key}")
        for lang in self.library.languages:  # the language clause and the translation notice name every language
            names = self.library.labels[lang].get("language_names") or {}
            for unnamed in sorted(set(self.library.languages) - set(names if isinstance(names, dict) else ())):
                self._add(f"templates/{lang}/labels.yaml", 0, "languages", f"no language_names.{unnamed}")
        overrides = {lang: set(self._kind_overrides(lang)) for lang in self.library.languages}
        for lang in others:
            a, b = overrides[first], overrides[lang]
            for missing, where in ((a - b, lang), (b - a, first)):
                for path in sorted(missing):
                    self._add(f"templates/{where}/labels.yaml", 0, "languages", f"no {path}")

    def _kind_overrides(self, lang: str) -> Iterator[str]:
        """``kinds.<kind>.<part>.<key>`` and ``laws.<law>.<part>.<key>``, checked against the choices and labels."""
        file = f"templates/{lang}/labels.yaml"
        labels = self.library.labels[lang]
        for section, answer in LABEL_OVERRIDES:
            overrides = labels.get(section) or {}
            declared = self.library.params.get(answer)
            choices = declared.choices if declared is not None and declared.choices else []
            for value, parts in overrides.items() if isinstance(overrides, dict) else ():
                if value not in choices:
                    self._add(file, 0, "terms", f"{section}.{value}: not a choice of {answer} ({', '.join(choices)})")
                for part, words in (parts or {}).items():
                    base = labels.get(part)
                    if (
                        part in {name for name, _ in LABEL_OVERRIDES}
                        or not isinstance(base, dict)
                        or not isinstance(words, dict)
                    ):
                        self._add(
                            file, 0, "terms", f"{section}.{value}.{part}: not a group of labels that can be reworded"
                        )
                        continue
                    for key in words:
                        if key not in base:
                            self._add(file, 0, "terms", f"{section}.{value}.{part}.{key}: no such label in {part}")
                        yield f"{section}.{value}.{part}.{key}"
