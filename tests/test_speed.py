"""What the memo gives again since the speed work of issue 13 (items 8 and 9), and that it changes no byte.

- the DOCX writer's sections and contents, the Markdown writer's sections, a clause's numbered paragraphs
  (:mod:`slagen.writers.reuse`, :meth:`slagen.memo.Memo.written_all`): given again for the same frozen parts
  and state, never with review comments; documents byte for byte the same with and without the memo;
- the front matter parsed table by table and paragraph by paragraph (:func:`slagen.markup.parse_markup`):
  the same as parsing it whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from slagen import markup
from slagen.errors import TemplateError
from slagen.generate import Output, check_answers, generate
from slagen.library import Library
from slagen.markup import MarkupError
from slagen.memo import Memo, ReuseMismatch
from slagen.model import Paragraph, Text
from slagen.numbering import numbered_paragraphs
from slagen.writers import body
from slagen.writers.reuse import Effects

from .conftest import EXAMPLES, example_with
from .test_markup import parsed_whole

# --- the front matter: tables and paragraphs parsed one by one --------------------------------


def parsed_in_chunks(text: str) -> tuple[object, int]:
    """The parse of ``text`` as slagen does it, and how many chunks were parsed alone."""
    chunks = []

    def paragraph(chunk: str) -> markup.Parsed | None:
        chunks.append(chunk)
        return markup.parse_paragraph(chunk)

    try:
        return markup.parse_markup(text, paragraph), len(chunks)
    except MarkupError as exc:
        return ("error", str(exc), exc.line), len(chunks)


KEY_TERMS = (
    "| Eckdaten | |\n|---|---|\n| Auftragnehmer | Nordlicht GmbH |\n| Auftraggeber | Kunde 7 GmbH |\n"
    "| Leistungsstufe | Professional |"
)
TABLE_CASES = [
    f"{KEY_TERMS}\n\nZwischen\n\n**Nordlicht GmbH**, Hamburg\n– nachstehend [Auftragnehmer](define:provider) –",
    f"## Title\n\n{KEY_TERMS}\n\nAfter the table.",
    "| A | B |\n|---|---|\n| 1 | 2 |\nlazy line\n\nnext",  # a line without pipes goes on as a row
    "| A | B |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n\nrows with fewer and more cells",
    "| A | B |\n|:--|--:|\n| x \\| y | [§](ref:a.b) |\n\n| C |\n|---|\n| **z** |",
    "Para\n| A | B |\n|---|---|\n| 1 | 2 |",  # a table right under a paragraph: one chunk, two blocks
    "| A | B |\n|---|---|\n| 1 | 2 |\n> quote\n\nafter",
    "| A | B |\n|---|---|\n| 1 | 2 |\n- item\n\nafter",
    "| A | B |\n|---|\n| 1 | 2 |\n\nnot a table: the delimiter row has another count",
    "| A | B |\n|---|---|\n\n    | indented | table |\n    |---|---|",
    "| A | B |\n|---|---|\n| [x](javascript:alert(1)) | <b>raw</b> |\n\n[x]: ref:a",
    f"{KEY_TERMS}\n\n## Late title",
]


@pytest.mark.parametrize("text", TABLE_CASES)
def test_a_text_with_tables_parses_table_by_table_as_whole(text: str) -> None:
    assert parsed_in_chunks(text)[0] == parsed_whole(text)


def test_the_key_terms_table_is_parsed_alone_and_kept_by_its_text() -> None:
    text = TABLE_CASES[0]
    result, chunks = parsed_in_chunks(text)
    assert chunks == 3  # the table, "Zwischen" and the party, each alone; nothing parsed whole
    title, blocks = result  # type: ignore[misc]
    assert title is None
    assert type(blocks[0]).__name__ == "Table"
    memo = Memo(check_every=0)
    first = memo.parse(text)
    again = memo.parse(text.replace("Kunde 7", "Kunde 8"))
    assert first[1][1] is again[1][1]
    assert first[1][2] is again[1][2]
    assert first[1][0] is not again[1][0]  # the table names the customer


CELLS = st.sampled_from(["a", "Wort", "**b**", "\\|", "[§](ref:x.y)", "", " ", "`c`", "[t](term:t)"])
ROWS = st.lists(CELLS, min_size=1, max_size=3).map(lambda cells: "| " + " | ".join(cells) + " |")
TABLES = st.builds(
    lambda header, delimiter, rows: "\n".join([header, delimiter, *rows]),
    ROWS,
    st.sampled_from(["|---|---|", "|---|", "|:--|--:|---|", "---|---", "| - | - |"]),
    st.lists(st.one_of(ROWS, st.sampled_from(["lazy", "> q", "- i", "    code", "## h"])), max_size=4),
)
PIECES = st.one_of(TABLES, st.sampled_from(["## Title", "Para **x**", "Zwischen", "1. one", "[x]: ref:a", "---"]))


@given(st.lists(st.tuples(PIECES, st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"])), min_size=1, max_size=5))
@settings(max_examples=300, derandomize=True, database=None)
def test_any_text_of_tables_parses_chunk_by_chunk_as_whole(pieces: list[tuple[str, str]]) -> None:
    text = "".join(piece + gap for piece, gap in pieces)
    assert parsed_in_chunks(text)[0] == parsed_whole(text)


# --- numbered paragraphs -------------------------------------------------------------------


def test_numbered_paragraphs_number_each_paragraph_and_name_the_anchors() -> None:
    blocks = (Paragraph((Text("One"),)), Paragraph((Text("Two"),), anchor="two"), Paragraph((Text("Three"),)))
    numbered, anchors = numbered_paragraphs(blocks, "legal.x")
    assert [block.number for block in numbered if isinstance(block, Paragraph)] == ["1", "2", "3"]
    assert anchors == (("legal.x#two", "2"),)
    twice = (*blocks, Paragraph((Text("Again"),), anchor="two"))
    with pytest.raises(TemplateError, match=r"marks two paragraphs as paragraph\('two'\)"):
        numbered_paragraphs(twice, "legal.x")


# --- the writers' sections and contents, given again -----------------------------------------


def build(paths: list[Path], library: Library, memo: Memo, review: Callable[[int], bool]) -> list[list[Output]]:
    built = []
    for index, path in enumerate(paths):
        answers = check_answers(path, library, memo)
        built.append(generate(answers, library, memo=memo, review=review(index)))
    return built


def rows(tmp_path: Path) -> list[Path]:
    """A batch's answers: tiers, customers, languages, laws and kinds changing (sections move, numbers shift)."""
    paths = []
    changes: list[dict[str, Any]] = [
        {"service.tier": "basic"},
        {"service.tier": "premium", "parties.customer.name": "Zweite GmbH"},
        {"service.tier": "basic", "languages": ["en"]},
        {"service.tier": "professional", "agreement.effective_date": dt.date(2027, 3, 1)},
        {"service.tier": "basic", "parties.customer.name": "Dritte AG"},
    ]
    for index, change in enumerate(changes * 2):
        data = example_with(EXAMPLES / "telemarketing.yaml", change)
        path = tmp_path / f"row{index}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths + sorted(EXAMPLES.glob("*.yaml"))


