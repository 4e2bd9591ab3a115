"""Unit tests for slagen.params: declared parameters, value coercion and bounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from slagen.params import (
    DURATION_UNITS,
    PARAM_TYPES,
    TYPES,
    Duration,
    Param,
    ParamError,
    coerce_value,
    parse_param,
)

D = Decimal
BUNDLED = ("de", "en")
"""The bundled library's languages: a value naming a language is checked against the library's."""


def fails(param: Param, value: Any) -> ParamError:
    """The ParamError that coercing ``value`` raises (in a library writing German and English)."""
    with pytest.raises(ParamError) as exc:
        coerce_value(param, value, languages=BUNDLED)
    return exc.value


def findings(error: ParamError) -> list[tuple[tuple[str, ...], str]]:
    return [(e.subkey, str(e)) for e in error.all()]


# --- Duration -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "seconds"),
    [
        ("24h", D(24), "hour", D(86400)),
        ("30min", D(30), "minute", D(1800)),
        ("30 min", D(30), "minute", D(1800)),
        ("2d", D(2), "day", D(172800)),
        ("1w", D(1), "week", D(604800)),
        ("1 W", D(1), "week", D(604800)),
        (" 4 hours ", D(4), "hour", D(14400)),
        ("1.5h", D("1.5"), "hour", D(5400)),
        ("10s", D(10), "second", D(10)),
        ("90 seconds", D(90), "second", D(90)),
        ("1mo", D(1), "month", D(2629746)),
        ("3 months", D(3), "month", D(7889238)),
        ("0h", D(0), "hour", D(0)),
    ],
)
def test_duration_parse(text: str, amount: Decimal, unit: str, seconds: Decimal) -> None:
    duration = Duration.parse(text)
    assert duration == Duration(amount, unit)
    assert duration.seconds == seconds


@pytest.mark.parametrize("text", ["", "h", "24", "5 years", "-1h", "1e3h", "24h 30min", "hour 1"])
def test_duration_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        Duration.parse(text)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (Duration(D(24), "hour"), "24h"),
        (Duration(D(30), "minute"), "30min"),
        (Duration(D(2), "day"), "2d"),
        (Duration(D(1), "week"), "1w"),
        (Duration(D(3), "month"), "3mo"),
        (Duration(D(10), "second"), "10s"),
        (Duration(D("1.5"), "hour"), "1.5h"),
    ],
)
def test_duration_str_round_trips(duration: Duration, text: str) -> None:
    assert str(duration) == text
    assert Duration.parse(text) == duration


def test_every_duration_unit_parses() -> None:
    for word, unit in DURATION_UNITS.items():
        assert Duration.parse(f"2{word}").unit == unit
        assert Duration.parse(f"2 {word.upper()}").unit == unit


def test_duration_keeps_the_unit_written_but_compares_by_length() -> None:
    assert Duration.parse("60min") == Duration.parse("1h")
    assert (Duration.parse("60min").unit, str(Duration.parse("60min"))) == ("minute", "60min")
    assert len({Duration.parse("60min"), Duration.parse("1h"), Duration.parse("3600s")}) == 1


def test_duration_ordering_follows_length() -> None:
    assert Duration.parse("2h") < Duration.parse("1d")


# --- strings and text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Hotline", "Hotline"),
        ("  padded  ", "padded"),
        ("trailing newline\n", "trailing newline"),
        (42, "42"),
        (1.5, "1.5"),
        (D("2.50"), "2.50"),
        (dt.date(2027, 1, 1), "2027-01-01"),
        ("tab\tinside", "tab\tinside"),
        ("Ünïcödé 😀 مرحبا", "Ünïcödé 😀 مرحبا"),
        ("<script>**x**</script>", "<script>**x**</script>"),
    ],
)
def test_string(value: Any, expected: str) -> None:
    assert coerce_value(Param("s", "string"), value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "expected text, got nothing"),
        (True, "expected text, got true"),
        (False, "expected text, got false"),
        (["a"], "expected text, got a list"),
        ([], "expected text, got an empty list"),
        ({"a": 1}, "expected text, got a mapping"),
        ("two\nlines", "must be a single line"),
    ],
)
def test_string_rejects(value: Any, message: str) -> None:
    error = fails(Param("s", "string"), value)
    assert str(error) == message
    assert error.subkey == ()
    assert error.all() == [error]


@pytest.mark.parametrize("kind", ["string", "catalog", "tier"])
def test_string_like_types(kind: str) -> None:
    assert coerce_value(Param("s", kind), " x ") == "x"
    assert str(fails(Param("s", kind), None)) == "expected text, got nothing"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("one\ntwo", "one\ntwo"),
        ("\n\npara one\n\npara two\n", "para one\n\npara two"),
        ("single", "single"),
    ],
)
def test_text_allows_several_lines(value: str, expected: str) -> None:
    assert coerce_value(Param("t", "text"), value) == expected


@pytest.mark.parametrize(
    ("char", "code"),
    [
        ("\x00", "0000"),
        ("\x07", "0007"),
        ("\x08", "0008"),
        ("\x0b", "000B"),
        ("\x0c", "000C"),
        ("\x1b", "001B"),
        ("\x1f", "001F"),
        ("\ufffe", "FFFE"),
        ("\uffff", "FFFF"),
    ],
)
@pytest.mark.parametrize("kind", ["string", "text", "enum", "list", "localized"])
def test_control_characters_are_rejected(char: str, code: str, kind: str) -> None:
    param = Param("p", kind, choices=(f"a{char}b",) if kind == "enum" else ())
    value: Any = f"a{char}b"
    if kind == "list":
        value = ["ok", value]
    error = fails(param, value)
    assert str(error) == f"contains the control character U+{code}, which a document cannot hold"
    assert error.subkey == (("1",) if kind == "list" else ())


def test_control_character_in_localized_mapping_names_the_language() -> None:
    error = fails(Param("p", "localized"), {"de": "gut", "en": "bell\x07"})
    assert error.subkey == ("en",)
    assert "control character U+0007" in str(error)


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\x7f", "\x85", "\u2028"])
def test_allowed_whitespace_in_text(char: str) -> None:
    assert coerce_value(Param("t", "text"), f"a{char}b") == f"a{char}b"


# --- bounds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        (Param("s", "string", minimum=D(3)), "ab", "'ab' is too short (at least 3 characters)"),
        (Param("s", "string", minimum=D(3)), "  ab  ", "'ab' is too short (at least 3 characters)"),
        (Param("s", "string", maximum=D(3)), "abcd", "'abcd' is too long (at most 3 characters)"),
        (Param("s", "text", minimum=D(10)), "short", "'short' is too short (at least 10 characters)"),
        (Param("l", "list", minimum=D(2)), ["a"], "needs at least 2 entries, got 1"),
        (Param("l", "list", minimum=D(1)), [], "needs at least 1 entries, got 0"),
        (Param("l", "list", maximum=D(1)), ["a", "b"], "takes at most 1 entries, got 2"),
        (Param("i", "integer", minimum=D(1)), 0, "0 is below the minimum of 1"),
        (Param("i", "integer", maximum=D(10)), 11, "11 is above the maximum of 10"),
        (Param("d", "decimal", minimum=D("0.5")), 0.25, "0.25 is below the minimum of 0.5"),
        (Param("d", "decimal", maximum=D("0.5")), "0.75", "0.75 is above the maximum of 0.5"),
        (Param("p", "percent", minimum=D(90)), "89.9%", "89.9 is below the minimum of 90%"),
        (Param("p", "percent", maximum=D(100)), "100.1%", "100.1 is above the maximum of 100%"),
        (Param("t", "duration", minimum=D(900)), "10min", "10min is below the minimum of 15min"),
        (Param("t", "duration", minimum=D(900)), "60s", "60s is below the minimum of 15min"),
        (Param("t", "duration", maximum=D(86400)), "25h", "25h is above the maximum of 1d"),
        (Param("t", "duration", maximum=D(86400)), "2d", "2d is above the maximum of 1d"),
        (Param("t", "duration", maximum=D(604800)), "8d", "8d is above the maximum of 1w"),
        (Param("t", "duration", minimum=D(7200)), "1h", "1h is below the minimum of 2h"),
        (Param("t", "duration", minimum=D(90)), "1min", "1min is below the minimum of 90s"),
    ],
)
def test_bounds_messages(param: Param, value: Any, message: str) -> None:
    assert str(fails(param, value)) == message


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        (Param("s", "string", minimum=D(3), maximum=D(3)), "abc", "abc"),
        (Param("l", "list", minimum=D(1), maximum=D(2)), ["a", "b"], ["a", "b"]),
        (Param("i", "integer", minimum=D(1), maximum=D(10)), 1, 1),
        (Param("i", "integer", minimum=D(1), maximum=D(10)), 10, 10),
        (Param("p", "percent", minimum=D(90), maximum=D(100)), "100%", D(100)),
        (Param("t", "duration", minimum=D(900)), "15min", Duration(D(15), "minute")),
        (Param("t", "duration", minimum=D(900)), "0.25h", Duration(D("0.25"), "hour")),
        (Param("t", "duration", maximum=D(86400)), "1440min", Duration(D(1440), "minute")),
    ],
)
def test_values_on_the_bounds_are_accepted(param: Param, value: Any, expected: Any) -> None:
    assert coerce_value(param, value) == expected


# --- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1, -5, 10**12])
def test_integer(value: int) -> None:
    result = coerce_value(Param("i", "integer"), value)
    assert result == value
    assert type(result) is int


@pytest.mark.parametrize(
    ("value", "shown"),
    [(True, "true"), (1.0, "1.0"), ("1", "'1'"), (D(1), "1"), (None, "nothing"), ([1], "a list")],
)
def test_integer_rejects(value: Any, shown: str) -> None:
    assert str(fails(Param("i", "integer"), value)) == f"expected a whole number, got {shown}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, D(1)),
        (1.5, D("1.5")),
        (99.9, D("99.9")),
        (0.1, D("0.1")),
        (0.30000000000000004, D("0.30000000000000004")),
        ("1.5", D("1.5")),
        (" 2 ", D(2)),
        ("1,5", D("1.5")),
        ("12.500,50", D("12500.50")),
        ("12,500.50", D("12500.50")),
        ("1.234.567", D("1234567")),
        ("18 500", D("18500")),
    ],
)
def test_decimal(value: Any, expected: Decimal) -> None:
    result = coerce_value(Param("d", "decimal"), value)
    assert isinstance(result, Decimal)
    assert result == expected
    assert str(result) == str(expected)  # no float drift, e.g. not 99.900000000000005684


@pytest.mark.parametrize(("value", "shown"), [(True, "true"), ("abc", "'abc'"), (None, "nothing")])
def test_decimal_rejects(value: Any, shown: str) -> None:
    assert str(fails(Param("d", "decimal"), value)) == f"expected a number, got {shown}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("99.9%", "99.9"),
        (99.9, "99.9"),
        ("5 %", "5"),
        ("5,5%", "5.5"),
        ("99,95 %", "99.95"),
        (" 99.95% ", "99.95"),
        ("5", "5"),
        (5, "5"),
        (99.95, "99.95"),
        (0.1, "0.1"),
        (100, "100"),
        ("0%", "0"),
        ("99.90%", "99.90"),
    ],
)
def test_percent(value: Any, expected: str) -> None:
    result = coerce_value(Param("p", "percent"), value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


@pytest.mark.parametrize("value", ["abc", "%", "99.9 %%", "1e3%", "99.9‰", "1.234,5%", "five %", ""])
def test_percent_rejects_strings(value: str) -> None:
    assert str(fails(Param("p", "percent"), value)) == f"expected a percentage such as 99.9%, got '{value}'"


@pytest.mark.parametrize(("value", "shown"), [(True, "true"), (None, "nothing"), ([99], "a list")])
def test_percent_rejects_non_numbers(value: Any, shown: str) -> None:
    assert str(fails(Param("p", "percent"), value)) == f"expected a number, got {shown}"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("percent", float("nan")),
        ("percent", float("inf")),
        ("decimal", "NaN"),
        ("decimal", "Infinity"),
    ],
)
@pytest.mark.parametrize("bounded", [False, True])
def test_non_finite_numbers_are_rejected(kind: str, value: Any, bounded: bool) -> None:
    param = Param("n", kind, minimum=D(0) if bounded else None)
    with pytest.raises(ParamError):
        coerce_value(param, value)


# --- durations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24h", Duration(D(24), "hour")),
        ("30min", Duration(D(30), "minute")),
        ("2d", Duration(D(2), "day")),
        ("1w", Duration(D(1), "week")),
        ("4 Hours", Duration(D(4), "hour")),
    ],
)
def test_duration(value: str, expected: Duration) -> None:
    assert coerce_value(Param("t", "duration"), value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (24, "expected a duration such as 24h or 30min, got 24"),
        (None, "expected a duration such as 24h or 30min, got nothing"),
        (True, "expected a duration such as 24h or 30min, got true"),
        ("24", "'24' is not a duration (write e.g. 30min, 4h, 2d)"),
        ("soon", "'soon' is not a duration (write e.g. 30min, 4h, 2d)"),
    ],
)
def test_duration_rejects(value: Any, message: str) -> None:
    assert str(fails(Param("t", "duration"), value)) == message


# --- dates and booleans -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2027, 1, 1), dt.date(2027, 1, 1)),
        (dt.datetime(2027, 1, 1, 10, 30), dt.date(2027, 1, 1)),
        ("2027-01-01", dt.date(2027, 1, 1)),
        ("2028-02-29", dt.date(2028, 2, 29)),
    ],
)
def test_date(value: Any, expected: dt.date) -> None:
    result = coerce_value(Param("d", "date"), value)
    assert result == expected
    assert type(result) is dt.date


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2027-W01", "'2027-W01'"),
        ("01.01.27", "'01.01.27'"),
        ("1 Jan", "'1 Jan'"),
        (20270101, "20270101"),
        (None, "nothing"),
        (True, "true"),
    ],
)
def test_date_rejects(value: Any, shown: str) -> None:
    assert str(fails(Param("d", "date"), value)) == (
        f"expected a date such as 2027-12-31, 31.12.2027 or 31 December 2027, got {shown}"
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [("2027-13-01", "month must be in 1..12"), ("2027-02-29", "day is out of range for month"), ("31.04.2027", "day")],
)
def test_a_date_that_names_no_day_says_why(value: str, reason: str) -> None:
    message = str(fails(Param("d", "date"), value))
    assert message.startswith(f"'{value}' is no date: ")
    assert reason in message


@pytest.mark.parametrize(
    "value", ["2027-03-01", "01.03.2027", "1.3.2027", "01/03/2027", "1 March 2027", "1. März 2027", " 1 Mar 2027 "]
)
def test_dates_as_people_write_them_in_german_and_english(value: str) -> None:
    assert coerce_value(Param("d", "date"), value) == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12.500", "'12.500' could be 12500 or 12.5"),
        ("12,500", "'12,500' could be 12500 or 12.5"),
        ("12.500,00 €", "write the amount without its currency"),
        ("GBP 1,000", "write the amount without its currency"),
    ],
)
def test_an_ambiguous_number_or_an_amount_with_a_currency_is_refused_not_guessed(value: str, reason: str) -> None:
    assert reason in str(fails(Param("d", "decimal"), value))


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("4 Stunden", 14400),
        ("30 Min.", 1800),
        ("2 Tage", 172800),
        ("1,5 h", 5400),
        ("24 Std.", 86400),
        ("1 Woche", 604800),
    ],
)
def test_durations_as_people_write_them(value: str, seconds: int) -> None:
    assert coerce_value(Param("t", "duration"), value).seconds == seconds


@pytest.mark.parametrize("value", [True, False])
def test_boolean(value: bool) -> None:
    assert coerce_value(Param("b", "boolean"), value) is value


@pytest.mark.parametrize(
    ("value", "shown"),
    [("yes", "'yes'"), ("no", "'no'"), ("true", "'true'"), ("on", "'on'"), (1, "1"), (0, "0"), (None, "nothing")],
)
def test_boolean_rejects(value: Any, shown: str) -> None:
    assert str(fails(Param("b", "boolean"), value)) == f"expected true or false, got {shown}"


# --- enum and list ------------------------------------------------------------------

TIERS = ("bronze", "silver", "gold")


@pytest.mark.parametrize(("value", "expected"), [("gold", "gold"), (" silver ", "silver")])
def test_enum(value: str, expected: str) -> None:
    assert coerce_value(Param("e", "enum", choices=TIERS), value) == expected


def test_enum_with_numeric_choices_accepts_numbers() -> None:
    assert coerce_value(Param("e", "enum", choices=("1", "2")), 2) == "2"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("platinum", "'platinum' is not allowed (choose one of: bronze, silver, gold)"),
        ("Gold", "'Gold' is not allowed (choose one of: bronze, silver, gold)"),
        (None, "expected text, got nothing"),
        (["gold"], "expected text, got a list"),
    ],
)
def test_enum_rejects(value: Any, message: str) -> None:
    assert str(fails(Param("e", "enum", choices=TIERS), value)) == message


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        (Param("l", "list"), ["a", " b "], ["a", "b"]),
        (Param("l", "list"), [1, 2.5], ["1", "2.5"]),
        (Param("l", "list"), [], []),
        (Param("l", "list", choices=TIERS), ["gold", "bronze"], ["gold", "bronze"]),
    ],
)
def test_list(param: Param, value: Any, expected: list[str]) -> None:
    assert coerce_value(param, value) == expected


@pytest.mark.parametrize(
    ("param", "value", "subkey", "message"),
    [
        (Param("l", "list"), "a", (), "expected a list, got 'a'"),
        (Param("l", "list"), {"a": 1}, (), "expected a list, got a mapping"),
        (Param("l", "list"), None, (), "expected a list, got nothing"),
        (Param("l", "list"), ["a", None], ("1",), "expected text, got nothing"),
        (Param("l", "list"), ["a", "b\nc"], ("1",), "must be a single line"),
        (
            Param("l", "list", choices=TIERS),
            ["gold", "tin"],
            ("1",),
            "'tin' is not allowed (choose from: bronze, silver, gold)",
        ),
    ],
)
def test_list_rejects(param: Param, value: Any, subkey: tuple[str, ...], message: str) -> None:
    error = fails(param, value)
    assert str(error) == message
    assert error.subkey == subkey


# --- languages and localized --------------------------------------------------------


@pytest.mark.parametrize("value", [["de"], ["en"], ["de", "en"], ["en", "de"]])
def test_languages(value: list[str]) -> None:
    assert coerce_value(Param("languages", "languages"), value) == value


@pytest.mark.parametrize(
    ("value", "subkey", "message"),
    [
        (["de", "fr"], ("1",), "unknown language 'fr' (slagen writes: de, en)"),
        (["DE"], ("0",), "unknown language 'DE' (slagen writes: de, en)"),
        ([None], ("0",), "unknown language nothing (slagen writes: de, en)"),
        (["de", "de"], (), "a language is listed twice"),
        ("de", (), "expected a list, got 'de'"),
    ],
)
def test_languages_rejects(value: Any, subkey: tuple[str, ...], message: str) -> None:
    error = fails(Param("languages", "languages"), value)
    assert str(error) == message
    assert error.subkey == subkey


def test_language_types() -> None:
    assert "languages" in TYPES
    assert "localized" in TYPES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Hotline", "Hotline"),
        ("  Hotline ", "Hotline"),
        ({"de": "Störungsannahme", "en": "Hotline"}, {"de": "Störungsannahme", "en": "Hotline"}),
        ({"en": " Hotline "}, {"en": "Hotline"}),
        ({"de": 24}, {"de": "24"}),
    ],
)
def test_localized(value: Any, expected: Any) -> None:
    assert coerce_value(Param("name", "localized"), value) == expected


@pytest.mark.parametrize(
    ("param", "value", "subkey", "message"),
    [
        (
            Param("n", "localized"),
            {"de": "Hallo", "fr": "Bonjour"},
            ("fr",),
            "unknown language 'fr' (slagen writes: de, en)",
        ),
        (Param("n", "localized"), {"DE": "Hallo"}, ("DE",), "unknown language 'DE' (slagen writes: de, en)"),
        (Param("n", "localized"), {"de": None}, ("de",), "expected text, got nothing"),
        (Param("n", "localized"), {"en": "a\nb"}, ("en",), "must be a single line"),
        (
            Param("n", "localized", minimum=D(3)),
            {"de": "Hallo", "en": "Hi"},
            ("en",),
            "'Hi' is too short (at least 3 characters)",
        ),
        (Param("n", "localized", minimum=D(3)), "Hi", (), "'Hi' is too short (at least 3 characters)"),
        (Param("n", "localized"), ["Hallo"], (), "expected text, got a list"),
        (Param("n", "localized"), None, (), "expected text, got nothing"),
    ],
)
def test_localized_rejects(param: Param, value: Any, subkey: tuple[str, ...], message: str) -> None:
    error = fails(param, value)
    assert str(error) == message
    assert error.subkey == subkey


# --- records ------------------------------------------------------------------------


@pytest.fixture
def contacts() -> Param:
    return parse_param(
        "contacts",
        {
            "type": "records",
            "min": 1,
            "fields": {
                "name": {"type": "string", "help": "the contact's name"},
                "email": {"type": "string"},
                "role": {"type": "enum", "choices": ["technical", "commercial"], "default": "technical"},
                "reachable": {"type": "duration", "required": False},
                "languages": {"type": "languages", "required": False},
            },
        },
        "clauses/contacts.yaml",
    )


def test_records_fill_defaults(contacts: Param) -> None:
    result = coerce_value(
        contacts,
        [
            {"name": " Ada ", "email": "ada@example.com"},
            {"name": "Bob", "email": "b@x", "role": "commercial", "reachable": "24h"},
        ],
    )
    assert result == [
        {"name": "Ada", "email": "ada@example.com", "role": "technical", "reachable": None, "languages": None},
        {"name": "Bob", "email": "b@x", "role": "commercial", "reachable": Duration(D(24), "hour"), "languages": None},
    ]


def test_records_collect_every_error(contacts: Param) -> None:
    value = [
        {"name": "Ada", "email": "a@x", "role": "boss", "reachable": "soon", "phone": 1, "languages": ["de", "fr"]},
        42,
        {"email": "b@x"},
        {"name": "Cy", "email": "c@x"},  # a good record between bad ones adds nothing
        {"name": None, "email": ["x"]},
    ]
    error = fails(contacts, value)
    expected = [
        (("0", "phone"), "unknown key 'phone' (expected: name, email, role, reachable, languages)"),
        (("0", "role"), "'boss' is not allowed (choose one of: technical, commercial)"),
        (("0", "reachable"), "'soon' is not a duration (write e.g. 30min, 4h, 2d)"),
        (("0", "languages", "1"), "unknown language 'fr' (slagen writes: de, en)"),
        (("1",), "expected a mapping with name, email, role, reachable, languages, got 42"),
        (("2", "name"), "missing: the contact's name"),
        (("4", "name"), "expected text, got nothing"),
        (("4", "email"), "expected text, got a list"),
    ]
    assert findings(error) == expected
    # the error itself is the first finding, the rest are in ``more``
    assert (error.subkey, str(error)) == expected[0]
    assert len(error.more) == len(expected) - 1


def test_records_missing_field_without_help(contacts: Param) -> None:
    error = fails(contacts, [{"name": "Ada"}])
    assert findings(error) == [(("0", "email"), "missing: required")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "needs at least 1 entries, got 0"),
        ("Ada", "expected a list, got 'Ada'"),
        ({"name": "Ada"}, "expected a list, got a mapping"),
    ],
)
def test_records_whole_value_errors(contacts: Param, value: Any, message: str) -> None:
    error = fails(contacts, value)
    assert findings(error) == [((), message)]


def test_nested_records_carry_full_subkeys() -> None:
    param = parse_param(
        "sites",
        {
            "type": "records",
            "fields": {"name": {"type": "string"}, "rooms": {"type": "records", "fields": {"n": {"type": "integer"}}}},
        },
        "x.yaml",
    )
    error = fails(param, [{"name": "HQ", "rooms": [{"n": "one"}, {"n": 2}, {"m": 3}]}])
    assert findings(error) == [
        (("0", "rooms", "0", "n"), "expected a whole number, got 'one'"),
        (("0", "rooms", "2", "m"), "unknown key 'm' (expected: n)"),
        (("0", "rooms", "2", "n"), "missing: required"),
    ]
    assert coerce_value(param, [{"name": "HQ", "rooms": [{"n": 1}]}]) == [{"name": "HQ", "rooms": [{"n": 1}]}]


def test_param_error_all_and_defaults() -> None:
    error = ParamError("boom")
    assert error.subkey == ()
    assert error.more == ()
    assert error.all() == [error]
    assert isinstance(error, ValueError)
    more = ParamError("second", ("1",))
    combined = ParamError("first", ("0",), (more,))
    assert combined.all() == [combined, more]


# --- kpi_values and unknown types ---------------------------------------------------


def test_kpi_values_are_copied_unchanged() -> None:
    value = {"availability": "99.9%", "response": "4h"}
    result = coerce_value(Param("k", "kpi_values"), value)
    assert result == value
    assert result is not value


@pytest.mark.parametrize(("value", "shown"), [(["a"], "a list"), ("x", "'x'"), (None, "nothing")])
def test_kpi_values_reject_non_mappings(value: Any, shown: str) -> None:
    assert str(fails(Param("k", "kpi_values"), value)) == f"expected a mapping of KPI to value, got {shown}"


def test_coerce_unknown_type() -> None:
    assert str(fails(Param("x", "colour"), "red")) == "unknown parameter type 'colour'"


def test_long_values_are_shortened_in_messages() -> None:
    message = str(fails(Param("d", "date"), "x" * 100))
    assert message == "expected a date such as 2027-12-31, 31.12.2027 or 31 December 2027, got '" + "x" * 57 + "...'"
    exactly_60 = "y" * 60
    assert str(fails(Param("d", "date"), exactly_60)).endswith(f"got '{exactly_60}'")


# --- Param and parse_param ----------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "has_default"),
    [
        (Param("a", "string"), False),
        (Param("a", "string", required=False), True),
        (Param("a", "string", default="x"), True),
        (Param("a", "boolean", default=False), True),
    ],
)
def test_has_default(param: Param, has_default: bool) -> None:
    assert param.has_default is has_default


def test_parse_param_full_declaration() -> None:
    param = parse_param(
        "service.availability",
        {"type": "percent", "help": "Availability", "default": "99.9%", "min": 90, "max": 100, "unit": "percent"},
        "clauses/a.yaml",
    )
    assert param == Param(
        key="service.availability",
        type="percent",
        help="Availability",
        default=D("99.9"),
        required=False,
        minimum=D(90),
        maximum=D(100),
        unit="percent",
        declared_in="clauses/a.yaml",
    )


@pytest.mark.parametrize(
    ("spec", "required", "default"),
    [
        ({"type": "string"}, True, None),
        ({"type": "string", "default": "x"}, False, "x"),
        ({"type": "string", "default": None}, False, None),
        ({"type": "string", "required": False}, False, None),
        ({"type": "string", "default": "x", "required": True}, True, "x"),
        ({"type": "boolean", "default": False}, False, False),
        ({"type": "duration", "default": "4h"}, False, Duration(D(4), "hour")),
        ({"type": "date", "default": "2027-01-01"}, False, dt.date(2027, 1, 1)),
        ({"type": "enum", "choices": [1, 2], "default": 1}, False, "1"),
    ],
)
def test_parse_param_required_and_default(spec: dict[str, Any], required: bool, default: Any) -> None:
    param = parse_param("k", spec, "d.yaml")
    assert param.required is required
    assert param.default == default


@pytest.mark.parametrize(
    ("spec", "minimum", "maximum"),
    [
        ({"type": "duration", "min": "15min", "max": "1d"}, D(900), D(86400)),
        ({"type": "integer", "min": 1, "max": 10}, D(1), D(10)),
        ({"type": "decimal", "min": 0.5}, D("0.5"), None),
        ({"type": "percent", "max": "100"}, None, D(100)),
    ],
)
def test_parse_param_bounds(spec: dict[str, Any], minimum: Decimal | None, maximum: Decimal | None) -> None:
    param = parse_param("k", spec, "d.yaml")
    assert param.minimum == minimum
    assert param.maximum == maximum


def test_parse_param_duration_bound_message() -> None:
    param = parse_param("k", {"type": "duration", "min": "15min"}, "d.yaml")
    assert str(fails(param, "10min")) == "10min is below the minimum of 15min"


def test_parse_param_records_fields() -> None:
    param = parse_param("c", {"type": "records", "fields": {"n": {"type": "integer", "default": 1}}}, "d.yaml")
    assert list(param.fields) == ["n"]
    assert param.fields["n"].key == "c.n"
    assert param.fields["n"].default == 1
    assert param.fields["n"].declared_in == "d.yaml"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("string", "a parameter is declared as a mapping with at least 'type'"),
        (None, "a parameter is declared as a mapping with at least 'type'"),
        ({"type": "string", "bogus": 1}, "unknown field(s) bogus (allowed: "),
        ({"type": "string", "zz": 1, "aa": 2}, "unknown field(s) aa, zz (allowed: "),
        ({"type": "colour"}, "unknown type 'colour' (one of: string, text,"),
        ({}, "unknown type None (one of: "),
        ({"type": "enum"}, "an enum needs 'choices'"),
        ({"type": "enum", "choices": []}, "'choices' must not be empty"),
        ({"type": "list", "choices": []}, "'choices' must not be empty"),
        ({"type": "integer", "default": "x"}, "default does not fit: expected a whole number, got 'x'"),
        ({"type": "integer", "min": 5, "default": 1}, "default does not fit: 1 is below the minimum of 5"),
        (
            {"type": "duration", "min": "15min", "default": "10min"},
            "default does not fit: 10min is below the minimum of 15min",
        ),
        ({"type": "boolean", "default": "yes"}, "default does not fit: expected true or false, got 'yes'"),
        (
            {"type": "enum", "choices": ["a"], "default": "b"},
            "default does not fit: 'b' is not allowed (choose one of: a)",
        ),
        ({"type": "percent", "min": "90%"}, "expected a number, got '90%'"),
        ({"type": "duration", "min": "soon"}, "'soon' is not a duration"),
        (
            {"type": "records", "fields": {"n": {"type": "nope"}}},
            "unknown type 'nope'",
        ),
    ],
)
def test_parse_param_rejects(spec: Any, message: str) -> None:
    with pytest.raises(ValueError) as exc:  # noqa: PT011 - the message is checked below
        parse_param("k", spec, "d.yaml")
    assert str(exc.value).startswith(message)


def test_parse_param_lists_allowed_fields() -> None:
    with pytest.raises(
        ValueError, match=r"allowed: choices, default, fields, help, max, min, required, type, unit, when\)$"
    ):
        parse_param("k", {"type": "string", "colour": "red"}, "d.yaml")


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "duration", "min": 900},  # Duration.parse(900) -> int has no .lower()
        {"type": "records", "fields": ["name"]},  # list has no .items()
        {"type": "records", "fields": "name"},
    ],
)
def test_parse_param_malformed_is_value_error(spec: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError is what the loader catches
        parse_param("k", spec, "d.yaml")


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        (
            Param("x", "integer"),
            10**26,
            "100000000000000000000000000 is too large for a contract (at most 999,999,999,999,999)",
        ),
        (Param("x", "decimal"), "1e30", "'1e30' is too large for a contract (at most 999,999,999,999,999)"),
        (
            Param("x", "percent"),
            10**20,
            "100000000000000000000 is too large for a contract (at most 999,999,999,999,999)",
        ),
        (
            Param("x", "duration"),
            "10000000000000000h",
            "'10000000000000000h' is longer than a year: no time limit of a service level agreement runs that long",
        ),
        (
            Param("x", "duration"),
            "999999999999999w",
            "'999999999999999w' is longer than a year: no time limit of a service level agreement runs that long",
        ),
        (
            Param("x", "duration"),
            "0.000001s",
            "'0.000001s' is not a whole number of milliseconds: no clock in a contract measures finer",
        ),
        (Param("x", "languages"), [], "name at least one language (de, en)"),
        (Param("x", "string"), "Nord\rlicht", "must be a single line"),
    ],
)
def test_values_no_contract_can_hold_are_refused(param: Param, value: object, message: str) -> None:
    with pytest.raises(ParamError) as caught:
        coerce_value(param, value, languages=BUNDLED)
    assert str(caught.value) == message


def test_languages_are_checked_against_the_library_only_when_it_is_known() -> None:
    """A value seen without its library (a bare coerce) is checked for its shape; the answers stage names the set."""
    assert coerce_value(Param("x", "languages"), ["fr"]) == ["fr"]
    assert coerce_value(Param("x", "localized"), {"fr": "Bonjour"}) == {"fr": "Bonjour"}
    assert str(fails(Param("x", "languages"), ["fr"])) == "unknown language 'fr' (slagen writes: de, en)"
    with pytest.raises(ParamError, match=r"unknown language nothing$"):
        coerce_value(Param("x", "languages"), [None])
    with pytest.raises(ParamError, match=r"^name at least one language$"):
        coerce_value(Param("x", "languages"), [])


def test_every_type_is_a_class_registered_by_its_name() -> None:
    assert tuple(PARAM_TYPES) == TYPES
    for name, kind in PARAM_TYPES.items():
        assert kind.name == name
        assert Param("x", name).kind is kind
    with pytest.raises(ParamError, match="unknown parameter type 'nope'"):
        coerce_value(Param("x", "nope"), 1)
