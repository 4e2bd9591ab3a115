"""Structure of the generated DOCX: styles, header and footer fields, properties, reproducibility."""

from __future__ import annotations

import ast
import copy
import datetime as dt
import io
import itertools
import os
import re
import subprocess
import sys
import types
import zipfile
from pathlib import Path
from typing import Any

import docx
import msgspec
import pytest
from lxml import etree
from msgspec.structs import replace

from slagen.answers import load_answers
from slagen.errors import InputError
from slagen.generate import build_documents, generate
from slagen.library import Library
from slagen.model import Document
from slagen.writers.docx import docx_frame, write_docx
from slagen.writers.frame import make_frame
from slagen.writers.markdown import write_markdown
from slagen.writers.package import read_parts, zip_parts
from slagen.writers.reference import default_reference

from .conftest import DEMO, EXAMPLES, ROOT
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
    key_terms, *tables = document.tables  # the cover's key terms first
    assert [c.text for c in key_terms.rows[0].cells] == ["Eckdaten", ""]
    assert tables[0].style.name == "SLA Table"
    assert [c.text for c in tables[0].rows[0].cells] == ["Begriff", "Definiert in"]
    assert [c.text for c in tables[1].rows[0].cells] == ["Kennzahl", "Zielwert", "Messzeitraum"]
    assert [c.text for c in tables[1].rows[2].cells][:2] == ["Termin- und Leadquote je Kampagne", "mindestens 5\xa0%"]
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


def test_zip_entries_carry_the_document_date_and_fixed_attributes(outputs: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(outputs["telemarketing.de.docx"])) as archive:
        assert archive.testzip() is None  # every entry inflates to its size and CRC
        entries = archive.infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert {(i.date_time, i.compress_type, i.create_system, i.external_attr) for i in entries} == {
        ((2027, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED, 3, 0o600 << 16)  # the agreement's effective date
    }


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
    assert any(text.endswith("each of these targets is a “Service Level”:") for text in kept)


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
    assert "toc 2: 2.2\tService Levels" in dump
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
    assert "Clause services.quality, version 5\nReviewing call recordings requires the prior consent" in "\n\n".join(
        comments
    )
    deviations = [c for c in comments if c.startswith("Deviation from")]
    assert deviations == [
        "Deviation from the Professional Service Tier: 100 → 120 (better for the Customer)",
        "Deviation from the Professional Service Tier: 24\u00a0hours → 36\u00a0hours (worse for the Customer)",
    ]
    # each deviation comment is anchored on the agreed value in the service-level table (ids count from 0)
    for deviation, value in zip(deviations, ["120", "36\u00a0hours"], strict=True):
        index = comments.index(deviation)
        anchored = re.search(
            rf'<w:commentRangeStart w:id="{index}"/>(.*?)<w:commentRangeEnd w:id="{index}"/>', document
        )
        assert anchored is not None
        assert "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", anchored.group(1))) == value
    dated = etree.fromstring(zipfile.ZipFile(io.BytesIO(output.data)).read("word/comments.xml"))
    assert {c.get(f"{W}date") for c in dated.iter(f"{W}comment")} == {"2027-01-01T00:00:00Z"}


_DIGESTS = """
import hashlib
from pathlib import Path
from slagen.answers import load_answers
from slagen.generate import generate
from slagen.library import load_library
library = load_library()
for name, review in (("telemarketing", False), ("telemarketing-custom", True)):
    answers = load_answers(Path(f"examples/{name}.yaml"), library)
    for output in generate(answers, library, review=review):
        print(output.name, review, hashlib.sha256(output.data).hexdigest())
"""


