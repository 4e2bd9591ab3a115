"""Lint rule ``references``: a clause cites another clause, or uses its defined term, only where it is there.

An agreement contains a clause when the clause's ``when`` holds. A clause that writes ``ref('legal.x')`` or
``term('t')`` (a term a clause defines) is fine in every agreement only where that clause is included too:
because the citing clause's own ``when`` implies it, or because the citation stands in an ``{% if %}`` (or
an ``… if … else …``) whose condition does. Otherwise the agreements without the cited clause fail to build
(``refers to 'legal.x', which this agreement does not contain``): newcomer review B3.

The check is static and syntactic, on Jinja's parse: the known facts at a citation are the conjuncts of the
citing clause's ``when`` and of every enclosing condition (negated in an ``else``); the cited clause's ``when``
must follow from them (each of its conjuncts is a known fact, one of its alternatives follows, or a fact
``x == 'a'`` decides a test ``x in [...]``/``x != 'b'``). Write the guard with the same expression as the
cited clause's condition (``{% if data_protection.call_recording %}``), and it is found.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from slagen.catalogfacts import catalog_facts
from slagen.context import SERVICE_NAMES, TERM_NAMES
from slagen.library import Clause, Library
from slagen.lintlogic import UNKNOWN, Domains, Facts, conjuncts, evaluate, follows, key_of, source_of
from slagen.sandbox import make_environment

Guarantees = list[tuple[nodes.Expr, Facts]]
GUARANTEED = (
    ("data_protection.call_recording", "data_protection.processing", "rule_call_recording (slagen/rules.py)"),
    ("data_protection.processing", "agreement.kind != 'internal'", "rule_internal (slagen/rules.py)"),
    ("price.tier_fees", "agreement.model == 'multi-level'", "rule_tier_fees (slagen/rules.py)"),
)
"""What the validation rules guarantee of every agreement that builds: (when this holds, that holds, the rule).

