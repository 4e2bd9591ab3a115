"""What an agreement promises, as objectives a monitoring system can watch: one :class:`Objective` per KPI.

Takes validated answers and the library and gives an :class:`Export`: the agreement's identity
(contract reference, customer, catalog, tier) and an objective for every KPI that is a share of
events or of time, each with its target, window, clause and credit bands. The rest is listed in
``left_out`` with the reason, and every format says it. The choices:

- a Service Level that is a rate (percent) is a ratio of good (or, for an at-most rate, bad) events
  to all events, or of good time slices when :func:`~slagen.slo.window.window_of` gives slices;
- a rate fed by exactly one per-event measure (80 % of calls answered within 20 s) is one objective
  with a threshold: each event's value against the measure's target, the rate as the target;
- a rate fed by several measures (incidents within their response and restore times) is a ratio,
  and each measure is an objective of its own, labelled ``role: measure``, with the rate as its
  target: an early warning per time limit, while the contract counts an event as met only when
  every limit is;
- a figure per period (calls per agent and day, an average answer time) has no error budget, and a
  target of 100 % leaves none (OpenSLO's ``target`` is below 1): both are left out, for
  ``slagen report`` to compute.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from msgspec import Struct

from slagen.answers import Answers
from slagen.arithmetic import HUNDRED, CreditScheme
from slagen.catalogs import Kpi
from slagen.errors import InputError
from slagen.library import Library
from slagen.params import Duration
from slagen.resolve import ServiceLevels, resolve_service
from slagen.slo.window import Window, window_of

LEVELS_CLAUSE = "services.levels"
"""The clause that states the Service Levels, for a KPI that no clause of its own shows."""


class Objective(Struct, frozen=True):
    """One KPI as an objective: the share of good events (or time slices) the agreement owes.

    ``kind`` is ``ratio`` (good or bad events over all events), ``slices`` (good time slices over
    all slices) or ``threshold`` (each event's value compared with ``threshold`` seconds by ``op``).
    ``target`` is the owed share in percentage points, below 100; ``internal`` the share with
    the margin an operator keeps, or None. ``counts`` says whether the indicator counts the
    ``good`` or the ``bad`` events.
    """

    kpi: str
    name: str
    role: str
    kind: str
    target: Decimal
    window: Window
    clause: str
    clause_version: int
    counts: str = "good"
    threshold: Decimal | None = None
    op: str = ""
    measure: str = ""
    """The per-event KPI whose target is the threshold (``answer_threshold``), if any."""
    feeds: str = ""
    """For a measure: the Service Level it feeds."""
    internal: Decimal | None = None
    credits: str = ""
    """The credit bands and cap on this KPI, as text; empty when it earns none."""
    note: str = ""
    period: str = "per calendar month"
    """The catalog's wording of the period the owed share is measured over (the rate's, for a measure)."""
    formula: str = ""
    """The catalog's formula of this KPI, with the parties' names."""


class Export(Struct, frozen=True):
    """An agreement's objectives and what identifies them: contract, customer, catalog, tier."""

    reference: str
    customer: str
    catalog: str
    catalog_name: str
    tier: str
    tier_name: str
    kind: str
    effective: dt.date
    languages: tuple[str, ...]
    time_zone: str
    objectives: tuple[Objective, ...]
    left_out: tuple[tuple[str, str], ...]
    """KPIs not exported, with the reason, in catalog order."""


def export_objectives(answers: Answers, library: Library, *, margin: Decimal | None = None) -> Export:
    """The objectives of the agreement ``answers``; ``margin`` (percentage points) adds an internal objective."""
    service = resolve_service(answers, library)
    if service.tier is None:
        raise InputError.single(
            "a multi-level agreement without a chosen tier has no targets to export; name the tier in service.tier",
            file=answers.source.path,
            line=answers.source.line_of(("service",)),
            key="service.tier",
        )
    targets = _targets(service)
    kpis = service.catalog.kpis
    # the per-event time limits that feed each rate (a measure of another unit is left out, with its reason)
    feeders = {sl: [k for k in kpis.values() if k.feeds == sl and k.unit == "duration"] for sl in kpis}
    objectives: list[Objective] = []
    left_out: list[tuple[str, str]] = []
    for kpi in kpis.values():
        reason = _left_out(kpi, targets, kpis, feeders)
        if reason:
            left_out.append((kpi.id, reason))
        elif not (kpi.feeds and len(feeders.get(kpi.feeds, [])) == 1):
            objectives.append(_objective(kpi, answers, library, service, targets, feeders[kpi.id], margin))
    first = objectives[0].window if objectives else None
    return Export(
        reference=str(answers.values["agreement.reference"]),
        customer=str(answers.values["parties.customer.name"]),
        catalog=service.catalog.id,
        catalog_name=_english(service.catalog.text, "name"),
        tier=service.tier.id,
        tier_name=service.tier.name,
        kind=str(answers.values.get("agreement.kind") or "external"),
        effective=answers.values["agreement.effective_date"],
        languages=tuple(answers.values["languages"]),
        time_zone=first.time_zone if first else "",
        objectives=tuple(objectives),
        left_out=tuple(left_out),
    )


