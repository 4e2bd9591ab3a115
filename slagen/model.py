"""The document model: what rendering gives and every writer reads.

A :class:`Document` is a tree of sections, numbered clauses, and blocks (paragraphs
with inline runs, lists, tables), plus the front matter, defined terms and the
signature block. Cross-references point at clause ids; the numbering stage fills in
``number`` on sections and clauses and the document's ``numbers`` (id → number), once,
before any writer runs, so DOCX and Markdown cannot disagree.

Blocks and inline runs are never changed after parsing: the parse of a clause's text is
cached and shared between documents (see :mod:`slagen.markup`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from slagen.kept import Kept


@dataclass(frozen=True, slots=True)
class Text:
    """A run of text with its emphasis; ``note`` is a remark for the legal reviewer about this text."""

    text: str
    bold: bool = False
    italic: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Ref:
    """A cross-reference to a clause (or section) by id; the document's ``numbers`` give its number."""

    target: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class TermUse:
    """A defined term: where it is defined (``defining``) or used; ``text`` is the localized term."""

    term: str
    text: str
    defining: bool = False


Inline = Text | Ref | TermUse


@dataclass(slots=True)
class Paragraph:
    """A paragraph of inline runs."""

    runs: list[Inline]


@dataclass(slots=True)
class ListBlock:
    """A bulleted or numbered list; each item is a list of blocks (paragraphs, nested lists)."""

    ordered: bool
    items: list[list[Block]]


@dataclass(slots=True)
class Table:
    """A table with one header row; every cell is a list of inline runs."""

    header: list[list[Inline]]
    rows: list[list[list[Inline]]]


Block = Paragraph | ListBlock | Table


@dataclass(slots=True)
class Clause:
    """A numbered clause: heading, body blocks, and where it came from in the library."""

    id: str
    version: int
    title: list[Inline]
    blocks: list[Block]
    number: str = ""
    review: str = ""
    """The library's note for legal review of this clause (shown as a comment with ``--review``)."""


@dataclass(slots=True)
class Section:
    """A numbered section (top-level heading) holding clauses."""

    id: str
    title: str
    clauses: list[Clause]
    number: str = ""


@dataclass(slots=True)
class Signatory:
    """One party's signature field."""

    role: str
    name: str
    represented_by: str


@dataclass(slots=True)
class Document:
    """A whole contract in one language, ready to write."""

    language: str
    locale: str
    title: str
    subtitle: str
    reference: str
    version: str
    date: str
    front: list[Block]
    sections: list[Section]
    signatories: list[Signatory]
    labels: dict[str, str]
    properties: dict[str, str] = field(default_factory=dict)
    """Provenance written into the DOCX as custom properties (see :mod:`slagen.provenance`)."""
    answers_text: str | None = None
    """The answers file that produced the document, embedded in the DOCX."""
    numbers: dict[str, str] = field(default_factory=dict)
    """Number of every section and clause by id, filled by the numbering stage."""

    def clauses(self) -> list[Clause]:
        """Every clause in document order."""
        return [clause for section in self.sections for clause in section.clauses]


def iter_inlines(blocks: list[Block]) -> list[Inline]:
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


@dataclass(frozen=True, slots=True)
class Marks:
    """The cross-references and the term uses inside some blocks, each in document order."""

    refs: tuple[Ref, ...]
    terms: tuple[TermUse, ...]


_MARKED: Kept[int, Marks] = Kept(4096)


def marks(blocks: list[Block]) -> Marks:
    """The cross-references and term uses inside ``blocks``.

    Kept per block list: a clause's blocks come from :func:`slagen.markup.parse_markup`, whose
    results are shared by every document that renders the same text and never change, so each
    is searched once (kept by the list's identity, see :mod:`slagen.kept`).
    """
    found = _MARKED.get(id(blocks))
    if found is None:
        runs = iter_inlines(blocks)
        refs = tuple(run for run in runs if isinstance(run, Ref))
        found = _MARKED.put(id(blocks), Marks(refs, tuple(run for run in runs if isinstance(run, TermUse))), blocks)
    return found


def plain_text(runs: list[Inline], numbers: dict[str, str] | None = None) -> str:
    """The text of ``runs`` as a reader sees it (references as their numbers, if ``numbers`` is given)."""
    return "".join((numbers or {}).get(run.target, "") if isinstance(run, Ref) else run.text for run in runs)


def shape(document: Document) -> tuple[Hashable, list[object]]:
    """The numbered sections of ``document`` as a key, and the lists it names by identity.

    Sections and clauses by id, number and title, each clause's title and blocks by identity (they
    come from the shared parse results, which never change): two documents of one shape have the
    same numbered sections, word for word, and the same numbers to refer to.
    """
    held: list[object] = []
    key = []
    for section in document.sections:
        clauses = []
        for clause in section.clauses:
            held += (clause.title, clause.blocks)
            clauses.append((clause.id, clause.version, clause.number, id(clause.title), id(clause.blocks)))
        key.append((section.id, section.title, section.number, tuple(clauses)))
    return tuple(key), held
