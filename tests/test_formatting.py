"""Unit tests for slagen.formatting: German and English numbers, dates, durations, money."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from babel import Locale

from slagen.formatting import (
    format_date,
    format_duration,
    format_money,
    format_number,
    format_percent,
    format_value,
    get_locale,
)
from slagen.params import Duration

D = Decimal
NBSP = "\xa0"


@pytest.mark.parametrize(
    ("points", "de", "en"),
    [
        (5, f"5{NBSP}%", "5%"),
        (D(5), f"5{NBSP}%", "5%"),
        (D("99.9"), f"99,9{NBSP}%", "99.9%"),
        (D("99.95"), f"99,95{NBSP}%", "99.95%"),
        (D("99.999"), f"99,999{NBSP}%", "99.999%"),
        (D("0.01"), f"0,01{NBSP}%", "0.01%"),
        (D(0), f"0{NBSP}%", "0%"),
        (D(100), f"100{NBSP}%", "100%"),
        (D("5.5"), f"5,5{NBSP}%", "5.5%"),
        (D("1234.5"), f"1.234,5{NBSP}%", "1,234.5%"),
    ],
)
def test_format_percent(points: Decimal | int, de: str, en: str) -> None:
    assert format_percent(points, "de_DE") == de
    assert format_percent(points, "en_GB") == en


def test_percent_keeps_every_digit() -> None:
    # no rounding to the locale's default of zero fraction digits
    assert format_percent(D("99.99999"), "en_GB") == "99.99999%"
    assert format_percent(D("99.99999"), "de_DE") == f"99,99999{NBSP}%"


@pytest.mark.parametrize(
    ("date", "de", "en"),
    [
        (dt.date(2027, 1, 1), "1. Januar 2027", "1 January 2027"),
        (dt.date(2027, 3, 15), "15. März 2027", "15 March 2027"),
        (dt.date(2027, 12, 31), "31. Dezember 2027", "31 December 2027"),
        (dt.date(2028, 2, 29), "29. Februar 2028", "29 February 2028"),
    ],
)
def test_format_date(date: dt.date, de: str, en: str) -> None:
    assert format_date(date, "de_DE") == de
    assert format_date(date, "en_GB") == en


@pytest.mark.parametrize(
    ("value", "de", "en"),
    [
        (D("1234.5"), "1.234,5", "1,234.5"),
        (1234567, "1.234.567", "1,234,567"),
        (D("1234567.891"), "1.234.567,891", "1,234,567.891"),
        (D("0.125"), "0,125", "0.125"),
        (D("-1234.5"), "-1.234,5", "-1,234.5"),
        (0, "0", "0"),
        (999, "999", "999"),
        (1000, "1.000", "1,000"),
        (D("1E+3"), "1.000", "1,000"),
    ],
)
def test_format_number(value: int | Decimal, de: str, en: str) -> None:
    assert format_number(value, "de_DE") == de
    assert format_number(value, "en_GB") == en


@pytest.mark.parametrize(
    ("duration", "de", "en"),
    [
        (Duration(D(24), "hour"), "24 Stunden", "24 hours"),
        (Duration(D(1), "hour"), "1 Stunde", "1 hour"),
        (Duration(D(30), "minute"), "30 Minuten", "30 minutes"),
        (Duration(D(1), "minute"), "1 Minute", "1 minute"),
        (Duration(D(2), "day"), "2 Tage", "2 days"),
        (Duration(D(1), "day"), "1 Tag", "1 day"),
        (Duration(D(1), "week"), "1 Woche", "1 week"),
        (Duration(D(2), "week"), "2 Wochen", "2 weeks"),
        (Duration(D(3), "month"), "3 Monate", "3 months"),
        (Duration(D(1), "month"), "1 Monat", "1 month"),
        (Duration(D(10), "second"), "10 Sekunden", "10 seconds"),
        (Duration(D("1.5"), "hour"), "1,5 Stunden", "1.5 hours"),
        (Duration(D("24.0"), "hour"), "24 Stunden", "24 hours"),  # trailing zeros dropped
        (Duration(D(100), "hour"), "100 Stunden", "100 hours"),  # normalize() gives 1E+2
        (Duration(D(1000), "hour"), "1.000 Stunden", "1,000 hours"),
    ],
)
def test_format_duration(duration: Duration, de: str, en: str) -> None:
    assert format_duration(duration, "de_DE") == de
    assert format_duration(duration, "en_GB") == en


@pytest.mark.parametrize("text", ["24h", "30min", "2d", "1w", "1h"])
def test_format_parsed_duration(text: str) -> None:
    duration = Duration.parse(text)
    english = format_duration(duration, "en_GB")
    assert english.startswith(f"{duration.amount} ")
    assert english.split(" ", 1)[1].startswith(duration.unit)


@pytest.mark.parametrize(
    ("amount", "currency", "de", "en"),
    [
        (D("1234.5"), "EUR", f"1.234,50{NBSP}€", "€1,234.50"),
        (1000, "EUR", f"1.000,00{NBSP}€", "€1,000.00"),
        (D("0.5"), "EUR", f"0,50{NBSP}€", "€0.50"),
        (D("1234.567"), "EUR", f"1.234,57{NBSP}€", "€1,234.57"),
        (D("1234.5"), "GBP", f"1.234,50{NBSP}£", "£1,234.50"),
    ],
)
def test_format_money(amount: Decimal | int, currency: str, de: str, en: str) -> None:
    assert format_money(amount, currency, "de_DE") == de
    assert format_money(amount, currency, "en_GB") == en


@pytest.mark.parametrize(
    ("value", "unit", "de", "en"),
    [
        (D("99.9"), "percent", f"99,9{NBSP}%", "99.9%"),
        (D(5), "percent", f"5{NBSP}%", "5%"),
        (Duration(D(4), "hour"), "duration", "4 Stunden", "4 hours"),
        (Duration(D(30), "minute"), "duration", "30 Minuten", "30 minutes"),
        (D(1234), "count", "1.234", "1,234"),
        (1234, "count", "1.234", "1,234"),
        (D("99.9"), "count", "99,9", "99.9"),  # a count is not a percentage
        (D(1234), "anything else", "1.234", "1,234"),
    ],
)
def test_format_value_dispatches_by_unit(value: Decimal | int | Duration, unit: str, de: str, en: str) -> None:
    assert format_value(value, unit, "de_DE") == de
    assert format_value(value, unit, "en_GB") == en


def test_format_value_duration_needs_a_duration() -> None:
    with pytest.raises(AttributeError):
        format_value(D(4), "duration", "en_GB")


# --- locales ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "language", "territory"),
    [("de_DE", "de", "DE"), ("en_GB", "en", "GB"), ("de", "de", None), ("en_US", "en", "US")],
)
def test_get_locale(name: str, language: str, territory: str | None) -> None:
    locale = get_locale(name)
    assert isinstance(locale, Locale)
    assert locale.language == language
    assert locale.territory == territory
    assert get_locale(name) == locale


@pytest.mark.parametrize("name", ["xx_YY", "klingon", "", "de-DE", "de_XX", "zz", "123"])
def test_get_locale_unknown(name: str) -> None:
    with pytest.raises(ValueError, match=f"^unknown locale '{re.escape(name)}'$"):
        get_locale(name)


@pytest.mark.parametrize(
    "call",
    [
        lambda loc: format_number(D(1), loc),
        lambda loc: format_percent(D(1), loc),
        lambda loc: format_date(dt.date(2027, 1, 1), loc),
        lambda loc: format_duration(Duration(D(1), "hour"), loc),
        lambda loc: format_money(D(1), "EUR", loc),
        lambda loc: format_value(D(1), "count", loc),
    ],
)
def test_every_formatter_rejects_unknown_locale(call: Callable[[str], str]) -> None:
    with pytest.raises(ValueError, match=r"^unknown locale 'xx_YY'$"):
        call("xx_YY")


def test_locale_is_an_argument_not_state() -> None:
    # alternating locales never leak into each other
    assert [format_percent(D("99.9"), loc) for loc in ("de_DE", "en_GB", "de_DE", "en_GB")] == [
        f"99,9{NBSP}%",
        "99.9%",
        f"99,9{NBSP}%",
        "99.9%",
    ]
