"""Benchmark reading measured data: a year of minute-level availability samples (525,600 rows).

Run from the repository root:

    python benchmarks/measured.py [--days 365] [--services 1] [--offset] [--repeat 3]

Writes a CSV of ``timestamp, service, up`` (one sample a minute per service, a few hundred short
outages in it, timestamps without an offset unless ``--offset``: the agreement's time zone and its
daylight-saving check apply), reads it with ``read_measured`` and prints the rows, the outages
found and the best wall-clock and CPU time of REPEAT reads. Target of issue 17: well under a second or two
for a year of one service's samples.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slagen.measured.read import read_measured  # noqa: E402


def write_samples(path: Path, days: int, services: int, *, offset: bool) -> int:
    """A CSV of minute samples from 2027-01-01 00:00 UTC; down for 5 minutes every 1,440 + 7 minutes."""
    start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    # without offsets: a local time of UTC+1 all year (Etc/GMT-1, no time skipped or doubled); with them,
    # Europe/Berlin's own, across both daylight-saving changes
    zone = ZoneInfo("Europe/Berlin") if offset else dt.timezone(dt.timedelta(hours=1))
    lines = ["timestamp,service,up"]
    for minute in range(days * 1440):
        moment = (start + dt.timedelta(minutes=minute)).astimezone(zone)
        text = moment.isoformat() if offset else moment.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
        up = "0" if minute % 1447 < 5 else "1"
        lines.extend(f"{text},service-{service},{up}" for service in range(services))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def main() -> None:
    """Write the samples, read them REPEAT times, print the best time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--services", type=int, default=1)
    parser.add_argument("--offset", action="store_true", help="timestamps with their offset")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "samples.csv"
        rows = write_samples(path, options.days, options.services, offset=options.offset)
        zone = "Europe/Berlin" if options.offset else "Etc/GMT-1"
        size = path.stat().st_size / 2**20
        best = cpu = float("inf")
        outages = 0
        for _ in range(options.repeat):
            begun, begun_cpu = time.perf_counter(), time.process_time()
            measured = read_measured([path], zone)
            best = min(best, time.perf_counter() - begun)
            cpu = min(cpu, time.process_time() - begun_cpu)
            outages = len(measured.outages)
    print(f"{rows:,} rows, {outages:,} outages found: best of {options.repeat} reads {best:.2f} s ({cpu:.2f} s CPU)")
    print(
        f"({rows / best:,.0f} rows/s; {size:.1f} MiB; the CPU time tells the cost when other programs share the cores)"
    )


if __name__ == "__main__":
    main()
