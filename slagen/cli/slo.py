"""``slagen slo``: the promised service levels as monitoring files (OpenSLO, Sloth, Prometheus rules).

Parses the options and calls :func:`slagen.slo.files.export_file`, imported when the command runs.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from slagen.cli.console import detail, emit, reports_errors, warn
from slagen.cli.options import force_option, library_option
from slagen.errors import InputError

FORMATS = ("openslo", "sloth", "prometheus")
"""What ``--format`` accepts (a test holds them equal to :data:`slagen.slo.files.FORMATS`)."""


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="The format to write.")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(),
    help="File to write, or a directory for NAME.openslo.yaml, NAME.sloth.yaml or NAME.rules.yaml; "
    "without it, the export is printed.",
)
@click.option(
    "--margin",
    metavar="POINTS",
    help="Add an internal objective this many percentage points above each contract target (0.05: 99.9 → 99.95).",
)
@library_option
@force_option
@reports_errors
def slo(answers: Path, fmt: str, output: str | None, margin: str | None, library_dir: Path | None, force: bool) -> None:
    """Write the service levels of ANSWERS as monitoring objectives.

    OpenSLO v1 (a Service, an SLI and an SLO per objective, calendar-month windows in the
    agreement's time zone), a Sloth spec, or Prometheus recording and burn-rate alert rules,
    labelled with contract, tier and clause. The metric queries are placeholders for operations
    to fill in. Monitoring windows roll; the contract's month does not: `slagen report` computes
    what the contract owes.

    \b
    Example:
      slagen slo examples/it-service.yaml --format openslo -o out/
      slagen slo my-sla.yaml --format prometheus --margin 0.05 -o rules/my-sla.rules.yaml
    """
    from slagen.generate import check_answers
    from slagen.library import load_library
    from slagen.slo.files import export_file
    from slagen.slo.texts import load_texts, warning_languages

    points = _margin(margin)  # an option is checked before any file is read
    library = load_library(library_dir)
    result = check_answers(answers, library)
    warn(result.warnings)
    texts = {lang: load_texts(library, lang) for lang in warning_languages(result.values["languages"], library)}
    export = export_file(result, library, fmt, texts=texts, margin=points)
    if fmt == "openslo":
        from slagen.slo.validation import openslo_findings

        findings = openslo_findings(export.documents)
        if findings:  # slagen wrote something OpenSLO refuses: a bug, said as one (exit 3)
            raise AssertionError("the OpenSLO export breaks the schema: " + "; ".join(findings[:3]))
    target = _target(output, export.name)
    detail(f"{fmt}: {len(export.documents)} document(s)")
    emit(export.data, target, force=force)


def _target(output: str | None, name: str) -> Path | None:
    """Where to write: ``-o FILE``, or ``NAME`` in ``-o DIR`` (an existing directory, or a path ending in '/')."""
    if output is None:
        return None
    if output.endswith(("/", os.sep)) or Path(output).is_dir():
        return Path(output) / name
    return Path(output)


def _margin(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip().removesuffix("%").strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 < value < 100:
        raise InputError.single(f"{text!r} is not a margin in percentage points above 0 and below 100", key="--margin")
    return value
