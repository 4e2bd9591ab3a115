"""The shape lawyers expect (issue 16, item 8): annexes, numbered paragraphs, cover, draft, signature page."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from slagen.answers import load_answers
from slagen.cli import main
from slagen.errors import TemplateError
from slagen.generate import generate
from slagen.library import Library
from slagen.markup import MarkupError, parse_markup
from slagen.model import Clause as ClauseNode
from slagen.model import Document, ListBlock, Paragraph, Section, Signatory, Text
from slagen.numbering import number_document
from slagen.writers.signing import split_signer

from .conftest import EXAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


@pytest.fixture(scope="module")
def built(library: Library) -> dict[str, bytes]:
    outputs: dict[str, bytes] = {}
    for name in ("telemarketing", "it-service"):
        answers = load_answers(EXAMPLES / f"{name}.yaml", library)
        outputs.update({o.name: o.data for o in generate(answers, library, draft=name == "telemarketing")})
    return outputs


def _part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


def _body(data: bytes) -> etree._Element:
    return etree.fromstring(_part(data, "word/document.xml").encode())


def _text(element: etree._Element) -> str:
    return "".join(element.itertext(f"{W}t"))


def _paragraphs(data: bytes) -> list[etree._Element]:
    """The document's paragraphs without the contents' entries (links to the headings they repeat)."""
    return [p for p in _body(data).iter(f"{W}p") if p.find("w:hyperlink", NS) is None]


def test_annex_headings_start_a_page_and_are_named(built: dict[str, bytes]) -> None:
    paragraphs = _paragraphs(built["telemarketing.de.docx"])
    annexes = [p for p in paragraphs if re.match(r"Anlage \d – ", _text(p))]
    assert [_text(p) for p in annexes] == [
        "Anlage 1 – Ansprechpartner",
        "Anlage 2 – Kennzahlen und ihre Ermittlung",
        "Anlage 3 – Verfahren",
    ]
    assert all(p.find("w:pPr/w:pageBreakBefore", NS) is not None for p in annexes)
    assert all(p.find("w:pPr/w:numPr/w:numId", NS).get(f"{W}val") == "0" for p in annexes)
    english = [_text(p) for p in _paragraphs(built["it-service.en.docx"]) if _text(p).startswith("Schedule 4 – ")]
    assert english == ["Schedule 4 – Processing of personal data (Article\u00a028(3) UK GDPR)"]


def test_page_breaks_are_properties_not_empty_paragraphs(built: dict[str, bytes]) -> None:
    xml = _part(built["telemarketing.de.docx"], "word/document.xml")
    assert 'w:type="page"' not in xml
    paragraphs = _paragraphs(built["telemarketing.de.docx"])
    starts = [_text(p) for p in paragraphs if p.find("w:pPr/w:pageBreakBefore", NS) is not None]
    assert starts[:2] == ["Inhaltsverzeichnis", "Zwischen"]


def test_annexes_are_cited_by_name_through_fields(built: dict[str, bytes]) -> None:
    xml = _part(built["telemarketing.de.docx"], "word/document.xml")
    assert "REF _Ref_annexes_kpis \\h" in xml  # the bookmark's text, not the heading's number (\r)
    text = _text(_body(built["telemarketing.de.docx"]))
    assert "in Anlage 2 genannten" in text or "nach Anlage 2" in text or "bestimmt Anlage 2" in text
    assert "Ziffer 8." not in text
    english = _text(_body(built["it-service.en.docx"]))
    assert "governed by the terms in Schedule 4, which meet" in english
    assert "the Processing Agreement (Schedule 4)" in english
    heading = next(p for p in _paragraphs(built["it-service.en.docx"]) if _text(p).startswith("Schedule 4 – "))
    start = heading.find("w:bookmarkStart", NS)
    assert start is not None
    assert start.get(f"{W}name") == "_Ref_annexes_processing"
    runs = list(heading.iter(f"{W}r", f"{W}bookmarkEnd"))
    before_end = "".join(_text(r) for r in runs[: [r.tag for r in runs].index(f"{W}bookmarkEnd")])
    assert before_end == "Schedule 4"


def test_german_law_english_version_says_annex(library: Library) -> None:
    answers = load_answers(EXAMPLES / "telemarketing.yaml", library)
    outputs = {o.name: o.data for o in generate(answers, library, languages=["en"], formats=["md"])}
    text = outputs["telemarketing.en.md"].decode()
    assert "## Annex 1 – Contacts" in text
    assert "Schedule" not in text


def test_cited_paragraphs_are_numbered_and_referenced(built: dict[str, bytes]) -> None:
    paragraphs = [_text(p) for p in _paragraphs(built["it-service.en.docx"])]
    assert any(t.startswith("(2)\u00a0Subject to paragraph (1), neither Party") for t in paragraphs)
    assert any(t.startswith("(4)\u00a0Subject to paragraphs (1) and (3), each Party") for t in paragraphs)
    xml = _part(built["it-service.en.docx"], "word/document.xml")
    assert 'w:name="_Ref_legal_liability_ew_unlimited"' in xml
    assert "REF _Ref_legal_liability_ew_unlimited \\h" in xml
    german = built["it-service.de.md"].decode()
    assert "(2) Vorbehaltlich des Absatzes 1 haftet keine Partei" in german
    assert "(3) Weder der Ausschluss nach Absatz 2 noch" in german
    assert "ersten Absatzes" not in german
    assert "vorstehenden Absatz" not in german


def test_a_sentence_that_a_list_opened_continues_its_paragraph() -> None:
    title, blocks = parse_markup(
        "## T\n\n[¶](para:one)Each may disclose to\n\n- a;\n- b,\n\nin each case only as needed.\n\nSecond."
    )
    clause = ClauseNode("x.y", 1, title or (), blocks)
    document = Document(
        "en", "en_GB", "T", "", "R", "1", "d", (), (Section("x", "X", (clause,)),), (), {"annex": "Annex"}
    )
    numbered = number_document(document)
    numbers = [b.number for b in numbered.sections[0].clauses[0].blocks if isinstance(b, Paragraph)]
    assert numbers == ["1", "", "2"]
    assert isinstance(numbered.sections[0].clauses[0].blocks[1], ListBlock)
    assert numbered.numbers["x.y#one"] == "1"


def test_paragraph_anchor_only_opens_a_paragraph() -> None:
    _title, blocks = parse_markup("## T\n\n[¶](para:first) Text.")
    assert blocks == (Paragraph((Text("Text."),), "first"),)
    with pytest.raises(MarkupError, match="paragraph anchor"):
        parse_markup("## T\n\n| a | b |\n|---|---|\n| [¶](para:x)c | d |")
    with pytest.raises(MarkupError, match="paragraph anchor"):
        parse_markup("## T\n\nText [¶](para:x) more.")


def test_annexes_are_numbered_apart_from_the_clauses() -> None:
    clause = ClauseNode("legal.x", 1, (Text("X"),), ())
    annex = ClauseNode("annexes.a", 1, (Text("A"),), ())
    sections = (Section("legal", "Legal", (clause,)), Section("annexes", "Annexes", (annex,), annex=True))
    document = Document("de", "de_DE", "T", "", "R", "1", "d", (), sections, (), {"annex": "Anlage"})
    numbered = number_document(document)
    assert numbered.numbers["legal.x"] == "1.1"
    assert numbered.numbers["annexes.a"] == "Anlage 1"
    assert numbered.sections[1].clauses[0].number == "1"


def test_cover_has_the_key_terms(built: dict[str, bytes]) -> None:
    tables = _body(built["it-service.en.docx"]).findall(".//w:tbl", NS)
    rows = [[_text(c) for c in row.findall("w:tc", NS)] for row in tables[0].findall("w:tr", NS)]
    assert rows == [
        ["Key terms", ""],
        ["Provider", "Kestrel Cloud Operations Ltd"],
        ["Customer", "Harbour Lane Logistics Ltd"],
        ["Contract reference", "SLA-2027-102"],
        ["Service catalogue", "IT operations and support"],
        ["Service tier", "Silver"],
        ["Effective date", "1\u00a0March\u00a02027"],
        ["Initial term", "24\u00a0months, ending on 28\u00a0February\u00a02029; renews for 12\u00a0months at a time"],
        [
            "Notice to end the initial term",
            "to be received by 28\u00a0November\u00a02028 at the latest (calculated for information from clause\u00a01.5, "
            "which alone governs)",
        ],
        ["Governing law", "the laws of England and Wales"],
    ]
    body = _text(_body(built["it-service.en.docx"]))
    assert body.index("Key terms") < body.index("Contents")  # on the cover, before the contents
    markdown = built["telemarketing.de.md"].decode()
    assert "| Laufzeit | wie der Hauptvertrag vom 1. Dezember 2026 |" in markdown.replace("\u00a0", " ")
    assert "| Anwendbares Recht | Recht der Bundesrepublik Deutschland |" in markdown


def test_draft_marks_header_cover_and_provenance(built: dict[str, bytes]) -> None:
    draft, final = built["telemarketing.de.docx"], built["it-service.de.docx"]
    headers = [_part(draft, n) for n in zipfile.ZipFile(io.BytesIO(draft)).namelist() if "header" in n]
    assert any("ENTWURF · Service Level Agreement Telefonakquise" in h for h in headers)
    assert "ENTWURF" in _text(_body(draft)).split("Inhaltsverzeichnis")[0]
    assert "slagen.draft" in _part(draft, "docProps/custom.xml")
    assert "slagen.draft" not in _part(final, "docProps/custom.xml")
    assert "ENTWURF" not in _part(final, "word/document.xml")
    assert "**DRAFT**: Draft for discussion, not for signature" in built["telemarketing.en.md"].decode()


def test_build_draft_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLES / "telemarketing.yaml"), "-o", str(tmp_path), "--draft", "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    assert "**ENTWURF**" in (tmp_path / "telemarketing.de.md").read_text(encoding="utf-8")


def test_signature_table_stays_on_one_page(built: dict[str, bytes]) -> None:
    table = _body(built["telemarketing.de.docx"]).findall(".//w:tbl", NS)[-1]
    rows = table.findall("w:tr", NS)
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
    for row in rows[:-1]:
        assert all(p.find("w:pPr/w:keepNext", NS) is not None for p in row.iter(f"{W}p"))
    cells = [[_text(c) for c in row.findall("w:tc", NS)] for row in rows]
    assert cells[0] == ["Für den Auftragnehmer", "Für den Auftraggeber"]
    assert ["Name: Jana Berger", "Name: Dr. Felix Hansen"] in cells
    assert ["Funktion: Geschäftsführerin", "Funktion: Geschäftsführer"] in cells
    lines = [p for p in table.iter(f"{W}p") if p.find("w:pPr/w:pBdr/w:bottom", NS) is not None]
    assert len(lines) == 2  # a ruled signing line per party
    assert int(lines[0].find("w:pPr/w:spacing", NS).get(f"{W}before")) >= 1400


def test_signatures_follow_the_annexes_under_german_law_and_precede_the_schedules_under_english_law(
    built: dict[str, bytes],
) -> None:
    german = built["telemarketing.de.md"].decode()
    assert german.index("## Anlage 3") < german.index("## Unterschriften")
    english = built["it-service.en.md"].decode()
    assert english.index("## Signatures") < english.index("## Schedule 1 – Contacts")
    assert "Title: " in english
    assert "Signed by " in english


def test_kpi_annex_describes_kpis_measured_alike_once(built: dict[str, bytes]) -> None:
    text = built["it-service.de.md"].decode()
    annex = text[text.index("## Anlage 2") : text.index("## Anlage 3")]
    assert annex.count("Berechnung: Zeit vom Eingang der Störungsmeldung beim Service Desk bis zur ersten") == 1
    assert "**Reaktionszeit Priorität 1** (höchstens 1 Stunde); **Reaktionszeit Priorität 2**" in annex.replace(
        "\u00a0", " "
    )


def test_signatory_without_function() -> None:
    assert split_signer("Dr. Felix Hansen, Geschäftsführer") == ("Dr. Felix Hansen", "Geschäftsführer")
    assert split_signer("Jane Roe") == ("Jane Roe", "")
    assert Signatory("Provider", "P Ltd", "A, B").represented_by == "A, B"


def test_an_anchor_names_one_paragraph() -> None:
    _title, blocks = parse_markup("## T\n\n[¶](para:a)One.\n\n[¶](para:a)Two.")
    clause = ClauseNode("x.y", 1, (Text("T"),), blocks)
    document = Document("en", "en_GB", "T", "", "R", "1", "d", (), (Section("x", "X", (clause,)),), (), {})
    with pytest.raises(TemplateError, match="marks two paragraphs as paragraph\\('a'\\)"):
        number_document(document)


@pytest.fixture(scope="module")
def multi_level(library: Library) -> dict[str, bytes]:
    answers = load_answers(EXAMPLES / "it-service-multi-level.yaml", library)
    return {o.name: o.data for o in generate(answers, library, languages=["de"])}


def test_grouped_rows_merge_their_first_cell(multi_level: dict[str, bytes]) -> None:
    tables = _body(multi_level["it-service-multi-level.de.docx"]).findall(".//w:tbl", NS)
    priorities = next(t for t in tables if _text(t.find("w:tr", NS)).startswith("PrioritätFrist"))
    first = [row.find("w:tc", NS) for row in priorities.findall("w:tr", NS)[1:4]]
    assert [c.find("w:tcPr/w:vMerge", NS).get(f"{W}val") for c in first[:1]] == ["restart"]
    assert all(c.find("w:tcPr/w:vMerge", NS).get(f"{W}val") is None for c in first[1:])
    header = priorities.find("w:tr/w:tc", NS)
    assert header.find("w:tcPr/w:vMerge", NS) is None


def test_every_tier_table_marks_the_chosen_tier(multi_level: dict[str, bytes]) -> None:
    text = multi_level["it-service-multi-level.de.md"].decode().replace("\u00a0", " ")
    assert "| Priorität | Frist | Bronze | Silver (vereinbart) | Gold |" in text
    assert "| Wartung | Bronze | Silver (vereinbart) | Gold |" in text
    assert "| **Silver (vereinbart)** | **9.800,00 €** |" in text
    assert "| 20 % der Monatsvergütung | **30 % der** **Monatsvergütung** | 50 % der Monatsvergütung |" in text
    assert "|  | Wiederherstellungszeit | 8 Stunden | **4 Stunden** | 2 Stunden |" in text
