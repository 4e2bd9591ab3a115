"""The generic measurement kinds at their edges: empty periods, ties at the target, missing fields, bad cells,
working-day offsets with a cut-off, the end of the period, and the definitions refused when they are wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from slagen.catalogs import Kpi
from slagen.errors import InputError, Problem
from slagen.measure_def import MeasureDef, parse_measure
from slagen.measured.records import Measurement, Where
from slagen.params import Duration
from slagen.report.generic import measured_result
from slagen.report.model import Result
from slagen.report.period import month_period
from slagen.yamlsource import YamlSource

BERLIN = ZoneInfo("Europe/Berlin")
MARCH = month_period("2027-03", BERLIN, dt.date(2027, 1, 1), None)
VALUES = {"service.time_zone": "Europe/Berlin", "service.holidays": "DE-NW"}


def definition(spec: dict[str, Any]) -> tuple[MeasureDef | None, list[Problem]]:
    problems: list[Problem] = []
    source = YamlSource("tiers/x.yaml", {}, {("kpis", "k", "measure"): 7})
    measure = parse_measure(source, ("kpis", "k", "measure"), {"period": "calendar_month", **spec}, problems)
    return measure, problems


def kpi(spec: dict[str, Any], unit: str = "percent", direction: str = "at_least") -> Kpi:
    measure, problems = definition(spec)
    assert not problems, problems
    return Kpi("k", unit, direction, {}, measure=measure)


def row(record: str, n: int, when: str = "2027-03-10 12:00", ident: str = "", **fields: object) -> Measurement:
    stamp = dt.datetime.fromisoformat(when).replace(tzinfo=BERLIN)
    return Measurement(record, stamp, dict(fields), Where("data.csv", n), ident or f"r{n}")


def compute(the_kpi: Kpi, target: Any, records: list[Measurement], **targets: Any) -> Result:
    problems: dict[tuple[str, int, str], Problem] = {}
    terms = {"window_early": Decimal(1), "window_late": Decimal(2)}
    result = measured_result(the_kpi, {"k": target, **targets}, terms, MARCH, VALUES, tuple(records), problems)
    if problems:
        raise InputError(list(problems.values()))
    return result


SHARE_OK = {"kind": "share", "records": "item", "where": [{"field": "ok", "op": "eq", "value": True}]}


def test_share_counts_records_of_its_type_in_the_period() -> None:
    records = [
        row("item", 2, ok="yes"),
        row("item", 3, ok="nein"),
        row("item", 4, ok="ja"),
        row("item", 5, "2027-04-01 00:00", ok="no"),  # April: not counted
        row("other", 6, ok="no"),  # another record type
    ]
    result = compute(kpi(SHARE_OK), Decimal(66), records)
    assert result.formula is not None
    assert result.formula.numbers["met"] == 2
    assert result.formula.numbers["records"] == 3
    assert result.value == Decimal("66.66")
    assert result.met is True


def test_a_tie_at_the_target_is_met_both_ways() -> None:
    records = [row("item", n, ok="yes" if n % 4 else "no") for n in range(2, 10)]  # 6 of 8 = 75 %
    assert compute(kpi(SHARE_OK), Decimal(75), records).met is True
    mean = kpi({"kind": "mean", "records": "item", "field": "ms", "in": "ms"}, "duration", "at_most")
    samples = [row("item", 2, ms="40"), row("item", 3, ms="60")]
    result = compute(mean, Duration.parse("50ms"), samples)
    assert result.value == Decimal("0.05")
    assert result.met is True
    assert compute(mean, Duration.parse("49ms"), samples).met is False


def test_an_empty_period_has_nothing_to_count_and_every_is_met() -> None:
    result = compute(kpi(SHARE_OK), Decimal(95), [row("item", 2, "2027-02-28 23:59", ok="yes")])
    assert (result.value, result.met, result.note) == (None, None, "nothing_to_count")
    every = kpi({**SHARE_OK, "kind": "every"}, "count")
    result = compute(every, Decimal(0), [])
    assert (result.value, result.met, result.note) == (None, True, "no_events")
    ratio = kpi({"kind": "ratio", "records": "lot", "numerator": "bad", "denominator": "parts"}, "ppm", "at_most")
    assert compute(ratio, Decimal(50), []).note == "nothing_to_count"


def test_an_empty_cell_meets_no_condition_but_a_bad_cell_is_a_problem() -> None:
    result = compute(kpi(SHARE_OK), Decimal(50), [row("item", 2, ok="yes"), row("item", 3, ok="")])
    assert result.value == Decimal(50)
    with pytest.raises(InputError) as caught:
        compute(kpi(SHARE_OK), Decimal(50), [row("item", 2, ok="yes"), row("item", 3, ok="vielleicht")])
    assert [str(p) for p in caught.value.problems] == [
        "data.csv:3: ok: 'vielleicht' is neither yes nor no: write yes or no (1 or 0, ja or nein)"
    ]


def test_a_field_the_file_lacks_is_named_with_the_columns_it_has() -> None:
    with pytest.raises(InputError) as caught:
        compute(kpi(SHARE_OK), Decimal(50), [row("item", 2, okay="yes"), row("item", 3, okay="no")])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.key) == ("data.csv", 1, "ok")
    assert "has no column 'ok' (KPI k reads it); columns: record, timestamp, id, okay" in problem.message


def test_ratio_in_ppm_and_mean_minimum_maximum() -> None:
    ratio = kpi({"kind": "ratio", "records": "lot", "numerator": "bad", "denominator": "parts"}, "ppm", "at_most")
    lots = [row("lot", 2, bad="3", parts="40000"), row("lot", 3, bad="2", parts="60000")]
    result = compute(ratio, Decimal(50), lots)
    assert result.value == Decimal(50)
    assert result.met is True
    values = [row("x", n, v=str(n * 10)) for n in (2, 3, 7)]
    for kind, expected in (("mean", Decimal(40)), ("minimum", Decimal(20)), ("maximum", Decimal(70))):
        assert (
            compute(kpi({"kind": kind, "records": "x", "field": "v"}, "count"), Decimal(100), values).value == expected
        )


def test_span_on_working_days_skips_weekends_and_public_holidays() -> None:
    # Thursday 25 March 2027 → Wednesday 31 March: Friday 26 (Good Friday) and Monday 29 (Easter Monday) are holidays
    span = kpi(
        {"kind": "maximum", "records": "close", "clock": "working_days", "from": "start", "to": "end"},
        "working_days",
        "at_most",
    )
    result = compute(span, Decimal(2), [row("close", 2, start="25.03.2027", end="2027-03-31 10:00")])
    assert result.value == Decimal(2)
    assert result.met is True


def test_an_offset_on_working_days_with_a_cut_off() -> None:
    entry = {
        "kind": "share",
        "records": "invoice",
        "clock": "working_days",
        "where": [{"field": "posted", "op": "le", "other": "received", "plus": {"target": "t"}, "cutoff": "14:00"}],
    }
    invoices = [
        row("invoice", 2, received="2027-03-24 13:59", posted="2027-03-30 18:00"),  # Wed → +2 WD = Tue 30: met
        row("invoice", 3, received="2027-03-24 14:00", posted="2027-03-30 18:00"),  # from Thu 25 → Wed 31: met
        row("invoice", 4, received="2027-03-24 09:00", posted="2027-03-31 08:00"),  # due Tue 30: late
    ]
    result = compute(kpi(entry), Decimal(95), invoices, t=Decimal(2))
    assert result.formula is not None
    assert result.formula.numbers["met"] == 2


def test_a_window_before_and_after_a_date_and_the_end_of_the_period() -> None:
    window = {
        "kind": "share",
        "records": "delivery",
        "clock": "working_days",
        "at": "received",
        "where": [
            {"field": "received", "op": "ge", "other": "confirmed", "minus": {"term": "window_early"}},
            {"field": "received", "op": "le", "other": "confirmed", "plus": {"term": "window_late"}},
        ],
    }
    deliveries = [
        row("delivery", 2, confirmed="2027-03-10", received="2027-03-09"),  # 1 WD early: on time
        row("delivery", 3, confirmed="2027-03-10", received="2027-03-08"),  # 2 WD early: too early
        row("delivery", 4, confirmed="2027-03-10", received="2027-03-12"),  # 2 WD late: on time
        row("delivery", 5, confirmed="2027-03-12", received="2027-03-17"),  # Fri → Wed is 3 WD: late
        row("delivery", 6, confirmed="2027-03-31", received=""),  # not received: placed in no period
    ]
    result = compute(kpi(window), Decimal(50), deliveries)
    assert result.formula is not None
    assert (result.formula.numbers["met"], result.formula.numbers["records"]) == (2, 4)
    done = {"kind": "share", "records": "task", "at": "due", "where": [{"field": "done", "op": "le", "period": "end"}]}
    tasks = [
        row("task", 2, due="2027-03-31", done="2027-03-31 23:59"),
        row("task", 3, due="2027-03-31", done="2027-04-01 00:00"),
        row("task", 4, due="2027-03-02", done=""),
    ]
    assert compute(kpi(done), Decimal(30), tasks).value == Decimal("33.33")


def test_every_filters_with_only_and_is_missed_by_one_record() -> None:
    cutoff = {
        "kind": "every",
        "records": "change",
        "clock": "working_days",
        "at": "pay_day",
        "only": [{"field": "received", "op": "le", "other": "pay_day", "minus": {"target": "k"}}],
        "where": [{"field": "included", "op": "eq", "value": True}],
    }
    changes = [
        row("change", 2, received="2027-03-19 10:00", pay_day="2027-03-25", included="yes"),  # 4 WD before: counts
        row("change", 3, received="2027-03-22 10:00", pay_day="2027-03-25", included="no"),  # 3 WD before: not
    ]
    result = compute(kpi(cutoff, "duration", "at_most"), Duration.parse("4d"), changes)
    assert result.met is True
    assert result.formula is not None
    assert result.formula.numbers["records"] == 1
    late = [*changes, row("change", 4, received="2027-03-01 09:00", pay_day="2027-03-25", included="no")]
    assert compute(kpi(cutoff, "duration", "at_most"), Duration.parse("4d"), late).met is False


@pytest.mark.parametrize(
    ("spec", "key", "message"),
    [
        ({"kind": "share", "records": "x"}, "kpis.k.measure", "kind 'share' needs 'where'"),
        (
            {"kind": "share", "records": "x", "where": [{"field": "a", "op": "like", "value": 1}]},
            "kpis.k.measure.where",
            "condition 1: 'op' must be one of eq, ne, lt, le, gt, ge",
        ),
        (
            {"kind": "share", "records": "x", "where": [{"field": "a", "op": "eq", "value": "1 + 1", "other": "b"}]},
            "kpis.k.measure.where",
            "condition 1: compare with exactly one of value, other (a field) or period (end)",
        ),
        (
            {"kind": "share", "records": "x", "where": [{"field": "a", "op": "eq", "value": 1, "plus": 2}]},
            "kpis.k.measure.where",
            "condition 1: an offset (plus, minus) moves another field ('other')",
        ),
        ({"kind": "mean", "records": "x"}, "kpis.k.measure", "kind 'mean' needs 'field' (a number column) or 'from'"),
        ({"kind": "mean", "records": "x", "field": "v", "in": "us"}, "kpis.k.measure.in", "expected the unit"),
        (
            {"kind": "ratio", "records": "x", "numerator": "a", "denominator": "b", "clock": "service_hours"},
            "kpis.k.measure.clock",
            "counts on the calendar or on working days",
        ),
        (
            {"kind": "share", "records": "x", "where": [], "period": "event"},
            "kpis.k.measure.period",
            "kind 'share' is computed per calendar_month, not per event",
        ),
    ],
)
def test_a_wrong_definition_is_refused_with_file_line_and_key(spec: dict[str, Any], key: str, message: str) -> None:
    measure, problems = definition(spec)
    assert measure is None
    assert any(p.key == key and message in p.message and (p.file, p.line) == ("tiers/x.yaml", 7) for p in problems), [
        str(p) for p in problems
    ]
