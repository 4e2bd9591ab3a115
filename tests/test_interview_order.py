"""The interview's order, what it leaves out, credit bands typed line by line, and `--from` (issue 19, item 2)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.cli import main
from slagen.errors import InputError, LibraryError
from slagen.interview import resume_file, run_interview
from slagen.interview.order import dependencies, question_order
from slagen.library import Library, load_library
from slagen.sandbox import make_environment
from slagen.select import compile_conditions

from .conftest import EXAMPLES
from .test_interview import GERMAN, Answers, Script, check, interview

IT_SERVICE: Answers = {
    **{k: v for k, v in GERMAN.items() if not k.startswith(("service.", "escalation.", "data_protection.call"))},
    "service.catalog": "it-service",
    "service.tier": "silver",
    "service.systems[0]": "Warenwirtschaftssystem",
    "service.time_zone": "Europe/Berlin",
    "escalation.levels[0].role": "project_lead",
    "escalation.levels[0].reaction": "4h",
    "price.monthly_fee": "12.500,00",
}
"""A German IT-service agreement (standard model, German law) as the script types it."""

CUSTOM = {**IT_SERVICE, "agreement.model": "customer-specific", "service.overrides": "n", "credits.scheme": "j"}
"""The same, customer-specific, with credit bands of its own (the silver tier's target is 99.9 %)."""


def _order(library: Library) -> tuple[list[str], set[str]]:
    return question_order(library, make_environment(library.template_root))


# -- the order ----------------------------------------------------------------------------------------


def test_every_question_comes_after_the_answers_that_decide_it(library: Library) -> None:
    order, _ = _order(library)
    assert sorted(order) == sorted(library.params)
    at = {key: i for i, key in enumerate(order)}
    needs = dependencies(library, make_environment(library.template_root))
    late = [
        (key, need) for key, found in needs.items() for need in found if at[need] > at[key] and key not in needs[need]
    ]
    assert late == []


def test_the_deciding_answers_come_first_in_a_sensible_order(library: Library) -> None:
    order, deciding = _order(library)
    at = order.index
    assert {
        "agreement.model",
        "agreement.kind",
        "service.catalog",
        "service.tier",
        "agreement.governing_law",
    } <= deciding
    assert {"parties.provider.country", "parties.customer.country"} <= deciding
    assert at("agreement.kind") < at("service.catalog") < at("service.tier") < at("service.systems")
    assert at("agreement.governing_law") < at("liability.unlimited")
    assert at("agreement.governing_law") < at("agreement.jurisdiction")
    assert at("parties.customer.country") < at("liability.unlimited")
    assert at("agreement.governing_law") < at("agreement.title")  # the basics before the rest
    assert at("agreement.jurisdiction") < at("parties.customer.merchant")  # one clause's own: as declared
    assert "parties.customer.name" not in deciding


def test_the_interview_asks_in_that_order_and_names_the_basics(library: Library) -> None:
    said: list[str] = []
    script = Script(IT_SERVICE)
    run_interview(library, script, lang="de", say=said.append)
    asked = [q.key for q in script.asked]
    assert asked.index("agreement.governing_law") < asked.index("agreement.title[de]")
    assert asked.index("service.tier") < asked.index("service.systems[0]")
    assert said[1].strip().startswith("Grundlagen der Vereinbarung")


# -- only what applies --------------------------------------------------------------------------------


def test_a_standard_agreement_asks_no_multi_level_or_customer_specific_question(library: Library) -> None:
    text, script = interview(library, IT_SERVICE, "de")
    asked = script.asked_keys()
    for key in ("price.tier_fees", "credits.scheme", "service.overrides", "service.offered_tiers"):
        assert not any(k.startswith(key) for k in asked), key
    assert "price.monthly_fee" in asked
    assert "credits.legal_nature" in asked
    assert "  # tier_fees:  (nicht gefragt: gilt nur, wenn agreement.model == 'multi-level')" in text
    assert "  # scheme:  (nicht gefragt: gilt nur, wenn agreement.model == 'customer-specific')" in text
    assert check(library, text)["credits.scheme"] is None


def test_a_multi_level_agreement_is_asked_for_fees_per_tier_not_for_bands(library: Library) -> None:
    answers: Answers = {
        **IT_SERVICE,
        "agreement.model": "multi-level",
        "service.offered_tiers[0]": "silver",
        "service.offered_tiers[1]?": "j",
        "service.offered_tiers[1]": "gold",
        "price.tier_fees[0]?": "n",
    }
    _, script = interview(library, answers, "de")
    assert "price.tier_fees[0]?" in script.asked_keys()
    assert not any(k.startswith("credits.scheme") for k in script.asked_keys())


# -- credit bands -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "first", "last", "cap"),
    [
        ("de", "ab 99,5 % unter 99,9 %: 10 %", "unter 99,5 %: 25 %", "25 %"),
        ("en", "from 99.5% below 99.9%: 10%", "below 99.5 %: 25%", "25%"),
        ("de", "AB 99,5% UNTER 99,9%:10", "unter 99,5: 25", "25"),
    ],
)
def test_bands_are_typed_one_a_line(library: Library, lang: str, first: str, last: str, cap: str) -> None:
    yes = {"j": "y", "ja": "y", "n": "n"}
    answers: Answers = {
        **{k: yes.get(v, v) if lang == "en" and isinstance(v, str) else v for k, v in CUSTOM.items()},
        "credits.scheme.bands[0]": first,
        "credits.scheme.bands[1]": last,
        "credits.scheme.bands[2]": "",
        "credits.scheme.cap": cap,
    }
    text, script = interview(library, answers, lang)
    band = next(q for q in script.asked if q.key == "credits.scheme.bands[0]")
    example = "ab 99,5 % unter 99,9 %: 10 %" if lang == "de" else "from 99.5% below 99.9%: 10%"
    assert example in band.help
    assert (
        "  scheme: {bands: [{from: 99.5%, below: 99.9%, credit: 10%}, {below: 99.5%, credit: 25%}], cap: 25%}" in text
    )
    scheme = check(library, text)["credits.scheme"]
    bands = [(b.lower, b.upper, b.credit) for b in scheme.bands]  # type: ignore[attr-defined]
    assert bands == [(Decimal("99.5"), Decimal("99.9"), 10), (None, Decimal("99.5"), 25)]


