"""The documentation tells the truth: the answers reference is generated from the declarations."""

from __future__ import annotations

import pytest

from slagen.describe import describe_answers
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
