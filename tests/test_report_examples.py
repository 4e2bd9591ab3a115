"""Every example with measured data is reported on as it stands, and no contract is measured on a guessed clock.

The data files in ``examples/data/`` are named ``<example>-<YYYY-MM>-<what>.csv|xlsx``: each group is one
``slagen report`` of that example and month, run on the example file unchanged (issue 17, "every example can
be reported on"). The figures asserted here can be checked by hand from the data files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from msgspec.structs import replace

from slagen.answers import load_answers
from slagen.cli.group import main
from slagen.errors import InputError
from slagen.library import Library
from slagen.timezone import time_zone_for
from tests.helpers import copy_library

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = EXAMPLES / "data"
NAME = re.compile(r"^(?P<example>.+)-(?P<period>\d{4}-\d{2})-[a-z-]+\.(csv|xlsx)$")


def data_groups() -> dict[tuple[str, str], list[Path]]:
    """(example, period) → its data files, from the names in examples/data/."""
    groups: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(DATA.iterdir()):
        match = NAME.match(path.name)
        if match:
            groups.setdefault((match["example"], match["period"]), []).append(path)
    return groups


GROUPS = data_groups()

# (value, met) per KPI as the report computes them; the comments give the arithmetic
FIGURES: dict[str, dict[str, tuple[str | None, bool | None]]] = {
    # downtime 29 + 26 + 18 + 20 = 93 min of 44,580 (London, clocks forward on 28 March):
    # (44,580 − 93) ÷ 44,580 = 99.7913… %, truncated 99.79 %; the 210 min of maintenance lie in the window
    "it-service": {"availability": ("99.79", False)},
    # 16,808 answered in time ÷ (19,494 answered + 618 abandoned − 175 abandoned within 5 s) = 84.30 %
    "call-centre": {"service_level": ("84.30", True), "asa": ("14.91", True), "abandonment_rate": ("3.07", True)},
    # 85 appointments ÷ 1,519 decision-maker contacts = 5.5957… % (campaign still running: not decided);
    # 5 complaints, 1 late: fewer than ten, one miss allowed
    "telemarketing": {
        "closing_rate": ("5.59", None),
        "recording_reviews": ("8.00", True),
        "complaint_compliance": ("80.00", True),
    },
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_examples_that_promise_measurable_service_levels_have_data() -> None:
    assert {example for example, _ in GROUPS} >= set(FIGURES)
    assert all((EXAMPLES / f"{example}.yaml").is_file() for example, _ in GROUPS)


@pytest.mark.parametrize(("example", "period"), sorted(GROUPS), ids=lambda v: str(v))
def test_every_example_with_data_is_reported_on_as_it_stands(example: str, period: str, tmp_path: Path) -> None:
    data = [arg for path in GROUPS[example, period] for arg in ("--data", str(path))]
    answers = EXAMPLES / f"{example}.yaml"
    code, _, stderr = run("report", str(answers), *data, "--period", period, "--format", "json,md", "-o", str(tmp_path))
    assert code == 0, stderr
    body = json.loads((tmp_path / f"{example}.{period}.json").read_text(encoding="utf-8"))
    assert body["period"] == period
    computed = [r for r in body["results"] if r["value"] is not None or r["parts"]]
    assert computed, "no indicator was computed from the data"
    for language in ("de", "en"):
        assert (tmp_path / f"{example}.{period}.{language}.md").is_file()
    expected = FIGURES.get(example, {})
    got = {r["kpi"]: (r["value"], r["met"]) for r in body["results"] if r["kpi"] in expected}
    assert got == expected


def test_the_it_service_example_owes_a_credit_and_says_by_when_to_claim(tmp_path: Path) -> None:
    data = [arg for path in GROUPS["it-service", "2027-03"] for arg in ("--data", str(path))]
    code, _, stderr = run("report", str(EXAMPLES / "it-service.yaml"), *data, "--period", "2027-03",
                          "--format", "json", "-o", str(tmp_path))  # fmt: skip
    assert code == 0, stderr
    credit = json.loads((tmp_path / "it-service.2027-03.json").read_text(encoding="utf-8"))["credit"]
    # 99.79 lies in 99.5 ≤ x < 99.9: 5 % of £18,500; due 5 Working Days after 31 March (Easter), +30 days
    assert (credit["percent"], credit["amount"], credit["currency"]) == ("5", "925.00", "GBP")
    assert (credit["received"], credit["claim_by"]) == ("2027-04-07", "2027-05-07")


def test_the_telemarketing_weeks_are_decided_one_by_one(tmp_path: Path) -> None:
    data = [arg for path in GROUPS["telemarketing", "2027-03"] for arg in ("--data", str(path))]
    code, _, stderr = run("report", str(EXAMPLES / "telemarketing.yaml"), *data, "--period", "2027-03",
                          "--format", "json", "-o", str(tmp_path))  # fmt: skip
    assert code == 0, stderr
    body = json.loads((tmp_path / "telemarketing.2027-03.json").read_text(encoding="utf-8"))
    calls = next(r for r in body["results"] if r["kpi"] == "calls_per_agent_day")
    # the four weeks that end in March, each calls answered in person ÷ days worked
    assert [(p["group"], p["value"]) for p in calls["parts"]] == [
        ("2027-03-01/2027-03-07", "39.84"),
        ("2027-03-08/2027-03-14", "40.92"),
        ("2027-03-15/2027-03-21", "41.37"),
        ("2027-03-22/2027-03-28", "40.87"),
    ]
    assert calls["met"] is False


def test_the_contract_states_the_time_zone_it_is_measured_in(library: Library) -> None:
    # telemarketing has no service hours: the definitions clause states the zone all the same
    answers = load_answers(EXAMPLES / "telemarketing.yaml", library)
    assert time_zone_for(answers) == "Europe/Berlin"
    definitions = next(c for c in answers.clauses if c.id == "scope.definitions")
    assert "service.time_zone" in {p.key for p in definitions.params}


def test_an_unstated_time_zone_is_refused_never_guessed(library: Library) -> None:
    answers = load_answers(EXAMPLES / "telemarketing.yaml", library)
    unstated = replace(answers, values={k: v for k, v in answers.values.items() if k != "service.time_zone"})
    with pytest.raises(InputError) as caught:
        time_zone_for(unstated)
    (problem,) = caught.value.problems
    assert problem.key == "service.time_zone"
    assert problem.file == str(EXAMPLES / "telemarketing.yaml")
    assert "guessed clock" in problem.message
    with pytest.raises(InputError, match="no time zone"):
        time_zone_for({"agreement.governing_law": "de"})


def test_a_library_whose_contract_states_no_time_zone_gets_no_report(tmp_path: Path) -> None:
    library = tmp_path / "library"
    copy_library(library)
    clause = library / "clauses" / "scope" / "definitions.yaml"
    text = clause.read_text(encoding="utf-8")
    start = text.index("  service.time_zone:\n")
    clause.write_text(text[:start] + text[text.index("  service.holidays:\n") :], encoding="utf-8")
    for language in ("de", "en"):
        template = library / "templates" / language / "scope" / "definitions.md.j2"
        kept = [line for line in template.read_text(encoding="utf-8").split("\n") if "service.time_zone" not in line]
        template.write_text("\n".join(kept), encoding="utf-8")
    answers = tmp_path / "tm.yaml"
    answers.write_text(
        (EXAMPLES / "telemarketing.yaml").read_text(encoding="utf-8").replace("  time_zone: Europe/Berlin", "  # -"),
        encoding="utf-8",
    )
    data = [arg for path in GROUPS["telemarketing", "2027-03"] for arg in ("--data", str(path))]
    out = tmp_path / "out"
    code, _, stderr = run("report", str(answers), *data, "--period", "2027-03", "--library", str(library),
                          "-o", str(out))  # fmt: skip
    assert code == 2
    assert f"{answers}" in stderr
    assert "service.time_zone: the agreement states no time zone" in stderr
    assert "Traceback" not in stderr
    assert not out.exists() or not list(out.iterdir())
    code, _, stderr = run("slo", str(answers), "--format", "openslo", "--library", str(library))
    assert code == 2
    assert "service.time_zone: the agreement states no time zone" in stderr
