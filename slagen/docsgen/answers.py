"""The answers reference (`docs/answers.md`): every answer key a library declares, as Markdown.

Takes a library and gives a table of every declared parameter (key, type, default,
bounds, help), derived from the same declarations that validate answers, so the
documentation cannot drift from what ``slagen check`` accepts.
"""

from __future__ import annotations

from typing import Any

from slagen.library import Library
from slagen.params import Duration, Param


def describe_answers(library: Library) -> str:
    """A Markdown reference of every answer key the library declares, in document order."""
    lines = [
        "# Answers reference",
        "",
        "Generated from the clause library's parameter declarations (`clauses/**/*.yaml`);",
        "`tests/test_docs.py` keeps this file in step with them. Keys are dotted paths into the answers file.",
        "",
        "| key | type | required / default | allowed | used by | meaning |",
        "|---|---|---|---|---|---|",
    ]
    users: dict[str, list[str]] = {}
    for clause in library.clauses:
        for param in clause.params:
            users.setdefault(param.key, []).append(clause.id)
    for key, param in library.params.items():
        lines.append(
            f"| `{key}` | {param.type} | {_default(param)} | {_allowed(param)} | "
            f"{', '.join(users[key])} | {_cell(param.help)} |"
        )
        for name, field in param.fields.items():
            lines.append(
                f"| `{key}[].{name}` | {field.type} | {_default(field)} | {_allowed(field)} | | {_cell(field.help)} |"
            )
    return "\n".join(lines) + "\n"


def _default(param: Param) -> str:
    if param.default is not None:
        return f"default `{_show(param.default)}`"
    return "required" if param.required else "optional"


def _allowed(param: Param) -> str:
    parts = []
    if param.choices:
        parts.append(", ".join(f"`{c}`" for c in param.choices))
    if param.minimum is not None:
        parts.append(f"min {param.kind.describe_bound(param.minimum)}")
    if param.maximum is not None:
        parts.append(f"max {param.kind.describe_bound(param.maximum)}")
    return "; ".join(parts)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
