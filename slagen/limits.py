"""The bounds on what a library template may do while it renders.

Templates are written by people, not programs: a runaway one (a huge ``range``, ``'x' * 10**9``,
nested loops, endless recursion) must stop with a :class:`LimitError` instead of hanging or
exhausting memory. The sandbox (:mod:`slagen.sandbox`) calls these checks before an operation
that could grow without bound, and counts steps while a clause renders (:func:`rendering`).
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import Undefined
from jinja2.utils import Namespace
from msgspec import Struct

from slagen.recording import Tracked

MAX_STEPS = 100_000
"""Loop iterations, calls, includes and imports one clause may make while it renders."""
MAX_RANGE = 10_000
"""Most numbers ``range()`` gives in a template."""
MAX_SIZE = 1_000_000
"""Longest text (characters) or list (items) a template may build."""
MAX_DIGITS = 1_000
"""Most digits of a number a template may compute."""
MAX_BUILT = 5_000_000
"""Characters and items one clause may build and write in all (what it holds at once is among them).

Each text or list an operator, call or filter makes counts its length, and each text the template
writes; a list a filter makes counts six more for each text and eight more for each list or mapping
in it (their own memory). So the memory a clause can take is bounded, not only the size of each value.
"""
MAX_SECONDS = 10.0
"""Time one clause may take to render, filters included: a backstop behind the counts above."""


class LimitError(SecurityError):
    """A template went beyond one of the render limits."""


class _Budget(Struct):
    steps: int
    deadline: float
    built: int


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


def in_time() -> None:
    """Refuse to go on past the deadline of the clause being rendered (inside filters and tests too)."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise LimitError(f"the template takes longer than {MAX_SECONDS:g} seconds to render")


def paced(items: Iterable[Any], *, made: bool = False) -> Iterator[Any]:
    """``items``, the deadline checked every 256 of them: the loops inside filters are bounded in time.

    ``made``: the items are made as they come (``batch``, ``map``), each counted against :data:`MAX_BUILT`.
    """
    for count, item in enumerate(items):
        if not count & 255:
            in_time()
        if made:
            _charge(_held(item))
        yield item


