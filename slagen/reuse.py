"""Reuse a clause's rendering when every value it can read is the same as before.

A batch renders the same clause for hundreds of customers, and most clauses never read
what differs between them (the customer's name, the reference): their text is the same
for every contract of a tier and language. Rendering them again is half of a contract's
time, so a clause's rendering is kept and reused, under a key made of **every value the
template could possibly read**:

- Which values a template can read is found once per process from its syntax tree
  (:func:`read_paths`): every variable it names, followed as far as the constant attribute
  and item lookups after it go (``parties.customer.name``, ``levels[0]``). A variable used
  any other way (looped over, passed to a filter or macro, assigned to another name, looked
  up with a computed key) counts with its whole value, so what is read through it is covered
  too. Templates it includes, imports or extends are followed; a template that names one
  by a computed name, or uses the ``random`` filter, is never reused.
- What slagen's own helpers and filters read from the context (the locale, the labels'
  terms and document texts, the chosen tier) is part of every key (:data:`HELPER_PATHS`).
- Each value is written out with its type (:func:`fingerprint`): ``1``, ``1.0`` and
  ``Decimal('1.00')``, or ``60min`` and ``1h``, are different keys. A value of a type not
  known here (anything but plain data and slagen's frozen dataclasses) makes the clause
  render afresh.

The reused result is the parsed clause (title and blocks), which nothing after rendering
changes. ``SLAGEN_NO_REUSE=1`` turns reuse off (here and in the writers, see
:mod:`slagen.writers.written`); tests compare documents built with and without it byte for byte.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import pathlib
import reprlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from jinja2 import meta, nodes
from jinja2.environment import Environment
from jinja2.parser import Parser

from slagen.kept import Kept

Path = tuple[str | int, ...]

HELPER_PATHS: tuple[Path, ...] = (("locale",), ("labels", "terms"), ("labels", "document"), ("tier",))
"""What ``ref``/``define``/``term``/``target`` and the formatting filters read from the context."""

ANALYSIS = "2"
"""Part of the store's file name: raise it when what :func:`read_paths` finds changes."""

MAX_ENTRIES = 2048
"""Renderings kept per process (least recently used go first), so memory stays flat in a batch."""

_NONDETERMINISTIC_FILTERS = frozenset({"random"})
_MISSING = object()
"""What a path leads to when the context has no value there (not a value a template could be given)."""


class NotReusable(Exception):
    """A template, or a value it reads, that cannot be part of a key."""


_enabled = not os.environ.get("SLAGEN_NO_REUSE")


def enabled() -> bool:
    """Whether renderings and written clauses are reused (``SLAGEN_NO_REUSE`` unset when slagen started)."""
    return _enabled


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Everything rendered and written afresh inside (tests compare the two ways byte for byte)."""
    global _enabled
    before, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = before


def read_paths(env: Environment, name: str, sources: set[str] | None = None) -> tuple[Path, ...]:
    """Every context path template ``name`` (and what it includes) may read, sorted; raise :class:`NotReusable`.

    ``sources``, if given, receives the names of the templates looked into.
    """
    paths: set[Path] = set(HELPER_PATHS)
    _collect_template(env, name, paths, sources if sources is not None else set())
    return _covering(paths)


def _covering(paths: set[Path]) -> tuple[Path, ...]:
    """``paths`` without those under another of them (whose whole value the key has already), sorted."""
    kept = [path for path in paths if not any(path[:length] in paths for length in range(1, len(path)))]
    return tuple(sorted(kept, key=lambda path: tuple(map(str, path))))


def expression_paths(env: Environment, source: str) -> tuple[Path, ...]:
    """Every path the expression ``source`` (a clause's ``when:``) may read; raise :class:`NotReusable`."""
    try:
        expression = Parser(env, source, state="variable").parse_expression()
    except Exception as exc:  # evaluating it reports what is wrong with it
        raise NotReusable("does not parse") from exc
    paths: set[Path] = set()
    _collect(expression, paths, [])
    return _covering(paths)


def _collect_template(env: Environment, name: str, paths: set[Path], seen: set[str]) -> None:
    if name in seen:
        return
    seen.add(name)
    if env.loader is None:
        raise NotReusable("no loader")
    source = env.loader.get_source(env, name)[0]
    tree = env.parse(source, name)
    found: set[Path] = set()
    included: list[str] = []
    _collect(tree, found, included)
    # Only the names the template looks up in its context (as Jinja's compiler finds them: not those
    # it sets itself, loop or macro variables, imports) read values it is given.
    given = meta.find_undeclared_variables(tree)
    paths.update(path for path in found if path[0] in given)
    for other in included:  # what they read counts as they read it
        _collect_template(env, other, paths, seen)


def _collect(node: nodes.Node, paths: set[Path], included: list[str]) -> None:
    """The paths read below ``node`` into ``paths``, the templates it includes, imports or extends into ``included``."""
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        path = _chain(node)
        if path is not None:
            paths.add(path)
            return
    elif isinstance(node, nodes.Name):
        if node.ctx == "load":
            paths.add((node.name,))
        return
    elif isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        included += _template_names(node.template)
    elif isinstance(node, nodes.Filter) and node.name in _NONDETERMINISTIC_FILTERS:
        raise NotReusable(f"filter {node.name}")
    for child in node.iter_child_nodes():
        _collect(child, paths, included)


def _chain(node: nodes.Node) -> Path | None:
    """``a.b[0].c`` as ``("a", "b", 0, "c")``; None unless it is a variable followed by constant lookups."""
    segments: list[str | int] = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            segments.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and type(node.arg.value) in (str, int):
            segments.append(node.arg.value)
        else:
            return None
        node = node.node
    if not isinstance(node, nodes.Name) or node.ctx != "load":
        return None
    return (node.name, *reversed(segments))


def _template_names(expr: nodes.Expr) -> list[str]:
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, (nodes.List, nodes.Tuple)):
        return [name for item in expr.items for name in _template_names(item)]
    raise NotReusable("a template named by a computed name")


