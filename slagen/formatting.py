"""Locale-aware formatting of numbers, percentages, dates, durations and amounts.

Takes a value and a Babel locale and gives the text a contract shows. Babel does all
the work; the locale is always an argument, never global state. German output keeps
Babel's non-breaking spaces (``5\\xa0%``).

>>> format_percent(Decimal("99.9"), "de_DE")
'99,9\\xa0%'
>>> format_percent(Decimal("5"), "en_GB")
'5%'
>>> format_date(dt.date(2027, 1, 1), "de_DE"), format_date(dt.date(2027, 1, 1), "en_GB")
('1. Januar 2027', '1 January 2027')
>>> format_duration(Duration(Decimal(24), "hour"), "de_DE")
'24 Stunden'
>>> format_timespan(Decimal("2678.4"), "de_DE"), format_timespan(Decimal("2678.4"), "en_GB")
('44 Minuten und 38,4 Sekunden', '44 minutes and 38.4 seconds')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError, lists, numbers, units
from babel import dates as babel_dates

from slagen.arithmetic import split_seconds
from slagen.params import Duration


def get_locale(name: str) -> Locale:
    """The Babel locale ``name``; raise ``ValueError`` with a clear message if Babel does not know it."""
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown locale '{name}'") from None


def format_number(value: int | Decimal, locale: str) -> str:
    """A number with the locale's grouping and decimal sign, all digits kept.

    >>> format_number(Decimal("1234.5"), "de_DE")
    '1.234,5'
    """
    return numbers.format_decimal(value, locale=get_locale(locale), decimal_quantization=False)


def format_percent(points: Decimal | int, locale: str) -> str:
    """A percentage given in points (``Decimal("99.9")`` is 99.9 %), all digits kept."""
    return numbers.format_percent(Decimal(points) / 100, locale=get_locale(locale), decimal_quantization=False)


def format_date(value: dt.date, locale: str) -> str:
    """A date in the locale's long form."""
    return babel_dates.format_date(value, "long", locale=get_locale(locale))


def format_duration(value: Duration, locale: str) -> str:
    """A duration in the unit it was agreed in, spelled out (``24 hours``)."""
    return units.format_unit(
        value.amount.normalize(), f"duration-{value.unit}", length="long", locale=get_locale(locale)
    )


def format_timespan(value: Decimal | int | Duration, locale: str) -> str:
    """A computed span of time (seconds, or a duration) in days, hours, minutes and seconds.

    Each part is spelled out (a contract reads "43 Minuten und 12 Sekunden", not "43 Min.
    12 Sek."), and the parts are joined as the language lists things. Parts that are zero
    are left out.

    >>> format_timespan(Decimal("31536"), "de_DE")
    '8 Stunden, 45 Minuten und 36 Sekunden'
    >>> format_timespan(Duration(Decimal(90), "minute"), "en_GB")
    '1 hour and 30 minutes'
    """
    seconds = value.seconds if isinstance(value, Duration) else Decimal(value)
    found = get_locale(locale)
    parts = [
        units.format_unit(amount, f"duration-{unit}", length="long", locale=found)
        for unit, amount in split_seconds(seconds)
    ]
    return lists.format_list(parts, locale=found) if parts else units.format_unit(0, "duration-second", locale=found)


def format_listing(items: list[Any], locale: str, *, alternatives: bool = False) -> str:
    """Items joined as the language lists them: ``a, b and c`` (``a, b or c`` with ``alternatives``).

    >>> format_listing(["Bronze", "Silver", "Gold"], "de_DE")
    'Bronze, Silver und Gold'
    >>> format_listing(["4 hours", "2 hours"], "en_GB", alternatives=True)
    '4 hours or 2 hours'
    """
    texts = [str(item) for item in items]
    return (
        lists.format_list(texts, style="or" if alternatives else "standard", locale=get_locale(locale)) if texts else ""
    )


def format_money(amount: Decimal | int, currency: str, locale: str) -> str:
    """An amount of money with the locale's currency format.

    >>> format_money(Decimal("1234.5"), "EUR", "de_DE")
    '1.234,50\\xa0€'
    """
    return numbers.format_currency(amount, currency, locale=get_locale(locale))


def format_ppm(value: Decimal | int, locale: str) -> str:
    """Parts per million, as both languages write them in a contract.

    >>> format_ppm(Decimal("0.5"), "de_DE"), format_ppm(Decimal(50), "en_GB")
    ('0,5 ppm', '50 ppm')
    """
    for unit in ("concentr-part-per-1e6", "concentr-permillion"):  # CLDR 44 renamed it; older Babel knows the old
        try:
            return units.format_unit(Decimal(value).normalize(), unit, length="short", locale=get_locale(locale))
        except units.UnknownUnitError:
            continue
    return f"{format_number(value, locale)} ppm"


_WORKING_DAY = {"de": ("Arbeitstag", "Arbeitstage"), "en": ("working day", "working days")}
"""A unit CLDR lacks: Babel chooses the plural form, this table the word (other languages: the English)."""


def format_working_days(days: Decimal | int, locale: str, shown: str | None = None) -> str:
    """Working days after an event, spelled out (``shown``: the number as the caller has written it).

    >>> format_working_days(Decimal(3), "de_DE"), format_working_days(Decimal(1), "en_GB")
    ('3 Arbeitstage', '1 working day')
    """
    found = get_locale(locale)
    one, many = _WORKING_DAY.get(found.language, _WORKING_DAY["en"])
    word = one if found.plural_form(Decimal(days)) == "one" else many
    return f"{format_number(days, locale) if shown is None else shown} {word}"


def format_value(value: Any, unit: str, locale: str) -> str:
    """Format a KPI target by its unit (``count``, ``percent``, ``duration``, ``ppm``, ``working_days``)."""
    if unit == "ppm":
        return format_ppm(value, locale)
    if unit == "working_days":
        return format_working_days(value, locale)
    if unit == "percent":
        return format_percent(value, locale)
    if unit == "duration":
        return format_duration(value, locale)
    return format_number(value, locale)
