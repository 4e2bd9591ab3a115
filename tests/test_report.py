"""The report's computation, worked by hand: uptime formulas and credit bands of the public SLAs at their
edges, partial months, exclusions and maintenance, caps, claim and notice dates, chronic failure, tickets on
the agreed clock, call-centre intervals and telemarketing activity (issue 17, item 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from msgspec.structs import replace

from slagen.arithmetic import CreditBand, CreditScheme
from slagen.generate import check_answers
from slagen.library import Library
from slagen.measure_def import MeasureDef
from slagen.measured.records import Activity, Interval, Measured, Outage, Ticket, Where
from slagen.params import Duration
from slagen.report.availability import availability
from slagen.report.compute import compute_report
from slagen.report.credits import apply_annual_cap, service_credit
from slagen.report.history import Past
from slagen.report.model import Period
from slagen.report.period import month_period
from slagen.resolve import resolve_service

ROOT = Path(__file__).resolve().parent.parent
BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
D = Decimal


def at(text: str, zone: ZoneInfo = BERLIN) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def outage(start: str, end: str, cause: str = "provider", service: str = "ERP", zone: ZoneInfo = BERLIN) -> Outage:
    return Outage(at(start, zone), at(end, zone), service, cause, Where("outages.csv", 2))


PLAIN = MeasureDef(
    "availability", "calendar_month", "calendar", ("scheduled_maintenance", "force_majeure", "customer", "third_party"),
    params={"decimals": 2, "min_outage": Duration(D(1), "minute")},
)  # fmt: skip


def april() -> Period:
    return month_period("2027-04", BERLIN, dt.date(2027, 1, 1), None)


# --- availability: the formula, truncation, the target as a band edge ------------------------------------------


def test_a_30_day_month_at_exactly_the_target_is_met() -> None:
    # 99.9 % of 43,200 minutes allows 43.2 minutes: 43 min 12 s of downtime is exactly the target
    result = availability((outage("2027-04-05T10:00:00", "2027-04-05T10:43:12"),), april(), PLAIN, D("99.9"), {})
    assert result.formula is not None
    assert result.formula.numbers["minutes"] == 43200
    assert result.formula.numbers["downtime"] == D("43.2")
    assert result.value == D("99.90")
    assert result.met is True


def test_one_second_more_is_truncated_below_the_target() -> None:
    result = availability((outage("2027-04-05T10:00:00", "2027-04-05T10:43:13"),), april(), PLAIN, D("99.9"), {})
    assert result.value == D("99.89")  # 99.89997… truncated, not rounded to 99.90
    assert result.met is False


def test_overlapping_outages_of_two_systems_count_once_and_short_blips_not_at_all() -> None:
    outages = (
        outage("2027-04-05T10:00", "2027-04-05T10:30", service="ERP"),
        outage("2027-04-05T10:20", "2027-04-05T10:40", service="CRM"),
        outage("2027-04-06T08:00:00", "2027-04-06T08:00:59", service="CRM"),
    )
    result = availability(outages, april(), PLAIN, D("99.9"), {})
    assert result.formula is not None
    assert result.formula.numbers["downtime"] == 40
    assert [e.reason for e in result.excluded] == ["below_minimum"]
    # per system: ERP 30 minutes, CRM 20 — the lowest (ERP) applies
    per_system = availability(outages, april(), PLAIN, D("99.9"), {}, per_system=True)
    assert per_system.value == D("99.93")  # (43200 − 30) / 43200 = 99.930555…
    assert [p.group for p in per_system.parts] == ["CRM", "ERP"]


def test_exclusions_are_listed_with_their_reason_and_not_counted() -> None:
    outages = (
        outage("2027-04-05T10:00", "2027-04-05T11:00", "customer"),
        outage("2027-04-06T10:00", "2027-04-06T11:00", "force_majeure"),
        outage("2027-04-07T10:00", "2027-04-07T11:00", "third_party"),
        outage("2027-04-07T10:30", "2027-04-07T11:30", "provider"),  # half inside the third party's outage
    )
    result = availability(outages, april(), PLAIN, D("99.9"), {})
    assert [(e.reason, e.seconds) for e in result.excluded] == [
        ("customer", 3600),
        ("force_majeure", 3600),
        ("third_party", 3600),
    ]
    assert result.formula is not None
    assert result.formula.numbers["downtime"] == 30


def test_a_definition_without_an_exclusion_counts_that_cause() -> None:
    """The measurement definition decides: drop 'customer' and the customer's outage is downtime."""
    outages = (outage("2027-04-05T10:00", "2027-04-05T11:00", "customer"),)
    narrower = replace(PLAIN, excludes=("scheduled_maintenance", "force_majeure", "third_party"))
    assert availability(outages, april(), PLAIN, D("99.9"), {}).value == D("100.00")
    assert availability(outages, april(), narrower, D("99.9"), {}).value == D("99.86")  # 60 of 43,200 minutes


