"""Prometheus rule files of an agreement: the error ratio over rolling windows, and burn-rate alerts.

PromQL cannot express the contract's period: a range is a fixed length ending at the evaluation time,
and its date functions know only UTC, so a calendar month in Europe/Berlin (whose length and start
move with the month and with daylight saving) is not a range any rule can write. The rules record
the error ratio over the windows the alerts need (5m to 30d, rolling) and say so; the number the
contract pays on comes from ``slagen report``.

The alerts are the multi-window, multi-burn-rate alerts of the Google SRE workbook, against a 30-day
budget: page at a burn rate of 14.4 over 1h and 5m (2 % of the budget gone) and of 6 over 6h and 30m
(5 %), ticket at 1 over 3d and 6h (10 %). An alert whose threshold would exceed an error ratio of 1
could never fire (a target of 90 % burnt 14.4 times over) and is left out, with a comment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from slagen.arithmetic import HUNDRED
from slagen.slo.objectives import Export, Objective, plain, promise
from slagen.slo.queries import error_query, total_query
from slagen.slo.texts import WindowWarnings, camel, promql_string, rfc1123

WINDOWS = ("5m", "30m", "1h", "6h", "3d", "30d")
RECORD = "slagen:sli_error:ratio_rate"
BURN_RATES = (
    ("page", Decimal("14.4"), "1h", "5m"),
    ("page", Decimal(6), "6h", "30m"),
    ("ticket", Decimal(1), "3d", "6h"),
)
"""(severity, burn rate, long window, short window): the SRE workbook's figures for a 30-day budget."""


def rule_groups(export: Export, warnings: WindowWarnings) -> tuple[dict[str, Any], list[str]]:
    """The rule file (``groups``), and a line for every alert left out because it could never fire."""
    groups = []
    skipped: list[str] = []
    for objective in export.objectives:
        groups.append(_group(export, objective, warnings, skipped))
    return {"groups": groups}, skipped


def _labels(export: Export, objective: Objective) -> dict[str, str]:
    return {
        "contract": export.reference,
        "tier": export.tier,
        "clause": objective.clause,
        "kpi": objective.kpi,
    }


def _group(export: Export, objective: Objective, warnings: WindowWarnings, skipped: list[str]) -> dict[str, Any]:
    labels = _labels(export, objective)
    rules: list[dict[str, Any]] = []
    for window in WINDOWS:
        expr = f"{error_query(export, objective, window)}\n/\n{total_query(export, objective, window)}"
        rules.append({"record": RECORD + window, "expr": expr, "labels": labels})
    share = objective.internal if objective.internal is not None else objective.target
    budget = (HUNDRED - share) / HUNDRED
    rules.append({"record": "slagen:objective:ratio", "expr": f"vector({plain(share / HUNDRED)})", "labels": labels})
    rules.append({"record": "slagen:error_budget:ratio", "expr": f"vector({plain(budget)})", "labels": labels})
    match = (
        "{"
        + ",".join(f"{k}={promql_string(v)}" for k, v in (("contract", export.reference), ("kpi", objective.kpi)))
        + "}"
    )
    for severity, rate, long, short in BURN_RATES:
        threshold = rate * budget
        name = camel(export.reference, objective.kpi, "burn", severity)
        if threshold >= 1:
            skipped.append(
                f"{objective.kpi}: {severity} at burn rate {plain(rate)} (threshold {plain(threshold)}, "
                f"error budget {plain(budget)})"
            )
            continue
        expr = f"{RECORD}{long}{match} > {plain(threshold)}\nand\n{RECORD}{short}{match} > {plain(threshold)}"
        annotations = {
            "summary": f"{objective.name} of agreement {export.reference}: error budget burning at "
            f"{plain(rate)} times the rate that would use up a 30-day budget in 30 days ({long} and {short})",
            "objective": f"{promise(objective, share)} (contract: {promise(objective)})",
        }
        for language, text in warnings[objective.window]:
            annotations["window" + ("" if language == "en" else f"_{language}")] = text
        rules.append(
            {
                "alert": name,
                "expr": expr,
                "labels": labels | {"severity": severity},
                "annotations": annotations,
            }
        )
    return {"name": rfc1123("slagen", export.reference, objective.kpi), "rules": rules}
