"""A report's view as Markdown (pipe tables; cells with ``|`` escaped)."""

from __future__ import annotations

from slagen.report.view import Table, View


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in table.header) + " |", "|" + "---|" * len(table.header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return lines


def to_markdown(view: View) -> str:
    """The report as a Markdown document."""
    lines = [f"# {view.title}", ""]
    lines += [f"- **{label}:** {value}" for label, value in view.facts]
    for section in view.sections:
        lines += ["", "#" * section.level + " " + section.heading, ""]
        for block in section.blocks:
            lines += _table(block) if isinstance(block, Table) else [block]
            lines.append("")
        while lines and lines[-1] == "":
            lines.pop()
    return "\n".join(lines) + "\n"