_DICT_ATTRIBUTES = frozenset(dir(dict))


def resolve(context: dict[str, Any], path: Path) -> Any:
    """The value at ``path``, stopping at the last plain container (so the key covers all of it).

    A segment that is also an attribute of the value's type (``items`` of a dict, ``upper``
    of a text, a dataclass field) stops the walk: the template gets at it through the object,
    whose whole value is then the key.
    """
    value: Any = context.get(path[0], _MISSING) if isinstance(path[0], str) else _MISSING
    for segment in path[1:]:
        if type(value) is dict:
            if segment in _DICT_ATTRIBUTES:
                return value
            value = value.get(segment, _MISSING)
            continue
        if isinstance(segment, str) and hasattr(type(value), segment):
            return value
        if isinstance(value, dict):
            value = value.get(segment, _MISSING)
        elif isinstance(value, (list, tuple)) and type(segment) is int and -len(value) <= segment < len(value):
            value = value[segment]
        else:
            return value
    return value


_PLAIN = frozenset({str, int, bool, float, Decimal, dt.date, dt.datetime, type(None)})
"""Types whose ``repr`` is exact: equal reprs, equal values of one type (``1``, ``1.0``, ``Decimal('1.00')`` differ)."""
_DATACLASSES: dict[type, bool] = {}
_GENERATED = frozenset({dataclasses.__file__, reprlib.__file__, "<string>"})
"""Where the ``__repr__`` that dataclasses write comes from (by Python version), unlike one a class defines."""


def fingerprint(value: Any) -> str:
    """``value`` written out with every type, so that equal-looking values of other types differ.

    That is its ``repr``, once every part of it is known to have an exact one: plain data
    (texts, numbers, dates, lists, dicts) and frozen dataclasses with the ``repr`` dataclasses
    write (every field shown). Anything else raises :class:`NotReusable`.
    """
    if value is _MISSING:
        return "<missing>"
    _check(value)
    return repr(value)


def _check(value: Any) -> None:
    kind = type(value)
    if kind in _PLAIN:
        return
    if kind is dict:
        for key, item in value.items():
            _check(key)
            _check(item)
    elif kind is list or kind is tuple:
        for item in value:
            _check(item)
    elif _DATACLASSES.get(kind) or (kind not in _DATACLASSES and _exact_dataclass(kind)):
        for field in dataclasses.fields(kind):
            _check(getattr(value, field.name))
    else:
        raise NotReusable(f"a value of type {kind.__name__}")


def _exact_dataclass(kind: type) -> bool:
    """Whether ``kind`` is a frozen dataclass whose ``repr`` is the generated one, showing every field."""
    exact = (
        dataclasses.is_dataclass(kind)
        and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
        and getattr(getattr(kind.__repr__, "__code__", None), "co_filename", None) in _GENERATED
        and all(field.repr for field in dataclasses.fields(kind))
    )
    _DATACLASSES[kind] = exact
    return exact


