"""WordprocessingML written as text: runs, fields, comments, list restarts, bookmark names, dates.

The DOCX writers write the body of a document as text in one pass instead of building
python-docx objects (its proxies cost about 100 ms per document). The pieces that also go
into the parts python-docx makes (the header's and footer's text, review comments, list
restarts) are written here exactly as python-docx writes them, so that the frame
(:mod:`slagen.writers.frame`) can find python-docx's XML of a marker and put slagen's in its
place. Where slagen adds an element to a part's tree (settings, document defaults, a tracked
paragraph mark or row, list definitions), :func:`get_or_add` and :func:`place` put it where the
schema orders it (:data:`SCHEMA_ORDER`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

_BREAKS = re.compile(r"(\t|\r|\n)")


def w_date(timestamp: dt.datetime) -> str:
    """A date as WordprocessingML writes it on comments, revisions and core properties.

    >>> w_date(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    '2027-01-01T00:00:00Z'
    """
    return timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def escape(text: str) -> str:
    """``text`` escaped for the body's element content.

    >>> escape("Q&A <1>")
    'Q&amp;A &lt;1&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_text(text: str) -> str:
    r"""``text`` escaped for an element's content as lxml escapes it (which python-docx serializes with).

    >>> xml_text("a\rb")
    'a&#13;b'
    """
    text = escape(text)
    return text.replace("\r", "&#13;") if "\r" in text else text


def bookmark_name(target: str) -> str:
    """Word bookmark name for a clause or section id: hidden (``_Ref``), at most 40 characters.

    >>> bookmark_name("services.levels")
    '_Ref_services_levels'
    """
    name = "_Ref_" + "".join(c if c.isascii() and c.isalnum() else "_" for c in target)
    if len(name) > 40:
        name = "_Ref_" + hashlib.sha1(target.encode(), usedforsecurity=False).hexdigest()[:20]
    return name


def run_props(bold: bool, italic: bool) -> str:
    """A run's properties for its emphasis (nothing for plain text)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f"<w:rPr>{props}</w:rPr>" if props else ""


def run_xml(text: str, bold: bool, italic: bool, *, deleted: bool = False) -> str:
    """A run of the body: ``text`` with its emphasis (deleted text inside a tracked deletion)."""
    return f"<w:r>{run_props(bold, italic)}{text_xml(text, deleted=deleted)}</w:r>"


def text_xml(text: str, *, deleted: bool = False) -> str:
    """Run content for ``text``: escaped ``w:t`` elements, with tabs and line breaks as their own elements.

    Deleted text (in a tracked deletion) is ``w:delText``.

    >>> text_xml("a\\tb")
    '<w:t xml:space="preserve">a</w:t><w:tab/><w:t xml:space="preserve">b</w:t>'
    """
    tag = "w:delText" if deleted else "w:t"
    if "\u00ad" in text:  # a soft hyphen is an element of its own (slagen.writers.hyphens)
        return "<w:softHyphen/>".join(text_xml(piece, deleted=deleted) for piece in text.split("\u00ad"))
    if "\t" not in text and "\n" not in text:
        return f'<{tag} xml:space="preserve">{escape(text)}</{tag}>'
    parts = []
    for line_index, line in enumerate(text.split("\n")):
        if line_index:
            parts.append("<w:br/>")
        for tab_index, piece in enumerate(line.split("\t")):
            if tab_index:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<{tag} xml:space="preserve">{escape(piece)}</{tag}>')
    return "".join(parts)


def docx_run_xml(text: str) -> str:
    """A plain run of ``text`` as python-docx's ``add_run`` writes it (tabs and line breaks as elements).

    Used where slagen's text takes the place of a run python-docx wrote (header, footer, comments).

    >>> docx_run_xml("Page ")
    '<w:r><w:t xml:space="preserve">Page </w:t></w:r>'
    """
    if not text:
        return "<w:r/>"
    out = ["<w:r>"]
    for piece in _BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{xml_text(piece)}</w:t>")
    out.append("</w:r>")
    return "".join(out)


def field_xml(instruction: str) -> str:
    """A simple field (``PAGE``, ``NUMPAGES``) whose cached result is 1."""
    return f'<w:fldSimple w:instr=" {instruction} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'


def comment_xml(comment_id: int, text: str, date: str) -> str:
    """A review comment by slagen, each line of ``text`` a paragraph, as python-docx's ``add_comment`` writes it."""
    first, *others = text.split("\n")
    style = '<w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
    mark = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
    lines = "".join(f"<w:p>{style}{docx_run_xml(line) if line else ''}</w:p>" for line in others)
    return (
        f'<w:comment w:id="{comment_id}" w:author="slagen" w:initials="SG" w:date="{date}">'
        f"<w:p>{style}{mark}{docx_run_xml(first)}</w:p>{lines}</w:comment>"
    )


def restart_xml(num_id: int, abstract: int) -> str:
    """A ``w:num`` of the list definition ``abstract`` that starts again at 1, as python-docx adds one."""
    return (
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )


NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
}
"""The prefixes of :data:`SCHEMA_ORDER`."""

