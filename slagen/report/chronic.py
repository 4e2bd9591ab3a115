"""The chronic-failure rule: the same Service Level missed in N consecutive months or M months in twelve.

Months are calendar months inside the term. A month's result comes from the report of that month (the
history) or, for the period reported on, from this report; a month of the last twelve inside the term for
which there is neither counts as not missed and is listed as unknown. The right arises in the month whose
miss completes either count; it can be exercised until the end of ``notice_days`` days after the report
showing that miss is received (:mod:`slagen.report.deadlines`).

>>> state = chronic("availability", "2027-05", {"2027-03", "2027-04"}, True, (2, 3), "2027-01")
>>> state.consecutive, state.in_twelve, state.arisen, state.missed
(3, 3, True, ('2027-03', '2027-04', '2027-05'))
>>> chronic("availability", "2027-05", {"2027-03"}, True, (2, 3), "2027-03").arisen
False
"""

from __future__ import annotations

from slagen.report.model import Chronic


def month_labels_back(label: str, count: int, first: str) -> list[str]:
    """``label`` and the months before it, at most ``count`` and none before ``first``, oldest first.

    >>> month_labels_back("2027-02", 12, "2026-12")
    ['2026-12', '2027-01', '2027-02']
    """
    year, month = int(label[:4]), int(label[5:7])
    labels = []
    for back in range(count):
        index = year * 12 + month - 1 - back
        text = f"{index // 12:04d}-{index % 12 + 1:02d}"
        if text < first:
            break
        labels.append(text)
    return labels[::-1]


def chronic(
    kpi: str,
    label: str,
    earlier_missed: set[str],
    missed_now: bool,
    rule: tuple[int, int],
    first: str,
    known: set[str] | None = None,
) -> Chronic:
    """The rule's state for ``kpi`` after the month ``label``; ``rule`` is (consecutive months, months in twelve).

    ``earlier_missed`` are earlier months in which the Service Level counted as missed, ``known`` every
    earlier month with a result (None: all of them); ``first`` is the term's first month.
    """
    window = month_labels_back(label, 12, first)
    missed = {month for month in window[:-1] if month in earlier_missed} | ({label} if missed_now else set())
    consecutive = 0
    for month in reversed(window):
        if month not in missed:
            break
        consecutive += 1
    in_twelve = len(missed)
    arisen = missed_now and (consecutive >= rule[0] or in_twelve >= rule[1])
    unknown = () if known is None else tuple(m for m in window[:-1] if m not in known)
    return Chronic(kpi, tuple(sorted(missed)), consecutive, in_twelve, arisen, None, unknown)
