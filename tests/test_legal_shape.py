"""The agreement's shape (issue 14, item 3): a schedule to a main contract, or a stand-alone contract.

Findings of the legal reviews: DE-M1, DE-S1, DE-S20, DE-S22, DE-N10, DE-N11, DE-N13 (legal-de.md) and EN-M6,
EN-M9, EN-S12, EN-S13, EN-S14, EN-S16, EN-S25, EN-N1, EN-N4 (legal-en.md). Each test builds an example or the
reviewer's variation and reads the clause text, the warning or the refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from slagen.answers import Answers, load_answers
from slagen.cli import main
from slagen.generate import build_documents
from slagen.library import Library
from slagen.termdates import term_end
from slagen.writers.markdown import write_markdown

from .conftest import DEMO, EXAMPLES, example_with

IT = EXAMPLES / "it-service.yaml"
MULTI = EXAMPLES / "it-service-multi-level.yaml"
CALL_CENTRE = EXAMPLES / "call-centre.yaml"

AS_SCHEDULE = {
    "agreement.main_contract.title": {"de": "IT-Dienstleistungsvertrag", "en": "IT Services Agreement"},
    "agreement.main_contract.date": "2027-02-01",
    "agreement.jurisdiction": ...,
    "agreement.term": ...,
    "liability": ...,
    "payment": ...,
    "legal": ...,
    "parties.provider.notice_email": ...,
    "parties.customer.notice_email": ...,
}
"""The it-service example as a schedule to a main contract (EN-M9's variation), without the answers it no longer reads."""

SCHEDULE_CLAUSES_LEFT_OUT = {
    "legal.liability",
    "legal.liability_ew",
    "legal.confidentiality",
    "legal.jurisdiction",
    "organisation.payment",
    "legal.exit",
}


def _answers(example: Path, changes: dict[str, Any], write_answers: Callable[..., Path], library: Library) -> Answers:
    text = yaml.safe_dump(example_with(example, changes), allow_unicode=True)
    return load_answers(write_answers(text), library)


def _texts(answers: Answers, library: Library) -> dict[str, str]:
    """The Markdown of each language, with no-break spaces as spaces."""
    return {
        doc.language: write_markdown(doc).replace("\xa0", " ")
        for doc in build_documents(answers, library, answers.values["languages"])
    }


def _clause(text: str, title: str) -> str:
    """The text of the clause headed ``title`` (up to the next heading)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("### ") and title in line)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return "\n".join(lines[start:end])


# --- the schedule shape: DE-M1, DE-S1, EN-M9, EN-M6 (with a main contract)


def test_demo_is_a_schedule_without_ordinary_termination(library: Library) -> None:
    answers = load_answers(DEMO, library)
    assert answers.warnings == []
    assert not {c.id for c in answers.clauses} & SCHEDULE_CLAUSES_LEFT_OUT
    de = _texts(answers, library)["de"]
    term = _clause(de, "Laufzeit")
    assert "Eine ordentliche Kündigung dieser Vereinbarung für sich allein ist ausgeschlossen" in term
    assert "Sie gilt für die Dauer des Hauptvertrags und endet mit ihm" in term
    assert "verlängert sich" not in term
    assert "mit einer Frist von" not in term
    force = _clause(de, "Höhere Gewalt")
    assert "kann jede Partei den Hauptvertrag und diese Vereinbarung, jeweils soweit sie die von dem Ereignis" in force
    assert "Im Voraus gezahlte Vergütung für die gekündigten Leistungen" in force
    precedence = _clause(de, "Vertragsbestandteile")
    assert "Für alle übrigen Gegenstände gilt der Hauptvertrag, insbesondere für die Haftung" in precedence
    assert "die Anforderungen an Werbeanrufe (Ziffer" in precedence
    assert "3. im Übrigen der Hauptvertrag." in precedence
    assert "### 7.2 Haftung" not in de
    assert "Gerichtsstand\n" not in de
    assert "für Schadensersatz gilt der Hauptvertrag" in de
    assert "Die Zahlungsbedingungen richten sich nach dem Hauptvertrag." in de
    assert "Für diese Vereinbarung gelten die Schlussbestimmungen des Hauptvertrags" in _clause(
        de, "Schlussbestimmungen"
    )


def test_call_centre_schedule_reaches_the_main_contract(library: Library) -> None:
    texts = _texts(load_answers(CALL_CENTRE, library), library)
    force = _clause(texts["en"], "Force majeure")
    assert "terminate the Main Contract and this Agreement, in each case to the extent that they concern" in force
    term = _clause(texts["en"], "Commencement")
    assert "Neither Party may terminate this Agreement on its own by notice" in term


def test_it_service_as_schedule_under_english_law(write_answers: Callable[..., Path], library: Library) -> None:
    answers = _answers(IT, AS_SCHEDULE, write_answers, library)
    assert answers.warnings == []
    assert not {c.id for c in answers.clauses} & SCHEDULE_CLAUSES_LEFT_OUT
    en = _texts(answers, library)["en"]
    term = _clause(en, "Commencement")
    assert "It continues for as long as the Main Contract and ends with it" in term
    assert "Neither Party may terminate this Agreement on its own by notice" in term
    assert "renews automatically" not in term
    assert (
        "Nothing in this Agreement affects either Party’s right at common law to accept a repudiatory breach." in term
    )
    force = _clause(en, "Force majeure")
    assert "either Party may, by notice in writing with immediate effect, terminate the Main Contract" in force
    assert "text form" not in en  # unknown to English law: notices are in writing
    precedence = _clause(en, "Contract documents")
    assert "forms part of the Main Contract" in precedence
    assert "All other matters are governed by the Main Contract, in particular liability" in precedence
    assert "any other agreements between the Parties" not in precedence  # EN-M6
    notices = _clause(en, "Notices")
    assert "shall be given, and are deemed received, as the Main Contract provides for notices" in notices
    assert "entire agreement" not in en  # the main contract's boilerplate governs


def test_schedule_ignores_the_answers_of_the_dropped_clauses(
    write_answers: Callable[..., Path], library: Library
) -> None:
    answers = _answers(IT, {**AS_SCHEDULE, "legal": {"confidentiality_years": 3}}, write_answers, library)
    assert [w.key for w in answers.warnings] == ["legal.confidentiality_years"]
    assert "applies only when the agreement is stand-alone" in answers.warnings[0].message


# --- the stand-alone shape: EN-M6, EN-S12, EN-S13, EN-S14, EN-S25, EN-N1, EN-N4, DE-S22, DE-N11


def test_stand_alone_english_law_is_the_complete_contract(library: Library) -> None:
    en = _texts(load_answers(IT, library), library)["en"]
    term = _clause(en, "Commencement")
    assert "ending on (and including) 28 February 2029" in term  # DE-S20: the first term's end is printed
    assert (
        "commits a material breach of this Agreement which is irremediable or, if remediable, is not remedied within 30 days"
        in term
    )
    assert "within the meaning of section 123 of the Insolvency Act 1986" in term
    assert (
        "The Customer may terminate this Agreement with immediate effect by giving notice to the Provider if the Provider"
        in term
    )
    assert "The Provider may terminate" not in term  # s. 233B Insolvency Act 1986: no supplier's insolvency right
    assert (
        "Nothing in this Agreement affects either Party’s right at common law to accept a repudiatory breach." in term
    )
    final = _clause(en, "Final provisions")
    for phrase in (
        "constitutes the entire agreement between the Parties and supersedes all previous agreements",
        "it does not rely on, and shall have no remedies in respect of, any statement, representation",
        "Nothing in this clause limits or excludes any liability for fraud or fraudulent misrepresentation.",
        "Neither Party shall assign, transfer, charge or otherwise deal with any of its rights",
        "No failure or delay by a Party to exercise any right or remedy",
        "Nothing in this Agreement creates a partnership or joint venture",
        "may be executed in any number of counterparts",
    ):
        assert phrase in final
    precedence = _clause(en, "Contract documents")
    assert "The contract documents are this Agreement and its Schedules, which form part of it" in precedence
    assert "any other agreements between the Parties" not in precedence
    exit_ = _clause(en, "Exit and transition")
    assert "in a common, structured and machine-readable format agreed between the Parties" in exit_
    assert "for up to 3 months after it ends, assist the Customer in transferring the services" in exit_
    assert "at the agreed rates" in exit_
    assert "shall not delete the Customer’s data until the Customer has confirmed in writing" in exit_
    assert "shall continue in force, in particular clause 7.2, clause 7.3, this clause and clause 7.7" in exit_
    notices = _clause(en, "Notices")
    assert "to the other Party at its address set out at the beginning of this Agreement" in notices
    assert "- for the Provider: legal@kestrel-ops.example" in notices
    assert "at 9:00 am on the second Working Day after posting" in notices
    assert "outside 9:00 am to 5:00 pm on a Working Day at the place of receipt" in notices
    force = _clause(en, "Force majeure")  # EN-S16
    assert "means an event or circumstance beyond the reasonable control of the affected Party" in force
    assert "attacks on information systems" in force
    assert "unless that failure is itself caused by a Force Majeure Event" in force
    assert "obligations to pay money are not affected" in force
    assert "whose registered office is at 4 Quay Street" in en  # EN-N1
    assert "represented by Priya Raman" not in en
    signatures = en[en.index("## Signatures") :]  # EN-S25
    assert "| Signed by Priya Raman, for and on behalf of Kestrel Cloud Operations Ltd |" in signatures
    assert "| Title: Director |" in signatures
    assert "| Date |" in signatures
    assert "Place" not in signatures


def test_stand_alone_german_law(library: Library) -> None:
    de = _texts(load_answers(MULTI, library), library)["de"]
    term = _clause(de, "Laufzeit")
    assert "Ein wichtiger Grund liegt insbesondere vor, wenn" in term
    assert "nicht innerhalb von 30 Tagen beseitigt, nachdem die kündigende Partei sie in Textform bezeichnet" in term
    assert "über das Vermögen des Auftragnehmers das Insolvenzverfahren eröffnet" in term
    assert "die mit Ablauf des " in term
    final = _clause(de, "Schlussbestimmungen")
    assert "die Vereinbarungen der Parteien über ihren Gegenstand vollständig wieder" in final
    assert "§ 354a HGB bleibt unberührt" in final
    assert "An die Stelle der unwirksamen oder undurchführbaren Bestimmung tritt die gesetzliche Regelung." in final
    exit_ = _clause(de, "Beendigung und Übergang")
    assert "löscht die Daten des Auftraggebers erst, nachdem der Auftraggeber in Textform bestätigt hat" in exit_
    notices = _clause(de, "Erklärungen")  # DE-N11
    assert "zu Händen ihrer gesetzlichen Vertreter unter ihrer in der Einleitung genannten Anschrift" in notices
    assert "solange eine Partei keine Ansprechpartner benannt hat" in notices


def test_exit_names_the_agreed_format(write_answers: Callable[..., Path], library: Library) -> None:
    changes = {"exit": {"assistance_months": 6, "data_format": {"de": "CSV und SQL-Export", "en": "CSV and SQL dump"}}}
    texts = _texts(_answers(MULTI, changes, write_answers, library), library)
    assert "im Format CSV und SQL-Export" in _clause(texts["de"], "Beendigung und Übergang")
    assert "for up to 6 months after it ends" in _clause(texts["en"], "Exit and transition")


# --- DE-S20: the term


@pytest.mark.parametrize(
    ("term", "length"),
    [
        (
            {"months": 1, "auto_renew": True, "renewal_months": 1, "notice_months": 3},
            "a notice period of 3 months is not shorter than the initial term (1 month,",
        ),
        ({"months": 24, "auto_renew": True, "renewal_months": 3, "notice_months": 3}, "each renewal (3 months"),
    ],
)
def test_notice_not_shorter_than_the_term_is_refused(
    term: dict[str, Any], length: str, write_answers: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_answers(yaml.safe_dump(example_with(MULTI, {"agreement.term": term}), allow_unicode=True))
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 2
    assert "agreement.term.notice_months" in result.stderr
    assert length in result.stderr


def test_notice_is_not_checked_without_renewal(write_answers: Callable[..., Path], library: Library) -> None:
    term = {"months": 2, "auto_renew": False, "notice_months": 3}
    answers = _answers(MULTI, {"agreement.term": term}, write_answers, library)
    assert answers.warnings == []


def test_long_term_in_a_provider_form_warns(write_answers: Callable[..., Path], library: Library) -> None:
    term = {"months": 60, "auto_renew": True, "renewal_months": 24, "notice_months": 3}
    answers = _answers(MULTI, {"agreement.term": term}, write_answers, library)
    assert [w.key for w in answers.warnings] == ["agreement.term.months", "agreement.term.renewal_months"]
    customer_form = _answers(
        MULTI, {"agreement.term": term, "agreement.drafted_by": "customer"}, write_answers, library
    )
    assert customer_form.warnings == []


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2027, 1, 1), 12, dt.date(2027, 12, 31)),
        (dt.date(2027, 3, 1), 24, dt.date(2029, 2, 28)),
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),  # § 188 (3) BGB
        (dt.date(2027, 12, 15), 1, dt.date(2028, 1, 14)),
    ],
)
def test_term_end(start: dt.date, months: int, end: dt.date) -> None:
    assert term_end(start, months) == end


# --- DE-N13: two signatories


def test_two_signatories(write_answers: Callable[..., Path], library: Library, tmp_path: Path) -> None:
    changes = {
        "parties.provider.co_signatory": "Max Sommer",
        "parties.provider.co_function": {"de": "Prokurist", "en": "Authorised Officer"},
    }
    answers = _answers(DEMO, changes, write_answers, library)
    texts = _texts(answers, library)
    assert "vertreten durch Jana Berger (Geschäftsführerin) und Max Sommer (Prokurist)" in texts["de"]
    signatures = texts["de"][texts["de"].index("## Unterschriften") :]
    assert "| Name: Max Sommer |  |\n| Funktion: Prokurist |  |" in signatures
    english = _texts(
        _answers(IT, {**changes, "parties.provider.co_function": "Director"}, write_answers, library), library
    )
    assert "| Signed by Max Sommer, for and on behalf of Kestrel Cloud Operations Ltd |  |" in english["en"]
    assert "| Name: Max Sommer |  |\n| Title: Director |  |" in english["en"]
    path = write_answers(yaml.safe_dump(example_with(DEMO, changes), allow_unicode=True), "two.yaml")
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "docx"), "--lang", "de"])
    assert result.exit_code == 0, result.output
