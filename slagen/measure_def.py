"""How each KPI of a catalog is measured: the ``measure:`` block beside its target, typed and checked.

One definition per KPI is the single source of the report's computation (:mod:`slagen.report`) and of
the contract's wording of the formula, the period and the exclusions. The *kinds* of computation are
code (:data:`KINDS`); everything else is data in the catalog, so a new catalog brings its own
definitions without a change here:

.. code-block:: yaml

    availability:
      measure:
        kind: availability            # what is computed, from which records
        period: calendar_month        # calendar_month | calendar_week | contract_year | campaign | event
        clock: calendar               # calendar | service_hours | per_priority | working_days
        excludes: [scheduled_maintenance, force_majeure, customer, third_party]
        partial: part                 # a period cut by the start or end of the term: over the part (part)
        slice: 1min                   # a share of time: judged in slices of this length (whole minutes)
        decimals: 2                   # a kind's own parameters (see KINDS)
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from slagen.errors import Problem
from slagen.measure_conditions import check_generic, parse_conditions
from slagen.params import Duration
from slagen.yamlsource import YamlSource

PERIODS = ("calendar_month", "calendar_week", "contract_year", "campaign", "event")
CLOCKS = ("calendar", "service_hours", "per_priority", "working_days")
"""``per_priority``: around the clock for the priorities of the tier term ``calendar_clock``, else service hours."""
EXCLUSIONS = ("scheduled_maintenance", "force_majeure", "customer", "third_party")
"""Causes of an outage (:data:`slagen.measured.records.CAUSES` besides ``provider``) a definition may exclude."""
PARTIALS = ("part", "whole")
"""A period cut by the start or end of the term: measured over the part inside the term, or as a whole."""
TICKET_STAMPS = ("created", "responded", "restored", "resolved", "data_lost_since")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class KindSpec(Struct, frozen=True):
    """A kind of computation: the records it reads and its parameters (name → (type, required))."""

    records: str
    params: dict[str, tuple[str, bool]]
    percent: bool
    """Whether it gives a rate in percent (else a count, an average or a duration)."""
    periods: tuple[str, ...] = ("calendar_month",)
    """The periods the report computes it for; another is refused when the library loads."""


_RECORDS = {"records": ("word", True), "at": ("word", False), "only": ("conditions", False)}
"""What every generic kind reads: the records of one ``record`` type, placed in a period by ``at``, filtered by
``only``."""
_VALUE = {"field": ("word", False), "from": ("word", False), "to": ("word", False), "in": ("number_unit", False)}
"""The value of a statistic: a numeric ``field`` (its numbers ``in`` ms, s, min or h for a duration), or the span
``from`` one field ``to`` another on the definition's clock."""
STATISTICS = ("mean", "minimum", "maximum")
NUMBER_UNITS = {"ms": "0.001", "s": "1", "min": "60", "h": "3600"}
"""Seconds per unit of a numeric field measuring a duration (``in: ms``)."""

KINDS: dict[str, KindSpec] = {
    # share of the period's minutes without provider-caused downtime
    "availability": KindSpec(
        "outages",
        {"decimals": ("integer", False), "maintenance": ("maintenance", False), "min_outage": ("duration", False)},
        True,
    ),
    # the time between two stamps of a ticket, per event (a measure feeding an attainment rate)
    "event_duration": KindSpec(
        "tickets",
        {
            "from": ("stamp", True),
            "to": ("stamp", True),
            "tickets": ("word", False),
            "priority": ("word", False),
            "only_from_backup": ("boolean", False),
            "clock_term": ("word", False),
        },
        False,
        ("event",),
    ),
    # share of events whose measures (the KPIs that feed it) were all met, with the small-sample rule
    "attainment": KindSpec(
        "tickets",
        {
            "tickets": ("word", True),
            "by": ("word", False),
            "min_events": ("integer", False),
            "misses": ("integer", False),
        },
        True,
    ),
    # calls answered in time over the calls that count (the abandoned-call rule is an answer)
    "answer_rate": KindSpec("intervals", {"abandoned_rule": ("word", True), "tolerance": ("word", False)}, True),
    # total waiting time of answered calls over answered calls
    "average_wait": KindSpec("intervals", {"tolerance": ("word", False)}, False),
    # abandoned calls over offered calls
    "abandon_rate": KindSpec("intervals", {"tolerance": ("word", False)}, True),
    # a sum of one activity field over a sum of another (calls answered per day worked; closing rate)
    "activity_ratio": KindSpec(
        "activity",
        {"numerator": ("field", True), "denominator": ("field", True)},
        False,
        ("calendar_month", "calendar_week", "campaign"),
    ),
    # a sum of one activity field per agent, the lowest agent counting
    "per_agent": KindSpec("activity", {"count": ("field", True)}, False),
    # a value the data files cannot give (a survey): the report lists it as not computed
    "reported": KindSpec("none", {}, False, PERIODS),
    # generic kinds over the records of a measurements file (slagen.measure_conditions, docs/measured-data.md):
    # the share of records meeting conditions; met only if every record does; a sum over a sum; statistics
    "share": KindSpec("measurements", {**_RECORDS, "where": ("conditions", True)}, True),
    "every": KindSpec("measurements", {**_RECORDS, "where": ("conditions", True)}, False),
    "ratio": KindSpec("measurements", {**_RECORDS, "numerator": ("word", True), "denominator": ("word", True)}, False),
    **{name: KindSpec("measurements", {**_RECORDS, **_VALUE}, False) for name in STATISTICS},
}
ACTIVITY_FIELDS = (
    "days_worked",
    "calls",
    "answered_in_person",
    "decision_maker_contacts",
    "appointments",
    "recordings_reviewed",
)


