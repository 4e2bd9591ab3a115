"""Select the clauses an agreement needs.

Takes the library and the answers tree and gives the clauses whose ``when`` condition
holds, in document order. Conditions are Jinja2 expressions over the answers
(``parties.provider.merchant and parties.customer.merchant``), compiled once per library
in the sandbox and evaluated per agreement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import TemplateSyntaxError

from slagen import reuse
from slagen.errors import LibraryError, Problem
from slagen.kept import Kept
from slagen.library import Clause, Library

Condition = Callable[..., Any]


def compile_conditions(library: Library) -> dict[str, Condition]:
    """Compile every clause condition of ``library`` once, in the library's sandbox (the templates').

    A condition that does not parse, or that reads a name no clause declares (a misspelt answer
    would leave its clause out of every agreement without a word), is a library error naming the
    clause record and the line of its ``when``. Declared answers that are not given are ``None``
    in the answers tree, so a condition may read optional answers.
    """
    cached = library.cache.get("conditions")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    # imported here: render and lint build on answers, which builds on this module
    from slagen.lint import condition_findings, line_of_when
    from slagen.render import get_environment

    env = get_environment(library)
    compiled: dict[str, Condition] = {}
    problems = []
    for clause in library.clauses:
        if clause.when:
            try:
                compiled[clause.id] = env.compile_expression(clause.when, undefined_to_none=False)
            except TemplateSyntaxError as exc:
                line = line_of_when(library, clause)
                problems.append(Problem(f"condition does not parse: {exc.message}", clause.path, line, "when"))
    problems += [Problem(found.message, found.file, found.line, "when") for found in condition_findings(library)]
    if problems:
        raise LibraryError(problems)
    library.cache["conditions"] = compiled
    return compiled


def select_clauses(library: Library, tree: dict[str, Any]) -> list[Clause]:
    """The clauses of ``library`` whose condition holds for the answers ``tree``.

    A condition's outcome is kept under the values it reads (:mod:`slagen.reuse`): in a batch,
    the rows mostly answer the same.
    """
    conditions = compile_conditions(library)
    reads = _condition_paths(library)
    outcomes: Kept[tuple[str, ...], bool] = library.cache.setdefault("condition_outcomes", Kept(reuse.MAX_ENTRIES))
    keys = reuse.Keys(tree)
    selected = []
    for clause in library.clauses:
        condition = conditions.get(clause.id)
        if condition is None:
            selected.append(clause)
            continue
        paths = reads.get(clause.id)
        key = keys.key(clause.id, paths) if paths is not None and reuse.enabled() else None
        holds = outcomes.get(key) if key is not None else None
        if holds is None:
            holds = _holds(condition, tree)
            if key is not None:
                outcomes.put(key, holds)
        if holds:
            selected.append(clause)
    return selected


def _condition_paths(library: Library) -> dict[str, tuple[reuse.Path, ...] | None]:
    """What each clause's condition may read, found once per library (None: evaluated every time)."""
    found: dict[str, tuple[reuse.Path, ...] | None] | None = library.cache.get("condition_paths")
    if found is None:
        from slagen.render import get_environment  # render builds on answers, which builds on this module

        env = get_environment(library)
        found = {}
        for clause in library.clauses:
            if clause.when:
                try:
                    found[clause.id] = reuse.expression_paths(env, clause.when)
                except reuse.NotReusable:
                    found[clause.id] = None
        library.cache["condition_paths"] = found
    return found


def _holds(condition: Condition, tree: dict[str, Any]) -> bool:
    try:
        return bool(condition(**tree))
    except Exception:  # noqa: BLE001 - a condition over an invalid answer is simply false; validation reports the answer
        return False
