"""The measured-data readers: each column contract, each error at its file, row and column, DST, German forms, XLSX."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slagen.errors import InputError
from slagen.measured.read import MAX_PROBLEMS, read_measured
from slagen.measured.records import Measured, Where

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(tmp_path: Path, name: str, text: str, zone: str = "Europe/Berlin") -> Measured:
    return read_measured([write(tmp_path, name, text)], zone)


def problems(
    tmp_path: Path, name: str, text: str, zone: str = "Europe/Berlin"
) -> list[tuple[int | None, str | None, str]]:
    """(row, column, message) of every problem reading ``text`` gives; the file named in each."""
    with pytest.raises(InputError) as caught:
        read(tmp_path, name, text, zone)
    assert all(problem.file == str(tmp_path / name) for problem in caught.value.problems)
    return [(problem.line, problem.key, problem.message) for problem in caught.value.problems]


# outage log


def test_outages_read_in_the_agreement_time_zone(tmp_path: Path) -> None:
    measured = read(
        tmp_path,
        "outages.csv",
        "start,end,service,cause,note\n"
        "2027-03-02 10:00,2027-03-02 10:30,portal,provider,disk full\n"
        "2027-03-06T22:00:00Z,2027-03-07T01:00:00Z,portal,scheduled,\n",
    )
    first, second = measured.outages
    assert first.start == dt.datetime(2027, 3, 2, 10, 0, tzinfo=BERLIN)
    assert first.end - first.start == dt.timedelta(minutes=30)
    assert (first.service, first.cause, first.note) == ("portal", "provider", "disk full")
    assert first.where == Where(str(tmp_path / "outages.csv"), 2)
    assert second.start == dt.datetime(2027, 3, 6, 23, 0, tzinfo=BERLIN)
    assert second.cause == "scheduled"
    assert measured.tickets == ()


def test_outages_with_german_header_causes_dates_and_semicolons(tmp_path: Path) -> None:
    measured = read(
        tmp_path,
        "ausfaelle.csv",
        "Beginn;Ende;Dienst;Ursache\n"
        "01.03.2027 08:00;01.03.2027 09:15;Portal;Wartung\n"
        "2.3.2027 8:00 Uhr;2027-03-02 8:05;Portal;Höhere Gewalt\n"
        "03.03.2027 08:00;03.03.2027 08:05;Portal;Kunde\n"
        "04.03.2027 08:00;04.03.2027 08:05;Portal;Dritte\n",
    )
    assert [outage.cause for outage in measured.outages] == ["scheduled", "force_majeure", "customer", "third_party"]
    assert measured.outages[0].start == dt.datetime(2027, 3, 1, 8, 0, tzinfo=BERLIN)
    assert measured.outages[1].end == dt.datetime(2027, 3, 2, 8, 5, tzinfo=BERLIN)


def test_every_bad_outage_cell_is_reported_with_row_and_column(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "outages.csv",
        "start,end,service,cause\n"
        "2027-03-02 10:00,2027-03-02 09:00,portal,provider\n"
        "yesterday,2027-03-02 11:00,portal,bogus\n"
        "2027-03-02 12:00,,,provider\n",
    )
    assert found == [
        (2, "end", "the end (2027-03-02T09:00:00+01:00) is not after the start (2027-03-02T10:00:00+01:00)"),
        (
            3,
            "start",
            "'yesterday' is no time: write 2027-03-01 08:00 (ISO 8601, an offset allowed) or 01.03.2027 08:00",
        ),
        (3, "cause", "'bogus' is no cause: write one of provider, scheduled, force_majeure, customer, third_party"),
        (4, "end", "the cell is empty: this column needs a value in every row"),
        (4, "service", "the cell is empty: this column needs a value in every row"),
    ]


def test_overlapping_outages_of_one_service_are_an_error_naming_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "outages.csv"
    found = problems(
        tmp_path,
        "outages.csv",
        "start,end,service,cause\n"
        "2027-03-02 10:00,2027-03-02 11:00,portal,provider\n"
        "2027-03-02 11:00,2027-03-02 11:30,portal,provider\n"  # touches the first: fine
        "2027-03-02 10:30,2027-03-02 10:45,api,provider\n"  # another service: fine
        "2027-03-02 10:59,2027-03-02 12:00,portal,scheduled\n",
    )
    assert len(found) == 2
    assert found[0][:2] == (5, "start")
    assert f"overlaps the one at {path}:2" in found[0][2]
    assert found[1][:2] == (3, "start")  # the row after it in time, naming it
    assert f"overlaps the one at {path}:5" in found[1][2]


def test_a_day_without_time_and_a_day_that_does_not_exist(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "outages.csv",
        "start,end,service,cause\n2027-03-02,2027-03-03,portal,provider\n31.02.2027 08:00,2027-03-03 08:00,portal,provider\n",
    )
    assert found[0] == (
        2,
        "start",
        "'2027-03-02' is a day without a time of day: write the time too (2027-03-01 08:00)",
    )
    assert found[2][:2] == (3, "start")
    assert found[2][2].startswith("'31.02.2027 08:00' is no time that exists")


# daylight saving


def test_a_local_time_the_clock_skips_or_repeats_is_an_error_unless_it_has_an_offset(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "outages.csv",
        "start,end,service,cause\n"
        "2027-03-28 02:30,2027-03-28 04:00,portal,provider\n"
        "2027-10-31 02:30,2027-10-31 04:00,portal,provider\n",
    )
    assert found == [
        (
            2,
            "start",
            "2027-03-28 02:30 does not exist in Europe/Berlin (the clocks go forward): write it with its offset",
        ),
        (
            3,
            "start",
            "2027-10-31 02:30 happens twice in Europe/Berlin (the clocks go back): write it with its offset "
            "(+02:00 or +01:00)",
        ),
    ]
    measured = read(
        tmp_path,
        "outages.csv",
        "start,end,service,cause\n2027-10-31 02:30+01:00,2027-10-31 04:00,portal,provider\n",
    )
    assert measured.outages[0].end - measured.outages[0].start == dt.timedelta(minutes=90)


def test_the_night_the_clocks_go_forward_is_an_hour_shorter(tmp_path: Path) -> None:
    measured = read(tmp_path, "o.csv", "start,end,service,cause\n2027-03-28 01:00,2027-03-28 04:00,portal,provider\n")
    outage = measured.outages[0]
    assert outage.end.astimezone(dt.UTC) - outage.start.astimezone(dt.UTC) == dt.timedelta(hours=2)


# ticket export


TICKETS = (
    "id,priority,created,responded,restored,resolved,paused,kind,from_backup\n"
    "INC-1,1 - Critical,2027-03-01 08:00,2027-03-01 08:20,2027-03-01 10:00,2027-03-01 11:00,,incident,no\n"
    "INC-2,P3,2027-03-04 09:00,2027-03-04 09:30,2027-03-05 12:00,,"
    '"2027-03-04 10:00/2027-03-04 12:30; 05.03.2027 09:00/05.03.2027 09:45",,ja\n'
    "C-7,,2027-03-05 14:00,,,2027-03-06 10:00,,Beschwerde,\n"
)


def test_tickets_with_pauses_in_one_cell_kinds_and_flags(tmp_path: Path) -> None:
    first, second, third = read(tmp_path, "tickets.csv", TICKETS).tickets
    assert (first.id, first.priority, first.kind, first.from_backup) == ("INC-1", "p1", "incident", False)
    assert first.responded == dt.datetime(2027, 3, 1, 8, 20, tzinfo=BERLIN)
    assert first.paused == ()
    assert second.priority == "p3"
    assert second.resolved is None
    assert second.from_backup is True
    assert second.paused == (
        (dt.datetime(2027, 3, 4, 10, 0, tzinfo=BERLIN), dt.datetime(2027, 3, 4, 12, 30, tzinfo=BERLIN)),
        (dt.datetime(2027, 3, 5, 9, 0, tzinfo=BERLIN), dt.datetime(2027, 3, 5, 9, 45, tzinfo=BERLIN)),
    )
    assert (third.kind, third.priority, third.where.row) == ("complaint", "", 4)


def test_tickets_with_repeated_pause_columns_and_german_header(tmp_path: Path) -> None:
    measured = read(
        tmp_path,
        "tickets.csv",
        "Ticketnummer;Priorität;Erstellt;Wiederhergestellt;Pause von;Pause bis;paused_from_2;paused_to_2\n"
        "7;hoch;01.03.2027 08:00;01.03.2027 16:00;01.03.2027 09:00;01.03.2027 10:00;01.03.2027 11:00;01.03.2027 11:30\n"
        "8;niedrig;01.03.2027 08:00;;;;;\n",
        zone="Europe/London",
    )
    seven, eight = measured.tickets
    assert (seven.id, seven.priority) == ("7", "p2")
    assert seven.restored == dt.datetime(2027, 3, 1, 16, 0, tzinfo=LONDON)
    assert [end - start for start, end in seven.paused] == [dt.timedelta(hours=1), dt.timedelta(minutes=30)]
    assert (eight.priority, eight.paused) == ("p4", ())


def test_every_bad_ticket_cell_is_reported(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "tickets.csv",
        "id,priority,created,responded,restored,resolved,paused,from_backup\n"
        "A,p7,2027-03-01 08:00,2027-03-01 07:00,,,,\n"
        "B,lowest,2027-03-01 08:00,,2027-03-01 12:00,2027-03-01 11:00,2027-03-01 09:00,vielleicht\n"
        "C,p1,2027-03-01 08:00,,,2027-03-01 10:00,2027-03-01 09:00/2027-03-01 08:30;2027-03-01 07:00/2027-03-01 07:30;"
        "2027-03-01 09:50/2027-03-01 10:10,\n"
        "D,p2,2027-03-02 08:00,,,,,\n"
        ",p2,,,,,,\n"
        "D,p3,2027-03-03 08:00,,,,,\n",
    )
    path = tmp_path / "tickets.csv"
    assert found == [
        (2, "priority", "'p7' is no priority of the catalog (p1, p2, p3, p4)"),
        (2, "responded", "2027-03-01T07:00:00+01:00 is before the ticket was created (2027-03-01T08:00:00+01:00)"),
        (3, "priority", "'lowest' is no priority: write p1, p2, p3 or p4 (1 - Critical, hoch, … are read too)"),
        (3, "paused", "'2027-03-01 09:00' is no interval: write start/end (2027-03-04 10:00/2027-03-04 12:30)"),
        (3, "from_backup", "'vielleicht' is neither yes nor no: write yes or no (1 or 0, ja or nein)"),
        (3, "resolved", "2027-03-01T11:00:00+01:00 is before the service was restored (2027-03-01T12:00:00+01:00)"),
        (
            4,
            "paused",
            "the pause 2027-03-01T07:00:00+01:00/2027-03-01T07:30:00+01:00 begins before the ticket or a pause ends",
        ),
        (4, "paused", "the pause 2027-03-01T09:00:00+01:00/2027-03-01T08:30:00+01:00 does not end after it starts"),
        (
            4,
            "paused",
            "the pause 2027-03-01T09:50:00+01:00/2027-03-01T10:10:00+01:00 ends after the ticket was resolved",
        ),
        (6, "id", "the cell is empty: this column needs a value in every row"),
        (6, "created", "the cell is empty: this column needs a value in every row"),
        (7, "id", f"ticket 'D' is in the data already, at {path}:5"),
    ]


def test_priorities_are_the_catalogs(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "id,priority,created\n1,p4,2027-03-01 08:00\n")
    with pytest.raises(InputError, match=r"'p4' is no priority of the catalog \(p1, p2, p3\)"):
        read_measured([path], "Europe/Berlin", priorities=("p1", "p2", "p3"))


def test_a_ticket_id_twice_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "id,priority,created\nX-1,p1,2027-03-01 08:00\n")
    second = write(tmp_path, "b.csv", "id,priority,created\nX-1,p2,2027-03-02 08:00\n")
    with pytest.raises(InputError) as caught:
        read_measured([first, second], "Europe/Berlin")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.key) == (str(second), 2, "id")
    assert problem.message == f"ticket 'X-1' is in the data already, at {first}:2"


# headers and files


def test_an_unknown_header_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    found = problems(tmp_path, "t.csv", "id,priority,created,resolvd,Remarks\n1,p1,2027-03-01 08:00,,\n")
    assert found[0][:2] == (1, "resolvd")
    assert found[0][2].startswith("'resolvd' is no column of the tickets file (did you mean 'resolved'?); columns: id,")
    assert found[1][2].startswith("'Remarks' is no column of the tickets file; columns:")


def test_a_missing_column_a_column_twice_and_a_header_of_nothing_known(tmp_path: Path) -> None:
    found = problems(tmp_path, "o.csv", "start,end,service,start\n")
    assert [(row, key) for row, key, _ in found] == [(1, "start"), (1, "cause")]
    assert found[0][2] == "'start' is a column already (column 1)"
    assert found[1][2] == "the outages file has no column 'cause'"
    (only,) = problems(tmp_path, "x.csv", "foo,bar\n1,2\n")
    assert only[2].startswith("the header names no known kind of measured data (columns wanted: outages: start, end")


def test_an_explicit_kind_and_comments(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "o.csv",
        "start,end,service,cause,# checked by\n# a comment row\n2027-03-01 08:00,2027-03-01 09:00,portal,provider,Ann\n",
    )
    measured = read_measured([("outages", path)], "Europe/Berlin")
    assert measured.outages[0].where.row == 3
    with pytest.raises(InputError, match="the tickets file has no column 'id'"):
        read_measured([("tickets", path)], "Europe/Berlin")
    with pytest.raises(InputError, match="'log' is no kind of measured data"):
        read_measured([("log", path)], "Europe/Berlin")


def test_an_empty_file_and_a_file_without_rows(tmp_path: Path) -> None:
    assert problems(tmp_path, "e.csv", "") == [
        (None, None, "the file is empty: it needs a header row and a row per record")
    ]
    assert problems(tmp_path, "h.csv", "start,end,service,cause\n\n") == [
        (2, None, "the file has a header but no rows of data")
    ]


def test_a_file_that_is_no_utf8_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("start,end,service,cause\n2027-03-01 08:00,2027-03-01 09:00,Störung,provider\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"not UTF-8 text.*save the file as CSV UTF-8"):
        read_measured([path], "Europe/Berlin")
    with pytest.raises(InputError, match="not found"):
        read_measured([tmp_path / "missing.csv"], "Europe/Berlin")


def test_a_bad_time_zone(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'Europe/Bonn' is no time zone"):
        read_measured([], "Europe/Bonn")


def test_problems_are_bounded_per_file(tmp_path: Path) -> None:
    rows = "".join(f"x{n},2027-03-01 09:00,portal,provider\n" for n in range(MAX_PROBLEMS + 5))
    found = problems(tmp_path, "o.csv", "start,end,service,cause\n" + rows)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1] == (None, None, "and 5 more problems in this file")


def test_numbers_as_people_type_them() -> None:
    from slagen.measured.cells import read_count, read_decimal

    assert [read_count(text) for text in ("12", "1.234", "1,234", "1 234", " 7 ")] == [12, 1234, 1234, 1234, 7]
    assert [read_decimal(text) for text in ("0,5", "0.5", "1.234,5", "12")] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("1234.5"),
        Decimal("12"),
    ]
    for bad, message in (("2,5", "no whole number"), ("-3", "negative"), ("abc", "no number")):
        with pytest.raises(ValueError, match=message):
            read_count(bad)


# call-centre intervals


INTERVALS = (
    "interval_start,minutes,offered,answered,answered_in_time,abandoned,abandoned_short,wait_seconds,forecast\n"
    '2027-03-01 08:00,30,120,114,96,6,2,"1.843,5",110\n'
    "2027-03-01 08:30,30,1.204,1.150,1.001,54,20,,\n"
)


def test_intervals_with_optional_columns_and_grouped_numbers(tmp_path: Path) -> None:
    first, second = read(tmp_path, "acd.csv", INTERVALS).intervals
    assert first.start == dt.datetime(2027, 3, 1, 8, 0, tzinfo=BERLIN)
    assert (first.minutes, first.offered, first.answered, first.answered_in_time) == (30, 120, 114, 96)
    assert (first.abandoned, first.abandoned_short, first.wait_seconds, first.forecast) == (
        6,
        2,
        Decimal("1843.5"),
        110,
    )
    assert (second.offered, second.answered, second.answered_in_time) == (1204, 1150, 1001)
    assert (second.wait_seconds, second.forecast) == (None, None)


def test_interval_counts_that_do_not_fit_together(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "acd.csv",
        "Intervallbeginn;Minuten;Angeboten;Angenommen;Rechtzeitig angenommen;Aufgelegt;Früh aufgelegt\n"
        "01.03.2027 08:00;30;100;101;90;5;6\n"
        "01.03.2027 08:30;30;100;90;95;12;2\n"
        "01.03.2027 08:45;0;x;;1;1;1\n",
    )
    assert found == [
        (2, "answered", "more calls answered than offered (101 > 100)"),
        (2, "abandoned_short", "more calls abandoned early than abandoned (6 > 5)"),
        (2, "abandoned", "answered and abandoned calls (101 + 5) are more than offered (100)"),
        (3, "answered_in_time", "more calls answered in time than answered (95 > 90)"),
        (3, "abandoned", "answered and abandoned calls (90 + 12) are more than offered (100)"),
        (4, "minutes", "0 minutes is no interval length (1 to 1440)"),
        (4, "offered", "'x' is no number"),
        (4, "answered", "the cell is empty: this column needs a value in every row"),
    ]


def test_overlapping_intervals(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "acd.csv",
        "interval_start,minutes,offered,answered,answered_in_time,abandoned,abandoned_short\n"
        "2027-03-01 08:00,30,10,9,9,1,0\n"
        "2027-03-01 08:30,15,10,9,9,1,0\n"
        "2027-03-01 08:15,15,10,9,9,1,0\n"
        "2027-03-01 08:30,30,10,9,9,1,0\n",
    )
    path = tmp_path / "acd.csv"
    assert found == [
        (4, "interval_start", f"this interval overlaps the one at {path}:2 (2027-03-01T08:00:00+01:00, 30 min)"),
        (5, "interval_start", f"this interval overlaps the one at {path}:3 (2027-03-01T08:30:00+01:00, 15 min)"),
    ]


# telemarketing activity


def test_activity_with_half_days_and_german_header(tmp_path: Path) -> None:
    measured = read(
        tmp_path,
        "aktivitaet.csv",
        "Tag;Mitarbeiter;Arbeitstage;Anrufe;Persönlich erreicht;Entscheiderkontakte;Termine;Geprüfte Aufzeichnungen\n"
        "1. März 2027;Jana Ohm;1;104;41;18;1;1\n"
        "02.03.2027;Jana Ohm;0,5;52;20;9;0;\n",
    )
    first, second = measured.activity
    assert (first.day, first.agent, first.days_worked, first.calls) == (dt.date(2027, 3, 1), "Jana Ohm", 1, 104)
    assert (first.answered_in_person, first.decision_maker_contacts, first.appointments) == (41, 18, 1)
    assert first.recordings_reviewed == 1
    assert (second.days_worked, second.recordings_reviewed) == (Decimal("0.5"), 0)


def test_activity_that_does_not_add_up(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "activity.csv",
        "day,agent,days_worked,calls,answered_in_person,decision_maker_contacts,appointments\n"
        "2027-03-01,A,1.5,10,11,3,4\n"
        "2027-03-01 09:00,,1,10,5,3,1\n"
        "2027-03-02,A,1,10,5,3,1\n"
        "2027-03-02,A,0.5,10,5,3,1\n",
    )
    path = tmp_path / "activity.csv"
    assert found == [
        (2, "days_worked", "1.5 is no share of a day (more than 0, at most 1: 0,5 for half a day)"),
        (2, "answered_in_person", "more answered in person than calls (11 > 10)"),
        (2, "appointments", "more appointments than decision maker contacts (4 > 3)"),
        (3, "day", "'2027-03-01 09:00' is no day: write 2027-03-01 or 01.03.2027"),
        (3, "agent", "the cell is empty: this column needs a value in every row"),
        (5, "agent", f"A on 2027-03-02 is in the data already, at {path}:4"),
    ]


# availability samples


def test_runs_of_down_samples_become_provider_outages(tmp_path: Path) -> None:
    lines = ["timestamp,service,up"]
    start = dt.datetime(2027, 3, 1, 0, 0)
    for minute in range(60):
        stamp = (start + dt.timedelta(minutes=minute)).isoformat(sep=" ")
        lines.append(f"{stamp},portal,{0 if 10 <= minute < 13 else 1}")
        lines.append(f"{stamp},api,{0 if minute >= 58 else 1}")
    measured = read(tmp_path, "samples.csv", "\n".join(lines) + "\n")
    portal, api = sorted(measured.outages, key=lambda outage: outage.service, reverse=True)
    assert (portal.service, portal.cause, portal.note) == ("portal", "provider", "from availability samples")
    assert portal.start == dt.datetime(2027, 3, 1, 0, 10, tzinfo=BERLIN)
    assert portal.end == dt.datetime(2027, 3, 1, 0, 13, tzinfo=BERLIN)
    assert portal.where.row == 2 + 2 * 10
    assert (api.start, api.end) == (
        dt.datetime(2027, 3, 1, 0, 58, tzinfo=BERLIN),
        dt.datetime(2027, 3, 1, 1, 0, tzinfo=BERLIN),  # the last sample and one step
    )


def test_samples_with_offsets_unix_seconds_any_order_and_across_a_dst_change(tmp_path: Path) -> None:
    measured = read(
        tmp_path,
        "probe.csv",
        "Time;Instance;Value\n"
        "2027-10-31T02:31:00+01:00;portal;1\n"
        "2027-10-31T02:30:00+02:00;portal;0\n"  # the first 02:30 of the night, an hour earlier
        "2027-10-31T02:30:00+01:00;portal;0\n"
        "2027-10-31T02:31:00+02:00;portal;1\n"
        "1804140000;api;0\n"
        "1804140060;api;1\n",
    )
    portal = [outage for outage in measured.outages if outage.service == "portal"]
    assert [(outage.start.isoformat(), outage.end.isoformat()) for outage in portal] == [
        ("2027-10-31T02:30:00+02:00", "2027-10-31T02:31:00+02:00"),
        ("2027-10-31T02:30:00+01:00", "2027-10-31T02:31:00+01:00"),
    ]
    (api,) = [outage for outage in measured.outages if outage.service == "api"]
    assert api.start == dt.datetime.fromtimestamp(1804140000, dt.UTC)
    assert api.end - api.start == dt.timedelta(minutes=1)


def test_bad_samples(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "samples.csv",
        "timestamp,service,up\n"
        "2027-03-28 02:30,portal,1\n"
        "2027-03-01 00:00,portal,maybe\n"
        "2027-03-01 00:01,,1\n"
        "2027-03-01 00:02,portal,1\n"
        "2027-03-01 00:02,portal,0\n",
    )
    assert found == [
        (
            2,
            "timestamp",
            "2027-03-28 02:30 does not exist in Europe/Berlin (the clocks go forward): write it with its offset",
        ),
        (3, "up", "'maybe' is neither yes nor no: write yes or no (1 or 0, ja or nein) (up is 1, down is 0)"),
        (4, "service", "the cell is empty: this column needs a value in every row"),
        (6, "timestamp", "'portal' has a sample at 2027-03-01T00:02:00+01:00 already, in row 5"),
    ]


def test_the_outage_log_takes_the_minutes_it_covers_from_sampled_outages(tmp_path: Path) -> None:
    lines = ["timestamp,service,up"]
    for minute in range(120):  # portal down 07:58-08:03 and 08:30-08:40; api down 08:10-08:12
        stamp = f"2027-03-06 {7 + (minute + 50) // 60:02d}:{(minute + 50) % 60:02d}"
        lines.append(f"{stamp},portal,{0 if 8 <= minute < 13 or 40 <= minute < 50 else 1}")
        lines.append(f"{stamp},api,{0 if 20 <= minute < 22 else 1}")
    samples = write(tmp_path, "s.csv", "\n".join(lines) + "\n")
    log = write(
        tmp_path,
        "o.csv",
        "start,end,service,cause\n2027-03-06 08:00,2027-03-06 08:35,portal,scheduled\n",
    )
    outages = read_measured([samples, log], "Europe/Berlin").outages
    shown = [(o.service, o.cause, f"{o.start:%H:%M}", f"{o.end:%H:%M}", o.where.file) for o in outages]
    assert shown == [
        ("portal", "scheduled", "08:00", "08:35", str(log)),
        ("portal", "provider", "07:58", "08:00", str(samples)),
        ("portal", "provider", "08:35", "08:40", str(samples)),
        ("api", "provider", "08:10", "08:12", str(samples)),
    ]


def test_sampled_outages_of_two_files_that_overlap_are_an_error(tmp_path: Path) -> None:
    text = "timestamp,service,up\n2027-03-01 08:00,portal,0\n2027-03-01 08:01,portal,1\n"
    first, second = write(tmp_path, "a.csv", text), write(tmp_path, "b.csv", text)
    with pytest.raises(InputError) as caught:
        read_measured([first, second], "Europe/Berlin")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.key) == (str(second), 2, "start")


# XLSX


def test_an_xlsx_file_with_date_cells_numbers_and_text(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["Interval Start", "Minutes", "Offered", "Answered", "Answered in time", "Abandoned", "Abandoned short"]
    )
    sheet.append([dt.datetime(2027, 3, 1, 8, 0), 30, 120, 114, 96.0, 6, 2])
    sheet.append(["01.03.2027 08:30", "30", 100, 90, 80, 10, 3])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append([dt.datetime(2027, 3, 28, 2, 0), 30, 1.5, 1, 1, 0, 0])
    path = tmp_path / "acd.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_measured([path], "Europe/Berlin")
    assert [(p.file, p.line, p.key) for p in caught.value.problems] == [
        (str(path), 5, "interval_start"),
        (str(path), 5, "offered"),
    ]
    assert caught.value.problems[1].message == "1.5 is no whole number"
    sheet.delete_rows(5)
    book.save(path)
    first, second = read_measured([path], "Europe/Berlin").intervals
    assert first.start == dt.datetime(2027, 3, 1, 8, 0, tzinfo=BERLIN)
    assert (first.answered_in_time, second.offered, second.where.row) == (96, 100, 3)


def test_a_file_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not an Excel workbook"):
        read_measured([path], "Europe/Berlin")


def test_an_incident_needs_a_priority_a_complaint_does_not(tmp_path: Path) -> None:
    found = problems(tmp_path, "t.csv", "id,kind,created\n1,incident,2027-03-01 08:00\n2,complaint,2027-03-01 09:00\n")
    assert found == [(2, "priority", "the cell is empty: an incident needs its priority")]


# the example data


DATA = Path(__file__).resolve().parent.parent / "examples" / "data"


def test_the_it_service_example_data() -> None:
    measured = read_measured(sorted(DATA.glob("it-service-2027-03-*.csv")), "Europe/London")
    assert sorted({outage.cause for outage in measured.outages}) == ["customer", "provider", "scheduled"]
    provider = [outage for outage in measured.outages if outage.cause == "provider"]
    assert sum((outage.end - outage.start for outage in provider), dt.timedelta()) == dt.timedelta(minutes=93)
    assert sorted({ticket.priority for ticket in measured.tickets if ticket.kind == "incident"}) == [
        "p1",
        "p2",
        "p3",
        "p4",
    ]
    assert [ticket.id for ticket in measured.tickets if ticket.from_backup] == ["INC0010237"]
    summer = next(outage for outage in measured.outages if outage.start.day == 28)
    assert summer.end - summer.start == dt.timedelta(minutes=20)  # across the change to summer time


def test_the_call_centre_and_telemarketing_example_data() -> None:
    intervals = read_measured([DATA / "call-centre-2027-03-intervals.csv"], "Europe/Berlin").intervals
    assert len(intervals) == 25 * 24  # Monday to Saturday 08:00-20:00, not Good Friday and Easter Monday
    assert {interval.start.astimezone(BERLIN).weekday() for interval in intervals} == {0, 1, 2, 3, 4, 5}
    measured = read_measured(
        [DATA / "telemarketing-2027-03-activity.xlsx", DATA / "telemarketing-2027-03-complaints.csv"], "Europe/Berlin"
    )
    assert len({day.agent for day in measured.activity}) == 4
    assert {day.days_worked for day in measured.activity} == {Decimal("0.5"), Decimal("1")}
    assert [ticket.kind for ticket in measured.tickets] == ["complaint"] * 5


def test_the_documentation_names_every_column_and_alias() -> None:
    import re

    from slagen.measured.columns import CONTRACTS, normal

    text = (Path(__file__).resolve().parent.parent / "docs" / "measured-data.md").read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    written = {normal(name) for name in re.findall(r"`([^`]+)`", text)}
    for contract in CONTRACTS.values():
        assert f"(`{contract.kind}`)" in text
        missing = [name for name in (*contract.columns, *contract.aliases) if name not in written]
        assert missing == [], f"docs/measured-data.md does not name these {contract.kind} headers"


def test_a_spreadsheet_day_number_is_no_time(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["start", "end", "service", "cause"])
    book.active.append([46082.5, dt.datetime(2027, 3, 1, 13, 0), "portal", "provider"])
    path = tmp_path / "o.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_measured([path], "Europe/Berlin")
    (problem,) = caught.value.problems
    assert (problem.line, problem.key) == (2, "start")
    assert problem.message == "46082.5 is a number, not a time: format the cell as a date and time (2027-03-01 08:00)"


def test_a_data_file_given_with_its_kind() -> None:
    from slagen.measured.read import data_file

    assert data_file("samples=probe.csv") == ("samples", Path("probe.csv"))
    assert data_file("a=b.csv") == Path("a=b.csv")  # no kind: a file name with '=' in it


def test_a_time_with_slashes_is_refused_as_ambiguous() -> None:
    from slagen.measured.cells import read_timestamp

    with pytest.raises(ValueError, match=r"'03/01/2027 08:00' is no time: write 2027-03-01 08:00"):
        read_timestamp("03/01/2027 08:00", BERLIN)


def test_a_row_of_more_cells_than_the_header_has_columns(tmp_path: Path) -> None:
    message = "the row has 6 cells, the header 5 columns: a cell with the separator in it (a comma in a note) needs quotes around it"
    found = problems(
        tmp_path,
        "o.csv",
        "start,end,service,cause,note\n2027-03-01 08:00,2027-03-01 09:00,portal,provider,disk full, again\n"
        '2027-03-01 10:00,2027-03-01 11:00,portal,provider,"disk full, again",\n',
    )
    assert found == [(2, None, message)]
    found = problems(tmp_path, "s.csv", "timestamp,service,up\n2027-03-01 08:00,portal,1,0\n")
    assert found == [(2, None, message.replace("6 cells", "4 cells").replace("5 columns", "3 columns"))]
