"""slagen batch: one contract per table row, in parallel, bad rows reported and skipped."""

from __future__ import annotations

import copy
import datetime as dt
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, cast

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from slagen.batch import BatchJob, RowResult, merge_row, output_names, run_batch
from slagen.cli import main
from slagen.generate import Output
from slagen.library import Library
from slagen.memo import Memo
from slagen.output import write_outputs
from slagen.provenance import read_provenance
from slagen.table import Row, read_sheet
from slagen.yamlsource import load_yaml

from .conftest import DEMO, ROOT
from .test_output import ERRORS_MD, full_disk_for

CSV = """name,parties.customer.name,parties.customer.address,service.tier,agreement.reference,agreement.model,service.overrides.closing_rate
,Alpha Solar GmbH,"[Weg 1, 10115 Berlin]",basic,SLA-2027-101,,
,Beta Wind AG,"[Allee 2, 80331 München]",premium,SLA-2027-102,customer-specific,8%
gamma,Gamma Bau GmbH,"[Ring 3, 50667 Köln]",profesional,SLA-2027-103,,
,Alpha Solar GmbH,"[Weg 9, 10115 Berlin]",professional,SLA-2027-104,,
"""


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *arguments])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_contract_per_row_and_a_bad_row_is_reported(table: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), "--jobs", jobs, "--format", "md")
    assert code == 1
    assert stdout == f"built 3, failed 1 (of 4 rows) in {out}\n"
    assert stderr.strip().endswith(
        f"error: {table}:4 (gamma): service.tier: unknown tier 'profesional' in catalog 'telemarketing' "
        "(did you mean 'professional'?)"
    )
    assert {p.name for p in out.iterdir()} == {
        f"{name}.{lang}.md"
        for name in ("alpha-solar-gmbh", "alpha-solar-gmbh-2", "beta-wind-ag")
        for lang in ("de", "en")
    }
    beta = (out / "beta-wind-ag.en.md").read_text(encoding="utf-8")
    assert "Beta Wind AG" in beta
    assert "at least 8%" in beta
    assert "SLA-2027-102" in beta


def test_json_summary_and_provenance_of_each_row(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run(str(table), "--base", str(DEMO), "-o", str(out), "--json", "--lang", "de")
    assert code == 1
    summary = json.loads(stdout)
    assert (summary["built"], summary["failed"]) == (3, 1)
    assert summary["rows"][1] == {
        "row": 3,
        "name": "beta-wind-ag",
        "files": ["beta-wind-ag.de.docx", "beta-wind-ag.de.md"],
        "problems": [],
        "warnings": [],
    }
    found = read_provenance(out / "beta-wind-ag.de.docx")
    assert found.properties["slagen.tier"] == "premium"
    assert found.answers is not None
    assert "Beta Wind AG" in found.answers


def test_xlsx_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["parties.customer.name", "agreement.effective_date", "force_majeure.termination_weeks", "service.tier"]
    )
    sheet.append(["Delta Logistik GmbH", dt.datetime(2027, 3, 1), 8, "premium"])
    path = tmp_path / "customers.xlsx"
    book.save(path)
    out = tmp_path / "out"
    code, _, stderr = run(str(path), "--base", str(DEMO), "-o", str(out), "--format", "md", "--lang", "de")
    assert code == 0, stderr
    text = (out / "delta-logistik-gmbh.de.md").read_text(encoding="utf-8")
    assert "tritt am 1. März 2027 in Kraft" in text
    assert "Dauert das Ereignis länger als 8 Wochen" in text


