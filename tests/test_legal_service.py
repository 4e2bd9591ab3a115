"""Issue 14, helper "service": the service clauses say what the legal reviews asked them to say.

Each test builds an example (or a reviewer's variation of it) in both languages and asserts the sentence that
settles a finding (ids of docs/legal-notes/service.md): the text a lawyer reads, not a golden file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen.answers import load_answers
from slagen.generate import build_documents
from slagen.library import Library
from slagen.writers.markdown import write_markdown

from .conftest import EXAMPLES, example_with


@pytest.fixture
def build(write_answers: Callable[..., Path], library: Library) -> Callable[..., dict[str, str]]:
    """Build an example with changes; the Markdown of each language, non-breaking spaces made plain."""

    def run(example: str, changes: dict[str, Any] | None = None) -> dict[str, str]:
        data = example_with(EXAMPLES / example, changes or {})
        answers = load_answers(write_answers(yaml.safe_dump(data, allow_unicode=True)), library)
        return {
            document.language: write_markdown(document).replace("\xa0", " ")
            for document in build_documents(answers, library, ["de", "en"])
        }

    return run


def section(text: str, title: str) -> str:
    """The clause whose heading ends with ``title``, up to the next heading."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and line.endswith(title))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return "\n".join(lines[start:end])


def test_measurements_are_the_basis_and_either_party_may_prove_otherwise(build: Callable[..., dict[str, str]]) -> None:
    """DE-S11, EN-N2: no Beweisfiktion; German and English say the same (no "conclusive save for manifest error")."""
    for example in ("telemarketing.yaml", "it-service.yaml"):
        text = build(example)
        assert "maßgeblich sind seine Messungen" not in text["de"]
        assert "Grundlage für die Ermittlung der Kennzahlen sind die Messungen des Auftragnehmers." in text["de"]
        assert (
            "Jeder Partei bleibt der Nachweis unbenommen, dass die tatsächlichen Werte von den Messungen abweichen."
            in (text["de"])
        )
        assert "decisive" not in text["en"]
        assert "manifest error" not in text["en"]
        assert "The indicators are determined on the basis of the measurements of the Provider." in text["en"]
        assert "Either Party may prove that the actual values differ from those measurements." in text["en"]


def test_third_party_measurements_leave_counter_proof_open(build: Callable[..., dict[str, str]]) -> None:
    text = build("it-service.yaml", {"monitoring.source": "third_party"})
    assert "Grundlage für die Ermittlung der Kennzahlen sind die Messungen des Dritten." in text["de"]
    assert "on the basis of the measurements of the third party" in text["en"]


def test_over_forecast_exclusion_only_above_the_tolerance_and_cites_the_forecast(
    build: Callable[..., dict[str, str]],
) -> None:
    """DE-S12, EN-S22: the exclusion no longer wipes out the tolerance; the forecast is in clause 3.2."""
    text = build("call-centre.yaml", {"service.forecast_tolerance": "20%"})
    de, en = section(text["de"], "Ausschlüsse"), section(text["en"], "Exclusions")
    assert (
        "ein Anrufaufkommen in einem Halbstundenintervall, das die Prognose des Auftraggebers nach Ziffer 3.2 um "
        "mehr als die Toleranz von 20 % nach Ziffer 2.4 übersteigt;" in de
    )
    assert (
        "call volumes in a half-hour interval that exceed the Customer’s forecast under clause 3.2 by more than the "
        "tolerance of 20% under clause 2.4;" in en
    )
    assert "### 3.2 Mitwirkung des Auftraggebers" in text["de"]
    assert "### 2.4 Messung des Servicelevels" in text["de"]


def test_provider_proves_an_exclusion(build: Callable[..., dict[str, str]]) -> None:
    """DE-N22."""
    text = build("it-service.yaml")
    assert (
        "Dass eine Verfehlung auf einem dieser Gründe beruht und in welchem Umfang, hat der Auftragnehmer nachzuweisen."
        in (text["de"])
    )
    assert (
        "The Provider bears the burden of proving that a failure is due to one of these reasons, and to what extent."
        in (text["en"])
    )


def test_service_hours_suspend_only_the_incident_time_limits(build: Callable[..., dict[str, str]]) -> None:
    """EN-S8: renewal notice, payment and termination windows keep running outside the Service Hours."""
    text = build("it-service.yaml")
    assert "all other time limits are suspended" not in text["en"]
    assert "all other time limits under clause 2.5 run only during the Service Hours." in text["en"]
    assert "No other time limit in this Agreement is affected by this." in text["en"]
    assert "alle anderen Fristen ruhen" not in text["de"]
    assert "alle anderen Fristen nach Ziffer 2.5 laufen nur während der Servicezeit." in text["de"]


