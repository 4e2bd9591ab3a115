"""The frame of a DOCX: every part but the contract's own text, made by python-docx from the reference.

python-docx opens the reference document and does, through its public API, what every
document needs: the header and footer parts, a different first page, the core properties,
the comments part, the provenance parts. Each place whose content differs between documents
gets a marker: the body, the text of the header and footer, the list restarts in
``numbering.xml``, the comments, the values of the core properties and the provenance parts.
The document is saved into memory, its zip read back with :mod:`zipfile`, and every part
split at the markers. A document is these parts with its values in place of the markers,
zipped (:func:`slagen.writers.package.zip_parts`); the body, which python-docx would need
about 100 ms to build, is never parsed.

Each marker is found by the exact XML slagen writes for its content (a run, a list restart,
a comment), so every part is byte for byte what python-docx would save, and a python-docx
that serializes differently fails here, loudly, instead of changing them.

A :class:`Frame` depends only on the reference and the kind of document (with review
comments, with provenance), never on a document: :func:`make_frame` is a pure function, and
a caller that writes many documents may make a frame once and pass it to
:func:`slagen.writers.docx.write_docx`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from typing import Any

import docx
from docx.document import Document as DocxDocument
from msgspec import Struct

from slagen.errors import InputError
from slagen.model import Document
from slagen.provenance import add_provenance_parts, merge_properties
from slagen.writers.package import check_part_names, read_parts, zip_parts
from slagen.writers.styles import ReferenceInfo, W, reference_info
from slagen.writers.wordml import comment_xml, docx_run_xml, field_xml, get_or_add, place, restart_xml, w_date, xml_text

_MARK_DATE = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
"""Stands for the document's date in the core properties while the frame is made."""
_CORE_VALUES = ("title", "subject", "identifier", "language")
_PROOFING_LANGUAGE = "proofing"
"""The marker of the language every run is tagged with (``w:lang`` of the document defaults)."""
_ANY_DATE = "SLAGEN-ANY-DATE"
"""Stands for the date python-docx stamps on a new comment (the current time) in the comment's marker."""

Pieces = tuple[bytes | str, ...]
"""A part's bytes split at its markers: fixed bytes and the names of the values that go between them."""


class Frame(Struct, frozen=True):
    """A reference's parts, split at the markers, and what the body writer needs to know of it."""

    info: ReferenceInfo
    parts: tuple[tuple[str, Pieces], ...]
    """Every part in the order python-docx saves them, as its name and pieces."""
    num_ids: frozenset[int]
    """The ``numId`` values the reference's numbering already has."""
    first_comment: int
    """The id of the first review comment."""
    review: bool
    """Whether the frame has a comments part (``--review``)."""
    properties: bool
    """Whether the frame has the custom properties part (provenance)."""
    answers: bool
    """Whether the frame has the part that carries the answers file."""
    kept_properties: bytes = b""
    """The reference's own custom properties, kept before slagen's (:func:`slagen.provenance.merge_properties`)."""

    @property
    def kind(self) -> tuple[bool, bool, bool]:
        """Comments part, custom properties part, answers part: see :func:`slagen.writers.docx.frame_kind`."""
        return self.review, self.properties, self.answers

    def fill(self, values: Mapping[str, bytes], *, date: dt.datetime) -> bytes:
        """The DOCX with ``values`` (by marker name) in place of the markers, its zip entries dated ``date``."""
        if self.kept_properties and "properties" in values:
            values = {**values, "properties": merge_properties(self.kept_properties, values["properties"])}
        return zip_parts(
            ((name, b"".join(values[p] if isinstance(p, str) else p for p in pieces)) for name, pieces in self.parts),
            date=date,
        )


