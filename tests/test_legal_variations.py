"""The variations of both legal reviews (issue 14), one answers file each, with the text that settles the row.

`reviews/legal-de.md` section 6 ("Variations built", 20 rows) and `reviews/legal-en.md` section 7 (14 rows):
every row has a file `tests/legal/variations/<review>-<nn>-<name>.yaml` (English row 1 is
`tests/legal/call-centre-ew.yaml`, reused). A variation that is refused on purpose is checked through the command
line (exit 2, the key and the reason in the message); where the reviewer's intent builds once the now-required
answers are added, a second file with the same row number builds it. Each built variation asserts the sentences
that settle the row's findings, in both languages where the clause exists in both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.answers import Answers, load_answers
from slagen.cli import main
from slagen.generate import build_documents
from slagen.library import Library
from slagen.writers.markdown import write_markdown

LEGAL = Path(__file__).resolve().parent / "legal"
VARIATIONS = LEGAL / "variations"
EN_01 = LEGAL / "call-centre-ew.yaml"
"""English row 1 (the call-centre catalog under English law), already used by tests/test_legal_privacy.py."""

Texts = dict[str, str]
Check = Callable[[Answers, Texts], None]
CHECKS: dict[str, Check] = {}


def builds(name: str) -> Callable[[Check], Check]:
    """Register the check of a variation that builds."""

    def register(check: Check) -> Check:
        CHECKS[name] = check
        return check

    return register


def clause(text: str, title: str) -> str:
    """The text of the clause whose heading (### n.n Title) ends with the title, up to the next heading."""
    match = re.search(rf"^### \d+\.\d+ {re.escape(title)}\n(.*?)(?=^##)", text + "\n## ", re.S | re.M)
    assert match, f"no clause '{title}'"
    return match.group(1)


def number(text: str, title: str) -> str:
    """The number (n.n) of the clause whose heading ends with the title."""
    match = re.search(rf"^### (\d+\.\d+) {re.escape(title)}$", text, re.M)
    assert match, f"no clause '{title}'"
    return match.group(1)


def headings(text: str) -> list[str]:
    return re.findall(r"^### (.+)$", text, re.M)


def warned(answers: Answers) -> dict[str, str]:
    return {w.key: w.message for w in answers.warnings}


# ---------------------------------------------------------------- refused on purpose: exit 2, key and reason

REFUSED: dict[str, list[str]] = {
    "de-07-it-service-penalty": [
        "credits.legal_nature: under the laws of England and Wales a clause is unenforceable if it is penal "
        "(Cavendish v Makdessi [2015] UKSC 67)",
    ],
    "de-08-telemarketing-english-law": [
        "scope.territory: missing: under the laws of England and Wales state scope.territory",
        "price.currency: missing: under the laws of England and Wales state price.currency",
        "telemarketing.market: missing: under the laws of England and Wales state telemarketing.market",
        "parties.provider.country: missing: under the laws of England and Wales state parties.provider.country",
        "parties.customer.country: missing: under the laws of England and Wales state parties.customer.country",
        "service.time_zone: missing: under the laws of England and Wales state service.time_zone",
    ],
    "de-10-call-centre-english-law": [
        "scope.territory: missing: under the laws of England and Wales",
        "price.currency: missing: under the laws of England and Wales",
        "parties.provider.country: missing: under the laws of England and Wales",
        "parties.customer.country: missing: under the laws of England and Wales",
        "service.time_zone: missing: under the laws of England and Wales state service.time_zone",
    ],
    "de-11-telemarketing-internal": [
        "agreement.company: missing: internal only",
        "agreement.main_contract.title: an internal agreement supplements no services contract",
        "parties.provider.cost_centre: missing",
        "parties.customer.cost_centre: missing",
        "data_protection.processing: units of one company are one controller under the GDPR",
    ],
    "de-16-telemarketing-notice-as-long-as-term": [
        "agreement.term.notice_months: a notice period of 3 months is not shorter than the initial term "
        "(1 month, agreement.term.months)",
    ],
    "de-18-liability-without-gross-negligence": [
        "liability.unlimited: liability for gross negligence cannot be limited in standard terms "
        "(§ 309 Nr. 7 b BGB via § 307): keep 'gross_negligence' in the list",
        "liability.unlimited: liability for injury to life, body or health cannot be limited in standard terms "
        "(§ 309 Nr. 7 a BGB via § 307)",
        "liability.unlimited: liability under the Product Liability Act cannot be limited (§ 14 ProdHaftG)",
        "liability.unlimited: a guarantee cannot be limited by the terms that give it (§ 444 BGB)",
        "liability.unlimited: liability for fraudulent concealment cannot be limited (§ 444 BGB)",
    ],
    "de-19-credits-scheme-gap-low-cap": [
        "credits.scheme.bands.0.below: band 1 must end at the target (80 %)",
        "credits.scheme.bands.1.below: band 2 must end where band 1 begins (70 %)",
        "credits.scheme.bands.1.credit: the credit must grow as the service gets worse",
        "credits.scheme.cap: the cap (4 %) is below the highest credit (6 %)",
    ],
    "de-20-recording-without-processing": [
        "data_protection.processing: call recordings are personal data the provider processes for the customer: "
        "set data_protection.processing: true",
    ],
    "en-03-call-centre-penalty": [
        "credits.legal_nature: under the laws of England and Wales a clause is unenforceable if it is penal "
        "(Cavendish v Makdessi [2015] UKSC 67), and 'penalty' says it is; choose liquidated_damages or "
        "fee_adjustment",
    ],
    "en-05-it-service-cap-1000": ["liability.cap_percent: 1000 is above the maximum of 500%"],
    "en-07-it-service-unlimited-fraud-only": [
        "liability.unlimited: liability for death or personal injury caused by negligence cannot be excluded "
        "(Unfair Contract Terms Act 1977, s. 2(1)): keep 'life_body_health' in the list",
        "liability.unlimited: liability under the Consumer Protection Act 1987 cannot be limited (s. 7): keep "
        "'product_liability' in the list",
    ],
    "en-10-telemarketing-english-law": [
        "telemarketing.market: missing: under the laws of England and Wales state telemarketing.market, where the "
        "numbers called are (the default is Germany, where the UWG applies)",
    ],
    "en-11-it-service-german-defaults": [
        "scope.territory: missing: under the laws of England and Wales state scope.territory",
        "service.time_zone: missing: under the laws of England and Wales state service.time_zone",
        "price.currency: missing: under the laws of England and Wales state price.currency",
    ],
}


# ---------------------------------------------------------------- legal-de.md section 6


@builds("de-01-telemarketing-customer-not-merchant")
def de_01(answers: Answers, text: Texts) -> None:
    assert warned(answers)["agreement.jurisdiction"].startswith(
        "ignored: a place of jurisdiction can be agreed in advance only if both parties are merchants or public "
        "entities (§ 38 (1) ZPO), and the customer is neither"
    )
    assert "legal.jurisdiction" not in {c.id for c in answers.clauses}
    assert "Gerichtsstand" not in text["de"]
    assert "jurisdiction" not in text["en"].lower()
    assert "Mannheim" not in clause(text["de"], "Anwendbares Recht")
    titles = headings(text["de"])  # the numbering closes the gap
    at = titles.index("7.9 Anwendbares Recht")
    assert titles[at + 1] == "7.10 Erklärungen und Änderungen"


@builds("de-02-call-centre-customer-public-entity")
def de_02(answers: Answers, text: Texts) -> None:
    assert answers.warnings == []
    assert (
        "Ausschließlicher Gerichtsstand für alle Streitigkeiten aus oder im Zusammenhang mit dieser Vereinbarung "
        "ist Köln." in clause(text["de"], "Gerichtsstand")
    )
    assert (
        "The courts of Cologne (Köln) have exclusive jurisdiction over all disputes arising out of or in connection "
        "with this Agreement." in clause(text["en"], "Place of jurisdiction")
    )


def english_courts(answers: Answers, text: Texts, venue: str) -> None:
    """EN-M7 / DE-S19: the courts of England and Wales, with the venue, whatever the HGB says."""
    assert not any("38" in w.message for w in answers.warnings)
    en = clause(text["en"], "Jurisdiction")
    assert (
        "The courts of England and Wales have exclusive jurisdiction to settle any dispute or claim (including "
        "non-contractual disputes or claims) arising out of or in connection with this Agreement or its subject "
        "matter or formation." in en
    )
    assert (
        f"Proceedings shall be issued in the courts of England and Wales sitting in {venue}, without prejudice to "
        "any power of the court to transfer them." in en
    )
    assert f"The courts of {venue}" not in text["en"]
    de = clause(text["de"], "Gerichtsstand")
    assert "sind ausschließlich die Gerichte von England und Wales zuständig." in de
    assert f"Klagen sind bei den Gerichten von England und Wales mit Sitz in {venue} zu erheben" in de
    assert "ZPO" not in de


@builds("de-03-it-service-customer-not-merchant")
def de_03(answers: Answers, text: Texts) -> None:
    english_courts(answers, text, "London")


PENALTY_DE = (
    "Die Servicegutschriften sind eine Vertragsstrafe, die der Auftragnehmer verwirkt, wenn er den Zielwert "
    "verfehlt, es sei denn, er hat die Verfehlung nicht zu vertreten"
)
PENALTY_EN = (
    "The Service Credits are a contractual penalty (*Vertragsstrafe*) that the Provider incurs if it misses the "
    "target, unless it is not responsible for the failure (*es sei denn, er hat die Verfehlung nicht zu vertreten*)"
)


def penalty_wording(text: Texts) -> None:
    de, en = clause(text["de"], "Servicegutschriften"), clause(text["en"], "Service Credits")
    assert PENALTY_DE in de
    assert "Die Vertragsstrafe wird auf einen Schadensersatzanspruch wegen derselben Verfehlung angerechnet" in de
    assert "sie werden daher vom Bruttobetrag der Rechnung abgezogen, und die Umsatzsteuer auf die Vergütung " in de
    assert PENALTY_EN in en
    assert "The penalty is set off against any claim for damages for the same failure" in en
    assert "so they are deducted from the gross amount of the invoice and the VAT on the fees is unaffected" in en


@builds("de-04-call-centre-penalty")
def de_04(answers: Answers, text: Texts) -> None:
    assert answers.warnings == []  # the provider's own terms: the AGB control does not protect the drafter
    penalty_wording(text)


@builds("de-04-call-centre-penalty-customer-terms")
def de_04_customer(answers: Answers, text: Texts) -> None:
    assert warned(answers)["credits.legal_nature"] == (
        "the customer's standard terms: penalties of up to 10 % of the monthly fee a month add up to 10 % of the "
        "annual fees, above the 5 % of the order value that standard terms are unlikely to survive "
        "(BGH VII ZR 210/01); cap them per contract year with credits.annual_cap: 5%"
    )
    penalty_wording(text)


@builds("de-05-multi-level-gold-penalty")
def de_05(answers: Answers, text: Texts) -> None:
    assert answers.warnings == []
    penalty_wording(text)
    assert "höchstens 20 % (Bronze), 30 % (Silver) oder 50 % (Gold) der Monatsvergütung" in text["de"]
    assert "shall not exceed 20% (Bronze), 30% (Silver) or 50% (Gold) of the Monthly Fee" in text["en"]


@builds("de-05-multi-level-gold-penalty-customer-terms")
def de_05_customer(answers: Answers, text: Texts) -> None:
    assert warned(answers)["credits.legal_nature"].startswith(
        "the customer's standard terms: penalties of up to 50 % of the monthly fee a month add up to 50 % of the "
        "annual fees, above the 5 % of the order value"
    )
    penalty_wording(text)


@builds("de-06-call-centre-fee-adjustment")
def de_06(answers: Answers, text: Texts) -> None:
    de, en = clause(text["de"], "Servicegutschriften"), clause(text["en"], "Service Credits")
    assert (
        "Als Anpassung der Vergütung mindern sie deren Nettobetrag, und die Umsatzsteuer wird auf den geminderten "
        "Betrag berechnet (§ 17 UStG)." in de
    )
    assert (
        "Die Servicegutschriften passen die Vergütung an die tatsächlich erbrachte Qualität der Leistungen an; " in de
    )
    assert "sie setzen kein Verschulden des Auftragnehmers voraus" in de
    assert "Servicegutschriften werden auf Schadensersatz wegen derselben Verfehlung" in de
    assert (
        "as an adjustment of the fees they reduce the net fees, and VAT is charged on the reduced amount "
        "(section 17 UStG)" in en
    )
    assert (
        "The Service Credits adjust the fees to the quality of the services actually delivered (*Vergütungsanpassung*); "
        "they do not require fault on the part of the Provider. The Customer’s claims for damages remain unaffected; "
        "Service Credits are set off against damages for the same failure." in en
    )
    assert "Bruttobetrag" not in de


ROME_I_WARNING = (
    "both parties sit in Germany and the services are performed from Germany: the laws of England and Wales cannot "
    "set aside German mandatory law there (Rome I Art. 3 (3)), so German standard-terms law (§§ 305-310 BGB) still "
    "applies; the German liability and severability clauses are kept"
)


def german_law_kept(answers: Answers, text: Texts, *, stand_alone: bool) -> None:
    """DE-M5: the Rome I warning, the clause that says so, and (stand-alone) the German liability clause."""
    assert warned(answers)["agreement.governing_law"].startswith(ROME_I_WARNING)
    assert "Article 3(3) of the Rome I Regulation" in clause(text["en"], "Governing law")
    assert "Nach Art. 3 Abs. 3 der Rom-I-Verordnung bleiben daher die Bestimmungen des deutschen Rechts" in (
        clause(text["de"], "Anwendbares Recht")
    )
    law = clause(text["en"], "Governing law")
    if stand_alone:
        assert "legal.liability" in {c.id for c in answers.clauses}
        liability = number(text["en"], "Liability")  # law and exit refer to the liability clause the contract has
        assert f"liability under clause {liability} and the final provisions" in law
        assert f"in particular clause {liability}," in clause(text["en"], "Exit and transition")
        assert "breach of essential contractual obligations" in text["en"]
        assert "replaced by the applicable statutory provision" in text["en"]
        assert (
            "An die Stelle der unwirksamen oder undurchführbaren Bestimmung tritt die gesetzliche Regelung"
            in (text["de"])
        )
    else:  # a schedule has no liability clause of its own: the law clause refers to the main contract's
        assert "the liability provisions of the Main Contract that apply to this Agreement" in law
    assert "legal.liability_ew" not in {c.id for c in answers.clauses}


@builds("de-08-telemarketing-english-law-stated")
def de_08(answers: Answers, text: Texts) -> None:
    german_law_kept(answers, text, stand_alone=False)


@builds("de-08-telemarketing-english-law-stand-alone")
def de_08_stand_alone(answers: Answers, text: Texts) -> None:
    german_law_kept(answers, text, stand_alone=True)


@builds("de-09-it-service-german-parties")
def de_09(answers: Answers, text: Texts) -> None:
    german_law_kept(answers, text, stand_alone=True)


@builds("de-10-call-centre-english-law-stated")
def de_10(answers: Answers, text: Texts) -> None:
    german_law_kept(answers, text, stand_alone=False)
    assert "in schriftlicher Form" in text["de"]  # DE-S18: no Textform or Schriftform under English law
    assert "Textform" not in text["de"]
    assert "text form" not in text["en"]


@builds("de-11-telemarketing-internal-builds")
def de_11(answers: Answers, text: Texts) -> None:
    assert (
        "**Vertrieb Outbound** (Kostenstelle 3100), Augustaanlage 12, 68165 Mannheim, verantwortlich: Jana Berger "
        "(Geschäftsführerin)" in text["de"]
    )
    assert "vertreten durch" not in text["de"]
    assert (
        "Parteien im Sinne dieser Vereinbarung sind die beiden Organisationseinheiten; sie handeln durch die im "
        "Eingang genannten verantwortlichen Leitungen und sind keine Vertragsparteien." in text["de"]
    )
    assert (
        "The Parties to this Agreement are the two organisational units, acting through the heads named at the "
        "beginning; they are not parties to a contract." in text["en"]
    )
    assert "keine Auftragsverarbeitung; ein Vertrag nach Art. 28 DSGVO wird nicht geschlossen" in text["de"]
    for absent in ("Gerichtsstand", "Hauptvertrag", "Auftragsverarbeitungsvertrag"):
        assert absent not in text["de"], absent


CONSENT_DE = (
    "Die Einwilligung muss für den konkreten Fall erteilt sein: Sie nennt den Auftraggeber als Werbenden, die "
    "beworbenen Waren oder Dienstleistungen und den Telefonanruf als Werbeweg. Im Werbeanruf selbst kann sie nicht "
    "eingeholt werden."
)
CONSENT_EN = (
    "The consent must be given for the specific case: it names the Customer as the advertiser, the goods or "
    "services advertised and the telephone call as the channel. It cannot be obtained in the marketing call itself."
)
KEEP_DE = "Jede Partei bewahrt die Nachweise fünf Jahre ab Erteilung der Einwilligung und ab jeder Verwendung auf (§ 7a Abs. 2 UWG)"
KEEP_EN = (
    "Each Party shall keep the evidence for five years from when the consent was given and from each use of it "
    "(section 7a(2) UWG)"
)


@builds("de-12-telemarketing-consumers-provider-consent")
def de_12_consumers(answers: Answers, text: Texts) -> None:
    de, en = (
        clause(text["de"], "Telefonwerbung und Einwilligungen"),
        clause(text["en"], "Telephone marketing and consent"),
    )
    assert CONSENT_DE in de
    assert KEEP_DE in de
    assert CONSENT_EN in en
    assert KEEP_EN in en
    assert (
        "Die Einwilligungen der Verbraucher holt der Auftragnehmer ein; er steht dafür ein, dass sie den "
        "Anforderungen dieser Ziffer genügen." in de
    )
    assert "überlässt dem Auftraggeber unverzüglich eine Kopie des Nachweises" in de
    assert (
        "The Provider shall obtain the consumers’ consents and is responsible for their meeting the requirements of "
        "this clause." in en
    )
    assert "give the Customer a copy of the evidence without delay" in en
    assert "mutmaßliche Einwilligung" not in de  # consumers only: no presumed consent of businesses


@builds("de-12-telemarketing-mixed")
def de_12_mixed(answers: Answers, text: Texts) -> None:
    de, en = (
        clause(text["de"], "Telefonwerbung und Einwilligungen"),
        clause(text["en"], "Telephone marketing and consent"),
    )
    assert CONSENT_DE in de
    assert KEEP_DE in de
    assert CONSENT_EN in en
    assert KEEP_EN in en
    assert "Die Einwilligungen der Verbraucher holt der Auftraggeber ein" in de
    assert "überlässt dem Auftragnehmer unverzüglich eine Kopie des Nachweises" in de
    assert "Für Unternehmen, die der Auftragnehmer selbst ermittelt, steht der Auftragnehmer dafür ein." in de
    assert (
        "Den Abschluss von Verträgen zwischen dem Auftraggeber und den angerufenen Personen schuldet er nicht."
        in (text["de"])
    )
    assert (
        "It does not undertake that any contract will be concluded between the Customer and the persons called."
        in (text["en"])
    )


RENTAL_DE = (
    "Soweit der Auftragnehmer dem Auftraggeber Systeme zur Nutzung überlässt, gelten für Mängel die gesetzlichen "
    "Vorschriften über die Miete (§§ 536 ff. BGB). Servicegutschriften nach Ziffer 3.4 werden auf eine Minderung "
    "für denselben Zeitraum angerechnet. Die verschuldensunabhängige Haftung des Auftragnehmers für Mängel, die bei "
    "Vertragsschluss vorhanden sind (§ 536a Abs. 1 BGB), ist ausgeschlossen."
)
RENTAL_EN = (
    "Service Credits under clause 3.4 are set off against any rent reduction (*Minderung*) for the same period. The "
    "Provider’s no-fault liability for defects existing when the contract is concluded (section 536a(1) BGB) is "
    "excluded."
)


@builds("de-13-multi-level-rental")
def de_13(answers: Answers, text: Texts) -> None:
    assert answers.warnings == []  # legal_nature answered: the parties chose lump-sum damages
    assert RENTAL_DE in clause(text["de"], "Leistungsstörungen")
    assert RENTAL_EN in clause(text["en"], "Defective performance")


@builds("de-13-multi-level-rental-nature-open")
def de_13_open(answers: Answers, text: Texts) -> None:
    assert warned(answers)["credits.legal_nature"] == (
        "a rental contract: fee_adjustment fits best (a contractual rent reduction without fault); the default "
        "lump_sum_damages requires fault; answer credits.legal_nature"
    )
    assert RENTAL_DE in text["de"]


@builds("de-14-telemarketing-work")
def de_14(answers: Answers, text: Texts) -> None:
    de, en = clause(text["de"], "Leistungsstörungen"), clause(text["en"], "Defective performance")
    assert (
        "Soweit der Auftragnehmer nach dieser Vereinbarung einen Erfolg schuldet, gelten für Mängel die gesetzlichen "
        "Vorschriften über den Werkvertrag (§§ 634 ff. BGB)." in de
    )
    assert "für Schadensersatz gilt der Hauptvertrag" in de
    assert (
        "Where the Provider owes a result under this Agreement, the statutory provisions on contracts for work apply "
        "to defects (sections 634 et seq. BGB)." in en
    )


@builds("de-15-telemarketing-written-amendments")
def de_15(answers: Answers, text: Texts) -> None:
    de, en = clause(text["de"], "Erklärungen und Änderungen"), clause(text["en"], "Notices and amendments")
    assert (
        "Änderungen und Ergänzungen dieser Vereinbarung bedürfen der Schriftform (§ 126 BGB); die elektronische Form "
        "(§ 126a BGB) genügt. Individuelle Absprachen der Parteien haben stets Vorrang (§ 305b BGB)." in de
    )
    assert "bedürfen der Textform (§ 126b BGB); eine E-Mail genügt" in de
    assert (
        "Any amendment or addition to this Agreement must be made in writing (section 126 BGB); the electronic form "
        "(section 126a BGB) is sufficient. Individual agreements between the Parties always take precedence "
        "(section 305b BGB)." in en
    )


@builds("de-17-telemarketing-long-term")
def de_17(answers: Answers, text: Texts) -> None:
    found = warned(answers)
    assert found["agreement.term.months"].startswith(
        "an initial term of 60 months in the provider's standard terms binds the customer for long; above 36 months "
        "it needs a reason"
    )
    assert found["agreement.term.renewal_months"].startswith(
        "a tacit renewal by 24 months in the provider's standard terms binds the customer for long; above 12 months"
    )
    assert (
        "Sie wird für eine feste Laufzeit von 60 Monaten geschlossen, die mit Ablauf des 31. Dezember 2031 endet."
        in clause(text["de"], "Inkrafttreten, Laufzeit und Kündigung")
    )
    assert "is concluded for a fixed initial term of 60 months, which ends at the end of 31 December 2031." in clause(
        text["en"], "Commencement, term and termination"
    )
    assert "mit einer Frist von 12 Monaten zum Ende der jeweiligen Laufzeit kündigt" in text["de"]


# ---------------------------------------------------------------- legal-en.md section 7


@builds("en-01-call-centre-ew")
def en_01(answers: Answers, text: Texts) -> None:
    en = clause(text["en"], "Service Levels")
    assert (
        "| Call answer rate (share of calls answered within the answer time) | at least 80% within 20 seconds |" in en
    )
    assert (
        "The targets that apply to each single event (Answer time for the call answer rate) are not Service Levels "
        "but measures" in en
    )  # EN-M5
    recording = clause(text["en"], "Call recording")
    assert (
        "The lawful basis for recording is the legitimate interests of the Customer, as controller, in assuring and "
        "improving the quality of calls (Article 6(1)(f) UK GDPR)." in recording
    )  # EN-S23
    assert "Recording does not rely on the agents’ consent." in recording
    notices = clause(text["en"], "Notices and amendments")
    assert "to the other Party at its address set out at the beginning of this Agreement" in notices  # EN-S14
    assert "if sent by post or delivery service, at 9:00 am on the second Working Day after posting" in notices
    de = text["de"]
    assert (
        "Rechtsgrundlage der Aufzeichnung ist das berechtigte Interesse des Auftraggebers als Verantwortlichen an der "
        "Sicherung und Verbesserung der Gesprächsqualität (Art. 6 Abs. 1 lit. f UK GDPR)." in de
    )
    assert "Die Zielwerte, die für jedes einzelne Ereignis gelten (Annahmezeit für den Servicelevel), sind keine" in de
    assert "bedürfen der schriftlichen Form (in writing)" in de
    assert "an ihrer in der Einleitung genannten Anschrift persönlich zu übergeben" in de
    assert "BGB" not in text["en"]
    assert "ZPO" not in text["en"]


LIQUIDATED_EN = (
    "The Service Credits are payable without proof of loss, on account of the damages for missing the target in the "
    "calendar month concerned. The Parties have agreed their amount as proportionate to the Customer’s legitimate "
    "interest in the target being met, and they are not a penalty."
)


@builds("en-02-call-centre-liquidated-damages")
def en_02(answers: Answers, text: Texts) -> None:
    en, de = clause(text["en"], "Service Credits"), clause(text["de"], "Servicegutschriften")
    assert LIQUIDATED_EN in en
    assert (
        "The Service Credits are neither an exhaustive measure of the Customer’s loss nor its sole remedy: the "
        "Customer may recover damages for any greater loss it proves" in en
    )
    assert (
        "Die Servicegutschriften sind ohne Nachweis eines Schadens als Abschlag auf den Schadensersatz für die "
        "Verfehlung des Zielwerts in dem betroffenen Kalendermonat geschuldet." in de
    )
    assert "sie sind keine Vertragsstrafe (penalty)" in de


CAP_100 = (
    "each Party’s total liability arising out of or in connection with this Agreement, whether in contract, tort "
    "(including negligence), breach of statutory duty or otherwise, shall not exceed in aggregate, for all claims "
    "allocated to a Contract Year, 100% of the Annual Fees for that Contract Year."
)


@builds("en-04-it-service-without-liability")
def en_04(answers: Answers, text: Texts) -> None:
    assert warned(answers)["liability.cap"] == (
        "no cap chosen: the default applies, 100 % of the annual fees per contract year; answer liability.cap "
        "(percent, amount, greater_of or none) to make it the parties' choice"
    )
    en, de = clause(text["en"], "Liability"), clause(text["de"], "Haftung")
    assert CAP_100 in en
    assert "for the first Contract Year they are twelve times the Monthly Fee" in en
    assert (
        "Service Credits under clause 3.4 count towards the limit for the Contract Year in which the calendar month "
        "to which they relate falls." in en
    )
    assert "für alle einem Vertragsjahr zugeordneten Ansprüche zusammen auf 100 % der Jahresvergütung" in de


@builds("en-05-it-service-no-cap")
def en_05(answers: Answers, text: Texts) -> None:
    assert "liability.cap" not in warned(answers)
    en, de = clause(text["en"], "Liability"), clause(text["de"], "Haftung")
    assert "shall not exceed in aggregate" not in en
    assert "Contract Year" not in en
    assert "Gesamthaftung" not in de
    assert "Nothing in this Agreement limits or excludes either Party’s liability for:" in en
    assert "neither Party is liable for any loss of profit, revenue, business opportunity or goodwill" in en


@builds("en-06-it-service-clean-unlimited-list")
def en_06(answers: Answers, text: Texts) -> None:
    assert answers.warnings == []
    en, de = clause(text["en"], "Liability"), clause(text["de"], "Haftung")
    assert (
        "Nothing in this Agreement limits or excludes either Party’s liability for:\n\n"
        "- death or personal injury caused by its negligence;\n"
        "- fraud or fraudulent misrepresentation;\n"
        "- liability under Part I of the Consumer Protection Act 1987;\n"
        "- breach of its obligations under clause 7.4 or under the Processing Agreement;\n"
        "- breach of the duty of confidentiality under clause 7.3;\n"
        "- any other liability that cannot be limited or excluded by law." in en
    )
    for word in ("gross negligence", "wilful", "guarantee"):
        assert word not in en, word
    assert "- Betrug und arglistige Täuschung (fraud and fraudulent misrepresentation);" in de
    assert "grobe Fahrlässigkeit" not in de


@builds("en-08-it-service-customer-not-merchant")
def en_08(answers: Answers, text: Texts) -> None:
    english_courts(answers, text, "London")


@builds("en-09-it-service-manchester")
def en_09(answers: Answers, text: Texts) -> None:
    english_courts(answers, text, "Manchester")


@builds("en-10-telemarketing-english-law-uk")
def en_10(answers: Answers, text: Texts) -> None:
    assert "legal.telemarketing_pecr" in {c.id for c in answers.clauses}
    pecr = number(text["en"], "Telephone marketing (PECR)")  # precedence refers to the PECR clause
    assert f"the requirements for marketing calls (clause {pecr})" in clause(
        text["en"], "Contract documents and order of precedence"
    )
    for phrase in (
        "Privacy and Electronic Communications (EC Directive) Regulations 2003 (PECR)",
        "Telephone Preference Service (TPS) and Corporate Telephone Preference Service (CTPS) registers",
        "at least every 28 days",
    ):
        assert phrase in text["en"], phrase
    for word in ("UWG", "Bundesnetzagentur", "TDDDG"):
        assert word not in text["en"], word
        assert word not in text["de"], word


@builds("en-12-internal-english-company")
def en_12(answers: Answers, text: Texts) -> None:
    assert warned(answers)["agreement.governing_law"] == (
        "ignored: clause 'legal.law' applies only when the agreement is external (units of one company share its law)"
    )
    en, de = text["en"], text["de"]
    assert (
        "The Parties shall comply with the data protection law of the United Kingdom, in particular the UK GDPR and "
        "the Data Protection Act 2018." in en
    )
    assert (
        "The controller of the personal data the Parties process in performing this Agreement is Thameside "
        "Engineering Ltd (Article 4(7) UK GDPR); both Parties are part of that controller." in en
    )
    assert (
        "This Agreement presupposes that both units belong to the same legal entity; it is not intended for services "
        "between separate companies, even within a group." in en
    )
    assert "Die Parteien beachten das Datenschutzrecht des Vereinigten Königreichs, insbesondere die UK GDPR" in de
    assert "für Leistungen zwischen verschiedenen Gesellschaften, auch eines Konzerns, ist sie nicht bestimmt" in de
    for word in ("DSGVO", "BDSG"):
        assert word not in de, word
    assert "Jurisdiction" not in en
    assert "Gerichtsstand" not in de


@builds("en-13-multi-level-english-law")
def en_13(answers: Answers, text: Texts) -> None:
    assert answers.warnings == []
    en, de = clause(text["en"], "Choice of service tier"), clause(text["de"], "Wahl der Leistungsstufe")
    assert "The Provider offers the services in the Bronze, Silver and Gold service tiers." in en
    assert "Until the Customer has chosen, the Bronze service tier applies." in en
    assert "Bis zur Wahl gilt die Leistungsstufe „Bronze“." in de
    assert "in schriftlicher Form" in de
    assert "Textform" not in text["de"]
    assert CAP_100 in clause(text["en"], "Liability")  # EN-M1: one aggregate cap per Contract Year
    credits = clause(text["en"], "Service Credits")  # EN-S1: a price adjustment with a legitimate interest
    assert (
        "The Service Credits adjust the fees to the quality of the services actually delivered and are due whether "
        "or not the Provider is at fault. In so far as a Service Credit falls due on a breach of this Agreement, the "
        "Parties have agreed its amount as proportionate to the Customer’s legitimate interest in the target being "
        "met, and it is not a penalty." in credits
    )
    assert "Vergütungsanpassung" not in credits


@builds("en-14-it-service-main-contract")
def en_14(answers: Answers, text: Texts) -> None:
    en = text["en"]
    assert "This Agreement, together with its Schedules, forms part of the Main Contract." in en
    assert (
        "All other matters are governed by the Main Contract, in particular liability, confidentiality, payment "
        "terms, jurisdiction, and the duration of the contract and its termination by notice; this Agreement does "
        "not repeat its provisions." in en
    )
    assert (
        "It continues for as long as the Main Contract and ends with it, without notice being required. Neither "
        "Party may terminate this Agreement on its own by notice" in en
    )
    assert "The indicators are determined on the basis of the measurements of the Customer." in en
    chosen = {c.id for c in answers.clauses}
    for absent in ("legal.liability_ew", "legal.confidentiality", "organisation.payment", "legal.exit"):
        assert absent not in chosen, absent
    assert "Diese Vereinbarung ist mit ihren Anlagen Bestandteil des Hauptvertrags." in text["de"]
    assert (
        "Eine ordentliche Kündigung dieser Vereinbarung für sich allein ist ausgeschlossen; Laufzeit und ordentliche "
        "Kündigung bestimmen sich ausschließlich nach dem Hauptvertrag." in text["de"]
    )


def variation(name: str) -> Path:
    return EN_01 if name == "en-01-call-centre-ew" else VARIATIONS / f"{name}.yaml"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_variation_builds_with_the_text_that_settles_the_row(name: str, library: Library) -> None:
    answers = load_answers(variation(name), library)
    text = {
        document.language: write_markdown(document).replace("\xa0", " ")
        for document in build_documents(answers, library, ["de", "en"])
    }
    CHECKS[name](answers, text)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_variation_is_refused_with_the_key(name: str) -> None:
    result = CliRunner().invoke(main, ["check", str(variation(name))])
    assert result.exit_code == 2, result.output
    for expected in REFUSED[name]:
        assert expected in result.output, expected


def test_en_14_schedule_does_not_repeat_the_courts(library: Library) -> None:
    """The precedence clause says the main contract governs jurisdiction and is not repeated; the clause must go."""
    answers = load_answers(variation("en-14-it-service-main-contract"), library)
    assert "legal.jurisdiction_ew" not in {c.id for c in answers.clauses}


def test_every_row_of_both_reviews_has_a_variation() -> None:
    files = {path.stem for path in VARIATIONS.glob("*.yaml")}
    assert files == set(CHECKS) - {"en-01-call-centre-ew"} | set(REFUSED)
    assert not set(CHECKS) & set(REFUSED)
    rows = {name[:5] for name in files} | {"en-01"}
    assert rows == {f"de-{n:02}" for n in range(1, 21)} | {f"en-{n:02}" for n in range(1, 15)}
    for name in files:
        review, row = ("legal-de.md section 6", "de") if name.startswith("de") else ("legal-en.md section 7", "en")
        first = (VARIATIONS / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(f"# {review}, row {int(name[3:5])}"), (name, first)
        assert row in name
