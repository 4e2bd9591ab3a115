"""Contract text and computation cannot drift apart (issue 17, item 1): change a KPI's measurement definition, or
the claim rule, in a copy of the library and both the built contract's words and the report's result change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from slagen.claim import ClaimRule
from slagen.generate import build_documents, check_answers
from slagen.library import Library, load_library
from slagen.measured.records import Measured, Outage, Ticket, Where
from slagen.report.compute import compute_report
from slagen.report.model import Report, Result
from slagen.resolve import resolve_service
from slagen.writers.markdown import write_markdown
from tests.conftest import example_with
from tests.helpers import library_copy

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "it-service.yaml"
LONDON = ZoneInfo("Europe/London")
WHERE = Where("data.csv", 2)
CHANGED = (
    ("      decimals: 2 ", "      decimals: 3 "),
    ("      min_outage: 1min\n", "      min_outage: 2min\n"),
    ("      min_events: 10 ", "      min_events: 20 "),
    ("      misses: 1\n", "      misses: 2\n"),
)
"""The it-service catalog's definitions of availability and incident compliance, changed."""


def copy_library(tmp_path: Path, changes: tuple[tuple[str, str], ...]) -> Path:
    for old, _ in changes:
        assert (ROOT / "tiers" / "it-service.yaml").read_text(encoding="utf-8").count(old) == 1, old
    return library_copy(tmp_path, "it-service", changes)


@pytest.fixture(scope="module")
def libraries(tmp_path_factory: pytest.TempPathFactory) -> tuple[Library, Library]:
    tmp = tmp_path_factory.mktemp("drift")
    return load_library(copy_library(tmp / "same", ())), load_library(copy_library(tmp / "changed", CHANGED))


def built(library: Library, tmp: Path, **changes: Any) -> tuple[Any, dict[str, str]]:
    path = tmp / "answers.yaml"
    path.write_text(yaml.safe_dump(example_with(EXAMPLE, changes), allow_unicode=True), encoding="utf-8")
    answers = check_answers(path, library)
    texts = {
        doc.properties["slagen.language"]: write_markdown(doc)
        for doc in build_documents(answers, library, ("de", "en"))
    }
    return answers, texts


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, minute, second, tzinfo=LONDON)


def measured() -> Measured:
    """March 2027 in London (44,580 minutes): 45 minutes down and a blip of 90 seconds; twelve P2 incidents, two late."""
    outages = (
        Outage(at(3, 10), at(3, 10, 45), "ERP", "provider", WHERE),
        Outage(at(4, 10), at(4, 10, 1, 30), "ERP", "provider", WHERE),
    )
    tickets = []
    for n in range(12):
        created = at(8 + n % 4, 10)  # Monday to Thursday, 10:00
        restored = created + (dt.timedelta(days=5) if n < 2 else dt.timedelta(minutes=30))
        tickets.append(Ticket(f"T{n}", "p2", created, WHERE, responded=created + dt.timedelta(minutes=10),
                              restored=restored))  # fmt: skip
    return Measured(outages=outages, tickets=tuple(tickets))


def report(library: Library, answers: Any, **values: Any) -> Report:
    service = resolve_service(answers, library)
    clauses = tuple(c.id for c in answers.clauses)
    return compute_report({**answers.values, **values}, clauses, service, measured(), "2027-03", agreement="A")


def result(found: Report, kpi: str) -> Result:
    return next(r for r in found.results if r.kpi == kpi)


