"""Units of catalogs and answers: milliseconds in durations, parts per million; read as written, printed by Babel."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slagen.formatting import format_duration, format_value
from slagen.params import Duration, Param, ParamError, coerce_value


@pytest.mark.parametrize(
    ("written", "seconds"), [("50ms", "0.050"), ("1,5 ms", "0.0015"), ("35 Millisekunden", "0.035")]
)
def test_milliseconds_are_a_duration(written: str, seconds: str) -> None:
    assert Duration.parse(written).seconds == Decimal(seconds)
    assert Duration.parse(written).unit == "millisecond"


def test_milliseconds_compare_with_other_durations() -> None:
    assert Duration.parse("999ms") < Duration.parse("1s")
    assert Duration.parse("1000ms") == Duration.parse("1s")
    assert str(Duration.parse("45ms")) == "45ms"


def test_milliseconds_are_spelled_out_in_both_languages() -> None:
    assert format_duration(Duration.parse("50ms"), "de_DE") == "50 Millisekunden"
    assert format_duration(Duration.parse("1ms"), "en_GB") == "1 millisecond"
    assert format_value(Duration.parse("35ms"), "duration", "de_DE") == "35 Millisekunden"


@pytest.mark.parametrize(("written", "value"), [(50, Decimal(50)), ("50 ppm", Decimal(50)), ("0,5ppm", Decimal("0.5"))])
def test_ppm_is_read_as_written(written: object, value: Decimal) -> None:
    assert coerce_value(Param("defects", "ppm"), written) == value


def test_ppm_outside_its_bounds_or_in_words_is_refused() -> None:
    with pytest.raises(ParamError, match="expected parts per million such as 50 ppm, got '50 Teile'"):
        coerce_value(Param("defects", "ppm"), "50 Teile")
    with pytest.raises(ParamError, match="below the minimum of 0 ppm"):
        coerce_value(Param("defects", "ppm", minimum=Decimal(0)), -1)


def test_ppm_is_printed_in_both_languages() -> None:
    assert format_value(Decimal("0.5"), "ppm", "de_DE") == "0,5 ppm"
    assert format_value(Decimal(500), "ppm", "en_GB") == "500 ppm"


def test_a_catalog_kpi_in_ppm_is_typed_and_compared() -> None:
    from slagen.catalogs import Kpi

    kpi = Kpi("defect_rate", "ppm", "at_most", {})
    assert kpi.coerce("100 ppm") == Decimal(100)
    assert kpi.better(Decimal(50), Decimal(100))
