"""slagen interview: questions from the declarations, re-asks, conditions, the written file, the CLI.

The core is driven by answers keyed by question (so that a parameter added to the library
needs no change here unless it is required and has no default); the CLI tests feed the same
answers, in the order the core asked for them, through click's CliRunner.
"""

from __future__ import annotations

import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import click
import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from slagen.answers import validate_answers
from slagen.cli import main
from slagen.errors import InputError, LibraryError, OutputError
from slagen.interview import (
    Question,
    default_language,
    load_wording,
    question_keys,
    refuse_existing,
    run_interview,
)
from slagen.library import Library, load_library
from slagen.schema import answers_schema
from slagen.yamlsource import parse_yaml

Answers = dict[str, str | list[str]]

GERMAN: Answers = {
    "agreement.title[de]": "Service Level Agreement Telefonakquise",
    "agreement.title[en]": "Service Level Agreement for Outbound Telemarketing",
    "agreement.reference": "SLA-2027-014",
    "agreement.effective_date": "2027-01-01",
    "parties.provider.name": "Dialogwerk Vertriebsservice GmbH",
    "parties.provider.address[0]": "Augustaanlage 12",
    "parties.provider.address[1]?": "j",
    "parties.provider.address[1]": "68165 Mannheim",
    "parties.provider.register": "Amtsgericht Mannheim, HRB 734512",
    "parties.provider.represented_by": "Jana Berger",
    "parties.provider.function[de]": "Geschäftsführerin",
    "parties.provider.function[en]": "Managing Director",
    "parties.provider.merchant": "j",
    "parties.customer.name": "Nordlicht Solartechnik GmbH",
    "parties.customer.address[0]": "Hafenstraße 3, 20457 Hamburg",
    "parties.customer.represented_by": "Dr. Felix Hansen",
    "parties.customer.function[de]": "Geschäftsführer",
    "parties.customer.function[en]": "Managing Director",
    "parties.customer.merchant": "ja",
    "service.catalog": "telemarketing",
    "service.tier": "professional",
    "escalation.levels[0].role": "project_lead",
    "escalation.levels[0].reaction": "4h",
    "escalation.levels[1]?": "j",
    "escalation.levels[1].role": "2",
    "escalation.levels[1].reaction": "8h",
    "escalation.levels[2]?": "j",
    "escalation.levels[2].role": "management",
    "escalation.levels[2].name": "Jana Berger",
    "escalation.levels[2].reaction": "2d",
    "data_protection.call_recording": "j",  # the telemarketing catalog reviews recordings
    "data_protection.agreement": "concluded",  # processing on behalf names its processing agreement
    "data_protection.agreement_date": "2026-12-01",
    "agreement.jurisdiction[de]": "Mannheim",
}

ENGLISH: Answers = {
    "languages": "en",
    "agreement.model": "customer-specific",
    "agreement.title": "Service Level Agreement for Outbound Telemarketing",
    "agreement.reference": "SLA-2027-015",
    "agreement.effective_date": "2027-03-01",
    "agreement.main_contract.title": "Framework Agreement for Telemarketing",
    "agreement.main_contract.date": "2027-02-01",
    "parties.provider.name": "Dialogwerk Vertriebsservice GmbH",
    "parties.provider.address[0]": "Augustaanlage 12, 68165 Mannheim",
    "parties.provider.represented_by": "Jana Berger",
    "parties.provider.function": "Managing Director",
    "parties.provider.merchant": "y",
    "parties.customer.name": "Harbour Energy Ltd",
    "parties.customer.address[0]": "1 Dock Road",
    "parties.customer.address[1]?": "y",
    "parties.customer.address[1]": "Bristol BS1 4RN",
    "parties.customer.represented_by": "Alex Morgan",
    "parties.customer.function": "Director",
    "parties.customer.merchant": "y",
    "agreement.term.months": "24",
    "agreement.term.auto_renew": "n",
    "service.catalog": "telemarketing",
    "service.activities": "n",
    "service.activities[0]": "data_qualification",
    "service.tier": "premium",
    "service.overrides": "y",
    "service.overrides.closing_rate": "8%",
    "reporting.frequency": "monthly",
    "escalation.levels[0].role": "account_manager",
    "escalation.levels[0].reaction": "1d",
    "data_protection.call_recording": "y",  # the telemarketing catalog reviews recordings
    "data_protection.agreement": "minimum_terms",  # processing on behalf names its processing agreement
    "agreement.governing_law": "en-gb",
    "parties.customer.country": "GB",
}


