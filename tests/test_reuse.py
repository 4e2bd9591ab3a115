"""Reusing renderings and written clauses (slagen.reuse, slagen.writers.written) never changes a document.

The one thing that must not happen is a clause rendered for one customer showing up in another's
contract. So: what a template can read is found conservatively (aliases, loops, macros, includes,
computed keys), values of different types never share a key, and documents built one after the other
with reuse are byte for byte those built afresh without it — for the examples, their variants, rows
of a batch and generated answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from jinja2 import DictLoader, Environment

from slagen import reuse
from slagen.answers import load_answers
from slagen.errors import TemplateError
from slagen.generate import Output, build_documents, generate
from slagen.kept import Kept
from slagen.library import Library, load_library
from slagen.model import Paragraph, TermUse, plain_text
from slagen.numbering import number_document
from slagen.params import Duration
from slagen.render import render_document
from slagen.resolve import READS, resolve_service

from .conftest import EXAMPLES, ROOT, example_with
from .test_fuzz import share, valid_answers
from .test_variants import VARIANTS

# --- what a template can read -------------------------------------------------------


def paths_of(source: str, **others: str) -> set[reuse.Path]:
    env = Environment(loader=DictLoader({"t": source, **others}))
    return set(reuse.read_paths(env, "t")) - set(reuse.HELPER_PATHS)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ parties.customer.name }}", {("parties", "customer", "name")}),
        (
            "{{ levels[0].target }} {{ level['availability'].unit }}",
            {("levels", 0, "target"), ("level", "availability", "unit")},
        ),
        # a computed key: the whole value it is looked up in, and what the key is computed from
        ("{{ level[kpi].target }}", {("level",), ("kpi",)}),
        ("{{ parties['cust' ~ 'omer'].name }}", {("parties",)}),
        # an alias, a loop, a filter, a macro argument, a method call: the whole value it comes from
        ("{% set p = parties %}{{ p.customer.name }}", {("parties",)}),
        ("{% for t in tiers %}{{ t.name }}{% endfor %}", {("tiers",)}),
        ("{{ parties.customer|dictsort|first }}", {("parties", "customer")}),
        (
            "{% macro n(x) %}{{ x.name }}{% endmacro %}{{ n(parties.customer) }}",
            {("parties", "customer")},
        ),
        ("{% for k, v in agreement.items() %}{{ v }}{% endfor %}", {("agreement", "items")}),
        # what an included, imported or extended template reads
        ("{% include 'inc' %}", {("service", "hours")}),
        ("{% from 'inc' import m %}{{ m() }}", {("service", "hours")}),
        # names the template sets, loops over or takes as macro arguments are not looked up in the context;
        # a name set on one branch only may still be, and Jinja looks it up there
        ("{% if a %}{% set t = 1 %}{% endif %}{{ t.x }}", {("a",), ("t", "x")}),
    ],
)
def test_every_value_a_template_can_read_is_part_of_its_key(source: str, expected: set[reuse.Path]) -> None:
    assert paths_of(source, inc="{% macro m() %}{% endmacro %}{{ service.hours }}") == expected


@pytest.mark.parametrize(
    "source",
    ["{% include name %}", "{% include ['a', name] %}", "{{ tiers|random }}", "{% import 'bad' as b %}"],
)
def test_a_template_whose_reads_cannot_be_known_is_never_reused(source: str) -> None:
    env = Environment(loader=DictLoader({"t": source, "bad": "{% include x %}"}))
    with pytest.raises(reuse.NotReusable):
        reuse.read_paths(env, "t")
    renderings = reuse.Renderings()
    assert renderings.paths(env, "t") is None  # the first time, not looked into
    assert renderings.paths(env, "t") is None


def test_a_template_that_does_not_compile_is_left_to_rendering_to_report() -> None:
    env = Environment(loader=DictLoader({"t": "{% include 'missing' %}", "u": "{{ x"}))
    renderings = reuse.Renderings()
    for _ in range(2):
        assert renderings.paths(env, "t") is None
        assert renderings.paths(env, "u") is None


def test_a_template_is_looked_into_when_it_renders_again() -> None:
    env = Environment(loader=DictLoader({"t": "{{ agreement.reference }}"}))
    renderings = reuse.Renderings()
    assert renderings.paths(env, "t") is None
    assert set(renderings.paths(env, "t") or ()) == {*reuse.HELPER_PATHS, ("agreement", "reference")}


def test_a_path_stops_where_the_template_would_reach_the_value_through_an_attribute() -> None:
    context = {"agreement": {"items": "x", "term": {"months": 12}}, "levels": [{"target": 1}], "name": "A"}
    assert reuse.resolve(context, ("agreement", "term", "months")) == 12
    assert reuse.resolve(context, ("agreement", "items")) is context["agreement"]  # dict.items, not the key
    assert reuse.resolve(context, ("levels", 0, "target")) == 1
    assert reuse.resolve(context, ("levels", 5)) is context["levels"]
    assert reuse.resolve(context, ("name", "upper")) == "A"
    assert reuse.fingerprint(reuse.resolve(context, ("nothing", "here"))) == "<missing>"


# --- values of different types never share a key -----------------------------------


@dataclass(frozen=True)
class _Hidden:
    shown: int

    def __repr__(self) -> str:
        return "_Hidden()"


@dataclass
class _Mutable:
    value: int


def test_equal_looking_values_of_different_types_have_different_fingerprints() -> None:
    values: list[Any] = [
        1, 1.0, True, "1", Decimal("1"), Decimal("1.0"), Decimal("1.00"), None, "None", "<missing>",
        Duration.parse("60min"), Duration.parse("1h"), dt.date(2027, 1, 1), "2027-01-01",
        [1], (1,), {"a": 1}, {"a": 1.0}, ["a, b"], ["a", "b"],
    ]  # fmt: skip
    prints = [reuse.fingerprint(value) for value in values]
    assert len(set(prints)) == len(prints)
    assert reuse.fingerprint({"a": [Duration.parse("1h")]}) == reuse.fingerprint({"a": [Duration.parse("1h")]})


@pytest.mark.parametrize("value", [_Hidden(1), _Mutable(1), object(), {"a": [_Hidden(2)]}, lambda: 1])
def test_a_value_without_an_exact_repr_is_not_reused(value: Any) -> None:
    with pytest.raises(reuse.NotReusable):
        reuse.fingerprint(value)


def test_kept_renderings_are_bounded_and_kept_when_they_come_again() -> None:
    renderings = reuse.Renderings(max_entries=2)
    renderings.put(("a",), "a")
    assert renderings.get(("a",)) is None  # once is not yet worth keeping
    for name in ("a", "b", "c"):
        renderings.put((name,), name)
        renderings.put((name,), name)
    renderings.get(("b",))
    renderings.put(("d",), "d")
    renderings.put(("d",), "d")
    assert [renderings.get((name,)) for name in "abcd"] == [None, "b", None, "d"]


# --- documents with reuse are those without it ---------------------------------------


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    counter = iter(range(10**6))

    def write(data: dict[str, Any]) -> Path:
        path = tmp_path / f"answers{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


def build_all(paths: list[Path], library: Library) -> list[list[Output]]:
    return [generate(load_answers(path, library), library, review=index % 3 == 2) for index, path in enumerate(paths)]


def same_with_and_without_reuse(paths: list[Path], library: Library) -> None:
    reused = build_all(paths, library)
    with reuse.disabled():
        fresh = build_all(paths, library)
    for path, with_reuse, without in zip(paths, reused, fresh, strict=True):
        assert [o.name for o in with_reuse] == [o.name for o in without], path
        for one, other in zip(with_reuse, without, strict=True):
            assert one.data == other.data, f"{path.name}: {one.name} differs with reuse"


def _rows() -> Iterator[dict[str, Any]]:
    """Answers one after the other as a batch has them: the same base, some values changed each time."""
    tiers = ("basic", "professional", "premium")
    for index in range(12):
        yield example_with(
            EXAMPLES / "telemarketing.yaml",
            {
                "parties.customer.name": f"Kunde {index % 4} GmbH",
                "service.tier": tiers[index % 3],
                "agreement.reference": f"SLA-{index % 2}",
                "agreement.effective_date": dt.date(2027, 1 + index % 2, 1),
                "languages": [["de", "en"], ["en"], ["de"]][index % 3],
            },
        )


def test_rows_of_a_batch_are_the_same_with_and_without_reuse(
    write_yaml: Callable[[dict[str, Any]], Path], library: Library
) -> None:
    same_with_and_without_reuse([write_yaml(data) for data in _rows()], library)


def test_examples_and_their_variants_are_the_same_with_and_without_reuse(
    write_yaml: Callable[[dict[str, Any]], Path], library: Library
) -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    paths += [write_yaml(example_with(EXAMPLES / example, changes)) for _, example, changes, _, _ in VARIANTS]
    same_with_and_without_reuse([*paths, *reversed(paths)], library)


@given(valid_answers())
@share(0.4)
def test_generated_answers_are_the_same_with_and_without_reuse(data: dict[str, Any]) -> None:
    library = load_library()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        same_with_and_without_reuse([path, EXAMPLES / "telemarketing.yaml", path], library)


# --- a template that reads a value in a roundabout way still sees each customer's ---------------

SNEAKY = [
    "{% set p = parties %}{{ p.customer.name }}",
    "{% for k, v in parties.customer|dictsort %}{% if k == 'name' %}{{ v }}{% endif %}{% endfor %}",
    "{{ parties['cust' ~ 'omer'].name }}",
    "{% macro n(x) %}{{ x.name }}{% endmacro %}{{ n(parties.customer) }}",
    "{% include 'en/scope/customer_name.j2' %}",
    "{% from 'en/scope/customer_name.j2' import shown with context %}{{ shown() }}",
    "{{ parties.values()|map(attribute='name')|join(', ') }}",
]


@pytest.mark.parametrize("body", SNEAKY)
def test_a_clause_reading_the_customer_roundabout_names_each_customer(
    body: str, tmp_path: Path, write_yaml: Callable[[dict[str, Any]], Path]
) -> None:
    root = tmp_path / "library"
    for part in ("clauses", "templates", "tiers"):
        shutil.copytree(ROOT / part, root / part)
    (root / "templates/en/scope/customer_name.j2").write_text(
        "{% macro shown() %}{{ parties.customer.name }}{% endmacro %}{{ parties.customer.name }}", encoding="utf-8"
    )
    purpose_template = root / "templates/en/scope/purpose.md.j2"
    title, rest = purpose_template.read_text(encoding="utf-8").split("\n", 1)
    purpose_template.write_text(f"{title}\n\nCustomer: {body}.\n{rest}", encoding="utf-8")
    try:
        library = load_library(root)
        names = ("Alpha GmbH", "Beta AG", "Alpha GmbH", "Gamma KG")
        for name in names:
            data = example_with(EXAMPLES / "telemarketing.yaml", {"parties.customer.name": name, "languages": ["en"]})
            (document,) = build_documents(load_answers(write_yaml(data), library), library, ["en"])
            purpose = next(clause for clause in document.clauses() if clause.id == "scope.purpose")
            assert isinstance(purpose.blocks[0], Paragraph)
            shown = plain_text(purpose.blocks[0].runs)
            assert name in shown
            assert not [other for other in names if other != name and other in shown]
    finally:
        load_library()  # the bundled library stays the one other tests see


def test_a_condition_is_kept_under_the_values_it_reads() -> None:
    env = Environment()
    source = "parties.provider.merchant and parties.customer.merchant and kind in ['external']"
    assert reuse.expression_paths(env, source) == (
        ("kind",),
        ("parties", "customer", "merchant"),
        ("parties", "provider", "merchant"),
    )
    with pytest.raises(reuse.NotReusable):
        reuse.expression_paths(env, "parties.provider.merchant and")


class _Recording(dict[str, Any]):
    """The answers' values, noting every key read."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_the_resolved_service_is_kept_under_every_answer_it_reads(example: Path, library: Library) -> None:
    answers = load_answers(example, library)
    values = _Recording(answers.values)
    with reuse.disabled():
        fresh = resolve_service(dataclasses.replace(answers, values=values), library)
    assert values.read <= set(READS)
    assert resolve_service(answers, library) == fresh
    if reuse.enabled():  # agreements that answer alike share the resolved service
        assert resolve_service(answers, library) is resolve_service(load_answers(example, library), library)


