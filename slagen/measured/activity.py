"""Telemarketing activity: one row per agent and day → :class:`Activity` records.

Columns ``day, agent, days_worked, calls, answered_in_person, decision_maker_contacts, appointments``
and optionally ``recordings_reviewed``. ``days_worked`` is the share of the day the agent worked for
the customer (``0,5`` for half a day), more than 0 and at most 1. Each figure is part of the one
before: calls a person answered are calls, contacts with a decision maker were answered in person,
and an appointment needs a decision maker (the closing rate's agreed denominator). An agent twice on
one day is an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from slagen.errors import Problem
from slagen.measured.cells import read_count, read_day, read_decimal, text_of
from slagen.measured.columns import Layout
from slagen.measured.files import Rows
from slagen.measured.records import Activity
from slagen.measured.rowcells import RowCells

FUNNEL = ("calls", "answered_in_person", "decision_maker_contacts", "appointments")
"""The counts of a day, each at most the one before."""


def read_share(cell: object) -> Decimal:
    """A share of a day: more than 0, at most 1."""
    share = read_decimal(cell)
    if not 0 < share <= 1:
        raise ValueError(f"{share} is no share of a day (more than 0, at most 1: 0,5 for half a day)")
    return share


def read_activity(layout: Layout, rows: Rows, path: Path, problems: list[Problem]) -> list[Activity]:
    """The agents' days of a file's rows; the problems of its cells added to ``problems``."""
    days = []
    for number, cells in rows:
        row = RowCells(layout, path, number, cells, problems)
        before = len(problems)
        day = row.value("day", read_day)
        agent = row.value("agent", text_of)
        share = row.value("days_worked", read_share)
        counts = [row.value(column, read_count) for column in FUNNEL]
        reviewed = row.value("recordings_reviewed", read_count, required=False) or 0
        for (whole, high), (part, low) in zip(
            zip(FUNNEL, counts, strict=True), zip(FUNNEL[1:], counts[1:], strict=True), strict=False
        ):
            if low is not None and high is not None and low > high:
                row.add(part, f"more {part.replace('_', ' ')} than {whole.replace('_', ' ')} ({low} > {high})")
        if len(problems) > before or day is None or agent is None or share is None:
            continue
        calls, in_person, contacts, appointments = (count or 0 for count in counts)
        days.append(Activity(day, agent, share, calls, in_person, contacts, appointments, row.where, reviewed))
    return days


def repeated_days(activity: Iterable[Activity]) -> list[Problem]:
    """A problem for each agent's day that an earlier row has already (in any file)."""
    seen: dict[tuple[object, str], Activity] = {}
    problems = []
    for day in activity:
        first = seen.setdefault((day.day, day.agent), day)
        if first is not day:
            message = f"{day.agent} on {day.day.isoformat()} is in the data already, at {first.where}"
            problems.append(Problem(message, day.where.file, day.where.row, "agent"))
    return problems
