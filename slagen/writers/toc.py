"""The contents' page numbers: PAGEREF fields in the TOC entries, their cached results set from a layout.

The body writer (:mod:`slagen.writers.body`) writes each contents entry as Word does: a hyperlink
to the heading's bookmark holding the number, the title, a tab with dot leader and a PAGEREF
field whose cached result is the page. Word and LibreOffice show a field's cached result until
it is updated, so a DOCX whose cached pages are right reads right without an update.

Where the pages come from is :mod:`slagen.writers.layout`: LibreOffice lays the document out
and exports every bookmark as a PDF named destination, :func:`heading_pages` reads the page of
each, and :func:`set_pages` writes them into the DOCX (and takes out ``w:updateFields``, which
would make Word ask to update fields that are already right). Without a layout the cached
results are empty and ``settings.xml`` keeps ``w:updateFields``: Word fills them on opening,
after asking; LibreOffice after Tools ▸ Update ▸ Update All.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence

from slagen.model import Document, Inline, Text
from slagen.writers.package import read_parts, zip_parts

UPDATE_FIELDS = b'<w:updateFields w:val="true"/>'
"""The setting that makes Word update the fields on opening (after asking)."""
TRIAL_PAGE = "99"
"""The page written in every entry for the layout pass, as wide as most real ones."""

_PAGEREF = re.compile(
    rb"(<w:instrText xml:space=\"preserve\"> PAGEREF (_Ref_[A-Za-z0-9_]+) \\h </w:instrText></w:r>"
    rb"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>)([^<]*)(</w:t></w:r>)"
)


def pageref_xml(bookmark: str, page: str = "") -> str:
    """A PAGEREF field to ``bookmark`` (a hyperlink into the document) whose cached result is ``page``.

    >>> pageref_xml("_Ref_scope", "3")  # doctest: +ELLIPSIS
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>...PAGEREF _Ref_scope \\\\h </w:instrText></w:r>...<w:t>3</w:t>...'
    """
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{page}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def cached_pages(document_xml: bytes) -> dict[str, str]:
    """The cached page of every contents entry of ``document_xml``, by bookmark."""
    return {match[2].decode(): match[3].decode() for match in _PAGEREF.finditer(document_xml)}


def set_pages(docx: bytes, pages: Mapping[str, int] | None) -> bytes:
    """``docx`` with each contents entry's cached page from ``pages``, ``updateFields`` removed.

    ``pages`` is keyed by the name LibreOffice gives each bookmark's destination (:func:`heading_pages`).

    ``pages=None`` writes :data:`TRIAL_PAGE` everywhere (for the layout pass). An entry whose
    bookmark ``pages`` lacks keeps an empty result. The zip keeps its entries' order and date, so
    the same DOCX and pages give the same bytes.
    """

    def page(match: re.Match[bytes]) -> bytes:
        bookmark = match[2].decode()
        value = TRIAL_PAGE if pages is None else str(pages.get(destination_name(bookmark), ""))
        return match[1] + value.encode() + match[4]

    parts = []
    for name, data in read_parts(docx):
        if name == "word/document.xml":
            data = _PAGEREF.sub(page, data)
        elif name == "word/settings.xml":
            data = data.replace(UPDATE_FIELDS, b"")
        parts.append((name, data))
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        stamp = archive.infolist()[0].date_time
    return zip_parts(parts, date=dt.datetime(*stamp))


def heading_pages(pdf: bytes) -> dict[str, int]:
    """The page (1 for the first) of every named destination of ``pdf``, by its name.

    LibreOffice exports each bookmark as a destination named by :func:`destination_name`.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, destination in reader.named_destinations.items():
        number = reader.get_destination_page_number(destination)
        if number is not None and number >= 0:
            pages[name.lstrip("/")] = number + 1
    return pages


def destination_name(bookmark: str) -> str:
    """The name LibreOffice gives the PDF destination of ``bookmark``.

    Every character but an ASCII letter or digit becomes its two hex digits.

    >>> destination_name("_Ref_scope_purpose")
    '5FRef5Fscope5Fpurpose'
    """
    return "".join(c if c.isascii() and c.isalnum() else f"{ord(c):02X}" for c in bookmark)


def contents_entries(document: Document) -> list[tuple[str, str, str, Sequence[Inline]]]:
    """The contents' entries: style, the heading it links to, its number (with the tab) and its title.

    Sections and clauses in order; the annexes last, at the first level ("Anlage 1 – Ansprechpartner").
    """
    entries: list[tuple[str, str, str, Sequence[Inline]]] = []
    annexes: list[tuple[str, str, str, Sequence[Inline]]] = []
    for section in document.sections:
        if section.annex:
            annexes += [("toc 1", c.id, f"{document.numbers[c.id]} – ", c.title) for c in section.clauses]
            continue
        entries.append(("toc 1", section.id, f"{section.number}.\t", [Text(section.title)]))
        entries += [("toc 2", clause.id, f"{clause.number}\t", clause.title) for clause in section.clauses]
    return entries + annexes
