"""docs/catalogs.md followed literally, and a fifth catalog of a kind none of the shipped ones is.

The walkthrough's commands are the ``sh`` blocks of the page, its files the ``yaml`` blocks that start
with ``# file: NAME``; they run in order in an empty directory and end with a built contract. The fifth
catalog is a YAML file alone, in a copy of the library: build, lint, interview and schema take it
with no change to slagen/, clauses/ or templates/.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from slagen.answers import validate_answers
from slagen.cli import main
from slagen.interview import run_interview
from slagen.library import load_library
from slagen.schema import answers_schema
from slagen.yamlsource import parse_yaml

from .conftest import ROOT
from .helpers import copy_library
from .test_interview import GERMAN, Script

PAGE = ROOT / "docs" / "catalogs.md"
BLOCK = re.compile(r"^```(sh|yaml)\n(.*?)^```", re.S | re.M)


def walkthrough() -> list[tuple[str, str]]:
    """The steps of the walkthrough: ``("sh", command)`` and ``("yaml", text)``, in the page's order."""
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("## Walkthrough") : text.index("## What each error means")]
    steps: list[tuple[str, str]] = []
    for kind, body in BLOCK.findall(section):
        if kind == "sh":
            steps += [("sh", line) for line in body.splitlines() if line.strip()]
        else:
            steps.append(("yaml", body))
    return steps


def slagen(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments))
    return result.exit_code, result.stdout, result.stderr


def test_the_walkthrough_has_commands_and_a_file() -> None:
    steps = walkthrough()
    commands = [step for kind, step in steps if kind == "sh"]
    assert commands[0] == "slagen library init our-library"
    assert commands[-1].startswith("slagen build facility-sla.yaml")
    assert [kind for kind, _ in steps].count("yaml") == 1


def test_the_walkthrough_ends_with_a_built_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLAGEN_LIBRARY", raising=False)
    outputs = {}
    for kind, step in walkthrough():
        if kind == "yaml":
            name = step.splitlines()[0].removeprefix("# file: ").strip()
            (tmp_path / name).write_text(step, encoding="utf-8")
            continue
        words = shlex.split(step)
        assert words[0] == "slagen"
        code, stdout, stderr = slagen(*words[1:])
        assert code == 0, f"{step}\n{stdout}{stderr}"
        outputs[step] = stdout
    assert outputs["slagen lint --library our-library"].strip() == "library ok"
    show = outputs["slagen tiers show standard --catalog facility --library our-library"]
    assert "Work items completed in time (on_time_rate)" in show
    assert "≥ 95%" in show
    compare = outputs["slagen tiers compare basic standard premium --catalog facility --library our-library --lang de"]
    assert "≥ 98\xa0%" in compare
    assert "≤ 1 Tag" in compare
    plus = (tmp_path / "our-library" / "tiers" / "facility" / "plus.yaml").read_text(encoding="utf-8")
    assert "rank: 4" in plus
    assert "on_time_rate: 98%" in plus
    for name in ("facility-sla.de.docx", "facility-sla.en.docx", "facility-sla.de.md", "facility-sla.en.md"):
        assert (tmp_path / "out" / name).is_file()
    english = (tmp_path / "out" / "facility-sla.en.md").read_text(encoding="utf-8")
    assert "The Gebäudedienste Rhein GmbH performs" not in english  # the parties are the defined terms
    assert "The Provider performs for the Customer the services described in this agreement" in english
    assert "| Work items completed in time | at least 98% within 1 day | per calendar month |" in english
    german = (tmp_path / "out" / "facility-sla.de.md").read_text(encoding="utf-8")
    assert "Fristgerecht erledigte Vorgänge" in german
    assert "Telefon" not in german


