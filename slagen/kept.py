"""Bounded memories of what repeats from one contract to the next.

Every cache slagen keeps while it runs is a :class:`Kept`: at most ``size`` entries, the
least recently used forgotten first, so memory stays flat in a batch. A key may name objects
by identity (``id(blocks)``): the entry then holds them (``held``), so while it is kept they
cannot be collected and their ``id`` cannot become another object's — a key found is the
very object it names.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most ``size`` values by key, the least recently used forgotten first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, tuple[V, object]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: K) -> bool:
        return key in self._entries

    def get(self, key: K) -> V | None:
        """The value kept under ``key``, or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: K, value: V, held: object = None) -> V:
        """Keep ``value`` under ``key``, holding ``held`` (the objects the key names by identity); give ``value``."""
        self._entries[key] = (value, held)
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value
