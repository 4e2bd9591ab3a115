"""Structure of the generated DOCX: styles, header and footer fields, properties, reproducibility."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from slagen.answers import load_answers
from slagen.generate import generate
from slagen.library import Library
from slagen.writers.docx import default_reference

from .conftest import DEMO


@pytest.fixture(scope="module")
def outputs(library: Library) -> dict[str, bytes]:
    return {o.name: o.data for o in generate(load_answers(DEMO, library), library)}


def test_reference_document_is_slim() -> None:
    data = default_reference()
    assert len(data) < 8_000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("word/styles.xml").decode()
    assert styles.count("<w:style ") < 25


def test_uses_real_heading_list_and_table_styles(outputs: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(outputs["telemarketing.de.docx"]))
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Body Text", "List Bullet"} <= used
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[:3] == [
        "1.1\tGegenstand und Zweck",
        "1.2\tInkrafttreten, Laufzeit und Kündigung",
        "2.1\tLeistungsbeschreibung",
    ]
    tables = document.tables
    assert tables[0].style.name == "SLA Table"
    assert [c.text for c in tables[0].rows[0].cells] == ["Kennzahl", "Zielwert", "Messzeitraum"]
    assert [c.text for c in tables[0].rows[2].cells][:2] == ["Abschlussquote je Kampagne", "mindestens 5\xa0%"]
    assert tables[-1].style.name == "Signature Table"


def test_footer_counts_pages_with_fields(outputs: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(outputs["telemarketing.en.docx"])) as archive:
        footers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer")]
    assert len(footers) == 1
    assert 'w:instr=" PAGE "' in footers[0]
    assert 'w:instr=" NUMPAGES "' in footers[0]
    assert "Page " in footers[0]


def test_core_properties_come_from_the_agreement(outputs: dict[str, bytes]) -> None:
    props = docx.Document(io.BytesIO(outputs["telemarketing.en.docx"])).core_properties
    assert props.title == "Service Level Agreement for Outbound Telemarketing"
    assert props.identifier == "SLA-2027-014"
    assert props.language == "en-GB"
    assert props.created.isoformat().startswith("2027-01-01")


def test_zip_entries_carry_a_fixed_date(outputs: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(outputs["telemarketing.de.docx"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