def test_without_a_library_of_ones_own_the_scaffolds_refuse(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLAGEN_LIBRARY", raising=False)
    for arguments in (("catalog", "new", "x", "--kind", "deliveries"), ("tiers", "new", "x", "--from", "gold")):
        code, _, stderr = slagen(*arguments)
        assert code == 2
        assert "no library named to write into: make a library of your own with `slagen library init DIR`" in stderr
    code, _, stderr = slagen("tiers", "new", "x", "--from", "gold", "--library", str(ROOT))
    assert code == 2
    assert "is slagen's own library, which is not written into" in stderr
    assert not list(tmp_path.iterdir())


def test_library_init_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, stderr = slagen("library", "init", str(tmp_path / "lib"))
    assert code == 2
    assert "exists and is not empty" in stderr


def test_catalog_new_names_the_catalog_to_start_from_for_a_kind_with_clauses_of_its_own(tmp_path: Path) -> None:
    assert slagen("library", "init", str(tmp_path / "lib"))[0] == 0
    code, _, stderr = slagen("catalog", "new", "desk", "--kind", "tickets", "--library", str(tmp_path / "lib"))
    assert code == 2
    assert "the clauses for tickets read KPIs and tier terms of their own: start from one with --from (it-service)" in (
        stderr
    )
    code, _, stderr = slagen(
        "catalog", "new", "desk", "--kind", "tickets", "--from", "it-service", "--library", str(tmp_path / "lib")
    )
    assert code == 0, stderr
    assert slagen("lint", "--library", str(tmp_path / "lib")) == (0, "library ok\n", "")


FIFTH = """\
catalog: fleet
kinds: [deliveries]
remedies: [escalation]
text:
  de:
    name: Fahrzeugbereitstellung
    description: Der {provider} stellt dem {customer} Poolfahrzeuge an den vereinbarten Standorten bereit.
  en:
    name: fleet provision
    description: The {provider} provides pool vehicles to the {customer} at the agreed locations.
kpis:
  vehicles_on_time:
    unit: percent
    direction: at_least
    measure: {kind: reported, period: calendar_month, clock: calendar}
    text:
      de: {name: Pünktlich bereitgestellte Fahrzeuge, period: je Kalendermonat,
           formula: pünktliche Bereitstellungen geteilt durch alle Bereitstellungen mal 100, source: Buchungssystem}
      en: {name: Vehicles provided on time, period: per calendar month,
           formula: provisions on time divided by all provisions times 100, source: booking system}
tiers:
  city: {name: City, rank: 1, targets: {vehicles_on_time: 95%}}
  region: {name: Region, rank: 2, targets: {vehicles_on_time: 98%}}
"""


@pytest.fixture
def fifth(tmp_path: Path) -> Path:
    """A copy of the library with one catalog more, from its YAML alone."""
    copy_library(tmp_path / "library")
    (tmp_path / "library" / "tiers" / "fleet.yaml").write_text(FIFTH, encoding="utf-8")
    return tmp_path / "library"


def test_a_fifth_catalog_lints_builds_interviews_and_schemas_from_yaml_alone(fifth: Path, tmp_path: Path) -> None:
    assert slagen("lint", "--library", str(fifth)) == (0, "library ok\n", "")
    page = (ROOT / "docs" / "catalogs.md").read_text(encoding="utf-8")
    answers = page[page.index("# file: facility-sla.yaml") : page.index("```", page.index("# file: facility-sla"))]
    answers = answers.replace("catalog: facility", "catalog: fleet").replace("tier: plus", "tier: region")
    (tmp_path / "fleet.yaml").write_text(answers, encoding="utf-8")
    code, _stdout, stderr = slagen("build", str(tmp_path / "fleet.yaml"), "--library", str(fifth), "-o", str(tmp_path))
    assert code == 0, stderr
    english = (tmp_path / "fleet.en.md").read_text(encoding="utf-8")
    assert "The Provider provides pool vehicles to the Customer at the agreed locations." in english
    assert "| Vehicles provided on time | at least 98% | per calendar month |" in english
    library = load_library(fifth)
    schema = json.dumps(answers_schema(library))
    assert '"fleet"' in schema
    assert '"region"' in schema
    script = Script({**GERMAN, "service.catalog": "fleet", "service.tier": "region"})
    text = run_interview(library, script, lang="de")
    values = validate_answers(parse_yaml(text.encode("utf-8"), "answers.yaml"), library).values
    assert values["service.catalog"] == "fleet"
    assert values["service.tier"] == "region"
