"""A catalog written in YAML alone, in a library of one's own, whose KPIs the generic kinds compute: no code
change makes a new catalog's report (issue 17: "a new catalog adds its own without code changes")."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from slagen.cli.group import main
from tests.helpers import copy_library

ROOT = Path(__file__).resolve().parent.parent

KPIS = """\
  order_accuracy:
    unit: percent
    direction: at_least
    measure:
      kind: share
      period: calendar_month
      records: shipment
      only: [{field: cancelled, op: eq, value: false}]
      where: [{field: complaint, op: eq, value: false}, {field: lines_shipped, op: ge, other: lines_ordered}]
    text:
      de:
        name: Fehlerfrei versandte Aufträge
        period: je Kalendermonat
        formula: Anzahl der im Kalendermonat vollständig und ohne Reklamation versandten Aufträge, geteilt durch die Anzahl der im Kalendermonat versandten Aufträge, multipliziert mit 100
        source: Lagerverwaltungssystem des {provider}s
      en:
        name: Orders shipped without error
        period: per calendar month
        formula: number of orders shipped complete and without a complaint in the calendar month, divided by the number of orders shipped in the calendar month, multiplied by 100
        source: the {provider}'s warehouse management system
  dock_to_stock:
    unit: duration
    direction: at_most
    measure: {kind: mean, period: calendar_month, records: receipt, at: arrived, from: arrived, to: stocked}
    text:
      de:
        name: Einlagerungszeit
        period: je Kalendermonat
        formula: Mittelwert der Zeit von der Ankunft der Ware an der Rampe bis zu ihrer Verfügbarkeit im Lager
        source: Lagerverwaltungssystem des {provider}s
      en:
        name: Dock to stock
        period: per calendar month
        formula: mean time from the arrival of goods at the dock until they are available in stock
        source: the {provider}'s warehouse management system
"""

DATA = """\
record,id,timestamp,cancelled,complaint,lines_ordered,lines_shipped,arrived,stocked
shipment,S-1,2027-04-05 10:00,no,no,4,4,,
shipment,S-2,2027-04-06 11:00,no,no,3,2,,
shipment,S-3,2027-04-07 12:00,no,yes,1,1,,
shipment,S-4,2027-04-08 13:00,yes,no,5,0,,
shipment,S-5,2027-04-09 14:00,no,no,2,2,,
receipt,R-1,2027-04-30 20:00,,,,,2027-04-30 08:00,2027-04-30 20:00
receipt,R-2,2027-04-12 09:00,,,,,2027-04-12 09:00,2027-04-13 15:00
receipt,R-3,2027-05-01 09:00,,,,,2027-03-31 22:00,2027-04-01 06:00
"""


def test_a_catalog_in_yaml_alone_is_computed_by_the_generic_kinds(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    runner = CliRunner()
    assert runner.invoke(main, ["library", "init", str(library)]).exit_code == 0
    made = runner.invoke(main, ["catalog", "new", "warehouse", "--kind", "work_items", "--library", str(library)])
    assert made.exit_code == 0, made.output
    catalog = library / "tiers" / "warehouse.yaml"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace("\ntiers:\n", "\n" + KPIS + "tiers:\n", 1)
    for old, new in (("turnaround: 5d}", "90%, 48h"), ("turnaround: 3d}", "95%, 24h"), ("turnaround: 1d}", "98%, 12h")):
        accuracy, dock = new.split(", ")
        text = text.replace(old, f"{old[:-1]}, order_accuracy: {accuracy}, dock_to_stock: {dock}}}")
    catalog.write_text(text, encoding="utf-8")
    lint = runner.invoke(main, ["lint", "--library", str(library)])
    assert lint.exit_code == 0, lint.output

    answers = tmp_path / "warehouse.yaml"
    example = (ROOT / "examples" / "hr-services.yaml").read_text(encoding="utf-8")
    answers.write_text(example.replace("catalog: hr-services", "catalog: warehouse"), encoding="utf-8")
    data = tmp_path / "warehouse.csv"
    data.write_text(DATA, encoding="utf-8")
    args = ["report", str(answers), "--library", str(library), "--data", str(data), "--period", "2027-04"]
    result = runner.invoke(main, [*args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    body = json.loads((tmp_path / "out" / "warehouse.2027-04.json").read_text(encoding="utf-8"))
    results = {r["kpi"]: r for r in body["results"]}
    accuracy = results["order_accuracy"]  # S-4 cancelled; of S-1, S-2, S-3, S-5: S-2 short, S-3 complained about
    assert (accuracy["formula"]["numbers"]["met"], accuracy["formula"]["numbers"]["records"]) == ("2", "4")
    assert (accuracy["value"], accuracy["met"]) == ("50.00", False)
    dock = results["dock_to_stock"]  # R-1 12 h and R-2 30 h arrived in April (R-3 on 31 March): mean 21 h
    assert (dock["value"], dock["met"]) == ("75600.000000", True)  # seconds, against Standard's 24 h
    english = (tmp_path / "out" / "warehouse.2027-04.en.md").read_text(encoding="utf-8")
    assert "| Dock to stock | 24 hours | 21 hours | met |" in english
    assert "151,200 seconds ÷ 2 values = 75,600 seconds" in english


def test_a_condition_naming_no_kpi_or_term_stops_the_catalog_with_file_line_and_key(tmp_path: Path) -> None:

    copy_library(tmp_path / "lib")
    supplier = tmp_path / "lib" / "tiers" / "supplier.yaml"
    text = supplier.read_text(encoding="utf-8")
    text = text.replace("plus: {target: po_acknowledgement_time}", "plus: {target: po_ack_time}")
    text = text.replace("minus: {term: window_early}", "minus: {term: early_window}", 1)
    supplier.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--library", str(tmp_path / "lib")])
    assert result.exit_code == 1
    lines = {line.split(": library: ")[0]: line for line in result.output.splitlines() if ": library: " in line}
    assert "condition 1: target 'po_ack_time' is no KPI of this catalog" in lines["tiers/supplier.yaml:80"]
    assert "kpis.po_acknowledgement.measure.where" in lines["tiers/supplier.yaml:80"]
    assert "condition 1: term 'early_window' is no tier term of this catalog" in lines["tiers/supplier.yaml:35"]


def test_catalog_new_of_deliveries_is_computed_at_once(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    runner = CliRunner()
    assert runner.invoke(main, ["library", "init", str(library)]).exit_code == 0
    made = runner.invoke(main, ["catalog", "new", "parts", "--kind", "deliveries", "--library", str(library)])
    assert made.exit_code == 0, made.output
    answers = tmp_path / "parts.yaml"
    example = (ROOT / "examples" / "supplier.yaml").read_text(encoding="utf-8")
    answers.write_text(
        example.replace("catalog: supplier", "catalog: parts").replace("tier: preferred ", "tier: standard ")
    )
    data = ROOT / "examples" / "data" / "supplier-2027-03-deliveries.csv"
    args = ["report", str(answers), "--library", str(library), "--data", str(data), "--period", "2027-03"]
    result = runner.invoke(main, [*args, "-o", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    body = json.loads((tmp_path / "out" / "parts.2027-03.json").read_text(encoding="utf-8"))
    results = {r["kpi"]: r for r in body["results"]}
    # received in March no later than the confirmed date: 8 of the 13 lines (…998, …802, …803, …808, …810 late)
    on_time = results["on_time_delivery"]["formula"]["numbers"]
    assert (on_time["met"], on_time["records"]) == ("8", "13")
    defects = results["defect_rate"]["formula"]["numbers"]
    assert (defects["numerator"], defects["denominator"]) == ("5", "204000")
