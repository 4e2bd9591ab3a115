"""Generic measurements: one row per record (a probe, a delivery, a payslip …) → :class:`Measurement` records.

Columns ``record`` (the type of record, which a measurement definition names: ``records: delivery``) and
``timestamp`` (when the record was made: a probe's time, a goods receipt's posting), optionally ``id``, and
any other column: the fields the catalog's definitions name (``rtt_ms``, ``confirmed``, ``qty_received``).
Those cells are kept as the file holds them and typed by the definition that reads them
(:mod:`slagen.report.fields`), since only it knows whether ``confirmed`` is a day or ``correct`` yes or no.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from slagen.errors import Problem
from slagen.measured.cells import read_timestamp, text_of
from slagen.measured.columns import Layout
from slagen.measured.files import Rows
from slagen.measured.records import Measurement
from slagen.measured.rowcells import RowCells

FIXED = ("record", "timestamp", "id")


def read_measurements(
    layout: Layout, rows: Rows, path: Path, zone: ZoneInfo, problems: list[Problem]
) -> list[Measurement]:
    """The records of a file's rows; the problems of its fixed cells added to ``problems``."""
    fields = [(name, indexes[0]) for name, indexes in layout.at.items() if name not in FIXED]
    found = []
    for number, cells in rows:
        row = RowCells(layout, path, number, cells, problems)
        record = row.value("record", text_of)
        stamp = row.value("timestamp", lambda cell: read_timestamp(cell, zone))
        ident = row.value("id", text_of, required=False) or ""
        if record is None or stamp is None:
            continue
        values = {name: cells[index] if index < len(cells) else None for name, index in fields}
        found.append(Measurement(record.lower(), stamp, values, row.where, ident))
    return found
