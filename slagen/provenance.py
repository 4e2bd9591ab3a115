"""Where a contract came from: document properties and the answers, stored inside the DOCX.

Takes the facts of a build (slagen and library version, library hash, answers digest,
tier, language) and the answers text, and gives the custom document properties
(``docProps/custom.xml``, shown by Word under File → Properties) and a custom XML part
holding the answers file, so that ``slagen inspect`` can print them and give back the
answers that regenerate the contract. The DOCX frame (:mod:`slagen.writers.frame`) adds
both parts to the package once per reference; each document fills in their contents.
Also reads them back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree
from msgspec import Struct

from slagen.archives import read_package
from slagen.errors import InputError

CUSTOM_PROPERTIES = "docProps/custom.xml"
ANSWERS_PART = "customXml/slagen-answers.xml"
_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_ANSWERS_NS = "urn:slagen:answers:1"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_RT_CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
ANSWERS_PROPERTIES = "customXml/slagen-answers-props.xml"
_CT_ITEM_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_ITEM_PROPS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    b'<ds:datastoreItem ds:itemID="{5B1A6E4C-2D7F-4C1B-9E3A-51A6E0000001}" '
    b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>'
)
"""The data store item of the answers part: a fixed id (the same in every contract), no schema."""
_CT_CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True)
"""No entity is expanded, nothing is fetched: a document's XML is anybody's."""
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class Provenance(Struct, frozen=True):
    """What ``slagen inspect`` finds in a contract."""

    properties: dict[str, str]
    answers: str | None


def custom_properties_xml(properties: dict[str, str]) -> bytes:
    """``docProps/custom.xml`` holding ``properties`` as text properties (pids start at 2, as Word's)."""
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{_escape(name, quote=True)}">'
        f"<vt:lpwstr>{_escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_PROPS_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>'
    ).encode()


def answers_xml(text: str) -> bytes:
    """The custom XML part that carries the answers file's text."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<answers xmlns="{_ANSWERS_NS}" format="yaml">{_escape(text)}</answers>'
    ).encode()


def add_provenance_parts(package: Any, properties: bytes, answers: bytes | None) -> bytes:
    """Add the custom properties part (and the answers part, if given) with these contents to a python-docx package.

    A part the package has under either name is taken out first (:func:`take_provenance_parts`), so that
    the package holds each part once. Gives the properties of the package that are not slagen's, to be
    kept before slagen's (:func:`merge_properties`).
    """
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    kept = take_provenance_parts(package)
    props = Part(PackURI(f"/{CUSTOM_PROPERTIES}"), _CT_CUSTOM_PROPERTIES, properties, package)
    package.relate_to(props, _RT_CUSTOM_PROPERTIES)
    if answers is not None:
        part = Part(PackURI(f"/{ANSWERS_PART}"), "application/xml", answers, package)
        package.main_document_part.relate_to(part, _RT_CUSTOM_XML)
        item = Part(PackURI(f"/{ANSWERS_PROPERTIES}"), _CT_ITEM_PROPS, _ITEM_PROPS, package)
        part.relate_to(item, f"{_RT_CUSTOM_XML}Props")  # the data store item Word expects beside custom XML
    return kept


def take_provenance_parts(package: Any) -> bytes:
    """Take the custom properties part and slagen's answers part out of a python-docx package.

    Gives the properties that are not slagen's (a company template's own, which its fields may show)
    as a part that holds only them, or nothing. slagen's own (``slagen.*``, from a contract used as
    reference document) are no provenance of another document and go.
    """
    kept = b""
    for source in (package, *package.iter_parts()):
        for rid, rel in list(source.rels.items()):
            if rel.is_external or rel.target_part.partname not in (f"/{CUSTOM_PROPERTIES}", f"/{ANSWERS_PART}"):
                continue
            if rel.target_part.partname == f"/{CUSTOM_PROPERTIES}":
                kept = _foreign_properties(rel.target_part.blob)
            del source.rels[rid]
    return kept


def keep_properties(package: Any, kept: bytes) -> None:
    """Put the properties :func:`take_provenance_parts` gave back into the package (if there are any)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    if kept:
        part = Part(PackURI(f"/{CUSTOM_PROPERTIES}"), _CT_CUSTOM_PROPERTIES, _XML_DECLARATION + kept, package)
        package.relate_to(part, _RT_CUSTOM_PROPERTIES)


def merge_properties(kept: bytes, properties: bytes) -> bytes:
    """``docProps/custom.xml`` with the ``kept`` properties first, then those of ``properties``, numbered anew.

    ``kept`` is what :func:`add_provenance_parts` gave; ``properties`` what :func:`custom_properties_xml` makes.
    """
    if not kept:
        return properties
    merged = etree.fromstring(properties, _SAFE)
    for index, prop in enumerate(list(etree.fromstring(kept, _SAFE))):
        merged.insert(index, prop)
    for pid, prop in enumerate(merged, start=2):
        prop.set("pid", str(pid))
    etree.cleanup_namespaces(merged)
    return _XML_DECLARATION + bytes(etree.tostring(merged, encoding="UTF-8", xml_declaration=False))


