"""The command line: the only part of slagen that prints or exits.

One module per command group (:mod:`~slagen.cli.build`, :mod:`~slagen.cli.batch`,
:mod:`~slagen.cli.interview`, :mod:`~slagen.cli.library`), the group that gathers them
(:mod:`~slagen.cli.group`), the options they share (:mod:`~slagen.cli.options`) and the one
edge where errors become messages and exit codes (:mod:`~slagen.cli.console`).

Start-up is part of the interface: ``slagen --help`` answers before the core is imported.
These modules import only click, the standard library and :mod:`slagen.errors` at their top;
a command imports the core (and with it Jinja2, Babel, python-docx, openpyxl) when it runs.
"""

from slagen.cli.group import main

__all__ = ["main"]
