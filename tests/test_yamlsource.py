"""Unit tests for slagen.yamlsource: safe YAML parsing with the line of every key."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from slagen.errors import InputError, Problem
from slagen.yamlsource import MAX_DEPTH, MAX_NODES, YamlSource, _Builder, load_yaml, parse_yaml


def only_problem(exc: pytest.ExceptionInfo[InputError]) -> Problem:
    problems = exc.value.problems
    assert len(problems) == 1, problems
    return problems[0]


NESTED = b"""\
service:
  name: Hotline
  hours:
    start: 08:00
    end: '18:00'
contacts:
  - name: Ada
    email: ada@example.com
  - name: Bob

    email: bob@example.com
languages:
  - de
  - en
"""


# --- data and key lines -------------------------------------------------------------


def test_nested_data_is_plain_python() -> None:
    source = parse_yaml(NESTED, "answers.yaml")
    assert source.path == "answers.yaml"
    assert source.data == {
        "service": {"name": "Hotline", "hours": {"start": "08:00", "end": "18:00"}},
        "contacts": [{"name": "Ada", "email": "ada@example.com"}, {"name": "Bob", "email": "bob@example.com"}],
        "languages": ["de", "en"],
    }


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        ((), 1),
        (("service",), 1),
        (("service", "name"), 2),
        (("service", "hours"), 3),
        (("service", "hours", "start"), 4),
        (("service", "hours", "end"), 5),
        (("contacts",), 6),
        (("contacts", "0", "name"), 7),
        (("contacts", "0", "email"), 8),
        (("contacts", "1", "name"), 9),
        (("contacts", "1", "email"), 11),  # after a blank line
        (("languages",), 12),
    ],
)
def test_lines_of_nested_keys_and_list_items(keys: tuple[str, ...], line: int) -> None:
    source = parse_yaml(NESTED, "answers.yaml")
    assert source.lines[keys] == line
    assert source.line_of(keys) == line


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        # keys that were never written fall back to the nearest parent with a line
        (("service", "hours", "start", "deeper"), 4),
        (("service", "missing"), 1),
        (("contacts", "1", "phone"), 6),  # item 1 has no line of its own: the list's key line
        (("contacts", "0"), 6),
        (("languages", "1"), 12),  # scalar list items have no line of their own
        (("nothing", "here"), 1),  # root line
    ],
)
def test_line_of_falls_back_to_nearest_parent(keys: tuple[str, ...], line: int) -> None:
    assert parse_yaml(NESTED, "answers.yaml").line_of(keys) == line


def test_list_item_keys_have_string_indices() -> None:
    source = parse_yaml(b"- a\n- b: 1\n  c: 2\n- - x: 3\n", "list.yaml")
    assert source.data == ["a", {"b": 1, "c": 2}, [{"x": 3}]]
    assert source.lines == {(): 1, ("1", "b"): 2, ("1", "c"): 3, ("2", "0", "x"): 4}


def test_root_line_is_first_content_line() -> None:
    source = parse_yaml(b"# comment\n\n\nkey: value\n", "a.yaml")
    assert source.lines[()] == 4
    assert source.line_of(("key",)) == 4
    assert source.line_of(("other",)) == 4


@pytest.mark.parametrize(
    ("lines", "keys", "expected"),
    [
        ({}, ("a",), None),
        ({}, (), None),
        ({(): 3}, (), 3),
        ({(): 3}, ("a", "b"), 3),
        ({("a",): 5}, ("a", "b", "c"), 5),
        ({("a",): 5, ("a", "b"): 7}, ("a", "b", "c"), 7),
        ({("a", "b"): 7}, ("a",), None),  # a child's line is never used for the parent
    ],
)
def test_line_of_on_handmade_source(
    lines: dict[tuple[str, ...], int], keys: tuple[str, ...], expected: int | None
) -> None:
    assert YamlSource("x.yaml", None, lines).line_of(keys) == expected


def test_merge_keys_are_resolved() -> None:
    source = parse_yaml(b"base: &b {k: 1, m: 2}\nchild:\n  <<: *b\n  j: 3\n", "m.yaml")
    assert source.data == {"base": {"k": 1, "m": 2}, "child": {"k": 1, "m": 2, "j": 3}}
    assert source.line_of(("child", "j")) == 4


def test_merge_key_values_can_be_overridden() -> None:
    source = parse_yaml(b"base: &b {k: 1}\nchild:\n  <<: *b\n  k: 2\n", "m.yaml")
    assert source.data == {"base": {"k": 1}, "child": {"k": 2}}


def test_simple_aliases_expand() -> None:
    source = parse_yaml(b"a: &x [1, 2]\nb: *x\n", "a.yaml")
    assert source.data == {"a": [1, 2], "b": [1, 2]}
    assert source.line_of(("b",)) == 2


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (b"v: 2027-01-01\n", dt.date(2027, 1, 1)),
        (b"v: 2027-01-01T10:30:00\n", dt.datetime(2027, 1, 1, 10, 30)),
        (b"v: 99.9\n", 99.9),
        (b"v: 42\n", 42),
        (b"v: true\n", True),
        (b"v: ~\n", None),
        (b"v: '2027-13-01'\n", "2027-13-01"),  # quoted: a string, not a date
        (b"v: !!str 3\n", "3"),
        (b'v: "caf\\u00e9"\n', "café"),
    ],
)
def test_plain_scalar_types(text: bytes, value: object) -> None:
    data = parse_yaml(text, "a.yaml").data
    assert data == {"v": value}
    assert type(data["v"]) is type(value)


@pytest.mark.parametrize(("text", "key"), [(b"1: a\n", "1"), (b"1.5: a\n", "1.5"), (b"name: a\n", "name")])
def test_scalar_keys_become_strings(text: bytes, key: str) -> None:
    assert parse_yaml(text, "a.yaml").data == {key: "a"}


@pytest.mark.parametrize("text", [b"~: a\n", b"[1, 2]: a\n", b"{a: 1}: b\n", b"? [a]\n: 1\n"])
def test_keys_must_be_plain_words(text: bytes) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "a.yaml")
    problem = only_problem(exc)
    assert problem.message == "a key must be a plain word"
    assert problem.file == "a.yaml"
    assert problem.line == 1


# --- duplicate keys -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "first", "second"),
    [
        (b"a: 1\nb: 2\na: 3\n", "a", 1, 3),
        (b"top:\n  x: 1\n\n  y: 2\n  x: 3\n", "top.x", 2, 5),
        (b"items:\n  - n: 1\n    n: 2\n", "items.0.n", 2, 3),
        (b"1: a\n'1': b\n", "1", 1, 2),  # the same key once a string, once a number
        (b"{a: 1, a: 2}\n", "a", 1, 1),
    ],
)
def test_duplicate_keys_are_rejected_naming_both_lines(text: bytes, key: str, first: int, second: int) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "dup.yaml")
    problem = only_problem(exc)
    assert problem.message == f"duplicate key (first given on line {first})"
    assert problem.line == second
    assert problem.key == key
    assert problem.file == "dup.yaml"
    assert str(exc.value) == f"dup.yaml:{second}: {key}: duplicate key (first given on line {first})"


# --- tags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        b"a: !!python/object:os.system x\n",
        b"a: !!python/name:os.system\n",
        b"a: !!python/module:os\n",
        b"a: !!python/str x\n",
        b"a: !!python/int 3\n",
        b"a: !!python/bool true\n",
        b"a: !!python/none ''\n",
        b"a: !custom value\n",
        b"a: !<tag:example.com,2024:x> value\n",
    ],
)
def test_python_and_unknown_tags_on_scalars_are_refused(text: bytes) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "tags.yaml")
    problem = only_problem(exc)
    assert problem.message.startswith("tag ")
    assert problem.message.endswith("is not allowed (only plain YAML values are read)")
    assert problem.key == "a"
    assert problem.line == 1


def test_refused_tag_names_the_full_tag() -> None:
    with pytest.raises(InputError, match=r"tag tag:yaml\.org,2002:python/name:os\.system is not allowed"):
        parse_yaml(b"x: 1\nnested:\n  a: !!python/name:os.system\n", "t.yaml")


@pytest.mark.parametrize(
    ("text", "key", "tag"),
    [
        (b"a: !!python/object:os.system {}\n", "a", "tag:yaml.org,2002:python/object:os.system"),
        (b"a: !!python/object/apply:os.system [ls]\n", "a", "tag:yaml.org,2002:python/object/apply:os.system"),
        (b"a: !!python/object/new:os.system [ls]\n", "a", "tag:yaml.org,2002:python/object/new:os.system"),
        (b"a: !!python/tuple [1, 2]\n", "a", "tag:yaml.org,2002:python/tuple"),
        (b"!!python/object:os.system\nk: v\n", None, "tag:yaml.org,2002:python/object:os.system"),
        (b"x:\n  - !custom {k: 1}\n", "x.0", "!custom"),
    ],
)
def test_python_and_unknown_tags_on_collections_are_refused(text: bytes, key: str | None, tag: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "tags.yaml")
    problem = only_problem(exc)
    assert problem.message == f"tag {tag} is not allowed (only plain YAML values are read)"
    assert problem.key == key


# --- syntax errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "what"),
    [
        (b"a: [1, 2\n", 2, 1, "did not find expected ',' or ']'"),
        (b"ok: 1\na: 'unterminated\n", 3, 1, "found unexpected end of stream"),
        (b'key: "\\q"\n', 1, 7, "found unknown escape character"),
        (b"a: 1\n---\nb: 2\n", 2, 1, "but found another document"),
    ],
)
def test_syntax_errors_report_line_and_column(text: bytes, line: int, column: int, what: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "bad.yaml")
    problem = only_problem(exc)
    assert problem.file == "bad.yaml"
    assert problem.line == line
    assert problem.message.startswith(f"YAML syntax error, column {column}: ")
    assert what in problem.message
    assert str(exc.value).startswith(f"bad.yaml:{line}: YAML syntax error, column {column}:")


@pytest.mark.parametrize(
    "text", [b"a:\n\tb: 1\n", b"a: 1\n\tb: 2\n", b"list:\n\t- x\n", b"a:\n  b: 1\n \tc: 2\n  d: 3\n"]
)
def test_a_tab_in_the_indentation_is_named_as_a_tab(text: bytes) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "tabs.yaml")
    problem = only_problem(exc)
    assert problem.message == (
        "YAML syntax error: a tab is used for indentation; YAML indents with spaces only: replace the tab by spaces"
    )
    assert problem.line == text.count(b"\n", 0, text.index(b"\t")) + 1


ANSWERS = """\
agreement:
  reference: SLA-1
  term:
    months: 12
