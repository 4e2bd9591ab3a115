"""The claim rule for further Service Credits (slagen/claim.py): its wording in both languages, its deadline, and
the credit period a catalog may give the KPI that earns credits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from slagen.claim import ClaimRule, claim_deadline, claim_rule, claim_words
from slagen.errors import LibraryError
from slagen.generate import build_documents, check_answers
from slagen.library import Library, load_library
from slagen.writers.markdown import write_markdown

from .helpers import library_copy

ROOT = Path(__file__).resolve().parent.parent


def weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def test_the_rule_from_the_answers() -> None:
    assert claim_rule({}) == ClaimRule("report", 30, False)
    values = {"credits.claim_from": "period_end", "credits.claim_days": 14, "agreement.governing_law": "de"}
    assert claim_rule(values) == ClaimRule("period_end", 14, True)
    assert claim_rule({"agreement.governing_law": "en-gb"}).moves is False


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (ClaimRule("report", 30, False), dt.date(2027, 5, 9)),  # Sunday: English law keeps it
        (ClaimRule("report", 30, True), dt.date(2027, 5, 10)),  # § 193 BGB: Monday
        (ClaimRule("period_end", 30, True), dt.date(2027, 4, 30)),  # Friday after the end of March
        (ClaimRule("period_end", 31, True), dt.date(2027, 5, 3)),  # Saturday 1 May: Monday 3 May
    ],
)
def test_the_deadline(rule: ClaimRule, expected: dt.date) -> None:
    assert claim_deadline(rule, dt.date(2027, 3, 31), dt.date(2027, 4, 9), weekend) == expected


def test_a_public_holiday_moves_the_last_day_too() -> None:
    whit_monday = dt.date(2027, 5, 17)
    off = lambda day: weekend(day) or day == whit_monday  # noqa: E731
    assert claim_deadline(ClaimRule("period_end", 45, True), dt.date(2027, 3, 31), dt.date(2027, 4, 7), off) == (
        dt.date(2027, 5, 18)
    )


def test_the_wording_in_both_languages(library: Library) -> None:
    en, de = library.labels["en"]["claims"], library.labels["de"]["claims"]
    assert claim_words(ClaimRule("report", 30, False), en, "en_GB") == {
        "within": "within 30 days after receiving the report for that month",
        "last_day": "",
    }
    moved = claim_words(ClaimRule("period_end", 45, True), de, "de_DE")
    assert moved["within"] == "innerhalb von 45 Tagen nach dem Ende dieses Kalendermonats"
    assert moved["last_day"].startswith(" Fällt der letzte Tag der Frist auf einen Samstag, einen Sonntag")
    assert moved["last_day"].endswith("(§ 193 BGB).")
    assert claim_words(ClaimRule("report", 30, True), en, "en_GB")["last_day"].endswith("(section 193 BGB).")


def test_a_catalog_may_not_credit_a_weekly_kpi(tmp_path: Path) -> None:
    old = "    measure:                   # how it is measured: the report computes it, the KPI annex words it\n"
    old += "      kind: availability\n      period: calendar_month\n"
    root = library_copy(tmp_path, "it-service", ((old, old.replace("calendar_month", "calendar_week")),))
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    messages = [p.message for p in caught.value.problems]
    assert any("kind 'availability' is computed per calendar_month, not per calendar_week" in m for m in messages)


def test_a_kind_measured_weekly_cannot_earn_credits(tmp_path: Path) -> None:
    credited = ("remedies: [escalation]", "remedies: [escalation]\ncredits: calls_per_agent_day")
    root = library_copy(tmp_path, "telemarketing", (credited,))
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    found = [p for p in caught.value.problems if p.key == "credits"]
    assert found, caught.value.problems
    assert "is measured per calendar_week, but credits are shares of a month's fee" in found[0].message
    assert "per calendar_month" in found[0].message


def test_every_maintenance_window_a_tier_may_choose_is_defined(tmp_path: Path) -> None:
    line = '          sunday_night: {days: [sunday], from: "00:00", length: 6h}\n'
    root = library_copy(tmp_path, "it-service", ((line, ""),))
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    found = [p for p in caught.value.problems if p.key == "kpis.availability.measure.maintenance.windows"]
    assert [p.message for p in found] == ["no window for sunday_night (choices of the tier term 'maintenance_window')"]


def test_the_maintenance_limit_is_the_tier_term_the_definition_names(tmp_path: Path) -> None:
    """The maintenance clause states the monthly limit from the term the definition's ``limit:`` names."""
    root = library_copy(
        tmp_path,
        "it-service",
        (
            ("  maintenance_per_month:", "  monthly_maintenance:"),
            ("limit: maintenance_per_month", "limit: monthly_maintenance"),
            ("      monthly_maintenance: 4h", "      monthly_maintenance: 5h"),  # the chosen tier's (Silver)
        ),
    )
    library = load_library(root)
    answers = check_answers(ROOT / "examples" / "it-service.yaml", library)
    (document,) = build_documents(answers, library, ("en",))
    text = write_markdown(document)
    assert "Planned maintenance shall not exceed 5 hours in total in any calendar month" in text


def test_a_definition_naming_a_tier_term_the_catalog_lacks_is_refused(tmp_path: Path) -> None:
    root = library_copy(tmp_path, "it-service", (("limit: maintenance_per_month", "limit: maintenance_hours"),))
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    found = [p for p in caught.value.problems if p.key == "kpis.availability.measure.maintenance.limit"]
    assert [p.message for p in found] == ["no tier term 'maintenance_hours' in this catalog"]