def test_the_tiers_bands_are_shown_and_its_cap_is_the_default(library: Library) -> None:
    answers: Answers = {**CUSTOM, "credits.scheme.bands[0]": "unter 99,9 %: 10 %", "credits.scheme.bands[1]": ""}
    text, script = interview(library, answers, "de")
    gate = next(q for q in script.asked if q.key == "credits.scheme")
    assert "Silver:\n  ab 99,5 % unter 99,9 %: 5 %\n  ab 99 % unter 99,5 %: 10 %\n" in gate.help
    assert [q.default for q in script.asked if q.key.startswith("credits.scheme.bands")] == [None, None]
    cap = next(q for q in script.asked if q.key == "credits.scheme.cap")
    assert cap.default == "30 %"  # the silver tier's
    assert "  scheme: {bands: [{below: 99.9%, credit: 10%}], cap: " in text


def test_a_line_that_is_no_band_is_asked_again_with_the_form(library: Library) -> None:
    answers: Answers = {
        **CUSTOM,
        "credits.scheme.bands[0]": ["99,5 bis 99,9 = 10", "ab 99,5 % unter 99,9 %: 10 %"],
        "credits.scheme.bands[1]": "unter 99,5 %: 25 %",
        "credits.scheme.bands[2]": "",
        "credits.scheme.cap": "25 %",
    }
    _, script = interview(library, answers, "de")
    again = [q for q in script.asked if q.key == "credits.scheme.bands[0]"][1]
    assert again.error == (
        "Bitte so schreiben: „ab 99,5 % unter 99,9 %: 10 %“ (die letzte Stufe ohne „ab“: „unter 99 %: 25 %“)."
    )


def test_a_rule_error_asks_that_band_again_not_the_list(library: Library) -> None:
    answers: Answers = {
        **CUSTOM,
        "credits.scheme.bands[0]": ["ab 99,5 % unter 99,8 %: 10 %", "ab 99,5 % unter 99,9 %: 10 %"],
        "credits.scheme.bands[1]": "unter 99,5 %: 25 %",
        "credits.scheme.bands[2]": "",
        "credits.scheme.cap": ["20 %", "25 %"],
    }
    text, script = interview(library, answers, "de")
    first = [q for q in script.asked if q.key == "credits.scheme.bands[0]"]
    assert [q.default for q in first] == [None, "ab 99,5 % unter 99,8 %: 10 %"]
    assert first[1].error == (
        "Stufe 1 muss beim Zielwert (99.9 %) enden: für Werte von 99.8 % bis unter 99.9 % gäbe es sonst keine Gutschrift"
    )
    assert script.count["credits.scheme.bands[1]"] == 1  # the other band is not asked again
    assert script.count["credits.scheme.bands[2]"] == 1
    caps = [q.error for q in script.asked if q.key == "credits.scheme.cap"]
    assert caps == [None, "die Obergrenze (20 %) liegt unter der höchsten Gutschrift (25 %)"]
    assert check(library, text)["credits.scheme"].cap == 25  # type: ignore[attr-defined]


