"""The contents: entries as hyperlinks with PAGEREF fields, page numbers from the layout pass; the header's tabs.

The tests that lay out skip without LibreOffice and pdftotext, but never under ``CI=true``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Twips

from slagen.cli import main
from slagen.generate import build_documents, check_answers
from slagen.library import Library, load_library
from slagen.writers.docx import write_docx
from slagen.writers.package import read_parts
from slagen.writers.styles import style_tabs, tabs_xml
from slagen.writers.toc import UPDATE_FIELDS, cached_pages, destination_name, set_pages

from .conftest import DEMO, ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def needs_libreoffice() -> None:
    if SOFFICE and PDFTOTEXT:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but LibreOffice (soffice) or pdftotext is missing", pytrace=False)
    pytest.skip("LibreOffice (soffice) or poppler's pdftotext is not installed")


@pytest.fixture(scope="module")
def demo_docx(library: Library) -> bytes:
    answers = check_answers(DEMO, library)
    (document,) = build_documents(answers, library, ["de"])
    return write_docx(document, timestamp=STAMP)


def part(data: bytes, name: str) -> bytes:
    return dict(read_parts(data))[name]


def test_every_entry_links_to_its_heading_and_has_a_pageref(demo_docx: bytes) -> None:
    body = part(demo_docx, "word/document.xml").decode()
    headings = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Ref_[^"]+)"/>', body)
    anchors = re.findall(r'<w:hyperlink w:anchor="(_Ref_[^"]+)" w:history="1">', body)
    assert anchors == headings  # every heading, in order, and nothing else
    assert list(cached_pages(body.encode())) == headings
    assert set(cached_pages(body.encode()).values()) == {""}  # no layout: empty until Word updates them


def test_entries_have_a_dot_leader_tab_at_the_right_margin(demo_docx: bytes) -> None:
    body = part(demo_docx, "word/document.xml").decode()
    entry = re.search(r'<w:pStyle w:val="TOC2"/>(<w:tabs>.*?</w:tabs>)', body)
    assert entry is not None
    # the default page: A4 (11906 twips) less margins of 1417 each → 9072; the style's stops are cleared
    assert entry[1] == (
        '<w:tabs><w:tab w:val="clear" w:pos="1440"/><w:tab w:val="clear" w:pos="9062"/>'
        '<w:tab w:val="right" w:leader="dot" w:pos="9072"/></w:tabs>'
    )


def test_without_layout_word_is_told_to_update_fields(demo_docx: bytes) -> None:
    assert UPDATE_FIELDS in part(demo_docx, "word/settings.xml")


def test_set_pages_writes_the_cached_pages_and_drops_update_fields(demo_docx: bytes) -> None:
    bookmarks = list(cached_pages(part(demo_docx, "word/document.xml")))
    pages = {destination_name(name): index + 3 for index, name in enumerate(bookmarks)}
    numbered = set_pages(demo_docx, pages)
    cached = cached_pages(part(numbered, "word/document.xml"))
    assert cached == {name: str(index + 3) for index, name in enumerate(bookmarks)}
    assert UPDATE_FIELDS not in part(numbered, "word/settings.xml")
    assert set_pages(demo_docx, pages) == numbered  # the same bytes again
    assert [name for name, _ in read_parts(numbered)] == [name for name, _ in read_parts(demo_docx)]
    trial = cached_pages(part(set_pages(demo_docx, None), "word/document.xml"))
    assert set(trial.values()) == {"99"}


def test_destination_names_are_libreoffices() -> None:
    assert destination_name("_Ref_scope_purpose") == "5FRef5Fscope5Fpurpose"
    assert destination_name("_Ref_a1") == "5FRef5Fa1"


def test_section_references_keep_their_number_without_period(tmp_path: Path) -> None:
    # the shipped clauses cite clauses and annexes only: a library author's template cites a section
    for name in ("clauses", "templates", "tiers"):
        shutil.copytree(ROOT / name, tmp_path / name)
    final = tmp_path / "templates" / "de" / "legal" / "final.md.j2"
    final.write_text(final.read_text(encoding="utf-8") + "\nSiehe Ziffer {{ ref('scope') }}.\n", encoding="utf-8")
    library = load_library(tmp_path)
    (document,) = build_documents(check_answers(DEMO, library), library, ["de"])
    body = part(write_docx(document, timestamp=STAMP), "word/document.xml").decode()
    instructions = re.findall(r"<w:instrText[^>]*> (REF [^<]*) </w:instrText>", body)
    sections = [text for text in instructions if "\\#" in text]
    assert sections
    assert all(re.fullmatch(r'REF _Ref_[a-z_]+ \\r \\h \\# "0"', text) for text in sections)
    clauses = [text for text in instructions if "\\#" not in text]
    assert clauses


def test_numbering_definitions_have_nine_levels(demo_docx: bytes) -> None:
    numbering = part(demo_docx, "word/numbering.xml").decode()
    for abstract in re.findall(r"<w:abstractNum .*?</w:abstractNum>", numbering, re.S):
        assert re.findall(r'<w:lvl w:ilvl="(\d)"', abstract) == [str(i) for i in range(9)]
    styles = part(demo_docx, "word/styles.xml").decode()
    for style in re.findall(r'<w:pStyle w:val="([^"]+)"/>', numbering):
        assert f'w:styleId="{style}"' in styles


def test_package_has_font_table_and_theme(demo_docx: bytes) -> None:
    names = [name for name, _ in read_parts(demo_docx)]
    assert "word/fontTable.xml" in names
    assert "word/theme/theme1.xml" in names
    types = part(demo_docx, "[Content_Types].xml").decode()
    assert "/word/fontTable.xml" in types
    assert "/word/theme/theme1.xml" in types


def test_tabs_xml_clears_the_styles_stops() -> None:
    assert tabs_xml((720, 9062), right=9072, leader="dot") == (
        '<w:tabs><w:tab w:val="clear" w:pos="720"/><w:tab w:val="clear" w:pos="9062"/>'
        '<w:tab w:val="right" w:leader="dot" w:pos="9072"/></w:tabs>'
    )
    assert tabs_xml((9072,), right=9072) == '<w:tabs><w:tab w:val="right" w:pos="9072"/></w:tabs>'


def odd_header_reference(path: Path) -> Path:
    """A reference like python-docx's own: Letter, a Header style with a centre tab at 4680 and a right one at
    9360 (beyond the text width), plus a left one at 1000 of its base style."""
    document = docx.Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Twips(1500)
    styles = document.styles
    normal_tabs = styles["Normal"].paragraph_format.tab_stops
    normal_tabs.add_tab_stop(Twips(1000), WD_TAB_ALIGNMENT.LEFT)
    header = styles["Header"]
    assert [round(stop.position.twips) for stop in header.paragraph_format.tab_stops] == [4680, 9360]
    document.save(path)
    return path


def test_header_tabs_come_from_the_page_whatever_the_reference_style_says(tmp_path: Path) -> None:
    reference = odd_header_reference(tmp_path / "odd.docx")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(DEMO), "-o", str(out), "--lang", "de", "--format", "docx", "--reference-doc", str(reference)],
    )
    assert result.exit_code == 0, result.output
    built = docx.Document(str(out / "telemarketing.de.docx"))
    section = built.sections[0]
    width = round((section.page_width - section.left_margin - section.right_margin) / 635)
    assert width == 12240 - 3000  # Letter less two margins of 1500
    paragraph = section.header.paragraphs[0]
    stops = [(stop.alignment, round(stop.position.twips)) for stop in paragraph.paragraph_format.tab_stops]
    assert (WD_TAB_ALIGNMENT.RIGHT, width) in stops
    cleared = {position for alignment, position in stops if alignment == WD_TAB_ALIGNMENT.CLEAR}
    assert cleared == {1000, 4680, 9360}
    assert style_tabs(built.styles["Header"].element) == (1000, 4680, 9360)
    assert "\t" in paragraph.text
    assert paragraph.text.endswith("SLA-2027-014")


def pdf_pages_text(pdf: Path) -> list[str]:
    assert PDFTOTEXT is not None
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")


def test_layout_writes_the_pages_where_the_headings_are(tmp_path: Path) -> None:
    needs_libreoffice()
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(DEMO), "-o", str(out), "--lang", "de", "--format", "docx", "--format", "pdf", "--layout"]
    )
    assert result.exit_code == 0, result.output
    data = (out / "telemarketing.de.docx").read_bytes()
    assert UPDATE_FIELDS not in part(data, "word/settings.xml")
    cached = cached_pages(part(data, "word/document.xml"))
    assert cached["_Ref_scope"] == "3"  # cover and contents before it
    pages = pdf_pages_text(out / "telemarketing.de.pdf")
    built = docx.Document(io.BytesIO(data))
    titles = {}
    for paragraph in built.paragraphs:
        start = paragraph._p.find(f"{W}bookmarkStart")
        if paragraph.style.name.startswith("Heading") and start is not None:
            titles[start.get(f"{W}name")] = paragraph.text
    assert set(titles) == set(cached)
    for bookmark, page in cached.items():
        words = " ".join(pages[int(page) - 1].split()).casefold()  # level-1 headings are set in capitals
        assert " ".join(titles[bookmark].split()).casefold() in words, (bookmark, page)
        # the PDF's contents page shows the same number at the end of the entry's line
    contents = pages[1]
    assert re.search(r"Gegenstand und Laufzeit\.{5,}\s*3\s*$", contents, re.M)
    again = tmp_path / "again"
    CliRunner().invoke(main, ["build", str(DEMO), "-o", str(again), "--lang", "de", "--format", "docx", "--layout"])
    assert (again / "telemarketing.de.docx").read_bytes() == data  # deterministic


def test_no_layout_keeps_update_fields_and_says_nothing_when_chosen(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(out), "--lang", "en", "--no-layout"])
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output
    assert UPDATE_FIELDS in part((out / "telemarketing.en.docx").read_bytes(), "word/settings.xml")


def test_without_libreoffice_the_build_says_how_the_pages_come(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLAGEN_LAYOUT", raising=False)
    monkeypatch.setattr("slagen.writers.pdf.shutil.which", lambda name: None)
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "no page numbers" in result.stderr
    assert "Update All" in result.stderr
    monkeypatch.setenv("SLAGEN_LAYOUT", "0")
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(tmp_path / "out2"), "--lang", "en"])
    assert result.stderr == ""