def _targets(service: ServiceLevels) -> dict[str, Any]:
    if not service.multi_level:
        return {level.kpi.id: level.target for level in service.levels}
    at = service.offered.index(service.tier)
    return {level.kpi.id: level.per_tier[at] for level in service.levels}


def _left_out(kpi: Kpi, targets: dict[str, Any], kpis: dict[str, Kpi], feeders: dict[str, list[Kpi]]) -> str:
    """Why ``kpi`` has no objective of its own ("" if it has one, or is folded into the rate it feeds)."""
    if kpi.role == "measure":
        fed = kpis.get(kpi.feeds)
        if fed is None:
            return "a per-event target that feeds no Service Level"
        if kpi.unit != "duration":
            return f"a per-event {kpi.unit} target, not a time limit"
        return "feeds " + fed.id + ", which is left out" if _left_out(fed, targets, kpis, feeders) else ""
    if kpi.unit == "count":
        return "a count per period, not a share of events: no error budget; slagen report computes it"
    if kpi.unit == "duration":
        return "a time per period (an average), not a share of events: no error budget; slagen report computes it"
    share = _share(kpi, targets[kpi.id])
    if share >= HUNDRED:
        return "a target of 100 % leaves no error budget (an objective's target is below 1)"
    if share <= 0:
        return "a target of 0 % promises nothing to watch"
    return ""


def _share(kpi: Kpi, target: Any) -> Decimal:
    """The share of good events a percent target owes: the target itself, or 100 less an at-most rate."""
    value = Decimal(target)
    return value if kpi.direction == "at_least" else HUNDRED - value


def _objective(
    kpi: Kpi,
    answers: Answers,
    library: Library,
    service: ServiceLevels,
    targets: dict[str, Any],
    feeders: list[Kpi],
    margin: Decimal | None,
) -> Objective:
    rate = service.catalog.kpis[kpi.feeds] if kpi.role == "measure" else kpi
    share = _share(rate, targets[rate.id])
    clause_id, version = _clause_of(kpi, answers)
    window = window_of(kpi, answers, feeds=rate)
    fields: dict[str, Any] = {}
    if kpi.role == "measure":
        fields = _threshold(kpi, targets) | {"feeds": rate.id, "note": _measure_note(rate)}
    elif len(feeders) == 1:
        fields = _threshold(feeders[0], targets) | {"measure": feeders[0].id}
    elif window.slice:
        fields = {"kind": "slices"}
    else:
        fields = {"kind": "ratio", "counts": "good" if kpi.direction == "at_least" else "bad"}
    if len(feeders) > 1:
        fields["note"] = _rate_note(kpi, feeders)
    return Objective(
        kpi=kpi.id,
        name=_english(kpi.text, "name"),
        role=kpi.role,
        target=share,
        window=window,
        clause=clause_id,
        clause_version=version,
        internal=_internal(kpi, share, margin),
        credits=_credits_text(service, kpi),
        period=_english(rate.text, "period") or "per calendar month",
        formula=_with_parties(_formula(kpi, service, library, answers), answers, library),
        **fields,
    )


def promise(objective: Objective, share: Decimal | None = None) -> str:
    """The promise in words: "at least 99.9 %", "at most 5 %", "at least 80 % of events take at most 20 s"."""
    share = objective.target if share is None else share
    if objective.kind == "threshold":
        words = {"lte": "at most", "lt": "less than", "gte": "at least", "gt": "more than"}[objective.op]
        limit = plain(objective.threshold if objective.threshold is not None else Decimal(0))
        return f"at least {plain(share)} % of events take {words} {limit} s"
    if objective.counts == "bad":
        return f"at most {plain(HUNDRED - share)} %"
    return f"at least {plain(share)} %"


