"""Keep the written form of clause bodies that come again from one document to the next.

A clause whose rendering is reused (:mod:`slagen.reuse`) brings the very same block list
into every document of a batch; writing it as DOCX or Markdown gives the same text again,
as long as what the writer takes from around it is the same too: the numbers of the clauses
it refers to, and the writer's own state (the next list number, the quotation marks of the
language). :class:`WrittenClauses` keeps that text per block list, under exactly those
inputs, and holds the block list itself, so its identity stays the key while it is kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from slagen.model import Block, marks

MAX_ENTRIES = 1024
"""Block lists kept per writer (least recently used go first), so memory stays flat in a batch."""
MAX_PARTS = 32
"""Written parts of whole documents (the numbered sections, the contents) kept per writer."""
MAX_FORMS = 8
"""Written forms kept per block list (under other numbers or writer states)."""


@dataclass(slots=True)
class _Entry:
    blocks: list[Block]
    targets: tuple[str, ...]
    written: dict[Hashable, Any] = field(default_factory=dict)


class WrittenClauses:
    """Written forms of block lists and of whole parts of documents, each under what it depends on.

    A block list's under the numbers it refers to and the writer's ``state``; a part's (the numbered
    sections, the contents) under the document's :func:`~slagen.model.shape` and the writer's state.
    """

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._parts: OrderedDict[Hashable, tuple[Any, list[object]]] = OrderedDict()

    def key(self, blocks: list[Block], numbers: Mapping[str, str], state: Hashable) -> tuple[_Entry, Hashable]:
        """Where the written form of ``blocks`` is kept, and its key there."""
        entry = self._entries.get(id(blocks))
        if entry is None or entry.blocks is not blocks:
            targets = tuple(run.target for run in marks(blocks).refs)
            entry = self._entries[id(blocks)] = _Entry(blocks, targets)
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(id(blocks))
        if len(entry.written) >= MAX_FORMS:
            entry.written.clear()
        return entry, (state, tuple(numbers[target] for target in entry.targets))

    def part(self, key: Hashable) -> Any:
        """The written part kept under ``key`` (see :func:`~slagen.model.shape`), or None."""
        kept = self._parts.get(key)
        if kept is None:
            return None
        self._parts.move_to_end(key)
        return kept[0]

    def keep_part(self, key: Hashable, value: Any, held: list[object]) -> None:
        """Keep ``value`` under ``key``, holding ``held`` (the lists whose identities the key names)."""
        self._parts[key] = (value, held)
        if len(self._parts) > MAX_PARTS:
            self._parts.popitem(last=False)
