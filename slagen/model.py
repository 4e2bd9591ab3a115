"""The document model: what rendering gives and every writer reads.

A :class:`Document` is a tree of sections, numbered clauses, and blocks (paragraphs
with inline runs, lists, tables), plus the front matter, defined terms and the
signature block. Cross-references point at clause ids; the numbering stage fills in
``number`` on sections and clauses and the document's ``numbers`` (id → number), once,
before any writer runs, so DOCX and Markdown cannot disagree.

Every part is frozen (tuples, frozen ``msgspec.Struct`` records): the parse of a clause's text may be shared
by every document that renders the same text (see :mod:`slagen.memo`), and nothing can change
it for one of them. Stages give new objects instead (``msgspec.structs.replace``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct, field


class Text(Struct, frozen=True):
    """A run of text with its emphasis; ``note`` is a remark for the legal reviewer about this text."""

    text: str
    bold: bool = False
    italic: bool = False
    note: str = ""


class Ref(Struct, frozen=True):
    """A cross-reference to a clause (or section) by id; the document's ``numbers`` give its number."""

    target: str
    bold: bool = False
    italic: bool = False


class TermUse(Struct, frozen=True):
    """A defined term: where it is defined (``defining``) or used; ``text`` is the localized term."""

    term: str
    text: str
    defining: bool = False
    bold: bool = False
    """A use inside bold text (the chosen tier's column of a table)."""


Inline = Text | Ref | TermUse


class Paragraph(Struct, frozen=True):
    """A paragraph of inline runs.

    ``anchor`` names a paragraph that the text cites (``{{ paragraph('cap') }}`` in a template): its clause
    then numbers its paragraphs (1), (2) …, and the numbering stage puts the number in ``number``.
    """

    runs: tuple[Inline, ...]
    anchor: str = ""
    number: str = ""


class ListBlock(Struct, frozen=True):
    """A bulleted or numbered list; each item is a sequence of blocks (paragraphs, nested lists)."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]


class Table(Struct, frozen=True):
    """A table with one header row; every cell is a sequence of inline runs."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


Block = Paragraph | ListBlock | Table


class Clause(Struct, frozen=True):
    """A numbered clause: heading, body blocks, and where it came from in the library."""

    id: str
    version: int
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    number: str = ""
    review: str = ""
    """The library's note for legal review of this clause (shown as a comment with ``--review``)."""


class Section(Struct, frozen=True):
    """A numbered section (top-level heading) holding clauses."""

    id: str
    title: str
    clauses: tuple[Clause, ...]
    number: str = ""
    annex: bool = False
    """Its clauses are the annexes: "Anlage 1", "Schedule 1" …, each on a new page, outside the clause numbers."""


class Signatory(Struct, frozen=True):
    """One party's signature field."""

    role: str
    name: str
    represented_by: str
    co_signatory: str = ""
    """A second person who signs (joint representation), with function; empty if one signs alone."""


class Document(Struct, frozen=True):
    """A whole contract in one language, ready to write."""

    language: str
    locale: str
    title: str
    subtitle: str
    reference: str
    version: str
    date: str
    front: tuple[Block, ...]
    sections: tuple[Section, ...]
    signatories: tuple[Signatory, ...]
    labels: Mapping[str, str]
    notice: str = ""
    """Said on every page of a convenience translation (not the binding language): such a version has no
    signature table. Empty in the binding version."""
    properties: Mapping[str, str] = field(default_factory=dict)
    """Provenance written into the DOCX as custom properties (see :mod:`slagen.provenance`)."""
    answers_text: str | None = None
    """The answers file that produced the document, embedded in the DOCX."""
    numbers: Mapping[str, str] = field(default_factory=dict)
    """Number of every section and clause by id, filled by the numbering stage."""
    english_execution: bool = False
    """Signed in the English form ("Signed by … for and on behalf of …", a date, no place): English law."""
    draft: bool = False
    """A draft (``build --draft``): every page and the cover say so."""

    def clauses(self) -> list[Clause]:
        """Every clause in document order."""
        return [clause for section in self.sections for clause in section.clauses]


def iter_inlines(blocks: Sequence[Block]) -> list[Inline]:
    """Every inline run inside ``blocks``, depth first (lists and tables included)."""
    out: list[Inline] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.extend(block.runs)
        elif isinstance(block, ListBlock):
            for item in block.items:
                out.extend(iter_inlines(item))
        else:
            for cell in block.header:
                out.extend(cell)
            for row in block.rows:
                for cell in row:
                    out.extend(cell)
    return out


class Marks(Struct, frozen=True):
    """The cross-references and the term uses inside some blocks, each in document order."""

    refs: tuple[Ref, ...]
    terms: tuple[TermUse, ...]


def marks(blocks: Sequence[Block]) -> Marks:
    """The cross-references and term uses inside ``blocks``."""
    runs = iter_inlines(blocks)
    return Marks(
        tuple(run for run in runs if isinstance(run, Ref)), tuple(run for run in runs if isinstance(run, TermUse))
    )


def plain_text(runs: Sequence[Inline], numbers: Mapping[str, str] | None = None) -> str:
    """The text of ``runs`` as a reader sees it (references as their numbers, if ``numbers`` is given)."""
    return "".join((numbers or {}).get(run.target, "") if isinstance(run, Ref) else run.text for run in runs)