def test_rto_replaces_the_priority_restore_time(build: Callable[..., dict[str, str]]) -> None:
    """EN-S7: which of RTO (8 h) and P1 restore (4 h) binds a restore from backup."""
    text = build("it-service.yaml")
    assert (
        "For an Incident that can only be remedied in this way, the RTO replaces the restore time that clause 2.5 "
        "sets for its priority" in text["en"]
    )
    assert (
        "Für eine Störung, die nur auf diese Weise behoben werden kann, tritt die RTO an die Stelle der "
        "Wiederherstellungszeit, die Ziffer 2.5 für ihre Priorität vorsieht" in text["de"]
    )


def test_backup_test_period_is_the_same_in_both_languages(build: Callable[..., dict[str, str]]) -> None:
    """EN-M4 (wording): "every six months" against "je Kalenderhalbjahr"."""
    text = build("it-service.yaml")
    assert "every six months" not in section(text["en"], "Backup and restoration")
    assert "At least once in each calendar half-year (January to June and July to December)" in text["en"]
    assert "mindestens einmal in jedem Kalenderhalbjahr (Januar bis Juni und Juli bis Dezember)" in text["de"]


def test_availability_rounding_month_and_partial_months(build: Callable[..., dict[str, str]]) -> None:
    """EN-S9, DE-S23, DE-N15, EN-N8."""
    text = build("it-service.yaml")
    en, de = section(text["en"], "Availability"), section(text["de"], "Verfügbarkeit")
    assert "truncated to two decimal places, not rounded" in en
    assert "a value of 99.899% is therefore 99.89%" in en
    assert "auf zwei Nachkommastellen abgeschnitten, nicht gerundet" in de
    assert "the minutes that actually elapse in it according to the time under clause 2.2" in en
    assert (
        "tatsächlich verstreichen; ein Kalendermonat mit der Umstellung auf die Sommerzeit hat daher 60 Minuten weniger"
        in de
    )
    assert "availability is calculated over that part only" in en
    assert "wird die Verfügbarkeit nur über diesen Teil ermittelt" in de
    assert "(1,440 minutes a day); only the calculation above is binding" in en
    assert "(1.440 Minuten je Tag); verbindlich ist allein die vorstehende Berechnung" in de
    assert "Availability relates only to the production environments of the Systems" in en
    assert "Die Verfügbarkeit bezieht sich nur auf die Produktivumgebungen der Systeme" in de
    assert "Availability is calculated for the Systems together" in en


def test_systems_are_a_defined_term(build: Callable[..., dict[str, str]]) -> None:
    """DE-S23, DE-S25: "Systeme" defined once, listed in the definitions."""
    text = build("it-service.yaml")
    assert "(nachstehend die „**Systeme**“)" in text["de"]
    assert "(the “**Systems**”)" in text["en"]
    assert "| Systeme | Ziffer 2.1 |" in text["de"]
    assert "| Systems | clause 2.1 |" in text["en"]
    assert "Availability of the agreed services" not in text["en"]


def test_availability_per_system_and_essential_functions(build: Callable[..., dict[str, str]]) -> None:
    text = build(
        "it-service.yaml",
        {
            "service.availability_basis": "per_system",
            "service.essential_functions": ["Wareneingang buchen", "Tourenplanung freigeben"],
        },
    )
    assert "Availability is calculated separately for each of the Systems" in text["en"]
    assert "the lowest availability calculated for any of the Systems in that month applies" in text["en"]
    assert "ist die niedrigste Verfügbarkeit maßgeblich" in text["de"]
    assert "the functions listed as essential in clause 2.1" in text["en"]
    assert "- Wareneingang buchen;" in text["de"]


def test_first_contact_survey_in_the_call_or_with_consent(build: Callable[..., dict[str, str]]) -> None:
    """DE-S14: a later survey is advertising (BGH VI ZR 225/17)."""
    text = build("call-centre.yaml")
    assert (
        "Die Nachbefragung findet unmittelbar im Anschluss an das Gespräch in derselben Verbindung statt" in text["de"]
    )
    assert "nur durch, wenn der Anrufer vorher ausdrücklich in sie eingewilligt hat" in text["de"]
    assert "The survey takes place immediately after the call, on the same connection" in text["en"]
    assert "only if the caller has expressly consented to this in advance" in text["en"]


def test_complaint_time_limits_counted_on_working_days(build: Callable[..., dict[str, str]]) -> None:
    """DE-S15: how 24 hours count, "Lösungsvorschlag", "2 Arbeitstage"."""
    text = build("telemarketing.yaml")
    de, en = section(text["de"], "Beschwerden und Eskalationsverfahren"), section(text["en"], "escalation procedure")
    assert "- **Lösungsvorschlag zu Beschwerden** (höchstens 24 Stunden)" in text["de"]
    assert "nicht fristgerecht gelöst" not in de
    assert "Teilt der Auftragnehmer nicht fristgerecht einen Lösungsvorschlag mit" in de
    assert "| 3 | Geschäftsführung | 2 Arbeitstage |" in de
    assert "und zwar mit 24 Stunden je Arbeitstag" in de
    assert "endet eine Frist von 24 Stunden am Montag um 16:00 Uhr" in de
    assert "| 3 | Directors | 2 Working Days |" in en
    assert "each Working Day counting as 24 hours" in en


