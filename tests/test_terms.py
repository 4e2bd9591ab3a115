"""Defined terms: the definitions clause renders last and lists them; a term defined twice or never is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from slagen.answers import load_answers
from slagen.errors import InputError
from slagen.generate import build_documents
from slagen.library import Library, load_library
from slagen.model import Paragraph, Table, TermUse, Text, plain_text
from slagen.terms import term_context

from .conftest import DEMO, EXAMPLES
from .helpers import copy_library


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    return copy_library(tmp_path)


def test_term_context_lists_definitions_alphabetically_and_uses() -> None:
    rendered = {
        "front": (None, [Paragraph([TermUse("provider", "Auftragnehmer", defining=True)])]),
        "scope.purpose": (
            [Text("Zweck")],
            [
                Paragraph(
                    [TermUse("main_contract", "Hauptvertrag", defining=True), TermUse("provider", "Auftragnehmer")]
                )
            ],
        ),
        "legal.law": (None, [Paragraph([TermUse("working_day", "Arbeitstag"), TermUse("agreement", "Äußerung")])]),
    }
    context = term_context(rendered)
    assert context["defined_terms"] == [
        {"id": "provider", "text": "Auftragnehmer", "clause": "front"},
        {"id": "main_contract", "text": "Hauptvertrag", "clause": "scope.purpose"},
    ]
    assert context["used_terms"] == ["agreement", "provider", "working_day"]


def test_definitions_clause_lists_the_terms_of_this_agreement(library: Library) -> None:
    (document,) = build_documents(load_answers(DEMO, library), library, ["de"])
    definitions = next(c for c in document.clauses() if c.id == "scope.definitions")
    table = next(block for block in definitions.blocks if isinstance(block, Table))
    rows = {plain_text(row[0]): plain_text(row[1], document.numbers) for row in table.rows}
    assert rows["Hauptvertrag"] == "Ziffer 1.1"
    assert rows["Auftragnehmer"] == "Eingang dieser Vereinbarung"
    assert rows["Höhere Gewalt"] == f"Ziffer {document.numbers['legal.force_majeure']}"
    assert list(rows) == sorted(rows, key=lambda text: text.replace("Ö", "O"))
    # terms used but defined nowhere else are defined here; those not used are left out
    defined_here = {run.term for run in _runs(definitions) if isinstance(run, TermUse) and run.defining}
    assert defined_here == {"working_day", "agent", "campaign", "lead"}  # no clause here uses the monthly fee
    assert "service_hours" not in rows  # the telemarketing agreement has no service hours


def test_definitions_follow_the_clauses_an_agreement_contains(library: Library) -> None:
    (document,) = build_documents(load_answers(EXAMPLES / "it-service.yaml", library), library, ["en"])
    definitions = next(c for c in document.clauses() if c.id == "scope.definitions")
    table = next(block for block in definitions.blocks if isinstance(block, Table))
    terms = [plain_text(row[0]) for row in table.rows]
    assert {"Downtime", "Incident", "Maintenance Window", "Service Credit", "Service Hours"} <= set(terms)
    assert "Main Contract" not in terms


def _runs(clause: object) -> list[object]:
    from slagen.model import iter_inlines

    return list(iter_inlines(clause.blocks))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "## Schluss\n\nDer {{ define('provider') }} bleibt.\n",
            "templates/de/legal/final.md.j2: clause 'legal.final' (de) defines the term 'provider', "
            "which the front matter defines already",
        ),
        (
            "## Schluss\n\nSiehe {{ term('service_hours') }}.\n",
            # the clause that defines it is left out: named by the answer that leaves it out (slagen/citations.py)
            f"{DEMO}:42: service.catalog: clause 'legal.final' uses the term 'service_hours' of clause "
            "'services.hours', which these answers leave out (the catalog's tiers set service hours (tier terms "
            "service_from and service_to)); the clause library does not yet fit this answer: change it, or tell the "
            "library's authors ('slagen lint', rule 'references', shows where)",
        ),
    ],
)
def test_a_term_defined_twice_or_never_is_an_error(library_copy: Path, template: str, expected: str) -> None:
    (library_copy / "templates" / "de" / "legal" / "final.md.j2").write_text(template, encoding="utf-8")
    library = load_library(library_copy)
    with pytest.raises(InputError) as caught:
        build_documents(load_answers(DEMO, library), library, ["de"])
    assert [str(p) for p in caught.value.problems] == [expected]


def test_a_clause_marked_renders_last_sees_the_other_clauses_terms(library_copy: Path) -> None:
    record = library_copy / "clauses" / "legal" / "final.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "renders_last: true\n", encoding="utf-8")
    (library_copy / "templates" / "de" / "legal" / "final.md.j2").write_text(
        "## Schluss\n\n{{ defined_terms|length }} Begriffe, zuerst {{ defined_terms[0].text }} "
        "({{ defined_terms[0].clause }}); {{ 'provider' in used_terms }}.\n",
        encoding="utf-8",
    )
    library = load_library(library_copy)
    (document,) = build_documents(load_answers(DEMO, library), library, ["de"])
    final = next(c for c in document.clauses() if c.id == "legal.final")
    assert plain_text(final.blocks[0].runs) == "9 Begriffe, zuerst Auftraggeber (front); True."  # type: ignore[union-attr]
    # 9: with Leistungsparameter and Leistungsstufe (services.levels)
    ids = [c.id for c in document.clauses()]
    assert ids.index("legal.final") == ids.index("annexes.contacts") - 1  # rendered last, placed as ever