def _threshold(measure: Kpi, targets: dict[str, Any]) -> dict[str, Any]:
    limit: Duration = targets[measure.id]
    op = "lte" if measure.direction == "at_most" else "gte"
    return {"kind": "threshold", "threshold": limit.seconds, "op": op}


def _measure_note(rate: Kpi) -> str:
    return (
        f"A measure that feeds {rate.id}: the contract counts an event as met only when every time limit that "
        f"feeds {rate.id} is met; this objective warns early, per time limit, with the rate's target."
    )


def _rate_note(kpi: Kpi, feeders: list[Kpi]) -> str:
    return f"An event counts as good when it met every one of: {', '.join(f.id for f in feeders)}."


def _internal(kpi: Kpi, share: Decimal, margin: Decimal | None) -> Decimal | None:
    """The internal objective: the owed share plus ``margin`` points; one that leaves no budget is refused."""
    if margin is None:
        return None
    internal = share + margin
    if internal >= HUNDRED:
        raise InputError.single(
            f"{plain(margin)} points above the {plain(share)} % that {kpi.id} owes is {plain(internal)} %, "
            "which leaves no error budget; choose a smaller margin",
            key="--margin",
        )
    return internal


def _clause_of(kpi: Kpi, answers: Answers) -> tuple[str, int]:
    """The selected clause that shows ``kpi``: its group's (``services.incidents``), one named after it, or levels."""
    selected = {clause.id.rsplit(".", 1)[-1]: clause for clause in answers.clauses}
    for name in (kpi.group, kpi.id):
        if name and name in selected:
            return selected[name].id, selected[name].version
    levels = next((c for c in answers.clauses if c.id == LEVELS_CLAUSE), None)
    return (LEVELS_CLAUSE, levels.version) if levels else (LEVELS_CLAUSE, 0)


def _credits_text(service: ServiceLevels, kpi: Kpi) -> str:
    credits = service.credits
    if credits is None or credits.kpi != kpi.id:
        return ""
    scheme: CreditScheme | None = credits.scheme
    if service.multi_level:
        scheme = credits.per_tier[service.offered.index(service.tier)]
    if scheme is None:
        return ""
    bands = []
    for band in scheme.bands:
        lower = f"from {_pct(band.lower)} " if band.lower is not None else ""
        bands.append(f"{lower}below {_pct(band.upper)}: {_pct(band.credit)}")
    return "; ".join(bands) + f"; cap {_pct(scheme.cap)} of the fee for the month"


def _pct(value: Decimal) -> str:
    return f"{plain(value)} %"


def plain(value: Decimal) -> str:
    """A Decimal as written, without exponent or trailing zeros.

    >>> plain(Decimal("99.90")), plain(Decimal("3600")), plain(Decimal("0.9990"))
    ('99.9', '3600', '0.999')
    """
    text = format(value.normalize(), "f")
    return text


def _with_parties(text: str, answers: Answers, library: Library) -> str:
    """The catalog's wording with the parties' defined terms ("the Provider's staff"), as the contract has it."""
    from slagen.context import kind_labels

    law = str(answers.values.get("agreement.governing_law") or "")
    kind = str(answers.values.get("agreement.kind") or "external")
    terms = (kind_labels(library, "en", kind, law).get("terms") or {}) if "en" in library.labels else {}
    for party in ("provider", "customer"):
        text = text.replace("{" + party + "}", str(terms.get(party) or party))
    return text


def _formula(kpi: Kpi, service: ServiceLevels, library: Library, answers: Answers) -> str:
    """The KPI's formula as the contract's annex states it in English, with the definition's own rules."""
    from slagen.context import kind_labels
    from slagen.measure_rules import formula

    law = str(answers.values.get("agreement.governing_law") or "")
    kind = str(answers.values.get("agreement.kind") or "external")
    words = kind_labels(library, "en", kind, law).get("measures") if "en" in library.labels else None
    limits = sum(1 for other in service.catalog.kpis.values() if other.feeds == kpi.id)
    return formula(_english(kpi.text, "formula"), kpi.measure, words, "en_GB", limits=max(limits, 1))


def _english(text: dict[str, Any], part: str) -> str:
    wording: dict[str, Any] = text.get("en") or next(iter(text.values()), {}) or {}
    return str(wording.get(part) or "")
