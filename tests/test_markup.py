"""Unit tests for slagen.markup (clause markup -> document model) and render.escape_markup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from slagen import markup
from slagen.filters import escape_markup
from slagen.markup import MarkupError
from slagen.memo import Memo
from slagen.model import Block, Inline, ListBlock, Paragraph, Ref, Table, TermUse, Text, iter_inlines, plain_text


def listed(value: object) -> object:
    """A parse result with lists for its tuples, so that cases can be written as lists."""
    if isinstance(value, tuple):
        return [listed(item) for item in value]
    if isinstance(value, Paragraph):
        return Paragraph(listed(value.runs))  # type: ignore[arg-type]
    if isinstance(value, ListBlock):
        return ListBlock(value.ordered, listed(value.items))  # type: ignore[arg-type]
    if isinstance(value, Table):
        return Table(listed(value.header), listed(value.rows))  # type: ignore[arg-type]
    return value


def parse_markup(text: str) -> tuple[list[Inline] | None, list[Block]]:
    """``markup.parse_markup``, its tuples as lists."""
    title, blocks = markup.parse_markup(text)
    return (None if title is None else listed(title), listed(blocks))  # type: ignore[return-value]


def tidy(runs: list[Inline]) -> list[Inline]:
    """Runs without the empty text runs markdown-it leaves around emphasis."""
    return [run for run in runs if not (isinstance(run, Text) and run.text == "")]


def body(text: str) -> list[Block]:
    title, blocks = parse_markup(text)
    assert title is None
    return blocks


def only_paragraph(text: str) -> list[Inline]:
    blocks = body(text)
    assert len(blocks) == 1
    assert isinstance(blocks[0], Paragraph)
    return tidy(blocks[0].runs)


def item_texts(block: Block) -> list[str]:
    """Plain text of the first paragraph of every list item."""
    assert isinstance(block, ListBlock)
    texts = []
    for item in block.items:
        assert isinstance(item[0], Paragraph)
        texts.append(plain_text(item[0].runs))
    return texts


# --- title and paragraphs -----------------------------------------------------------


def test_title_and_paragraphs() -> None:
    title, blocks = parse_markup("## Availability\n\nThe service is available.\n\nA second paragraph.\n")
    assert title == [Text("Availability")]
    assert blocks == [
        Paragraph([Text("The service is available.")]),
        Paragraph([Text("A second paragraph.")]),
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("## Title", "Title"),
        ("\n\n## Title\n\nx", "Title"),
        ("##   Spaced title   ", "Spaced title"),
        ("## Title ##", "Title"),
        ("## Über & Ärger", "Über & Ärger"),
        ("Setext title\n---", "Setext title"),  # a setext h2 is an h2 too
    ],
)
def test_title_text(text: str, title: str) -> None:
    runs, _ = parse_markup(text)
    assert runs is not None
    assert plain_text(runs) == title


def test_title_only() -> None:
    assert parse_markup("## Just a title") == ([Text("Just a title")], [])


def test_title_with_emphasis_and_ref() -> None:
    title, _ = parse_markup("## The **service** and [§](ref:a.b)")
    assert title is not None
    assert tidy(title) == [Text("The "), Text("service", bold=True), Text(" and "), Ref("a.b")]


@pytest.mark.parametrize("text", ["", "\n", "\n\n\n"])
def test_empty_text(text: str) -> None:
    assert parse_markup(text) == (None, [])


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("one\ntwo", "one two"),  # soft break
        ("one  \ntwo", "one two"),  # hard break
        ("one\\\ntwo", "one two"),  # hard break with a backslash
        ("a `code` b", "a code b"),  # inline code is plain text
        ("&amp; &lt; &copy;", "& < ©"),  # entities are decoded
        ("~~strike~~", "~~strike~~"),  # no strikethrough
        ("http://example.com", "http://example.com"),  # no linkify
    ],
)
def test_paragraph_plain_text(text: str, plain: str) -> None:
    assert plain_text(only_paragraph(text)) == plain


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("**bold**", [Text("bold", bold=True)]),
        ("__bold__", [Text("bold", bold=True)]),
        ("*it*", [Text("it", italic=True)]),
        ("_it_", [Text("it", italic=True)]),
        ("a **b** c", [Text("a "), Text("b", bold=True), Text(" c")]),
        ("a *b* c", [Text("a "), Text("b", italic=True), Text(" c")]),
        ("***both***", [Text("both", bold=True, italic=True)]),
        (
            "**a *b* c**",
            [Text("a ", bold=True), Text("b", bold=True, italic=True), Text(" c", bold=True)],
        ),
        ("*a **b** c*", [Text("a ", italic=True), Text("b", bold=True, italic=True), Text(" c", italic=True)]),
        ("plain **x** plain **y**", [Text("plain "), Text("x", bold=True), Text(" plain "), Text("y", bold=True)]),
    ],
)
def test_strong_and_emphasis_runs(text: str, runs: list[Inline]) -> None:
    assert only_paragraph(text) == runs


def test_adjacent_text_of_same_style_is_merged() -> None:
    runs = only_paragraph("one\ntwo `three` four")
    assert runs == [Text("one two three four")]


# --- lists --------------------------------------------------------------------------


@pytest.mark.parametrize(("marker", "ordered"), [("-", False), ("*", False), ("+", False), ("1.", True), ("1)", True)])
def test_flat_lists(marker: str, ordered: bool) -> None:
    blocks = body(f"{marker} first\n{marker} second\n{marker} third\n")
    assert len(blocks) == 1
    block = blocks[0]
    assert isinstance(block, ListBlock)
    assert block.ordered is ordered
    assert item_texts(block) == ["first", "second", "third"]


def test_ordered_list_starting_elsewhere_is_still_ordered() -> None:
    (block,) = body("3. c\n4. d\n")
    assert isinstance(block, ListBlock)
    assert block.ordered
    assert item_texts(block) == ["c", "d"]


def test_nested_lists() -> None:
    (outer,) = body("- a\n- b\n  1. b1\n  2. b2\n     - deep\n- c\n")
    assert isinstance(outer, ListBlock)
    assert not outer.ordered
    assert item_texts(outer) == ["a", "b", "c"]
    b_item = outer.items[1]
    assert len(b_item) == 2
    inner = b_item[1]
    assert isinstance(inner, ListBlock)
    assert inner.ordered
    assert item_texts(inner) == ["b1", "b2"]
    deepest = inner.items[1][1]
    assert isinstance(deepest, ListBlock)
    assert not deepest.ordered
    assert item_texts(deepest) == ["deep"]


def test_list_item_with_several_paragraphs() -> None:
    (block,) = body("- first\n\n  continued\n- second\n")
    assert isinstance(block, ListBlock)
    assert block.items[0] == [Paragraph([Text("first")]), Paragraph([Text("continued")])]
    assert block.items[1] == [Paragraph([Text("second")])]


def test_list_item_with_emphasis_and_links() -> None:
    (block,) = body("- **Availability** per [§](ref:levels.availability)\n- [Service](term:service)\n")
    assert isinstance(block, ListBlock)
    first = block.items[0][0]
    second = block.items[1][0]
    assert isinstance(first, Paragraph)
    assert isinstance(second, Paragraph)
    assert tidy(first.runs) == [Text("Availability", bold=True), Text(" per "), Ref("levels.availability")]
    assert second.runs == [TermUse("service", "Service")]


def test_blocks_in_order() -> None:
    blocks = body("Intro.\n\n- a\n- b\n\n1. x\n\n| H |\n|---|\n| c |\n\nOutro.\n")
    assert [type(b) for b in blocks] == [Paragraph, ListBlock, ListBlock, Table, Paragraph]


# --- tables -------------------------------------------------------------------------


def test_table_header_and_rows() -> None:
    (table,) = body(
        "| KPI | Target |\n|---|---:|\n| Availability | **99.9 %** |\n| Response | see [§](ref:levels.response) |\n"
    )
    assert isinstance(table, Table)
    assert table.header == [[Text("KPI")], [Text("Target")]]
    assert len(table.rows) == 2
    assert table.rows[0][0] == [Text("Availability")]
    assert tidy(table.rows[0][1]) == [Text("99.9 %", bold=True)]
    assert table.rows[1][1] == [Text("see "), Ref("levels.response")]


def test_table_without_rows() -> None:
    (table,) = body("| A | B |\n|---|---|\n")
    assert isinstance(table, Table)
    assert table.header == [[Text("A")], [Text("B")]]
    assert table.rows == []


def test_table_short_row_gets_empty_cells() -> None:
    (table,) = body("| A | B |\n|---|---|\n| 1 |\n")
    assert isinstance(table, Table)
    assert table.rows == [[[Text("1")], []]]


def test_table_escaped_pipe_stays_in_cell() -> None:
    (table,) = body("| A |\n|---|\n| x \\| y |\n")
    assert isinstance(table, Table)
    assert table.rows == [[[Text("x | y")]]]


def test_iter_inlines_covers_lists_and_tables() -> None:
    blocks = body("P [§](ref:p)\n\n- L [§](ref:l)\n  - N [§](ref:n)\n\n| H [§](ref:h) |\n|---|\n| C [§](ref:c) |\n")
    refs = [run.target for run in iter_inlines(blocks) if isinstance(run, Ref)]
    assert refs == ["p", "l", "n", "h", "c"]


# --- links --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("[§](ref:a.b)", Ref("a.b")),
        ("[anything](ref:section)", Ref("section")),
        ("**[§](ref:a.b)**", Ref("a.b", bold=True)),
        ("*[§](ref:a.b)*", Ref("a.b", italic=True)),
        ('[§](ref:a.b "title")', Ref("a.b")),
        ("[§][r]\n\n[r]: ref:x.y", Ref("x.y")),
        ("[Service](define:service)", TermUse("service", "Service", defining=True)),
        ("[the Service](term:service)", TermUse("service", "the Service", defining=False)),
        ("[**Service**](term:service)", TermUse("service", "Service", defining=False)),
        ("[Leistungs\u00adschein](define:sow)", TermUse("sow", "Leistungs\u00adschein", defining=True)),
    ],
)
def test_meaningful_links(text: str, run: Inline) -> None:
    assert only_paragraph(text) == [run]


def test_ref_shows_its_number_from_the_document_numbers() -> None:
    (run,) = only_paragraph("[§](ref:a.b)")
    assert isinstance(run, Ref)
    assert plain_text([Text("see "), run]) == "see "
    assert plain_text([Text("see "), run], {"a.b": "3.2"}) == "see 3.2"


def test_a_parse_result_cannot_be_changed() -> None:
    # it may be shared by every document that renders the same text (slagen.memo)
    title, blocks = markup.parse_markup("## Title\n\nSame text with [§](ref:a.b).\n\n- a\n- b")
    assert isinstance(title, tuple)
    assert isinstance(blocks, tuple)
    paragraph, items = blocks
    assert isinstance(paragraph, Paragraph)
    assert isinstance(paragraph.runs, tuple)
    with pytest.raises(AttributeError):
        paragraph.runs[0].text = "changed"  # type: ignore[misc, union-attr]
    with pytest.raises(AttributeError):
        paragraph.runs = ()  # type: ignore[misc]
    assert isinstance(items, ListBlock)
    assert all(isinstance(item, tuple) for item in items.items)


def test_links_among_text() -> None:
    runs = only_paragraph("The [Provider](define:provider) keeps [§](ref:x) for the [Customer](term:customer).")
    assert runs == [
        Text("The "),
        TermUse("provider", "Provider", defining=True),
        Text(" keeps "),
        Ref("x"),
        Text(" for the "),
        TermUse("customer", "Customer"),
        Text("."),
    ]


@pytest.mark.parametrize(
    "href",
    [
        "https://example.com",
        "http://x",
        "mailto:a@example.com",
        "#anchor",
        "relative/path",
        "ref:",
        "define:",
        "term:",
        "REF:a",
    ],
)
def test_other_links_are_refused(href: str) -> None:
    with pytest.raises(MarkupError) as exc:
        parse_markup(f"Intro\n\nSee [x]({href}) here.")
    assert str(exc.value) == (
        f"link '{href}' is not a reference (ref:ID), definition (define:ID), term (term:ID), review note (note:TEXT) "
        "or paragraph anchor (para:NAME)"
    )
    assert exc.value.line == 3


def test_javascript_link_is_not_a_link_at_all() -> None:
    # markdown-it refuses to link javascript: URLs, so the whole thing stays literal text
    assert plain_text(only_paragraph("See [x](javascript:alert(1)) here.")) == "See [x](javascript:alert(1)) here."


def test_autolink_is_refused() -> None:
    with pytest.raises(MarkupError, match=r"link 'https://x\.y' is not a reference"):
        parse_markup("<https://x.y>")


def test_link_in_table_cell_names_its_line() -> None:
    with pytest.raises(MarkupError) as exc:
        parse_markup("p\n\n| A |\n|---|\n| 1 |\n| [x](http://e) |\n")
    assert exc.value.line == 6


# --- refused structure --------------------------------------------------------------

HEADING = "only one '## title' is allowed, as the first line of a clause"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("## A\n\n## B", 3),
        ("## A\n\ntext\n\n## B", 5),
        ("### Sub", 1),
        ("## A\n\n### Sub", 3),
        ("# Top", 1),
        ("#### Deep", 1),
        ("Paragraph first\n\n## Late title", 3),
        ("Setext\n======", 1),
        ("- item\n\n  ## in a list", 3),
    ],
)
def test_headings_other_than_one_leading_h2_are_refused(text: str, line: int) -> None:
    with pytest.raises(MarkupError) as exc:
        parse_markup(text)
    assert str(exc.value) == HEADING
    assert exc.value.line == line


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("```\ncode\n```", "fence", 1),
        ("~~~\ncode\n~~~", "fence", 1),
        ("Intro\n\n    indented code", "code_block", 3),
        ("> quoted", "blockquote", 1),
        ("Intro\n\n> quoted", "blockquote", 3),
        ("- item\n\n  > quoted in a list", "blockquote", 3),
        ("---", "hr", 1),
        ("Intro\n\n***", "hr", 3),
    ],
)
def test_other_blocks_are_refused(text: str, kind: str, line: int) -> None:
    with pytest.raises(MarkupError) as exc:
        parse_markup(text)
    assert str(exc.value) == f"'{kind}' is not part of the clause markup"
    assert exc.value.line == line


def test_image_is_refused() -> None:
    with pytest.raises(MarkupError, match=r"^'image' is not part of the clause markup$"):
        parse_markup("Logo ![alt](logo.png)")


def test_markup_error_is_a_value_error() -> None:
    error = MarkupError("boom", 7)
    assert isinstance(error, ValueError)
    assert error.line == 7
    assert MarkupError("boom").line is None


# --- raw HTML stays text ------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<b>bold</b>",
        "<img src=x onerror=alert(1)>",
        "<!-- comment -->",
        "<a href='http://x'>x</a>",
    ],
)
def test_raw_html_stays_literal_inline(html: str) -> None:
    assert plain_text(only_paragraph(f"Text {html} more")) == f"Text {html} more"


def test_raw_html_block_stays_literal() -> None:
    blocks = body("Intro\n\n<script>\nalert(1)\n</script>\n\nOutro")
    assert len(blocks) == 3
    assert all(isinstance(b, Paragraph) for b in blocks)
    middle = blocks[1]
    assert isinstance(middle, Paragraph)
    assert plain_text(middle.runs) == "<script> alert(1) </script>"


# --- escape_markup ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain words", "plain words"),
        ("**x**", "\\*\\*x\\*\\*"),
        ("a|b", "a\\|b"),
        ("{{ x }}", "\\{\\{ x \\}\\}"),
        ("<x>", "\\<x\\>"),
        ("a & b", "a \\& b"),
        ("1. x", "1\\. x"),
        ("# h", "\\# h"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two lines"),
        ("a\n\nb", "a  b"),
        (42, "42"),
        ("ä ö ü ß €", "ä ö ü ß €"),
    ],
)
def test_escape_markup_output(value: object, escaped: str) -> None:
    result = escape_markup(value)
    assert isinstance(result, Markup)
    assert str(result) == escaped


def test_escape_markup_passes_markup_unchanged() -> None:
    already = Markup("[§](ref:a.b)")
    assert escape_markup(already) is already


TRICKY = [
    "**x**",
    "__x__",
    "*x*",
    "_x_",
    "a|b",
    "| a | b |",
    "{{ x }}",
    "{% raw %}",
    "{# comment #}",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "<!-- c -->",
    "[link](http://x)",
    "[§](ref:a.b)",
    "[x](define:y)",
    "![img](x.png)",
    "<http://x.y>",
    "http://x.y",
    "# not a heading",
    "## not a title",
    "1. not a list",
    "1) not a list",
    "12345678. x",
    "- not a list",
    "+ not a list",
    "* not a list",
    "> not a quote",
    "---",
    "***",
    "```",
    "~~~",
    "`tick`",
    "~~strike~~",
    "&amp;",
    "&copy; &#65; &#x41;",
    "a & b",
    "back\\slash",
    "\\",
    "\\\\",
    "ends with \\",
    "a\\*b",
    "emoji 😀🎉 👩‍👩‍👧 🇩🇪",
    "مرحبا بالعالم",
    "שלום עולם",
    "mixed English עברית العربية",
    "\u202eRTL override",
    "e\u0301 a\u0308o\u0308 n\u0303",
    "zero\u200bwidth",
    "nbsp\u00a0inside",
    "line one\nline two",
    "para\n\npara",
    "99.9 %",
    "2027-01-01",
    "x_y_z",
    "snake_case_name",
    "!bang",
    "@mention #tag",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "a<b>c",
    "\"quotes\" 'single'",
    "^caret =equals $dollar %percent",
    "[x]: http://y",
    "- [ ] task",
    "tab\tinside",
]


def _expected_plain(value: str) -> str:
    return value.replace("\n", " ")


@pytest.mark.parametrize("value", TRICKY)
def test_escaped_value_round_trips_inside_a_paragraph(value: str) -> None:
    text = "Before " + str(escape_markup(value)) + " after"
    title, blocks = parse_markup(text)
    assert title is None
    assert len(blocks) == 1
    assert isinstance(blocks[0], Paragraph)
    runs = blocks[0].runs
    assert all(isinstance(run, Text) and not run.bold and not run.italic for run in runs)
    assert plain_text(runs) == "Before " + _expected_plain(value) + " after"


@pytest.mark.parametrize("value", TRICKY)
def test_escaped_value_round_trips_on_its_own(value: str) -> None:
    title, blocks = parse_markup(str(escape_markup(value)))
    assert title is None
    assert len(blocks) == 1
    assert isinstance(blocks[0], Paragraph)
    assert all(isinstance(run, Text) and not run.bold and not run.italic for run in blocks[0].runs)
    assert plain_text(blocks[0].runs) == _expected_plain(value)


@pytest.mark.parametrize("value", TRICKY)
def test_escaped_value_round_trips_in_a_list_item_and_table_cell(value: str) -> None:
    escaped = str(escape_markup(value))
    (block,) = body(f"- {escaped}\n")
    assert isinstance(block, ListBlock)
    assert len(block.items) == 1
    (paragraph,) = block.items[0]
    assert isinstance(paragraph, Paragraph)
    assert plain_text(paragraph.runs) == _expected_plain(value)

    (table,) = body(f"| Value |\n|---|\n| {escaped} |\n")
    assert isinstance(table, Table)
    assert len(table.rows) == 1
    assert len(table.rows[0]) == 1
    assert plain_text(table.rows[0][0]) == _expected_plain(value).strip()


@pytest.mark.parametrize("value", ["  leading", "trailing  ", "\u00a0nbsp first"])
def test_edge_whitespace_only_survives_inside_a_paragraph(value: str) -> None:
    # Markdown trims a paragraph's outer whitespace; answers are stripped before they get here.
    assert plain_text(only_paragraph("Before " + str(escape_markup(value)) + " after")) == f"Before {value} after"
    assert plain_text(only_paragraph(str(escape_markup(value)))) == value.strip()


@pytest.mark.parametrize("value", ["=", "===", "=========="])
def test_escaped_value_at_line_start_after_text(value: str) -> None:
    blocks = body("The contact is:\n" + str(escape_markup(value)))
    assert len(blocks) == 1
    assert isinstance(blocks[0], Paragraph)
    assert plain_text(blocks[0].runs) == "The contact is: " + value


@pytest.mark.parametrize("value", ["-", "---", "- x", "# x", "1. x", "> x", "+ x", "* x", "```", "= total"])
def test_escaped_value_at_line_start_after_text_other_markers(value: str) -> None:
    blocks = body("The contact is:\n" + str(escape_markup(value)))
    assert len(blocks) == 1
    assert isinstance(blocks[0], Paragraph)
    assert plain_text(blocks[0].runs) == "The contact is: " + value


# --- parsing paragraph by paragraph is parsing the whole text ----------------------


def parsed_whole(text: str) -> object:
    """What markdown-it gives for ``text`` parsed in one piece: (title, blocks), or the error and its line."""
    try:
        parser = markup._BlockParser(markup._PARSER.parse(text))
    except MarkupError as exc:
        return ("error", str(exc), exc.line)
    return parser.title, parser.blocks


def parsed(text: str, memo: Memo | None = None) -> object:
    try:
        return memo.parse(text) if memo is not None else markup.parse_markup(text)
    except MarkupError as exc:
        return ("error", str(exc), exc.line)


PARAGRAPH_CASES = [
    "## Title\n\nFirst **bold\n\nstill** second.\n\nThird [§](ref:a.b) and [x](term:y).",
    "- loose\n\n- list",
    "1. one\n\n2. two\n\n   continued",
    "Para\n\n    indented code",
    "Title\n---\n\nbody",
    "[x]: ref:a.b\n\nSee [x].",
    "See [x].\n\n[x]: ref:a.b",
    "[x]: ref:a.b\nFirst.\n\nSee [x].",
    "Para\n\n## Late title",
    "## One\n\n## Two",
    "a\n \nb",
    "Para\n\n> quote",
    "| A | B |\n|---|---|\n| 1 | 2 |\n\nAfter.",
    "Para\n\n```\ncode\n\nmore\n```",
    "Text *open\n\nclose* here",
    "\n\n\nLeading blank lines\n\n\n\nand many\n\n",
    "Line with hard break  \n\nnext",
    "Para\n\n<div>html</div>",
    "a\n\n[bad](http://x)",
]


@pytest.mark.parametrize("text", PARAGRAPH_CASES)
def test_paragraphs_parse_as_the_whole_text(text: str) -> None:
    memo = Memo(check_every=0)
    assert parsed(text) == parsed_whole(text)
    assert parsed(text, memo) == parsed_whole(text)
    assert parsed(text, memo) == parsed_whole(text)  # the second time from the memo


@given(
    st.lists(
        st.sampled_from(
            [
                *("\n", "\n\n", " ", "    ", "- ", "1. ", "## ", "> ", "|", "---", "**", "*", "[x]", "(ref:a)"),
                *("(term:t)", "]: ", "word", "Wort", "\\", "`", "<b>", "===", "```"),
            ]
        ),
        max_size=30,
    ).map("".join)
)
@settings(max_examples=300, derandomize=True, database=None)
def test_any_text_parses_paragraph_by_paragraph_as_whole(text: str) -> None:
    assert parsed(text) == parsed_whole(text)
