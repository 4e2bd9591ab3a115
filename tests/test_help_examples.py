"""Help that runs (issue 19, item 8): every example in a command's ``--help`` and in the README is executed.

The README's commands at its top run in CI (`.ci/run`); its example messages and interview transcript are
produced here and compared line by line.

Each example runs in bash in a fresh copy of a sandbox that holds what the examples name: ``examples/``,
``my-sla.yaml``, ``old.yaml``/``new.yaml``, ``customers.xlsx`` with two rows, a built ``out/`` and a copy of
the library as ``../our-library`` and ``my-library/`` (named in a ``slagen.toml``, so that no example writes
into the checkout). ``slagen`` is ``python -m slagen`` of this checkout.
An interview example gets the typed answers of a scripted interview on stdin.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from slagen.cli import main
from slagen.library import Library

from .conftest import DEMO, EXAMPLES, ROOT
from .test_interview import GERMAN, interview

LIBRARY_PARTS = ("clauses", "templates", "tiers")


def every_command(group: click.Command = main, path: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    """Every command and subcommand with its name as typed (``tiers show``)."""
    found = [(" ".join(path), group)] if path else []
    if isinstance(group, click.Group):
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None, name
            found += every_command(command, (*path, name))
    return found


def help_text(name: str) -> str:
    context = click.Context(main, info_name="slagen")
    command: click.Command = main
    for part in name.split():
        assert isinstance(command, click.Group)
        found = command.get_command(context, part)
        assert found is not None
        context = click.Context(found, info_name=part, parent=context)
        command = found
    return command.get_help(context)


def examples_of(text: str) -> list[str]:
    """The lines of a help text that are commands to type: indented lines beginning with ``slagen``."""
    return [line.strip() for line in text.splitlines() if line.startswith(" ") and line.strip().startswith("slagen ")]


EXAMPLES_BY_COMMAND = {name: examples_of(help_text(name)) for name, _ in every_command()}
ALL_EXAMPLES = sorted({example for examples in EXAMPLES_BY_COMMAND.values() for example in examples})


def test_every_command_shows_an_example() -> None:
    without = [name for name, examples in EXAMPLES_BY_COMMAND.items() if not examples]
    assert without == []


def run(command: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    script = f'set -eo pipefail\nslagen() {{ "{sys.executable}" -m slagen "$@"; }}\n{command}\n'
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("SLAGEN_LIBRARY", None)
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, input=stdin, capture_output=True, text=True, env=env, check=False
    )


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with what the examples name; copied afresh for every example."""
    base = tmp_path_factory.mktemp("help")
    work = base / "work"
    shutil.copytree(EXAMPLES, work / "examples")
    for name in ("our-library", "work/our-library", "work/my-library"):
        for part in LIBRARY_PARTS:
            shutil.copytree(ROOT / part, base / name / part)
    # the library the examples use unless they name one: never the checkout's own (a new tier goes there)
    (work / "slagen.toml").write_text('library = "my-library"\n', encoding="utf-8")
    # measured data for the report examples: one file each, and a batch of contracts with their data
    data = EXAMPLES / "data"
    shutil.copy(data / "it-service-2027-03-outages.csv", work / "outages.csv")
    shutil.copy(data / "it-service-2027-03-tickets.csv", work / "tickets.csv")
    (work / "contracts").mkdir()
    shutil.copy(EXAMPLES / "it-service.yaml", work / "contracts" / "it-service.yaml")
    for name in ("outages", "tickets"):
        (work / "measured" / "it-service").mkdir(parents=True, exist_ok=True)
        shutil.copy(data / f"it-service-2027-03-{name}.csv", work / "measured" / "it-service" / f"{name}.csv")
    (work / "reports").mkdir()
    shutil.copy(DEMO, work / "my-sla.yaml")
    shutil.copy(DEMO, work / "old.yaml")
    new = DEMO.read_text(encoding="utf-8").replace(
        "represented_by: Dr. Felix Hansen", "represented_by: Dr. Paula Hansen", 1
    )
    assert new != DEMO.read_text(encoding="utf-8")
    (work / "new.yaml").write_text(new, encoding="utf-8")
    built = run("slagen build examples/telemarketing.yaml -o out/", work)
    assert built.returncode == 0, built.stderr
    table = run("slagen batch --template --base examples/telemarketing.yaml -o customers.xlsx", work)
    assert table.returncode == 0, table.stderr
    from openpyxl import load_workbook

    book = load_workbook(work / "customers.xlsx")
    sheet = book.active
    assert sheet is not None
    headers = [cell.value for cell in sheet[1]]
    for row, (name, customer) in enumerate([("kunde-01", "Alpha Handel GmbH"), ("kunde-02", "Beta Dienst AG")], 3):
        sheet.cell(row, headers.index("name") + 1, name)
        sheet.cell(row, headers.index("parties.customer.name") + 1, customer)
    book.save(work / "customers.xlsx")
    return base


