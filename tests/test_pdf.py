"""PDF output: LibreOffice's failures are clear errors, the PDF keeps review comments, batch converts in groups.

A fake ``soffice`` on PATH stands for a LibreOffice that fails. The tests that need the real one skip
without it, but never under ``CI=true``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen import batchpdf
from slagen.batch import RowResult
from slagen.cli import main
from slagen.errors import EXIT_BAD_INPUT
from slagen.generate import Output
from slagen.writers.package import read_parts
from slagen.writers.pdf import ConverterError, convert_to_pdf, export_filter

from .conftest import DEMO

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


def needs_libreoffice() -> None:
    if SOFFICE and PDFTOTEXT:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but LibreOffice (soffice) or pdftotext is missing", pytrace=False)
    pytest.skip("LibreOffice (soffice) or poppler's pdftotext is not installed")


def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """An ``soffice`` that runs ``script`` (sh), first on PATH."""
    folder = tmp_path / "bin"
    folder.mkdir()
    path = folder / "soffice"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return path


def test_a_failing_libreoffice_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded' >&2\nexit 81")
    with pytest.raises(ConverterError) as caught:
        convert_to_pdf({"a.docx": b"PK"})
    assert str(caught.value) == (
        "LibreOffice failed converting a.docx to PDF (exit code 81): Error: source file could not be loaded"
    )


def test_libreoffice_that_exits_0_without_a_pdf_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded'\nexit 0")
    with pytest.raises(ConverterError, match=r"^LibreOffice wrote no PDF for a\.docx: Error: source file could not"):
        convert_to_pdf({"a.docx": b"PK"})


def test_an_empty_pdf_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the fake takes the --outdir argument and writes empty PDFs there
    script = 'while [ "$1" != "--outdir" ]; do shift; done; mkdir -p "$2"; touch "$2/a.pdf"; exit 0'
    fake_soffice(tmp_path, monkeypatch, script)
    with pytest.raises(ConverterError, match=r"^LibreOffice wrote no PDF for a\.docx$"):
        convert_to_pdf({"a.docx": b"PK"})


def test_a_libreoffice_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path, monkeypatch, "exec sleep 30")
    with pytest.raises(ConverterError, match=r"^LibreOffice did not finish converting a\.docx to PDF within 1 s$"):
        convert_to_pdf({"a.docx": b"PK"}, timeout=1)


def test_build_with_a_failing_libreoffice_exits_2_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(tmp_path, monkeypatch, "echo 'soffice crashed' >&2\nexit 1")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(out), "--format", "pdf", "--format", "md"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "LibreOffice failed converting telemarketing.de.docx, telemarketing.en.docx to PDF (exit code 1)" in (
        result.stderr
    )
    assert "Traceback" not in result.output + result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_export_filter_asks_for_destinations_and_notes() -> None:
    assert '"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}' in export_filter(notes=False)
    assert "ExportNotes" not in export_filter(notes=False)
    assert '"ExportNotes": {"type": "boolean", "value": "true"}' in export_filter(notes=True)


def annotations(pdf: bytes) -> list[tuple[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            found.append((str(annotation["/Subtype"]), str(annotation.get("/Contents") or "")))
    return found


def test_pdf_with_review_keeps_the_comments_as_annotations(tmp_path: Path) -> None:
    needs_libreoffice()
    out = tmp_path / "out"
    args = ["build", str(DEMO), "-o", str(out), "--lang", "de", "--format", "pdf"]
    result = CliRunner().invoke(main, [*args, "--format", "docx", "--review"])
    assert result.exit_code == 0, result.output
    notes = [text for kind, text in annotations((out / "telemarketing.de.pdf").read_bytes()) if kind == "/Text"]
    comments = dict(read_parts((out / "telemarketing.de.docx").read_bytes()))["word/comments.xml"]
    assert len(notes) == comments.count(b"<w:comment ") > 20  # every comment of the DOCX
    assert any(text.startswith("Klausel scope.purpose, Version") for text in notes)
    plain = tmp_path / "plain"
    result = CliRunner().invoke(main, [*args[:3], str(plain), *args[4:]])  # without --review
    assert result.exit_code == 0, result.output
    kinds = {kind for kind, _ in annotations((plain / "telemarketing.de.pdf").read_bytes())}
    assert "/Text" not in kinds
    assert "/Link" in kinds  # the contents' entries link to their headings
    text = subprocess.run(
        [str(PDFTOTEXT), "-f", "2", "-l", "2", "-layout", str(plain / "telemarketing.de.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert re.search(r"^1\.\s+Gegenstand und Laufzeit\.{5,}\s*3$", text, re.M), text


def row(number: int, languages: tuple[str, ...] = ("de", "en"), formats: tuple[str, ...] = ("pdf", "md")) -> RowResult:
    pending = [Output(f"r{number}.{lang}.docx", f"docx {number} {lang}".encode()) for lang in languages]
    pending += [Output(f"r{number}.{lang}.md", b"md") for lang in languages]
    return RowResult(number, f"r{number}", label=str(number), pending=pending, formats=formats)


def test_batch_lays_out_whole_rows_many_to_one_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def lay_out(documents: dict[str, bytes], *, pdf: bool = False) -> tuple[dict[str, bytes], dict[str, bytes]]:
        calls.append(sorted(documents))
        numbered = {name: data + b" numbered" for name, data in documents.items()}
        return numbered, {name[: -len(".docx")] + ".pdf": b"%PDF " + data for name, data in documents.items()}

    monkeypatch.setattr("slagen.writers.layout.lay_out", lay_out)
    written: dict[str, bytes] = {}
    results = [row(number) for number in range(2, 7)]  # five rows of two languages

    def write(result: RowResult, outputs: list[Output]) -> None:
        written.update({out.name: out.data for out in outputs})

    batchpdf.lay_out_rows(results, "t.csv", write, workers=2, per_process=4)
    assert sorted(len(call) for call in calls) == [2, 4, 4]  # whole rows, four DOCX to a process
    assert sorted(written) == sorted(
        f"r{n}.{lang}.{fmt}" for n in range(2, 7) for lang in ("de", "en") for fmt in ("md", "pdf")
    )
    assert written["r3.en.pdf"] == b"%PDF docx 3 en"
    assert all(result.ok for result in results)
    assert results[0].files == ["r2.de.pdf", "r2.en.pdf", "r2.de.md", "r2.en.md"]
    assert all(not result.pending for result in results)


def test_batch_group_that_libreoffice_fails_fails_its_rows_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def lay_out(documents: dict[str, bytes], *, pdf: bool = False) -> tuple[dict[str, bytes], dict[str, bytes]]:
        if "r3.de.docx" in documents:
            raise ConverterError("LibreOffice failed converting r3.de.docx to PDF (exit code 1)")
        return dict(documents), {name[: -len(".docx")] + ".pdf": b"%PDF" for name in documents}

    monkeypatch.setattr("slagen.writers.layout.lay_out", lay_out)
    written: list[str] = []
    results = [row(number, ("de",), ("docx", "pdf")) for number in (2, 3, 4)]
    batchpdf.lay_out_rows(results, "t.csv", lambda result, outs: written.extend(o.name for o in outs), per_process=1)
    assert [result.ok for result in results] == [True, False, True]
    assert results[1].problems == ["t.csv:3: LibreOffice failed converting r3.de.docx to PDF (exit code 1)"]
    assert sorted(written) == sorted(f"r{n}.de.{fmt}" for n in (2, 4) for fmt in ("docx", "pdf", "md"))


def test_batch_pdf_builds_every_row(tmp_path: Path) -> None:
    needs_libreoffice()
    table = tmp_path / "t.csv"
    table.write_text("name,parties.customer.name\nk1,Alpha GmbH\nk2,Beta AG\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(table), "--base", str(DEMO), "-o", str(out), "--format", "pdf", "--lang", "en", "--jobs", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == ["k1.en.pdf", "k2.en.pdf"]
    text = subprocess.run(
        [str(PDFTOTEXT), "-f", "1", "-l", "1", str(out / "k2.en.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Beta AG" in text
