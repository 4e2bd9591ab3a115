"""The library is set once: ``--library``, else ``SLAGEN_LIBRARY``, else ``slagen.toml``, else the bundled one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.cli import main

from .conftest import EXAMPLES, ROOT
from .helpers import copy_library


@pytest.fixture
def own_library(tmp_path: Path) -> Path:
    """A copy of the bundled library in a directory of its own."""
    lib = tmp_path / "house-library"
    return copy_library(lib)


def _run(
    args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str] | None = None
) -> tuple[int, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("SLAGEN_LIBRARY", raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def test_without_settings_the_bundled_library_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = _run(["--version"], tmp_path, monkeypatch)
    assert code == 0
    assert "library: the bundled one" in out


def test_a_settings_file_in_a_parent_directory_names_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "slagen.toml").write_text('library = "no-such-library"\n', encoding="utf-8")
    work = tmp_path / "deals" / "2027"
    work.mkdir(parents=True)
    code, out = _run(["--version"], work, monkeypatch)
    assert code == 0
    assert f"library: {tmp_path / 'no-such-library'} (from {tmp_path / 'slagen.toml'})" in out
    # the commands use it: this one is no library, so the check fails naming it
    code, out = _run(["check", str(EXAMPLES / "it-service.yaml")], work, monkeypatch)
    assert code == 2
    assert f"{tmp_path / 'no-such-library'}: not a slagen library" in out


def test_the_environment_wins_over_the_settings_file_and_the_option_over_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "slagen.toml").write_text('library = "from-the-file"\n', encoding="utf-8")
    env = {"SLAGEN_LIBRARY": str(tmp_path / "from-the-environment")}
    code, out = _run(["--version"], tmp_path, monkeypatch, env)
    assert f"library: {tmp_path / 'from-the-environment'} (from SLAGEN_LIBRARY)" in out
    code, out = _run(["check", str(EXAMPLES / "it-service.yaml")], tmp_path, monkeypatch, env)
    assert code == 2
    assert "from-the-environment: not a slagen library" in out
    code, out = _run(["check", "--library", str(ROOT), str(EXAMPLES / "it-service.yaml")], tmp_path, monkeypatch, env)
    assert code == 0, out
    assert "ok (" in out


def test_a_library_named_by_the_settings_builds(
    tmp_path: Path, own_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "slagen.toml").write_text(f'library = "{own_library.name}"\n', encoding="utf-8")
    code, out = _run(["lint"], tmp_path, monkeypatch)
    assert code == 0, out
    code, out = _run(["check", str(EXAMPLES / "it-service.yaml")], tmp_path, monkeypatch)
    assert code == 0, out


@pytest.mark.parametrize(
    ("text", "message"),
    [("library = [\n", "not TOML"), ("library = 3\n", "library must be the path of a clause library, as text")],
)
def test_a_broken_settings_file_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    (tmp_path / "slagen.toml").write_text(text, encoding="utf-8")
    code, out = _run(["check", str(EXAMPLES / "it-service.yaml")], tmp_path, monkeypatch)
    assert code == 2
    assert str(tmp_path / "slagen.toml") in out
    assert message in out
    assert "Traceback" not in out
