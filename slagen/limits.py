"""The bounds on what a library template may do while it renders.

Templates are written by people, not programs: a runaway one (a huge ``range``, ``'x' * 10**9``,
nested loops, endless recursion) must stop with a :class:`LimitError` instead of hanging or
exhausting memory. The sandbox (:mod:`slagen.sandbox`) calls these checks before an operation
that could grow without bound, and counts steps while a clause renders (:func:`rendering`).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2.exceptions import SecurityError

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


class LimitError(SecurityError):
    """A template went beyond one of the render limits."""


@dataclass(slots=True)
class _Budget:
    steps: int
    deadline: float


_BUDGET: ContextVar[_Budget | None] = ContextVar("slagen_render_budget", default=None)


def step() -> None:
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


def limited(value: Any) -> Any:
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


def bounded_range(*args: int) -> range:
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


def check_binop(operator: str, left: Any, right: Any) -> None:
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


def check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
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


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its result, and for the filters that can blow up its arguments, bounded."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in _GROWING_FILTERS:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            _check_filter(name, bound.arguments)
            args, kwargs = bound.args, bound.kwargs
        return limited(function(*args, **kwargs))

    return bounded


_GROWING_FILTERS = frozenset({"center", "indent", "wordwrap", "replace", "join", "format", "batch", "slice"})


@contextlib.contextmanager
def rendering() -> Iterator[None]:
    """The budget of one clause's rendering: :data:`MAX_STEPS` steps within :data:`MAX_SECONDS`."""
    budget = _BUDGET.set(_Budget(MAX_STEPS, time.monotonic() + MAX_SECONDS))
    try:
        yield
    finally:
        _BUDGET.reset(budget)
