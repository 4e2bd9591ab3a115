"""The library authors' manual: the template reference is complete and current (issue 19, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slagen import filters
from slagen.docsgen import __main__ as docsgen_main
from slagen.docsgen.templates import describe_templates, undocumented
from slagen.library import Library

from .conftest import ROOT


def test_template_reference_is_current(library: Library, request: pytest.FixtureRequest) -> None:
    path = ROOT / "docs" / "templates.md"
    expected = describe_templates(library)
    if request.config.getoption("--update-golden"):
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, "run pytest --update-golden and review docs/templates.md"


def test_every_helper_and_filter_has_its_docstring_and_entry(library: Library) -> None:
    assert undocumented() == []
    page = describe_templates(library)
    for name in filters.GLOBALS:
        assert f"### `{name}(" in page
    for name in filters.FILTERS:
        assert f"|{name}" in page


def test_a_helper_without_docstring_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def bare(x: str) -> str:
        return x

    monkeypatch.setitem(filters.GLOBALS, "bare", bare)
    monkeypatch.setitem(filters.FILTERS, "plain", bare)
    assert undocumented() == ["helper bare", "filter plain"]


def test_entries_show_the_template_call_and_an_example_from_the_templates(library: Library) -> None:
    page = describe_templates(library)
    # the context Jinja passes is not part of the call a template writes
    assert "### `ref(target)`" in page
    assert "### `term(term)`" in page
    assert "### `amount|money(currency='EUR')`" in page
    assert "### `availability|downtime(days)`" in page
    assert "Example: `{{ target(level." in page
    assert "Example: `{{ agreement.effective_date|term_end(" in page
    # doctests and reStructuredText stay out of the Markdown
    for leftover in (">>>", "``", ":mod:"):
        assert leftover not in page
    # Jinja's own filters are listed, the removed ones are not
    assert "| `selectattr` | filter |" in page
    for removed in ("tojson", "urlize", "xmlattr", "random", "lipsum"):
        assert f"| `{removed}` |" not in page


def test_library_manual_links_the_reference() -> None:
    assert "(templates.md)" in (ROOT / "docs" / "library.md").read_text(encoding="utf-8")


def test_docsgen_writes_both_pages_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docsgen_main.main(["-o", str(tmp_path)]) == 0
    assert (tmp_path / "answers.md").read_text(encoding="utf-8").startswith("# Answers reference")
    assert (tmp_path / "templates.md").read_text(encoding="utf-8").startswith("# Template reference")
    capsys.readouterr()
    assert docsgen_main.main(["-o", str(tmp_path)]) == 2
    assert "exist" in capsys.readouterr().err
    assert docsgen_main.main(["-o", str(tmp_path), "--force"]) == 0


def test_docsgen_names_a_library_that_does_not_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docsgen_main.main(["--library", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
