"""Golden tests: the demo contract in both languages, Markdown exactly and DOCX as a text dump.

Run ``pytest --update-golden`` to rewrite the golden files after an intended change, then
read the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.answers import load_answers
from slagen.cli import main
from slagen.generate import generate, source_date_of
from slagen.library import Library

from .conftest import EXAMPLES
from .docx_dump import dump_docx

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).parent.parent
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _no_source_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def _compare(request: pytest.FixtureRequest, name: str, actual: str) -> None:
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run pytest --update-golden and review it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_matches_golden(example: Path, library: Library, request: pytest.FixtureRequest) -> None:
    answers = load_answers(example, library)
    outputs = generate(answers, library, languages=["de", "en"])
    assert sorted(o.name for o in outputs) == sorted(
        f"{example.stem}.{lang}.{fmt}" for lang in ("de", "en") for fmt in ("docx", "md")
    )
    for output in outputs:
        if output.name.endswith(".md"):
            _compare(request, output.name, output.data.decode("utf-8"))
        else:
            _compare(request, output.name + ".txt", dump_docx(output.data))


def test_two_builds_are_byte_identical(library: Library) -> None:
    answers = load_answers(EXAMPLES / "telemarketing.yaml", library)
    first = {o.name: o.data for o in generate(answers, library)}
    second = {o.name: o.data for o in generate(answers, library)}
    assert first == second


@pytest.mark.parametrize("example", ["telemarketing.yaml", "it-service.yaml"])
def test_two_processes_with_different_hash_seeds_write_the_same_bytes(example: str, tmp_path: Path) -> None:
    """Same inputs, same bytes, across processes: no set or dict order (hash seed) leaks into an output."""
    written = []
    for seed in ("1", "4242"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1800000000", "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "slagen", "build", str(EXAMPLES / example), "-o", str(out)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        written.append({path.name: path.read_bytes() for path in sorted(out.iterdir())})
    assert len(written[0]) == 4
    assert written[0] == written[1]


def test_a_source_date_sets_the_document_date(library: Library) -> None:
    answers = load_answers(EXAMPLES / "telemarketing.yaml", library)
    plain = {o.name: o.data for o in generate(answers, library, formats=["md"])}
    dated = {
        o.name: o.data for o in generate(answers, library, formats=["md"], source_date=source_date_of("1800000000"))
    }
    assert plain.keys() == dated.keys()
    assert "15 January 2027" in dated["telemarketing.en.md"].decode()
    assert "15 January 2027" not in plain["telemarketing.en.md"].decode()


def test_the_cli_reads_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLES / "telemarketing.yaml"), "-o", str(tmp_path), "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    assert "15 January 2027" in (tmp_path / "telemarketing.en.md").read_text(encoding="utf-8")


def test_customer_specific_agreement_lists_its_deviations_in_an_annex(library: Library) -> None:
    custom = load_answers(EXAMPLES / "telemarketing-custom.yaml", library)
    standard = load_answers(EXAMPLES / "telemarketing.yaml", library)
    assert "annexes.deviations" in [c.id for c in custom.clauses]
    assert "annexes.deviations" not in [c.id for c in standard.clauses]
    (md,) = generate(custom, library, languages=["en"], formats=["md"])
    text = md.data.decode("utf-8")
    assert "| Calls answered per agent per day worked | at least 100 | at least 120 | better for the Customer |" in text
    assert "| Proposed solution to complaints | at most 24 hours | at most 36 hours | worse for the Customer |" in text
