"""Earlier periods' results, read from the JSON reports ``slagen report`` wrote for them (``--history``).

Of each report only what later periods need is read: the period, which Service Levels counted as missed
for the chronic-failure rule, and the credit owed (for the cap per contract year).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from msgspec import Struct

from slagen.errors import InputError

KIND = "slagen-service-level-report"
"""The value of a JSON report's ``report`` key."""


class Past(Struct, frozen=True):
    """One earlier period: its label (``2027-02``), the Service Levels missed, the credit owed."""

    period: str
    agreement: str
    missed: frozenset[str]
    credited: Decimal


def read_history(paths: tuple[Path, ...]) -> tuple[Past, ...]:
    """The earlier reports at ``paths``; an :class:`InputError` naming the file and key if one is not one."""
    found = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError.single(f"not a JSON report of slagen: {exc}", file=path) from None
        if not isinstance(data, dict) or data.get("report") != KIND:
            message = f"not a JSON report of slagen (no 'report': '{KIND}')"
            raise InputError.single(message, file=path)
        try:
            missed = frozenset(str(k) for k in data["chronic_missed"])
            credit = data.get("credit") or {}
            owed = Decimal(str(credit.get("owed") or 0))
            found.append(Past(str(data["period"]), str(data["agreement"]), missed, owed))
        except (KeyError, TypeError, InvalidOperation) as exc:
            raise InputError.single(f"the report lacks or mistypes {exc}", file=path, key=str(exc).strip("'")) from None
    return tuple(found)
