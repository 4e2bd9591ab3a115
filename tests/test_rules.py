"""Validation rules (slagen/rules.py): each rule with answers that break it and answers that keep it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen.answers import load_answers
from slagen.errors import InputError
from slagen.library import Library, load_library

from .conftest import EXAMPLES, example_with
from .helpers import copy_library

TELEMARKETING = EXAMPLES / "telemarketing.yaml"
IT = EXAMPLES / "it-service.yaml"
CALL_CENTRE = EXAMPLES / "call-centre.yaml"

SCHEME_GOOD = {
    "bands": [{"from": "99.5%", "below": "99.95%", "credit": "5%"}, {"below": "99.5%", "credit": "10%"}],
    "cap": "10%",
}
SCHEME_GAP = {
    "bands": [{"from": "99.5%", "below": "99.9%", "credit": "5%"}, {"below": "99.4%", "credit": "10%"}],
    "cap": "10%",
}
PENALTY_ONE_BAND = {"bands": [{"below": "80%", "credit": "3%"}], "cap": "3%"}
PENALTY_GRADED = {
    "bands": [{"from": "70%", "below": "80%", "credit": "2%"}, {"below": "70%", "credit": "4%"}],
    "cap": "4%",
}


def changed(example: Path, changes: dict[str, Any]) -> dict[str, Any]:
    """The example's answers with dotted keys set (value ``...`` deletes the key)."""
    return example_with(example, changes)


def findings(path: Path, library: Library) -> tuple[list[str], list[str]]:
    """Errors and warnings, each as 'key: message' without file and line."""
    try:
        answers = load_answers(path, library)
    except InputError as exc:
        return [f"{p.key}: {p.message}" for p in exc.problems], []
    return [], [f"{w.key}: {w.message}" for w in answers.warnings]


INTERNAL = {
    "agreement.kind": "internal",
    "agreement.company": "Rheinwerk Maschinenbau GmbH",
    "parties.provider.cost_centre": "4100",
    "parties.customer.cost_centre": "2200",
    "data_protection.processing": False,
    "data_protection.agreement": ...,  # one controller: no processing agreement to name
    "data_protection.agreement_date": ...,
    "parties.provider.register": ...,  # units of one legal entity have no register entries of their own
    "parties.customer.register": ...,
}
"""What makes an example an internal agreement (besides leaving out the answers only external ones take)."""
EXTERNAL_ONLY = {
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
}
STAND_ALONE = {"agreement.main_contract": ..., "agreement.jurisdiction": "Mannheim"}
"""The demo as a stand-alone agreement with a place of jurisdiction (a schedule defers to its main contract's)."""

