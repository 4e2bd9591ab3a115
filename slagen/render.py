"""Render the selected clauses in one language into a document model.

Takes validated answers, the resolved service levels, the library and a language, and
gives an unnumbered :class:`~slagen.model.Document`. Templates run in a Jinja2
``SandboxedEnvironment`` with ``StrictUndefined``; every value that comes from the
answers is escaped for the markup, so text a user typed (``**``, ``|``, ``{{ x }}``,
``<script>``) appears literally. Template errors name the clause, language and line.

Templates are written by people, not programs, so the sandbox is also bounded: includes
and imports stay inside the library's ``templates/`` directory (symbolic links leading out
are refused), templates cannot change the values they are given, and a runaway template (a
huge ``range``, ``'x' * 10**9``, nested loops, endless recursion) stops with a
:class:`~slagen.errors.TemplateError` instead of hanging or exhausting memory; see
:data:`MAX_STEPS`, :data:`MAX_SIZE`, :data:`MAX_RANGE` and :data:`MAX_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import FunctionType, TracebackType
from typing import Any
from urllib.parse import quote

from jinja2 import (
    BytecodeCache,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    nodes,
    pass_context,
)
from jinja2 import TemplateError as JinjaError
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from markupsafe import Markup

from slagen import arithmetic, formatting, reuse
from slagen.answers import Answers
from slagen.errors import Problem, TemplateError
from slagen.kept import Kept
from slagen.library import FRONT_SECTION, Clause, Library
from slagen.markup import MarkupError, parse_markup
from slagen.model import Block, Document, Inline, Section, Signatory
from slagen.model import Clause as ClauseNode
from slagen.resolve import Level, ServiceLevels
from slagen.terms import term_context

_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_MARKUP_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&=])")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold: a DOCX with one does not open (answers are checked for them on input)."""


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
    text = str(value)
    return _escaped(text) if len(text) <= _CACHED_TEXT else _escape_text(text)


_CACHED_TEXT = 500
"""Longest text whose escaped form is kept: values and terms repeat in every document of a batch."""


def _escape_text(text: str) -> Markup:
    return Markup(_MARKUP_SPECIAL.sub(r"\\\1", text).replace("\n", " "))  # noqa: S704 - every markup character escaped


_escaped = functools.lru_cache(maxsize=4096)(_escape_text)


def get_environment(library: Library) -> SandboxedEnvironment:
    """The library's Jinja2 environment, built once per process; templates compile once."""
    env = library.cache.get("jinja")
    if env is None:
        env = _Sandbox(
            loader=_LibraryLoader(library.template_root),
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
            listing=_filter(formatting.format_listing),
            alternatives=_filter(functools.partial(formatting.format_listing, alternatives=True)),
        )
        # Jinja's escape filters escape for HTML and mark the result safe, which would let an answer's
        # markup (**, [..](ref:..)) through: here escaping means escaping for the clause markup. Filters
        # that write HTML and mark it safe have no place in a clause.
        env.filters.update(e=escape_markup, escape=escape_markup, forceescape=escape_markup)
        for name in ("tojson", "urlize", "xmlattr"):
            del env.filters[name]
        for name, function in list(env.filters.items()):
            env.filters[name] = _bounded_filter(name, function)
        env.globals.update(ref=_ref, define=_define, term=_term, target=_target, range=_range)
        env.globals.pop("lipsum", None)  # writes pages of text on request; no clause needs it
        cache = env.bytecode_cache
        store = None
        if isinstance(cache, FileSystemBytecodeCache):
            store = Path(cache.directory) / f"__slagen_{_CODE_VERSION}_reads_{reuse.ANALYSIS}.json"
        env.slagen_renderings = reuse.Renderings(store=store)  # type: ignore[attr-defined]
        library.cache["jinja"] = env
    return env


# --- limits ---------------------------------------------------------------------------

MAX_STEPS = 100_000
"""Loop iterations, calls, includes and imports one clause may make while it renders."""
MAX_RANGE = 10_000
"""Most numbers ``range()`` gives in a template."""
MAX_SIZE = 1_000_000
"""Longest text (characters) or list (items) a template may build."""
MAX_DIGITS = 1_000
"""Most digits of a number a template may compute."""
MAX_SECONDS = 10.0
"""Time one clause may take to render: a backstop behind the counts above."""
_CODE_VERSION = "1"
"""Part of the bytecode cache's file names: raise it when :class:`_CodeGenerator` changes."""


