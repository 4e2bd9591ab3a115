"""A report as one language shows it: headings, sentences and tables, ready for Markdown or DOCX.

Every word comes from ``templates/<lang>/report.yaml`` (and the KPI names from the catalog); every number is
formatted for the language's locale. A figure the computation carries with more digits than shown is cut
after six decimal places and marked with "…", so that a reader's calculator agrees with it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from msgspec import Struct

from slagen.catalogs import Catalog
from slagen.report.charts import Chart
from slagen.report.model import Event, Report, Result


class Table(Struct, frozen=True):
    """A table: column heads and rows of text."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = str | Table


class Section(Struct, frozen=True):
    """A heading (level 2 or 3) and what follows it; a chart of its figures where one helps."""

    heading: str
    level: int
    blocks: tuple[Block, ...]
    chart: Chart | None = None


class View(Struct, frozen=True):
    """The whole report in one language."""

    title: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    language: str


class _Say:
    """Formats numbers, dates and times for one locale."""

    def __init__(self, locale: str, zone: Any) -> None:
        from slagen.formatting import format_date, format_number

        self.locale, self.zone = locale, zone
        self._date, self._number = format_date, format_number

    def working_days(self, value: Decimal) -> str:
        """``3 working days`` / ``2,5 Arbeitstage``: the number as :meth:`number` writes it."""
        from slagen.formatting import format_working_days

        return format_working_days(value, self.locale, self.number(value))

    def number(self, value: Decimal) -> str:
        shown = value.quantize(Decimal("0.000001"), rounding=ROUND_DOWN)
        plain = shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown.normalize()
        return self._number(plain, self.locale) + ("…" if shown != value else "")

    def money(self, value: Decimal, currency: str) -> str:
        from slagen.formatting import format_money

        return format_money(value, currency, self.locale) if currency else self.number(value)

    def duration(self, value: Any) -> str:
        from slagen.formatting import format_duration

        return format_duration(value, self.locale)

    def timespan(self, seconds: Decimal) -> str:
        from slagen.formatting import format_timespan

        return format_timespan(seconds, self.locale)

    def date(self, value: dt.date) -> str:
        return self._date(value, self.locale)

    def moment(self, value: dt.datetime) -> str:
        local = value.astimezone(self.zone)
        return local.strftime("%Y-%m-%d %H:%M") + ("" if not local.second else local.strftime(":%S"))


def _rows(where: str) -> str:
    """``/data/march/outages.csv:4, …`` as ``outages.csv:4, …``: the file's name is enough beside the report."""
    return ", ".join(part.strip().rsplit("/", 1)[-1] for part in where.split(",")) if where else ""


def _target(result: Result, say: _Say) -> str:
    target = result.target
    if hasattr(target, "seconds"):
        return say.duration(target)
    text = say.number(Decimal(target))
    if result.unit == "working_days":
        return say.working_days(Decimal(target))
    return f"{text} %" if result.unit == "percent" else f"{text} ppm" if result.unit == "ppm" else text


def _value(result: Result, say: _Say) -> str:
    if result.value is None:
        return "–"
    text = say.number(result.value)
    if result.unit == "percent":
        return f"{text} %"
    if result.unit == "duration" and result.value < 1:  # a latency or jitter: milliseconds
        return f"{say.number(result.value * 1000)} ms"
    if result.unit == "ppm":
        return f"{text} ppm"
    if result.unit == "working_days":
        return say.working_days(result.value)
    return say.timespan(result.value) if result.unit == "duration" else text


