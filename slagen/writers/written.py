"""Keep the written form of clause bodies that come again from one document to the next.

A clause whose rendering is reused (:mod:`slagen.reuse`) brings the very same block list
into every document of a batch; writing it as DOCX or Markdown gives the same text again,
as long as what the writer takes from around it is the same too: the numbers of the clauses
it refers to, and the writer's own state (the next list number, the quotation marks of the
language). :class:`WrittenClauses` keeps that text per block list (by its identity, see
:mod:`slagen.kept`), under exactly those inputs.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from slagen.kept import Kept
from slagen.model import Block, marks

MAX_ENTRIES = 1024
"""Block lists kept per writer (least recently used go first), so memory stays flat in a batch."""
MAX_PARTS = 32
"""Written parts of whole documents (the numbered sections, the contents) kept per writer."""
MAX_FORMS = 8
"""Written forms kept per block list (under other numbers or writer states)."""


@dataclass(slots=True)
class _Entry:
    targets: tuple[str, ...]
    written: Kept[Hashable, Any] = field(default_factory=lambda: Kept(MAX_FORMS))


class WrittenClauses:
    """Written forms of block lists and of whole parts of documents, each under what it depends on.

    A block list's under the numbers it refers to and the writer's ``state``; a part's (the numbered
    sections, the contents: :attr:`parts`) under the document's :func:`~slagen.model.shape` and the
    writer's state, holding the lists the shape names by identity.
    """

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: Kept[int, _Entry] = Kept(max_entries)
        self.parts: Kept[Hashable, Any] = Kept(MAX_PARTS)

    def key(self, blocks: list[Block], numbers: Mapping[str, str], state: Hashable) -> tuple[_Entry, Hashable]:
        """Where the written forms of ``blocks`` are kept, and the key of this one there."""
        entry = self._entries.get(id(blocks))
        if entry is None:
            entry = self._entries.put(id(blocks), _Entry(tuple(run.target for run in marks(blocks).refs)), blocks)
        return entry, (state, tuple(numbers[target] for target in entry.targets))
