"""Benchmark slagen's start-up: what a cold `slagen build` costs beyond importing the libraries it needs.

Run from the repository root:

    python benchmarks/startup.py [--runs 7] [--against REV ...] [--where]

Every figure is the wall time of a fresh interpreter (median and minimum of ``--runs`` runs,
after one warm-up run each, so that the disk cache and Jinja's bytecode cache are warm), and beside it
the median CPU time (user + system, from ``wait4``), which other jobs on a shared machine move less:

- ``python -c pass``: the interpreter alone (with this machine's ``site``), for reference;
- (a) the libraries a build needs, imported as slagen uses them: click, PyYAML, Jinja2 (with its
  sandbox), python-docx (and lxml), markdown-it-py, Babel with the locale data of every
  language of the library (``templates/*/labels.yaml``) loaded by formatting a number, an amount,
  a date, a duration and a list, as a contract does, and pyphen (imported: slagen reads its hyphenation
  dictionaries itself, each pattern when a word needs it, so that is slagen's work, counted in (c));
- (b) ``slagen --help``;
- (c) ``slagen build examples/telemarketing.yaml -o TMP --force`` (both languages, DOCX and
  Markdown), with Jinja's bytecode cache off (``SLAGEN_NO_CACHE=1``) and on;
- (d) the start of that build without its work: (a) and every module of slagen a cold build has imported
  when it is done (found by running one), imported and nothing more.

It prints the ratios to (a) of the medians and of the minima, and the median of the paired ratios (each
run's time over the time of (a) in the same round, seconds apart: the machine's speed drifts by a third
within minutes, and pairing takes most of the drift out); the target of issue 13 is a build within
1.25 x (a), PASS when the ratio of the medians and the paired ratio are both within it.
With ``--against REV`` the same commands also run for REV, checked out with ``git worktree`` in a
temporary directory (removed at the end), the runs of both taking turns so that old and new are
measured in the same minutes. ``--where`` adds where a cold build's time goes in this checkout:
import time by package (``python -X importtime``) and the functions of slagen that take the most
time (``cProfile``).

slagen runs as ``python -m slagen`` with ``PYTHONPATH`` set to the checkout under test, from an
empty working directory, so an installed slagen is never the one measured (the header says which was);
compiled modules are kept for the runs (in a temporary ``PYTHONPYCACHEPREFIX``), as an installed slagen
keeps them, even where ``PYTHONDONTWRITEBYTECODE`` is set.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = Path("examples") / "telemarketing.yaml"
TARGET = 1.25

LIBRARIES = """
import datetime, decimal
import click, yaml, jinja2, jinja2.sandbox, docx, markdown_it
from babel import Locale, dates, lists, numbers, units
for name in {locales!r}:
    locale = Locale.parse(name)
    numbers.format_decimal(decimal.Decimal("1234.5"), locale=locale, decimal_quantization=False)
    numbers.format_percent(decimal.Decimal("0.999"), locale=locale, decimal_quantization=False)
    numbers.format_currency(decimal.Decimal("1234.5"), "EUR", locale=locale)
    dates.format_date(datetime.date(2027, 1, 1), "long", locale=locale)
    units.format_unit(4, "duration-hour", length="long", locale=locale)
    lists.format_list(["a", "b", "c"], locale=locale)
"""
HYPHENATION = """
import pyphen
"""
"""pyphen imported only: a build reads its dictionaries itself, a pattern when a word needs it
(``slagen/writers/hyphendict.py``), so that work is slagen's, not the library's."""


@dataclass
class Tree:
    """A checkout of slagen to measure: this one, or REV in a temporary worktree."""

    label: str
    path: Path


@dataclass
class Measure:
    """One command, run in a fresh interpreter again and again; its wall times in seconds."""

    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self) -> None:
        """Run the command once and note its wall time and its CPU time, user and system (it must succeed)."""
        with tempfile.TemporaryFile() as errors:
            start = time.perf_counter()
            process = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=errors
            )
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace")
                raise SystemExit(f"{self.name}: exit code {process.returncode}\n{message}")
        self.times.append(elapsed)
        self.cpu.append(usage.ru_utime + usage.ru_stime)

    @property
    def median(self) -> float:
        """The median wall time (what the ratios and PASS or MISS use; the minima are given beside them)."""
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        """The median CPU time (user + system): less moved than the wall time by other jobs on the machine."""
        return statistics.median(self.cpu)

    def cell(self) -> str:
        """``median / min`` in seconds, and the median CPU time."""
        return f"{self.median:.3f} / {min(self.times):.3f} ({self.cpu_median:.3f})"


def main() -> None:
    """Measure, print the table and the ratios, and with ``--where`` where the build's time goes."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (default 7)")
    parser.add_argument(
        "--against", metavar="REV", action="append", help="also measure this git revision (may be repeated)"
    )
    parser.add_argument("--where", action="store_true", help="show where a cold build of this checkout spends time")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="slagen-startup-")))
        trees = [Tree("this checkout", ROOT)]
        for rev in args.against or ():
            trees.append(stack.enter_context(_worktree(rev, work)))
        _report(trees, work, args.runs)
        if args.where:
            _where(trees[0], work)


