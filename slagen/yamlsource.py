"""Read YAML safely and keep the line of every key.

Takes a file (answers, clause records, tiers) and gives plain Python data plus a map
from key path to line number, so later stages can say ``answers.yaml:14: service.tier``.
Only the safe YAML subset is read: Python tags are refused, duplicate keys are an
error (not last-wins), and alias expansion is bounded so that an alias bomb fails fast.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct, field

from slagen.errors import InputError, Problem
from slagen.yamlhints import explain

try:  # libyaml is much faster; the pure-Python loader gives the same nodes and marks
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

KeyPath = tuple[str, ...]
MAX_NODES = 200_000
"""Upper bound on values built from one file, aliases counted each time they expand."""
MAX_BYTES = 16 * 2**20
"""Largest YAML file read (16 MiB): an answers file is a few KiB, the largest library file a few dozen."""
MAX_DEPTH = 50
"""Upper bound on nesting; no answers or library file needs more than a handful of levels."""


class YamlSource(Struct):
    """A parsed YAML file: its data and the line (1-based) of every key path."""

    path: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    text: str = ""
    """The file's text as read (kept so a contract can carry the answers that produced it)."""

    def line_of(self, keys: KeyPath) -> int | None:
        """Line of ``keys``, or of its nearest parent that has a line."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return self.lines.get((), None)


def load_yaml(path: Path, *, display: str | None = None) -> YamlSource:
    """Read ``path`` and return its data with key lines; errors name the file and line."""
    from slagen.archives import read_regular  # a FIFO or /dev/zero is refused unread, a huge file unread too

    name = display or str(path)
    try:
        raw = read_regular(path, limit=MAX_BYTES, noun="YAML files")
    except InputError as exc:  # the message, with the file as the caller names it
        raise InputError.single(exc.problems[0].message, file=name) from None
    except OSError as exc:
        raise InputError.single(f"cannot read file: {exc.strerror}", file=name) from None
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes, name: str) -> YamlSource:
    """Parse YAML bytes (UTF-8, an optional BOM) named ``name`` in messages."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # utf-8-sig counts after the BOM
        raise InputError.single(
            f"not UTF-8 text (byte 0x{raw[offset]:02x} at offset {offset}); save the file as UTF-8",
            file=name,
        ) from None
    loader = _Loader(text)
    try:
        _check_depth(text, name)
        node = loader.get_single_node()
        source = YamlSource(name, None, text=text)
        if node is not None:
            source.lines[()] = node.start_mark.line + 1
            if _expanded_size(node, {}, set(), 0) > MAX_NODES:
                raise _too_many(name)
            source.data = _Builder(loader, source).build(node, ())
        return source
    except RecursionError:
        raise InputError.single(f"nested too deeply (more than {MAX_DEPTH} levels)", file=name) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = f", column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in what:  # newer libyaml stops deep nesting itself; say it as we do
            raise InputError([Problem(f"nested too deeply (more than {MAX_DEPTH} levels)", name, line)]) from None
        hint = explain(text, line) if line else None
        if hint is not None:  # the line that is wrong, in plain words
            raise InputError([Problem(f"YAML syntax error: {hint[1]}", name, hint[0])]) from None
        raise InputError([Problem(f"YAML syntax error{col}: {what}", name, line)]) from None
    except yaml.YAMLError as exc:
        raise InputError.single(f"YAML error: {exc}", file=name) from None
    finally:
        loader.dispose()


