"""The dates an agreement implies (issue 17, item 4): terms, notice deadlines, review meetings, report due dates.

Pure: typed answers (``Answers.values``) and a horizon in → :class:`ContractDates` out. The rules, with
their sources, are in ``docs/dates.md``:

- a term of months ends as :func:`slagen.termdates.term_end` counts it (§§ 187 (2), 188 (2), (3) BGB);
  each renewal starts the day after the term before it ends;
- notice must be **received** by :func:`notice_deadline`: under German law the latest day whose receipt
  (an event, § 187 (1) BGB) starts a period of the notice months that ends (§ 188 (2), (3) BGB) no later
  than the term; § 193 BGB does not move it. Under English law the same day of the month ``N`` months
  before the term's last day (the corresponding date rule), or that month's last day where it has none;
- the parties meet once in each calendar period of ``review.frequency`` while the agreement runs;
- a report is due ``reporting.due_days`` Working Days after the end of each calendar week (Monday to
  Sunday) or calendar month (``reporting.frequency``), Working Days as the definitions clause defines them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from msgspec import Struct

from slagen.clock import ServiceCalendar, add_service_days
from slagen.termdates import term_end

REVIEW_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
"""``review.frequency`` → the length of its calendar period in months."""


class Term(Struct, frozen=True):
    """One term: the initial one (``number`` 0) or a renewal, and the last day notice to end it is received."""

    number: int
    start: dt.date
    end: dt.date
    notice_by: dt.date | None
    """``None`` when the agreement ends with this term without notice (no automatic renewal)."""


class Period(Struct, frozen=True):
    """A calendar period (clipped to the agreement) and the date something is due for it."""

    start: dt.date
    end: dt.date
    due: dt.date


class ContractDates(Struct, frozen=True):
    """Everything ``slagen dates`` shows, computed under ``law`` up to ``until``."""

    effective: dt.date
    law: str
    until: dt.date
    terms: tuple[Term, ...]
    """Empty when the term follows a main contract (``agreement.main_contract``)."""
    reviews: tuple[Period, ...]
    reports: tuple[Period, ...]
    report_frequency: str
    review_frequency: str
    notice_months: int
    report_days: int = 0
    """Working Days after the end of a reporting period by which its report is due."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The day with ``day``'s number ``months`` later (or earlier), else that month's last day.

    >>> add_months(dt.date(2027, 1, 31), 1), add_months(dt.date(2027, 12, 31), -3)
    (datetime.date(2027, 2, 28), datetime.date(2027, 9, 30))
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def notice_deadline(end: dt.date, months: int, law: str) -> dt.date:
    """The last day on which notice of ``months`` to end a term on ``end`` (its last day) must be received.

    German law counts the period from the receipt, an event during a day (§ 187 (1) BGB): it ends with the
    day of the last month that bears the receipt's number, or that month's last day (§ 188 (2), (3) BGB),
    and must end no later than the term. § 193 BGB does not apply to notice periods: a Saturday, Sunday or
    public holiday stays the deadline.

    >>> notice_deadline(dt.date(2027, 12, 31), 3, "de"), notice_deadline(dt.date(2027, 6, 30), 3, "de")
    (datetime.date(2027, 9, 30), datetime.date(2027, 3, 31))
    >>> notice_deadline(dt.date(2027, 5, 31), 3, "de"), notice_deadline(dt.date(2028, 1, 30), 3, "de")
    (datetime.date(2027, 2, 28), datetime.date(2027, 10, 30))

    English law ("at least N months' notice before the end of the term"): the same day N months before the
    term's last day, or that month's last day where it has none.

    >>> notice_deadline(dt.date(2027, 6, 30), 3, "en-gb"), notice_deadline(dt.date(2027, 12, 31), 3, "en-gb")
    (datetime.date(2027, 3, 30), datetime.date(2027, 9, 30))
    """
    if law != "de":
        return add_months(end, -months)
    day = add_months(end, -months)
    while add_months(day + dt.timedelta(days=1), months) <= end:
        day += dt.timedelta(days=1)
    while add_months(day, months) > end:
        day -= dt.timedelta(days=1)
    return day


