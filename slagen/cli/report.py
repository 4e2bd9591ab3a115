"""``slagen report``: the service-level report of a period, computed from measured data (issue 17).

Parses the options and calls :mod:`slagen.report.run`, imported when the command runs.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from slagen.cli.console import detail, reports_errors, say, warn
from slagen.cli.options import force_option, library_option, make_memo, output_option
from slagen.cli.signals import ends_cleanly_on_sigterm
from slagen.errors import InputError, Problem

RECEIVED_ASSUMED = (
    "the report counts as received on {day}, the day it is due, and the periods that start with its receipt run "
    "from that day (give --received YYYY-MM-DD for the actual day)"
)

FORMATS = ("docx", "md", "json")


def _formats(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(part.strip() for item in value for part in item.split(",") if part.strip())
    for name in chosen:
        if name not in FORMATS:
            raise click.BadParameter(f"'{name}' is not one of {', '.join(FORMATS)}")
    return chosen or FORMATS


def _answers_files(given: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in given:
        if path.is_dir():
            files += sorted(path.glob("*.yaml"))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError.single("no such file or directory", file=path)
    if not files:
        raise InputError.single("no answers files (*.yaml) in the directories given")
    return files


def _received(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError.single(f"'{text}' is not a date (write YYYY-MM-DD)", key="--received") from None


def _fee(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        fee = Decimal(text)
    except InvalidOperation:
        fee = Decimal(-1)
    if not fee.is_finite() or fee < 0:
        raise InputError.single(f"'{text}' is not an amount (write e.g. 18500 or 18500.50)", key="--fee")
    return fee


@click.command()
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--data",
    "data",
    multiple=True,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Measured data (CSV or XLSX: outages, tickets, call intervals, activity); repeat for several. A "
    "directory: its files, or for a batch its sub-directory named after each answers file.",
)
@click.option("--period", required=True, help="Calendar month to report on, YYYY-MM.")
@click.option(
    "--history",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="JSON reports of earlier months (files or directories): for the chronic-failure rule and the annual cap.",
)
@click.option("--received", help="Day the customer received the report (YYYY-MM-DD); default: the day it is due.")
@click.option("--fee", help="The fee for the month, if not the agreement's monthly fee (a partial month).")
@click.option(
    "--format",
    "formats",
    multiple=True,
    callback=_formats,
    help="Formats to write, comma-separated or repeated: docx, md, json. Default: all three.",
)
@output_option
@library_option
@force_option
@reports_errors
def report(
    answers: tuple[Path, ...],
    data: tuple[Path, ...],
    period: str,
    history: tuple[Path, ...],
    received: str | None,
    fee: str | None,
    formats: tuple[str, ...],
    output_dir: Path,
    library_dir: Path | None,
    force: bool,
) -> None:
    """Write the service-level report of a calendar month for ANSWERS, computed from measured data.

    Per indicator the target, the measured value, met or missed and the calculation with its numbers;
    the periods not counted and why; late tickets with their due times; the Service Credit with its
    caps and the claim deadline; the state of the chronic-failure rule. Writes NAME.PERIOD.json and
    NAME.PERIOD.LANG.md / .docx for each language of the agreement.

    Several answers files (or a directory of them) make a batch, with progress on stderr; each
    agreement then reads its data from DATA/<name>/.

    \b
    Example:
      slagen report examples/it-service.yaml --data outages.csv --data tickets.csv --period 2027-03 -o out/
      slagen report contracts/ --data measured/ --period 2027-03 --history reports/ -o reports/
    """
    from slagen.library import load_library
    from slagen.output import write_outputs
    from slagen.report.history import read_history
    from slagen.report.period import parse_month
    from slagen.report.run import compute_for, report_outputs

    parse_month(period)
    files = _answers_files(answers)
    library, memo = load_library(library_dir), make_memo()
    past = read_history(tuple(_history_files(history)))
    when, amount = _received(received), _fee(fee)
    failed = 0
    show = len(files) > 1 and not click.get_current_context().meta.get("slagen.quiet")
    bar = click.progressbar(files, label="Reporting", file=sys.stderr, hidden=not show)
    with ends_cleanly_on_sigterm(), bar:
        for path in bar:
            try:
                computed, service = compute_for(path, data, period, library, memo, history=past, received=when,
                                                fee=amount)  # fmt: skip
                outputs = report_outputs(computed, service, library, path.stem, formats)
                written = write_outputs({output_dir / o.name: o.data for o in outputs}, force=force, sync=False)
            except InputError as exc:
                if len(files) == 1:
                    raise
                failed += 1
                for problem in exc.problems:
                    click.echo(f"{path}: {problem}", err=True)
                continue
            for file in written:
                detail(str(file)) if show else say(str(file))
            if computed.received_assumed and not show:
                warn([Problem(RECEIVED_ASSUMED.format(day=computed.received), str(path), severity="warning")])
    if failed:
        raise InputError.single(f"{failed} of {len(files)} reports not written (see the messages above)")


def _history_files(given: tuple[Path, ...]) -> list[Path]:
    return [p for path in given for p in (sorted(path.glob("*.json")) if path.is_dir() else [path])]
