"""The languages are the library's: a library with German only, or with a third language, loads and works."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from slagen.answers import validate_answers
from slagen.cli import main
from slagen.errors import InputError, LibraryError
from slagen.generate import generate
from slagen.interview import default_language, run_interview
from slagen.library import Library, library_languages, load_library
from slagen.lint import lint_library
from slagen.schema import answers_schema
from slagen.yamlsource import parse_yaml

from .conftest import ROOT
from .helpers import copy_library

DEMO = ROOT / "examples" / "telemarketing.yaml"


def rewrite_catalogs(root: Path, change: Any) -> None:
    """Apply ``change`` to the wording (``text``) of every catalog and of each of its KPIs."""
    for path in sorted((root / "tiers").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data["text"])
        for kpi in data["kpis"].values():
            change(kpi["text"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rewrite_reviews(root: Path, change: Any) -> None:
    """Apply ``change`` to each per-language review note (``review: {law: {language: note}}``) of every clause."""
    for path in sorted((root / "clauses").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("review"), dict):
            continue
        for notes in data["review"].values():
            change(notes)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def in_german_only(node: Any) -> Any:
    """Answers for one language: ``languages: [de]`` and each per-language text reduced to its German."""
    if isinstance(node, dict):
        if set(node) == {"de", "en"}:
            return node["de"]
        return {k: ["de"] if k == "languages" else in_german_only(v) for k, v in node.items()}
    if isinstance(node, list):
        return [in_german_only(item) for item in node]
    return node


def answers_text(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled library reduced to German: no templates/en, no English wording of catalogs, KPIs, review notes."""
    root = copy_library(tmp_path_factory.mktemp("german"))
    shutil.rmtree(root / "templates" / "en")
    rewrite_catalogs(root, lambda text: text.pop("en"))
    rewrite_reviews(root, lambda notes: notes.pop("en"))
    edit(root / "clauses/front.yaml", "default: [de, en]", "default: [de]")
    return root


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled library with a third language: the English wording (templates, catalogs, review notes) as fr."""
    root = copy_library(tmp_path_factory.mktemp("french"))
    shutil.copytree(root / "templates" / "en", root / "templates" / "fr")
    edit(root / "templates/fr/labels.yaml", "locale: en_GB", "locale: fr_FR")
    for lang, name in (("de", "französische"), ("en", "French"), ("fr", "French")):  # "the French version"
        edit(root / f"templates/{lang}/labels.yaml", "\nlanguage_names:", f"\nlanguage_names:\n  fr: {name}")
    rewrite_catalogs(root, lambda text: text.setdefault("fr", dict(text["en"])))
    rewrite_reviews(root, lambda notes: notes.setdefault("fr", notes["en"]))
    return root


def test_the_bundled_library_writes_german_and_english(library: Library) -> None:
    assert library.languages == ("de", "en")
    assert library_languages(ROOT) == ("de", "en")
    assert [library.locale(lang) for lang in library.languages] == ["de_DE", "en_GB"]


def test_a_directory_without_labels_is_no_language(tmp_path: Path) -> None:
    root = copy_library(tmp_path)
    (root / "templates" / "drafts").mkdir()
    (root / "templates" / "drafts" / "notes.md").write_text("not a language\n", encoding="utf-8")
    assert library_languages(root) == ("de", "en")


def test_a_german_only_library_loads_and_builds_a_german_contract(german: Path, library: Library) -> None:
    reduced = load_library(german)
    assert reduced.languages == ("de",)
    assert set(reduced.labels) == {"de"}
    data = in_german_only(yaml.safe_load(DEMO.read_text(encoding="utf-8")))
    answers = validate_answers(parse_yaml(answers_text(data), "demo.yaml"), reduced)
    outputs = generate(answers, reduced, formats=["md"])
    assert [o.name for o in outputs] == ["demo.de.md"]
    # The German contract is the one the full library writes from the same answers.
    full = generate(validate_answers(parse_yaml(answers_text(data), "demo.yaml"), library), library, formats=["md"])
    assert outputs[0].data == full[0].data
    assert "Service Level Agreement Telefonakquise" in outputs[0].data.decode("utf-8")


def test_a_german_only_library_refuses_english_answers(german: Path) -> None:
    reduced = load_library(german)
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))  # languages: [de, en], titles in both
    with pytest.raises(InputError) as caught:
        validate_answers(parse_yaml(answers_text(data), "demo.yaml"), reduced)
    messages = [f"{p.key}: {p.message}" for p in caught.value.problems]
    assert "languages.1: unknown language 'en' (slagen writes: de)" in messages
    assert "agreement.title.en: unknown language 'en' (slagen writes: de)" in messages


def test_a_german_only_library_has_german_in_its_schema_and_interview(german: Path) -> None:
    reduced = load_library(german)
    schema = answers_schema(reduced)
    assert schema["properties"]["languages"]["items"] == {"enum": ["de"]}
    title = schema["properties"]["agreement"]["properties"]["title"]["anyOf"][1]
    assert list(title["properties"]) == ["de"]
    assert default_language({"LANG": "en_GB.UTF-8"}, reduced.languages) == "de"
    result = CliRunner().invoke(main, ["lint", "--library", str(german)])
    assert result.exit_code == 0, result.output


def test_a_language_default_the_library_lacks_is_a_library_error(tmp_path: Path) -> None:
    root = copy_library(tmp_path)
    shutil.rmtree(root / "templates" / "en")
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    messages = {f"{p.file}: {p.key}: {p.message}" for p in caught.value.problems}
    assert "clauses/front.yaml: params.languages: default does not fit: unknown language 'en' (slagen writes: de)" in (
        messages
    )


def test_a_third_language_loads_and_lint_accepts_it(french: Path) -> None:
    extended = load_library(french)
    assert extended.languages == ("de", "en", "fr")
    assert extended.locale("fr") == "fr_FR"
    assert lint_library(french) == []
    result = CliRunner().invoke(main, ["lint", "--library", str(french)])
    assert result.exit_code == 0, result.output
    assert answers_schema(extended)["properties"]["languages"]["items"] == {"enum": ["de", "en", "fr"]}


def test_a_third_language_writes_a_contract_with_its_locale(french: Path) -> None:
    extended = load_library(french)
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    data["languages"] = ["fr"]
    data["agreement"]["title"] = "Service Level Agreement"
    data["agreement"]["main_contract"]["title"] = "Contrat-cadre de services de télémarketing"
    for party in ("provider", "customer"):
        data["parties"][party]["function"] = {"fr": "Gérant"}
    answers = validate_answers(parse_yaml(answers_text(data), "demo.yaml"), extended)
    [output] = generate(answers, extended, languages=["fr"], formats=["md"])
    text = output.data.decode("utf-8")
    assert "1 janvier 2027" in text  # Babel's French date, from the labels' locale
    assert "Gérant" in text


def test_a_missing_catalog_wording_names_the_language(tmp_path: Path) -> None:
    root = copy_library(tmp_path)
    shutil.copytree(root / "templates" / "en", root / "templates" / "fr")
    edit(root / "templates/fr/labels.yaml", "locale: en_GB", "locale: fr_FR")
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    keys = {p.key for p in caught.value.problems}
    assert "text.fr" in keys
    assert "kpis.calls_per_agent_day.text.fr" in keys


def test_the_interview_asks_only_in_a_language_of_the_library(german: Path) -> None:
    def ask(_question: object) -> str:
        raise AssertionError("no question before the language is known to the library")

    with pytest.raises(InputError) as caught:
        run_interview(load_library(german), ask, lang="en")
    assert [p.message for p in caught.value.problems] == ["the library asks in de, not in 'en'"]
