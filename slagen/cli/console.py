"""What the command line says: normal output, details, warnings, and errors as exit codes.

This is the one place that maps errors to messages and exit codes: every
:class:`~slagen.errors.SlagenError` becomes its messages on stderr and its exit code (2 for bad
input), never a traceback. Any other exception is a bug: a short message asking for a report and
exit code 3; the traceback only with ``--verbose``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from slagen import __version__
from slagen.cli.signals import ends_cleanly_on_sigterm
from slagen.errors import EXIT_BROKEN_PIPE, EXIT_INTERNAL, Problem, SlagenError

F = TypeVar("F", bound=Callable[..., Any])


def maps_errors(command: F) -> F:
    """Turn slagen errors into messages and exit codes at this one edge."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with ends_cleanly_on_sigterm():  # every command: what it wrote is put back, exit 143
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

    return wrapper  # type: ignore[return-value]


def reports_errors(command: F) -> F:
    """A command whose errors are mapped (:func:`maps_errors`), with --quiet and --verbose."""

    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[f"slagen.{param.name}"] = True

    wrapper = maps_errors(command)
    wrapper = click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=remember, help="Print only errors and warnings."
    )(wrapper)
    return click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=remember, help="Also print what slagen does."
    )(wrapper)


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


def say(message: str) -> None:
    """Normal output (stdout), silenced by --quiet."""
    if not click.get_current_context().meta.get("slagen.quiet"):
        click.echo(message)


def detail(message: str) -> None:
    """Output of --verbose (stderr)."""
    if click.get_current_context().meta.get("slagen.verbose"):
        click.echo(message, err=True)


def warn(warnings: list[Problem]) -> None:
    """Warnings on stderr, one line each; they never change the exit code of a build."""
    for warning in warnings:
        click.echo(str(warning), err=True)


def emit(data: bytes, output_file: Path | None, *, force: bool) -> None:
    """Print ``data`` (text), or write it atomically to ``output_file`` and name the file."""
    if output_file is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        from slagen.output import write_outputs

        write_outputs({output_file: data}, force=force)
        say(str(output_file))
