"""The command line: the only module that prints or exits.

Each command parses its options and calls one function of the core; every
:class:`~slagen.errors.SlagenError` becomes its messages on stderr and its exit code
(2 for bad input), never a traceback. Any other exception is a bug: a short message asking
for a report and exit code 3; the traceback only with ``--verbose``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from slagen import __version__
from slagen.batch import BatchJob, RowResult, output_names, read_table, run_batch
from slagen.errors import EXIT_BROKEN_PIPE, EXIT_FINDINGS, EXIT_INTERNAL, InputError, Problem, SlagenError
from slagen.generate import (
    DEFAULT_FORMATS,
    FORMATS,
    Output,
    check_answers,
    generate,
    generate_redline,
    standard_answers,
)
from slagen.interview import Question, default_language, refuse_existing, run_interview
from slagen.library import FRONT_SECTION, default_library_path, load_library
from slagen.output import flush_to_disk, write_outputs
from slagen.params import LANGUAGES
from slagen.provenance import read_provenance
from slagen.schema import answers_schema
from slagen.tiers import compare_rows, find_catalog, list_rows, scaffold_tier
from slagen.writers.reference import load_reference

F = TypeVar("F", bound=Callable[..., Any])

DEMO = "telemarketing"


def _reports_errors(command: F) -> F:
    """Turn slagen errors into messages and exit codes at this one edge; add --quiet and --verbose."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SlagenError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}" if problem.severity == "error" else str(problem), err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.Abort, click.exceptions.Exit):
            raise  # click's own: usage errors, Ctrl-C, --help
        except BrokenPipeError:  # the reader left early (`slagen schema | head`): no error, like a killed pipe
            _silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as exc:  # noqa: BLE001 - anything else is a bug: said as one, the traceback on request
            _report_bug(exc)
            sys.exit(EXIT_INTERNAL)

    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[f"slagen.{param.name}"] = True

    wrapper = click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=remember, help="Print only errors and warnings."
    )(wrapper)
    wrapper = click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=remember, help="Also print what slagen does."
    )(wrapper)
    return wrapper  # type: ignore[return-value]


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail once more."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _report_bug(exc: Exception) -> None:
    """An unexpected exception: what it was and whom to tell; the traceback only with --verbose."""
    verbose = click.get_current_context().meta.get("slagen.verbose")
    if verbose:
        click.echo(traceback.format_exc(), err=True, nl=False)
    click.echo(f"error: internal error: {traceback.format_exception_only(exc)[-1].strip()}", err=True)
    hint = "" if verbose else "; --verbose shows the traceback"
    click.echo(
        f"This is a bug in slagen {__version__}, not a problem in your input. Please report it with the command "
        f"and the files it read{hint}.",
        err=True,
    )


def _say(message: str) -> None:
    """Normal output (stdout), silenced by --quiet."""
    if not click.get_current_context().meta.get("slagen.quiet"):
        click.echo(message)


def _detail(message: str) -> None:
    """Output of --verbose (stderr)."""
    if click.get_current_context().meta.get("slagen.verbose"):
        click.echo(message, err=True)


def _warn(warnings: list[Problem]) -> None:
    for warning in warnings:
        click.echo(str(warning), err=True)


output_option = click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory for the generated files.",
)


def output_file_option(help_text: str) -> Callable[[F], F]:
    """``-o FILE`` for commands that print their result unless told where to write it."""
    return click.option(
        "-o", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), help=help_text
    )


def _emit(data: bytes, output_file: Path | None, *, force: bool) -> None:
    """Print ``data`` (text), or write it atomically to ``output_file`` and name the file."""
    if output_file is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_outputs({output_file: data}, force=force)
        _say(str(output_file))


