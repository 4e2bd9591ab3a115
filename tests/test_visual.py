"""What a document team checks by eye (issue 16, "How you will know"), kept as tests: see docs/shape.md.

Each defect found by looking at the pages has a test here: the contacts annex's layout, soft hyphens and
column widths of crowded tables, the English-law parties block, a KPI kept on one page with its description,
the review comments' typography and case, and that the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from slagen.answers import load_answers
from slagen.generate import generate
from slagen.library import Library
from slagen.model import ListBlock, Paragraph, Text
from slagen.writers.hyphens import HYPHENATED, SOFT_HYPHEN, hyphenate
from slagen.writers.lists import short_list, short_nested
from slagen.writers.reference import load_reference
from slagen.writers.widths import CELL_PADDING, WORD_CHAR_WIDTH, column_widths
from slagen.writers.wordml import text_xml

from .conftest import EXAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _build(library: Library, name: str, **options: object) -> dict[str, bytes]:
    answers = load_answers(EXAMPLES / f"{name}.yaml", library)
    return {out.name: out.data for out in generate(answers, library, formats=["docx", "md"], **options)}  # type: ignore[arg-type]


def _body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _text(element: etree._Element) -> str:
    return "".join(element.itertext(f"{W}t"))


def _tables(data: bytes) -> list[etree._Element]:
    return list(_body(data).iter(f"{W}tbl"))


def _table_after(data: bytes, heading: str) -> etree._Element:
    """The first table after the paragraph that says ``heading``."""
    body = _body(data)
    found = False
    for element in body.iter(f"{W}p", f"{W}tbl"):
        if element.tag == f"{W}p" and _text(element) == heading and element.find("w:hyperlink", NS) is None:
            found = True
        elif found and element.tag == f"{W}tbl":
            return element
    raise AssertionError(f"no table after {heading!r}")


@pytest.fixture(scope="module")
def it_service(library: Library) -> dict[str, bytes]:
    return _build(library, "it-service")


def test_contacts_annex_has_three_columns_and_no_address_breaks(it_service: dict[str, bytes]) -> None:
    """M3: e-mail addresses broke in the five-column contacts table; now party and role share a column."""
    for language, heading, header in (
        ("de", "Anlage 1 – Ansprechpartner", ["Partei und Funktion", "Name", "E-Mail und Telefon"]),
        ("en", "Schedule 1 – Contacts", ["Party and role", "Name", "E-mail and telephone"]),
    ):
        table = _table_after(it_service[f"it-service.{language}.docx"], heading)
        rows = table.findall("w:tr", NS)
        assert [_text(cell) for cell in rows[0].findall("w:tc", NS)] == header
        widths = [int(col.get(f"{W}w")) for col in table.findall("w:tblGrid/w:gridCol", NS)]
        longest = max(len(_text(row.findall("w:tc", NS)[2]).split(",")[0]) for row in rows[1:])
        assert longest == len("laura.bennett@harbourlane.example")
        assert widths[2] >= CELL_PADDING + WORD_CHAR_WIDTH * longest  # the address stays on one line
    markdown = it_service["it-service.de.md"].decode()
    assert (
        "| Auftraggeber – Service-Level-Verantwortlicher | Laura Bennett | laura.bennett@harbourlane.example, +44 117 555 0199 |"
        in markdown
    )
    assert "| Auftraggeber – Datenschutz | Data Protection Officer | privacy@harbourlane.example |" in markdown


def test_english_law_parties_block_in_english_practice(it_service: dict[str, bytes]) -> None:
    markdown = it_service["it-service.en.md"].decode()
    assert "**THIS AGREEMENT** is dated \\_" in markdown
    assert (
        "(1) **KESTREL CLOUD OPERATIONS LTD** (Registered in England and Wales, company no. 08412733), whose registered office is at 4 Quay Street"
        in markdown
    )
    assert "(2) **HARBOUR LANE LOGISTICS LTD** (Registered in England and Wales, company no. 06190455)" in markdown
    paragraphs = list(_body(it_service["it-service.en.docx"]).iter(f"{W}p"))
    opening = next(p for p in paragraphs if _text(p).startswith("THIS AGREEMENT is dated"))
    assert opening.find("w:pPr/w:jc", NS).get(f"{W}val") == "left"  # flush left, not the centred German block
    assert opening.find("w:pPr/w:pageBreakBefore", NS) is not None
    # the German version of the English-law contract keeps the German opening, centred by its style
    german = next(p for p in _body(it_service["it-service.de.docx"]).iter(f"{W}p") if _text(p) == "Zwischen")
    assert german.find("w:pPr/w:jc", NS) is None


def test_german_law_english_version_keeps_its_opening(library: Library) -> None:
    markdown = _build(library, "telemarketing", languages=["en"])["telemarketing.en.md"].decode()
    assert "This agreement is made between" in markdown
    assert "THIS AGREEMENT" not in markdown


def test_soft_hyphens_at_syllables_and_only_in_long_words() -> None:
    assert hyphenate("Wiederherstellungszeiten", "de") == SOFT_HYPHEN.join(
        ["Wie", "der", "her", "stel", "lungs", "zei", "ten"]
    )
    assert hyphenate("mindestens 99,95 %", "de") == "mindestens 99,95 %"  # shorter than HYPHENATED letters
    assert hyphenate("servicedesk@kestrel-operations.example", "en") == "servicedesk@kestrel-operations.example"
    assert hyphenate("Wiederherstellungszeiten", "fr") == "Wiederherstellungszeiten"  # no dictionary: left alone
    assert text_xml(f"Mo{SOFT_HYPHEN}nat") == (
        '<w:t xml:space="preserve">Mo</w:t><w:softHyphen/><w:t xml:space="preserve">nat</w:t>'
    )


def _cells(*rows: tuple[str, ...]) -> list[list[list[Text]]]:
    return [[[Text(cell)] for cell in row] for row in rows]


def test_crowded_table_keeps_short_words_whole_and_hyphenates_long_ones() -> None:
    """M3: the multi-level matrix broke "mindesten|s" and "Monatsver|gütung" letter by letter."""
    rows = _cells(
        ("Kennzahl", "Bronze", "Silver (vereinbart)", "Gold", "Messzeitraum"),
        (
            "Einhaltungsquote der Reaktions- und Wiederherstellungszeiten",
            "mindestens 85 %",
            "mindestens 90 %",
            "mindestens 95 %",
            "je Kalendermonat",
        ),
        (
            "Servicegutschriften nach Ziffer 3.4",
            "20 % der Monatsvergütung",
            "30 % der Monatsvergütung",
            "50 % der Monatsvergütung",
            "je Kalendermonat",
        ),
    )
    total = 8352  # A4 text width less the clause indent
    widths = column_widths(rows, total, "de")
    assert sum(widths) == total
    whole = CELL_PADDING + WORD_CHAR_WIDTH * len("mindestens")
    assert min(widths) >= whole  # no column is narrower than a word that cannot be hyphenated
    assert all(width >= CELL_PADDING + WORD_CHAR_WIDTH * HYPHENATED for width in widths)
    # with room, nothing is hyphenated: every word keeps its whole width
    roomy = column_widths(
        rows[:1] + _cells(("Verfügbarkeit", "99,5 %", "99,9 %", "99,95 %", "Kalendermonat")), total, "de"
    )
    assert roomy[4] >= CELL_PADDING + WORD_CHAR_WIDTH * len("Kalendermonat")


def test_multi_level_table_cells_carry_soft_hyphens(library: Library) -> None:
    data = _build(library, "it-service-multi-level", languages=["de"])["it-service-multi-level.de.docx"]
    table = next(t for t in _tables(data) if _text(t).startswith("KennzahlBronze"))
    assert table.find(".//w:softHyphen", NS) is not None
    assert "Monatsvergütung" in _text(table)  # the hyphens are elements, the text stays whole
    prose = [p for p in _body(data).iter(f"{W}p") if p.getparent().tag == f"{W}body"]
    assert all(p.find(".//w:softHyphen", NS) is None for p in prose)  # body text is left to the word processor


def test_a_kpi_and_its_description_are_kept_together(it_service: dict[str, bytes]) -> None:
    item = (Paragraph((Text("KPI"),)), ListBlock(False, tuple((Paragraph((Text(f"line {n}"),)),) for n in range(4))))
    assert short_nested(item)
    assert not short_nested((item[0], ListBlock(False, tuple((Paragraph((Text("x"),)),) for _ in range(7)))))
    paragraphs = list(_body(it_service["it-service.de.docx"]).iter(f"{W}p"))
    start = next(i for i, p in enumerate(paragraphs) if _text(p).startswith("Verfügbarkeit der Systeme ("))
    block = paragraphs[start : start + 7]
    assert [_text(p).split(":")[0] for p in block] == [
        "Verfügbarkeit der Systeme (mindestens 99,9\u00a0%)",
        "Art",
        "Berechnung",
        "Messzeitraum",
        "Zählweise",
        "Nicht berücksichtigt",
        "Datenquelle",
    ]
    kept = [p.find("w:pPr/w:keepNext", NS) is not None for p in block]
    assert kept == [True, True, True, True, True, True, False]


def test_review_comments_are_typeset_and_capitalised(library: Library) -> None:
    answers = load_answers(EXAMPLES / "telemarketing-custom.yaml", library)
    data = {o.name: o.data for o in generate(answers, library, formats=["docx"], languages=["en"], review=True)}
    with zipfile.ZipFile(io.BytesIO(data["telemarketing-custom.en.docx"])) as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
    texts = ["".join(c.itertext(f"{W}t")) for c in comments.iter(f"{W}comment")]
    assert any(t.startswith("Deviation from the Professional Service Tier: 100 → 120") for t in texts)
    assert not any("deviates from" in t for t in texts)
    assert not any(re.search(r"\w'\w|\"", t) for t in texts)  # apostrophes and quotes as in the text


def test_same_inputs_same_bytes(library: Library) -> None:
    for options in ({}, {"review": True}, {"draft": True}):
        first = _build(library, "it-service", **options)
        assert _build(library, "it-service", **options) == first


@pytest.mark.skipif(SOFFICE is None and os.environ.get("CI") != "true", reason="LibreOffice (soffice) is not installed")
def test_kpi_annex_does_not_spill_one_line_onto_a_page(library: Library) -> None:
    """telemarketing.de: the last line of the KPI annex stood alone on a page; a KPI now moves whole."""
    assert SOFFICE is not None, "CI=true but LibreOffice (soffice) is missing"
    from pypdf import PdfReader

    answers = load_answers(EXAMPLES / "telemarketing.yaml", library)
    pdf = next(o.data for o in generate(answers, library, formats=["pdf"], languages=["de"]))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    last = max(i for i, text in enumerate(pages) if "Datenquelle:" in text)  # the annex's last KPI
    assert "Lösungsvorschlag zu Beschwerden" in pages[last]  # the KPI's name is on the page of its last line


def test_a_long_header_puts_the_reference_on_its_own_line(library: Library, tmp_path: Path) -> None:
    """With python-docx's default template (11 pt header) title and reference overran the line."""
    import docx

    docx.Document().save(tmp_path / "plain.docx")
    answers = load_answers(EXAMPLES / "it-service.yaml", library)

    def header(**options: object) -> str:
        outputs = generate(answers, library, formats=["docx"], languages=["en"], **options)  # type: ignore[arg-type]
        with zipfile.ZipFile(io.BytesIO(outputs[0].data)) as archive:
            return next(
                archive.read(name).decode()
                for name in archive.namelist()
                if name.startswith("word/header") and "Contract reference" in archive.read(name).decode()
            )

    reference = load_reference(tmp_path / "plain.docx")
    assert "Managed IT Services</w:t><w:br/><w:tab/><w:t>Contract reference: SLA-2027-102" in header(
        reference=reference
    )
    assert "Managed IT Services</w:t><w:tab/><w:t>Contract reference: SLA-2027-102" in header()  # 8 pt: one line


