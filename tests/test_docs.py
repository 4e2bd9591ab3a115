"""The documentation tells the truth: the answers reference is generated from the declarations."""

from __future__ import annotations

import pytest

from slagen.docsgen.answers import describe_answers
from slagen.library import Library

from .conftest import ROOT


def test_answers_reference_is_current(library: Library, request: pytest.FixtureRequest) -> None:
    path = ROOT / "docs" / "answers.md"
    expected = describe_answers(library)
    if request.config.getoption("--update-golden"):
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, "run pytest --update-golden and review docs/answers.md"
    for key in library.params:
        assert f"`{key}`" in expected


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines[:12] if line.startswith(("pip ", "python"))]
    assert any("slagen demo -o out/" in line for line in commands)
    assert any("pytest" in line for line in commands)


def test_legal_notes_list_every_finding_of_both_reviews_once() -> None:
    """docs/legal-notes.md: one row per finding id of the two legal reviews (issue 14), each with a status."""
    import re

    text = (ROOT / "docs" / "legal-notes.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ((?:DE|EN)-[MSN]\d+) \| ([^|]+) \|", text, flags=re.MULTILINE)
    ids = [finding for finding, _ in rows]
    counts = {"DE-M": 5, "DE-S": 25, "DE-N": 24, "EN-M": 9, "EN-S": 26, "EN-N": 16}
    expected = [f"{prefix}{n}" for prefix, count in counts.items() for n in range(1, count + 1)]
    assert sorted(ids) == sorted(expected)
    assert all(status.strip() for _, status in rows)
    # every MUST FIX is fixed
    assert {f: s.strip() for f, s in rows if f[3] == "M" and not s.strip().startswith("fixed")} == {}
