"""Declared parameters: the one description of every answer a clause needs.

A parameter is declared once in the library (type, unit, default, bounds, choices) and
drives validation, the interview, the JSON Schema and the docs. Its ``type`` names one
of :data:`PARAM_TYPES`, the class that knows how to coerce, describe and ask for it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from slagen.params.base import Languages, ParamType
from slagen.params.lists import LanguagesType, ListType, LocalizedType, RecordsType, TiersType
from slagen.params.scalars import (
    BooleanType,
    DateType,
    DecimalType,
    DurationType,
    EnumType,
    IntegerType,
    PercentType,
    PpmType,
    StringType,
    TextType,
    TimeType,
    WorkingDaysType,
)
from slagen.params.service import CatalogType, CreditsType, KpiValuesType, TierType
from slagen.params.values import ParamError

PARAM_TYPES: dict[str, ParamType] = {
    kind.name: kind
    for kind in (
        StringType(),
        TextType(),
        IntegerType(),
        DecimalType(),
        PercentType(),
        PpmType(),
        WorkingDaysType(),
        DurationType(),
        DateType(),
        TimeType(),
        BooleanType(),
        EnumType(),
        ListType(),
        RecordsType(),
        CatalogType(),
        TierType(),
        TiersType(),
        KpiValuesType(),
        LanguagesType(),
        LocalizedType(),
        CreditsType(),
    )
}
"""Every type a library may declare (``type: duration``), by name; a new type is one class added here."""
TYPES = tuple(PARAM_TYPES)


class Param(Struct, frozen=True):
    """One declared parameter: the answer key it reads and how to check it."""

    key: str
    type: str
    help: str = ""
    default: Any = None
    required: bool = True
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[str, ...] = ()
    unit: str | None = None
    fields: dict[str, Param] = field(default_factory=dict)
    declared_in: str = ""
    when: str = ""
    """A condition over the other answers, as a clause's ``when``: the answer applies only if it holds
    (the interview does not ask it otherwise)."""

    @property
    def kind(self) -> ParamType:
        """The class of the declared ``type``, which coerces, describes and asks for this parameter's values."""
        try:
            return PARAM_TYPES[self.type]
        except KeyError:
            raise ParamError(f"unknown parameter type '{self.type}'") from None  # library loading refuses it

    @property
    def has_default(self) -> bool:
        """Whether an absent answer takes a default rather than being an error."""
        return self.default is not None or not self.required


def coerce_value(param: Param, value: Any, *, languages: Languages = None) -> Any:
    """Check ``value`` against ``param`` and return it typed; raise :class:`ParamError`.

    ``languages`` are the library's: a value naming a language must name one of them
    (``None``: not checked, for a value seen without its library).

    >>> coerce_value(Param("x", "percent"), "99.9%")
    Decimal('99.9')
    >>> coerce_value(Param("x", "integer", minimum=Decimal(1)), 0)
    Traceback (most recent call last):
    ...
    slagen.params.values.ParamError: 0 is below the minimum of 1
    """
    return param.kind.coerce(param, value, languages)


_FIELDS = frozenset({"type", "help", "default", "required", "min", "max", "choices", "unit", "fields", "when"})


def parse_param(key: str, spec: Any, declared_in: str, *, languages: Languages = None) -> Param:
    """Build a :class:`Param` from its library declaration; raise ``ValueError`` if malformed.

    A default must fit the declaration, in the library's ``languages`` where it names any.
    """
    if not isinstance(spec, dict):
        raise ValueError("a parameter is declared as a mapping with at least 'type'")
    unknown = sorted(set(spec) - _FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_FIELDS))})")
    kind = PARAM_TYPES.get(spec.get("type"))  # type: ignore[arg-type]
    if kind is None:
        raise ValueError(f"unknown type {spec.get('type')!r} (one of: {', '.join(TYPES)})")
    if not isinstance(spec.get("fields") or {}, dict):
        raise ValueError("'fields' must be a mapping of field name to declaration")
    kind.check_spec(spec)
    if not isinstance(spec.get("choices", []), list):
        raise ValueError("'choices' must be a list")
    fields = {
        name: parse_param(f"{key}.{name}", sub, declared_in, languages=languages)
        for name, sub in (spec.get("fields") or {}).items()
    }
    bounds = {name: kind.parse_bound(spec[name]) for name in ("min", "max") if name in spec}
    param = Param(
        key=key,
        type=kind.name,
        help=str(spec.get("help", "")),
        default=None,
        required=bool(spec.get("required", "default" not in spec)),
        minimum=bounds.get("min"),
        maximum=bounds.get("max"),
        choices=tuple(str(c) for c in spec.get("choices", ())),
        unit=spec.get("unit"),
        fields=fields,
        declared_in=declared_in,
        when=str(spec.get("when") or ""),
    )
    kind.check_declaration(param, spec)
    if "default" in spec and spec["default"] is not None:
        try:
            default = kind.coerce(param, spec["default"], languages)
        except ParamError as exc:
            raise ValueError(f"default does not fit: {exc}") from None
        param = replace(param, default=default)
    return param