def test_an_address_with_a_hyphen_is_one_word() -> None:
    """call-centre.de: "petra.hoffmann@sw-|lindenau.example" broke at its hyphen in the contacts table."""
    rows = _cells(
        ("Partei und Funktion", "Name", "E-Mail und Telefon"),
        ("Auftragnehmer – Service-Level-Verantwortlicher", "Jonas Weber", "j.weber@rheinwelle.example, 0221 7788-120"),
        ("Auftraggeber – Datenschutz", "Datenschutzbeauftragter", "datenschutz@sw-lindenau.example"),
        (
            "Auftraggeber – Service-Level-Verantwortlicher",
            "Petra Hoffmann",
            "petra.hoffmann@sw-lindenau.example, 0211 4455-310",
        ),
    )
    widths = column_widths(rows, 8352, "de")
    assert widths[2] >= CELL_PADDING + WORD_CHAR_WIDTH * len("petra.hoffmann@sw-lindenau.example,")


def test_a_short_list_is_kept_on_one_page(library: Library) -> None:
    """it-service-internal.de: the order of precedence parted after its first item at the foot of page 4."""
    data = _build(library, "it-service-internal", languages=["de"])["it-service-internal.de.docx"]
    paragraphs = list(_body(data).iter(f"{W}p"))
    start = next(i for i, p in enumerate(paragraphs) if _text(p).startswith("Bei Widersprüchen"))
    block = paragraphs[start : start + 4]
    assert _text(block[1]).startswith("die Richtlinien")
    assert [p.find("w:pPr/w:keepNext", NS) is not None for p in block] == [True, True, True, False]
    long_list = ListBlock(False, tuple((Paragraph((Text(str(n)),)),) for n in range(5)))
    assert not short_list(long_list)
    assert short_list(ListBlock(False, long_list.items[:4]))


def test_the_cover_says_a_customer_specific_tier_deviates(library: Library) -> None:
    outputs = _build(library, "telemarketing-custom")
    assert (
        "| Leistungsstufe | Professional, mit vereinbarten Abweichungen |"
        in outputs["telemarketing-custom.de.md"].decode()
    )
    assert "| Service tier | Professional, with agreed deviations |" in outputs["telemarketing-custom.en.md"].decode()
    standard = _build(library, "telemarketing", languages=["de"])["telemarketing.de.md"].decode()
    assert "| Leistungsstufe | Professional |" in standard