class Script:
    """An ``ask`` that answers by question key; a list gives the answers to a key asked again."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.asked: list[Question] = []
        self.typed: list[str] = []
        self.count: Counter[str] = Counter()

    def __call__(self, question: Question) -> str:
        self.asked.append(question)
        self.count[question.key] += 1
        assert self.count[question.key] <= 5, f"asked again and again: {question}"
        given = self.answers.get(question.key)
        if isinstance(given, list):
            given = given[min(self.count[question.key], len(given)) - 1]
        if given is None:
            # not scripted: Enter (the default, or nothing for an optional answer); a choice without default: the first
            assert question.error is None, f"an unscripted question needs an answer: {question}"
            given = "1" if question.choices and question.default is None and not question.confirm else ""
        self.typed.append(given)
        return given

    def asked_keys(self) -> list[str]:
        return [q.key for q in self.asked]

    def input(self) -> str:
        """What a person types at the terminal for the same interview."""
        return "".join(f"{answer}\n" for answer in self.typed)


def interview(library: Library, answers: Answers, lang: str = "en", **options: str) -> tuple[str, Script]:
    script = Script(answers)
    text = run_interview(library, script, lang=lang, **options)
    return text, script


def check(library: Library, text: str) -> dict[str, object]:
    """What `slagen check` does with the text: validate (raises InputError) and return the values."""
    return validate_answers(parse_yaml(text.encode("utf-8"), "answers.yaml"), library).values


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# -- the wording ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", load_library().languages)
def test_every_declared_parameter_has_a_question(library: Library, lang: str) -> None:
    wording = load_wording(library, lang)
    missing = [key for key in question_keys(library) if not wording.questions.get(key)]
    assert not missing, f"templates/{lang}/questions.yaml has no question for: {', '.join(missing)}"
    unknown = sorted(set(wording.questions) - set(question_keys(library)))
    assert not unknown, f"templates/{lang}/questions.yaml asks for undeclared keys: {', '.join(unknown)}"


def test_question_keys_follow_the_declarations(library: Library) -> None:
    keys = question_keys(library)
    assert [k for k in keys if "[]" not in k] == list(library.params)
    records = [key for key, param in library.params.items() if param.type == "records"]
    assert all(f"{key}[].{name}" in keys for key in records for name in library.params[key].fields)


def test_a_question_without_wording_falls_back_to_the_declared_help(library: Library) -> None:
    wording = load_wording(library, "de")
    key, param = next(iter(library.params.items()))
    bare = type(wording)("de", {}, {}, {}, wording.words)
    assert bare.question(key, param) == param.help
    assert bare.help_for(key, param) == param.help


def test_a_broken_questions_file_is_a_library_error(library: Library, tmp_path: Path) -> None:
    shutil.copytree(library.root / "clauses", tmp_path / "clauses")
    shutil.copytree(library.root / "tiers", tmp_path / "tiers")
    shutil.copytree(library.root / "templates", tmp_path / "templates")
    (tmp_path / "templates" / "en" / "questions.yaml").write_text("questions: []\nwords: {}\n", encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_wording(load_library(tmp_path), "en")
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == "templates/en/questions.yaml:1: questions: expected a mapping"
    assert messages[1].startswith("templates/en/questions.yaml:2: words: missing: intro, header")


def _library_with_extra_clause(library: Library, tmp_path: Path) -> Library:
    """The bundled library and one clause whose answers have no questions.yaml wording."""
    for part in ("clauses", "tiers", "templates"):
        shutil.copytree(library.root / part, tmp_path / part)
    (tmp_path / "clauses" / "legal" / "extra.yaml").write_text(
        "id: legal.extra\nversion: 1\nsection: legal\norder: 90\n"
        "when: agreement.governing_law == 'de' or extra.enabled\n"
        "params:\n"
        "  extra.enabled: {type: boolean, default: false, help: Whether the extra clause applies.}\n"
        "  extra.share: {type: percent, default: 2.5, max: 10, help: Share of the fees.}\n"
        "  extra.credits: {type: credits, required: false, help: Service credits as one YAML value.}\n"
        "  extra.sites: {type: list, required: false, help: Sites served (one per entry).}\n"
        "  extra.contacts:\n"
        "    type: records\n    required: false\n    max: 2\n    help: Contacts for the annex.\n"
        "    fields: {name: {type: string, help: Name.}, phone: {type: string, required: false, help: Phone.}}\n",
        encoding="utf-8",
    )
    for lang in load_library().languages:
        (tmp_path / "templates" / lang / "legal" / "extra.md.j2").write_text("## Extra\n\nText.\n", encoding="utf-8")
    return load_library(tmp_path)


def test_answers_without_wording_or_a_known_type_are_still_asked(library: Library, tmp_path: Path) -> None:
    extra = _library_with_extra_clause(library, tmp_path)
    answers: Answers = {
        **GERMAN,
        "extra.share": ["12%", ""],
        "extra.credits": "j",  # bands are typed one a line, then the cap (test_interview_order.py has more)
        "extra.credits.bands[0]": ["{bands: [", "unter 99 %: 5 %"],
        "extra.credits.cap": "10 %",
    }
    text, script = interview(extra, answers, "de")
    asked = {q.key: q for q in script.asked}
    assert asked["extra.share"].text == "Share of the fees."  # the declaration's help stands in for the question
    assert asked["extra.share"].default == "2.5%"
    errors = [q.error for q in script.asked if q.key in ("extra.share", "extra.credits.bands[0]") and q.error]
    assert errors[0] == "12 liegt über dem Höchstwert 10%"  # a German interview words the message in German
    assert errors[1].startswith("Bitte so schreiben: „ab 99,5 % unter 99,9 %: 10 %“")
    values = check(extra, text)
    assert values["extra.share"] == Decimal("2.5")
    assert values["extra.credits"].cap == 10
    assert "  credits: {bands: [{below: 99%, credit: 5%}], cap: 10%}" in text


def test_optional_lists_and_records_are_offered_entry_by_entry(library: Library, tmp_path: Path) -> None:
    extra = _library_with_extra_clause(library, tmp_path)
    text, script = interview(extra, {**GERMAN, "extra.sites[0]": "", "extra.contacts[0]?": "n"}, "de")
    assert "  # sites:  (optional, nicht beantwortet)" in text
    assert "  # contacts:  (optional, nicht beantwortet)" in text
    gate = next(q for q in script.asked if q.key == "extra.contacts[0]?")
    assert (gate.text, gate.help, gate.confirm) == ("Contacts for the annex.", "Contacts for the annex.", True)
    answers: Answers = {
        **GERMAN,
        "extra.sites[0]": "Mannheim",
        "extra.sites[1]?": "j",
        "extra.sites[1]": "Hamburg",
        "extra.contacts[0]?": "j",
        "extra.contacts[0].name": "Service Desk",
        "extra.contacts[1]?": "j",
        "extra.contacts[1].name": "Jana Berger",
        "extra.contacts[1].phone": "+49 621 1234",
    }
    text, script = interview(extra, answers, "de")
    values = check(extra, text)
    assert values["extra.sites"] == ["Mannheim", "Hamburg"]
    assert values["extra.contacts"] == [
        {"name": "Service Desk", "phone": None},
        {"name": "Jana Berger", "phone": "+49 621 1234"},
    ]
    assert "extra.contacts[2]?" not in script.asked_keys()  # max 2


def test_a_condition_on_a_later_answer_does_not_skip_the_question(library: Library, tmp_path: Path) -> None:
    """`agreement.governing_law == 'de' or extra.enabled`: with English law, extra.enabled decides, so ask on."""
    extra = _library_with_extra_clause(library, tmp_path)
    _, script = interview(extra, {**GERMAN, "agreement.governing_law": "en-gb", "parties.customer.country": "GB"}, "de")
    assert "extra.enabled" in script.asked_keys()
    assert "extra.share" not in script.asked_keys()  # declared after extra.enabled, which was left false
    text = run_interview(
        extra, Script({**GERMAN, "agreement.governing_law": "en-gb", "parties.customer.country": "GB"}), lang="de"
    )
    assert "  # enabled:  (nicht verwendet: gilt nur, wenn agreement.governing_law == 'de' or extra.enabled)" in text
    assert validate_answers(parse_yaml(text.encode("utf-8"), "answers.yaml"), extra).warnings == []
    text, script = interview(
        extra,
        {**GERMAN, "agreement.governing_law": "en-gb", "parties.customer.country": "GB", "extra.enabled": "j"},
        "de",
    )
    assert "extra.share" in script.asked_keys()
    assert check(extra, text)["extra.enabled"] is True


# -- the core ------------------------------------------------------------------------------------------


def test_german_interview_gives_an_answers_file_that_checks(library: Library) -> None:
    text, script = interview(library, GERMAN, "de")
    values = check(library, text)
    assert values["agreement.title"] == {
        "de": "Service Level Agreement Telefonakquise",
        "en": "Service Level Agreement for Outbound Telemarketing",
    }
    assert values["parties.provider.address"] == ["Augustaanlage 12", "68165 Mannheim"]
    assert values["parties.customer.merchant"] is True
    assert values["agreement.jurisdiction"] == "Mannheim"
    assert [level["role"] for level in values["escalation.levels"]] == ["project_lead", "account_manager", "management"]
    assert values["escalation.levels"][2]["name"] == "Jana Berger"
    assert values["agreement.term.months"] == 12  # Enter took the declared default
    questions = {q.key: q for q in script.asked}
    assert questions["parties.provider.merchant"].text == "Ist der Auftragnehmer Kaufmann im Sinne des HGB?"
    assert questions["parties.provider.merchant"].choices[0].value == "j"
    assert questions["agreement.term.months"].default == "12"
    assert questions["agreement.title[en]"].default == "Service Level Agreement Telefonakquise"
    assert "slagen" not in script.asked_keys()  # the format marker is written, not asked


def test_the_file_is_commented_and_points_at_the_schema(library: Library) -> None:
    text, _ = interview(library, GERMAN, "de")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=answers.schema.json"
    assert lines[lines.index("  reference: SLA-2027-014") - 1] == "  # Steht auf jeder Seite, z. B. SLA-2027-014."
    for number, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith(("#", "- ")) and not line.endswith(":"):
            assert lines[number - 1].lstrip().startswith("#"), f"no help before line {number + 1}: {line}"
    assert "      - {role: management, name: Jana Berger, reaction: 2d}" not in text  # records sit under their key
    assert "    - {role: management, name: Jana Berger, reaction: 2d}" in text
    assert yaml.safe_load(text)["slagen"] == 1


def test_english_interview_with_one_language_and_overrides(library: Library) -> None:
    text, script = interview(library, ENGLISH)
    values = check(library, text)
    assert values["languages"] == ["en"]
    assert values["agreement.title"] == "Service Level Agreement for Outbound Telemarketing"  # asked once
    assert "agreement.title[de]" not in script.asked_keys()
    assert values["service.activities"] == ["data_qualification"]
    assert values["service.overrides"] == {"closing_rate": 8}
    assert "overrides:\n    # " not in text
    assert "  overrides: {closing_rate: 8%}" in text
    assert values["agreement.governing_law"] == "en-gb"
    kpis = {q.key: q for q in script.asked if q.key.startswith("service.overrides.")}
    assert kpis["service.overrides.closing_rate"].default == "7%"  # the premium tier's target
    assert kpis["service.overrides.complaint_resolution"].default == "12h"
    tier = next(q for q in script.asked if q.key == "service.tier")
    assert any(c.value == "premium" and "Appointment and lead rate per campaign 7%" in c.note for c in tier.choices)


def test_the_result_validates_against_the_json_schema(library: Library) -> None:
    for answers, lang in ((GERMAN, "de"), (ENGLISH, "en")):
        text, _ = interview(library, answers, lang)
        data = yaml.safe_load(text)
        data["agreement"]["effective_date"] = str(data["agreement"]["effective_date"])
        if "main_contract" in data["agreement"]:
            data["agreement"]["main_contract"]["date"] = str(data["agreement"]["main_contract"]["date"])
        if "agreement_date" in data["data_protection"]:
            data["data_protection"]["agreement_date"] = str(data["data_protection"]["agreement_date"])
        jsonschema.validate(data, answers_schema(library))


def test_a_standard_agreement_is_not_offered_overrides(library: Library) -> None:
    text, script = interview(library, {**ENGLISH, "agreement.model": "standard"})
    assert "service.overrides" not in script.asked_keys()
    assert check(library, text)["service.overrides"] is None
    assert "  # overrides:  (not asked: applies only when agreement.model == 'customer-specific')" in text


def test_a_multi_level_agreement_asks_for_the_offered_tiers_and_a_tier_among_them(library: Library) -> None:
    answers: Answers = {
        **ENGLISH,
        "agreement.model": "multi-level",
        "service.offered_tiers[0]": "basic",
        "service.offered_tiers[1]": "premium",
        "service.offered_tiers[2]?": "n",
        "service.tier": "",  # no tier chosen yet: the customer chooses later
    }
    del answers["service.overrides"], answers["service.overrides.closing_rate"]
    text, script = interview(library, answers)
    values = check(library, text)
    assert values["service.offered_tiers"] == ["basic", "premium"]
    assert values["service.tier"] is None
    keys = script.asked_keys()
    assert keys.index("service.offered_tiers[0]") < keys.index("service.tier")
    assert "service.overrides" not in keys
    tier = next(q for q in script.asked if q.key == "service.tier")
    assert [c.value for c in tier.choices] == ["basic", "premium"]


def test_offered_tiers_are_not_asked_in_a_standard_agreement(library: Library) -> None:
    text, script = interview(library, {**ENGLISH, "agreement.model": "standard"})
    assert not [k for k in script.asked_keys() if k.startswith("service.offered_tiers")]
    assert check(library, text)["service.tier"] == "premium"


def test_a_standard_agreement_asks_again_for_a_skipped_tier(library: Library) -> None:
    answers = {**ENGLISH, "agreement.model": "standard", "service.tier": ["", "premium"]}
    text, script = interview(library, answers)
    asked = [q for q in script.asked if q.key == "service.tier"]
    assert len(asked) == 2
    assert (
        asked[1].error == "missing: the standard tier the agreement starts from (one of: basic, professional, premium)"
    )
    assert check(library, text)["service.tier"] == "premium"


def test_a_bad_value_is_asked_again_with_the_message(library: Library) -> None:
    answers = {
        **ENGLISH,
        "agreement.term.months": ["0", "soon", "24"],
        "agreement.effective_date": ["1.3.27", "1.3.2027"],
    }
    text, script = interview(library, answers)
    months = [q for q in script.asked if q.key == "agreement.term.months"]
    assert [q.error for q in months] == [None, "0 is below the minimum of 1", "expected a whole number, got 'soon'"]
    dates = [q for q in script.asked if q.key == "agreement.effective_date"]
    assert dates[1].error == "expected a date such as 2027-12-31, 31.12.2027 or 31 December 2027, got '1.3.27'"
    assert "effective_date: 2027-03-01" in text  # the German form typed, the date written
    assert check(library, text)["agreement.term.months"] == 24


def test_an_empty_required_answer_and_a_bad_yes_no_are_asked_again(library: Library) -> None:
    answers = {**GERMAN, "agreement.reference": ["", "SLA-1"], "parties.customer.merchant": ["vielleicht", "n"]}
    _, script = interview(library, answers, "de")
    errors = [q.error for q in script.asked if q.error]
    assert "Bitte eine Antwort eingeben." in errors
    assert "Bitte mit j (ja) oder n (nein) antworten." in errors


def test_merchant_status_is_asked_only_for_a_german_place_of_jurisdiction(library: Library) -> None:
    """§ 38 (1) ZPO is a German gate: no court, or English law, and the HGB questions are not asked."""
    no_court = {k: v for k, v in GERMAN.items() if not k.startswith("agreement.jurisdiction") and "merchant" not in k}
    text, script = interview(library, no_court, "de")
    assert "parties.customer.merchant" not in script.asked_keys()
    assert (
        "    # merchant:  (nicht gefragt: gilt nur, wenn the agreement is external, stand-alone (with a main contract,"
        " its jurisdiction clause governs), governed by German law, names a place of jurisdiction" in text
    )
    assert check(library, text)["agreement.jurisdiction"] is None
    assert "parties.customer.merchant" in interview(library, GERMAN, "de")[1].asked_keys()
    english = {**no_court, "agreement.governing_law": "en-gb", "parties.customer.country": "GB"}
    text, script = interview(library, {**english, "agreement.jurisdiction[de]": "London"}, "de")
    assert "parties.customer.merchant" not in script.asked_keys()
    assert "agreement.exclusive_jurisdiction" in script.asked_keys()
    assert check(library, text)["agreement.jurisdiction"] == "London"


def test_a_catalog_question_is_asked_although_its_clause_depends_on_it(library: Library) -> None:
    """services.description applies when service.catalog is 'telemarketing' and declares service.catalog."""
    _, script = interview(library, GERMAN, "de")
    if len(library.catalogs) > 1:
        assert "service.catalog" in script.asked_keys()
    assert "organisation.feedback_days" in script.asked_keys()  # applies to telemarketing


def test_catalog_and_tier_given_in_advance_are_not_asked(library: Library) -> None:
    answers = {k: v for k, v in GERMAN.items() if k not in ("service.catalog", "service.tier")}
    text, script = interview(library, answers, "de", catalog="telemarketing", tier="premium")
    assert "service.catalog" not in script.asked_keys()
    assert "service.tier" not in script.asked_keys()
    assert check(library, text)["service.tier"] == "premium"


@pytest.mark.parametrize(
    ("catalog", "tier", "message"),
    [
        ("telemarketin", None, "unknown catalog 'telemarketin' (did you mean 'telemarketing'?)"),
        ("telemarketing", "profesional", "unknown tier 'profesional' (did you mean 'professional'?)"),
    ],
)
def test_an_unknown_catalog_or_tier_stops_before_the_first_question(
    library: Library, catalog: str, tier: str | None, message: str
) -> None:
    script = Script({})
    with pytest.raises(InputError) as caught:
        run_interview(library, script, lang="en", catalog=catalog, tier=tier)
    assert caught.value.problems[0].message == message
    assert script.asked == []


def test_the_same_text_in_every_language_is_written_once(library: Library) -> None:
    answers = {**GERMAN, "agreement.title[en]": ""}  # Enter: the German title again
    text, _ = interview(library, answers, "de")
    assert check(library, text)["agreement.title"] == "Service Level Agreement Telefonakquise"


def test_ctrl_c_and_end_of_input_pass_through(library: Library) -> None:
    def interrupt(question: Question) -> str:
        raise KeyboardInterrupt

    def end(question: Question) -> str:
        raise click.Abort

    for ask in (interrupt, end):
        with pytest.raises((KeyboardInterrupt, click.Abort)):
            run_interview(library, ask, lang="en")


def test_the_language_of_the_questions_follows_the_locale() -> None:
    assert default_language({"LANG": "de_DE.UTF-8"}) == "de"
    assert default_language({"LC_ALL": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}) == "en"
    assert default_language({"LANG": "fr_FR.UTF-8"}, ("de", "en")) == "de"  # not in the library: its first
    assert default_language({"LANG": "fr_FR.UTF-8"}, ("en", "fr")) == "fr"
    assert default_language({"LANG": "en_US.UTF-8"}, ("de",)) == "de"
    assert default_language({}, ("en", "fr")) == "en"


def test_an_existing_answers_file_is_refused_before_asking(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    refuse_existing(target, force=False)
    target.write_text("keep", encoding="utf-8")
    refuse_existing(target, force=True)
    with pytest.raises(OutputError, match="already exists"):
        refuse_existing(target, force=False)


# -- the command line -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("answers", "lang"), [(GERMAN, "de"), (ENGLISH, "en")])
def test_cli_full_run_writes_a_file_that_slagen_check_accepts(
    runner: CliRunner, library: Library, tmp_path: Path, answers: Answers, lang: str
) -> None:
    expected, script = interview(library, answers, lang)
    target = tmp_path / "my-sla.yaml"
    result = runner.invoke(main, ["interview", "-o", str(target), "--lang", lang], input=script.input())
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == expected
    assert result.stdout.rstrip().endswith(str(target))
    checked = runner.invoke(main, ["check", str(target)])
    assert checked.exit_code == 0, checked.output
    assert "ok (" in checked.stdout
    assert "warning" not in checked.stderr
    first = script.asked[0]
    assert first.help.splitlines()[0] in result.stdout  # help is shown before the question
    assert f"{first.text} [{first.default}]" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-sla.yaml"]  # no temporary file left


def test_cli_shows_the_message_and_asks_again(runner: CliRunner, library: Library, tmp_path: Path) -> None:
    _, script = interview(library, {**ENGLISH, "agreement.term.months": ["0", "24"]})
    target = tmp_path / "answers.yaml"
    result = runner.invoke(main, ["interview", "-o", str(target), "--lang", "en"], input=script.input())
    assert result.exit_code == 0, result.output
    assert "  ! 0 is below the minimum of 1\n" in result.stderr
    assert result.stdout.count("Initial term in months [12]: ") == 2
    assert "months: 24" in target.read_text(encoding="utf-8")


def test_cli_asks_no_merchant_question_under_english_law(runner: CliRunner, library: Library, tmp_path: Path) -> None:
    _, script = interview(library, ENGLISH, "en")
    target = tmp_path / "answers.yaml"
    result = runner.invoke(main, ["interview", "-o", str(target), "--lang", "en"], input=script.input())
    assert result.exit_code == 0, result.output
    assert "Kaufmann" not in result.stdout
    assert "In which country is the customer's registered office?" in result.stdout
    checked = runner.invoke(main, ["check", str(target)])
    assert checked.exit_code == 0, checked.output
    assert checked.stderr == ""


def test_cli_lists_choices_and_takes_a_number(runner: CliRunner, library: Library, tmp_path: Path) -> None:
    _, script = interview(library, GERMAN, "de")
    target = tmp_path / "answers.yaml"
    result = runner.invoke(main, ["interview", "-o", str(target), "--lang", "de"], input=script.input())
    assert (
        "    1) Projektleitung (project_lead)\n"
        "    2) Kundenbetreuung (Key Account Management) (account_manager)\n"
        "    3) Geschäftsführung (management)\n"
    ) in result.stdout
    assert "Weitere Eskalationsstufe hinzufügen? [j/N] " in result.stdout
    assert "Ist der Auftraggeber Kaufmann im Sinne des HGB? [j/n] " in result.stdout
    assert "{role: account_manager, reaction: 8h}" in target.read_text(encoding="utf-8")  # answered "2"


@pytest.mark.parametrize("cut", [0, 5, -1])
def test_cli_end_of_input_writes_nothing(runner: CliRunner, library: Library, tmp_path: Path, cut: int) -> None:
    _, script = interview(library, GERMAN, "de")
    typed = script.input().splitlines(keepends=True)
    target = tmp_path / "answers.yaml"
    result = runner.invoke(main, ["interview", "-o", str(target), "--lang", "de"], input="".join(typed[:cut]))
    assert result.exit_code == 1
    assert "Aborted!" in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_ctrl_c_writes_nothing(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def prompt(*args: object, **kwargs: object) -> str:
        calls.append(args)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return "en" if len(calls) == 1 else ""

    monkeypatch.setattr(click, "prompt", prompt)
    target = tmp_path / "answers.yaml"
    result = runner.invoke(main, ["interview", "-o", str(target), "--lang", "en"])
    assert result.exit_code == 1
    assert "Aborted!" in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_to_overwrite_before_asking(runner: CliRunner, library: Library, tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, ["interview", "-o", str(target), "--lang", "en"], input="")
    assert result.exit_code == 2
    assert result.stderr == f"error: {target}: already exists (use --force to overwrite)\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    _, script = interview(library, ENGLISH)
    forced = runner.invoke(main, ["interview", "-o", str(target), "--lang", "en", "--force"], input=script.input())
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=answers.schema.json\n")


def test_cli_unknown_catalog_is_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    result = runner.invoke(main, ["interview", "-o", str(target), "--catalog", "telemarketin"])
    assert result.exit_code == 2
    assert "unknown catalog 'telemarketin' (did you mean 'telemarketing'?)" in result.stderr
    assert not target.exists()


def test_cli_language_from_the_locale(runner: CliRunner, library: Library, tmp_path: Path) -> None:
    _, script = interview(library, GERMAN, "de")
    target = tmp_path / "answers.yaml"
    result = runner.invoke(
        main,
        ["interview", "-o", str(target)],
        input=script.input(),
        env={"LANG": "de_DE.UTF-8", "LC_ALL": None, "LC_MESSAGES": None},
    )
    assert result.exit_code == 0, result.output
    assert "Fragen zur Vereinbarung." in result.stdout


def test_cli_interview_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["interview", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "slagen interview -o my-sla.yaml" in result.output


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            {"service.holidays": "Rheinland-Pfalz", "escalation.levels[0].role": "projektleitung"},
            ("DE-RP", "project_lead"),
        ),
        ({"service.holidays": "11", "escalation.levels[0].role": "management"}, ("DE-RP", "management")),
        ({"service.holidays": "DE-RP", "escalation.levels[0].role": " Geschäftsführung "}, ("DE-RP", "management")),
    ],
    ids=["label", "number-and-value", "value-and-label"],
)
def test_a_choice_is_answered_by_its_label_its_number_or_its_value(
    library: Library, typed: Answers, expected: tuple[str, str]
) -> None:
    text, script = interview(library, {**GERMAN, **typed}, "de")
    values = check(library, text)
    assert (values["service.holidays"], values["escalation.levels"][0]["role"]) == expected  # type: ignore[index]
    holidays = next(q for q in script.asked if q.key == "service.holidays")
    assert ("DE-RP", "Rheinland-Pfalz") in [(c.value, c.label) for c in holidays.choices]
    model = next(q for q in script.asked if q.key == "agreement.model")
    assert model.default == "Standardpaket"  # the default is shown by its label, Enter takes it


def test_countries_and_currencies_are_named_in_the_interview_language(library: Library) -> None:
    _, german = interview(library, GERMAN, "de")
    _, english = interview(library, ENGLISH, "en")
    for script, country, currency in ((german, "Deutschland", "Euro"), (english, "Germany", "Euro")):
        labels = {c.value: c.label for q in script.asked for c in q.choices}
        assert labels["DE"] == country
        assert labels["EUR"] == currency