``slagen check`` refuses an agreement where the first holds and the second does not, so a citation guarded by
the first may rely on the second (``tests/test_manual.py`` checks that each rule still refuses it)."""
COMPUTED = frozenset({*SERVICE_NAMES, *TERM_NAMES} - {"catalog"})
"""Values slagen computes for templates: a guard on one of them is trusted (lint cannot tell when it holds)."""
_CITING = ("ref", "term", "define")


def check_references(library: Library) -> Iterator[tuple[str, int, str]]:
    """``(file, line, message)`` for each citation of a clause that an agreement with the citing one may lack."""
    env = make_environment(library.template_root, bytecode_cache=False)
    clauses = {clause.id: clause for clause in library.clauses}
    parsed = {clause.id: _condition(env, clause, tuple(library.params)) for clause in library.clauses}
    conditions = {clause_id: facts for clause_id, facts in parsed.items() if facts is not None}
    guaranteed = [(_parse(env, when), conjuncts(_parse(env, then))) for when, then, _rule in GUARANTEED]
    domains: Domains = {key: tuple(param.choices) for key, param in library.params.items() if param.choices}
    domains.update({key: tuple(library.catalogs) for key, param in library.params.items() if param.type == "catalog"})
    catalogs = [catalog_facts(catalog) for _, catalog in sorted(library.catalogs.items())]
    for lang in library.languages:
        calls = {
            clause.id: _calls(env, library, clause, lang, conditions[clause.id], guaranteed)
            for clause in library.clauses
            if clause.id in conditions
        }
        definers = _definers(calls)
        for clause in library.clauses:
            file = f"templates/{lang}/{clause.template_name}"
            for helper, argument, line, facts in calls.get(clause.id, []):
                if helper == "ref":
                    target = clauses.get(argument.split("#")[0])
                    if target is None or target.id == clause.id or target.id not in conditions:
                        continue  # an unknown id is an error of its own when the clause is built
                    needed = conditions[target.id]
                    what = f"refers to '{target.id}'"
                elif helper == "term" and argument in definers and len(definers[argument]) == 1:
                    ((definer, needed),) = definers[argument].items()
                    if definer == clause.id and not _missing(needed, facts, domains, catalogs):
                        continue
                    target = clauses[definer]
                    what = f"uses the term '{argument}', which '{definer}' defines"
                else:
                    continue
                missing = _missing(needed, facts, domains, catalogs)
                if missing:
                    yield file, line, _message(clause, target, what, missing)


def _missing(needed: Facts, facts: Facts, domains: Domains, catalogs: list[dict[str, Any]]) -> list[nodes.Expr]:
    """The conjuncts of ``needed`` that do not follow from ``facts`` for some catalog of the library.

    What a condition reads of ``catalog`` (its kinds, groups, terms) is decided for each catalog in turn: a
    catalog for which a known fact is false never reaches the citation; for the others, a needed test of the
    catalog must be true, and every other needed conjunct must follow from the facts as written.
    """
    missing: list[nodes.Expr] = []
    choices: list[dict[str, Any] | None] = [*catalogs] or [None]
    for facts_of in choices:
        if facts_of is not None and any(evaluate(fact, facts_of) is False for fact in facts):
            continue
        for fact in needed:
            value = evaluate(fact, facts_of) if facts_of is not None else UNKNOWN
            held = value is True if value is not UNKNOWN else follows(fact, facts, domains)
            if not held and fact not in missing:
                missing.append(fact)
    return missing


def _message(clause: Clause, target: Clause, what: str, missing: Sequence[nodes.Expr]) -> str:
    condition = " and ".join(source_of(fact) for fact in missing)
    applies = f" ({target.applies_when})" if target.applies_when else ""
    return (
        f"clause '{clause.id}' {what}, which agreements contain only when {condition}{applies}; "
        f"cite it inside {{% if {condition} %}} or make '{clause.id}' apply only then"
    )


def _condition(env: object, clause: Clause, keys: tuple[str, ...]) -> Facts | None:
    """The conjuncts of ``clause``'s ``when`` (none: always included; None: it does not parse or reads no answer)."""
    if not clause.when:
        return ()
    try:
        condition = _parse(env, clause.when)
    except TemplateSyntaxError:
        return None  # reported by the conditions rule; nothing is judged by it
    roots = {key.split(".")[0] for key in keys}
    for chain in condition.find_all(nodes.Getattr):
        read = key_of(chain)
        if read.split(".")[0] in roots and not any(
            key == read or key.startswith(read + ".") or read.startswith(key + ".") for key in keys
        ):
            return None  # a misspelt answer: reported by the variables rule; nothing is judged by it
    return conjuncts(condition)


def _parse(env: object, expression: str) -> nodes.Expr:
    output = env.parse(f"{{{{ {expression} }}}}").body[0]  # type: ignore[attr-defined]
    return output.nodes[0]  # type: ignore[no-any-return]


def _known(facts: Facts, guaranteed: Guarantees) -> Facts:
    """``facts`` with what follows from them.

    That is the validation rules' guarantees, and the branch of an ``a if c else b`` (a template's ``set``)
    that a known ``c`` or ``not c`` selects.
    """
    known = list(facts)
    changed = True
    while changed:
        changed = False
        for when, then in guaranteed:
            if when in known and not all(fact in known for fact in then):
                known += [fact for fact in then if fact not in known]
                changed = True
        for i, fact in enumerate(known):
            if isinstance(fact, nodes.CondExpr) and fact.expr2 is not None:
                others = tuple(known[:i] + known[i + 1 :])
                if follows(fact.test, others, {}):
                    known[i : i + 1] = conjuncts(fact.expr1)
                elif follows(nodes.Not(fact.test), others, {}):
                    known[i : i + 1] = conjuncts(fact.expr2)
                else:
                    continue
                changed = True
                break
    return tuple(known)


