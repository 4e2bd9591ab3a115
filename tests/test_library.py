"""The clause library: complete in both languages, and broken libraries reported clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from slagen.answers import load_answers
from slagen.errors import LibraryError, TemplateError
from slagen.generate import build_documents
from slagen.library import Library, load_library

from .conftest import DEMO, ROOT


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    for part in ("clauses", "templates", "tiers"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def render_with(root: Path, language: str = "de") -> None:
    library = load_library(root)
    build_documents(load_answers(DEMO, library), library, [language])


def test_bundled_library_is_complete(library: Library) -> None:
    assert library.sections[0] == "scope"
    assert len(library.clauses) == 15
    for lang in ("de", "en"):
        for clause in library.clauses:
            assert (library.template_root / lang / clause.template_name).is_file()
        assert set(library.labels[lang]["sections"]) == set(library.sections)
    kpis = library.catalogs["telemarketing"].kpis
    assert list(kpis) == ["calls_per_agent_day", "closing_rate", "recording_reviews", "complaint_resolution"]
    assert library.catalogs["telemarketing"].tiers["professional"].targets["calls_per_agent_day"] == 100


def test_library_is_parsed_once_per_process(library: Library) -> None:
    assert load_library() is library
    assert load_library(ROOT) is library


def test_missing_translation_is_reported(library_copy: Path) -> None:
    (library_copy / "templates" / "en" / "legal" / "final.md.j2").unlink()
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    assert [str(p) for p in caught.value.problems] == [
        "templates/en/legal/final.md.j2: clause 'legal.final' has no 'en' wording"
    ]


def test_bad_clause_record_is_reported_with_file_line_and_key(library_copy: Path) -> None:
    record = library_copy / "clauses" / "legal" / "final.yaml"
    record.write_text(
        "id: legal.final\nversion: one\nsection: legal\nparams:\n  x.y: {type: colour}\n", encoding="utf-8"
    )
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    assert [str(p) for p in caught.value.problems] == [
        "clauses/legal/final.yaml:2: version: a version number is required",
        "clauses/legal/final.yaml:5: params.x.y: unknown type 'colour' (one of: string, text, integer, decimal, "
        "percent, duration, date, boolean, enum, list, records, catalog, tier, kpi_values, languages, localized)",
    ]


def test_tier_without_a_target_is_reported(library_copy: Path) -> None:
    catalog = library_copy / "tiers" / "telemarketing.yaml"
    text = catalog.read_text(encoding="utf-8").replace("      recording_reviews: 8\n", "")
    catalog.write_text(text, encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    (problem,) = caught.value.problems
    assert str(problem).endswith("tiers.premium.targets: no target for KPI 'recording_reviews'")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "## Titel\n\n{% if %}\n",
            "templates/de/legal/final.md.j2:3: clause 'legal.final' (de): Expected an expression, got 'end of statement block'",
        ),
        (
            "## Titel\n\nText {{ nonexistent.value }}\n",
            "templates/de/legal/final.md.j2:3: clause 'legal.final' (de): 'nonexistent' is undefined",
        ),
        (
            "## Titel\n\n{{ ''.__class__.__mro__ }}\n",
            "templates/de/legal/final.md.j2:3: clause 'legal.final' (de): access to attribute '__class__' of 'str' object is unsafe.",
        ),
        (
            "## Titel\n\nSiehe {{ ref('legal.nowhere') }}.\n",
            "templates/de/legal/final.md.j2: clause 'legal.final' (de) refers to 'legal.nowhere', which this agreement does not contain",
        ),
        (
            "## Titel\n\n> zitiert\n",
            "templates/de/legal/final.md.j2: clause 'legal.final' (de): 'blockquote' is not part of the clause markup (line 3 of the rendered text)",
        ),
        (
            "Kein Titel\n",
            "templates/de/legal/final.md.j2:1: clause 'legal.final' (de): the clause has no '## title' line",
        ),
        (
            "## Titel\n\n{{ term('nobody') }}\n",
            "templates/de/legal/final.md.j2:3: clause 'legal.final' (de): \"unknown defined term 'nobody' (known: provider, customer, parties, agreement, main_contract, working_day)\"",
        ),
    ],
)
def test_template_errors_name_clause_language_and_line(library_copy: Path, template: str, expected: str) -> None:
    (library_copy / "templates" / "de" / "legal" / "final.md.j2").write_text(template, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_with(library_copy)
    assert [str(p) for p in caught.value.problems] == [expected]


def test_answers_cannot_inject_markup(library_copy: Path, tmp_path: Path) -> None:
    library = load_library(library_copy)
    text = DEMO.read_text(encoding="utf-8").replace(
        "name: Nordlicht Solartechnik GmbH", 'name: "**Evil** | {{ 7*7 }} <script>x</script> [a](ref:scope.term)"'
    )
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    (document,) = build_documents(load_answers(path, library), library, ["en"])
    assert document.signatories[1].name == "**Evil** | {{ 7*7 }} <script>x</script> [a](ref:scope.term)"
    from slagen.model import plain_text

    front_text = " ".join(plain_text(block.runs) for block in document.front if hasattr(block, "runs"))
    assert "**Evil** | {{ 7*7 }} <script>x</script> [a](ref:scope.term)" in front_text
