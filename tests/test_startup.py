"""Start-up does only what the command needs: asking for help imports none of the libraries of a build.

Each test runs a fresh interpreter (the test process has long imported everything), from the
repository root so that this checkout's ``slagen`` is the one imported.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT

HEAVY = ("docx", "lxml", "openpyxl", "jinja2", "babel", "yaml", "markdown_it", "msgspec")
"""What ``slagen build`` needs and ``slagen --help`` does not (about 0.4 s of imports together)."""


def _imported(arguments: list[str]) -> tuple[str, set[str]]:
    """What ``python -X importtime -m slagen ARGUMENTS`` printed, and the top-level packages it imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "slagen", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    names = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines[1:]}  # [0] is the header
    assert "click" in names  # the output is what it seems: a list of every module imported
    return result.stdout, names


@pytest.mark.parametrize(
    "arguments",
    [["--help"], ["build", "--help"], ["batch", "--help"], ["tiers", "show", "--help"], ["--version"]],
    ids=" ".join,
)
def test_help_imports_no_library_of_a_build(arguments: list[str]) -> None:
    output, imported = _imported(arguments)
    assert output.startswith(("Usage: slagen", "slagen, version"))
    assert imported.isdisjoint(HEAVY)


SNIPPET = """
import json, sys
import click
from slagen.cli import main

def commands(group, path):
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        yield [*path, name]
        if isinstance(command, click.Group):
            yield from commands(command, [*path, name])

asked = []
for path in [[], *commands(main, [])]:
    code = main.main([*path, "--help"], prog_name="slagen", standalone_mode=False)
    asked.append([" ".join(path), code])
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
core = sorted(name for name in sys.modules if name.startswith("slagen.") and not name.startswith("slagen.cli"))
print(json.dumps({"asked": asked, "heavy": heavy, "core": core}))
"""


def test_help_of_every_command_in_one_process_imports_no_library_of_a_build() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SNIPPET, json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["asked"][:2] == [["", 0], ["batch", 0]]
    assert ["tiers new", 0] in report["asked"]
    assert all(code == 0 for _, code in report["asked"])
    assert report["heavy"] == []
    assert report["core"] == ["slagen.errors"]  # the one core module the edge needs: what it maps


def test_a_command_that_runs_does_import_the_core() -> None:
    """The counter-check: the same measure sees the libraries once a command has work to do."""
    output, imported = _imported(["schema"])
    assert json.loads(output)["type"] == "object"
    assert "yaml" in imported
