"""The clauses' branches: variants of the examples build in both languages and say what their answers mean."""

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

INTERNAL: dict[str, Any] = {
    "agreement.kind": "internal",
    "agreement.company": "Rheinwerk Maschinenbau GmbH",
    "parties.provider.cost_centre": "4100",
    "parties.customer.cost_centre": "2200",
    "data_protection.processing": False,
    "data_protection.agreement": ...,  # one controller: no processing agreement to name
    "data_protection.agreement_date": ...,
    "parties.provider.register": ...,  # units of one legal entity have no register entries of their own
    "parties.customer.register": ...,
    **{
        key: ...
        for key in (
            "price",
            "payment",
            "liability",
            "credits",
            "agreement.governing_law",
            "parties.provider.country",
            "parties.customer.country",
        )
    },
}
"""An example made internal: the answers internal agreements need, without those only external ones take."""

GRADED = {"bands": [{"from": "70%", "below": "80%", "credit": "2%"}, {"below": "70%", "credit": "4%"}], "cap": "4%"}

VARIANTS: list[tuple[str, str, dict[str, Any], dict[str, list[str]], list[str]]] = [
    # (id, example, changes, phrases per language, clauses that must be left out)
    (
        "internal",
        "it-service.yaml",
        {**INTERNAL, "agreement.jurisdiction": ...},
        {
            "de": [
                "– nachstehend „**Leistungserbringer**“ –",
                "**Harbour Lane Logistics Ltd** (Kostenstelle 2200)",
                "Die Leistungen werden im Rahmen der innerbetrieblichen Leistungsverrechnung des Unternehmens zu dessen "
                "geltenden Verrechnungssätzen auf die Kostenstelle des Leistungsempfängers verrechnet.",
                "Einigen sie sich auch auf der letzten Stufe nicht, entscheidet die Geschäftsführung des Unternehmens "
                "Rheinwerk Maschinenbau GmbH abschließend.",
                "Datenquelle: Überwachungssystem des Leistungserbringers",
                "| Stufe | Zuständig | Reaktionszeit |",
                "| Leistungsempfänger – Service-Level-Verantwortlicher |",
                "## 7. Allgemeine Bestimmungen",
            ],
            "en": [
                "(the “**Providing Unit**”)",
                "does not create any rights or obligations enforceable in court",
                "the management of Rheinwerk Maschinenbau GmbH decides finally",
                "## 3.2 Receiving Unit obligations",
                "the Providing Unit’s monitoring system",
                "## 7. General Provisions",
            ],
        },
        [
            "legal.liability_ew",
            "legal.jurisdiction",
            "legal.law",
            "services.price",
            "organisation.payment",
            "organisation.credits",
            "legal.warranty",
        ],
    ),
    (
        "internal-call-centre",
        "call-centre.yaml",
        {
            **INTERNAL,
            "agreement.jurisdiction": ...,
            "agreement.main_contract.title": ...,
            "agreement.main_contract.date": ...,
            "allocation.monthly_amount": 9800,
        },
        {
            "de": [
                "## 3.2 Mitwirkung des Leistungsempfängers",
                "mit monatlich 9.800,00 € auf die Kostenstelle des Leistungsempfängers verrechnet",
                "Datenquelle: Statistik der Telefonanlage (ACD) des Leistungserbringers",
                "Die Rechte des Betriebsrats, insbesondere sein Mitbestimmungsrecht bei technischen Überwachungseinrichtungen "
                "(§ 87 Abs. 1 Nr. 6 BetrVG), bleiben unberührt",
                "## 3.4 Wiederholte Verfehlung",
                "1. die Richtlinien und Weisungen der Geschäftsführung des Unternehmens;",
            ],
            "en": [
                "at €9,800.00 per month",
                "The rights of the works council, in particular its right of co-determination over technical monitoring "
                "devices (section 87(1) no. 6 of the German Works Constitution Act, BetrVG), remain unaffected",
                "no contract under Article 28 GDPR is concluded",
                "either Party may ask the company’s management to decide",
            ],
        },
        ["organisation.credits", "legal.law", "legal.liability", "legal.jurisdiction", "services.price"],
    ),
    (
        "german-law-rental",
        "it-service.yaml",
        {
            "agreement.governing_law": "de",
            "agreement.contract_type": "rental",
            "liability": ...,
            "service.holidays": "DE-BY",
        },
        {
            "de": ["(§ 536a Abs. 1 BGB), ist ausgeschlossen", "gesetzlichen Feiertage im Freistaat Bayern"],
            "en": ["section 536a(1) BGB"],
        },
        ["legal.liability_ew"],
    ),
    (
        "gold-around-the-clock",
        "it-service.yaml",
        {"service.tier": "gold", "monitoring.source": "third_party"},
        {
            "en": [
                "“**Service Hours**” means every day, around the clock.",
                "| 31 days | 22 minutes and 19.2 seconds |",
                "an independent third party appointed jointly",
            ],
            "de": ["| 31 Tagen | 22 Minuten und 19,2 Sekunden |", "sonntags von 00:00 Uhr bis 06:00 Uhr"],
        },
        [],
    ),
    (
        "english-law-call-centre",
        "call-centre.yaml",
        {
            "agreement.main_contract": ...,  # stand-alone: the liability cap is this agreement's own
            "agreement.governing_law": "en-gb",
            "liability.cap": "percent",
            "parties.provider.country": "GB",
            "parties.customer.country": "GB",
            "scope.territory": ["GB"],
            "service.time_zone": "Europe/London",
            "price.currency": "GBP",
            "credits.legal_nature": "fee_adjustment",
            "service.abandoned_calls": "count_all",
            "data_protection.call_recording": False,
            "data_protection.recording_retention_days": ...,
        },
        {
            "en": [
                "adjust the fees to the quality of the services actually delivered",
                "÷ (answered calls + abandoned calls) × 100",
                "Nothing in this Agreement affects either Party’s right at common law to accept a repudiatory breach.",
            ]
        },
        ["legal.call_recording", "legal.liability"],
    ),
    (
        "abandoned-calls-excluded",
        "call-centre.yaml",
        {"service.abandoned_calls": "exclude_all", "price.monthly_fee": 12000},
        {
            "de": ["÷ angenommene Anrufe × 100", "**Monatsvergütung**“: die Vergütung", "12.000,00 €"],
            "en": ["÷ answered calls × 100", "€12,000.00"],
        },
        [],
    ),
    (
        "penalty",
        "call-centre.yaml",
        {"credits.legal_nature": "penalty", "agreement.model": "customer-specific", "credits.scheme": GRADED},
        {
            "de": [
                "Die Servicegutschriften sind eine Vertragsstrafe",
                "(§ 341 Abs. 3 BGB); es genügt",
                "von 70 % bis unter 80 %",
                "abweichend von der Leistungsstufe vereinbart",
            ],
            "en": ["contractual penalty (*Vertragsstrafe*)", "from 70% to below 80%"],
        },
        [],
    ),
    (
        "consumers-called",
        "telemarketing.yaml",
        {"telemarketing.audience": "consumers", "telemarketing.consent_by": "provider"},
        {
            "de": [
                "vor dem Anruf ausdrücklich eingewilligt hat",
                "(§ 7a Abs. 2 UWG)",
                "Die Einwilligungen der Verbraucher holt der Auftragnehmer ein",
            ],
            "en": ["(section 7a(2) UWG)", "The Provider shall obtain the consumers’ consents"],
        },
        [],
    ),
    (
        "no-merchant-english-law",
        "telemarketing.yaml",
        {
            "agreement.governing_law": "en-gb",
            "liability.cap": "percent",
            "parties.customer.merchant": ...,
            "parties.provider.merchant": ...,
            "agreement.jurisdiction": ...,
            "parties.provider.country": "GB",
            "parties.customer.country": "DE",
            "scope.territory": ["DE", "GB"],
            "price.currency": "GBP",
            "telemarketing.market": "uk",
            "agreement.main_contract": ...,
        },
        {
            "en": [
                "right at common law to accept a repudiatory breach",
                "Nothing in this Agreement limits or excludes",
                "The courts of England and Wales have exclusive jurisdiction",
            ]
        },
        ["legal.jurisdiction", "legal.liability", "legal.telemarketing"],
    ),
    (
        "multi-level-no-tier-chosen",
        "it-service-multi-level.yaml",
        {"service.tier": ...},
        {
            "en": [
                "The Customer shall choose one of these service tiers in text form before the services begin.",
                "Until the Customer has chosen, the Bronze service tier applies.",
                "| Indicator | Bronze | Silver | Gold | Measurement period |",
            ],
            "de": [
                "Bis zur Wahl gilt die Leistungsstufe „Bronze“.",
                "| Kennzahl | Bronze | Silver | Gold | Messzeitraum |",
            ],
        },
        ["annexes.deviations"],
    ),
    (
        "multi-level-call-centre",
        "call-centre.yaml",
        {"agreement.model": "multi-level", "service.offered_tiers": ["premium", "basic"], "service.tier": "premium"},
        {
            "en": [
                "| Indicator | Basic | Premium (agreed) | Measurement period |",
                "For each Service Tier, these are: 70% within 30 seconds (Basic); 90% within 20 seconds (Premium).",
                "shall not exceed 10% (Basic) or 10% (Premium) of the Monthly Fee",
            ],
            "de": ["- Premium: täglich von 07:00 bis 22:00 Uhr."],
        },
        ["annexes.deviations"],
    ),
    (
        "multi-level-telemarketing",
        "telemarketing.yaml",
        {
            "agreement.model": "multi-level",
            "service.offered_tiers": ["basic", "professional", "premium"],
            "service.tier": ...,
        },
        {
            "de": [
                "innerhalb von 48 Stunden (Basic), 24 Stunden (Professional) oder 12 Stunden (Premium) einen "
                "Lösungsvorschlag mit",
                "mindestens 2 (Basic), 4 (Professional) oder 8 (Premium) Aufzeichnungen aus",
            ],
            "en": ["Until the Customer has chosen, the Basic service tier applies."],
        },
        ["organisation.credits"],
    ),
]


def variant(example: str, changes: dict[str, Any]) -> dict[str, Any]:
    return example_with(EXAMPLES / example, changes)


@pytest.mark.parametrize(
    ("example", "changes", "phrases", "left_out"),
    [case[1:] for case in VARIANTS],
    ids=[case[0] for case in VARIANTS],
)
def test_variant_builds_and_says_what_it_means(
    example: str,
    changes: dict[str, Any],
    phrases: dict[str, list[str]],
    left_out: list[str],
    write_answers: Callable[..., Path],
    library: Library,
) -> None:
    answers = load_answers(write_answers(yaml.safe_dump(variant(example, changes), allow_unicode=True)), library)
    assert answers.warnings == []
    assert not {c.id for c in answers.clauses} & set(left_out)
    for document in build_documents(answers, library, ["de", "en"]):
        text = write_markdown(document).replace("\xa0", " ")
        missing = [p for p in phrases.get(document.language, []) if p.replace("\xa0", " ") not in text]
        assert missing == [], document.language
