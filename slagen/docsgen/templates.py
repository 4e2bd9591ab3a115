"""The template reference (``docs/templates.md``): every helper and filter the templates' sandbox offers.

slagen's own helpers (:data:`slagen.filters.GLOBALS`) and filters (:data:`slagen.filters.FILTERS`) are
described from their docstrings: the call as a template writes it, what it does, and the first use in
the library's templates as the example. Jinja's own filters and globals that the sandbox keeps are listed
by name with the first sentence of Jinja's docstring. A helper or filter without a docstring is refused
(:func:`undocumented`), so a new one cannot ship without its entry. The values slagen derives from the
answers (:data:`slagen.derived.DERIVATIONS`) are listed with what they mean and the answers they read.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2.utils import _PassArg

from slagen import derived, filters, limits
from slagen.library import TEMPLATE_SUFFIX, Library
from slagen.sandbox import make_environment

JINJA_DOCS = "https://jinja.palletsprojects.com/en/stable/templates/"
_GLOBALS = {
    "dict": "A mapping from keyword arguments: `dict(a=1)`.",
    "range": f"Numbers as Python's `range`, at most {limits.MAX_RANGE:,} of them: `range(1, n + 1)`.",
}
"""Jinja's globals whose own docstring is Python's (or slagen's bound on it), in words for templates."""


def undocumented() -> list[str]:
    """The helpers and filters of slagen that have no docstring (each ``helper x`` or ``filter x``)."""
    missing = [f"helper {name}" for name, function in filters.GLOBALS.items() if not inspect.getdoc(function)]
    missing += [f"filter {name}" for name, function in filters.FILTERS.items() if not inspect.getdoc(function)]
    return missing


def describe_templates(library: Library) -> str:
    """The Markdown page of every helper and filter the templates of ``library`` can call."""
    examples = _Examples(library)
    env = make_environment(library.template_root, bytecode_cache=False)
    lines = [
        "# Template reference: helpers and filters",
        "",
        "Generated from the docstrings of `slagen/filters.py` (`python -m slagen.docsgen`);",
        "`tests/test_manual.py` keeps this file in step with them. How templates are written is",
        "[`library.md`](library.md#a-template); each example is the first use in the bundled templates",
        f"(`templates/{library.languages[0]}/`).",
        "",
        "## Helpers",
        "",
        "Called as functions: `{{ ref('services.levels') }}`.",
        "",
    ]
    for name, function in sorted(filters.GLOBALS.items()):
        lines += _entry(f"{name}({_parameters(function, skip=0)})", function, examples.helper(name))
    lines += ["## Filters", "", "Applied with `|`: `{{ agreement.effective_date|date }}`.", ""]
    for name, function in sorted(filters.FILTERS.items()):
        arguments = _parameters(function, skip=1)
        value = _first_parameter(function)
        call = f"{value}|{name}" + (f"({arguments})" if arguments else "")
        lines += _entry(call, function, examples.filter(name))
    lines += _derived_section(examples)
    lines += _jinja_section(env)
    return "\n".join(lines).rstrip("\n") + "\n"


def _entry(call: str, function: Callable[..., Any], example: str | None) -> list[str]:
    lines = [f"### `{call}`", "", _markdown(inspect.getdoc(function) or ""), ""]
    if example:
        lines += [f"Example: `{example}`", ""]
    else:
        lines += ["Example: not used by the bundled templates.", ""]
    return lines


def _markdown(doc: str) -> str:
    """A docstring as one Markdown paragraph: doctests left out, reStructuredText roles and literals plain."""
    paragraphs = [" ".join(part.split()) for part in doc.split("\n\n") if not part.lstrip().startswith(">>>")]
    text = " ".join(paragraphs)
    return re.sub(r":\w+:`~?([^`]+)`", r"`\1`", text).replace("``", "`")


def _signature(function: Callable[..., Any]) -> list[inspect.Parameter]:
    """The parameters a template passes: without the context or environment Jinja passes first."""
    parameters = list(inspect.signature(function).parameters.values())
    return parameters[1:] if _PassArg.from_obj(function) is not None else parameters


def _first_parameter(function: Callable[..., Any]) -> str:
    parameters = _signature(function)
    return parameters[0].name if parameters else "value"


def _parameters(function: Callable[..., Any], *, skip: int) -> str:
    shown = []
    for parameter in _signature(function)[skip:]:
        default = parameter.default
        shown.append(parameter.name if default is inspect.Parameter.empty else f"{parameter.name}={default!r}")
    return ", ".join(shown)


def _derived_section(examples: _Examples) -> list[str]:
    lines = [
        "## Derived values",
        "",
        "Computed by slagen from the answers (`slagen/derived.py`), read by conditions and templates as",
        "`derived.<name>` and by the validation rules; no answer may be called `derived`.",
        "",
    ]
    for name, derivation in derived.DERIVATIONS.items():
        reads = ", ".join(f"`{key}`" for key in derivation.reads)
        lines += [f"### `{derived.NAMESPACE}.{name}`", "", f"{derivation.meaning} Computed from {reads}.", ""]
        example = examples.find(re.compile(rf"\b{derived.NAMESPACE}\.{name}\b"))
        lines += [f"Example: `{example}`" if example else "Example: not used by the bundled templates.", ""]
    return lines


def _jinja_section(env: Any) -> list[str]:
    ours = set(filters.FILTERS) | set(filters.GLOBALS)
    lines = [
        "## Jinja's own filters and globals",
        "",
        f"The sandbox keeps these of [Jinja's]({JINJA_DOCS}) (each bounded in time and size); `tojson`, `urlize`,",
        "`xmlattr`, `random` and `lipsum` are removed, and `e`/`escape`/`forceescape` escape for the clause",
        "markup (above).",
        "",
        "| name | kind | what it does |",
        "|---|---|---|",
    ]
    for kind, table in (("filter", env.filters), ("global", env.globals)):
        for name in sorted(set(table) - ours):
            function = getattr(table[name], "__wrapped__", table[name])
            text = _GLOBALS.get(name) if kind == "global" else None
            lines.append(f"| `{name}` | {kind} | {text or _first_sentence(inspect.getdoc(function) or '')} |")
    lines += ["", "Jinja's tests (`is none`, `is defined`, `is number`, `in`, …) are all available.", ""]
    return lines


def _first_sentence(doc: str) -> str:
    text = " ".join(doc.split("\n\n")[0].split())
    match = re.match(r"(.+?)[.:](\s+[A-Z`(]|$)", text)
    return _markdown((match.group(1) if match else text) + ".").replace("|", "\\|")


class _Examples:
    """The first line of the library's templates (first language, files in order) that calls each name."""

    def __init__(self, library: Library) -> None:
        folder = library.template_root / library.languages[0]
        self.lines = list(self._lines(folder))

    @staticmethod
    def _lines(folder: Path) -> Iterator[str]:
        for path in sorted(folder.rglob("*" + TEMPLATE_SUFFIX)):
            yield from path.read_text(encoding="utf-8").splitlines()

    def helper(self, name: str) -> str | None:
        return self.find(re.compile(rf"(?<![\w.|]){re.escape(name)}\("))

    def filter(self, name: str) -> str | None:
        return self.find(re.compile(rf"\|\s*{re.escape(name)}\b"))

    def find(self, pattern: re.Pattern[str]) -> str | None:
        """The first use that ``pattern`` finds, as the ``{{ … }}`` or ``{% … %}`` around it."""
        for line in self.lines:
            match = pattern.search(line)
            if match:
                return _excerpt(line, match.start())
        return None


def _excerpt(line: str, at: int) -> str:
    """The ``{{ … }}`` or ``{% … %}`` around position ``at`` of ``line``."""
    start = max(line.rfind("{{", 0, at), line.rfind("{%", 0, at))
    if start < 0:
        return line.strip()[:100]
    close = "}}" if line.startswith("{{", start) else "%}"
    end = line.find(close, at)
    return line[start : end + 2] if end >= 0 else line[start:][:100]
