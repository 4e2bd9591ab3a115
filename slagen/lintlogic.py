"""The logic of lint's rule ``references`` (:mod:`slagen.lintrefs`) on Jinja's parse of conditions.

Facts are expressions known to hold; :func:`follows` decides (soundly, not completely) whether an expression
follows from them, :func:`conjuncts` splits a condition into facts, :func:`evaluate` decides what reads only a
catalog's declarations, and :func:`source_of` writes an expression back as a template would.
"""

from __future__ import annotations

from typing import Any

from jinja2 import nodes

Facts = tuple[nodes.Expr, ...]
Domains = dict[str, tuple[object, ...]]
"""The values an answer with ``choices`` can take, by answer key."""

UNKNOWN = object()


def evaluate(expression: nodes.Node, catalog: dict[str, Any]) -> Any:
    """The value of ``expression`` if it reads only ``catalog`` (and constants), else :data:`UNKNOWN`."""
    if isinstance(expression, nodes.Const):
        return expression.value
    if isinstance(expression, (nodes.List, nodes.Tuple)):
        items = [evaluate(item, catalog) for item in expression.items]
        return UNKNOWN if any(item is UNKNOWN for item in items) else items
    if isinstance(expression, nodes.Name):
        return catalog if expression.name == "catalog" else UNKNOWN
    if isinstance(expression, nodes.Getattr):
        owner = evaluate(expression.node, catalog)
        return owner.get(expression.attr, UNKNOWN) if isinstance(owner, dict) else UNKNOWN
    if isinstance(expression, nodes.Not):
        value = evaluate(expression.node, catalog)
        return UNKNOWN if value is UNKNOWN else not value
    if isinstance(expression, (nodes.And, nodes.Or)):
        left, right = evaluate(expression.left, catalog), evaluate(expression.right, catalog)
        if UNKNOWN in (left, right):
            decided = not isinstance(expression, nodes.And)
            return decided if decided in (left, right) and isinstance(decided, bool) else UNKNOWN
        return (left and right) if isinstance(expression, nodes.And) else (left or right)
    if isinstance(expression, nodes.Compare) and len(expression.ops) == 1:
        left, right = evaluate(expression.expr, catalog), evaluate(expression.ops[0].expr, catalog)
        if UNKNOWN in (left, right):
            return UNKNOWN
        operator = expression.ops[0].op
        if operator in ("in", "notin"):
            try:
                return (left in right) == (operator == "in")
            except TypeError:  # not a container
                return UNKNOWN
        return UNKNOWN if operator not in ("eq", "ne") else (left == right) == (operator == "eq")
    return UNKNOWN


def conjuncts(expression: nodes.Expr) -> Facts:
    """The facts ``expression`` states: its parts joined by ``and`` (and by ``not (… or …)``), each alone."""
    if isinstance(expression, nodes.Not) and isinstance(expression.node, nodes.Not):
        return conjuncts(expression.node.node)
    if isinstance(expression, nodes.And):
        return conjuncts(expression.left) + conjuncts(expression.right)
    if isinstance(expression, nodes.Not) and isinstance(expression.node, nodes.Or):  # not (a or b)
        return conjuncts(nodes.Not(expression.node.left)) + conjuncts(nodes.Not(expression.node.right))
    return (expression,)


def follows(needed: nodes.Expr, facts: Facts, domains: Domains) -> bool:
    """Whether ``needed`` follows from the known ``facts`` (sound, not complete: it may miss a proof)."""
    if needed in facts:
        return True
    if isinstance(needed, nodes.And):
        return follows(needed.left, facts, domains) and follows(needed.right, facts, domains)
    if isinstance(needed, nodes.Or):
        return follows(needed.left, facts, domains) or follows(needed.right, facts, domains)
    if isinstance(needed, nodes.Not):
        inner = needed.node
        if isinstance(inner, nodes.Not):
            return follows(inner.node, facts, domains)
        if isinstance(inner, nodes.And):  # not (a and b): not a, or not b
            return follows(nodes.Not(inner.left), facts, domains) or follows(nodes.Not(inner.right), facts, domains)
        if isinstance(inner, nodes.Or):
            return follows(nodes.Not(inner.left), facts, domains) and follows(nodes.Not(inner.right), facts, domains)
    return _decided(needed, facts, domains)