def test_a_partial_first_month_counts_only_the_minutes_inside_the_term() -> None:
    # the term starts on 10 March 2027; the clocks go forward on 28 March: 22 days less one hour
    period = month_period("2027-03", BERLIN, dt.date(2027, 3, 10), None)
    assert period.partial
    result = availability((outage("2027-03-05T00:00", "2027-03-10T00:31"),), period, PLAIN, D("99.9"), {})
    assert result.formula is not None
    assert result.formula.numbers["minutes"] == 22 * 1440 - 60 == 31620
    assert result.formula.numbers["downtime"] == 31  # only the part inside the term
    assert result.value == D("99.90")  # 99.90196… truncated


def test_planned_maintenance_counts_outside_the_window_and_beyond_the_limit(library: Library) -> None:
    catalog = library.catalogs["it-service"]
    measure = catalog.kpis["availability"].measure
    assert measure is not None
    terms = catalog.tiers["silver"].terms  # saturday_night (Sat 22:00 – Sun 06:00), at most 4 h a month
    outages = (
        outage("2027-04-03T21:00", "2027-04-04T01:00", "scheduled"),  # one hour before the window opens
        outage("2027-04-10T22:00", "2027-04-11T02:00", "scheduled"),  # 1 h left of the 4 h
    )
    result = availability(outages, april(), measure, D("99.9"), terms)
    counted = [(c.start.isoformat(), c.seconds, c.reason) for c in result.counted]
    assert counted == [
        ("2027-04-03T21:00:00+02:00", 3600, "maintenance_outside_window"),
        ("2027-04-10T23:00:00+02:00", 10800, "maintenance_over_limit"),
    ]
    assert sum(e.seconds for e in result.excluded) == 4 * 3600


# --- credits: the public tables at their band edges ---------------------------------------------------------------


def scheme(*bands: tuple[str | None, str, int], cap: int = 100) -> CreditScheme:
    return CreditScheme(
        tuple(CreditBand(D(upper), None if lower is None else D(lower), D(credit)) for lower, upper, credit in bands),
        D(cap),
    )


S3 = scheme(("99.0", "99.9", 10), ("95.0", "99.0", 25), (None, "95.0", 100))
"""Amazon S3 Standard: < 99.9 and ≥ 99.0 → 10 %; < 99.0 and ≥ 95.0 → 25 %; < 95.0 → 100 %."""
BONTERMS = scheme(("99.00", "99.90", 5), ("97.00", "99.00", 20), ("95.00", "97.00", 35), (None, "95.00", 50), cap=50)
"""Bonterms' chart read as half-open bands (its printed bands leave gaps at 99.89–99.90 and 98.99–99.00)."""


@pytest.mark.parametrize(
    ("value", "credit"),
    [("99.9", 0), ("99.89", 10), ("99.0", 10), ("98.99", 25), ("95.0", 25), ("94.99", 100), ("0", 100)],
)
def test_s3_bands_at_their_edges(value: str, credit: int) -> None:
    assert service_credit("availability", D(value), S3, D(1000), "USD").percent == credit


@pytest.mark.parametrize(("value", "credit"), [("99.895", 5), ("98.995", 20), ("96.995", 35), ("94.999", 50)])
def test_bonterms_gaps_fall_into_the_band_below(value: str, credit: int) -> None:
    assert service_credit("availability", D(value), BONTERMS, D(1000), "USD").percent == credit


def test_monthly_cap_then_annual_cap() -> None:
    capped = service_credit("availability", D("90"), scheme((None, "99.9", 60), cap=30), D("18500"), "GBP")
    assert (capped.percent, capped.percent_capped, capped.amount) == (60, 30, D("5550.00"))
    # 5 % of a year's fees (12 × 18,500 = 222,000) is 11,100; 7,000 already credited leaves 4,100
    after = apply_annual_cap(capped, D(5), D(222000), D(7000))
    assert (after.annual_cap, after.owed) == (D("11100.00"), D("4100.00"))
    assert apply_annual_cap(capped, D(5), D(222000), D(12000)).owed == 0


# --- the whole report of an agreement -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def it_service(library: Library) -> Any:
    answers = check_answers(ROOT / "examples" / "it-service.yaml", library)
    return answers, resolve_service(answers, library)


def report_of(it: Any, measured: Measured, label: str = "2027-03", **values: Any) -> Any:
    answers, service = it
    return compute_report(
        {**answers.values, **values}, tuple(c.id for c in answers.clauses), service, measured, label,
        agreement="SLA-2027-102", **{k: v for k, v in values.items() if k in ("history", "received", "fee")},
    )  # fmt: skip


