"""What the DOCX writers need to know of a reference document: the styles they use, list ids, text width.

Read from a prepared reference (:mod:`slagen.writers.reference`) opened by python-docx, by the
frame (:mod:`slagen.writers.frame`) for the body writer (:mod:`slagen.writers.body`).
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass

from docx.document import Document as DocxDocument

from slagen.errors import InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STYLES = (
    "Title",
    "Subtitle",
    "Cover Text",
    "Parties",
    "Heading 1",
    "Heading 2",
    "Heading Unnumbered",
    "TOC Heading",
    "toc 1",
    "toc 2",
    "Body Text",
    "List Bullet",
    "List Number",
    "Table Text",
    "Signature",
    "Header",
    "Footer",
    "annotation text",
    "annotation reference",
    "SLA Table",
    "Signature Table",
)
"""Styles the DOCX writer uses (by name, as Word shows them)."""


@dataclass(frozen=True, slots=True)
class ReferenceInfo:
    """What the writer needs to know of a reference document."""

    style_ids: Mapping[str, str]
    """Style id by the name Word shows (every name in :data:`STYLES`)."""
    bullet_num: int
    """``numId`` of the bullet list (from the List Bullet style)."""
    decimal_abstract: int
    """``abstractNumId`` of numbered lists (from the List Number style); each list restarts it."""
    text_width: int
    """Width between the margins, in twips."""


def reference_info(document: DocxDocument) -> ReferenceInfo:
    """Style ids, list ids and text width of a (prepared) reference document opened by python-docx."""
    styles = {style.name: style for style in document.styles}
    missing = [name for name in STYLES if name not in styles]
    if missing:
        raise InputError.single(f"the reference document lacks the styles {', '.join(missing)}")
    numbering = document.part.numbering_part.element

    def num_id(name: str) -> int:
        found = styles[name].element.find(f"{W}pPr/{W}numPr/{W}numId")
        return int(found.get(f"{W}val")) if found is not None else 0

    decimal_num = num_id("List Number")
    abstract = 0
    for num in numbering.findall(f"{W}num"):
        if int(num.get(f"{W}numId")) == decimal_num:
            abstract = int(num.find(f"{W}abstractNumId").get(f"{W}val"))
    section = document.sections[0]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    return ReferenceInfo(
        style_ids=types.MappingProxyType({name: styles[name].style_id for name in STYLES}),
        bullet_num=num_id("List Bullet"),
        decimal_abstract=abstract,
        text_width=int(width / 635) if width else 9072,  # EMU → twips
    )