def written(text: str) -> str:
    """``text``, which the clause being rendered writes, counted against :data:`MAX_BUILT`."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.built -= len(text)
        if budget.built < 0:
            _charge(0)  # says so
    return text


def _charge(size: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.built -= size
        if budget.built < 0:
            raise LimitError(
                f"the template builds and writes more than {MAX_BUILT:,} characters and items in all; "
                "does a loop build a large value again and again?"
            )


def _limit(size: int, unit: str = "characters") -> None:
    if size > MAX_SIZE:
        raise LimitError(f"the template would build a value of {size:,} {unit} (at most {MAX_SIZE:,})")


def limited(value: Any, *, nested: bool = False) -> Any:
    """``value`` if it is not too large a text or list, counted against :data:`MAX_BUILT`.

    ``nested``: the lists or mappings ``value`` holds (as a filter such as ``batch`` makes them) count too.
    """
    if isinstance(value, str):
        _limit(len(value))
        _charge(len(value))
    elif isinstance(value, _CONTAINERS):
        _limit(len(value), "items")
        size = len(value)
        if nested and isinstance(value, (list, tuple)):
            size += sum(_held(item) for item in value)
        _charge(size)
    return value


_CONTAINERS = (list, tuple, dict, set, frozenset)


def _held(item: Any) -> int:
    """The memory an item of a list takes of its own, in the units of :data:`MAX_BUILT` (about 8 bytes)."""
    if isinstance(item, str):
        return 6
    return 8 + len(item) if isinstance(item, _CONTAINERS) else 0


def printable(value: Any) -> Any:
    """``value`` if its text (``str(value)``) is not too long, checked before that text is made.

    A text is already made; a list of a million references to one long text is small, its text is not.
    """
    if not isinstance(value, str) and printed_size(value, MAX_SIZE) > MAX_SIZE:
        raise LimitError(_too_long_as_text(value))
    return value


def printed_size(value: Any, bound: int) -> int:
    """How long ``str(value)`` is, at least, counted only until past ``bound``: no text is made.

    A container prints its items' ``repr``: a text item at least its length and two quotes, an
    empty container two brackets, items two separators apart, so that a walk of anything, even
    of a namespace that holds itself, ends after at most ``bound`` items.

    >>> printed_size([("x" * 10, 1)] * 3, 1000), len(str([("x" * 10, 1)] * 3))
    (57, 57)
    >>> printed_size([["x" * 10**6]] * 10, 1000)  # its text would be 10,000,060 characters
    1000024
    """
    if isinstance(value, str):
        return len(value)
    total = 0
    stack: list[Iterator[Any]] = [iter((value,))]
    while stack:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
            continue
        size, inner = _printed_part(item, len(stack) > 1)
        total += size
        if total > bound:
            return total
        if inner is not None:
            stack.append(inner)
    return total


_END = object()
_SEQUENCES = (list, tuple, set, frozenset, KeysView, ValuesView, ItemsView)


def _printed_part(item: Any, nested: bool) -> tuple[int, Iterator[Any] | None]:
    """The characters ``item`` prints itself (at least), and the items it prints inside, if any."""
    if isinstance(item, str):
        return len(item) + 2 * nested, None
    if isinstance(item, int) and not isinstance(item, bool):
        bits = abs(item).bit_length()
        return (len(str(item)) if bits < 10_000 else int(bits * 0.30103)), None
    if type(item) is Tracked:  # what the context holds, walked without being recorded as read
        return 0, iter((item._slagen_data,))
    if isinstance(item, Mapping):
        return max(4 * len(item), 2), (part for pair in item.items() for part in pair)
    if isinstance(item, _SEQUENCES):
        return max(2 * len(item), 2), iter(item)
    if isinstance(item, Namespace):
        return 12, iter((object.__getattribute__(item, "_Namespace__attrs"),))
    if isinstance(item, Undefined):
        return 0, None
    body = getattr(item, "_body_stream", None)  # an imported template prints all it wrote
    if isinstance(body, list):
        return sum(len(part) for part in body), None
    return len(repr(item) if nested else str(item)), None


def check_texts(values: Iterable[Any], extra: int = 0) -> None:
    """Refuse joining the texts of ``values`` and ``extra`` characters more, before any text is made."""
    total = extra
    for value in values:
        size = printed_size(value, MAX_SIZE)
        if size > MAX_SIZE and not isinstance(value, str):  # counted only until past the limit
            raise LimitError(_too_long_as_text(value))
        total += size
    _limit(total)


def _too_long_as_text(value: Any) -> str:
    kind = "mapping" if isinstance(value, Mapping) else type(value).__name__
    with contextlib.suppress(TypeError):
        kind += f" of {len(value):,} items"
    return f"the template would write a {kind} as a text of more than {MAX_SIZE:,} characters (at most {MAX_SIZE:,})"


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
        arguments = right if isinstance(right, tuple) else (right,)
        _check_printf(left, arguments)
        check_texts(arguments, len(left))


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
    printable(separator)
    check_texts(items, len(str(separator)) * max(len(items) - 1, 0))


def check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a call of a ``str`` method whose result would be too large; give the arguments to call with."""
    if name in ("center", "ljust", "rjust", "zfill"):
        _check_int_arguments(args[:1])
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if _is_int(size):
            _limit(len(text) + text.count("\t") * max(size, 0))
    elif name == "replace" and len(args) >= 2:
        _check_replace(
            text, printable(args[0]), printable(args[1]), args[2] if len(args) > 2 else kwargs.get("count", -1)
        )
    elif name == "join" and args:
        items = list(args[0])
        _check_join(text, items)
        return (items, *args[1:])
    elif name in ("format", "format_map"):
        _check_format(text, args, kwargs)
        check_texts([*args, *kwargs.values()], len(text))
    elif name == "translate" and args and isinstance(args[0], Mapping):
        _check_translate(text, args[0])
    return args


def _check_translate(text: str, table: Mapping[Any, Any]) -> None:
    """``text.translate(table)``: each character the table maps to a text grows the result by that text."""
    size = len(text)
    for key, new in table.items():
        if isinstance(new, str) and len(new) > 1:
            found = text.count(chr(key)) if isinstance(key, int) and 0 <= key < 0x110000 else 0
            size += found * (len(new) - 1)
            _limit(size)


@contextlib.contextmanager
def rendering() -> Iterator[None]:
    """The budget of one clause's rendering: :data:`MAX_STEPS` steps within :data:`MAX_SECONDS`."""
    budget = _BUDGET.set(_Budget(MAX_STEPS, time.monotonic() + MAX_SECONDS, MAX_BUILT))
    try:
        yield
    finally:
        _BUDGET.reset(budget)