def test_an_output_that_appears_during_the_run_fails_its_row_only(
    table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # existing outputs are refused before any work (tests/test_batch_sales.py); one written meanwhile by
    # someone else is still never overwritten: its row fails, the others are built
    out = tmp_path / "out"
    out.mkdir()
    (out / "beta-wind-ag.de.md").write_text("keep", encoding="utf-8")
    monkeypatch.setattr("slagen.batchcheck.refuse_existing", lambda *args, **kwargs: [])
    code, stdout, stderr = run(str(table), "--base", str(DEMO), "-o", str(out), "--format", "md")
    assert code == 1
    assert "built 2, failed 2" in stdout
    assert "beta-wind-ag.de.md: already exists (use --force to overwrite)" in stderr
    assert (out / "beta-wind-ag.de.md").read_text(encoding="utf-8") == "keep"
    assert not (out / "beta-wind-ag.en.md").exists()


def test_bad_base_or_table_is_bad_input(tmp_path: Path, table: Path) -> None:
    code, _, stderr = run(str(tmp_path / "missing.csv"), "--base", str(DEMO), "-o", str(tmp_path))
    assert (code, stderr) == (2, f"error: {tmp_path / 'missing.csv'}: file not found\n")
    broken = tmp_path / "base.yaml"
    broken.write_text("agreement: [\n", encoding="utf-8")
    code, _, stderr = run(str(table), "--base", str(broken), "-o", str(tmp_path / "out"))
    assert code == 2
    assert stderr.startswith(f"error: {broken}:")


def test_cells_are_typed_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a;b;c;d;e\n120;true;2027-01-01;99.9%;[de, en]\n", encoding="utf-8")
    (row,) = read_sheet(path).rows
    assert row.values == {"a": 120, "b": True, "c": dt.date(2027, 1, 1), "d": "99.9%", "e": ["de", "en"]}


def test_output_names_never_collide() -> None:
    rows = [Row(2, {}, "Müller & Söhne"), Row(3, {}, "müller-söhne"), Row(4, {}, ""), Row(5, {}, "")]
    assert output_names(rows, lambda row: "") == {2: "muller-sohne", 3: "muller-sohne-2", 4: "row-4", 5: "row-5"}


def test_each_row_carries_its_own_answers(tmp_path: Path) -> None:
    base = load_yaml(DEMO)
    table = tmp_path / "customers.csv"
    table.write_text(CSV, encoding="utf-8")
    rows = read_sheet(table).rows
    for row in [rows[0], rows[1], rows[0], rows[3]]:
        merged = merge_row(base, row, str(table))
        assert yaml.safe_load(merged.text) == merged.data
        assert merged.data["parties"]["customer"]["name"] == row.values["parties.customer.name"]
        assert merged.data["agreement"]["reference"] == row.values["agreement.reference"]
        assert merged.text.startswith(f"# slagen batch: customers.csv row {row.number} on top of {DEMO.name}\n")
        assert str(tmp_path) not in merged.text
        assert str(DEMO.parent) not in merged.text
    # the groups a row leaves alone are the base's, word for word
    assert yaml.safe_load(merge_row(base, rows[0], str(table)).text)["service"]["catalog"] == "telemarketing"


def test_a_row_is_dumped_as_yaml_dumps_it_whole_and_leaves_the_base_as_it_was(tmp_path: Path) -> None:
    base = load_yaml(DEMO)
    before = copy.deepcopy(base.data)
    odd = {"parties.customer.yes": "x", "parties.customer." + "k" * 200: "long", "new.group": [1, {"a": None}]}
    for values in [{"parties.customer.name": "A"}, {"agreement.reference": "R", **odd}, {"service.tier": "basic"}]:
        merged = merge_row(base, Row(2, values), "t.csv")
        whole = yaml.dump(merged.data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False)
        assert merged.text.split("\n", 1)[1] == whole
    assert base.data == before


# Batch process handling (issue 15, item 6 and F16; code review problem 9)

THREADS_AT_FORK: list[int] = []
os.register_at_fork(before=lambda: THREADS_AT_FORK.append(threading.active_count()))


def quick_jobs(count: int) -> list[BatchJob]:
    base = cast(Any, None)
    return [BatchJob(Row(n, {}), f"r{n}", "t.csv", base, None, (), ()) for n in range(2, count + 2)]


def quick_build(job: BatchJob, library: Library, memo: Memo) -> tuple[RowResult, list[Output]]:
    return RowResult(job.row.number, job.name), [Output(f"{job.name}.{lang}.md", job.name.encode()) for lang in "xy"]


def run_quick(jobs: list[BatchJob], out: Path, build: Any = quick_build, workers: int = 2) -> list[RowResult]:
    def write(result: RowResult, outputs: list[Output]) -> None:
        write_outputs({out / o.name: o.data for o in outputs}, force=False, sync=False)

    return run_batch(jobs, cast(Library, None), Memo(), workers=workers, write=write, build=build)


def test_no_thread_runs_when_the_workers_are_forked(table: Path, tmp_path: Path) -> None:
    # a forked child has only the forking thread: a lock another thread held stays locked in it (3.12 warns)
    THREADS_AT_FORK.clear()
    code, _, stderr = run(str(table), "--base", str(DEMO), "-o", str(tmp_path / "out"), "--jobs", "2")
    assert code == 1, stderr
    assert THREADS_AT_FORK
    assert set(THREADS_AT_FORK) == {1}
    THREADS_AT_FORK.clear()
    results = run_quick(quick_jobs(40), tmp_path / "quick")
    assert all(result.ok for result in results)
    assert THREADS_AT_FORK
    assert set(THREADS_AT_FORK) == {1}
    assert len(list((tmp_path / "quick").iterdir())) == 80
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_loses_its_row_only(tmp_path: Path) -> None:
    def dies_on_row_7(job: BatchJob, library: Library, memo: Memo) -> tuple[RowResult, list[Output]]:
        if job.row.number == 7:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
        return quick_build(job, library, memo)

    results = run_quick(quick_jobs(40), tmp_path, dies_on_row_7)
    assert [r.row for r in results] == list(range(2, 42))
    assert [r.problems for r in results if not r.ok] == [
        ["t.csv:7: the worker process building this row was killed by signal 9 (SIGKILL)"]
    ]
    assert len(list(tmp_path.iterdir())) == 78
    assert multiprocessing.active_children() == []


def test_a_bug_in_a_worker_is_raised_here_and_ends_the_other_workers(tmp_path: Path) -> None:
    def fails_on_row_7(job: BatchJob, library: Library, memo: Memo) -> tuple[RowResult, list[Output]]:
        if job.row.number == 7:
            raise ValueError("boom")
        return quick_build(job, library, memo)

    with pytest.raises(ValueError, match="boom") as caught:
        run_quick(quick_jobs(40), tmp_path, fails_on_row_7)
    assert "in a worker process" in str(caught.value.__cause__)
    assert multiprocessing.active_children() == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_fails_its_rows_naming_the_row_and_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    # F8: the report's probe (a full tmpfs) with the kernel's own ENOSPC for the files of row c8
    monkeypatch.chdir(tmp_path)
    Path("t10.csv").write_text("name,parties.customer.name\n" + "".join(f"c{i},Kunde {i} GmbH\n" for i in range(10)))
    full_disk_for(".c8.", monkeypatch)  # not "c8.": a temporary's random hex may end in c8
    code, stdout, stderr = run("t10.csv", "--base", str(DEMO), "-o", "out", "--jobs", jobs, "--lang", "de")
    assert code == 1
    assert stdout == "built 9, failed 1 (of 10 rows) in out\n"
    assert stderr.endswith("error: t10.csv:10 (c8): out/c8.de.docx: cannot write (No space left on device)\n")
    assert stderr.splitlines()[-1] in ERRORS_MD
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if "c8" in p.name or p.name.startswith(".")) == []


