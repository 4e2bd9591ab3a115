"""The interview: ask for the answers of one agreement and write them as a commented answers file.

Takes the library, an ``ask`` callable and the language of the questions and gives the
text of an answers file that ``slagen check`` accepts. The questions are the library's
parameter declarations, the same that validate (``library.params``, in document order);
their wording is data, ``templates/<lang>/questions.yaml``. A question is asked only while
one of the clauses that declare it may still apply: their ``when`` conditions (compiled by
:mod:`slagen.select`) are evaluated against the answers given so far, every answer not yet
given being unknown, so that ``a and b`` is decided by a false ``a`` alone. Every answer is
typed by :func:`~slagen.params.coerce_value` at once and then checked together with the
answers before it by :func:`~slagen.answers.validate_answers`; a problem is shown and the
question asked again. Nothing here prints: the CLI passes ``click.prompt``, tests a list.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import yaml
from babel import Locale

from slagen.answers import FORMAT_VERSION, validate_answers
from slagen.errors import InputError, LibraryError, OutputError, Problem
from slagen.library import FRONT_SECTION, KPI_UNITS, Catalog, Clause, Library, Tier
from slagen.params import LANGUAGES, Duration, Param, ParamError, coerce_value
from slagen.sandbox import make_environment
from slagen.select import Condition, compile_conditions, select_clauses
from slagen.yamlsource import load_yaml, parse_yaml

SCHEMA_FILE = "answers.schema.json"
"""The schema the written file points editors at: ``slagen schema -o`` writes it beside the answers."""
FORMAT_KEY = "slagen"
"""The answers format marker: written, never asked."""
QUESTIONS_FILE = "questions.yaml"
_WORDS = (
    "intro",
    "header",
    "front",
    "yes_answers",
    "no_answers",
    "required",
    "yes_no",
    "keep_default",
    "more",
    "only_choice",
    "given",
    "skipped",
    "unused",
    "not_offered",
    "optional",
)


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed answer, with a note to show beside it (a tier's targets, a catalog's name)."""

    value: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """What ``ask`` is asked: it shows ``help`` or ``error``, lists ``choices``, and returns what was typed.

    An empty answer means ``default`` (when there is one). ``confirm`` questions are answered
    with one of the two ``choices`` (yes, no); ``key`` is the answer key (``escalation.levels[0].role``).
    """

    key: str
    text: str
    help: str = ""
    default: str | None = None
    choices: tuple[Choice, ...] = ()
    error: str | None = None
    confirm: bool = False


Ask = Callable[[Question], str]
Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Wording:
    """The words of the interview in one language, from ``templates/<lang>/questions.yaml``."""

    lang: str
    questions: dict[str, str]
    help: dict[str, str]
    more: dict[str, str]
    words: dict[str, Any]

    def question(self, key: str, param: Param) -> str:
        """The question for ``key`` (``a.b`` or a record field ``a.b[].c``); the declaration's help if none."""
        return self.questions.get(key) or param.help or key

    def help_for(self, key: str, param: Param) -> str:
        """Help shown before a question: this language's, else the declaration's (English)."""
        return self.help.get(key) or param.help

    @property
    def yes(self) -> str:
        """The letter that answers yes (``j``, ``y``)."""
        return str(self.words["yes_answers"][0])

    @property
    def no(self) -> str:
        """The letter that answers no."""
        return str(self.words["no_answers"][0])


def load_wording(library: Library, lang: str) -> Wording:
    """Read ``templates/<lang>/questions.yaml`` of ``library``; a malformed file is a library error."""
    path = library.template_root / lang / QUESTIONS_FILE
    source = load_yaml(path, display=f"templates/{lang}/{QUESTIONS_FILE}")
    data = source.data if isinstance(source.data, dict) else {}
    problems = []
    sections: dict[str, dict[str, Any]] = {}
    for name in ("questions", "help", "more", "words"):
        section = data.get(name)
        section = {} if section is None else section
        if not isinstance(section, dict):
            problems.append(Problem("expected a mapping", source.path, source.line_of((name,)), name))
            section = {}
        sections[name] = section
    missing = [word for word in _WORDS if word not in sections["words"]]
    if missing:
        problems.append(Problem(f"missing: {', '.join(missing)}", source.path, source.line_of(("words",)), "words"))
    if problems:
        raise LibraryError(problems)
    wording = Wording(
        lang,
        {str(k): str(v) for k, v in sections["questions"].items()},
        {str(k): str(v) for k, v in sections["help"].items()},
        {str(k): str(v) for k, v in sections["more"].items()},
        sections["words"],
    )
    return wording