def period_law(governing_law: object) -> str:
    """The law whose rules count the agreement's periods: the governing law, German where there is none.

    An internal agreement (one legal entity, no governing-law clause) counts them as German law does.

    >>> period_law("en-gb"), period_law(None)
    ('en-gb', 'de')
    """
    return str(governing_law or "de")


def contract_dates(values: Mapping[str, Any], until: dt.date, working_days: ServiceCalendar | None) -> ContractDates:
    """The dates of the agreement whose typed answers are ``values``, up to and including ``until``.

    ``working_days`` is the agreement's Working Day calendar (:func:`slagen.clock.working_days_for`); it is
    needed only when the agreement has reports.
    """
    effective: dt.date = values["agreement.effective_date"]
    law = period_law(values.get("agreement.governing_law"))
    notice = int(values.get("agreement.term.notice_months") or 0)
    terms = () if values.get("agreement.main_contract.date") else _terms(values, until, law)
    ends = terms[-1].end if terms and terms[-1].notice_by is None and terms[-1].end <= until else None
    last = ends or until
    clip = ends is not None
    review = str(values.get("review.frequency") or "")
    reviews = tuple(
        Period(start, end, end) for start, end in _periods(effective, last, REVIEW_MONTHS.get(review, 0), clip)
    )
    report = str(values.get("reporting.frequency") or "")
    reports: tuple[Period, ...] = ()
    days = int(values.get("reporting.due_days") or 0)
    if report and working_days is not None:
        spans = _weeks(effective, last, clip) if report == "weekly" else _periods(effective, last, 1, clip)
        test = working_days.holiday_test()
        reports = tuple(
            Period(start, end, add_service_days(end, days, working_days, is_holiday=test)) for start, end in spans
        )
    return ContractDates(effective, law, until, terms, reviews, reports, report, review, notice, days)


def _terms(values: Mapping[str, Any], until: dt.date, law: str) -> tuple[Term, ...]:
    effective: dt.date = values["agreement.effective_date"]
    months = int(values.get("agreement.term.months") or 12)
    renew = bool(values.get("agreement.term.auto_renew"))
    renewal = int(values.get("agreement.term.renewal_months") or 12)
    notice = int(values.get("agreement.term.notice_months") or 0)
    terms: list[Term] = []
    start, length = effective, months
    while True:
        end = term_end(start, length)
        terms.append(Term(len(terms), start, end, notice_deadline(end, notice, law) if renew else None))
        start, length = end + dt.timedelta(days=1), renewal
        if not renew or start > until:
            return tuple(terms)


def _periods(first: dt.date, last: dt.date, months: int, clip: bool) -> list[tuple[dt.date, dt.date]]:
    """Calendar periods of ``months`` (months, quarters, half-years, years) from ``first`` to ``last``.

    The first is clipped to ``first``; the last to ``last`` when the agreement ends then (``clip``), else a
    period that ends after ``last`` (the horizon) is left out.
    """
    if not months or last < first:
        return []
    spans = []
    month0 = (first.month - 1) // months * months + 1
    start = dt.date(first.year, month0, 1)
    while start <= last:
        nxt = add_months(start, months)
        end = nxt - dt.timedelta(days=1)
        if end <= last or clip:
            spans.append((max(start, first), min(end, last)))
        start = nxt
    return spans


def _weeks(first: dt.date, last: dt.date, clip: bool) -> list[tuple[dt.date, dt.date]]:
    """Calendar weeks (Monday to Sunday) from ``first`` to ``last``, clipped as :func:`_periods` clips."""
    spans = []
    start = first - dt.timedelta(days=first.weekday())
    while start <= last:
        end = start + dt.timedelta(days=6)
        if end <= last or clip:
            spans.append((max(start, first), min(end, last)))
        start += dt.timedelta(days=7)
    return spans
