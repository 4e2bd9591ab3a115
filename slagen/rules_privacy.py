"""Validation rules of data protection: the processing agreement exists, recording has a lawful basis.

Rules of :data:`slagen.rules.RULES` that read the data-protection answers: processing on behalf needs
a processing agreement the contract can name (concluded on a date, annexed, or the Art. 28 (3) minimum
terms as an annex), German law records calls only with consent, and an internal agreement is one legal
entity. They take the same :class:`~slagen.rules.Agreement` and report as the other rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slagen.rules import Agreement, Report

AGREEMENT_KEY = "data_protection.agreement"
DATE_KEY = "data_protection.agreement_date"


def _path(key: str) -> tuple[str, ...]:
    return tuple(key.split("."))


def processes_on_behalf(agreement: Agreement) -> bool:
    """Whether the provider processes personal data for the customer, which needs a processing agreement."""
    values = agreement.values
    return values.get("agreement.kind") != "internal" and bool(values.get("data_protection.processing"))


def uk_regime(values: dict[str, object]) -> bool:
    """Whether the UK data protection regime governs: English law, or an internal agreement performed in GB only."""
    if values.get("agreement.kind") == "internal":
        return values.get("scope.territory") == ["GB"]
    return values.get("agreement.governing_law") == "en-gb"


def rule_processing_agreement(agreement: Agreement, report: Report) -> None:
    """Processing on behalf: the answers name the processing agreement, so the contract points at one that exists."""
    values = agreement.values
    form = values.get(AGREEMENT_KEY)
    if not processes_on_behalf(agreement):
        for key in (AGREEMENT_KEY, DATE_KEY):
            if agreement.given(key):
                report(
                    _path(key),
                    "ignored: the provider processes no personal data on the customer's behalf "
                    "(data_protection.processing), so there is no processing agreement to name",
                    warning=True,
                )
        return
    article = "Art. 28 UK GDPR" if uk_regime(values) else "Art. 28 GDPR"
    if form is None:
        report(
            _path(AGREEMENT_KEY),
            f"the provider processes personal data on the customer's behalf, which needs a processing agreement "
            f"({article}) from the start; name it: concluded (with {DATE_KEY}), annexed, or minimum_terms "
            "(this agreement carries the Art. 28 (3) terms as an annex)",
        )
        return
    date = values.get(DATE_KEY)
    if form == "concluded" and date is None:
        report(_path(DATE_KEY), f"a concluded processing agreement is named by its date; give {DATE_KEY}")
    elif form == "minimum_terms" and date is not None:
        report(_path(DATE_KEY), "ignored: the minimum terms of the annex have no date of their own", warning=True)
    start = values.get("agreement.effective_date")
    if date is not None and start is not None and date > start:
        report(
            _path(DATE_KEY),
            f"the processing agreement is dated after the effective date ({start}): processing before it would "
            f"have no contract ({article}); date it no later, or start the services later",
            warning=True,
        )


def rule_recording_basis(agreement: Agreement, report: Report) -> None:
    """Recording on notice (legitimate interests) only under the UK regime; German law needs consent."""
    values = agreement.values
    if not values.get("data_protection.call_recording"):
        return
    if values.get("data_protection.recording_basis") == "notice" and not uk_regime(values):
        report(
            _path("data_protection.recording_basis"),
            "recording a call on notice alone is not lawful under German law: both the other party and the agent "
            "must consent (§ 201 StGB, § 26 (2) BDSG); set data_protection.recording_basis: consent",
        )


def rule_internal_entity(agreement: Agreement, report: Report) -> None:
    """An internal agreement is one legal entity: separate register entries point to separate companies."""
    values = agreement.values
    if values.get("agreement.kind") != "internal":
        return
    given = [values.get(f"parties.{role}.register") or None for role in ("provider", "customer")]
    if any(given) and (None in given or given[0] != given[1]):
        report(
            _path("agreement.kind"),
            "an internal agreement is for units of one legal entity, but the parties do not share one register "
            "entry: separate companies, even of one group, need kind: external (a contract, a processing "
            "agreement or transfer mechanism, transfer pricing and VAT)",
            warning=True,
        )
