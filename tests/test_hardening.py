"""Hardening (issue 7): hostile and runaway templates, includes and symbolic links, odd answers in
both written outputs, large and hostile answers files through the command line, a library that
``build`` never writes to, and docs/errors.md quoting real messages.

What the unit tests already cover is not repeated here: YAML details (tests/test_yamlsource.py),
typing and bounds (tests/test_params.py, tests/test_answers.py), atomic writes with injected
failures (tests/test_output.py). Here the same cases are seen from the command line: exit code 2,
one ``error:`` line per problem, no traceback, no file written.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import shutil
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from slagen import limits
from slagen.answers import load_answers
from slagen.cli import main
from slagen.errors import TemplateError
from slagen.generate import build_documents
from slagen.library import load_library
from slagen.writers.markdown import write_markdown

from .conftest import DEMO, ROOT
from .docx_dump import dump_docx
from .helpers import copy_library

CLAUSE = "templates/de/legal/final.md.j2"
PREFIX = f"{CLAUSE}:3: clause 'legal.final' (de): "


@pytest.fixture(autouse=True)
def _keep_the_bundled_library_cached() -> Iterator[None]:
    # load_library keeps the last 8 libraries; these tests load many copies, so the bundled one is
    # used again after each test and stays the one object every other test module sees
    yield
    load_library()


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    return copy_library(tmp_path / "library")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def render_de(root: Path) -> str:
    """Build the demo with the library at ``root`` and give the German Markdown."""
    library = load_library(root)
    (document,) = build_documents(load_answers(DEMO, library), library, ["de"])
    return write_markdown(document)


def template_problem(root: Path, template: str) -> str:
    """The one problem reported when legal.final (de) is ``template``; fails if it takes 5 s or more."""
    (root / CLAUSE).write_text(template, encoding="utf-8")
    started = time.process_time()
    with pytest.raises(TemplateError) as caught:
        render_de(root)
    elapsed = time.process_time() - started
    assert elapsed < 5, f"took {elapsed:.1f} s"
    (problem,) = caught.value.problems
    return str(problem)


# --- the sandbox holds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ labels.update({'x': 1}) }}", "access to attribute 'update' of 'dict' object is unsafe."),
        ("{{ levels.append(1) }}", "'tuple object' has no attribute 'append'"),  # shared: frozen all the way down
        ("{{ cycler.__init__.__globals__ }}", "access to attribute '__init__' of 'type' object is unsafe."),
        ("{{ self.__dict__ }}", "access to attribute '__dict__' of 'TemplateReference' object is unsafe."),
        ("{{ '{0.__class__}'.format(1) }}", "access to attribute '__class__' of 'int' object is unsafe."),
        ("{{ open('/etc/passwd').read() }}", "'open' is undefined"),
        ("{{ lipsum(10**6) }}", "'lipsum' is undefined"),
        ("{% import 'os' as os %}", "no template 'os' in the library's templates directory"),
        ("{% include '/etc/passwd' %}", "no template '/etc/passwd' in the library's templates directory"),
        (
            "{% include 'de/../../clauses/front.yaml' %}",
            "template name 'de/../../clauses/front.yaml' is not allowed "
            "(a path inside the library's templates directory, without '..')",
        ),
        (
            "{% from '../tiers/telemarketing.yaml' import x %}",
            "template name '../tiers/telemarketing.yaml' is not allowed "
            "(a path inside the library's templates directory, without '..')",
        ),
        (
            "{% include 'de/a\\x00b' %}",
            "template name 'de/a\\x00b' is not allowed (a path inside the library's templates directory, without '..')",
        ),
    ],
)
def test_sandbox_refuses_with_clause_language_and_line(library_copy: Path, body: str, message: str) -> None:
    assert template_problem(library_copy, f"## Titel\n\n{body}\n") == PREFIX + message


# --- runaway templates --------------------------------------------------------------

TOO_MANY_STEPS = (
    "the template takes more than 100,000 steps (loop iterations, calls, includes); does a loop or a macro run away?"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "{% for i in range(10**9) %}x{% endfor %}",
            "range(1,000,000,000) is too long for a template (at most 10,000 numbers)",
        ),
        ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", TOO_MANY_STEPS),
        ("{% for c in 'x' * 400000 %}{% for d in 'y' * 400000 %}{% endfor %}{% endfor %}", TOO_MANY_STEPS),
        (
            "{% macro f(n) %}{% if n < 60 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}{{ f(0) }}",
            TOO_MANY_STEPS,
        ),
        (
            "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
            "recursion too deep: does a macro or an include call itself without end?",
        ),
        (
            "{% include 'de/legal/final.md.j2' %}",
            "recursion too deep: does a macro or an include call itself without end?",
        ),
        ("{{ 'x' * 10**9 }}", "the template would build a value of 1,000,000,000 characters (at most 1,000,000)"),
        ("{{ (range(10)|list) * 10**6 }}", "the template would build a value of 10,000,000 items (at most 1,000,000)"),
        ("{{ 10**(10**10) }}", "a power of more than 1,000 digits is too large for a template"),
        ("{{ (10**500) * (10**600) }}", "a product of more than 1,000 digits is too large for a template"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "the template would build a value of 1,048,576 characters (at most 1,000,000)",
        ),
        (
            "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
            "the template would build a value of 1,048,576 items (at most 1,000,000)",
        ),
        (
            "{{ 'x'|center(10**9) }}",
            "a width or count of 1,000,000,000 is too large for a template (at most 1,000,000)",
        ),
        ("{{ 'x'.ljust(10**9) }}", "a width or count of 1,000,000,000 is too large for a template (at most 1,000,000)"),
        (
            "{{ 'x'|batch(10**9)|list }}",
            "a width or count of 1,000,000,000 is too large for a template (at most 1,000,000)",
        ),
        (
            "{{ '{:>1000000000}'.format('x') }}",
            "a format width of 1000000000 is too large for a template (at most 1,000,000)",
        ),
        (
            "{{ '{:{}}'.format('x', 10**9) }}",
            "a width or count of 1,000,000,000 is too large for a template (at most 1,000,000)",
        ),
        ("{{ '%1000000000s' % 'x' }}", "a format width of 1000000000 is too large for a template (at most 1,000,000)"),
        (
            "{{ '%*s'|format(10**9, 'x') }}",
            "a width or count of 1,000,000,000 is too large for a template (at most 1,000,000)",
        ),
        (
            "{{ ('x' * 1000)|replace('x', 'y' * 10000) }}",
            "the template would build a value of 10,000,000 characters (at most 1,000,000)",
        ),
        (
            "{{ ('x' * 1000).replace('x', 'y' * 10000) }}",
            "the template would build a value of 10,000,000 characters (at most 1,000,000)",
        ),
        (
            "{{ range(10000)|join('x' * 1000) }}",
            "the template would build a value of 10,037,890 characters (at most 1,000,000)",
        ),
        (
            "{{ ('x' * 1000).join(range(10000)|map('string')) }}",
            "the template would build a value of 10,037,890 characters (at most 1,000,000)",
        ),
        (
            "{{ ('a\\n' * 100000)|indent(100) }}",
            "the template would build a value of 10,200,100 characters (at most 1,000,000)",
        ),
        (
            "{{ ('x ' * 400000)|wordwrap(1, wrapstring='y' * 10) }}",
            "the template would build a value of 8,800,010 characters (at most 1,000,000)",
        ),
        (
            "{{ ('x\\t' * 1000).expandtabs(10000) }}",
            "the template would build a value of 10,002,000 characters (at most 1,000,000)",
        ),
    ],
)
def test_runaway_template_stops_fast_with_a_clear_error(library_copy: Path, body: str, message: str) -> None:
    assert template_problem(library_copy, f"## Titel\n\n{body}\n") == PREFIX + message


def test_slow_template_stops_at_the_time_limit(library_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # within every count, but about 10 s of work: stopped at the (lowered) time limit
    monkeypatch.setattr(limits, "MAX_SECONDS", 0.5)
    body = "{% set s = 'x ' * 400000 %}{% for i in range(10000) %}{{ s|wordcount }}{% endfor %}"
    assert template_problem(library_copy, f"## Titel\n\n{body}\n") == (
        PREFIX + "the template takes longer than 0.5 seconds to render"
    )


def test_steps_are_counted_per_clause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # every clause starts with a full budget: the demo takes more steps in all than one clause may
    counted = []
    step = limits.step
    monkeypatch.setattr(limits, "step", lambda: counted.append(1) or step())
    monkeypatch.setattr(limits, "MAX_STEPS", 60)
    for name in ("a", "b"):
        copy_library(tmp_path / name)
    render_de(tmp_path / "a")
    assert len(counted) > 60
    body = "{% for i in range(61) %}{% endfor %}"
    assert template_problem(tmp_path / "b", f"## Titel\n\n{body}\n") == PREFIX + TOO_MANY_STEPS.replace("100,000", "60")


def test_ordinary_templates_are_not_limited(library_copy: Path) -> None:
    shared = library_copy / "templates" / "de" / "shared"
    shared.mkdir()
    (shared / "greeting.md.j2").write_text("Hallo {{ parties.customer.name }}.\n", encoding="utf-8")
    (shared / "macros.md.j2").write_text("{% macro twice(x) %}{{ x }} {{ x }}{% endmacro %}\n", encoding="utf-8")
    (library_copy / CLAUSE).write_text(
        "## Titel\n\n"
        "{% include 'de/shared/greeting.md.j2' %}\n\n"
        "{% import 'de/shared/macros.md.j2' as m %}Makro: {{ m.twice('ok') }}.\n\n"
        "{% for i in range(10000) %}{% endfor %}"
        "Zahlen: {{ range(3)|join(', ') }}; {{ 'ab' * 3 }}; {{ 2 ** 10 }}; {{ '%5s|' % 'ab' }}; "
        "{{ 'x'|center(5) }}|; {{ ('a' ~ 'b')|replace('b', 'c') }}.\n",
        encoding="utf-8",
    )
    text = render_de(library_copy)
    assert "Hallo Nordlicht Solartechnik GmbH." in text
    assert "Makro: ok ok." in text
    assert "Zahlen: 0, 1, 2; ababab; 1024;    ab\\|;   x  \\|; ac." in text


# --- compiling and includes -----------------------------------------------------------


def test_error_in_an_included_template_names_both(library_copy: Path) -> None:
    shared = library_copy / "templates" / "de" / "shared"
    shared.mkdir()
    (shared / "broken.md.j2").write_text("Hallo\n{{ nobody.name }}\n", encoding="utf-8")
    problem = template_problem(library_copy, "## Titel\n\n{% include 'de/shared/broken.md.j2' %}\n")
    assert problem == PREFIX + "'nobody' is undefined (in de/shared/broken.md.j2, line 2)"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "## Tüte\n".encode("latin-1"),
            "not UTF-8 text (byte 0xfc at offset 4); save the file as UTF-8",
        ),
        (("## T\n\n{{ " + "(" * 500 + "1" + ")" * 500 + " }}\n").encode(), "nested too deeply to compile"),
    ],
    ids=["latin-1", "nested"],
)
def test_template_that_cannot_compile(library_copy: Path, raw: bytes, message: str) -> None:
    (library_copy / CLAUSE).write_bytes(raw)
    with pytest.raises(TemplateError) as caught:
        render_de(library_copy)
    assert [str(p) for p in caught.value.problems] == [f"{CLAUSE}: clause 'legal.final' (de): {message}"]


def test_control_character_in_a_template_is_an_error_not_a_broken_document(library_copy: Path) -> None:
    assert template_problem(library_copy, "## Titel\n\nText\n\nmit \x1f Steuerzeichen\n") == (
        f"{CLAUSE}:5: clause 'legal.final' (de): contains the control character U+001F, which a document cannot hold"
    )


def test_control_character_from_an_included_template(library_copy: Path) -> None:
    (library_copy / "templates" / "de" / "bell.md.j2").write_text("Glocke \x07\n", encoding="utf-8")
    assert template_problem(library_copy, "## Titel\n\n{% include 'de/bell.md.j2' %}\n") == (
        f"{CLAUSE}: clause 'legal.final' (de): contains the control character U+0007, which a document cannot "
        "hold (from an included template, a label or the catalog)"
    )


# --- symbolic links -----------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md.j2").write_text("## Geheim\n\nGEHEIMNIS\n", encoding="utf-8")
    return folder


def test_include_through_a_symlinked_directory_is_refused(library_copy: Path, outside: Path) -> None:
    (library_copy / "templates" / "de" / "shared").symlink_to(outside, target_is_directory=True)
    problem = template_problem(library_copy, "## Titel\n\n{% include 'de/shared/secret.md.j2' %}\n")
    assert problem == PREFIX + (
        "template 'de/shared/secret.md.j2' leads outside the library's templates directory (a symbolic link?)"
    )


def test_include_of_a_symlink_to_a_system_file_is_refused(library_copy: Path) -> None:
    (library_copy / "templates" / "de" / "passwd.md.j2").symlink_to("/etc/passwd")
    problem = template_problem(library_copy, "## Titel\n\n{% include 'de/passwd.md.j2' %}\n")
    assert problem == PREFIX + (
        "template 'de/passwd.md.j2' leads outside the library's templates directory (a symbolic link?)"
    )


def test_clause_template_that_is_a_symlink_out_of_the_library_is_refused(library_copy: Path, outside: Path) -> None:
    clause = library_copy / CLAUSE
    clause.unlink()
    clause.symlink_to(outside / "secret.md.j2")
    with pytest.raises(TemplateError) as caught:
        render_de(library_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"{CLAUSE}: clause 'legal.final' (de): template 'de/legal/final.md.j2' leads outside the library's "
        "templates directory (a symbolic link?)"
    ]


def test_symlinks_within_the_library_keep_working(library_copy: Path) -> None:
    shared = library_copy / "templates" / "de" / "shared"
    shared.mkdir()
    (shared / "greeting.md.j2").write_text("Hallo aus dem Bausteinordner.\n", encoding="utf-8")
    (library_copy / "templates" / "de" / "alias.md.j2").symlink_to(Path("shared") / "greeting.md.j2")
    (library_copy / CLAUSE).write_text("## Titel\n\n{% include 'de/alias.md.j2' %}\n", encoding="utf-8")
    assert "Hallo aus dem Bausteinordner." in render_de(library_copy)


def test_a_symlinked_templates_directory_is_the_boundary(tmp_path: Path, library_copy: Path) -> None:
    # templates/ kept elsewhere (a shared checkout): its files are inside, nothing beyond it is
    shared = tmp_path / "shared-templates"
    shutil.move(library_copy / "templates", shared)
    (library_copy / "templates").symlink_to(shared, target_is_directory=True)
    (shared / "de" / "snippet.md.j2").write_text("Aus dem geteilten Ordner.\n", encoding="utf-8")
    (shared / "de" / "legal" / "final.md.j2").write_text(
        "## Titel\n\n{% include 'de/snippet.md.j2' %}\n", encoding="utf-8"
    )
    assert "Aus dem geteilten Ordner." in render_de(library_copy)


# --- build never writes into the library ----------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry under ``root``: mtime, size and content hash (directories: mtime only)."""
    entries = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        entries[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size if digest else 0, digest)
    return entries