def test_silence_on_a_lead_is_acceptance_after_notice(build: Callable[..., dict[str, str]]) -> None:
    """DE-S17: § 308 Nr. 5 BGB — reasonable period and notice of the effect."""
    text = build("telemarketing.yaml")
    assert (
        "Äußert sich der Auftraggeber nicht fristgerecht, gilt der Lead oder Termin als den Qualifizierungskriterien"
        in (text["de"])
    )
    assert (
        "auf die Frist und auf diese Folge ihres Ablaufs hin; unterbleibt der Hinweis, tritt die Folge nicht ein."
        in (text["de"])
    )
    assert "is deemed to meet the qualification criteria" in text["en"]
    assert "without that notice, the consequence does not apply." in text["en"]


def test_definitions_interpretation_rules_in_both_languages(build: Callable[..., dict[str, str]]) -> None:
    """EN-M4 ("including" only in English), DE-S25, DE-N5, EN-N6."""
    text = build("telemarketing.yaml")
    assert "Die Wörter „insbesondere“ und „einschließlich“ leiten Beispiele ein" in text["de"]
    assert "Verweise auf Gesetze und Verordnungen beziehen sich auf deren jeweils geltende Fassung." in text["de"]
    assert "as amended or re-enacted from time to time" in text["en"]
    assert "Words in the singular include the plural and vice versa." in text["en"]
    assert "Die folgenden Begriffe sind an den angegebenen Stellen dieser Vereinbarung bestimmt:" in text["de"]
    assert "beigelegt" not in text["de"]
    for term in ("„**Agent**“: jede Person", "„**Kampagne**“:", "„**Lead**“:"):
        assert term in text["de"]
    for term in ("“**Agent**” means", "“**Campaign**” means", "“**Lead**” means"):
        assert term in text["en"]


def test_audit_costs_follow_a_material_error(build: Callable[..., dict[str, str]]) -> None:
    """DE-N9, EN-N14."""
    text = build("it-service.yaml")
    assert "If the report was materially wrong to the Customer’s disadvantage" in text["en"]
    assert "or if a reported value differs from the correct value by more than 5%." in text["en"]
    assert "where a regulator requires the audit" in text["en"]
    assert "Jede Partei trägt die ihr durch die Prüfung entstehenden Kosten." in text["de"]
    assert "War der Bericht zum Nachteil des Auftraggebers wesentlich unzutreffend" in text["de"]


def test_approved_subcontractors_are_listed(build: Callable[..., dict[str, str]]) -> None:
    """EN-N15."""
    text = build("it-service.yaml", {"organisation.subcontractors": ["Nordhost Ltd, Leeds: hosting"]})
    assert "the Customer consents to the use of the following subcontractors for the services stated:" in text["en"]
    assert "- Nordhost Ltd, Leeds: hosting." in text["en"]
    assert "stimmt der Auftraggeber mit dieser Vereinbarung zu:" in text["de"]


def test_english_wording(build: Callable[..., dict[str, str]]) -> None:
    """EN-N2, EN-N3, DE-N3, DE-N6."""
    it = build("it-service.yaml")
    assert "It owes further development" not in it["en"]
    assert "The Provider is not required to develop the Systems further" in it["en"]
    assert "relevant vendor or publisher" in it["en"]
    assert "refer to UK time (GMT/BST)" in it["en"]
    assert "The Customer shall not charge for its cooperation." in it["en"]
    assert "“**Service Hours**” means 07:00 to 19:00" in it["en"]
    cc = build("call-centre.yaml")
    assert "die Einsatzplanung obliegt ihm" in cc["de"]
    assert "samstags von 22:00 Uhr bis sonntags 06:00 Uhr" in build("it-service-multi-level.yaml")["de"]


def test_english_law_call_centre_variation(library: Library) -> None:
    """legal-en.md variation 1: the service clauses read as English-law terms (EN-S22, EN-N2, EN-N15, DE-S14)."""
    answers = load_answers(Path(__file__).parent / "legal" / "service-call-centre-en-gb.yaml", library)
    assert answers.warnings == []
    text = {d.language: write_markdown(d).replace("\xa0", " ") for d in build_documents(answers, library, ["en"])}
    en = text["en"]
    assert "by more than the tolerance of 10% under clause 2.4;" in en
    assert "The survey takes place immediately after the call, on the same connection" in en
    assert "- Northdial Ltd, Leeds: overflow calls outside the Service Hours." in en
    assert "Either Party may prove that the actual values differ from those measurements." in en
    assert "refer to UK time (GMT/BST)" in en
    for german in ("BGB", "UWG", "unverzüglich", "decisive", "without delay"):
        assert german not in section(en, "Exclusions") + section(en, "Measurement and monitoring")
