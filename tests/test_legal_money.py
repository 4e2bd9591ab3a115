"""Issue 14, the money findings: the English-law cap and carve-outs, set-off, credits, VAT and whose terms these are.

Each test builds an example or a reviewer's variation and asserts the clause text, the warning or the
refusal a lawyer asked for (reviews/legal-de.md, reviews/legal-en.md; ids in the test names).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from slagen.answers import load_answers
from slagen.cli import main
from slagen.errors import InputError
from slagen.generate import build_documents
from slagen.library import Library
from slagen.writers.markdown import write_markdown

from .conftest import EXAMPLES, example_with

IT = EXAMPLES / "it-service.yaml"
"""English law, it-service catalog, fee_adjustment credits, a 125 % cap."""
CALL_CENTRE = EXAMPLES / "call-centre.yaml"
"""German law, call-centre catalog, lump-sum damages; a schedule to its main contract."""
STAND_ALONE: dict[str, Any] = {"agreement.main_contract": ...}
"""Without the main contract: the agreement has its own liability, confidentiality and payment clauses."""
TELEMARKETING = EXAMPLES / "telemarketing.yaml"
"""German law, no service credits."""
MULTI = EXAMPLES / "it-service-multi-level.yaml"

WriteAnswers = Callable[..., Path]


def _file(write_answers: WriteAnswers, example: Path, changes: dict[str, Any]) -> Path:
    return write_answers(yaml.safe_dump(example_with(example, changes), allow_unicode=True))


def texts(write_answers: WriteAnswers, library: Library, example: Path, changes: dict[str, Any]) -> dict[str, str]:
    """The Markdown of every language, by language, of the example with ``changes``."""
    answers = load_answers(_file(write_answers, example, changes), library)
    documents = build_documents(answers, library, ["de", "en"])
    return {d.language: " ".join(write_markdown(d).replace("\xa0", " ").split()) for d in documents}


def clause(text: str, title: str) -> str:
    """The text of the clause headed ``### n.m title`` up to the next heading."""
    found = re.search(rf"### \d+\.\d+ {re.escape(title)} ", text)
    assert found, title
    start = found.start()
    end = text.find("###", found.end())
    return text[start : end if end >= 0 else None]


