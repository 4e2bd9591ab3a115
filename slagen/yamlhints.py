"""Plain words for the YAML mistakes people make: tabs, indentation, a missing space after a colon.

PyYAML reports where its parser gave up, in its own terms ("did not find expected key", "mapping
values are not allowed here"), often on the line after the mistake. When it gives up, :func:`explain`
reads the lines up to that point as a person would and names the line that is wrong and why. It
knows the block style that answers files use (keys, ``- `` list entries, comments, ``|`` and ``>``
texts); anything else it leaves to PyYAML's message.
"""

from __future__ import annotations

import re

from msgspec import Struct

_KEY = re.compile(r"""^(?P<key>[^\s#'"{}\[\],&*!|>%@`-][^:#]*?|'[^']*'|"[^"]*")\s*:(?:\s+(?P<value>.*))?$""")
_BLOCK_TEXT = re.compile(r"[|>][-+0-9]*$")
_OPENS = re.compile(r"^(?:[&!]\S*)?$")
"""A value that leaves the key's block to the next lines: none, or only an anchor or a tag."""
NEAR = 3
"""How many lines before the parser's stop a mistake may be and still be the reason it stopped."""


class _Line(Struct, frozen=True):
    number: int
    indent: int
    content: str


def explain(text: str, last_line: int) -> tuple[int, str] | None:
    """The line and plain message of the first mistake in ``text`` up to ``last_line`` (1-based), if one is clear."""
    lines = text.splitlines()[:last_line]
    for number, line in enumerate(lines, start=1):
        leading = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in leading:
            return number, "a tab is used for indentation; YAML indents with spaces only: replace the tab by spaces"
    found = _indentation(_significant(lines))
    # a mistake far above where the parser stopped is not why it stopped (plain text may go on over lines)
    return found if found is not None and found[0] >= last_line - NEAR else None


def _significant(lines: list[str]) -> list[_Line]:
    """The lines that carry YAML structure: no blank lines, comments or the lines of a ``|``/``>`` text."""
    found: list[_Line] = []
    text_above: int | None = None  # indentation of the key whose block text is being read
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if text_above is not None:
            if not stripped or indent > text_above:
                continue
            text_above = None
        if not stripped or stripped.startswith("#") or stripped in {"---", "..."}:
            continue
        content = _without_comment(stripped)
        found.append(_Line(number, indent, content))
        if _BLOCK_TEXT.search(content) and ":" in content:
            text_above = indent
    return found


def _without_comment(content: str) -> str:
    """``content`` without a trailing `` # comment`` outside quotes."""
    quote = ""
    for index, char in enumerate(content):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and index > 0 and content[index - 1] == " ":
            return content[:index].rstrip()
    return content


def _indentation(lines: list[_Line]) -> tuple[int, str] | None:
    """The first line whose indentation, or whose shape, does not fit the lines before it."""
    levels: list[int] = []  # indentation of the open blocks, innermost last
    previous: _Line | None = None
    earlier: _Line | None = None  # the line before the previous one
    opens = False  # whether the previous line starts a block (a key without a value on its line)
    for line in lines:
        name = _name(line.content)
        if previous is None:
            levels = [line.indent]
        elif opens and (line.indent > previous.indent or (line.indent == previous.indent and line.content[0] == "-")):
            levels.append(line.indent)  # the first line of the block the previous key opens
        elif line.indent > levels[-1]:
            if earlier is not None and earlier.indent == line.indent > previous.indent:  # one line out of step
                return previous.number, (
                    f"{_name(previous.content)} is indented less than the lines around it (lines {earlier.number} and "
                    f"{line.number}): indent it like them if it belongs with them"
                )
            return line.number, (
                f"{name} is indented more than {_name(previous.content)} on line {previous.number}, which has a "
                "value of its own: check the indentation of both lines"
            )
        elif line.indent not in levels:
            return line.number, (
                f"{name} is indented less than the line before it but lines up with no key above it: "
                "indent it exactly like the keys it belongs with"
            )
        else:
            while levels[-1] > line.indent:
                levels.pop()
        content = line.content
        if content.startswith("- "):  # a list entry: the keys of its mapping line up after the dash
            inner = content[1:].lstrip(" ")
            if _KEY.match(inner):
                levels.append(line.indent + len(content) - len(inner))
            content = inner
        shape = _shape_problem(content)
        if shape:
            return line.number, shape
        match = _KEY.match(content)
        opens = match is not None and bool(_OPENS.match(match.group("value") or ""))
        earlier, previous = previous, line
    return None


def _name(content: str) -> str:
    """How a message names a line: ``the key 'tier'`` or ``the line 'tier:professional'``."""
    inner = content.lstrip("- ").strip()
    match = _KEY.match(inner)
    return f"the key '{match.group('key').strip()}'" if match else f"the line '{inner[:40]}'"


def _shape_problem(content: str) -> str | None:
    """A line that is neither a key, a list entry nor part of a value written over several lines."""
    if not content or content.startswith(("{", "[", "'", '"')):
        return None
    match = _KEY.match(content)
    if match is None:
        if re.match(r"^[\w.-]+:\S", content):
            key, _, value = content.partition(":")
            return f"'{content[:40]}' needs a space after the colon: write '{key}: {value}'"
        return None
    value = match.group("value") or ""
    if value and not value.startswith(("'", '"', "[", "{")) and re.search(r":\s", value):
        key = match.group("key").strip()
        return f"the value of '{key}' contains ': ', which YAML reads as a key; quote the value: {key}: \"{value}\""
    return None
