"""``slagen batch``: one contract per row of a table, on all cores.

The command reads the table and the base answers, checks across the rows what no single row shows
(:mod:`slagen.batchcheck`), hands the rows to :mod:`slagen.batch` and writes what the workers give
back; a bad row is reported and never stops the others. ``--template`` writes the table to fill in
instead, ``--errors`` the failed rows to send back (:mod:`slagen.sheets`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slagen.cli.console import emit, reports_errors, say, warn
from slagen.cli.options import (
    check_languages,
    force_option,
    formats_option,
    languages_option,
    library_option,
    make_memo,
    source_date,
)
from slagen.cli.signals import ends_cleanly_on_sigterm
from slagen.errors import EXIT_FINDINGS

if TYPE_CHECKING:
    from slagen.answers import Answers
    from slagen.batch import RowResult
    from slagen.errors import Problem
    from slagen.generate import Output
    from slagen.library import Library
    from slagen.memo import Memo


@click.command()
@click.argument("table", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--base",
    "base_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answers file that every row starts from.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Directory for the contracts (default: the current one); with --template the file (.xlsx or .csv; "
    "default: CSV on stdout).",
)
@click.option(
    "--template",
    is_flag=True,
    help="Write the table to fill in instead of building: the column headers of every answer key that applies "
    "for --base, and a row of help (skipped when the table is read back).",
)
@click.option("--dry-run", is_flag=True, help="Validate and render every row as a build does; write no contract.")
@click.option(
    "--errors",
    "errors_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the failed rows as they were, with a column of their messages, to this .csv or .xlsx file "
    "(given back to batch as it is, once corrected).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="all cores",
    help="Worker processes.",
)
@languages_option("As for build; with --template, the language of the KPI names in the help row.")
@formats_option("As for build.")
@library_option
@click.option(
    "--layout",
    is_flag=True,
    help="Lay the DOCX out with LibreOffice and write the contents' page numbers into them (PDF always has them); "
    "many contracts to one LibreOffice process.",
)
@force_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary and every row as JSON.")
@reports_errors
def batch(
    table: Path | None,
    base_file: Path,
    output: Path | None,
    template: bool,
    dry_run: bool,
    errors_file: Path | None,
    jobs: int,
    languages: tuple[str, ...],
    formats: tuple[str, ...],
    library_dir: Path | None,
    layout: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Build one contract per row of TABLE (CSV or XLSX) on top of the --base answers file.

    Column headers are dotted answer keys (parties.customer.name, service.tier,
    service.overrides.closing_rate); cells are typed as in YAML; an empty cell keeps the
    base's answer. An optional column `name` names the output files (else the customer's
    name). A column whose header begins with # and a row whose first cell begins with #
    are comments. A bad row never stops the others; exit code 1 if any row failed.
    Existing files are refused before any row is built (exit 2) unless --force.

    \b
    Example:
      slagen batch --template --base examples/telemarketing.yaml -o customers.xlsx
      slagen batch customers.xlsx --base examples/telemarketing.yaml --dry-run --errors failed.xlsx
      slagen batch customers.xlsx --base examples/telemarketing.yaml -o out/ --jobs 2
    """
    from slagen.generate import check_answers
    from slagen.library import load_library

    if template and table is not None:
        raise click.UsageError("--template writes a table to fill in: give no TABLE")
    if not template and table is None:
        raise click.UsageError("Missing argument 'TABLE' (or --template to write one).")
    if template and (dry_run or errors_file):
        raise click.UsageError("--template builds nothing: --dry-run and --errors do not apply")
    library = load_library(library_dir)
    check_languages(library, languages)
    memo = make_memo()
    base = check_answers(base_file, library, memo)
    if table is None:
        _template(base, library, output, languages[0] if languages else None, force=force)
        return
    _batch(
        table,
        base,
        library,
        memo,
        output or Path("."),
        jobs,
        languages,
        formats,
        force,
        dry_run,
        errors_file,
        as_json,
        layout=layout,
    )


def _template(base: Answers, library: Library, output: Path | None, language: str | None, *, force: bool) -> None:
    from slagen.sheets import sheet_format, template_choices, template_columns, template_sheet

    columns = template_columns(base, library, language)
    if output is None:
        click.echo(template_sheet(columns, "csv").decode("utf-8-sig"), nl=False)
        return
    emit(template_sheet(columns, sheet_format(output, "-o"), template_choices(base, library)), output, force=force)


