"""Whether a command lays its DOCX out with LibreOffice, and what it says when it does not.

The contents' page numbers come from a layout pass through LibreOffice (:mod:`slagen.writers.layout`).
``--layout``/``--no-layout`` decide; without either, ``SLAGEN_LAYOUT`` (``1`` or ``0``) does, else
whether LibreOffice is installed.
"""

from __future__ import annotations

import os

import click

LAYOUT_VARIABLE = "SLAGEN_LAYOUT"
FIELDS_NOTE = (
    "note: the contents of the DOCX have no page numbers, as LibreOffice, which would lay it out, is not "
    "installed: Word fills them when it opens the document, after asking; LibreOffice with Tools > Update > "
    "Update All (--no-layout or SLAGEN_LAYOUT=0: no note)"
)


def layout_wanted(option: bool | None) -> bool:
    """Whether to lay out: the option if given, else ``SLAGEN_LAYOUT``, else whether LibreOffice is installed."""
    if option is not None:
        return option
    setting = os.environ.get(LAYOUT_VARIABLE, "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    from slagen.writers.pdf import has_converter

    return has_converter()


def note_fields(option: bool | None) -> None:
    """Say (on stderr, unless --quiet) that the contents' page numbers come with a field update.

    Said only when nobody chose (no option, no ``SLAGEN_LAYOUT``) and LibreOffice is missing.
    """
    chosen = option is not None or os.environ.get(LAYOUT_VARIABLE, "").strip() in ("0", "1")
    if not chosen and not click.get_current_context().meta.get("slagen.quiet"):
        click.echo(FIELDS_NOTE, err=True)
