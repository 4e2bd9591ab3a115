"""Redlines: changes between two agreements as Word tracked changes and as Markdown."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.cli import main

from .conftest import DEMO, EXAMPLES

CUSTOM = EXAMPLES / "telemarketing-custom.yaml"
MULTI = EXAMPLES / "it-service-multi-level.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode()


def tracked(xml: str) -> tuple[list[str], list[str]]:
    """Texts inside w:ins and the deleted texts, in order."""
    inserted = [
        "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body))
        for body in re.findall(r"<w:ins [^>]*>(.*?)</w:ins>", xml, flags=re.S)
    ]
    deleted = re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml)
    return [text for text in inserted if text], deleted


def _stand_alone_demo() -> str:
    """The demo as a stand-alone agreement with a place of jurisdiction (a schedule defers to its main contract's)."""
    text = re.sub(r"  main_contract:.*\n(    .*\n)+", "", DEMO.read_text(encoding="utf-8"), count=1)
    return re.sub(r"  # no jurisdiction:.*\n", "  jurisdiction: Mannheim\n", text, count=1)


@pytest.fixture
def stand_alone(write_answers: Callable[..., Path]) -> Path:
    return write_answers(_stand_alone_demo(), "demo.yaml")


@pytest.fixture
def not_merchant(write_answers: Callable[..., Path]) -> Path:
    text = _stand_alone_demo().replace("    merchant: true\n\nservice:", "    merchant: false\n\nservice:")
    assert "merchant: false" in text
    return write_answers(text, "telemarketing.yaml")


def test_identical_agreements_have_no_changes(tmp_path: Path) -> None:
    out = tmp_path / "same.docx"
    assert CliRunner().invoke(main, ["redline", str(DEMO), str(DEMO), "-o", str(out)]).exit_code == 0
    xml = document_xml(out)
    assert "<w:ins " not in xml
    assert "<w:del " not in xml


def test_against_standard_shows_the_deviations_word_by_word(tmp_path: Path) -> None:
    out = tmp_path / "deviations.docx"
    result = CliRunner().invoke(main, ["redline", "--against-standard", str(CUSTOM), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    inserted, deleted = tracked(document_xml(out))
    assert "120" in inserted
    assert "100" in deleted
    assert "36" in inserted
    assert "24" in deleted
    xml = document_xml(out)
    assert re.search(r'<w:ins w:id="\d+" w:author="slagen" w:date="2027-01-01T00:00:00Z">', xml)


def test_a_clause_removed_whole_is_one_deletion(tmp_path: Path, stand_alone: Path, not_merchant: Path) -> None:
    out = tmp_path / "changes.docx"
    result = CliRunner().invoke(main, ["redline", str(stand_alone), str(not_merchant), "-o", str(out), "--lang", "de"])
    assert result.exit_code == 0, result.output
    xml = document_xml(out)
    inserted, deleted = tracked(xml)
    # only the numbers of the clauses after it (a contents entry is replaced whole: number and same title)
    renumbered = [re.fullmatch(r"([\d.]+)(.*)", text) for text in inserted]
    assert all(found is not None for found in renumbered)
    assert all(found.group(2) in " ".join(deleted) for found in renumbered if found and found.group(2))
    assert "Gerichtsstand" in deleted
    assert "ist Mannheim." in " ".join(deleted)
    # the deleted heading's paragraph mark is deleted too, so accepting removes the paragraph
    heading = re.search(r"<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/><w:rPr><w:del [^>]*/></w:rPr></w:pPr>", xml)
    assert heading is not None


def test_markdown_redline_uses_criticmarkup(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["redline", "--against-standard", str(CUSTOM), "--lang", "de"])
    assert result.exit_code == 0
    assert "| Angenommene Anrufe je Agent und Einsatztag | mindestens {--100--}{++120++} |" in result.stdout
    assert "innerhalb von {--24--}{++36++} Stunden" in result.stdout
    assert result.stdout.startswith("<!-- slagen-redline-summary -->\n\n## Zusammenfassung der Änderungen\n")
    assert "\n---\n\n# Service Level Agreement Telefonakquise\n" in result.stdout


def test_markdown_redline_marks_whole_clauses(stand_alone: Path, not_merchant: Path) -> None:
    result = CliRunner().invoke(main, ["redline", str(stand_alone), str(not_merchant), "--lang", "en"])
    assert result.exit_code == 0
    assert "### {--7.10 Place of jurisdiction--}" in result.stdout
    assert "### 7.{--11--}{++10++} Notices and amendments" in result.stdout  # renumbered, not a second 7.10
    assert "{--The courts of Mannheim have exclusive jurisdiction" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "error: give OLD and NEW answers files, or --against-standard ANSWERS\n"),
        ([str(DEMO)], "error: give OLD and NEW answers files, or --against-standard ANSWERS\n"),
        ([str(DEMO), str(CUSTOM), "--format", "docx"], "error: a DOCX redline needs -o FILE.docx\n"),
        (
            ["--against-standard", str(MULTI)],
            f"error: {MULTI}:9: agreement.model: a multi-level agreement sets out its "
            "tiers as published; only a customer-specific agreement deviates from a standard tier\n",
        ),
    ],
)
def test_redline_usage_errors(arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["redline", *arguments])
    assert result.exit_code == 2
    assert result.stderr == message


