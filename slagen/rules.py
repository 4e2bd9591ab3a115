"""Validation rules: what an agreement must satisfy beyond each answer's own declaration.

Takes the typed answers, the selected clauses and the library, and reports every breach
through the answers checker (file, line, key), as errors or warnings: a place of
jurisdiction only under § 38 ZPO (German law), liability that never limits the mandatory cases, credit
bands that fit together, a contractual penalty that is graded and moderate, call recording
only with a processing agreement, complete KPI wording, response within restore time, and
an internal agreement without jurisdiction, penalty, processing on behalf or main contract. Each rule is one function in
:data:`RULES`; ``slagen check`` runs them all, ``slagen build`` refuses errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Protocol

from msgspec import Struct

from slagen.arithmetic import CreditScheme, check_credits
from slagen.catalogs import Catalog, Tier, agreed_targets, check_bounds
from slagen.library import Library
from slagen.rules_calendar import rule_holidays
from slagen.rules_catalog import CATALOG_RULES
from slagen.rules_law import LAW_RULES
from slagen.rules_levels import rule_minimum_tier
from slagen.rules_money import rule_carve_outs, rule_credits_nature, rule_drafted_by, rule_liability_cap
from slagen.rules_privacy import rule_internal_entity, rule_processing_agreement, rule_recording_basis
from slagen.rules_shape import rule_term
from slagen.rules_underpin import rule_underpins

PENALTY_CAP_WARNING = Decimal(5)
"""Percent of the order value above which standard terms' contractual penalties are likely invalid."""

MANDATORY_UNLIMITED = {
    "de": {
        "intent": "liability for intent cannot be limited (§ 276 (3) BGB)",
        "gross_negligence": "liability for gross negligence cannot be limited in standard terms "
        "(§ 309 Nr. 7 b BGB via § 307)",
        "life_body_health": "liability for injury to life, body or health cannot be limited in standard terms "
        "(§ 309 Nr. 7 a BGB via § 307)",
        "product_liability": "liability under the Product Liability Act cannot be limited (§ 14 ProdHaftG)",
        "guarantee": "a guarantee cannot be limited by the terms that give it (§ 444 BGB)",
        "fraud": "liability for fraudulent concealment cannot be limited (§ 444 BGB)",
    },
    "en-gb": {
        "life_body_health": "liability for death or personal injury caused by negligence cannot be excluded "
        "(Unfair Contract Terms Act 1977, s. 2(1))",
        "fraud": "liability for fraud cannot be excluded",
        "product_liability": "liability under the Consumer Protection Act 1987 cannot be limited (s. 7)",
    },
}
"""Cases of unlimited liability that ``liability.unlimited`` must keep, by governing law, with the reason."""

LIABILITY_LAW = {"legal.liability": "de", "legal.liability_ew": "en-gb"}
"""The law whose mandatory cases each liability clause keeps."""


class Report(Protocol):
    """How a rule reports: the key path of the answer concerned, the message, and whether it only warns."""

    def __call__(self, path: tuple[str, ...], message: str, *, warning: bool = False) -> None:
        """Report ``message`` about the answer at ``path``."""


class Agreement(Struct, frozen=True):
    """What the rules read: typed answers by key, the selected clause ids, and the catalog and tier chosen."""

    values: dict[str, Any]
    clauses: frozenset[str]
    library: Library
    answered: frozenset[str] = frozenset()
    """The keys the answers file gives itself (a default is not an answer)."""

    @property
    def catalog(self) -> Catalog | None:
        """The service catalog chosen, if it is known."""
        return self.library.catalogs.get(self.values.get("service.catalog") or "")

    @property
    def tier(self) -> Tier | None:
        """The standard tier chosen, if it is known."""
        catalog = self.catalog
        return catalog.tiers.get(self.values.get("service.tier") or "") if catalog else None

    @property
    def offered(self) -> list[Tier]:
        """The tiers the contract sets out: the offered ones of a multi-level agreement, else the tier chosen."""
        catalog = self.catalog
        if catalog is None:
            return []
        if self.values.get("agreement.model") == "multi-level":
            return [catalog.tiers[t] for t in self.values.get("service.offered_tiers") or () if t in catalog.tiers]
        return [self.tier] if self.tier else []

    def targets(self) -> dict[str, Any]:
        """Every KPI's agreed target (the tier's, or the override)."""
        tier = self.tier
        return agreed_targets(tier, self.values.get("service.overrides")) if tier else {}

    def all_targets(self) -> list[dict[str, Any]]:
        """The targets of every tier the contract sets out (one per offered tier in a multi-level agreement)."""
        if self.values.get("agreement.model") == "multi-level":
            return [dict(tier.targets) for tier in self.offered]
        return [self.targets()]

    def given(self, key: str) -> bool:
        """Whether the answers give ``key`` a value (defaults count)."""
        return self.values.get(key) not in (None, "", [], {})


