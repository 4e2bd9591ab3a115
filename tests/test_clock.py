"""Business-hours arithmetic (slagen/clock.py): due times and elapsed time on the agreed clocks, and the
rule that refuses a public-holiday calendar slagen cannot compute (slagen/rules_calendar.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner

from slagen.answers import load_answers
from slagen.cli.group import main
from slagen.clock import (
    HOLIDAY_CODES,
    ServiceCalendar,
    add_service_days,
    around_the_clock,
    as_hours,
    calendar_for,
    due,
    elapsed,
    working_days,
    working_days_for,
)
from slagen.errors import InputError
from slagen.library import Library, load_library

from .conftest import EXAMPLES, example_with
from .helpers import copy_library

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
SILVER_NW = ServiceCalendar("Europe/Berlin", "weekdays", "07:00", "19:00", "DE-NW")
BRONZE_RP = ServiceCalendar("Europe/Berlin", "weekdays", "09:00", "17:00", "DE-RP")
H = dt.timedelta(hours=1)


def berlin(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def test_p2_on_friday_evening_before_whit_monday_in_north_rhine_westphalia() -> None:
    # Friday 14 May 2027, 17:30; Whit Monday 17 May 2027 is a public holiday in NW. P2 restore 8 h:
    # 1.5 h on Friday (to 19:00), none on Saturday, Sunday, Monday; 6.5 h on Tuesday from 07:00.
    start = berlin(2027, 5, 14, 17, 30)
    assert due(start, 8 * H, SILVER_NW) == berlin(2027, 5, 18, 13, 30)
    assert due(start, 2 * H, SILVER_NW) == berlin(2027, 5, 18, 7, 30)
    assert elapsed(start, berlin(2027, 5, 18, 13, 30), SILVER_NW) == 8 * H


def test_a_holiday_of_one_state_is_a_working_day_in_another() -> None:
    # Corpus Christi, Thursday 27 May 2027: a public holiday in NW and RP, not in Berlin or England.
    start = berlin(2027, 5, 26, 16, 0)
    assert due(start, 2 * H, ServiceCalendar("Europe/Berlin", "weekdays", "09:00", "17:00", "DE-RP")) == berlin(
        2027, 5, 28, 10, 0
    )
    assert due(start, 2 * H, ServiceCalendar("Europe/Berlin", "weekdays", "09:00", "17:00", "DE-BE")) == berlin(
        2027, 5, 27, 10, 0
    )


def test_weekend_without_holidays() -> None:
    # Friday 5 March 2027 16:00, bronze 09:00–17:00: 1 h Friday, the rest from Monday 09:00.
    assert due(berlin(2027, 3, 5, 16, 0), 4 * H, BRONZE_RP) == berlin(2027, 3, 8, 12, 0)
    assert due(berlin(2027, 3, 6, 11, 0), 4 * H, BRONZE_RP) == berlin(2027, 3, 8, 13, 0)
    saturday = ServiceCalendar("Europe/Berlin", "weekdays_saturday", "08:00", "20:00", "DE-NW")
    assert due(berlin(2027, 3, 5, 19, 0), 4 * H, saturday) == berlin(2027, 3, 6, 11, 0)


def test_exact_to_the_second_and_at_the_end_of_the_hours() -> None:
    start = berlin(2027, 3, 3, 16, 59, 59)
    assert due(start, dt.timedelta(seconds=1), BRONZE_RP) == berlin(2027, 3, 3, 17, 0, 0)
    assert due(start, dt.timedelta(seconds=2), BRONZE_RP) == berlin(2027, 3, 4, 9, 0, 1)
    assert due(berlin(2027, 3, 3, 12, 0), dt.timedelta(0), BRONZE_RP) == berlin(2027, 3, 3, 12, 0)
    assert due(berlin(2027, 3, 3, 20, 0), dt.timedelta(minutes=1), BRONZE_RP) == berlin(2027, 3, 4, 9, 1)


def test_around_the_clock_across_the_spring_change() -> None:
    # Sunday 28 March 2027, 02:00 CET → 03:00 CEST: that night has one hour less.
    clock = around_the_clock("Europe/Berlin")
    start = berlin(2027, 3, 27, 23, 30)
    assert due(start, 4 * H, clock) == berlin(2027, 3, 28, 4, 30)
    assert due(start, 4 * H, clock).utcoffset() == 2 * H
    assert elapsed(berlin(2027, 3, 28, 0, 0), berlin(2027, 3, 29, 0, 0), clock) == 23 * H
    assert as_hours(elapsed(start, berlin(2027, 3, 28, 12, 0), clock)) == Decimal("11.5")


def test_around_the_clock_across_the_autumn_change() -> None:
    # Sunday 31 October 2027, 03:00 CEST → 02:00 CET: that night has one hour more.
    clock = around_the_clock("Europe/Berlin")
    start = berlin(2027, 10, 30, 23, 30)
    assert due(start, 4 * H, clock) == dt.datetime(2027, 10, 31, 2, 30, tzinfo=BERLIN, fold=1)
    assert due(start, 4 * H, clock).utcoffset() == H
    assert elapsed(berlin(2027, 10, 31, 0, 0), berlin(2027, 11, 1, 0, 0), clock) == 25 * H


def test_service_hours_on_the_days_of_the_clock_change_are_wall_clock_hours() -> None:
    # Service every day 00:00–24:00 in the gold tier: Sunday 28 March 2027 has 23 hours of service.
    gold = ServiceCalendar("Europe/Berlin", "all_days", "00:00", "24:00")
    assert elapsed(berlin(2027, 3, 28, 0, 0), berlin(2027, 3, 29, 0, 0), gold) == 23 * H
    # Service 01:00–05:00 every day: 3 hours on the spring Sunday, 5 on the autumn one.
    night = ServiceCalendar("Europe/Berlin", "all_days", "01:00", "05:00")
    assert elapsed(berlin(2027, 3, 28, 0, 0), berlin(2027, 3, 29, 0, 0), night) == 3 * H
    assert elapsed(berlin(2027, 10, 31, 0, 0), berlin(2027, 11, 1, 0, 0), night) == 5 * H
    # 2 hours from 01:30 on the spring Sunday: 01:30–02:00 CET, then 03:00–04:30 CEST.
    assert due(berlin(2027, 3, 28, 1, 30), 2 * H, night) == berlin(2027, 3, 28, 4, 30)


def test_24_00_is_the_end_of_the_day_and_all_days_keeps_holidays() -> None:
    evening = ServiceCalendar("Europe/London", "all_days", "18:00", "24:00")
    start = dt.datetime(2027, 12, 24, 23, 0, tzinfo=LONDON)
    # Christmas Day counts on an all_days clock.
    assert due(start, 2 * H, evening) == dt.datetime(2027, 12, 25, 19, 0, tzinfo=LONDON)
    assert due(start, H, evening) == dt.datetime(2027, 12, 25, 0, 0, tzinfo=LONDON)


def test_month_and_year_end() -> None:
    eaw = ServiceCalendar("Europe/London", "weekdays", "08:00", "18:00", "GB-EAW")
    # Friday 31 December 2027 16:00; New Year's Day 2028 is a Saturday, so Monday 3 January is its
    # substitute bank holiday: 2 h on Friday, 2 h on Tuesday.
    start = dt.datetime(2027, 12, 31, 16, 0, tzinfo=LONDON)
    assert due(start, 4 * H, eaw) == dt.datetime(2028, 1, 4, 10, 0, tzinfo=LONDON)
    # 30 April 2027 (Friday) 17:00 → 3 May is the Early May bank holiday.
    assert due(dt.datetime(2027, 4, 30, 17, 0, tzinfo=LONDON), 3 * H, eaw) == dt.datetime(
        2027, 5, 4, 10, 0, tzinfo=LONDON
    )


def test_start_in_another_zone_is_answered_in_the_calendars_zone() -> None:
    start = dt.datetime(2027, 5, 14, 15, 30, tzinfo=dt.UTC)  # 17:30 in Berlin
    result = due(start, 8 * H, SILVER_NW)
    assert result == berlin(2027, 5, 18, 13, 30)
    assert result.tzinfo == BERLIN


def test_paused_intervals_stop_the_clock() -> None:
    start = berlin(2027, 3, 3, 9, 0)
    pauses = [
        (berlin(2027, 3, 3, 10, 0), berlin(2027, 3, 3, 12, 0)),
        (berlin(2027, 3, 3, 11, 0), berlin(2027, 3, 3, 13, 0)),
    ]
    # Overlapping pauses count once: 10:00–13:00.
    assert due(start, 4 * H, BRONZE_RP, paused=pauses) == berlin(2027, 3, 3, 16, 0)
    assert elapsed(start, berlin(2027, 3, 3, 17, 0), BRONZE_RP, paused=pauses) == 5 * H
    # A pause outside the service hours changes nothing; one across the night only its hours of service.
    night = [(berlin(2027, 3, 3, 18, 0), berlin(2027, 3, 4, 10, 0))]
    assert elapsed(start, berlin(2027, 3, 4, 17, 0), BRONZE_RP, paused=night) == 15 * H
    with pytest.raises(ValueError, match=r"ends .* before it begins"):
        elapsed(start, berlin(2027, 3, 4, 17, 0), BRONZE_RP, paused=[(berlin(2027, 3, 4, 10, 0), start)])


def test_naive_times_and_backward_intervals_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        due(dt.datetime(2027, 3, 3, 9, 0), H, BRONZE_RP)
    with pytest.raises(ValueError, match="before the start"):
        elapsed(berlin(2027, 3, 3, 9, 0), berlin(2027, 3, 2, 9, 0), BRONZE_RP)
    with pytest.raises(ValueError, match="empty"):
        ServiceCalendar("Europe/Berlin", "weekdays", "17:00", "09:00", "DE-NW")
    with pytest.raises(ValueError, match="unknown public-holiday"):
        ServiceCalendar("Europe/Berlin", "weekdays", "09:00", "17:00", "DE-XX")


def test_hours_are_exact_decimals() -> None:
    assert as_hours(dt.timedelta(minutes=20)) == Decimal(1) / Decimal(3)
    assert as_hours(dt.timedelta(hours=7, minutes=45)) == Decimal("7.75")
    assert str(as_hours(dt.timedelta(days=2))) == "48"


def test_working_days() -> None:
    nw = working_days("DE-NW")
    assert nw.time_zone == "Europe/Berlin"
    # Thursday 23 December 2027 + 2 working days: 24 Dec (Friday) and 27 Dec (Monday; 25/26 are a weekend).
    assert add_service_days(dt.date(2027, 12, 23), 2, nw) == dt.date(2027, 12, 27)
    eaw = working_days("GB-EAW")
    # In England 27 and 28 December 2027 are substitute bank holidays.
    assert add_service_days(dt.date(2027, 12, 23), 2, eaw) == dt.date(2027, 12, 29)
    assert add_service_days(dt.date(2027, 3, 31), 0, eaw) == dt.date(2027, 3, 31)
    # Backwards the same walk: 2 working days before Wednesday 29 December 2027 in England are the 24th and 23rd.
    assert add_service_days(dt.date(2027, 12, 29), -2, eaw) == dt.date(2027, 12, 23)
    assert add_service_days(dt.date(2027, 12, 29), -2, nw) == dt.date(2027, 12, 27)
    assert set(HOLIDAY_CODES) >= {"DE-NW", "DE-RP", "GB-EAW"}


def test_every_declared_holiday_code_is_computable(library: Library) -> None:
    param = library.params["service.holidays"]
    assert set(param.choices) == set(HOLIDAY_CODES)


IT_MULTI = EXAMPLES / "it-service-multi-level.yaml"


def test_calendar_for_an_agreement(library: Library) -> None:
    answers = load_answers(EXAMPLES / "call-centre.yaml", library)
    tier = library.catalogs["call-centre-inbound"].tiers[answers.values["service.tier"]]
    calendar = calendar_for(answers, tier.terms)
    assert calendar.time_zone == "Europe/Berlin"
    assert calendar.holidays == ("" if tier.terms["service_days"] == "all_days" else "DE-NW")
    assert (calendar.service_from, calendar.service_to) == (tier.terms["service_from"], tier.terms["service_to"])
    it = library.catalogs["it-service"]
    silver = calendar_for({"service.time_zone": "Europe/Berlin", "service.holidays": "DE-BW"}, it.tiers["silver"].terms)
    assert (silver.service_days, silver.service_from, silver.service_to) == ("weekdays", "07:00", "19:00")
    p1 = calendar_for({"service.time_zone": "Europe/Berlin"}, it.tiers["silver"].terms, "p1")
    assert p1.around_the_clock
    assert working_days_for(answers) == working_days("DE-NW")


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_an_undefined_calendar_is_an_error_naming_the_key(tmp_path: Path, library: Library) -> None:
    path = _write(tmp_path, example_with(EXAMPLES / "call-centre.yaml", {"service.holidays": ...}))
    answers = load_answers(path, library)
    tier = library.catalogs["call-centre-inbound"].tiers[answers.values["service.tier"]]
    if tier.terms["service_days"] != "all_days":
        with pytest.raises(InputError) as caught:
            calendar_for(answers, tier.terms)
        (problem,) = caught.value.problems
        assert (problem.file, problem.key) == (str(path), "service.holidays")
        assert "names none" in problem.message
    with pytest.raises(InputError) as caught:
        working_days_for(answers)
    assert caught.value.problems[0].key == "service.holidays"
    with pytest.raises(InputError) as caught:
        calendar_for({"service.holidays": "DE-NW"}, tier.terms)
    assert caught.value.problems[0].key == "service.time_zone"
    telemarketing = library.catalogs["telemarketing"].tiers
    with pytest.raises(InputError) as caught:
        calendar_for(
            {"service.time_zone": "Europe/Berlin", "service.tier": "basic"}, next(iter(telemarketing.values())).terms
        )
    assert caught.value.problems[0].key == "service.tier"
    assert "states no service hours" in caught.value.problems[0].message


@pytest.fixture
def library_with_an_unknown_code(tmp_path: Path) -> Path:
    copy_library(tmp_path)
    record = tmp_path / "clauses" / "scope" / "definitions.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("GB-EAW]", "GB-EAW, DE-XX]"), encoding="utf-8")
    for lang, text in (("de", "im Land XX"), ("en", "in the state XX")):
        labels = tmp_path / "templates" / lang / "labels.yaml"
        body = labels.read_text(encoding="utf-8")
        labels.write_text(body.replace("holidays:\n", f"holidays:\n  DE-XX: {text}\n", 1), encoding="utf-8")
    return tmp_path


def test_check_refuses_a_holiday_code_without_holidays(library_with_an_unknown_code: Path, tmp_path: Path) -> None:
    load_library(library_with_an_unknown_code)
    data = example_with(EXAMPLES / "call-centre.yaml", {"service.holidays": "DE-XX"})
    path = tmp_path / "xx.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text().splitlines(), start=1) if "DE-XX" in row)
    result = CliRunner().invoke(main, ["check", str(path), "--library", str(library_with_an_unknown_code)])
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}: service.holidays: no public holidays are known for 'DE-XX'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("code", "day", "holiday"),
    [
        ("DE-BE", dt.date(2027, 3, 8), True),  # International Women's Day, Berlin only
        ("DE-NW", dt.date(2027, 3, 8), False),
        ("DE-SN", dt.date(2027, 11, 17), True),  # Repentance and Prayer Day, Saxony only
        ("DE-BY", dt.date(2027, 11, 17), False),
        ("DE-TH", dt.date(2027, 9, 20), True),  # World Children's Day, Thuringia only
        ("DE-BY", dt.date(2028, 8, 15), False),  # Assumption Day: only in some Bavarian municipalities
        ("DE-SL", dt.date(2028, 8, 15), True),
        ("GB-EAW", dt.date(2027, 8, 30), True),  # Summer bank holiday
        ("GB-EAW", dt.date(2027, 10, 3), False),
        ("DE-HB", dt.date(2027, 10, 31), True),  # Reformation Day (a Sunday in 2027, still a holiday)
    ],
)
def test_public_holidays_of_each_state(code: str, day: dt.date, holiday: bool) -> None:
    assert working_days(code).holiday_test()(day) is holiday


def test_time_limits_from_kpi_targets() -> None:
    from slagen.clock import time_limit
    from slagen.params.values import Duration

    assert time_limit(Duration.parse("8h"), SILVER_NW) == 8 * H
    assert time_limit(Duration.parse("1.5h"), SILVER_NW) == dt.timedelta(minutes=90)
    assert time_limit(Duration.parse("1w"), around_the_clock("Europe/Berlin")) == dt.timedelta(days=7)
    with pytest.raises(ValueError, match="state it in hours"):
        time_limit(Duration.parse("2d"), SILVER_NW)
    with pytest.raises(ValueError, match="no exact length"):
        time_limit(Duration.parse("1 month"), around_the_clock("Europe/Berlin"))