def _decided(needed: nodes.Expr, facts: Facts, domains: Domains) -> bool:
    """A test of an answer's value (``x == 'a'``, ``x in [...]``, ``x != 'b'``) that the facts on ``x`` decide.

    The values ``x`` can take are its declared choices (``domains``), narrowed by every fact that tests it:
    ``x != 'internal'`` with the choices ``external, internal`` leaves ``external``.
    """
    test = _choice_test(needed)
    if test is None:
        return False
    subject, values, positive = test
    domain = domains.get(key_of(subject))
    possible: set[object] | None = set(domain) if domain else None
    excluded: set[object] = set()
    for fact in facts:
        known = _choice_test(fact)
        if known is None or known[0] != subject:
            continue
        if known[2]:
            possible = set(known[1]) if possible is None else possible & known[1]
        else:
            excluded |= known[1]
    if possible is None:
        return not positive and values <= excluded
    possible -= excluded
    return possible <= values if positive else not possible & values


def _choice_test(expression: nodes.Expr) -> tuple[nodes.Expr, set[object], bool] | None:
    """``x == 'a'``, ``x in [...]`` (positive) or ``x != 'a'``, ``x not in [...]``, ``not …``: (x, values, positive)."""
    positive = True
    while isinstance(expression, nodes.Not):
        positive, expression = not positive, expression.node
    if not (isinstance(expression, nodes.Compare) and len(expression.ops) == 1):
        return None
    operand = expression.ops[0]
    items = operand.expr.items if isinstance(operand.expr, (nodes.List, nodes.Tuple)) else [operand.expr]
    if not all(isinstance(item, nodes.Const) for item in items) or operand.op not in ("eq", "in", "ne", "notin"):
        return None
    values = {item.value for item in items if isinstance(item, nodes.Const)}
    return expression.expr, values, positive if operand.op in ("eq", "in") else not positive


def key_of(expression: nodes.Expr) -> str:
    """``a.b.c`` for a chain of attributes on a name; "" otherwise."""
    if isinstance(expression, nodes.Name):
        return expression.name
    if isinstance(expression, nodes.Getattr):
        inner = key_of(expression.node)
        return f"{inner}.{expression.attr}" if inner else ""
    return ""


def source_of(expression: nodes.Node) -> str:
    """The expression as a template would write it (for the message)."""
    if isinstance(expression, nodes.Name):
        return expression.name
    if isinstance(expression, nodes.Getattr):
        return f"{source_of(expression.node)}.{expression.attr}"
    if isinstance(expression, nodes.Const):
        return repr(expression.value)
    if isinstance(expression, nodes.Not):
        return f"not {source_of(expression.node)}"
    if isinstance(expression, (nodes.And, nodes.Or)):
        word = "and" if isinstance(expression, nodes.And) else "or"
        return f"({source_of(expression.left)} {word} {source_of(expression.right)})"
    if isinstance(expression, nodes.Compare):
        words = {
            "eq": "==",
            "ne": "!=",
            "in": "in",
            "notin": "not in",
            "gt": ">",
            "lt": "<",
            "gteq": ">=",
            "lteq": "<=",
        }
        return " ".join(
            [source_of(expression.expr), *(f"{words[op.op]} {source_of(op.expr)}" for op in expression.ops)]
        )
    if isinstance(expression, (nodes.List, nodes.Tuple)):
        return "[" + ", ".join(source_of(item) for item in expression.items) + "]"
    if isinstance(expression, nodes.Test):
        return f"{source_of(expression.node)} is {expression.name}"
    return type(expression).__name__
