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
