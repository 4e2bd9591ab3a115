"""Reading the library's YAML files: every problem collected, every file read counted in the digest.

The library loader (:mod:`slagen.library`) and the catalog loader (:mod:`slagen.catalogs`) read
their files through these, so that one look at a broken library reports every problem at once,
and the library's digest covers every file that was read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slagen.errors import LibraryError, Problem
from slagen.yamlsource import YamlSource, load_yaml


def read_file(path: Path, root: Path, problems: list[Problem], hasher: Any) -> YamlSource | None:
    """The YAML file at ``path`` (a mapping), hashed into ``hasher``; None, with its problems noted, if it is not."""
    try:
        source = load_yaml(path, display=str(path.relative_to(root)))
    except LibraryError as exc:
        problems.extend(exc.problems)
        return None
    except Exception as exc:  # noqa: BLE001 - any parse failure becomes a finding with its file
        problems.extend(getattr(exc, "problems", [Problem(str(exc), str(path))]))
        return None
    hasher.update(str(path.relative_to(root)).encode() + path.read_bytes())
    if not isinstance(source.data, dict):
        problems.append(Problem("expected a mapping at the top level", source.path, 1))
        return None
    return source


def need(source: YamlSource, problems: list[Problem], path: tuple[str, ...], kind: type, what: str) -> Any:
    """The value at ``path`` in ``source`` if it is a ``kind`` (a non-empty one for text); else None and a problem."""
    node: Any = source.data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, kind) or (kind is str and not node):
        problems.append(Problem(f"{what} is required", source.path, source.line_of(path), ".".join(path)))
        return None
    return node
