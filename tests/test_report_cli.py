"""``slagen report``: files written, messages and exit codes, history, batches (issue 17, items 2 and 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.cli.group import main

ROOT = Path(__file__).resolve().parent.parent
IT = ROOT / "examples" / "it-service.yaml"

OUTAGES = """start,end,service,cause,note
2027-03-03 10:00,2027-03-03 11:00,RouteDesk,provider,database failover
2027-03-20 12:00,2027-03-20 12:20,Portal,customer,customer firewall
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "outages.csv"
    path.write_text(OUTAGES, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_report_writes_json_and_each_language(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    code, _, stderr = run("report", str(IT), "--data", str(data), "--period", "2027-03", "-o", str(out))
    assert code == 0, stderr
    assert "warning: the report counts as received on 2027-04-07, the day it is due" in stderr  # the operator's hint
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "it-service.2027-03.de.docx",
        "it-service.2027-03.de.md",
        "it-service.2027-03.en.docx",
        "it-service.2027-03.en.md",
        "it-service.2027-03.json",
    ]
    body = json.loads((out / "it-service.2027-03.json").read_text(encoding="utf-8"))
    availability = body["results"][0]
    assert (availability["kpi"], availability["value"], availability["met"]) == ("availability", "99.86", False)
    assert availability["formula"]["numbers"]["minutes"] == "44580"
    assert body["credit"]["owed"] == "925.00"
    assert body["credit"]["claim_by"] == "2027-05-07"
    assert body["chronic_missed"] == ["availability"]
    english = (out / "it-service.2027-03.en.md").read_text(encoding="utf-8")
    assert "(44,580 − 60) ÷ 44,580 × 100 = 99.86541… %" in english
    assert "| Claim further Service Credits by | 7 May 2027 |" in english
    assert "7 April 2027 (the day the report is due, taken because the actual day of receipt was not given)" in english
    german = (out / "it-service.2027-03.de.md").read_text(encoding="utf-8")
    assert "(44.580 − 60) ÷ 44.580 × 100 = 99,86541… %" in german
    assert "| 2027-03-20 12:00 | 2027-03-20 12:20 | 20 | vom Auftraggeber verursacht |" in german


def test_the_docx_carries_the_daily_availability_chart(tmp_path: Path, data: Path) -> None:
    import zipfile

    code, _, stderr = run("report", str(IT), "--data", str(data), "--period", "2027-03", "-o", str(tmp_path))
    assert code == 0, stderr
    with zipfile.ZipFile(tmp_path / "it-service.2027-03.en.docx") as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
        assert len(media) == 1
        assert archive.read(media[0]).startswith(b"\x89PNG")
        body = archive.read("word/document.xml").decode("utf-8")
    assert "Availability of the Systems" in body
    assert "outages.csv:2" in body
    assert str(tmp_path) not in body


def test_the_same_report_gives_the_same_bytes(tmp_path: Path, data: Path) -> None:
    for name in ("a", "b"):
        code, _, stderr = run("report", str(IT), "--data", str(data), "--period", "2027-03", "-o", str(tmp_path / name))
        assert code == 0, stderr
    for file in ("it-service.2027-03.json", "it-service.2027-03.en.md", "it-service.2027-03.en.docx"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file


def test_history_makes_the_second_miss_a_termination_right(tmp_path: Path) -> None:
    march, april = tmp_path / "march.csv", tmp_path / "april.csv"
    march.write_text(OUTAGES, encoding="utf-8")
    april.write_text("start,end,service,cause\n2027-04-06 10:00,2027-04-06 11:00,Portal,provider\n", encoding="utf-8")
    first = tmp_path / "first"
    assert (
        run("report", str(IT), "--data", str(march), "--period", "2027-03", "--format", "json", "-o", str(first))[0]
        == 0
    )
    second = tmp_path / "second"
    code, _, stderr = run(
        "report", str(IT), "--data", str(april), "--period", "2027-04", "--format", "json,md",
        "--history", str(first), "-o", str(second),
    )  # fmt: skip
    assert code == 0, stderr
    body = json.loads((second / "it-service.2027-04.json").read_text(encoding="utf-8"))
    state = body["chronic"][0]
    assert (state["missed"], state["arisen"], state["notice_by"]) == (["2027-03", "2027-04"], True, "2027-06-09")
    assert sorted(p.name for p in second.iterdir()) == [
        "it-service.2027-04.de.md",
        "it-service.2027-04.en.md",
        "it-service.2027-04.json",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2027-13"), "--period: '2027-13' is not a calendar month (write YYYY-MM, e.g. 2027-03)"),
        (("--period", "2027-02"), "--period: 2027-02 is outside the term (2027-03-01)"),
        (("--period", "2027-03", "--received", "7.4.2027"), "--received: '7.4.2027' is not a date (write YYYY-MM-DD)"),
        (("--period", "2027-03", "--fee", "lots"), "--fee: 'lots' is not an amount"),
        (("--period", "2027-03", "--format", "pdf"), "'pdf' is not one of docx, md, json"),
    ],
)
def test_bad_options_exit_2_with_one_message(tmp_path: Path, data: Path, args: tuple[str, ...], message: str) -> None:
    code, _, stderr = run("report", str(IT), "--data", str(data), *args, "-o", str(tmp_path / "out"))
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "out").exists()


