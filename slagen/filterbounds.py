"""The bounds on Jinja's filters and tests as clause templates call them.

A filter runs inside one call of the template, where :func:`slagen.limits.step` does not count:
here every filter and test call is in time (:data:`slagen.limits.MAX_SECONDS`), the loop of a
filter over its value is paced, a filter that makes a text of its value has that text's length
checked before it is made, and the filters that can grow a value beyond its input (``replace``,
``join``, ``indent``, ``sort`` without case, ``sum`` of lists, …) have their result checked first.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2.filters import make_attrgetter
from jinja2.runtime import Undefined
from jinja2.utils import _PassArg

from slagen import limits
from slagen.limits import (
    LimitError,
    _check_int_arguments,
    _check_join,
    _check_printf,
    _check_replace,
    _is_int,
    _limit,
    _size,
    check_texts,
    in_time,
    limited,
    paced,
    printable,
)


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
        _check_replace(str(text), printable(arguments["old"]), printable(arguments["new"]), arguments["count"])
    elif name == "join":
        items = list(arguments["value"])
        if arguments["attribute"] is not None:
            items = list(map(make_attrgetter(arguments["eval_ctx"].environment, arguments["attribute"]), items))
            arguments["attribute"] = None
        _check_join(arguments["d"], items)
        arguments["value"] = items
    elif name == "format":
        _check_printf(str(text), arguments["kwargs"] or arguments["args"])
        check_texts([*arguments["args"], *arguments["kwargs"].values()], size)
    elif name in ("batch", "slice"):
        _check_int_arguments([arguments.get("linecount", arguments.get("slices"))])
    elif name in ("sort", "groupby", "dictsort") and not arguments["case_sensitive"]:
        _check_keys(name, arguments)
    elif name == "sum" and isinstance(arguments["start"], (list, tuple)):
        items = list(arguments["value" if "value" in arguments else "iterable"])
        arguments["iterable"] = items
        _check_sum(arguments["environment"], items, arguments["attribute"], arguments["start"])


def _check_keys(name: str, arguments: dict[str, Any]) -> None:
    """Sorting without case lowers every key that is a text: refuse when those copies would be too long."""
    if name == "dictsort":
        pairs = arguments["value"].items()
        keys: Iterable[Any] = (pair[arguments["by"] == "value"] for pair in pairs)
    else:
        items = list(arguments["value"])
        arguments["value"] = items
        attribute = arguments["attribute"]
        keys = items if attribute is None else map(make_attrgetter(arguments["environment"], attribute), items)
    total = 0
    for key in keys:
        if isinstance(key, str):
            total += len(key)
            if total > limits.MAX_SIZE:
                raise LimitError(
                    f"the template would sort by copies of texts of more than {limits.MAX_SIZE:,} characters "
                    f"(at most {limits.MAX_SIZE:,}; case_sensitive=true makes none)"
                )


def _check_sum(environment: Any, items: list[Any], attribute: Any, start: Any) -> None:
    """``|sum(start=[])`` joins lists: refuse before a too long one is built (and every one before it)."""
    parts = items if attribute is None else map(make_attrgetter(environment, attribute), items)
    total = len(start)
    for part in parts:
        total += _size(part) or 0
        _limit(total, "items")


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its result, and for the filters that can blow up its arguments, bounded.

    Every call is in time; a filter that makes a text of its value has that text's length checked
    first, and one that loops over its value gets it paced (:func:`paced`).
    """
    signature = inspect.signature(function)
    first = 0 if _PassArg.from_obj(function) is None else 1  # Jinja passes the context or environment first
    text, loops, growing = name in TEXT_FILTERS, name in _LOOPING_FILTERS, name in _GROWING_FILTERS

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        in_time()
        if len(args) > first:
            value = args[first]
            if text:
                printable(value)
            elif loops and not isinstance(value, (str, Mapping, Undefined)) and hasattr(value, "__iter__"):
                args = (*args[:first], paced(value), *args[first + 1 :])
        if growing:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            _check_filter(name, bound.arguments)
            args, kwargs = bound.args, bound.kwargs
        result = function(*args, **kwargs)
        if loops and isinstance(result, Iterator):
            return paced(result, made=True)
        return limited(result, nested=True)

    return bounded


def timed_test(function: Any) -> Callable[..., Any]:
    """``function`` (a Jinja test, as ``select`` calls them for every item), in time."""

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        in_time()
        return function(*args, **kwargs)

    return timed


TEXT_FILTERS = frozenset(
    {
        *("string", "e", "escape", "forceescape", "safe", "upper", "lower", "capitalize", "title", "trim"),
        *("striptags", "truncate", "wordcount", "wordwrap", "center", "indent", "replace", "format"),
        *("urlencode", "pprint", "listing", "alternatives"),
    }
)
"""Filters that make a text of their value (``str(value)``): its length is checked before."""
_LOOPING_FILTERS = frozenset(
    {
        *("map", "select", "reject", "selectattr", "rejectattr", "sum", "join", "unique", "list", "batch"),
        *("slice", "groupby", "sort", "min", "max", "reverse"),
    }
)
_GROWING_FILTERS = frozenset(
    {
        *("center", "indent", "wordwrap", "replace", "join", "format", "batch", "slice"),
        *("sort", "groupby", "dictsort", "sum"),
    }
)
