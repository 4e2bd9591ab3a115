"""``slagen dates`` output: :class:`slagen.dates.ContractDates` as text, JSON or an iCalendar file.

The words are the library's (``templates/<lang>/dates.yaml``, the ``frequency`` labels of ``labels.yaml``);
dates are formatted by Babel in the language's locale. Pure functions of their arguments.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from msgspec import Struct

from slagen.dates import ContractDates


class Wording(Struct, frozen=True):
    """What the output says: the ``dates.yaml`` texts, the frequency labels, the locale and the agreement's name."""

    texts: Mapping[str, Any]
    frequencies: Mapping[str, str]
    locale: str
    reference: str
    source: str = ""
    """The file the texts come from, named when one is missing."""

    def say(self, key: str, **fields: Any) -> str:
        """The text ``key`` (``calendar.notice`` for a nested one) with its placeholders filled in."""
        node: Any = self.texts
        try:
            for part in key.split("."):
                node = node[part]
            return str(node).format(reference=self.reference, **fields)
        except (KeyError, TypeError, IndexError, ValueError) as err:
            from slagen.errors import LibraryError

            message = f"no usable text '{key}' for slagen dates ({type(err).__name__}: {err})"
            raise LibraryError.single(message, file=self.source or None, key=key) from err

    def date(self, day: dt.date, *, weekday: bool = False) -> str:
        """``day`` as the locale writes it (``30 September 2027``; ``Thursday, 30 September 2027``)."""
        from babel.dates import format_date

        return str(format_date(day, "full" if weekday else "long", locale=self.locale))

    def count(self, key: str, n: int) -> str:
        """``n`` with the singular (``key``) or plural (``key`` + ``s``) text."""
        from slagen.formatting import format_number

        return self.say(key if n == 1 else key + "s", n=format_number(n, self.locale))


def as_text(dates: ContractDates, wording: Wording, is_day_off: Callable[[dt.date], bool]) -> str:
    """The dates as lines of text, in the wording's language."""
    w = wording
    lines = [w.say("title"), w.say("effective", date=w.date(dates.effective)), w.say(f"law.{dates.law}")]
    lines += [w.say("horizon", date=w.date(dates.until)), "", w.say("terms")]
    if not dates.terms:
        lines.append("  " + w.say("main_contract"))
    for term in dates.terms:
        key = "initial" if term.number == 0 else "renewal"
        lines.append("  " + w.say(key, n=term.number, start=w.date(term.start), end=w.date(term.end)))
        if term.notice_by is None:
            lines.append("    " + w.say("no_notice"))
            continue
        months = w.count("month", dates.notice_months)
        lines.append("    " + w.say("notice", months=months, date=w.date(term.notice_by, weekday=True)))
        if is_day_off(term.notice_by):
            lines.append("    " + w.say("notice_weekend"))
    if dates.review_frequency:
        lines += ["", w.say("reviews", frequency=w.frequencies.get(dates.review_frequency, dates.review_frequency))]
        lines += ["  " + w.say("review_line", start=w.date(p.start), end=w.date(p.end)) for p in dates.reviews]
        lines += [] if dates.reviews else ["  " + w.say("none")]
    if dates.report_frequency:
        frequency = w.frequencies.get(dates.report_frequency, dates.report_frequency)
        lines += ["", w.say("reports", frequency=frequency, days=w.count("working_day", dates.report_days))]
        lines += [
            "  " + w.say("report_line", start=w.date(p.start), end=w.date(p.end), due=w.date(p.due, weekday=True))
            for p in dates.reports
        ]
        lines += [] if dates.reports else ["  " + w.say("none")]
    return "\n".join(lines) + "\n"


def as_json(dates: ContractDates) -> str:
    """The dates for machines: ISO dates, one object per term, review period and report."""
    data = {
        "effective_date": dates.effective.isoformat(),
        "governing_law": dates.law,
        "until": dates.until.isoformat(),
        "notice_months": dates.notice_months,
        "terms": [
            {
                "number": t.number,
                "start": t.start.isoformat(),
                "end": t.end.isoformat(),
                "notice_by": t.notice_by.isoformat() if t.notice_by else None,
            }
            for t in dates.terms
        ],
        "reviews": {
            "frequency": dates.review_frequency or None,
            "periods": [{"start": p.start.isoformat(), "end": p.end.isoformat()} for p in dates.reviews],
        },
        "reports": {
            "frequency": dates.report_frequency or None,
            "due_working_days": dates.report_days,
            "periods": [
                {"start": p.start.isoformat(), "end": p.end.isoformat(), "due": p.due.isoformat()}
                for p in dates.reports
            ],
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_ics(dates: ContractDates, wording: Wording) -> str:
    """The dates as an iCalendar file (RFC 5545): one all-day event per deadline, the same for the same input."""
    w = wording
    events: list[tuple[str, dt.date, str]] = []
    for term in dates.terms:
        events.append((f"term-{term.number}", term.end, w.say("calendar.term_end", n=term.number + 1)))
        if term.notice_by is not None:
            events.append((f"notice-{term.number}", term.notice_by, w.say("calendar.notice")))
    events += [(f"review-{p.end.isoformat()}", p.end, w.say("calendar.review")) for p in dates.reviews]
    events += [(f"report-{p.end.isoformat()}", p.due, w.say("calendar.report")) for p in dates.reports]
    stamp = dates.effective.strftime("%Y%m%dT000000Z")
    uid_base = "".join(c if c.isalnum() or c in "-." else "-" for c in w.reference) or "agreement"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//slagen//dates//EN", "CALSCALE:GREGORIAN"]
    lines.append("X-WR-CALNAME:" + _escape(w.say("calendar.name")))
    for uid, day, summary in sorted(events, key=lambda e: (e[1], e[0])):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}.{uid_base}@slagen",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            "SUMMARY:" + _escape(summary),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545, 3.1), never splitting a character."""
    parts: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not parts else 74
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)
