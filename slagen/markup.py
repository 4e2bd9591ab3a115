"""Parse the small markup that clause templates produce into document-model blocks.

Takes the text a template rendered and gives the clause title and its blocks. The markup
is a strict subset of CommonMark with GFM tables, parsed by markdown-it-py: one ``##``
heading (the clause title), paragraphs, bullet and numbered lists, ``**strong**`` and
``*emphasis*``, tables, and three kinds of links that carry meaning:
``[…](ref:clause.id)`` (a cross-reference), ``[term](define:id)`` (a defined term,
where it is defined), ``[term](term:id)`` (a use of it), ``[text](note:…)`` (text with a
percent-encoded note for the legal reviewer) and, at the start of a paragraph, ``[¶](para:name)``
(an anchor: the text cites this paragraph, so the clause numbers its paragraphs). Raw HTML is off, so
``<script>`` in an answer stays text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from slagen.model import Block, Inline, ListBlock, Paragraph, Ref, Table, TermUse, Text


class MarkupError(ValueError):
    """The markup uses something the document model does not have; ``line`` is 1-based."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _make_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    # Link targets are our own ids (ref:, define:, term:), not URLs: percent-encoding them is wasted work.
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return parser


_PARSER = _make_parser()
"""The CommonMark parser: configuration only, each ``parse`` starts from a fresh state."""

Parsed = tuple[tuple[Inline, ...] | None, tuple[Block, ...]]


def parse_markup(text: str, paragraph: Callable[[str], Parsed | None] | None = None) -> Parsed:
    """Parse ``text`` into (title runs or None, blocks); raise :class:`MarkupError`.

    The result is frozen: the caller's memo (:mod:`slagen.memo`) may give it to every document
    that renders the same text. A text of plain paragraphs is parsed paragraph by paragraph
    (:func:`parse_paragraph`, or ``paragraph``, which the memo keeps by the paragraph's text), so
    that a clause naming each customer (the front matter) parses again only what names it.
    """
    if "\n\n" in text and "]:" not in text and not _NOT_PARAGRAPHS.search(text):
        parsed = _by_paragraphs(text, paragraph or parse_paragraph)
        if parsed is not None:
            return parsed
    parser = _BlockParser(_PARSER.parse(text))
    return parser.title, parser.blocks


_NOT_PARAGRAPHS = re.compile(r"^ {0,3}(?:[-*+] |\d{1,9}[.)] )", re.MULTILINE)
"""A line that starts a list: such a text is parsed whole (a list item may go on after a blank line)."""


def _by_paragraphs(text: str, paragraph: Callable[[str], Parsed | None]) -> Parsed | None:
    """``text`` parsed chunk by chunk between blank lines if each is a paragraph or table (the first may be the title).

    That is the same as parsing it whole: a paragraph and a table end at a blank line and open nothing the next
    chunk could continue, and inline markup does not cross paragraphs, except through link reference
    definitions (``[x]: …``), so a text with ``]:`` is parsed whole. So is one with a problem, whose
    line number only the whole text gives. ``tests/test_markup.py`` compares both ways on generated texts.
    """
    title: tuple[Inline, ...] | None = None
    blocks: list[Block] = []
    for chunk in text.split("\n\n"):
        if not chunk.strip():
            continue
        parsed = paragraph(chunk)
        if parsed is None:
            return None
        if parsed[0] is not None:
            if title is not None or blocks:
                return None
            title = parsed[0]
        blocks += parsed[1]
    return title, tuple(blocks)


def parse_paragraph(chunk: str) -> Parsed | None:
    """``chunk`` parsed alone, if it is one paragraph, one table or a ``##`` title; else None."""
    tokens = _PARSER.parse(chunk)
    shape = [token.type for token in tokens]
    table = shape[:1] == ["table_open"] and shape[-1:] == ["table_close"] and all(t.level for t in tokens[1:-1])
    if (
        not table
        and shape != ["paragraph_open", "inline", "paragraph_close"]
        and (shape != ["heading_open", "inline", "heading_close"] or tokens[0].tag != "h2")
    ):
        return None
    try:
        parser = _BlockParser(tokens)
    except MarkupError:
        return None
    return parser.title, parser.blocks