def test_processes_with_different_hash_seeds_write_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    runs = [
        subprocess.run(
            [sys.executable, "-c", _DIGESTS],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert len(runs[0].splitlines()) == 8


def _documents(library: Library) -> list[Document]:
    documents = []
    for name in ("telemarketing", "it-service"):
        answers = load_answers(EXAMPLES / f"{name}.yaml", library)
        documents += build_documents(answers, library, ["de", "en"])
    return documents


def test_writers_keep_nothing_between_documents_and_change_nothing(library: Library) -> None:
    documents = _documents(library)
    before = copy.deepcopy(documents)
    stamp = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    first = [(write_docx(d, timestamp=stamp, review=True), write_markdown(d)) for d in documents]
    again = [(write_docx(d, timestamp=stamp, review=True), write_markdown(d)) for d in reversed(documents)]
    assert first == again[::-1]
    assert documents == before  # the writers only read the model


def _read_only(value: Any) -> Any:
    """``value`` with every list a tuple and every dict a read-only mapping, all the way down."""
    if isinstance(value, msgspec.Struct):
        return replace(value, **{name: _read_only(getattr(value, name)) for name in value.__struct_fields__})
    if isinstance(value, list):
        return tuple(_read_only(item) for item in value)
    if isinstance(value, dict):
        return types.MappingProxyType({key: _read_only(item) for key, item in value.items()})
    return value


def test_writers_need_only_read_only_sequences_and_mappings(library: Library) -> None:
    stamp = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    for document in _documents(library):
        frozen = _read_only(document)
        assert isinstance(frozen.sections, tuple)
        assert write_docx(frozen, timestamp=stamp, review=True) == write_docx(document, timestamp=stamp, review=True)
        assert write_markdown(frozen) == write_markdown(document)


def test_a_frame_made_once_writes_what_a_frame_made_each_time_writes(library: Library) -> None:
    documents = _documents(library)
    stamp = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    frame = docx_frame(documents[0])
    assert [write_docx(d, timestamp=stamp, frame=frame) for d in documents] == [
        write_docx(d, timestamp=stamp) for d in documents
    ]
    with pytest.raises(ValueError, match="another kind of document"):
        write_docx(documents[0], timestamp=stamp, review=True, frame=frame)


def test_a_marker_python_docx_writes_differently_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "slagen.writers.frame.docx_run_xml", lambda text: f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    )
    with pytest.raises(InputError, match="its body, footer, header could not be placed"):
        make_frame(default_reference(), review=False, properties=False, answers=False)


@pytest.mark.parametrize(
    ("date", "stamp"),
    [
        (dt.datetime(2027, 3, 4, 5, 6, 8, tzinfo=dt.UTC), (2027, 3, 4, 5, 6, 8)),
        (dt.datetime(2027, 3, 4, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), (2027, 3, 3, 23, 0, 0)),
        (dt.datetime(1970, 1, 1, tzinfo=dt.UTC), (1980, 1, 1, 0, 0, 0)),
        (dt.datetime(2200, 1, 1), (2107, 12, 31, 23, 59, 58)),
    ],
)
def test_zip_entries_carry_the_date_given_as_far_as_a_zip_can(date: dt.datetime, stamp: tuple[int, ...]) -> None:
    data = zip_parts([("b.xml", b"<b/>"), ("a.xml", b"<a/>" * 1000)], date=date)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [(i.filename, i.date_time) for i in archive.infolist()] == [("b.xml", stamp), ("a.xml", stamp)]
        assert archive.read("a.xml") == b"<a/>" * 1000
    assert read_parts(data) == [("b.xml", b"<b/>"), ("a.xml", b"<a/>" * 1000)]


WRITERS = sorted((ROOT / "slagen" / "writers").glob("*.py"))


@pytest.mark.parametrize("path", WRITERS, ids=lambda p: p.name)
def test_writers_keep_no_cache_and_use_no_private_api(path: Path) -> None:
    """A writer keeps nothing itself (the caller's memo may give again what it wrote), no private python-docx API."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        (node.module or "") + "." + alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.startswith(("slagen.reuse", "slagen.kept", "functools.lru_cache"))}
    assert "lru_cache" not in path.read_text(encoding="utf-8")
    assert not imported & {"slagen.model.shape", "slagen.model.marks", "slagen.writers.written"}
    private = [
        f"{ast.unparse(node.value)}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]
    assert private == []
