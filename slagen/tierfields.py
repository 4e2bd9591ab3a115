"""The terms and credits of one tier, typed by the catalog's declarations and checked.

Takes a tier's ``terms`` and ``credits`` as written in a catalog or tier file and gives them typed;
every problem is added, with file, line and key, to the caller's list (:mod:`slagen.catalogs`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slagen.arithmetic import CreditScheme, check_credits
from slagen.errors import Problem
from slagen.params import Param, ParamError, coerce_value
from slagen.yamlsource import YamlSource

if TYPE_CHECKING:
    from slagen.catalogs import Kpi


def tier_terms(
    source: YamlSource,
    where: tuple[str, ...],
    given: Any,
    terms: dict[str, Param],
    languages: tuple[str, ...],
    problems: list[Problem],
) -> dict[str, Any]:
    """The tier's value of every declared term (its default where not given)."""
    values: dict[str, Any] = {}
    if not isinstance(given, dict):
        problems.append(Problem("expected a mapping", source.path, source.line_of((*where, "terms")), "terms"))
        return values
    for name in given:
        if name not in terms:
            key = (*where, "terms", str(name))
            message = f"not a term of this catalog (declared: {', '.join(terms) or 'none'})"
            problems.append(Problem(message, source.path, source.line_of(key), ".".join(key)))
    for name, param in terms.items():
        key = (*where, "terms", name)
        if name not in given:
            if param.has_default:
                values[name] = param.default
            else:
                message = f"no value for term '{name}'"
                problems.append(Problem(message, source.path, source.line_of(where), ".".join((*where, "terms"))))
            continue
        try:
            values[name] = coerce_value(param, given[name], languages=languages)
        except ParamError as exc:
            for error in exc.all():
                path = (*key, *error.subkey)
                problems.append(Problem(str(error), source.path, source.line_of(path), ".".join(path)))
    return values


def tier_credits(
    source: YamlSource, where: tuple[str, ...], given: Any, target: Any, kpi: Kpi, problems: list[Problem]
) -> CreditScheme | None:
    """The tier's credit bands and cap for ``kpi``, checked against its ``target``."""
    key = (*where, "credits")
    if given is None:
        message = f"no service credits (bands and cap for KPI '{kpi.id}')"
        problems.append(Problem(message, source.path, source.line_of(where), ".".join(key)))
        return None
    try:
        credits: CreditScheme = coerce_value(Param("credits", "credits"), given)
    except ParamError as exc:
        for error in exc.all():
            path = (*key, *error.subkey)
            problems.append(Problem(str(error), source.path, source.line_of(path), ".".join(path)))
        return None
    show = "{} %" if kpi.unit == "percent" else "{}"
    for subkey, message in check_credits(credits, None if target is None else Decimal(target), show=show):
        path = (*key, *subkey)
        problems.append(Problem(message, source.path, source.line_of(path), ".".join(path)))
    return credits
