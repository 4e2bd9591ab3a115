"""The filters and helpers clause templates call, and the escaping of answers for the clause markup.

Filters format values with Babel in the locale of the document (``{{ x|percent }}``); helpers write
the markup of cross-references and defined terms (``{{ ref('services.levels') }}``,
``{{ term('provider') }}``). Each reads what it needs from the template's context, so a recorded
rendering (:mod:`slagen.recording`) records what they read as well.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from slagen import arithmetic, formatting, limits, termdates

_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*(#[a-z0-9_]+)?$")
_MARKUP_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&=])")


def escape_markup(value: Any) -> Markup:
    """Text of an answer, safe to place in the markup: every markup character is escaped.

    Used as the environment's ``finalize``: with autoescaping on, Jinja marks the output of
    macros and of ``ref``/``define``/``term`` as :class:`~markupsafe.Markup`, which passes
    unchanged; everything else is a value and is escaped for the clause markup (not HTML). The
    length of a value's text is checked before the text is made (:func:`slagen.limits.printable`).

    >>> str(escape_markup("**A|B** <x>"))
    '\\\\*\\\\*A\\\\|B\\\\*\\\\* \\\\<x\\\\>'
    """
    if isinstance(value, Markup):
        return value
    limits.printable(value)
    return Markup(_MARKUP_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " "))  # noqa: S704 - every markup character escaped


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


def _paragraph(name: str) -> Markup:
    if not re.match(r"^[a-z0-9_]+$", str(name)):
        raise ValueError(f"paragraph() needs a name of lower-case letters, digits and '_', not {name!r}")
    return Markup(f"[¶](para:{name})")  # noqa: S704 - name is checked above


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


HELPERS: dict[Any, bool] = {_ref: False, _define: True, _term: True, _target: True}
"""The template helpers the sandbox calls directly, and whether each takes the context."""


def call_helper(context: Context, helper: Any, takes_context: bool, args: tuple[Any, ...], kwargs: Any) -> Any:
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


FILTERS: dict[str, Any] = {
    "number": _filter(formatting.format_number),
    "percent": _filter(formatting.format_percent),
    "date": _filter(formatting.format_date),
    "duration": _filter(formatting.format_duration),
    "timespan": _filter(formatting.format_timespan),
    "downtime": arithmetic.allowed_downtime,
    "term_end": termdates.term_end,
    "money": _money,
    "value": _value,
    "listing": _filter(formatting.format_listing),
    "alternatives": _filter(functools.partial(formatting.format_listing, alternatives=True)),
    # Jinja's escape filters escape for HTML and mark the result safe, which would let an answer's
    # markup (**, [..](ref:..)) through: here escaping means escaping for the clause markup.
    "e": escape_markup,
    "escape": escape_markup,
    "forceescape": escape_markup,
}
"""slagen's filters, beside Jinja's own."""
GLOBALS: dict[str, Any] = {
    "ref": _ref,
    "define": _define,
    "term": _term,
    "target": _target,
    "paragraph": _paragraph,
}
"""slagen's helpers, beside Jinja's globals."""
