"""Resolve the service levels an agreement promises.

Takes validated answers and the library and gives :class:`ServiceLevels`: the catalog,
the chosen standard tier, and per KPI the agreed target next to the tier's standard
value, with every deviation (customer-specific overrides) recorded as better or worse
for the customer; and the service credits that apply (the tier's, or agreed ones).
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct

from slagen.answers import Answers
from slagen.arithmetic import CreditScheme
from slagen.catalogs import Catalog, Kpi, Tier, agreed_targets
from slagen.library import Library


class Level(Struct, frozen=True):
    """One KPI's agreed target; ``deviation`` is ``better``/``worse`` when it differs from the tier.

    In a multi-level agreement ``target`` and ``standard`` are None (no one target applies):
    ``per_tier`` holds each offered tier's target, in the order of ``ServiceLevels.offered``.
    """

    kpi: Kpi
    target: Any
    standard: Any
    deviation: str | None
    per_tier: tuple[Any, ...] = ()


class Credits(Struct, frozen=True):
    """The service credits of an agreement: bands and cap on the measured value of KPI ``kpi``.

    In a multi-level agreement ``scheme`` is None and ``per_tier`` holds each offered tier's
    bands (None for a tier without credits), in the order of ``ServiceLevels.offered``.
    """

    kpi: str
    scheme: CreditScheme | None
    agreed: bool
    """Whether the parties agreed these bands instead of the tier's."""
    per_tier: tuple[CreditScheme | None, ...] = ()


class ServiceLevels(Struct, frozen=True):
    """The catalog and tier an agreement starts from, and what it finally promises.

    ``offered`` are the tiers the contract sets out side by side, by rank: several in a
    multi-level agreement (``tier`` is then the chosen one, or None before the customer
    chooses), else just ``tier``.
    """

    catalog: Catalog
    tier: Tier | None
    levels: tuple[Level, ...]
    credits: Credits | None = None
    offered: tuple[Tier, ...] = ()

    @property
    def multi_level(self) -> bool:
        """Whether several tiers are offered side by side."""
        return len(self.offered) > 1


CREDITS_CLAUSE = "organisation.credits"
"""The clause that grants service credits: without it (an internal agreement) the agreement has none."""


READS = (
    "service.catalog",
    "service.tier",
    "agreement.model",
    "service.offered_tiers",
    "service.overrides",
    "credits.scheme",
)
"""The answers :func:`resolve_service` reads, beside whether the credits clause is selected."""


def resolve_service(answers: Answers, library: Library) -> ServiceLevels:
    """Apply ``service.overrides`` to the chosen tier of ``service.catalog``, and pick the credits.

    A multi-level agreement (``service.offered_tiers``) gives every offered tier's targets
    and credits instead, with the chosen tier (``service.tier``) if there is one. Credits apply
    only when the agreement contains the credits clause. Reads only the answers in :data:`READS`.
    """
    with_credits = any(clause.id == CREDITS_CLAUSE for clause in answers.clauses)
    return _resolve(answers.values, library, with_credits)


def service_key(answers: Answers, library: Library) -> tuple[Any, ...]:
    """Everything :func:`resolve_service` reads: the library (root and content) and the answers of :data:`READS`."""
    with_credits = any(clause.id == CREDITS_CLAUSE for clause in answers.clauses)
    return (str(library.root), library.digest, with_credits, *(answers.values.get(name) for name in READS))


def _resolve(values: dict[str, Any], library: Library, with_credits: bool) -> ServiceLevels:
    catalog = library.catalogs[values["service.catalog"]]
    chosen = catalog.tiers.get(values.get("service.tier") or "")
    if values.get("agreement.model") == "multi-level":
        return _multi_level(catalog, chosen, values.get("service.offered_tiers") or [], with_credits)
    assert chosen is not None, "validation requires a tier outside multi-level agreements"
    targets = agreed_targets(chosen, values.get("service.overrides"))
    levels = []
    for kpi_id, kpi in catalog.kpis.items():
        standard = chosen.targets[kpi_id]
        target = targets[kpi_id]
        deviation = None
        if kpi.better(target, standard):
            deviation = "better"
        elif kpi.better(standard, target):
            deviation = "worse"
        levels.append(Level(kpi, target, standard, deviation))
    credits = None
    agreed: CreditScheme | None = values.get("credits.scheme")
    scheme = agreed or chosen.credits
    if with_credits and catalog.credit_kpi and scheme is not None:
        credits = Credits(catalog.credit_kpi, scheme, agreed is not None)
    return ServiceLevels(catalog, chosen, tuple(levels), credits, (chosen,))


def _multi_level(catalog: Catalog, chosen: Tier | None, offered_ids: list[str], with_credits: bool) -> ServiceLevels:
    order = {tier_id: i for i, tier_id in enumerate(offered_ids)}
    offered = tuple(sorted((catalog.tiers[t] for t in offered_ids), key=lambda t: (t.rank, order[t.id])))
    levels = tuple(
        Level(kpi, None, None, None, tuple(tier.targets[kpi_id] for tier in offered))
        for kpi_id, kpi in catalog.kpis.items()
    )
    credits = None
    schemes = tuple(tier.credits for tier in offered)
    if with_credits and catalog.credit_kpi and any(schemes):
        credits = Credits(catalog.credit_kpi, None, False, schemes)
    return ServiceLevels(catalog, chosen, levels, credits, offered)
