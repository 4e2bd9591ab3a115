"""What the DOCX writers need to know of a reference document: the styles they use, list ids, text width.

Read from a prepared reference (:mod:`slagen.writers.reference`) opened by python-docx, by the
frame (:mod:`slagen.writers.frame`) for the body writer (:mod:`slagen.writers.body`).
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

from docx.document import Document as DocxDocument
from msgspec import Struct, field

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


class ReferenceInfo(Struct, frozen=True):
    """What the writer needs to know of a reference document."""

    style_ids: Mapping[str, str]
    """Style id by the name Word shows (every name in :data:`STYLES`)."""
    bullet_num: int
    """``numId`` of the bullet list (from the List Bullet style)."""
    decimal_abstract: int
    """``abstractNumId`` of numbered lists (from the List Number style); each list restarts it."""
    text_width: int
    """Width between the margins, in twips."""
    style_tabs: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: types.MappingProxyType({}))
    """The tab stops (positions in twips) each style of :data:`TABBED` has, its own and inherited."""
    header_chars: int = 0
    """About how many characters of the Header style fit between the margins (0: not known)."""


TABBED = ("Header", "toc 1", "toc 2")
"""Styles whose tab stops slagen's paragraphs clear, to set their own from the text width."""


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
        style_tabs=types.MappingProxyType({name: style_tabs(styles[name].element) for name in TABBED}),
        header_chars=(int(width / 635) if width else 9072) * 2 // (11 * font_size(styles["Header"].element)),
    )


def _chain(style: Any) -> list[Any]:
    """A style element and the styles it is ``basedOn``, nearest first."""
    chain = []
    seen: set[str] = set()
    root = style.getparent()
    while style is not None and style.get(f"{W}styleId") not in seen:
        seen.add(style.get(f"{W}styleId"))
        chain.append(style)
        based = style.find(f"{W}basedOn")
        if based is None:
            break
        base_id = based.get(f"{W}val")
        style = next((s for s in root.findall(f"{W}style") if s.get(f"{W}styleId") == base_id), None)
    return chain


def font_size(style: Any) -> int:
    """The font size of a style element in half-points: its own, its bases', the document default, else 10 pt."""
    default = style.getparent().find(f"{W}docDefaults/{W}rPrDefault")
    for element in [*_chain(style), *([] if default is None else [default])]:
        size = element.find(f"{W}rPr/{W}sz")
        if size is not None and (size.get(f"{W}val") or "").isdigit():
            return max(int(size.get(f"{W}val")), 2)
    return 20


def style_tabs(style: Any) -> tuple[int, ...]:
    """The positions of the tab stops a style element sets, its ``basedOn`` styles' included, in order.

    A style's ``clear`` tab takes out the stop its base sets at that position.
    """
    stops: set[int] = set()
    for element in reversed(_chain(style)):
        for tab in element.findall(f"{W}pPr/{W}tabs/{W}tab"):
            position = int(float(tab.get(f"{W}pos") or 0))
            if tab.get(f"{W}val") == "clear":
                stops.discard(position)
            else:
                stops.add(position)
    return tuple(sorted(stops))


def tabs_xml(cleared: tuple[int, ...], *, right: int, leader: str = "") -> str:
    """A paragraph's own ``w:tabs``: clear ``cleared``, one right tab at ``right`` (with a dot ``leader``).

    >>> tabs_xml((4680, 9360), right=9122)  # doctest: +NORMALIZE_WHITESPACE
    '<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="right" w:pos="9122"/><w:tab
    w:val="clear" w:pos="9360"/></w:tabs>'
    """
    stops = {position: f'<w:tab w:val="clear" w:pos="{position}"/>' for position in cleared if position != right}
    leader_attribute = f' w:leader="{leader}"' if leader else ""
    stops[right] = f'<w:tab w:val="right"{leader_attribute} w:pos="{right}"/>'
    return "<w:tabs>" + "".join(stops[position] for position in sorted(stops)) + "</w:tabs>"
