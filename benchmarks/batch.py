"""Benchmark `slagen batch`: contracts per second and memory per worker over a large table.

Run from the repository root:

    python benchmarks/batch.py [--rows 1000] [--jobs 2] [--format docx --format md]

Builds a table of ROWS customers on top of examples/telemarketing.yaml (the tiers taking
turns), runs the batch through slagen's own `run_batch` (worker processes, files written
by the workers, flushed to disk at the end), and prints contracts per second (a contract is every language
of the base: de + en), the CPU time per contract of the workers and of the parent (which
tells the cost when other programs share the cores and the wall-clock rate drops), the
resident memory of each worker after its first and its last rows (the library is parsed
once per worker; slagen's caches are bounded, so memory grows while they fill, about
24 MiB over the first 2,000 rows of a worker, and then stays flat), and the peak memory
of the parent.
Target of issue 6: >= 200 contracts/s on a 2-core machine, memory flat over the batch.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slagen import batch  # noqa: E402
from slagen.answers import load_answers  # noqa: E402
from slagen.generate import Output  # noqa: E402
from slagen.library import Library, load_library  # noqa: E402
from slagen.memo import Memo  # noqa: E402
from slagen.output import flush_to_disk, write_outputs  # noqa: E402
from slagen.table import read_sheet  # noqa: E402

TIERS = ("basic", "professional", "premium")
_first_rss: dict[int, int] = {}
_middle_rss: dict[int, int] = {}
_MIDDLE = 2500
"""Memory is also noted after a worker's 2,500th row: from there on it should stay flat."""
_built: dict[int, int] = {}
_NOTES = Path()
"""Where each process notes its memory (set before the workers are forked)."""


def _rss_kib() -> int:
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process and of its finished children (the workers, once joined)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def measured_build_row(job: batch.BatchJob, library: Library, memo: Memo) -> tuple[batch.RowResult, list[Output]]:
    """build_row, noting the process's memory after its first row and every 25th (in a file named by its pid)."""
    result, outputs = batch.build_row(job, library, memo)
    built = _built[os.getpid()] = _built.get(os.getpid(), 0) + 1
    if built == 1 or built % 25 == 0:  # reading and noting the memory costs too: not for every row
        rss = _rss_kib()
        first = _first_rss.setdefault(os.getpid(), rss)
        middle = _middle_rss.setdefault(os.getpid(), rss) if built >= _MIDDLE else rss
        (_NOTES / str(os.getpid())).write_text(f"{first} {middle} {rss}", encoding="ascii")
    return result, outputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--format", dest="formats", action="append", choices=["docx", "md"])
    args = parser.parse_args()
    formats = tuple(args.formats or ("docx", "md"))

    base_path = ROOT / "examples" / "telemarketing.yaml"
    library = load_library()
    base = load_answers(base_path, library)
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "customers.csv"
        with table.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["parties.customer.name", "service.tier", "agreement.reference"])
            for index in range(args.rows):
                writer.writerow([f"Kunde {index:05d} GmbH", TIERS[index % 3], f"SLA-2027-{index:05d}"])
        rows = read_sheet(table).rows
        names = batch.output_names(rows, lambda row: str(row.values["parties.customer.name"]))
        jobs = [batch.BatchJob(row, names[row.number], str(table), base.source, None, (), formats) for row in rows]
        out = Path(folder) / "out"
        global _NOTES
        _NOTES = Path(folder) / "notes"
        _NOTES.mkdir()

        def write(result: batch.RowResult, outputs: list[Output]) -> None:  # as `slagen batch` writes a row
            write_outputs({out / o.name: o.data for o in outputs}, force=False, sync=False)

        started, cpu = time.perf_counter(), _cpu_seconds()
        results = batch.run_batch(jobs, library, Memo(), workers=args.jobs, write=write, build=measured_build_row)
        flush_to_disk([out / name for result in results for name in result.files])  # as `slagen batch` does
        built = sum(result.ok for result in results)
        elapsed = time.perf_counter() - started
        parent_cpu, workers_cpu = (now - before for now, before in zip(_cpu_seconds(), cpu, strict=True))
        files = len(list(out.iterdir()))
        workers = {
            int(note.name): tuple(int(n) for n in note.read_text(encoding="ascii").split())
            for note in _NOTES.iterdir()
            if int(note.name) != os.getpid()
        }

    rate = built / elapsed
    print(
        f"slagen batch benchmark: {args.rows} rows, {args.jobs} worker(s), formats {', '.join(formats)}, "
        f"languages {', '.join(base.values['languages'])}"
    )
    print(
        f"  built {built} contracts ({files} files) in {elapsed:.2f} s: {rate:.0f} contracts/s "
        f"({rate * len(base.values['languages']):.0f} documents/s)   target >= 200 contracts/s: "
        f"{'PASS' if rate >= 200 else 'MISS'}"
    )
    print(
        f"  CPU per contract: {workers_cpu / max(built, 1) * 1000:.1f} ms in the workers, "
        f"{parent_cpu / max(built, 1) * 1000:.1f} ms in the parent (its writer threads included)"
    )
    for pid, (first, middle, last) in sorted(workers.items()):
        print(
            f"  worker {pid}: RSS {first / 1024:.1f} MiB after its first row, {middle / 1024:.1f} MiB after row "
            f"{_MIDDLE} (if it built that many), {last / 1024:.1f} MiB at the end ({(last - middle) / 1024:+.1f} MiB "
            "since)"
        )
    print(f"  parent peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