class Renderings:
    """The kept renderings of one library: key → result, least recently used dropped first.

    What each template reads is kept between runs in ``store`` (a JSON file beside Jinja's
    compiled templates), with a digest of every template it was read from: a batch then reuses
    renderings from its first row, and a changed template is looked into again.
    """

    def __init__(self, max_entries: int = MAX_ENTRIES, store: pathlib.Path | None = None) -> None:
        self.store = store
        self._stored: dict[str, Any] | None = None
        self._paths: dict[str, tuple[Path, ...] | None] = {}
        self._seen: set[str] = set()
        self._once: Kept[int, bool] = Kept(max_entries)
        self._kept: Kept[tuple[str, ...], Any] = Kept(max_entries)
        self.lasting: Kept[tuple[int, Path], str] = Kept(MAX_ENTRIES)
        """Fingerprints of paths into lasting values, by the value's identity (see :class:`Keys`)."""

    def paths(self, env: Environment, name: str) -> tuple[Path, ...] | None:
        """What template ``name`` may read, found once; None if it is not reused (this time).

        A template is looked into when it renders the second time: one build renders each once,
        and should not pay for reading them all.
        """
        if name in self._paths:
            return self._paths[name]
        stored = self._load(env, name)
        if stored is not _MISSING:
            self._paths[name] = stored
            return stored  # type: ignore[no-any-return]
        if name not in self._seen:
            self._seen.add(name)
            return None
        sources: set[str] = set()
        try:
            paths: tuple[Path, ...] | None = read_paths(env, name, sources)
        except NotReusable:
            paths = None
        except Exception:  # noqa: BLE001 - not reused; rendering it reports what is wrong with it
            self._paths[name] = None
            return None
        self._paths[name] = paths
        self._save(env, name, paths, sources)
        return paths

    def _load(self, env: Environment, name: str) -> Any:
        """What ``name`` reads as the store has it, if every template it was read from is unchanged."""
        if self.store is None:
            return _MISSING
        if self._stored is None:
            try:
                loaded = json.loads(self.store.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = {}
            self._stored = loaded if isinstance(loaded, dict) else {}
        entry = self._stored.get(_stored_name(env, name))
        try:
            if not isinstance(entry, dict) or entry["sources"] != _digests(env, entry["sources"]):
                return _MISSING
            paths = entry["paths"]
            return None if paths is None else tuple(tuple(path) for path in paths)
        except Exception:  # noqa: BLE001 - a store that does not fit is not used
            return _MISSING

    def _save(self, env: Environment, name: str, paths: tuple[Path, ...] | None, sources: set[str]) -> None:
        if self.store is None or self._stored is None:
            return
        try:
            if len(self._stored) >= MAX_ENTRIES:
                self._stored.clear()
            self._stored[_stored_name(env, name)] = {"sources": _digests(env, sources), "paths": paths}
            temporary = self.store.with_name(f"{self.store.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(self._stored), encoding="utf-8")
            os.replace(temporary, self.store)
        except Exception:  # noqa: BLE001, S110 - not kept: looked into again next time
            pass

    def get(self, key: tuple[str, ...]) -> Any:
        """The result kept under ``key``, or None."""
        return self._kept.get(key)

    def put(self, key: tuple[str, ...], result: Any) -> None:
        """Keep ``result`` under ``key`` when that key comes the second time.

        A rendering that reads what differs in every agreement (the front matter naming the
        customer) would otherwise push out the ones that come again; only the key's hash is
        remembered the first time.
        """
        digest = hash(key)
        if digest not in self._once:
            self._once.put(digest, True)
            return
        self._kept.put(key, result)


class Keys:
    """Keys of the clauses rendered with one context: each path's fingerprint is made once.

    ``lasting`` names context entries whose values are made once, shared by documents and never
    changed (the labels, the resolved service levels): fingerprints of paths into them are kept in
    ``memo`` by the entry's identity (holding the value), so they are not made again for every document.
    Those of the other entries are kept the same way in ``shared``, which lives as long as one
    agreement's documents: its languages share most of their answers.
    """

    def __init__(
        self,
        context: dict[str, Any],
        *,
        lasting: frozenset[str] = frozenset(),
        memo: Kept[tuple[int, Path], str] | None = None,
        shared: Kept[tuple[int, Path], str] | None = None,
    ) -> None:
        self.context = context
        self.lasting = lasting
        self.memo = memo if memo is not None else Kept(MAX_ENTRIES)
        self.shared = shared if shared is not None else Kept(MAX_ENTRIES)
        self._prints: dict[Path, str | None] = {}

    def key(self, name: str, paths: tuple[Path, ...]) -> tuple[str, ...] | None:
        """The key of template ``name`` in this context; None if a value it reads has no fingerprint."""
        prints = self._prints
        try:
            found = [prints[path] for path in paths]
        except KeyError:
            found = [prints[path] if path in prints else self._print(path) for path in paths]
        if None in found:
            return None
        return (name, *found)  # type: ignore[arg-type]

    def _print(self, path: Path) -> str | None:
        if path[0] not in self.context:  # a name the template sets itself, or a global such as ref()
            self._prints[path] = "<missing>"
            return "<missing>"
        root = self.context[path[0]]
        memo = self.memo if path[0] in self.lasting else self.shared
        text = memo.get((id(root), path))
        if text is None:
            with contextlib.suppress(NotReusable):  # None: the clause renders afresh
                text = memo.put((id(root), path), fingerprint(resolve(self.context, path)), root)
        self._prints[path] = text
        return text


def _stored_name(env: Environment, name: str) -> str:
    """A template's name in the store: with the library's templates directory, as several libraries share it."""
    return f"{getattr(env.loader, 'root', '')}|{name}"


def _digests(env: Environment, names: Iterable[str]) -> dict[str, str]:
    """A digest of each template's source, by name."""
    assert env.loader is not None
    return {
        name: hashlib.sha256(env.loader.get_source(env, name)[0].encode("utf-8")).hexdigest()[:32]
        for name in sorted(names)
    }
