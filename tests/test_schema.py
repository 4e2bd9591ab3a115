"""The JSON Schema of the answers file: valid for every example, and a wrong file fails."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from slagen.cli import main
from slagen.library import Library
from slagen.schema import answers_schema

from .conftest import DEMO, EXAMPLES


def as_editor_sees_it(path: Path) -> Any:
    """The answers as a YAML language server checks them: dates are strings."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def validator(library: Library) -> jsonschema.Draft202012Validator:
    schema = answers_schema(library)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_is_valid(validator: jsonschema.Draft202012Validator, example: Path) -> None:
    assert [error.message for error in validator.iter_errors(as_editor_sees_it(example))] == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["service"].update(tier="platinum"), "'platinum' is not one of"),
        (lambda d: d["agreement"]["term"].update(months=0), "0 is less than the minimum of 1"),
        (lambda d: d["agreement"].update(titel="x"), "Additional properties are not allowed ('titel' was unexpected)"),
        (lambda d: d["agreement"].pop("reference"), "'reference' is a required property"),
        (lambda d: d["escalation"]["levels"].append({"role": "boss", "reaction": "4h"}), "'boss' is not one of"),
        (lambda d: d["escalation"]["levels"].append({"role": "management", "reaction": "soon"}), "does not match"),
        (lambda d: d["agreement"].update(effective_date="1.1.27"), "is not valid under any of the given schemas"),
        (lambda d: d["service"].update(overrides={"speed": 3}), "'speed' is not one of"),
        (lambda d: d["service"].pop("tier"), "'tier' is a required property"),
        (lambda d: d["service"].update(offered_tiers=["basic", "basic"]), "has non-unique elements"),
        (lambda d: d["service"].update(offered_tiers=["basic", "gold"]), "'gold' is not one of ['basic', 'premium'"),
    ],
)
def test_a_wrong_file_fails(validator: jsonschema.Draft202012Validator, change: Any, expected: str) -> None:
    data = as_editor_sees_it(DEMO)
    change(data)
    messages = [error.message for error in validator.iter_errors(data)]
    assert any(expected in message for message in messages), messages


def test_schema_carries_descriptions_defaults_and_bounds(library: Library) -> None:
    schema = answers_schema(library)
    months = schema["properties"]["agreement"]["properties"]["term"]["properties"]["months"]
    assert months == {
        "type": "integer",
        "minimum": 1,
        "maximum": 60,
        "description": "Initial term in months.",
        "default": 12,
    }
    assert schema["required"][:1] == ["agreement"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_command_writes_the_file(tmp_path: Path, library: Library) -> None:
    target = tmp_path / "answers.schema.json"
    result = CliRunner().invoke(main, ["schema", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == answers_schema(library)
    again = CliRunner().invoke(main, ["schema", "-o", str(target)])
    assert again.exit_code == 2


def test_a_multi_level_agreement_needs_no_chosen_tier(validator: jsonschema.Draft202012Validator) -> None:
    data = as_editor_sees_it(EXAMPLES / "it-service-multi-level.yaml")
    del data["service"]["tier"]
    assert [error.message for error in validator.iter_errors(data)] == []
