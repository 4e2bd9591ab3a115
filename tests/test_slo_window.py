"""``window_of`` reads each KPI's measurement definition: period, clock and slices (issue 17, item 6).

A calendar month is OpenSLO's ``1M`` from the first of the month, a calendar week ``1w`` from its Monday, a
contract year ``1Y`` from the effective date; a per-event measure takes the period of the Service Level it
feeds; a campaign is explained, in the calendar month in which it counts. Time slices come from the
definition's ``slice:``, never from catalog ids in code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from msgspec.structs import replace

from slagen.answers import Answers, load_answers
from slagen.catalogs import Kpi
from slagen.errors import Problem
from slagen.library import Library
from slagen.measure_def import MeasureDef, parse_measure
from slagen.params import Duration
from slagen.slo.files import export_file
from slagen.slo.texts import load_texts
from slagen.slo.validation import openslo_findings
from slagen.slo.window import window_of
from slagen.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent
IT = ROOT / "examples" / "it-service.yaml"


@pytest.fixture(scope="module")
def it_answers(library: Library) -> Answers:
    return load_answers(IT, library)


def effective(answers: Answers, day: dt.date) -> Answers:
    return replace(answers, values={**answers.values, "agreement.effective_date": day})


def kpi(period: str, *, slice_: str = "", feeds: str = "", kind: str = "reported") -> Kpi:
    length = Duration.parse(slice_) if slice_ else None
    return Kpi(
        id=f"k_{period}",
        unit="percent",
        direction="at_least",
        text={},
        feeds=feeds,
        role="measure" if feeds else "service_level",
        measure=MeasureDef(kind, period, slice=length),
    )


@pytest.mark.parametrize(
    ("period", "duration", "start", "partial"),
    [
        ("calendar_month", "1M", dt.date(2027, 3, 1), True),
        ("calendar_week", "1w", dt.date(2027, 3, 15), True),  # the Monday of Thursday 18 March
        ("contract_year", "1Y", dt.date(2027, 3, 18), False),  # twelve months from the effective date
    ],
)
def test_each_calendar_period_has_its_window(
    it_answers: Answers, period: str, duration: str, start: dt.date, partial: bool
) -> None:
    window = window_of(kpi(period), effective(it_answers, dt.date(2027, 3, 18)))
    assert (window.period, window.duration, window.start, window.partial_first) == (period, duration, start, partial)
    assert window.time_zone == "Europe/London"
    assert window.start_time == f"{start.isoformat()} 00:00:00"
    assert (window.slice, window.note) == ("", "")


def test_a_week_that_starts_on_the_effective_date_is_whole(it_answers: Answers) -> None:
    window = window_of(kpi("calendar_week"), effective(it_answers, dt.date(2027, 3, 1)))  # a Monday
    assert (window.start, window.partial_first) == (dt.date(2027, 3, 1), False)


def test_an_event_counts_in_the_period_of_the_service_level_it_feeds(it_answers: Answers) -> None:
    weekly = kpi("calendar_week")
    measure = kpi("event", feeds=weekly.id)
    assert window_of(measure, it_answers, feeds=weekly).duration == "1w"
    assert window_of(measure, it_answers, feeds=kpi("calendar_month")).duration == "1M"
    alone = window_of(kpi("event"), it_answers)  # feeds nothing: the month of the event
    assert (alone.period, alone.duration) == ("calendar_month", "1M")


def test_a_campaign_is_explained_in_the_month_it_counts(it_answers: Answers) -> None:
    window = window_of(kpi("campaign"), it_answers)
    assert (window.period, window.duration) == ("calendar_month", "1M")
    assert "counted in the calendar month in which the campaign ends" in window.note


def test_a_kpi_without_a_definition_is_measured_per_calendar_month(it_answers: Answers) -> None:
    bare = Kpi(id="bare", unit="percent", direction="at_least", text={})
    assert window_of(bare, it_answers).duration == "1M"


def test_slices_come_from_the_definition_not_from_catalog_ids(it_answers: Answers, library: Library) -> None:
    assert window_of(kpi("calendar_month", slice_="5min"), it_answers).slice == "5m"
    assert window_of(kpi("calendar_month", slice_="1h"), it_answers).slice == "1h"
    availability = library.catalogs["it-service"].kpis["availability"]
    assert availability.measure is not None
    assert availability.measure.slice == Duration.parse("1min")
    assert window_of(availability, it_answers).slice == "1m"


@pytest.mark.parametrize(("value", "message"), [("90s", "whole number of minutes"), ("soon", "not a duration")])
def test_a_slice_is_whole_minutes(value: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "measure.yaml"
    path.write_text(f"m: {{kind: reported, period: calendar_month, slice: {value}}}\n", encoding="utf-8")
    problems: list[Problem] = []
    spec: Any = load_yaml(path).data["m"]
    assert parse_measure(load_yaml(path), ("m",), spec, problems) is None
    assert message in problems[0].message
    assert problems[0].key == "m.slice"


def _with_period(library: Library, period: str, slice_: str) -> Library:
    catalog = library.catalogs["it-service"]
    availability = catalog.kpis["availability"]
    assert availability.measure is not None
    measure = replace(availability.measure, period=period, slice=Duration.parse(slice_))
    kpis = {**catalog.kpis, "availability": replace(availability, measure=measure)}
    return replace(library, catalogs={**library.catalogs, "it-service": replace(catalog, kpis=kpis)})


@pytest.mark.parametrize(("period", "duration"), [("calendar_week", "1w"), ("contract_year", "1Y")])
def test_openslo_with_a_week_or_a_year_validates_and_says_its_period(
    it_answers: Answers, library: Library, period: str, duration: str
) -> None:
    changed = _with_period(library, period, "5min")
    texts = {"en": load_texts(changed, "en"), "de": load_texts(changed, "de")}
    exported = export_file(it_answers, changed, "openslo", texts=texts)
    documents = list(yaml.safe_load_all(exported.data))
    assert openslo_findings(documents) == []
    slos = {d["metadata"]["labels"]["kpi"]: d for d in documents if d["kind"] == "SLO"}
    availability = slos["availability"]
    assert availability["spec"]["timeWindow"][0]["duration"] == duration
    assert availability["spec"]["objectives"][0]["timeSliceWindow"] == "5m"
    words = "calendar week (Monday to Sunday)" if period == "calendar_week" else "contract year"
    assert words in availability["metadata"]["annotations"]["slagen/window"]
    assert ("Kalenderwoche" if period == "calendar_week" else "Vertragsjahr") in availability["metadata"][
        "annotations"
    ]["slagen/window-de"]
    # the incidents are still measured per calendar month, and their SLOs say so
    assert slos["incident_compliance"]["spec"]["timeWindow"][0]["duration"] == "1M"
    assert (
        "the calendar month in Europe/London" in slos["incident_compliance"]["metadata"]["annotations"]["slagen/window"]
    )
    text = exported.data.decode("utf-8")
    assert text.count("# Window: The window is the agreement's period for the KPI:") == 2  # one per window


@pytest.mark.parametrize("fmt", ["sloth", "prometheus"])
def test_the_rolling_formats_name_the_contract_period(it_answers: Answers, library: Library, fmt: str) -> None:
    changed = _with_period(library, "calendar_week", "1min")
    exported = export_file(it_answers, changed, fmt, texts={"en": load_texts(changed, "en")})
    text = " ".join(exported.data.decode("utf-8").split())
    assert "the agreement measures each calendar week (Monday to Sunday) in Europe/London" in text
    assert "the agreement measures each calendar month in Europe/London" in text
