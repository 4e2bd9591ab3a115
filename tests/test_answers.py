"""Validation of answers files: every problem reported at once, with file, line and key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen.answers import load_answers
from slagen.errors import InputError
from slagen.library import Library
from slagen.params import Duration

from .conftest import DEMO, example_with


def demo_data() -> dict[str, Any]:
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))


def with_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The demo answers with dotted keys set (value ``...`` deletes the key)."""
    return example_with(DEMO, changes)


def problems_of(path: Path, library: Library) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_answers(path, library)
    return [str(p) for p in caught.value.problems]


def test_demo_is_valid(library: Library) -> None:
    answers = load_answers(DEMO, library)
    assert answers.values["service.tier"] == "professional"
    assert answers.values["agreement.term.months"] == 12
    assert answers.values["escalation.levels"][0]["reaction"] == Duration.parse("4h")
    assert [c.id for c in answers.clauses][:3] == ["front", "scope.purpose", "scope.definitions"]
    assert "legal.liability" not in [c.id for c in answers.clauses]  # a schedule: the main contract's applies
    assert answers.warnings == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"service.tier": "profesional"},
            "service.tier: unknown tier 'profesional' in catalog 'telemarketing' (did you mean 'professional'?)",
        ),
        (
            {"service.catalog": "telemarketin"},
            "service.catalog: unknown catalog 'telemarketin' (did you mean 'telemarketing'?)",
        ),
        ({"agreement.titel": "x"}, "agreement.titel: unknown key 'titel' (did you mean 'title'?)"),
        ({"agreement.title": ...}, "agreement.title: missing: Title of the agreement, one text or one per language."),
        ({"agreement.term.months": 0}, "agreement.term.months: 0 is below the minimum of 1"),
        ({"agreement.term.months": "twelve"}, "agreement.term.months: expected a whole number, got 'twelve'"),
        (
            {"agreement.effective_date": "1.1.27"},
            "agreement.effective_date: expected a date such as 2027-12-31, 31.12.2027 or 31 December 2027, "
            "got '1.1.27'",
        ),
        (
            {"agreement.model": "multi-tier"},
            "agreement.model: 'multi-tier' is not allowed (choose one of: standard, customer-specific, multi-level)",
        ),
        (
            {"agreement.model": "multi-level"},
            "service.offered_tiers: missing: Tiers of the catalog the agreement offers side by side "
            "(multi-level only; at least two), e.g. [bronze, silver, gold].",
        ),
        (
            {"agreement.model": "multi-level", "service.offered_tiers": ["basic", "premum"]},
            "service.offered_tiers.1: unknown tier 'premum' in catalog 'telemarketing' (did you mean 'premium'?)",
        ),
        (
            {"agreement.model": "multi-level", "service.offered_tiers": ["basic", "basic"]},
            "service.offered_tiers.1: 'basic' is listed twice",
        ),
        (
            {"agreement.model": "multi-level", "service.offered_tiers": ["basic"]},
            "service.offered_tiers: needs at least 2 entries, got 1",
        ),
        (
            {"agreement.model": "multi-level", "service.offered_tiers": ["basic", "premium"]},
            "service.tier: tier 'professional' is not one of the offered tiers (basic, premium); "
            "add it to service.offered_tiers or leave service.tier out",
        ),
        (
            {
                "agreement.model": "multi-level",
                "service.offered_tiers": ["basic", "premium"],
                "service.tier": ...,
                "service.overrides": {"calls_per_agent_day": 120},
            },
            "service.overrides: a multi-level agreement takes the tiers as published; "
            "set agreement.model: customer-specific to agree other targets",
        ),
        (
            {"service.tier": ...},
            "service.tier: missing: the standard tier the agreement starts from (one of: basic, professional, premium)",
        ),
        ({"parties.customer.merchant": "yes"}, "parties.customer.merchant: expected true or false, got 'yes'"),
        (
            {"parties.customer.address": "Hafenstraße 3"},
            "parties.customer.address: expected a list, got 'Hafenstraße 3'",
        ),
        (
            {"parties.customer.name": "Bell\x07 GmbH"},
            "parties.customer.name: contains the control character U+0007, which a document cannot hold",
        ),
        ({"languages": ["de", "fr"]}, "languages.1: unknown language 'fr' (slagen writes: de, en)"),
        (
            {"agreement.title": {"de": "Vertrag über Leistungen"}},
            "agreement.title: no text for en (the agreement is written in de, en)",
        ),
        (
            {"service.overrides": {"closing_rate": "6%"}},
            "service.overrides: a standard agreement takes the tier as published; set agreement.model: customer-specific to agree other targets",
        ),
        (
            {"agreement.model": "customer-specific", "service.overrides": {"speed": 3}},
            "service.overrides.speed: unknown KPI 'speed' in catalog 'telemarketing' (one of: calls_per_agent_day, closing_rate, recording_reviews, complaint_compliance, complaint_resolution)",
        ),
        (
            {"agreement.model": "customer-specific", "service.overrides": {"complaint_resolution": "soon"}},
            "service.overrides.complaint_resolution: 'soon' is not a duration (write e.g. 30min, 4h, 2d)",
        ),
        (
            {"escalation.levels": [{"role": "boss", "reaction": "4h"}]},
            "escalation.levels.0.role: 'boss' is not allowed (choose one of: project_lead, account_manager, management)",
        ),
        (
            {"escalation.levels": [{"role": "management"}]},
            "escalation.levels.0.reaction: missing: Time within which this level reacts (e.g. 4h, 2d).",
        ),
        (
            {"escalation.levels": [{"role": "management", "reaction": "1min"}]},
            "escalation.levels.0.reaction: 1min is below the minimum of 15min",
        ),
        ({"escalation.levels": []}, "escalation.levels: needs at least 1 entries, got 0"),
        (
            {"service.activities": ["cold_calling"]},
            "service.activities.0: 'cold_calling' is not allowed (choose from: lead_generation, appointment_setting, data_qualification)",
        ),
        ({"slagen": 2}, "slagen: answers format 2 is not known (this slagen reads 1)"),
        (
            {"reporting": "weekly"},
            "reporting: expected a mapping with keys such as audit_notice_days, due_days, frequency, retention_months",
        ),
    ],
    ids=lambda value: str(value)[:40],
)
def test_bad_answer_is_reported(
    changes: dict[str, Any], expected: str, write_answers: Callable[..., Path], library: Library
) -> None:
    path = write_answers(yaml.safe_dump(with_changes(changes), allow_unicode=True))
    messages = problems_of(path, library)
    assert any(m.startswith(f"{path}:") and m.endswith(expected) for m in messages), messages