def stdin_for(example: str, library: Library) -> str:
    """The typed answers of an interview example: the German script, with the options the example gives."""
    if not example.startswith("slagen interview"):
        return ""
    words = shlex.split(example)
    if "--from" in words:  # resuming a complete file: Enter keeps every answer
        return "\n" * 400
    options = {word[2:]: words[i + 1] for i, word in enumerate(words) if word in ("--catalog", "--tier")}
    lang = words[words.index("--lang") + 1] if "--lang" in words else "en"
    _, script = interview(library, GERMAN, lang, **options)
    return script.input()


def written_by(command: str) -> list[str]:
    """What the first command of an example writes (``-o TARGET``): the sandbox must not have it yet."""
    words = shlex.split(command.split("&&")[0].split("|")[0])
    made = words[3:4] if words[1:3] == ["library", "init"] else []  # slagen library init DIR
    return made + [words[i + 1] for i, word in enumerate(words[:-1]) if word == "-o" and words[i + 1] != "reports/"]


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_the_example_runs(example: str, sandbox: Path, tmp_path: Path, library: Library) -> None:
    shutil.copytree(sandbox, tmp_path / "copy")
    work = tmp_path / "copy" / "work"
    command = example.split("  #")[0]
    for target in written_by(command):
        shutil.rmtree(work / target) if (work / target).is_dir() else (work / target).unlink(missing_ok=True)
    done = run(command, work, stdin_for(example, library))
    assert done.returncode == 0, f"{example}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr
    assert not (ROOT / "tiers" / "telemarketing").exists(), "an example wrote into the checkout's library"


def readme_block(after: str) -> list[str]:
    """The lines of the README's first fenced block after the text ``after``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(after) :].split("```\n", 2)[1]
    return block.splitlines()


def test_the_readme_error_example_is_what_check_prints(tmp_path: Path) -> None:
    demo = DEMO.read_text(encoding="utf-8")
    mistaken = demo.replace("tier: professional", "tier: profesional", 1).replace(
        "months: 12           # one year", "months: 0", 1
    )
    assert mistaken.count("\n") == demo.count("\n")
    assert mistaken != demo
    (tmp_path / "answers.yaml").write_text(mistaken, encoding="utf-8")
    done = run("slagen check answers.yaml", tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == readme_block("What `slagen check answers.yaml` prints")


def test_the_readme_interview_transcript_is_what_the_interview_shows(library: Library, tmp_path: Path) -> None:
    from click.testing import CliRunner

    shown = readme_block("`slagen interview -o my-sla.yaml` asks")
    answers = {
        **GERMAN,
        "agreement.reference": "SLA-2027-014",
        "agreement.term.months": ["0", "24"],
        "parties.customer.merchant": "n",
    }
    _, script = interview(library, answers, "de")
    result = CliRunner().invoke(
        main, ["interview", "-o", str(tmp_path / "my-sla.yaml"), "--lang", "de"], input=script.input()
    )
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    for line in shown:
        assert line in lines