def frame_values(document: Document, *, title: str, timestamp: dt.datetime, header_chars: int = 0) -> dict[str, bytes]:
    """The header, footer and core properties of ``document``: title and reference, page X of Y, the facts.

    A header longer than ``header_chars`` (what fits on its line) puts the reference on a line of its own,
    at the right margin, instead of letting it wrap.
    """
    labels = document.labels
    before, _, rest = labels["page"].partition("{page}")
    middle, _, after = rest.partition("{pages}")
    footer = docx_run_xml(before) + field_xml("PAGE") + docx_run_xml(middle) + field_xml("NUMPAGES")
    footer += docx_run_xml(after) if after else ""
    header = f"{document.title}\t{labels['reference']}: {document.reference}"
    if document.draft:  # build --draft: every page says so
        header = f"{labels['draft']} · {header}"
    if header_chars and len(header) > header_chars:
        header = header.replace("\t", "\n\t", 1)
    core = (title, document.subtitle, document.reference, document.locale.replace("_", "-"))
    return {
        "header": docx_run_xml(header + (f"\n{document.notice}" if document.notice else "")).encode(),
        "footer": footer.encode(),
        "date": w_date(timestamp).encode(),
        **{name: xml_text(value).encode() for name, value in zip(_CORE_VALUES, core, strict=True)},
        _PROOFING_LANGUAGE: f'w:val="{xml_text(document.locale.replace("_", "-"))}"'.encode(),
    }


def _mark(name: str) -> str:
    return f"SLAGEN-MARK-{name}"