_SETTINGS = (
    "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
    "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData embedTrueTypeFonts "
    "embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader "
    "bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors activeWritingStyle proofState "
    "formsDesign attachedTemplate linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride "
    "styleLockTheme styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone "
    "doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders "
    "bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
    "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars noLineBreaksAfter "
    "noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent "
    "alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids m:mathPr "
    "attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade "
    "captions readModeInkLockDown smartTagType sl:schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol "
    "listSeparator"
)
_RUN_PROPERTIES = (  # CT_ParaRPr; a run's CT_RPr is the same without the changes around it
    "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange"
)
_PARAGRAPH_PROPERTIES = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
_ROW_PROPERTIES = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden "
    "ins del trPrChange"
)
SCHEMA_ORDER: dict[str, tuple[str, ...]] = {
    parent: tuple(name if ":" in name else f"w:{name}" for name in names.split())
    for parent, names in {
        "w:settings": _SETTINGS,
        "w:styles": "docDefaults latentStyles style",
        "w:docDefaults": "rPrDefault pPrDefault",
        "w:rPrDefault": "rPr",
        "w:rPr": _RUN_PROPERTIES,
        "w:p": "pPr",
        "w:pPr": _PARAGRAPH_PROPERTIES,
        "w:tr": "tblPrEx trPr",
        "w:trPr": _ROW_PROPERTIES,
        "w:numbering": "numPicBullet abstractNum num numIdMacAtCleanup",
    }.items()
}
"""The order of the children of the elements slagen adds children to, as the schema gives it (CT_Settings,
CT_Styles, CT_DocDefaults, CT_ParaRPr, CT_PPr, CT_Row, CT_TrPr, CT_Numbering), by parent; for a paragraph and a
row only the properties that open them."""


def qualified(name: str) -> str:
    """``w:lang`` as lxml names it: ``{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang``."""
    prefix, _, local = name.rpartition(":")
    return f"{{{NAMESPACES[prefix or 'w']}}}{local}"


_QUALIFIED = {qualified(parent): tuple(qualified(name) for name in names) for parent, names in SCHEMA_ORDER.items()}


def place(parent: Any, element: Any) -> Any:
    """Put ``element`` into ``parent`` where the schema orders it: after the last child that comes before it.

    "Before it" includes its own kind, so that repeated elements (``w:abstractNum``) keep the order they are
    placed in; with no such child it becomes the first. A child the schema does not list for ``parent`` (an
    extension such as ``w14:ligatures``, which Word writes last) stays where it is.
    """
    order = _QUALIFIED[parent.tag]
    before = frozenset(order[: order.index(element.tag) + 1])
    earlier = [child for child in parent if child.tag in before]
    if earlier:
        earlier[-1].addnext(element)
    else:
        parent.insert(0, element)
    return element


def get_or_add(parent: Any, name: str, attributes: dict[str, str] | None = None) -> Any:
    """The child ``name`` (``w:rPr``) of ``parent``; made with ``attributes`` and :func:`place`-d if there is none."""
    found = parent.find(qualified(name))
    if found is not None:
        return found
    return place(parent, parent.makeelement(qualified(name), {qualified(k): v for k, v in (attributes or {}).items()}))
