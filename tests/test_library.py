"""The clause library: complete in both languages, and broken libraries reported clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.answers import load_answers
from slagen.cli import main
from slagen.errors import InputError, LibraryError, TemplateError
from slagen.generate import build_documents
from slagen.library import Library, load_library

from .conftest import DEMO, EXAMPLES, ROOT
from .helpers import copy_library, edit


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    return copy_library(tmp_path)


def render_with(root: Path, language: str = "de") -> None:
    library = load_library(root)
    build_documents(load_answers(DEMO, library), library, [language])


def test_bundled_library_is_complete(library: Library) -> None:
    assert library.sections[0] == "scope"
    # with legal.language, legal.exit, legal.jurisdiction_ew, legal.telemarketing_pecr, services.description_catalog
    assert len(library.clauses) == 60
    for lang in ("de", "en"):
        for clause in library.clauses:
            assert (library.template_root / lang / clause.template_name).is_file()
        assert set(library.labels[lang]["sections"]) == set(library.sections)
    kpis = library.catalogs["telemarketing"].kpis
    assert list(kpis) == [
        "calls_per_agent_day",
        "closing_rate",
        "recording_reviews",
        "complaint_compliance",
        "complaint_resolution",
    ]
    assert library.catalogs["telemarketing"].tiers["professional"].targets["calls_per_agent_day"] == 100


def test_the_bundled_library_is_the_checkout_s_and_reads_the_same_twice(library: Library) -> None:
    again = load_library(ROOT)
    assert again.root == library.root
    assert again.digest == library.digest
    assert again == library


def test_missing_translation_is_reported(library_copy: Path) -> None:
    (library_copy / "templates" / "en" / "legal" / "final.md.j2").unlink()
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    assert [str(p) for p in caught.value.problems] == [
        "templates/en/legal/final.md.j2: clause 'legal.final' has no 'en' wording"
    ]


def test_bad_clause_record_is_reported_with_file_line_and_key(library_copy: Path) -> None:
    record = library_copy / "clauses" / "legal" / "final.yaml"
    record.write_text(
        "id: legal.final\nversion: one\nsection: legal\nparams:\n  x.y: {type: colour}\n", encoding="utf-8"
    )
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    assert [str(p) for p in caught.value.problems] == [
        "clauses/legal/final.yaml:2: version: a version number is required",
        "clauses/legal/final.yaml:5: params.x.y: unknown type 'colour' (one of: string, text, integer, decimal, "
        "percent, ppm, working_days, duration, date, time, boolean, enum, list, records, catalog, tier, tiers, kpi_values, languages, localized, credits)",
    ]


def test_tier_without_a_target_is_reported(library_copy: Path) -> None:
    catalog = library_copy / "tiers" / "telemarketing.yaml"
    text = catalog.read_text(encoding="utf-8").replace("      recording_reviews: 8\n", "")
    catalog.write_text(text, encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    (problem,) = caught.value.problems
    assert str(problem).endswith("tiers.premium.targets: no target for KPI 'recording_reviews'")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (
            "service.catalgo == 'it-service'",
            "'service.catalgo' is not a declared answer (no clause declares it in params)",
        ),
        ("servcie.catalog == 'it-service'", "'servcie' is not an answer (conditions read answers only)"),
    ],
    ids=["misspelt key", "misspelt group"],
)
def test_a_condition_reading_an_unknown_name_stops_the_build(library_copy: Path, when: str, message: str) -> None:
    # the condition would be false for every agreement: the clause would be left out without a word
    record = library_copy / "clauses" / "services" / "description_it.yaml"
    text = record.read_text(encoding="utf-8")
    assert "\nwhen: \"'systems' in catalog.kinds and not catalog.description\"\n" in text
    record.write_text(text.replace("'systems' in catalog.kinds and not catalog.description", when, 1), encoding="utf-8")
    out = library_copy / "out"
    arguments = ["build", str(EXAMPLES / "it-service.yaml"), "-o", str(out), "--library", str(library_copy)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2
    assert result.stderr == f"error: clauses/services/description_it.yaml:5: when: {message}\n"
    assert not out.exists()


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "## Titel\n\n{% if %}\n",
            "templates/de/legal/final.md.j2:3: clause 'legal.final' (de): Expected an expression, got 'end of statement block'",
        ),
        (
            "## Titel\n\nText {{ nonexistent.value }}\n",
            "templates/de/legal/final.md.j2:3: clause 'legal.final' (de): 'nonexistent' is undefined",
        ),
        (
            "## Titel\n\n{{ ''.__class__.__mro__ }}\n",
            "templates/de/legal/final.md.j2:3: clause 'legal.final' (de): access to attribute '__class__' of 'str' object is unsafe.",
        ),
        (
            "## Titel\n\nSiehe {{ ref('legal.nowhere') }}.\n",
            "templates/de/legal/final.md.j2: clause 'legal.final' (de) refers to 'legal.nowhere', which this agreement does not contain",
        ),
        (
            "## Titel\n\n> zitiert\n",
            "templates/de/legal/final.md.j2: clause 'legal.final' (de): 'blockquote' is not part of the clause markup (line 3 of the rendered text)",
        ),
        (
            "Kein Titel\n",
            "templates/de/legal/final.md.j2:1: clause 'legal.final' (de): the clause has no '## title' line",
        ),
        (
            "## Titel\n\n{{ term('nobody') }}\n",
            "templates/de/legal/final.md.j2:3: clause 'legal.final' (de): \"unknown defined term 'nobody' (known: provider, customer, parties, agreement, main_contract, working_day, service_hours, downtime, incident, maintenance_window, service_credit, monthly_fee, monthly_recurring_charge, confidential_information, force_majeure, applicable_level, systems, agent, campaign, lead, data_protection_legislation, service_level, service_tier, processing_agreement, contract_year, annual_fees, deliberate_default, good_industry_practice, delivery_window)\"",
        ),
    ],
)
def test_template_errors_name_clause_language_and_line(library_copy: Path, template: str, expected: str) -> None:
    (library_copy / "templates" / "de" / "legal" / "final.md.j2").write_text(template, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_with(library_copy)
    assert [str(p) for p in caught.value.problems] == [expected]


def test_answers_cannot_inject_markup(library_copy: Path, tmp_path: Path) -> None:
    library = load_library(library_copy)
    text = DEMO.read_text(encoding="utf-8").replace(
        "name: Nordlicht Solartechnik GmbH", 'name: "**Evil** | {{ 7*7 }} <script>x</script> [a](ref:scope.term)"'
    )
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    (document,) = build_documents(load_answers(path, library), library, ["en"])
    assert document.signatories[1].name == "**Evil** | {{ 7*7 }} <script>x</script> [a](ref:scope.term)"
    from slagen.model import plain_text

    front_text = " ".join(plain_text(block.runs) for block in document.front if hasattr(block, "runs"))
    assert "**Evil** | {{ 7*7 }} <script>x</script> [a](ref:scope.term)" in front_text


def test_bundled_catalogs_and_their_tiers(library: Library) -> None:
    assert sorted(library.catalogs) == [
        "call-centre-inbound",
        "facility-management",
        "finance-bpo",
        "hr-services",
        "it-service",
        "supplier",
        "telecom",
        "telemarketing",
    ]
    it = library.catalogs["it-service"]
    assert [tier for tier in it.tiers] == ["bronze", "silver", "gold"]
    assert it.credit_kpi == "availability"
    assert [k for k, kpi in it.kpis.items() if kpi.group == "incidents"] == [
        f"p{n}_{what}" for n in range(1, 5) for what in ("response", "restore")
    ]
    gold = it.tiers["gold"]
    assert gold.terms["calendar_clock"] == ["p1", "p2", "p3", "p4"]
    assert gold.credits is not None
    assert gold.credits.cap == 50
    inbound = library.catalogs["call-centre-inbound"]
    assert list(inbound.tiers) == ["basic", "professional", "premium"]
    assert str(inbound.tiers["professional"].targets["service_level"]) == "80"
    assert library.catalogs["telemarketing"].credit_kpi == ""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      p1_response: 4h\n",
            "      p1_response: 9h\n",
            "tiers/it-service.yaml:240: tiers.bronze.targets.p1_response: 9h exceeds the target of 'p1_restore' (8h)",
        ),
        (
            "        - {from: 99%, below: 99.5%, credit: 5%}\n",
            "        - {from: 99.1%, below: 99.5%, credit: 5%}\n",
            "tiers/it-service.yaml:259: tiers.bronze.credits.bands.1.below: band 2 must end where band 1 begins "
            "(99.1 %): the values from 99 % to under 99.1 % would earn no credit",
        ),
        (
            "      cap: 20%\n",
            "      cap: 15%\n",
            "tiers/it-service.yaml:261: tiers.bronze.credits.cap: the cap (15 %) is below the highest credit (20 %)",
        ),
        (
            '      service_from: "09:00"\n',
            '      service_from: "09:00"\n      lunch: 1h\n',
            "tiers/it-service.yaml:251: tiers.bronze.terms.lunch: not a term of this catalog (declared: service_days, "
            "service_from, service_to, calendar_clock, maintenance_window, maintenance_per_month, maintenance_notice)",
        ),
        (
            '      service_days: weekdays\n      service_from: "09:00"',
            '      service_days: sundays\n      service_from: "09:00"',
            "tiers/it-service.yaml:249: tiers.bronze.terms.service_days: 'sundays' is not allowed "
            "(choose one of: weekdays, weekdays_saturday, all_days)",
        ),
        (
            "credits: availability ",
            "credits: rto ",
            "tiers/it-service.yaml:14: credits: 'rto' is not a Service Level of this catalog measured as a count or percentage, at least",
        ),
        (
            "    bounded_by: p1_restore\n",
            "    bounded_by: availability\n",
            "tiers/it-service.yaml:137: kpis.p1_response.bounded_by: 'availability' is not a KPI of this catalog "
            "with the same unit (duration)",
        ),
        (
            "  maintenance_notice:\n",
            "  name:\n    type: string\n  maintenance_notice:\n",
            "tiers/it-service.yaml:38: terms.name: 'name' is reserved (templates see tier.name); choose another name",
        ),
        (
            "    group: incidents\n    bounded_by: p1_restore\n",
            "    group: incidents\n    bounded_by: p1_restore\n    requires: agreement.title\n",
            "tiers/it-service.yaml:138: kpis.p1_response.requires: 'agreement.title' is not a yes/no answer declared by a clause",
        ),
    ],
)
def test_catalog_problems_are_reported(library_copy: Path, old: str, new: str, expected: str) -> None:
    edit(library_copy / "tiers" / "it-service.yaml", old, new)
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    assert [str(p) for p in caught.value.problems] == [expected]


def test_a_condition_that_fails_on_valid_answers_stops_the_build_naming_the_clause(library_copy: Path) -> None:
    # comparing a number with a text raises: taken as "false" it would leave the liability cap out without a word
    record = library_copy / "clauses" / "legal" / "jurisdiction.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        text.replace("  and agreement.jurisdiction\n", "  and agreement.term.months > 'x'\n"), encoding="utf-8"
    )
    library = load_library(library_copy)
    with pytest.raises(InputError) as caught:  # a stand-alone agreement under German law reaches the condition
        load_answers(EXAMPLES / "it-service-multi-level.yaml", library)
    (problem,) = caught.value.problems
    assert problem.file == "clauses/legal/jurisdiction.yaml"
    assert "the answers make the condition of clause 'legal.jurisdiction'" in problem.message
    assert "'>' not supported" in problem.message
