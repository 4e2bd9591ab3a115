"""Recording what a template really reads while it renders.

A clause's rendering may be reused for another contract only when every value it read is the
same there. What it read is not guessed from the template's source: the compiled template that
produces the text records it while it runs. The context Jinja renders with
(:class:`RecordingContext`) records each name a template looks up, and gives every mapping as a
:class:`Tracked` view that records each key looked up in it. Any other use of a value —
iterating, its length, truth, comparison, printing, passing it to a filter, a method or a helper
that uses it as a whole — goes through a plain value (recorded whole) or through a method of
:class:`Tracked` that records the whole mapping. What is recorded is a set of paths into the
context (``("parties", "customer", "name")``): some read whole, some only for their kind (a
mapping, or missing) where a template only went through them to a key.

:func:`freeze` turns the values at those paths into a key that tells apart what renders
differently: ``1``, ``1.0``, ``True`` and ``Decimal('1.00')`` never share a key, nor ``60min``
and ``1h``. A value it cannot describe exactly makes the rendering one that is not reused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import msgspec
from jinja2.runtime import Context
from jinja2.utils import missing

Path = tuple[Hashable, ...]
"""Where a value is in the context: the keys leading to it."""
MISSING = ("missing",)
"""What a path with no value gives (a name or key the context does not have)."""


class NotReusable(Exception):
    """A value read cannot be told apart exactly from every other: the rendering is not reused."""


class Reads:
    """What one rendering read of ``root`` (the names it was given): whole values and kinds."""

    __slots__ = ("kinds", "root", "values")

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.values: set[Path] = set()
        self.kinds: set[Path] = set()

    def wrap(self, value: Any, path: Path) -> Any:
        """``value`` (found at ``path``) as the template gets it: a mapping tracked, anything else recorded whole."""
        kind = type(value)
        if kind in _LEAVES:  # most reads: no mapping, nothing to ask the ABC
            self.values.add(path)
            return value
        if isinstance(value, Mapping) and not isinstance(value, Tracked):
            self.kinds.add(path)
            return Tracked(value, path, self)
        self.values.add(path)
        return value

    def name(self, key: str, value: Any) -> Any:
        """A name looked up in the context, found as ``value`` (Jinja's ``missing`` if absent)."""
        root = self.root
        if key in root:
            if value is root[key]:
                return self.wrap(value, (key,))
            return value  # a name the template set itself shadows the context's
        if value is missing:
            self.values.add((key,))
        return value  # a global (``range``, ``ref``) or a name the template set: the same for every contract

    def paths(self) -> tuple[tuple[bool, Path], ...]:
        """What was read, in a fixed order: ``(whole, path)``; what lies under a path read whole is left out."""
        values = self.values

        def under(path: Path, depth: int) -> bool:
            return any(path[:i] in values for i in range(1, depth + 1))

        found = [(True, path) for path in values if not under(path, len(path) - 1)]
        found += [(False, path) for path in self.kinds if not under(path, len(path))]
        return tuple(sorted(found, key=repr))


_LEAVES = frozenset({str, int, bool, type(None), Decimal, float})

RECORDING: ContextVar[Reads | None] = ContextVar("slagen_recording", default=None)
"""The reads of the rendering under way, if it is recorded."""


class Tracked(Mapping[Hashable, Any]):
    """A mapping of the context as a template sees it: every key looked up, and every other use, recorded."""

    __slots__ = ("_slagen_data", "_slagen_path", "_slagen_reads")

    def __init__(self, data: Mapping[Hashable, Any], path: Path, reads: Reads) -> None:
        self._slagen_data = data
        self._slagen_path = path
        self._slagen_reads = reads

    def __getitem__(self, key: Hashable) -> Any:
        path = (*self._slagen_path, key)
        try:
            value = self._slagen_data[key]
        except (KeyError, TypeError):
            self._slagen_reads.values.add(path)  # that it is missing is what was read
            raise
        return self._slagen_reads.wrap(value, path)

    def _whole(self) -> Mapping[Hashable, Any]:
        self._slagen_reads.values.add(self._slagen_path)
        return self._slagen_data

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __repr__(self) -> str:
        return repr(self._whole())

    def __str__(self) -> str:
        return str(self._whole())

    def __reversed__(self) -> Iterator[Hashable]:
        return reversed(self._whole())

    def keys(self) -> Any:
        """The mapping's own keys view (the whole mapping read), as a ``dict`` gives it."""
        return self._whole().keys()

    def items(self) -> Any:
        """The mapping's own items view (the whole mapping read), as a ``dict`` gives it."""
        return self._whole().items()

    def values(self) -> Any:
        """The mapping's own values view (the whole mapping read), as a ``dict`` gives it."""
        return self._whole().values()

    def copy(self) -> dict[Hashable, Any]:
        """A plain copy, as ``dict.copy`` gives (the whole mapping read)."""
        return dict(self._whole())


DICT_METHODS = frozenset({"keys", "items", "values", "get", "copy"})
"""The methods of a mapping a template may call on a :class:`Tracked` one, as on a ``dict``."""


class RecordingContext(Context):
    """Jinja's context, recording every name a template looks up while :data:`RECORDING` is set."""

    def resolve_or_missing(self, key: str) -> Any:
        """The value of ``key`` (vars, then the names given), recorded."""
        value = super().resolve_or_missing(key)
        reads = RECORDING.get()
        return value if reads is None else reads.name(key, value)


def value_at(root: Mapping[str, Any], path: Path) -> Any:
    """The value at ``path`` in ``root``, or :data:`MISSING`."""
    node: Any = root
    for key in path:
        if type(node) not in _MAPPINGS and not isinstance(node, Mapping):
            return MISSING
        try:
            node = node[key]
        except (KeyError, TypeError):
            return MISSING
    return node


_MAPPINGS = frozenset({dict, MappingProxyType})


def key_of(
    root: Mapping[str, Any],
    paths: tuple[tuple[bool, Path], ...],
    frozen: Mapping[int, tuple[object, Hashable]] | None = None,
) -> tuple[Hashable, ...]:
    """The values at ``paths`` in ``root`` as a key (whole values frozen, kinds as their kind).

    ``frozen`` gives the frozen form of values that cannot change (:func:`deep_frozen`) by their
    ``id``, each beside the value itself (so that the ``id`` cannot be another object's while kept).
    """
    key: list[Hashable] = []
    for whole, path in paths:
        value = value_at(root, path)
        if value is MISSING:
            key.append(MISSING)
        elif whole:
            known = frozen.get(id(value)) if frozen else None
            key.append(known[1] if known is not None and known[0] is value else freeze(value))
        else:
            key.append("mapping" if isinstance(value, Mapping) else freeze(value))
    return tuple(key)


def deep_frozen(value: Any) -> Any:
    """``value`` with every ``dict`` a read-only mapping and every ``list`` a tuple, all the way down.

    What the memo shares between contracts (what templates see of a service) is made so, so that
    nothing can change it after its frozen form was taken.
    """
    if isinstance(value, dict):
        return MappingProxyType({key: deep_frozen(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(deep_frozen(item) for item in value)
    return value


_PLAIN = frozenset({int, bool, type(None), str})
_TEXT: dict[type, Callable[[Any], str]] = {
    float: repr,
    Decimal: str,
    dt.date: dt.date.isoformat,
    dt.datetime: dt.datetime.isoformat,
}


def freeze(value: Any) -> Hashable:
    """``value`` as a key that equals another's only where both render alike.

    >>> freeze(1) == freeze(1.0) or freeze(1) == freeze(True) or freeze(Decimal("1.0")) == freeze(Decimal("1.00"))
    False
    >>> freeze({"a": [1, "x"]}) == freeze({"a": [1, "x"]})
    True
    """
    kind = type(value)
    if kind in _PLAIN:
        return (kind.__name__, value)
    text = _TEXT.get(kind)
    if text is not None:
        return (kind.__name__, text(value))
    if kind in (list, tuple):
        return (kind.__name__, tuple(freeze(item) for item in value))
    if isinstance(value, Mapping) and kind.__module__ in ("builtins", "types"):
        return (kind.__name__, tuple((freeze(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, msgspec.Struct) and kind.__module__.startswith("slagen."):
        fields = value.__struct_fields__
        return (kind.__module__, kind.__qualname__, tuple(freeze(getattr(value, name)) for name in fields))
    raise NotReusable(f"a value of type {kind.__name__} cannot be told apart exactly")