class _BlockParser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.title: tuple[Inline, ...] | None = None
        self.blocks = self._blocks(until=None)

    def _next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _blocks(self, until: str | None) -> tuple[Block, ...]:
        blocks: list[Block] = []
        while self.pos < len(self.tokens):
            token = self._next()
            if token.type == until:
                return tuple(blocks)
            if token.type == "heading_open":
                line = _line(token)
                if token.tag != "h2" or self.title is not None or until is not None or blocks:
                    raise MarkupError("only one '## title' is allowed, as the first line of a clause", line)
                self.title = _plain(self._next())
                self._next()
            elif token.type == "paragraph_open":
                blocks.append(_paragraph(self._next(), top=until is None))
                self._next()
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                blocks.append(self._list(token))
            elif token.type == "table_open":
                blocks.append(self._table())
            else:
                raise MarkupError(
                    f"'{token.type.removesuffix('_open')}' is not part of the clause markup", _line(token)
                )
        if until is not None:  # pragma: no cover - markdown-it always closes what it opens
            raise MarkupError(f"unclosed {until}")
        return tuple(blocks)

    def _list(self, opener: Token) -> ListBlock:
        close = opener.type.replace("_open", "_close")
        items: list[tuple[Block, ...]] = []
        while True:
            token = self._next()
            if token.type == close:
                return ListBlock(opener.type == "ordered_list_open", tuple(items))
            items.append(self._blocks(until="list_item_close"))

    def _table(self) -> Table:
        header: tuple[tuple[Inline, ...], ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        row: list[tuple[Inline, ...]] = []
        while True:
            token = self._next()
            if token.type == "table_close":
                return Table(header, tuple(rows))
            if token.type == "tr_open":
                row = []
            elif token.type == "tr_close":
                if header:
                    rows.append(tuple(row))
                else:
                    header = tuple(row)
            elif token.type == "inline":
                row.append(_plain(token))


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


_MISPLACED = "a paragraph anchor (paragraph()) stands only at the start of a paragraph of the clause"


class _Anchor(Text, frozen=True):
    """The anchor ``[¶](para:name)`` while a paragraph is parsed (``text`` is the name)."""


def _paragraph(token: Token, *, top: bool) -> Paragraph:
    """A paragraph; one of the clause's own (``top``) may open with an anchor."""
    runs = list(_inlines(token))
    anchor = ""
    if top and runs and isinstance(runs[0], _Anchor):
        anchor = runs.pop(0).text  # type: ignore[union-attr]
        if runs and isinstance(runs[0], Text):
            runs[0] = Text(runs[0].text.lstrip(), runs[0].bold, runs[0].italic, runs[0].note)
    if any(isinstance(run, _Anchor) for run in runs):
        raise MarkupError(_MISPLACED, _line(token))
    return Paragraph(tuple(runs), anchor)


def _plain(token: Token) -> tuple[Inline, ...]:
    """The runs of a title or table cell, where no anchor may stand."""
    runs = _inlines(token)
    if any(isinstance(run, _Anchor) for run in runs):
        raise MarkupError(_MISPLACED, _line(token))
    return runs


def _inlines(token: Token) -> tuple[Inline, ...]:
    runs: list[Inline] = []
    bold = italic = False
    link: Token | None = None
    link_text: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            link, link_text = child, []
        elif kind == "link_close" and link is not None:
            runs.append(_link(str(link.attrGet("href") or ""), "".join(link_text), bold, italic, _line(token)))
            link = None
        elif kind in ("text", "code_inline", "softbreak", "hardbreak"):
            text = " " if kind in ("softbreak", "hardbreak") else child.content
            if link is not None:
                link_text.append(text)
            elif runs and type(runs[-1]) is Text and (runs[-1].bold, runs[-1].italic) == (bold, italic):
                runs[-1] = Text(runs[-1].text + text, bold, italic)
            else:
                runs.append(Text(text, bold, italic))
        else:
            raise MarkupError(f"'{kind}' is not part of the clause markup", _line(token))
    return tuple(runs)


def _link(href: str, text: str, bold: bool, italic: bool, line: int | None) -> Inline:
    scheme, _, target = href.partition(":")
    if scheme == "ref" and target:
        return Ref(target, bold=bold, italic=italic)
    if scheme in ("define", "term") and target:
        return TermUse(target, text, defining=scheme == "define", bold=bold and scheme == "term")
    if scheme == "note" and target:
        return Text(text, bold, italic, note=unquote(target))
    if scheme == "para" and target:
        return _Anchor(target)
    raise MarkupError(
        f"link '{href}' is not a reference (ref:ID), definition (define:ID), term (term:ID), review note (note:TEXT) "
        "or paragraph anchor (para:NAME)",
        line,
    )
