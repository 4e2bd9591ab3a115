"""The filters and helpers clause templates call, and the escaping of answers for the clause markup.

Filters format values with Babel in the locale of the document (``{{ x|percent }}``); helpers write
the markup of cross-references and defined terms (``{{ ref('services.levels') }}``,
``{{ term('provider') }}``). Each reads what it needs from the template's context, so a recorded
rendering (:mod:`slagen.recording`) records what they read as well.
"""

from __future__ import annotations

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


@pass_context
def _number(context: Context, value: int | Decimal) -> str:
    """A number with the language's grouping and decimal sign, every digit kept (``12.500,5`` / ``12,500.5``)."""
    return formatting.format_number(value, context["locale"])


@pass_context
def _percent(context: Context, points: int | Decimal) -> str:
    """A percentage given in percentage points: ``99.9`` is ``99,9 %`` / ``99.9%``."""
    return formatting.format_percent(points, context["locale"])


@pass_context
def _date(context: Context, value: Any) -> str:
    """A date in the language's long form: ``1. Januar 2027`` / ``1 January 2027``."""
    return formatting.format_date(value, context["locale"])


@pass_context
def _duration(context: Context, value: Any) -> str:
    """A duration in the unit it was agreed in, spelled out: ``24h`` is ``24 Stunden`` / ``24 hours``."""
    return formatting.format_duration(value, context["locale"])


@pass_context
def _timespan(context: Context, seconds: Any) -> str:
    """A computed span (seconds, or a duration) in days, hours, minutes and seconds, each spelled out.

    ``2678.4`` is ``44 Minuten und 38,4 Sekunden`` / ``44 minutes and 38.4 seconds``.
    """
    return formatting.format_timespan(seconds, context["locale"])


@pass_context
def _listing(context: Context, items: list[Any]) -> str:
    """A list joined as the language joins it: ``Bronze, Silver und Gold`` / ``Bronze, Silver and Gold``."""
    return formatting.format_listing(items, context["locale"])


@pass_context
def _alternatives(context: Context, items: list[Any]) -> str:
    """A list joined with "or": ``Bronze, Silver oder Gold`` / ``Bronze, Silver or Gold``."""
    return formatting.format_listing(items, context["locale"], alternatives=True)


@pass_context
def _money(context: Context, amount: Decimal, currency: str = "EUR") -> str:
    """An amount of money in the language's currency format: ``12.500,00 €`` / ``€12,500.00``."""
    return formatting.format_money(amount, currency, context["locale"])


@pass_context
def _value(context: Context, level: dict[str, Any], which: str = "target") -> str:
    """A KPI level's ``target`` (or ``standard``) formatted by the KPI's unit: percent, duration or count."""
    return formatting.format_value(level[which], level["unit"], context["locale"])


def _downtime(availability: Decimal | int, days: int | Decimal) -> Decimal:
    """The seconds of downtime an availability (percentage points) allows over ``days`` days; print with |timespan.

    Computed in :mod:`slagen.arithmetic` (Decimal, no float drift): ``99.9|downtime(30)`` is ``2592``.
    """
    return arithmetic.allowed_downtime(availability, days)


@pass_context
def _claim(context: Context, credits: Any, part: str = "within") -> str:
    """The claim rule for further Service Credits (:mod:`slagen.claim`) in the document's words.

    ``within`` is the period (``within 30 days after receiving the report for that month``), ``last_day`` the
    sentence that moves a last day off work under German law (§ 193 BGB; empty otherwise). The report computes
    the deadline from the same rule: ``{{ credits|claim }}``, ``{{ credits|claim('last_day') }}``.
    """
    from slagen.claim import answers_of, claim_rule, claim_words

    rule = claim_rule(answers_of({"credits": credits, "agreement": context["agreement"]}))
    return claim_words(rule, context["labels"]["claims"], context["locale"])[part]


