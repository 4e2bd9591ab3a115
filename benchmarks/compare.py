"""Compare this checkout's speed with an earlier commit's, in one run, on the same machine.

Run from the repository root::

    python benchmarks/compare.py [--against REV ...] [--rows 1000] [--rounds 3] [--runs 40]

The machine is shared and its speed drifts by up to a factor of two within minutes, so absolute
figures mean little: the two versions are measured in turns (old, new, old, new, …) and the
ratio of their medians is what counts. Each ``REV`` (``--against`` may be given several times; default:
the last commit before the pure-stages redesign, issue 13) is checked out into a temporary ``git
worktree``, removed at the end; the versions take turns within every round.

Measured for each version, through interfaces both versions have:

1. warm DOCX + Markdown per document: in one process, the demo contract built again and again
   (both languages, both formats), the time per language;
2. ``slagen batch`` of ``--rows`` German + English contracts (customers, tiers and references
   changing from row to row) with ``--jobs 2`` and with ``--jobs 1``: contracts per second, wall
   clock, files written.

The load average is printed with every round, and the lines of code of ``slagen/`` of each; at the end
the median and the best of every measure over the rounds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE_ISSUE_13 = "0a80443"
TIERS = ("basic", "professional", "premium")

WARM = r"""
import json, statistics, sys, time
from pathlib import Path
from slagen import generate as g
from slagen.library import load_library
runs = int(sys.argv[1])
library = load_library()
path = Path("examples/telemarketing.yaml")
try:
    from slagen.memo import Memo
except ImportError:  # before issue 13: no memo, caches inside the stages
    answers, extra = g.check_answers(path), {}
else:
    memo = Memo()
    answers, extra = g.check_answers(path, library, memo), {"memo": memo}
languages = len(answers.values["languages"])
for _ in range(5):
    g.generate(answers, library, **extra)
times = []
for _ in range(runs):
    started = time.perf_counter()
    g.generate(answers, library, **extra)
    times.append((time.perf_counter() - started) / languages)
print(json.dumps({"median_ms": statistics.median(times) * 1000, "min_ms": min(times) * 1000}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", action="append", help=f"a commit to compare with (default {BEFORE_ISSUE_13})")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=40, help="warm builds per round")
    args = parser.parse_args()
    revisions = args.against or [BEFORE_ISSUE_13]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        trees: dict[str, Path] = {}
        try:
            for rev in revisions:
                trees[rev] = work / f"at-{rev}"
                subprocess.run(["git", "worktree", "add", "--detach", str(trees[rev]), rev], cwd=ROOT, check=True)
            trees["new"] = ROOT
            return _compare(trees, work, args)
        finally:
            for rev in revisions:
                if rev in trees:
                    subprocess.run(["git", "worktree", "remove", "--force", str(trees[rev])], cwd=ROOT, check=False)


def _compare(trees: dict[str, Path], work: Path, args: argparse.Namespace) -> int:
    table = work / "customers.csv"
    with table.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["parties.customer.name", "service.tier", "agreement.reference"])
        for index in range(args.rows):
            writer.writerow([f"Kunde {index:05d} GmbH", TIERS[index % 3], f"SLA-2027-{index:05d}"])
    for name, tree in trees.items():
        print(f"{name}: {_lines(tree)} lines in slagen/" + (" (the checkout)" if tree == ROOT else ""))
    results: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
    loads = []
    for round_ in range(1, args.rounds + 1):
        loads.append(os.getloadavg()[0])
        print(f"round {round_}, load average {loads[-1]:.2f}", flush=True)
        for name, tree in trees.items():
            warm = json.loads(_run([sys.executable, "-c", WARM, str(args.runs)], tree).stdout)
            results[name].setdefault("warm DOCX + MD, ms per document", []).append(warm["median_ms"])
            for jobs in (2, 1):
                rate = _batch(tree, table, work / f"out-{jobs}", jobs, args.rows)
                results[name].setdefault(f"batch --jobs {jobs}, contracts/s", []).append(rate)
            print(f"  {name}: " + ", ".join(f"{k} {v[-1]:.1f}" for k, v in results[name].items()), flush=True)
    print(f"\nload average at the rounds' starts: {min(loads):.2f}-{max(loads):.2f}")
    print("median (best) over the rounds; ratio of the medians new/old (ms: lower is better, contracts/s higher)")
    for measure in results["new"]:
        best = min if measure.startswith("warm") else max
        cells = [
            f"{name} {statistics.median(found[measure]):.1f} ({best(found[measure]):.1f})"
            for name, found in results.items()
        ]
        print(f"  {measure}: " + ", ".join(cells))
        after = statistics.median(results["new"][measure])
        for name in trees:
            if name != "new":
                print(f"    new/{name}: {after / statistics.median(results[name][measure]):.2f}")
    return 0


def _batch(tree: Path, table: Path, out: Path, jobs: int, rows: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "slagen", "batch", str(table), "--base", "examples/telemarketing.yaml"]
    command += ["-o", str(out), "--jobs", str(jobs), "--quiet"]
    started = time.perf_counter()
    _run(command, tree)
    elapsed = time.perf_counter() - started
    written = len(list(out.iterdir()))
    if written != rows * 4:
        raise SystemExit(f"{tree}: {written} files written, expected {rows * 4}")
    return rows / elapsed


def _run(command: list[str], tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("SLAGEN_NO_REUSE", None)
    return subprocess.run(command, cwd=tree, env=env, check=True, capture_output=True, text=True)


def _lines(tree: Path) -> int:
    return sum(len(path.read_text(encoding="utf-8").splitlines()) for path in (tree / "slagen").rglob("*.py"))


if __name__ == "__main__":
    raise SystemExit(main())
