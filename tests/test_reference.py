"""--reference-doc and --format pdf."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Inches, Pt

from slagen.cli import main
from slagen.writers.reference import STYLES, load_reference, reference_info

from .conftest import DEMO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def letter_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reference made from python-docx's default template: Times 12 pt, US Letter, its own header."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(12)
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    document.add_paragraph("Leftover body text that must not appear")
    section.header.paragraphs[0].text = "ACME Legal"
    path = tmp_path_factory.mktemp("reference") / "letter.docx"
    document.save(str(path))
    return path


def build(tmp_path: Path, *options: str) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(out), "--lang", "en", *options])
    return result.exit_code, result.stderr, out


def test_reference_document_supplies_fonts_page_and_header(tmp_path: Path, letter_reference: Path) -> None:
    code, stderr, out = build(tmp_path, "--format", "docx", "--reference-doc", str(letter_reference))
    assert code == 0, stderr
    document = docx.Document(str(out / "telemarketing.en.docx"))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.sections[0].page_width == Inches(8.5)
    assert document.sections[0].header.paragraphs[0].text == "ACME Legal"
    assert "Leftover body text" not in "\n".join(p.text for p in document.paragraphs)
    assert {style.name for style in document.styles} >= set(STYLES)
    # the clause numbering is still a real list bound to the reference's heading styles
    numbering = document.part.numbering_part.element
    heading = document.styles["Heading 2"].element
    num_id = heading.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    (num,) = [n for n in numbering.findall(f"{W}num") if n.get(f"{W}numId") == num_id]
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    (abstract,) = [a for a in numbering.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id]
    level = abstract.find(f"{W}lvl[@{W}ilvl='1']")
    assert level.find(f"{W}lvlText").get(f"{W}val") == "%1.%2"
    assert level.find(f"{W}pStyle").get(f"{W}val") == document.styles["Heading 2"].style_id
    info = reference_info(document)
    section = document.sections[0]
    assert info.text_width == (Inches(8.5) - section.left_margin - section.right_margin) // 635


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "not a Word document (.docx) that can be used as reference"),
        (None, "reference document not found"),
    ],
)
def test_bad_reference_document(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "ref.docx"
    if content is not None:
        path.write_bytes(content)
    code, stderr, out = build(tmp_path, "--reference-doc", str(path))
    assert code == 2
    assert stderr == f"error: {path}: {message}\n"
    assert not out.exists()


def test_pdf_without_libreoffice_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("slagen.writers.pdf.shutil.which", lambda name: None)
    code, stderr, out = build(tmp_path, "--format", "pdf")
    assert code == 2
    assert stderr.startswith("error: PDF output needs LibreOffice, which is not installed: install it (Debian/Ubuntu")
    assert not out.exists()


@pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("CI") != "true", reason="LibreOffice is not installed"
)
def test_pdf_is_written_by_libreoffice(tmp_path: Path, letter_reference: Path) -> None:
    code, stderr, out = build(tmp_path, "--format", "pdf", "--format", "md", "--reference-doc", str(letter_reference))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["telemarketing.en.md", "telemarketing.en.pdf"]
    pdf = (out / "telemarketing.en.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 20_000


def test_prepared_reference_is_reproducible(letter_reference: Path) -> None:
    assert load_reference(letter_reference) == load_reference(letter_reference)
    first = io.BytesIO(load_reference(letter_reference))
    assert docx.Document(first).element.body.find(f"{W}p") is None
