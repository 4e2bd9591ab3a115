"""The memo (slagen.memo) and the recording of reads (slagen.recording) never change a document.

A rendering is given again only where every value the compiled template was recorded reading is
the same. These tests check the recording on its own (every kind of read is recorded, values of
different types never share a key), the memo's keeping and its tripwire, and — by content —
that documents built one after the other with the memo are byte for byte those built afresh
without it: the examples and their variants, rows of a batch and generated answers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from jinja2 import DictLoader
from msgspec.structs import replace

from slagen.answers import load_answers
from slagen.generate import Output, build_documents, check_answers, generate
from slagen.library import Library, load_library
from slagen.memo import Memo, ReuseMismatch, Sizes
from slagen.model import Paragraph, plain_text
from slagen.params import Duration
from slagen.recording import RECORDING, NotReusable, Reads, freeze, key_of
from slagen.resolve import READS, resolve_service
from slagen.sandbox import make_environment

from .conftest import EXAMPLES, ROOT, example_with
from .helpers import copy_library
from .test_fuzz import share, valid_answers
from .test_variants import VARIANTS

# --- what a rendering reads ---------------------------------------------------------------

NAMES = {
    "parties": {"customer": {"name": "Alpha GmbH", "merchant": True}, "provider": {"name": "P AG"}},
    "agreement": {"kind": "external", "term": {"months": 12}},
    "levels": [{"id": "a", "target": Decimal("99.9")}],
    "tier": None,
    "locale": "en_GB",
    "labels": {"terms": {"provider": "Provider", "customer": "Customer"}},
}


def recorded(source: str, names: dict[str, Any] | None = None, **others: str) -> set[tuple[bool, tuple[Any, ...]]]:
    env = make_environment(ROOT / "templates", bytecode_cache=False)
    env.loader = DictLoader({"t": source, **others})
    reads = Reads(names or NAMES)
    token = RECORDING.set(reads)
    try:
        env.get_template("t").render(names or NAMES)
    finally:
        RECORDING.reset(token)
    return set(reads.paths())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ parties.customer.name }}", {(True, ("parties", "customer", "name"))}),
        # a mapping only gone through is read for its kind; used as a whole, it is read whole
        ("{% if parties.customer %}x{% endif %}", {(True, ("parties", "customer"))}),
        ("{{ parties.customer|dictsort|first }}", {(True, ("parties", "customer"))}),
        ("{% for k, v in agreement.items() %}{{ v }}{% endfor %}", {(True, ("agreement",))}),
        ("{{ parties.customer|length }}", {(True, ("parties", "customer"))}),
        ("{{ parties.customer }}", {(True, ("parties", "customer"))}),
        # an alias, a computed key, a macro argument: what is reached through them is what is read
        ("{% set p = parties %}{{ p.customer.name }}", {(True, ("parties", "customer", "name"))}),
        ("{{ parties['cust' ~ 'omer'].name }}", {(True, ("parties", "customer", "name"))}),
        (
            "{% macro n(x) %}{{ x.name }}{% endmacro %}{{ n(parties.customer) }}",
            {(True, ("parties", "customer", "name"))},
        ),
        # a key that is missing is read as missing
        ("{{ parties.customer.vat is defined }}", {(True, ("parties", "customer", "vat"))}),
        ("{% if 'vat' in parties.customer %}x{% endif %}", {(True, ("parties", "customer", "vat"))}),
        # a list is read whole, and so is a value compared or printed
        ("{% for l in levels %}{{ l.id }}{% endfor %}", {(True, ("levels",))}),
        ("{{ tier is none }}", {(True, ("tier",))}),
        # what an included or imported template reads
        ("{% include 'inc' %}", {(True, ("agreement", "term", "months"))}),
        ("{% from 'inc' import m with context %}{{ m() }}", {(True, ("agreement", "term", "months"))}),
        # helpers and filters read the context like a template: term() reads the term's label, |number the locale
        ("{{ term('provider') }}", {(True, ("labels", "terms", "provider"))}),
        ("{{ 5|number }}", {(True, ("locale",))}),
    ],
)
def test_every_value_a_rendering_reads_is_recorded(source: str, expected: set[Any]) -> None:
    inc = "{% macro m() %}{{ agreement.term.months }}{% endmacro %}{{ agreement.term.months }}"
    found = recorded(source, inc=inc)
    assert expected <= found
    # nothing under a path read whole is listed on its own, and every path is reached from a name given
    for whole, path in found:
        assert path[0] in NAMES or not whole or path == (path[0],)


def test_a_global_shadowed_by_an_answer_is_read_as_the_answer() -> None:
    # the review's leak 1: an answer group named 'range' must be part of what is read
    names = {**NAMES, "range": {"regions": "Saxony"}}
    assert (True, ("range", "regions")) in recorded("{{ range.regions }}", names)
    # a global that is not an answer is the same for every contract: not read
    assert not any(path[0] == "range" for _, path in recorded("{% for i in range(2) %}{% endfor %}"))


def test_a_branch_not_taken_is_not_read_and_the_key_follows_the_branch() -> None:
    source = "{% if parties.customer.merchant %}{{ agreement.kind }}{% else %}{{ parties.provider.name }}{% endif %}"
    taken = recorded(source)
    assert (True, ("agreement", "kind")) in taken
    assert (True, ("parties", "provider", "name")) not in taken
    other = {**NAMES, "parties": {**NAMES["parties"], "customer": {"name": "B", "merchant": False}}}
    assert (True, ("parties", "provider", "name")) in recorded(source, other)


def test_equal_looking_values_of_different_types_have_different_keys() -> None:
    values = [1, 1.0, True, Decimal("1"), Decimal("1.0"), Decimal("1.00"), "1", Duration.parse("60min")]
    values += [Duration.parse("1h"), dt.date(2027, 1, 1), -0.0, 0.0, None, [1], (1,)]
    assert len({freeze(value) for value in values}) == len(values)


@pytest.mark.parametrize("value", [object(), {1, 2}, lambda: 1])
def test_a_value_that_cannot_be_told_apart_is_not_reused(value: Any) -> None:
    with pytest.raises(NotReusable):
        freeze(value)


def test_a_key_is_the_values_at_the_paths_read() -> None:
    paths = ((True, ("parties", "customer", "name")), (False, ("agreement",)), (True, ("nothing",)))
    key = key_of(NAMES, paths)
    assert key == key_of({**NAMES}, paths)
    other = {**NAMES, "parties": {**NAMES["parties"], "customer": {"name": "Beta AG"}}}
    assert key != key_of(other, paths)
    assert key == key_of({**NAMES, "agreement": {"kind": "internal"}}, paths)  # read for its kind only


# --- the memo ---------------------------------------------------------------------------


def test_a_rendering_is_kept_the_second_time_and_given_again_for_the_same_values() -> None:
    memo = Memo(check_every=0)
    calls = []

    def render(value: str) -> Callable[[], str]:
        def run() -> str:
            calls.append(value)
            reads = RECORDING.get()
            assert reads is not None
            reads.values.add(("x",))
            return f"text {value}"

        return run

    for _ in range(3):
        assert memo.rendering("t", {"x": "a"}, render("a")) == "text a"
    assert memo.rendering("t", {"x": "b"}, render("b")) == "text b"
    assert calls == ["a", "a", "b"]  # kept the second time, given again the third
    assert memo.reused == 1


def test_the_tripwire_renders_afresh_and_stops_on_a_difference() -> None:
    memo = Memo(check_every=2)
    texts = iter(["one", "one", "two"])  # rendered twice (kept), given again twice: the second is checked

    def render() -> str:
        return next(texts)

    for _ in range(3):
        memo.rendering("t", {}, render)
    with pytest.raises(ReuseMismatch):
        memo.rendering("t", {}, render)
    assert memo.checked == 1


def test_without_reuse_everything_is_made_afresh() -> None:
    memo = Memo(reuse=False)
    made = []
    for _ in range(3):
        memo.rendering("t", {}, lambda: made.append(1) or "x")
        memo.kept("k", lambda: made.append(2) or "y")
    assert made == [1, 2, 1, 2, 1, 2]


def test_kept_entries_are_bounded() -> None:
    memo = Memo(sizes=Sizes(kept=2))
    for key in range(5):
        memo.kept(key, lambda: "made")
    assert len(memo._kept) == 2


# --- documents with and without the memo ----------------------------------------------------


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    counter = iter(range(10**6))

    def write(data: dict[str, Any]) -> Path:
        path = tmp_path / f"answers{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


def build_all(paths: list[Path], library: Library, memo: Memo) -> list[list[Output]]:
    built = []
    for index, path in enumerate(paths):
        answers = check_answers(path, library, memo)
        built.append(generate(answers, library, memo=memo, review=index % 3 == 2))
    return built


def same_with_and_without_reuse(paths: list[Path], library: Library) -> Memo:
    memo = Memo(check_every=0)
    reused = build_all(paths, library, memo)
    fresh = build_all(paths, library, Memo(reuse=False))
    for path, with_reuse, without in zip(paths, reused, fresh, strict=True):
        assert [o.name for o in with_reuse] == [o.name for o in without], path
        for one, other in zip(with_reuse, without, strict=True):
            assert one.data == other.data, f"{path.name}: {one.name} differs with reuse"
    return memo


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
    memo = same_with_and_without_reuse([write_yaml(data) for data in _rows()], library)
    assert memo.reused > 100


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


SNEAKY = [
    "{% set p = parties %}{{ p.customer.name }}",
    "{% for k, v in parties.customer|dictsort %}{% if k == 'name' %}{{ v }}{% endif %}{% endfor %}",
    "{{ parties['cust' ~ 'omer'].name }}",
    "{% macro n(x) %}{{ x.name }}{% endmacro %}{{ n(parties.customer) }}",
    "{% include 'en/scope/customer_name.j2' %}",
    "{% from 'en/scope/customer_name.j2' import shown with context %}{{ shown() }}",
    "{{ parties.values()|map(attribute='name')|join(', ') }}",
    "{{ parties.customer.get('name') }}",
]


@pytest.mark.parametrize("body", SNEAKY)
def test_a_clause_reading_the_customer_roundabout_names_each_customer(
    body: str, tmp_path: Path, write_yaml: Callable[[dict[str, Any]], Path]
) -> None:
    root = tmp_path / "library"
    copy_library(root)
    (root / "templates/en/scope/customer_name.j2").write_text(
        "{% macro shown() %}{{ parties.customer.name }}{% endmacro %}{{ parties.customer.name }}", encoding="utf-8"
    )
    purpose_template = root / "templates/en/scope/purpose.md.j2"
    title, rest = purpose_template.read_text(encoding="utf-8").split("\n", 1)
    purpose_template.write_text(f"{title}\n\nCustomer: {body}.\n{rest}", encoding="utf-8")
    library = load_library(root)
    memo = Memo(check_every=0)
    names = ("Alpha GmbH", "Beta AG", "Alpha GmbH", "Gamma KG", "Beta AG")
    for name in names:
        data = example_with(
            EXAMPLES / "telemarketing.yaml",
            {"parties.customer.name": name, "languages": ["en"]},
        )
        (document,) = build_documents(check_answers(write_yaml(data), library, memo), library, ["en"], memo=memo)
        purpose = next(clause for clause in document.clauses() if clause.id == "scope.purpose")
        assert isinstance(purpose.blocks[0], Paragraph)
        shown = plain_text(purpose.blocks[0].runs)
        assert name in shown
        assert not [other for other in names if other != name and other in shown]
    assert memo.reused > 0


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
def test_the_resolved_service_reads_only_the_answers_its_key_names(example: Path, library: Library) -> None:
    answers = load_answers(example, library)
    values = _Recording(answers.values)
    fresh = resolve_service(replace(answers, values=values), library)
    assert values.read <= set(READS)
    assert resolve_service(answers, library) == fresh


# --- an adversarial batch through the command line, forked workers and all ------------------

ADVERSARIAL_NAMES = ["**Gamma** KG", "Delta | Partner", "Epsilon [ref:x]", "Zeta {{ x }}", "Eta Ltd ", "Müller & Söhne"]
ADVERSARIAL_COLUMNS = [
    ("parties.customer.name", ADVERSARIAL_NAMES),
    ("price.monthly_fee", ["18500", "18500.0", "18500.00", "9000"]),
    ("liability.cap_percent", ["125", "125.0", "100"]),
    ("service.tier", ["silver", "gold", "bronze", "silver"]),
    ("agreement.governing_law", ["en-gb", "de", "en-gb"]),
    ("parties.customer.merchant", ["true", "false", "true", "true", "true"]),
    ("agreement.effective_date", ["2027-03-01", "2028-02-29", "2027-03-01"]),
    ("agreement.reference", ["SLA-1", "SLA-2"]),
]


def test_an_adversarial_batch_is_byte_for_byte_the_same_with_and_without_reuse(tmp_path: Path) -> None:
    rows = 60
    table = tmp_path / "rows.csv"
    header = ["name", *(column for column, _ in ADVERSARIAL_COLUMNS)]
    lines = [",".join(header)]
    for row in range(rows):
        cells = [f"row{row:03d}"] + [values[row % len(values)] for _, values in ADVERSARIAL_COLUMNS]
        lines.append(",".join(f'"{cell}"' for cell in cells))
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = {}
    for label, environment in (("reuse", {}), ("fresh", {"SLAGEN_NO_REUSE": "1"})):
        out = tmp_path / label
        command = [sys.executable, "-m", "slagen", "batch", str(table), "--base", str(EXAMPLES / "it-service.yaml")]
        command += ["-o", str(out), "--jobs", "2", "--json"]
        env = {k: v for k, v in os.environ.items() if k != "SLAGEN_NO_REUSE"} | environment
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
        summary = json.loads(result.stdout)
        assert summary["built"] > rows // 2, result.stderr  # most rows build; the others fail alike
        outputs[label] = (summary, {path.name: path.read_bytes() for path in out.iterdir()})
    assert outputs["reuse"][0] == outputs["fresh"][0]
    reused, fresh = outputs["reuse"][1], outputs["fresh"][1]
    assert reused.keys() == fresh.keys()
    assert [name for name in reused if reused[name] != fresh[name]] == []


@pytest.mark.parametrize(
    "source",
    [
        "{{ parties.customer.keys() }}",
        "{{ parties.customer.items()|list }}",
        "{{ parties.customer.values()|list|length }}",
        "{{ parties.customer|reverse|list }}",
        "{{ parties.customer }}",
        "{{ parties.customer.get('name') }} {{ parties.customer.get('nothing', 'n/a') }}",
        "{{ dict(parties.customer) }}",
        "{{ 'name' in parties.customer }} {{ parties.customer == parties.customer }}",
    ],
)
def test_a_tracked_mapping_prints_and_behaves_as_the_dict_it_tracks(source: str) -> None:
    env = make_environment(ROOT / "templates", bytecode_cache=False)
    template = env.from_string(source)
    plain = template.render(NAMES)
    reads = Reads(NAMES)
    token = RECORDING.set(reads)
    try:
        tracked = template.render(NAMES)
    finally:
        RECORDING.reset(token)
    assert tracked == plain
    assert reads.paths()
