"""The ``slagen`` group: the version, ``--help``, and the commands of each module of the package.

A new command is a function in one of the command modules (or a new module) and one line in
:data:`COMMANDS`. A command's module is imported when the command is asked for, so ``slagen build``
imports ``slagen.cli.build`` and not the modules of ``batch``, ``report`` or ``slo``; ``slagen --help``
imports them all, for their one-line help.
"""

from __future__ import annotations

import importlib

import click

from slagen import __version__
from slagen.cli.options import library_setting
from slagen.errors import InputError

COMMANDS = {
    "demo": "build:demo",
    "build": "build:build",
    "check": "build:check",
    "redline": "build:redline",
    "inspect": "build:inspect",
    "batch": "batch:batch",
    "interview": "interview:interview",
    "lint": "library:lint",
    "schema": "library:schema",
    "tiers": "library:tiers",
    "report": "report:report",
    "dates": "dates:dates",
    "slo": "slo:slo",
    "library": "catalog:library_group",
    "catalog": "catalog:catalog_group",
}
"""Each command by name: the module of :mod:`slagen.cli` that defines it and the function's name."""


class _Commands(click.Group):
    """A group whose commands are imported when asked for (their names are :data:`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, name = COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(f"slagen.cli.{module}"), name)
        assert isinstance(command, click.Command), command
        assert command.name == cmd_name, (cmd_name, command.name)
        return command


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: slagen's version and the library the commands use without ``--library``."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"slagen, version {__version__}")
    try:
        path, source = library_setting()
    except InputError as exc:
        click.echo(f"library: {exc.problems[0]}", err=True)
        ctx.exit(2)
    click.echo(f"library: {path} (from {source})" if path is not None else "library: the bundled one")
    ctx.exit()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version", is_flag=True, expose_value=False, is_eager=True, callback=_version, help="Show the version and exit."
)
def main() -> None:
    """Slagen generates Service Level Agreements, in German and English, as DOCX and Markdown.

    \b
    Example:
      slagen demo -o out/                  # the telemarketing example contract
      slagen check my-sla.yaml             # report every problem in an answers file
      slagen build my-sla.yaml -o out/     # write my-sla.de.docx, my-sla.en.md, ...
    """