def _calls(
    env: object, library: Library, clause: Clause, lang: str, condition: Facts, guaranteed: Guarantees
) -> list[tuple[str, str, int, Facts]]:
    path = library.template_root / lang / clause.template_name
    try:
        tree = env.parse(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    except (OSError, TemplateSyntaxError):
        return []  # the languages and variables rules report it
    local = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    local |= {node.name for node in tree.find_all(nodes.Macro)}
    sets = _single_sets(tree)
    found = []
    for helper, argument, line, guards in _walk(tree, ()):
        expanded = tuple(fact for guard in guards for fact in conjuncts(_expand(guard, sets)))
        if helper != "define" and any(_computed(fact) for fact in expanded):
            continue  # guarded by a value slagen computes (service_credits, level.x): trusted, not judged
        facts = _known(condition + expanded, guaranteed)
        found.append((helper, argument, line, facts if helper != "define" else _answers_only(facts, local, clause)))
    return found


def _single_sets(tree: nodes.Template) -> dict[str, nodes.Expr]:
    """``{% set name = expression %}`` for the names the template assigns once (and nowhere else)."""
    stores: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.ctx in ("store", "param"):
            stores[node.name] = stores.get(node.name, 0) + 1
    return {
        node.target.name: node.node
        for node in tree.find_all(nodes.Assign)
        if isinstance(node.target, nodes.Name) and isinstance(node.node, nodes.Expr) and stores[node.target.name] == 1
    }


def _expand(expression: nodes.Expr, sets: dict[str, nodes.Expr], depth: int = 0) -> nodes.Expr:
    """``expression`` with the template's own ``set`` names replaced by what they were set to."""
    if depth > 20:
        return expression
    if isinstance(expression, nodes.Name) and expression.name in sets:
        return _expand(sets[expression.name], sets, depth + 1)
    if isinstance(expression, nodes.Not):
        return nodes.Not(_expand(expression.node, sets, depth + 1))
    if isinstance(expression, (nodes.And, nodes.Or)):
        left, right = _expand(expression.left, sets, depth + 1), _expand(expression.right, sets, depth + 1)
        return type(expression)(left, right)
    if isinstance(expression, nodes.CondExpr) and expression.expr2 is not None:
        test, then = _expand(expression.test, sets, depth + 1), _expand(expression.expr1, sets, depth + 1)
        return nodes.CondExpr(test, then, _expand(expression.expr2, sets, depth + 1))
    return expression


def _computed(fact: nodes.Expr) -> bool:
    names = [fact] if isinstance(fact, nodes.Name) else fact.find_all(nodes.Name)
    return any(name.name in COMPUTED for name in names)


def _answers_only(facts: Facts, local: set[str], clause: Clause) -> Facts:
    """The facts of a definition that are conditions on the answers (not on the template's own variables)."""
    if clause.renders_last:  # the definitions clause defines what the others use: defined when used
        return ()
    return tuple(fact for fact in facts if not {name.name for name in fact.find_all(nodes.Name)} & local)


def _definers(calls: dict[str, list[tuple[str, str, int, Facts]]]) -> dict[str, dict[str, Facts]]:
    """Term → defining clause → the facts every definition of it there needs (common to all its branches)."""
    found: dict[str, dict[str, Facts]] = {}
    for clause_id, clause_calls in calls.items():
        for helper, term, _line, facts in clause_calls:
            if helper != "define":
                continue
            known = found.setdefault(term, {})
            before = known.get(clause_id)
            known[clause_id] = facts if before is None else tuple(fact for fact in before if fact in facts)
    return found


def _walk(node: nodes.Node, facts: Facts) -> Iterator[tuple[str, str, int, Facts]]:
    """Each call of ref/term/define with a constant argument, with the facts known where it stands."""
    if isinstance(node, nodes.If):
        negated: Facts = ()
        for branch in (node, *node.elif_):
            test: nodes.Expr = branch.test  # type: ignore[assignment]  # Jinja types it as a Node; it is an Expr
            yield from _walk(test, facts + negated)
            for child in branch.body:
                yield from _walk(child, facts + negated + conjuncts(test))
            negated += (nodes.Not(test),)
        for child in node.else_:
            yield from _walk(child, facts + negated)
        return
    if isinstance(node, nodes.CondExpr):
        yield from _walk(node.test, facts)
        yield from _walk(node.expr1, facts + conjuncts(node.test))
        if node.expr2 is not None:
            yield from _walk(node.expr2, (*facts, nodes.Not(node.test)))
        return
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in _CITING:
        first = node.args[0] if node.args else None
        if isinstance(first, nodes.Const) and isinstance(first.value, str):
            yield node.node.name, first.value, node.lineno, facts
    for child in node.iter_child_nodes():
        yield from _walk(child, facts)
