"""The questions about the chosen tier: targets other than its own, and service-credit bands of one's own.

Both start from the tier: its targets are the defaults and its bands are shown; when an answers file
is resumed, the answers it gives are the defaults, so that changing one value is one answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slagen.interview import offers
from slagen.interview.bands import BandReader, ask_scheme
from slagen.params import MISSING, Param

if TYPE_CHECKING:
    from slagen.arithmetic import CreditScheme
    from slagen.interview.session import Interview


def ask_kpi_values(session: Interview, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
    """Targets other than the chosen tier's, KPI by KPI, with the tier's target (or the given one) as default."""
    catalog, tier_id = session.chosen_catalog_and_tier()
    if catalog is None or tier_id is None:
        return MISSING
    tier = catalog.tiers[tier_id]
    first = next(iter(catalog.kpis))
    refused = session.refused(key, {first: offers.target_yaml(catalog, first, tier.targets[first])})
    if refused and error is None:
        session.state.notes[key] = session.words["not_offered"].format(reason=refused[0])
        return MISSING
    given = session.given.get(key)
    given = given if isinstance(given, dict) else {}
    targets = f"{tier.name}: {offers.targets(catalog, tier, session.wording.lang)}"
    help_text = f"{help_text}\n{targets}" if help_text else targets
    if not session.confirm(key, text, help_text, bool(given), error):
        return MISSING
    overrides: dict[str, Any] = {}
    for kpi_id, kpi in catalog.kpis.items():
        standard = offers.target_yaml(catalog, kpi_id, tier.targets[kpi_id])
        value = session.value(
            f"{key}.{kpi_id}",
            Param(f"{key}.{kpi_id}", offers.kpi_type(catalog, kpi_id)),
            offers.kpi_name(catalog, kpi_id, session.wording.lang),
            "",
            given.get(kpi_id, standard),
            (),
            None,
            coerce=kpi.coerce,
        )
        if kpi.coerce(value) != tier.targets[kpi_id]:
            overrides[kpi_id] = value
    return overrides or MISSING


def ask_credit_scheme(session: Interview, key: str, text: str, help_text: str, error: str | None) -> Any:
    """Bands of one's own, typed line by line (the tier's shown, the resumed file's the defaults); then the cap."""
    catalog, tier_id = session.chosen_catalog_and_tier()
    tier = catalog.tiers[tier_id] if catalog is not None and tier_id is not None else None
    reader = BandReader(session.wording)
    given = session.given.get(key)
    start = given if isinstance(given, dict) else None  # the tier's cap is the cap's default
    start = start or ({"cap": _percent(tier.credits.cap)} if tier is not None and tier.credits is not None else None)
    if tier is not None and tier.credits is not None:
        lines = "\n".join(f"  {reader.line(band)}" for band in scheme_yaml(tier.credits)["bands"])
        shown = f"{tier.name}:\n{lines}\n  {session.words['band_cap']}: {reader.number(tier.credits.cap)}"
        help_text = f"{help_text}\n{shown}" if help_text else shown
    if not session.confirm(key, text, help_text, isinstance(given, dict), error):
        return MISSING

    def problems(scheme: Any) -> list[tuple[str, str]]:
        prefix = key + "."
        return [
            (where.removeprefix(prefix), session.wording.translated(message))
            for where, message in session.refused_at(key, scheme)
        ]

    return ask_scheme(session.ask, reader, key, start, problems)


def scheme_yaml(scheme: CreditScheme) -> dict[str, Any]:
    """A credit scheme as the answers file writes it: ``{bands: [{from: 99%, below: 99.9%, credit: 5%}], cap: 25%}``."""
    bands = []
    for band in scheme.bands:
        entry = {} if band.lower is None else {"from": _percent(band.lower)}
        bands.append({**entry, "below": _percent(band.upper), "credit": _percent(band.credit)})
    return {"bands": bands, "cap": _percent(scheme.cap)}


def _percent(value: Any) -> str:
    return f"{format(value.normalize(), 'f')}%"
