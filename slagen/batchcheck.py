"""What ``slagen batch`` checks across the rows of a table before it builds any of them.

Takes the base answers, the rows read by :mod:`slagen.table` and the output names, and gives:

- warnings, once per answer key, never once per row: rows that name another customer but keep a
  detail of the base's customer (address, register entry, signatory, function, cost centre, the
  customer's contacts), and rows that share a contract reference (decided: a warning, see
  ``docs/errors.md``);
- the output files that exist already, so that a run without ``--force`` is refused in one line
  before any work, naming how many and the first few.
"""

from __future__ import annotations

import collections
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from slagen.errors import OutputError, Problem
from slagen.table import Row
from slagen.yamlsource import YamlSource

CUSTOMER = "parties.customer"
CUSTOMER_NAME = f"{CUSTOMER}.name"
CUSTOMER_DETAILS = {
    f"{CUSTOMER}.address": "address",
    f"{CUSTOMER}.register": "register entry",
    f"{CUSTOMER}.represented_by": "signatory",
    f"{CUSTOMER}.function": "signatory's function",
    f"{CUSTOMER}.cost_centre": "cost centre",
    "contacts": "customer contacts",
}
"""What belongs to one customer only (kept from the base for another customer, it is wrong), as messages say it."""
REFERENCE = "agreement.reference"
SHOWN = 3
"""Most rows or files a message lists before it says how many more there are."""


def carried_over(base: YamlSource, rows: Sequence[Row]) -> list[Problem]:
    """One warning per customer detail the base gives and rows that name another customer keep.

    The details are the customer's address, register entry, signatory and function, cost centre,
    and the contacts of the customer's side. The warning points at the detail in the base file
    and lists the first rows that keep it.
    """
    base_name = _given(base.data, CUSTOMER_NAME)
    others = [row for row in rows if CUSTOMER_NAME in row.values and row.values[CUSTOMER_NAME] != base_name]
    warnings = []
    for key, said in CUSTOMER_DETAILS.items():
        kept = _given(base.data, key)
        if key == "contacts" and isinstance(kept, list):  # the provider's contacts are the same for every customer
            kept = [contact for contact in kept if isinstance(contact, dict) and contact.get("party") == "customer"]
        if kept in (None, "", [], {}):
            continue
        keeping = [row for row in others if not _sets(row, key)]
        if keeping:
            what = f"the base's {said}"
            if len(keeping) == 1:
                who = f"row {keeping[0].label} names another customer but keeps {what}"
            else:
                who = f"{len(keeping)} rows name another customer but keep {what} ({_rows(keeping)})"
            message = f"{who}: give each row its own in a column {key}, or take it out of the base file"
            warnings.append(Problem(message, base.path, base.line_of(tuple(key.split("."))), key, "warning"))
    return sorted(warnings, key=lambda warning: warning.line or 0)


def duplicate_references(base: YamlSource, rows: Sequence[Row], table: str) -> list[Problem]:
    """One warning per contract reference more than one row has (given in the table or kept from the base)."""
    base_reference = _given(base.data, REFERENCE)
    by_reference: dict[str, list[Row]] = collections.defaultdict(list)
    for row in rows:
        reference = row.values.get(REFERENCE, base_reference)
        if reference not in (None, ""):
            by_reference[str(reference)].append(row)
    warnings = []
    for reference, same in by_reference.items():
        if len(same) < 2:
            continue
        given = [row for row in same if REFERENCE in row.values]
        if not given:
            message = (
                f"{_count(len(same), 'row')} keep this reference '{reference}' of the base ({_rows(same)}): "
                f"give each row its own in a column {REFERENCE}"
            )
            warnings.append(
                Problem(message, base.path, base.line_of(tuple(REFERENCE.split("."))), REFERENCE, "warning")
            )
        else:
            message = f"'{reference}' is the reference of {_count(len(same), 'row')} ({_rows(same)}): one contract each"
            warnings.append(Problem(message, table, given[-1].number, REFERENCE, "warning"))
    return warnings


def expected_outputs(
    rows: Sequence[Row],
    names: Mapping[int, str],
    base_languages: Sequence[str],
    languages: Sequence[str],
    formats: Sequence[str],
) -> list[str]:
    """The file names the rows will be written as: each row's languages (``--lang``, its own, the base's) × formats."""
    files = []
    for row in rows:
        for language in languages or _languages(row.values.get("languages")) or base_languages:
            files += [f"{names[row.number]}.{language}.{fmt}" for fmt in formats]
    return files


def refuse_existing(
    directory: Path, files: Iterable[str], others: Iterable[Path] = (), *, dry_run: bool = False
) -> list[Problem]:
    """Raise an :class:`~slagen.errors.OutputError` naming the files that exist, in one line, with a count.

    A dry run writes only the ``others`` (the failed-rows file): only they are refused; the contracts
    that exist are returned as a warning, for the run that follows.
    """
    existing_others = [str(path) for path in others if os.path.lexists(path)]
    existing = [name for name in files if os.path.lexists(directory / name)]
    if dry_run and existing_others:
        raise OutputError(_exist(directory, existing_others))
    if dry_run:
        later = " them when the batch runs"
        return [Problem(_exist(directory, existing) + later, severity="warning")] if existing else []
    if existing + existing_others:
        raise OutputError(_exist(directory, existing + existing_others))
    return []


def _exist(directory: Path, existing: list[str]) -> str:
    shown = ", ".join(existing[:SHOWN]) + (f" and {len(existing) - SHOWN} more" if len(existing) > SHOWN else "")
    verb = "exists" if len(existing) == 1 else "exist"
    return f"{directory}: {_count(len(existing), 'file')} {verb} already ({shown}): use --force to overwrite"


def _languages(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,;]+", value) if part]
    return []


def _given(data: Any, key: str) -> Any:
    """The value ``data`` (an answers file's mapping) gives ``key``, or None."""
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _sets(row: Row, key: str) -> bool:
    """Whether ``row`` gives ``key`` or an entry under it (``parties.customer.function.de``)."""
    return any(column == key or column.startswith(key + ".") for column in row.values)


def _rows(rows: Sequence[Row]) -> str:
    listed = ", ".join(row.label for row in rows[:SHOWN])
    more = f" and {len(rows) - SHOWN} more" if len(rows) > SHOWN else ""
    return f"row{'s' if len(rows) > 1 else ''} {listed}{more}"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
