"""Resolve the service levels an agreement promises.

Takes validated answers and the library and gives :class:`ServiceLevels`: the catalog,
the chosen standard tier, and per KPI the agreed target next to the tier's standard
value, with every deviation (customer-specific overrides) recorded as better or worse
for the customer; and the service credits that apply (the tier's, or agreed ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slagen.answers import Answers
from slagen.arithmetic import CreditScheme
from slagen.library import Catalog, Kpi, Library, Tier, agreed_targets


@dataclass(frozen=True, slots=True)
class Level:
    """One KPI's agreed target; ``deviation`` is ``better``/``worse`` when it differs from the tier."""

    kpi: Kpi
    target: Any
    standard: Any
    deviation: str | None


@dataclass(frozen=True, slots=True)
class Credits:
    """The service credits of an agreement: bands and cap on the measured value of KPI ``kpi``."""

    kpi: str
    scheme: CreditScheme
    agreed: bool
    """Whether the parties agreed these bands instead of the tier's."""


@dataclass(frozen=True, slots=True)
class ServiceLevels:
    """The catalog and tier an agreement starts from, and what it finally promises."""

    catalog: Catalog
    tier: Tier
    levels: tuple[Level, ...]
    credits: Credits | None = None

    @property
    def deviations(self) -> tuple[Level, ...]:
        """Levels whose target differs from the standard tier."""
        return tuple(level for level in self.levels if level.deviation)


def resolve_service(answers: Answers, library: Library) -> ServiceLevels:
    """Apply ``service.overrides`` to the chosen tier of ``service.catalog``, and pick the credits."""
    catalog = library.catalogs[answers.values["service.catalog"]]
    tier = catalog.tiers[answers.values["service.tier"]]
    targets = agreed_targets(tier, answers.values.get("service.overrides"))
    levels = []
    for kpi_id, kpi in catalog.kpis.items():
        standard = tier.targets[kpi_id]
        target = targets[kpi_id]
        deviation = None
        if kpi.better(target, standard):
            deviation = "better"
        elif kpi.better(standard, target):
            deviation = "worse"
        levels.append(Level(kpi, target, standard, deviation))
    credits = None
    agreed: CreditScheme | None = answers.values.get("credits.scheme")
    scheme = agreed or tier.credits
    if catalog.credit_kpi and scheme is not None:
        credits = Credits(catalog.credit_kpi, scheme, agreed is not None)
    return ServiceLevels(catalog, tier, tuple(levels), credits)
