"""Soft hyphens in table cells, so that a long word breaks at a syllable, not letter by letter (review M3).

A document team puts optional hyphens into the long words of a crowded table by hand; slagen does it for
every table cell with the hyphenation dictionaries LibreOffice uses (through ``pyphen``). Word and
LibreOffice show a soft hyphen only where they break the line there (a word that does not fit on the rest of
its line, as automatic hyphenation does in the text), and the layout does not depend on a hyphenation
dictionary being installed with the word processor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from msgspec.structs import replace

from slagen.model import Inline, TermUse, Text
from slagen.typography import typeset_runs

SOFT_HYPHEN = "\u00ad"
HYPHENATED = 12
"""Words of at least this many letters get soft hyphens; the least a column holding them is given."""
_DICTIONARIES = {"de": "de_DE", "en": "en_GB"}
_LONG_WORD = re.compile(rf"[^\W\d_]{{{HYPHENATED},}}")


def can_hyphenate(language: str) -> bool:
    """Whether slagen has a hyphenation dictionary for ``language``."""
    return language in _DICTIONARIES


def hyphenate(text: str, language: str) -> str:
    """``text`` with soft hyphens between the syllables of its long words (not in e-mail addresses or numbers).

    >>> hyphenate("Wiederherstellungszeiten", "de").replace(SOFT_HYPHEN, "-")
    'Wie-der-her-stel-lungs-zei-ten'
    >>> hyphenate("laura.bennett@harbourlane.example", "en") == "laura.bennett@harbourlane.example"
    True
    """
    if language not in _DICTIONARIES or not _LONG_WORD.search(text):
        return text
    dictionary = _dictionary(language)
    pieces = []
    for piece in re.split(r"(\s+)", text):
        if "@" not in piece and not any(char.isdigit() for char in piece):
            piece = _LONG_WORD.sub(lambda word: dictionary.inserted(word.group(0), hyphen=SOFT_HYPHEN), piece)
        pieces.append(piece)
    return "".join(pieces)


def _dictionary(language: str) -> Any:
    """Pyphen for ``language``, its patterns parsed as words need them (:mod:`slagen.writers.hyphendict`).

    The dictionary is opened once per process and kept where pyphen keeps the dictionaries it opens.
    """
    import pyphen

    from slagen.writers.hyphendict import LazyHyphDict

    path = pyphen.LANGUAGES[_DICTIONARIES[language]]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = LazyHyphDict(path)
    return pyphen.Pyphen(filename=path)


def hyphenated(runs: Sequence[Inline], language: str) -> list[Inline]:
    """``runs`` typeset (:func:`slagen.typography.typeset_runs`), with soft hyphens in their long words."""
    out: list[Inline] = []
    for run in typeset_runs(runs, language):
        if isinstance(run, (Text, TermUse)):
            text = hyphenate(run.text, language)
            out.append(run if text == run.text else replace(run, text=text))
        else:
            out.append(run)
    return out
