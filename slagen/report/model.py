"""The records a service-level report consists of: per KPI the result, credits, deadlines, chronic failure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from msgspec import Struct

from slagen.claim import ClaimRule


class Period(Struct, frozen=True):
    """The period reported on: ``start`` inclusive to ``end`` exclusive, in the agreement's time zone.

    ``measured_start``/``measured_end`` are the same, cut to the term where the term starts or ends inside.
    """

    label: str
    start: dt.datetime
    end: dt.datetime
    measured_start: dt.datetime
    measured_end: dt.datetime

    @property
    def partial(self) -> bool:
        """Whether the term starts or ends inside the period."""
        return (self.measured_start, self.measured_end) != (self.start, self.end)

    def whole(self) -> Period:
        """The same period measured as a whole, for a definition with ``partial: whole``."""
        return Period(self.label, self.start, self.end, self.start, self.end)

    @property
    def last_day(self) -> dt.date:
        """The last calendar day of the period."""
        return (self.end - dt.timedelta(seconds=1)).date()


class Excluded(Struct, frozen=True):
    """A stretch of time (or an event) left out of a computation, and why."""

    start: dt.datetime
    end: dt.datetime
    reason: str
    """An exclusion of :data:`slagen.measure_def.EXCLUSIONS`, or ``below_minimum`` / ``overflow``."""
    where: str = ""
    seconds: Decimal = Decimal(0)


class Counted(Struct, frozen=True):
    """A stretch of time counted against a KPI (downtime), with the rows it came from."""

    start: dt.datetime
    end: dt.datetime
    seconds: Decimal
    reason: str
    where: str = ""


class Event(Struct, frozen=True):
    """One event of a per-event measure: its due time on the agreed clock, and whether it was met."""

    id: str
    kpi: str
    group: str
    start: dt.datetime
    due: dt.datetime | None
    done: dt.datetime | None
    met: bool | None
    """None: still open at the end of the period and not yet due."""
    where: str = ""


class Formula(Struct, frozen=True):
    """A result's arithmetic: a kind of formula (worded per language) and its named numbers."""

    kind: str
    numbers: dict[str, Decimal]


class Result(Struct, frozen=True):
    """A KPI's result for the period.

    ``value`` is None when the KPI is not computed from the data (``reported``) or had nothing to count;
    ``met`` is None when it is not decided in this period (a campaign still running).
    """

    kpi: str
    unit: str
    direction: str
    role: str
    target: Any
    value: Decimal | None
    met: bool | None
    formula: Formula | None
    note: str = ""
    excluded: tuple[Excluded, ...] = ()
    counted: tuple[Counted, ...] = ()
    events: tuple[Event, ...] = ()
    parts: tuple[Result, ...] = ()
    """Results per group (priority) or per week that decide this one."""
    group: str = ""
    daily: tuple[tuple[dt.date, Decimal], ...] = ()
    """Availability per day (for the chart)."""
    slots: tuple[tuple[str, Decimal], ...] = ()
    """The call answer rate per interval of the day (``09:30``) over the month (for the chart)."""


class Credit(Struct, frozen=True):
    """The service credit of the period: band, percentage, and the caps applied in order."""

    kpi: str
    value: Decimal
    band: str
    """The band as written (``99.5 ≤ x < 99.9``), or empty when no band applies."""
    percent: Decimal
    monthly_cap: Decimal
    percent_capped: Decimal
    fee: Decimal | None
    amount: Decimal | None
    annual_cap: Decimal | None = None
    """The annual cap as an amount (``credits.annual_cap`` % of the contract year's fees)."""
    earlier: Decimal = Decimal(0)
    """Credits of earlier periods of the same contract year (from the history)."""
    owed: Decimal | None = None
    """The amount owed after every cap."""
    currency: str = ""
    claim_by: dt.date | None = None
    received: dt.date | None = None
    claim_rule: ClaimRule | None = None
    """The rule ``claim_by`` follows (:mod:`slagen.claim`), the one the credits clause words."""


class Chronic(Struct, frozen=True):
    """The chronic-failure rule for one Service Level after this period."""

    kpi: str
    missed: tuple[str, ...]
    """Periods (``2027-03``) within the last twelve in which the Service Level counted as missed."""
    consecutive: int
    in_twelve: int
    arisen: bool
    notice_by: dt.date | None
    unknown: tuple[str, ...] = ()
    """Months of the last twelve within the term for which no result was given."""


class Report(Struct, frozen=True):
    """Everything a service-level report shows."""

    agreement: str
    catalog: str
    tier: str
    period: Period
    time_zone: str
    results: tuple[Result, ...]
    credit: Credit | None
    chronic: tuple[Chronic, ...]
    received: dt.date
    """The day the report counts as received (the claim and notice periods run from it)."""
    languages: tuple[str, ...]
    notes: tuple[str, ...] = ()
    received_assumed: bool = False
    """Whether ``received`` is the day the report is due, not a day given (``--received``)."""
