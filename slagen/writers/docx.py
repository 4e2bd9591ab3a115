"""Write a numbered document model as DOCX for legal review and signature.

Takes a :class:`~slagen.model.Document` and gives the bytes of a .docx. The body is
WordprocessingML written as text in one pass (:mod:`slagen.writers.body`); everything around
it (styles, page setup, numbering definitions, header, footer, properties) comes from the
frame of the reference document (``slagen/resources/reference/``: A4, Arial, only the styles
slagen uses; or ``--reference-doc``), which python-docx makes (:mod:`slagen.writers.frame`).
The header names the agreement, the footer counts pages with PAGE/NUMPAGES fields. The same
document gives the same bytes: the zip entries and the core properties carry the date passed in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from slagen.memo import Memo
from slagen.model import Document
from slagen.provenance import answers_xml, custom_properties_xml
from slagen.writers.body import BodyWriter, Comments, ListNumbering
from slagen.writers.frame import Frame, frame_values, make_frame
from slagen.writers.reference import default_reference

if TYPE_CHECKING:
    from slagen.memo import Memo


def write_docx(
    document: Document,
    *,
    timestamp: dt.datetime,
    reference: bytes | None = None,
    review: bool = False,
    frame: Frame | None = None,
    memo: Memo | None = None,
) -> bytes:
    """The DOCX bytes of ``document``; ``timestamp`` becomes the created/modified date.

    With ``review``, each clause heading carries a Word comment naming its library id and
    version (and the library's review note), and each value with a note (a deviation from
    the standard tier) a comment with that note.

    ``frame`` is the frame of ``reference`` (the bundled one if none) for this kind of document
    (:func:`docx_frame`), made here if not given: python-docx takes 5-10 ms to make it, which a
    caller writing many documents may spend once per reference and :func:`frame_kind`. ``memo``
    gives again what was written for a clause's blocks in the same state (:mod:`slagen.writers.body`).
    """
    if frame is None:
        frame = docx_frame(document, reference=reference, review=review)
    elif frame.kind != frame_kind(document, review=review):
        raise ValueError("the frame was made for another kind of document (review comments, provenance)")
    numbering = ListNumbering(frame.num_ids, frame.info.decimal_abstract)
    comments = Comments(frame.first_comment, timestamp) if review else None
    values = frame_values(document, title=document.title, timestamp=timestamp, header_chars=frame.info.header_chars)
    values.update(
        body=BodyWriter(document, frame.info, numbering, comments, memo).write(),
        numbering=numbering.xml(),
        comments=comments.xml() if comments else b"",
    )
    if frame.properties:
        values["properties"] = custom_properties_xml(dict(document.properties))
    if frame.answers and document.answers_text is not None:
        values["answers"] = answers_xml(document.answers_text)
    return frame.fill(values, date=timestamp)


def docx_frame(document: Document, *, reference: bytes | None = None, review: bool = False) -> Frame:
    """The frame :func:`write_docx` needs for ``document`` on ``reference`` (the bundled one if none).

    Documents with the same reference and :func:`frame_kind` share one frame.
    """
    _, properties, answers = frame_kind(document, review=review)
    return make_frame(reference or default_reference(), review=review, properties=properties, answers=answers)


def frame_kind(document: Document, *, review: bool) -> tuple[bool, bool, bool]:
    """What the frame of ``document`` has: a comments part, the provenance properties, the answers part.

    Every document :mod:`slagen.generate` builds has both provenance parts.
    """
    properties = bool(document.properties)
    return review, properties, properties and document.answers_text is not None
