"""The law fits the parties (issue 14, item 6): Rome I, the courts, PECR, a business customer.

Each test builds an example or a reviewer's variation and asserts the clause text, the warning or
the refusal; findings DE-M5, DE-S7, DE-S8, DE-S19, DE-S21, DE-N1, DE-N21 and EN-M7, EN-M8, EN-S17,
EN-S21, EN-N11 of the legal reviews.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen.answers import Answers, load_answers
from slagen.errors import InputError
from slagen.generate import build_documents
from slagen.library import Library
from slagen.writers.markdown import write_markdown

from .conftest import EXAMPLES, example_with

ENGLISH_PARTIES = {
    "parties.provider.country": "GB",
    "parties.customer.country": "GB",
    "scope.territory": ["GB"],
    "price.currency": "GBP",
}
"""What an English-law variation of a German example states (EN-S21: no German defaults under English law)."""

DOMESTIC_ENGLISH_LAW = {
    "agreement.governing_law": "en-gb",
    "parties.provider.country": "DE",
    "parties.customer.country": "DE",
    "scope.territory": ["DE"],
    "price.currency": "EUR",
    "telemarketing.market": "de",
}
"""DE-M5: the demo under English law, both parties and the place of performance German."""

STAND_ALONE = {"agreement.main_contract": ...}
"""The demo without its main contract: a schedule leaves liability, the courts and the final provisions to it."""

GERMAN_COURT = {**STAND_ALONE, "agreement.jurisdiction": "Mannheim"}
"""The demo stand-alone with its own place of jurisdiction, the one the § 38 ZPO questions are about."""


def answers_of(example: str, changes: dict[str, Any], write: Callable[..., Path], library: Library) -> Answers:
    return load_answers(write(yaml.safe_dump(example_with(EXAMPLES / example, changes), allow_unicode=True)), library)


def texts(answers: Answers, library: Library) -> dict[str, str]:
    return {
        document.language: write_markdown(document).replace("\xa0", " ")
        for document in build_documents(answers, library, ["de", "en"])
    }


def refusal(example: str, changes: dict[str, Any], write: Callable[..., Path], library: Library) -> list[str]:
    with pytest.raises(InputError) as caught:
        answers_of(example, changes, write, library)
    return [f"{p.key}: {p.message}" for p in caught.value.problems]


def test_english_law_between_german_parties_warns_and_keeps_german_liability_and_severability(
    write_answers: Callable[..., Path], library: Library
) -> None:
    schedule = answers_of("telemarketing.yaml", DOMESTIC_ENGLISH_LAW, write_answers, library)
    assert [w.key for w in schedule.warnings] == ["agreement.governing_law"]
    assert "Rome I Art. 3 (3)" in schedule.warnings[0].message
    assert "Article 3(3) of the Rome I Regulation" in texts(schedule, library)["en"]
    answers = answers_of("telemarketing.yaml", {**DOMESTIC_ENGLISH_LAW, **STAND_ALONE}, write_answers, library)
    assert [w.key for w in answers.warnings] == ["agreement.governing_law"]
    assert "Rome I Art. 3 (3)" in answers.warnings[0].message
    assert "§§ 305-310 BGB" in answers.warnings[0].message
    chosen = {c.id for c in answers.clauses}
    assert "legal.liability" in chosen
    assert "legal.liability_ew" not in chosen
    text = texts(answers, library)
    assert "breach of essential contractual obligations" in text["en"]
    assert "deemed modified to the minimum extent" not in text["en"]
    assert "replaced by the applicable statutory provision" in text["en"]
    assert "Article 3(3) of the Rome I Regulation" in text["en"]
    assert "in dem geringsten Umfang als geändert" not in text["de"]
    assert "An die Stelle der unwirksamen oder undurchführbaren Bestimmung tritt die gesetzliche Regelung" in text["de"]


def test_english_law_between_english_parties_keeps_the_english_clauses(
    write_answers: Callable[..., Path], library: Library
) -> None:
    answers = answers_of("it-service.yaml", {}, write_answers, library)
    assert answers.warnings == []
    assert "legal.liability_ew" in {c.id for c in answers.clauses}
    assert "deemed modified to the minimum extent" in texts(answers, library)["en"]


def test_english_law_chooses_the_courts_of_england_and_wales_whatever_the_merchant_status(
    write_answers: Callable[..., Path], library: Library
) -> None:
    answers = answers_of("it-service.yaml", {"parties.customer.merchant": False}, write_answers, library)
    text = texts(answers, library)
    assert (
        "The courts of England and Wales have exclusive jurisdiction to settle any dispute or claim (including "
        "non-contractual disputes or claims)" in text["en"]
    )
    assert "sitting in London" in text["en"]
    assert "The courts of London" not in text["en"]
    assert "ausschließlich die Gerichte von England und Wales zuständig" in text["de"]
    assert not any("38" in w.message for w in answers.warnings)


def test_english_law_without_a_venue_and_non_exclusive(write_answers: Callable[..., Path], library: Library) -> None:
    changes = {"agreement.jurisdiction": ..., "agreement.exclusive_jurisdiction": False}
    text = texts(answers_of("it-service.yaml", changes, write_answers, library), library)
    assert "The courts of England and Wales have non-exclusive jurisdiction" in text["en"]
    assert "sitting in" not in text["en"]


def test_german_law_keeps_the_section_38_gate(write_answers: Callable[..., Path], library: Library) -> None:
    answers = answers_of(
        "telemarketing.yaml", {**GERMAN_COURT, "parties.customer.merchant": False}, write_answers, library
    )
    assert "legal.jurisdiction" not in {c.id for c in answers.clauses}
    assert any("§ 38 (1) ZPO" in w.message for w in answers.warnings)


def test_german_law_a_party_seated_abroad_may_agree_a_court(
    write_answers: Callable[..., Path], library: Library
) -> None:
    changes = {**GERMAN_COURT, "parties.customer.merchant": False, "parties.customer.country": "AT"}
    answers = answers_of("telemarketing.yaml", changes, write_answers, library)
    assert "legal.jurisdiction" in {c.id for c in answers.clauses}
    assert answers.warnings == []


def test_german_law_a_missing_merchant_answer_is_asked_for(
    write_answers: Callable[..., Path], library: Library
) -> None:
    found = refusal("telemarketing.yaml", {**GERMAN_COURT, "parties.customer.merchant": ...}, write_answers, library)
    assert any(f.startswith("parties.customer.merchant: missing:") for f in found)


def test_german_courts_in_english_are_named_in_english(write_answers: Callable[..., Path], library: Library) -> None:
    changes = {**STAND_ALONE, "agreement.jurisdiction": {"de": "Köln", "en": "Cologne (Köln)"}}
    text = texts(answers_of("call-centre.yaml", changes, write_answers, library), library)
    assert "The courts of Cologne (Köln) have exclusive jurisdiction" in text["en"]
    assert "Ausschließlicher Gerichtsstand für alle Streitigkeiten aus oder im Zusammenhang" in text["de"]
    assert "ist Köln." in text["de"]


def test_uk_telemarketing_follows_pecr_not_the_uwg(write_answers: Callable[..., Path], library: Library) -> None:
    changes = {"agreement.governing_law": "en-gb", "telemarketing.market": "uk", **ENGLISH_PARTIES}
    answers = answers_of("telemarketing.yaml", changes, write_answers, library)
    assert "legal.telemarketing_pecr" in {c.id for c in answers.clauses}
    text = texts(answers, library)
    for phrase in (
        "Privacy and Electronic Communications (EC Directive) Regulations 2003 (PECR)",
        "Telephone Preference Service (TPS) and Corporate Telephone Preference Service (CTPS) registers",
        "at least every 28 days",
        "suppression list",
        "Information Commissioner",
        "identify itself and the Customer",
    ):
        assert phrase in text["en"], phrase
    for word in ("UWG", "Bundesnetzagentur", "TDDDG", "presumed consent"):
        assert word not in text["en"], word
        assert word not in text["de"], word


def test_telemarketing_under_english_law_must_name_its_market(
    write_answers: Callable[..., Path], library: Library
) -> None:
    found = refusal(
        "telemarketing.yaml", {"agreement.governing_law": "en-gb", **ENGLISH_PARTIES}, write_answers, library
    )
    assert any(f.startswith("telemarketing.market: missing: under the laws of England and Wales") for f in found)


def test_english_law_refuses_german_defaults(write_answers: Callable[..., Path], library: Library) -> None:
    changes = {"parties.provider.country": ..., "scope.territory": ..., "service.time_zone": ..., "price.currency": ...}
    found = refusal("it-service.yaml", changes, write_answers, library)
    keys = {f.split(":")[0] for f in found}
    assert keys == {"parties.provider.country", "scope.territory", "service.time_zone", "price.currency"}


def test_business_telemarketing_splits_responsibility_by_source(
    write_answers: Callable[..., Path], library: Library
) -> None:
    text = texts(answers_of("telemarketing.yaml", {}, write_answers, library), library)["de"]
    for phrase in (
        "ausschließlich sonstige Marktteilnehmer im Sinne von § 7 Abs. 2 Nr. 1 UWG an, keine Verbraucher",
        "Für Unternehmen, deren Kontaktdaten der Auftraggeber überlässt, steht der Auftraggeber dafür ein",
        "Für Unternehmen, die der Auftragnehmer selbst ermittelt, steht der Auftragnehmer dafür ein",
        "hält vor dem ersten Anruf bei jedem Unternehmen die Umstände fest",
        "den Mangel kannte oder grob fahrlässig nicht kannte",
        "unterrichtet die andere Partei unverzüglich in Textform",
        "teilt dies dem Auftraggeber unverzüglich, spätestens am folgenden Arbeitstag, in Textform mit",
        "(Art. 21 DSGVO)",
        "(§ 15 Abs. 2 TDDDG)",
        "eine ihm zugeteilte Rufnummer, unter der er während der Anrufzeiten erreichbar ist",
    ):
        assert phrase in text, phrase
    assert "im nächsten Bericht mit. Der Auftragnehmer unterdrückt" not in text


def test_consumer_telemarketing_consent_names_the_advertiser_and_flows_both_ways(
    write_answers: Callable[..., Path], library: Library
) -> None:
    changes = {"telemarketing.audience": "consumers", "telemarketing.consent_by": "customer"}
    text = texts(answers_of("telemarketing.yaml", changes, write_answers, library), library)
    for phrase in (
        "Sie nennt den Auftraggeber als Werbenden, die beworbenen Waren oder Dienstleistungen und den Telefonanruf",
        "Im Werbeanruf selbst kann sie nicht eingeholt werden",
        "überlässt dem Auftragnehmer unverzüglich eine Kopie des Nachweises",
        "teilt dem Auftraggeber jeden Anruf, der sich auf eine Einwilligung stützt, mit Datum und Uhrzeit",
        "Jede Partei bewahrt die Nachweise fünf Jahre",
        "die Ansprache von Verbrauchern aus der vom Auftraggeber vorgegebenen Zielgruppe",
        "zwischen dem Auftraggeber und den angerufenen Personen schuldet er nicht",
    ):
        assert phrase in text["de"], phrase
    assert "Zielunternehmen" not in text["de"]
    assert "names the Customer as the advertiser" in text["en"]


def test_a_consumer_customer_is_refused(write_answers: Callable[..., Path], library: Library) -> None:
    found = refusal("telemarketing.yaml", {"parties.customer.consumer": True}, write_answers, library)
    assert any(
        f.startswith("parties.customer.consumer: slagen writes agreements between businesses only") for f in found
    )


def test_the_agreement_states_the_customer_acts_as_a_business(
    write_answers: Callable[..., Path], library: Library
) -> None:
    german = texts(answers_of("telemarketing.yaml", {}, write_answers, library), library)
    assert "als Unternehmer im Sinne von § 14 BGB" in german["de"]
    english = texts(answers_of("it-service.yaml", {}, write_answers, library), library)
    assert "the Customer does not deal as a consumer" in english["en"]