def _children(pid: int) -> list[int]:
    return [int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _ended(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    "how", ["SIGKILL to the parent", "SIGTERM to the parent", "SIGTERM to the group", "SIGINT to the group"]
)
def test_probe_a_batch_ended_by_a_signal_leaves_whole_rows_and_no_worker(tmp_path: Path, how: str) -> None:
    # F16: `kill`, `timeout`, systemd, docker stop; and the parent killed outright
    table = tmp_path / "big.csv"
    table.write_text("name,parties.customer.name\n" + "".join(f"c{i},Kunde {i} GmbH\n" for i in range(2000)))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "slagen", "batch", str(table), "--base", str(DEMO), "-o", str(out), "-q"]
    command += ["--jobs", "2", "--format", "md"]
    stderr = (tmp_path / "stderr").open("w")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    # as from a terminal: Ctrl-C is not ignored (a process started with SIGINT ignored, as a background job or a
    # test runner that ignores it, rightly ignores it too and would build every row)
    parent = subprocess.Popen(
        command,
        env=environment,
        stderr=stderr,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while not (out.exists() and len(list(out.iterdir())) > 40) and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = _children(parent.pid)
        assert len(workers) == 2
        if how == "SIGKILL to the parent":
            parent.kill()
        elif how == "SIGTERM to the parent":
            parent.terminate()
        else:
            os.killpg(parent.pid, signal.SIGINT if how.startswith("SIGINT") else signal.SIGTERM)
        code = parent.wait(30)
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
        stderr.close()
    assert code == {"SIGKILL": -signal.SIGKILL, "SIGTERM": 143, "SIGINT": 1}[how.split()[0]]
    assert "Traceback" not in (tmp_path / "stderr").read_text()
    deadline = time.monotonic() + 15
    while not all(_ended(worker) for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_ended(worker) for worker in workers)
    names = [p.name for p in out.iterdir()]
    assert not [name for name in names if name.startswith(".")]  # no temporary, no kept copy
    rows = {name.split(".")[0] for name in names}
    assert sorted(names) == sorted(f"{row}.{lang}.md" for row in rows for lang in ("de", "en"))  # whole rows
    assert len(rows) < 2000