def test_build_never_writes_into_the_library(runner: CliRunner, library_copy: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers" / "telemarketing.yaml"
    answers.parent.mkdir()
    shutil.copy(DEMO, answers)
    before = snapshot(library_copy)
    assert len(before) > 30
    time.sleep(0.01)  # a write now would show as a newer mtime
    for command in (
        ["build", str(answers), "-o", str(tmp_path / "out"), "--library", str(library_copy)],
        ["build", str(answers), "-o", str(tmp_path / "out"), "--library", str(library_copy), "--force"],
        ["check", str(answers), "--library", str(library_copy)],
    ):
        result = runner.invoke(main, command)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "telemarketing.de.docx",
        "telemarketing.de.md",
        "telemarketing.en.docx",
        "telemarketing.en.md",
    ]
    assert snapshot(library_copy) == before


def test_build_does_not_write_beside_the_answers_file(runner: CliRunner, tmp_path: Path) -> None:
    # the output goes where -o says; the answers file's directory is not touched either
    answers = tmp_path / "in" / "telemarketing.yaml"
    answers.parent.mkdir()
    shutil.copy(DEMO, answers)
    before = snapshot(answers.parent)
    result = runner.invoke(main, ["build", str(answers), "-o", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert snapshot(answers.parent) == before


def test_parallel_batch_workers_never_write_the_same_file(runner: CliRunner, tmp_path: Path) -> None:
    # names that collide, differ only in case or accents, try to leave the directory, or are empty
    names = ["Acme", "ACME", "acme-2", "../../evil", "", "Ätna GmbH", "Atna GmbH", "acme"]
    table = tmp_path / "table.csv"
    lines = ["name,parties.customer.name"] + [f'"{name}",Kunde {i} GmbH' for i, name in enumerate(names)]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "deep" / "out"
    result = runner.invoke(
        main,
        ["batch", str(table), "--base", str(DEMO), "-o", str(out), "--jobs", "2", "--lang", "de", "--format", "md"],
    )
    assert result.exit_code == 0, result.output
    written = sorted(out.iterdir())
    assert len(written) == len(names)  # one file per row: none overwrote another
    assert sorted(p.name for p in tmp_path.rglob("*.md")) == sorted(p.name for p in written)  # none elsewhere
    customers = sorted(re.search(r"Kunde \d+ GmbH", p.read_text(encoding="utf-8")).group() for p in written)  # type: ignore[union-attr]
    assert customers == sorted(f"Kunde {i} GmbH" for i in range(len(names)))


# --- what a user types ends up in both outputs, literally ------------------------------


def build_both(runner: CliRunner, tmp_path: Path, changes: dict[str, object]) -> tuple[Result, Path]:
    """Build the demo answers with ``changes`` (dotted keys) into tmp_path/out (both languages and formats)."""
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[leaf] = value
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10**9), encoding="utf-8")
    out = tmp_path / "out"
    return runner.invoke(main, ["build", str(path), "-o", str(out), "--force"]), out