@pytest.mark.skipif(SOFFICE is None and os.environ.get("CI") != "true", reason="LibreOffice is not installed")
def test_libreoffice_keeps_the_tracked_changes(tmp_path: Path, stand_alone: Path, not_merchant: Path) -> None:
    assert SOFFICE is not None, "CI=true but LibreOffice is missing"
    runner = CliRunner()
    first = tmp_path / "deviations.docx"
    second = tmp_path / "changes.docx"
    arguments = ["redline", "--against-standard", str(CUSTOM), "-o", str(first), "--lang", "en"]
    assert runner.invoke(main, arguments).exit_code == 0
    assert runner.invoke(main, ["redline", str(stand_alone), str(not_merchant), "-o", str(second)]).exit_code == 0
    out = tmp_path / "roundtrip"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "docx",
         "--outdir", str(out), str(first), str(second)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    inserted, deleted = tracked(document_xml(out / "deviations.docx"))
    assert "120" in "".join(inserted)
    assert "100" in deleted
    _, deleted = tracked(document_xml(out / "changes.docx"))
    assert "Gerichtsstand" in "".join(deleted)
    # and it prints: the PDF shows both the deleted and the inserted values
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(first)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None
    text = subprocess.run([pdftotext, str(out / "deviations.pdf"), "-"], capture_output=True, text=True, check=True)
    assert "at least 100120" in text.stdout  # deleted 100 struck through, inserted 120 beside it
    assert "at most 2436 hours" in text.stdout


def _without_answers(docx: Path, out: Path) -> Path:
    """``docx`` as an editor saves it that drops slagen's custom XML part (LibreOffice does)."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != "customXml/slagen-answers.xml":
                dst.writestr(item, src.read(item.filename))
    return out


def test_redline_takes_two_contracts_written_by_slagen(tmp_path: Path, not_merchant: Path) -> None:
    """Newcomer B9: the DOCX files a lawyer holds are compared by the answers they carry."""
    runner = CliRunner()
    for answers, out in ((DEMO, "old"), (not_merchant, "new")):
        result = runner.invoke(main, ["build", str(answers), "-o", str(tmp_path / out), "--format", "docx"])
        assert result.exit_code == 0, result.output
    old_docx = tmp_path / "old" / f"{DEMO.stem}.de.docx"
    new_docx = tmp_path / "new" / f"{not_merchant.stem}.de.docx"
    from_files = runner.invoke(main, ["redline", str(DEMO), str(not_merchant), "--lang", "de"])
    from_contracts = runner.invoke(main, ["redline", str(old_docx), str(new_docx), "--lang", "de"])
    assert from_contracts.exit_code == 0, from_contracts.output
    assert "{--" in from_contracts.output
    assert from_contracts.output == from_files.output


def test_a_contract_whose_answers_an_editor_dropped_says_so(tmp_path: Path) -> None:
    """Newcomer B10: the answers were stored; the editor that saved the document dropped them."""
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(DEMO), "-o", str(tmp_path), "--format", "docx"]).exit_code == 0
    saved = _without_answers(tmp_path / f"{DEMO.stem}.de.docx", tmp_path / "saved-again.docx")
    for args in (["inspect", "--answers", str(saved)], ["redline", str(saved), str(DEMO)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2
        assert "the answers are not in this document" in result.output
        assert "LibreOffice" in result.output
    assert runner.invoke(main, ["inspect", str(saved)]).exit_code == 0  # the properties are still there


def test_a_contract_built_without_its_answers_carries_none(tmp_path: Path) -> None:
    """Visual review M8: the answers file, comments included, need not travel to the counterparty."""
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(DEMO), "-o", str(tmp_path), "--format", "docx", "--no-answers"])
    assert result.exit_code == 0, result.output
    contract = tmp_path / f"{DEMO.stem}.de.docx"
    with zipfile.ZipFile(contract) as package:
        names = package.namelist()
        assert "customXml/slagen-answers.xml" not in names
        assert not any("# " in package.read(name).decode("utf-8", "replace") for name in names if "customXml" in name)
    assert runner.invoke(main, ["inspect", str(contract)]).exit_code == 0  # the provenance stays
    answers = runner.invoke(main, ["inspect", "--answers", str(contract)])
    assert answers.exit_code == 2
    assert "unless built with --no-answers" in answers.output
