"""What the DOCX body writer may be given again by the caller's memo: a section, the contents, a clause's blocks.

Writing a part of the body appends XML and changes the writer's state: the list restarts (the next
``numId``, the ids taken), the bookmarks (their ids count up), whether the next paragraph starts a
page, the clause being written. :func:`effects_of` runs a write on a copy of that state and gives
what it did as :class:`Effects`, undone; :func:`apply` does it. The memo keeps the effects under the
parts written (frozen model objects, by identity: :meth:`slagen.memo.Memo.written_all`) and the
state they were written from: everything of the document the writer reads (:func:`document_state`:
the language, the reference's ids and widths, the labels, every number and which references show
a bookmark's text) and the writer's state at the start. Nothing is reused with review comments or
tracked changes (their ids count across the document).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING

from msgspec import Struct

from slagen.model import Block, Inline, Paragraph, Section
from slagen.writers.lists import ListNumbering

if TYPE_CHECKING:
    from slagen.memo import Memo
    from slagen.writers.body import BodyWriter


class Effects(Struct, frozen=True):
    """What writing a part of the body did: its XML and the writer's state it changed."""

    xml: str
    restarts: tuple[str, ...]
    next_num: int
    assigned: frozenset[int]
    bookmarks: tuple[tuple[str, int], ...]
    break_before: bool
    clause: str


def effects_of(writer: BodyWriter, write: Callable[[], None]) -> Effects:
    """What ``write()`` does to ``writer``, run on a copy of its state (``writer`` is left as it was)."""
    out, numbering, bookmarks = writer.out, writer.numbering, writer.bookmarks
    break_before, clause = writer.break_before, writer.clause
    scratch = ListNumbering(numbering.first_taken, numbering.abstract)
    scratch.taken, scratch.next = set(numbering.taken), numbering.next
    writer.out, writer.numbering, writer.bookmarks = [], scratch, dict(bookmarks)
    try:
        write()
        return Effects(
            "".join(writer.out),
            tuple(scratch.out),
            scratch.next,
            frozenset(scratch.taken - numbering.taken),
            tuple((name, id_) for name, id_ in writer.bookmarks.items() if name not in bookmarks),
            writer.break_before,
            writer.clause,
        )
    finally:
        writer.out, writer.numbering, writer.bookmarks = out, numbering, bookmarks
        writer.break_before, writer.clause = break_before, clause


def apply(writer: BodyWriter, effects: Effects) -> None:
    """Do to ``writer`` what :func:`effects_of` found."""
    writer.out.append(effects.xml)
    writer.numbering.out.extend(effects.restarts)
    writer.numbering.next = effects.next_num
    writer.numbering.taken.update(effects.assigned)
    writer.bookmarks.update(effects.bookmarks)
    writer.break_before, writer.clause = effects.break_before, effects.clause


def fixed_state(writer: BodyWriter) -> tuple[Hashable, ...]:
    """What every part of this body is written with: the language, the reference's ids and widths, the labels."""
    if writer.fixed_state is None:
        info = writer.info
        writer.fixed_state = (
            writer.document.language,
            tuple((name, _hashable(getattr(info, name))) for name in info.__struct_fields__),
            tuple(sorted(writer.numbering.first_taken)),
            writer.numbering.abstract,
            tuple(writer.labels.items()),
        )
    return writer.fixed_state


def document_state(writer: BodyWriter) -> tuple[Hashable, ...]:
    """:func:`fixed_state` and what a section or the contents read of the rest of the document.

    Every number, which references show a bookmark's text, and the sections' ids (a reference to a
    section is written differently from one to a clause).
    """
    if writer.document_state is None:
        document = writer.document
        writer.document_state = (
            fixed_state(writer),
            tuple(document.numbers.items()),
            tuple(sorted(writer.plain_refs)),
            tuple(sorted(writer.section_ids)),
        )
    return writer.document_state


def _hashable(value: object) -> Hashable:
    if isinstance(value, Mapping):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, Hashable):
        return value
    raise TypeError(f"cannot key a {type(value).__name__}")  # pragma: no cover - ReferenceInfo holds none


def writer_state(writer: BodyWriter) -> tuple[Hashable, ...]:
    """The writer's state a part starts from: lists, bookmarks (their ids count up), page break."""
    numbering = writer.numbering
    return (numbering.next, numbering.next in numbering.taken, len(writer.bookmarks), writer.break_before)


def _reusing(writer: BodyWriter) -> Memo | None:
    """The memo that may give parts of this body again: none with comments or tracked changes."""
    return writer.memo if writer.comments is None and not writer.tracking else None


def section(writer: BodyWriter, part: Section, write: Callable[[], None]) -> None:
    """``write()``, which writes ``part``, or what it wrote before from the same parts and state."""
    memo = _reusing(writer)
    names = {part.id, *(clause.id for clause in part.clauses)}
    if memo is None or any(name in writer.bookmarks for name in names):
        write()
        return
    meta: tuple[Hashable, ...] = (part.id, part.title, part.number, part.annex)
    meta += tuple((clause.id, clause.version, clause.number, clause.review) for clause in part.clauses)
    parts = tuple(piece for clause in part.clauses for piece in (clause.title, clause.blocks))
    state = (document_state(writer), writer_state(writer), meta)
    apply(writer, memo.written_all("docx section", parts, state, lambda: effects_of(writer, write)))


def contents(
    writer: BodyWriter, entries: Sequence[tuple[str, str, str, Sequence[Inline]]], write: Callable[[], None]
) -> None:
    """``write()``, which writes the contents of ``entries``, or what it wrote before for the same."""
    memo = _reusing(writer)
    if memo is None:
        write()
        return
    # a section's title is a string in a new list each time; a clause's title the parse's frozen runs
    texts = tuple((style, target, number, _plain(title)) for style, target, number, title in entries)
    parts = tuple(title for *_, title in entries if isinstance(title, tuple))
    state = (document_state(writer), writer_state(writer), texts)
    apply(writer, memo.written_all("docx contents", parts, state, lambda: effects_of(writer, write)))


def _plain(title: Sequence[Inline]) -> Hashable:
    """A title that is not the parse's (a section's, made for the entry) by its content, else None."""
    return None if isinstance(title, tuple) else tuple(title)


def clause_body(writer: BodyWriter, blocks: Sequence[Block], write: Callable[[], None]) -> None:
    """``write()``, which writes a clause's ``blocks``, or what it wrote before for the same blocks and state.

    Only what the blocks read of the document is in the key (the numbers they refer to), so that a
    clause is given again in another document whose other numbers differ.
    """
    memo = _reusing(writer)
    anchored = any(isinstance(block, Paragraph) and block.anchor for block in blocks)  # bookmarks: ids move
    if memo is None or anchored:
        write()
        return
    refs = tuple(
        (writer.document.numbers[ref.target], ref.target in writer.plain_refs, ref.target in writer.section_ids)
        for ref in memo.marks(blocks).refs
    )
    numbering = writer.numbering  # a clause body adds no bookmark and reads none (anchored ones are not given again)
    state = (fixed_state(writer), refs, numbering.next, numbering.next in numbering.taken, writer.break_before)
    apply(writer, memo.written("docx body", blocks, state, lambda: effects_of(writer, write)))