def test_what_templates_read_is_kept_between_runs_until_a_template_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "reads.json"
    templates = {"t": "{{ agreement.reference }}{% include 'inc' %}", "inc": "{{ parties.customer.name }}"}
    expected = {*reuse.HELPER_PATHS, ("agreement", "reference"), ("parties", "customer", "name")}
    first = reuse.Renderings(store=store)
    env = Environment(loader=DictLoader(templates))
    assert first.paths(env, "t") is None
    assert set(first.paths(env, "t") or ()) == expected
    assert store.exists()

    def not_again(*args: Any) -> Any:
        raise AssertionError("looked into again")

    with monkeypatch.context() as patch:  # the next run takes it from the store, at once
        patch.setattr(reuse, "read_paths", not_again)
        assert set(reuse.Renderings(store=store).paths(env, "t") or ()) == expected
    templates["inc"] = "{{ parties.provider.name }}"  # an included template changes: looked into again
    changed = Environment(loader=DictLoader(templates))
    again = reuse.Renderings(store=store)
    assert again.paths(changed, "t") is None
    assert ("parties", "provider", "name") in (again.paths(changed, "t") or ())
    store.write_text("{not json", encoding="utf-8")
    assert reuse.Renderings(store=store).paths(env, "t") is None  # a broken store is not used