def test_a_changed_definition_changes_the_contract_and_the_report(
    libraries: tuple[Library, Library], tmp_path: Path
) -> None:
    before, after = libraries
    old_answers, old = built(before, tmp_path)
    new_answers, new = built(after, tmp_path)

    # decimals 2 → 3: the annex, the availability clause and its example, and the value computed
    assert "the result is truncated to two decimal places, not rounded" in old["en"]
    assert "the result is truncated to three decimal places, not rounded" in new["en"]
    assert "das Ergebnis wird auf drei Nachkommastellen abgeschnitten, nicht gerundet" in new["de"]
    assert "a value of 99.899% is therefore 99.89%." in old["en"]
    assert "a value of 99.8999% is therefore 99.899%." in new["en"]
    assert "ein Wert von 99,8999\xa0% ergibt also 99,899\xa0%." in new["de"]
    # min_outage 1min → 2min: the annex and the definition of Downtime; the 90-second blip no longer counts
    assert "a continuous outage of less than one minute is not Downtime" in old["en"]
    assert "a continuous outage of less than two minutes is not Downtime" in new["en"]
    assert "any continuous period of at least two minutes in which" in new["en"]
    assert "ein ununterbrochener Ausfall von weniger als zwei Minuten ist keine Ausfallzeit" in new["de"]
    assert "jede ununterbrochene Zeit von mindestens zwei Minuten, in der" in new["de"]
    # min_events 10 → 20, misses 1 → 2: the small-sample sentence
    assert "if fewer than ten were reported, it is met if no more than one of them missed its time limits" in old["en"]
    assert "if fewer than 20 were reported, it is met if no more than two of them missed its time limits" in new["en"]
    assert (
        "sind weniger als 20 gemeldet worden, ist er erreicht, wenn höchstens zwei von ihnen die Fristen" in new["de"]
    )

    old_report, new_report = report(before, old_answers), report(after, new_answers)
    old_availability, new_availability = result(old_report, "availability"), result(new_report, "availability")
    assert old_availability.formula is not None
    assert new_availability.formula is not None
    assert old_availability.formula.numbers["downtime"] == 46.5  # 45 minutes and the 90-second blip
    assert str(old_availability.value) == "99.89"  # (44,580 − 46.5) ÷ 44,580 = 99.8956… truncated
    assert new_availability.formula.numbers["downtime"] == 45  # the blip is shorter than two minutes
    assert str(new_availability.value) == "99.899"  # 99.89905… truncated to three places
    assert [e.reason for e in new_availability.excluded] == ["below_minimum"]
    # twelve incidents, two late: 83.33 % of ten or more misses 90 %; fewer than twenty with two misses is met
    assert result(old_report, "incident_compliance").met is False
    assert result(new_report, "incident_compliance").met is True
    part = result(new_report, "incident_compliance").parts[0]
    assert part.formula is not None
    assert part.formula.kind == "attainment_small"


def test_a_changed_claim_rule_changes_the_clause_and_the_deadline(
    libraries: tuple[Library, Library], tmp_path: Path
) -> None:
    library = libraries[0]
    answers, text = built(library, tmp_path)
    later_answers, later = built(library, tmp_path, **{"credits.claim_from": "period_end", "credits.claim_days": 45})
    assert "in writing within 30 days after receiving the report for that month;" in text["en"]
    assert "in writing within 45 days after the end of that month;" in later["en"]
    assert "innerhalb von 45 Tagen nach dem Ende dieses Kalendermonats in schriftlicher Form geltend" in later["de"]
    # the report is due on the fifth working day after Wednesday 31 March 2027 (1, 2, 5, 6, 7 April; Easter Monday
    # was 29 March): 30 days after receipt is 7 May; 45 days after 31 March is Saturday 15 May, which English law keeps
    first = report(library, answers).credit
    second = report(library, later_answers).credit
    assert first is not None
    assert second is not None
    assert (first.received, first.claim_by) == (dt.date(2027, 4, 7), dt.date(2027, 5, 7))
    assert second.claim_by == dt.date(2027, 5, 15)
    assert second.claim_rule == ClaimRule("period_end", 45, moves=False)  # the report states the rule it followed
    # under German law § 193 BGB moves the Saturday to Monday 17 May; the English-law clause says nothing of it
    moved = report(library, later_answers, **{"agreement.governing_law": "de"}).credit
    assert moved is not None
    assert moved.claim_by == dt.date(2027, 5, 17)
    assert "(section 193 BGB)" not in later["en"]


def test_a_partial_period_rule_changes_the_clause_and_the_minutes_counted(tmp_path: Path) -> None:
    whole = load_library(copy_library(tmp_path / "whole", (("      partial: part ", "      partial: whole "),)))
    answers, text = built(whole, tmp_path, **{"agreement.effective_date": "2027-03-10"})
    assert "Availability is calculated over the whole calendar month even where the obligation" in text["en"]
    assert "Die Verfügbarkeit wird über den gesamten Kalendermonat ermittelt, auch wenn" in text["de"]
    assert "over the whole measuring period, even where only part of it falls within the term" in text["en"]
    found = result(report(whole, answers, **{"agreement.effective_date": dt.date(2027, 3, 10)}), "availability")
    assert found.formula is not None
    assert found.formula.numbers["minutes"] == 44580  # all of March, not the 22 days from 10 March
    assert found.note == "whole_period"  # the report's header says the term's part; this KPI says the whole month
    part = load_library(copy_library(tmp_path / "part", ()))
    answers, text = built(part, tmp_path, **{"agreement.effective_date": "2027-03-10"})
    assert "availability is calculated over that part only" in text["en"]
    found = result(report(part, answers, **{"agreement.effective_date": dt.date(2027, 3, 10)}), "availability")
    assert found.formula is not None
    assert found.formula.numbers["minutes"] == 22 * 1440 - 60
    assert found.note == ""
