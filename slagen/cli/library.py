"""Commands for the library's authors: ``lint``, ``schema`` and ``tiers`` (list, show, compare, new).

They read the clause library (the bundled one or ``--library DIR``) rather than an answers
file; as everywhere in the command line, the core is imported when a command runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from slagen.cli.console import emit, maps_errors, reports_errors, say
from slagen.cli.options import check_languages, force_option, language_option, library_option, output_file_option
from slagen.errors import EXIT_FINDINGS


@click.command()
@library_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (file, line, rule, message).")
@reports_errors
def lint(library_dir: Path | None, as_json: bool) -> None:
    """Check the clause library for its writers; exit code 1 with a list of findings.

    Every clause in every language, every template variable declared and every declared
    parameter used, every defined term defined once and used, conditions that parse, every
    KPI worded in both languages, clause versions present. Each finding names file, line
    and rule.

    \b
    Example:
      slagen lint
      slagen lint --library ../our-library
      slagen lint --json | jq '.findings[] | select(.rule == "languages")'
    """
    from slagen.library import default_library_path
    from slagen.lint import lint_library

    root = library_dir or default_library_path()
    findings = lint_library(root)
    if as_json:
        rows = [{"file": f.file, "line": f.line or None, "rule": f.rule, "message": f.message} for f in findings]
        click.echo(json.dumps({"library": str(root), "ok": not findings, "findings": rows}, ensure_ascii=False))
        if findings:
            sys.exit(EXIT_FINDINGS)
        return
    for finding in findings:
        click.echo(str(finding))
    if findings:
        click.echo(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo("library ok")


@click.command()
@output_file_option("File to write (e.g. answers.schema.json); without it, the schema is printed.")
@library_option
@force_option
@reports_errors
def schema(output_file: Path | None, library_dir: Path | None, force: bool) -> None:
    """Write the JSON Schema of the answers file, so editors check and complete it.

    Derived from the library's declarations (the same that `slagen check` uses). Point an
    answers file at it with a first line `# yaml-language-server: $schema=answers.schema.json`.

    \b
    Example:
      slagen schema -o answers.schema.json
    """
    from slagen.library import load_library
    from slagen.schema import answers_schema

    text = json.dumps(answers_schema(load_library(library_dir)), indent=2, ensure_ascii=False) + "\n"
    emit(text.encode("utf-8"), output_file, force=force)


@click.group(invoke_without_command=True)
@click.option("--catalog", help="Only this catalog.")
@library_option
@click.pass_context
def tiers(ctx: click.Context, catalog: str | None, library_dir: Path | None) -> None:
    """List the service catalogs and their standard tiers; show, compare and add tiers.

    \b
    Example:
      slagen tiers
      slagen tiers show premium --catalog telemarketing
      slagen tiers compare bronze silver gold
      slagen tiers new enterprise --from premium --catalog telemarketing --library our-library
    """
    ctx.ensure_object(dict)
    ctx.obj.update(catalog=catalog, library_dir=library_dir)
    if ctx.invoked_subcommand is None:
        _tiers_list(catalog, library_dir)


@maps_errors
def _tiers_list(catalog: str | None, library_dir: Path | None) -> None:
    from slagen.library import load_library
    from slagen.tiers import list_rows

    say(_table([["catalog", "tier", "rank", "name"], *list_rows(load_library(library_dir), catalog)]))


@tiers.command("show")
@click.argument("name")
@click.option("--catalog", help="Catalog of the tier, if several have one of that name.")
@language_option(default="en")
@library_option
@click.pass_context
@reports_errors
def tiers_show(ctx: click.Context, name: str, catalog: str | None, language: str, library_dir: Path | None) -> None:
    """Print the targets of tier NAME.

    \b
    Example:
      slagen tiers show professional --catalog call-centre-inbound --lang de
    """
    _compare(ctx, [name], catalog, language, library_dir)


@tiers.command("compare")
@click.argument("names", nargs=-1, required=True)
@click.option("--catalog", help="Catalog of the tiers.")
@language_option(default="en")
@library_option
@click.pass_context
@reports_errors
def tiers_compare(
    ctx: click.Context, names: tuple[str, ...], catalog: str | None, language: str, library_dir: Path | None
) -> None:
    """Print tiers NAMES side by side: one row per KPI.

    \b
    Example:
      slagen tiers compare basic professional premium --catalog telemarketing
      slagen tiers compare bronze silver gold --lang de
    """
    _compare(ctx, list(names), catalog, language, library_dir)


def _compare(
    ctx: click.Context, names: list[str], catalog: str | None, language: str, library_dir: Path | None
) -> None:
    """Tiers ``names`` of one catalog side by side (one of them: ``tiers show``)."""
    from slagen.library import load_library
    from slagen.tiers import compare_rows, find_catalog

    library = load_library(library_dir or ctx.obj.get("library_dir"))
    check_languages(library, [language])
    found = find_catalog(library, catalog or ctx.obj.get("catalog"), names)
    say(_table(compare_rows(found, names, language, locale=library.locale(language))))


@tiers.command("new")
@click.argument("name")
@click.option("--from", "base", required=True, help="Existing tier to start from.")
@click.option("--catalog", help="Catalog of the new tier.")
@library_option
@force_option
@click.pass_context
@reports_errors
def tiers_new(
    ctx: click.Context, name: str, base: str, catalog: str | None, library_dir: Path | None, force: bool
) -> None:
    """Write a new tier NAME into your library: every target, term and credit of --from, to change.

    The file is tiers/CATALOG/NAME.yaml in the library named by --library (or SLAGEN_LIBRARY, or a
    slagen.toml); never into slagen's own (make one with `slagen library init DIR`). Then `slagen lint`.

    \b
    Example:
      slagen tiers new enterprise --from premium --catalog telemarketing --library my-library/
    """
    from slagen.cli.catalog import writable_library
    from slagen.library import load_library
    from slagen.output import write_outputs
    from slagen.scaffold import scaffold_tier
    from slagen.tiers import find_catalog

    root = writable_library(library_dir or ctx.obj.get("library_dir"))
    library = load_library(root)
    found = find_catalog(library, catalog or ctx.obj.get("catalog"), [base])
    target = root / "tiers" / found.id / f"{name}.yaml"
    write_outputs({target: scaffold_tier(library, found, base, name).encode("utf-8")}, force=force)
    say(str(target))


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
