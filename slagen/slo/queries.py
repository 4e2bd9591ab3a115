"""The placeholder queries of the exports, all after one naming convention that operations fill in.

slagen cannot know the provider's metrics, so every export asks for two series that the provider
records from its own (by recording rules, or by replacing the queries):

- ``slagen_sla_events_total{contract, kpi, outcome}``: a counter of the events a KPI counts (checks of
  the service, calls, incidents, complaints), ``outcome="bad"`` for an event that misses the
  objective (a failed check, an abandoned call, an incident not handled in time), else ``"good"``;
- ``slagen_sla_event_seconds{contract, kpi}``: a histogram of a per-event time (response, restore,
  answer time), with a bucket at the agreed limit (``le`` in seconds).
"""

from __future__ import annotations

from slagen.slo.objectives import Export, Objective, plain
from slagen.slo.texts import promql_string

EVENTS = "slagen_sla_events_total"
SECONDS = "slagen_sla_event_seconds"


def selector(export: Export, kpi: str, **more: str) -> str:
    """The label matchers of ``kpi``'s series in this agreement."""
    labels = {"contract": export.reference, "kpi": kpi, **more}
    return "{" + ",".join(f"{name}={promql_string(value)}" for name, value in labels.items()) + "}"


def measured_kpi(objective: Objective) -> str:
    """The KPI whose events the indicator counts: the per-event measure of a threshold, else the KPI itself."""
    return objective.measure or objective.kpi


def instant_queries(export: Export, objective: Objective) -> dict[str, str]:
    """OpenSLO's queries: ``good``/``bad`` and ``total`` counters, or ``value`` for a threshold."""
    kpi = measured_kpi(objective)
    if objective.kind == "threshold":
        return {"value": f"{SECONDS}{selector(export, kpi)}"}
    counted = "good" if objective.counts == "good" else "bad"
    return {
        counted: f"sum({EVENTS}{selector(export, kpi, outcome=counted)})",
        "total": f"sum({EVENTS}{selector(export, kpi)})",
    }


def error_query(export: Export, objective: Objective, window: str) -> str:
    """The number of bad events in ``window`` (``5m``, or Sloth's ``{{.window}}``)."""
    kpi = measured_kpi(objective)
    if objective.kind == "threshold":
        assert objective.threshold is not None
        bucket = selector(export, kpi, le=plain(objective.threshold))
        within = f"sum(increase({SECONDS}_bucket{bucket}[{window}]))"
        if objective.op in ("gte", "gt"):
            return within
        return f"(sum(increase({SECONDS}_count{selector(export, kpi)}[{window}])) - {within})"
    return f"sum(increase({EVENTS}{selector(export, kpi, outcome='bad')}[{window}]))"


def total_query(export: Export, objective: Objective, window: str) -> str:
    """The number of events in ``window``."""
    kpi = measured_kpi(objective)
    if objective.kind == "threshold":
        return f"sum(increase({SECONDS}_count{selector(export, kpi)}[{window}]))"
    return f"sum(increase({EVENTS}{selector(export, kpi)}[{window}]))"
