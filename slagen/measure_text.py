"""The contract's wording of a measurement definition: period, clock, partial periods and exclusions.

The words are the language's labels (``measures:`` in ``templates/<lang>/labels.yaml``); which of them
a KPI gets is its definition (:mod:`slagen.measure_def`), so the contract says what the report computes.

>>> from slagen.measure_def import MeasureDef
>>> words = {
...     "periods": {"calendar_month": "per calendar month"}, "events": {}, "by_priority": "and priority",
...     "clocks": {"calendar": "counted around the clock"}, "partial": {"part": "over the part in the term"},
...     "excluded": "Not counted: {items}", "exclusions": {"customer": "failures caused by the {customer}"},
... }
>>> m = MeasureDef("availability", "calendar_month", "calendar", ("customer",))
>>> text = wording(m, words, "en_GB")
>>> text["period"], text["counting"]
('per calendar month', 'counted around the clock; over the part in the term')
>>> text["excluded"]
'Not counted: failures caused by the {customer}'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slagen.measure_def import MeasureDef

TIMED = ("availability", "event_duration", "attainment")
"""Kinds whose clock the contract names even when it is the calendar's (time limits, downtime)."""


def wording(measure: MeasureDef, words: Mapping[str, Any], locale: str) -> dict[str, str]:
    """``period``, ``counting`` (the clock and the rule for partial periods) and ``excluded``; empty: nothing to say.

    A per-event period is worded by the kind of ticket (``per Incident``); without one the catalog's own
    ``period`` text stays (the key is then left out).
    """
    from slagen.formatting import format_listing

    text: dict[str, str] = {}
    if measure.period != "event":
        text["period"] = str(words["periods"][measure.period])
        if measure.param("by") == "priority":
            text["period"] += f" {words['by_priority']}"
    elif measure.param("tickets") in words["events"]:
        text["period"] = str(words["events"][measure.param("tickets")])
    parts = []
    if measure.kind != "reported" and (measure.clock != "calendar" or measure.kind in TIMED):
        parts.append(str(words["clocks"][measure.clock]))
    if measure.period not in ("event", "campaign") and measure.kind != "reported":
        parts.append(str(words["partial"][measure.partial]))
    text["counting"] = "; ".join(parts)
    items = [str(words["exclusions"][_exclusion(measure, name)]) for name in measure.excludes]
    text["excluded"] = str(words["excluded"]).format(items=format_listing(items, locale)) if items else ""
    return text


def _exclusion(measure: MeasureDef, name: str) -> str:
    """The label of an exclusion: scheduled maintenance without a window and limit is excluded whenever announced."""
    maintenance = measure.param("maintenance")
    if name == "scheduled_maintenance" and (
        maintenance is None or not (maintenance.window_term and maintenance.limit_term)
    ):
        return "scheduled_maintenance_anytime"
    return name