class LimitError(SecurityError):
    """A template went beyond one of the render limits."""


@dataclass(slots=True)
class _Budget:
    steps: int
    deadline: float


_BUDGET: ContextVar[_Budget | None] = ContextVar("slagen_render_budget", default=None)


def _step() -> None:
    """Count one loop iteration, call, include or import of the clause being rendered."""
    budget = _BUDGET.get()
    if budget is None:  # not rendering a clause: compiling, or folding constants
        return
    budget.steps -= 1
    if budget.steps < 0:
        raise LimitError(
            f"the template takes more than {MAX_STEPS:,} steps (loop iterations, calls, includes); "
            "does a loop or a macro run away?"
        )
    if time.monotonic() > budget.deadline:
        raise LimitError(f"the template takes longer than {MAX_SECONDS:g} seconds to render")


def _limit(size: int, unit: str = "characters") -> None:
    if size > MAX_SIZE:
        raise LimitError(f"the template would build a value of {size:,} {unit} (at most {MAX_SIZE:,})")


def _limited(value: Any) -> Any:
    """``value`` if it is not too large a text or list."""
    if isinstance(value, str):
        _limit(len(value))
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        _limit(len(value), "items")
    return value


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _range(*args: int) -> range:
    """``range`` for templates: at most :data:`MAX_RANGE` numbers."""
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = MAX_RANGE + 1
    if count > MAX_RANGE:
        shown = ", ".join(f"{arg:,}" for arg in args)
        raise LimitError(f"range({shown}) is too long for a template (at most {MAX_RANGE:,} numbers)")
    return numbers


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``*``, ``**``, ``+`` and ``%`` whose result would be too large, before computing it."""
    if operator == "**":
        if _power_digits(left, right) > MAX_DIGITS:
            raise LimitError(f"a power of more than {MAX_DIGITS:,} digits is too large for a template")
    elif operator == "*":
        if (
            _is_int(left)
            and _is_int(right)
            and (abs(left).bit_length() + abs(right).bit_length()) * 0.30103 > MAX_DIGITS
        ):
            raise LimitError(f"a product of more than {MAX_DIGITS:,} digits is too large for a template")
        for sequence, times in ((left, right), (right, left)):
            size = _size(sequence)
            if size is not None and _is_int(times):
                _limit(size * max(times, 0), "characters" if isinstance(sequence, str) else "items")
    elif operator == "+":
        sizes = (_size(left), _size(right))
        if sizes[0] is not None and sizes[1] is not None:
            _limit(sizes[0] + sizes[1], "characters" if isinstance(left, str) else "items")
    elif operator == "%" and isinstance(left, str):
        _check_printf(left, right if isinstance(right, tuple) else (right,))


def _power_digits(base: object, exponent: object) -> float:
    """About how many digits ``base ** exponent`` has; 0 when it cannot be large."""
    if not isinstance(base, (int, Decimal)) or not isinstance(exponent, (int, Decimal)):
        return 0.0
    size = base if base >= 0 else -base
    if exponent <= 0 or size <= 1:
        return 0.0
    try:
        return float(exponent) * math.log10(size)
    except (OverflowError, ValueError):
        return math.inf


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?")
_FORMAT_SPEC = re.compile(r"\{[^{}]*?:([^{}]*)\}")
_NESTED_SPEC = re.compile(r"\{[^{}]*?:[^{}]*\{")


def _check_width(text: str | None) -> None:
    if text and text.isdigit() and (len(text) > len(str(MAX_SIZE)) or int(text) > MAX_SIZE):
        raise LimitError(f"a format width of {text} is too large for a template (at most {MAX_SIZE:,})")


def _check_int_arguments(values: Iterable[Any]) -> None:
    for value in values:
        if _is_int(value) and abs(value) > MAX_SIZE:
            raise LimitError(f"a width or count of {value:,} is too large for a template (at most {MAX_SIZE:,})")


def _check_printf(text: str, args: Iterable[Any]) -> None:
    """``text % args``: refuse huge widths, also those taken from ``args`` (``%*s``)."""
    for match in _PRINTF.finditer(text):
        for part in match.groups():
            if part == "*":
                _check_int_arguments(args if not isinstance(args, dict) else args.values())
            _check_width(part)


def _check_format(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """``text.format(...)``: refuse huge widths, also nested ones (``{:{width}}``)."""
    for match in _FORMAT_SPEC.finditer(text):
        for number in re.findall(r"\d+", match.group(1)):
            _check_width(number)
    if _NESTED_SPEC.search(text):
        _check_int_arguments([*args, *kwargs.values()])
        for value in args:
            if isinstance(value, dict):
                _check_int_arguments(value.values())


def _check_replace(text: str, old: Any, new: Any, count: Any) -> None:
    old, new = str(old), str(new)
    times = text.count(old) if old else len(text) + 1
    if _is_int(count) and count >= 0:
        times = min(times, count)
    _limit(len(text) + times * max(len(new) - len(old), 0))


def _check_join(separator: Any, items: list[Any]) -> None:
    _limit(sum(len(str(item)) for item in items) + len(str(separator)) * max(len(items) - 1, 0))


def _check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a call of a ``str`` method whose result would be too large; give the arguments to call with."""
    if name in ("center", "ljust", "rjust", "zfill"):
        _check_int_arguments(args[:1])
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if _is_int(size):
            _limit(len(text) + text.count("\t") * max(size, 0))
    elif name == "replace" and len(args) >= 2:
        _check_replace(text, args[0], args[1], args[2] if len(args) > 2 else kwargs.get("count", -1))
    elif name == "join" and args:
        items = list(args[0])
        _check_join(text, items)
        return (items, *args[1:])
    elif name in ("format", "format_map"):
        _check_format(text, args, kwargs)
    return args


