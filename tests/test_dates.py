"""The dates an agreement implies (slagen/dates.py, slagen/datesout.py, `slagen dates`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from slagen.cli.group import main
from slagen.clock import working_days
from slagen.dates import Period, Term, add_months, contract_dates, notice_deadline

from .conftest import EXAMPLES, example_with
from .helpers import copy_library

D = dt.date


def values(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "agreement.effective_date": D(2027, 1, 1),
        "agreement.governing_law": "de",
        "agreement.term.months": 12,
        "agreement.term.auto_renew": True,
        "agreement.term.renewal_months": 12,
        "agreement.term.notice_months": 3,
        "review.frequency": "quarterly",
        "reporting.frequency": "monthly",
        "reporting.due_days": 3,
        "service.holidays": "DE-NW",
    }
    base.update({key.replace("__", "."): value for key, value in changes.items()})
    return base


def test_notice_deadline_at_the_end_of_a_quarter_german_law() -> None:
    # Three months to 31 December: received by 30 September; to 30 June: by 31 March (the period
    # 1 April – 30 June is three months, § 188 (2) BGB), to 31 March: by 31 December.
    assert notice_deadline(D(2027, 12, 31), 3, "de") == D(2027, 9, 30)
    assert notice_deadline(D(2027, 6, 30), 3, "de") == D(2027, 3, 31)
    assert notice_deadline(D(2028, 3, 31), 3, "de") == D(2027, 12, 31)
    assert notice_deadline(D(2027, 9, 30), 3, "de") == D(2027, 6, 30)
    # § 193 BGB does not move it: 30 September 2028 is a Saturday and stays the deadline.
    assert notice_deadline(D(2028, 12, 31), 3, "de") == D(2028, 9, 30)
    assert D(2028, 9, 30).weekday() == 5


def test_notice_deadline_english_law_is_the_corresponding_date() -> None:
    assert notice_deadline(D(2027, 12, 31), 3, "en-gb") == D(2027, 9, 30)
    assert notice_deadline(D(2027, 6, 30), 3, "en-gb") == D(2027, 3, 30)
    assert notice_deadline(D(2029, 2, 28), 3, "en-gb") == D(2028, 11, 28)
    assert notice_deadline(D(2027, 5, 31), 3, "en-gb") == D(2027, 2, 28)


@pytest.mark.parametrize("months", [1, 2, 3, 6, 12])
def test_german_deadline_is_the_last_receipt_whose_period_ends_in_time(months: int) -> None:
    # § 187 (1), § 188 (2), (3) BGB: notice received on day R gives a period ending on R's number
    # `months` later (or that month's last day); the deadline is the last R whose period ends by the term.
    day = D(2027, 1, 1)
    while day < D(2029, 1, 1):
        deadline = notice_deadline(day, months, "de")
        assert add_months(deadline, months) <= day
        assert add_months(deadline + dt.timedelta(days=1), months) > day
        day += dt.timedelta(days=1)


def test_a_term_starting_on_31_january() -> None:
    dates = contract_dates(
        values(agreement__effective_date=D(2027, 1, 31), agreement__term__renewal_months=1),
        D(2028, 4, 30),
        working_days("DE-NW"),
    )
    assert dates.terms[0] == Term(0, D(2027, 1, 31), D(2028, 1, 30), D(2027, 10, 30))
    # A renewal of one month from 31 January 2028 ends with February's last day (§ 188 (3) BGB); the next
    # ones run from the first of a month to its end.
    assert [(t.start, t.end) for t in dates.terms[1:]] == [
        (D(2028, 1, 31), D(2028, 2, 29)),
        (D(2028, 3, 1), D(2028, 3, 31)),
        (D(2028, 4, 1), D(2028, 4, 30)),
    ]
    # Three months' notice to 29 February 2028: received on 30 November 2027, the period ends with
    # February's last day (§ 188 (3) BGB); received on 1 December, on 1 March: too late.
    assert dates.terms[1].notice_by == D(2027, 11, 30)
    assert dates.terms[2].notice_by == D(2027, 12, 31)
    one_month = contract_dates(
        values(agreement__effective_date=D(2027, 1, 31), agreement__term__months=1), D(2027, 12, 31), None
    )
    assert (one_month.terms[0].end, one_month.terms[1].start) == (D(2027, 2, 28), D(2027, 3, 1))


def test_a_renewal_chain_up_to_the_horizon() -> None:
    dates = contract_dates(
        values(agreement__effective_date=D(2027, 3, 15), agreement__term__months=24), D(2031, 12, 31), None
    )
    assert [(t.number, t.start, t.end, t.notice_by) for t in dates.terms] == [
        (0, D(2027, 3, 15), D(2029, 3, 14), D(2028, 12, 14)),
        (1, D(2029, 3, 15), D(2030, 3, 14), D(2029, 12, 14)),
        (2, D(2030, 3, 15), D(2031, 3, 14), D(2030, 12, 14)),
        (3, D(2031, 3, 15), D(2032, 3, 14), D(2031, 12, 14)),
    ]
    assert dates.reports == ()  # no Working Day calendar given


def test_no_renewal_ends_reviews_and_reports_with_the_term() -> None:
    dates = contract_dates(
        values(agreement__effective_date=D(2027, 2, 10), agreement__term__auto_renew=False),
        D(2030, 12, 31),
        working_days("DE-NW"),
    )
    assert dates.terms == (Term(0, D(2027, 2, 10), D(2028, 2, 9), None),)
    assert dates.reviews[0] == Period(D(2027, 2, 10), D(2027, 3, 31), D(2027, 3, 31))
    assert dates.reviews[-1] == Period(D(2028, 1, 1), D(2028, 2, 9), D(2028, 2, 9))
    assert dates.reports[-1].start == D(2028, 2, 1)
    assert dates.reports[-1].end == D(2028, 2, 9)
    assert len(dates.reports) == 13


def test_report_due_dates_count_working_days_with_public_holidays() -> None:
    dates = contract_dates(values(), D(2027, 12, 31), working_days("DE-NW"))
    due = {p.end: p.due for p in dates.reports}
    assert due[D(2027, 3, 31)] == D(2027, 4, 5)  # Thursday 1, Friday 2, Monday 5 April
    assert due[D(2027, 10, 31)] == D(2027, 11, 4)  # 1 November is All Saints' Day in North Rhine-Westphalia
    in_berlin = contract_dates(values(), D(2027, 12, 31), working_days("DE-BE"))
    assert {p.end: p.due for p in in_berlin.reports}[D(2027, 10, 31)] == D(2027, 11, 3)
    weekly = contract_dates(
        values(reporting__frequency="weekly", reporting__due_days=1), D(2027, 1, 31), working_days("DE-NW")
    )
    # 1 January 2027 is a Friday: the first week is 1–3 January, its report due Monday 4 January.
    assert weekly.reports[0] == Period(D(2027, 1, 1), D(2027, 1, 3), D(2027, 1, 4))
    assert weekly.reports[-1].end == D(2027, 1, 31)
    assert all(p.end.weekday() == 6 for p in weekly.reports)
    whitsun = contract_dates(
        values(reporting__frequency="weekly", reporting__due_days=1), D(2027, 5, 31), working_days("DE-NW")
    )
    # The week of 10 to 16 May 2027 ends before Whit Monday: its report is due on Tuesday 18 May.
    assert {p.end: p.due for p in whitsun.reports}[D(2027, 5, 16)] == D(2027, 5, 18)


def test_review_periods_are_calendar_periods() -> None:
    dates = contract_dates(values(review__frequency="semiannual"), D(2028, 12, 31), None)
    assert [(p.start, p.end) for p in dates.reviews] == [
        (D(2027, 1, 1), D(2027, 6, 30)),
        (D(2027, 7, 1), D(2027, 12, 31)),
        (D(2028, 1, 1), D(2028, 6, 30)),
        (D(2028, 7, 1), D(2028, 12, 31)),
    ]
    # A period that ends after the horizon is left out.
    assert contract_dates(values(), D(2027, 11, 30), None).reviews[-1].end == D(2027, 9, 30)


def test_main_contract_has_no_terms_of_its_own() -> None:
    dates = contract_dates(values(agreement__main_contract__date=D(2026, 5, 1)), D(2027, 12, 31), None)
    assert dates.terms == ()
    assert dates.reviews[-1].end == D(2027, 12, 31)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["dates", *args])


def answers_file(tmp_path: Path, example: str, changes: dict[str, Any]) -> Path:
    path = tmp_path / f"{example}.yaml"
    data = example_with(EXAMPLES / f"{example}.yaml", changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_command_text_in_english_and_german() -> None:
    internal = str(EXAMPLES / "it-service-internal.yaml")
    english = run(internal, "--lang", "en", "--until", "2028")
    assert english.exit_code == 0, english.output
    assert "Initial term: 1 January 2027 to 31 December 2027" in english.output
    assert "must be received by: Thursday, 30 September 2027" in english.output
    assert "must be received by: Saturday, 30 September 2028" in english.output
    assert "the deadline does not move" in english.output
    german = run(internal, "--lang", "de", "--until", "2028")
    assert german.exit_code == 0, german.output
    assert "Erste Laufzeit: 1. Januar 2027 bis 31. Dezember 2027" in german.output
    assert "muss spätestens zugehen am: Donnerstag, 30. September 2027" in german.output
    assert "Berichte (monatlich): fällig 5 Arbeitstage nach Ende jedes Berichtszeitraums" in german.output


def test_command_json_and_main_contract() -> None:
    result = run(str(EXAMPLES / "call-centre.yaml"), "--format", "json", "--until", "2027")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["terms"] == []
    assert data["reports"]["periods"][0] == {"start": "2027-03-01", "end": "2027-03-31", "due": "2027-04-05"}
    assert data["reviews"]["periods"][-1] == {"start": "2027-10-01", "end": "2027-12-31"}
    text = run(str(EXAMPLES / "call-centre.yaml"), "--lang", "en", "--until", "2027")
    assert "follow the main contract" in text.output


def test_command_ics_file(tmp_path: Path) -> None:
    out = tmp_path / "dates.ics"
    result = run(str(EXAMPLES / "it-service.yaml"), "--format", "ics", "--until", "2027", "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    text = raw.decode("utf-8").replace("\r\n ", "")
    assert (
        "DTSTART;VALUE=DATE:20281128\r\nDTEND;VALUE=DATE:20281129\r\nSUMMARY:Last day for notice to end SLA-2027-102"
        in text
    )
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == 2 + 4 + 10
    again = tmp_path / "again.ics"
    run(str(EXAMPLES / "it-service.yaml"), "--format", "ics", "--until", "2027", "-o", str(again))
    assert again.read_bytes() == raw
    refused = run(str(EXAMPLES / "it-service.yaml"), "--format", "ics", "-o", str(out))
    assert refused.exit_code == 2
    assert out.read_bytes() == raw


def test_command_without_public_holidays_gives_the_other_dates_and_names_the_key(tmp_path: Path) -> None:
    path = answers_file(tmp_path, "it-service", {"service.holidays": ...})
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0
    assert f"{path}:" in result.stderr
    assert "service.holidays: warning: Working Days are undefined: the agreement names no public holidays" in (
        result.stderr
    )
    assert result.stderr.rstrip().endswith("the report due dates are left out")
    shown = json.loads(result.stdout)
    assert shown["terms"]
    assert shown["reports"]["periods"] == []
    assert "Traceback" not in result.output


def test_command_bad_options() -> None:
    result = run(str(EXAMPLES / "it-service.yaml"), "--until", "1999")
    assert result.exit_code == 2
    assert "--until: --until must be a year from 2027 to 2127, not 1999" in result.output
    result = run(str(EXAMPLES / "it-service.yaml"), "--lang", "fr")
    assert result.exit_code == 2
    assert "unknown language 'fr'" in result.output


def test_a_library_without_a_text_is_named(tmp_path: Path) -> None:

    copy_library(tmp_path)
    wording = tmp_path / "templates" / "en" / "dates.yaml"
    wording.write_text(wording.read_text(encoding="utf-8").replace("initial:", "first:"), encoding="utf-8")
    result = run(str(EXAMPLES / "it-service.yaml"), "--lang", "en", "--library", str(tmp_path))
    assert result.exit_code == 2
    assert f"{wording}: initial: no usable text 'initial' for slagen dates" in result.output
    assert "Traceback" not in result.output
