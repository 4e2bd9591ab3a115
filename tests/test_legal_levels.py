"""Issue 14, what counts as a Service Level (DE-M2, EN-M5, DE-S6, DE-S16, DE-S24, EN-S10, EN-S19, and the
chronic-failure half of item 3): the reviewers' variations built and the clauses that settle each finding read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen.answers import load_answers
from slagen.errors import InputError, LibraryError
from slagen.generate import build_documents
from slagen.library import Library, load_library
from slagen.lint import lint_library
from slagen.writers.markdown import write_markdown

from .conftest import EXAMPLES, example_with
from .helpers import copy_library, edit


def contract(example: str, changes: dict[str, Any], write: Callable[..., Path], library: Library) -> dict[str, str]:
    """The Markdown of ``example`` with ``changes``, by language (no-break spaces as spaces)."""
    data = example_with(EXAMPLES / example, changes)
    answers = load_answers(write(yaml.safe_dump(data, allow_unicode=True)), library)
    return {
        document.language: write_markdown(document).replace("\xa0", " ")
        for document in build_documents(answers, library, ["de", "en"])
    }


def clause(text: str, title: str) -> str:
    """The text of the clause headed ``### <number> <title>`` (an annex: ``## Anlage 2 – <title>``), up to the next
    heading."""
    heading = rf"(?:### [\d.]+ |## (?:Anlage|Annex|Schedule) \d+ – ){re.escape(title)}"
    match = re.search(rf"^{heading}\n(.*?)(?=^##|\Z)", text, re.M | re.S)
    assert match, title
    return match.group(1)


# --- DE-M2 / EN-M5: the call centre's 20 seconds are part of the 80/20 Service Level, not one of their own


def test_call_centre_answer_time_is_part_of_the_service_level_row(
    write_answers: Callable[..., Path], library: Library
) -> None:
    text = contract("call-centre.yaml", {}, write_answers, library)
    de, en = clause(text["de"], "Leistungsparameter"), clause(text["en"], "Service Levels")
    assert "| mindestens 80 % innerhalb von 20 Sekunden | je Kalendermonat" in de
    assert "| at least 80% within 20 seconds | per calendar month" in en
    assert "| Annahmezeit für den Servicelevel |" not in de
    assert "| Answer time for the call answer rate |" not in en
    assert "(Annahmezeit für den Servicelevel), sind keine Leistungsparameter, sondern Messgrößen" in de
    assert "(Answer time for the call answer rate) are not Service Levels but measures" in en


def test_call_centre_chronic_failure_does_not_count_the_answer_time(
    write_answers: Callable[..., Path], library: Library
) -> None:
    text = contract("call-centre.yaml", {}, write_answers, library)
    de = clause(text["de"], "Kündigung bei wiederholter Verfehlung")
    en = clause(text["en"], "Termination for repeated failure")
    assert "Es zählen nur die folgenden Leistungsparameter nach Ziffer 2.3: Servicelevel" in de
    assert "Only the following Service Levels under clause 2.3 count: Call answer rate" in en
    assert "Annahmezeit für den Servicelevel" not in de
    assert "Answer time" not in en
    assert "Messgrößen für einzelne Ereignisse zählen nicht" in de


def test_call_centre_annex_marks_the_answer_time_as_a_measure(
    write_answers: Callable[..., Path], library: Library
) -> None:
    en = contract("call-centre.yaml", {}, write_answers, library)["en"]
    annex = clause(en, "Indicators and how they are measured")
    assert (
        "- **Answer time for the call answer rate** (at most 20 seconds)\n"
        "  - Type: measure for the Service Level “Call answer rate (share of calls answered within the answer time)”;"
        " not a Service Level of its own" in annex
    )


# --- EN-M5: it-service, one late P4 incident is no Service Level failure and no breach


def test_it_service_late_p4_incident_is_no_service_level(write_answers: Callable[..., Path], library: Library) -> None:
    text = contract("it-service.yaml", {}, write_answers, library)
    levels = clause(text["en"], "Service Levels")
    rows = [line for line in levels.splitlines() if line.startswith("| ") and "Indicator" not in line]
    assert [row.split(" | ")[0] for row in rows] == [
        "| Availability of the Systems",
        "| Incidents handled within the response and restore times",
    ]
    incidents = clause(text["en"], "Incidents and how they are handled")
    assert (
        "If the Provider misses one of these time limits for a single Incident, that is not in itself a failure to"
        " meet a Service Level or a breach of this Agreement." in incidents
    )
    assert "The Provider shall meet the following response and restore times" not in incidents
    chronic = clause(text["en"], "Termination for repeated failure")
    assert "count: Availability of the Systems and Incidents handled within the response and restore times;" in (
        chronic
    )
    assert "priority 4" not in chronic.lower()
    de = clause(text["de"], "Störungen und ihre Bearbeitung")
    assert (
        "ist dies für sich genommen weder eine Verfehlung eines Leistungsparameters noch eine Pflichtverletzung" in de
    )


def test_it_service_compliance_rate_small_numbers_and_requests(
    write_answers: Callable[..., Path], library: Library
) -> None:
    """EN-S10 / DE-N16: a priority without incidents meets the target; fewer than ten allow one miss; requests."""
    text = contract("it-service.yaml", {}, write_answers, library)
    annex = clause(text["en"], "Indicators and how they are measured")
    assert "if no Incident of a priority was reported, the target is met for that priority" in annex
    assert "if fewer than ten were reported, it is met if no more than one of them missed its time limits" in annex
    incidents = clause(text["en"], "Incidents and how they are handled")
    assert "or a request" not in incidents
    assert "are not Incidents" in incidents
    assert "they are not counted in the compliance rate" in incidents
    de_annex = clause(text["de"], "Kennzahlen und ihre Ermittlung")
    assert "sind weniger als zehn gemeldet worden, ist er erreicht, wenn höchstens eine von ihnen" in de_annex
    assert "gezählt nach der Uhr der Priorität" not in de_annex  # DE-N4


# --- item 3: chronic failure reaches the affected services under the main contract


def test_chronic_failure_with_main_contract_reaches_it(write_answers: Callable[..., Path], library: Library) -> None:
    main = {
        "agreement.main_contract": {
            "title": {"de": "IT-Rahmenvertrag", "en": "IT Services Agreement"},
            "date": "2027-01-15",
        }
    }
    text = contract("it-service.yaml", main, write_answers, library)
    en = clause(text["en"], "Termination for repeated failure")
    assert (
        "the Customer may terminate this Agreement and the Main Contract, so far as the Main Contract concerns the"
        " services for which this Agreement sets Service Levels (the affected services), with immediate effect" in en
    )
    assert "whether they were paid under this Agreement or under the Main Contract" in en
    de = clause(text["de"], "Kündigung bei wiederholter Verfehlung")
    assert "kann der Auftraggeber diese Vereinbarung und den Hauptvertrag, soweit dieser die Leistungen betrifft" in de
    assert "gleich ob sie nach dieser Vereinbarung oder nach dem Hauptvertrag gezahlt wurde" in de


def test_chronic_failure_without_main_contract_ends_this_agreement(
    write_answers: Callable[..., Path], library: Library
) -> None:
    text = contract("it-service.yaml", {}, write_answers, library)
    en = clause(text["en"], "Termination for repeated failure")
    assert "may terminate this Agreement with immediate effect" in en
    assert "Main Contract" not in en


# --- DE-S6 / DE-S16: telemarketing, weekly and per-campaign Service Levels, complaints, KPI definitions


def test_telemarketing_month_test_for_weekly_and_campaign_levels(
    write_answers: Callable[..., Path], library: Library
) -> None:
    text = contract("telemarketing.yaml", {}, write_answers, library)
    de = clause(text["de"], "Kündigung bei wiederholter Verfehlung")
    assert "in mindestens zwei Kalenderwochen verfehlt wird, die in diesem Kalendermonat enden" in de
    assert "ist in dem Kalendermonat verfehlt, in dem die Kampagne endet" in de
    assert "Lösung von Beschwerden" not in de  # the per-complaint time is a measure
    levels = clause(text["de"], "Leistungsparameter")
    assert "| Fristgerecht beantwortete Beschwerden | mindestens 90 % innerhalb von 24 Stunden |" in levels
    en = clause(text["en"], "Termination for repeated failure")
    assert "missed in at least two calendar weeks that end in that month" in en


def test_telemarketing_kpi_definitions_and_no_guarantee(write_answers: Callable[..., Path], library: Library) -> None:
    text = contract("telemarketing.yaml", {}, write_answers, library)
    de, en = text["de"], text["en"]
    assert "Termin- und Leadquote je Kampagne" in de
    assert "Abschlussquote" not in clause(de, "Leistungsparameter")
    assert "die ein Gesprächspartner persönlich angenommen hat" in de
    assert (
        "Tage, an denen die eingesetzten Agenten in dieser Woche tatsächlich für den Auftraggeber gearbeitet haben"
        in de
    )
    assert "je eingesetztem Agenten" in de
    assert "je eingesetztem Agent " not in de
    assert "Die Leistungsparameter sind keine Garantie" in de
    assert "The Service Levels are not a guarantee" in en
    assert "Appointment and lead rate per campaign" in en


# --- DE-S24 / EN-S19: one word for the tier, one for the owed target


@pytest.mark.parametrize("example", ["call-centre.yaml", "it-service-multi-level.yaml", "telemarketing-custom.yaml"])
def test_tier_and_target_have_their_own_terms(
    example: str, write_answers: Callable[..., Path], library: Library
) -> None:
    text = contract(example, {}, write_answers, library)
    assert "Service Level " + "Professional" not in text["de"]
    assert "Service Levels" not in text["de"].replace("Service Level Agreement", "")
    assert "Wahl des Service Levels" not in text["de"]
    assert not re.search(r"\bservice levels?\b", text["en"].replace("service level agreement", "")), example
    assert "**Service Level**" in text["en"]
    assert "**Leistungsparameter**" in text["de"]


# --- lint and loader: a per-event target never counts as a Service Level


@pytest.fixture
def library_files(tmp_path: Path) -> Path:
    return copy_library(tmp_path)


def test_lint_refuses_a_per_event_service_level(library_files: Path) -> None:
    catalog = library_files / "tiers" / "it-service.yaml"
    edit(
        catalog,
        "  p4_response:\n    unit: duration\n    direction: at_most\n    per: event\n    feeds: incident_compliance\n",
        "  p4_response:\n    unit: duration\n    direction: at_most\n    per: event\n    role: service_level\n",
    )
    findings = [str(f) for f in lint_library(library_files) if f.rule == "service-levels"]
    line = catalog.read_text(encoding="utf-8").splitlines().index("    role: service_level") + 1
    assert findings == [
        f"tiers/it-service.yaml:{line}: service-levels: kpis.p4_response.role: KPI 'p4_response' is measured per event"
        " and cannot be a Service Level (a single late event would be a failure and count towards termination);"
        " make it a measure (role: measure) that feeds an attainment rate (feeds: <Service Level>)"
    ]


def test_lint_refuses_a_measure_that_feeds_nothing(library_files: Path) -> None:
    edit(library_files / "tiers" / "telemarketing.yaml", "    feeds: complaint_compliance\n", "")
    findings = [str(f) for f in lint_library(library_files) if f.rule == "service-levels"]
    assert len(findings) == 1
    assert "kpis.complaint_resolution.feeds: measure 'complaint_resolution'" in findings[0]


def test_credits_and_feeds_must_name_a_service_level(library_files: Path) -> None:
    catalog = library_files / "tiers" / "call-centre-inbound.yaml"
    edit(catalog, "    feeds: service_level\n", "    feeds: asa\n")
    edit(catalog, "credits: service_level ", "credits: answer_threshold ")
    with pytest.raises(LibraryError) as caught:
        load_library(library_files)
    messages = [f"{p.key}: {p.message}" for p in caught.value.problems]
    assert (
        "kpis.answer_threshold.feeds: 'asa' is not a Service Level of this catalog measured as a rate (percent, at least)"
        in messages
    )
    assert any(m.startswith("credits: 'answer_threshold' is not a Service Level of this catalog") for m in messages)


def test_shipped_catalogs_declare_roles(library: Library) -> None:
    roles = {
        catalog.id: sorted(kpi.id for kpi in catalog.kpis.values() if kpi.role == "service_level")
        for catalog in library.catalogs.values()
    }
    reviewed = {  # the catalogs the lawyers reviewed; every later one has its own test file
        "call-centre-inbound": ["abandonment_rate", "asa", "fcr", "service_level"],
        "it-service": ["availability", "incident_compliance"],
        "telemarketing": ["calls_per_agent_day", "closing_rate", "complaint_compliance", "recording_reviews"],
    }
    assert {catalog: levels for catalog, levels in roles.items() if catalog in reviewed} == reviewed
    assert all(roles[catalog] for catalog in library.catalogs)  # every catalog owes at least one Service Level
    assert all(
        kpi.role == "measure" for c in library.catalogs.values() for kpi in c.kpis.values() if kpi.per == "event"
    )


# --- EN-S11: a threshold below the target, offered as an answer


def test_chronic_failure_may_count_only_critical_failures(write_answers: Callable[..., Path], library: Library) -> None:
    text = contract("it-service.yaml", {"chronic_failure.counts_below": "first_band"}, write_answers, library)
    en = clause(text["en"], "Termination for repeated failure")
    assert (
        "The Service Level “Availability of the Systems” counts as missed only if its value also falls below"
        " the lower limit of the first band of the scale under clause 3.4, that is below 99.5%;" in en
    )
    de = clause(text["de"], "Kündigung bei wiederholter Verfehlung")
    assert "also unter 99,5 % liegt; eine geringere Verfehlung zählt hierfür nicht." in de
    multi = contract(
        "it-service-multi-level.yaml", {"chronic_failure.counts_below": "first_band"}, write_answers, library
    )
    assert "of the scale under clause 3.4 for the Applicable Service Tier;" in multi["en"]
    plain = contract("it-service.yaml", {}, write_answers, library)
    assert "counts as missed only if" not in plain["en"]


# --- DE-N24 / EN-N16: a minimum Service Tier for the fixed term


def test_minimum_tier_for_the_fixed_term(write_answers: Callable[..., Path], library: Library) -> None:
    text = contract("it-service-multi-level.yaml", {"service.minimum_tier": "silver"}, write_answers, library)
    assert (
        "während der ersten festen Laufzeit dieser Vereinbarung jedoch nicht in eine Leistungsstufe unterhalb der"
        in (text["de"])
    )
    assert "but not, during the initial fixed term of this Agreement, to a service tier below the Silver" in text["en"]
    unchosen = contract(
        "it-service-multi-level.yaml", {"service.minimum_tier": "silver", "service.tier": ...}, write_answers, library
    )
    assert "Until the Customer has chosen, the Silver service tier applies." in unchosen["en"]


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"service.minimum_tier": "gold", "service.tier": "silver"}, "service.tier", "is below the minimum tier"),
        (
            {"service.minimum_tier": "gold", "service.offered_tiers": ["bronze", "silver"]},
            "service.minimum_tier",
            "'gold' is not one of the tiers offered (bronze, silver)",
        ),
    ],
)
def test_minimum_tier_is_checked(
    changes: dict[str, Any], key: str, message: str, write_answers: Callable[..., Path], library: Library
) -> None:
    data = example_with(EXAMPLES / "it-service-multi-level.yaml", changes)
    if "service.offered_tiers" in changes:
        data["price"]["tier_fees"] = [
            f for f in data["price"]["tier_fees"] if f["tier"] in changes["service.offered_tiers"]
        ]
    with pytest.raises(InputError) as caught:
        load_answers(write_answers(yaml.safe_dump(data, allow_unicode=True)), library)
    assert any(f"{key}: " in str(p) and message in str(p) for p in caught.value.problems)