def _foreign_properties(blob: bytes) -> bytes:
    """The properties of a custom properties part that are not slagen's, as a part holding only them (or nothing)."""
    try:
        root = etree.fromstring(blob, _SAFE)
    except etree.XMLSyntaxError:
        raise InputError.single(f"its custom properties ({CUSTOM_PROPERTIES}) are not well-formed XML") from None
    kept = [p for p in root.iter(f"{{{_PROPS_NS}}}property") if not p.get("name", "").startswith("slagen.")]
    if not kept:
        return b""
    wrapper = etree.Element(f"{{{_PROPS_NS}}}Properties", nsmap={None: _PROPS_NS, "vt": _VT_NS})
    wrapper.extend(kept)
    return bytes(etree.tostring(wrapper, encoding="UTF-8", xml_declaration=False))


def read_provenance(path: Path) -> Provenance:
    """Read the properties and answers slagen stored in the DOCX at ``path``, within :mod:`slagen.archives`' bounds.

    Gives slagen's properties (``slagen.*``) only: those of a reference document are no provenance.
    """
    parts = read_package(
        path, not_a_zip="not a DOCX file (cannot be opened as a zip package)", names=(CUSTOM_PROPERTIES, ANSWERS_PART)
    )
    props_xml = parts.get(CUSTOM_PROPERTIES)
    answers = parts.get(ANSWERS_PART)
    properties: dict[str, str] = {}
    if props_xml is not None:
        for prop in _parse(props_xml, path, CUSTOM_PROPERTIES).iter(f"{{{_PROPS_NS}}}property"):
            name = prop.get("name", "")
            if name.startswith("slagen."):
                properties[name] = "".join(prop.itertext())
    if not properties:
        raise InputError.single("no slagen properties: this document was not generated by slagen", file=path)
    text = "".join(_parse(answers, path, ANSWERS_PART).itertext()) if answers is not None else None
    return Provenance(properties, text)


def stored_answers(found: Provenance, path: Path) -> str:
    """The answers file ``found`` holds; bad input if the document lost them (an editor saved it again)."""
    if found.properties.get("slagen.document") == "redline":
        raise InputError.single(
            "this is a redline written by slagen, which stores no answers; its properties name both versions "
            "(slagen inspect without --answers): use the answers files or the contracts it compared",
            file=path,
        )
    if found.answers is None:
        raise InputError.single(
            f"the answers are not in this document: slagen stores them in {ANSWERS_PART} unless built with "
            "--no-answers, and an editor drops that part when it saves the document again (LibreOffice does); "
            "use the DOCX as slagen wrote it, or the answers file itself",
            file=path,
        )
    return found.answers


def contract_answers(path: Path) -> str:
    """The answers stored in the contract at ``path``, for ``slagen redline``; bad input naming what the file is.

    A DOCX that slagen did not write, a redline, or a contract without its answers (``build --no-answers``,
    or saved again by an editor) each gets its own message, saying what to give instead.
    """
    instead = "give the answers files instead (slagen redline OLD.yaml NEW.yaml)"
    try:
        found = read_provenance(path)
    except InputError as exc:
        if "no slagen properties" not in str(exc.problems[0].message):
            raise
        raise InputError.single(
            f"not a contract written by slagen (the DOCX has no slagen properties), so it holds no answers to "
            f"compare; {instead}",
            file=path,
        ) from None
    if found.properties.get("slagen.document") == "redline":
        raise InputError.single(
            "a redline written by slagen, not a contract: compare the two contracts or answers files it was "
            "made from (slagen inspect names them)",
            file=path,
        )
    if found.answers is None:
        raise InputError.single(
            f"the answers are not in this document: this contract written by slagen was built with --no-answers, "
            f"or an editor saved it again and dropped {ANSWERS_PART} (LibreOffice does); {instead}",
            file=path,
        )
    return found.answers


def is_package(path: Path) -> bool:
    """Whether ``path`` starts like a zip package (a DOCX), so that it is not read as an answers file."""
    try:
        with path.open("rb") as file:
            return file.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _parse(data: bytes, path: Path, part: str) -> Any:
    try:
        return etree.fromstring(data, _SAFE)
    except etree.XMLSyntaxError:
        raise InputError.single(f"damaged slagen properties: {part} is not well-formed XML", file=path) from None


def _escape(text: str, *, quote: bool = False) -> str:
    """``&``, ``<`` and ``>`` (and ``"`` with ``quote``) as XML entities, as ``xml.sax.saxutils.escape`` does.

    Written here because importing ``xml.sax.saxutils`` imports ``urllib.request`` and ``ssl`` (20-50 ms of
    every build's start-up).

    >>> _escape('a < b & "c"'), _escape('"c"', quote=True)
    ('a &lt; b &amp; "c"', '&quot;c&quot;')
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text