# -- --from -------------------------------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "it-service.yaml"
    shutil.copy(EXAMPLES / "it-service.yaml", path)
    return path


def _comments(text: str) -> list[str]:
    """The comments a person wrote: the file's comment lines that do not start a line with help."""
    return [line[line.index("#") :] for line in text.splitlines() if "#" in line and not line.lstrip().startswith("# ")]


def test_from_keeps_every_answer_and_comment(library: Library, example: Path) -> None:
    before = example.read_text(encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["interview", "--from", str(example), "-o", str(example.with_name("b.yaml")), "--lang", "de"],
        input="\n" * 400,
    )
    assert result.exit_code == 0, result.output
    after = example.with_name("b.yaml").read_text(encoding="utf-8")
    assert check(library, after) == check(library, before)
    assert "  jurisdiction: London   # venue: the courts of England and Wales sitting in London" in after
    assert "  tier: silver             # 99.9 % availability, P1 response 1 h / restore 4 h, RTO 8 h, RPO 4 h" in after
    for line in before.splitlines()[:3]:
        assert line in after.splitlines()
    assert "  agreement: minimum_terms  # the Art. 28 (3) UK GDPR terms" in after
    assert example.read_text(encoding="utf-8") == before


def test_from_offers_the_answers_as_defaults_and_asks_what_changes(library: Library, example: Path) -> None:
    resumed = resume_file(library, example)
    script = Script({"agreement.reference": "SLA-2027-103", "agreement.governing_law": "en-gb"})
    text = run_interview(library, script, lang="en", resumed=resumed)
    reference = next(q for q in script.asked if q.key == "agreement.reference")
    assert reference.default == "SLA-2027-102"
    law = next(q for q in script.asked if q.key == "agreement.governing_law")
    assert law.default == "Law of England and Wales"
    values = check(library, text)
    assert values["agreement.reference"] == "SLA-2027-103"
    assert values["price.monthly_fee"] == 18500
    assert "  reference: SLA-2027-103" in text
    assert text.splitlines()[4:7] == example.read_text(encoding="utf-8").splitlines()[:3]  # after the header


def test_resuming_the_interviews_own_file_changes_nothing(library: Library, tmp_path: Path) -> None:
    first, _ = interview(library, IT_SERVICE, "de")
    (tmp_path / "a.yaml").write_text(first, encoding="utf-8")
    again = run_interview(library, Script({}), lang="de", resumed=resume_file(library, tmp_path / "a.yaml"))
    assert again == first
    english = run_interview(library, Script({}), lang="en", resumed=resume_file(library, tmp_path / "a.yaml"))
    assert check(library, english) == check(library, first)
    assert "Antworten für slagen" not in english  # the German help and header are the interview's, not kept


def test_from_overwrites_its_file_only_with_force(example: Path) -> None:
    before = example.read_text(encoding="utf-8")
    refused = CliRunner().invoke(main, ["interview", "--from", str(example), "--lang", "en"], input="\n" * 400)
    assert refused.exit_code == 2
    assert f"{example}: give -o for the answers file to write, or --force to overwrite {example}" in refused.output
    forced = CliRunner().invoke(
        main, ["interview", "--from", str(example), "--force", "--lang", "en"], input="\n" * 400
    )
    assert forced.exit_code == 0, forced.output
    assert "# venue: the courts of England and Wales" in example.read_text(encoding="utf-8")
    assert example.read_text(encoding="utf-8") != before  # now with the interview's help


@pytest.mark.parametrize("cut", [0, 7, 60])
def test_from_ctrl_c_writes_nothing(example: Path, cut: int) -> None:
    before = example.read_text(encoding="utf-8")
    result = CliRunner().invoke(
        main, ["interview", "--from", str(example), "--force", "--lang", "de"], input="\n" * cut
    )
    assert result.exit_code == 1
    assert "Aborted!" in result.output
    assert example.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in example.parent.iterdir()) == ["it-service.yaml"]


