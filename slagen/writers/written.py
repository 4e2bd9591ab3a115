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

from slagen.model import Block, Ref, marked_runs

MAX_ENTRIES = 1024
"""Block lists kept per writer (least recently used go first), so memory stays flat in a batch."""


@dataclass(slots=True)
class _Entry:
    blocks: list[Block]
    targets: tuple[str, ...]
    written: dict[Hashable, Any] = field(default_factory=dict)


class WrittenClauses:
    """Written forms of block lists, under the numbers they refer to and the writer's ``state``."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[int, _Entry] = OrderedDict()

    def key(self, blocks: list[Block], numbers: Mapping[str, str], state: Hashable) -> tuple[_Entry, Hashable]:
        """Where the written form of ``blocks`` is kept, and its key there."""
        entry = self._entries.get(id(blocks))
        if entry is None or entry.blocks is not blocks:
            targets = tuple(run.target for run in marked_runs(blocks) if isinstance(run, Ref))
            entry = self._entries[id(blocks)] = _Entry(blocks, targets)
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(id(blocks))
        return entry, (state, tuple(numbers[target] for target in entry.targets))
