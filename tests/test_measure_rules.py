"""The sentences a measurement definition's own parameters generate, in German and English (slagen/measure_rules.py,
labels ``measures.rules``), and the maintenance exclusion worded by whether the definition limits it."""

from __future__ import annotations

from typing import Any

import pytest

from slagen.library import Library
from slagen.measure_def import Maintenance, MeasureDef, Window
from slagen.measure_rules import phrases, rules, window_words
from slagen.measure_text import wording
from slagen.params import Duration

LOCALES = {"de": "de_DE", "en": "en_GB"}


def words(library: Library, lang: str) -> Any:
    return library.labels[lang]["measures"]


def availability(**params: Any) -> MeasureDef:
    return MeasureDef("availability", "calendar_month", params=params)


@pytest.mark.parametrize(
    ("places", "en", "de"),
    [
        (0, "truncated to a whole number, not rounded", "auf eine ganze Zahl abgeschnitten, nicht gerundet"),
        (1, "truncated to one decimal place, not rounded", "auf eine Nachkommastelle abgeschnitten, nicht gerundet"),
        (2, "truncated to two decimal places, not rounded", "auf zwei Nachkommastellen abgeschnitten, nicht gerundet"),
        (13, "truncated to 13 decimal places, not rounded", "auf 13 Nachkommastellen abgeschnitten, nicht gerundet"),
    ],
)
def test_truncation_in_words_up_to_twelve(library: Library, places: int, en: str, de: str) -> None:
    for lang, expected in (("en", en), ("de", de)):
        said = phrases(availability(decimals=places), words(library, lang), LOCALES[lang])
        assert said["truncated"].startswith(expected)


def test_the_example_shows_a_value_one_place_longer_truncated(library: Library) -> None:
    assert phrases(availability(decimals=3), words(library, "en"), "en_GB")["example"] == (
        "a value of 99.8999% is therefore 99.899%"
    )
    assert phrases(availability(decimals=0), words(library, "de"), "de_DE")["example"] == (
        "ein Wert von 99,8\xa0% ergibt also 99\xa0%"
    )
    # no decimals named: the report truncates to two places, and so does the contract
    assert phrases(availability(), words(library, "en"), "en_GB")["example"] == "a value of 99.899% is therefore 99.89%"


@pytest.mark.parametrize(
    ("length", "en", "de"),
    [
        ("1min", "less than one minute is not Downtime", "weniger als einer Minute ist keine Ausfallzeit"),
        ("90s", "less than 90 seconds is not Downtime", "weniger als 90 Sekunden ist keine Ausfallzeit"),
        ("1h", "less than one hour is not Downtime", "weniger als einer Stunde ist keine Ausfallzeit"),
        ("5min", "less than five minutes is not Downtime", "weniger als fünf Minuten ist keine Ausfallzeit"),
    ],
)
def test_the_shortest_outage(library: Library, length: str, en: str, de: str) -> None:
    measure = availability(decimals=2, min_outage=Duration.parse(length))
    assert rules(measure, words(library, "en"), "en_GB")[1].endswith(en)
    assert rules(measure, words(library, "de"), "de_DE")[1].endswith(de)


def test_no_shortest_outage_no_sentence(library: Library) -> None:
    assert rules(availability(decimals=2), words(library, "en"), "en_GB") == [
        "the result is truncated to two decimal places, not rounded (or to as many decimal places as the target "
        "has, if more)"
    ]


def attainment(tickets: str, least: int, misses: int) -> MeasureDef:
    return MeasureDef(
        "attainment", "calendar_month", params={"tickets": tickets, "min_events": least, "misses": misses}
    )


@pytest.mark.parametrize(
    ("measure", "limits", "en", "de"),
    [
        (
            attainment("incident", 10, 1),
            5,
            "if fewer than ten were reported, it is met if no more than one of them missed its time limits",
            "sind weniger als zehn gemeldet worden, ist er erreicht, wenn höchstens eine von ihnen die Fristen "
            "verfehlt hat",
        ),
        (
            attainment("complaint", 10, 0),
            1,
            "if fewer than ten were received, it is met if none of them missed the time limit",
            "sind weniger als zehn eingegangen, ist er erreicht, wenn keine von ihnen die Frist verfehlt hat",
        ),
        (
            attainment("complaint", 25, 3),
            1,
            "if fewer than 25 were received, it is met if no more than three of them missed the time limit",
            "sind weniger als 25 eingegangen, ist er erreicht, wenn höchstens drei von ihnen die Frist verfehlt haben",
        ),
    ],
)
def test_the_small_sample_rule(library: Library, measure: MeasureDef, limits: int, en: str, de: str) -> None:
    assert rules(measure, words(library, "en"), "en_GB", limits=limits) == [en]
    assert rules(measure, words(library, "de"), "de_DE", limits=limits) == [de]


def test_no_minimum_no_small_sample_rule(library: Library) -> None:
    assert rules(attainment("incident", 0, 0), words(library, "en"), "en_GB") == []


@pytest.mark.parametrize(
    ("window", "en", "de"),
    [
        (
            Window((5,), 22 * 60, 480),
            "from 22:00 on Saturday to 06:00 on Sunday",
            "samstags von 22:00 Uhr bis sonntags 06:00 Uhr",
        ),
        (Window((6,), 0, 360), "from 00:00 to 06:00 on Sunday", "sonntags von 00:00 Uhr bis 06:00 Uhr"),
        (
            Window((0, 1, 2, 3, 4), 22 * 60, 420),
            "from 22:00 to 05:00 on the following day, Monday to Friday",
            "montags bis freitags jeweils von 22:00 Uhr bis 05:00 Uhr des folgenden Tages",
        ),
        (
            Window((5, 6), 60, 240),
            "from 01:00 to 05:00 on Saturday and Sunday",
            "samstags und sonntags von 01:00 Uhr bis 05:00 Uhr",
        ),
    ],
)
def test_maintenance_windows(library: Library, window: Window, en: str, de: str) -> None:
    assert window_words(window, words(library, "en"), "en_GB") == en
    assert window_words(window, words(library, "de"), "de_DE") == de


def test_the_catalogs_windows_are_worded_from_the_definition(library: Library) -> None:
    measure = library.catalogs["it-service"].kpis["availability"].measure
    assert measure is not None
    said = phrases(measure, words(library, "en"), "en_GB")
    assert said["windows"]["weekday_night"] == "from 22:00 to 05:00 on the following day, Monday to Friday"


def test_maintenance_without_window_and_limit_is_excluded_whenever_announced(library: Library) -> None:
    limited = Maintenance("maintenance_window", "maintenance_per_month", {})
    bounded = MeasureDef("availability", "calendar_month", excludes=("scheduled_maintenance",),
                         params={"maintenance": limited})  # fmt: skip
    unbounded = MeasureDef("availability", "calendar_month", excludes=("scheduled_maintenance",))
    en = words(library, "en")
    assert wording(bounded, en, "en_GB")["excluded"] == (
        "announced maintenance within the Maintenance Window up to the monthly maximum"
    )
    assert wording(unbounded, en, "en_GB")["excluded"] == "announced maintenance"
    assert wording(unbounded, words(library, "de"), "de_DE")["excluded"] == "angekündigte Wartung"
