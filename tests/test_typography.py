"""The DOCX is typeset: non-breaking spaces in references, units and dates; typographic quotes (visual M5)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.cli import main
from slagen.model import Ref, TermUse, Text
from slagen.typography import NBSP, typeset, typeset_runs

from .conftest import DEMO, EXAMPLES


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("nach Ziffer 2.2", "de", "nach Ziffer␣2.2"),
        ("(§ 126b BGB)", "de", "(§␣126b␣BGB)"),
        ("Art. 32 DSGVO", "de", "Art.␣32␣DSGVO"),
        ("§ 7 Abs. 2 Nr. 1 UWG", "de", "§␣7 Abs.␣2 Nr.␣1␣UWG"),
        ("innerhalb von 24 Stunden", "de", "innerhalb von 24␣Stunden"),
        ("5 % der Vergütung", "de", "5␣% der Vergütung"),
        ("12.500,00 €", "de", "12.500,00␣€"),
        ("am 1. Januar 2027", "de", "am 1.␣Januar␣2027"),
        ("on 1 December 2027", "en", "on 1␣December␣2027"),
        ("within 30 minutes and 2 working days", "en", "within 30␣minutes and 2␣working days"),
        ("section 7(2) and Schedule 2", "en", "section␣7(2) and Schedule␣2"),
        ("the Provider's system", "en", "the Provider’s system"),
        ('the "Main Contract"', "en", "the “Main Contract”"),
        ('der "Hauptvertrag"', "de", "der „Hauptvertrag“"),
        ("in 2 Wochen oder 2027 Stück", "de", "in 2␣Wochen oder 2027 Stück"),
        ("Zeile 12 Anlagen", "de", "Zeile 12 Anlagen"),
    ],
)
def test_typeset(text: str, language: str, expected: str) -> None:
    assert typeset(text, language).replace(NBSP, "␣") == expected


def test_the_space_before_a_cross_reference_does_not_break() -> None:
    runs = typeset_runs([Text("gemäß Ziffer "), Ref("services.levels"), Text(" gilt")], "de")
    assert runs == [Text(f"gemäß Ziffer{NBSP}"), Ref("services.levels"), Text(" gilt")]
    runs = typeset_runs([Text("the "), TermUse("provider", "Provider's", False), Text(" clause ")], "en")
    assert runs == [Text("the "), TermUse("provider", "Provider’s", False), Text(" clause ")]  # no Ref after it


def test_the_docx_is_typeset_and_the_markdown_stays_plain(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(tmp_path), "--lang", "de"])
    assert result.exit_code == 0, result.output
    xml = zipfile.ZipFile(tmp_path / f"{DEMO.stem}.de.docx").read("word/document.xml").decode("utf-8")
    assert f"§{NBSP}126b{NBSP}BGB" in xml
    assert f"Ziffer{NBSP}</w:t>" in xml  # before the field that shows the clause number
    markdown = (tmp_path / f"{DEMO.stem}.de.md").read_text(encoding="utf-8")
    assert NBSP not in markdown.replace("\u00a0%", "")  # Babel's percent sign keeps its own
    assert "§ 126b BGB" in markdown


def test_english_contract_has_no_straight_apostrophe(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLES / "it-service.yaml"), "-o", str(tmp_path), "--format", "docx"]
    )
    assert result.exit_code == 0, result.output
    xml = zipfile.ZipFile(tmp_path / "it-service.en.docx").read("word/document.xml").decode("utf-8")
    texts = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)).replace("&apos;", "'").replace("&quot;", '"')
    assert "Provider’s" in texts
    assert "'" not in texts
    assert '"' not in texts
