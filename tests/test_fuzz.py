"""Property-based tests (hypothesis): whatever people write ends in a document or in a clean error.

Answers files come from the examples with their text answers generated (these must build), from the
library's declarations alone (the rules across answers may refuse them), and as invalid mutations of
those; the example files are mutated as bytes, and a copy of the library has its templates (and
sometimes its other files) mutated. Every case runs ``slagen build`` through click's CliRunner and must
end either in exit code 0 with every file written and readable (each DOCX opened by python-docx, a
sample converted by LibreOffice) or in exit code 2 with an ``error:`` message, no traceback and no file —
never in an exception.

The number of cases comes from the hypothesis profile (tests/conftest.py): ``ci`` by default (bounded
and reproducible), ``pytest tests/test_fuzz.py --hypothesis-profile=long`` for a longer random run.
The count of cases run is reported at the end of the test output.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from slagen.catalogs import Catalog
from slagen.cli import main
from slagen.library import Library, load_library
from slagen.params import Param

from .conftest import EXAMPLES, FUZZ_CASES, ROOT
from .helpers import copy_library

LIBRARY = load_library()
RUNNER = CliRunner()
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


def share(fraction: float) -> settings:
    """The profile's number of examples, scaled for a test whose cases cost more or less."""
    return settings(max_examples=max(1, round(settings.default.max_examples * fraction)))


def build(kind: str, answers: Path, out: Path, *options: str, valid: bool = False) -> int:
    """Run ``slagen build``; check the property (and success for ``valid`` answers); count the case."""
    result = RUNNER.invoke(main, ["build", str(answers), "-o", str(out), "--force", *options], catch_exceptions=True)
    if result.exit_code == 1 and "Aborted!" in result.output:  # Ctrl-C or `timeout -s INT` during a long run:
        raise KeyboardInterrupt  # stop, and let the summary count the cases run (not a flaky failure)
    if valid:
        assert result.exit_code == 0, f"valid answers refused:\n{result.output}\n{answers.read_text(encoding='utf-8')}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"slagen build raised instead of reporting:\n{trace}")
    assert "Traceback" not in result.output
    written = sorted(out.iterdir()) if out.exists() else []
    if result.exit_code == 0:
        assert written, f"exit code 0 but no file written:\n{result.output}"
        for path in written:
            assert not path.name.startswith("."), f"temporary file left: {path.name}"
            if path.suffix == ".docx":
                document = docx.Document(io.BytesIO(path.read_bytes()))
                assert document.paragraphs
            else:
                assert path.read_text(encoding="utf-8").startswith("# ")
        FUZZ_CASES[f"{kind}:built"] += 1
    else:
        assert result.exit_code == 2, f"exit code {result.exit_code}:\n{result.output}"
        assert any(line.startswith("error: ") for line in result.stderr.splitlines()), result.output
        assert written == [], f"files written despite the error: {written}"
        FUZZ_CASES[f"{kind}:refused"] += 1
    return result.exit_code


# --- answers from the declarations ---------------------------------------------------

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def _example_values() -> dict[str, list[Any]]:
    """Every answer the examples give, by key."""
    found: dict[str, list[Any]] = {}
    for path in EXAMPLE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in LIBRARY.params:
            node = data
            for part in key.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if node is not None:
                found.setdefault(key, []).append(node)
    return found


EXAMPLE_VALUES = _example_values()
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(-1e12, 1e12),
    st.sampled_from([float("nan"), float("inf"), float("-inf")]),
    ANY_TEXT,
    st.dates(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=2),
)

REFUSED_IN_TEXT = "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Line separators and bidirectional controls: refused in answers (issue 15), so never part of a valid text."""
TOKENS = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"), exclude_characters=REFUSED_IN_TEXT),
    st.sampled_from(
        [
            " ",
            "{{ 7*7 }}",
            "{% raw %}",
            "{#",
            "**",
            "__",
            "|",
            "<script>",
            "&amp;",
            "[a](ref:scope.term)",
            "# ",
            "- ",
            "1. ",
            "\\",
            "`",
            "e\u0301",
            "👩‍💻",
            "🇩🇪",
            "شركة",
            "\u200f",
            "\u200e",
        ]
    ),
)


