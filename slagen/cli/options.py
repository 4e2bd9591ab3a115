"""Options that several commands share, the check of what they name, and the settings from the environment.

Declared here without importing the core, so that ``--help`` stays cheap: the formats are
spelled out (a test holds them equal to :data:`slagen.generate.FORMATS`), and a language is
any word until the library is loaded, which knows its languages (``templates/<lang>/``).
The command line is the one part of slagen that reads environment variables; the core is
given what they say (:func:`make_memo`, :func:`source_date`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from slagen.errors import InputError

if TYPE_CHECKING:
    from slagen.library import Library
    from slagen.memo import Memo

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("docx", "md", "pdf")
"""What ``--format`` accepts: the writers of :mod:`slagen.generate`."""

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


force_option = click.option("--force", is_flag=True, help="Overwrite existing output files.")

LIBRARY_VARIABLE = "SLAGEN_LIBRARY"
SETTINGS_FILE = "slagen.toml"


def library_setting(cwd: Path | None = None) -> tuple[Path | None, str]:
    """The library the settings name, and where that was said: ``SLAGEN_LIBRARY``, else a ``slagen.toml``.

    ``slagen.toml`` in the working directory or the nearest of its parents may say ``library = "DIR"``
    (relative to the file). Neither: ``(None, "bundled")``. A settings file that is no TOML, or whose
    ``library`` is no text, is bad input naming the file and line.
    """
    named = os.environ.get(LIBRARY_VARIABLE, "").strip()
    if named:
        return Path(named), LIBRARY_VARIABLE
    here = (cwd or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        settings = directory / SETTINGS_FILE
        if settings.is_file():
            return _library_in(settings), str(settings)
    return None, "bundled"


def _library_in(settings: Path) -> Path | None:
    import tomllib

    try:
        data = tomllib.loads(settings.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(f"cannot read the settings: {exc}", file=settings) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError.single(f"not TOML: {str(exc).split(' (at line')[0]}", file=settings, line=line) from None
    value = data.get("library")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError.single("library must be the path of a clause library, as text", file=settings, key="library")
    return (settings.parent / value).resolve()


def _resolve_library(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """``--library`` if given, else what the settings name (see :func:`library_setting`)."""
    if value is not None:
        return value
    try:
        return library_setting()[0]
    except InputError as exc:
        raise click.BadParameter(str(exc.problems[0]), ctx=ctx, param=param) from None


library_option = click.option(
    "--library",
    "library_dir",
    type=click.Path(file_okay=False, path_type=Path),
    callback=_resolve_library,
    help=f"Clause library to use (default: ${LIBRARY_VARIABLE}, else library = DIR in the nearest "
    f"{SETTINGS_FILE}, else the bundled one).",
)


def languages_option(help_text: str) -> Callable[[F], F]:
    """``--lang LANG``, repeatable: the languages to write (checked by :func:`check_languages`)."""
    return click.option("--lang", "languages", multiple=True, metavar="LANG", help=help_text)


def language_option(help_text: str | None = None, *, default: str | None = None) -> Callable[[F], F]:
    """``--lang LANG`` once: the language of what a command shows (checked by :func:`check_languages`)."""
    return click.option(
        "--lang", "language", metavar="LANG", default=default, show_default=default is not None, help=help_text
    )


def formats_option(help_text: str) -> Callable[[F], F]:
    """``--format``, repeatable, one of :data:`FORMATS`."""
    return click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), help=help_text)


def check_languages(library: Library, languages: Iterable[str | None]) -> None:
    """Refuse a ``--lang`` the library has no wording for, before any work is done.

    The library's languages are those it has labels for (``templates/<lang>/labels.yaml``), so a
    library with French takes ``--lang fr`` with no change to slagen. ``None`` (not given) passes.
    """
    for lang in languages:
        if lang is not None and lang not in library.languages:
            known = ", ".join(library.languages)
            raise InputError.single(f"unknown language '{lang}' (the library has: {known})", key="--lang")


def make_memo() -> Memo:
    """The memo of one command (``SLAGEN_NO_REUSE=1``: all afresh; ``SLAGEN_NO_CACHE=1``: nothing on disk)."""
    from slagen.memo import Memo

    return Memo(reuse=not os.environ.get("SLAGEN_NO_REUSE"), bytecode_cache=not os.environ.get("SLAGEN_NO_CACHE"))


def source_date() -> dt.date | None:
    """The documents' date from ``SOURCE_DATE_EPOCH`` (reproducible builds), if set."""
    from slagen.generate import source_date_of

    return source_date_of(os.environ.get("SOURCE_DATE_EPOCH"))