@contextlib.contextmanager
def _worktree(rev: str, work: Path) -> Iterator[Tree]:
    """REV checked out beside the measurements; removed again however the run ends."""
    commit = _git("rev-parse", "--short", f"{rev}^{{commit}}").strip()
    path = work / f"at-{commit}"
    _git("worktree", "add", "--detach", "--quiet", str(path), commit)
    try:
        yield Tree(rev if commit.startswith(rev) else f"{rev} ({commit})", path)
    finally:
        _git("worktree", "remove", "--force", str(path))


def _git(*arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def _env(tree: Tree | None, work: Path, **extra: str) -> dict[str, str]:
    """This environment with ``tree`` first on the path (an installed slagen comes after it).

    Compiled modules are kept, as an installed slagen keeps them, but in a directory of the run
    (``PYTHONPYCACHEPREFIX`` in ``work``), so the checkouts stay clean and ``PYTHONDONTWRITEBYTECODE`` (set
    on some machines) does not make every run compile slagen from source.
    """
    unset = ("SLAGEN_NO_CACHE", "SLAGEN_NO_REUSE", "PYTHONDONTWRITEBYTECODE")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["SLAGEN_LAYOUT"] = "0"  # slagen's own start-up, not LibreOffice's layout pass (older revisions ignore it)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree.path), os.environ.get("PYTHONPATH")]))
    return {**env, **extra}


def _locales(tree: Tree) -> list[str]:
    """The Babel locales of the library's languages, as ``templates/<lang>/labels.yaml`` names them."""
    found = []
    for labels in sorted((tree.path / "templates").glob("*/labels.yaml")):
        match = re.search(r"^locale:\s*['\"]?([A-Za-z_]+)", labels.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            found.append(match.group(1))
    return found


def _report(trees: list[Tree], work: Path, runs: int) -> None:
    python = sys.executable
    locales = _locales(trees[0])
    shared = [
        Measure("python -c pass", [python, "-c", "pass"], _env(None, work), work),
        Measure(
            "(a) libraries of a build",
            [python, "-c", (LIBRARIES + HYPHENATION).format(locales=locales)],
            _env(None, work),
            work,
        ),
    ]
    per_tree: list[list[Measure]] = []
    for number, tree in enumerate(trees):
        out = work / f"out-{number}"
        build = [python, "-m", "slagen", "build", str(tree.path / ANSWERS), "-o", str(out), "--force"]
        per_tree.append(
            [
                Measure("(b) slagen --help", [python, "-m", "slagen", "--help"], _env(tree, work), work),
                Measure(
                    "(d) imports of a build",
                    [python, "-c", (LIBRARIES + HYPHENATION).format(locales=locales) + _imports_of_build(tree, work)],
                    _env(tree, work),
                    work,
                ),
                Measure("(c) slagen build, cache off", build, _env(tree, work, SLAGEN_NO_CACHE="1"), work),
                Measure("(c) slagen build, cache on", build, _env(tree, work), work),
            ]
        )
    everything = shared + [measure for measures in per_tree for measure in measures]
    _header(trees, runs, locales, work)
    for measure in everything:  # warm-up: disk cache, Jinja's bytecode cache, .pyc files
        measure.run()
        measure.times.clear()
        measure.cpu.clear()
    for _ in range(runs):  # in turns, so that a busy minute falls on every column alike
        for measure in everything:
            measure.run()
    _table(trees, shared, per_tree)


BUILD_MODULES = """
import runpy, sys
sys.argv = {argv!r}
try:
    runpy.run_module("slagen", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
print(" ".join(sorted(name for name in sys.modules if name == "slagen" or name.startswith("slagen."))))
"""


def _imports_of_build(tree: Tree, work: Path) -> str:
    """Python that imports every module of slagen a cold build of ``tree`` has imported when it is done."""
    argv = ["slagen", "build", str(tree.path / ANSWERS), "-o", str(work / "modules"), "--force", "-q"]
    found = subprocess.run(
        [sys.executable, "-c", BUILD_MODULES.format(argv=argv)],
        cwd=work, env=_env(tree, work), capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return "import importlib\n" + "".join(f"importlib.import_module({name!r})\n" for name in found)


def _header(trees: list[Tree], runs: int, locales: list[str], work: Path) -> None:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"slagen start-up, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPU(s), load average {load}")
    print(f"{runs} runs of each command in fresh interpreters, in turns; seconds")
    print(f"(a) imports click, yaml, jinja2, docx, markdown_it, babel with the locales {', '.join(locales)} and pyphen")
    for tree in trees:
        probe = [sys.executable, "-c", "import slagen; print(slagen.__file__)"]
        imported = subprocess.run(probe, cwd=work, env=_env(tree, work), capture_output=True, text=True, check=True)
        print(f"{tree.label}: slagen from {Path(imported.stdout.strip()).parent}")
    print()


def _table(trees: list[Tree], shared: list[Measure], per_tree: list[list[Measure]]) -> None:
    width = 32
    columns = "".join(f"{tree.label[:34]:>36}" for tree in trees)
    print(f"{'wall median / min (CPU median)':{width}}{columns}")
    for measure in shared:
        print(f"{measure.name:{width}}{measure.cell():>36}")
    for row in range(len(per_tree[0])):
        print(f"{per_tree[0][row].name:{width}}" + "".join(f"{measures[row].cell():>36}" for measures in per_tree))
    print()
    libraries = shared[1]
    for row in (1, 2, 3):  # (d), (c) cache off, (c) cache on
        name = per_tree[0][row].name.split(" ")[0] + "/(a)" + per_tree[0][row].name.partition(",")[1:][1]
        cells = []
        for measures in per_tree:
            ratio = measures[row].median / libraries.median
            best = min(measures[row].times) / min(libraries.times)
            pairs = zip(measures[row].times, libraries.times, strict=True)  # run by run: the same round
            paired = statistics.median([mine / theirs for mine, theirs in pairs])
            verdict = "PASS" if max(ratio, paired) <= TARGET else "MISS"
            cells.append(f"{ratio:.2f} x (min {best:.2f}, paired {paired:.2f}) {verdict}")
        print(f"{name:{width}}" + "".join(f"{cell:>36}" for cell in cells))
    for row in (2, 3):
        name = per_tree[0][row].name.replace("(c) slagen build", "(c)-(a)")
        spent = [measures[row].median - shared[1].median for measures in per_tree]
        print(f"{name:{width}}" + "".join(f"{value:>35.3f}s" for value in spent))
    print(f"\ntarget (issue 13): a build starts within {TARGET} x (a): (d) as its imports, (c) as the whole cold build")


def _where(tree: Tree, work: Path) -> None:
    """Where a cold build's time goes: import time by package, then the profile with the cache on and off."""
    build = ["-m", "slagen", "build", str(tree.path / ANSWERS), "-o", str(work / "where"), "--force"]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *build], cwd=work, env=_env(tree, work), capture_output=True, text=True
    )
    by_package: dict[str, int] = defaultdict(int)
    for line in result.stderr.splitlines()[1:]:
        if line.startswith("import time:"):
            own, _, name = line.removeprefix("import time:").split("|")
            by_package[name.strip().split(".")[0]] += int(own)
    total = sum(by_package.values())
    print(f"\nimports of a cold build (python -X importtime, self time by package): {total / 1e6:.3f} s")
    _top(by_package.items(), 1e6, 12)
    for cache, extra in (("on", {}), ("off", {"SLAGEN_NO_CACHE": "1"})):
        profile = work / f"build-{cache}.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), *build]
        subprocess.run(command, cwd=work, env=_env(tree, work, **extra), capture_output=True, check=True)
        _profile(profile, f"cache {cache}")


