"""The contract's sentences for a measurement definition's own parameters.

Truncation, the shortest outage that counts, the small-sample rule and the maintenance windows.

Each sentence is a pattern of the language's labels (``measures.rules`` in ``templates/<lang>/labels.yaml``),
filled with the definition's numbers: a whole number up to twelve in words (``numbers``), a larger one in
figures, as a contract writes them. The report computes from the same parameters (:mod:`slagen.report`), so
a changed definition changes both.

>>> from slagen.measure_def import MeasureDef
>>> from slagen.params import Duration
>>> words = {
...     "numbers": ["zero", "one", "two", "three"],
...     "rules": {
...         "places": {"zero": "a whole number", "one": "one decimal place", "other": "{n} decimal places"},
...         "truncated": "truncated to {places}, not rounded",
...         "decimals": "the result is {truncated}",
...         "example": "a value of {exact} is therefore {shown}",
...         "min_outage": "an outage of less than {duration} is not Downtime",
...         "durations": {"minute": {"one": "one minute", "other": "{n} minutes"}},
...     },
... }
>>> m = MeasureDef("availability", "calendar_month", params={"decimals": 2, "min_outage": Duration.parse("1min")})
>>> rules(m, words, "en_GB")
['the result is truncated to two decimal places, not rounded', 'an outage of less than one minute is not Downtime']
>>> phrases(m, words, "en_GB")["example"]
'a value of 99.899% is therefore 99.89%'
>>> rules(MeasureDef("availability", "calendar_month", params={"decimals": 3}), words, "en_GB")
['the result is truncated to three decimal places, not rounded']
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Any

from slagen.measure_def import MeasureDef, Window

DEFAULT_DECIMALS = 2
"""The places an availability is truncated to when its definition names none (:mod:`slagen.report.availability`)."""


def in_words(n: int, words: Mapping[str, Any], locale: str) -> str:
    """``n`` as a contract writes it: in words up to the last of the labels' ``numbers``, else in figures.

    >>> in_words(2, {"numbers": ["null", "eins", "zwei"]}, "de_DE"), in_words(2000, {"numbers": []}, "de_DE")
    ('zwei', '2.000')
    """
    from slagen.formatting import format_number

    spelled = list(words.get("numbers") or ())
    return str(spelled[n]) if 0 <= n < len(spelled) and spelled[n] else format_number(n, locale)


def counted(pattern: Mapping[str, str], n: int, words: Mapping[str, Any], locale: str, **more: str) -> str:
    """The ``zero``, ``one`` or ``other`` form of ``pattern`` for ``n`` (``{n}`` in words or figures)."""
    form = "zero" if n == 0 and "zero" in pattern else "one" if n == 1 and "one" in pattern else "other"
    return str(pattern[form]).format(n=in_words(n, words, locale), **more)


UNSAID: dict[str, Any] = {
    "truncated": "", "example": "", "min_outage": "", "small_sample": "",
    "windows": {}, "window_term": "", "limit_term": "",
}  # fmt: skip
"""What :func:`phrases` gives when the definition says nothing of a parameter (and for a KPI without one)."""


def formula(
    text: str, measure: MeasureDef | None, words: Mapping[str, Any] | None, locale: str, *, limits: int = 1
) -> str:
    """The catalog's formula ``text`` with the sentences of :func:`rules` after it, as the KPI annex states it.

    The contract and every export (``slagen slo``) take the formula from here, so they say the same.
    """
    if measure is None or not words:
        return text
    return "; ".join([text, *rules(measure, words, locale, limits=limits)])


def rules(measure: MeasureDef, words: Mapping[str, Any], locale: str, *, limits: int = 1) -> list[str]:
    """The sentences the annex adds to the catalog's formula, from the kind's parameters (empty: none).

    ``limits`` is the number of measures (time limits) that feed an attainment rate.
    """
    said = phrases(measure, words, locale, limits=limits)
    texts = words["rules"]
    found = []
    if measure.kind == "availability":
        found.append(str(texts["decimals"]).format(truncated=said["truncated"]))
        if said["min_outage"]:
            found.append(str(texts["min_outage"]).format(duration=said["min_outage"]))
    if said.get("small_sample"):
        found.append(said["small_sample"])
    return found


def phrases(measure: MeasureDef, words: Mapping[str, Any], locale: str, *, limits: int = 1) -> dict[str, Any]:
    """What a clause may say of the definition's parameters, each a phrase of the labels (empty: not defined).

    ``truncated`` and ``example`` (availability), ``min_outage`` (the shortest outage that counts),
    ``small_sample`` (attainment), ``windows`` (each maintenance window by its name) and the tier terms that
    name the window and the monthly limit (``window_term``, ``limit_term``).
    """
    texts = words["rules"]
    said: dict[str, Any] = dict(UNSAID)
    if measure.kind == "availability":
        places = int(measure.param("decimals", DEFAULT_DECIMALS))
        said["truncated"] = str(texts["truncated"]).format(places=counted(texts["places"], places, words, locale))
        said["example"] = _example(places, str(texts["example"]), locale)
        shortest = measure.param("min_outage")
        if shortest is not None and shortest.seconds > 0:
            said["min_outage"] = duration_words(shortest, texts["durations"], words, locale)
        maintenance = measure.param("maintenance")
        if maintenance is not None:
            said["windows"] = {name: window_words(w, words, locale) for name, w in maintenance.windows.items()}
            said["window_term"], said["limit_term"] = maintenance.window_term, maintenance.limit_term
    least = int(measure.param("min_events", 0) or 0)
    if measure.kind == "attainment" and least > 0:
        said["small_sample"] = _small_sample(measure, least, texts, words, locale, limits)
    return said


def duration_words(duration: Any, units: Mapping[str, Any], words: Mapping[str, Any], locale: str) -> str:
    """A duration of the definition (``1min``) in the labels' words for its unit (``one minute``)."""
    amount = Decimal(duration.amount)
    if amount == amount.to_integral_value():
        return counted(units[duration.unit], int(amount), words, locale)
    from slagen.formatting import format_number

    return str(units[duration.unit]["other"]).format(n=format_number(amount, locale))