force_option = click.option("--force", is_flag=True, help="Overwrite existing output files.")
library_option = click.option(
    "--library",
    "library_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Clause library to use instead of the bundled one.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="slagen")
def main() -> None:
    """Slagen generates Service Level Agreements, in German and English, as DOCX and Markdown.

    \b
    Example:
      slagen demo -o out/                  # the telemarketing example contract
      slagen check my-sla.yaml             # report every problem in an answers file
      slagen build my-sla.yaml -o out/     # write my-sla.de.docx, my-sla.en.md, ...
    """


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@output_option
@click.option(
    "--lang",
    "languages",
    multiple=True,
    type=click.Choice(LANGUAGES),
    help="Language to write; repeat for several. Default: the answers file's 'languages'.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Format to write; repeat for several. Default: docx and md. pdf needs LibreOffice.",
)
@library_option
@click.option(
    "--review",
    is_flag=True,
    help="DOCX for legal review: a comment on each clause (library id, version, review note) and on each deviation.",
)
@click.option(
    "--reference-doc",
    type=click.Path(dir_okay=False, path_type=Path),
    help="DOCX whose styles, page setup, header and footer the contract takes (as pandoc's --reference-doc).",
)
@force_option
@_reports_errors
def build(
    answers: Path,
    output_dir: Path,
    languages: tuple[str, ...],
    formats: tuple[str, ...],
    library_dir: Path | None,
    review: bool,
    reference_doc: Path | None,
    force: bool,
) -> None:
    """Build the agreement described by ANSWERS (a YAML answers file).

    Writes NAME.LANG.FORMAT into the output directory, where NAME is the answers file's
    name. Nothing is written if any problem is found; warnings are printed.

    \b
    Example:
      slagen build examples/telemarketing.yaml -o out/ --lang de --format docx
    """
    _build(answers, output_dir, languages, formats, library_dir, force, review=review, reference_doc=reference_doc)


@main.command()
@output_option
@force_option
@_reports_errors
def demo(output_dir: Path, force: bool) -> None:
    """Write the example telemarketing SLA in German and English, as DOCX and Markdown.

    Needs no input: it builds the bundled examples/telemarketing.yaml.

    \b
    Example:
      slagen demo -o out/
    """
    _build(default_library_path() / "examples" / f"{DEMO}.yaml", output_dir, (), (), None, force)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@library_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (errors, warnings, clauses).")
@_reports_errors
def check(answers: Path, library_dir: Path | None, as_json: bool) -> None:
    """Validate ANSWERS and report every problem at once.

    Exit code 0 when the answers are fine, 1 when there are only warnings, 2 when there
    are errors.

    \b
    Example:
      slagen check examples/telemarketing.yaml
      slagen check --json my-sla.yaml | jq .errors
    """
    try:
        result = check_answers(answers, library_dir=library_dir)
    except InputError as exc:
        if not as_json:
            raise
        click.echo(json.dumps({"file": str(answers), "ok": False, "errors": _problems_json(exc.problems)}))
        sys.exit(exc.exit_code)
    clauses = [clause.id for clause in result.clauses if clause.section != FRONT_SECTION]
    if as_json:
        warnings = _problems_json(result.warnings)
        summary = {"file": str(answers), "ok": True, "errors": [], "warnings": warnings, "clauses": clauses}
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        _warn(result.warnings)
        _say(f"{answers}: ok ({len(clauses)} clauses, languages: {', '.join(result.values['languages'])})")
        _detail("clauses: " + ", ".join(clauses))
    if result.warnings:
        sys.exit(EXIT_FINDINGS)


def _problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "line": p.line, "key": p.key, "message": p.message, "severity": p.severity} for p in problems
    ]


