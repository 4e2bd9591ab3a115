"""Convert DOCX to PDF with LibreOffice, when it is installed.

Takes DOCX contents by file name and gives PDF contents by file name, in one headless
LibreOffice run for all of them (starting LibreOffice is most of the cost). A private user
profile keeps it apart from a LibreOffice the user may have open. The PDF carries every
bookmark as a named destination (:mod:`slagen.writers.toc` reads the headings' pages from
them) and, with ``notes``, the DOCX's comments as PDF annotations.

LibreOffice is checked twice: its exit code, and a PDF that is not empty for every document
(LibreOffice says "source file could not be loaded" and still exits 0). Either failure is a
:class:`ConverterError` naming the documents and LibreOffice's last words; nothing is written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from slagen.errors import SlagenError

INSTALL_HINT = (
    "PDF output needs LibreOffice, which is not installed: install it "
    "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS: brew install --cask libreoffice) "
    "or leave out --format pdf"
)
SECONDS_PER_DOCUMENT = 60
"""Time LibreOffice is given per document (on top of a minute to start), before it is stopped."""


class ConverterError(SlagenError):
    """LibreOffice is missing or failed to convert a document."""


def find_converter() -> str:
    """The LibreOffice executable; raise :class:`ConverterError` with how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ConverterError(INSTALL_HINT)
    return found


def has_converter() -> bool:
    """Whether LibreOffice is installed."""
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def export_filter(*, notes: bool) -> str:
    """The ``--convert-to`` argument: PDF with named destinations and, with ``notes``, comments as annotations.

    >>> export_filter(notes=False)
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}}'
    """
    options = {"ExportBookmarksToPDFDestination": True} | ({"ExportNotes": True} if notes else {})
    values = {name: {"type": "boolean", "value": str(value).lower()} for name, value in options.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(values)


def convert_to_pdf(
    documents: Mapping[str, bytes], *, notes: bool = False, timeout: int | None = None, soffice: str | None = None
) -> dict[str, bytes]:
    """PDF bytes for each ``name.docx`` of ``documents``, keyed ``name.pdf``, from one LibreOffice run.

    ``notes`` keeps the review comments as PDF annotations. ``timeout`` (seconds) defaults to a
    minute plus :data:`SECONDS_PER_DOCUMENT` per document.
    """
    if not documents:
        return {}
    soffice = soffice or find_converter()
    limit = timeout if timeout is not None else 60 + SECONDS_PER_DOCUMENT * len(documents)
    with tempfile.TemporaryDirectory(prefix="slagen-pdf-") as folder:
        work = Path(folder)
        (work / "in").mkdir()
        sources = []
        for name, data in documents.items():
            path = work / "in" / Path(name).name
            path.write_bytes(data)
            sources.append(str(path))
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            export_filter(notes=notes),
            "--outdir",
            str(work / "pdf"),
            *sources,
        ]
        what = _names(documents)
        try:
            done = subprocess.run(command, capture_output=True, timeout=limit, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ConverterError(f"LibreOffice did not finish converting {what} to PDF within {limit} s") from None
        except OSError as exc:
            raise ConverterError(f"LibreOffice ({soffice}) could not be started: {exc.strerror or exc}") from None
        if done.returncode != 0:
            raise ConverterError(
                f"LibreOffice failed converting {what} to PDF (exit code {done.returncode}){_last_words(done)}"
            )
        result = {}
        for name in documents:
            pdf = work / "pdf" / (Path(name).stem + ".pdf")
            if not pdf.is_file() or pdf.stat().st_size == 0:
                raise ConverterError(f"LibreOffice wrote no PDF for {name}{_last_words(done)}")
            result[pdf.name] = pdf.read_bytes()
        return result


def _names(documents: Mapping[str, bytes]) -> str:
    names = list(documents)
    return ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} and {len(names) - 3} more"


def _last_words(done: subprocess.CompletedProcess[bytes]) -> str:
    """LibreOffice's last line on stderr (or stdout) that says something, as the end of a message."""
    for stream in (done.stderr, done.stdout):
        lines = [
            line.strip()
            for line in (stream or b"").decode("utf-8", "replace").splitlines()
            if line.strip() and "javaldx" not in line
        ]
        if lines:
            return f": {lines[-1][:300]}"
    return ""
