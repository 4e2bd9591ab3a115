"""An answers file to resume or edit (``slagen interview --from``): its answers, and its comments to keep.

The answers become the defaults of their questions. The comments a person wrote are kept where
they were: a comment line above a key stays above that key, a comment after a value stays after
it, the lines above the first key stay on top and those after the last at the end. The comments
the interview writes itself (the header, the help above each key, a key left out with its reason)
are written afresh and not kept twice; they are recognised in every language of the library.
slagen reads YAML with PyYAML, which drops comments, so the comments are read from the text,
line by line, beside it: the answers file is plain block YAML, as the interview and people write it.
"""

from __future__ import annotations

import re
from typing import Any

from msgspec import Struct, field

from slagen.errors import InputError, Problem
from slagen.interview.wording import Wording
from slagen.library import Library
from slagen.yamlsource import YamlSource

_KEY = re.compile(r"^(?P<indent> *)(?P<name>[^\s#:\-][^:#]*?)\s*:(?:\s|$)")
_COMMENTED_KEY = re.compile(r"^(?P<name>[\w-]+):(?:\s.*)?$")


class Comments(Struct, frozen=True):
    """A person's comments in an answers file, by the key they belong to (``agreement.jurisdiction``)."""

    top: tuple[str, ...] = ()
    """Above the first key (``# …`` lines, as written)."""
    above: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Key or group of keys → the comment lines above it."""
    after: dict[str, str] = field(default_factory=dict)
    """Key → the comment after its value on the same line, with the spaces before it (``   # …``)."""
    end: tuple[str, ...] = ()
    """After the last key."""


class Resumed(Struct, frozen=True):
    """What an answers file gives the interview: its answers by key, and the comments to keep."""

    given: dict[str, Any]
    comments: Comments


def resume(library: Library, source: YamlSource, wordings: list[Wording]) -> Resumed:
    """The answers and comments of ``source``; a key the library does not declare is an input error."""
    data = source.data if source.data is not None else {}
    if not isinstance(data, dict):
        raise InputError.single("expected a mapping of answers", file=source.path, line=1)
    given: dict[str, Any] = {}
    problems: list[Problem] = []
    _collect(library, data, (), given, problems, source)
    if problems:
        raise InputError(problems)
    return Resumed(given, read_comments(source.text, library, wordings))


def _collect(
    library: Library,
    node: dict[Any, Any],
    path: tuple[str, ...],
    given: dict[str, Any],
    problems: list[Problem],
    source: YamlSource,
) -> None:
    for name, value in node.items():
        here = (*path, str(name))
        key = ".".join(here)
        if key in library.params:
            given[key] = value
        elif key in library.groups and isinstance(value, dict):
            _collect(library, value, here, given, problems, source)
        else:
            message = f"'{key}' is not an answer this library asks for"
            problems.append(Problem(message, source.path, source.line_of(here), key))


def read_comments(text: str, library: Library, wordings: list[Wording]) -> Comments:
    """The comments a person wrote in the answers file ``text`` (not those the interview writes)."""
    own = _written_by_interview(library, wordings)
    names = {part for key in library.params for part in key.split(".")}
    top: list[str] = []
    pending: list[str] = []
    above: dict[str, list[str]] = {}
    after: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    seen_key = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            body = stripped.lstrip("#").strip()
            commented = _COMMENTED_KEY.match(body)
            if body in own or body.startswith("yaml-language-server:") or (commented and commented["name"] in names):
                continue
            pending.append(stripped)
            continue
        if not stripped or stripped == "---":
            if not seen_key and pending:
                top.extend(pending)
                pending = []
            continue
        seen_key = True
        found = _KEY.match(line)
        if found and not stripped.startswith("-"):
            indent = len(found["indent"])
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, found["name"].strip().strip("'\"")))
        owner = _owner(library, ".".join(name for _, name in stack))
        if pending:
            above.setdefault(owner, []).extend(pending)
            pending = []
        trailing = _trailing_comment(line)
        if trailing:
            if found and owner == ".".join(name for _, name in stack) and owner not in after:
                after[owner] = trailing
            else:  # inside a list or mapping of one answer: kept above that answer
                above.setdefault(owner, []).append(trailing.strip())
    return Comments(tuple(top), {k: tuple(v) for k, v in above.items()}, after, tuple(pending))


def _owner(library: Library, path: str) -> str:
    """The answer (or group) a line at ``path`` belongs to: the declared key on the way, else the path."""
    parts = path.split(".")
    for n in range(1, len(parts) + 1):
        key = ".".join(parts[:n])
        if key in library.params:
            return key
    return path


def _trailing_comment(line: str) -> str:
    """The ``# …`` after a value on ``line`` (outside quotes), or empty."""
    quote = ""
    for i, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and i and line[i - 1] in " \t":
            return line[len(line[:i].rstrip()) :].rstrip()  # with the spaces before it, as aligned
    return ""


def _written_by_interview(library: Library, wordings: list[Wording]) -> set[str]:
    """Every comment text the interview writes itself, in each of ``wordings`` (help, header)."""
    own: set[str] = set()
    for wording in wordings:
        own.update(line.strip() for line in str(wording.words["header"]).splitlines())
        for key, param in library.params.items():
            own.update(line.strip() for line in wording.help_for(key, param).splitlines())
            for name, spec in param.fields.items():
                own.add(f"{name}: {wording.help_for(f'{key}[].{name}', spec)}".strip())
    return own
