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
        "2.3.2027 8:00;2.3.2027 8:05;Portal;Höhere Gewalt\n"
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
        (4, "end", "the end is missing"),
        (4, "service", "the service is missing"),
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
        "C,p1,2027-03-01 08:00,,,,2027-03-01 09:00/2027-03-01 08:30;2027-03-01 07:00/2027-03-01 07:30,\n"
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
        (6, "id", "the id is missing"),
        (6, "created", "the created is missing"),
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
