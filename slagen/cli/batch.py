"""``slagen batch``: one contract per row of a table, on all cores.

The command reads the table and the base answers, hands the rows to :mod:`slagen.batch` and
writes what the workers give back; a bad row is reported and never stops the others.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slagen.cli.console import reports_errors
from slagen.cli.options import (
    check_languages,
    force_option,
    formats_option,
    languages_option,
    library_option,
    make_memo,
    output_option,
    source_date,
)
from slagen.cli.signals import ends_cleanly_on_sigterm
from slagen.errors import EXIT_FINDINGS

if TYPE_CHECKING:
    from slagen.batch import RowResult
    from slagen.generate import Output


@click.command()
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--base",
    "base_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answers file that every row starts from.",
)
@output_option
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="all cores",
    help="Worker processes.",
)
@languages_option("As for build.")
@formats_option("As for build.")
@library_option
@force_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary and every row as JSON.")
@reports_errors
def batch(
    table: Path,
    base_file: Path,
    output_dir: Path,
    jobs: int,
    languages: tuple[str, ...],
    formats: tuple[str, ...],
    library_dir: Path | None,
    force: bool,
    as_json: bool,
) -> None:
    """Build one contract per row of TABLE (CSV or XLSX) on top of the --base answers file.

    Column headers are dotted answer keys (parties.customer.name, service.tier,
    service.overrides.closing_rate); cells are typed as in YAML; an empty cell keeps the
    base's answer. An optional column `name` names the output files (else the customer's
    name). A bad row never stops the others; exit code 1 if any row failed.

    \b
    Example:
      slagen batch customers.xlsx --base examples/telemarketing.yaml -o out/ --jobs 2
    """
    from slagen.batch import BatchJob, output_names, run_batch
    from slagen.generate import DEFAULT_FORMATS, check_answers
    from slagen.library import load_library
    from slagen.output import flush_to_disk, write_outputs
    from slagen.table import read_table

    library = load_library(library_dir)
    check_languages(library, languages)
    memo = make_memo()
    base = check_answers(base_file, library, memo)
    rows = read_table(table, keys=library.params)
    customer = str(base.values.get("parties.customer.name") or "")
    names = output_names(rows, lambda row: str(row.values.get("parties.customer.name", customer)))
    date = source_date()
    work = [
        BatchJob(
            row, names[row.number], str(table), base.source, library_dir, languages, formats or DEFAULT_FORMATS, date
        )
        for row in rows
    ]

    def write(result: RowResult, outputs: list[Output]) -> None:
        write_outputs({output_dir / out.name: out.data for out in outputs}, force=force, sync=False)

    show = not (as_json or click.get_current_context().meta.get("slagen.quiet"))
    # SIGTERM: the workers end too, each row whole or not at all, no temporary left; exit 143
    with ends_cleanly_on_sigterm():
        with click.progressbar(length=len(work), label="Building", file=sys.stderr, hidden=not show) as bar:
            results = run_batch(work, library, memo, workers=jobs, write=write, progress=lambda _: bar.update(1))
        flush_to_disk([output_dir / name for result in results for name in result.files])
    failed = [r for r in results if not r.ok]
    if as_json:
        rows_json = [{"row": r.row, "name": r.name, "files": r.files, "problems": r.problems} for r in results]
        click.echo(json.dumps({"built": len(results) - len(failed), "failed": len(failed), "rows": rows_json}))
    else:
        for result in failed:
            for problem in result.problems:
                click.echo(f"error: {problem}", err=True)
        click.echo(f"built {len(results) - len(failed)}, failed {len(failed)} (of {len(results)} rows) in {output_dir}")
    if failed:
        sys.exit(EXIT_FINDINGS)
