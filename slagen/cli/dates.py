"""``slagen dates``: the dates an agreement implies (terms, notice deadlines, reviews, report due dates).

The computation is :mod:`slagen.dates`, the wording :mod:`slagen.datesout`; as everywhere in the command
line, the core is imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from slagen.cli.console import emit, reports_errors, warn
from slagen.cli.options import check_languages, force_option, language_option, library_option, output_file_option

FORMATS = ("text", "json", "ics")


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option(
    "--until", "until", type=int, metavar="YEAR", help="Show dates up to the end of YEAR (default: 3 years on)."
)
@language_option("Language of the text and calendar (default: the first of the answers' languages).")
@output_file_option("File to write (e.g. dates.ics); without it, the dates are printed.")
@library_option
@force_option
@reports_errors
def dates(
    answers: Path,
    fmt: str,
    until: int | None,
    language: str | None,
    output_file: Path | None,
    library_dir: Path | None,
    force: bool,
) -> None:
    """Print the dates ANSWERS implies: terms, notice deadlines, review meetings and report due dates.

    Notice deadlines are the last day on which notice must be received, counted under the governing
    law (German law: sections 187 and 188 BGB; section 193 does not move them). Report due dates count
    Working Days, which need the public holidays of `service.holidays`.

    \b
    Example:
      slagen dates examples/call-centre.yaml
      slagen dates examples/call-centre.yaml --lang de --until 2032
      slagen dates examples/call-centre.yaml --format ics -o sla-dates.ics
    """
    import datetime as dt

    from slagen.answers import load_answers
    from slagen.clock import working_days_for
    from slagen.dates import contract_dates
    from slagen.datesout import Wording, as_ics, as_json, as_text
    from slagen.errors import InputError, LibraryError, Problem
    from slagen.library import load_library
    from slagen.yamlsource import load_yaml

    library = load_library(library_dir)
    check_languages(library, [language])
    agreement = load_answers(answers, library)
    warn(agreement.warnings)
    values = agreement.values
    effective: dt.date = values["agreement.effective_date"]
    year = effective.year + 3 if until is None else until
    if not effective.year <= year <= effective.year + 100:
        message = f"--until must be a year from {effective.year} to {effective.year + 100}, not {year}"
        raise InputError([Problem(message, key="--until")])
    days = None
    if values.get("reporting.frequency"):
        try:
            days = working_days_for(agreement)
        except InputError as exc:  # the other dates need no Working Days: give them, and say what is left out
            left_out = "; the report due dates are left out"
            warn([p._replace(severity="warning", message=p.message + left_out) for p in exc.problems])
    result = contract_dates(values, dt.date(year, 12, 31), days)
    if fmt == "json":
        emit(as_json(result).encode("utf-8"), output_file, force=force)
        return
    lang = language or values["languages"][0]
    path = library.template_root / lang / "dates.yaml"
    if not path.is_file():
        raise LibraryError.single(f"the library has no wording of 'slagen dates' in '{lang}'", file=path)
    reference = str(values.get("agreement.reference") or agreement.name)
    labels = library.labels[lang]
    texts = load_yaml(path).data
    wording = Wording(
        texts if isinstance(texts, dict) else {},
        labels.get("frequency", {}),
        library.locale(lang),
        reference,
        str(path),
    )
    if fmt == "ics":
        emit(as_ics(result, wording).encode("utf-8"), output_file, force=force)
        return
    holiday = days.holiday_test() if days is not None and values.get("service.holidays") else None

    def day_off(day: dt.date) -> bool:
        return day.weekday() >= 5 or (holiday is not None and holiday(day))

    emit(as_text(result, wording, day_off).encode("utf-8"), output_file, force=force)
