"""``slagen slo``: OpenSLO, Sloth and Prometheus exports of the promised service levels (issue 17, item 6)."""

from __future__ import annotations

import copy
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from slagen.cli import main
from slagen.cli.slo import FORMATS as CLI_FORMATS
from slagen.slo.files import FORMATS, SUFFIXES
from slagen.slo.openslo import fraction
from slagen.slo.texts import rfc1123
from slagen.slo.validation import openslo_findings, openslo_schema

from .conftest import EXAMPLES, ROOT, example_with
from .helpers import copy_library

IT, CALLS, TM = EXAMPLES / "it-service.yaml", EXAMPLES / "call-centre.yaml", EXAMPLES / "telemarketing.yaml"
CASES = [(example, fmt) for example in (IT, CALLS, TM) for fmt in FORMATS]
SLOTH_NAME = re.compile(r"^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$")  # Sloth's conventions.NameRegexp
ALERT_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")  # a Prometheus metric or alert name


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(main, ["slo", *(str(a) for a in args)])


def export(answers: Path, fmt: str, tmp_path: Path, *more: str) -> tuple[str, list[Any]]:
    """Run the command into a file; the file's text and its YAML documents."""
    out = tmp_path / f"{answers.stem}.{fmt}.{len(more)}.yaml"
    result = run(answers, "--format", fmt, "-o", out, "--force", *more)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    return text, list(yaml.safe_load_all(text))


