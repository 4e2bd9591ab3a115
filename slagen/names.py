"""The names a template or a condition is written to read, found in its syntax tree (never rendered).

:mod:`slagen.lint` checks with them that templates read declared answers, labels and KPIs, and
:mod:`slagen.select` that conditions read declared answers. These are checks for the people who
write a library; what a rendering really read, for reusing it, is recorded while it renders
(:mod:`slagen.recording`), not found here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jinja2 import nodes
from msgspec import Struct


class Chain(Struct, dict=True):
    """A variable a template reads: its root name and the attribute or item names after it, as far as written."""

    root: str
    parts: tuple[str, ...]
    line: int
    open: bool = False
    """Whether an index computed at run time follows ``parts`` (what comes after it is not checked)."""


def chains(tree: nodes.Node) -> Iterator[Chain]:
    """Every variable read in ``tree``, as long as written: ``a.b['c'].d`` is ``a`` with ``(b, c, d)``."""
    inner = {
        id(node.node)
        for node in tree.find_all((nodes.Getattr, nodes.Getitem))
        if isinstance(node, (nodes.Getattr, nodes.Getitem))
    }
    called = {id(node.node) for node in tree.find_all(nodes.Call) if isinstance(node, nodes.Call)}
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        if id(node) in inner or (isinstance(node, nodes.Name) and node.ctx != "load"):
            continue
        chain = chain_of(node)
        if chain is not None:
            if id(node) in called and chain.parts:
                chain.parts = chain.parts[:-1]  # a method call such as .items()
            yield chain


def chain_of(node: nodes.Node) -> Chain | None:
    """The variable ``node`` reads, or None if it does not start at a name."""
    parts: list[str] = []
    open_ = False
    current = node
    while isinstance(current, (nodes.Getattr, nodes.Getitem)):
        if isinstance(current, nodes.Getattr):
            parts.append(current.attr)
        elif isinstance(current.arg, nodes.Const) and isinstance(current.arg.value, str):
            parts.append(current.arg.value)
        else:  # an index computed at run time: only what comes before it is known
            parts.clear()
            open_ = True
        current = current.node
    if not isinstance(current, nodes.Name):
        return None
    return Chain(current.name, tuple(reversed(parts)), node.lineno, open_)


def aliases(tree: nodes.Node, declared: Iterable[str]) -> dict[str, Chain]:
    """``{% set t = agreement.term %}``: ``t`` stands for ``agreement.term``."""
    roots = set(declared)
    found: dict[str, Chain] = {}
    for assign in tree.find_all(nodes.Assign):
        if isinstance(assign.target, nodes.Name):
            chain = chain_of(assign.node)
            if chain is not None and (chain.root in roots or chain.root in found):
                base = found.get(chain.root)
                found[assign.target.name] = extend(base, chain) if base else chain
    return found


def extend(base: Chain, chain: Chain) -> Chain:
    """``chain`` read through the alias ``base`` (``t.months`` with ``t = agreement.term``)."""
    if base.open:
        return Chain(base.root, base.parts, chain.line, open=True)
    return Chain(base.root, base.parts + chain.parts, chain.line, chain.open)


def term_calls(tree: nodes.Node) -> Iterator[tuple[str, int, bool]]:
    """``define('x')`` and ``term('x')`` written with a constant term: (term, line, defining)."""
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in ("define", "term") and call.args:
            argument = call.args[0]
            if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
                yield argument.value, call.lineno, call.node.name == "define"
