"""One agreement's report files: read the answers, the measured data and the history, compute, write.

Gives file contents in memory (:class:`slagen.generate.Output`); :mod:`slagen.output` puts them on disk.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from slagen.errors import InputError
from slagen.generate import Output, check_answers
from slagen.library import Library
from slagen.memo import Memo
from slagen.report.compute import compute_report
from slagen.report.history import Past
from slagen.report.model import Report
from slagen.resolve import resolve_service
from slagen.yamlsource import load_yaml

DATA_SUFFIXES = (".csv", ".xlsx")


def report_labels(library: Library, lang: str) -> dict[str, Any]:
    """``templates/<lang>/report.yaml``: the report's words in ``lang``."""
    path = library.root / "templates" / lang / "report.yaml"
    if not path.is_file():
        raise InputError.single(f"the library has no report labels for '{lang}'", file=path)
    data = load_yaml(path, display=f"templates/{lang}/report.yaml").data
    assert isinstance(data, dict)
    return data


def data_files(given: tuple[Path, ...], answers: Path) -> list[Path]:
    """The data files of one agreement: each file given, and the CSV and XLSX files of each directory given.

    A directory's sub-directory named after the answers file (``DIR/<name>/``) is read instead, if it has one:
    that is how a batch gives each agreement its own data.
    """
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            folder = path / answers.stem if (path / answers.stem).is_dir() else path
            found += sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES)
        else:
            found.append(path)
    if not found:
        raise InputError.single(f"no data files for {answers.name} (CSV or XLSX)", key="--data")
    return found


def compute_for(
    answers_path: Path, data: tuple[Path, ...], period: str, library: Library, memo: Memo, *,
    history: tuple[Past, ...] = (), received: dt.date | None = None, fee: Decimal | None = None,
) -> tuple[Report, Any]:  # fmt: skip
    """The report of ``answers_path`` for ``period`` and the resolved service levels."""
    from slagen.measured.read import read_measured
    from slagen.timezone import time_zone_for

    answers = check_answers(answers_path, library, memo)
    service = resolve_service(answers, library)
    measured = read_measured(data_files(data, answers_path), time_zone_for(answers))
    agreement = str(answers.values.get("agreement.reference") or answers_path.stem)
    clauses = tuple(c.id for c in answers.clauses)
    try:
        report = compute_report(answers.values, clauses, service, measured, period, history=history,
                                received=received, fee=fee, agreement=agreement)  # fmt: skip
    except InputError as exc:  # a problem of the agreement (an undefined calendar): name its file
        problems = [p if p.file or (p.key or "").startswith("--") else p.in_file(str(answers_path))
                    for p in exc.problems]  # fmt: skip
        raise InputError(problems) from None
    return report, service


def report_outputs(report: Report, service: Any, library: Library, name: str, formats: tuple[str, ...]) -> list[Output]:
    """The files of ``report``: ``NAME.PERIOD.json`` and ``NAME.PERIOD.LANG.md|docx`` per language."""
    from slagen.report.jsondoc import to_json
    from slagen.report.markdown import to_markdown
    from slagen.report.view import build_view

    stem = f"{name}.{report.period.label}"
    outputs = []
    if "json" in formats:
        outputs.append(Output(f"{stem}.json", to_json(report)))
    for lang in report.languages:
        if "md" not in formats and "docx" not in formats:
            break
        locale = str(library.labels[lang].get("locale") or lang)
        view = build_view(report, service.catalog, lang, report_labels(library, lang), locale)
        if "md" in formats:
            outputs.append(Output(f"{stem}.{lang}.md", to_markdown(view).encode("utf-8")))
        if "docx" in formats:
            from slagen.report.docx import to_docx

            outputs.append(Output(f"{stem}.{lang}.docx", to_docx(view, report)))
    return outputs
