"""The ticket export: one row per incident, complaint or request → :class:`Ticket` records.

Columns ``id, created`` and optionally ``priority, kind, responded, restored, resolved, paused,
from_backup, data_lost_since`` and repeated ``paused_from``/``paused_to`` pairs. The paused intervals
are either in one cell, ``2027-03-04 10:00/2027-03-04 12:30; 2027-03-05 09:00/2027-03-05 09:45`` (ISO
8601's ``start/end``, separated by ``;`` or line breaks), or in pairs of columns; both may be used.

A priority is written as the catalog names it (``p1``) or as the ticket tools do (``1``,
``1 - Critical``, ``Prio 1``; Zendesk's and Jira's ``urgent``/``highest``, ``high``, ``normal``/``medium``,
``low``; German ``kritisch``, ``hoch``, ``mittel``, ``niedrig``). An incident needs one, a complaint or a
request does not (a file of complaints needs no priority column).

>>> read_priority("1 - Critical"), read_priority("hoch"), read_priority("P4")
('p1', 'p2', 'p4')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from slagen.errors import Problem
from slagen.measured.cells import is_empty, read_flag, read_timestamp, text_of
from slagen.measured.columns import Layout, normal
from slagen.measured.files import Rows
from slagen.measured.records import TICKET_KINDS, Ticket
from slagen.measured.rowcells import RowCells

PRIORITIES = ("p1", "p2", "p3", "p4")
"""The priorities of the IT-service catalog, the default of :func:`read_tickets`."""
PRIORITY_WORDS = {
    **dict.fromkeys(("critical", "urgent", "highest", "kritisch", "dringend", "sehr_hoch"), "p1"),
    **dict.fromkeys(("high", "hoch"), "p2"),
    **dict.fromkeys(("moderate", "medium", "normal", "mittel"), "p3"),
    **dict.fromkeys(("low", "niedrig", "gering"), "p4"),
}
KIND_WORDS = {
    **dict.fromkeys(("stoerung", "vorfall"), "incident"),
    **dict.fromkeys(("beschwerde", "reklamation"), "complaint"),
    **dict.fromkeys(("anfrage", "service_request", "serviceanfrage", "anforderung"), "request"),
}
_NUMBERED = re.compile(r"^(?:p|prio|priority|prioritaet)?_?(\d)(?:_.*)?$")
_SPLIT = re.compile(r"[;\n]")


def read_priority(cell: object) -> str:
    """The priority a cell names, as ``p1`` … (see the module); ``ValueError`` for a word it is not."""
    name = normal(text_of(cell))
    match = _NUMBERED.match(name)
    if match:
        return f"p{match.group(1)}"
    if name in PRIORITY_WORDS:
        return PRIORITY_WORDS[name]
    raise ValueError(f"'{text_of(cell)}' is no priority: write p1, p2, p3 or p4 (1 - Critical, hoch, … are read too)")


def read_kind(cell: object) -> str:
    """``incident``, ``complaint`` or ``request`` (German: Störung, Beschwerde, Anfrage)."""
    name = normal(text_of(cell))
    if name in TICKET_KINDS:
        return name
    if name in KIND_WORDS:
        return KIND_WORDS[name]
    raise ValueError(f"'{text_of(cell)}' is no kind of ticket: write one of {', '.join(TICKET_KINDS)}")


def read_pauses(cell: object, zone: ZoneInfo) -> list[tuple[dt.datetime, dt.datetime]]:
    """The intervals of a ``paused`` cell (``start/end; start/end``)."""
    pauses = []
    for part in _SPLIT.split(text_of(cell)):
        if not part.strip():
            continue
        ends = part.split("/")
        if len(ends) != 2:
            raise ValueError(f"'{part.strip()}' is no interval: write start/end (2027-03-04 10:00/2027-03-04 12:30)")
        pauses.append((read_timestamp(ends[0], zone), read_timestamp(ends[1], zone)))
    return pauses


def read_tickets(
    layout: Layout,
    rows: Rows,
    path: Path,
    zone: ZoneInfo,
    problems: list[Problem],
    priorities: Collection[str] = PRIORITIES,
) -> list[Ticket]:
    """The tickets of a file's rows; the problems of its cells added to ``problems``."""
    tickets = []
    for number, cells in rows:
        row = RowCells(layout, path, number, cells, problems)
        ticket = _ticket(row, zone, priorities)
        if ticket is not None:
            tickets.append(ticket)
    return tickets