CASES = [
    # --- jurisdiction only under § 38 ZPO; none in an internal agreement
    pytest.param(
        TELEMARKETING,
        {**STAND_ALONE, "parties.customer.merchant": False},
        (
            [],
            [
                "agreement.jurisdiction: ignored: a place of jurisdiction can be agreed in advance only if both parties "
                "are merchants or public entities (§ 38 (1) ZPO), and the customer is neither"
            ],
        ),
        id="jurisdiction-customer-no-merchant",
    ),
    pytest.param(
        TELEMARKETING,
        {**STAND_ALONE, "parties.customer.merchant": False, "parties.provider.merchant": False},
        (
            [],
            [
                "agreement.jurisdiction: ignored: a place of jurisdiction can be agreed in advance only if both parties "
                "are merchants or public entities (§ 38 (1) ZPO), and neither party is either"
            ],
        ),
        id="jurisdiction-no-merchants",
    ),
    pytest.param(
        TELEMARKETING,
        {**INTERNAL, **EXTERNAL_ONLY, **STAND_ALONE},
        (
            [
                "agreement.jurisdiction: an internal agreement has no place of jurisdiction; leave agreement.jurisdiction out"
            ],
            [],
        ),
        id="jurisdiction-internal",
    ),
    pytest.param(TELEMARKETING, STAND_ALONE, ([], []), id="jurisdiction-merchants-ok"),
    pytest.param(
        TELEMARKETING,
        {**STAND_ALONE, "parties.customer.merchant": False, "parties.customer.country": "CH"},
        ([], []),
        id="jurisdiction-party-abroad-ok",
    ),
    pytest.param(
        TELEMARKETING,
        {**STAND_ALONE, "parties.provider.merchant": ...},
        (
            [
                "parties.provider.merchant: missing: whether the provider is a merchant (Kaufmann) decides whether "
                "the place of jurisdiction can be agreed (§ 38 (1) ZPO); answer true or false"
            ],
            [],
        ),
        id="jurisdiction-merchant-missing",
    ),
    pytest.param(IT, {"parties.customer.merchant": False}, ([], []), id="jurisdiction-english-law-no-gate"),
    pytest.param(
        TELEMARKETING,
        {**STAND_ALONE, "parties.customer.merchant": False, "parties.customer.country": "GB"},
        (
            [],
            [
                "agreement.jurisdiction: agreed under § 38 (2) ZPO (the other party sits outside the EU and the "
                "Lugano states): unless both parties are merchants or public entities, the German court chosen must be "
                "one where the German party has its general or a special place of jurisdiction (§ 38 (2) sentence 3 "
                "ZPO); check the place"
            ],
        ),
        id="jurisdiction-party-in-england-warns",
    ),
    # --- the law fits the parties (slagen/rules_law.py)
    pytest.param(
        TELEMARKETING,
        {"parties.customer.consumer": True},
        (
            [
                "parties.customer.consumer: slagen writes agreements between businesses only: a customer who acts as "
                "a consumer (§ 13 BGB; Consumer Rights Act 2015) needs the consumer-protection rules on terms, renewal "
                "and withdrawal, which this library does not have; the agreement states that the customer acts in the "
                "course of its business"
            ],
            [],
        ),
        id="consumer-refused",
    ),
    pytest.param(TELEMARKETING, {"parties.customer.consumer": False}, ([], []), id="consumer-false-ok"),
    pytest.param(
        IT,
        {"parties.provider.country": "DE", "parties.customer.country": "DE", "scope.territory": ["DE"]},
        (
            [],
            [
                "agreement.governing_law: both parties sit in Germany and the services are performed from Germany: "
                "the laws of England and Wales cannot set aside German mandatory law there (Rome I Art. 3 (3)), so "
                "German standard-terms law (§§ 305-310 BGB) still applies; the German liability and severability "
                "clauses are kept, and a German court may test the choice of the English courts against § 38 ZPO",
                "liability.cap_percent: ignored: clause 'legal.liability_ew' applies only when the agreement is "
                "external, stand-alone (with a main contract, its liability terms govern) and governed by the laws of "
                "England and Wales, and not all of the parties and the place of "
                "performance are German",
            ],
        ),
        id="english-law-domestic-warns",
    ),
    pytest.param(
        IT,
        {"parties.provider.country": "DE", "parties.customer.country": "DE", "scope.territory": ["DE", "AT"]},
        ([], []),
        id="english-law-cross-border-ok",
    ),
    pytest.param(
        IT,
        {"price.currency": ...},
        (
            [
                "price.currency: missing: under the laws of England and Wales state price.currency, the currency of "
                "the fees (the default is EUR)"
            ],
            [],
        ),
        id="english-law-currency-stated",
    ),
    pytest.param(
        TELEMARKETING,
        {**STAND_ALONE, "parties.customer.merchant": False, "parties.customer.public_entity": True},
        ([], []),
        id="jurisdiction-public-entity-ok",
    ),
    # --- liability never limits the mandatory cases
    pytest.param(
        TELEMARKETING,
        {
            "agreement.main_contract": ...,
            "liability.unlimited": ["intent", "life_body_health", "product_liability", "guarantee", "fraud"],
        },
        (
            [
                "liability.unlimited: liability for gross negligence cannot be limited in standard terms "
                "(§ 309 Nr. 7 b BGB via § 307): keep 'gross_negligence' in the list"
            ],
            [],
        ),
        id="liability-de-gross-negligence",
    ),
    pytest.param(
        IT,
        {"liability.unlimited": ["intent", "life_body_health", "product_liability"]},
        (["liability.unlimited: liability for fraud cannot be excluded: keep 'fraud' in the list"], []),
        id="liability-ew-fraud",
    ),
    pytest.param(
        TELEMARKETING,
        {
            "agreement.main_contract": ...,
            "liability.unlimited": [
                "intent",
                "gross_negligence",
                "life_body_health",
                "product_liability",
                "guarantee",
                "fraud",
                "confidentiality",
                "data_protection",
            ],
        },
        ([], []),
        id="liability-de-more-ok",
    ),
    pytest.param(
        IT, {"liability.unlimited": ["life_body_health", "fraud", "product_liability"]}, ([], []), id="liability-ew-ok"
    ),
    # --- credit bands: contiguous, half-open, monotone, cap >= highest band; agreed only when customer-specific
    pytest.param(
        IT,
        {"credits.scheme": SCHEME_GOOD},
        (
            [
                "credits.scheme: a standard agreement takes the tier's service credits; set agreement.model: "
                "customer-specific to agree other bands",
                "credits.scheme.bands.0.below: band 1 must end at the target (99.9 %): values that meet the target earn "
                "no credit",
            ],
            [],
        ),
        id="credits-standard",
    ),
    pytest.param(
        IT,
        {
            "agreement.model": "customer-specific",
            "service.overrides": {"availability": "99.95%"},
            "credits.scheme": SCHEME_GAP,
        },
        (
            [
                "credits.scheme.bands.0.below: band 1 must end at the target (99.95 %): the values from 99.9 % to under "
                "99.95 % would earn no credit",
                "credits.scheme.bands.1.below: band 2 must end where band 1 begins (99.5 %): the values from 99.4 % to "
                "under 99.5 % would earn no credit",
            ],
            [],
        ),
        id="credits-gap",
    ),
    pytest.param(
        IT,
        {"agreement.model": "customer-specific", "service.overrides": {"availability": "99.95%"}},
        (
            [
                "service.overrides.availability: the service credits of tier 'silver' start at its target (99.9 %); "
                "agree bands for the new target in credits.scheme"
            ],
            [],
        ),
        id="credits-target-moved",
    ),
    pytest.param(
        IT,
        {
            "agreement.model": "customer-specific",
            "service.overrides": {"availability": "99.95%"},
            "credits.scheme": SCHEME_GOOD,
        },
        ([], []),
        id="credits-agreed-ok",
    ),
    # --- a contractual penalty is graded and capped (warning above 5 %), German law, external
    pytest.param(
        CALL_CENTRE,
        {"credits.legal_nature": "penalty", "agreement.model": "customer-specific", "credits.scheme": PENALTY_ONE_BAND},
        (
            [
                "credits.legal_nature: a contractual penalty must be graded by how serious the failure is "
                "(BGH VII ZR 308/16): give at least two bands in credits.scheme"
            ],
            [],
        ),
        id="penalty-not-graded",
    ),
    pytest.param(
        CALL_CENTRE,
        {"credits.legal_nature": "penalty", "agreement.drafted_by": "customer"},
        (
            [],
            [
                "credits.legal_nature: the customer's standard terms: penalties of up to 10 % of the monthly fee a "
                "month add up to 10 % of the annual fees, above the 5 % of the order value that standard terms are "
                "unlikely to survive (BGH VII ZR 210/01); cap them per contract year with credits.annual_cap: 5%"
            ],
        ),
        id="penalty-cap-warning",
    ),
    # the provider's own terms: AGB control does not protect the provider against the penalty it offers
    pytest.param(CALL_CENTRE, {"credits.legal_nature": "penalty"}, ([], []), id="penalty-provider-drafted-ok"),
    pytest.param(
        IT,
        {"credits.legal_nature": "penalty"},
        (
            [
                "credits.legal_nature: under the laws of England and Wales a clause is unenforceable if it is penal "
                "(Cavendish v Makdessi [2015] UKSC 67), and 'penalty' says it is; choose liquidated_damages or "
                "fee_adjustment"
            ],
            [],
        ),
        id="penalty-english-law",
    ),
    pytest.param(
        CALL_CENTRE,
        {
            **INTERNAL,
            **EXTERNAL_ONLY,
            "credits.legal_nature": "penalty",
            "agreement.jurisdiction": ...,
            "agreement.main_contract.title": ...,
            "agreement.main_contract.date": ...,
        },
        (
            [
                "credits.legal_nature: an internal agreement carries no penalty, nor any service credits; leave credits out"
            ],
            [],
        ),
        id="penalty-internal",
    ),
    # --- an internal agreement: one controller, no main contract
    pytest.param(
        IT,
        {**INTERNAL, **EXTERNAL_ONLY, "agreement.jurisdiction": ...},
        ([], []),
        id="internal-ok",
    ),
    pytest.param(
        IT,
        {**INTERNAL, **EXTERNAL_ONLY, "agreement.jurisdiction": ..., "data_protection.processing": True},
        (
            [
                "data_protection.processing: units of one company are one controller under the GDPR: there is no "
                "processing on behalf of another (Art. 28 GDPR) between them; set data_protection.processing: false "
                "(its default is true)"
            ],
            [],
        ),
        id="internal-processing",
    ),
    pytest.param(
        IT,
        {
            **INTERNAL,
            **EXTERNAL_ONLY,
            "agreement.jurisdiction": ...,
            "agreement.main_contract.title": ...,
            "agreement.main_contract.date": "2027-01-01",
        },
        (
            [
                "agreement.main_contract.date: an internal agreement supplements no services contract; "
                "leave agreement.main_contract.date out"
            ],
            [],
        ),
        id="internal-main-contract",
    ),
    pytest.param(
        IT,
        {**INTERNAL, "agreement.jurisdiction": ..., "liability": ..., "price": ..., "payment": ...},
        (
            [],
            [
                "agreement.governing_law: ignored: clause 'legal.law' applies only when the agreement is external "
                "(units of one company share its law)",
                "credits.claim_days: ignored: clause 'organisation.credits' applies only when the agreement is "
                "external and its service catalog allows service credits (remedies)",
                "credits.legal_nature: ignored: clause 'organisation.credits' applies only when the agreement is "
                "external and its service catalog allows service credits (remedies)",
                "parties.customer.country: ignored: clause 'legal.law' applies only when the agreement is external "
                "(units of one company share its law)",
                "parties.provider.country: ignored: clause 'legal.law' applies only when the agreement is external "
                "(units of one company share its law)",
            ],
        ),
        id="internal-external-answers-ignored",
    ),
    pytest.param(
        CALL_CENTRE,
        {"credits.legal_nature": "penalty", "agreement.model": "customer-specific", "credits.scheme": PENALTY_GRADED},
        ([], []),
        id="penalty-ok",
    ),
    # --- call recording needs the processing agreement and the consent clause
    pytest.param(
        CALL_CENTRE,
        {"data_protection.processing": False},
        (
            [
                "data_protection.processing: call recordings are personal data the provider processes for the customer: "
                "set data_protection.processing: true (processing agreement under Art. 28 GDPR)"
            ],
            [],
        ),
        id="recording-without-processing",
    ),
    pytest.param(
        TELEMARKETING,
        {"data_protection.call_recording": False},
        (
            [
                "data_protection.call_recording: the KPI 'recording_reviews' of catalog 'telemarketing' has a target above "
                "zero and needs data_protection.call_recording: true"
            ],
            [],
        ),
        id="recording-reviews-without-recording",
    ),
    pytest.param(
        TELEMARKETING,
        {
            "data_protection.call_recording": False,
            "agreement.model": "customer-specific",
            "service.overrides": {"recording_reviews": 0},
        },
        ([], []),
        id="recording-reviews-zero-ok",
    ),
    pytest.param(CALL_CENTRE, {}, ([], []), id="recording-ok"),
    pytest.param(
        CALL_CENTRE,
        {
            **INTERNAL,
            **EXTERNAL_ONLY,
            "agreement.jurisdiction": ...,
            "agreement.main_contract.title": ...,
            "agreement.main_contract.date": ...,
        },
        ([], []),
        id="recording-internal-without-processing-ok",
    ),
    # --- response time within restore time, per priority
    pytest.param(
        IT,
        {"agreement.model": "customer-specific", "service.overrides": {"p1_response": "5h"}},
        (["service.overrides.p1_response: p1_response: 5h exceeds the target of 'p1_restore' (4h)"], []),
        id="response-after-restore",
    ),
    pytest.param(
        IT,
        {"agreement.model": "customer-specific", "service.overrides": {"p2_restore": "1h"}},
        (["service.overrides.p2_restore: p2_response: 2h exceeds the target of 'p2_restore' (1h)"], []),
        id="restore-before-response",
    ),
    pytest.param(
        IT,
        {"agreement.model": "customer-specific", "service.overrides": {"p1_response": "30min", "p1_restore": "2h"}},
        ([], []),
        id="response-within-restore-ok",
    ),
    # --- multi-level: fees per offered tier, the tiers' credits and targets are checked like one tier's
    pytest.param(
        EXAMPLES / "it-service-multi-level.yaml",
        {"price.tier_fees": [{"tier": "bronze", "monthly_fee": 1}, {"tier": "silvr", "monthly_fee": 2}]},
        (
            [
                "price.tier_fees: no fee for the offered tier(s) silver, gold",
                "price.tier_fees.1.tier: 'silvr' is not an offered tier (did you mean 'silver'?)",
            ],
            [],
        ),
        id="tier-fees-not-offered",
    ),
    pytest.param(
        EXAMPLES / "it-service-multi-level.yaml",
        {"price.monthly_fee": 9000},
        (["price.monthly_fee: give either price.monthly_fee or price.tier_fees, not both"], []),
        id="tier-fees-and-monthly-fee",
    ),
    pytest.param(
        IT,
        {"price.tier_fees": [{"tier": "silver", "monthly_fee": 1}]},
        (["price.tier_fees: only a multi-level agreement has a fee per tier; give price.monthly_fee"], []),
        id="tier-fees-standard",
    ),
    pytest.param(
        EXAMPLES / "it-service-multi-level.yaml",
        {"credits.scheme": SCHEME_GOOD},
        (
            [
                "credits.scheme: a multi-level agreement takes its tiers' service credits; set agreement.model: "
                "customer-specific to agree other bands",
            ],
            [],
        ),
        id="multi-level-no-own-bands",
    ),
    pytest.param(
        EXAMPLES / "it-service-multi-level.yaml",
        {"credits.legal_nature": "penalty", "service.tier": ..., "agreement.drafted_by": "customer"},
        (
            [],
            [
                "credits.legal_nature: the customer's standard terms: penalties of up to 50 % of the monthly fee a "
                "month add up to 50 % of the annual fees, above the 5 % of the order value that standard terms are "
                "unlikely to survive (BGH VII ZR 210/01); cap them per contract year with credits.annual_cap: 5%"
            ],
        ),
        id="multi-level-penalty-highest-cap",
    ),
    pytest.param(
        TELEMARKETING,
        {
            "agreement.model": "multi-level",
            "service.offered_tiers": ["basic", "premium"],
            "service.tier": ...,
            "data_protection.call_recording": False,
        },
        (
            [
                "data_protection.call_recording: the KPI 'recording_reviews' of catalog 'telemarketing' has a target "
                "above zero and needs data_protection.call_recording: true"
            ],
            [],
        ),
        id="multi-level-recording-any-tier",
    ),
    pytest.param(
        TELEMARKETING,
        {"service.offered_tiers": ["basic", "premium"]},
        (
            [],
            [
                "service.offered_tiers: ignored: clause 'services.tier_choice' applies only when the agreement is "
                "multi-level (agreement.model)"
            ],
        ),
        id="offered-tiers-ignored-in-standard",
    ),
]