def test_claim_deadline_under_english_law_stays_on_a_sunday(it_service: Any) -> None:
    measured = Measured(outages=(outage("2027-03-03T10:00", "2027-03-03T11:00", zone=LONDON),))
    report = report_of(it_service, measured)
    # due 5 Working Days after Wednesday 31 March 2027 (GB-EAW): Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 April
    assert report.received == dt.date(2027, 4, 7)
    assert report.credit.claim_by == dt.date(2027, 5, 7)  # 30 days after receipt
    late = compute_report(
        it_service[0].values, tuple(c.id for c in it_service[0].clauses), it_service[1], measured, "2027-03",
        received=dt.date(2027, 4, 9), agreement="x",
    )  # fmt: skip
    assert late.credit.claim_by == dt.date(2027, 5, 9)  # a Sunday: no § 193 BGB outside German law


def test_claim_deadline_under_german_law_moves_to_the_next_working_day(it_service: Any) -> None:
    answers, service = it_service
    values = {**answers.values, "agreement.governing_law": "de", "service.holidays": "DE-NW"}
    measured = Measured(outages=(outage("2027-03-03T10:00", "2027-03-03T11:00", zone=LONDON),))
    clauses = tuple(c.id for c in answers.clauses)
    report = compute_report(values, clauses, service, measured, "2027-03", received=dt.date(2027, 4, 9))
    assert report.credit.claim_by == dt.date(2027, 5, 10)  # 9 May 2027 is a Sunday (§ 193 BGB)


def test_credit_in_the_report_with_the_fee(it_service: Any) -> None:
    # 60 minutes of 44,580 (March 2027 in London, clocks forward): 99.8654…, truncated 99.86 → Silver's band
    # "from 99.5 % to below 99.9 %": 5 % of £18,500
    measured = Measured(outages=(outage("2027-03-03T10:00", "2027-03-03T11:00", zone=LONDON),))
    report = report_of(it_service, measured)
    credit = report.credit
    assert (credit.value, credit.band, credit.percent, credit.amount) == (D("99.86"), "99.5 ≤ x < 99.9", 5, D("925.00"))


def test_chronic_failure_arises_in_the_second_consecutive_month(it_service: Any) -> None:
    measured = Measured(outages=(outage("2027-04-03T10:00", "2027-04-03T11:00", zone=LONDON),))
    earlier = (Past("2027-03", "SLA-2027-102", frozenset({"availability"}), D("1850.00")),)
    answers, service = it_service
    clauses = tuple(c.id for c in answers.clauses)
    report = compute_report(answers.values, clauses, service, measured, "2027-04", history=earlier,
                            agreement="SLA-2027-102")  # fmt: skip
    state = next(c for c in report.chronic if c.kpi == "availability")
    assert (state.missed, state.consecutive, state.arisen) == (("2027-03", "2027-04"), 2, True)
    # report due 5 Working Days after 30 April: Tue 4 May … Fri 7 May (3 May 2027 is a bank holiday)
    assert report.received == dt.date(2027, 5, 10)
    assert state.notice_by == dt.date(2027, 6, 9)
    # without the history the month stands alone
    alone = compute_report(answers.values, clauses, service, measured, "2027-04", agreement="SLA-2027-102")
    state = next(c for c in alone.chronic if c.kpi == "availability")
    assert (state.arisen, state.unknown) == (False, ("2027-03",))


def test_a_month_outside_the_term_is_refused(it_service: Any) -> None:
    from slagen.errors import InputError

    with pytest.raises(InputError, match="outside the term"):
        report_of(it_service, Measured(), "2027-02")


# --- tickets on the agreed clock ------------------------------------------------------------------------------------


def ticket(ident: str, priority: str, created: str, responded: str | None, restored: str | None) -> Ticket:
    return Ticket(
        ident, priority, at(created, LONDON), Where("tickets.csv", 2),
        responded=at(responded, LONDON) if responded else None, restored=at(restored, LONDON) if restored else None,
    )  # fmt: skip


def test_a_p2_ticket_on_friday_evening_is_due_on_monday_in_service_hours(it_service: Any) -> None:
    # Silver: P2 response 2 h during service hours (Mon–Fri 07:00–19:00); P1 runs around the clock
    tickets = (
        ticket("INC-1", "p2", "2027-03-05T18:30", "2027-03-08T08:45", "2027-03-08T12:00"),  # due Mon 08:30: late
        ticket("INC-2", "p1", "2027-03-05T18:30", "2027-03-05T19:15", "2027-03-05T22:00"),  # met around the clock
    )
    report = report_of(it_service, Measured(tickets=tickets))
    result = next(r for r in report.results if r.kpi == "incident_compliance")
    late = [(e.id, e.kpi, e.due.isoformat()) for e in result.events]
    assert late == [("INC-1", "p2_response", "2027-03-08T08:30:00+00:00")]
    assert {p.group: p.met for p in result.parts} == {"p1": True, "p2": True}  # one miss allowed below 10