def findings(
    write_answers: WriteAnswers, library: Library, example: Path, changes: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Errors and warnings, each as 'key: message'."""
    try:
        answers = load_answers(_file(write_answers, example, changes), library)
    except InputError as exc:
        return [f"{p.key}: {p.message}" for p in exc.problems], []
    return [], [f"{w.key}: {w.message}" for w in answers.warnings]


# --- EN-M1: one aggregate cap per contract year, the first year, credits, fees and recoverable heads


def test_en_m1_cap_is_one_aggregate_per_contract_year_with_a_first_year_rule(
    write_answers: WriteAnswers, library: Library
) -> None:
    en = clause(texts(write_answers, library, IT, {})["en"], "Liability")
    assert (
        "shall not exceed in aggregate, for all claims allocated to a Contract Year, 125% of the Annual Fees for that Contract Year."
        in en
    )
    assert "A claim is allocated to the Contract Year in which the event giving rise to it occurred" in en
    assert "for the first Contract Year they are twelve times the Monthly Fee" in en
    assert "twelve months before the event" not in en
    assert "Service Credits under clause 3.4 count towards the limit for the Contract Year" in en
    # the fees and the provider's lost fees on wrongful termination are outside the cap and the profit exclusion
    assert (
        "Neither the exclusion in paragraph (2) nor any limit in this clause applies to the Customer’s "
        "obligation to pay the fees due under this Agreement, or to the Provider’s claim, if the Customer wrongfully "
        "terminates or repudiates this Agreement, for the fees that would have been payable until the earliest date "
        "on which the Customer could lawfully have ended this Agreement"
    ) in en
    # Soteria v IBM: the heads that stay recoverable are listed
    for head in (
        "restoring, reconstituting or reloading lost or corrupted data",
        "expenditure wasted as a result of the breach",
    ):
        assert head in en


def test_en_m1_greater_of_a_floor_and_a_share_and_credits_outside(
    write_answers: WriteAnswers, library: Library
) -> None:
    changes = {
        "liability.cap": "greater_of",
        "liability.cap_amount": 250000,
        "liability.credits_in_cap": False,
        "price.currency": "GBP",
    }
    text = texts(write_answers, library, IT, changes)
    en, de = clause(text["en"], "Liability"), clause(text["de"], "Haftung")
    assert "the greater of £250,000.00 and 125% of the Annual Fees for that Contract Year." in en
    assert "do not count towards any limit in this clause" in en
    assert (
        "auf den höheren der beiden Beträge von 250.000,00 £ und 125 % der Jahresvergütung für dieses Vertragsjahr begrenzt"
        in de
    )
    assert "werden auf keinen Höchstbetrag nach dieser Ziffer angerechnet" in de


def test_en_s4_no_cap_and_a_fixed_cap_can_be_agreed(write_answers: WriteAnswers, library: Library) -> None:
    none = clause(texts(write_answers, library, IT, {"liability.cap": "none"})["en"], "Liability")
    assert "shall not exceed in aggregate" not in none
    assert "neither Party is liable for any loss of profit" in none
    fixed = texts(write_answers, library, IT, {"liability.cap": "amount", "liability.cap_amount": 500000})["en"]
    assert "for all claims allocated to a Contract Year, £500,000.00." in clause(fixed, "Liability")
    errors, _ = findings(write_answers, library, IT, {"liability.cap": "amount"})
    assert errors == ["liability.cap_amount: missing: a cap of 'amount' needs the amount in price.currency"]
    _, warnings = findings(write_answers, library, IT, {"liability.cap": "none"})
    assert warnings == ["liability.cap_percent: ignored: liability.cap is 'none'"]


def test_en_s4_the_default_cap_under_english_law_is_warned_about(write_answers: WriteAnswers, library: Library) -> None:
    errors, warnings = findings(write_answers, library, IT, {"liability": ...})
    assert errors == []
    assert warnings == [
        "liability.cap: no cap chosen: the default applies, 100 % of the annual fees per contract year; answer "
        "liability.cap (percent, amount, greater_of or none) to make it the parties' choice"
    ]


def test_en_s5_a_data_protection_super_cap(write_answers: WriteAnswers, library: Library) -> None:
    en = clause(texts(write_answers, library, IT, {"liability.data_cap_percent": 300})["en"], "Liability")
    assert "Instead of the limit in paragraph (4), each Party’s total liability for breach of clause 7.3" in en
    assert "300% of the Annual Fees for that Contract Year; that liability does not count towards the limit" in en
    errors, _ = findings(
        write_answers,
        library,
        IT,
        {"liability.data_cap_percent": 300, "liability.unlimited": ["mandatory", "data_protection"]},
    )
    assert errors == [
        "liability.data_cap_percent: confidentiality and data protection are unlimited in liability.unlimited, which "
        "a super-cap would limit; drop them there or leave liability.data_cap_percent out"
    ]


# --- EN-M2: the carve-outs English law knows


def test_en_m2_default_carve_outs_under_english_law(write_answers: WriteAnswers, library: Library) -> None:
    text = texts(write_answers, library, IT, {"liability.unlimited": ...})
    en = clause(text["en"], "Liability")
    assert "death or personal injury caused by its negligence; - fraud or fraudulent misrepresentation;" in en
    for gone in ("gross negligence", "guarantee", "wilful misconduct"):
        assert gone not in en
    # German law keeps its own list by the same default
    de = clause(texts(write_answers, library, CALL_CENTRE, STAND_ALONE)["de"], "Haftung")
    assert "bei grober Fahrlässigkeit" in de
    assert "im Umfang einer übernommenen Garantie" in de


def test_en_m2_deliberate_default_is_defined_and_gross_negligence_warned(
    write_answers: WriteAnswers, library: Library
) -> None:
    en = clause(
        texts(write_answers, library, IT, {"liability.unlimited": ["mandatory", "deliberate_default"]})["en"],
        "Liability",
    )
    assert "- its Deliberate Default;" in en
    assert "“**Deliberate Default**” means a breach of this Agreement that a Party" in en
    _, warnings = findings(
        write_answers, library, IT, {"liability.unlimited": ["mandatory", "gross_negligence", "guarantee"]}
    )
    assert [w.split(":")[0] for w in warnings] == ["liability.unlimited", "liability.unlimited"]
    assert "Triple Point v PTT [2021] UKSC 29" in warnings[0]
    errors, _ = findings(
        write_answers,
        library,
        CALL_CENTRE,
        {**STAND_ALONE, "liability.unlimited": ["mandatory", "deliberate_default"]},
    )
    assert errors
    assert errors[0].startswith("liability.unlimited: deliberate_default is a carve-out of English law")


def test_mandatory_stands_for_the_law_s_list_and_takes_additions(write_answers: WriteAnswers, library: Library) -> None:
    de = clause(
        texts(
            write_answers,
            library,
            CALL_CENTRE,
            {**STAND_ALONE, "liability.unlimited": ["mandatory", "confidentiality"]},
        )["de"],
        "Haftung",
    )
    assert "- bei Vorsatz;" in de
    assert "- bei arglistigem Verschweigen eines Mangels;" in de
    assert "- für Schäden aus der Verletzung der Pflicht zur Vertraulichkeit nach Ziffer 7.3." in de


def test_mandatory_cases_are_still_enforced(write_answers: WriteAnswers, library: Library) -> None:
    errors, _ = findings(write_answers, library, IT, {"liability.unlimited": ["life_body_health", "fraud"]})
    assert errors == [
        "liability.unlimited: liability under the Consumer Protection Act 1987 cannot be limited (s. 7): "
        "keep 'product_liability' in the list"
    ]


# --- DE-M4 / EN-N12: set-off


def test_de_m4_set_off_keeps_counterclaims_from_the_same_contract(
    write_answers: WriteAnswers, library: Library
) -> None:
    de = clause(texts(write_answers, library, CALL_CENTRE, STAND_ALONE)["de"], "Zahlungsbedingungen")
    assert (
        "nur mit Forderungen aufrechnen, die unbestritten, rechtskräftig festgestellt oder entscheidungsreif sind" in de
    )
    assert (
        "Diese Beschränkung gilt nicht für Forderungen, die mit der Vergütungsforderung in einem "
        "Gegenseitigkeitsverhältnis stehen, insbesondere nicht für Ansprüche auf Schadensersatz, auf "
        "Servicegutschriften oder auf Erstattung von Vergütung"
    ) in de


def test_en_law_set_off_is_a_plain_clause_and_credits_are_always_deductible(
    write_answers: WriteAnswers, library: Library
) -> None:
    en = clause(texts(write_answers, library, IT, {})["en"], "Payment terms")
    assert "shall pay each invoice in full without set-off, counterclaim or deduction" in en
    assert "The Customer may always deduct Service Credits due under clause 3.4." in en
    assert "finally determined" not in en


# --- DE-S2 / EN-S3: fault presumed; DE-S3: credits and the liability limits; DE-N14: the time bar


def test_de_s2_fault_is_presumed_for_lump_sum_damages_and_the_penalty(
    write_answers: WriteAnswers, library: Library
) -> None:
    text = texts(write_answers, library, CALL_CENTRE, {})
    de, en = clause(text["de"], "Servicegutschriften"), clause(text["en"], "Service Credits")
    assert "sie sind geschuldet, es sei denn, der Auftragnehmer hat die Verfehlung nicht zu vertreten" in de
    assert "setzt voraus, dass" not in de
    assert "lump-sum damages (*pauschalierter Schadensersatz*)" in en
    assert "they are owed unless the Provider is not at fault for the failure" in en
    penalty = clause(
        texts(write_answers, library, CALL_CENTRE, {"credits.legal_nature": "penalty"})["de"], "Servicegutschriften"
    )
    assert "verwirkt, wenn er den Zielwert verfehlt, es sei denn, er hat die Verfehlung nicht zu vertreten" in penalty


def test_de_s3_and_n14_credits_stand_outside_the_liability_limits_and_the_time_bar_spares_damages(
    write_answers: WriteAnswers, library: Library
) -> None:
    de = clause(texts(write_answers, library, CALL_CENTRE, {})["de"], "Servicegutschriften")
    assert "Vertragliche Haftungsbeschränkungen gelten für Servicegutschriften nicht" in de
    assert (
        "Dieser Ausschluss betrifft nur die Servicegutschriften, nicht Ansprüche auf Ersatz eines nachgewiesenen Schadens"
        in de
    )
    assert "gilt Ziffer 4.2 auch nach Ablauf der Frist" in de


# --- DE-S5: VAT by legal nature, "Servicegutschrift"


@pytest.mark.parametrize(
    ("nature", "phrase"),
    [
        (
            "lump_sum_damages",
            "Als Schadensersatz sind sie kein Entgelt für eine Leistung; sie werden daher vom Bruttobetrag",
        ),
        ("penalty", "Als Vertragsstrafe sind sie kein Entgelt für eine Leistung; sie werden daher vom Bruttobetrag"),
        (
            "fee_adjustment",
            "mindern sie deren Nettobetrag, und die Umsatzsteuer wird auf den geminderten Betrag berechnet (§ 17 UStG)",
        ),
    ],
)
def test_de_s5_vat_follows_the_legal_nature(
    nature: str, phrase: str, write_answers: WriteAnswers, library: Library
) -> None:
    de = clause(
        texts(write_answers, library, CALL_CENTRE, {"credits.legal_nature": nature})["de"], "Servicegutschriften"
    )
    assert phrase in de
    assert "„**Servicegutschrift**“" in de


# --- DE-S4 / issue item 8: whose standard terms these are


def test_de_s4_drafted_by_aims_the_penalty_warning(write_answers: WriteAnswers, library: Library) -> None:
    penalty = {"credits.legal_nature": "penalty"}
    _, provider = findings(write_answers, library, CALL_CENTRE, penalty)
    assert provider == []
    _, customer = findings(write_answers, library, CALL_CENTRE, {**penalty, "agreement.drafted_by": "customer"})
    assert customer == [
        "credits.legal_nature: the customer's standard terms: penalties of up to 10 % of the monthly fee a month add "
        "up to 10 % of the annual fees, above the 5 % of the order value that standard terms are unlikely to survive "
        "(BGH VII ZR 210/01); cap them per contract year with credits.annual_cap: 5%"
    ]
    # a cap per contract year keeps the penalties within 5 % of the order value
    capped = {**penalty, "agreement.drafted_by": "customer", "credits.annual_cap": "5%"}
    assert findings(write_answers, library, CALL_CENTRE, capped) == ([], [])
    de = clause(texts(write_answers, library, CALL_CENTRE, capped)["de"], "Servicegutschriften")
    assert "Die Servicegutschriften eines Vertragsjahres" in de
    assert "betragen insgesamt höchstens 5 % der für dieses Vertragsjahr geschuldeten Vergütung." in de
    # the provider's own terms: its time bar for credits is what AGB control tests
    _, short = findings(write_answers, library, CALL_CENTRE, {"credits.claim_days": 14})
    assert short
    assert short[0].startswith("credits.claim_days: the provider's standard terms bar further service credits")
    _, short_customer = findings(
        write_answers, library, CALL_CENTRE, {"credits.claim_days": 14, "agreement.drafted_by": "customer"}
    )
    assert short_customer == []


# --- EN-S1 / EN-S2: liquidated damages under English law, the remedy position stated


def test_en_s2_liquidated_damages_accepted_under_english_law(write_answers: WriteAnswers, library: Library) -> None:
    text = texts(write_answers, library, IT, {"credits.legal_nature": "liquidated_damages"})
    en = clause(text["en"], "Service Credits")
    assert "payable without proof of loss, on account of the damages for missing the target" in en
    assert "neither an exhaustive measure of the Customer’s loss nor its sole remedy" in en
    assert "They do not affect either Party’s rights to terminate this Agreement." in en
    sole = clause(
        texts(write_answers, library, IT, {"credits.legal_nature": "liquidated_damages", "credits.sole_remedy": True})[
            "en"
        ],
        "Service Credits",
    )
    assert "are liquidated damages for missing the target in the calendar month concerned" in sole
    assert "the Customer’s sole and exclusive remedy in damages for missing the target" in sole
    assert "not to claims for loss the Customer proves" not in sole


def test_en_s2_liquidated_damages_refused_under_german_law(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        yaml.safe_dump(example_with(CALL_CENTRE, {"credits.legal_nature": "liquidated_damages"}), allow_unicode=True),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 2
    assert "credits.legal_nature: liquidated damages are a term of English law" in result.output


def test_en_s1_price_adjustment_states_a_legitimate_interest_and_the_remedy(
    write_answers: WriteAnswers, library: Library
) -> None:
    en = clause(texts(write_answers, library, IT, {})["en"], "Service Credits")
    assert "In so far as a Service Credit falls due on a breach of this Agreement" in en
    assert "legitimate interest in the target being met, and it is not a penalty" in en
    assert "nor its sole remedy" in en


# --- EN-S6 / DE-N7 / DE-N19: the warranty clause


def test_en_s6_good_industry_practice_is_defined(write_answers: WriteAnswers, library: Library) -> None:
    text = texts(write_answers, library, IT, {})
    assert "“**Good Industry Practice**” means the degree of skill, care, prudence" in text["en"]
    assert "„**Branchenstandard**“ (Good Industry Practice) ist das Maß an Sachkunde" in text["de"]


def test_de_n7_a_service_contract_has_no_gewaehrleistung_heading(write_answers: WriteAnswers, library: Library) -> None:
    de = texts(write_answers, library, TELEMARKETING, {})["de"]
    assert " Leistungsstörungen Die Leistungen des Auftragnehmers sind Dienstleistungen" in de
    assert "Leistungsstörungen und Gewährleistung" not in de


def test_de_n19_a_rental_contract_is_pointed_at_fee_adjustment(write_answers: WriteAnswers, library: Library) -> None:
    _, warnings = findings(
        write_answers, library, CALL_CENTRE, {"agreement.contract_type": "rental", "credits.legal_nature": ...}
    )
    assert any(w.startswith("credits.legal_nature: a rental contract: fee_adjustment fits best") for w in warnings)
    de = texts(
        write_answers, library, MULTI, {"agreement.contract_type": "rental", "credits.legal_nature": "fee_adjustment"}
    )["de"]
    assert "Servicegutschriften nach Ziffer 3.4 werden auf eine Minderung für denselben Zeitraum angerechnet" in de
