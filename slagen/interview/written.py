"""The answers file the interview writes: every key after its help, in the library's order, nested as YAML."""

from __future__ import annotations

from typing import Any

import yaml

from slagen.interview.resume import Comments
from slagen.interview.wording import Wording
from slagen.library import Library


def write_answers(
    library: Library,
    wording: Wording,
    schema: str,
    values: dict[str, Any],
    notes: dict[str, str],
    comments: Comments | None = None,
) -> str:
    """The text of the answers file: ``values`` by answer key; ``notes`` say why a key is left out.

    ``comments`` are a person's, from the file resumed (:mod:`.resume`): kept where they were.
    """
    comments = comments or Comments()
    tree: dict[str, Any] = {}
    for key in library.params:
        *parents, leaf = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = key
    lines = [f"# yaml-language-server: $schema={schema}"]
    lines.extend(f"# {line}" for line in str(wording.words["header"]).splitlines())
    lines.extend(comments.top)
    _emit(library, wording, tree, values, notes, comments, "", lines)
    if comments.end:
        lines.extend(["", *comments.end])
    return "\n".join(lines) + "\n"


def _emit(
    library: Library,
    wording: Wording,
    node: dict[str, Any],
    values: dict[str, Any],
    notes: dict[str, str],
    comments: Comments,
    path: str,
    lines: list[str],
) -> None:
    depth = path.count(".") + 1 if path else 0
    indent = "  " * depth
    for name, child in node.items():
        here = f"{path}.{name}" if path else name
        if depth == 0:
            lines.append("")
        lines.extend(f"{indent}{line}" for line in comments.above.get(here, ()))
        after = comments.after.get(here, "")
        if isinstance(child, dict):
            given = any(k in values for k in _leaves(child))
            lines.append(f"{indent}{'' if given else '# '}{name}:{after}")
            _emit(library, wording, child, values, notes, comments, here, lines)
            continue
        param = library.params[child]
        for line in wording.help_for(child, param).splitlines():
            lines.append(f"{indent}# {line}")
        if child not in values:
            note = notes.get(child, "")
            lines.append(f"{indent}# {name}:" + (f"  ({note})" if note else "") + after)
        elif param.kind.written_as_items:
            for field_name, spec in param.fields.items():
                help_text = wording.help_for(f"{child}[].{field_name}", spec)
                lines.append(f"{indent}#   {field_name}: {help_text}")
            lines.append(f"{indent}{name}:{after}")
            lines.extend(f"{indent}  - {flow(item)}" for item in values[child])
        else:
            lines.append(f"{indent}{name}: {flow(values[child])}{after}")


def _leaves(node: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for child in node.values():
        found.extend(_leaves(child) if isinstance(child, dict) else [child])
    return found


def flow(value: Any) -> str:
    """One YAML value on one line, quoted where YAML would read it as something else."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=2**31 - 1, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...")
