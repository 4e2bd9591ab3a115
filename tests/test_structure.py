"""The shape of the code: no import cycles, no module over 400 lines, no caches outside the memo.

The import graph is read from the source (``ast``) of every module of ``slagen/``: imports at the
top and inside functions alike (a function-level import hides a cycle from Python, not from a
reader); only imports under ``if TYPE_CHECKING:`` are left out, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "slagen"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py")) if "_library" not in path.parts}


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(name: str) -> set[str]:
    """The slagen modules ``name`` imports when it runs."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: set[str] = set()
    skipped = {id(child) for node in ast.walk(tree) if _type_checking(node) for child in ast.walk(node)}
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            # ``from package import module`` imports the module; ``from module import name``, the module
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        found.update(target for target in targets if target in MODULES and target != name)
    return found


def cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph = {name: imports_of(name) for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    return found


def test_the_import_graph_has_no_cycles() -> None:
    assert cycles() == []


def test_the_graph_reader_finds_a_cycle_hidden_in_a_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text("from slagen import second\n", encoding="utf-8")
    second.write_text("def f():\n    from slagen import first\n", encoding="utf-8")
    guarded = tmp_path / "third.py"
    guarded.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from slagen import first\n")
    monkeypatch.setattr(
        __import__(__name__, fromlist=["MODULES"]),
        "MODULES",
        {"slagen.first": first, "slagen.second": second, "slagen.third": guarded},
    )
    assert cycles() == [["slagen.first", "slagen.second"]]
    assert imports_of("slagen.third") == set()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by what it does"


def test_only_the_memo_keeps_anything() -> None:
    # module-level caches and lru_caches are how per-document work used to be kept; the memo is the one place now
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        for needle in ("lru_cache", "functools.cache", "@cache", ".cache[", "cache.get("):
            assert needle not in source, f"{name} keeps something itself ({needle})"


def test_core_modules_read_no_environment_variables() -> None:
    for name, path in MODULES.items():
        if name.startswith("slagen.cli"):
            continue
        assert "os.environ" not in path.read_text(encoding="utf-8"), name


def test_records_are_structs_not_dataclasses() -> None:
    # A frozen dataclass costs 0.6 ms to create at import (dataclasses compiles its methods), a msgspec.Struct
    # 0.01 ms: with ~50 records that was half of slagen's start-up (docs/architecture.md, "Start-up").
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert "dataclasses" not in [alias.name for alias in node.names], name
            if isinstance(node, ast.ImportFrom):
                assert node.module != "dataclasses", name