def outputs_text(out: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of every written file: Markdown as its rendered text, DOCX as python-docx reads it."""
    for path in sorted(out.iterdir()):
        if path.suffix == ".md":
            yield path.name, markdown_text(path.read_text(encoding="utf-8"))
        else:
            yield path.name, dump_docx(path.read_bytes())


def markdown_text(markdown: str) -> str:
    """What a Markdown reader shows: rendered to HTML (CommonMark with tables), tags removed."""
    page = MarkdownIt("commonmark").enable("table").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


UNICODE = {
    "arabic (right to left)": "شركة النور للطاقة الشمسية ذ.م.م",
    "hebrew with digits": "חברת שמש 2027 בע״מ",
    "emoji": "Sonnen☀️ & Raketen🚀 GmbH 👩‍💻 🇩🇪 👍🏽",
    "combining characters": "Zoe\u0308 Ange\u0301lique Tr\u0332ust",
    "cjk": "東京太陽光株式会社",
    "mixed direction": "Nordlicht (شركة) GmbH – פרויקט 7",
}


@pytest.mark.parametrize("text", UNICODE.values(), ids=UNICODE.keys())
def test_unicode_text_arrives_unchanged_in_both_outputs(runner: CliRunner, tmp_path: Path, text: str) -> None:
    result, out = build_both(
        runner,
        tmp_path,
        {
            "parties.customer.name": text,
            "parties.customer.represented_by": text,
            "parties.customer.function": {"de": text, "en": text},
            "parties.customer.address": [text, "20457 Hamburg"],
        },
    )
    assert result.exit_code == 0, result.output
    written = dict(outputs_text(out))
    assert len(written) == 4
    for name, shown in written.items():
        assert shown.count(text) >= 4, name  # parties (name, address, signatory, function) and signatures


INJECTION = "**Evil** | {{ 7*7 }} {% raw %}x{% endraw %} <script>alert(1)</script> [a](ref:scope.term) _u_ `c` # A&B"


def test_markup_in_answers_appears_literally_in_both_outputs(runner: CliRunner, tmp_path: Path) -> None:
    result, out = build_both(
        runner,
        tmp_path,
        {"parties.customer.name": INJECTION, "parties.customer.address": [INJECTION, "| a | b |"]},
    )
    assert result.exit_code == 0, result.output
    for name, shown in outputs_text(out):
        assert shown.count(INJECTION) >= 2, name
        assert "| a | b |" in shown
        assert "49" not in shown
    for language in ("de", "en"):
        markdown = (out / f"answers.{language}.md").read_text(encoding="utf-8")
        page = MarkdownIt("commonmark").enable("table").render(markdown)
        assert "<script>" not in page
        assert "<strong>Evil</strong>" not in page
        assert "<a " not in page
        # every table keeps its columns (the signature table too): each row has as many cells as its header
        tables = re.findall(r"<table>(.*?)</table>", page, flags=re.DOTALL)
        assert tables
        for table in tables:
            rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.DOTALL)
            assert len({len(re.findall(r"<t[hd]>", row)) for row in rows}) == 1
        if language == "de":  # the binding version is signed (the English one is a convenience translation)
            signature = re.findall(r"<tr>(.*?)</tr>", tables[-1], flags=re.DOTALL)
            assert {len(re.findall(r"<t[hd]>", row)) for row in signature} == {2}  # one column per party
            assert INJECTION in tables[-1] or html.escape(INJECTION) in tables[-1]


def test_escape_filters_escape_for_the_clause_markup(library_copy: Path, tmp_path: Path) -> None:
    # Jinja's |e escapes for HTML and marks the result safe: an answer's ** or [..](ref:..) would get through
    clause = library_copy / "templates" / "en" / "legal" / "law.md.j2"
    clause.write_text(
        clause.read_text(encoding="utf-8")
        + "\nName: {{ parties.customer.name|e }} / {{ parties.customer.name|escape }}.\n",
        encoding="utf-8",
    )
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    data["parties"]["customer"]["name"] = "**Bold** [a](ref:scope.term) <b>"
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    library = load_library(library_copy)
    (document,) = build_documents(load_answers(answers, library), library, ["en"])
    text = write_markdown(document)
    assert "Name: \\*\\*Bold\\*\\* \\[a\\](ref:scope.term) \\<b\\> / \\*\\*Bold\\*\\*" in text


@pytest.mark.parametrize("name", ["tojson", "urlize", "xmlattr"])
def test_filters_that_write_html_are_not_available(library_copy: Path, name: str) -> None:
    problem = template_problem(library_copy, f"## Titel\n\n{{{{ parties|{name} }}}}\n")
    assert problem == PREFIX + f"No filter named '{name}'."


def test_long_text_without_a_bound_gives_a_working_document(runner: CliRunner, tmp_path: Path) -> None:
    long = (
        "Felix " * 16_665 + "Hansen"
    )  # 99,996 characters: represented_by declares no maximum, answers.MAX_TEXT is 100,000
    started = time.process_time()
    result, out = build_both(runner, tmp_path, {"parties.customer.represented_by": long})
    assert result.exit_code == 0, result.output
    assert time.process_time() - started < 20
    for name, shown in outputs_text(out):
        assert long in " ".join(shown.split()), name


def test_long_name_is_refused_without_repeating_it(runner: CliRunner, tmp_path: Path) -> None:
    result, out = build_both(runner, tmp_path, {"parties.customer.name": "N" * 100_000})
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.endswith(f"parties.customer.name: '{'N' * 57}...' is too long (at most 200 characters)")
    assert not out.exists()


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        ("parties.customer.name", "Nord\x00licht", "parties.customer.name: contains the control character U+0000"),
        ("parties.customer.name", "Nord\x1blicht", "parties.customer.name: contains the control character U+001B"),
        ("parties.customer.address", ["Hafen\x0cstraße 3"], "parties.customer.address.0: contains the control"),
        ("parties.customer.function", {"de": "Chef\ufffe", "en": "Boss"}, "parties.customer.function.de: contains"),
        ("escalation.levels", [{"role": "management", "reaction": "2d\x01"}], "escalation.levels.0.reaction: "),
    ],
)
def test_control_characters_stop_the_build_naming_the_field(
    runner: CliRunner, tmp_path: Path, key: str, value: object, where: str
) -> None:
    result, out = build_both(runner, tmp_path, {key: value})
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    assert where in line
    assert not out.exists()


# --- large and hostile answers files ---------------------------------------------------


def test_five_megabytes_of_comments_build_in_reasonable_time(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(DEMO.read_text(encoding="utf-8") + ("# " + "x" * 97 + "\n") * 52_000, encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    started = time.process_time()
    result = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert time.process_time() - started < 10


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "escalation:\n  levels:\n" + "    - {role: management, reaction: 2d}\n" * 20_000,
            "escalation.levels: takes at most 5 entries, got 20000",
        ),
        ("padding: [" + "1, " * 200_000 + "1]\n", "too many values (more than 200,000; an alias bomb?)"),
    ],
    ids=["records", "plain"],
)
def test_long_lists_are_refused_in_reasonable_time(runner: CliRunner, tmp_path: Path, extra: str, message: str) -> None:
    text = DEMO.read_text(encoding="utf-8").split("escalation:")[0] + extra
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.process_time()
    result = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "out")])
    assert time.process_time() - started < 10
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith(message)
    assert not (tmp_path / "out").exists()


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_through_the_command_line_is_refused_fast_with_bounded_memory(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    assert path.stat().st_size < 1000
    runner.invoke(main, ["check", str(DEMO)])  # the library is loaded before the clock starts
    started = time.process_time()  # CPU time: a busy CI machine does not make it flaky
    result = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "out")])
    elapsed = time.process_time() - started
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: too many values (more than 200,000; an alias bomb?)\n"
    assert elapsed < 1, f"{elapsed:.2f} s"
    assert not (tmp_path / "out").exists()
    tracemalloc.start()  # memory in a second run: tracing slows allocation several times
    try:
        again = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "out")])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert again.exit_code == 2
    assert peak < 100 * 2**20, f"peak {peak / 2**20:.0f} MiB"


# --- docs/errors.md quotes what slagen really says ---------------------------------------


def _answers(edit: Callable[[str], str]) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        (folder / "my-sla.yaml").write_bytes(edit(DEMO.read_text(encoding="utf-8")).encode("utf-8"))
        return ["build", "my-sla.yaml", "-o", "out"]

    return setup


def _raw(data: bytes) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        (folder / "my-sla.yaml").write_bytes(data)
        return ["build", "my-sla.yaml", "-o", "out"]

    return setup


def _template(body: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        copy_library(folder / "library")
        (folder / "library" / CLAUSE).write_text(f"## Gerichtsstand\n\n{body}\n", encoding="utf-8")
        shutil.copy(DEMO, folder / "my-sla.yaml")
        return ["build", "my-sla.yaml", "-o", "out", "--library", "library"]

    return setup


def _record(text: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        copy_library(folder / "library")
        (folder / "library" / "clauses" / "legal" / "jurisdiction.yaml").write_text(text, encoding="utf-8")
        shutil.copy(DEMO, folder / "my-sla.yaml")
        return ["build", "my-sla.yaml", "-o", "out", "--library", "library"]

    return setup


def _library_edit(name: str, old: str, new: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        copy_library(folder / "library")
        path = folder / "library" / name
        path.write_text(_replace(old, new)(path.read_text(encoding="utf-8")), encoding="utf-8")
        shutil.copy(DEMO, folder / "my-sla.yaml")
        return ["build", "my-sla.yaml", "-o", "out", "--library", "library"]

    return setup


def _existing(folder: Path) -> list[str]:
    shutil.copy(DEMO, folder / "my-sla.yaml")
    (folder / "out").mkdir()
    (folder / "out" / "my-sla.de.docx").write_bytes(b"signed version")
    return ["build", "my-sla.yaml", "-o", "out", "--lang", "de", "--format", "docx"]


def _output_is_a_file(folder: Path) -> list[str]:
    shutil.copy(DEMO, folder / "my-sla.yaml")
    (folder / "out").write_bytes(b"")
    return ["build", "my-sla.yaml", "-o", "out/contracts"]


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


ERROR_EXAMPLES: dict[str, Callable[[Path], list[str]]] = {
    "yaml syntax": _answers(_replace("  tier: professional ", "  tier: professional: gold ")),
    "tab": _answers(_replace("  tier: professional ", "\ttier: professional ")),
    "indented more": _answers(_replace("    represented_by: Jana", "     represented_by: Jana")),
    "one line out": _answers(_replace("  tier: professional ", "tier: professional ")),
    "not utf-8": _raw(b"slagen: 1\nagreement:\n  title: Gr\xfc\xdfe\n"),
    "empty": _raw(b""),
    "unknown key": _answers(_replace("  reference: SLA", "  referenz: SLA")),
    "wrong type": _answers(_replace("    months: 12 ", "    months: twelve ")),
    "bound": _answers(_replace("    notice_months: 3", "    notice_months: 0")),
    "date": _answers(_replace("effective_date: 2027-01-01", "effective_date: 1.1.27")),
    "duplicate key": _answers(_replace("    notice_months: 3", "    notice_months: 3\n    notice_months: 6")),
    "python tag": _answers(_replace("  tier: professional ", "  tier: !!python/object/apply:os.system [id] ")),
    "control character": _answers(_replace("name: Nordlicht Solartechnik GmbH", 'name: "Nordlicht\\a GmbH"')),
    "alias bomb": _raw(billion_laughs().encode()),
    "deep nesting": _raw(b"a: " + b"[" * 60 + b"]" * 60 + b"\n"),
    "unknown tier": _answers(_replace("  tier: professional ", "  tier: profesional ")),
    "missing": _answers(_replace("    represented_by: Dr. Felix Hansen\n", "")),
    "file not found": lambda folder: ["build", "my-sla.yaml", "-o", "out"],
    "library record": _record("id: legal.jurisdiction\nversion: one\nsection: legal\n"),
    "library condition": _library_edit(
        "clauses/services/description_it.yaml", "'systems' in catalog.kinds", "service.catalgo == 'it-service'"
    ),
    "template error": _template("Gerichtsstand ist {{ agreement.juristiction }}."),
    "template syntax": _template("{% if agreement.jurisdiction %}Gerichtsstand ist {{ agreement.jurisdiction }}."),
    "sandbox": _template("{{ agreement.__class__.__mro__ }}"),
    "include outside": _template("{% include '../../clauses/front.yaml' %}"),
    "runaway": _template("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"),
    "printed too long": _template("{{ [('x' * 1000000)] * 1000000 }}"),
    "reserved answer name": _library_edit(
        "clauses/legal/jurisdiction.yaml",
        "params:\n",
        "params:\n  range.regions:\n    type: string\n    required: false\n",
    ),
    "output exists": _existing,
    "output is a file": _output_is_a_file,
}


@pytest.fixture(scope="module")
def errors_md() -> str:
    return (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setup", ERROR_EXAMPLES.values(), ids=ERROR_EXAMPLES.keys())
def test_errors_md_quotes_real_messages(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors_md: str,
    setup: Callable[[Path], list[str]],
) -> None:
    monkeypatch.chdir(tmp_path)
    arguments = setup(tmp_path)
    before = {p for p in tmp_path.rglob("*") if "library" not in p.parts}
    result = runner.invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines
    assert all(line.startswith("error: ") for line in lines)
    assert lines[0] in errors_md, f"docs/errors.md does not quote:\n{lines[0]}"
    assert {p for p in tmp_path.rglob("*") if "library" not in p.parts} == before  # nothing written


def test_errors_md_quotes_the_unwritable_directory_message(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors_md: str
) -> None:
    # root ignores permissions (CI runs as root), so the refusal is injected where files are created
    from .test_output import refuse_temporaries

    monkeypatch.chdir(tmp_path)
    shutil.copy(DEMO, tmp_path / "my-sla.yaml")
    refuse_temporaries(monkeypatch)
    result = runner.invoke(main, ["build", "my-sla.yaml", "-o", "out"])
    assert result.exit_code == 2
    assert result.stderr == "error: out/my-sla.de.docx: cannot write (Permission denied)\n"
    assert result.stderr.strip() in errors_md
    assert list((tmp_path / "out").iterdir()) == []


def test_a_failed_write_leaves_no_partial_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the disk fills up while the second of four files is written: no file appears, no temporary is left
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("slagen.output.os.fsync", failing_fsync)
    result = runner.invoke(main, ["build", str(DEMO), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.endswith("cannot write (No space left on device)\n")
    assert list((tmp_path / "out").iterdir()) == []


def test_docx_of_odd_answers_is_read_back_by_python_docx(runner: CliRunner, tmp_path: Path) -> None:
    text = "".join(UNICODE.values())[:190]
    result, out = build_both(runner, tmp_path, {"parties.customer.name": text})
    assert result.exit_code == 0, result.output
    for path in out.glob("*.docx"):
        document = docx.Document(io.BytesIO(path.read_bytes()))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        assert text in cells + [p.text for p in document.paragraphs]  # a translation has no signature table
