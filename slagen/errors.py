"""The one exception family of slagen.

Every error a user can cause is a :class:`SlagenError`. Core modules raise it; only
``slagen.cli`` turns it into a message on stderr and an exit code. Problems in a user's
input are collected as :class:`Problem` objects so that all of them can be reported
at once, each with file, line and key path.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
"""An exception that is not a :class:`SlagenError`: a bug in slagen, not the user's input (as pytest's 3)."""
EXIT_BROKEN_PIPE = 141
"""The reader of the output went away early (``slagen schema | head``): what a shell reports for SIGPIPE."""


class Problem(NamedTuple):
    """One finding in a user's file: where it is, which key, and what is wrong.

    A named tuple, not a ``msgspec.Struct`` as the other records: every command, ``--help`` too, imports
    this module, and a tuple needs no library at start-up.
    """

    message: str
    file: str | None = None
    line: int | None = None
    key: str | None = None
    severity: str = "error"

    def in_file(self, file: str) -> Problem:
        """This problem, found in ``file``."""
        return self._replace(file=file)

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        key = f"{self.key}: " if self.key else ""
        level = "warning: " if self.severity == "warning" else ""
        return f"{where}{key}{level}{self.message}"


class SlagenError(Exception):
    """Base of every error slagen reports to a user (exit code 2 unless said otherwise)."""

    exit_code = EXIT_BAD_INPUT

    @property
    def problems(self) -> list[Problem]:
        """The findings this error stands for, one line each when printed."""
        return [Problem(str(self))]


class InputError(SlagenError):
    """A user's file (answers, library, reference document) is not acceptable."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self._problems = list(problems)

    @property
    def problems(self) -> list[Problem]:
        """Every problem found, in the order found."""
        return list(self._problems)

    @classmethod
    def single(
        cls, message: str, *, file: str | Path | None = None, line: int | None = None, key: str | None = None
    ) -> InputError:
        """Build an error from one problem."""
        return cls([Problem(message, str(file) if file is not None else None, line, key)])


class LibraryError(InputError):
    """The clause library (clauses, templates, tiers) is broken."""


class TemplateError(LibraryError):
    """A clause template failed to compile or render: names clause, language and line."""


class OutputError(SlagenError):
    """An output cannot be written: it exists (without --force) or the directory is not writable."""