def test_from_a_key_the_library_does_not_ask_for_is_an_input_error(library: Library, example: Path) -> None:
    example.write_text(example.read_text(encoding="utf-8").replace("  reference:", "  referenz:", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        resume_file(library, example)
    assert str(caught.value.problems[0]) == (
        f"{example}:13: agreement.referenz: 'agreement.referenz' is not an answer this library asks for"
    )
    result = CliRunner().invoke(main, ["interview", "--from", str(example), "-o", str(example.with_name("b.yaml"))])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not example.with_name("b.yaml").exists()


def test_a_rule_error_in_one_entry_asks_that_entry_again(library: Library) -> None:
    answers: Answers = {
        **IT_SERVICE,
        "agreement.model": "multi-level",
        "service.offered_tiers[0]": "silver",
        "service.offered_tiers[1]?": "j",
        "service.offered_tiers[1]": "gold",
        "price.monthly_fee": "",
        "price.tier_fees[0]?": "j",
        "price.tier_fees[0].tier": "silver",
        "price.tier_fees[0].monthly_fee": "9.800,00",
        "price.tier_fees[1]?": "j",
        "price.tier_fees[1].tier": ["silver", "gold"],
        "price.tier_fees[1].monthly_fee": ["12.500,00", "14.200,00"],
        "price.tier_fees[2]?": "n",
    }
    text, script = interview(library, answers, "de")
    again = [q for q in script.asked if q.key == "price.tier_fees[1].tier"]
    assert [q.error for q in again] == [None, "Leistungsstufe 'silver' hat bereits eine Vergütung"]
    assert script.count["price.tier_fees[0].tier"] == 1
    assert script.count["price.tier_fees[0]?"] == 1
    assert script.count["price.tier_fees[1]?"] == 1
    fees = check(library, text)["price.tier_fees"]
    assert [(f["tier"], f["monthly_fee"]) for f in fees] == [("silver", Decimal("9800")), ("gold", Decimal("14200"))]  # type: ignore[attr-defined]


def test_a_parameters_when_that_reads_no_answer_is_a_library_error(library: Library, tmp_path: Path) -> None:
    for part in ("clauses", "tiers", "templates"):
        shutil.copytree(library.root / part, tmp_path / part)
    price = tmp_path / "clauses" / "services" / "price.yaml"
    text = price.read_text(encoding="utf-8")
    price.write_text(text.replace("when: agreement.model == 'multi-level'", "when: agreement.modell == 'x'"), "utf-8")
    line = 1 + price.read_text(encoding="utf-8").splitlines().index("    when: agreement.modell == 'x'")
    with pytest.raises(LibraryError) as caught:
        compile_conditions(load_library(tmp_path), make_environment(tmp_path / "templates"))
    assert [str(p) for p in caught.value.problems] == [
        f"clauses/services/price.yaml:{line}: price.tier_fees.when: 'agreement.modell' is not a declared answer "
        "(no clause declares it in params)"
    ]


def test_from_an_answer_that_no_longer_applies_is_named_in_its_note(library: Library, example: Path) -> None:
    text = example.read_text(encoding="utf-8").replace("  model: standard", "  model: multi-level", 1)
    example.write_text(
        text.replace("  currency: GBP", "  currency: GBP\n  tier_fees: [{tier: silver, monthly_fee: 1}]")
    )
    script = Script({"agreement.model": "standard"})
    written = run_interview(library, script, lang="en", resumed=resume_file(library, example))
    assert (
        "  # tier_fees:  (not asked: applies only when agreement.model == 'multi-level'; was: [{tier: silver, monthly_fee: 1}])"
        in written
    )
    assert check(library, written)["price.tier_fees"] is None


def test_from_a_given_answer_that_does_not_fit_is_asked_with_its_problem(library: Library, example: Path) -> None:
    example.write_text(
        example.read_text(encoding="utf-8").replace("    months: 24", "    months: 0", 1), encoding="utf-8"
    )
    script = Script({"agreement.term.months": "36"})
    written = run_interview(library, script, lang="de", resumed=resume_file(library, example))
    months = next(q for q in script.asked if q.key == "agreement.term.months")
    assert months.error == "0 liegt unter dem Mindestwert 1"
    assert months.default == "12"  # the declaration's: the file's answer is no default
    assert check(library, written)["agreement.term.months"] == 36
    levels = next(q for q in script.asked if q.key == "escalation.levels")
    assert levels.text == (
        "Vorgabe übernehmen: role: project_lead, name: Service Delivery Manager, reaction: 2h; "
        "role: account_manager, reaction: 1d; role: management, reaction: 3d?"
    )
