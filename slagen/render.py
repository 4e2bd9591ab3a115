"""Render the selected clauses in one language into a document model.

Takes validated answers, the resolved service levels, the library and a language, and
gives an unnumbered :class:`~slagen.model.Document`. Templates run in a Jinja2
``SandboxedEnvironment`` with ``StrictUndefined``; every value that comes from the
answers is escaped for the markup, so text a user typed (``**``, ``|``, ``{{ x }}``,
``<script>``) appears literally. Template errors name the clause, language and line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from types import TracebackType
from typing import Any
from urllib.parse import quote

from jinja2 import (
    BytecodeCache,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    pass_context,
)
from jinja2 import TemplateError as JinjaError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from slagen import arithmetic, formatting
from slagen.answers import Answers
from slagen.errors import Problem, TemplateError
from slagen.library import FRONT_SECTION, Clause, Library
from slagen.markup import MarkupError, parse_markup
from slagen.model import Block, Document, Inline, Section, Signatory
from slagen.model import Clause as ClauseNode
from slagen.resolve import ServiceLevels

_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_MARKUP_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&=])")


def escape_markup(value: Any) -> Markup:
    """Text of an answer, safe to place in the markup: every markup character is escaped.

    Used as the environment's ``finalize``: with autoescaping on, Jinja marks the output of
    macros and of ``ref``/``define``/``term`` as :class:`~markupsafe.Markup`, which passes
    unchanged; everything else is a value and is escaped for the clause markup (not HTML).

    >>> str(escape_markup("**A|B** <x>"))
    '\\\\*\\\\*A\\\\|B\\\\*\\\\* \\\\<x\\\\>'
    """
    if isinstance(value, Markup):
        return value
    text = _MARKUP_SPECIAL.sub(r"\\\1", str(value))
    return Markup(" ".join(text.split("\n")))  # noqa: S704 - every markup character is escaped above


def get_environment(library: Library) -> SandboxedEnvironment:
    """The library's Jinja2 environment, built once per process; templates compile once."""
    env = library.cache.get("jinja")
    if env is None:
        env = SandboxedEnvironment(
            loader=FileSystemLoader(str(library.template_root)),
            undefined=StrictUndefined,
            finalize=escape_markup,
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            cache_size=-1,
            bytecode_cache=_bytecode_cache(),
        )
        env.filters.update(
            number=_filter(formatting.format_number),
            percent=_filter(formatting.format_percent),
            date=_filter(formatting.format_date),
            duration=_filter(formatting.format_duration),
            timespan=_filter(formatting.format_timespan),
            downtime=arithmetic.allowed_downtime,
            money=_money,
            value=_value,
        )
        env.globals.update(ref=_ref, define=_define, term=_term, target=_target)
        library.cache["jinja"] = env
    return env


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs (Jinja's per-user cache directory, checked for ownership).

    Compiling the library's templates is most of a cold build; ``SLAGEN_NO_CACHE=1`` turns this off.
    """
    if os.environ.get("SLAGEN_NO_CACHE"):
        return None
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no usable temporary directory: compile every time
        return None


def _filter(function: Any) -> Any:
    @pass_context
    def apply(context: Context, value: Any) -> str:
        return function(value, context["locale"])  # type: ignore[no-any-return]

    return apply


@pass_context
def _money(context: Context, amount: Decimal, currency: str = "EUR") -> str:
    return formatting.format_money(amount, currency, context["locale"])


@pass_context
def _value(context: Context, level: dict[str, Any], which: str = "target") -> str:
    return formatting.format_value(level[which], level["unit"], context["locale"])


def _ref(target: str) -> Markup:
    if not _ID.match(str(target)):
        raise ValueError(f"ref() needs a clause id such as 'services.levels', not {target!r}")
    return Markup(f"[§](ref:{target})")  # noqa: S704 - target is checked to be an id


@pass_context
def _define(context: Context, term: str) -> Markup:
    return Markup(f"[{escape_markup(_term_text(context, term))}](define:{term})")  # noqa: S704 - escaped above


@pass_context
def _term(context: Context, term: str) -> Markup:
    return Markup(f"[{escape_markup(_term_text(context, term))}](term:{term})")  # noqa: S704 - escaped


@pass_context
def _target(context: Context, level: dict[str, Any]) -> Markup:
    """A KPI's agreed target; a deviation from the standard tier carries a review note."""
    text = escape_markup(level["target_text"])
    if not level["deviation"]:
        return text
    labels = context["labels"]
    note = labels["document"]["deviation_note"].format(
        tier=context["tier"]["name"],
        standard=formatting.format_value(level["standard"], level["unit"], context["locale"]),
        target=level["target_text"],
        effect=labels["document"][f"deviation_{level['deviation']}"],
    )
    return Markup(f"[{text}](note:{quote(note, safe='')})")  # noqa: S704 - text escaped, note quoted


def _term_text(context: Context, term: str) -> str:
    terms = context["labels"]["terms"]
    if term not in terms:
        raise KeyError(f"unknown defined term '{term}' (known: {', '.join(terms)})")
    return str(terms[term])


def render_document(
    answers: Answers, service: ServiceLevels, library: Library, language: str, *, today: dt.date
) -> Document:
    """Render every selected clause of ``answers`` in ``language`` into an unnumbered document."""
    labels = library.labels[language]
    locale = str(labels["locale"])
    levels = [_level(level, language, locale) for level in service.levels]
    context = {
        **localize_tree(answers.tree, library, language),
        "lang": language,
        "locale": locale,
        "labels": labels,
        "today": today,
        "catalog": {"id": service.catalog.id, **service.catalog.text[language]},
        "tier": {"id": service.tier.id, "name": service.tier.name},
        "levels": levels,
        "level": {level["id"]: level for level in levels},
    }
    env = get_environment(library)
    front: list[Block] = []
    sections: dict[str, Section] = {}
    for clause in answers.clauses:
        title, blocks = _render_clause(env, clause, language, context)
        if clause.section == FRONT_SECTION:
            front.extend(blocks)
            continue
        if title is None:
            raise _error(clause, language, "the clause has no '## title' line", 1)
        section = sections.get(clause.section)
        if section is None:
            section = sections[clause.section] = Section(clause.section, str(labels["sections"][clause.section]), [])
        section.clauses.append(ClauseNode(clause.id, clause.version, title, blocks, review=clause.review))
    agreement = context["agreement"]
    parties = context["parties"]
    return Document(
        language=language,
        locale=locale,
        title=str(agreement["title"]),
        subtitle=str(labels["document"]["subtitle"]),
        reference=str(agreement["reference"]),
        version=str(agreement["version"]),
        date=formatting.format_date(today, locale),
        front=front,
        sections=list(sections.values()),
        signatories=[
            Signatory(
                str(labels["terms"][role]),
                str(parties[role]["name"]),
                f"{parties[role]['represented_by']}, {parties[role]['function']}",
            )
            for role in ("provider", "customer")
        ],
        labels={key: str(text) for key, text in labels["document"].items()},
    )


def localize_tree(tree: dict[str, Any], library: Library, language: str) -> dict[str, Any]:
    """A copy of the answers ``tree`` with every localized answer reduced to ``language``'s text."""
    localized = library.cache.get("localized_keys")
    if localized is None:
        localized = library.cache["localized_keys"] = [
            key.split(".") for key, param in library.params.items() if param.type == "localized"
        ]
    result = dict(tree)
    for path in localized:
        node = result
        for part in path[:-1]:
            node[part] = dict(node[part])
            node = node[part]
        value = node[path[-1]]
        if isinstance(value, dict):
            node[path[-1]] = value.get(language, next(iter(value.values()), None))
    return result


def _level(level: Any, language: str, locale: str) -> dict[str, Any]:
    kpi = level.kpi
    return {
        "id": kpi.id,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "target": level.target,
        "standard": level.standard,
        "deviation": level.deviation,
        "target_text": formatting.format_value(level.target, kpi.unit, locale),
        **kpi.text[language],
    }


def _render_clause(
    env: SandboxedEnvironment, clause: Clause, language: str, context: dict[str, Any]
) -> tuple[list[Inline] | None, list[Block]]:
    name = f"{language}/{clause.template_name}"
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        raise _error(clause, language, exc.message or "syntax error", exc.lineno) from None
    try:
        text = template.render(context)
    except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's error
        message = exc.message if isinstance(exc, JinjaError) and exc.message else str(exc)
        raise _error(clause, language, message, _template_line(exc.__traceback__, template.filename)) from None
    try:
        return parse_markup(text)
    except MarkupError as exc:
        raise _error(clause, language, f"{exc} (line {exc.line} of the rendered text)", None) from None


def _template_line(tb: TracebackType | None, filename: str | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _error(clause: Clause, language: str, message: str, line: int | None) -> TemplateError:
    file = f"templates/{language}/{clause.template_name}"
    return TemplateError([Problem(f"clause '{clause.id}' ({language}): {message}", file, line)])
