"""Convert DOCX to PDF with LibreOffice, when it is installed.

Takes DOCX contents by file name and gives PDF contents by file name, in one headless
LibreOffice run (starting LibreOffice is most of the cost). A private user profile keeps
it apart from a LibreOffice the user may have open.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from slagen.errors import SlagenError

INSTALL_HINT = (
    "PDF output needs LibreOffice, which is not installed: install it "
    "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS: brew install --cask libreoffice) "
    "or leave out --format pdf"
)


class ConverterError(SlagenError):
    """LibreOffice is missing or failed to convert a document."""


def find_converter() -> str:
    """The LibreOffice executable; raise :class:`ConverterError` with how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ConverterError(INSTALL_HINT)
    return found


def convert_to_pdf(documents: dict[str, bytes], *, timeout: int = 300) -> dict[str, bytes]:
    """PDF bytes for each ``name.docx`` of ``documents``, keyed ``name.pdf``."""
    soffice = find_converter()
    with tempfile.TemporaryDirectory(prefix="slagen-pdf-") as folder:
        work = Path(folder)
        sources = []
        for name, data in documents.items():
            path = work / name
            path.write_bytes(data)
            sources.append(str(path))
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "pdf"),
            *sources,
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ConverterError(f"LibreOffice did not finish converting to PDF within {timeout} s") from None
        except (subprocess.CalledProcessError, OSError) as exc:
            raise ConverterError(f"LibreOffice could not convert to PDF: {exc}") from None
        result = {}
        for name in documents:
            pdf = work / "pdf" / (Path(name).stem + ".pdf")
            if not pdf.is_file():
                raise ConverterError(f"LibreOffice did not write a PDF for {name}")
            result[pdf.name] = pdf.read_bytes()
        return result