def test_checks_of_references_and_terms_follow_the_front_matter(library: Library) -> None:
    answers = load_answers(EXAMPLES / "telemarketing.yaml", library)
    service = resolve_service(answers, library)
    today = dt.date(2027, 1, 1)
    number_document(render_document(answers, service, library, "en", today=today))  # checked and kept
    bare = render_document(answers, service, library, "en", today=today)
    bare.front = [Paragraph([run for run in block.runs if not isinstance(run, TermUse)]) for block in bare.front]  # type: ignore[union-attr]
    with pytest.raises(TemplateError, match="uses the term 'provider', which the agreement does not define"):
        number_document(bare)


def test_kept_forgets_the_least_recently_used_and_holds_what_its_keys_name() -> None:
    class Named:
        pass

    kept: Kept[int, str] = Kept(2)
    first, second, third = Named(), Named(), Named()
    kept.put(id(first), "first", first)
    kept.put(id(second), "second", second)
    assert kept.get(id(first)) == "first"  # used: now the most recent
    kept.put(id(third), "third", third)
    assert (id(second) in kept, kept.get(id(first)), kept.get(id(third)), len(kept)) == (False, "first", "third", 2)
    held = weakref.ref(first)
    del first
    assert held() is not None  # kept alive by its entry, so its id names no other object