def _term_end(start: Any, months: int) -> Any:
    """The last day of a term of ``months`` months from ``start``, counted as §§ 187 (2), 188 (2), (3) BGB count.

    1 January 2027 with 12 months ends on 31 December 2027; print with |date.
    """
    return termdates.term_end(start, months)


def _notice_by(end: Any, months: int, governing_law: Any = None) -> Any:
    """The last day on which notice of ``months`` months to end a term ending on ``end`` must be received.

    Computed by :func:`slagen.dates.notice_deadline`, as ``slagen dates`` computes it, under the governing
    law's rules (German law where there is none): a term ending on 31 December 2027 with 3 months' notice
    gives 30 September 2027; print with |date.
    """
    from slagen.dates import notice_deadline, period_law

    return notice_deadline(end, int(months), period_law(governing_law))


def _ref(target: str) -> Markup:
    """The number of another clause, section or annex (``7.4``, ``Anlage 2``), as a cross-reference field.

    ``target`` is a clause id, or ``clause.id#name`` for a paragraph marked with paragraph(). Write the word
    before it yourself (``Ziffer``, ``clause``), except for an annex, which cites itself whole. A reference to
    a clause that some agreements leave out stands in an ``{% if %}`` on that clause's condition (rule
    ``references`` of ``slagen lint``).
    """
    if not _ID.match(str(target)):
        raise ValueError(f"ref() needs a clause id such as 'services.levels', not {target!r}")
    return Markup(f"[§](ref:{target})")  # noqa: S704 - target is checked to be an id


def _paragraph(name: str) -> Markup:
    """Marks the paragraph it starts as ``name``, so that ``ref('clause.id#name')`` cites its number.

    Stands at the start of a paragraph of the clause; the clause then numbers its paragraphs (1), (2) ….
    """
    if not re.match(r"^[a-z0-9_]+$", str(name)):
        raise ValueError(f"paragraph() needs a name of lower-case letters, digits and '_', not {name!r}")
    return Markup(f"[¶](para:{name})")  # noqa: S704 - name is checked above


@pass_context
def _define(context: Context, term: str) -> Markup:
    """Defines the term ``term`` here: its words from labels.yaml's ``terms``, bold, in the language's quotes.

    Each term is defined by one clause of an agreement; the definitions clause lists where.
    """
    return Markup(f"[{escape_markup(_term_text(context, term))}](define:{term})")  # noqa: S704 - escaped above


@pass_context
def _term(context: Context, term: str) -> Markup:
    """Uses the defined term ``term``: its words from labels.yaml's ``terms`` (reworded per kind of agreement)."""
    return Markup(f"[{escape_markup(_term_text(context, term))}](term:{term})")  # noqa: S704 - escaped


@pass_context
def _target(context: Context, level: dict[str, Any]) -> Markup:
    """A KPI level's agreed target as text (``level.x.target_text``); a deviation from the tier carries a note.

    The note (shown with ``build --review``) names the standard tier's value and whether the agreed one is
    stricter or looser.
    """
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


def _escape(value: Any) -> Markup:
    """Escapes a text for the clause markup (not for HTML): ``**``, ``|``, ``<`` appear as written.

    Every value printed with ``{{ … }}`` is escaped so already; the filter is for a value joined into markup
    a macro writes.
    """
    return escape_markup(value)


FILTERS: dict[str, Any] = {
    "number": _number,
    "percent": _percent,
    "date": _date,
    "duration": _duration,
    "timespan": _timespan,
    "downtime": _downtime,
    "term_end": _term_end,
    "claim": _claim,
    "notice_by": _notice_by,
    "money": _money,
    "value": _value,
    "listing": _listing,
    "alternatives": _alternatives,
    # Jinja's escape filters escape for HTML and mark the result safe, which would let an answer's
    # markup (**, [..](ref:..)) through: here escaping means escaping for the clause markup.
    "e": _escape,
    "escape": _escape,
    "forceescape": _escape,
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
