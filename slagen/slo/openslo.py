"""OpenSLO v1 documents of an agreement: one ``Service``, and an ``SLI`` and an ``SLO`` per objective.

Every SLO's window is the contract's: ``1M`` (a month; ``1m`` would be a minute) aligned to the
calendar in the agreement's time zone. Targets are OpenSLO's ``target`` in [0, 1), the contract's
percentage divided by 100 exactly. A threshold SLI allows one objective only (the specification
says so), so the internal objective of a threshold is an SLO of its own, ``…-internal``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from slagen.arithmetic import HUNDRED
from slagen.slo.objectives import Export, Objective, promise
from slagen.slo.queries import instant_queries
from slagen.slo.texts import WindowWarnings, rfc1123

API_VERSION = "openslo/v1"
ANNOTATION = "slagen/"
"""The prefix of slagen's annotations (a DNS subdomain, as the specification asks of a prefix)."""
DESCRIPTION_LIMIT = 1050


def openslo_documents(export: Export, warnings: WindowWarnings) -> list[dict[str, Any]]:
    """The Service, then per objective its SLI and SLO(s), in catalog order."""
    service = rfc1123(export.reference)
    documents: list[dict[str, Any]] = [_service(export, service)]
    for objective in export.objectives:
        sli = rfc1123(export.reference, objective.kpi, "sli")
        documents.append(_sli(export, objective, sli))
        documents.append(_slo(export, objective, service, sli, warnings, internal=False))
        if objective.internal is not None and objective.kind == "threshold":
            documents.append(_slo(export, objective, service, sli, warnings, internal=True))
    return documents


def fraction(percent: Decimal) -> Decimal:
    """A percentage as OpenSLO's ``target``, exactly.

    >>> fraction(Decimal("99.9")), fraction(Decimal("80")), fraction(Decimal("99.95"))
    (Decimal('0.999'), Decimal('0.8'), Decimal('0.9995'))
    """
    return (percent / HUNDRED).normalize()


def _labels(export: Export, **more: str) -> dict[str, str]:
    return {
        "contract": export.reference,
        "tier": export.tier,
        "catalog": export.catalog,
        "customer": export.customer,
        **more,
    }


def _service(export: Export, name: str) -> dict[str, Any]:
    description = (
        f"{export.catalog_name}, tier {export.tier_name}, for {export.customer} under agreement {export.reference}"
        f" ({'operational level agreement' if export.kind == 'internal' else 'service level agreement'})."
    )
    return {
        "apiVersion": API_VERSION,
        "kind": "Service",
        "metadata": {
            "name": name,
            "displayName": f"{export.reference}: {export.catalog_name}",
            "labels": _labels(export),
        },
        "spec": {"description": _short(description)},
    }


def _sli(export: Export, objective: Objective, name: str) -> dict[str, Any]:
    queries = instant_queries(export, objective)
    source = {"type": "Prometheus", "spec": {"query": ""}}

    def metric(query: str) -> dict[str, Any]:
        return {"metricSource": source | {"spec": {"query": query}}}

    if objective.kind == "threshold":
        spec: dict[str, Any] = {"thresholdMetric": metric(queries["value"])}
        what = f"the seconds each event of {objective.measure or objective.kpi} takes"
    else:
        counted = "good" if "good" in queries else "bad"
        spec = {"ratioMetric": {"counter": True, counted: metric(queries[counted]), "total": metric(queries["total"])}}
        what = f"{counted} events of {objective.kpi} over all its events"
        if objective.kind == "slices":
            what = f"time slices of {objective.window.slice} in which {objective.kpi} held, over all slices"
    description = (
        f"{objective.name}: {what}. The metric source is a placeholder for operations to fill in "
        "(slagen's naming convention: slagen_sla_events_total, slagen_sla_event_seconds)."
    )
    return {
        "apiVersion": API_VERSION,
        "kind": "SLI",
        "metadata": {"name": name, "displayName": objective.name, "labels": _labels(export, kpi=objective.kpi)},
        "spec": {"description": _short(description), **spec},
    }


def _slo(
    export: Export,
    objective: Objective,
    service: str,
    sli: str,
    warnings: WindowWarnings,
    *,
    internal: bool,
) -> dict[str, Any]:
    window = objective.window
    name = rfc1123(export.reference, objective.kpi, *(["internal"] if internal else []))
    objectives = _objectives(objective, internal=internal)
    description = (
        f"{objective.name}, {objective.period}: {promise(objective)} (tier {export.tier_name}, "
        f"agreement {export.reference}, clause {objective.clause} version {objective.clause_version})."
    )
    return {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {
            "name": name,
            "displayName": objective.name + (" (internal)" if internal else ""),
            "labels": _labels(export, kpi=objective.kpi, role=objective.role),
            "annotations": _annotations(objective, warnings),
        },
        "spec": {
            "description": _short(description),
            "service": service,
            "indicatorRef": sli,
            "timeWindow": [
                {
                    "duration": window.duration,
                    "isRolling": False,
                    "calendar": {"startTime": window.start_time, "timeZone": window.time_zone},
                }
            ],
            "budgetingMethod": "Timeslices" if objective.kind == "slices" else "Occurrences",
            "objectives": objectives,
        },
    }


def _objectives(objective: Objective, *, internal: bool) -> list[dict[str, Any]]:
    def one(display: str, target: Decimal) -> dict[str, Any]:
        entry: dict[str, Any] = {"displayName": display}
        if objective.kind == "threshold":
            entry |= {"op": objective.op, "value": objective.threshold}
        entry["target"] = fraction(target)
        if objective.kind == "slices":
            # a slice (one check a minute) is good only when the service was available throughout it
            entry |= {"timeSliceTarget": Decimal(1), "timeSliceWindow": objective.window.slice}
        return entry

    if internal:
        assert objective.internal is not None
        return [one("internal", objective.internal)]
    entries = [one("SLA", objective.target)]
    if objective.internal is not None and objective.kind != "threshold":
        entries.append(one("internal", objective.internal))
    return entries


def _annotations(objective: Objective, warnings: WindowWarnings) -> dict[str, str]:
    notes = {
        f"{ANNOTATION}clause": objective.clause,
        f"{ANNOTATION}clause-version": str(objective.clause_version),
    }
    if objective.credits:
        notes[f"{ANNOTATION}credit-bands"] = objective.credits
    if objective.formula:
        notes[f"{ANNOTATION}formula"] = objective.formula
    if objective.feeds:
        notes[f"{ANNOTATION}feeds"] = objective.feeds
    if objective.note:
        notes[f"{ANNOTATION}note"] = objective.note
    if objective.window.note:
        notes[f"{ANNOTATION}period"] = objective.window.note
    for language, text in warnings[objective.window]:
        notes[f"{ANNOTATION}window" + ("" if language == "en" else f"-{language}")] = text
    return notes


def _short(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"
