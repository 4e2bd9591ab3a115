"""The layout pass: LibreOffice lays the DOCX out, and the contents get their page numbers.

Takes finished DOCX files (by name) and gives them back with the page of every contents entry
written as the PAGEREF field's cached result (:mod:`slagen.writers.toc`), and, when asked, their
PDFs. One LibreOffice run lays out every document given; a second one makes the PDFs of the
numbered documents, whose pages are checked against the numbers written (a contents entry
that wraps differently could move a page) and written again if they moved.

The same DOCX files and the same LibreOffice give the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from slagen.writers.pdf import ConverterError, convert_to_pdf
from slagen.writers.toc import cached_pages, destination_name, heading_pages, set_pages

_ROUNDS = 3
"""PDF conversions at most after the layout pass, until the pages written are the pages laid out."""


def lay_out(
    documents: Mapping[str, bytes], *, pdf: bool = False, notes: bool = False
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """``documents`` (``name.docx`` → bytes) with their contents' pages, and their PDFs (``name.pdf``) if ``pdf``.

    ``notes`` keeps review comments as PDF annotations.
    """
    if not documents:
        return {}, {}
    trial = {name: set_pages(data, None) for name, data in documents.items()}
    laid = convert_to_pdf(trial)
    numbered = {name: set_pages(data, _pages(laid, name)) for name, data in documents.items()}
    if not pdf:
        return numbered, {}
    pending = dict(numbered)
    pdfs: dict[str, bytes] = {}
    for _ in range(_ROUNDS):
        made = convert_to_pdf(pending, notes=notes)
        moved = {}
        for name, data in pending.items():
            pdfs[_pdf_name(name)] = made[_pdf_name(name)]
            pages = _pages(made, name)
            if _differ(data, pages):
                moved[name] = set_pages(documents[name], pages)
        numbered.update(moved)
        pending = moved
        if not pending:
            break
    return numbered, pdfs


def _pdf_name(name: str) -> str:
    return Path(name).stem + ".pdf"


def _pages(pdfs: Mapping[str, bytes], name: str) -> dict[str, int]:
    try:
        return heading_pages(pdfs[_pdf_name(name)])
    except Exception as exc:  # noqa: BLE001 - pypdf's errors have no common base: a PDF it cannot read is LibreOffice's
        raise ConverterError(f"the PDF LibreOffice made of {name} cannot be read: {exc}") from None


def _differ(docx: bytes, pages: Mapping[str, int]) -> bool:
    """Whether the pages cached in ``docx`` differ from ``pages``."""
    from slagen.writers.package import read_parts

    body = dict(read_parts(docx))["word/document.xml"]
    cached = cached_pages(body)
    return any(value != str(pages.get(destination_name(bookmark), "")) for bookmark, value in cached.items())