def build_view(report: Report, catalog: Catalog, lang: str, labels: dict[str, Any], locale: str) -> View:
    """The report in ``lang``, worded by ``labels`` (``templates/<lang>/report.yaml``)."""
    from zoneinfo import ZoneInfo

    say = _Say(locale, ZoneInfo(report.time_zone))
    name = {k: str((kpi.text.get(lang) or {}).get("name") or k) for k, kpi in catalog.kpis.items()}
    facts_l, verdict = labels["facts"], labels["verdict"]
    period = report.period
    measured = facts_l["whole"]
    if period.partial:
        end = (period.measured_end - dt.timedelta(seconds=1)).date()
        measured = facts_l["partial"].format(start=say.date(period.measured_start.date()), end=say.date(end))
    facts = (
        (facts_l["agreement"], report.agreement),
        (facts_l["period"], period.label),
        (facts_l["measured"], measured),
        (facts_l["catalog"], str((catalog.text.get(lang) or {}).get("name") or catalog.id)),
        (facts_l["tier"], catalog.tiers[report.tier].name if report.tier in catalog.tiers else report.tier),
        (facts_l["time_zone"], report.time_zone),
        (facts_l["received"], _received(report, facts_l, say)),
    )
    cols = labels["columns"]

    def verdict_of(result: Result) -> str:
        if result.note in ("reported", "no_definition"):
            return str(verdict["not_computed"])
        return str(verdict["open"] if result.met is None else verdict["met" if result.met else "missed"])

    rows = tuple((name[r.kpi], _target(r, say), _value(r, say), verdict_of(r)) for r in report.results)
    sections = [Section(labels["headings"]["results"], 2, (Table((cols["kpi"], cols["target"], cols["value"],
                                                                    cols["met"]), rows),))]  # fmt: skip
    for result in report.results:
        repeated = any(r.excluded == result.excluded for r in report.results[: report.results.index(result)])
        blocks = _calculation(result, labels, say, name, verdict_of, repeated=repeated and bool(result.excluded))
        if blocks:
            sections.append(Section(name[result.kpi], 3, tuple(blocks), _chart(result, labels, name[result.kpi])))
    if report.credit is not None:
        sections.append(Section(labels["headings"]["credit"], 2, (_credit_table(report, labels, say),)))
    if report.chronic:
        chronic: tuple[Block, ...] = (_chronic_table(report, labels, say, name),)
        unknown = sorted({month for state in report.chronic for month in state.unknown})
        if unknown:
            chronic += (str(labels["notes"]["unknown"]).format(months=", ".join(unknown)),)
        sections.append(Section(labels["headings"]["chronic"], 2, chronic))
    if report.notes:
        sections.append(Section(labels["headings"]["notes"], 2, tuple(labels["notes"][n] for n in report.notes)))
    return View(f"{labels['title']} {period.label}", facts, tuple(sections), lang)


def _received(report: Report, words: dict[str, Any], say: _Say) -> str:
    day = say.date(report.received)
    return str(words["received_assumed"]).format(date=day) if report.received_assumed else day


def _formula(result: Result, labels: dict[str, Any], say: _Say) -> str:
    if result.formula is None:
        return ""
    numbers = dict(result.formula.numbers)
    if result.formula.kind.startswith("activity_ratio"):
        keys = list(numbers)
        numbers = {"numerator": numbers[keys[0]], "denominator": numbers[keys[1]], **numbers}
    shown = {key: say.number(value) for key, value in numbers.items()}
    try:
        text = str(labels["formulas"][result.formula.kind]).format(**shown)
    except KeyError:  # nothing was counted: the note says so, there is no arithmetic to show
        return ""
    if result.value is not None and result.formula.kind == "availability":
        text += f" = {_value(result, say)}"
    return text


def _calculation(
    result: Result, labels: dict[str, Any], say: _Say, name: dict[str, str], verdict_of: Any, *, repeated: bool
) -> list[Block]:
    blocks: list[Block] = []
    cols, reasons = labels["columns"], labels["reasons"]
    formula = _formula(result, labels, say)
    if formula:
        blocks.append(formula)
    if result.note and result.note in labels["notes"]:
        blocks.append(labels["notes"][result.note])
    rows: tuple[tuple[str, ...], ...]
    if result.parts:
        rows = tuple((p.group, _value(p, say), _formula(p, labels, say), verdict_of(p)) for p in result.parts)
        blocks.append(Table((cols["group"], cols["value"], labels["headings"]["calculation"], cols["met"]), rows))
    if result.counted:
        rows = tuple(
            (say.moment(c.start), say.moment(c.end), say.number(c.seconds / 60),
             "; ".join(reasons.get(r, r) for r in c.reason.split("+")), _rows(c.where))
            for c in result.counted
        )  # fmt: skip
        blocks.append(labels["headings"]["counted"])
        blocks.append(Table((cols["start"], cols["end"], cols["minutes"], cols["reason"], cols["source"]), rows))
    if repeated:
        blocks.append(labels["headings"]["excluded_above"])
    elif result.excluded:
        rows = tuple((say.moment(e.start), say.moment(e.end), say.number(e.seconds / 60) if e.seconds else "",
                      reasons.get(e.reason, e.reason), _rows(e.where)) for e in result.excluded)  # fmt: skip
        blocks.append(labels["headings"]["excluded"])
        blocks.append(Table((cols["start"], cols["end"], cols["minutes"], cols["reason"], cols["source"]), rows))
    if result.events and result.formula is not None and result.formula.kind in ("share", "every"):
        blocks += _records_missed(result.events, labels, say)
    elif result.events:
        blocks.append(labels["headings"]["late"])
        blocks.append(_events_table(result.events, labels, say, name))
    return blocks


