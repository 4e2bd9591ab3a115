"""A report as JSON: every figure of the computation, language-neutral, numbers as exact decimal strings.

The file is also what a later period reads as ``--history`` (:mod:`slagen.report.history`): ``report``
names the kind, ``chronic_missed`` the Service Levels that counted as missed for the chronic-failure rule,
``credit.owed`` the credit after every cap.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import msgspec

from slagen.report.history import KIND
from slagen.report.model import Report


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, msgspec.Struct):
        return {name: _plain(getattr(value, name)) for name in value.__struct_fields__}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON values."""
    body = _plain(report)
    missed = [c.kpi for c in report.chronic if report.period.label in c.missed]
    period = report.period
    body["period"] = period.label
    body["period_bounds"] = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "measured_start": period.measured_start.isoformat(),
        "measured_end": period.measured_end.isoformat(),
        "partial": period.partial,
    }
    return {"report": KIND, "version": 1, **body, "chronic_missed": missed}


def to_json(report: Report) -> bytes:
    """The report as a UTF-8 JSON document (keys in a fixed order, so the same report gives the same bytes)."""
    return (json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
