"""One export file of an agreement, ready to write: the format's documents under a comment that explains them.

:func:`export_file` is the stage the ``slo`` command calls: answers and library in, bytes out, the
same bytes on every run.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from msgspec import Struct

from slagen import __version__
from slagen.answers import Answers
from slagen.library import Library
from slagen.slo.objectives import Export, export_objectives
from slagen.slo.texts import WindowWarnings, window_warnings
from slagen.slo.yamltext import dump_documents

FORMATS = ("openslo", "sloth", "prometheus")
SUFFIXES = {"openslo": "openslo.yaml", "sloth": "sloth.yaml", "prometheus": "rules.yaml"}
"""The file an export is written to in a directory: ``<answers name>.<suffix>``."""
TITLES = {
    "openslo": "OpenSLO v1 documents (a Service, and an SLI and an SLO per objective)",
    "sloth": "Sloth spec (prometheus/v1)",
    "prometheus": "Prometheus rules (recording rules and burn-rate alerts)",
}


class ExportFile(Struct, frozen=True):
    """An export's file name (in a directory) and content."""

    name: str
    data: bytes
    documents: tuple[Any, ...]
    """What the file holds, as data (for validation)."""


def export_file(
    answers: Answers,
    library: Library,
    fmt: str,
    *,
    texts: Mapping[str, Mapping[str, str]],
    margin: Decimal | None = None,
) -> ExportFile:
    """The ``fmt`` export of ``answers`` (one of :data:`FORMATS`).

    ``texts`` are the window sentences by language (:func:`~slagen.slo.texts.load_texts`), in the order
    the warnings are written: the command reads them, this stage only uses them.
    """
    export = export_objectives(answers, library, margin=margin)
    warnings = window_warnings(export, texts, fmt)
    notes: list[str] = []
    documents: list[Any]
    if fmt == "openslo":
        from slagen.slo.openslo import openslo_documents

        documents = openslo_documents(export, warnings)
    elif fmt == "sloth":
        from slagen.slo.sloth import sloth_spec

        documents = [sloth_spec(export, warnings)]
    else:
        from slagen.slo.prometheus import rule_groups

        groups, notes = rule_groups(export, warnings)
        documents = [groups]
    header = _header(export, answers, fmt, warnings, notes)
    return ExportFile(f"{answers.name}.{SUFFIXES[fmt]}", dump_documents(documents, header), tuple(documents))


def _header(export: Export, answers: Answers, fmt: str, warnings: WindowWarnings, notes: list[str]) -> list[str]:
    lines = [
        *_wrap(
            f"{TITLES[fmt]} of agreement {export.reference} with {export.customer}: catalog {export.catalog}, "
            f"tier {export.tier_name}. Written by slagen {__version__} from {Path(answers.source.path).name}."
        ),
        "The metric queries are placeholders for operations to fill in (see docs/slo.md).",
        "",
    ]
    said: list[str] = []  # each window's warning once (KPIs measured over other periods have their own)
    for language, text in (pair for pairs in warnings.values() for pair in pairs):
        if text not in said:
            said.append(text)
            lines.extend(_wrap(f"{'Window' if language == 'en' else language.upper()}: {text}"))
    periods = [(o.kpi, o.window.note) for o in export.objectives if o.window.note]
    if periods:
        lines.append("")
        lines.extend(line for kpi, note in periods for line in _wrap(f"- {kpi}: {note}", "  "))
    if export.left_out:
        lines.append("")
        lines.append("Not exported (slagen report computes them from the measured data):")
        lines.extend(line for kpi, reason in export.left_out for line in _wrap(f"- {kpi}: {reason}", "  "))
    if notes:
        lines.append("")
        lines.append("Alerts left out: their threshold is above an error ratio of 1, so they could never fire:")
        lines.extend(line for note in notes for line in _wrap(f"- {note}", "  "))
    return lines


def _wrap(text: str, indent: str = "") -> list[str]:
    """Comment lines of at most 100 characters; a line break in an answer becomes a space, never a YAML line."""
    return textwrap.wrap(text, width=100, subsequent_indent=indent, break_on_hyphens=False) or [""]