def _profile(profile: Path, label: str) -> None:
    """Own time by package, and slagen's functions by cumulative time (the command line's frames left out)."""
    import pstats  # only here: the table needs none of it

    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    own: dict[str, float] = defaultdict(float)
    functions = []
    for (filename, _, function), (_, _, tottime, cumulative, _) in stats.items():
        own[_package(filename)] += tottime
        if _package(filename) == "slagen" and "/cli/" not in filename and not filename.endswith("__main__.py"):
            functions.append((f"{Path(filename).parent.name}/{Path(filename).name}:{function}", cumulative))
    print(f"\ncold build, {label} (cProfile, which slows it): own time by package, {sum(own.values()):.3f} s in all")
    _top(own.items(), 1, 10)
    print(f"slagen's functions by cumulative time, {label}:")
    _top(functions, 1, 12)


def _package(filename: str) -> str:
    """Who a profiled function belongs to: a package, slagen, the standard library or the interpreter."""
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if "slagen" in path.parts:
        return "slagen"
    if filename.startswith(("~", "<")):
        return "built-ins (compile, I/O, C code)"
    return "standard library"


def _top(items: Iterable[tuple[str, float]], unit: float, count: int) -> None:
    for name, value in sorted(items, key=lambda item: -item[1])[:count]:
        print(f"  {value / unit:7.3f} s  {name}")


if __name__ == "__main__":
    main()