def _example(places: int, pattern: str, locale: str) -> str:
    """An exact value one digit longer than ``places`` and what truncation makes of it (99.899 % → 99.89 %)."""
    from slagen.formatting import format_percent

    exact = Decimal("99.8" + "9" * places)
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    return pattern.format(exact=format_percent(exact, locale), shown=format_percent(shown, locale))


def _small_sample(
    measure: MeasureDef, least: int, texts: Mapping[str, Any], words: Mapping[str, Any], locale: str, limits: int
) -> str:
    tickets = texts["tickets"].get(measure.param("tickets")) or texts["tickets"]["other"]
    limit = str(texts["limits"]["one" if limits == 1 else "other"])
    allowed = counted(texts["allowed"], int(measure.param("misses", 0) or 0), words, locale, limits=limit)
    return str(texts["small_sample"]).format(
        min_events=in_words(least, words, locale), counted=tickets, allowed=allowed
    )


def window_words(window: Window, words: Mapping[str, Any], locale: str) -> str:
    """A maintenance window as the contract words it (``from 22:00 on Saturday to 06:00 on Sunday``)."""
    from slagen.formatting import format_listing

    texts = words["rules"]["windows"]
    names = list(texts["days"])
    start, end = window.start, (window.start + window.minutes) % 1440
    times = {"start": f"{start // 60:02d}:{start % 60:02d}", "end": f"{end // 60:02d}:{end % 60:02d}"}
    days = sorted(window.days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        listed = str(texts["range"]).format(first=names[days[0]], last=names[days[-1]])
    else:
        listed = format_listing([names[d] for d in days], locale)
    if window.start + window.minutes <= 1440:
        return str(texts["same_day"]).format(days=listed, **times)
    if len(days) == 1:
        return str(texts["next_day"]).format(day=listed, next=names[(days[0] + 1) % 7], **times)
    return str(texts["next_days"]).format(days=listed, **times)
