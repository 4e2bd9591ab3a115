"""The outage log: one row per interval in which a service was down, with its cause → :class:`Outage` records.

Columns ``start, end, service, cause[, note]``. The cause is one of :data:`records.CAUSES` or a German
or plain-English word for it (:data:`CAUSE_WORDS`: ``Wartung`` is ``scheduled``, ``Kunde`` is
``customer``). Two outages of one service that overlap are an error naming both rows, not merged:
which cause the shared minutes have (a maintenance logged over a failure?) only the log's author
knows, and counting them twice would understate the availability. Outages that touch (one ends when
the next begins) are fine.

>>> read_cause("Höhere Gewalt"), read_cause("planned maintenance")
('force_majeure', 'scheduled')
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from slagen.errors import Problem
from slagen.measured.cells import read_timestamp, text_of
from slagen.measured.columns import Layout, normal
from slagen.measured.files import Rows
from slagen.measured.records import CAUSES, Outage
from slagen.measured.rowcells import RowCells

CAUSE_WORDS = {
    **dict.fromkeys(("anbieter", "auftragnehmer", "dienstleister", "unplanned", "ungeplant", "stoerung"), "provider"),
    **dict.fromkeys(
        (
            "planned",
            "maintenance",
            "planned_maintenance",
            "scheduled_maintenance",
            "geplant",
            "wartung",
            "geplante_wartung",
            "wartungsfenster",
        ),
        "scheduled",
    ),
    **dict.fromkeys(("hoehere_gewalt",), "force_majeure"),
    **dict.fromkeys(("kunde", "auftraggeber", "customer_caused", "durch_kunden"), "customer"),
    **dict.fromkeys(("dritte", "dritter", "drittanbieter", "third_parties", "third_party_caused"), "third_party"),
}
"""Other words for a cause (normalised as headers are) → the cause."""


def read_cause(cell: object) -> str:
    """The cause a cell names (see :data:`CAUSE_WORDS`); ``ValueError`` for another word."""
    name = normal(text_of(cell))
    if name in CAUSES:
        return name
    if name in CAUSE_WORDS:
        return CAUSE_WORDS[name]
    raise ValueError(f"'{text_of(cell)}' is no cause: write one of {', '.join(CAUSES)}")


def read_outages(layout: Layout, rows: Rows, path: Path, zone: ZoneInfo, problems: list[Problem]) -> list[Outage]:
    """The outages of a file's rows; the problems of its cells added to ``problems``."""
    outages = []
    for number, cells in rows:
        row = RowCells(layout, path, number, cells, problems)
        start = row.value("start", lambda cell: read_timestamp(cell, zone))
        end = row.value("end", lambda cell: read_timestamp(cell, zone))
        service = row.value("service", text_of)
        cause = row.value("cause", read_cause)
        note = row.value("note", text_of, required=False) or ""
        if start is not None and end is not None and end <= start:
            row.add("end", f"the end ({end.isoformat()}) is not after the start ({start.isoformat()})")
            continue
        if start is not None and end is not None and service is not None and cause is not None:
            outages.append(Outage(start, end, service, cause, row.where, note))
    return outages


def overlapping(outages: Iterable[Outage]) -> list[Problem]:
    """A problem for each outage that overlaps an earlier-starting one of the same service."""
    problems = []
    by_service: dict[str, list[Outage]] = {}
    for outage in outages:
        by_service.setdefault(outage.service, []).append(outage)
    for service, listed in by_service.items():
        listed.sort(key=lambda outage: outage.start)
        latest = listed[0]
        for outage in listed[1:]:
            if outage.start < latest.end:
                message = (
                    f"this outage of '{service}' overlaps the one at {latest.where} "
                    f"({latest.start.isoformat()} to {latest.end.isoformat()}): "
                    "join them into one row, or split them at a time, with one cause each"
                )
                problems.append(Problem(message, outage.where.file, outage.where.row, "start"))
            if outage.end > latest.end:
                latest = outage
    return problems