MAX_RECORDS = 50
"""Most records listed that did not meet a generic kind's conditions; the JSON report has them all."""


def _records_missed(events: tuple[Event, ...], labels: dict[str, Any], say: _Say) -> list[Block]:
    """The records that did not meet a ``share`` or ``every`` kind's conditions, at most :data:`MAX_RECORDS`."""
    cols = labels["columns"]
    rows = tuple((e.id, e.group, say.moment(e.start), _rows(e.where)) for e in events[:MAX_RECORDS])
    blocks: list[Block] = [labels["headings"]["records_missed"]]
    blocks.append(Table((cols["id"], cols["record"], cols["timestamp"], cols["source"]), rows))
    if len(events) > MAX_RECORDS:
        blocks.append(str(labels["notes"]["more_records"]).format(count=len(events) - MAX_RECORDS))
    return blocks


def _events_table(events: tuple[Event, ...], labels: dict[str, Any], say: _Say, name: dict[str, str]) -> Table:
    cols, verdict = labels["columns"], labels["verdict"]
    rows = tuple(
        (e.id, e.group, name.get(e.kpi, e.kpi), say.moment(e.start), say.moment(e.due) if e.due else "",
         say.moment(e.done) if e.done else "–", verdict["open"] if e.met is None else verdict["missed"], _rows(e.where))
        for e in events
    )  # fmt: skip
    header = (cols["ticket"], cols["priority"], cols["measure"], cols["start"], cols["due"], cols["done"],
              cols["met"], cols["source"])  # fmt: skip
    return Table(header, rows)


def _credit_table(report: Report, labels: dict[str, Any], say: _Say) -> Table:
    credit, words = report.credit, labels["credit"]
    assert credit is not None

    def money(value: Decimal | None) -> str:
        return "–" if value is None else say.money(value, credit.currency)

    rows = [
        (words["value"], f"{say.number(credit.value)} %"),
        (words["band"], credit.band or words["no_band"]),
        (words["percent"], f"{say.number(credit.percent)} %"),
        (words["cap"], f"{say.number(credit.monthly_cap)} %"),
        (words["capped"], f"{say.number(credit.percent_capped)} %"),
        (words["fee"], money(credit.fee)),
        (words["amount"], money(credit.amount)),
    ]
    if credit.annual_cap is not None:
        rows += [(words["annual_cap"], money(credit.annual_cap)), (words["earlier"], money(credit.earlier))]
    rows.append((words["owed"], money(credit.owed)))
    if credit.claim_by is not None:
        rows.append((words["claim_by"], say.date(credit.claim_by)))
    if credit.claim_rule is not None:  # the clause's rule, so that the date can be checked by hand
        rule = credit.claim_rule
        text = str(words["claim_rule"]).format(days=rule.days, start=words["claim_starts"][rule.start])
        rows.append((words["claim_period"], text + (str(words["claim_moved"]) if rule.moves else "")))
    return Table(("", ""), tuple(rows))


def _chronic_table(report: Report, labels: dict[str, Any], say: _Say, name: dict[str, str]) -> Table:
    cols, verdict = labels["columns"], labels["verdict"]
    rows = tuple(
        (name.get(c.kpi, c.kpi), ", ".join(c.missed) or verdict["none"], str(c.consecutive), str(c.in_twelve),
         verdict["arisen" if c.arisen else "not_arisen"], say.date(c.notice_by) if c.notice_by else "–")
        for c in report.chronic
    )  # fmt: skip
    header = (cols["kpi"], cols["months"], cols["consecutive"], cols["in_twelve"], cols["arisen"], cols["notice_by"])
    return Table(header, rows)


def _chart(result: Result, labels: dict[str, Any], title: str) -> Chart | None:
    """Availability per day, or the value of each group (priority, week), against the target."""
    words = labels["charts"]
    unit = "%" if result.unit == "percent" else ""
    if result.daily:
        days = tuple(str(day.day) for day, _ in result.daily)
        return Chart(title, days, tuple(v for _, v in result.daily), Decimal(result.target), unit, words["day"])
    if result.slots:
        slots = tuple(slot for slot, _ in result.slots)
        values = tuple(v for _, v in result.slots)
        return Chart(title, slots, values, Decimal(result.target), unit, words["interval"])
    parts = [p for p in result.parts if p.value is not None]
    if parts and not hasattr(result.target, "seconds"):
        groups = tuple(p.group for p in parts)
        values = tuple(p.value for p in parts if p.value is not None)
        met = tuple(p.met is not False for p in parts)
        return Chart(title, groups, values, Decimal(result.target), unit, words["group"], met)
    return None