def text(param: Param, *, multiline: bool = False) -> st.SearchStrategy[str]:
    """A text within the parameter's bounds (counted after stripping, as the validator counts)."""
    low = int(param.minimum) if param.minimum is not None else 1
    high = int(param.maximum) if param.maximum is not None else 120
    tokens = st.one_of(TOKENS, st.just("\n")) if multiline else TOKENS
    return (
        st.lists(tokens, min_size=low, max_size=max(low, min(high, 40)))
        .map(lambda parts: "".join(parts)[:high])
        .filter(lambda value: low <= len(value.strip()) <= high)
    )


def duration(param: Param) -> st.SearchStrategy[str]:
    seconds = {"min": 60, "h": 3600, "d": 86400, "w": 604800}

    def fits(value: tuple[int, str]) -> bool:
        length = value[0] * seconds[value[1]]
        return (param.minimum is None or length >= param.minimum) and (param.maximum is None or length <= param.maximum)

    pairs = st.tuples(st.integers(1, 500), st.sampled_from(sorted(seconds))).filter(fits)
    return pairs.map(lambda pair: f"{pair[0]}{pair[1]}")


def number(param: Param, *, places: int) -> st.SearchStrategy[Any]:
    # unbounded numbers stay in the range a contract uses (see the report on very long numbers)
    low = param.minimum if param.minimum is not None else Decimal(0)
    high = param.maximum if param.maximum is not None else Decimal(10**6)
    if places == 0:
        return st.integers(int(low), int(high))
    return st.decimals(low, high, places=places, allow_nan=False, allow_infinity=False).map(str)


def kpi_value(unit: str) -> st.SearchStrategy[Any]:
    if unit == "count":
        return st.integers(0, 10**6)
    if unit == "percent":
        return st.one_of(st.integers(0, 100), st.decimals(0, 100, places=2).map(lambda d: f"{d}%"))
    return duration(Param("kpi", "duration"))


def value(param: Param, catalog: Catalog, languages: list[str]) -> st.SearchStrategy[Any]:
    """A valid answer for ``param``."""
    kind = param.type
    if kind == "string":
        return text(param)
    if kind == "text":
        return text(param, multiline=True)
    if kind == "integer":
        return number(param, places=0)
    if kind in ("decimal", "percent"):
        return number(param, places=2)
    if kind == "duration":
        return duration(param)
    if kind == "date":
        return st.dates(dt.date(1950, 1, 1), dt.date(2150, 12, 31))
    if kind == "boolean":
        return st.booleans()
    if kind == "enum":
        return st.sampled_from(param.choices)
    if kind == "list":
        low = int(param.minimum or 0)
        if param.choices:
            high = min(int(param.maximum or len(param.choices)), len(param.choices))
            return st.lists(st.sampled_from(param.choices), min_size=low, max_size=high, unique=True)
        items = text(Param("item", "string", maximum=Decimal(80)))
        return st.lists(items, min_size=low, max_size=int(param.maximum or 4))
    if kind == "records":
        record = st.fixed_dictionaries(
            {name: value(field, catalog, languages) for name, field in param.fields.items() if not field.has_default},
            optional={
                name: value(field, catalog, languages) for name, field in param.fields.items() if field.has_default
            },
        )
        return st.lists(record, min_size=int(param.minimum or 0), max_size=int(param.maximum or 4))
    if kind == "catalog":
        return st.just(catalog.id)
    if kind == "tier":
        return st.sampled_from(sorted(catalog.tiers))
    if kind == "tiers":
        low = max(int(param.minimum or 1), 1)
        high = min(int(param.maximum or len(catalog.tiers)), len(catalog.tiers))
        return st.lists(st.sampled_from(sorted(catalog.tiers)), min_size=low, max_size=high, unique=True)
    if kind == "kpi_values":
        return st.fixed_dictionaries({}, optional={kpi.id: kpi_value(kpi.unit) for kpi in catalog.kpis.values()})
    if kind == "languages":
        return st.just(languages)
    if kind == "localized":
        one = text(param)
        return st.one_of(one, st.fixed_dictionaries({lang: one for lang in languages}))
    # a type without a strategy of its own: a value an example gives for this answer, else anything
    return st.sampled_from(EXAMPLE_VALUES[param.key]) if EXAMPLE_VALUES.get(param.key) else WRONG


