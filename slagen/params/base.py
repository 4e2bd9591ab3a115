"""What a parameter type is: one class that coerces, describes and asks for its values.

Every ``type:`` a library may declare (``duration``, ``records``, …) is one subclass of
:class:`ParamType`, registered by name in :data:`slagen.params.declaration.PARAM_TYPES`.
Validation, the JSON Schema, the answers reference and the interview all ask the
parameter's type instead of switching on its name, so a new type is one new class.

The interview is not imported here (it builds on this package); a type talks to it
through the small :class:`Asker` protocol.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from msgspec import Struct

from slagen.errors import InputError
from slagen.params.values import Duration, ParamError, as_decimal
from slagen.yamlsource import parse_yaml

if TYPE_CHECKING:
    from slagen.catalogs import Catalog
    from slagen.library import Library
    from slagen.params.declaration import Param

Languages = Sequence[str] | None
"""The library's languages, where a value names languages; ``None`` where nobody knows them (a bare value)."""
Findings = list[tuple[tuple[str, ...], str]]
"""(key path below the answer, message) pairs."""


class Choice(Struct, frozen=True):
    """One allowed answer, with a note to show beside it (a tier's targets, a catalog's name).

    ``label`` is the answer in the interview's language (``Standardpaket`` for ``standard``): shown instead of
    the value, and accepted when typed, as the value and the choice's number are.
    """

    value: str
    note: str = ""
    label: str = ""


MISSING: Any = object()
"""An optional question left unanswered: the key is not written."""


class Asker(Protocol):
    """What a parameter type may ask of the interview (:mod:`slagen.interview` implements it)."""

    def say(self, text: str) -> None:
        """Show ``text`` before the next question."""

    def value(
        self,
        key: str,
        param: Param,
        text: str,
        help_text: str,
        default: Any,
        choices: tuple[Choice, ...],
        error: str | None,
        *,
        optional: bool | None = None,
        coerce: Callable[[Any], Any] | None = None,
    ) -> Any:
        """One value typed at the prompt, as the answers file writes it (or :data:`MISSING`)."""

    def confirm(self, key: str, text: str, help_text: str, default: bool | None, error: str | None) -> bool:
        """A yes or no."""

    def word(self, name: str) -> str:
        """One of the interview's own words in the interview's language (``keep_default``, ``more``)."""

    def more(self, key: str) -> str:
        """The 'add another?' question of list ``key``."""

    def question(self, key: str, param: Param) -> str:
        """The question for ``key`` in the interview's language."""

    def help_for(self, key: str, param: Param) -> str:
        """The help shown before the question for ``key``."""

    def languages(self) -> list[str]:
        """The languages of the agreement, as answered so far."""

    def language_name(self, lang: str) -> str:
        """The name of language ``lang`` in the interview's language."""

    def catalog_choices(self) -> tuple[Choice, ...]:
        """The library's catalogs, each with its name."""

    def tier_choices(self, *, offered_only: bool) -> tuple[Choice, ...]:
        """The tiers of the chosen catalog, with their targets (those offered, if ``offered_only``)."""

    def kpi_values(self, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Targets other than the chosen tier's, KPI by KPI."""

    def credit_scheme(self, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Service-credit bands and their cap, as a person types them."""


class ParamType:
    """One kind of answer. Subclasses set :attr:`name` and override what differs from a line of text."""

    name: ClassVar[str] = ""
    scalar: ClassVar[bool] = True
    """Asked as one line of text; other types take one YAML value (``{bands: [...], cap: 25%}``)."""
    written_as_items: ClassVar[bool] = False
    """Written into the answers file as a block list of mappings, each field's help above it."""

    # -- validation -----------------------------------------------------------------------------------

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        """``value`` typed, or :class:`~slagen.params.values.ParamError` saying why it does not fit."""
        raise NotImplementedError

    def missing_languages(self, value: Any, languages: Sequence[str]) -> list[str]:
        """The agreement's languages a typed value has no text for (only per-language texts can lack one)."""
        return []

    def in_catalog(self, value: Any, catalog: Catalog) -> tuple[Any, Findings]:
        """A typed value narrowed to the chosen catalog (its tiers, its KPIs), with what does not belong."""
        return value, []

    # -- declaration ----------------------------------------------------------------------------------

    def parse_bound(self, raw: Any) -> Decimal:
        """A declared ``min``/``max`` as the number bounds are compared with."""
        return as_decimal(raw)

    def check_spec(self, spec: dict[str, Any]) -> None:
        """Refuse a declaration this type cannot take, before it is read (``ValueError``)."""

    def check_declaration(self, param: Param, spec: dict[str, Any]) -> None:
        """Refuse a declaration this type cannot take, once read (``ValueError``)."""

    def bound_text(self, bound: Decimal) -> str:
        """A bound as an error message names it (``10d``, ``5%``)."""
        return str(bound)

    def describe_bound(self, bound: Decimal) -> str:
        """A bound as the answers reference names it (``10d``, ``200 characters``)."""
        return str(bound)

    # -- the JSON Schema ------------------------------------------------------------------------------

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        """The JSON Schema of an answer of this type (without description and default)."""
        raise NotImplementedError

    # -- the interview --------------------------------------------------------------------------------

    def choices(self, asker: Asker, param: Param) -> tuple[Choice, ...]:
        """The answers to choose from, if the type has a closed set."""
        return ()

    def ask(self, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Ask for an answer of this type; give it as the answers file writes it, or :data:`MISSING`."""
        choices = self.choices(asker, param)
        if not self.scalar:  # one YAML value, the default if left empty
            return asker.value(key, param, text, help_text, None, choices, error, optional=param.has_default)
        default = None if param.default is None else self.to_yaml(param.default)
        return asker.value(key, param, text, help_text, default, choices, error)

    def ask_field(self, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Ask for one field of a record (``escalation.levels[0].role``)."""
        choices = self.choices(asker, param) or tuple(Choice(c) for c in param.choices)
        default = self.to_yaml(param.default) if param.default is not None and self.scalar else None
        return asker.value(key, param, text, help_text, default, choices, error)

    def from_text(self, raw: str) -> Any:
        """What YAML would have read for a typed answer, as far as this type cares."""
        if self.scalar:
            return raw
        try:
            return parse_yaml(raw.encode("utf-8"), "answer").data
        except InputError as exc:
            raise ParamError(exc.problems[0].message) from None

    def to_yaml(self, typed: Any) -> Any:
        """A typed value as the answers file writes it: durations ``4h``, numbers as numbers."""
        if isinstance(typed, Duration):
            return str(typed)
        if isinstance(typed, Decimal):
            return yaml_number(typed)
        if isinstance(typed, list):
            return [ParamType.to_yaml(self, item) for item in typed]
        return typed


def yaml_number(value: Any) -> Any:
    """A ``Decimal`` as YAML writes a number: whole numbers without a point."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def shown(value: Any) -> str:
    """A value as typed at the prompt."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {shown(v)}" for k, v in value.items())
    return str(value)
