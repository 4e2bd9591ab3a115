"""Commands about one agreement: ``demo``, ``build``, ``check``, ``redline`` and ``inspect``.

Each parses its options and calls one function of the core, imported when the command runs:
the core brings Jinja2, Babel and python-docx, which ``--help`` has no use for.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from slagen.cli.console import detail, emit, reports_errors, say, warn
from slagen.cli.layout import layout_wanted, note_fields
from slagen.cli.options import (
    check_languages,
    force_option,
    formats_option,
    language_option,
    languages_option,
    library_option,
    make_memo,
    output_file_option,
    output_option,
    source_date,
)
from slagen.cli.signals import ends_cleanly_on_sigterm
from slagen.errors import EXIT_FINDINGS, InputError, Problem

if TYPE_CHECKING:
    from slagen.answers import Answers
    from slagen.library import Library
    from slagen.memo import Memo

DEMO = "telemarketing"


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@output_option
@languages_option("Language to write; repeat for several. Default: the answers file's 'languages'.")
@formats_option("Format to write; repeat for several. Default: docx and md. pdf needs LibreOffice.")
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
@click.option(
    "--no-answers",
    "no_answers",
    is_flag=True,
    help="Do not store the answers file (with its comments) inside the DOCX; inspect --answers and redline then "
    "cannot read it back.",
)
@click.option(
    "--layout/--no-layout",
    default=None,
    help="Lay the DOCX out with LibreOffice and write the contents' page numbers into it, so that Word and "
    "LibreOffice show them without updating fields. Default: when LibreOffice is installed (SLAGEN_LAYOUT=0 or 1 "
    "overrides). A PDF always has them.",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Mark the contract as a draft: ENTWURF/DRAFT in the header of every page and on the cover, and in the "
    "provenance (slagen inspect).",
)
@force_option
@reports_errors
def build(
    answers: Path,
    output_dir: Path,
    languages: tuple[str, ...],
    formats: tuple[str, ...],
    library_dir: Path | None,
    review: bool,
    reference_doc: Path | None,
    no_answers: bool,
    layout: bool | None,
    draft: bool,
    force: bool,
) -> None:
    """Build the agreement described by ANSWERS (a YAML answers file).

    Writes NAME.LANG.FORMAT into the output directory, where NAME is the answers file's
    name. Nothing is written if any problem is found; warnings are printed.

    \b
    Example:
      slagen build examples/telemarketing.yaml -o out/ --lang de --format docx
    """
    _build(
        answers,
        output_dir,
        languages,
        formats,
        library_dir,
        force,
        review=review,
        reference_doc=reference_doc,
        embed_answers=not no_answers,
        layout=layout,
        draft=draft,
    )


@click.command()
@output_option
@force_option
@reports_errors
def demo(output_dir: Path, force: bool) -> None:
    """Write the example telemarketing SLA in German and English, as DOCX and Markdown.

    Needs no input: it builds the bundled examples/telemarketing.yaml.

    \b
    Example:
      slagen demo -o out/
    """
    from slagen.library import default_library_path

    _build(default_library_path() / "examples" / f"{DEMO}.yaml", output_dir, (), (), None, force)


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
    embed_answers: bool = True,
    layout: bool | None = None,
    draft: bool = False,
) -> None:
    from slagen.generate import DEFAULT_FORMATS, check_answers, generate
    from slagen.library import load_library
    from slagen.output import write_outputs
    from slagen.writers.reference import load_reference

    started = time.perf_counter()
    library = load_library(library_dir)
    check_languages(library, languages)
    detail(f"library {library.root} (version {library.version}, hash {library.digest})")
    memo = make_memo()
    result = check_answers(answers, library, memo)
    warn(result.warnings)
    offered = result.values.get("service.offered_tiers") if result.values["agreement.model"] == "multi-level" else None
    tiers = f"tiers {', '.join(offered)} (chosen: {result.values['service.tier'] or 'none'})" if offered else None
    detail(f"{len(result.clauses) - 1} clauses, {tiers or 'tier ' + str(result.values['service.tier'])}")
    laid_out = "docx" in (formats or DEFAULT_FORMATS) and layout_wanted(layout)
    outputs = generate(
        result,
        library,
        memo=memo,
        source_date=source_date(),
        languages=languages or None,
        formats=formats or DEFAULT_FORMATS,
        review=review,
        reference=load_reference(reference_doc) if reference_doc else None,
        embed_answers=embed_answers,
        layout=laid_out,
        draft=draft,
    )
    with ends_cleanly_on_sigterm():  # SIGTERM while writing: the files put back as they were, exit 143
        written = write_outputs({output_dir / out.name: out.data for out in outputs}, force=force)
    for path in written:
        say(str(path))
    if "docx" in (formats or DEFAULT_FORMATS) and not laid_out and "pdf" not in formats:
        note_fields(layout)
    detail(f"{len(written)} files in {time.perf_counter() - started:.2f} s")


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@library_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (errors, warnings, clauses).")
@reports_errors
def check(answers: Path, library_dir: Path | None, as_json: bool) -> None:
    """Validate ANSWERS and report every problem at once.

    Exit code 0 when the answers are fine, 1 when there are only warnings, 2 when there
    are errors.

    \b
    Example:
      slagen check examples/telemarketing.yaml
      slagen check --json my-sla.yaml | jq .errors
    """
    from slagen.generate import build_documents, check_answers
    from slagen.library import FRONT_SECTION, load_library

    try:
        library, memo = load_library(library_dir), make_memo()
        result = check_answers(answers, library, memo)
        # what build would refuse, check refuses with the same message: render and number every language
        build_documents(result, library, result.values["languages"], memo=memo)
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
        warn(result.warnings)
        say(f"{answers}: ok ({len(clauses)} clauses, languages: {', '.join(result.values['languages'])})")
        detail("clauses: " + ", ".join(clauses))
    if result.warnings:
        sys.exit(EXIT_FINDINGS)


def _problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "line": p.line, "key": p.key, "message": p.message, "severity": p.severity} for p in problems
    ]


@click.command()
@click.argument("old", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--against-standard",
    "against",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Compare a customer-specific ANSWERS file with its standard tier.",
)
@output_file_option("File to write (.docx or .md); without it, Markdown is printed.")
@language_option("Language (default: NEW's own if it is a contract, else the first of its languages).")
@click.option("--format", "fmt", type=click.Choice(["docx", "md"]), help="Default: from the -o suffix.")
@library_option
@force_option
@reports_errors
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
    """Show what changed between two versions of an agreement, as tracked changes in Word or as Markdown.

    OLD and NEW are answers files, or DOCX contracts written by slagen: the answers stored in
    them are compared (built with the current library).

    The redline is the whole new contract (cover, parties, clauses, annexes, signatures) with
    every change from the old one tracked (author "slagen"): blocks added or removed whole,
    changed wording word by word. It opens with a summary of the changes; it carries both
    versions' provenance (slagen inspect REDLINE.docx). Accept all changes: the new contract;
    reject all: the old one.

    \b
    Example:
      slagen redline old.yaml new.yaml -o changes.docx
      slagen redline --against-standard examples/telemarketing-custom.yaml -o deviations.docx
      slagen redline old.yaml new.yaml            # Markdown with {++inserted++} and {--deleted--}
    """
    from slagen.comparison import make_redline
    from slagen.generate import standard_answers
    from slagen.library import load_library

    library = load_library(library_dir)
    check_languages(library, [language])
    memo = make_memo()
    if against is not None and old is None:
        after = _answers_of(against, library, memo)
        before = standard_answers(after, library, memo)
    elif against is None and old is not None and new is not None:
        before = _answers_of(old, library, memo)
        after = _answers_of(new, library, memo)
    else:
        raise InputError.single("give OLD and NEW answers files, or --against-standard ANSWERS")
    fmt = fmt or ("docx" if output_file is not None and output_file.suffix.lower() == ".docx" else "md")
    if fmt == "docx" and output_file is None:
        raise InputError.single("a DOCX redline needs -o FILE.docx")
    if language is None:  # a contract's own language before the answers' first
        language = _language_of(against or new, library)
    changes = make_redline(
        before,
        after,
        library,
        language=language,
        fmt=fmt,
        memo=memo,
        source_date=source_date(),
        against_standard=against is not None,
    )
    emit(changes, output_file, force=force)


def _answers_of(path: Path, library: Library, memo: Memo) -> Answers:
    """The checked answers of an answers file, or of the answers a DOCX written by slagen carries."""
    from slagen.generate import check_answers, validate
    from slagen.provenance import contract_answers, is_package
    from slagen.yamlsource import parse_yaml

    if not is_package(path) and path.suffix.lower() != ".docx":  # a .docx that is no zip: say that
        return check_answers(path, library, memo)
    text = contract_answers(path)
    return validate(parse_yaml(text.encode("utf-8"), f"{path} (the answers stored in it)"), library, memo)


def _language_of(path: Path | None, library: Library) -> str | None:
    """The language of a contract slagen wrote (None for an answers file, or one in a language not the library's)."""
    from slagen.provenance import is_package, read_provenance

    if path is None or not is_package(path):
        return None
    language = read_provenance(path).properties.get("slagen.language")
    return language if language in library.labels else None


@click.command()
@click.argument("contract", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--answers", "show_answers", is_flag=True, help="Print the answers file that produced the contract.")
@output_file_option("With --answers: write the answers to this file instead of printing them.")
@force_option
@reports_errors
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
    from slagen.archives import printable
    from slagen.provenance import read_provenance, stored_answers

    found = read_provenance(contract)
    if not show_answers:  # a document may hold anything: no control character reaches the terminal raw
        shown = {printable(name): printable(value) for name, value in found.properties.items()}
        width = max(len(name) for name in shown)
        for name, value in shown.items():
            click.echo(f"{name.ljust(width)}  {value}")
        return
    answers = stored_answers(found, contract)
    if output_file is None and sys.stdout.isatty():  # a file or a pipe gets them exactly
        answers = printable(answers, keep="\n\t")
    emit(answers.encode("utf-8"), output_file, force=force)
