"""Shared fixtures: the bundled library, the demo answers, and temporary answers files."""

from __future__ import annotations

import contextlib
import copy
import os
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from slagen.library import Library, load_library

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DEMO = EXAMPLES / "telemarketing.yaml"

# `slagen build` lays the DOCX out with LibreOffice when it is installed (seconds per build): tests ask for it
# with --layout where they test it (tests/test_toc.py), the others build as on a machine without LibreOffice.
os.environ.setdefault("SLAGEN_LAYOUT", "0")

# Property-based tests (tests/test_fuzz.py): a bounded, reproducible run by default (CI), a longer random
# one with `pytest tests/test_fuzz.py --hypothesis-profile=long` (or SLAGEN_FUZZ_PROFILE=long).
_FUZZ_SETTINGS = {
    "deadline": None,
    "database": None,
    # the strategies draw with rejection; how many draws are rejected varies between hypothesis releases
    # (6.170 rejects more than 6.155 did), not what the profile runs: derandomized and bounded
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
}
settings.register_profile("ci", max_examples=50, derandomize=True, **_FUZZ_SETTINGS)
settings.register_profile("long", max_examples=1500, print_blob=True, **_FUZZ_SETTINGS)
settings.load_profile(os.environ.get("SLAGEN_FUZZ_PROFILE", "ci"))

with warnings.catch_warnings():  # hypothesis reports failing examples with libcst when installed; an old
    warnings.simplefilter("ignore")  # libcst warns on import, which would hide the failure under -W error
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

FUZZ_CASES: Counter[str] = Counter()
"""Cases run by the property-based tests, by kind and outcome; reported at the end of the run."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite the golden files from the current output.")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line with the number of fuzz cases run, so that a CI log shows how much was tried."""
    if not FUZZ_CASES:
        return
    kinds = sorted({kind.split(":")[0] for kind in FUZZ_CASES})
    parts = []
    for kind in kinds:
        outcomes = {key.split(":")[1]: n for key, n in FUZZ_CASES.items() if key.startswith(kind + ":")}
        details = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        parts.append(f"{kind} {sum(outcomes.values())} ({details})")
    total = sum(FUZZ_CASES.values())
    profile = settings.get_current_profile_name()
    terminalreporter.write_sep("-", f"fuzz: {total} cases, hypothesis profile '{profile}'")
    terminalreporter.write_line("; ".join(parts))


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


def example_with(example: Path, changes: dict[str, Any]) -> dict[str, Any]:
    """An example's answers with dotted keys set (value ``...`` deletes the key)."""
    data = copy.deepcopy(yaml.safe_load(example.read_text(encoding="utf-8")))
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        if value is ...:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return data
