"""Structure of the generated DOCX: styles, header and footer fields, properties, reproducibility."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import zlib
from typing import Any

import docx
import pytest
from lxml import etree

from slagen.answers import load_answers
from slagen.generate import generate
from slagen.library import Library
from slagen.reference import default_reference
from slagen.writers.package import ZIP_DATE, ZIP_LEVEL, Deflated, deflate_piece, deflate_pieces, zip_parts

from .conftest import DEMO, EXAMPLES
from .docx_dump import dump_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def outputs(library: Library) -> dict[str, bytes]:
    return {o.name: o.data for o in generate(load_answers(DEMO, library), library)}


def test_reference_document_is_slim() -> None:
    data = default_reference()
    assert len(data) < 8_000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("word/styles.xml").decode()
    assert styles.count("<w:style ") <= 30


def test_uses_real_heading_list_and_table_styles(outputs: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(outputs["telemarketing.de.docx"]))
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Body Text", "List Bullet"} <= used
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[:3] == [
        "Gegenstand und Zweck",
        "Begriffsbestimmungen",
        "Räumlicher und organisatorischer Geltungsbereich",
    ]
    tables = document.tables
    assert tables[0].style.name == "SLA Table"
    assert [c.text for c in tables[0].rows[0].cells] == ["Begriff", "Bestimmt in"]
    assert [c.text for c in tables[1].rows[0].cells] == ["Kennzahl", "Zielwert", "Messzeitraum"]
    assert [c.text for c in tables[1].rows[2].cells][:2] == ["Abschlussquote je Kampagne", "mindestens 5\xa0%"]
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


def _entries(data: bytes) -> list[tuple[Any, ...]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every entry inflates to its size and CRC
        return [
            (i.filename, i.CRC, i.file_size, i.date_time, i.compress_type, i.create_system, i.external_attr)
            for i in archive.infolist()
        ]


def test_zip_is_what_zipfile_writes_for_the_same_parts(outputs: dict[str, bytes]) -> None:
    """slagen packs the DOCX with its own zip writer (fixed parts deflated once, the body in pieces);
    zipfile must read it whole and write the same entries, and byte for byte what slagen writes for them."""
    data = outputs["telemarketing.de.docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as archive:
        for name, content in parts:
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), content, zipfile.ZIP_DEFLATED, ZIP_LEVEL)
    assert zip_parts(parts) == expected.getvalue()
    assert _entries(data) == _entries(expected.getvalue())


@pytest.mark.parametrize(
    "cuts",
    [[], [0], [5], [5, 5], [0, 3, 9], [1, 2, 3, 4]],
)
@pytest.mark.parametrize("deflated", [(), (0,), (1,), (0, 2), (1, 2, 3)])
@pytest.mark.parametrize("repeat", [1, 50, 3000])  # stored blocks, deflated runs, runs over 64 KiB
def test_pieces_deflated_apart_inflate_to_the_whole(cuts: list[int], deflated: tuple[int, ...], repeat: int) -> None:
    data = b"<w:p>Der Auftragnehmer verpflichtet sich</w:p>" * repeat
    bounds = sorted({0, *(min(cut * 100, len(data)) for cut in cuts), len(data)})
    pieces: list[bytes | Deflated] = [data[a:b] for a, b in itertools.pairwise(bounds)]
    pieces = [deflate_piece(p) if i in deflated and isinstance(p, bytes) else p for i, p in enumerate(pieces)]
    entry = deflate_pieces("word/document.xml", pieces)
    assert zlib.decompress(entry.packed, -15) == data
    assert (entry.crc, entry.size) == (zlib.crc32(data), len(data))


def _xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def test_a_paragraph_that_introduces_a_table_or_list_stays_with_it(outputs: dict[str, bytes]) -> None:
    body = _xml(outputs["telemarketing.en.docx"], "word/document.xml").find(f"{W}body")
    assert body is not None
    elements = list(body)
    kept, loose = [], []
    for element, following in itertools.pairwise(elements):
        if element.tag != f"{W}p" or element.find(f"{W}pPr/{W}numPr") is not None:
            continue
        introduces = following.tag == f"{W}tbl" or following.find(f"{W}pPr/{W}numPr") is not None
        text = "".join(element.itertext())
        if introduces and text.endswith(":"):
            (kept if element.find(f"{W}pPr/{W}keepNext") is not None else loose).append(text)
    assert loose == []
    assert any(
        text.endswith("shall meet the following service levels of the Professional service level:") for text in kept
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_headings_are_numbered_by_a_word_list_bound_to_their_styles(outputs: dict[str, bytes], language: str) -> None:
    data = outputs[f"telemarketing.{language}.docx"]
    styles, numbering = _xml(data, "word/styles.xml"), _xml(data, "word/numbering.xml")
    levels = {}
    for style_id, level in (("Heading1", "0"), ("Heading2", "1")):
        (style,) = styles.findall(f"{W}style[@{W}styleId='{style_id}']")
        num_id = style.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        (num,) = numbering.findall(f"{W}num[@{W}numId='{num_id}']")
        abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
        (abstract,) = numbering.findall(f"{W}abstractNum[@{W}abstractNumId='{abstract_id}']")
        (lvl,) = abstract.findall(f"{W}lvl[@{W}ilvl='{level}']")
        assert lvl.find(f"{W}pStyle").get(f"{W}val") == style_id
        levels[style_id] = lvl.find(f"{W}lvlText").get(f"{W}val")
    assert levels == {"Heading1": "%1.", "Heading2": "%1.%2"}
    body_text = "".join(_xml(data, "word/document.xml").itertext())
    assert "2.2\tLeistungsparameter" not in body_text  # numbers are not typed into the headings


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_reference_is_a_ref_field_to_a_bookmarked_heading_with_its_number(
    outputs: dict[str, bytes], language: str
) -> None:
    dump = dump_docx(outputs[f"telemarketing.{language}.docx"]).splitlines()
    headings = {}
    for line in dump:
        match = re.match(r"Heading [12]: (\S+) ⟦(_Ref_\w+)⟧", line)
        if match:
            headings[match.group(2)] = match.group(1).rstrip(".")
    references = [m.groups() for line in dump for m in re.finditer(r"\{REF (\S+) \\r \\h\}(\d+(?:\.\d+)*)", line)]
    assert len(references) >= 5
    for bookmark, cached in references:
        assert bookmark in headings, f"REF to missing bookmark {bookmark}"
        assert cached == headings[bookmark]


def test_table_of_contents_is_a_field_with_cached_entries(outputs: dict[str, bytes]) -> None:
    dump = dump_docx(outputs["telemarketing.en.docx"])
    assert '{TOC \\o "1-2" \\h \\z \\u}1.\tSubject Matter and Term' in dump
    assert "toc 2: 2.2\tService levels" in dump
    document = _xml(outputs["telemarketing.en.docx"], "word/document.xml")
    kinds = [c.get(f"{W}fldCharType") for c in document.iter(f"{W}fldChar")]
    assert kinds.count("begin") == kinds.count("separate") == kinds.count("end")


def _comments(data: bytes) -> tuple[list[str], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "word/comments.xml" not in archive.namelist():
            return [], archive.read("word/document.xml").decode()
        comments = etree.fromstring(archive.read("word/comments.xml"))
        texts = ["\n".join("".join(p.itertext()) for p in c.iter(f"{W}p")) for c in comments.iter(f"{W}comment")]
        return texts, archive.read("word/document.xml").decode()


def test_without_review_the_document_is_clean(outputs: dict[str, bytes]) -> None:
    comments, document = _comments(outputs["telemarketing.de.docx"])
    assert comments == []
    assert "commentRangeStart" not in document


def test_review_comments_name_each_clause_and_each_deviation(library: Library) -> None:
    answers = load_answers(EXAMPLES / "telemarketing-custom.yaml", library)
    (output,) = generate(answers, library, languages=["en"], formats=["docx"], review=True)
    comments, document = _comments(output.data)
    clauses = [c for c in answers.clauses if c.section != "front"]
    assert [c.split("\n")[0] for c in comments if c.startswith("Clause ")] == [
        f"Clause {c.id}, version {c.version}" for c in clauses
    ]
    assert "Clause services.quality, version 2\nCall recording needs prior opt-in consent" in "\n\n".join(comments)
    deviations = [c for c in comments if c.startswith("deviates")]
    assert deviations == [
        "deviates from standard tier Professional: 100 → 120 (better for the Customer)",
        "deviates from standard tier Professional: 24 hours → 36 hours (worse for the Customer)",
    ]
    # each deviation comment is anchored on the agreed value in the service-level table (ids count from 0)
    for deviation, value in zip(deviations, ["120", "36 hours"], strict=True):
        index = comments.index(deviation)
        anchored = re.search(
            rf'<w:commentRangeStart w:id="{index}"/>(.*?)<w:commentRangeEnd w:id="{index}"/>', document
        )
        assert anchored is not None
        assert "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", anchored.group(1))) == value
    dated = etree.fromstring(zipfile.ZipFile(io.BytesIO(output.data)).read("word/comments.xml"))
    assert {c.get(f"{W}date") for c in dated.iter(f"{W}comment")} == {"2027-01-01T00:00:00Z"}
