"""The reference document: where the DOCX gets its styles, page setup, header and footer.

slagen ships a slim default (``slagen/resources/reference/``: A4, Arial, only the styles it
uses). A user's reference document (``--reference-doc``, as in pandoc) is prepared once per
run: styles slagen needs but the document lacks are taken from the default, slagen's list
definitions (clause numbering bound to the heading styles, bullets, numbered lists) are
added with fresh ids, and the body is emptied, so that every contract looks like the
reference and still has real numbering. A writer, not a stage: the CLI reads the reference,
the DOCX writers (:mod:`slagen.writers.frame`) take it as bytes.

A user's file is read within the bounds of :mod:`slagen.archives`; what would reach every
contract unseen is taken out (:mod:`slagen.writers.active`, and the provenance of a contract
used as reference); and the prepared document is made into a frame once before it is given
back, so that a reference slagen cannot use is refused here, naming the file, and never
fails a contract later.
"""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml
from docx.parts.numbering import NumberingPart
from lxml import etree

from slagen.archives import printable, read_package, stored_zip
from slagen.errors import InputError, Problem
from slagen.provenance import keep_properties, take_provenance_parts
from slagen.writers.active import R, strip_active_content
from slagen.writers.frame import make_frame
from slagen.writers.package import check_part_names, read_parts, zip_folder, zip_parts
from slagen.writers.styles import STYLES, W
from slagen.writers.styles import ReferenceInfo as ReferenceInfo  # where the writers took it from before
from slagen.writers.styles import reference_info as reference_info
from slagen.writers.wordml import place

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "resources" / "reference"
_NUMBERED = ("Heading 1", "Heading 2", "List Bullet", "List Number")
_NOT_A_DOCX = "not a Word document (.docx) that can be used as reference"
_KINDS = {
    WD_STYLE_TYPE.PARAGRAPH: "paragraph",
    WD_STYLE_TYPE.CHARACTER: "character",
    WD_STYLE_TYPE.TABLE: "table",
    WD_STYLE_TYPE.LIST: "list",
}
_BODY_CONTENT = frozenset(
    {"image", "hyperlink", "oleObject", "package", "chart", "diagramData", "diagramLayout", "diagramQuickStyle"}
    | {"diagramColors", "diagramDrawing", "video", "audio", "media", "control", "subDocument", "aFChunk"}
)
"""Relationship types (their last word) of what a body holds, which go when the body is emptied."""


def default_reference() -> bytes:
    """The bundled reference document, zipped from its XML parts (kept as XML so that git shows changes)."""
    return zip_folder(REFERENCE_DIR)


def load_reference(path: Path) -> bytes:
    """Read a user's reference document within bounds and prepare it (see the module docstring).

    A document that cannot serve is refused here, naming ``path`` and what is wrong, before any
    contract is written.
    """
    parts = read_package(path, not_a_zip=_NOT_A_DOCX, missing="reference document not found")
    try:
        user = docx.Document(io.BytesIO(stored_zip(parts)))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds for a file that is not a DOCX
        raise InputError.single(_NOT_A_DOCX, file=path) from None
    del parts
    try:
        prepared = prepare_reference(user)
        make_frame(prepared, review=True, properties=True, answers=True)  # what every contract will do with it
    except InputError as exc:
        raise InputError([p.in_file(str(path)) for p in exc.problems]) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, NotImplementedError, etree.LxmlError) as exc:
        # python-docx reads the XML Word writes; for other XML it raises these, not an error of its own
        raise InputError.single(
            f"cannot be used as reference: its XML is not as Word writes it ({type(exc).__name__}: "
            f"{printable(str(exc)[:200])})",
            file=path,
        ) from None
    return prepared


def prepare_reference(user: DocxDocument) -> bytes:
    """Give ``user`` the styles and list definitions slagen needs, empty its body, and save it.

    What a contract must not inherit is taken out (:func:`strip_active_content`, and provenance that
    slagen stored in a contract used as reference); a document without page setup gets the bundled
    reference's. python-docx saves with the current time on every zip entry; the parts are zipped
    again with a fixed date, so that the same document is prepared into the same bytes.
    """
    default = docx.Document(io.BytesIO(default_reference()))
    package = user.part.package
    _check_numbering(_numbering(user))
    _check_style_kinds(user, default)
    strip_active_content(package)
    keep_properties(package, take_provenance_parts(package))
    _copy_missing_styles(user, default)
    _add_numbering(user, default)
    body = user.element.body
    for child in list(body):
        if child.tag != f"{W}sectPr":
            body.remove(child)
    if body.find(f"{W}sectPr") is None:  # valid, and Word supplies its own defaults: slagen's are A4
        body.append(copy.deepcopy(default.element.body.find(f"{W}sectPr")))
    _drop_unused_body_relationships(user)
    check_part_names(package)
    saved = io.BytesIO()
    user.save(saved)
    return zip_parts(read_parts(saved.getvalue()))


def _numbering(user: DocxDocument) -> Any:
    """The numbering definitions of ``user``, an empty part added if it has none (python-docx cannot add one)."""
    try:
        part: Any = user.part.part_related_by(RT.NUMBERING)
        return part.element
    except KeyError:
        package = user.part.package
        numbering = parse_xml(f'<w:numbering xmlns:w="{W[1:-1]}"/>')
        part = NumberingPart(package.next_partname("/word/numbering%d.xml"), CT.WML_NUMBERING, numbering, package)
        user.part.relate_to(part, RT.NUMBERING)
        return numbering