def variant(tmp_path: Path, example: Path, changes: dict[str, Any], name: str = "variant.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(example_with(example, changes), allow_unicode=True), encoding="utf-8")
    return path


def slos(documents: list[Any]) -> dict[str, dict[str, Any]]:
    return {
        d["metadata"]["labels"]["kpi"] + ("-internal" if d["metadata"]["name"].endswith("-internal") else ""): d
        for d in documents
        if d["kind"] == "SLO"
    }


def test_the_formats_of_the_command_are_the_exports() -> None:
    assert CLI_FORMATS == FORMATS == ("openslo", "sloth", "prometheus")


@pytest.mark.parametrize(("answers", "fmt"), CASES, ids=[f"{a.stem}-{f}" for a, f in CASES])
def test_every_format_for_every_catalog_is_written_to_a_directory_and_is_the_same_twice(
    answers: Path, fmt: str, tmp_path: Path
) -> None:
    result = run(answers, "--format", fmt, "-o", f"{tmp_path}/out/")
    assert result.exit_code == 0, result.output
    written = tmp_path / "out" / f"{answers.stem}.{SUFFIXES[fmt]}"
    assert result.output.strip() == str(written)
    first = written.read_bytes()
    assert list(yaml.safe_load_all(first))
    again = run(answers, "--format", fmt, "-o", written, "--force")
    assert again.exit_code == 0, again.output
    assert written.read_bytes() == first
    printed = run(answers, "--format", fmt)
    assert printed.output.encode("utf-8") == first


@pytest.mark.parametrize("answers", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("margin", [(), ("--margin", "0.01")], ids=["sla", "internal"])
def test_openslo_output_validates_against_the_schema(answers: Path, margin: tuple[str, ...], tmp_path: Path) -> None:
    _, documents = export(answers, "openslo", tmp_path, *margin)
    assert openslo_findings(documents) == []
    assert next(d["kind"] for d in documents) == "Service"
    for slo in slos(documents).values():
        if "thresholdMetric" in _sli(documents, slo)["spec"]:
            assert len(slo["spec"]["objectives"]) == 1  # the specification: one threshold per threshold SLI


def _sli(documents: list[Any], slo: dict[str, Any]) -> dict[str, Any]:
    return next(d for d in documents if d["kind"] == "SLI" and d["metadata"]["name"] == slo["spec"]["indicatorRef"])


def test_a_month_is_1M_never_1m_on_the_calendar_in_the_time_zone(tmp_path: Path) -> None:
    text, documents = export(IT, "openslo", tmp_path)
    assert "duration: 1M\n" in text
    assert "duration: 1m" not in text
    for slo in slos(documents).values():
        assert slo["spec"]["timeWindow"] == [
            {
                "duration": "1M",
                "isRolling": False,
                "calendar": {"startTime": "2027-03-01 00:00:00", "timeZone": "Europe/London"},
            }
        ]
    _, calls = export(CALLS, "openslo", tmp_path)
    assert {s["spec"]["timeWindow"][0]["calendar"]["timeZone"] for s in slos(calls).values()} == {"Europe/Berlin"}
    assert {s["spec"]["timeWindow"][0]["calendar"]["startTime"] for s in slos(calls).values()} == {
        "2027-03-01 00:00:00"
    }


def test_without_service_hours_the_contract_states_the_time_zone(tmp_path: Path) -> None:
    # telemarketing has no service-hours clause: the definitions clause states the zone the windows use
    _, german = export(TM, "openslo", tmp_path)
    assert {s["spec"]["timeWindow"][0]["calendar"]["timeZone"] for s in slos(german).values()} == {"Europe/Berlin"}
    english_law = {
        "agreement.governing_law": "en-gb",
        "scope.territory": ["GB"],
        "price.currency": "GBP",
        "telemarketing.market": "uk",
        "parties.customer.country": "GB",
        "parties.provider.country": "GB",
        "service.time_zone": "Europe/London",
    }
    _, english = export(variant(tmp_path, TM, english_law), "openslo", tmp_path)
    assert {s["spec"]["timeWindow"][0]["calendar"]["timeZone"] for s in slos(english).values()} == {"Europe/London"}


def test_a_partial_first_month_starts_the_window_on_the_first_and_says_so(tmp_path: Path) -> None:
    path = variant(tmp_path, IT, {"agreement.effective_date": "2027-03-15"})
    _, documents = export(path, "openslo", tmp_path)
    availability = slos(documents)["availability"]
    assert availability["spec"]["timeWindow"][0]["calendar"]["startTime"] == "2027-03-01 00:00:00"
    assert "takes effect on 2027-03-15" in availability["metadata"]["annotations"]["slagen/window"]


def test_targets_are_exact_fractions_and_the_budgeting_follows_the_kpi(tmp_path: Path) -> None:
    text, documents = export(IT, "openslo", tmp_path)
    by_kpi = slos(documents)
    availability = by_kpi["availability"]["spec"]
    assert availability["budgetingMethod"] == "Timeslices"
    assert availability["objectives"] == [
        {"displayName": "SLA", "target": 0.999, "timeSliceTarget": 1, "timeSliceWindow": "1m"}
    ]
    assert "target: 0.999\n" in text
    compliance = by_kpi["incident_compliance"]["spec"]
    assert compliance["budgetingMethod"] == "Occurrences"
    assert compliance["objectives"] == [{"displayName": "SLA", "target": 0.9}]
    assert "ratioMetric" in _sli(documents, by_kpi["incident_compliance"])["spec"]
    p1 = by_kpi["p1_response"]
    assert p1["spec"]["objectives"] == [{"displayName": "SLA", "op": "lte", "value": 3600, "target": 0.9}]
    assert p1["metadata"]["labels"]["role"] == "measure"
    assert p1["metadata"]["annotations"]["slagen/feeds"] == "incident_compliance"
    assert "thresholdMetric" in _sli(documents, p1)["spec"]
    gold = variant(tmp_path, IT, {"service.tier": "gold"}, "gold.yaml")
    gold_text, _ = export(gold, "openslo", tmp_path)
    assert "target: 0.9995\n" in gold_text


@pytest.mark.parametrize(
    ("percent", "expected"),
    [("99.9", "0.999"), ("99.95", "0.9995"), ("99.99", "0.9999"), ("80", "0.8"), ("33.3", "0.333"), ("0.1", "0.001")],
)
def test_percent_to_target_is_exact(percent: str, expected: str) -> None:
    assert str(fraction(Decimal(percent))) == expected


def test_a_rate_fed_by_one_measure_is_one_threshold_objective(tmp_path: Path) -> None:
    _, documents = export(CALLS, "openslo", tmp_path)
    by_kpi = slos(documents)
    assert set(by_kpi) == {"service_level", "abandonment_rate", "fcr"}  # answer_threshold folded, asa left out
    level = by_kpi["service_level"]
    assert level["spec"]["objectives"] == [{"displayName": "SLA", "op": "lte", "value": 20, "target": 0.8}]
    assert (
        'kpi="answer_threshold"' in _sli(documents, level)["spec"]["thresholdMetric"]["metricSource"]["spec"]["query"]
    )
    abandonment = by_kpi["abandonment_rate"]
    assert abandonment["spec"]["objectives"] == [{"displayName": "SLA", "target": 0.95}]
    assert "bad" in _sli(documents, abandonment)["spec"]["ratioMetric"]
    assert "at most 5 %" in abandonment["spec"]["description"]
    _, telemarketing = export(TM, "openslo", tmp_path)
    assert set(slos(telemarketing)) == {"closing_rate", "complaint_compliance"}
    complaints = slos(telemarketing)["complaint_compliance"]["spec"]["objectives"]
    assert complaints == [{"displayName": "SLA", "op": "lte", "value": 86400, "target": 0.9}]


def test_labels_and_annotations_name_contract_tier_catalog_customer_clause_and_credits(tmp_path: Path) -> None:
    _, documents = export(IT, "openslo", tmp_path)
    for document in documents:
        labels = document["metadata"]["labels"]
        assert {k: labels[k] for k in ("contract", "tier", "catalog", "customer")} == {
            "contract": "SLA-2027-102",
            "tier": "silver",
            "catalog": "it-service",
            "customer": "Harbour Lane Logistics Ltd",
        }
        assert len(document["metadata"]["name"]) <= 63
    by_kpi = slos(documents)
    # the formula as the contract's annex states it, with the rules the measurement definition words
    formula = by_kpi["availability"]["metadata"]["annotations"]["slagen/formula"]
    assert "truncated to two decimal places, not rounded" in formula
    assert formula.endswith("; a continuous outage of less than one minute is not Downtime")
    compliance = by_kpi["incident_compliance"]["metadata"]["annotations"]["slagen/formula"]
    assert "if fewer than ten were reported" in compliance
    notes = by_kpi["availability"]["metadata"]["annotations"]
    assert (notes["slagen/clause"], notes["slagen/clause-version"]) == ("services.availability", "3")
    assert notes["slagen/credit-bands"] == (
        "from 99.5 % below 99.9 %: 5 %; from 99 % below 99.5 %: 10 %; from 97 % below 99 %: 20 %; "
        "below 97 %: 30 %; cap 30 % of the fee for the month"
    )
    assert by_kpi["p1_restore"]["metadata"]["annotations"]["slagen/clause"] == "services.incidents"
    assert by_kpi["rto"]["metadata"]["annotations"]["slagen/clause"] == "services.backup"
    assert by_kpi["incident_compliance"]["metadata"]["annotations"]["slagen/clause"] == "services.levels"
    assert "slagen/credit-bands" not in by_kpi["incident_compliance"]["metadata"]["annotations"]
    assert notes["slagen/formula"].startswith("minutes in the measuring period less the minutes of Downtime")
    p1 = by_kpi["p1_response"]
    assert "until a member of the Provider’s staff first responds" in p1["metadata"]["annotations"]["slagen/formula"]
    assert p1["spec"]["description"].startswith(
        "Response time, priority 1, per calendar month and priority: at least 90 % of events take at most 3600 s"
    )
    assert by_kpi["availability"]["metadata"]["name"] == "sla-2027-102-availability"
    assert by_kpi["p1_response"]["metadata"]["name"] == "sla-2027-102-p1-response"


def test_a_customer_specific_agreement_exports_its_agreed_targets(tmp_path: Path) -> None:
    _, documents = export(EXAMPLES / "telemarketing-custom.yaml", "openslo", tmp_path)
    complaints = slos(documents)["complaint_compliance"]["spec"]["objectives"]
    assert complaints == [{"displayName": "SLA", "op": "lte", "value": 129600, "target": 0.9}]  # 36 h, not 24 h


def test_a_target_of_100_percent_is_left_out_with_the_measure_that_feeds_it(tmp_path: Path) -> None:
    custom = EXAMPLES / "telemarketing-custom.yaml"
    full = variant(tmp_path, custom, {"service.overrides.complaint_compliance": "100%"})
    text, documents = export(full, "openslo", tmp_path)
    assert set(slos(documents)) == {"closing_rate"}
    assert "# - complaint_compliance: a target of 100 % leaves no error budget" in text
    assert "# - complaint_resolution: feeds complaint_compliance, which is left out" in text


def test_an_internal_agreement_has_no_credit_bands(tmp_path: Path) -> None:
    _, documents = export(EXAMPLES / "it-service-internal.yaml", "openslo", tmp_path)
    assert all("slagen/credit-bands" not in s["metadata"]["annotations"] for s in slos(documents).values())


def test_what_is_left_out_is_listed_with_the_reason(tmp_path: Path) -> None:
    text, _ = export(TM, "openslo", tmp_path)
    assert "# Not exported (slagen report computes them from the measured data):" in text
    assert "# - calls_per_agent_day: a count per period, not a share of events" in text
    assert "# - recording_reviews: a count per period" in text
    calls, _ = export(CALLS, "sloth", tmp_path)
    assert "# - asa: a time per period (an average)" in calls


def test_a_campaign_kpi_says_that_its_period_is_the_campaign(tmp_path: Path) -> None:
    _, documents = export(TM, "openslo", tmp_path)
    note = slos(documents)["closing_rate"]["metadata"]["annotations"]["slagen/period"]
    assert "per campaign, counted in the calendar month in which the campaign ends" in note
    for fmt in FORMATS:
        text, _ = export(TM, fmt, tmp_path)
        assert "# - closing_rate: The contract measures this KPI per campaign, counted in the calendar month in" in text


@pytest.mark.parametrize(
    ("fmt", "english", "german"),
    [
        ("openslo", "the calendar month in Europe/Berlin", "der Kalendermonat in der Zeitzone Europe/Berlin"),
        (
            "sloth",
            "Sloth measures a rolling window of 30 days; the agreement measures each calendar month in Europe/Berlin",
            "Sloth misst über gleitende 30 Tage",
        ),
        ("prometheus", "PromQL has no calendar month", "PromQL kennt keinen Kalendermonat"),
    ],
)
def test_every_export_says_where_its_window_differs_from_the_contract_period(
    fmt: str, english: str, german: str, tmp_path: Path
) -> None:
    text, documents = export(CALLS, fmt, tmp_path)  # German first: the warning in German too
    header = "".join(line[2:] + " " for line in text.splitlines() if line.startswith("#"))
    assert english in header
    assert "slagen report" in header
    assert german in header
    flat = yaml.safe_dump(documents, allow_unicode=True, width=10_000)
    assert english in flat
    assert german in flat
    it_text, _ = export(IT, fmt, tmp_path)  # English only: no German
    assert "Kalendermonat" not in it_text


def test_sloth_spec(tmp_path: Path) -> None:
    text, (spec,) = export(IT, "sloth", tmp_path)
    assert text.startswith("# Sloth spec (prometheus/v1)")
    assert spec["version"] == "prometheus/v1"
    assert spec["service"] == "sla-2027-102"
    assert spec["labels"] == {"contract": "SLA-2027-102", "tier": "silver", "catalog": "it-service"}
    by_name = {slo["name"]: slo for slo in spec["slos"]}
    assert by_name["availability"]["objective"] == 99.9
    assert by_name["p1-response"]["objective"] == 90
    for slo in spec["slos"]:
        assert SLOTH_NAME.match(slo["name"])
        assert ALERT_NAME.match(slo["alerting"]["name"])
        assert "{{.window}}" in slo["sli"]["events"]["error_query"]
        assert "{{.window}}" in slo["sli"]["events"]["total_query"]
        assert slo["labels"]["clause"]
        assert slo["labels"]["kpi"]
        assert 0 < slo["objective"] <= 100
    assert 'le="3600"' in by_name["p1-response"]["sli"]["events"]["error_query"]


def test_prometheus_rules_burn_rates_and_labels(tmp_path: Path) -> None:
    text, (rules,) = export(IT, "prometheus", tmp_path)
    groups = {group["name"]: group["rules"] for group in rules["groups"]}
    availability = groups["slagen-sla-2027-102-availability"]
    for rule in (r for group in groups.values() for r in group):
        assert {"contract", "tier", "clause"} <= set(rule["labels"])
        assert rule["labels"]["contract"] == "SLA-2027-102"
    records = [r["record"] for r in availability if "record" in r]
    assert "slagen:sli_error:ratio_rate30d" in records
    assert "slagen:sli_error:ratio_rate5m" in records
    alerts = [(r["labels"]["severity"], r["expr"]) for r in availability if "alert" in r]
    assert [severity for severity, _ in alerts] == ["page", "page", "ticket"]
    assert "ratio_rate1h" in alerts[0][1]
    assert "ratio_rate5m" in alerts[0][1]
    assert "> 0.0144" in alerts[0][1]
    assert "ratio_rate6h" in alerts[1][1]
    assert "ratio_rate30m" in alerts[1][1]
    assert "> 0.006" in alerts[1][1]
    assert "ratio_rate3d" in alerts[2][1]
    assert "ratio_rate6h" in alerts[2][1]
    assert "> 0.001" in alerts[2][1]
    assert all(r["labels"]["clause"] == "services.availability" for r in availability)
    # a 90 % rate burnt 14.4 times over exceeds every event: no such alert, and the file says so
    compliance = groups["slagen-sla-2027-102-incident-compliance"]
    assert [r["expr"].count("> 1.44") for r in compliance if "alert" in r] == [0, 0]
    assert "# - incident_compliance: page at burn rate 14.4 (threshold 1.44, error budget 0.1)" in text


def test_a_margin_adds_an_internal_objective(tmp_path: Path) -> None:
    _, documents = export(IT, "openslo", tmp_path, "--margin", "0.05")
    by_kpi = slos(documents)
    assert by_kpi["availability"]["spec"]["objectives"][1] == {
        "displayName": "internal",
        "target": 0.9995,
        "timeSliceTarget": 1,
        "timeSliceWindow": "1m",
    }
    assert by_kpi["p1_response"]["spec"]["objectives"] == [
        {"displayName": "SLA", "op": "lte", "value": 3600, "target": 0.9}
    ]
    assert by_kpi["p1_response-internal"]["spec"]["objectives"] == [
        {"displayName": "internal", "op": "lte", "value": 3600, "target": 0.9005}
    ]
    _, (spec,) = export(IT, "sloth", tmp_path, "--margin", "0.05")
    assert {s["name"]: s["objective"] for s in spec["slos"]}["availability"] == 99.95


@pytest.mark.parametrize("margin", ["abc", "0", "-1", "100", "nan"])
def test_a_bad_margin_is_refused(margin: str, tmp_path: Path) -> None:
    result = run(IT, "--format", "openslo", "--margin", margin, "-o", tmp_path / "x.yaml")
    assert result.exit_code == 2
    assert "error: --margin:" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_a_margin_that_leaves_no_budget_is_refused(tmp_path: Path) -> None:
    result = run(IT, "--format", "sloth", "--margin", "0.1")
    assert result.exit_code == 2
    assert "error: --margin: 0.1 points above the 99.9 % that availability owes is 100 %" in result.output


def test_errors_md_quotes_the_messages_of_slo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors_md = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    shutil.copy(IT, tmp_path / "my-sla.yaml")
    for margin in ("abc", "0.1"):
        result = run("my-sla.yaml", "--format", "openslo", "--margin", margin)
        assert result.exit_code == 2
        assert result.stderr.strip() in errors_md
    multi = (EXAMPLES / "it-service-multi-level.yaml").read_text(encoding="utf-8")
    (tmp_path / "my-sla.yaml").write_text(multi.replace("  tier: silver\n", ""), encoding="utf-8")
    result = run("my-sla.yaml", "--format", "openslo")
    assert result.exit_code == 2
    assert result.stderr.strip() in errors_md


def test_a_bad_answers_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = variant(tmp_path, IT, {"service.tier": "platinum"}, "bad.yaml")
    for fmt in FORMATS:
        result = run(bad, "--format", fmt, "-o", f"{tmp_path}/out/")
        assert result.exit_code == 2
        assert re.search(r"error: .*bad\.yaml:\d+: service\.tier: unknown tier 'platinum'", result.output)
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "rules.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = run(IT, "--format", "prometheus", "-o", out)
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_a_multi_level_agreement_exports_its_chosen_tier_and_needs_one(tmp_path: Path) -> None:
    multi = EXAMPLES / "it-service-multi-level.yaml"
    _, documents = export(multi, "openslo", tmp_path)
    assert slos(documents)["availability"]["spec"]["objectives"][0]["target"] == 0.999  # silver
    unchosen = variant(tmp_path, multi, {"service.tier": ...})
    result = run(unchosen, "--format", "openslo")
    assert result.exit_code == 2
    assert "service.tier: a multi-level agreement without a chosen tier has no targets to export" in result.output


def test_a_long_reference_gives_names_of_at_most_63_characters(tmp_path: Path) -> None:
    long = variant(tmp_path, IT, {"agreement.reference": "SLA-2027-" + "Harbour-Lane-" * 3 + "Logistics-B"})
    _, documents = export(long, "openslo", tmp_path)
    names = [d["metadata"]["name"] for d in documents]
    assert all(len(name) <= 63 for name in names)
    assert len(set(names)) == len(names)
    assert openslo_findings(documents) == []
    assert rfc1123("SLA 2027/102", "P1_Response") == "sla-2027-102-p1-response"


def test_a_library_without_the_sentences_of_the_exports_is_a_library_error(tmp_path: Path) -> None:
    copy_library(tmp_path / "library")
    (tmp_path / "library" / "templates" / "de" / "slo.yaml").unlink()
    result = run(CALLS, "--format", "sloth", "--library", tmp_path / "library", "-o", tmp_path / "out.yaml")
    assert result.exit_code == 2
    assert "error: templates/de/slo.yaml: no slo.yaml: the sentences of slagen slo in 'de'" in result.output
    assert not (tmp_path / "out.yaml").exists()
    english_file = tmp_path / "library" / "templates" / "en" / "slo.yaml"
    english_file.write_text(
        english_file.read_text(encoding="utf-8").replace("Sloth measures", "{time_zone.__class__} {0} Sloth measures"),
        encoding="utf-8",
    )
    english = run(IT, "--format", "sloth", "--library", tmp_path / "library")  # English only: German not needed
    assert english.exit_code == 0, english.output
    assert "# Window: {time_zone.__class__} {0} Sloth measures" in english.output  # placeholders, no str.format


@pytest.mark.parametrize("fmt", FORMATS)
def test_answers_that_look_like_yaml_or_promql_stay_text(fmt: str, tmp_path: Path) -> None:
    tricky = {"parties.customer.name": 'O\'Brien & "Sons": # no comment {{.window}} Ltd'}
    text, documents = export(variant(tmp_path, IT, tricky), fmt, tmp_path)
    assert text.splitlines()[0].startswith("# ")
    if fmt == "openslo":
        assert documents[0]["metadata"]["labels"]["customer"] == 'O\'Brien & "Sons": # no comment {{.window}} Ltd'
        assert openslo_findings(documents) == []
    else:
        assert "Brien" not in yaml.safe_dump(documents)  # the customer is no Prometheus label


VALID_SLO: dict[str, Any] = {
    "apiVersion": "openslo/v1",
    "kind": "SLO",
    "metadata": {"name": "web-availability", "labels": {"team": ["a", "b"]}, "annotations": {"slagen/x": "y"}},
    "spec": {
        "service": "web",
        "indicatorRef": "web-sli",
        "timeWindow": [
            {
                "duration": "1M",
                "isRolling": False,
                "calendar": {"startTime": "2027-01-01 00:00:00", "timeZone": "Europe/Berlin"},
            }
        ],
        "budgetingMethod": "Timeslices",
        "objectives": [{"displayName": "SLA", "target": 0.99, "timeSliceTarget": 1, "timeSliceWindow": "1m"}],
    },
}


def _broken(path: str, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(VALID_SLO)
    *parents, leaf = path.split(".")
    node: Any = document
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is ...:
        del node[leaf]
    else:
        node[leaf] = value
    return document


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("metadata.name", "Web_Availability"),
        ("metadata.name", "x" * 64),
        ("spec.timeWindow.0.duration", "1 month"),
        ("spec.timeWindow.0.duration", "30"),
        ("spec.timeWindow.0.calendar", ...),
        ("spec.budgetingMethod", "Monthly"),
        ("spec.objectives.0.target", 1),
        ("spec.objectives.0.timeSliceWindow", ...),
        ("spec.objectives.0.op", "lte"),
        ("spec.indicator", {"metadata": {"name": "x"}, "spec": {}}),
        ("apiVersion", "openslo/v1alpha"),
    ],
)
def test_the_schema_refuses_what_the_specification_does(path: str, value: Any) -> None:
    validator = Draft202012Validator(openslo_schema())
    assert list(validator.iter_errors(VALID_SLO)) == []
    assert list(validator.iter_errors(_broken(path, value))) != []


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(openslo_schema())