def make_frame(reference: bytes, *, review: bool, properties: bool, answers: bool) -> Frame:
    """The frame of documents on ``reference``, with a comments part (``review``) and provenance parts."""
    target = docx.Document(io.BytesIO(reference))
    info = reference_info(target)
    markers: dict[str, str] = {}  # exact XML → name of the value in its place
    first_comment = 0
    if review:
        text = f"{_mark('comments')}\n\n {_mark('comments')} "  # a marker that shows every way of writing a line
        comment = target.comments.add_comment(text=text, author="slagen", initials="SG")
        first_comment = comment.comment_id
        markers[comment_xml(first_comment, text, _ANY_DATE)] = "comments"
    numbering = target.part.numbering_part.element
    num_ids = frozenset(int(num_id) for num_id in numbering.xpath("./w:num/@w:numId"))
    num = numbering.add_num(info.decimal_abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    markers[restart_xml(int(num.numId), info.decimal_abstract)] = "numbering"
    _empty_body(target)
    target.add_paragraph(_mark("body"))
    markers[f"<w:p>{docx_run_xml(_mark('body'))}</w:p>"] = "body"
    markers.update(_header_footer(target, info))
    _update_fields(target)
    _core_properties(target)
    markers.update({_mark(name): name for name in _CORE_VALUES})
    _language_and_hyphenation(target)
    markers[f'w:val="{_mark(_PROOFING_LANGUAGE)}"'] = _PROOFING_LANGUAGE
    markers[w_date(_MARK_DATE)] = "date"
    kept = b""
    if properties:
        answers_part = _mark("answers").encode() if answers else None
        kept = add_provenance_parts(target.part.package, _mark("properties").encode(), answers_part)
        markers[_mark("properties")] = "properties"
        if answers:
            markers[_mark("answers")] = "answers"
    check_part_names(target.part.package)
    saved = io.BytesIO()
    target.save(saved)
    parts, found = _split(read_parts(saved.getvalue()), markers)
    missing = sorted(set(markers.values()) - found)
    if missing:
        raise InputError.single(f"the reference document cannot be used: its {', '.join(missing)} could not be placed")
    return Frame(info, parts, num_ids, first_comment, review, properties, answers, kept)


def _split(parts: list[tuple[str, bytes]], markers: dict[str, str]) -> tuple[tuple[tuple[str, Pieces], ...], set[str]]:
    """Every part split at the markers, and the names of the markers found.

    A marker inside a longer one (the body's text inside the body's paragraph) belongs to the longer one.
    """
    searches = [
        (re.compile(b'[^"]*'.join(re.escape(piece.encode()) for piece in marker.split(_ANY_DATE))), name)
        for marker, name in sorted(markers.items(), key=lambda item: len(item[0]), reverse=True)
    ]  # one pattern per marker: each starts with a literal, which re finds fast
    found: set[str] = set()
    result: list[tuple[str, Pieces]] = []
    for part, blob in parts:
        spans: list[tuple[int, int, str]] = []
        for pattern, name in searches:
            for match in pattern.finditer(blob):
                if not any(start < match.end() and match.start() < end for start, end, _ in spans):
                    spans.append((match.start(), match.end(), name))
        pieces: list[bytes | str] = []
        position = 0
        for start, end, name in sorted(spans):
            pieces += (blob[position:start], name)
            found.add(name)
            position = end
        pieces.append(blob[position:])
        result.append((part, tuple(piece for piece in pieces if piece != b"")))
    return tuple(result), found


def _empty_body(target: DocxDocument) -> None:
    """Take everything out of the reference's body but its section properties (page, margins)."""
    body = target.element.body
    for child in list(body):
        if child is not body.sectPr:
            body.remove(child)


def _header_footer(target: DocxDocument, info: ReferenceInfo) -> dict[str, str]:
    """Header and footer (none on the cover page) with markers for their text.

    A header or footer that the reference document already fills is kept as it is. The header
    (title, a tab, the reference) sets its own tab stops: every stop its style brings is cleared and
    one right tab sits at the right margin, so the reference ends there whatever the style says.
    """
    markers = {}
    styles = {style.name: style for style in target.styles}
    section = target.sections[0]
    section.different_first_page_header_footer = True
    for name, part, style in (("header", section.header, "Header"), ("footer", section.footer, "Footer")):
        if _has_text(part):
            continue
        paragraph = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
        paragraph.style = styles[style]
        paragraph.add_run(_mark(name))
        markers[docx_run_xml(_mark(name))] = name
        if name == "header":
            _right_tab(paragraph, info.style_tabs.get("Header", ()), info.text_width)
    return markers


def _right_tab(paragraph: Any, cleared: tuple[int, ...], right: int) -> None:
    """Give ``paragraph`` its own tab stops: ``cleared`` cleared, one right tab at ``right`` (twips)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Twips

    stops = paragraph.paragraph_format.tab_stops
    stops.clear_all()
    for position in cleared:
        if position != right:
            stops.add_tab_stop(Twips(position), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Twips(right), WD_TAB_ALIGNMENT.RIGHT)


def _update_fields(target: DocxDocument) -> None:
    """``w:updateFields`` in the settings: Word fills the contents' pages on opening (after asking).

    The layout pass takes it out again when it has written the pages (:mod:`slagen.writers.toc`).
    """
    get_or_add(target.settings.element, "w:updateFields", {"w:val": "true"})


def _has_text(part: Any) -> bool:
    """Whether a header or footer of the reference shows text (in a paragraph, a table, a text box)."""
    return not part.is_linked_to_previous and any((t.text or "").strip() for t in part.part.element.iter(f"{W}t"))


def _language_and_hyphenation(target: DocxDocument) -> None:
    """Every run in the document's language, checked and hyphenated by its rules, whatever the reference said.

    The document defaults carry the language (a marker, filled per document); a language that a style of
    the reference sets, or a proofing state that tells Word the spelling was checked, would override or
    silence it and is taken out; automatic hyphenation is switched on.
    """
    styles = target.styles.element
    run_props = get_or_add(get_or_add(get_or_add(styles, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
    for lang in list(styles.iter(f"{W}lang")):
        lang.getparent().remove(lang)
    place(run_props, run_props.makeelement(f"{W}lang", {f"{W}val": _mark(_PROOFING_LANGUAGE)}))
    settings = target.settings.element
    for proof in settings.findall(f"{W}proofState"):
        settings.remove(proof)
    get_or_add(settings, "w:autoHyphenation")


def _core_properties(target: DocxDocument) -> None:
    props = target.core_properties
    props.title = _mark("title")
    props.subject = _mark("subject")
    props.identifier = _mark("identifier")
    props.language = _mark("language")
    props.author = props.last_modified_by = "slagen"
    props.created = props.modified = _MARK_DATE
    props.revision = 1
