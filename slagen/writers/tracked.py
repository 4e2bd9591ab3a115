"""WordprocessingML as trees for the redline: parse a body, mark content as inserted or deleted, number the ids.

The redline (:mod:`slagen.redline`) compares the bodies the contract writer
(:mod:`slagen.writers.body`) wrote for two versions, so that every part of the contract (cover,
parties, clauses, annexes, signatures) is compared as the reader sees it. Here the pieces it needs:
the body as lxml elements, the text a block shows, whole blocks or runs marked as a tracked
insertion (``w:ins``) or deletion (``w:del``, its text as ``w:delText``), and the last pass that
gives every revision and bookmark a unique ``w:id`` (OOXML wants the ids of annotations unique in
the document; bookmarks of the two versions would otherwise share theirs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from slagen.writers.wordml import get_or_add, place

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
OLD = "old-"
"""Prefix given to the bookmark ids of the old version, until :func:`number_ids` numbers them anew."""
FIRST_CHANGE = 10_001
"""The first revision id: far from the bookmarks' (numbered from 0)."""
_CONTAINERS = {f"{W}{tag}" for tag in ("hyperlink", "fldSimple", "smartTag", "customXml", "sdtContent", "dir", "bdo")}
"""Elements inside a paragraph that hold runs: what is marked is their runs."""
_SDT = f"{W}sdt"
_TEXT_TAGS = {"del": {f"{W}t": f"{W}delText", f"{W}instrText": f"{W}delInstrText"}}


def parse_body(xml: str | bytes, *, old: bool = False) -> list[Any]:
    """The top-level elements of a body written as text (paragraphs, tables, content controls).

    With ``old``, the bookmark ids get the prefix :data:`OLD`, so that they stay apart from the new version's.
    """
    text = xml.decode() if isinstance(xml, bytes) else xml
    root = etree.fromstring(f'<w:body xmlns:w="{W_NS}" xmlns:r="{_R_NS}">{text}</w:body>'.encode(), _SAFE)
    if old:
        for mark in root.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd"):
            mark.set(f"{W}id", OLD + mark.get(f"{W}id", ""))
    return list(root)


def serialize(blocks: Iterable[Any]) -> str:
    """The blocks as body text again (no namespace declarations: the document's root has them)."""
    root = etree.Element(f"{W}body", nsmap={"w": W_NS, "r": _R_NS})
    root.extend(blocks)
    text = str(etree.tostring(root, encoding="unicode"))
    return text[text.index(">") + 1 : text.rindex("<")]


def tag(element: Any) -> str:
    """The local name of ``element`` (``p``, ``tbl``, ``r``)."""
    return str(element.tag).rpartition("}")[2]


def shown_text(element: Any) -> str:
    """What ``element`` shows, with field instructions as ``{…}``, bookmarks as ``⟦…⟧`` and breaks as characters."""
    parts: list[str] = []
    for node in element.iter():
        name = tag(node)
        if name in ("t", "delText") and node.text:
            parts.append(node.text)
        elif name == "tab" and tag(node.getparent()) == "r":
            parts.append("\t")
        elif name == "br":
            parts.append("\f" if node.get(f"{W}type") == "page" else "\n")
        elif name in ("instrText", "delInstrText") and node.text:
            parts.append("{" + node.text.strip() + "}")
        elif name == "fldSimple":
            parts.append("{" + node.get(f"{W}instr", "").strip() + "}")
        elif name == "bookmarkStart":
            parts.append("⟦" + node.get(f"{W}name", "") + "⟧")
        elif name == "tc":
            parts.append("|")
    return "".join(parts)


def paragraph_style(paragraph: Any) -> str:
    """A paragraph's style id, list level and list id, as one string."""
    props = paragraph.find(f"{W}pPr")
    if props is None:
        return ""
    style = props.find(f"{W}pStyle")
    level = props.find(f"{W}numPr/{W}ilvl")
    return ":".join(
        [
            style.get(f"{W}val", "") if style is not None else "",
            level.get(f"{W}val", "") if level is not None else "",
        ]
    )


