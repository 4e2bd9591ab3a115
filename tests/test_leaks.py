"""No customer's values in another customer's contract: the two leaks the code review reproduced.

The review (``reviews/code-review.md``, 2.2) put one customer's text into another's contract in two
ways while renderings were reused under keys inferred from the templates' source:

1. an answer group named like a Jinja global (``range``) was left out of the key, so rows of a batch
   with different ``range.regions`` got the third row's regions;
2. a template edited while a process ran: the key was read from the new source while the old compiled
   template rendered, so a later contract named an earlier customer.

Both are reproduced here as the review did them. Reuse now keys a rendering by what the compiled
template was recorded reading while it rendered, so both are impossible by construction; the
library also refuses answer names that collide with what templates see of slagen's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from slagen import library as library_module
from slagen.errors import LibraryError
from slagen.generate import generate, validate
from slagen.library import load_library
from slagen.memo import Memo
from slagen.yamlsource import load_yaml

from .conftest import EXAMPLES
from .helpers import copy_library

REGIONS = ["Bavaria", "Hamburg", "Saxony", "Berlin", "Hesse", "Bremen"]
CUSTOMERS = ["Alpha GmbH", "Beta AG", "Gamma KG", "Delta SE"]


def with_regions(root: Path, group: str) -> Path:
    """The review's library: ``<group>.regions`` declared by the purpose clause, which prints it."""
    record = root / "clauses" / "scope" / "purpose.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data["params"][f"{group}.regions"] = {"type": "string", "required": False}
    record.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for lang in ("de", "en"):
        template = root / "templates" / lang / "scope" / "purpose.md.j2"
        template.write_text(
            template.read_text(encoding="utf-8")
            + f"\n{{% if {group}.regions %}}Regions covered: {{{{ {group}.regions }}}}.{{% endif %}}\n",
            encoding="utf-8",
        )
    return root


def english_markdown(answers_data: dict[str, object], root: Path, library: object, memo: Memo) -> str:
    path = root / "answers.yaml"
    path.write_text(yaml.safe_dump(answers_data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    answers = validate(load_yaml(path), library, memo)  # type: ignore[arg-type]
    (output,) = generate(answers, library, memo=memo, languages=["en"], formats=["md"])  # type: ignore[arg-type]
    return output.data.decode("utf-8")


def test_an_answer_named_like_a_template_global_is_refused_when_the_library_loads(tmp_path: Path) -> None:
    root = with_regions(copy_library(tmp_path / "lib_range"), "range")
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    (problem,) = caught.value.problems
    assert problem.file == "clauses/scope/purpose.yaml"
    assert problem.key == "params.range.regions"
    assert problem.line is not None
    assert "may not be named 'range'" in problem.message


@pytest.mark.parametrize("group", ["range", "dict", "lipsum", "cycler", "joiner"])  # namespace: the KPI annex calls it
def test_leak_1_rows_named_like_a_global_each_get_their_own_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group: str
) -> None:
    # the refusal above is one guard; with it lifted, reuse must still never mix rows up
    monkeypatch.setattr(library_module, "RESERVED_NAMES", frozenset())
    root = with_regions(copy_library(tmp_path / "lib"), group)
    library = load_library(root)
    memo = Memo(check_every=0)  # no tripwire: the key alone must be right
    base = yaml.safe_load((EXAMPLES / "telemarketing.yaml").read_text(encoding="utf-8"))
    seen = []
    for region in REGIONS:
        data = {**base, group: {"regions": region}}
        text = english_markdown(data, tmp_path, library, memo)
        assert f"Regions covered: {region}." in text  # the answer shadows the global in the template
        seen.append(text)
    fresh = [english_markdown({**base, group: {"regions": r}}, tmp_path, library, Memo(reuse=False)) for r in REGIONS]
    assert seen == fresh
    assert memo.reused > 0  # the other clauses were given again: reuse was on


def test_leak_2_a_template_edited_while_a_process_runs_never_names_another_customer(tmp_path: Path) -> None:
    root = copy_library(tmp_path / "lib")
    template = root / "templates" / "en" / "scope" / "purpose.md.j2"
    original = template.read_text(encoding="utf-8")
    template.write_text(original + "\nPrepared for {{ parties.customer.name }}.\n", encoding="utf-8")
    library = load_library(root)
    memo = Memo(check_every=0)
    base = yaml.safe_load((EXAMPLES / "telemarketing.yaml").read_text(encoding="utf-8"))

    def contract(customer: str) -> str:
        data = {**base, "parties": {**base["parties"], "customer": {**base["parties"]["customer"], "name": customer}}}
        return english_markdown(data, tmp_path, library, memo)

    first = contract(CUSTOMERS[0])
    assert f"Prepared for {CUSTOMERS[0]}." in first
    template.write_text(original + "\nPrepared for the customer.\n", encoding="utf-8")  # edited meanwhile
    for customer in CUSTOMERS[1:]:
        text = contract(customer)
        others = [name for name in CUSTOMERS if name != customer]
        assert not any(f"Prepared for {name}." in text for name in others), customer
        # the process keeps the template it compiled: the stale wording, but this customer's name
        assert f"Prepared for {customer}." in text
