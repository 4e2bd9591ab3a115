"""The one place slagen keeps what repeats from one contract to the next.

A :class:`Memo` is made by the caller — the CLI for a command, each batch worker for its rows —
and passed down the pipeline; no stage keeps anything of its own. Everything it keeps is keyed by
content, never by an object's identity:

- the library's compiled form (the Jinja sandbox, the compiled clause conditions, the labels of
  each kind), by the library's root and digest;
- the resolved service levels, by the answers :data:`slagen.resolve.READS` names, and what the
  templates see of them (:func:`slagen.context.service_view`), by the same key and the language;
- clause renderings, by the values the compiled template was **recorded** reading while it rendered
  (:mod:`slagen.recording`): a rendering is given again only where each of those values is the
  same. Every :attr:`Memo.check_every`-th rendering given again is rendered afresh and compared (a
  tripwire: a difference is a bug in slagen and stops the run);
- the parse of a rendered text, by the text.

Sizes are in :data:`SIZES`; ``Memo(reuse=False)`` renders, resolves and parses everything afresh
(the documents are the same), for tests and comparisons.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from msgspec import Struct

from slagen.context import kind_labels
from slagen.markup import Parsed, parse_markup, parse_paragraph
from slagen.model import Block, Marks, marks
from slagen.recording import RECORDING, NotReusable, Path, Reads, deep_frozen, freeze, key_of
from slagen.sandbox import make_environment
from slagen.select import Condition, compile_conditions

if TYPE_CHECKING:
    from jinja2 import Environment

    from slagen.library import Library
    from slagen.resolve import ServiceLevels

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Sizes(Struct, frozen=True):
    """How many entries each part of a memo keeps; the least recently used go first."""

    libraries: int = 4
    """Compiled libraries (sandbox, conditions, labels)."""
    renderings: int = 4096
    """Clause renderings kept for reuse."""
    seen: int = 8192
    """Rendering keys seen once: a rendering is kept the second time its key comes."""
    read_sets: int = 8
    """Different sets of recorded reads kept per template (a template's branches read different values)."""
    parses: int = 4096
    """Parsed texts."""
    services: int = 64
    """Resolved services, their template views and the labels of each kind."""
    kept: int = 256
    """Other things made from content alone (the YAML of a batch's base answers, DOCX frames)."""
    written: int = 8192
    """What the writers wrote for a clause's blocks, and the marks found in them."""


SIZES = Sizes()
CHECK_EVERY = 50
"""Every this many renderings given again, one is rendered afresh and compared."""


class ReuseMismatch(AssertionError):
    """A rendering given again differs from a fresh one: a bug in slagen's recording, never the user's."""


class _Bounded(Generic[K, V]):
    """At most ``size`` values by key, the least recently used forgotten first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value


class Compiled(Struct, frozen=True):
    """A library's compiled form: its sandbox and its clause conditions."""

    environment: Environment
    conditions: Mapping[str, Condition]


class Memo:
    """What a run keeps between the contracts it builds (see the module's docstring)."""

    def __init__(
        self, *, reuse: bool = True, bytecode_cache: bool = True, check_every: int = CHECK_EVERY, sizes: Sizes = SIZES
    ) -> None:
        self.reuse = reuse
        self.bytecode_cache = bytecode_cache
        self.check_every = check_every
        self.sizes = sizes
        self.reused = 0
        """Renderings given again so far."""
        self.checked = 0
        """Of those, rendered afresh and compared by the tripwire."""
        self._libraries: _Bounded[tuple[str, str], Compiled] = _Bounded(sizes.libraries)
        self._read_sets: _Bounded[str, list[tuple[tuple[bool, Path], ...]]] = _Bounded(sizes.renderings)
        self._renderings: _Bounded[Hashable, str] = _Bounded(sizes.renderings)
        self._seen: _Bounded[Hashable, bool] = _Bounded(sizes.seen)
        self._parses: _Bounded[str, Parsed] = _Bounded(sizes.parses)
        self._chunks: _Bounded[Hashable, tuple[Parsed | None]] = _Bounded(sizes.parses)
        self._services: _Bounded[Hashable, Any] = _Bounded(sizes.services)
        self._kept: _Bounded[Hashable, Any] = _Bounded(sizes.kept)
        self._written: _Bounded[Hashable, tuple[tuple[object, ...], Any]] = _Bounded(sizes.written)
        self._marks: _Bounded[int, tuple[object, Marks]] = _Bounded(sizes.written)
        self._frozen: dict[int, tuple[object, Hashable]] = {}
        """Frozen forms of the parts of kept service views, by ``id``, each beside its part (which it holds)."""

    # --- the library, compiled once ---------------------------------------------------------

    def compiled(self, library: Library) -> Compiled:
        """The sandbox and compiled conditions of ``library``, made once per memo (kept even without reuse)."""
        key = (str(library.root), library.digest)
        found = self._libraries.get(key)
        if found is None:
            env = make_environment(library.template_root, bytecode_cache=self.bytecode_cache)
            found = self._libraries.put(key, Compiled(env, compile_conditions(library, env)))
        return found

    def labels(self, library: Library, language: str, kind: str, law: str = "") -> Mapping[str, Any]:
        """The labels of ``language`` for an agreement of ``kind`` under ``law`` (see :func:`kind_labels`)."""
        key = ("labels", str(library.root), library.digest, language, kind, law)
        found: Mapping[str, Any] | None = self._services.get(key)
        if found is None:
            found = self._services.put(key, kind_labels(library, language, kind, law))
        return found

    # --- content ------------------------------------------------------------------------------

    def service(self, key: tuple[Any, ...], make: Callable[[], ServiceLevels]) -> tuple[Hashable | None, ServiceLevels]:
        """The service resolved from the answers in ``key`` (:data:`slagen.resolve.READS`), and its content key."""
        content = self._content_key(("service", *key))
        if content is None:
            return None, make()
        found: ServiceLevels | None = self._services.get(content)
        if found is None:
            found = self._services.put(content, make())
        return content, found

    def service_view(self, key: Hashable | None, make: Callable[[], dict[str, Any]]) -> Mapping[str, Any]:
        """What templates see of a service (kept under the service's content key, language and kind).

        A kept view is frozen all the way down and its parts' keys are taken once: templates read
        ``levels`` and ``tiers`` whole, and they are the same object from one contract to the next.
        """
        if key is None or not self.reuse:
            fresh: Mapping[str, Any] = deep_frozen(make())  # the same form with and without reuse
            return fresh
        found: Mapping[str, Any] | None = self._services.get(("view", key))
        if found is None:
            found = self._services.put(("view", key), deep_frozen(make()))
            if len(self._frozen) > 16 * self.sizes.services:  # forget the parts of views no longer kept
                self._frozen.clear()
            for part in found.values():
                try:
                    self._frozen[id(part)] = (part, freeze(part))
                except NotReusable:
                    continue
        return found

    def kept(self, key: Hashable, make: Callable[[], V]) -> V:
        """``make()``, kept under ``key``, which must name everything the result is made from (its content)."""
        if not self.reuse:
            return make()
        found: V | None = self._kept.get(key)
        if found is None:
            found = self._kept.put(key, make())
        return found

    def written(self, kind: str, part: object, state: Hashable, write: Callable[[], V]) -> V:
        """``write()`` for ``part``, a frozen part of the document model, given again for the same part and ``state``.

        ``write`` must depend on nothing but ``part`` and ``state`` and have no effect (a writer applies
        what it gives). A part is named by its identity: the parse of a text is shared by every
        document that renders the text (:meth:`parse`), and a part cannot change (the model is frozen);
        the entry holds the part, so that its identity cannot become another object's while kept.
        Every :attr:`check_every`-th result given again is written afresh and compared.
        """
        return self.written_all(kind, (part,), state, write)

    def written_all(self, kind: str, parts: tuple[object, ...], state: Hashable, write: Callable[[], V]) -> V:
        """:meth:`written` for several frozen parts at once (a section's clause titles and blocks), each by identity."""
        if not self.reuse:
            return write()
        key = (kind, tuple(map(id, parts)), state)
        found = self._written.get(key)
        if found is not None and len(found[0]) == len(parts) and all(map(operator.is_, found[0], parts)):
            result: V = found[1]
            return self._given_again(f"what was written for a {kind}", result, write)
        value = write()
        self._written.put(key, (parts, value))
        return value

    def marks(self, blocks: Sequence[Block]) -> Marks:
        """The cross-references and term uses in ``blocks`` (:func:`slagen.model.marks`), found once per part."""
        if not self.reuse:
            return marks(blocks)
        # a function of the frozen part alone, asked for by every stage after rendering: kept by the part's
        # identity (the entry holds the part), without the tripwire's count, which has no key to check
        found = self._marks.get(id(blocks))
        if found is not None and found[0] is blocks:
            return found[1]
        return self._marks.put(id(blocks), (blocks, marks(blocks)))[1]

    def _content_key(self, values: tuple[Any, ...]) -> Hashable | None:
        if not self.reuse:
            return None
        try:
            return freeze(values)
        except NotReusable:
            return None

    def parse(self, text: str) -> Parsed:
        """``text`` parsed (:func:`slagen.markup.parse_markup`), kept by the text, and paragraph by paragraph.

        The result is frozen, so it may be shared; the front matter, which names each customer, parses
        again only the paragraphs that differ.
        """
        if not self.reuse:
            return parse_markup(text)
        found = self._parses.get(text)
        if found is None:
            found = self._parses.put(text, parse_markup(text, self._paragraph))
        return found

    def _paragraph(self, chunk: str) -> Parsed | None:
        key = ("paragraph", chunk)
        found = self._chunks.get(key)
        if found is None:
            found = self._chunks.put(key, (parse_paragraph(chunk),))
        return found[0]

    def rendering(self, name: str, names: Mapping[str, Any], render: Callable[[], str]) -> str:
        """The text template ``name`` renders with ``names``: given again where the values it read are the same.

        ``render`` renders the compiled template; while it runs, every read is recorded, and the text
        is kept under the values at the paths recorded (the second time that key comes, so that a
        clause naming each customer does not push out the others).
        """
        if not self.reuse:
            return render()
        for paths in self._read_sets.get(name) or ():
            try:
                key = (name, paths, key_of(names, paths, self._frozen))
            except NotReusable:
                continue
            text = self._renderings.get(key)
            if text is not None:
                return self._given_again(f"the rendering of {name}", text, render)
        reads = Reads(names)
        token = RECORDING.set(reads)
        try:
            text = render()
        finally:
            RECORDING.reset(token)
        self._keep(name, names, reads.paths(), text)
        return text

    def _keep(self, name: str, names: Mapping[str, Any], paths: tuple[tuple[bool, Path], ...], text: str) -> None:
        try:
            key = (name, paths, key_of(names, paths, self._frozen))
        except NotReusable:
            return
        read_sets = self._read_sets.get(name)
        if read_sets is None:
            read_sets = self._read_sets.put(name, [])
        if paths not in read_sets:
            if len(read_sets) >= self.sizes.read_sets:
                return
            read_sets.append(paths)
        if self._seen.get(key):
            self._renderings.put(key, text)
        else:
            self._seen.put(key, True)

    def _given_again(self, what: str, kept: V, make: Callable[[], V]) -> V:
        """``kept``, given again; every :attr:`check_every`-th time made afresh and compared (the tripwire)."""
        self.reused += 1
        if self.check_every and self.reused % self.check_every == 0:
            self.checked += 1
            if make() != kept:
                raise ReuseMismatch(f"{what} given again differs from a fresh one")
        return kept
