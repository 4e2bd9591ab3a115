"""Column widths of a table from its content: no column narrower than its longest word (visual review M3).

A cell's words are what the DOCX writer will not break: runs of text between ordinary spaces, with the
non-breaking spaces of :mod:`slagen.typography` (a phone number, "§ 126b BGB") holding a word together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from slagen.model import Inline, Ref
from slagen.typography import typeset
from slagen.writers.hyphens import HYPHENATED, SOFT_HYPHEN, can_hyphenate, hyphenate

CHAR_WIDTH, CELL_PADDING, SHORT_COLUMN = 100, 260, 24
"""Approximate width of a character of Table Text (9.5 pt Arial) and of a cell's margins, in twips;
columns whose longest cell has at most SHORT_COLUMN characters are kept on one line."""
WORD_CHAR_WIDTH = 112
"""Width of a character of a word that must not break: wider than the average (capitals, bold headers)."""
BREAKING_WIDTH = CELL_PADDING + WORD_CHAR_WIDTH * 6
"""The least a column whose longest word must break still gets."""
_BREAKS = re.compile(r"[ \t\n/-]+")
_SPACES = re.compile(r"[ \t\n]+")


def column_widths(rows: Sequence[Sequence[Sequence[Inline]]], total: int, language: str = "en") -> list[int]:
    """Share ``total`` twips between the columns of a table (rows of cells of inline runs).

    Short columns get what their longest cell needs on one line; long ones share the rest by their
    length, so that a "Target" column does not wrap. Then every column gets at least its longest word,
    taken from the columns that have room to spare. Where the words do not fit side by side, long words
    count as :data:`~slagen.writers.hyphens.HYPHENATED` letters (they break at a soft hyphen); where even
    that does not fit, the shorter ones are kept whole and the longest (an e-mail address) breaks.
    Cross-references do not count.
    """
    columns = max(len(row) for row in rows)
    longest, word, syllables = [0] * columns, [0] * columns, [0] * columns
    for row in rows:
        for index, cell in enumerate(row):
            text = typeset("".join(run.text for run in cell if not isinstance(run, Ref)), language)
            longest[index] = max(longest[index], len(text))
            words = _words(text)
            word[index] = max(word[index], *(len(part) for part in words))
            syllables[index] = max(syllables[index], *(_unhyphenated(part, language) for part in words))
    if sum(CELL_PADDING + WORD_CHAR_WIDTH * length for length in word) > total:
        word = syllables  # the words do not fit side by side: long ones break at a soft hyphen (slagen.writers.hyphens)
    needed = [CELL_PADDING + CHAR_WIDTH * length for length in longest]
    short = [index for index, length in enumerate(longest) if length <= SHORT_COLUMN]
    if len(short) == columns or sum(needed[i] for i in short) > total // 2:
        short = []
    rest = total - sum(needed[i] for i in short)
    weights = {i: max(longest[i], 1) for i in range(columns) if i not in short}
    widths = [needed[i] if i in short else rest * weights[i] // sum(weights.values()) for i in range(columns)]
    widths = _at_least(widths, [CELL_PADDING + WORD_CHAR_WIDTH * length for length in word], total)
    widths[-1] += total - sum(widths)
    return widths


def _words(text: str) -> list[str]:
    """What a line may not break inside: words between spaces, hyphens and slashes; e-mail addresses whole.

    >>> _words("petra.hoffmann@sw-lindenau.example, 0211\u00a04455-310")
    ['petra.hoffmann@sw-lindenau.example,', '0211\xa04455', '310']
    """
    tokens = _SPACES.split(text)  # not at a non-breaking space: "+44\u00a0161\u00a0555\u00a00140" is one word
    return [part for token in tokens for part in ([token] if "@" in token else _BREAKS.split(token))]


def _unhyphenated(word: str, language: str) -> int:
    """The letters of ``word`` that must stay on one line when it may break at its soft hyphens."""
    if can_hyphenate(language) and len(word) > HYPHENATED and word.isalpha():
        pieces = hyphenate(word, language).split(SOFT_HYPHEN)  # a word without syllables ("yyyy…") stays whole
        return min(len(word), max(HYPHENATED, *(len(piece) + 1 for piece in pieces)))
    return len(word)


def _at_least(widths: list[int], floor: list[int], total: int) -> list[int]:
    """``widths`` with each column raised to its ``floor``, the difference taken from those above theirs."""
    if sum(floor) >= total:  # the words do not fit side by side: the shorter ones whole, the longest break
        whole: list[int] = []
        for index in sorted(range(len(floor)), key=lambda i: floor[i]):
            breaking = len(floor) - len(whole) - 1
            if sum(floor[i] for i in whole) + floor[index] + breaking * BREAKING_WIDTH > total:
                break
            whole.append(index)
        rest = [i for i in range(len(floor)) if i not in whole]
        left = total - sum(floor[i] for i in whole)
        share = sum(floor[i] for i in rest)
        return [floor[i] if i in whole else left * floor[i] // share for i in range(len(floor))]
    widths = list(widths)
    for _ in range(len(widths)):
        short = sum(max(f - w, 0) for w, f in zip(widths, floor, strict=True))
        if not short:
            break
        spare = {i: w - f for i, (w, f) in enumerate(zip(widths, floor, strict=True)) if w > f}
        room = sum(spare.values())
        widths = [
            max(w, f) - (short * spare[i] // room if i in spare else 0)
            for i, (w, f) in enumerate(zip(widths, floor, strict=True))
        ]
    return widths
