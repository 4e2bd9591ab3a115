"""Benchmark the service-level report (issue 17, item 7).

Run from the repository root:

    PYTHONPATH=$PWD python benchmarks/report.py [--contracts 1000] [--skip-batch]

Measures, each as the best of three runs:

- (a) the availability of one contract from a year of minute samples: 525,600 outages of one minute
  each (every minute of 2027 down, the worst case for merging), computed for each of the twelve months
  of the year, and for one month; the records are built first and not timed (reading them is
  ``slagen.measured``'s part);
- (b) the computation of one month's whole report for the IT-service example (availability, tickets,
  credits, dates, chronic failure) from a month of minute outages;
- (d) a generic kind: the mean round-trip latency of the telecom catalog (``kind: mean`` of the field
  ``rtt_ms``) from a month of per-minute probes (43,200 measurement records, April), computed alone and as
  the whole telecom report; and, apart, reading them from a CSV file (``slagen.measured``);
- (c) a batch: ``slagen report DIR --data DIR --period 2027-03 --format json`` for ``--contracts``
  agreements (copies of the example with their own outage log), wall time of the command and per contract.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from slagen.generate import check_answers
from slagen.library import load_library
from slagen.measured.records import Measured, Outage, Where
from slagen.report.availability import availability
from slagen.report.compute import compute_report
from slagen.report.period import month_period
from slagen.resolve import resolve_service

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Europe/London")


def best(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def minute_outages(start: dt.datetime, minutes: int) -> tuple[Outage, ...]:
    where = Where("samples.csv", 2)
    step = dt.timedelta(minutes=1)
    return tuple(Outage(start + i * step, start + (i + 1) * step, "ERP", "provider", where) for i in range(minutes))


def generic_kind(library: object) -> None:
    """(d): a month of per-minute latency probes through ``kind: mean``."""
    from slagen.measured.read import read_measured
    from slagen.measured.records import Measurement
    from slagen.report.generic import measured_result

    berlin = ZoneInfo("Europe/Berlin")
    start = dt.datetime(2027, 4, 1, tzinfo=berlin)
    probes = tuple(
        Measurement("probe", start + dt.timedelta(minutes=i), {"rtt_ms": f"{28 + i % 97 / 10}", "jitter_ms": "1.5",
                    "sent": "100", "delivered": "100"}, Where("probes.csv", i + 2))
        for i in range(30 * 1440)
    )  # fmt: skip
    answers = check_answers(ROOT / "examples" / "telecom.yaml", library)  # type: ignore[arg-type]
    service = resolve_service(answers, library)  # type: ignore[arg-type]
    values = {**answers.values, "service.time_zone": "Europe/Berlin"}
    kpi = service.catalog.kpis["latency"]
    april = month_period("2027-04", berlin, dt.date(2027, 4, 1), None)
    targets = {level.kpi.id: level.target for level in service.levels}
    assert service.tier is not None
    terms = service.tier.terms

    def mean() -> None:
        measured_result(kpi, targets, terms, april, values, probes, {})

    print(f"(d) mean latency, 43,200 per-minute probes: {best(3, mean):.3f} s")
    month = Measured(measurements=probes)

    def whole() -> None:
        compute_report(values, (), service, month, "2027-04", agreement="SLA")

    print(f"(d) the telecom report from them (latency, jitter, packet delivery): {best(3, whole):.3f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "probes.csv"
        lines = ["record,timestamp,rtt_ms,jitter_ms,sent,delivered"]
        lines += [f"probe,{p.timestamp:%Y-%m-%d %H:%M},{p.fields['rtt_ms']},1.5,100,100" for p in probes]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        took = best(3, lambda: read_measured([path], "Europe/Berlin"))
        print(f"(d) reading them from CSV: {took:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    library = load_library()
    measure = library.catalogs["it-service"].kpis["availability"].measure
    assert measure is not None
    year = minute_outages(dt.datetime(2027, 1, 1, tzinfo=ZONE), 525_600)
    months = [month_period(f"2027-{m:02d}", ZONE, dt.date(2027, 1, 1), None) for m in range(1, 13)]

    def all_months() -> None:
        for period in months:
            availability(year, period, measure, Decimal("99.9"), {})

    print(f"(a) 525,600 minute outages, twelve months: {best(3, all_months):.3f} s")
    one = best(3, lambda: availability(year, months[2], measure, Decimal("99.9"), {}))
    print(f"(a) 525,600 minute outages, one month:     {one:.3f} s")

    answers = check_answers(ROOT / "examples" / "it-service.yaml", library)
    service = resolve_service(answers, library)
    clauses = tuple(c.id for c in answers.clauses)
    march = Measured(outages=minute_outages(dt.datetime(2027, 3, 1, tzinfo=ZONE), 31 * 1440 - 60))

    def whole() -> None:
        compute_report(answers.values, clauses, service, march, "2027-03", agreement="SLA")

    print(f"(b) one month's report, 44,580 minute outages: {best(3, whole):.3f} s")
    generic_kind(library)
    if args.skip_batch:
        return
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        contracts, data, out = base / "contracts", base / "data", base / "out"
        contracts.mkdir()
        text = (ROOT / "examples" / "it-service.yaml").read_text(encoding="utf-8")
        for i in range(args.contracts):
            name = f"c{i:04d}"
            (contracts / f"{name}.yaml").write_text(text.replace("SLA-2027-102", f"SLA-{name}"), encoding="utf-8")
            (data / name).mkdir(parents=True)
            minute = i % 50
            (data / name / "outages.csv").write_text(
                f"start,end,service,cause\n2027-03-03 10:00,2027-03-03 11:{minute:02d},ERP,provider\n", encoding="utf-8"
            )
        command = [sys.executable, "-m", "slagen", "report", str(contracts), "--data", str(data), "--period",
                   "2027-03", "--format", "json", "-o", str(out)]  # fmt: skip
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=base)
        took = time.perf_counter() - start
        written = len(list(out.iterdir()))
        print(f"(c) batch of {args.contracts} contracts: {took:.1f} s, {took / args.contracts * 1000:.0f} ms each, "
              f"{written} reports")  # fmt: skip
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