Rule = Callable[[Agreement, Report], None]


def _path(key: str, *more: str) -> tuple[str, ...]:
    return (*key.split("."), *more)


def _lacking_court_choice(values: dict[str, Any]) -> Iterator[str]:
    """The parties that are neither merchant nor public entity, who cannot agree a court in advance."""
    for role in ("provider", "customer"):
        if not (values.get(f"parties.{role}.merchant") or values.get(f"parties.{role}.public_entity")):
            yield role


def rule_jurisdiction(agreement: Agreement, report: Report) -> None:
    """A German place of jurisdiction: between merchants or public entities, or with a party seated abroad."""
    values = agreement.values
    if not agreement.given("agreement.jurisdiction"):
        return
    where = _path("agreement.jurisdiction")
    if values.get("agreement.kind") == "internal":
        report(where, "an internal agreement has no place of jurisdiction; leave agreement.jurisdiction out")
        return
    if values.get("agreement.governing_law") != "de":
        return  # English law: the courts of England and Wales (legal.jurisdiction_ew), no § 38 ZPO
    countries = {values.get(f"parties.{role}.country") for role in ("provider", "customer")}
    if countries != {"DE"}:  # a party without a German seat: § 38 (2) ZPO, or Art. 25 Brussels Ia / Art. 23 Lugano
        if countries == {"DE", "GB"} and list(_lacking_court_choice(values)):
            report(
                where,
                "agreed under § 38 (2) ZPO (the other party sits outside the EU and the Lugano states): unless both "
                "parties are merchants or public entities, the German court chosen must be one where the German "
                "party has its general or a special place of jurisdiction (§ 38 (2) sentence 3 ZPO); check the place",
                warning=True,
            )
        return
    lacking = list(_lacking_court_choice(values))
    unknown = [role for role in lacking if values.get(f"parties.{role}.merchant") is None]
    for role in unknown:
        report(
            _path(f"parties.{role}.merchant"),
            f"missing: whether the {role} is a merchant (Kaufmann) decides whether the place of jurisdiction "
            "can be agreed (§ 38 (1) ZPO); answer true or false",
        )
    if lacking and not unknown:
        who = f"the {lacking[0]} is neither" if len(lacking) == 1 else "neither party is either"
        report(
            where,
            "ignored: a place of jurisdiction can be agreed in advance only if both parties are merchants or "
            f"public entities (§ 38 (1) ZPO), and {who}",
            warning=True,
        )


def rule_liability(agreement: Agreement, report: Report) -> None:
    """The liability clause never limits what its law keeps unlimited (``mandatory`` stands for the law's own list)."""
    kept = set(agreement.values.get("liability.unlimited") or ())
    if "mandatory" in kept:
        return
    for clause, law in LIABILITY_LAW.items():
        for case, reason in MANDATORY_UNLIMITED[law].items() if clause in agreement.clauses else ():
            if case not in kept:
                report(_path("liability.unlimited"), f"{reason}: keep '{case}' in the list")