@pytest.mark.parametrize(("example", "changes", "expected"), CASES)
def test_rule(
    example: Path,
    changes: dict[str, Any],
    expected: tuple[list[str], list[str]],
    write_answers: Callable[..., Path],
    library: Library,
) -> None:
    path = write_answers(yaml.safe_dump(changed(example, changes), allow_unicode=True))
    assert findings(path, library) == expected


def test_findings_name_file_and_line(write_answers: Callable[..., Path], library: Library) -> None:
    text = IT.read_text(encoding="utf-8").replace("  legal_nature: fee_adjustment", "  legal_nature: penalty")
    path = write_answers(text)
    with pytest.raises(InputError) as caught:
        load_answers(path, library)
    (problem,) = caught.value.problems
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "legal_nature: penalty" in row)
    assert (problem.file, problem.line, problem.key) == (str(path), line, "credits.legal_nature")


@pytest.fixture
def library_without_a_formula(tmp_path: Path) -> Library:
    copy_library(tmp_path)
    catalog = tmp_path / "tiers" / "call-centre-inbound.yaml"
    text = catalog.read_text(encoding="utf-8")
    formula = "        formula: number of enquiries that callers report as fully resolved on first contact"
    assert formula in text
    catalog.write_text(text.replace(formula, "        formulas: none"), encoding="utf-8")
    return load_library(tmp_path)


def test_every_kpi_needs_formula_period_and_source(library_without_a_formula: Library, library: Library) -> None:
    with pytest.raises(InputError) as caught:
        load_answers(CALL_CENTRE, library_without_a_formula)
    assert [f"{p.key}: {p.message}" for p in caught.value.problems] == [
        "service.catalog: KPI 'fcr' of catalog 'call-centre-inbound' has no formula in 'en'; "
        "the contract must define how it is measured"
    ]
    assert load_answers(CALL_CENTRE, library).warnings == []
