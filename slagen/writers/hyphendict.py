"""A hyphenation dictionary that parses a pattern only when a word looks it up.

pyphen parses every pattern of a dictionary when it opens it: about 78,000 for German, 0.3–0.8 s here, more
than the rest of a build, while a contract's tables hold a few dozen long words. :class:`LazyHyphDict` reads
the same file (LibreOffice's ``hyph_*.dic``, shipped with pyphen) into its raw lines keyed by their letters and
parses a line with pyphen's own rules the first time a word needs it, so the positions are pyphen's:

>>> import pyphen
>>> path = pyphen.LANGUAGES["de_DE"]
>>> lazy, full = LazyHyphDict(path), pyphen.HyphDict(path)
>>> words = ["wiederherstellungszeiten", "kündigungsrecht", "auftragsverarbeitung"]
>>> [lazy.positions(w) for w in words] == [full.positions(w) for w in words]
True
>>> lazy.maxlen == full.maxlen
True
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyphen

_DIGITS = str.maketrans("", "", "0123456789")
_NONZERO = re.compile(r"[1-9]")


class _Patterns:
    """The dictionary's patterns by their letters, each parsed on its first lookup (pyphen's ``patterns``)."""

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw
        self._parsed: dict[str, tuple[int, tuple[Any, ...]]] = {}

    def get(self, key: str) -> tuple[int, tuple[Any, ...]] | None:
        found = self._parsed.get(key)
        if found is None:
            line = self._raw.get(key)
            if line is None:
                return None
            found = self._parsed[key] = _parse(line)
        return found

    def __len__(self) -> int:
        return len(self._raw)


class LazyHyphDict(pyphen.HyphDict):  # type: ignore[misc]
    """pyphen's ``HyphDict`` for the file at ``path``, its patterns parsed on demand."""

    def __init__(self, path: Path) -> None:  # pyphen's reading, without the parsing
        with path.open("rb") as handle:
            encoding = handle.readline().decode().strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        raw: dict[str, str] = {}
        for line in path.read_text(encoding).split("\n")[1:]:
            line = line.strip()
            if not line or line.startswith(pyphen.ignored):
                continue
            if "^^" in line:
                line = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), line)
            head = line.split("/", 1)[0] if "/" in line and "=" in line else line
            if not _NONZERO.search(head):  # only zeros: pyphen skips the line, an earlier one of its letters stays
                continue
            raw[head.translate(_DIGITS)] = line
        self.patterns = _Patterns(raw)
        self.cache: dict[str, Any] = {}
        self.maxlen = max(len(key) for key in raw)


def _parse(line: str) -> tuple[int, tuple[Any, ...]]:
    """One pattern line as pyphen stores it: the offset of its first value and its values without outer zeros."""
    factory: Any = int
    if "/" in line and "=" in line:
        line, alternative = line.split("/", 1)
        factory = pyphen.AlternativeParser(line, alternative)
    values = tuple(factory(digit or "0") for digit, _ in pyphen.parse(line))
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]
