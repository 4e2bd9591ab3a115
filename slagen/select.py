"""Select the clauses an agreement needs.

Takes the library, its compiled conditions and the answers tree, and gives the clauses whose
``when`` condition holds, in document order. Conditions are Jinja2 expressions over the answers
(``parties.provider.merchant and parties.customer.merchant``), compiled once per library in its
sandbox (:func:`compile_conditions`) and evaluated per agreement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment, TemplateSyntaxError

from slagen import derived
from slagen.catalogfacts import CATALOG_FACTS, with_catalog
from slagen.errors import InputError, LibraryError, Problem
from slagen.library import Clause, Library
from slagen.names import chains
from slagen.yamlsource import load_yaml

Condition = Callable[..., Any]


def compile_conditions(library: Library, env: Environment) -> dict[str, Condition]:
    """Every clause condition of ``library``, compiled in ``env`` (the library's sandbox).

    A condition that does not parse, or that reads a name no clause declares (a misspelt answer
    would leave its clause out of every agreement without a word), is a library error naming the
    clause record and the line of its ``when``. Declared answers that are not given are ``None``
    in the answers tree, so a condition may read optional answers.
    """
    compiled: dict[str, Condition] = {}
    problems = []
    for clause in library.clauses:
        if not clause.when:
            continue
        try:
            compiled[clause.id] = env.compile_expression(clause.when, undefined_to_none=False)
            tree = env.parse(f"{{{{ {clause.when} }}}}")
        except TemplateSyntaxError as exc:
            line = line_of_when(library, clause)
            problems.append(Problem(f"condition does not parse: {exc.message}", clause.path, line, "when"))
            continue
        for message in condition_problems(library, tree):
            problems.append(Problem(message, clause.path, line_of_when(library, clause), "when"))
    param_conditions(library, env, problems)
    if problems:
        raise LibraryError(problems)
    return compiled


def param_conditions(library: Library, env: Environment, problems: list[Problem]) -> dict[str, Condition]:
    """The ``when`` of each answer that declares one, compiled; what is wrong with one is added to ``problems``."""
    compiled: dict[str, Condition] = {}
    for key, param in library.params.items():
        if not param.when:
            continue
        where = ("params", key, "when")
        try:
            compiled[key] = env.compile_expression(param.when, undefined_to_none=False)
            tree = env.parse(f"{{{{ {param.when} }}}}")
        except TemplateSyntaxError as exc:
            line = load_yaml(library.root / param.declared_in).line_of(where) or 1
            problems.append(Problem(f"condition does not parse: {exc.message}", param.declared_in, line, key))
            continue
        for message in condition_problems(library, tree):
            line = load_yaml(library.root / param.declared_in).line_of(where) or 1
            problems.append(Problem(message, param.declared_in, line, f"{key}.when"))
    return compiled


def answers_read(library: Library, env: Environment, condition: str) -> set[str]:
    """The declared answers ``condition`` reads (``agreement.kind == 'external'`` reads ``agreement.kind``)."""
    read: set[str] = set()
    for chain in chains(env.parse(f"{{{{ {condition} }}}}")):
        if chain.root == "catalog":  # the declarations of the catalog answered
            read.update(k for k in [library.key_of("catalog")] if k is not None)
            continue
        if chain.root == derived.NAMESPACE:  # a value derived from answers: the answers it is computed from
            read.update(key for key in derived.answers_read(chain.parts) if key in library.params)
            continue
        key = answer_reached(library, chain.root, chain.parts)
        if key in library.params:
            read.add(key)
        else:  # a group of answers: every answer in it
            read.update(k for k in library.params if k.startswith(key + "."))
    return read


def condition_problems(library: Library, tree: Any) -> list[str]:
    """What is wrong with the names a condition's syntax ``tree`` reads: each must be a declared answer."""
    roots = {key.split(".")[0] for key in library.params}
    found = []
    for chain in chains(tree):
        if chain.root == "catalog":
            if chain.parts and chain.parts[0] not in CATALOG_FACTS:
                found.append(f"a catalog declares no '{chain.parts[0]}' (conditions read {', '.join(CATALOG_FACTS)})")
            continue
        if chain.root == derived.NAMESPACE:
            problem = derived.read_problem(chain.parts, library.params)
            if problem:
                found.append(problem)
            continue
        if chain.root not in roots:
            found.append(f"'{chain.root}' is not an answer (conditions read answers only)")
            continue
        problem = answer_problem(library, chain.root, chain.parts)
        if problem:
            found.append(problem)
    return found


def answer_reached(library: Library, root: str, parts: tuple[str, ...]) -> str:
    """The key ``root.parts…`` reads: the first declared answer on the way (what follows reads into its value)."""
    path = [root]
    for part in parts:
        if ".".join(path) in library.params:
            break
        path.append(part)
    return ".".join(path)


def answer_problem(library: Library, root: str, parts: tuple[str, ...]) -> str | None:
    """Why ``root.parts…`` is no declared answer or group of answers (None if it is one, or inside one)."""
    key = answer_reached(library, root, parts)
    if key in library.params or key in library.groups:
        return None
    return f"'{key}' is not a declared answer (no clause declares it in params)"


def line_of_when(library: Library, clause: Clause) -> int:
    """The line of ``when:`` in ``clause``'s record (read again: only a finding needs it)."""
    return load_yaml(library.root / clause.path, display=clause.path).line_of(("when",)) or 1


def select_clauses(
    library: Library, conditions: Mapping[str, Condition], tree: Mapping[str, Any], *, strict: bool = True
) -> list[Clause]:
    """The clauses of ``library`` whose condition holds for the answers ``tree``.

    A condition that fails on the answers (compares a number with a text, say) is not taken as
    false — that would leave a clause such as the liability cap out without a word — but stops
    with an input error naming the clause and its condition; unless not ``strict``: answers already
    found invalid (and reported) may make a condition fail, which then counts as false.
    """
    selected = []
    names = condition_names(library, tree)
    for clause in library.clauses:
        condition = conditions.get(clause.id)
        if condition is None or _holds(clause, condition, names, strict):
            selected.append(clause)
    return selected


def condition_names(library: Library, tree: Mapping[str, Any]) -> dict[str, Any]:
    """What a condition reads: the answers ``tree``, the ``catalog`` they name and the ``derived`` values."""
    return with_catalog(library.catalogs, library.key_of("catalog"), tree)


def _holds(clause: Clause, condition: Condition, tree: Mapping[str, Any], strict: bool) -> bool:
    try:
        return bool(condition(**tree))
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never taken as "false"
        if not strict:
            return False
        message = (
            f"the answers make the condition of clause '{clause.id}' ({clause.when}) fail: {exc}; "
            "check the answers it reads"
        )
        raise InputError([Problem(message, clause.path)]) from None