def _ticket(row: RowCells, zone: ZoneInfo, priorities: Collection[str]) -> Ticket | None:
    def stamp(cell: object) -> dt.datetime:
        return read_timestamp(cell, zone)

    before = len(row.problems)
    ticket_id = row.value("id", text_of)
    kind = row.value("kind", read_kind, required=False) or "incident"
    priority = row.value("priority", read_priority, required=kind == "incident") or ""
    if priority and priority not in priorities:
        row.add("priority", f"'{text_of(row.raw('priority'))}' is no priority of the catalog ({', '.join(priorities)})")
    created = row.value("created", stamp)
    times = {column: row.value(column, stamp, required=False) for column in ("responded", "restored", "resolved")}
    pauses = row.value("paused", lambda cell: read_pauses(cell, zone), required=False) or []
    for index in range(len(row.layout.at.get("paused_from", ()))):
        start = row.value("paused_from", stamp, required=False, index=index)
        end = row.value("paused_to", stamp, required=False, index=index)
        if (start is None) != (end is None) and not _failed(row, before):
            row.add("paused_to" if end is None else "paused_from", "a pause needs its start and its end")
        if start is not None and end is not None:
            pauses.append((start, end))
    from_backup = row.value("from_backup", read_flag, required=False) or False
    lost = row.value("data_lost_since", stamp, required=False)
    if created is not None:
        _check_order(row, created, times, pauses)
    if len(row.problems) > before or ticket_id is None or created is None:
        return None
    return Ticket(
        ticket_id,
        priority,
        created,
        row.where,
        kind,
        times["responded"],
        times["restored"],
        times["resolved"],
        tuple(sorted(pauses)),
        from_backup,
        lost,
    )


def _failed(row: RowCells, before: int) -> bool:
    return any(problem.key in ("paused_from", "paused_to") for problem in row.problems[before:])


def _check_order(
    row: RowCells,
    created: dt.datetime,
    times: dict[str, dt.datetime | None],
    pauses: list[tuple[dt.datetime, dt.datetime]],
) -> None:
    for column, moment in times.items():
        if moment is not None and moment < created:
            row.add(column, f"{moment.isoformat()} is before the ticket was created ({created.isoformat()})")
    restored, resolved = times["restored"], times["resolved"]
    if restored is not None and resolved is not None and resolved < restored:
        row.add("resolved", f"{resolved.isoformat()} is before the service was restored ({restored.isoformat()})")
    column = "paused" if not is_empty(row.raw("paused")) else "paused_from"
    latest = created
    for start, end in sorted(pauses):
        if resolved is not None and end > resolved:
            row.add(column, f"the pause {start.isoformat()}/{end.isoformat()} ends after the ticket was resolved")
        if end <= start:
            row.add(column, f"the pause {start.isoformat()}/{end.isoformat()} does not end after it starts")
        elif start < latest:
            row.add(column, f"the pause {start.isoformat()}/{end.isoformat()} begins before the ticket or a pause ends")
        latest = max(latest, end)


def duplicates(tickets: Iterable[Ticket]) -> list[Problem]:
    """A problem for each ticket whose id an earlier one has (in any file)."""
    seen: dict[str, Ticket] = {}
    problems = []
    for ticket in tickets:
        first = seen.setdefault(ticket.id, ticket)
        if first is not ticket:
            message = f"ticket '{ticket.id}' is in the data already, at {first.where}"
            problems.append(Problem(message, ticket.where.file, ticket.where.row, "id"))
    return problems