def nest(values: dict[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, leaf in values.items():
        *parents, name = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[name] = leaf
    return tree


@st.composite
def declared_answers(draw: st.DrawFn, library: Library = LIBRARY) -> dict[str, Any]:
    """An answers file from the declarations alone: every required answer, some optional ones, each within
    its declaration. The rules across answers (slagen/rules.py) may still refuse it."""
    catalog = library.catalogs[draw(st.sampled_from(sorted(library.catalogs)))]
    languages = draw(st.sampled_from([["de", "en"], ["en", "de"], ["de"], ["en"]]))
    values: dict[str, Any] = {}
    for key, param in library.params.items():
        if key == "slagen" or (param.has_default and not draw(st.booleans())):
            if param.type == "languages":
                languages = list(param.default)
            continue
        model = values.get("agreement.model", library.params["agreement.model"].default)
        if param.type == "kpi_values" and model != "customer-specific":
            continue
        if (param.type == "tiers" or key == "price.tier_fees") and model != "multi-level":
            continue
        if key == "price.tier_fees":  # one fee per offered tier (slagen/rules.py)
            offered = values.get("service.offered_tiers") or []
            values["price.monthly_fee"] = None
            fee = number(Param("fee", "decimal", minimum=Decimal(0), maximum=Decimal(10**6)), places=2)
            values[key] = [{"tier": tier, "monthly_fee": draw(fee)} for tier in offered]
            continue
        values[key] = draw(value(param, catalog, languages))
    if values.get("agreement.kind") == "internal":  # one controller, no court (slagen/rules.py)
        values["data_protection.processing"] = False
        values.pop("agreement.jurisdiction", None)
    elif values.get("data_protection.processing", True):  # the processing agreement is named (rules_privacy.py)
        if values.get("data_protection.agreement") is None:
            values["data_protection.agreement"] = draw(st.sampled_from(["annexed", "minimum_terms"]))
        if values["data_protection.agreement"] == "concluded" and values.get("data_protection.agreement_date") is None:
            values["data_protection.agreement_date"] = values.get("agreement.effective_date")
    if values.get("agreement.model") == "multi-level":
        offered = values.get("service.offered_tiers") or []
        if values.get("service.tier") not in offered:
            values["service.tier"] = draw(st.sampled_from([None, *offered]))
    elif "service.tier" not in values:
        values["service.tier"] = draw(value(library.params["service.tier"], catalog, languages))
    return nest({key: leaf for key, leaf in values.items() if leaf is not None})


TEXT_TYPES = ("string", "text", "localized")


@st.composite
def valid_answers(draw: st.DrawFn, library: Library = LIBRARY) -> dict[str, Any]:
    """An example answers file with its text answers (names, addresses, titles, …) replaced by generated
    text within their declarations: every rule across answers holds as in the example, so it must build."""
    data = yaml.safe_load(draw(st.sampled_from(EXAMPLE_FILES)).read_text(encoding="utf-8"))
    catalog = library.catalogs[data["service"]["catalog"]]
    languages = data.get("languages", library.params["languages"].default)
    for key, param in library.params.items():
        *parents, leaf = key.split(".")
        node = data
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or leaf not in node:
            continue
        if param.type in TEXT_TYPES or (param.type == "list" and not param.choices):
            if draw(st.booleans()):
                node[leaf] = draw(value(param, catalog, languages))
        elif param.type == "records":
            for record in node[leaf]:
                for name, field in param.fields.items():
                    if name in record and field.type in TEXT_TYPES and draw(st.booleans()):
                        record[name] = draw(value(field, catalog, languages))
    return data


def write_yaml(folder: Path, data: Any) -> Path:
    path = folder / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@given(valid_answers())
@share(1.0)
def test_examples_with_generated_text_build_documents(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_yaml(Path(folder), data)
        out = Path(folder) / "out"
        build("examples with generated text", path, out, valid=True)
        languages = data.get("languages", ["de", "en"])
        expected = sorted(f"fuzz.{lang}.{fmt}" for lang in languages for fmt in ("docx", "md"))
        assert sorted(p.name for p in out.iterdir()) == expected


@given(declared_answers())
@share(1.0)
def test_answers_from_the_declarations_end_in_a_document_or_a_clean_error(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        build("answers from the declarations", write_yaml(Path(folder), data), Path(folder) / "out")


# --- invalid answers: mutations of generated ones --------------------------------------


def places(data: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in ``data``."""
    found = []
    if isinstance(data, dict):
        for key, item in data.items():
            found.append((data, key))
            found += places(item)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.append((data, index))
            found += places(item)
    return found


@st.composite
def broken_answers(draw: st.DrawFn) -> Any:
    data: Any = draw(declared_answers())
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "retype", "rename", "add", "hostile", "root"]))
        spots = places(data)
        if kind == "root" or not spots:
            data = draw(st.one_of(WRONG, st.just(data)))
            continue
        container, key = draw(st.sampled_from(spots))
        if kind == "delete":
            del container[key]
        elif kind == "retype":
            container[key] = draw(WRONG)
        elif kind == "hostile":
            container[key] = draw(ANY_TEXT)
        elif kind == "rename" and isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=12))] = container.pop(key)
        elif isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=12))] = draw(WRONG)
        else:
            container.append(draw(WRONG))
    return data


@given(broken_answers())
@share(0.5)
def test_invalid_answers_end_in_a_document_or_a_clean_error(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        build("mutated answers", write_yaml(Path(folder), data), Path(folder) / "out")


# --- the examples, mutated as bytes --------------------------------------------------

YAML_PIECES = [
    b":",
    b": ",
    b"- ",
    b"\n",
    b"\t",
    b"  ",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"!!python/object/apply:os.system ",
    b"!!binary ",
    b"!!set ",
    b"|",
    b">",
    b"'",
    b'"',
    b"{",
    b"}",
    b"[",
    b"]",
    b"#",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"~",
    b"null",
    b"yes",
    b"1e999",
    b".nan",
    b"0x1F",
    b"2027-02-30",
    b"\\u0000",
    b"\x00",
    b"\x07",
    b"\x85",
    b"\xc3",
    b"\xef\xbb\xbf",
    "é".encode(),
    "👩‍💻".encode(),
]


@st.composite
def mutated(draw: st.DrawFn, source: bytes, pieces: list[bytes]) -> bytes:
    """``source`` with one to four insertions, deletions, replacements or duplicated lines."""
    data = bytearray(source)
    insert = st.one_of(st.sampled_from(pieces), st.binary(min_size=1, max_size=3), st.text(max_size=3).map(str.encode))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["insert", "delete", "replace", "line"]))
        if operation == "insert":
            data[at:at] = draw(insert)
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 30))]
        elif operation == "replace":
            data[at : at + 1] = draw(insert)
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = bytes(data[start : end + 1 if end >= 0 else len(data)])
            data[start:start] = line
    return bytes(data)


@given(st.sampled_from(EXAMPLE_FILES).flatmap(lambda path: mutated(path.read_bytes(), YAML_PIECES)))
@share(1.0)
def test_mutated_examples_end_in_a_document_or_a_clean_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(raw)
        build("mutated examples", path, Path(folder) / "out")


# --- the library's templates (and other files), mutated in a copy ----------------------

TEMPLATE_PIECES = [
    piece.encode()
    for piece in [
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "{{ x }}",
        "{% endif %}",
        "{% for l in levels %}",
        "{% endfor %}",
        "{{ range(10**9)|list }}",
        "{{ 'x' * 10**9 }}",
        "{{ ''.__class__ }}",
        "{% include 'de/front.md.j2' %}",
        "{% include '../clauses/front.yaml' %}",
        "{{ ref('scope.term') }}",
        "{{ term('provider') }}",
        "{{ define('provider') }}",
        "(",
        ")",
        "'",
        '"',
        "|",
        ".",
        "~",
        "*",
        "_",
        "[",
        "]",
        "\n",
        "\n\n",
        "## ",
        "# ",
        "- ",
        "  - ",
        "1. ",
        "> ",
        "| a | b |\n|---|---|\n",
        "```",
        "<b>",
        "**",
        "\t",
        "ü",
        "\u202e",
        "\x00",
        "\x0b",
    ]
]
TEMPLATE_FILES = sorted((ROOT / "templates").rglob("*.md.j2"))
OTHER_LIBRARY_FILES = sorted(
    [*(ROOT / "templates").rglob("*.yaml"), *(ROOT / "clauses").rglob("*.yaml"), *(ROOT / "tiers").rglob("*.yaml")]
)
LIBRARY_FILES = TEMPLATE_FILES * 4 + OTHER_LIBRARY_FILES  # templates four times as often as the other files


@given(
    st.sampled_from(LIBRARY_FILES).flatmap(
        lambda path: st.tuples(st.just(path), mutated(path.read_bytes(), TEMPLATE_PIECES))
    ),
    st.sampled_from(EXAMPLE_FILES),
)
@share(0.5)
def test_mutated_library_ends_in_a_document_or_a_clean_error(case: tuple[Path, bytes], example: Path) -> None:
    path, raw = case
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        # every mutated library is new to Jinja: do not leave hundreds of compiled templates in its cache
        patch.setenv("SLAGEN_NO_CACHE", "1")
        library = Path(folder) / "library"
        copy_library(library)
        (library / path.relative_to(ROOT)).write_bytes(raw)
        build("mutated library", example, Path(folder) / "out", "--library", str(library))


# --- a sample of generated documents through a real reader ----------------------------


def test_libreoffice_opens_generated_documents(tmp_path: Path) -> None:
    if not (SOFFICE and PDFTOTEXT):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but LibreOffice (soffice) or pdftotext is missing", pytrace=False)
        pytest.skip("LibreOffice (soffice) or poppler's pdftotext is not installed")
    documents: list[Path] = []

    @given(valid_answers())
    @settings(max_examples=5)
    def generate(data: dict[str, Any]) -> None:
        folder = tmp_path / f"case{len(documents)}"
        folder.mkdir()
        build("examples with generated text", write_yaml(folder, data), folder / "out", "--format", "docx", valid=True)
        for path in sorted((folder / "out").glob("*.docx")):
            documents.append(Path(shutil.copy(path, tmp_path / f"{len(documents)}-{path.name}")))

    generate()
    assert len(documents) >= 5
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         *map(str, documents)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    headings = {"de": "Gegenstand und Zweck", "en": "Subject matter and purpose"}
    for document in documents:
        pdf = document.with_suffix(".pdf")
        assert pdf.exists(), f"LibreOffice did not convert {document.name}"
        shown = subprocess.run([PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        language = document.name.split(".")[-2]
        assert headings[language] in shown, document.name
        FUZZ_CASES["libreoffice:opened"] += 1
