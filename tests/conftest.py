"""Shared fixtures: the bundled library, the demo answers, and temporary answers files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from slagen.library import Library, load_library

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DEMO = EXAMPLES / "telemarketing.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite the golden files from the current output.")


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture
def write_answers(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write answers text to a file in a temporary directory and return its path."""

    def write(text: str, name: str = "answers.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