def mark_block(block: Any, kind: str) -> Any:
    """``block`` (a paragraph, table or content control) with all its content marked ``ins`` or ``del``."""
    name = tag(block)
    if name == "p":
        mark_paragraph_mark(block, kind)
        mark_runs(block, kind)
    elif name == "tbl":
        for row in block.iter(f"{W}tr"):
            mark_row(row, kind)
        for paragraph in block.iter(f"{W}p"):
            mark_paragraph_mark(paragraph, kind)
            mark_runs(paragraph, kind)
    else:
        for paragraph in block.iter(f"{W}p"):
            mark_paragraph_mark(paragraph, kind)
            mark_runs(paragraph, kind)
    return block


def mark_row(row: Any, kind: str) -> None:
    """A table row inserted or deleted as a whole (``w:trPr/w:ins`` or ``w:del``, after the other properties)."""
    props = get_or_add(row, "w:trPr")
    place(props, props.makeelement(f"{W}{kind}", {}))


def mark_paragraph_mark(paragraph: Any, kind: str) -> None:
    """The paragraph mark inserted or deleted with its paragraph (``w:pPr/w:rPr/w:ins`` or ``w:del``)."""
    run_props = get_or_add(get_or_add(paragraph, "w:pPr"), "w:rPr")
    place(run_props, run_props.makeelement(f"{W}{kind}", {}))


def mark_runs(container: Any, kind: str) -> None:
    """Every run inside ``container`` (a paragraph or a run container) wrapped in ``w:ins`` or ``w:del``.

    Neighbouring runs share one wrapper; bookmarks and other marks between them stay outside it.
    """
    group: list[Any] = []
    for child in list(container):
        name = tag(child)
        if name == "r":
            group.append(child)
            continue
        _wrap(group, kind)
        group = []
        if child.tag in _CONTAINERS:
            mark_runs(child, kind)
        elif child.tag == _SDT:
            content = child.find(f"{W}sdtContent")
            if content is not None:
                mark_runs(content, kind)
    _wrap(group, kind)


def _wrap(runs: list[Any], kind: str) -> None:
    if not runs:
        return
    wrapper = runs[0].makeelement(f"{W}{kind}", {})
    runs[0].addprevious(wrapper)
    for run in runs:
        wrapper.append(run)
        for old, new in _TEXT_TAGS.get(kind, {}).items():
            for node in run.iter(old):
                node.tag = new


def number_ids(blocks: list[Any], attributes: dict[str, str]) -> None:
    """Number the revisions from :data:`FIRST_CHANGE` with ``attributes``; give every bookmark a unique id.

    A bookmark of the old version whose name the new version also has is taken out (a name is unique in
    a document); the others keep their names, numbered in document order with the new version's.
    """
    names = {
        mark.get(f"{W}name")
        for block in blocks
        for mark in block.iter(f"{W}bookmarkStart")
        if not mark.get(f"{W}id", "").startswith(OLD)
    }
    dropped: set[str] = set()
    ids: dict[str, int] = {}
    change = FIRST_CHANGE
    for block in blocks:
        for element in list(block.iter(f"{W}ins", f"{W}del", f"{W}bookmarkStart", f"{W}bookmarkEnd")):
            name = tag(element)
            if name in ("ins", "del"):
                element.set(f"{W}id", str(change))
                for key, value in attributes.items():
                    element.set(f"{W}{key}", value)
                change += 1
                continue
            old_id = element.get(f"{W}id", "")
            if name == "bookmarkStart" and old_id.startswith(OLD) and element.get(f"{W}name") in names:
                dropped.add(old_id)
            if old_id in dropped:
                element.getparent().remove(element)
                continue
            element.set(f"{W}id", str(ids.setdefault(old_id, len(ids))))
