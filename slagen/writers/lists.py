"""Lists in a DOCX body: restarts of numbered lists, which items stay on one page; and review comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from slagen.model import Block, ListBlock, Paragraph
from slagen.writers.wordml import comment_xml, restart_xml, w_date


class ListNumbering:
    """Gives each numbered list its own ``w:num`` so that it starts at 1 (numIds as python-docx picks them)."""

    def __init__(self, taken: frozenset[int], abstract: int) -> None:
        self.first_taken = taken
        self.taken = set(taken)
        self.abstract = abstract
        self.next = 1
        self.out: list[str] = []

    def restart(self) -> int:
        """The ``numId`` of a new list that starts at 1."""
        while self.next in self.taken:
            self.next += 1
        self.taken.add(self.next)
        self.out.append(restart_xml(self.next, self.abstract))
        return self.next

    def xml(self) -> bytes:
        """The new ``w:num`` elements."""
        return "".join(self.out).encode()


class Comments:
    """Review comments for the comments part, numbered from ``first``; the body marks where they apply."""

    def __init__(self, first: int, timestamp: dt.datetime) -> None:
        self.first = first
        self.date = w_date(timestamp)
        self.out: list[str] = []

    def add(self, text: str) -> int:
        """The id of a new comment saying ``text``."""
        comment_id = self.first + len(self.out)
        self.out.append(comment_xml(comment_id, text, self.date))
        return comment_id

    def xml(self) -> bytes:
        """The ``w:comment`` elements."""
        return "".join(self.out).encode()


KEPT_TOGETHER = 6
"""The most lines a nested list may have for its item to be kept on one page with it."""


def short_nested(item: Sequence[Block]) -> bool:
    """Whether ``item`` is a paragraph with a short nested list of one-paragraph entries under it."""
    if len(item) != 2 or not isinstance(item[0], Paragraph) or not isinstance(item[1], ListBlock):
        return False
    entries = item[1].items
    return len(entries) <= KEPT_TOGETHER and all(
        len(entry) == 1 and isinstance(entry[0], Paragraph) for entry in entries
    )


SHORT_LIST = 4
"""Lists of at most this many one-paragraph items are kept on one page (with their introduction)."""


def short_list(block: ListBlock) -> bool:
    """Whether ``block`` is a short list of one-paragraph items, which a page break should not part."""
    items = block.items
    return len(items) <= SHORT_LIST and all(len(item) == 1 and isinstance(item[0], Paragraph) for item in items)