def rule_credits(agreement: Agreement, report: Report) -> None:
    """Credit bands: agreed only in a customer-specific agreement, contiguous from the agreed target down."""
    catalog, tier = agreement.catalog, agreement.tier
    if "organisation.credits" not in agreement.clauses or catalog is None or tier is None or not catalog.credit_kpi:
        return
    agreed: CreditScheme | None = agreement.values.get("credits.scheme")
    kpi = catalog.kpis[catalog.credit_kpi]
    target = agreement.targets().get(kpi.id)
    show = "{} %" if kpi.unit == "percent" else "{}"
    if agreed is not None:
        model = agreement.values.get("agreement.model")
        if model != "customer-specific":
            whose = "its tiers'" if model == "multi-level" else "the tier's"
            report(
                _path("credits.scheme"),
                f"a {model} agreement takes {whose} service credits; "
                "set agreement.model: customer-specific to agree other bands",
            )
            if model == "multi-level":
                return
        for subkey, message in check_credits(agreed, _decimal(target), show=show):
            report(_path("credits.scheme", *subkey), message)
    elif tier.credits is not None and target != tier.targets.get(kpi.id):
        found = check_credits(tier.credits, _decimal(target), show=show)
        if found:
            report(
                _path("service.overrides", kpi.id),
                f"the service credits of tier '{tier.id}' start at its target ({show.format(tier.targets[kpi.id])}); "
                "agree bands for the new target in credits.scheme",
            )


def rule_penalty(agreement: Agreement, report: Report) -> None:
    """A contractual penalty: German law, external, graded by severity, and warned about above 5 %."""
    values = agreement.values
    if values.get("credits.legal_nature") != "penalty":
        return
    where = _path("credits.legal_nature")
    if values.get("agreement.kind") == "internal":
        report(where, "an internal agreement carries no penalty, nor any service credits; leave credits out")
        return
    if "organisation.credits" not in agreement.clauses:
        return
    if values.get("agreement.governing_law") == "en-gb":
        report(
            where,
            "under the laws of England and Wales a clause is unenforceable if it is penal (Cavendish v Makdessi "
            "[2015] UKSC 67), and 'penalty' says it is; choose liquidated_damages or fee_adjustment",
        )
        return
    agreed: CreditScheme | None = values.get("credits.scheme")
    schemes = [agreed] if agreed else [tier.credits for tier in agreement.offered if tier.credits]
    if any(len(scheme.bands) < 2 for scheme in schemes):
        report(
            where,
            "a contractual penalty must be graded by how serious the failure is (BGH VII ZR 308/16): "
            "give at least two bands in credits.scheme",
        )
    cap = max((scheme.cap for scheme in schemes), default=Decimal(0))
    yearly = min(cap, Decimal(values.get("credits.annual_cap") or cap))
    if yearly > PENALTY_CAP_WARNING and values.get("agreement.drafted_by") == "customer":
        report(
            where,
            f"the customer's standard terms: penalties of up to {cap} % of the monthly fee a month add up to "
            f"{yearly} % of the annual fees, above the 5 % of the order value that standard terms are unlikely to "
            "survive (BGH VII ZR 210/01); cap them per contract year with credits.annual_cap: 5%",
            warning=True,
        )


def rule_call_recording(agreement: Agreement, report: Report) -> None:
    """Recording calls needs the processing agreement (Art. 28 GDPR; not within one company) and the consent clause."""
    values = agreement.values
    if values.get("data_protection.call_recording"):
        if not values.get("data_protection.processing") and values.get("agreement.kind") != "internal":
            report(
                _path("data_protection.processing"),
                "call recordings are personal data the provider processes for the customer: "
                "set data_protection.processing: true (processing agreement under Art. 28 GDPR)",
            )
        if "legal.call_recording" not in agreement.clauses:  # pragma: no cover - the clause's condition is the answer
            report(_path("data_protection.call_recording"), "calls are recorded, but the consent clause is missing")
    catalog = agreement.catalog
    if catalog is None:
        return
    every = agreement.all_targets()
    for kpi in catalog.kpis.values():
        if kpi.requires and not values.get(kpi.requires) and any(_positive(t.get(kpi.id)) for t in every):
            report(
                _path(kpi.requires),
                f"the KPI '{kpi.id}' of catalog '{catalog.id}' has a target above zero and needs {kpi.requires}: true",
            )


def rule_kpi_wording(agreement: Agreement, report: Report) -> None:
    """Every KPI the contract promises has a formula, a measurement period and a data source in each language."""
    catalog = agreement.catalog
    if catalog is None:
        return
    for language in agreement.values.get("languages") or ():
        for kpi in catalog.kpis.values():
            missing = kpi.missing_wording(language)
            if missing:
                report(
                    _path("service.catalog"),
                    f"KPI '{kpi.id}' of catalog '{catalog.id}' has no {', '.join(missing)} in '{language}'; "
                    "the contract must define how it is measured",
                )


