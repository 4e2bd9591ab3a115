"""Take out of a reference document what reaches outside it or runs: external relationships, macros, controls.

A reference document lends every contract its styles, page setup, header and footer. Whatever else
its package holds would reach every contract too: an attached template or an image on another
server (Word fetches them when the contract is opened, which can give away who opened it and, on
Windows, the user's credentials), hyperlinks, a VBA project (``vbaProject.bin``) and its data,
key bindings and toolbars, ActiveX controls. All of them go: every external relationship of every
part, and every part of those kinds with the relationships that lead to it. The XML that used such
a relationship loses the reference too, so that no part points at a relationship that is gone: a
hyperlink keeps its text, a linked picture keeps its frame, anything else that used one goes.
Styles, numbering, page setup, headers and footers, theme, fonts and embedded pictures stay.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
ACTIVE_RELATIONSHIPS = frozenset(
    {"vbaProject", "wordVbaData", "keyMapCustomizations", "attachedToolbars", "control", "activeXControlBinary"}
)
"""Relationship types (their last word) that lead to macros and controls."""
ACTIVE_CONTENT = ("vbaProject", "vbaData", "keyMapCustomizations", "attachedToolbars", "activeX", "macroEnabled")
"""Words in the content type of a part that holds macros or controls."""


def strip_active_content(package: Any) -> None:
    """Take every external relationship and every macro or control part out of a python-docx package.

    A reference to a relationship the part does not have (a header reference to nothing) goes too:
    Word calls such a file damaged, and python-docx fails on it.
    """
    for source in (package, *list(package.iter_parts())):
        gone = {rid for rid, rel in source.rels.items() if _is_active(rel)}
        element: Any = getattr(source, "element", None)  # an XML part: its references to them go too
        if element is not None and etree.iselement(element):
            used = {
                value
                for node in element.iter(tag=etree.Element)
                for name, value in node.attrib.items()
                if name.startswith(R)
            }
            _drop_references(element, gone | (used - set(source.rels)))
        for rid in gone:
            del source.rels[rid]


def _is_active(rel: Any) -> bool:
    if rel.is_external:
        return True
    part = rel.target_part
    name = str(part.partname).rsplit("/", 1)[-1].lower()
    return (
        rel.reltype.rsplit("/", 1)[-1] in ACTIVE_RELATIONSHIPS
        or any(word in part.content_type for word in ACTIVE_CONTENT)
        or name.startswith("vbaproject")
    )


def _drop_references(element: Any, rids: set[str]) -> None:
    """Take the uses of the relationships ``rids`` out of a part's XML."""
    users = [
        node
        for node in element.iter(tag=etree.Element)
        if any(name.startswith(R) and value in rids for name, value in node.attrib.items())
    ]
    for node in users:
        parent = node.getparent()
        if node.tag == f"{_W}hyperlink" and parent is not None:  # the link goes, its text stays
            for child in reversed(list(node)):
                node.addnext(child)
            parent.remove(node)
        elif node.tag == _BLIP:  # a picture linked from elsewhere keeps its frame, empty
            for name in [name for name, value in node.attrib.items() if name.startswith(R) and value in rids]:
                del node.attrib[name]
        elif parent is not None:
            parent.remove(node)
