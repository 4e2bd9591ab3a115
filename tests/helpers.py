"""What the tests of the service catalogs (``tests/test_catalog_*.py``) share.

Each runs slagen as a user does (``slagen build``, ``slagen check``, ``slagen lint`` through click's runner) on
an example or a variation of it, and asserts what every catalog must hold: higher tiers promise more.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from slagen.catalogs import Catalog
from slagen.cli import main

from .conftest import ROOT, example_with


@dataclass(frozen=True)
class Run:
    """What one command gave: its exit code, standard output and standard error."""

    code: int
    out: str
    err: str


def slagen(*arguments: str) -> Run:
    """Run ``slagen ARGUMENTS…`` as from the command line."""
    result = CliRunner().invoke(main, list(arguments))
    return Run(result.exit_code, result.stdout, result.stderr)


def variation(folder: Path, example: Path, changes: dict[str, Any], name: str = "answers.yaml") -> Path:
    """``example`` with the dotted keys of ``changes`` set (``...`` deletes one), written to ``folder/name``."""
    path = folder / name
    path.write_text(yaml.safe_dump(example_with(example, changes), allow_unicode=True), encoding="utf-8")
    return path


def copy_library(target: Path) -> Path:
    """The shipped library (``clauses/``, ``templates/``, ``tiers/``) copied into ``target``; ``target``."""
    for part in ("clauses", "templates", "tiers"):
        shutil.copytree(ROOT / part, target / part)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file at ``path`` by ``new``; ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def library_copy(folder: Path, catalog: str, changes: tuple[tuple[str, str], ...] = ()) -> Path:
    """The shipped library copied to ``folder/library`` with ``tiers/<catalog>.yaml`` changed: each
    ``(old, new)`` replaces every ``old``, which must be there."""
    root = copy_library(folder / "library")
    path = root / "tiers" / f"{catalog}.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return root


def check(folder: Path, example: Path, changes: dict[str, Any], name: str = "answers.yaml") -> Run:
    """``slagen check`` of a variation of ``example``."""
    return slagen("check", str(variation(folder, example, changes, name)))


def build_markdown(answers: Path, out: Path, *options: str, quiet: bool = False) -> dict[str, str]:
    """``slagen build ANSWERS --format md`` into ``out`` (it must succeed): the Markdown of each language built.

    ``quiet``: without a warning either.
    """
    run = slagen("build", str(answers), "-o", str(out), "--format", "md", *options)
    assert run.code == 0, run.err or run.out
    if quiet:
        assert run.err == ""
    return {
        path.name.split(".")[-2]: path.read_text(encoding="utf-8") for path in sorted(out.glob(f"{answers.stem}.*.md"))
    }


def built_example(example: Path, *, quiet: bool = False) -> Callable[[pytest.TempPathFactory], dict[str, str]]:
    """A module's fixture ``built``: the Markdown of ``example`` in each of its languages, built once."""

    @pytest.fixture(scope="module")
    def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
        return build_markdown(example, tmp_path_factory.mktemp(example.stem), quiet=quiet)

    return built


def assert_higher_tiers_promise_more(catalog: Catalog) -> None:
    """Each tier of ``catalog`` promises more on every KPI than the tier ranked below it."""
    tiers = sorted(catalog.tiers.values(), key=lambda tier: tier.rank)
    for lower, higher in itertools.pairwise(tiers):
        for kpi_id, kpi in catalog.kpis.items():
            assert kpi.better(higher.targets[kpi_id], lower.targets[kpi_id]), (kpi_id, lower.id, higher.id)


def assert_lint_clean() -> None:
    """``slagen lint`` of the bundled library finds nothing."""
    run = slagen("lint")
    assert (run.code, run.out.strip()) == (0, "library ok"), run.out
