"""Load and validate an answers file (the questionnaire of one agreement).

Takes the answers YAML and the library and gives :class:`Answers`: every declared
parameter typed, defaults applied, the clauses selected, the rules of :mod:`slagen.rules`
applied, and warnings. Every problem is collected and raised together as an
:class:`~slagen.errors.InputError`, each with file, line and key path, in words a sales
person understands.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from msgspec import Struct

from slagen import derived
from slagen.errors import InputError, LibraryError, Problem
from slagen.library import Clause, Library
from slagen.params import Param, ParamError, coerce_value
from slagen.params.values import unknown_choice
from slagen.rules import Agreement, check_rules
from slagen.sandbox import make_environment
from slagen.select import Condition, compile_conditions, select_clauses
from slagen.yamlsource import KeyPath, YamlSource, load_yaml

FORMAT_VERSION = 1
IGNORED = "ignored: clause "
"""How the warning about an answer given only for clauses that are left out begins."""


class Answers(Struct):
    """A validated agreement: typed values by key, the nested tree templates see, the chosen clauses."""

    source: YamlSource
    values: dict[str, Any]
    tree: dict[str, Any]
    clauses: list[Clause]
    warnings: list[Problem]

    @property
    def name(self) -> str:
        """Base name for output files: the file name without ``.yaml`` (``customer.v2.yaml`` gives ``customer.v2``)."""
        name = Path(self.source.path).name
        for suffix in (".yaml", ".yml"):
            name = name.removesuffix(suffix)
        return name if name and not name.startswith(".") else "agreement"


def load_answers(path: Path, library: Library, conditions: Mapping[str, Condition] | None = None) -> Answers:
    """Read ``path`` and validate it against ``library``; raise InputError listing every problem."""
    return validate_answers(load_yaml(path), library, conditions)


def validate_answers(
    source: YamlSource, library: Library, conditions: Mapping[str, Condition] | None = None
) -> Answers:
    """Type every answer, select the clauses, and check what the selected clauses need.

    ``conditions`` are the library's compiled conditions (:meth:`slagen.memo.Memo.compiled`); without
    them they are compiled here, once for this call.
    """
    typed = read_answers(source, library)
    if conditions is None:
        conditions = compile_conditions(library, make_environment(library.template_root, bytecode_cache=False))
    return check_answers_of(typed, select_clauses(library, conditions, typed.tree, strict=typed.ok))


class Typed(Struct):
    """Answers read and typed, before the clauses are selected; ``ok`` while no problem was found."""

    checker: _Checker
    values: dict[str, Any]
    tree: dict[str, Any]

    @property
    def ok(self) -> bool:
        """Whether every answer so far is valid (a condition that fails on the answers is then a problem)."""
        return not self.checker.problems


def read_answers(source: YamlSource, library: Library) -> Typed:
    """Type every answer of ``source`` and fill the defaults; problems are collected, not yet raised."""
    if not isinstance(source.data, dict):  # one message: every answer would be reported missing after it
        message = "the file is empty; start from examples/telemarketing.yaml"
        if source.data is not None:
            message = "expected a mapping of answers (key: value) at the top level"
        raise InputError([Problem(message, source.path, source.line_of(()))])
    checker = _Checker(source, library)
    values = checker.run()
    return Typed(checker, values, _nest(library.params, values))


def check_answers_of(typed: Typed, clauses: list[Clause]) -> Answers:
    """Check that each selected clause has its answers and apply the rules; raise InputError with every problem."""
    checker, values = typed.checker, typed.values
    checker.check_selected(clauses, values)
    agreement = Agreement(values, frozenset(c.id for c in clauses), checker.library, frozenset(checker.given))
    check_rules(agreement, checker.rule)
    checker.drop_ignored_where_ruled()
    if checker.problems:
        raise InputError(sorted(checker.problems, key=lambda p: p.line or 0))
    warnings = sorted(checker.warnings, key=lambda p: p.line or 0)
    return Answers(checker.source, values, typed.tree, clauses, warnings)


class _Checker:
    def __init__(self, source: YamlSource, library: Library) -> None:
        self.source = source
        self.library = library
        self.params = library.params
        self.groups = library.groups
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.given: set[str] = set()
        self.ruled: set[str] = set()
        """Keys a rule reported on: its finding replaces the general 'ignored' warning."""

    def rule(self, path: KeyPath, message: str, *, warning: bool = False) -> None:
        """Report a finding of :mod:`slagen.rules`."""
        self.ruled.add(".".join(path))
        self.problem(path, message, warning=warning)

    def drop_ignored_where_ruled(self) -> None:
        """Leave out the general 'ignored' warning on a key a rule has said something more precise about."""
        self.warnings = [w for w in self.warnings if not (w.key in self.ruled and w.message.startswith(IGNORED))]

    def problem(self, path: KeyPath, message: str, *, warning: bool = False) -> None:
        found = Problem(
            message,
            self.source.path,
            self.source.line_of(path),
            ".".join(path) or None,
            "warning" if warning else "error",
        )
        (self.warnings if warning else self.problems).append(found)

    def run(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        self._walk(self.source.data, (), values)
        if "slagen" in values and values["slagen"] != FORMAT_VERSION:
            self.problem(
                ("slagen",), f"answers format {values['slagen']} is not known (this slagen reads {FORMAT_VERSION})"
            )
        for key, param in self.params.items():
            if key not in values:
                values[key] = param.default
        self._check_service(values)
        self._check_tier_choice(values)
        self._check_localized(values)
        return values

    def _check_localized(self, values: dict[str, Any]) -> None:
        languages = values.get("languages") or []
        for key, param in self.params.items():
            missing = param.kind.missing_languages(values.get(key), languages)
            if missing:
                self.problem(
                    tuple(key.split(".")),
                    f"no text for {', '.join(missing)} (the agreement is written in {', '.join(languages)})",
                )

    def _walk(self, data: dict[str, Any], path: KeyPath, values: dict[str, Any]) -> None:
        for name, value in data.items():
            here = (*path, name)
            if "." in name:  # read as a path it would slip past the duplicate-key rule and silently win
                self.problem(here, f"a key may not contain '.': write '{name}' nested, one key a line")
                continue
            key = ".".join(here)
            if key in self.params:
                self.given.add(key)
                try:
                    values[key] = coerce_value(self.params[key], value, languages=self.library.languages)
                except ParamError as exc:
                    for error in exc.all():
                        self.problem((*here, *error.subkey), str(error))
            elif key in self.groups:
                if isinstance(value, dict):
                    self._walk(value, here, values)
                else:
                    self.problem(here, f"expected a mapping with keys such as {', '.join(self._children(key)[:4])}")
            else:
                self.problem(here, self._unknown(path, name))

    def _children(self, prefix: str) -> list[str]:
        depth = prefix.count(".") + 1 if prefix else 0
        names = {
            k.split(".")[depth] for k in [*self.params, *self.groups] if k.startswith(prefix + "." if prefix else "")
        }
        return sorted(names)

    def _unknown(self, path: KeyPath, name: str) -> str:
        siblings = self._children(".".join(path))
        import difflib  # only for a suggestion in a message: not at start-up

        close = difflib.get_close_matches(name, siblings, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known here: {', '.join(siblings)})"
        return f"unknown key '{name}'{hint}"

    def _check_service(self, values: dict[str, Any]) -> None:
        catalog_key = self.library.key_of("catalog")
        if catalog_key is None or values.get(catalog_key) is None:
            return
        catalog = self.library.catalogs.get(values[catalog_key])
        if catalog is None:
            self.problem(
                tuple(catalog_key.split(".")),
                unknown_choice("catalog", values[catalog_key], list(self.library.catalogs), ""),
            )
            values[catalog_key] = None
            return
        if catalog.problems:  # a broken tier file of its own stops only what uses its catalog
            raise LibraryError(list(catalog.problems))
        model = values.get("agreement.model")
        for key, param in self.params.items():
            given = values.get(key)
            if given is None:
                continue
            values[key], found = param.kind.in_catalog(given, catalog)
            for subkey, message in found:
                self.problem((*key.split("."), *subkey), message)
            if key == self.library.key_of("kpi_values") and given and model != "customer-specific":
                self.problem(
                    tuple(key.split(".")),
                    f"a {model} agreement takes the {'tiers' if model == 'multi-level' else 'tier'} as published; "
                    "set agreement.model: customer-specific to agree other targets",
                )

    def _check_tier_choice(self, values: dict[str, Any]) -> None:
        """A tier is required except in a multi-level agreement, where it must be one of the offered tiers."""
        tier_key, offered_key = self.library.key_of("tier"), self.library.key_of("tiers")
        if tier_key is None:
            return
        chosen, offered = values.get(tier_key), values.get(offered_key) if offered_key else None
        model = values.get("agreement.model")
        if model != "multi-level":
            if chosen is None and tier_key not in self.given:
                catalog_key = self.library.key_of("catalog")
                catalog = self.library.catalogs.get(values.get(catalog_key) or "") if catalog_key else None
                choices = f" (one of: {', '.join(catalog.tiers)})" if catalog else ""
                self.problem(
                    tuple(tier_key.split(".")), f"missing: the standard tier the agreement starts from{choices}"
                )
        elif chosen is not None and offered and chosen not in offered:
            self.problem(
                tuple(tier_key.split(".")),
                f"tier '{chosen}' is not one of the offered tiers ({', '.join(offered)}); "
                f"add it to {offered_key} or leave {tier_key} out",
            )

    def check_selected(self, clauses: list[Clause], values: dict[str, Any]) -> None:
        used: set[str] = set()
        for clause in clauses:
            for param in clause.params:
                used.add(param.key)
                if values.get(param.key) is None and param.required and param.key not in self.given:
                    self.problem(tuple(param.key.split(".")), f"missing: {param.help or 'required'}")
        selected = {clause.id for clause in clauses}
        for key in sorted(self.given - used):
            owners = [
                c
                for c in self.library.clauses
                if c.id not in selected
                and any(p.key == key for p in c.params)
                and key not in (c.when or "")
                and key not in {read for _, read in derived.named_in(c.when or "")}
            ]  # an answer the clause's own condition reads (itself or through a derived value) has done its work
            if owners:
                why = "; ".join(f"clause '{c.id}' applies only when {c.applies_when or c.when}" for c in owners)
                self.problem(tuple(key.split(".")), f"ignored: {why}", warning=True)


def _nest(params: dict[str, Param], values: dict[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key in params:
        *parents, leaf = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = values.get(key)
    return tree