def test_ten_tickets_of_a_priority_use_the_rate(it_service: Any) -> None:
    tickets = tuple(
        ticket(
            f"INC-{i}",
            "p1",
            f"2027-03-{i + 1:02d}T10:00",
            f"2027-03-{i + 1:02d}T10:30",
            f"2027-03-{i + 1:02d}T{13 if i < 8 else 15}:00",
        )
        for i in range(10)
    )
    report = report_of(it_service, Measured(tickets=tickets))
    part = next(r for r in report.results if r.kpi == "incident_compliance").parts[0]
    assert (part.value, part.met) == (D("80.00"), False)  # 8 of 10 against 90 %


# --- call centre and telemarketing ------------------------------------------------------------------------------------


def test_call_answer_rate_under_each_abandoned_call_rule(library: Library) -> None:
    from slagen.report.calls import interval_result

    kpi = library.catalogs["call-centre-inbound"].kpis["service_level"]
    period = april()
    rows = (
        Interval(at("2027-04-05T10:00"), 30, 100, 90, 72, 10, 4, Where("acd.csv", 2), forecast=95),
        Interval(at("2027-04-05T10:30"), 30, 200, 150, 10, 50, 0, Where("acd.csv", 3), forecast=100),  # overflow
    )
    values = {"service.abandoned_calls": "exclude_short", "service.forecast_tolerance": D(15)}

    def rate(rule: str) -> Decimal | None:
        result = interval_result(kpi, D(80), rows, period, {**values, "service.abandoned_calls": rule}, lambda _: True)
        assert [e.reason for e in result.excluded] == ["overflow"]
        return result.value

    assert rate("count_all") == D("72.00")  # 72 ÷ (90 + 10)
    assert rate("exclude_short") == D("75.00")  # 72 ÷ (90 + 10 − 4)
    assert rate("exclude_all") == D("80.00")  # 72 ÷ 90


def test_calls_per_agent_day_is_decided_per_week_ending_in_the_month(library: Library) -> None:
    from slagen.report.calls import activity_result

    kpi = library.catalogs["telemarketing"].kpis["calls_per_agent_day"]
    days = [dt.date(2027, 3, 29) + dt.timedelta(days=i) for i in range(5)]  # Mon 29 March – Fri 2 April
    rows = tuple(Activity(day, "A", D(1), 200, 90, 10, 1, Where("a.csv", 2)) for day in days)
    result = activity_result(kpi, 100, rows, april())
    first = result.parts[0]
    assert first.group == "2027-03-29/2027-04-04"
    assert (first.value, first.met) == (D("90.00"), False)  # 450 answered ÷ 5 days
    assert result.met is True  # one missed week is not a missed month


def test_a_multi_level_agreement_uses_the_chosen_tier_bands_and_fee(library: Library) -> None:
    answers = check_answers(ROOT / "examples" / "it-service-multi-level.yaml", library)
    service = resolve_service(answers, library)
    values = {**answers.values, "service.time_zone": "Europe/London", "service.holidays": "GB-EAW"}
    measured = Measured(outages=(outage("2027-04-06T10:00", "2027-04-06T11:00", zone=LONDON),))
    clauses = tuple(c.id for c in answers.clauses)
    report = compute_report(values, clauses, service, measured, "2027-04", agreement="ML")
    # April 2027 in London: 43,200 minutes; 60 down: 99.861…, truncated 99.86 → Silver "from 99.5 to below 99.9": 5 %
    assert report.tier == "silver"
    assert (report.credit.band, report.credit.percent, report.credit.fee, report.credit.amount) == (
        "99.5 ≤ x < 99.9",
        5,
        D(9800),
        D("490.00"),
    )


def test_a_partial_last_month_counts_only_the_days_up_to_the_end_of_the_term(it_service: Any) -> None:
    answers, service = it_service
    values = {
        **answers.values,
        "agreement.effective_date": dt.date(2027, 3, 15),
        "agreement.term.months": 1,
        "agreement.term.auto_renew": False,
    }
    measured = Measured(outages=(outage("2027-04-14T23:50", "2027-04-15T03:00", zone=LONDON),))
    clauses = tuple(c.id for c in answers.clauses)
    report = compute_report(values, clauses, service, measured, "2027-04", agreement="x")
    # the term ends on 14 April 2027 (§ 188 (2) BGB): 14 days of 1,440 minutes; 10 minutes fall inside it
    availability_result = report.results[0]
    assert report.period.partial
    assert availability_result.formula.numbers["minutes"] == 14 * 1440
    assert availability_result.formula.numbers["downtime"] == 10
    assert availability_result.value == D("99.95")  # 99.950396… truncated