def test_a_bad_data_cell_names_file_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "outages.csv"
    bad.write_text("start,end,service,cause\n2027-03-03 10:00,soon,ERP,provider\n", encoding="utf-8")
    code, _, stderr = run("report", str(IT), "--data", str(bad), "--period", "2027-03", "-o", str(tmp_path / "o"))
    assert code == 2
    assert "outages.csv:2" in stderr
    assert "end" in stderr
    assert not (tmp_path / "o").exists()


def test_a_history_file_that_is_no_report_is_refused(tmp_path: Path, data: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    code, _, stderr = run(
        "report", str(IT), "--data", str(data), "--period", "2027-03", "--history", str(other), "-o", str(tmp_path)
    )
    assert code == 2
    assert f"{other}: not a JSON report of slagen" in stderr


def test_a_batch_reports_each_agreement_from_its_own_data(tmp_path: Path) -> None:
    contracts, measured = tmp_path / "contracts", tmp_path / "measured"
    contracts.mkdir()
    text = IT.read_text(encoding="utf-8")
    for name, minutes in (("alpha", "10:30"), ("beta", "12:00")):
        (contracts / f"{name}.yaml").write_text(text.replace("SLA-2027-102", f"SLA-{name}"), encoding="utf-8")
        (measured / name).mkdir(parents=True)
        (measured / name / "outages.csv").write_text(
            f"start,end,service,cause\n2027-03-03 10:00,2027-03-03 {minutes},ERP,provider\n", encoding="utf-8"
        )
    out = tmp_path / "out"
    code, _, stderr = run(
        "report", str(contracts), "--data", str(measured), "--period", "2027-03", "--format", "json", "-o", str(out)
    )
    assert code == 0, stderr
    values = {path.name: json.loads(path.read_text(encoding="utf-8"))["results"][0]["value"] for path in out.iterdir()}
    assert values == {"alpha.2027-03.json": "99.93", "beta.2027-03.json": "99.73"}


def test_an_undefined_working_day_calendar_names_the_answers_file_and_key(tmp_path: Path) -> None:
    answers = tmp_path / "tm.yaml"
    text = (ROOT / "examples" / "telemarketing.yaml").read_text(encoding="utf-8")
    answers.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("  holidays:")))
    complaints = tmp_path / "complaints.csv"
    complaints.write_text("id,kind,priority,created,resolved\nC-1,complaint,p3,2027-03-05 16:00,2027-03-09 10:00\n")
    code, _, stderr = run("report", str(answers), "--data", str(complaints), "--period", "2027-03", "-o", str(tmp_path))
    assert code == 2
    assert f"{answers}: service.holidays: Working Days are" in stderr
    assert not list(tmp_path.glob("tm.2027-03.*"))


def test_the_call_centre_example_data(tmp_path: Path) -> None:
    answers = tmp_path / "cc.yaml"
    text = (ROOT / "examples" / "call-centre.yaml").read_text(encoding="utf-8")
    answers.write_text(text.replace("effective_date: 2027-04-01", "effective_date: 2027-03-01"), encoding="utf-8")
    data = ROOT / "examples" / "data" / "call-centre-2027-03-intervals.csv"
    code, _, stderr = run("report", str(answers), "--data", str(data), "--period", "2027-03", "--format", "json,md",
                          "-o", str(tmp_path))  # fmt: skip
    assert code == 0, stderr
    body = json.loads((tmp_path / "cc.2027-03.json").read_text(encoding="utf-8"))
    rate = body["results"][0]
    assert (rate["kpi"], rate["value"], rate["met"]) == ("service_level", "84.30", True)
    numbers = rate["formula"]["numbers"]
    # 16,808 in time ÷ (19,494 answered + 618 abandoned − 175 abandoned within 5 s)
    assert (numbers["in_time"], numbers["answered"], numbers["abandoned"], numbers["short"]) == (
        "16808", "19494", "618", "175",
    )  # fmt: skip
    assert {r for r in {e["reason"] for e in rate["excluded"]}} == {"overflow"}
    assert rate["slots"][0][0] == "08:00"
    english = (tmp_path / "cc.2027-03.en.md").read_text(encoding="utf-8")
    assert english.count("The same periods as above are not counted.") == 2


def test_long_words_in_the_docx_tables_break_at_syllables_the_markdown_has_none(tmp_path: Path, data: Path) -> None:
    import zipfile

    from slagen.writers.hyphens import SOFT_HYPHEN, hyphenate

    code, _, stderr = run("report", str(IT), "--data", str(data), "--period", "2027-03", "-o", str(tmp_path))
    assert code == 0, stderr
    with zipfile.ZipFile(tmp_path / "it-service.2027-03.de.docx") as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    word = hyphenate("Verfügbarkeit", "de")
    assert SOFT_HYPHEN in word
    assert f"{word} der Systeme" in body  # the results table's indicator, as the contract's tables have it
    assert SOFT_HYPHEN not in (tmp_path / "it-service.2027-03.de.md").read_text(encoding="utf-8")