@main.command()
@click.argument("contract", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--answers", "show_answers", is_flag=True, help="Print the answers file that produced the contract.")
@output_file_option("With --answers: write the answers to this file instead of printing them.")
@force_option
@_reports_errors
def inspect(contract: Path, show_answers: bool, output_file: Path | None, force: bool) -> None:
    """Show where CONTRACT (a DOCX written by slagen) came from.

    Prints the document properties slagen stored: its version, the library's version and
    hash, the answers digest, catalog, tier and language. With --answers, gives back the
    answers file that produced the contract, so that it can be built again.

    \b
    Example:
      slagen inspect out/telemarketing.de.docx
      slagen inspect --answers out/telemarketing.de.docx -o again.yaml && slagen build again.yaml
    """
    found = read_provenance(contract)
    if not show_answers:
        width = max(len(name) for name in found.properties)
        for name, value in found.properties.items():
            click.echo(f"{name.ljust(width)}  {value}")
        return
    if found.answers is None:
        raise InputError.single("the answers were not stored in this document", file=contract)
    _emit(found.answers.encode("utf-8"), output_file, force=force)


@main.command()
@click.argument("old", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--against-standard",
    "against",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Compare a customer-specific ANSWERS file with its standard tier.",
)
@output_file_option("File to write (.docx or .md); without it, Markdown is printed.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), help="Language (default: the first of NEW).")
@click.option("--format", "fmt", type=click.Choice(["docx", "md"]), help="Default: from the -o suffix.")
@library_option
@force_option
@_reports_errors
def redline(
    old: Path | None,
    new: Path | None,
    against: Path | None,
    output_file: Path | None,
    language: str | None,
    fmt: str | None,
    library_dir: Path | None,
    force: bool,
) -> None:
    """Show what changed between two answers files, as tracked changes in Word or as Markdown.

    Clauses added or removed appear as whole insertions or deletions, changed wording word
    by word (author "slagen"). Word and LibreOffice let you accept or reject each change.

    \b
    Example:
      slagen redline old.yaml new.yaml -o changes.docx
      slagen redline --against-standard examples/telemarketing-custom.yaml -o deviations.docx
      slagen redline old.yaml new.yaml            # Markdown with {++inserted++} and {--deleted--}
    """
    library = load_library(library_dir)
    if against is not None and old is None:
        after = check_answers(against, library_dir=library_dir)
        before = standard_answers(after, library)
    elif against is None and old is not None and new is not None:
        before = check_answers(old, library_dir=library_dir)
        after = check_answers(new, library_dir=library_dir)
    else:
        raise InputError.single("give OLD and NEW answers files, or --against-standard ANSWERS")
    fmt = fmt or ("docx" if output_file is not None and output_file.suffix.lower() == ".docx" else "md")
    if fmt == "docx" and output_file is None:
        raise InputError.single("a DOCX redline needs -o FILE.docx")
    _emit(generate_redline(before, after, library, language=language, fmt=fmt), output_file, force=force)


@main.command()
@output_file_option("File to write (e.g. answers.schema.json); without it, the schema is printed.")
@library_option
@force_option
@_reports_errors
def schema(output_file: Path | None, library_dir: Path | None, force: bool) -> None:
    """Write the JSON Schema of the answers file, so editors check and complete it.

    Derived from the library's declarations (the same that `slagen check` uses). Point an
    answers file at it with a first line `# yaml-language-server: $schema=answers.schema.json`.

    \b
    Example:
      slagen schema -o answers.schema.json
    """
    text = json.dumps(answers_schema(load_library(library_dir)), indent=2, ensure_ascii=False) + "\n"
    _emit(text.encode("utf-8"), output_file, force=force)


@main.command()
@click.option(
    "-o",
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("answers.yaml"),
    show_default=True,
    help="Answers file to write.",
)
@click.option("--catalog", help="Service catalog; its question is then not asked.")
@click.option("--tier", help="Tier of the catalog; its question is then not asked.")
@click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    help="Language of the questions. Default: de for a German locale (LANG), else en.",
)
@library_option
@force_option
@_reports_errors
def interview(
    output_file: Path,
    catalog: str | None,
    tier: str | None,
    language: str | None,
    library_dir: Path | None,
    force: bool,
) -> None:
    """Ask for the answers of an agreement and write them as a commented answers file.

    The questions come from the clause library (the declarations `slagen check` validates
    with); a question is asked only if a clause that needs it can apply. Each answer is
    checked at once and asked again if it does not fit. Ctrl-C stops without writing.

    \b
    Example:
      slagen interview -o my-sla.yaml --lang de --catalog telemarketing
      slagen schema -o answers.schema.json && slagen check my-sla.yaml
    """
    refuse_existing(output_file, force=force)
    text = run_interview(
        load_library(library_dir),
        _ask,
        lang=language or default_language(os.environ),
        say=_say,
        catalog=catalog,
        tier=tier,
    )
    write_outputs({output_file: text.encode("utf-8")}, force=force)
    _say(str(output_file))


def _ask(question: Question) -> str:
    """One interview question at the terminal: help or the last error, the choices, the prompt."""
    if question.error:
        click.echo(f"  ! {question.error}", err=True)
    elif question.help:
        for line in question.help.splitlines():
            click.echo(f"  {line}")
    suffix = " " if question.text.endswith("?") else ": "
    if question.confirm:
        letters = "/".join(c.value.upper() if c.value == question.default else c.value for c in question.choices)
        return str(click.prompt(f"{question.text} [{letters}]", default="", show_default=False, prompt_suffix=suffix))
    for number, choice in enumerate(question.choices, 1):
        click.echo(f"    {number}) {choice.value}" + (f"  {choice.note}" if choice.note else ""))
    default = question.default
    return str(
        click.prompt(question.text, default=default or "", show_default=default is not None, prompt_suffix=suffix)
    )


@main.command()
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
@click.option("--lang", "languages", multiple=True, type=click.Choice(LANGUAGES), help="As for build.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), help="As for build.")
@library_option
@force_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary and every row as JSON.")
@_reports_errors
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
    base = check_answers(base_file, library_dir=library_dir)
    rows = read_table(table)
    customer = str(base.values.get("parties.customer.name") or "")
    names = output_names(rows, lambda row: str(row.values.get("parties.customer.name", customer)))
    work = [
        BatchJob(row, names[row.number], str(table), base.source, library_dir, languages, formats or DEFAULT_FORMATS)
        for row in rows
    ]

    def write(result: RowResult, outputs: list[Output]) -> None:
        write_outputs({output_dir / out.name: out.data for out in outputs}, force=force, sync=False)

    show = not (as_json or click.get_current_context().meta.get("slagen.quiet"))
    with click.progressbar(length=len(work), label="Building", file=sys.stderr, hidden=not show) as bar:
        results = run_batch(work, workers=jobs, write=write, progress=lambda _: bar.update(1))
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


@main.group(invoke_without_command=True)
@click.option("--catalog", help="Only this catalog.")
@library_option
@click.pass_context
def tiers(ctx: click.Context, catalog: str | None, library_dir: Path | None) -> None:
    """List the service catalogs and their standard tiers; show, compare and add tiers.

    \b
    Example:
      slagen tiers
      slagen tiers show premium
      slagen tiers compare basic professional premium
      slagen tiers new enterprise --from premium --catalog telemarketing
    """
    ctx.ensure_object(dict)
    ctx.obj.update(catalog=catalog, library_dir=library_dir)
    if ctx.invoked_subcommand is None:
        _tiers_list(catalog, library_dir)


@_reports_errors
def _tiers_list(catalog: str | None, library_dir: Path | None) -> None:
    _say(_table([["catalog", "tier", "rank", "name"], *list_rows(load_library(library_dir), catalog)]))


@tiers.command("show")
@click.argument("name")
@click.option("--catalog", help="Catalog of the tier, if several have one of that name.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="en", show_default=True)
@library_option
@click.pass_context
@_reports_errors
def tiers_show(ctx: click.Context, name: str, catalog: str | None, language: str, library_dir: Path | None) -> None:
    """Print the targets of tier NAME.

    \b
    Example:
      slagen tiers show professional --lang de
    """
    library = load_library(library_dir or ctx.obj.get("library_dir"))
    found = find_catalog(library, catalog or ctx.obj.get("catalog"), [name])
    _say(_table(compare_rows(found, [name], language)))


@tiers.command("compare")
@click.argument("names", nargs=-1, required=True)
@click.option("--catalog", help="Catalog of the tiers.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="en", show_default=True)
@library_option
@click.pass_context
@_reports_errors
def tiers_compare(
    ctx: click.Context, names: tuple[str, ...], catalog: str | None, language: str, library_dir: Path | None
) -> None:
    """Print tiers NAMES side by side: one row per KPI.

    \b
    Example:
      slagen tiers compare basic professional premium
    """
    library = load_library(library_dir or ctx.obj.get("library_dir"))
    found = find_catalog(library, catalog or ctx.obj.get("catalog"), list(names))
    _say(_table(compare_rows(found, list(names), language)))


@tiers.command("new")
@click.argument("name")
@click.option("--from", "base", required=True, help="Existing tier to start from.")
@click.option("--catalog", help="Catalog of the new tier.")
@library_option
@force_option
@click.pass_context
@_reports_errors
def tiers_new(
    ctx: click.Context, name: str, base: str, catalog: str | None, library_dir: Path | None, force: bool
) -> None:
    """Write a commented scaffold for a new tier NAME into the library, pre-filled from --from.

    The file is tiers/CATALOG/NAME.yaml in the library; fill it in, then `slagen lint`.

    \b
    Example:
      slagen tiers new enterprise --from premium --catalog telemarketing --library my-library/
    """
    library = load_library(library_dir or ctx.obj.get("library_dir"))
    found = find_catalog(library, catalog or ctx.obj.get("catalog"), [base])
    target = library.root / "tiers" / found.id / f"{name}.yaml"
    write_outputs({target: scaffold_tier(found, base, name).encode("utf-8")}, force=force)
    _say(str(target))


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


@main.command()
@library_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (file, line, rule, message).")
@_reports_errors
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


def _build(
    answers: Path,
    output_dir: Path,
    languages: tuple[str, ...],
    formats: tuple[str, ...],
    library_dir: Path | None,
    force: bool,
    *,
    review: bool = False,
    reference_doc: Path | None = None,
) -> None:
    started = time.perf_counter()
    library = load_library(library_dir)
    _detail(f"library {library.root} (version {library.version}, hash {library.digest})")
    result = check_answers(answers, library_dir=library_dir)
    _warn(result.warnings)
    offered = result.values.get("service.offered_tiers") if result.values["agreement.model"] == "multi-level" else None
    tiers = f"tiers {', '.join(offered)} (chosen: {result.values['service.tier'] or 'none'})" if offered else None
    _detail(f"{len(result.clauses) - 1} clauses, {tiers or 'tier ' + str(result.values['service.tier'])}")
    outputs = generate(
        result,
        library,
        languages=languages or None,
        formats=formats or DEFAULT_FORMATS,
        review=review,
        reference=load_reference(reference_doc) if reference_doc else None,
    )
    written = write_outputs({output_dir / out.name: out.data for out in outputs}, force=force)
    for path in written:
        _say(str(path))
    _detail(f"{len(written)} files in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":  # pragma: no cover
    main()
