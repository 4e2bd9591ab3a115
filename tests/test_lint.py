"""slagen lint: the shipped library is clean, and each rule finds what it is for (file, line, rule)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.cli import main
from slagen.lint import lint_library

from .conftest import ROOT
from .helpers import copy_library, edit


def test_the_shipped_library_is_lint_clean() -> None:
    assert [str(f) for f in lint_library(ROOT)] == []
    result = CliRunner().invoke(main, ["lint"])
    assert result.exit_code == 0
    assert result.stdout == "library ok\n"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return copy_library(tmp_path)


def remove(path: Path) -> None:
    path.unlink()


Change = Callable[[Path], None]

CASES: list[tuple[str, Change, list[str]]] = [
    (
        "languages-missing-wording",
        lambda root: remove(root / "templates/en/legal/final.md.j2"),
        ["clauses/legal/final.yaml:1: languages: no 'en' wording (templates/en/legal/final.md.j2)"],
    ),
    (
        "languages-orphan-template",
        lambda root: (root / "templates/de/legal/extra.md.j2").write_text("## Extra\n", encoding="utf-8"),
        ["templates/de/legal/extra.md.j2:1: languages: no clause record for this template (clauses/legal/extra.yaml)"],
    ),
    (
        "languages-labels",
        lambda root: edit(root / "templates/en/labels.yaml", "  annexes: Annexes\n", ""),
        ["templates/en/labels.yaml: languages: no sections.annexes"],
    ),
    (
        "languages-names",  # the language clause names every language of the library
        lambda root: edit(root / "templates/en/labels.yaml", "  de: German\n", ""),
        ["templates/en/labels.yaml: languages: no language_names.de"],
    ),
    (
        "questions-missing",  # issue 19: a declaration without its question is found by lint, not by the interview
        lambda root: edit(root / "templates/en/questions.yaml", "  exit.data_format:", "  exit.data_formats:"),
        [
            "templates/en/questions.yaml: questions: no question for 'exit.data_format' (declared by the clause library)",
            "templates/en/questions.yaml:127: questions: a question for 'exit.data_formats', which no clause declares",
        ],
    ),
    (
        "versions-zero",
        lambda root: edit(root / "clauses/legal/final.yaml", "version: 4", "version: 0"),
        ["clauses/legal/final.yaml:2: versions: the clause needs a version: a whole number from 1"],
    ),
    (
        "versions-missing",
        lambda root: edit(root / "clauses/legal/final.yaml", "version: 4\n", ""),
        ["clauses/legal/final.yaml:1: versions: the clause needs a version: a whole number from 1"],
    ),
    (
        "conditions",
        lambda root: edit(root / "clauses/services/backup.yaml", "'backup' in catalog.groups\"", "'backup' in\""),
        ["clauses/services/backup.yaml:5: conditions: the condition does not parse: unexpected 'end of template'"],
    ),
    (
        "variables-condition",
        lambda root: edit(root / "clauses/services/backup.yaml", "in catalog.groups", "in service.catalgo"),
        [
            "clauses/services/backup.yaml:5: variables: 'service.catalgo' is not a declared answer "
            "(no clause declares it in params)"
        ],
    ),
    (
        "variables-answer",
        lambda root: edit(
            root / "templates/de/legal/final.md.j2",
            "## Schlussbestimmungen\n",
            "## Schlussbestimmungen\n\n{{ agreement.titel }}\n",
        ),
        [
            "templates/de/legal/final.md.j2:3: variables: 'agreement.titel' is not a declared answer "
            "(no clause declares it in params)"
        ],
    ),
    (
        "variables-label",
        lambda root: edit(root / "templates/en/scope/definitions.md.j2", "labels.time_zones[", "labels.time_zone["),
        ["templates/en/scope/definitions.md.j2:36: variables: templates/en/labels.yaml has no 'time_zone'"],
    ),
    (
        "variables-kpi",
        lambda root: edit(root / "templates/en/services/backup.md.j2", "target(level.rto)", "target(level.recovery)"),
        ["templates/en/services/backup.md.j2:5: variables: 'recovery' is not a KPI of any catalog"],
    ),
    (
        "variables-unknown",
        lambda root: edit(
            root / "templates/de/legal/law.md.j2", "## Anwendbares Recht\n", "## Anwendbares Recht\n\n{{ gesetz }}\n"
        ),
        ["templates/de/legal/law.md.j2:3: variables: 'gesetz' is not an answer, a label or a template value"],
    ),
    (
        "variables-tier-term",
        lambda root: edit(root / "templates/de/services/maintenance.md.j2", "tier.maintenance_notice", "tier.notice"),
        ["templates/de/services/maintenance.md.j2:26: variables: 'notice' is not a term of any catalog's tiers"],
    ),
    (
        "parameters",
        lambda root: edit(
            root / "clauses/legal/final.yaml",
            "order: 90\n",
            "order: 90\nparams:\n  legal.severability_note:\n    type: string\n    required: false\n",
        ),
        [
            "clauses/legal/final.yaml: parameters: 'legal.severability_note' is declared but no template or "
            "condition reads it",
            "templates/de/questions.yaml: questions: no question for 'legal.severability_note' (declared by the "
            "clause library)",
            "templates/en/questions.yaml: questions: no question for 'legal.severability_note' (declared by the "
            "clause library)",
        ],
    ),
    (
        "terms-defined-twice",
        lambda root: edit(
            root / "templates/de/legal/final.md.j2",
            "## Schlussbestimmungen\n",
            "## Schlussbestimmungen\n\n{{ define('downtime') }}\n",
        ),
        [
            "templates/de/services/availability.md.j2:6: terms: 'downtime' is defined by more than one clause: "
            "templates/de/legal/final.md.j2, templates/de/services/availability.md.j2"
        ],
    ),
    (
        "terms-unknown",
        lambda root: edit(
            root / "templates/en/legal/law.md.j2", "## Governing law\n", "## Governing law\n\n{{ term('statute') }}\n"
        ),
        ["templates/en/legal/law.md.j2:3: terms: 'statute' is not a defined term of labels.yaml (en)"],
    ),
    (
        "terms-never-defined-or-used",
        lambda root: edit(
            root / "templates/en/labels.yaml",
            "  working_day: Working Day\n",
            "  working_day: Working Day\n  holiday: Holiday\n",
        ),
        [
            "templates/de/labels.yaml: languages: no terms.holiday",
            "templates/en/labels.yaml: terms: 'holiday' is defined but never used (write term('holiday'))",
            "templates/en/labels.yaml: terms: 'holiday' is defined by no clause (write define('holiday'))",
        ],
    ),
    (
        "terms-kind-unknown-label",
        lambda root: edit(
            root / "templates/en/labels.yaml", "      customer: Receiving Unit\n", "      client: Receiving Unit\n"
        ),
        [
            "templates/de/labels.yaml: languages: no kinds.internal.terms.client",
            "templates/en/labels.yaml: languages: no kinds.internal.terms.customer",
            "templates/en/labels.yaml: terms: kinds.internal.terms.client: no such label in terms",
        ],
    ),
    (
        "terms-kind-unknown-kind",
        lambda root: [
            edit(root / f"templates/{lang}/labels.yaml", "  internal:\n", "  intern:\n") for lang in ("de", "en")
        ],
        [
            "templates/de/labels.yaml: terms: kinds.intern: not a choice of agreement.kind (external, internal)",
            "templates/en/labels.yaml: terms: kinds.intern: not a choice of agreement.kind (external, internal)",
        ],
    ),
    (
        "kpis",
        lambda root: edit(
            root / "tiers/call-centre-inbound.yaml",
            "        source: follow-up survey of callers and the {provider}’s CRM system\n",
            "",
        ),
        ["tiers/call-centre-inbound.yaml:93: kpis: KPI 'fcr' has no source in 'en'"],
    ),
    (
        "service-levels",
        lambda root: edit(
            root / "tiers/call-centre-inbound.yaml",
            "    per: event                 # each call: a measure (role defaults to measure) that feeds the share\n"
            "    feeds: service_level\n",
            "    per: event\n    role: service_level\n",
        ),
        [
            "tiers/call-centre-inbound.yaml:50: service-levels: kpis.answer_threshold.role: KPI 'answer_threshold' is"
            " measured per event and cannot be a Service Level (a single late event would be a failure and count"
            " towards termination); make it a measure (role: measure) that feeds an attainment rate"
            " (feeds: <Service Level>)"
        ],
    ),
]


@pytest.mark.parametrize(("change", "expected"), [(c, e) for _, c, e in CASES], ids=[name for name, _, _ in CASES])
def test_lint_rule_finds(copy: Path, change: Change, expected: list[str]) -> None:
    change(copy)
    assert [str(f) for f in lint_library(copy)] == expected


def test_lint_command_lists_findings_and_exits_1(copy: Path) -> None:
    edit(copy / "clauses/legal/final.yaml", "version: 4", "version: 0")
    result = CliRunner().invoke(main, ["lint", "--library", str(copy)])
    assert result.exit_code == 1
    assert result.stdout == "clauses/legal/final.yaml:2: versions: the clause needs a version: a whole number from 1\n"
    assert result.stderr == "1 finding\n"


def test_lint_json_lists_findings_and_exits_1(copy: Path) -> None:
    edit(copy / "clauses/legal/final.yaml", "version: 4", "version: 0")
    result = CliRunner().invoke(main, ["lint", "--library", str(copy), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "library": str(copy),
        "ok": False,
        "findings": [
            {
                "file": "clauses/legal/final.yaml",
                "line": 2,
                "rule": "versions",
                "message": "the clause needs a version: a whole number from 1",
            }
        ],
    }
    clean = CliRunner().invoke(main, ["lint", "--json"])
    assert clean.exit_code == 0
    assert json.loads(clean.stdout)["ok"] is True


def test_a_library_that_does_not_load_is_reported_as_findings(copy: Path) -> None:
    edit(copy / "clauses/legal/final.yaml", "section: legal", "section: nowhere")
    assert [str(f) for f in lint_library(copy)] == [
        "clauses/legal/final.yaml:3: library: section: unknown section 'nowhere'"
    ]
