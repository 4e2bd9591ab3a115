"""The command line, through click's CliRunner: outputs, messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from slagen import __version__
from slagen.cli import main

from .conftest import DEMO, EXAMPLES, ROOT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_demo_writes_four_files(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["demo", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "telemarketing.de.docx",
        "telemarketing.de.md",
        "telemarketing.en.docx",
        "telemarketing.en.md",
    ]
    assert "1. Januar 2027" in (tmp_path / "out" / "telemarketing.de.md").read_text(encoding="utf-8")
    assert "1 January 2027" in (tmp_path / "out" / "telemarketing.en.md").read_text(encoding="utf-8")


def test_build_selects_language_and_format(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(DEMO), "-o", str(tmp_path), "--lang", "en", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["telemarketing.en.md"]
    assert result.output.strip() == str(tmp_path / "telemarketing.en.md")


def test_build_defaults_to_the_current_directory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", str(DEMO), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["telemarketing.de.md", "telemarketing.en.md"]


def test_existing_output_is_not_overwritten_without_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "telemarketing.de.md"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, ["build", str(DEMO), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {target}: already exists (use --force to overwrite)\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["telemarketing.de.md"]

    forced = runner.invoke(main, ["build", str(DEMO), "-o", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith("# Service Level Agreement Telefonakquise")


def test_bad_answers_give_messages_exit_2_and_no_files(
    runner: CliRunner, tmp_path: Path, write_answers: Callable[..., Path]
) -> None:
    text = DEMO.read_text(encoding="utf-8").replace("tier: professional", "tier: profesional")
    text = text.replace("  months: 12           # one year", "  months: 0")
    path = write_answers(text)
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(path), "-o", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {path}:")
    assert lines[0].endswith("agreement.term.months: 0 is below the minimum of 1")
    assert lines[1].endswith(
        "service.tier: unknown tier 'profesional' in catalog 'telemarketing' (did you mean 'professional'?)"
    )
    assert "Traceback" not in result.output
    assert not out.exists()


def test_check_reports_ok_and_warnings(runner: CliRunner, write_answers: Callable[..., Path]) -> None:
    assert runner.invoke(main, ["check", str(DEMO)]).stdout == f"{DEMO}: ok (30 clauses, languages: de, en)\n"
    text = (
        DEMO.read_text(encoding="utf-8")
        .replace("    merchant: true\n  customer:", "    merchant: false\n  customer:")
        .replace("  governing_law: de\n", "  governing_law: de\n  jurisdiction: Mannheim\n")
    )
    path = write_answers(text)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 1  # findings
    assert (
        "agreement.jurisdiction: warning: ignored: a place of jurisdiction can be agreed in advance only if both parties"
        in result.stderr
    )
    assert "ok (30 clauses" in result.stdout


def test_missing_answers_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.yaml'}: file not found\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; start from examples/telemarketing.yaml"),
        ("# nothing yet\n", "the file is empty; start from examples/telemarketing.yaml"),
        ("- a\n- b\n", "expected a mapping of answers (key: value) at the top level"),
    ],
    ids=["empty", "comment only", "a list"],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_unusable_answers_file_gives_one_message_only(
    runner: CliRunner, tmp_path: Path, write_answers: Callable[..., Path], command: str, text: str, message: str
) -> None:
    # no "missing" line for every required answer after it: they would all say the same
    path = write_answers(text)
    result = runner.invoke(main, [command, str(path), *(["-o", str(tmp_path / "out")] if command == "build" else [])])
    assert result.exit_code == 2
    where = f"{path}:1" if text.startswith("-") else str(path)
    assert result.stderr == f"error: {where}: {message}\n"
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def _crash(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


CRASH = "error: internal error: RuntimeError: boom\n"
REPORT = (
    f"This is a bug in slagen {__version__}, not a problem in your input. "
    "Please report it with the command and the files it read"
)


def test_a_bug_exits_3_with_a_short_message_and_no_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("slagen.generate.check_answers", _crash)
    result = runner.invoke(main, ["check", str(DEMO)])
    assert result.exit_code == 3  # not 1 (findings) or 2 (bad input)
    assert result.stdout == ""
    assert result.stderr == f"{CRASH}{REPORT}; --verbose shows the traceback.\n"
    errors_md = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert result.stderr.replace(__version__, "0.1.0") in errors_md  # quoted as of that version


def test_a_bug_shows_its_traceback_with_verbose(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("slagen.generate.check_answers", _crash)
    result = runner.invoke(main, ["check", "--verbose", str(DEMO)])
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    traceback, message = result.stderr.rsplit(CRASH, 1)
    assert traceback.endswith('    raise RuntimeError("boom")\nRuntimeError: boom\n')
    assert message == f"{REPORT}.\n"


def test_ctrl_c_is_not_taken_for_a_bug(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise click.Abort

    monkeypatch.setattr("slagen.generate.check_answers", interrupted)
    result = runner.invoke(main, ["check", str(DEMO)])
    assert result.exit_code == 1
    assert result.stderr == "Aborted!\n"


def test_a_reader_that_leaves_early_is_no_error() -> None:
    """`slagen tiers compare … | head -0`: the pipe closes before slagen writes; it stops quietly with 141."""
    process = subprocess.Popen(
        [sys.executable, "-m", "slagen", "tiers", "compare", "bronze", "silver", "gold"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()
    with process.stderr:
        stderr = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert stderr == b""


def test_broken_library_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check", str(DEMO), "--library", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path}: not a slagen library (no clauses/ directory)\n"


@pytest.mark.parametrize(
    "command", [[], ["build"], ["check"], ["demo"], ["inspect"], ["redline"], ["schema"], ["batch"]]
)
def test_help_has_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "slagen " in result.output


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "slagen", "--version"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("slagen, version ")


def test_check_json(runner: CliRunner, write_answers: Callable[..., Path]) -> None:
    ok = runner.invoke(main, ["check", "--json", str(DEMO)])
    assert ok.exit_code == 0
    report = json.loads(ok.stdout)
    assert report["ok"] is True
    assert report["clauses"][:2] == ["scope.purpose", "scope.definitions"]
    bad = write_answers(DEMO.read_text(encoding="utf-8").replace("tier: professional", "tier: gold"))
    failed = runner.invoke(main, ["check", "--json", str(bad)])
    assert failed.exit_code == 2
    (error,) = json.loads(failed.stdout)["errors"]
    assert error["key"] == "service.tier"
    assert error["message"] == "unknown tier 'gold' in catalog 'telemarketing' (one of: basic, professional, premium)"
    assert isinstance(error["line"], int)


def test_quiet_and_verbose(runner: CliRunner, tmp_path: Path) -> None:
    quiet = runner.invoke(main, ["build", str(DEMO), "-o", str(tmp_path / "q"), "--format", "md", "--quiet"])
    assert quiet.exit_code == 0
    assert quiet.stdout == ""
    assert len(list((tmp_path / "q").iterdir())) == 2
    verbose = runner.invoke(main, ["build", str(DEMO), "-o", str(tmp_path / "v"), "--format", "md", "-v"])
    assert verbose.exit_code == 0
    assert verbose.stdout.count(str(tmp_path / "v")) == 2
    assert "library " in verbose.stderr
    assert "tier professional" in verbose.stderr
    multi = EXAMPLES / "it-service-multi-level.yaml"
    verbose = runner.invoke(main, ["build", str(multi), "-o", str(tmp_path / "m"), "--format", "md", "-v"])
    # with the processing annex, legal.exit and legal.language
    assert "40 clauses, tiers bronze, silver, gold (chosen: silver)" in verbose.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["build", str(DEMO), "-o", "out", "--lang", "de", "--lang", "fr"],
        ["redline", "--against-standard", str(EXAMPLES / "telemarketing-custom.yaml"), "-o", "out.md", "--lang", "fr"],
        ["tiers", "show", "basic", "--lang", "fr"],
        ["tiers", "compare", "basic", "premium", "--lang", "fr"],
        ["interview", "-o", "answers.yaml", "--lang", "fr"],
        ["batch", "rows.csv", "--base", str(DEMO), "-o", "out", "--lang", "fr"],
    ],
    ids=lambda arguments: " ".join(arguments[:2] if arguments[0] == "tiers" else arguments[:1]),
)
def test_a_language_the_library_lacks_is_bad_input_before_any_work(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str]
) -> None:
    """--lang takes any word at parse time (--help must not load the library) and the library's languages after."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert result.stderr == "error: --lang: unknown language 'fr' (the library has: de, en)\n"
    assert result.stderr.strip() in (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_format_choices_are_the_writers_of_the_pipeline() -> None:
    """--format lists its choices without importing the pipeline; this keeps the two lists one."""
    from slagen.cli.options import FORMATS
    from slagen.generate import FORMATS as WRITTEN

    assert FORMATS == WRITTEN
