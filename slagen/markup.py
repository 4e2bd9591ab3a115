"""Parse the small markup that clause templates produce into document-model blocks.

Takes the text a template rendered and gives the clause title and its blocks. The markup
is a strict subset of CommonMark with GFM tables, parsed by markdown-it-py: one ``##``
heading (the clause title), paragraphs, bullet and numbered lists, ``**strong**`` and
``*emphasis*``, tables, and three kinds of links that carry meaning:
``[…](ref:clause.id)`` (a cross-reference), ``[term](define:id)`` (a defined term,
where it is defined), ``[term](term:id)`` (a use of it) and ``[text](note:…)`` (text with a
percent-encoded note for the legal reviewer). Raw HTML is off, so
``<script>`` in an answer stays text.
"""

from __future__ import annotations

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


def parse_markup(text: str) -> Parsed:
    """Parse ``text`` into (title runs or None, blocks); raise :class:`MarkupError`.

    The result is frozen: the caller's memo (:mod:`slagen.memo`) may give it to every document
    that renders the same text.
    """
    parser = _BlockParser(_PARSER.parse(text))
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
                self.title = _inlines(self._next())
                self._next()
            elif token.type == "paragraph_open":
                blocks.append(Paragraph(_inlines(self._next())))
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
                row.append(_inlines(token))


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


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
            elif runs and isinstance(runs[-1], Text) and (runs[-1].bold, runs[-1].italic) == (bold, italic):
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
        return TermUse(target, text, defining=scheme == "define")
    if scheme == "note" and target:
        return Text(text, bold, italic, note=unquote(target))
    raise MarkupError(
        f"link '{href}' is not a reference (ref:ID), definition (define:ID), term (term:ID) or review note (note:TEXT)",
        line,
    )
