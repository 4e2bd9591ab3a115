"""The cover's key terms give the last day notice to end the initial term must be received (issue 17, item 4).

One computation (:func:`slagen.dates.notice_deadline`) serves ``slagen dates`` and the cover: the row shows
the same day as ``slagen dates --format json``, in both languages, only where the contract has a notice
period (a stand-alone term that renews unless notice is given), and says that the term clause governs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from babel.dates import format_date
from click.testing import CliRunner

from slagen.cli.group import main
from slagen.dates import notice_deadline, period_law
from slagen.library import Library
from slagen.termdates import term_end

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ROW = {"en": "| Notice to end the initial term |", "de": "zum Ende der ersten Laufzeit |"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def key_terms(markdown: str) -> list[str]:
    """The lines of the key-terms table the contract opens with."""
    lines = markdown.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| Eckdaten") or line.startswith("| Key terms"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    return lines[start:end]


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_the_cover_and_slagen_dates_give_the_same_notice_day(example: str, tmp_path: Path, library: Library) -> None:
    answers = EXAMPLES / f"{example}.yaml"
    code, out, stderr = run("dates", str(answers), "--format", "json", "--until", "2027")
    assert code == 0, stderr
    terms = json.loads(out)["terms"]
    code, _, stderr = run("build", str(answers), "--format", "md", "-o", str(tmp_path))
    assert code == 0, stderr
    for language in ("de", "en"):
        table = key_terms((tmp_path / f"{example}.{language}.md").read_text(encoding="utf-8"))
        rows = [row for row in table if ROW[language] in row]
        if not terms or terms[0]["notice_by"] is None:
            assert rows == [], f"{example}: no notice period, no row"
            continue
        day = dt.date.fromisoformat(terms[0]["notice_by"])
        (row,) = rows
        assert format_date(day, "long", locale=library.locale(language)) in row


def test_the_row_is_worded_as_information_that_the_term_clause_governs(tmp_path: Path) -> None:
    code, _, stderr = run("build", str(EXAMPLES / "it-service.yaml"), "--format", "md", "-o", str(tmp_path))
    assert code == 0, stderr
    english = key_terms((tmp_path / "it-service.en.md").read_text(encoding="utf-8"))
    assert (
        "| Notice to end the initial term | to be received by 28 November 2028 at the latest (calculated for "
        "information from clause 1.5, which alone governs) |"
    ) in english
    german = key_terms((tmp_path / "it-service.de.md").read_text(encoding="utf-8"))
    assert (
        "| Kündigung zum Ende der ersten Laufzeit | muss spätestens am 28. November 2028 zugehen (zur Information "
        "berechnet nach Ziffer 1.5, die allein maßgeblich ist) |"
    ) in german


def test_an_internal_agreement_counts_as_german_law_does(tmp_path: Path) -> None:
    code, _, stderr = run("build", str(EXAMPLES / "it-service-internal.yaml"), "--format", "md", "--lang", "de",
                          "-o", str(tmp_path))  # fmt: skip
    assert code == 0, stderr
    table = key_terms((tmp_path / "it-service-internal.de.md").read_text(encoding="utf-8"))
    assert any(row.startswith("| Beendigungserklärung zum Ende der ersten Laufzeit | muss spätestens am 30. September 2027")
               for row in table)  # fmt: skip


def test_without_renewal_there_is_no_notice_row(tmp_path: Path) -> None:
    text = (EXAMPLES / "it-service.yaml").read_text(encoding="utf-8")
    answers = tmp_path / "fixed.yaml"
    answers.write_text(text.replace("auto_renew: true", "auto_renew: false"), encoding="utf-8")
    code, _, stderr = run("build", str(answers), "--format", "md", "-o", str(tmp_path))
    assert code == 0, stderr
    for language in ("de", "en"):
        table = key_terms((tmp_path / f"fixed.{language}.md").read_text(encoding="utf-8"))
        assert not [row for row in table if ROW[language] in row]


@pytest.mark.parametrize(
    ("law", "expected"),
    [("de", dt.date(2027, 3, 31)), ("en-gb", dt.date(2027, 3, 30)), (None, dt.date(2027, 3, 31))],
)
def test_the_filter_is_the_dates_computation(law: str | None, expected: dt.date) -> None:
    from slagen.filters import FILTERS

    end = term_end(dt.date(2026, 7, 1), 12)  # 30 June 2027
    assert FILTERS["notice_by"](end, 3, law) == notice_deadline(end, 3, period_law(law)) == expected