parties:
  customer:
    name: Muster GmbH
    address: [Hauptstraße 1, 20457 Hamburg]
    represented_by: Anna Schmidt
service:
  catalog: telemarketing
  tier: professional   # a comment
  activities:
    - Termine vereinbaren
"""


def _broken(line: int, new: str) -> bytes:
    lines = ANSWERS.splitlines(keepends=True)
    lines[line - 1] = new + "\n"
    return "".join(lines).encode()


@pytest.mark.parametrize(
    ("line", "new", "at", "message"),
    [
        (
            9,
            "     represented_by: Anna Schmidt",
            9,
            "the key 'represented_by' is indented more than the key 'address' on line 8, which has a value of "
            "its own: check the indentation of both lines",
        ),
        (
            12,
            "tier: professional",
            12,
            "the key 'tier' is indented less than the lines around it (lines 11 and 13): indent it like them if "
            "it belongs with them",
        ),
        (
            9,
            "   represented_by: Anna Schmidt",
            9,
            "the key 'represented_by' is indented less than the line before it but lines up with no key above it: "
            "indent it exactly like the keys it belongs with",
        ),
        (
            12,
            "  tier:professional",
            12,
            "'tier:professional' needs a space after the colon: write 'tier: professional'",
        ),
        (
            12,
            "  tier: professional: gold",
            12,
            "the value of 'tier' contains ': ', which YAML reads as a key; quote the value: tier: \"professional: gold\"",
        ),
    ],
    ids=["indented-more", "one-line-out", "lines-up-with-nothing", "no-space", "colon-in-value"],
)
def test_indentation_and_colon_mistakes_are_named_in_plain_words_at_their_line(
    line: int, new: str, at: int, message: str
) -> None:
    assert parse_yaml(ANSWERS.encode(), "ok.yaml").data is not None
    with pytest.raises(InputError) as exc:
        parse_yaml(_broken(line, new), "answers.yaml")
    problem = only_problem(exc)
    assert (problem.line, problem.message) == (at, f"YAML syntax error: {message}")


def test_a_mistake_with_no_plain_explanation_keeps_the_parsers_words() -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(b"a: b: c\n", "bad.yaml")  # on the first line: PyYAML's own position is right
    assert only_problem(exc).message.startswith("YAML syntax error")
    with pytest.raises(InputError) as exc:
        parse_yaml(b"a: [1, 2\n", "bad.yaml")
    assert only_problem(exc).message == "YAML syntax error, column 1: did not find expected ',' or ']'"


def test_valid_files_of_every_shape_give_no_hint() -> None:
    """The hints never fire on valid YAML: every line of every YAML file of the repository, as a parser stop."""
    from slagen.yamlhints import explain

    root = Path(__file__).resolve().parent.parent
    for path in [*root.glob("examples/*.yaml"), *root.glob("clauses/**/*.yaml"), *root.glob("tiers/**/*.yaml")]:
        text = path.read_text(encoding="utf-8")
        for last in range(1, text.count("\n") + 2):
            assert explain(text, last) is None, (path, last)


# --- encoding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "byte", "offset"),
    [
        (b"a: \xff\n", "0xff", 3),
        (b"name: M\xfcller\n", "0xfc", 7),  # Latin-1 ü
        (b"\xfe\xff\x00a", "0xfe", 0),  # a UTF-16 BOM
    ],
)
def test_non_utf8_bytes_give_a_clear_message(raw: bytes, byte: str, offset: int) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(raw, "latin1.yaml")
    problem = only_problem(exc)
    assert problem.message == f"not UTF-8 text (byte {byte} at offset {offset}); save the file as UTF-8"
    assert problem.file == "latin1.yaml"
    assert problem.line is None


def test_utf8_bom_is_accepted() -> None:
    source = parse_yaml(b"\xef\xbb\xbfname: M\xc3\xbcller\nx: 1\n", "bom.yaml")
    assert source.data == {"name": "Müller", "x": 1}
    assert "\ufeffname" not in source.data
    assert source.line_of(("x",)) == 2


def test_utf8_text_is_kept() -> None:
    text = "name: Ünïcödé 😀\nrtl: مرحبا\n"
    assert parse_yaml(text.encode(), "u.yaml").data == {"name": "Ünïcödé 😀", "rtl": "مرحبا"}


# --- empty files --------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"# only a comment\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf# c\n"])
def test_empty_file_gives_no_data(raw: bytes) -> None:
    source = parse_yaml(raw, "empty.yaml")
    assert source.data is None
    assert source.line_of(("anything",)) is None


@pytest.mark.parametrize(("raw", "line"), [(b"~\n", 1), (b"null\n", 1), (b"---\n", 2), (b"\n---\n...\n", 3)])
def test_explicit_null_document(raw: bytes, line: int) -> None:
    source = parse_yaml(raw, "null.yaml")
    assert source.data is None
    assert source.lines == {(): line}


# --- invalid values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "line", "value"),
    [
        (b"start: 2027-13-01\n", "start", 1, "2027-13-01"),
        (b"contract:\n  start: 2027-02-30\n", "contract.start", 2, "2027-02-30"),
        (b"dates:\n  - 2027-01-01\n  - 2027-00-10\n", "dates.1", 3, "2027-00-10"),
        (b"at: 2027-01-01T25:00:00\n", "at", 1, "2027-01-01T25:00:00"),
    ],
)
def test_invalid_dates_name_the_key(text: bytes, key: str, line: int, value: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "dates.yaml")
    problem = only_problem(exc)
    assert problem.key == key
    assert problem.line == line
    assert problem.message.startswith(f"'{value}' is not a valid value (")
    assert str(exc.value).startswith(f"dates.yaml:{line}: {key}: '{value}'")


# --- alias bombs and depth ----------------------------------------------------------


def _billion_laughs(levels: int = 9, refs: int = 9) -> bytes:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * refs) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * refs) + "]")
    return ("\n".join(lines) + "\n").encode()


def test_alias_bomb_is_rejected_quickly() -> None:
    bomb = _billion_laughs()
    assert len(bomb) < 1000  # a tiny file ...
    started = time.process_time()
    with pytest.raises(InputError) as exc:
        parse_yaml(bomb, "bomb.yaml")
    elapsed = time.process_time() - started
    problem = only_problem(exc)
    assert "too many values" in problem.message
    assert f"{MAX_NODES:,}" in problem.message
    assert problem.file == "bomb.yaml"
    assert elapsed < 5, f"alias bomb took {elapsed:.1f}s"


def _merge_bomb(levels: int = 9, refs: int = 9) -> bytes:
    lines = ["a0: &a0 {" + ", ".join(f"k{i}: lol" for i in range(refs)) + "}"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} {{<<: [" + ", ".join([f"*a{level - 1}"] * refs) + "]}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("bomb", [_billion_laughs(), _merge_bomb()], ids=["aliases", "merge keys"])
def test_alias_bomb_is_refused_before_any_value_is_built(bomb: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    # the size is counted on the composed nodes, where an alias is the node it refers to: the bomb
    # is measured, never expanded (memory and time stay those of the tiny file)
    built = []
    build = _Builder.build

    def counted(self: _Builder, node: Any, path: Any) -> Any:
        built.append(1)
        return build(self, node, path)

    monkeypatch.setattr(_Builder, "build", counted)
    with pytest.raises(InputError) as exc:
        parse_yaml(bomb, "bomb.yaml")
    assert str(exc.value) == f"bomb.yaml: too many values (more than {MAX_NODES:,}; an alias bomb?)"
    assert len(built) == 0


def test_a_cycle_beside_a_large_list_is_refused() -> None:
    # a cycle is not counted ahead (the builder reports it); values built on the way are still counted
    big = "b: &b [" + ", ".join(["1"] * (MAX_NODES // 2)) + "]\n"
    with pytest.raises(InputError) as exc:
        parse_yaml((big + "a: &x [*b, *x]\n").encode(), "cycle.yaml")
    assert "too many values" in only_problem(exc).message


def test_moderate_aliasing_is_fine() -> None:
    source = parse_yaml(_billion_laughs(levels=3, refs=9), "ok.yaml")
    assert source.data["a0"] == ["lol"] * 9
    assert source.data["a2"] == [[["lol"] * 9] * 9] * 9


def test_many_plain_values_below_the_limit_are_fine() -> None:
    text = "items:\n" + "".join(f"  - {i}\n" for i in range(5000))
    assert parse_yaml(text.encode(), "big.yaml").data["items"][-1] == 4999


DEEP = "nested too deeply (more than {} levels)"


@pytest.mark.parametrize(
    "text",
    [
        b"a: " + b"[" * 2000 + b"]" * 2000 + b"\n",
        b"a: " + b"{x: " * 2000 + b"}" * 2000 + b"\n",
        b"a: " + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"\n",  # one level too many, with the root mapping
        b"- " * (MAX_DEPTH + 1) + b"x\n",
    ],
)
def test_deep_nesting_is_an_input_error(text: bytes) -> None:
    started = time.process_time()
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "deep.yaml")
    problem = only_problem(exc)
    assert problem.message == DEEP.format(MAX_DEPTH)
    assert problem.file == "deep.yaml"
    assert problem.line == 1
    assert time.process_time() - started < 5


@pytest.mark.parametrize("text", [b"a: &x [*x]\n", b"a: &x {k: *x}\n"])
def test_recursive_aliases_are_an_input_error(text: bytes) -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "cycle.yaml")
    problem = only_problem(exc)
    assert problem.message == DEEP.format(MAX_DEPTH)
    assert problem.key is not None
    assert problem.key.startswith("a.")


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1  # lists inside the root mapping: MAX_DEPTH collections in all
    expected: list[object] = []
    for _ in range(depth - 1):
        expected = [expected]
    assert parse_yaml(b"a: " + b"[" * depth + b"]" * depth + b"\n", "deep.yaml").data == {"a": expected}


# --- load_yaml ----------------------------------------------------------------------


def test_load_yaml_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"a:\n  b: 1\n")
    source = load_yaml(path)
    assert source.path == str(path)
    assert source.data == {"a": {"b": 1}}
    assert source.line_of(("a", "b")) == 2


def test_load_yaml_uses_display_name_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"a: 1\na: 2\n")
    with pytest.raises(InputError) as exc:
        load_yaml(path, display="shown.yaml")
    assert only_problem(exc).file == "shown.yaml"
    assert str(exc.value).startswith("shown.yaml:2: a: duplicate key")


def test_missing_file_gives_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as exc:
        load_yaml(path)
    problem = only_problem(exc)
    assert problem.message == "file not found"
    assert problem.file == str(path)
    assert problem.line is None
    assert str(exc.value) == f"{path}: file not found"


def test_missing_file_uses_display_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^answers\.yaml: file not found$"):
        load_yaml(tmp_path / "nope.yaml", display="answers.yaml")


def test_directory_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_yaml(tmp_path)
    assert only_problem(exc).message == "not a regular file but a directory: nothing was read"


def test_non_utf8_after_a_bom_names_the_right_byte() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml(b"\xef\xbb\xbfa: \xff\n", "bom.yaml")
    assert str(caught.value) == "bom.yaml: not UTF-8 text (byte 0xff at offset 6); save the file as UTF-8"