def _check_depth(text: str, name: str) -> None:
    """Refuse deep nesting before composing: PyYAML composes recursively and would overflow the stack."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise InputError([Problem(f"nested too deeply (more than {MAX_DEPTH} levels)", name, line)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_: set[int], depth: int) -> int:
    """How many values building ``node`` makes, each alias counted as often as it expands.

    An alias is the very node it refers to, composed once, so each collection's size is computed
    once (``sizes``): a billion-laughs file is measured in a few hundred steps, never expanded.
    A merge key (``<<``) counts the values it brings; other keys are plain words (the builder
    refuses any other). Cycles and nesting beyond :data:`MAX_DEPTH` are left to the builder,
    which reports them with their key.
    """
    if isinstance(node, yaml.ScalarNode):
        return 1
    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in open_ or depth > MAX_DEPTH:
        return 1
    open_.add(id(node))
    children = node.value if isinstance(node, yaml.SequenceNode) else [value for _, value in node.value]
    size = 1 + sum(_expanded_size(child, sizes, open_, depth + 1) for child in children)
    open_.discard(id(node))
    sizes[id(node)] = size
    return size


class _Builder:
    """Turns a composed node tree into Python data, recording key lines on the way."""

    def __init__(self, loader: yaml.SafeLoader, source: YamlSource) -> None:
        self.loader = loader
        self.source = source
        self.count = 0

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        if len(path) > MAX_DEPTH:
            raise _problem(self.source, node, path[:3], f"nested too deeply (more than {MAX_DEPTH} levels)")
        self.count += 1
        if self.count > MAX_NODES:  # only a cycle gets here (`&x [*big, *x]`): its size is not counted before
            raise _too_many(self.source.path)
        if isinstance(node, yaml.MappingNode):
            self._plain(node, "tag:yaml.org,2002:map", path)
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self._plain(node, "tag:yaml.org,2002:seq", path)
            return [self.build(item, (*path, str(i))) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        written: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self._key(key_node, path)
            if key in written:
                message = f"duplicate key (first given on line {written[key]})"
                raise _problem(self.source, key_node, (*path, key), message)
            written[key] = key_node.start_mark.line + 1
        # Merge keys (<<) put the merged pairs first, so the keys written in the mapping win.
        self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            self.source.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*path, key))
        return result

    def _key(self, node: yaml.Node, path: KeyPath) -> str:
        """A key as written: ``yes:`` is the key ``yes`` (not ``True``), ``2027-01-01:`` and ``~:`` as they stand."""
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _PLAIN_KEY_TAGS:
            raise _problem(self.source, node, path, "a key must be a plain word")
        return str(node.value)

    def _plain(self, node: yaml.Node, tag: str, path: KeyPath) -> None:
        if node.tag != tag:
            raise _problem(self.source, node, path, f"tag {node.tag} is not allowed (only plain YAML values are read)")

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise _problem(self.source, node, path, "a key must be a plain word")
        _check_number(self.source, node, path)
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            message = exc.problem or "unsupported value"
            if node.tag.startswith("tag:yaml.org,2002:python/") or "could not determine a constructor" in message:
                message = f"tag {node.tag} is not allowed (only plain YAML values are read)"
            raise _problem(self.source, node, path, message) from None
        except ValueError as exc:  # e.g. 2027-13-01 matches the date pattern but is no date
            raise _problem(self.source, node, path, f"{_shown(node.value)} is not a valid value ({exc})") from None


_PLAIN_KEY_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "timestamp"))
_DECIMAL_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(
    r"[-+]?([0-9]*\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
MAX_DIGITS = 100
"""Most digits of a number in an answers or library file; a contract value has a handful."""


def _check_number(source: YamlSource, node: yaml.ScalarNode, path: KeyPath) -> None:
    """Refuse a number YAML 1.1 reads other than people mean it: ``012`` is 10 (octal), ``1:00`` is 60."""
    text = node.value.lstrip("+-")
    if node.tag == "tag:yaml.org,2002:int":
        if _DECIMAL_INT.fullmatch(node.value):
            if len(text) > MAX_DIGITS:
                raise _problem(source, node, path, f"a number of more than {MAX_DIGITS} digits is no contract value")
            return
    elif node.tag != "tag:yaml.org,2002:float" or _DECIMAL_FLOAT.fullmatch(node.value):
        return
    reader = yaml.SafeLoader("")
    value: float = reader.construct_yaml_int(node) if node.tag.endswith("int") else reader.construct_yaml_float(node)
    if ":" in text:
        kind = "a base-60 number"
    elif text.lower().startswith(("0x", "0b")):
        kind = "a hexadecimal number" if text.lower().startswith("0x") else "a binary number"
    elif "_" in text:
        kind = "a number with '_' left out"
    else:
        kind = "an octal number"
    message = f"{_shown(node.value)} is {kind} to YAML ({value}); write the number as meant, or in quotes for text"
    raise _problem(source, node, path, message)


def _shown(value: str) -> str:
    """``value`` quoted, cut to a length a message can carry."""
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _too_many(name: str) -> InputError:
    return InputError([Problem(f"too many values (more than {MAX_NODES:,}; an alias bomb?)", name)])


def _problem(source: YamlSource, node: yaml.Node, path: KeyPath, message: str) -> InputError:
    key = ".".join(path) or None
    return InputError([Problem(message, source.path, node.start_mark.line + 1, key)])
