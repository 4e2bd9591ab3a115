"""A Sloth ``prometheus/v1`` spec of an agreement: one SLO per objective, events queries with ``{{.window}}``.

Sloth's objective is a percentage in (0, 100] and its window rolls over 30 days; the spec's comment
and every alert's annotations say that the contract's period is the calendar month.
"""

from __future__ import annotations

from typing import Any

from slagen.slo.objectives import Export, Objective, plain, promise
from slagen.slo.queries import error_query, total_query
from slagen.slo.texts import WindowWarnings, camel, rfc1123

VERSION = "prometheus/v1"
WINDOW = "{{.window}}"


def sloth_spec(export: Export, warnings: WindowWarnings) -> dict[str, Any]:
    """The spec: service, labels, and an SLO per objective (the internal objective when a margin is given)."""
    return {
        "version": VERSION,
        "service": rfc1123(export.reference),
        "labels": {"contract": export.reference, "tier": export.tier, "catalog": export.catalog},
        "slos": [_slo(export, objective, warnings) for objective in export.objectives],
    }


def _slo(export: Export, objective: Objective, warnings: WindowWarnings) -> dict[str, Any]:
    objective_value = objective.internal if objective.internal is not None else objective.target
    description = f"{objective.name}: {promise(objective)}, {objective.period} (agreement {export.reference})"
    if objective.internal is not None:
        description += f"; objective here {plain(objective.internal)} % good, an internal margin above the contract's"
    annotations = {"summary": f"{objective.name} of agreement {export.reference} burns its error budget"}
    for language, text in warnings[objective.window]:
        annotations["window" + ("" if language == "en" else f"_{language}")] = text
    return {
        "name": objective.kpi.replace("_", "-"),
        "objective": objective_value,
        "description": description + ".",
        "labels": {"kpi": objective.kpi, "clause": objective.clause, "role": objective.role},
        "sli": {
            "events": {
                "error_query": error_query(export, objective, WINDOW),
                "total_query": total_query(export, objective, WINDOW),
            }
        },
        "alerting": {
            "name": camel(export.reference, objective.kpi),
            "labels": {"contract": export.reference, "clause": objective.clause},
            "annotations": annotations,
            "page_alert": {"labels": {"severity": "page"}},
            "ticket_alert": {"labels": {"severity": "ticket"}},
        },
    }
