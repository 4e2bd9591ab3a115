"""Render the selected clauses in one language into a document model.

Takes the selected clauses, their :class:`~slagen.context.TemplateContext` and the library's
sandbox, and gives an unnumbered :class:`~slagen.model.Document`. Each clause's template renders
in the sandbox (:mod:`slagen.sandbox`) to clause markup, which :mod:`slagen.markup` parses; every
value that comes from the answers is escaped for the markup, so text a user typed (``**``, ``|``,
``{{ x }}``, ``<script>``) appears literally. Template errors name the clause, language and line.
The caller's memo (:mod:`slagen.memo`) may give a rendering and a parse again where every value
the template was recorded reading is the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import Environment, Template, TemplateNotFound, TemplateSyntaxError
from jinja2 import TemplateError as JinjaError

from slagen import formatting, limits
from slagen.binding import review_law
from slagen.context import TemplateContext
from slagen.errors import Problem, TemplateError
from slagen.library import ANNEX_SECTION, FRONT_SECTION, Clause
from slagen.markup import MarkupError, Parsed
from slagen.memo import Memo
from slagen.model import Block, Document, Section, Signatory
from slagen.model import Clause as ClauseNode
from slagen.params.values import XML_INVALID
from slagen.sandbox import LibraryLoader
from slagen.terms import term_context


def render_document(clauses: Sequence[Clause], context: TemplateContext, env: Environment, memo: Memo) -> Document:
    """Render every clause of ``clauses`` with ``context`` into an unnumbered document.

    Clauses marked ``renders_last`` render after the others, seeing the terms those define and use.
    """
    language = context.language
    names = context.names()
    parsed = {
        clause.id: render_clause(env, clause, language, names, memo) for clause in clauses if not clause.renders_last
    }
    late = [clause for clause in clauses if clause.renders_last]
    if late:
        names = context.names(**term_context(parsed, memo.marks))
        parsed.update((clause.id, render_clause(env, clause, language, names, memo)) for clause in late)
    return _assemble(clauses, parsed, context)


def _assemble(clauses: Sequence[Clause], parsed: Mapping[str, Parsed], context: TemplateContext) -> Document:
    """The document of the parsed clauses: front matter, sections in order, signatures."""
    labels, language, locale = context.labels, context.language, context.locale
    law = review_law(context.answers)
    front: list[Block] = []
    sections: dict[str, tuple[str, list[ClauseNode]]] = {}
    for clause in clauses:
        title, blocks = parsed[clause.id]
        if clause.section == FRONT_SECTION:
            front.extend(blocks)
            continue
        if title is None:
            raise _error(clause, language, "the clause has no '## title' line", 1)
        _, members = sections.setdefault(clause.section, (str(labels["sections"][clause.section]), []))
        note = clause.note(law, language)
        members.append(ClauseNode(clause.id, clause.version, title, blocks, review=note))
    agreement = context.answers["agreement"]
    binding = context.binding_language or language
    notice = ""
    if binding != language:
        notice = str(labels["document"]["convenience"]).format(language=labels["language_names"][binding])
    parties = context.answers["parties"]
    return Document(
        language=language,
        locale=locale,
        title=str(agreement["title"]),
        subtitle=str(labels["document"]["subtitle"]),
        reference=str(agreement["reference"]),
        version=str(agreement["version"]),
        date=formatting.format_date(context.today, locale),
        front=tuple(front),
        sections=tuple(
            Section(id_, title, tuple(members), annex=id_ == ANNEX_SECTION)
            for id_, (title, members) in sections.items()
        ),
        signatories=tuple(
            Signatory(
                str(labels["terms"][role]),
                str(parties[role]["name"]),
                f"{parties[role]['represented_by']}, {parties[role]['function']}",
                _co_signatory(parties[role]),
            )
            for role in ("provider", "customer")
        ),
        labels={key: str(text) for key, text in labels["document"].items()},
        notice=notice,
        english_execution=agreement.get("governing_law") == "en-gb" and agreement.get("kind") != "internal",
    )


def _co_signatory(party: Mapping[str, Any]) -> str:
    """The second signatory of a party represented jointly, with function; empty if one signs alone."""
    name, function = party.get("co_signatory"), party.get("co_function")
    if not name:
        return ""
    return f"{name}, {function}" if function else str(name)


def render_clause(env: Environment, clause: Clause, language: str, names: Mapping[str, Any], memo: Memo) -> Parsed:
    """One clause rendered in ``language`` with ``names`` and parsed (either perhaps given again by ``memo``)."""
    template = _template(env, clause, language)
    text = memo.rendering(
        template.name or clause.template_name, names, lambda: _render(env, template, clause, language, names)
    )
    bad = XML_INVALID.search(text)
    if bad:
        raise _control_character(env, template, clause, language, bad.group())
    try:
        return memo.parse(text)
    except MarkupError as exc:
        raise _error(clause, language, f"{exc} (line {exc.line} of the rendered text)", None) from None


def _template(env: Environment, clause: Clause, language: str) -> Template:
    try:
        return env.get_template(f"{language}/{clause.template_name}")
    except TemplateSyntaxError as exc:
        raise _error(clause, language, exc.message or "syntax error", exc.lineno) from None
    except TemplateNotFound as exc:
        raise _error(clause, language, str(exc.message), None) from None
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); save the file as UTF-8"
        raise _error(clause, language, message, None) from None
    except RecursionError:
        raise _error(clause, language, "nested too deeply to compile", None) from None
    except Exception as exc:  # noqa: BLE001 - whatever stops a template compiling is the template's error
        raise _error(clause, language, f"cannot compile: {exc}", None) from None


def _render(env: Environment, template: Template, clause: Clause, language: str, names: Mapping[str, Any]) -> str:
    try:
        with limits.rendering():
            return template.render(names)
    except RecursionError as exc:
        message = "recursion too deep: does a macro or an include call itself without end?"
        raise _error(clause, language, message, _template_line(exc.__traceback__, template.filename)) from None
    except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's error
        message = exc.message if isinstance(exc, JinjaError) and exc.message else str(exc) or type(exc).__name__
        message += _included_from(exc.__traceback__, template.filename, env)
        raise _error(clause, language, message, _template_line(exc.__traceback__, template.filename)) from None


def _control_character(env: Environment, template: Template, clause: Clause, language: str, char: str) -> TemplateError:
    """The error for a character a document cannot hold, at its line when it is in the template itself."""
    message = f"contains the control character U+{ord(char):04X}, which a document cannot hold"
    source = env.loader.get_source(env, template.name)[0] if env.loader and template.name else ""
    if char not in source:
        return _error(clause, language, f"{message} (from an included template, a label or the catalog)", None)
    return _error(clause, language, message, source.count("\n", 0, source.index(char)) + 1)


def _template_line(tb: TracebackType | None, filename: str | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _included_from(tb: TracebackType | None, filename: str | None, env: Environment) -> str:
    """`` (in de/other.md.j2, line 3)`` when the error arose in a template the clause includes or imports."""
    loader = env.loader
    if not isinstance(loader, LibraryLoader):  # pragma: no cover - the environment is always built above
        return ""
    inner = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name != filename and name.endswith(".j2") and Path(name).is_relative_to(loader.root):
            inner = (Path(name).relative_to(loader.root).as_posix(), tb.tb_lineno)
        tb = tb.tb_next
    return f" (in {inner[0]}, line {inner[1]})" if inner else ""


def _error(clause: Clause, language: str, message: str, line: int | None) -> TemplateError:
    file = f"templates/{language}/{clause.template_name}"
    return TemplateError([Problem(f"clause '{clause.id}' ({language}): {message}", file, line)])