def _check_filter(name: str, arguments: dict[str, Any]) -> None:
    """Refuse a call of a built-in filter whose result would be too large (``arguments`` bound by name)."""
    text = arguments.get("s", arguments.get("value"))
    size = _size(text) or 0
    if name == "center":
        _check_int_arguments([arguments["width"]])
    elif name == "indent":
        width = arguments["width"]
        per_line = len(width) if isinstance(width, str) else width if _is_int(width) else 0
        _limit(size + (str(text).count("\n") + 1) * max(per_line, 0))
    elif name == "wordwrap":
        width = arguments["width"] if _is_int(arguments["width"]) else 1
        wrap = arguments["wrapstring"] or "\n"
        _limit(size + (size // max(width, 1) + 1) * len(str(wrap)))
    elif name == "replace":
        _check_replace(str(text), arguments["old"], arguments["new"], arguments["count"])
    elif name == "join" and arguments["attribute"] is None:
        items = list(arguments["value"])
        _check_join(arguments["d"], items)
        arguments["value"] = items
    elif name == "format":
        _check_printf(str(text), arguments["kwargs"] or arguments["args"])
    elif name in ("batch", "slice"):
        _check_int_arguments([arguments.get("linecount", arguments.get("slices"))])


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its result, and for the filters that can blow up its arguments, bounded."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in _GROWING_FILTERS:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            _check_filter(name, bound.arguments)
            args, kwargs = bound.args, bound.kwargs
        return _limited(function(*args, **kwargs))

    return bounded


_GROWING_FILTERS = frozenset({"center", "indent", "wordwrap", "replace", "join", "format", "batch", "slice"})


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with every ``for`` loop counted and every ``~`` concatenation bounded."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        guard = nodes.EnvironmentAttribute("slagen_loop")
        if not (isinstance(node.iter, nodes.Call) and node.iter.node == guard):
            node.iter = nodes.Call(guard, [node.iter], [], None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.slagen_sized(")
        super().visit_Concat(node, frame)
        self.write(")")


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with the render limits: templates may read their values, not change them."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return _limited(super().call_binop(context, operator, left, right))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        _step()
        takes_context = _HELPERS.get(obj) if type(obj) is FunctionType else None
        if takes_context is not None:  # slagen's own ref/define/term/target: safe, their results small
            return _call_helper(context, obj, takes_context, args, kwargs)
        function = getattr(obj, "__wrapped__", obj)  # str.format comes wrapped by the sandbox
        owner = getattr(function, "__self__", None)
        if isinstance(owner, str):
            args = _check_str_method(owner, getattr(function, "__name__", ""), args, kwargs)
        return _limited(super().call(context, obj, *args, **kwargs))

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> Template:
        _step()
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: str | None = None, globals: Any = None) -> Template:
        _step()
        return super().select_template(names, parent, globals)

    def slagen_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Every ``for`` loop iterates through this: each item is a step."""
        for item in iterable:
            _step()
            yield item

    def slagen_sized(self, value: Any) -> Any:
        """Every ``~`` concatenation ends here."""
        return _limited(value)


class _LibraryLoader(FileSystemLoader):
    """Templates from the library's ``templates/`` directory only.

    Jinja already refuses ``..`` in a name; this loader also refuses a name whose file,
    after following symbolic links, lies outside the directory, before reading it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        super().__init__(str(self.root))

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        where = "the library's templates directory"
        try:
            path = self.root.joinpath(*split_template_path(template)).resolve()
        except (TemplateNotFound, OSError, ValueError):
            message = f"template name {template!r} is not allowed (a path inside {where}, without '..')"
            raise TemplateNotFound(template, message) from None
        if not path.is_relative_to(self.root):
            raise TemplateNotFound(template, f"template {template!r} leads outside {where} (a symbolic link?)")
        try:
            return super().get_source(environment, template)
        except TemplateNotFound:
            raise TemplateNotFound(template, f"no template {template!r} in {where}") from None


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs (Jinja's per-user cache directory, checked for ownership).

    Compiling the library's templates is most of a cold build; ``SLAGEN_NO_CACHE=1`` turns this off.
    """
    if os.environ.get("SLAGEN_NO_CACHE"):
        return None
    try:
        return FileSystemBytecodeCache(pattern=f"__slagen_{_CODE_VERSION}_%s.cache")
    except (OSError, RuntimeError):  # no usable temporary directory: compile every time
        return None


def _filter(function: Any) -> Any:
    @pass_context
    def apply(context: Context, value: Any) -> str:
        kind = type(value)
        if kind in _SCALARS:  # numbers and dates repeat in every document of a batch
            return _formatted(function, f"{kind.__name__}:{value}", value, context["locale"])
        return function(value, context["locale"])  # type: ignore[no-any-return]

    return apply


_SCALARS = frozenset({int, float, Decimal, dt.date})


@functools.lru_cache(maxsize=2048)
def _formatted(function: Any, key: str, value: Any, locale: str) -> str:
    """``function(value, locale)``, kept; ``key`` (type and text) tells equal values apart (1, 1.0, 1.00)."""
    return function(value, locale)  # type: ignore[no-any-return]


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


_HELPERS: dict[Any, bool] = {_ref: False, _define: True, _term: True, _target: True}
"""The template helpers the sandbox calls directly, and whether each takes the context."""


def _call_helper(context: Context, helper: Any, takes_context: bool, args: tuple[Any, ...], kwargs: Any) -> Any:
    """``helper(*args, **kwargs)`` as Jinja's ``Context.call`` makes it, without the sandbox's checks."""
    loop_vars, block_vars = kwargs.pop("_loop_vars", None), kwargs.pop("_block_vars", None)
    if not takes_context:
        return helper(*args, **kwargs)
    if loop_vars:  # what the template set inside a loop or block is seen, as by Context.call
        context = context.derived(loop_vars)
    if block_vars:
        context = context.derived(block_vars)
    return helper(context, *args, **kwargs)


def _term_text(context: Context, term: str) -> str:
    terms = context["labels"]["terms"]
    if term not in terms:
        raise KeyError(f"unknown defined term '{term}' (known: {', '.join(terms)})")
    return str(terms[term])


def render_document(
    answers: Answers,
    service: ServiceLevels,
    library: Library,
    language: str,
    *,
    today: dt.date,
    shared: Kept[tuple[int, reuse.Path], str] | None = None,
) -> Document:
    """Render every selected clause of ``answers`` in ``language`` into an unnumbered document.

    ``shared`` is given to the documents of one agreement in its languages: what they read alike
    is fingerprinted once for all of them (see :class:`slagen.reuse.Keys`).
    """
    labels = kind_labels(library, language, str(answers.values.get("agreement.kind") or "external"))
    locale = str(labels["locale"])
    context = {
        **localize_tree(answers.tree, library, language),
        "lang": language,
        "locale": locale,
        "labels": labels,
        "today": today,
        **_service_context(service, library, language, labels),
    }
    env = get_environment(library)
    front: list[Block] = []
    sections: dict[str, Section] = {}
    rendered = _render_clauses(env, answers.clauses, language, context, shared)
    for clause in answers.clauses:
        title, blocks = rendered[clause.id]
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


def _service_context(service: ServiceLevels, library: Library, language: str, labels: dict[str, Any]) -> dict[str, Any]:
    """What the templates see of the resolved ``service``: catalog, tiers, levels, credits.

    Made once per service, language and labels (agreements of one tier share the resolved service,
    see :func:`~slagen.resolve.resolve_service`), so it is also the same object from one agreement
    to the next (see :data:`_LASTING`).
    """
    kept: Kept[tuple[int, str, int], dict[str, Any]] | None = None
    if reuse.enabled():
        kept = library.cache.setdefault("service_contexts", Kept(256))
        found = kept.get((id(service), language, id(labels)))
        if found is not None:
            return found
    locale = str(labels["locale"])
    tiers = [
        {
            "id": tier.id,
            "name": tier.name,
            "rank": tier.rank,
            "chosen": tier is service.tier,
            "credits": tier.credits,
            **tier.terms,
        }
        for tier in service.offered
    ]
    levels = [_level(level, service, language, locale, labels["terms"]) for level in service.levels]
    made = {
        "catalog": {"id": service.catalog.id, **service.catalog.text[language]},
        "tier": next((tier for tier in tiers if tier["chosen"]), None),
        "tiers": tiers,
        "service_credits": service.credits,
        "levels": levels,
        "level": {level["id"]: level for level in levels},
    }
    if kept is not None:
        kept.put((id(service), language, id(labels)), made, (service, labels))
    return made


def kind_labels(library: Library, language: str, kind: str) -> dict[str, Any]:
    """The labels of ``language`` for an agreement of ``kind``, made once per process.

    ``labels.yaml`` may hold ``kinds: {<kind>: {<part>: {<key>: text}}}``: each part's keys replace the
    base labels' in an agreement of that kind (an internal agreement's terms and subtitle).
    """
    key = f"labels:{language}:{kind}"
    labels: dict[str, Any] | None = library.cache.get(key)
    if labels is None:
        base = library.labels[language]
        labels = {part: words for part, words in base.items() if part != "kinds"}
        for part, words in ((base.get("kinds") or {}).get(kind) or {}).items():
            labels[part] = {**labels[part], **words}
        library.cache[key] = labels
    return labels


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


def _level(level: Level, service: ServiceLevels, language: str, locale: str, terms: dict[str, Any]) -> dict[str, Any]:
    """One KPI for the templates.

    In a multi-level agreement ``target_text`` names each offered tier's value ("99.5% (Bronze),
    99.9% (Silver) or 99.95% (Gold)") and ``per_tier`` holds them one by one. The catalog's wording
    names the parties as ``{provider}`` and ``{customer}``: they become the agreement's terms.
    """
    kpi = level.kpi
    per_tier = [
        {
            "tier": tier.id,
            "name": tier.name,
            "chosen": tier is service.tier,
            "target": target,
            "text": formatting.format_value(target, kpi.unit, locale),
        }
        for tier, target in zip(service.offered, level.per_tier or (level.target,), strict=True)
    ]
    if service.multi_level:
        texts = [f"{entry['text']} ({entry['name']})" for entry in per_tier]
        target_text = formatting.format_listing(texts, locale, alternatives=True)
    else:
        target_text = per_tier[0]["text"]
    return {
        "id": kpi.id,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "group": kpi.group,
        "target": level.target,
        "standard": level.standard,
        "deviation": level.deviation,
        "target_text": target_text,
        "per_tier": per_tier,
        **{
            field: text.replace("{provider}", str(terms["provider"])).replace("{customer}", str(terms["customer"]))
            for field, text in kpi.text[language].items()
        },
    }


def _render_clauses(
    env: SandboxedEnvironment,
    clauses: list[Clause],
    language: str,
    context: dict[str, Any],
    shared: Kept[tuple[int, reuse.Path], str] | None,
) -> dict[str, tuple[list[Inline] | None, list[Block]]]:
    """Every clause rendered; those marked ``renders_last`` after the others, seeing the defined terms."""
    renderings: reuse.Renderings | None = getattr(env, "slagen_renderings", None)
    if renderings is None or not reuse.enabled():
        renderings = None
    memo = renderings.lasting if renderings is not None else None
    keys = reuse.Keys(context, lasting=_LASTING, memo=memo, shared=shared)
    rendered = {
        clause.id: _reused_clause(env, renderings, clause, language, keys)
        for clause in clauses
        if not clause.renders_last
    }
    late = [clause for clause in clauses if clause.renders_last]
    if late:
        keys = reuse.Keys({**context, **term_context(rendered)}, lasting=_LASTING, memo=memo, shared=shared)
        rendered.update((clause.id, _reused_clause(env, renderings, clause, language, keys)) for clause in late)
    return rendered


_LASTING = frozenset({"labels", "catalog", "tier", "tiers", "service_credits", "levels", "level"})
"""Context entries made once and shared by agreements (:func:`kind_labels`, :func:`_service_context`), never changed."""


def _reused_clause(
    env: SandboxedEnvironment, renderings: reuse.Renderings | None, clause: Clause, language: str, keys: reuse.Keys
) -> tuple[list[Inline] | None, list[Block]]:
    """The clause rendered, or its rendering kept (in ``renderings``) from a clause that read the very same values."""
    if renderings is None:
        return _render_clause(env, clause, language, keys.context)
    name = f"{language}/{clause.template_name}"
    paths = renderings.paths(env, name)
    key = keys.key(name, paths) if paths is not None else None
    result: tuple[list[Inline] | None, list[Block]] | None = renderings.get(key) if key is not None else None
    if result is None:
        result = _render_clause(env, clause, language, keys.context)
        if key is not None:
            renderings.put(key, result)
    return result


def _render_clause(
    env: SandboxedEnvironment, clause: Clause, language: str, context: dict[str, Any]
) -> tuple[list[Inline] | None, list[Block]]:
    name = f"{language}/{clause.template_name}"
    try:
        template = env.get_template(name)
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
    budget = _BUDGET.set(_Budget(MAX_STEPS, time.monotonic() + MAX_SECONDS))
    try:
        text = template.render(context)
    except RecursionError as exc:
        message = "recursion too deep: does a macro or an include call itself without end?"
        raise _error(clause, language, message, _template_line(exc.__traceback__, template.filename)) from None
    except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's error
        message = exc.message if isinstance(exc, JinjaError) and exc.message else str(exc) or type(exc).__name__
        message += _included_from(exc.__traceback__, template.filename, env)
        raise _error(clause, language, message, _template_line(exc.__traceback__, template.filename)) from None
    finally:
        _BUDGET.reset(budget)
    bad = _XML_INVALID.search(text)
    if bad:
        raise _control_character(env, template, clause, language, bad.group())
    try:
        return parse_markup(text)
    except MarkupError as exc:
        raise _error(clause, language, f"{exc} (line {exc.line} of the rendered text)", None) from None


def _control_character(
    env: SandboxedEnvironment, template: Template, clause: Clause, language: str, char: str
) -> TemplateError:
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


def _included_from(tb: TracebackType | None, filename: str | None, env: SandboxedEnvironment) -> str:
    """`` (in de/other.md.j2, line 3)`` when the error arose in a template the clause includes or imports."""
    loader = env.loader
    if not isinstance(loader, _LibraryLoader):  # pragma: no cover - the environment is always built above
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