def rule_response_within_restore(agreement: Agreement, report: Report) -> None:
    """An agreed target may not exceed the target that bounds it (a response time within its restore time)."""
    catalog, tier = agreement.catalog, agreement.tier
    overrides = agreement.values.get("service.overrides") or {}
    if catalog is None or tier is None or not overrides:
        return
    for kpi_id, message in check_bounds(catalog.kpis, agreed_targets(tier, overrides)):
        key = kpi_id if kpi_id in overrides else catalog.kpis[kpi_id].bounded_by
        report(_path("service.overrides", key), f"{kpi_id}: {message}")


def rule_tier_fees(agreement: Agreement, report: Report) -> None:
    """Fees per tier: only in a multi-level agreement, one for each offered tier, not beside one monthly fee."""
    fees = agreement.values.get("price.tier_fees")
    if not fees or "services.price" not in agreement.clauses:
        return
    where = _path("price.tier_fees")
    if agreement.values.get("agreement.model") != "multi-level":
        report(where, "only a multi-level agreement has a fee per tier; give price.monthly_fee")
        return
    if agreement.given("price.monthly_fee"):
        report(_path("price.monthly_fee"), "give either price.monthly_fee or price.tier_fees, not both")
    offered = [tier.id for tier in agreement.offered]
    seen: set[str] = set()
    for i, entry in enumerate(fees):
        tier = entry.get("tier")
        if tier not in offered:
            import difflib  # only for a suggestion in a message: not at start-up

            close = difflib.get_close_matches(str(tier), offered, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"offered: {', '.join(offered)}"
            report(_path("price.tier_fees", str(i), "tier"), f"'{tier}' is not an offered tier ({hint})")
        elif tier in seen:
            report(_path("price.tier_fees", str(i), "tier"), f"tier '{tier}' has a fee already")
        seen.add(str(tier))
    missing = [tier for tier in offered if tier not in seen]
    if missing:
        report(where, f"no fee for the offered tier(s) {', '.join(missing)}")


def rule_internal(agreement: Agreement, report: Report) -> None:
    """An internal agreement: one controller, so no processing on behalf (Art. 28 GDPR), and no main contract."""
    values = agreement.values
    if values.get("agreement.kind") != "internal":
        return
    if values.get("data_protection.processing"):
        report(
            _path("data_protection.processing"),
            "units of one company are one controller under the GDPR: there is no processing on behalf of another "
            "(Art. 28 GDPR) between them; set data_protection.processing: false (its default is true)",
        )
    for key in ("agreement.main_contract.title", "agreement.main_contract.date"):
        if agreement.given(key):
            report(_path(key), f"an internal agreement supplements no services contract; leave {key} out")


def rule_main_contract(agreement: Agreement, report: Report) -> None:
    """A main contract is named by its title and its date together: the SLA is a schedule to that document."""
    if agreement.values.get("agreement.kind") == "internal":
        return
    title, date = (agreement.given(f"agreement.main_contract.{part}") for part in ("title", "date"))
    if title != date:
        missing = "date" if title else "title"
        report(
            _path(f"agreement.main_contract.{missing}"),
            f"a main contract is named by its title and its date; give agreement.main_contract.{missing} too, "
            "or leave agreement.main_contract out for a stand-alone agreement",
        )


RULES: tuple[Rule, ...] = (
    rule_main_contract,
    rule_term,
    rule_tier_fees,
    rule_jurisdiction,
    *LAW_RULES,
    rule_liability,
    rule_liability_cap,
    rule_carve_outs,
    rule_credits,
    rule_credits_nature,
    rule_penalty,
    rule_drafted_by,
    rule_internal,
    rule_internal_entity,
    rule_processing_agreement,
    rule_call_recording,
    rule_recording_basis,
    rule_kpi_wording,
    rule_response_within_restore,
    rule_minimum_tier,
    rule_holidays,
    rule_underpins,
    *CATALOG_RULES,
)


def check_rules(agreement: Agreement, report: Report) -> None:
    """Run every rule on ``agreement``; each finding goes to ``report``."""
    for rule in RULES:
        rule(agreement, report)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _positive(value: Any) -> bool:
    if value is None:
        return False
    return bool(getattr(value, "seconds", value) > 0)
