"""Lint rule ``catalogs``: clauses select by what a catalog declares, never by its name.

Takes a loaded library and gives findings ``(file, line, message)``:

- a clause condition or template that names a catalog: reads the catalog answer (``service.catalog``)
  or ``catalog.id``, or writes a catalog's id as a text (``'it-service'``);
- a catalog whose declarations a clause it may select needs but does not find: the clause's
  template reads a KPI (``level.p1_restore``) or a tier term (``tier.service_from``) the catalog
  does not have.

Which clauses a catalog may select is decided by their conditions with the catalog's declarations
and every answer still open (as the interview decides whether a question may matter).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes

from slagen.catalogfacts import CATALOG_FACTS, catalog_facts, with_facts
from slagen.catalogs import Catalog
from slagen.errors import LibraryError
from slagen.interview.undecided import UNKNOWN, may_hold
from slagen.library import Clause, Library
from slagen.names import chains
from slagen.sandbox import make_environment
from slagen.select import compile_conditions, line_of_when

TEMPLATE_CATALOG = frozenset({*CATALOG_FACTS, "name", "description"})
"""What a template reads of ``catalog``: the declarations and the catalog's wording in its language."""

Found = tuple[str, int, str]


def catalog_read_problem(parts: tuple[str, ...], *, condition: bool) -> str | None:
    """Why reading ``catalog.<parts>`` is wrong (None if it reads a declaration)."""
    if not parts:
        return None
    if parts[0] == "id":
        return "'catalog.id' names a catalog: select by its declarations (catalog.kinds, catalog.remedies, …)"
    allowed = CATALOG_FACTS if condition else TEMPLATE_CATALOG
    if parts[0] not in allowed:
        return f"a catalog declares no '{parts[0]}' (one of: {', '.join(sorted(allowed))})"
    return None


def check_catalogs(library: Library) -> list[Found]:
    """The findings of rule ``catalogs`` for ``library``."""
    env = make_environment(library.template_root, bytecode_cache=False)
    found: list[Found] = []
    sources = {clause.id: list(_sources(library, env, clause)) for clause in library.clauses}  # parsed once
    for clause in library.clauses:
        for file, tree, line in sources[clause.id]:
            found += [(file, line or at, message) for at, message in _named_catalogs(library, tree)]
    reads = {
        clause_id: [
            (file, _guarded(tree), list(chains(tree))) for file, tree, _ in parsed if file.startswith("templates/")
        ]
        for clause_id, parsed in sources.items()
    }
    found += _needs(library, env, reads)
    return found


def _sources(library: Library, env: Environment, clause: Clause) -> Iterator[tuple[str, nodes.Template, int | None]]:
    """The condition (at its ``when:`` line) and every template of ``clause``, parsed."""
    parse = env.parse
    if clause.when:
        try:
            condition = parse(f"{{{{ {clause.when} }}}}")
        except TemplateSyntaxError:
            condition = None  # the conditions rule reports it
        if condition is not None:
            yield clause.path, condition, line_of_when(library, clause)
    for lang in library.languages:
        name = f"templates/{lang}/{clause.template_name}"
        try:
            yield name, parse((library.root / name).read_text(encoding="utf-8")), None
        except (OSError, TemplateSyntaxError):
            continue  # the languages and variables rules report it


def _named_catalogs(library: Library, tree: nodes.Template) -> Iterator[tuple[int, str]]:
    key = library.key_of("catalog") or ""
    for chain in chains(tree):
        if ".".join((chain.root, *chain.parts)).startswith(key) and key:
            yield chain.line, f"reads '{key}': select by the catalog's declarations (catalog.kinds, …), not its id"
        elif chain.root == "catalog" and chain.parts[:1] == ("id",):
            yield chain.line, "reads 'catalog.id': select by the catalog's declarations (catalog.kinds, …)"
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, str) and const.value in library.catalogs:
            yield const.lineno, f"names the catalog '{const.value}': select by its declarations (catalog.kinds, …)"


def _needs(
    library: Library, env: Environment, reads: dict[str, list[tuple[str, set[object], list[Any]]]]
) -> list[Found]:
    """Catalogs that lack a KPI or tier term a clause they may select reads."""
    try:
        conditions = compile_conditions(library, env)
    except LibraryError:
        return []  # the conditions and variables rules report it
    tree: dict[str, object] = {}
    for param in library.params:
        *parents, leaf = param.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})  # type: ignore[assignment]
        node[leaf] = UNKNOWN
    found: list[Found] = []
    for catalog in library.catalogs.values():
        names = with_facts(tree, catalog_facts(catalog))
        for clause in library.clauses:
            condition = conditions.get(clause.id)
            if condition is None or may_hold(condition, names):
                found += _missing(library, reads[clause.id], clause, catalog)
    return found


def _missing(
    library: Library, reads: list[tuple[str, set[object], list[Any]]], clause: Clause, catalog: Catalog
) -> list[Found]:
    terms = {"id", "name", "rank", "chosen", "credits", *catalog.terms}
    known_kpis = {kpi for other in library.catalogs.values() for kpi in other.kpis}  # others: rule variables
    known_terms = {term for other in library.catalogs.values() for term in other.terms}
    found: list[Found] = []
    for file, guarded, read in reads:
        for chain in read:
            if (chain.root, chain.parts[:1]) in guarded or chain.line in guarded:
                continue
            if chain.root == "level" and chain.parts[:1] and chain.parts[0] in known_kpis - set(catalog.kpis):
                what = f"KPI '{chain.parts[0]}'"
            elif chain.root == "tier" and chain.parts[:1] and chain.parts[0] in known_terms - terms:
                what = f"tier term '{chain.parts[0]}'"
            else:
                continue
            message = (
                f"clause '{clause.id}' applies to catalog '{catalog.id}' (its when: {clause.when}) and reads its "
                f"{what}, which the catalog does not declare"
            )
            found.append((file, chain.line, message))
    return found


def _guarded(tree: nodes.Template) -> set[object]:
    """What a template reads only where it has checked for it: ``x is defined``, or in a branch on ``catalog``.

    Gives the chains tested with ``is defined`` (``('level', ('p1_restore',))``) and the lines of the
    branches whose test reads the catalog's declarations.
    """
    guarded: set[object] = set()
    for test in tree.find_all(nodes.Test):
        if isinstance(test, nodes.Test) and test.name == "defined":
            for chain in chains(test):
                guarded.add((chain.root, chain.parts[:1]))
    for branch in tree.find_all(nodes.If):
        if isinstance(branch, nodes.If) and any(c.root == "catalog" for c in chains(branch.test)):
            for node in (*branch.body, *branch.elif_, *branch.else_):
                for inner in node.find_all(nodes.Node):
                    guarded.add(inner.lineno)
                guarded.add(node.lineno)
    return guarded
