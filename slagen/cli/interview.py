"""``slagen interview``: the answers file asked for at the terminal.

:mod:`slagen.interview` decides what to ask and checks each answer; this module only puts a
question on the terminal and reads the reply (:func:`ask`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slagen.cli.console import reports_errors, say
from slagen.cli.options import check_languages, force_option, language_option, library_option

if TYPE_CHECKING:
    from slagen.interview import Question


@click.command()
@click.option(
    "-o",
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answers file to write. Default: answers.yaml; with --from, that file (with --force only).",
)
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answers file to resume or edit: its answers are the defaults (Enter keeps them), its comments are kept.",
)
@click.option("--catalog", help="Service catalog; its question is then not asked.")
@click.option("--tier", help="Tier of the catalog; its question is then not asked.")
@language_option("Language of the questions. Default: de for a German locale (LANG), else en.")
@library_option
@force_option
@reports_errors
def interview(
    output_file: Path | None,
    from_file: Path | None,
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
    With --from, an answers file is resumed or edited: its answers are the defaults and its
    comments are kept.

    \b
    Example:
      slagen interview -o my-sla.yaml --lang de --catalog telemarketing
      slagen schema -o answers.schema.json && slagen check my-sla.yaml
      slagen interview --from my-sla.yaml -o my-sla-v2.yaml
    """
    from slagen.errors import OutputError
    from slagen.interview import default_language, refuse_existing, resume_file, run_interview
    from slagen.library import load_library
    from slagen.output import write_outputs

    if output_file is None and from_file is not None and not force:
        raise OutputError(f"{from_file}: give -o for the answers file to write, or --force to overwrite {from_file}")
    output_file = output_file or from_file or Path("answers.yaml")
    refuse_existing(output_file, force=force)
    library = load_library(library_dir)
    check_languages(library, [language])
    resumed = resume_file(library, from_file) if from_file is not None else None
    text = run_interview(
        library,
        ask,
        lang=language or default_language(os.environ, library.languages),
        say=say,
        catalog=catalog,
        tier=tier,
        resumed=resumed,
    )
    write_outputs({output_file: text.encode("utf-8")}, force=force)
    say(str(output_file))


def ask(question: Question) -> str:
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
        shown = f"{choice.label} ({choice.value})" if choice.label and choice.label != choice.value else choice.value
        click.echo(f"    {number}) {shown}" + (f"  {choice.note}" if choice.note else ""))
    default = question.default
    return str(
        click.prompt(question.text, default=default or "", show_default=default is not None, prompt_suffix=suffix)
    )