def test_sections_given_again_make_the_same_bytes(tmp_path: Path, library: Library) -> None:
    paths = rows(tmp_path)
    memo = Memo(check_every=0)
    review = lambda index: index % 4 == 3  # noqa: E731 - review comments: nothing of the body is given again
    reused = build(paths, library, memo, review)
    fresh = build(paths, library, Memo(reuse=False), review)
    for path, with_memo, without in zip(paths, reused, fresh, strict=True):
        assert [o.name for o in with_memo] == [o.name for o in without]
        for one, other in zip(with_memo, without, strict=True):
            assert one.data == other.data, f"{path.name}: {one.name} differs with the memo"
    kinds = {key[0] for key in memo._written._entries}
    assert {"docx section", "docx contents", "markdown section", "numbered paragraphs"} <= kinds


def test_a_section_seen_before_is_not_written_again(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    written: list[str] = []
    section = body.BodyWriter._section

    def counted(self: body.BodyWriter, part: Any) -> None:
        written.append(part.id)
        section(self, part)

    monkeypatch.setattr(body.BodyWriter, "_section", counted)
    memo = Memo(check_every=0)
    answers = check_answers(EXAMPLES / "telemarketing.yaml", library, memo)
    generate(answers, library, memo=memo, formats=("docx",))
    first = len(written)
    assert first >= 8  # every section of both languages
    generate(answers, library, memo=memo, formats=("docx",))
    assert len(written) == first  # all given again
    generate(answers, library, memo=memo, formats=("docx",), review=True)
    assert len(written) == 2 * first  # with review comments, all written afresh


def test_a_kept_section_that_differs_from_a_fresh_one_stops_the_run(library: Library) -> None:
    memo = Memo(check_every=1)
    answers = check_answers(EXAMPLES / "telemarketing.yaml", library, memo)
    generate(answers, library, memo=memo, formats=("docx",))
    entries = memo._written._entries
    for key, (parts, value) in list(entries.items()):
        if key[0] == "docx section" and isinstance(value, Effects):
            entries[key] = (parts, replace(value, xml=value.xml + "<w:p/>"))
    with pytest.raises(ReuseMismatch, match="docx section"):
        generate(answers, library, memo=memo, formats=("docx",))