class Window(Struct, frozen=True):
    """A maintenance window: on ``days`` from ``start`` (minutes after midnight) for ``minutes`` minutes."""

    days: tuple[int, ...]
    start: int
    minutes: int


class Maintenance(Struct, frozen=True):
    """Which tier terms name the maintenance window and the monthly limit, and what each window is."""

    window_term: str
    limit_term: str
    windows: dict[str, Window]


class MeasureDef(Struct, frozen=True):
    """How one KPI is measured (see the module's documentation)."""

    kind: str
    period: str
    clock: str = "calendar"
    excludes: tuple[str, ...] = ()
    partial: str = "part"
    params: dict[str, Any] = field(default_factory=dict)
    slice: Duration | None = None
    """For a share of time: the length of the slices it is judged in (each good or not as a whole), if any."""

    def param(self, name: str, default: Any = None) -> Any:
        """A parameter of the kind, or ``default``."""
        return self.params.get(name, default)


_FIELDS = ("kind", "period", "clock", "excludes", "partial", "slice")


def parse_measure(source: YamlSource, where: tuple[str, ...], spec: Any, problems: list[Problem]) -> MeasureDef | None:
    """The ``measure:`` block at ``where`` (``kpis.<id>.measure``) typed; None with problems if it is wrong."""
    if spec is None:
        return None
    before = len(problems)

    def fail(message: str, *sub: str) -> None:
        path = (*where, *sub)
        problems.append(Problem(message, source.path, source.line_of(path) or source.line_of(where), ".".join(path)))

    if not isinstance(spec, dict):
        fail("expected a mapping (kind, period, clock, excludes, partial and the kind's parameters)")
        return None
    kind = KINDS.get(str(spec.get("kind")))
    if kind is None:
        fail(f"kind must be one of {', '.join(KINDS)}", "kind")
        return None
    allowed = (*_FIELDS, *kind.params)
    for key in spec:
        if key not in allowed:
            fail(f"unknown field (allowed for kind '{spec['kind']}': {', '.join(allowed)})", str(key))
    period, clock = spec.get("period"), spec.get("clock", "calendar")
    if kind.records == "measurements":  # the generic kinds' parameters as a whole
        for sub, message in check_generic(str(spec["kind"]), spec, str(clock)):
            fail(message, *sub)
    partial = spec.get("partial", "part")
    for name, value, choices in (("period", period, PERIODS), ("clock", clock, CLOCKS), ("partial", partial, PARTIALS)):
        if value not in choices:
            fail(f"{name} must be one of {', '.join(choices)}", name)
    if period in PERIODS and period not in kind.periods:
        fail(f"kind '{spec['kind']}' is computed per {' or '.join(kind.periods)}, not per {period}", "period")
    excludes = spec.get("excludes") or []
    if not isinstance(excludes, list) or any(e not in EXCLUSIONS for e in excludes):
        fail(f"excludes must be a list of {', '.join(EXCLUSIONS)}", "excludes")
        excludes = []
    params: dict[str, Any] = {}
    for name, (kind_type, required) in kind.params.items():
        if name not in spec:
            if required:
                fail(f"kind '{spec['kind']}' needs '{name}'")
            continue
        try:
            params[name] = _typed(kind_type, spec[name])
        except ValueError as exc:
            fail(str(exc), name)
    slice_ = _slice(spec.get("slice"), fail)
    if len(problems) > before:
        return None
    return MeasureDef(str(spec["kind"]), str(period), str(clock), tuple(excludes), str(partial), params, slice_)


def _slice(value: Any, fail: Any) -> Duration | None:
    """``slice:`` typed: a positive whole number of minutes (a monitoring time slice), or None if not given."""
    if value is None:
        return None
    try:
        length = Duration.parse(str(value))
    except ValueError as exc:
        fail(str(exc), "slice")
        return None
    if length.seconds <= 0 or length.seconds % 60:
        fail(f"a time slice is a whole number of minutes, not {value}", "slice")
        return None
    return length


def _typed(kind_type: str, value: Any) -> Any:
    if kind_type == "integer":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"expected a whole number from 0, got {value!r}")
        return value
    if kind_type == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind_type == "duration":
        return Duration.parse(str(value))
    if kind_type == "stamp" and value not in TICKET_STAMPS:
        raise ValueError(f"expected one of the ticket time stamps {', '.join(TICKET_STAMPS)}")
    if kind_type == "field" and value not in ACTIVITY_FIELDS:
        raise ValueError(f"expected one of the activity fields {', '.join(ACTIVITY_FIELDS)}")
    if kind_type == "maintenance":
        return _maintenance(value)
    if kind_type == "conditions":
        return parse_conditions(value)
    if kind_type == "number_unit" and value not in NUMBER_UNITS:
        raise ValueError(f"expected the unit of the field's numbers: {', '.join(NUMBER_UNITS)}")
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a name, got {value!r}")
    return value


def _maintenance(value: Any) -> Maintenance:
    """``{window: <term>, limit: <term>, windows: {<choice>: {days: [...], from: "22:00", length: 8h}}}``."""
    if not isinstance(value, dict) or not isinstance(value.get("windows"), dict):
        raise ValueError("expected {window: <term>, limit: <term>, windows: {<choice>: {days, from, length}}}")
    windows = {}
    for name, spec in value["windows"].items():
        try:
            days = tuple(WEEKDAYS.index(day) for day in spec["days"])
            hour, minute = (int(part) for part in str(spec["from"]).split(":"))
            length = int(Duration.parse(str(spec["length"])).seconds) // 60
            windows[str(name)] = Window(days, hour * 60 + minute, length)
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"window '{name}': expected days (monday … sunday), from (HH:MM) and length (a duration)"
            ) from None
    return Maintenance(str(value.get("window") or ""), str(value.get("limit") or ""), windows)