def test_every_problem_is_reported_at_once_with_lines(write_answers: Callable[..., Path], library: Library) -> None:
    text = DEMO.read_text(encoding="utf-8")
    text = text.replace("tier: professional", "tier: profesional")
    text = text.replace("reference: SLA-2027-014", "referenz: SLA-2027-014")
    text = text.replace("notice_months: 3", "notice_months: 0")
    path = write_answers(text)
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, start=1) if fragment in line)

    assert problems_of(path, library) == [
        f"{path}:{line_of('agreement:')}: agreement.reference: missing: Contract reference printed on every page.",
        f"{path}:{line_of('referenz:')}: agreement.referenz: unknown key 'referenz' (did you mean 'reference'?)",
        f"{path}:{line_of('notice_months')}: agreement.term.notice_months: 0 is below the minimum of 1",
        f"{path}:{line_of('tier: profesional')}: service.tier: unknown tier 'profesional' in catalog 'telemarketing' "
        "(did you mean 'professional'?)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "answers.yaml: the file is empty; start from examples/telemarketing.yaml"),
        ("- a\n- b\n", "answers.yaml:1: expected a mapping of answers (key: value) at the top level"),
        ("a: 1\na: 2\n", "answers.yaml:2: a: duplicate key (first given on line 1)"),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "answers.yaml:1: a: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed (only plain YAML values are read)",
        ),
        ("agreement:\n\ttitle: x\n", "answers.yaml:2: YAML syntax error: a tab is used for indentation"),
    ],
)
def test_unreadable_file_is_reported(
    text: str, expected: str, write_answers: Callable[..., Path], library: Library
) -> None:
    path = write_answers(text)
    messages = problems_of(path, library)
    assert messages[0].startswith(f"{path.parent}/{expected}")


def test_jurisdiction_is_left_out_with_a_warning_unless_both_are_merchants(
    write_answers: Callable[..., Path], library: Library
) -> None:
    stand_alone = {"agreement.main_contract": ..., "agreement.jurisdiction": "Mannheim"}
    changes = {**stand_alone, "parties.customer.merchant": False}
    path = write_answers(yaml.safe_dump(with_changes(changes), allow_unicode=True))
    answers = load_answers(path, library)
    assert "legal.jurisdiction" not in [c.id for c in answers.clauses]
    assert [str(w).split(": ", 1)[1] for w in answers.warnings] == [
        "agreement.jurisdiction: warning: ignored: a place of jurisdiction can be agreed in advance only if both "
        "parties are merchants or public entities (§ 38 (1) ZPO), and the customer is neither"
    ]


def test_an_answer_for_a_clause_left_out_is_ignored_with_a_warning(
    write_answers: Callable[..., Path], library: Library
) -> None:
    path = write_answers(yaml.safe_dump(with_changes({"liability": {"cap_percent": 150}}), allow_unicode=True))
    answers = load_answers(path, library)
    assert [str(w).split(": ", 1)[1] for w in answers.warnings] == [
        "liability.cap_percent: warning: ignored: clause 'legal.liability_ew' applies only when the agreement is "
        "external, stand-alone (with a main contract, its liability terms govern) and governed by the laws of "
        "England and Wales, and not all of the parties and the place of "
        "performance are German"
    ]


def test_defaults_fill_what_is_not_given(write_answers: Callable[..., Path], library: Library) -> None:
    data = with_changes({"agreement.term": ..., "review": ..., "legal": ..., "reporting": ..., "organisation": ...})
    answers = load_answers(write_answers(yaml.safe_dump(data, allow_unicode=True)), library)
    assert answers.values["agreement.term.notice_months"] == 3
    assert answers.values["agreement.term.auto_renew"] is True
    assert answers.values["reporting.frequency"] == "weekly"
    assert answers.values["review.frequency"] == "quarterly"


def test_customer_specific_overrides_are_typed(write_answers: Callable[..., Path], library: Library) -> None:
    data = with_changes({"agreement.model": "customer-specific", "service.overrides": {"closing_rate": "6.5%"}})
    answers = load_answers(write_answers(yaml.safe_dump(data, allow_unicode=True)), library)
    assert str(answers.values["service.overrides"]["closing_rate"]) == "6.5"
