"""The clock an agreement is measured on: the time zone its contract states, never a guess.

Every period, due time and time slice that :mod:`slagen.clock`, ``slagen report`` and ``slagen slo``
compute runs in the agreement's time zone. The bundled library states it in every contract (the
interpretation paragraph of ``scope.definitions`` declares ``service.time_zone``, default Europe/Berlin,
and an agreement under the laws of England and Wales must state it). A library whose clauses state no
time zone leaves the contract's clock open; then :func:`time_zone_for` refuses, naming the key, rather
than measure on the governing law's zone or any other guess (``docs/report.md``, "Time zone").

>>> time_zone_for({"service.time_zone": "Europe/London"})
'Europe/London'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slagen.errors import InputError, Problem

KEY = "service.time_zone"
UNSTATED = (
    "the agreement states no time zone, so its periods and time limits have no clock; slagen does not measure "
    "a contract on a guessed clock: state the time zone in a clause that declares service.time_zone"
)


def time_zone_for(answers: Any) -> str:
    """The IANA name of the agreement's time zone; an :class:`InputError` naming ``service.time_zone`` if unstated.

    ``answers`` are validated answers (:class:`slagen.answers.Answers`, whose file and line the error names)
    or their typed values by key. A value is there when a selected clause declares the key (its default
    counts: the contract prints it), and only then.
    """
    values = answers if isinstance(answers, Mapping) else answers.values
    zone = values.get(KEY)
    if zone:
        return str(zone)
    source = getattr(answers, "source", None)
    if source is None:
        raise InputError([Problem(UNSTATED, key=KEY)])
    raise InputError([Problem(UNSTATED, str(source.path), source.line_of(("service",)), KEY)])