def _check_numbering(numbering: Any) -> None:
    """Refuse list definitions whose ids are no numbers, or a list without its definition: Word refuses them too."""
    nums = numbering.findall(f"{W}num")
    ids = [("w:abstractNum", a.get(f"{W}abstractNumId")) for a in numbering.findall(f"{W}abstractNum")]
    ids += [("w:num", num.get(f"{W}numId")) for num in nums]
    ids += [("w:num/w:abstractNumId", ref.get(f"{W}val")) for ref in numbering.findall(f"{W}num/{W}abstractNumId")]
    problems = [
        f"{tag} has no id" if value is None else f"{tag} has the id '{printable(value[:40])}', not a number"
        for tag, value in ids
        if value is None or not re.fullmatch(r"-?[0-9]{1,9}", value)
    ]
    problems += ["a w:num without w:abstractNumId" for num in nums if num.find(f"{W}abstractNumId") is None]
    if problems:
        raise InputError([Problem(f"its list numbering (word/numbering.xml) is damaged: {p}") for p in problems])


def _check_style_kinds(user: DocxDocument, default: DocxDocument) -> None:
    """Refuse a style slagen uses that the reference has as another kind (Heading 1 as a character style)."""
    kinds = {style.name: style.type for style in default.styles if style.name in STYLES}
    problems = [
        Problem(
            f"the style '{printable(str(style.name))}' is a {_KINDS[style.type]} style; slagen needs a "
            f"{_KINDS[kinds[style.name]]} style of that name"
        )
        for style in user.styles
        if style.name in kinds and style.type != kinds[style.name]
    ]
    if problems:
        raise InputError(problems)


def _drop_unused_body_relationships(user: DocxDocument) -> None:
    """What the emptied body held (pictures, links, objects) goes with it: no contract carries it unseen."""
    used = {
        value
        for node in user.element.iter(tag=etree.Element)
        for name, value in node.attrib.items()
        if name.startswith(R)
    }
    rels = user.part.rels
    for rid, rel in list(rels.items()):
        if rid not in used and rel.reltype.rsplit("/", 1)[-1] in _BODY_CONTENT:
            del rels[rid]


def _copy_missing_styles(user: DocxDocument, default: DocxDocument) -> None:
    names = {style.name for style in user.styles}
    taken = {style.style_id for style in user.styles}
    for style in default.styles:
        if style.name in STYLES and style.name not in names:
            element = copy.deepcopy(style.element)
            style_id = style.style_id
            while style_id in taken:
                style_id += "Slagen"
            element.set(f"{W}styleId", style_id)
            taken.add(style_id)
            user.styles.element.append(element)


def _add_numbering(user: DocxDocument, default: DocxDocument) -> None:
    """Add the default's list definitions under fresh ids and bind the numbered styles to them."""
    target = user.part.numbering_part.element
    source = default.part.numbering_part.element
    ids = {style.name: style.style_id for style in user.styles}
    default_ids = {style.style_id: style.name for style in default.styles}
    next_abstract = 1 + max((int(a.get(f"{W}abstractNumId")) for a in target.findall(f"{W}abstractNum")), default=-1)
    next_num = 1 + max((int(n.get(f"{W}numId")) for n in target.findall(f"{W}num")), default=0)
    abstract_map: dict[str, str] = {}
    for abstract in source.findall(f"{W}abstractNum"):
        element = copy.deepcopy(abstract)
        abstract_map[abstract.get(f"{W}abstractNumId")] = str(next_abstract)
        element.set(f"{W}abstractNumId", str(next_abstract))
        for p_style in element.iter(f"{W}pStyle"):
            name = default_ids.get(p_style.get(f"{W}val"))
            p_style.set(f"{W}val", ids.get(name, p_style.get(f"{W}val")) if name else p_style.get(f"{W}val"))
        place(target, element)
        next_abstract += 1
    num_map: dict[str, str] = {}
    for num in source.findall(f"{W}num"):
        element = copy.deepcopy(num)
        num_map[num.get(f"{W}numId")] = str(next_num)
        element.set(f"{W}numId", str(next_num))
        abstract_id = element.find(f"{W}abstractNumId")
        abstract_id.set(f"{W}val", abstract_map[abstract_id.get(f"{W}val")])
        place(target, element)
        next_num += 1
    for name in _NUMBERED:
        _bind(user.styles[name].element, default.styles[name].element, num_map)


def _bind(style: Any, model: Any, num_map: dict[str, str]) -> None:
    """Give ``style`` the list binding of the default's ``model`` style, with the ids mapped."""
    num_pr = copy.deepcopy(model.find(f"{W}pPr/{W}numPr"))
    num_id = num_pr.find(f"{W}numId")
    num_id.set(f"{W}val", num_map[num_id.get(f"{W}val")])
    p_pr = style.get_or_add_pPr()
    old = p_pr.find(f"{W}numPr")
    if old is not None:
        p_pr.remove(old)
    # the schema's order: numPr comes after these and before everything else in pPr
    before = {f"{W}{tag}" for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")}
    position = 0
    for index, child in enumerate(p_pr):
        if child.tag in before:
            position = index + 1
    p_pr.insert(position, num_pr)
