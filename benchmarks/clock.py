"""Benchmark the business-hours clock (slagen/clock.py): due times and elapsed time per ticket.

Run from the repository root:

    python benchmarks/clock.py [--tickets 10000]

Computes the due time and the elapsed time on the silver tier's clock (Monday to Friday, 07:00–19:00,
public holidays of North Rhine-Westphalia) for TICKETS tickets spread over 2027, with the holiday table
made once (as a report does) and, for comparison, made per call. Prints microseconds per ticket (CPU time,
median of 5 runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slagen.clock import ServiceCalendar, due, elapsed


def run(tickets: int, shared: bool) -> float:
    """CPU seconds for ``tickets`` due and elapsed computations."""
    calendar = ServiceCalendar("Europe/Berlin", "weekdays", "07:00", "19:00", "DE-NW")
    berlin = ZoneInfo("Europe/Berlin")
    test = calendar.holiday_test() if shared else None
    begin = time.process_time()
    for n in range(tickets):
        start = dt.datetime(2027, 1, 1, tzinfo=berlin) + dt.timedelta(minutes=(n * 52) % (365 * 24 * 60))
        end = due(start, dt.timedelta(hours=8), calendar, is_holiday=test)
        elapsed(start, end + dt.timedelta(hours=3), calendar, is_holiday=test)
    return time.process_time() - begin


def main() -> None:
    """Parse the options and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    args = parser.parse_args()
    for shared in (True, False):
        count = args.tickets if shared else max(args.tickets // 10, 1)
        seconds = statistics.median(run(count, shared) for _ in range(5))
        label = "holiday table made once" if shared else "holiday table per call"
        print(f"{label}: {seconds / count * 1e6:.0f} µs per ticket (due + elapsed), {count} tickets")


if __name__ == "__main__":
    main()
