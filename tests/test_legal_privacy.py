"""Legal review, data protection: the processing agreement exists, the law's own data-protection regime, call
recording by governing law, confidentiality, and the internal agreement as one legal entity.

Findings DE-M3, DE-S9, DE-S10, DE-N17 (German review) and EN-M3, EN-S18, EN-S23, EN-S24 (English review).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from slagen.answers import load_answers
from slagen.cli import main
from slagen.generate import build_documents
from slagen.library import Library
from slagen.writers.markdown import write_markdown

from .conftest import EXAMPLES, ROOT, example_with

LEGAL = ROOT / "tests" / "legal"
CALL_CENTRE_EW = LEGAL / "call-centre-ew.yaml"
"""Variation 1 of the English review: the call-centre catalog between two English companies, recording on."""

Write = Callable[..., Path]


def write(write_answers: Write, example: Path, changes: dict[str, Any]) -> Path:
    return write_answers(yaml.safe_dump(example_with(example, changes), allow_unicode=True))


def texts(path: Path, library: Library) -> dict[str, str]:
    """The Markdown of each language of the agreement, with plain spaces."""
    answers = load_answers(path, library)
    return {
        document.language: write_markdown(document).replace("\xa0", " ")
        for document in build_documents(answers, library, ["de", "en"])
    }


def clause(text: str, title: str) -> str:
    """The text of the clause headed ``title`` (up to the next heading)."""
    start = text.index(title)
    end = text.find("\n#", start + len(title))
    return text[start : end if end > 0 else None]


def build(path: Path, tmp_path: Path) -> Any:
    return CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "--format", "md"])


# --- DE-M3 / EN-M3: the processing agreement is named, or the contract does not build


@pytest.mark.parametrize("example", ["telemarketing.yaml", "it-service.yaml", "it-service-multi-level.yaml"])
def test_processing_without_a_named_processing_agreement_does_not_build(
    example: str, write_answers: Write, tmp_path: Path
) -> None:
    path = write(
        write_answers,
        EXAMPLES / example,
        {"data_protection.agreement": ..., "data_protection.agreement_date": ..., "data_protection.processing": True},
    )
    result = build(path, tmp_path)
    assert result.exit_code == 2, result.output
    assert "data_protection.agreement: the provider processes personal data on the customer's behalf" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_concluded_processing_agreement_needs_its_date(write_answers: Write, tmp_path: Path) -> None:
    path = write(write_answers, EXAMPLES / "telemarketing.yaml", {"data_protection.agreement_date": ...})
    result = build(path, tmp_path)
    assert result.exit_code == 2
    assert "data_protection.agreement_date: a concluded processing agreement is named by its date" in result.stderr


def test_the_concluded_processing_agreement_is_named_by_date(library: Library) -> None:
    text = texts(EXAMPLES / "telemarketing.yaml", library)
    de = clause(text["de"], "### 7.2 Datenschutz")  # a schedule: liability and confidentiality are the main contract's
    assert (
        "Für diese Verarbeitung gilt der Vertrag nach Art. 28 DSGVO, den die Parteien am 1. Dezember 2026 geschlossen"
        in de
    )
    assert "schließen darüber vor Beginn der Verarbeitung" not in text["de"]  # no longer only promised
    assert "| Auftragsverarbeitungsvertrag | Ziffer 7.2 |" in text["de"]
    assert "der Auftragsverarbeitungsvertrag nach Ziffer 7.2;" in text["de"]  # precedence
    en = clause(text["en"], "### 7.2 Data protection")
    assert "the contract under Article 28 GDPR that the Parties entered into on 1 December 2026" in en


def test_an_annexed_processing_agreement_is_an_annex(library: Library) -> None:
    text = texts(EXAMPLES / "telemarketing-custom.yaml", library)
    assert "der dieser Vereinbarung als Anlage 5 beigefügt ist" in text["de"]
    assert "## Anlage 5 – Auftragsverarbeitungsvertrag" in text["de"]
    assert "attached to this Agreement as Annex 5 (the “**Processing Agreement**”)" in text["en"]


ART_28_3 = {
    "de": [
        "## Anlage 4 – Auftragsverarbeitung (Art. 28 Abs. 3 DSGVO)",
        "**Gegenstand und Dauer.**",
        "**Art und Zweck.**",
        "**Arten personenbezogener Daten.**",
        "**Kategorien betroffener Personen.**",
        "nur auf dokumentierte Weisung des Auftraggebers",  # lit. a
        "zur Vertraulichkeit verpflichtet haben oder einer angemessenen gesetzlichen Verschwiegenheitspflicht",  # b
        "die technischen und organisatorischen Maßnahmen nach Art. 32 DSGVO",  # c
        "weitere Auftragsverarbeiter nur mit vorheriger gesonderter Genehmigung",  # d
        "bei der Einhaltung der Pflichten nach Art. 32 bis 36 DSGVO",  # e, f
        "löscht der Auftragnehmer nach Wahl des Auftraggebers alle personenbezogenen Daten oder gibt sie ihm zurück",  # g
        "ermöglicht Überprüfungen einschließlich Inspektionen",  # h
        "spätestens innerhalb von 48 Stunden",  # breach notification (Art. 33 (2))
    ],
    "en": [
        "## Annex 4 – Processing of personal data (Article 28(3) GDPR)",
        "only on documented instructions from the Customer",
        "committed themselves to confidentiality or are under an appropriate statutory obligation",
        "the technical and organisational measures required by Article 32 GDPR",
        "only with the Customer’s prior specific authorisation",
        "obligations under Articles 32 to 36 GDPR",
        "delete or return all personal data and delete existing copies",
        "shall allow for and contribute to audits, including inspections",
        "without undue delay, and in any event within 48 hours",
    ],
}


def test_the_fallback_annex_carries_the_article_28_3_terms(library: Library) -> None:
    text = texts(EXAMPLES / "it-service-multi-level.yaml", library)
    for language, phrases in ART_28_3.items():
        assert [p for p in phrases if p not in text[language]] == [], language
    assert "Für diese Verarbeitung gelten die Bestimmungen der Anlage 4" in text["de"]
    assert "sowie der Auftragsverarbeitungsvertrag nach Ziffer 7.4." in text["de"]  # a contract document
    assert "der Auftragsverarbeitungsvertrag (Anlage 4);" in text["de"]  # first in precedence
    assert "and the Processing Agreement under clause 7.4." in text["en"]
    precedence = "1. for the processing of personal data on behalf of the Customer, the Processing Agreement (Annex 4);"
    assert precedence in text["en"]


def test_the_fallback_annex_under_english_law_cites_the_uk_gdpr(library: Library) -> None:
    text = texts(EXAMPLES / "it-service.yaml", library)
    annex = clause(text["en"], "## Schedule 4 – Processing of personal data (Article 28(3) UK GDPR)")
    assert "the technical and organisational measures required by Article 32 UK GDPR" in annex
    assert "the law of the United Kingdom or of a part of the United Kingdom" in annex
    assert "in writing (e-mail being sufficient)" in annex
    assert "text form" not in annex
    assert "Art. 28 Abs. 3 UK GDPR" in text["de"]


def test_liability_under_the_processing_agreement_follows_the_agreements_cap(library: Library) -> None:
    text = texts(EXAMPLES / "it-service.yaml", library)
    assert (
        "except liability: liability between the Parties under or in connection with the Processing Agreement or for "
        "breach of data protection obligations is subject to the provisions on liability that apply to this "
        "Agreement, including their limits"
    ) in text["en"]
    assert "nicht aber in der Haftung" in texts(EXAMPLES / "telemarketing.yaml", library)["de"]


def test_a_processing_agreement_signed_after_the_effective_date_is_warned_about(
    write_answers: Write, library: Library
) -> None:
    path = write(write_answers, EXAMPLES / "telemarketing.yaml", {"data_protection.agreement_date": "2027-02-01"})
    warnings = [f"{w.key}: {w.message}" for w in load_answers(path, library).warnings]
    assert any(
        w.startswith("data_protection.agreement_date: the processing agreement is dated after") for w in warnings
    )


# --- EN-M3 (and DE-S18 for the German text): English law names the UK regime


def test_english_law_cites_the_uk_gdpr_not_the_gdpr_alone(library: Library) -> None:
    text = texts(EXAMPLES / "it-service.yaml", library)
    en = clause(text["en"], "### 7.4 Data protection")
    assert "“**Data Protection Legislation**” means the UK GDPR" in en
    assert "the Data Protection Act 2018" in en
    assert "to the extent that it applies to the processing, Regulation (EU) 2016/679 (the EU GDPR)" in en
    assert "General Data Protection Regulation (GDPR)" not in text["en"]
    assert "Article 28(3) UK GDPR" in en
    de = clause(text["de"], "### 7.4 Datenschutz")
    assert "„**Datenschutzvorschriften**“ im Sinne dieser Vereinbarung sind die UK GDPR" in de
    assert "Datenschutz-Grundverordnung" not in text["de"]


def test_english_law_adds_pecr_where_calls_are_made(library: Library) -> None:
    text = texts(CALL_CENTRE_EW, library)
    assert "the Privacy and Electronic Communications (EC Directive) Regulations 2003 (PECR)" in text["en"]
    assert "PECR" not in texts(EXAMPLES / "it-service.yaml", library)["en"]


def test_german_law_cites_the_dsgvo_and_the_bdsg(library: Library) -> None:
    text = texts(EXAMPLES / "call-centre.yaml", library)
    assert (
        "die Verordnung (EU) 2016/679 (Datenschutz-Grundverordnung, DSGVO) und das Bundesdatenschutzgesetz"
        in text["de"]
    )
    assert "UK GDPR" not in text["de"]


# --- DE-S9 / EN-S23: call recording by governing law


def test_german_law_recording_needs_written_agent_consent_and_the_works_council(library: Library) -> None:
    de = clause(texts(EXAMPLES / "call-centre.yaml", library)["de"], "### 7.3 Gesprächsaufzeichnung")
    assert "gesondert schriftlich oder elektronisch ein (§ 26 Abs. 2 BDSG)" in de
    assert "jederzeit mit Wirkung für die Zukunft widerrufen" in de
    assert "Die Einwilligung gilt nur für das jeweilige Gespräch" in de
    assert "(§ 87 Abs. 1 Nr. 6 BetrVG), bleiben unberührt" in de
    assert "im Namen des Auftraggebers als Verantwortlichen" in de
    assert "indem er die Einwilligungsabfrage und die Antwort aufzeichnet" in de


def test_the_recordings_kpi_counts_only_agents_whose_calls_may_be_recorded(library: Library) -> None:
    text = texts(EXAMPLES / "telemarketing.yaml", library)
    quality = clause(text["de"], "### 2.3 Qualitätssicherung")
    assert "je eingesetztem Agenten, dessen Gespräche danach aufgezeichnet werden dürfen" in quality
    assert "diese Agenten zählen für den Leistungsparameter nicht" in quality
    assert "Agenten ohne solche Aufzeichnungen zählen nicht" in text["de"]  # the KPI's formula (annex)
    assert "for each agent deployed whose calls may be recorded under that clause" in text["en"]


def test_english_law_records_on_notice_and_legitimate_interests(library: Library) -> None:
    text = texts(CALL_CENTRE_EW, library)
    en = clause(text["en"], "### 7.5 Call recording")
    assert "the Investigatory Powers Act 2016 and the Investigatory Powers (Interception by Businesses etc." in en
    assert "legitimate interests of the Customer, as controller" in en
    assert "(Article 6(1)(f) UK GDPR)" in en
    assert "data protection impact assessment" in en
    assert "that they may object" in en
    assert "Recording does not rely on the agents’ consent." in en
    assert "express prior consent" not in en
    assert "StGB" not in text["en"]
    assert "BDSG" not in text["en"]
    assert "Investigatory Powers Act 2016" in text["de"]
    assert "§ 201 StGB" not in text["de"]


def test_english_law_keeps_opt_in_as_an_option(write_answers: Write, library: Library) -> None:
    path = write(write_answers, CALL_CENTRE_EW, {"data_protection.recording_basis": "consent"})
    en = clause(texts(path, library)["en"], "### 7.5 Call recording")
    assert "the call is recorded only if that party agrees by an active statement, such as pressing a key" in en
    assert "Article 6(1)(f) UK GDPR" in en  # agents stay on legitimate interests, not consent


def test_german_law_refuses_recording_on_notice(write_answers: Write, tmp_path: Path) -> None:
    path = write(write_answers, EXAMPLES / "call-centre.yaml", {"data_protection.recording_basis": "notice"})
    result = build(path, tmp_path)
    assert result.exit_code == 2
    assert "data_protection.recording_basis: recording a call on notice alone is not lawful under German law" in (
        result.stderr
    )


# --- DE-S10 / EN-S18: confidentiality


def test_confidentiality_permits_disclosures_and_protects_secrets_while_secret(
    write_answers: Write, library: Library
) -> None:
    # stand-alone: a schedule leaves confidentiality to its main contract
    text = texts(write(write_answers, EXAMPLES / "call-centre.yaml", {"agreement.main_contract": ...}), library)
    de = clause(text["de"], "### 7.3 Vertraulichkeit")
    assert "die zur Offenlegung verpflichtete Partei" in de
    assert "offenlegende Partei" not in de
    assert "Rechts-, Steuer- und Wirtschaftsberatern und Abschlussprüfern" in de
    assert "ihren Versicherern und ihren Finanzierungsgebern" in de
    assert "Für Geschäftsgeheimnisse im Sinne von § 2 Nr. 1 GeschGehG besteht sie fort, solange sie geheim sind" in de
    assert "gibt jede Partei Vertrauliche Informationen der anderen Partei auf deren Verlangen zurück" in de
    en = clause(texts(EXAMPLES / "it-service.yaml", library)["en"], "### 7.3 Confidentiality")
    assert "the Party required to disclose it" in en
    assert "disclosing Party" not in en
    assert "its insurers and its financiers" in en
    assert "need to know" in en
    assert "for trade secrets it continues for as long as they remain secret" in en
    assert "GeschGehG" not in en
    assert "return, destroy or delete the other Party’s Confidential Information" in en


# --- EN-S24 / DE-N17: the internal agreement is one legal entity


INTERNAL_GB: dict[str, Any] = {
    "agreement.kind": "internal",
    "agreement.company": "Harbour Lane Logistics Ltd",
    "parties.provider.cost_centre": "IT-100",
    "parties.customer.cost_centre": "OPS-200",
    "data_protection.processing": False,
    "scope.territory": ["GB"],
    **{
        key: ...
        for key in (
            "price",
            "payment",
            "liability",
            "credits",
            "agreement.governing_law",
            "agreement.jurisdiction",
            "data_protection.agreement",
            "parties.provider.register",
            "parties.customer.register",
            "parties.provider.country",
            "parties.customer.country",
        )
    },
}


def test_an_internal_agreement_of_an_english_company_cites_the_uk_gdpr(write_answers: Write, library: Library) -> None:
    path = write(write_answers, EXAMPLES / "it-service.yaml", INTERNAL_GB)
    assert load_answers(path, library).warnings == []
    text = texts(path, library)
    assert "(Article 4(7) UK GDPR)" in text["en"]
    assert "Article 4(7) GDPR" not in text["en"]
    assert "(Art. 4 Nr. 7 UK GDPR)" in text["de"]
    assert "DSGVO" not in text["de"]
    assert "This Agreement presupposes that both units belong to the same legal entity" in text["en"]
    assert "demselben Rechtsträger angehören" in text["de"]


def test_an_internal_agreement_between_registered_companies_is_warned_about(
    write_answers: Write, library: Library
) -> None:
    changes = {**INTERNAL_GB, "parties.provider.register": "Registered in England and Wales, company no. 08412733"}
    warnings = [
        f"{w.key}: {w.message}"
        for w in load_answers(write(write_answers, EXAMPLES / "it-service.yaml", changes), library).warnings
    ]
    assert any(w.startswith("agreement.kind: an internal agreement is for units of one legal entity") for w in warnings)


def test_internal_confidentiality_refers_to_the_company_policies(library: Library) -> None:
    text = texts(EXAMPLES / "it-service-internal.yaml", library)
    de = clause(text["de"], "### 7.1 Vertraulichkeit")
    assert "nach den Richtlinien des Unternehmens zu Geheimhaltung und Informationssicherheit" in de
    assert "Jahre" not in de
    assert (
        "sie handeln durch die im Eingang genannten verantwortlichen Leitungen und sind keine Vertragsparteien"
        in (text["de"])
    )
