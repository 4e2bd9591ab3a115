"""What a catalog declares about itself, and what clauses read of it.

Takes a catalog file's catalog-level keys (``kinds``, ``remedies``, ``credit_base``, the optional
``text.<lang>.description``) and gives them typed; gives the ``catalog`` that every clause condition
and template sees: the kinds of service, the remedies, the KPI ids, the KPI groups, the tier terms.
Clauses select by these declarations, never by a catalog's id, so a new catalog of a known kind is
data only (``slagen lint``, rule ``catalogs``, refuses a clause or template that names a catalog).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from slagen import derived
from slagen.errors import Problem
from slagen.yamlsource import YamlSource

if TYPE_CHECKING:  # slagen.catalogs reads the declarations while it loads, so it imports this module
    from slagen.catalogs import Catalog

KINDS = {
    "availability": "a service continuously available, measured as a share of the time",
    "systems": "operation of the customer's systems and applications (backup, maintenance, access)",
    "tickets": "tickets with priorities: response and restore times per priority",
    "inbound_contacts": "calls and contacts the provider receives for the customer",
    "outbound_contacts": "calls and contacts the provider makes for the customer",
    "work_items": "work items with a turnaround time (orders, requests, cases)",
    "deliveries": "deliveries of goods on time and in full",
    "business_processes": "business processes run on the customer's data: accounting, payroll, back office",
}
"""The kinds of service legal's clauses are written for; a catalog declares one or several."""
REMEDIES = ("service_credits", "lump_sum_damages", "escalation")
"""What a missed Service Level leads to: credits on a charge, lump-sum damages, or escalation only."""
CREDIT_BASES = ("monthly_fee", "monthly_recurring_charge")
"""The charge service credits are a share of; each is a defined term of the labels."""
CATALOG_FACTS = ("kinds", "remedies", "credit_base", "kpis", "groups", "terms", "description")
"""What conditions read of ``catalog`` (templates see these too, with the catalog's ``name``)."""


class Declarations(Struct, frozen=True):
    """A catalog's declarations about the service it describes."""

    kinds: tuple[str, ...] = ()
    remedies: tuple[str, ...] = ("escalation",)
    credit_base: str = "monthly_fee"


def parse_declarations(source: YamlSource, credit_kpi: str, problems: list[Problem]) -> Declarations:
    """The ``kinds``, ``remedies`` and ``credit_base`` of the catalog file ``source``, checked."""
    data = source.data
    kinds = _names(source, "kinds", tuple(KINDS), problems)
    if not kinds:
        message = f"declare the kinds of service (one or several of: {', '.join(KINDS)})"
        problems.append(Problem(message, source.path, source.line_of(("kinds",)) or 1, "kinds"))
    remedies = _names(source, "remedies", REMEDIES, problems)
    if "remedies" not in data:
        remedies = ("service_credits",) if credit_kpi else ("escalation",)
    elif ("service_credits" in remedies) != bool(credit_kpi):
        message = (
            "service_credits needs a credit KPI (catalog field 'credits')"
            if credit_kpi == ""
            else f"the catalog names a credit KPI ('{credit_kpi}'): list service_credits among the remedies"
        )
        problems.append(Problem(message, source.path, source.line_of(("remedies",)), "remedies"))
    base = str(data.get("credit_base") or "monthly_fee")
    if base not in CREDIT_BASES:
        message = f"credit_base must be one of {', '.join(CREDIT_BASES)}"
        problems.append(Problem(message, source.path, source.line_of(("credit_base",)), "credit_base"))
    return Declarations(kinds, remedies, base)


def _names(source: YamlSource, key: str, allowed: tuple[str, ...], problems: list[Problem]) -> tuple[str, ...]:
    given = source.data.get(key)
    if given is None:
        return ()
    if isinstance(given, str):
        given = [given]
    if not isinstance(given, list):
        problems.append(Problem(f"expected a list of {key}", source.path, source.line_of((key,)), key))
        return ()
    names = []
    for i, name in enumerate(given):
        if name not in allowed:
            message = f"'{name}' is not one of {', '.join(allowed)}"
            problems.append(Problem(message, source.path, source.line_of((key, str(i))), f"{key}.{i}"))
        elif name not in names:
            names.append(str(name))
    return tuple(names)


def catalog_facts(catalog: Catalog) -> dict[str, Any]:
    """What conditions and templates read of ``catalog`` (:data:`CATALOG_FACTS`)."""
    return {
        "kinds": list(catalog.declared.kinds),
        "remedies": list(catalog.declared.remedies),
        "credit_base": catalog.declared.credit_base,
        "kpis": list(catalog.kpis),
        "groups": sorted({kpi.group for kpi in catalog.kpis.values() if kpi.group}),
        "terms": list(catalog.terms),
        "description": all(str((text or {}).get("description") or "").strip() for text in catalog.text.values()),
    }


NO_CATALOG: dict[str, Any] = {
    "kinds": [],
    "remedies": [],
    "credit_base": "",
    "kpis": [],
    "groups": [],
    "terms": [],
    "description": False,
}
"""What a condition reads while the answers name no (known) catalog: it has nothing."""


def with_facts(tree: Mapping[str, Any], facts: Any) -> dict[str, Any]:
    """The names a clause condition reads: the answers ``tree``, the catalog's ``facts`` and the derived values.

    What is derived from the answers (:mod:`slagen.derived`) is read as ``derived.<name>``, computed from
    ``tree`` when a condition reads it.
    """
    return {**tree, "catalog": facts, derived.NAMESPACE: derived.of_tree(tree)}


def with_catalog(catalogs: Mapping[str, Catalog], catalog_key: str | None, tree: Mapping[str, Any]) -> dict[str, Any]:
    """The names a clause condition reads (:func:`with_facts`) with the ``catalog`` the answers name.

    ``catalog_key`` is the answer key of the catalog (``service.catalog``). An answer not given yet (the
    interview's unknown) stands for the catalog's facts too, so a condition on them stays undecided.
    """
    value: Any = tree
    for part in (catalog_key or "").split(".") if catalog_key else ():
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str) and value in catalogs:
        facts: Any = catalog_facts(catalogs[value])
    elif value is None or isinstance(value, str):
        facts = NO_CATALOG
    else:  # an answer not given yet
        facts = value
    return with_facts(tree, facts)
