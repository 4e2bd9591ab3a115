"""One way to add an element to a part's tree where the schema orders it (``slagen.writers.wordml``).

The frame (settings, document defaults), the redline (tracked paragraph marks and rows, trackRevisions) and a
user's reference (list definitions) all place their elements with :func:`get_or_add` and :func:`place`.
"""

from __future__ import annotations

import inspect
import re

import docx.oxml.settings
from lxml import etree

from slagen.writers.wordml import NAMESPACES, SCHEMA_ORDER, get_or_add, place, qualified

W = NAMESPACES["w"]
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def tree(tag: str, inner: str) -> etree._Element:
    """``<w:tag>inner</w:tag>`` with the namespaces of WordprocessingML and its 2010 extensions."""
    return etree.fromstring(f'<w:{tag} xmlns:w="{W}" xmlns:w14="{W14}">{inner}</w:{tag}>')


def names(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def test_a_setting_goes_between_the_settings_the_schema_puts_around_it() -> None:
    settings = tree("settings", "<w:zoom/><w:defaultTabStop/><w:characterSpacingControl/><w:compat/>")
    get_or_add(settings, "w:trackRevisions")
    get_or_add(settings, "w:autoHyphenation")
    get_or_add(settings, "w:updateFields", {"w:val": "true"})
    assert names(settings) == [
        "zoom",
        "trackRevisions",
        "defaultTabStop",
        "autoHyphenation",
        "characterSpacingControl",
        "updateFields",
        "compat",
    ]
    assert settings.find(qualified("w:updateFields")).get(qualified("w:val")) == "true"


def test_get_or_add_gives_the_child_there_is_and_adds_none() -> None:
    settings = tree("settings", '<w:updateFields w:val="false"/>')
    found = get_or_add(settings, "w:updateFields", {"w:val": "true"})
    assert found.get(qualified("w:val")) == "false"
    assert names(settings) == ["updateFields"]


def test_an_empty_parent_gets_the_element_first() -> None:
    styles = tree("styles", "<w:style/>")
    run_props = get_or_add(get_or_add(get_or_add(styles, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
    assert names(styles) == ["docDefaults", "style"]
    assert run_props.tag == qualified("w:rPr")


def test_an_extension_element_word_writes_last_stays_last() -> None:
    run_props = tree("rPr", "<w:rFonts/><w:sz/><w14:ligatures/>")
    place(run_props, run_props.makeelement(qualified("w:lang"), {}))
    assert names(run_props) == ["rFonts", "sz", "lang", "ligatures"]


def test_repeated_elements_keep_their_order_before_the_next_kind() -> None:
    numbering = tree("numbering", '<w:abstractNum w:abstractNumId="0"/><w:num w:numId="1"/>')
    for number in ("1", "2"):
        place(numbering, numbering.makeelement(qualified("w:abstractNum"), {qualified("w:abstractNumId"): number}))
    place(numbering, numbering.makeelement(qualified("w:num"), {qualified("w:numId"): "2"}))
    assert [
        (etree.QName(c).localname, c.get(qualified("w:abstractNumId")) or c.get(qualified("w:numId")))
        for c in numbering
    ] == [
        ("abstractNum", "0"),
        ("abstractNum", "1"),
        ("abstractNum", "2"),
        ("num", "1"),
        ("num", "2"),
    ]


def test_tracked_marks_go_where_the_schema_wants_them() -> None:
    paragraph = tree("p", "<w:pPr><w:pStyle/><w:sectPr/></w:pPr><w:r/>")
    run_props = get_or_add(get_or_add(paragraph, "w:pPr"), "w:rPr")
    place(run_props, run_props.makeelement(qualified("w:ins"), {}))
    assert names(paragraph[0]) == ["pStyle", "rPr", "sectPr"]
    assert names(run_props) == ["ins"]
    row = tree("tr", "<w:tblPrEx/><w:tc/>")
    props = get_or_add(row, "w:trPr")
    assert names(row) == ["tblPrEx", "trPr", "tc"]
    props.append(props.makeelement(qualified("w:trPrChange"), {}))
    place(props, props.makeelement(qualified("w:del"), {}))
    assert names(props) == ["del", "trPrChange"]


def test_the_settings_order_is_the_whole_schema_sequence_as_python_docx_has_it() -> None:
    source = inspect.getsource(docx.oxml.settings)
    sequence = re.search(r"_tag_seq = \((.*?)\)", source, re.S)
    assert sequence is not None
    assert SCHEMA_ORDER["w:settings"] == tuple(re.findall(r'"([\w:]+)"', sequence.group(1)))
