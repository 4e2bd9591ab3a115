"""Tables that read (visual review M4): no row splits across pages; a short table stays on one page."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from slagen.cli import main
from slagen.writers.body import KEEP_TOGETHER_ROWS

from .conftest import EXAMPLES


def _tables(docx: Path) -> list[str]:
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    return re.findall(r"<w:tbl>.*?</w:tbl>", xml)


def test_no_row_splits_and_short_tables_keep_together(tmp_path: Path) -> None:
    for example in ("it-service-multi-level.yaml", "telemarketing-custom.yaml"):
        result = CliRunner().invoke(main, ["build", str(EXAMPLES / example), "-o", str(tmp_path), "--format", "docx"])
        assert result.exit_code == 0, result.output
    tables = [t for docx in sorted(tmp_path.glob("*.docx")) for t in _tables(docx)]
    assert tables
    short = 0
    for table in tables:
        rows = re.findall(r"<w:tr>.*?</w:tr>", table)
        assert all("<w:cantSplit/>" in row for row in rows)  # a row is never cut across a page
        if 'w:tblStyle w:val="SlaTable"' not in table:
            continue  # the signature table keeps all its rows together
        keeps = ["<w:keepNext/>" in row for row in rows]
        if 2 < len(rows) <= KEEP_TOGETHER_ROWS and all(keeps[:-1]):
            short += 1
            assert not keeps[-1]  # the last row lets the text after the table move on
    assert short >= 3  # the deviations annex, the escalation table, ... each stay on one page


def test_a_long_table_breaks_between_rows_and_repeats_its_header(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLES / "it-service-multi-level.yaml"), "-o", str(tmp_path), "--format", "docx"]
    )
    assert result.exit_code == 0, result.output
    long = [t for t in _tables(tmp_path / "it-service-multi-level.de.docx") if t.count("<w:tr>") > KEEP_TOGETHER_ROWS]
    assert long
    for table in long:
        rows = re.findall(r"<w:tr>.*?</w:tr>", table)
        assert "<w:tblHeader/>" in rows[0]
        assert "<w:keepNext/>" in rows[0]  # the header stays with the first row
        assert not all("<w:keepNext/>" in row for row in rows[1:-1])


def test_no_column_is_narrower_than_its_longest_word() -> None:
    """Visual review M3: "Auftragn|ehmer", "privacy@harbourlane.exa|mple" and "+44 161 | 555 0140" no more."""
    from slagen.model import Text
    from slagen.writers.widths import CELL_PADDING, WORD_CHAR_WIDTH, column_widths

    header = [[Text("Partei")], [Text("Rolle")], [Text("Name")], [Text("E-Mail")], [Text("Telefon")]]
    row = [
        [Text("Auftragnehmer")],
        [Text("Datenschutzbeauftragter")],
        [Text("Laura Bennett")],
        [Text("privacy@harbourlane.example")],
        [Text("+44 161 555 0140")],
    ]
    total = 9000  # an A4 page's text width under the clause indent, in twips
    widths = column_widths([header, row], total, "de")
    assert sum(widths) == total
    for width, cell in zip(widths, row, strict=True):
        longest_word = max(len(word) for word in cell[0].text.replace("+44 161 555 0140", "+44_161_555_0140").split())
        if "@" not in cell[0].text:  # the words do not all fit side by side: only the e-mail address breaks,
            # and a long word at its syllables (soft hyphens, slagen.writers.hyphens): 12 letters stay whole
            assert width >= CELL_PADDING + WORD_CHAR_WIDTH * min(longest_word, 12), (cell[0].text, width)


def test_where_words_cannot_fit_side_by_side_the_longest_breaks() -> None:
    from slagen.model import Text
    from slagen.writers.widths import CELL_PADDING, WORD_CHAR_WIDTH, column_widths

    row = [[Text("x" * 60)], [Text("y" * 20)]]
    widths = column_widths([row], 6000)
    assert sum(widths) == 6000
    assert widths[1] == CELL_PADDING + WORD_CHAR_WIDTH * 20  # the shorter word whole