def _batch(
    table: Path,
    base: Answers,
    library: Library,
    memo: Memo,
    output_dir: Path,
    jobs: int,
    languages: tuple[str, ...],
    formats: tuple[str, ...],
    force: bool,
    dry_run: bool,
    errors_file: Path | None,
    as_json: bool,
    *,
    layout: bool = False,
) -> None:
    from slagen.batch import BatchJob, output_names, run_batch
    from slagen.batchcheck import carried_over, duplicate_references, expected_outputs, refuse_existing
    from slagen.generate import DEFAULT_FORMATS
    from slagen.output import flush_to_disk, write_outputs
    from slagen.sheets import entries_of, failed_sheet, sheet_format
    from slagen.table import read_sheet

    if (layout or "pdf" in formats) and not dry_run:
        from slagen.writers.pdf import find_converter

        find_converter()  # LibreOffice missing: said before any row is built
    errors_format = sheet_format(errors_file, "--errors") if errors_file else ""
    sheet = read_sheet(table, keys=library.params, entries=entries_of(library))
    rows = sheet.rows
    customer = str(base.values.get("parties.customer.name") or "")
    names = output_names(rows, lambda row: str(row.values.get("parties.customer.name", customer)))
    formats = formats or DEFAULT_FORMATS
    warnings = [*base.warnings, *carried_over(base.source, rows), *duplicate_references(base.source, rows, str(table))]
    files = expected_outputs(rows, names, [str(lang) for lang in base.values["languages"]], languages, formats)
    if not force:  # every existing file named in one line, before any work (the errors file too)
        warnings += refuse_existing(output_dir, files, [errors_file] if errors_file else [], dry_run=dry_run)
    date = source_date()
    known = frozenset((warning.key, warning.message) for warning in base.warnings)
    work = [
        BatchJob(row, names[row.number], str(table), base.source, library.root, languages, formats, date, known, layout)
        for row in rows
    ]

    def write(result: RowResult, outputs: list[Output]) -> None:
        if not dry_run:
            write_outputs({output_dir / out.name: out.data for out in outputs}, force=force, sync=False)

    if not as_json:
        warn(warnings)
    show = not (as_json or click.get_current_context().meta.get("slagen.quiet"))
    # SIGTERM: the workers end too, each row whole or not at all, no temporary left; exit 143
    with ends_cleanly_on_sigterm():
        with click.progressbar(
            length=len(work), label="Checking" if dry_run else "Building", file=sys.stderr, hidden=not show
        ) as bar:
            results = run_batch(work, library, memo, workers=jobs, write=write, progress=lambda _: bar.update(1))
        if not dry_run and (layout or "pdf" in formats):
            from slagen.batchpdf import lay_out_rows

            with click.progressbar(length=len(results), label="Laying out", file=sys.stderr, hidden=not show) as bar:
                lay_out_rows(results, str(table), write, workers=jobs, progress=lambda _: bar.update(1))
        if not dry_run:
            flush_to_disk([output_dir / name for result in results for name in result.files])
    failed = [r for r in results if not r.ok]
    if errors_file:
        data = failed_sheet(sheet, {r.row: r.problems for r in failed}, errors_format)
        write_outputs({errors_file: data}, force=force)
    _report(results, failed, warnings, output_dir, errors_file, dry_run=dry_run, as_json=as_json)
    if failed:
        sys.exit(EXIT_FINDINGS)


def _report(
    results: list[RowResult],
    failed: list[RowResult],
    warnings: list[Problem],
    output_dir: Path,
    errors_file: Path | None,
    *,
    dry_run: bool,
    as_json: bool,
) -> None:
    if as_json:
        rows_json = [
            {"row": r.row, "name": r.name, "files": r.files, "problems": r.problems, "warnings": r.warnings}
            for r in results
        ]
        summary = {
            "built": 0 if dry_run else len(results) - len(failed),
            "failed": len(failed),
            "dry_run": dry_run,
            "warnings": [str(w) for w in warnings],
            "errors_file": str(errors_file) if errors_file else None,
            "rows": rows_json,
        }
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    for result in results:
        for line in result.warnings:
            click.echo(line, err=True)
    for result in failed:
        for problem in result.problems:
            click.echo(f"error: {problem}", err=True)
    if dry_run:
        click.echo(
            f"checked {len(results)} rows: {len(results) - len(failed)} ok, {len(failed)} failed "
            "(dry run: no contract written)"
        )
    else:
        click.echo(f"built {len(results) - len(failed)}, failed {len(failed)} (of {len(results)} rows) in {output_dir}")
    if errors_file:
        say(f"failed rows: {errors_file}")
