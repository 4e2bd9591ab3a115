"""The library authors' manual: the template reference is complete and current (issue 19, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen import filters
from slagen.cli import main
from slagen.docsgen import __main__ as docsgen_main
from slagen.docsgen.templates import describe_templates, undocumented
from slagen.library import Library
from slagen.lint import lint_library
from slagen.lintrefs import GUARANTEED

from .conftest import ROOT
from .helpers import copy_library, edit


def test_template_reference_is_current(library: Library, request: pytest.FixtureRequest) -> None:
    path = ROOT / "docs" / "templates.md"
    expected = describe_templates(library)
    if request.config.getoption("--update-golden"):
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, "run pytest --update-golden and review docs/templates.md"


def test_every_helper_and_filter_has_its_docstring_and_entry(library: Library) -> None:
    assert undocumented() == []
    page = describe_templates(library)
    for name in filters.GLOBALS:
        assert f"### `{name}(" in page
    for name in filters.FILTERS:
        assert f"|{name}" in page


def test_a_helper_without_docstring_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def bare(x: str) -> str:
        return x

    monkeypatch.setitem(filters.GLOBALS, "bare", bare)
    monkeypatch.setitem(filters.FILTERS, "plain", bare)
    assert undocumented() == ["helper bare", "filter plain"]


def test_entries_show_the_template_call_and_an_example_from_the_templates(library: Library) -> None:
    page = describe_templates(library)
    # the context Jinja passes is not part of the call a template writes
    assert "### `ref(target)`" in page
    assert "### `term(term)`" in page
    assert "### `amount|money(currency='EUR')`" in page
    assert "### `availability|downtime(days)`" in page
    assert "Example: `{{ target(level." in page
    assert "Example: `{{ agreement.effective_date|term_end(" in page
    # doctests and reStructuredText stay out of the Markdown
    for leftover in (">>>", "``", ":mod:"):
        assert leftover not in page
    # Jinja's own filters are listed, the removed ones are not
    assert "| `selectattr` | filter |" in page
    for removed in ("tojson", "urlize", "xmlattr", "random", "lipsum"):
        assert f"| `{removed}` |" not in page


def test_library_manual_links_the_reference() -> None:
    assert "(templates.md)" in (ROOT / "docs" / "library.md").read_text(encoding="utf-8")


def test_docsgen_writes_both_pages_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docsgen_main.main(["-o", str(tmp_path)]) == 0
    assert (tmp_path / "answers.md").read_text(encoding="utf-8").startswith("# Answers reference")
    assert (tmp_path / "templates.md").read_text(encoding="utf-8").startswith("# Template reference")
    capsys.readouterr()
    assert docsgen_main.main(["-o", str(tmp_path)]) == 2
    assert "exist" in capsys.readouterr().err
    assert docsgen_main.main(["-o", str(tmp_path), "--force"]) == 0


def test_docsgen_names_a_library_that_does_not_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docsgen_main.main(["--library", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


# --- lint rule 'references' (newcomer review B3) and the build message that names the answer --------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return copy_library(tmp_path)


GUARD = "{% if data_protection.call_recording %}\n"
QUALITY = "templates/{}/services/quality.md.j2"


def unguard_quality(root: Path) -> None:
    """The shipped quality clause as it was before B3 was fixed: the citation without its guard."""
    for lang in ("de", "en"):
        path = root / QUALITY.format(lang)
        text = path.read_text(encoding="utf-8")
        start = text.index(GUARD)
        keep = text[start + len(GUARD) : text.index("{% else %}\n", start)]
        end = text.index("{% endif %}\n", start) + len("{% endif %}\n")
        path.write_text(text[:start] + keep + text[end:], encoding="utf-8")


def references(root: Path) -> list[str]:
    return [str(f) for f in lint_library(root) if f.rule == "references"]


def test_the_shipped_library_cites_only_clauses_that_are_there() -> None:
    assert references(ROOT) == []


def test_lint_finds_the_unguarded_citation_of_b3(copy: Path) -> None:
    unguard_quality(copy)
    found = references(copy)
    assert found == [
        f"templates/{lang}/services/quality.md.j2:5: references: clause 'services.quality' refers to "
        "'legal.call_recording', which agreements contain only when data_protection.call_recording (calls are "
        "recorded (data_protection.call_recording)); cite it inside {% if data_protection.call_recording %} or "
        "make 'services.quality' apply only then"
        for lang in ("de", "en")
    ]
    result = CliRunner().invoke(main, ["lint", "--library", str(copy)])
    assert result.exit_code == 1
    assert "references: clause 'services.quality' refers to 'legal.call_recording'" in result.stdout


@pytest.mark.parametrize(
    ("guard", "found"),
    [
        ("{% if data_protection.call_recording %}", False),  # the cited clause's own condition
        ("{% if data_protection.call_recording and agreement.kind == 'external' %}", False),  # more is fine
        ("{% if service.catalog == 'telemarketing' %}", True),  # a condition that does not decide it
        ("{% if not data_protection.call_recording %}", True),
        ("{% set recorded = data_protection.call_recording %}{% if recorded %}", False),  # a template's own set
        ("{% if service_credits %}", False),  # a value slagen computes: trusted
        ("{% if data_protection.processing %}", True),  # processing does not imply recording
    ],
)
def test_a_citation_is_guarded_by_a_condition_that_implies_the_cited_clause(
    copy: Path, guard: str, found: bool
) -> None:
    path = copy / "templates/de/legal/final.md.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + f"\n{guard}Siehe Ziffer {{{{ ref('legal.call_recording') }}}}.{{% endif %}}\n", encoding="utf-8"
    )
    assert bool(references(copy)) is found


def test_a_guarantee_of_the_rules_counts_as_known(copy: Path) -> None:
    """Call recording implies processing on behalf (rule_call_recording): the processing clause is there."""
    path = copy / "templates/de/legal/call_recording.md.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nDer {{ term('processing_agreement') }} gilt.\n", encoding="utf-8")
    assert references(copy) == []


def test_an_else_branch_and_the_choices_of_an_answer_decide_the_cited_clause(copy: Path) -> None:
    """legal.telemarketing_pecr applies when telemarketing.market == 'uk'; the choices are de and uk."""
    path = copy / "templates/de/organisation/cooperation.md.j2"
    text = path.read_text(encoding="utf-8")
    cases = {
        "{% if telemarketing.market != 'de' %}": [],
        "{% if telemarketing.market == 'de' %}{% else %}": [],
        "{% if telemarketing.market in ['uk'] %}": [],
        "{% if telemarketing.market != 'uk' %}": ["references"],
    }
    for guard, expected in cases.items():
        path.write_text(text + f"\n{guard}Ziffer {{{{ ref('legal.telemarketing_pecr') }}}}{{% endif %}}\n", "utf-8")
        assert [f.rule for f in lint_library(copy) if f.rule == "references"] == expected, guard


def test_lint_finds_a_term_whose_defining_clause_is_left_out(copy: Path) -> None:
    """'service_credit' is defined by organisation.credits, which the telemarketing catalog has not."""
    edit(
        copy / QUALITY.format("en"),
        "## Quality assurance\n",
        "## Quality assurance\n\nNo {{ term('service_credit') }}.\n",
    )
    assert references(copy) == [
        "templates/en/services/quality.md.j2:3: references: clause 'services.quality' uses the term 'service_credit', "
        "which 'organisation.credits' defines, which agreements contain only when agreement.kind == 'external' and "
        "'service_credits' in catalog.remedies (the agreement is external and its service catalog allows service "
        "credits (remedies)); cite it inside {% if agreement.kind == 'external' and 'service_credits' in "
        "catalog.remedies %} or make 'services.quality' apply only then"
    ]


@pytest.mark.parametrize(
    ("example", "old", "new", "message"),
    [
        ("telemarketing", "  processing: true ", "  processing: false ", "data_protection.processing"),
        ("it-service-internal", "  processing: false", "  processing: true", "data_protection.processing"),
        ("it-service-multi-level", "  model: multi-level", "  model: standard", "price.tier_fees"),
    ],
    ids=[rule for _, _, rule in GUARANTEED],
)
def test_each_guarantee_lint_relies_on_is_enforced_by_check(
    tmp_path: Path, example: str, old: str, new: str, message: str
) -> None:
    """lintrefs.GUARANTEED: 'check' refuses an agreement where the first holds and the second does not."""
    answers = tmp_path / f"{example}.yaml"
    answers.write_text((ROOT / "examples" / f"{example}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    edit(answers, old, new)
    result = CliRunner().invoke(main, ["check", str(answers)])
    assert result.exit_code == 2
    assert message in result.stderr


def b3_answers(tmp_path: Path) -> Path:
    """Newcomer B3: a customer-specific telemarketing agreement without call recording."""
    answers = tmp_path / "b3.yaml"
    answers.write_text((ROOT / "examples" / "telemarketing.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    edit(answers, "  model: standard", "  model: customer-specific")
    edit(answers, "  call_recording: true ", "  call_recording: false ")
    edit(answers, "  activities: [", "  overrides: {recording_reviews: 0}\n  activities: [")
    return answers


def test_b3_builds_with_the_shipped_library(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(b3_answers(tmp_path)), "-o", str(tmp_path / "out"), "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    german = (tmp_path / "out" / "b3.de.md").read_text(encoding="utf-8")
    english = (tmp_path / "out" / "b3.en.md").read_text(encoding="utf-8")
    assert "Gespräche werden nicht aufgezeichnet. Der Auftragnehmer überprüft die Gesprächsqualität" in german
    assert "Calls are not recorded. The Provider shall regularly assure call quality by other lawful means" in english
    assert "Gesprächsaufzeichnungen, die nach Ziffer" not in german


def test_a_citation_a_library_leaves_unguarded_is_reported_by_the_answer_key(copy: Path, tmp_path: Path) -> None:
    unguard_quality(copy)
    answers = b3_answers(tmp_path)
    lines = answers.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("  call_recording: false"))
    for command in (["check", str(answers)], ["build", str(answers), "-o", str(tmp_path / "out")]):
        result = CliRunner().invoke(main, [*command, "--library", str(copy)])
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: {answers}:{line}: data_protection.call_recording: clause 'services.quality' cites clause "
            "'legal.call_recording', which these answers leave out (calls are recorded "
            "(data_protection.call_recording)); the clause library does not yet fit this answer: change it, or tell "
            "the library's authors ('slagen lint', rule 'references', shows where)\n"
        ), command
        assert "templates/" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- lint rule 'questions': help in every language but the declarations', and choices that exist ------------

DE_QUESTIONS = "templates/de/questions.yaml"


def questions(root: Path) -> list[str]:
    return [str(f) for f in lint_library(root) if f.rule == "questions"]


def line_of(path: Path, start: str, after: str = "") -> int:
    """The number of the first line that starts with ``start`` (after the line that starts with ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(n for n, text in enumerate(lines) if text.startswith(after)) if after else 0
    return next(n for n, text in enumerate(lines[first:], first + 1) if text.startswith(start))


def test_every_declared_help_has_its_german_wording() -> None:
    assert questions(ROOT) == []


def test_a_help_missing_in_german_is_a_finding_and_english_needs_none(copy: Path) -> None:
    path = copy / DE_QUESTIONS
    edit(path, "  agreement.company: Vollständiger Name", "  agreement.company_x: Vollständiger Name")
    help_line = line_of(path, "help:")
    assert questions(copy) == [
        f"{DE_QUESTIONS}:{help_line}: questions: no help for 'agreement.company' in 'de' "
        "(the interview would show its English help)"
    ]
    # the English file's help section is empty: the declarations' help is English
    assert "\nhelp: {}\n" in (copy / "templates/en/questions.yaml").read_text(encoding="utf-8")


def test_a_record_fields_help_is_needed_too(copy: Path) -> None:
    edit(copy / DE_QUESTIONS, "  contacts[].email: E-Mail-Adresse.\n", "")
    assert [f.split(": ", 2)[2] for f in questions(copy)] == [
        "no help for 'contacts[].email' in 'de' (the interview would show its English help)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  agreement.kind: {external:",
            "  agreement.colour: {red: Rot}\n  agreement.kind: {external:",
            "choices for 'agreement.colour', which no clause declares",
        ),
        (
            "  agreement.kind: {external:",
            "  agreement.company: {gmbh: GmbH}\n  agreement.kind: {external:",
            "choices for 'agreement.company', which has no choices (type string)",
        ),
        (
            "  agreement.model: {standard: Standardpaket,",
            "  agreement.model: {standrad: Standardpaket,",
            "choices.agreement.model: 'standrad' is not a choice of agreement.model "
            "(standard, customer-specific, multi-level)",
        ),
    ],
    ids=["unknown-key", "key-without-choices", "unknown-choice"],
)
def test_a_choices_entry_astray_is_a_finding_at_its_line(copy: Path, old: str, new: str, message: str) -> None:
    path = copy / DE_QUESTIONS
    edit(path, old, new)
    line = line_of(path, new.split("\n")[0].split(":")[0] + ":", after="choices:")
    assert questions(copy) == [f"{DE_QUESTIONS}:{line}: questions: {message}"]
    result = CliRunner().invoke(main, ["lint", "--library", str(copy)])
    assert result.exit_code == 1
    assert message in result.stdout


def test_a_term_of_a_left_out_clause_is_reported_by_the_answer_key(copy: Path, tmp_path: Path) -> None:
    """The term 'service_credit' belongs to organisation.credits, which a telemarketing agreement has not."""
    for lang, title in (("de", "## Qualitätssicherung\n"), ("en", "## Quality assurance\n")):
        edit(copy / QUALITY.format(lang), title, title + "\n{{ term('service_credit') }}.\n")
    answers = tmp_path / "telemarketing.yaml"
    answers.write_text((ROOT / "examples" / "telemarketing.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(answers), "--library", str(copy)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {answers}:{line_of(answers, '  kind:')}: agreement.kind: clause 'services.quality' uses the term "
        "'service_credit' of clause 'organisation.credits', which these answers leave out (the agreement is external "
        "and its service catalog allows service credits (remedies)) (decided by agreement.kind, service.catalog); "
        "the clause library does not yet fit this answer: change it, or tell the library's authors ('slagen lint', "
        "rule 'references', shows where)\n"
    )
