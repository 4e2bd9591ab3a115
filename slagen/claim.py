"""The claim rule for further Service Credits: one definition that the credits clause words and the report computes.

The rule is read from the answers: what starts the period (``credits.claim_from``: ``report``, receipt of the
report for the month, or ``period_end``, the end of the month), how many days it runs (``credits.claim_days``)
and whether a last day that is a Saturday, Sunday or public holiday moves to the next working day, which § 193
BGB does under German law and English law does not (``agreement.governing_law``). The clause
``organisation.credits`` words it with the filter ``claim`` (labels ``claims:``); the report's deadline is
:func:`claim_deadline`.

A period of days that starts with an event does not count the day of the event (§ 187 (1) BGB) and ends with
the end of its last day (§ 188 (1) BGB); English law counts clear days after the event the same way.

>>> rule = claim_rule({"credits.claim_days": 30, "agreement.governing_law": "de"})
>>> rule
ClaimRule(start='report', days=30, moves=True)
>>> weekend = lambda day: day.weekday() >= 5
>>> claim_deadline(rule, dt.date(2027, 3, 31), dt.date(2027, 4, 9), weekend)   # Sunday 9 May: Monday 10 May
datetime.date(2027, 5, 10)
>>> later = claim_rule({"credits.claim_days": 30, "credits.claim_from": "period_end"})
>>> claim_deadline(later, dt.date(2027, 3, 31), dt.date(2027, 4, 9), weekend)   # English law: Friday 30 April
datetime.date(2027, 4, 30)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from msgspec import Struct

STARTS = ("report", "period_end")
"""What starts the claim period: receipt of the report for the period, or the end of the period."""
CREDIT_PERIODS = ("calendar_month",)
"""The measuring periods a credit scheme carries: its bands and caps are shares of a month's fee, so the KPI
that earns credits is measured per calendar month (a catalog that credits another is refused when it loads)."""
DEFAULT_DAYS = 30


class ClaimRule(Struct, frozen=True):
    """Within ``days`` days after ``start``; ``moves``: a last day off work moves to the next working day."""

    start: str
    days: int
    moves: bool


def claim_rule(values: Mapping[str, Any]) -> ClaimRule:
    """The claim rule of an agreement from its answers (flat keys, ``credits.claim_days`` …)."""
    start = str(values.get("credits.claim_from") or "report")
    days = int(values.get("credits.claim_days") or DEFAULT_DAYS)
    return ClaimRule(start, days, values.get("agreement.governing_law") == "de")


def claim_deadline(
    rule: ClaimRule, period_last_day: dt.date, received: dt.date, day_off: Callable[[dt.date], bool]
) -> dt.date:
    """The last day on which further credits for a period may be claimed.

    ``period_last_day`` is the last day of the measuring period, ``received`` the day the report for it counts
    as received; ``day_off`` tells a Saturday, Sunday or public holiday at the place of performance.
    """
    event = received if rule.start == "report" else period_last_day
    last = event + dt.timedelta(days=rule.days)
    while rule.moves and day_off(last):
        last += dt.timedelta(days=1)
    return last


def claim_words(rule: ClaimRule, words: Mapping[str, Any], locale: str) -> dict[str, str]:
    """The clause's words of ``rule``: ``within`` (the period) and ``last_day`` (empty, or the sentence of § 193 BGB).

    >>> words = {"within": "within {days} days after {start}", "starts": {"report": "receiving the report"},
    ...          "last_day": "", "last_day_moved": " It moves."}
    >>> claim_words(ClaimRule("report", 30, False), words, "en_GB")
    {'within': 'within 30 days after receiving the report', 'last_day': ''}
    """
    from slagen.formatting import format_number

    within = str(words["within"]).format(days=format_number(rule.days, locale), start=words["starts"][rule.start])
    return {"within": within, "last_day": str(words["last_day_moved" if rule.moves else "last_day"])}


def answers_of(tree: Mapping[str, Any]) -> dict[str, Any]:
    """The answers the rule reads, as flat keys, from a template's answers tree."""
    credits, agreement = tree.get("credits") or {}, tree.get("agreement") or {}
    return {
        "credits.claim_from": credits.get("claim_from"),
        "credits.claim_days": credits.get("claim_days"),
        "agreement.governing_law": agreement.get("governing_law"),
    }
