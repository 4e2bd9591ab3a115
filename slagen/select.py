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
from jinja2.sandbox import SandboxedEnvironment

from slagen.errors import LibraryError, Problem
from slagen.library import Clause, Library

Condition = Callable[..., Any]


def compile_conditions(library: Library) -> dict[str, Condition]:
    """Compile every clause condition of ``library`` once; broken ones are library errors."""
    cached = library.cache.get("conditions")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    env = SandboxedEnvironment()
    compiled: dict[str, Condition] = {}
    problems = []
    for clause in library.clauses:
        if clause.when:
            try:
                compiled[clause.id] = env.compile_expression(clause.when, undefined_to_none=False)
            except TemplateSyntaxError as exc:
                problems.append(Problem(f"condition does not parse: {exc.message}", clause.path, None, "when"))
    if problems:
        raise LibraryError(problems)
    library.cache["conditions"] = compiled
    return compiled


def select_clauses(library: Library, tree: dict[str, Any]) -> list[Clause]:
    """The clauses of ``library`` whose condition holds for the answers ``tree``."""
    conditions = compile_conditions(library)
    selected = []
    for clause in library.clauses:
        condition = conditions.get(clause.id)
        if condition is None or _holds(condition, tree):
            selected.append(clause)
    return selected


def _holds(condition: Condition, tree: dict[str, Any]) -> bool:
    try:
        return bool(condition(**tree))
    except Exception:  # noqa: BLE001 - a condition over an invalid answer is simply false; validation reports the answer
        return False
