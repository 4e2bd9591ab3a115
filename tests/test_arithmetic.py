"""Contract arithmetic: allowed downtime for months of 28 to 31 days and years, credit bands, formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slagen.arithmetic import (
    CreditBand,
    CreditScheme,
    allowed_downtime,
    check_credits,
    split_seconds,
)
from slagen.formatting import format_timespan
from slagen.library import Library
from slagen.report.credits import service_credit
from slagen.sandbox import make_environment

D = Decimal


@pytest.mark.parametrize(
    ("availability", "days", "seconds", "de", "en"),
    [
        ("99.9", 30, "2592", "43 Minuten und 12 Sekunden", "43 minutes and 12 seconds"),
        ("99.9", 31, "2678.4", "44 Minuten und 38,4 Sekunden", "44 minutes and 38.4 seconds"),
        ("99.9", 28, "2419.2", "40 Minuten und 19,2 Sekunden", "40 minutes and 19.2 seconds"),
        ("99.9", 29, "2505.6", "41 Minuten und 45,6 Sekunden", "41 minutes and 45.6 seconds"),
        ("99.9", 365, "31536", "8 Stunden, 45 Minuten und 36 Sekunden", "8 hours, 45 minutes and 36 seconds"),
        ("99.9", 366, "31622.4", "8 Stunden, 47 Minuten und 2,4 Sekunden", "8 hours, 47 minutes and 2.4 seconds"),
        ("99.5", 30, "12960", "3 Stunden und 36 Minuten", "3 hours and 36 minutes"),
        ("99.95", 30, "1296", "21 Minuten und 36 Sekunden", "21 minutes and 36 seconds"),
        ("99.99", 30, "259.2", "4 Minuten und 19,2 Sekunden", "4 minutes and 19.2 seconds"),
        ("99.99", 31, "267.84", "4 Minuten und 27,84 Sekunden", "4 minutes and 27.84 seconds"),
        ("99.5", 365, "157680", "1 Tag, 19 Stunden und 48 Minuten", "1 day, 19 hours and 48 minutes"),
        ("99", 30, "25920", "7 Stunden und 12 Minuten", "7 hours and 12 minutes"),
        ("100", 31, "0", "0 Sekunden", "0 seconds"),
        ("0", 1, "86400", "1 Tag", "1 day"),
    ],
)
def test_allowed_downtime(availability: str, days: int, seconds: str, de: str, en: str) -> None:
    computed = allowed_downtime(D(availability), days)
    assert computed == D(seconds)
    assert str(computed) == seconds  # exact, never in exponent form, no float drift
    assert format_timespan(computed, "de_DE") == de
    assert format_timespan(computed, "en_GB") == en


def test_february_of_a_leap_year_allows_more_downtime_than_of_a_common_year() -> None:
    leap = allowed_downtime(D("99.9"), 29)
    common = allowed_downtime(D("99.9"), 28)
    assert leap - common == D("86.4")


@pytest.mark.parametrize(("availability", "days"), [("100.1", 30), ("-1", 30), ("99.9", 0)])
def test_allowed_downtime_refuses_nonsense(availability: str, days: int) -> None:
    with pytest.raises(ValueError, match="is not"):
        allowed_downtime(D(availability), days)


@pytest.mark.parametrize(
    ("seconds", "parts"),
    [
        ("59.5", (("second", "59.5"),)),
        ("60", (("minute", "1"),)),
        ("3601", (("hour", "1"), ("second", "1"))),
        ("90061.25", (("day", "1"), ("hour", "1"), ("minute", "1"), ("second", "1.25"))),
    ],
)
def test_split_seconds(seconds: str, parts: tuple[tuple[str, str], ...]) -> None:
    assert split_seconds(D(seconds)) == tuple((unit, D(amount)) for unit, amount in parts)


def test_split_seconds_refuses_a_negative_span() -> None:
    with pytest.raises(ValueError, match="negative"):
        split_seconds(D(-1))


def scheme(*bands: tuple[str, str | None, str], cap: str = "50") -> CreditScheme:
    return CreditScheme(
        tuple(CreditBand(D(upper), None if lower is None else D(lower), D(credit)) for upper, lower, credit in bands),
        D(cap),
    )


BONTERMS_FIXED = scheme(("99.9", "99", "5"), ("99", "97", "20"), ("97", "95", "35"), ("95", None, "50"))


@pytest.mark.parametrize(
    ("measured", "credit"),
    [
        ("99.95", "0"),
        ("99.9", "0"),
        ("99.89", "5"),
        ("99", "5"),
        ("98.999", "20"),
        ("97", "20"),
        ("96.99", "35"),
        ("95", "35"),
        ("94.99", "50"),
    ],
)
def test_credit_bands_are_half_open(measured: str, credit: str) -> None:
    assert service_credit("availability", D(measured), BONTERMS_FIXED, None, "EUR").percent_capped == D(credit)


def test_credit_is_capped() -> None:
    capped = scheme(("99.9", "99", "5"), ("99", None, "20"), cap="10")
    assert service_credit("availability", D(50), capped, None, "EUR").percent_capped == D(10)


@pytest.mark.parametrize(
    ("bands", "cap", "target", "expected"),
    [
        # Bonterms as printed: 99.00-99.89, 97.00-98.99, 95.00-96.99, < 95 leaves gaps between the bands.
        (
            [("99.89", "99", "5"), ("98.99", "97", "20"), ("96.99", "95", "35"), ("95", None, "50")],
            "50",
            "99.9",
            [
                (
                    "bands.0.below",
                    "band 1 must end at the target (99.9 %): the values from 99.89 % to under 99.9 % would earn no credit",
                ),
                (
                    "bands.1.below",
                    "band 2 must end where band 1 begins (99 %): the values from 98.99 % to under 99 % would earn no credit",
                ),
                (
                    "bands.2.below",
                    "band 3 must end where band 2 begins (97 %): the values from 96.99 % to under 97 % would earn no credit",
                ),
            ],
        ),
        (
            [("99.9", "98", "5"), ("99", None, "20")],
            "50",
            "99.9",
            [
                (
                    "bands.1.below",
                    "band 2 must end where band 1 begins (98 %): the values from 98 % to under 99 % would fall into both bands",
                )
            ],
        ),
        (
            [("99.9", "99", "20"), ("99", None, "10")],
            "50",
            "99.9",
            [
                (
                    "bands.1.credit",
                    "the credit must grow as the service gets worse: band 2 gives 10 %, band 1 gives 20 %",
                )
            ],
        ),
        (
            [("99.9", "99", "5"), ("99", None, "20")],
            "10",
            "99.9",
            [("cap", "the cap (10 %) is below the highest credit (20 %)")],
        ),
        (
            [("99.9", "99.9", "5"), ("99.9", None, "20")],
            "20",
            "99.9",
            [
                (
                    "bands.0.from",
                    "band 1 is empty: 'from' (99.9 %) must be below 'below' (99.9 %); a band holds the values from 'from' to under 'below'",
                )
            ],
        ),
        (
            [("99.9", None, "5"), ("99", None, "20")],
            "20",
            "99.9",
            [("bands.0.from", "only the last band may leave out 'from' (band 1)")],
        ),
        (
            [("99.9", "99", "5"), ("99", "95", "20")],
            "20",
            "99.9",
            [
                (
                    "bands.1.from",
                    "the values under 95 % would earn no credit: leave out 'from' in the last band (band 2)",
                )
            ],
        ),
        (
            [("99.95", "99", "5"), ("99", None, "20")],
            "20",
            "99.9",
            [("bands.0.below", "band 1 must end at the target (99.9 %): values that meet the target earn no credit")],
        ),
        ([("99.9", None, "0")], "20", "99.9", [("bands.0.credit", "a credit of 0 % is not above 0 and at most 100")]),
        ([("99.9", None, "5")], "120", "99.9", [("cap", "a cap of 120 % is not above 0 and at most 100")]),
        ([], "20", "99.9", [("bands", "at least one band is needed")]),
        ([("99.9", "99", "5"), ("99", "97", "20"), ("97", None, "50")], "50", "99.9", []),
        ([("99.9", None, "10")], "10", None, []),
    ],
)
def test_credit_bands_are_checked(
    bands: list[tuple[str, str | None, str]], cap: str, target: str | None, expected: list[tuple[str, str]]
) -> None:
    found = check_credits(scheme(*bands, cap=cap), None if target is None else D(target), show="{} %")
    assert [(".".join(where), message) for where, message in found] == expected


def test_templates_compute_and_format_downtime(library: Library) -> None:
    template = make_environment(library.template_root).from_string("{{ availability|downtime(31)|timespan }}")
    # what a template prints is escaped for the clause markup
    assert template.render(availability=D("99.9"), locale="de_DE") == "44 Minuten und 38,4 Sekunden"
    assert template.render(availability=D("99.9"), locale="en_GB") == "44 minutes and 38\\.4 seconds"
