"""Each catalog's report from its example data (examples/data/), with values a reader can recompute by hand
from the files, and a bad cell of a measurements file reported with file, row and column (exit 2)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from slagen.cli.group import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"


def report(tmp_path: Path, example: str, period: str, *files: str, formats: str = "json") -> dict[str, Any]:
    data = [arg for name in files for arg in ("--data", str(DATA / name))]
    out = tmp_path / "out"
    args = ["report", str(ROOT / "examples" / f"{example}.yaml"), *data, "--period", period, "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--format", formats])
    assert result.exit_code == 0, result.stderr
    body = json.loads((out / f"{example}.{period}.json").read_text(encoding="utf-8"))
    return {r["kpi"]: r for r in body["results"]} | {"_credit": body["credit"], "_out": out}


def numbers(result: dict[str, Any]) -> dict[str, str]:
    return dict(result["formula"]["numbers"])


def test_telecom_latency_jitter_and_packet_delivery_from_the_probes(tmp_path: Path) -> None:
    files = ("telecom-2027-04-probes.csv", "telecom-2027-04-outages.csv", "telecom-2027-04-tickets.csv")
    results = report(tmp_path, "telecom", "2027-04", *files, formats="json,md")
    with (DATA / files[0]).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rtt = [Decimal(r["rtt_ms"]) for r in rows if r["rtt_ms"]]
    assert len(rows) == 30 * 288
    assert len(rtt) == 8631
    # 144 night samples a day at 28.4 ms and 144 day samples at 33.6 ms, 48 at 92.0 in the congestion of 14 April,
    # less the nine night samples of the outage: 270,387.6 ms over 8,631 values
    assert sum(rtt) == Decimal("270387.6")
    latency = results["latency"]
    assert numbers(latency)["total"] == "270387.6"
    assert numbers(latency)["count"] == "8631"
    assert latency["value"] == "0.031327"
    assert latency["met"] is True
    assert numbers(results["jitter"])["total"] == "17818.5"
    assert results["jitter"]["value"] == "0.002064"
    delivery = results["packet_delivery"]
    assert (numbers(delivery)["numerator"], numbers(delivery)["denominator"]) == ("862668", "864000")
    assert delivery["value"] == "99.84"
    assert delivery["met"] is True
    assert results["availability"]["value"] == "99.89"  # (43,200 − 45) ÷ 43,200
    english = (results["_out"] / "telecom.2027-04.en.md").read_text(encoding="utf-8")
    assert "| Round-trip latency | 50 milliseconds | 31.327 ms | met |" in english
    assert "270,387.6 ms ÷ 8,631 values = 31.327493… ms" in english
    german = (results["_out"] / "telecom.2027-04.de.md").read_text(encoding="utf-8")
    assert "862.668 ÷ 864.000 × 100 = 99,845833… %" in german


def test_supplier_delivery_window_otif_ppm_acknowledgement_and_lead_time(tmp_path: Path) -> None:
    files = ("supplier-2027-03-deliveries.csv", "supplier-2027-03-orders.csv")
    results = report(tmp_path, "supplier", "2027-03", *files, formats="json,md")
    # received in March: 13 lines; late: …803 (Thu 4 → Tue 9 is 3 working days, window +2); too early: …805
    # (Mon 15 − 3 working days is Wed 10, received Tue 9); the line received on Fri 5 for Wed 10 is just inside
    otd = results["on_time_delivery"]
    assert (numbers(otd)["met"], numbers(otd)["records"]) == ("11", "13")
    assert otd["value"] == "84.61"
    # due (confirmed) in March: 12 lines; besides the two above, …806 short (29,500 of 30,000), …814 rejected,
    # …811 not delivered
    otif = results["otif"]
    assert (numbers(otif)["met"], numbers(otif)["records"]) == ("7", "12")
    assert otif["met"] is False
    english = (results["_out"] / "supplier.2027-03.en.md").read_text(encoding="utf-8")
    ppm = results["defect_rate"]
    assert (numbers(ppm)["numerator"], numbers(ppm)["denominator"]) == ("5", "204000")
    assert ppm["value"] == "24.50"
    assert ppm["met"] is True
    assert "| Defect rate | 100 ppm | 24.5 ppm | met |" in english
    # 24 hours on working days: Friday 15:00 → Monday 15:00; Wednesday 09:00 → Thursday 09:00 (acknowledged 11:00)
    ack = results["po_acknowledgement"]
    assert (numbers(ack)["met"], numbers(ack)["records"]) == ("5", "6")
    assert [(e["id"], e["where"].rsplit("/", 1)[-1]) for e in otif["events"]] == [
        ("4500017803-10", "supplier-2027-03-deliveries.csv:5"),
        ("4500017805-10", "supplier-2027-03-deliveries.csv:7"),
        ("4500017806-10", "supplier-2027-03-deliveries.csv:8"),
        ("4500017814-10", "supplier-2027-03-deliveries.csv:12"),
        ("4500017811-10", "supplier-2027-03-deliveries.csv:15"),
    ]
    assert "Records not meeting the conditions" in english
    assert "| 4500017902 |" not in english  # acknowledged on Monday 14:00, due 15:00
    assert "| 4500017903 | order | 2027-03-11 11:00 | supplier-2027-03-orders.csv:4 |" in english
    # Friday 5 March → Friday 26 March: 15 weekdays, but 26 March 2027 is Good Friday, a public holiday in
    # Baden-Württemberg (service.holidays: DE-BW), so 14 Working Days as the contract defines them
    lead = results["lead_time"]
    assert (lead["value"], lead["met"], numbers(lead)["count"]) == ("14.00", True, "4")
    assert "| Lead time | 15 working days | 14 working days | met |" in english  # with its unit, as the contract


def test_finance_bpo_invoices_sample_close_and_payroll(tmp_path: Path) -> None:
    files = ("invoices", "sample", "payslips", "close")
    results = report(tmp_path, "finance-bpo", "2027-05", *(f"finance-bpo-2027-05-{name}.csv" for name in files))
    # posted in May: 9 invoices; late: INV-55098 (Fri 30 April + 2 working days, Mon 3 May a bank holiday: due
    # Wed 5, posted Thu 6) and INV-55190 (Mon 17 → due Wed 19, posted Thu 20); 14:00 and later counts next day
    invoices = results["invoice_entry_compliance"]
    assert (numbers(invoices)["met"], numbers(invoices)["records"]) == ("7", "9")
    accuracy = results["processing_accuracy"]
    assert (accuracy["value"], accuracy["met"]) == ("98.00", False)  # 98 of 100 sampled items
    assert results["close_time"]["value"] == "5.00"  # 31 May (a bank holiday) → Mon 7 June: 1, 2, 3, 4, 7 June
    assert results["payroll_accuracy"]["value"] == "99.73"  # 379 ÷ 380
    release = results["payroll_release"]  # the regular run: Mon 24 → Thu 27 May; the correction run does not count
    assert (release["value"], numbers(release)["count"], release["met"]) == ("3.00", "1", True)
    assert results["query_response_compliance"]["note"] == "reported"
    credit = results["_credit"]  # 98 % lies in the band from 97.5 to below 98.5: 5 % of £27,400
    assert (credit["percent"], credit["owed"]) == ("5", "1370.00")


def test_hr_services_payroll_cut_off_and_onboarding(tmp_path: Path) -> None:
    results = report(tmp_path, "hr-services", "2027-04", "hr-services-2027-04-payroll.csv")
    assert results["payroll_accuracy"]["value"] == "100.00"
    # pay day Wed 28 April, cut-off 5 working days before: Wed 21; C-0452 (Thu 22) need not be included
    cutoff = results["payroll_cutoff"]
    assert (cutoff["met"], numbers(cutoff)["records"], numbers(cutoff)["met"]) == (True, "4", "4")
    # first day Mon 26 April, notice Fri 23 is less than 2 working days before: H-2027-036 does not count
    onboarding = results["onboarding_lead_time"]
    assert (onboarding["met"], numbers(onboarding)["records"]) == (True, "2")


def test_facility_management_schedule_completion_ties_the_target(tmp_path: Path) -> None:
    results = report(tmp_path, "facility-management", "2027-07", "facility-management-2027-07-tasks.csv")
    planned = results["planned_completion"]  # 49 of the 50 July tasks done by 31 July; June's task does not count
    assert (numbers(planned)["met"], numbers(planned)["records"]) == ("49", "50")
    assert (planned["value"], planned["met"]) == ("98.00", True)


def test_a_bad_cell_of_a_measurements_file_exits_2_with_file_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "deliveries.csv"
    text = (DATA / "supplier-2027-03-deliveries.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace(";25000;25000;", ";25000;25.000,5x;"), encoding="utf-8")
    out = tmp_path / "o"
    args = ["report", str(ROOT / "examples" / "supplier.yaml"), "--data", str(bad), "--period", "2027-03"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 2
    assert "deliveries.csv:10: qty_received:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_missing_column_names_the_kpi_and_the_columns(tmp_path: Path) -> None:
    probes = tmp_path / "probes.csv"
    probes.write_text("record,timestamp,rtt,jitter_ms,sent,delivered\nprobe,2027-04-01 00:00,30,2,100,100\n")
    args = ["report", str(ROOT / "examples" / "telecom.yaml"), "--data", str(probes), "--period", "2027-04"]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "probes.csv:1: rtt_ms: the measurements file has no column 'rtt_ms' (KPI latency reads it)" in result.stderr


def test_an_xlsx_measurements_file_with_date_cells(tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Datensatz", "Nummer", "Zeitpunkt", "due", "done"])
    sheet.append(["task", "WO-1", dt.datetime(2027, 7, 1, 7), dt.datetime(2027, 7, 30), dt.datetime(2027, 7, 31, 18)])
    sheet.append(["task", "WO-2", dt.datetime(2027, 7, 1, 7), dt.datetime(2027, 7, 31), dt.datetime(2027, 8, 1, 9)])
    sheet.append(["task", "WO-3", dt.datetime(2027, 7, 1, 7), dt.datetime(2027, 7, 2), None])
    sheet.append(["task", "WO-4", dt.datetime(2027, 7, 1, 7), dt.datetime(2027, 6, 30), dt.datetime(2027, 7, 1, 9)])
    path = tmp_path / "tasks.xlsx"
    book.save(path)
    out = tmp_path / "out"
    args = ["report", str(ROOT / "examples" / "facility-management.yaml"), "--data", str(path), "--period", "2027-07"]
    result = CliRunner().invoke(main, [*args, "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    body = json.loads((out / "facility-management.2027-07.json").read_text(encoding="utf-8"))
    planned = next(r for r in body["results"] if r["kpi"] == "planned_completion")
    assert (planned["formula"]["numbers"]["met"], planned["formula"]["numbers"]["records"]) == ("1", "3")
    assert [e["id"] for e in planned["events"]] == ["WO-2", "WO-3"]


def test_working_days_without_public_holidays_are_refused_not_guessed(tmp_path: Path) -> None:
    """A KPI counted on Working Days needs the holidays the contract names; without them: exit 2, no report."""
    example = (ROOT / "examples" / "supplier.yaml").read_text(encoding="utf-8")
    line = "  holidays: DE-BW          # Working Days: the public holidays at the provider's seat (Stuttgart)\n"
    assert line in example
    answers = tmp_path / "supplier.yaml"
    answers.write_text(example.replace(line, ""), encoding="utf-8")
    files = ("supplier-2027-03-deliveries.csv", "supplier-2027-03-orders.csv")
    data = [arg for name in files for arg in ("--data", str(DATA / name))]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(answers), *data, "--period", "2027-03", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "service.holidays" in result.stderr
    assert "Working Days are undefined" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())