def question_keys(library: Library) -> list[str]:
    """Every key that needs a question: each declared parameter and each field of a records parameter."""
    keys = []
    for key, param in library.params.items():
        keys.append(key)
        keys.extend(f"{key}[].{name}" for name in param.fields)
    return keys


def default_language(environ: Mapping[str, str]) -> str:
    """The language of the questions from the locale environment: ``de`` for a German locale, else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return "en"


def refuse_existing(path: Path, *, force: bool) -> None:
    """Stop before the first question if the answers file exists (the same message as when writing)."""
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists (use --force to overwrite)")


def run_interview(
    library: Library,
    ask: Ask,
    *,
    lang: str,
    say: Say | None = None,
    catalog: str | None = None,
    tier: str | None = None,
    schema: str = SCHEMA_FILE,
) -> str:
    """Ask every question the agreement needs and return the commented answers file.

    ``catalog`` and ``tier`` answer those questions in advance. ``click.Abort``,
    ``KeyboardInterrupt`` or ``EOFError`` raised by ``ask`` pass through: nothing is returned.
    """
    return _Interview(library, ask, say or (lambda _text: None), load_wording(library, lang), schema).run(
        {"catalog": catalog, "tier": tier}
    )


class _Undecided(Exception):
    """A condition needs an answer that is not given yet."""


class _Unknown:
    """An answer not given yet: any use of it by a condition leaves the condition undecided."""

    __slots__ = ()

    def _undecided(self, *_args: Any) -> NoReturn:
        raise _Undecided

    def __bool__(self) -> bool:
        self._undecided()

    def __eq__(self, other: object) -> bool:
        self._undecided()

    def __ne__(self, other: object) -> bool:
        self._undecided()

    def __hash__(self) -> int:
        self._undecided()

    __lt__ = __le__ = __gt__ = __ge__ = __contains__ = __getitem__ = __iter__ = __len__ = _undecided
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __int__ = __float__ = __str__ = _undecided


_UNKNOWN = _Unknown()
_SCALARS = frozenset(
    ("string", "text", "integer", "decimal", "percent", "duration", "date", "enum", "catalog", "tier", "languages")
)
"""Types asked as one line of text; other unasked-for types take one YAML value (``{bands: [...], cap: 25%}``)."""
_MISSING = object()
"""An optional question left unanswered: the key is not written."""


@dataclass(slots=True)
class _State:
    yaml: dict[str, Any] = field(default_factory=dict)
    """Answer key → the value as the file holds it (``4h``, ``5%``, a date)."""
    typed: dict[str, Any] = field(default_factory=dict)
    """Answer key → the typed value, for the conditions; defaults of skipped questions included."""
    notes: dict[str, str] = field(default_factory=dict)
    """Answer key → why it is not in the file (skipped, optional and unanswered)."""


class _Interview:
    def __init__(self, library: Library, ask: Ask, say: Say, wording: Wording, schema: str) -> None:
        self.library = library
        self.ask = ask
        self.say = say
        self.wording = wording
        self.words = wording.words
        self.schema = schema
        self.conditions: dict[str, Condition] = compile_conditions(library, make_environment(library.template_root))
        self.owners: dict[str, list[Clause]] = {}
        for clause in library.clauses:
            for param in clause.params:
                self.owners.setdefault(param.key, []).append(clause)
        self.state = _State()
        self.presets: dict[str, str] = {}
        self.heading: str | None = None

    # -- the run -------------------------------------------------------------------------------------

    def run(self, presets: dict[str, str | None]) -> str:
        self._check_presets(presets)
        self.say(self.words["intro"])
        section = None
        for key, param in self.library.params.items():
            if key == FORMAT_KEY:
                self._answer(key, param, FORMAT_VERSION)
                continue
            clause = self.owners[key][0]
            if clause.section != section:
                section = clause.section
                self.heading = self._heading(section)
            reason = self._not_applying(key)
            if reason is not None:
                self._leave(key, param, self.words["skipped"].format(when=reason))
                continue
            self._ask_param(key, param, None)
        return self._finish()

    def _finish(self) -> str:
        """Check the whole file as `slagen check` will; ask again what it still finds wrong."""
        self._drop_unused_defaults()
        for _ in range(len(self.library.params) + 1):
            text = self.render()
            problems = self._problems(text)
            if not problems:
                return text
            retry = next((p for p in problems if self._param_of(p.key) is not None), None)
            if retry is None:
                raise InputError(problems)
            key = self._param_of(retry.key)
            assert key is not None
            self._ask_param(key, self.library.params[key], retry.message)
        raise InputError(self._problems(self.render()))  # pragma: no cover - each round fixes one answer

    def _drop_unused_defaults(self) -> None:
        """An answer that only repeats its default, for clauses left out, is not written (check would warn)."""
        selected = {clause.id for clause in select_clauses(self.library, self.conditions, self._tree(), strict=False)}
        for key in list(self.state.yaml):
            owners = self.owners.get(key, [])
            param = self.library.params[key]
            unused = key != FORMAT_KEY and all(c.id not in selected for c in owners)
            if unused and self.state.typed.get(key) == param.default:
                reason = "; ".join(c.applies_when or str(c.when) for c in owners)
                self._leave(key, param, self.words["unused"].format(when=reason))

    def _param_of(self, key: str | None) -> str | None:
        for candidate in self.library.params:
            if key is not None and (key == candidate or key.startswith(candidate + ".")):
                return candidate
        return None

    def _heading(self, section: str) -> str:
        """The title of a section, said before its first question."""
        if section == FRONT_SECTION:
            title = str(self.words["front"])
        else:
            titles = self.library.labels.get(self.wording.lang, {}).get("sections") or {}
            title = str(titles.get(section, section))
        return f"\n{title}\n{'-' * len(title)}"

    def _check_presets(self, presets: dict[str, str | None]) -> None:
        for kind, value in presets.items():
            if value is None:
                continue
            key = self.library.key_of(kind)
            if key is None:
                raise InputError.single(f"this library asks for no {kind}", key=kind)
            if kind == "catalog":
                known = list(self.library.catalogs)
            else:
                chosen = presets.get("catalog")
                catalogs = [self.library.catalogs[chosen]] if chosen else []
                known = [t for c in catalogs or self.library.catalogs.values() for t in c.tiers]
            if value not in known:
                close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(known)}"
                raise InputError.single(f"unknown {kind} '{value}' ({hint})", key=key)
            self.presets[key] = value

    # -- whether a question applies -------------------------------------------------------------------

    def _not_applying(self, key: str) -> str | None:
        """None if a clause declaring ``key`` may apply; else why none does (their ``applies_when``)."""
        reasons = []
        tree = self._tree()
        for clause in self.owners[key]:
            condition = self.conditions.get(clause.id)
            if condition is None or _may_hold(condition, tree):
                return None
            reasons.append(clause.applies_when or str(clause.when))
        return "; ".join(reasons)

    def _tree(self) -> dict[str, Any]:
        tree: dict[str, Any] = {}
        for key in self.library.params:
            *parents, leaf = key.split(".")
            node = tree
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = self.state.typed.get(key, _UNKNOWN)
        return tree

    # -- asking ---------------------------------------------------------------------------------------

    def _ask_param(self, key: str, param: Param, error: str | None) -> None:
        """Ask for ``key`` until its answer fits, alone and with the answers before it."""
        while True:
            value = self._dispatch(key, param, error)
            if value is _MISSING:
                self._leave(key, param, "" if key in self.state.notes else self.words["optional"])
            else:
                self._answer(key, param, value)
            problems = [p.message for p in self._problems(self.render()) if self._param_of(p.key) == key]
            if not problems:
                return
            error = problems[0]

    def _answer(self, key: str, param: Param, value: Any) -> None:
        self.state.yaml[key] = value
        self.state.typed[key] = coerce_value(param, value) if param.type != "kpi_values" else value
        self.state.notes.pop(key, None)

    def _leave(self, key: str, param: Param, note: str) -> None:
        self.state.yaml.pop(key, None)
        self.state.typed[key] = param.default
        if note:
            self.state.notes[key] = note

    def _dispatch(self, key: str, param: Param, error: str | None) -> Any:
        if self.heading is not None:
            self.say(self.heading)
            self.heading = None
        text = self.wording.question(key, param)
        help_text = self.wording.help_for(key, param)
        choices = self._choices(param)
        if key in self.presets and error is None:
            value = self.presets.pop(key)
            self.say(self.words["given"].format(question=text, value=value))
            return value
        if len(choices) == 1 and error is None:
            self.say(self.words["only_choice"].format(question=text, value=choices[0].value))
            return choices[0].value
        if param.type == "boolean":
            return self._confirm(key, text, help_text, param.default, error)
        if param.type == "localized":
            return self._localized(key, param, text, help_text, error)
        if param.type in ("list", "records", "tiers"):
            return self._items(key, param, text, help_text, error)
        if param.type == "kpi_values":
            return self._kpi_values(key, param, text, help_text, error)
        if param.type not in _SCALARS:  # a type this interview does not know: one YAML value, default if empty
            return self._value(key, param, text, help_text, None, choices, error, optional=param.has_default)
        default = None if param.default is None else _to_yaml(param.type, param.default)
        return self._value(key, param, text, help_text, default, choices, error)

    def _value(
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
        """One value: typed by the declaration; Enter takes ``default``; a choice may be given by number."""
        optional = not param.required if optional is None else optional
        while True:
            raw = self.ask(
                Question(key, text, help_text, None if default is None else _show(default), choices, error)
            ).strip()
            if not raw:
                if default is not None:
                    return default
                if optional:
                    return _MISSING
                error = str(self.words["required"])
                continue
            values = [c.value for c in choices]
            if raw.isdigit() and raw not in values and 1 <= int(raw) <= len(values):
                raw = values[int(raw) - 1]
            try:
                given = _from_text(param.type, raw)
                typed = (coerce or (lambda v: coerce_value(param, v)))(given)
            except ParamError as exc:
                error = str(exc)
                continue
            return _to_yaml(param.type, typed) if param.type in _SCALARS else given

    def _confirm(self, key: str, text: str, help_text: str, default: bool | None, error: str | None) -> bool:
        yes, no = self.wording.yes, self.wording.no
        shown = None if default is None else (yes if default else no)
        while True:
            raw = self.ask(Question(key, text, help_text, shown, (Choice(yes), Choice(no)), error, True))
            raw = raw.strip().lower()
            if not raw and default is not None:
                return default
            if raw in [str(w).lower() for w in self.words["yes_answers"]] or raw == "true":
                return True
            if raw in [str(w).lower() for w in self.words["no_answers"]] or raw == "false":
                return False
            error = str(self.words["yes_no"] if raw else self.words["required"])

    def _localized(self, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Once per language of the agreement; the first text is the default for the others."""
        languages = self._languages()
        texts: dict[str, str] = {}
        for lang in languages:
            default = param.default.get(lang) if isinstance(param.default, dict) else param.default
            if texts and default is None:
                default = texts[languages[0]]
            question = text if len(languages) == 1 else f"{text} ({self._language_name(lang)})"
            here = key if len(languages) == 1 else f"{key}[{lang}]"
            value = self._value(here, param, question, help_text, default, (), error)
            if value is _MISSING:
                return _MISSING
            texts[lang] = value
            help_text, error = "", None
        if len(set(texts.values())) == 1:
            return next(iter(texts.values()))
        return texts

    def _languages(self) -> list[str]:
        key = self.library.key_of("languages")
        chosen = self.state.typed.get(key) if key else None
        return list(chosen) if isinstance(chosen, list) and chosen else list(LANGUAGES)

    def _language_name(self, lang: str) -> str:
        return str(Locale.parse(self.wording.lang).languages.get(lang, lang))

    def _items(self, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Lists and records, one entry at a time; beyond the minimum, 'add another?' before each."""
        if param.default:
            shown = ", ".join(_show(item) for item in param.default)
            question = self.words["keep_default"].format(default=shown)
            if self._confirm(key, question, help_text, True, error):
                return [_item_yaml(param, item) for item in param.default]
            help_text, error = "", None
        low = int(param.minimum or 0)
        high = int(param.maximum) if param.maximum is not None else None
        more = self.wording.more.get(key) or str(self.words["more"])
        if param.type == "records" and low:
            self.say(text)
        items: list[Any] = []
        while high is None or len(items) < high:
            n = len(items) + 1
            # Beyond the minimum each entry is offered first; optional records by their own (yes/no) question,
            # the first entry of an optional list by leaving it empty.
            if len(items) >= low and (items or param.type == "records"):
                if not self._confirm(f"{key}[{n - 1}]?", more if items else text, help_text, False, error):
                    break
                help_text, error = "", None
            if param.type == "records":
                item: Any = self._record(key, param, n, help_text, error)
            else:
                choices = self._choices(param) if param.type == "tiers" else tuple(Choice(c) for c in param.choices)
                value = self._value(
                    f"{key}[{n - 1}]",
                    replace(
                        param,
                        type="enum" if choices else "string",
                        choices=tuple(c.value for c in choices),
                        minimum=None,
                        maximum=None,
                    ),
                    _numbered(text, n),
                    help_text,
                    None,
                    choices,
                    error,
                    optional=len(items) >= low,
                )
                if value is _MISSING:
                    break
                item = value
            items.append(item)
            help_text, error = "", None
        return items if items or low else _MISSING

    def _record(self, key: str, param: Param, n: int, help_text: str, error: str | None) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for name, spec in param.fields.items():
            field_key = f"{key}[].{name}"
            question = _numbered(self.wording.question(field_key, spec), n)
            field_help = self.wording.help_for(field_key, spec) if n == 1 else ""
            if help_text:
                field_help = f"{help_text}\n{field_help}" if field_help else help_text
            here = f"{key}[{n - 1}].{name}"
            choices = self._choices(spec) or tuple(Choice(c) for c in spec.choices)
            if spec.type == "boolean":
                value: Any = self._confirm(here, question, field_help, spec.default, error)
            else:
                default = (
                    None if spec.default is None or spec.type not in _SCALARS else _to_yaml(spec.type, spec.default)
                )
                value = self._value(here, spec, question, field_help, default, choices, error)
            if value is not _MISSING:
                record[name] = value
            help_text, error = "", None
        return record

    def _kpi_values(self, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Targets other than the chosen tier's, KPI by KPI, with the tier's target as the default."""
        catalog, tier_id = self._chosen_catalog_and_tier()
        if catalog is None or tier_id is None:
            return _MISSING
        tier = catalog.tiers[tier_id]
        first = next(iter(catalog.kpis))
        refused = [
            p.message
            for p in self._problems(
                self.render({key: {first: _to_yaml(_kpi_type(catalog, first), tier.targets[first])}})
            )
            if self._param_of(p.key) == key
        ]
        if refused and error is None:
            self.state.notes[key] = self.words["not_offered"].format(reason=refused[0])
            return _MISSING
        targets = f"{tier.name}: {self._targets(catalog, tier)}"
        help_text = f"{help_text}\n{targets}" if help_text else targets
        if not self._confirm(key, text, help_text, False, error):
            return _MISSING
        overrides: dict[str, Any] = {}
        for kpi_id, kpi in catalog.kpis.items():
            kind = _kpi_type(catalog, kpi_id)
            standard = _to_yaml(kind, tier.targets[kpi_id])
            value = self._value(
                f"{key}.{kpi_id}",
                Param(f"{key}.{kpi_id}", kind),
                self._kpi_name(catalog, kpi_id),
                "",
                standard,
                (),
                None,
                coerce=kpi.coerce,
            )
            if kpi.coerce(value) != tier.targets[kpi_id]:
                overrides[kpi_id] = value
        return overrides or _MISSING

    def _targets(self, catalog: Catalog, tier: Tier) -> str:
        """A tier's targets as the sales person reads them: ``Closing rate per campaign 5%, …``."""
        return ", ".join(
            f"{self._kpi_name(catalog, k)} {_show(_to_yaml(_kpi_type(catalog, k), v))}" for k, v in tier.targets.items()
        )

    def _kpi_name(self, catalog: Catalog, kpi_id: str) -> str:
        wording = catalog.kpis[kpi_id].text.get(self.wording.lang) or {}
        return str(wording.get("name") or kpi_id)

    def _chosen_catalog_and_tier(self) -> tuple[Catalog | None, str | None]:
        catalog = tier = None
        for key, param in self.library.params.items():
            if param.type == "catalog":
                catalog = self.library.catalogs.get(str(self.state.typed.get(key)))
            elif param.type == "tier":
                tier = self.state.typed.get(key)
        if catalog is None or tier not in catalog.tiers:
            return catalog, None
        return catalog, str(tier)

    def _choices(self, param: Param) -> tuple[Choice, ...]:
        if param.type == "enum":
            return tuple(Choice(c) for c in param.choices)
        if param.type == "catalog":
            return tuple(
                Choice(c.id, str((c.text.get(self.wording.lang) or {}).get("name", "")))
                for c in self.library.catalogs.values()
            )
        if param.type in ("tier", "tiers"):
            catalog, _ = self._chosen_catalog_and_tier()
            offered = self._offered_tiers() if param.type == "tier" else []
            choices = []
            for cat in [catalog] if catalog else self.library.catalogs.values():
                for tier in sorted(cat.tiers.values(), key=lambda t: t.rank):
                    if not offered or tier.id in offered:
                        choices.append(Choice(tier.id, f"{tier.name}: {self._targets(cat, tier)}"))
            return tuple(choices)
        return ()

    def _offered_tiers(self) -> list[str]:
        """The tiers a multi-level agreement offers, once answered: a tier is then chosen among them."""
        key = self.library.key_of("tiers")
        if key is None or self._not_applying(key) is not None:
            return []
        return [str(t) for t in self.state.typed.get(key) or ()]

    # -- checking and writing ---------------------------------------------------------------------------

    def _problems(self, text: str) -> list[Problem]:
        try:
            validate_answers(parse_yaml(text.encode("utf-8"), "answers"), self.library, self.conditions)
        except InputError as exc:
            return [p for p in exc.problems if p.severity == "error"]
        return []

    def render(self, extra: dict[str, Any] | None = None) -> str:
        """The answers file: every key after its help, in the library's order, grouped as YAML nests."""
        values = {**self.state.yaml, **(extra or {})}
        tree: dict[str, Any] = {}
        for key in self.library.params:
            *parents, leaf = key.split(".")
            node = tree
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = key
        lines = [f"# yaml-language-server: $schema={self.schema}"]
        lines.extend(f"# {line}" for line in str(self.words["header"]).splitlines())
        self._emit(tree, values, 0, lines)
        return "\n".join(lines) + "\n"

    def _emit(self, node: dict[str, Any], values: dict[str, Any], depth: int, lines: list[str]) -> None:
        indent = "  " * depth
        for name, child in node.items():
            if depth == 0:
                lines.append("")
            if isinstance(child, dict):
                given = any(k in values for k in _leaves(child))
                lines.append(f"{indent}{'' if given else '# '}{name}:")
                self._emit(child, values, depth + 1, lines)
                continue
            param = self.library.params[child]
            for line in self.wording.help_for(child, param).splitlines():
                lines.append(f"{indent}# {line}")
            if child not in values:
                note = self.state.notes.get(child, "")
                lines.append(f"{indent}# {name}:" + (f"  ({note})" if note else ""))
            elif param.type == "records":
                for field_name, spec in param.fields.items():
                    help_text = self.wording.help_for(f"{child}[].{field_name}", spec)
                    lines.append(f"{indent}#   {field_name}: {help_text}")
                lines.append(f"{indent}{name}:")
                lines.extend(f"{indent}  - {_flow(item)}" for item in values[child])
            else:
                lines.append(f"{indent}{name}: {_flow(values[child])}")


def _may_hold(condition: Condition, tree: dict[str, Any]) -> bool:
    """Whether ``condition`` holds or may still hold once the unknown answers are given."""
    try:
        return bool(condition(**tree))
    except _Undecided:
        return True
    except Exception:  # noqa: BLE001 - as in select: a condition that fails on the answers does not hold
        return False


def _leaves(node: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for child in node.values():
        found.extend(_leaves(child) if isinstance(child, dict) else [child])
    return found


def _numbered(text: str, n: int) -> str:
    return text.replace("{n}", str(n)) if "{n}" in text else f"{text} ({n})"


def _kpi_type(catalog: Catalog, kpi_id: str) -> str:
    return KPI_UNITS[catalog.kpis[kpi_id].unit]


def _item_yaml(param: Param, item: Any) -> Any:
    if param.type == "records" and isinstance(item, dict):
        return {name: _to_yaml(param.fields[name].type, v) for name, v in item.items() if v is not None}
    return _to_yaml("string", item)


def _from_text(kind: str, raw: str) -> Any:
    """What YAML would have read for a typed answer, as far as the type cares."""
    if kind == "integer" and re.fullmatch(r"[+-]?\d+", raw):
        return int(raw)
    if kind == "languages":
        return [part for part in re.split(r"[,\s]+", raw) if part]
    if kind not in _SCALARS:
        try:
            return parse_yaml(raw.encode("utf-8"), "answer").data
        except InputError as exc:
            raise ParamError(exc.problems[0].message) from None
    return raw


def _to_yaml(kind: str, typed: Any) -> Any:
    """A typed value as the answers file writes it: percentages ``5%``, durations ``4h``, numbers as numbers."""
    if kind == "percent":
        return f"{_number(typed)}%"
    if isinstance(typed, Duration):
        return str(typed)
    if isinstance(typed, Decimal):
        return _number(typed)
    if isinstance(typed, list):
        return [_to_yaml("string", item) for item in typed]
    return typed


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _show(value: Any) -> str:
    """A value as typed at the prompt."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_show(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


def _flow(value: Any) -> str:
    """One YAML value on one line, quoted where YAML would read it as something else."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=2**31 - 1, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...")
