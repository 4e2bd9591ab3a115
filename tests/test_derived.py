"""Values derived from the answers (``slagen/derived.py``): ``derived.domestic_de``, computed in one place.

The purely German case (both parties seated in Germany, the services performed only from Germany) decides
the liability clause, the severability branch, a paragraph of the governing-law clause and a rule's warning.
It is computed once and read as ``derived.domestic_de`` by conditions, templates, rules, lint and the
interview; these tests hold it at its edges and keep the expression from being written out again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen import derived
from slagen.answers import Answers, load_answers
from slagen.catalogfacts import with_facts
from slagen.citations import _keys
from slagen.context import CONTEXT_NAMES, kind_labels, make_context
from slagen.errors import LibraryError
from slagen.interview.order import dependencies
from slagen.interview.undecided import UNKNOWN, may_hold
from slagen.library import RESERVED_NAMES, Library, load_library
from slagen.lint import lint_library
from slagen.sandbox import make_environment
from slagen.select import answers_read, compile_conditions

from .conftest import EXAMPLES, ROOT, example_with
from .helpers import copy_library

READS = ("parties.provider.country", "parties.customer.country", "scope.territory")
DOMESTIC = {"parties.provider.country": "DE", "parties.customer.country": "DE", "scope.territory": ["DE"]}
ENGLISH_LAW_STAND_ALONE = {
    **DOMESTIC,
    "agreement.governing_law": "en-gb",
    "agreement.main_contract": ...,
    "price.currency": "EUR",
    "telemarketing.market": "de",
}
"""The demo under English law, stand-alone (so that it has a liability clause of its own), all German."""


def tree_of(values: dict[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in values.items():
        *parents, leaf = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


EDGES = [
    pytest.param(DOMESTIC, True, id="all-german"),
    pytest.param({**DOMESTIC, "scope.territory": ["DE", "AT"]}, False, id="territory-de-and-at"),
    pytest.param({**DOMESTIC, "scope.territory": ["AT", "DE"]}, False, id="territory-at-and-de"),
    pytest.param({**DOMESTIC, "scope.territory": []}, False, id="territory-empty"),
    pytest.param({**DOMESTIC, "scope.territory": None}, False, id="territory-missing"),
    pytest.param({**DOMESTIC, "parties.customer.country": "AT"}, False, id="customer-at"),
    pytest.param({**DOMESTIC, "parties.provider.country": "GB"}, False, id="provider-gb"),
    pytest.param(
        {k: v for k, v in DOMESTIC.items() if k != "parties.provider.country"}, False, id="provider-no-country"
    ),
    pytest.param({}, False, id="nothing-given"),
]


@pytest.mark.parametrize(("values", "expected"), EDGES)
def test_domestic_de_at_its_edges_reads_the_same_from_values_and_from_a_tree(
    values: dict[str, Any], expected: bool
) -> None:
    assert derived.of_values(values)["domestic_de"] is expected
    assert derived.of_tree(tree_of(values))["domestic_de"] is expected
    assert derived.computed(tree_of(values)) == {"domestic_de": expected}


def answers_of(changes: dict[str, Any], write: Callable[..., Path], library: Library, example: str) -> Answers:
    data = example_with(EXAMPLES / example, changes)
    return load_answers(write(yaml.safe_dump(data, allow_unicode=True)), library)


def test_a_provider_without_a_country_is_german_by_default(
    write_answers: Callable[..., Path], library: Library
) -> None:
    answers = answers_of(
        {"parties.provider.country": ..., "scope.territory": ["DE"]}, write_answers, library, "call-centre.yaml"
    )
    assert answers.tree["parties"]["provider"]["country"] == "DE"
    assert derived.computed(answers.tree) == {"domestic_de": True}


@pytest.mark.parametrize(
    ("changes", "domestic"),
    [
        pytest.param({}, True, id="all-german"),
        pytest.param({"scope.territory": ["DE", "AT"]}, False, id="territory-de-and-at"),
        pytest.param({"parties.customer.country": "AT"}, False, id="customer-at"),
    ],
)
def test_conditions_and_rules_read_domestic_de(
    write_answers: Callable[..., Path], library: Library, changes: dict[str, Any], domestic: bool
) -> None:
    answers = answers_of({**ENGLISH_LAW_STAND_ALONE, **changes}, write_answers, library, "telemarketing.yaml")
    chosen = {clause.id for clause in answers.clauses}
    assert ("legal.liability" in chosen) is domestic
    assert ("legal.liability_ew" in chosen) is not domestic
    warned = [w.key for w in answers.warnings if "Rome I Art. 3 (3)" in w.message]
    assert warned == (["agreement.governing_law"] if domestic else [])


def test_templates_see_derived_values_in_their_context(write_answers: Callable[..., Path], library: Library) -> None:
    assert derived.NAMESPACE in CONTEXT_NAMES
    labels = kind_labels(library, "en", "external")
    template = make_environment(library.template_root, bytecode_cache=False).from_string("{{ derived.domestic_de }}")
    for changes, expected in (({}, True), ({"parties.customer.country": "AT"}, False)):
        answers = answers_of({**DOMESTIC, **changes}, write_answers, library, "call-centre.yaml")
        context = make_context(answers.tree, library, "en", labels=labels, service={}, today=dt.date(2027, 1, 1))
        assert context.derived == {"domestic_de": expected}
        assert template.render(context.names()) == str(expected)


@pytest.mark.parametrize(
    ("values", "decided"),
    [
        pytest.param({"parties.provider.country": "DE"}, None, id="customer-unknown-undecided"),
        pytest.param({"parties.provider.country": "AT"}, False, id="provider-abroad-decides"),
        pytest.param({**DOMESTIC, "scope.territory": ["DE", "AT"]}, False, id="all-given"),
        pytest.param(DOMESTIC, True, id="all-given-german"),
    ],
)
def test_the_interview_leaves_domestic_de_undecided_while_its_answers_are_open(
    library: Library, values: dict[str, Any], decided: bool | None
) -> None:
    env = make_environment(library.template_root, bytecode_cache=False)
    condition = env.compile_expression("derived.domestic_de", undefined_to_none=False)
    negated = env.compile_expression("not derived.domestic_de", undefined_to_none=False)
    tree = tree_of({key: values.get(key, UNKNOWN) for key in READS})
    names = with_facts(tree, {})
    if decided is None:  # either may still hold
        assert may_hold(condition, names)
        assert may_hold(negated, names)
    else:
        assert may_hold(condition, names) is decided
        assert may_hold(negated, names) is not decided


def test_the_interview_asks_the_answers_a_derived_value_reads_before_the_clauses_it_decides(library: Library) -> None:
    env = make_environment(library.template_root, bytecode_cache=False)
    assert answers_read(library, env, "derived.domestic_de") == set(READS)
    assert set(READS) <= dependencies(library, env)["liability.unlimited"]  # legal.liability's when reads it


def test_a_failed_citation_names_the_answers_behind_a_derived_value(library: Library) -> None:
    when = "agreement.kind == 'external' and (agreement.governing_law == 'de' or derived.domestic_de)"
    assert _keys(when, library) == ["agreement.kind", "agreement.governing_law", *READS]


def edit_yaml(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_an_answer_named_derived_is_refused_when_the_library_loads(tmp_path: Path) -> None:
    assert derived.NAMESPACE in RESERVED_NAMES
    root = copy_library(tmp_path / "lib")
    edit_yaml(
        root / "clauses" / "scope" / "purpose.yaml",
        lambda data: data["params"].update({"derived.domestic_de": {"type": "boolean", "required": False}}),
    )
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    (problem,) = caught.value.problems
    assert (problem.file, problem.key) == ("clauses/scope/purpose.yaml", "params.derived.domestic_de")
    assert "may not be named 'derived'" in problem.message


def test_a_condition_reading_a_value_slagen_does_not_derive_stops_the_library(tmp_path: Path) -> None:
    root = copy_library(tmp_path / "lib")
    edit_yaml(root / "clauses" / "legal" / "liability_ew.yaml", lambda data: data.update(when="derived.domestic_uk"))
    library = load_library(root)
    with pytest.raises(LibraryError) as caught:
        compile_conditions(library, make_environment(library.template_root, bytecode_cache=False))
    (problem,) = caught.value.problems
    assert problem.file == "clauses/legal/liability_ew.yaml"
    assert problem.key == "when"
    assert problem.message == "slagen derives no 'domestic_uk' (it derives: domestic_de)"
    messages = [str(f) for f in lint_library(root) if f.rule == "variables"]
    assert any("liability_ew.yaml" in m and "slagen derives no 'domestic_uk'" in m for m in messages), messages


def test_a_derived_value_needs_the_answers_it_is_computed_from() -> None:
    assert derived.read_problem(("domestic_de",), set(READS)) is None
    assert derived.read_problem(("domestic_de",), set(READS[:2])) == (
        "'derived.domestic_de' is computed from scope.territory, which no clause declares"
    )
    assert derived.answers_read(()) == READS
    assert derived.answers_read(("nothing",)) == ()


def test_lint_finds_a_misspelt_derived_value_and_counts_its_answers_as_read(tmp_path: Path) -> None:
    root = copy_library(tmp_path / "lib")
    template = root / "templates" / "en" / "legal" / "law.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{{ derived.domestic }}\n", encoding="utf-8")
    findings = [str(f) for f in lint_library(root)]
    # no finding "'parties.provider.country' is declared but no template or condition reads it": only
    # derived.domestic_de reads it (test below), and lint counts that as reading it
    assert findings == [
        "templates/en/legal/law.md.j2:20: variables: slagen derives no 'domestic' (it derives: domestic_de)"
    ]


PURELY_GERMAN = [
    re.compile(r"provider\.country[\"')\s]*==\s*[\"']DE"),
    re.compile(r"customer\.country[\"')\s]*==\s*[\"']DE"),
    re.compile(r"territory[\"')\s]*(or \(\)\)\s*)?==\s*\[\s*[\"']DE[\"']\s*\]"),
]


def test_the_purely_german_case_is_written_out_only_where_it_is_derived() -> None:
    written = []
    for folder, pattern in (("slagen", "*.py"), ("clauses", "*.yaml"), ("templates", "*.j2"), ("tiers", "*.yaml")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            text = path.read_text(encoding="utf-8")
            written += [f"{path.relative_to(ROOT)}" for expression in PURELY_GERMAN if expression.search(text)]
    assert written == ["slagen/derived.py"] * len(PURELY_GERMAN)


def test_an_answer_a_left_out_clause_reads_through_a_derived_value_is_not_called_ignored(
    tmp_path: Path, write_answers: Callable[..., Path]
) -> None:
    root = copy_library(tmp_path / "lib")  # the customer's country declared by legal.liability_ew alone
    key = "parties.customer.country"
    declared = yaml.safe_load((ROOT / "clauses" / "legal" / "law.yaml").read_text(encoding="utf-8"))["params"][key]
    edit_yaml(root / "clauses" / "legal" / "law.yaml", lambda data: data["params"].pop(key))
    edit_yaml(
        root / "clauses" / "legal" / "liability_ew.yaml",
        lambda data: data.setdefault("params", {}).update({key: declared}),
    )
    library = load_library(root)
    answers = answers_of(ENGLISH_LAW_STAND_ALONE, write_answers, library, "telemarketing.yaml")
    assert "legal.liability_ew" not in {clause.id for clause in answers.clauses}  # left out: derived.domestic_de
    assert [w.key for w in answers.warnings] == ["agreement.governing_law"]  # the Rome I warning, no "ignored"
