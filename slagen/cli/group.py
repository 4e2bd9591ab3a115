"""The ``slagen`` group: the version, ``--help``, and the commands of each module of the package.

A new command is a function in one of the command modules (or a new module) and one line here.
"""

from __future__ import annotations

import click

from slagen import __version__
from slagen.cli import batch, build, catalog, dates, interview, library, report, slo
from slagen.cli.options import library_setting
from slagen.errors import InputError


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


main.add_command(build.demo)
main.add_command(build.build)
main.add_command(build.check)
main.add_command(build.redline)
main.add_command(build.inspect)
main.add_command(batch.batch)
main.add_command(interview.interview)
main.add_command(library.lint)
main.add_command(library.schema)
main.add_command(library.tiers)
main.add_command(report.report)
main.add_command(dates.dates)
main.add_command(slo.slo)
main.add_command(catalog.library_group)
main.add_command(catalog.catalog_group)
