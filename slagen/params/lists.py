"""Parameter types of several values: lists, records, the agreement's languages and texts per language."""

# ruff: noqa: D102 - the methods are ParamType's, documented there

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from msgspec.structs import replace

from slagen.params.base import MISSING, Asker, Choice, Findings, Languages, ParamType, shown
from slagen.params.jsonschema import json_leaf, limits
from slagen.params.values import ParamError, as_list, as_text, as_texts, check_bounds, show, unknown_choice

if TYPE_CHECKING:
    from slagen.catalogs import Catalog
    from slagen.library import Library
    from slagen.params.declaration import Param


class ListType(ParamType):
    """Single-line texts, each one of ``choices`` if declared; min and max count entries."""

    name = "list"
    scalar = False
    unique: ClassVar[bool] = False
    offers_first: ClassVar[bool] = False
    """The interview offers even the first entry with a yes/no question (records) instead of an empty answer."""

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        return check_bounds(param, as_texts(value, param.choices, unique=self.unique))

    def check_declaration(self, param: Param, spec: dict[str, Any]) -> None:
        if "choices" in spec and not param.choices:
            raise ValueError("'choices' must not be empty")

    def describe_bound(self, bound: Decimal) -> str:
        return f"{bound} entries"

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        items: dict[str, Any] = {"type": "string"}
        if param.choices:
            items["enum"] = list(param.choices)
        return {"type": "array", "items": items, **limits(param, "minItems", "maxItems")}

    def ask(self, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        return ask_items(self, asker, key, param, text, help_text, error)

    def item_choices(self, asker: Asker, param: Param) -> tuple[Choice, ...]:
        """The answers one entry is chosen from."""
        return tuple(Choice(c) for c in param.choices)

    def ask_item(
        self,
        asker: Asker,
        key: str,
        param: Param,
        text: str,
        n: int,
        help_text: str,
        error: str | None,
        *,
        optional: bool,
    ) -> Any:
        """Entry ``n`` (from 1) of list ``key``, or :data:`MISSING` if an optional one is left empty."""
        choices = self.item_choices(asker, param)
        one = replace(
            param,
            type="enum" if choices else "string",
            choices=tuple(c.value for c in choices),
            minimum=None,
            maximum=None,
        )
        return asker.value(
            f"{key}[{n - 1}]", one, numbered(text, n), help_text, None, choices, error, optional=optional
        )

    def item_yaml(self, param: Param, item: Any) -> Any:
        """An entry of the default as the answers file writes it."""
        return ParamType.to_yaml(self, item)


class TiersType(ListType):
    """Tiers of the chosen catalog, each once (the tiers a multi-level agreement offers)."""

    name = "tiers"
    unique = True

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        return check_bounds(param, as_texts(value, (), unique=True))  # the catalog's tiers: see in_catalog

    def in_catalog(self, value: Any, catalog: Catalog) -> tuple[Any, Findings]:
        where, known = f" in catalog '{catalog.id}'", list(catalog.tiers)
        found: Findings = [
            ((str(i),), unknown_choice("tier", tier, known, where)) for i, tier in enumerate(value) if tier not in known
        ]
        return [tier for tier in value if tier in catalog.tiers], found

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        tiers = {"enum": sorted({t for c in library.catalogs.values() for t in c.tiers})}
        return {"type": "array", "items": tiers, "uniqueItems": True, **limits(param, "minItems", "maxItems")}

    def choices(self, asker: Asker, param: Param) -> tuple[Choice, ...]:
        return asker.tier_choices(offered_only=False)

    def item_choices(self, asker: Asker, param: Param) -> tuple[Choice, ...]:
        return asker.tier_choices(offered_only=False)


class RecordsType(ListType):
    """Mappings with the declared ``fields``, each field a parameter of its own; every finding is reported."""

    name = "records"
    offers_first = True
    written_as_items = True

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        out: list[dict[str, Any]] = []
        errors: list[ParamError] = []
        for i, item in enumerate(as_list(value)):
            if not isinstance(item, dict):
                expected = f"expected a mapping with {', '.join(param.fields)}, got {show(item)}"
                errors.append(ParamError(expected, (str(i),)))
                continue
            out.append(self._record(param, item, str(i), errors, languages))
        if errors:
            raise ParamError.gather(errors)
        check_bounds(param, out)
        return out

    def _record(
        self, param: Param, item: dict[str, Any], i: str, errors: list[ParamError], languages: Languages
    ) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for name in item:
            if name not in param.fields:
                errors.append(ParamError(f"unknown key '{name}' (expected: {', '.join(param.fields)})", (i, name)))
        for name, spec in param.fields.items():
            if name in item:
                try:
                    record[name] = spec.kind.coerce(spec, item[name], languages)
                except ParamError as exc:
                    errors.extend(ParamError(str(e), (i, name, *e.subkey)) for e in exc.all())
            elif spec.has_default:
                record[name] = spec.default
            else:
                errors.append(ParamError(f"missing: {spec.help or 'required'}", (i, name)))
        return record

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        fields = {name: json_leaf(field, library) for name, field in param.fields.items()}
        required = [name for name, field in param.fields.items() if field.required and field.default is None]
        item = {"type": "object", "additionalProperties": False, "properties": fields, "required": required}
        return {"type": "array", "items": item, **limits(param, "minItems", "maxItems")}

    def ask_item(
        self,
        asker: Asker,
        key: str,
        param: Param,
        text: str,
        n: int,
        help_text: str,
        error: str | None,
        *,
        optional: bool,
    ) -> Any:
        record: dict[str, Any] = {}
        for name, spec in param.fields.items():
            field_key = f"{key}[].{name}"
            question = numbered(asker.question(field_key, spec), n)
            field_help = asker.help_for(field_key, spec) if n == 1 else ""
            if help_text:
                field_help = f"{help_text}\n{field_help}" if field_help else help_text
            value = spec.kind.ask_field(asker, f"{key}[{n - 1}].{name}", spec, question, field_help, error)
            if value is not MISSING:
                record[name] = value
            help_text, error = "", None
        return record

    def item_yaml(self, param: Param, item: Any) -> Any:
        if isinstance(item, dict):
            return {name: param.fields[name].kind.to_yaml(v) for name, v in item.items() if v is not None}
        return ParamType.to_yaml(self, item)


class LanguagesType(ParamType):
    """The languages the agreement is written in, in order; each one the library has."""

    name = "languages"

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        items = as_list(value)
        for i, item in enumerate(items):
            if (item not in languages) if languages is not None else not isinstance(item, str):
                raise ParamError(f"unknown language {show(item)}{_writes(languages)}", (str(i),))
        if len(set(items)) != len(items):
            raise ParamError("a language is listed twice")
        if not items:
            raise ParamError("name at least one language" + (f" ({', '.join(languages)})" if languages else ""))
        return items

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": list(library.languages)}, "uniqueItems": True, "minItems": 1}

    def from_text(self, raw: str) -> Any:
        return [part for part in raw.replace(",", " ").split() if part]


class LocalizedType(ParamType):
    """One text for every language, or a text per language (``{de: …, en: …}``)."""

    name = "localized"
    scalar = False

    def coerce(self, param: Param, value: Any, languages: Languages) -> Any:
        if not isinstance(value, dict):
            return check_bounds(param, as_text(value, multiline=False))
        texts = {}
        for lang, text in value.items():
            if languages is not None and lang not in languages:
                raise ParamError(f"unknown language '{lang}'{_writes(languages)}", (str(lang),))
            try:
                texts[lang] = check_bounds(param, as_text(text, multiline=False))
            except ParamError as exc:
                raise ParamError(str(exc), (lang,)) from None
        return texts

    def missing_languages(self, value: Any, languages: Sequence[str]) -> list[str]:
        return [lang for lang in languages if lang not in value] if isinstance(value, dict) else []

    def describe_bound(self, bound: Decimal) -> str:
        return f"{bound} characters"

    def json_schema(self, param: Param, library: Library) -> dict[str, Any]:
        text = {"type": "string", **limits(param, "minLength", "maxLength")}
        properties = dict.fromkeys(library.languages, text)
        return {"anyOf": [text, {"type": "object", "additionalProperties": False, "properties": properties}]}

    def ask(self, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Once per language of the agreement; the first text is the default for the others."""
        languages = asker.languages()
        texts: dict[str, str] = {}
        for lang in languages:
            default = param.default.get(lang) if isinstance(param.default, dict) else param.default
            if texts and default is None:
                default = texts[languages[0]]
            question = text if len(languages) == 1 else f"{text} ({asker.language_name(lang)})"
            here = key if len(languages) == 1 else f"{key}[{lang}]"
            value = asker.value(here, param, question, help_text, default, (), error)
            if value is MISSING:
                return MISSING
            texts[lang] = value
            help_text, error = "", None
        if len(set(texts.values())) == 1:
            return next(iter(texts.values()))
        return texts


def _writes(languages: Languages) -> str:
    return f" (slagen writes: {', '.join(languages)})" if languages is not None else ""


def numbered(text: str, n: int) -> str:
    """A question about entry ``n``: its ``{n}`` filled in, or ``(n)`` after it."""
    return text.replace("{n}", str(n)) if "{n}" in text else f"{text} ({n})"


def ask_items(
    kind: ListType, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None
) -> Any:
    """Lists and records, one entry at a time; beyond the minimum, 'add another?' before each.

    A declared default is offered whole first; keeping it answers the question.
    """
    if param.default:
        items = [shown(kind.item_yaml(param, item)) for item in param.default]
        question = asker.word("keep_default").format(default=("; " if param.fields else ", ").join(items))
        if asker.confirm(key, question, help_text, True, error):
            return [kind.item_yaml(param, item) for item in param.default]
        help_text, error = "", None
    low = int(param.minimum or 0)
    if kind.offers_first and low:
        asker.say(text)
    items = _entries(kind, asker, key, param, text, help_text, error, low)
    return items if items or low else MISSING


def _entries(
    kind: ListType, asker: Asker, key: str, param: Param, text: str, help_text: str, error: str | None, low: int
) -> list[Any]:
    high = int(param.maximum) if param.maximum is not None else None
    items: list[Any] = []
    while high is None or len(items) < high:
        n = len(items) + 1
        # Beyond the minimum each entry is offered first; optional records by their own (yes/no) question,
        # the first entry of an optional list by leaving it empty.
        if len(items) >= low and (items or kind.offers_first):
            if not asker.confirm(f"{key}[{n - 1}]?", asker.more(key) if items else text, help_text, False, error):
                break
            help_text, error = "", None
        item = kind.ask_item(asker, key, param, text, n, help_text, error, optional=len(items) >= low)
        if item is MISSING:
            break
        items.append(item)
        help_text, error = "", None
    return items
