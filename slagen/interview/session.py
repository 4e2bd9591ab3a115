"""One run of the interview: ask each question that may apply, check every answer, write the file.

The session implements the :class:`~slagen.params.base.Asker` protocol: each parameter's
type asks for itself (:meth:`~slagen.params.base.ParamType.ask`) through these prompts,
and the session checks the answer with the answers before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel import Locale
from msgspec import Struct, field
from msgspec.structs import replace

from slagen.answers import FORMAT_VERSION, validate_answers
from slagen.catalogs import Catalog
from slagen.errors import InputError, Problem
from slagen.interview import offers
from slagen.interview.order import question_order
from slagen.interview.resume import Resumed
from slagen.interview.service_asks import ask_credit_scheme, ask_kpi_values
from slagen.interview.undecided import UNKNOWN, may_hold
from slagen.interview.wording import Ask, Question, Say, Wording
from slagen.interview.written import flow, write_answers
from slagen.library import FRONT_SECTION, Clause, Library
from slagen.params import MISSING, Choice, Param, ParamError, coerce_value
from slagen.params.base import shown
from slagen.params.lists import ListType
from slagen.sandbox import make_environment
from slagen.select import Condition, compile_conditions, condition_names, param_conditions, select_clauses
from slagen.yamlsource import parse_yaml

FORMAT_KEY = "slagen"
"""The answers format marker: written, never asked."""


class _State(Struct):
    yaml: dict[str, Any] = field(default_factory=dict)
    """Answer key → the value as the file holds it (``4h``, ``5%``, a date)."""
    typed: dict[str, Any] = field(default_factory=dict)
    """Answer key → the typed value, for the conditions; defaults of skipped questions included."""
    notes: dict[str, str] = field(default_factory=dict)
    """Answer key → why it is not in the file (skipped, optional and unanswered)."""


class Interview:
    """The questions of one agreement, asked through ``ask``; :meth:`run` gives the answers file."""

    def __init__(
        self, library: Library, ask: Ask, say: Say, wording: Wording, schema: str, resumed: Resumed | None = None
    ) -> None:
        self.library = library
        self.given: dict[str, Any] = dict(resumed.given) if resumed else {}
        """Answer key → the answer of the file resumed (``--from``), offered as the default."""
        self.comments = resumed.comments if resumed else None
        self.ask = ask
        self.say = say
        self.wording = wording
        self.words = wording.words
        self.schema = schema
        env = make_environment(library.template_root)
        self.conditions: dict[str, Condition] = compile_conditions(library, env)
        self.param_conditions = param_conditions(library, env, [])
        self.order, self.deciding = question_order(library, env)
        self.owners: dict[str, list[Clause]] = {}
        for clause in library.clauses:
            for param in clause.params:
                self.owners.setdefault(param.key, []).append(clause)
        self.state = _State()
        self.presets: dict[str, str] = {}
        self.heading: str | None = None

    # -- the run -------------------------------------------------------------------------------------

    def run(self, presets: dict[str, str | None]) -> str:
        """Ask every question that may apply (``presets`` answer catalog and tier); give the answers file."""
        self.presets = offers.presets(self.library, presets)
        self.say(self.words["intro"])
        section: str | None = "\0"  # none said yet
        for key in self.order:
            param = self.library.params[key]
            if key == FORMAT_KEY:
                self._answer(key, param, FORMAT_VERSION)
                continue
            heading = None if key in self.deciding else self.owners[key][0].section
            if heading != section:
                section = heading
                self.heading = self._heading(heading)
            reason = self._not_applying(key)
            if reason is not None:
                note = self.words["skipped"].format(when=reason)
                if key in self.given:  # the resumed file's answer is not lost without a word
                    note += "; " + self.words["was"].format(value=flow(self.given[key]))
                self._leave(key, param, note)
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
            self._ask_param(key, self.library.params[key], retry.message, retry.key)
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

    def _heading(self, section: str | None) -> str:
        """The title of a section, said before its first question (None: the answers that decide)."""
        if section is None:
            title = str(self.words["basics"])
        elif section == FRONT_SECTION:
            title = str(self.words["front"])
        else:
            titles = self.library.labels.get(self.wording.lang, {}).get("sections") or {}
            title = str(titles.get(section, section))
        return f"\n{title}\n{'-' * len(title)}"

    # -- whether a question applies -------------------------------------------------------------------

    def _not_applying(self, key: str) -> str | None:
        """None if a clause declaring ``key`` may apply; else why none does (their ``applies_when``)."""
        reasons = []
        tree = condition_names(self.library, self._tree())
        own = self.param_conditions.get(key)
        if own is not None and not may_hold(own, tree):
            return self.library.params[key].when
        for clause in self.owners[key]:
            condition = self.conditions.get(clause.id)
            if condition is None or may_hold(condition, tree):
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
            node[leaf] = self.state.typed.get(key, UNKNOWN)
        return tree

    # -- asking ---------------------------------------------------------------------------------------

    def _ask_param(self, key: str, param: Param, error: str | None, where: str | None = None) -> None:
        """Ask for ``key`` until its answer fits, alone and with the answers before it.

        A problem in one entry of a list (``escalation.levels.1.reaction``) asks that entry again, not the list.
        """
        entry = self._entry(key, param, where)
        while True:
            value = self._dispatch(key, param, error) if entry is None else self._ask_entry(key, param, entry, error)
            if value is MISSING:
                self._leave(key, param, "" if key in self.state.notes else self.words["optional"])
            else:
                self._answer(key, param, value)
            problems = [p for p in self._problems(self.render()) if self._param_of(p.key) == key]
            if not problems:
                return
            first = next((p for p in problems if self._entry(key, param, p.key) is not None), problems[0])
            error = self.wording.translated(first.message)
            entry = self._entry(key, param, first.key)

    def _entry(self, key: str, param: Param, where: str | None) -> int | None:
        """The entry of list ``key`` a problem at ``where`` is about, if it is about one entry."""
        given = self.state.yaml.get(key)
        number = (where or "").removeprefix(key + ".").split(".")[0]
        if isinstance(param.kind, ListType) and isinstance(given, list) and where != key and number.isdigit():
            return int(number) if int(number) < len(given) else None
        return None

    def _ask_entry(self, key: str, param: Param, entry: int, error: str | None) -> Any:
        """List ``key`` as answered, with entry ``entry`` (from 0) asked again."""
        assert isinstance(param.kind, ListType)
        items = list(self.state.yaml[key])
        text = self.wording.question(key, param)
        items[entry] = param.kind.ask_item(self, key, param, text, entry + 1, "", error, optional=False)
        return items

    def _answer(self, key: str, param: Param, value: Any) -> None:
        self.state.yaml[key] = value
        self.state.typed[key] = coerce_value(param, value, languages=self.library.languages)
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
        param, error = self._with_given(key, param, error)
        choices = param.kind.choices(self, param)
        if key in self.presets and error is None:
            value = self.presets.pop(key)
            self.say(self.words["given"].format(question=text, value=value))
            return value
        if len(choices) == 1 and error is None:
            self.say(self.words["only_choice"].format(question=text, value=choices[0].value))
            return choices[0].value
        return param.kind.ask(self, key, param, text, help_text, error)

    def _with_given(self, key: str, param: Param, error: str | None) -> tuple[Param, str | None]:
        """``param`` with the resumed file's answer as its default; a given answer that does not fit: why."""
        if key not in self.given:
            return param, error
        try:
            typed = coerce_value(param, self.given[key], languages=self.library.languages)
        except ParamError as exc:
            return param, error or self.wording.translated(str(exc))
        return replace(param, default=typed), error

    # -- what a parameter type may ask (slagen.params.base.Asker) ------------------------------------------

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
        """One value: typed by the declaration; Enter takes ``default``; a choice may be given by number."""
        optional = not param.required if optional is None else optional
        choices = self.wording.labelled(key, choices)
        by_label = {" ".join(c.label.casefold().split()): c.value for c in choices if c.label}
        shown_default = None if default is None else shown(default)
        shown_default = next((c.label for c in choices if c.label and c.value == shown_default), shown_default)
        while True:
            raw = self.ask(Question(key, text, help_text, shown_default, choices, error)).strip()
            raw = by_label.get(" ".join(raw.casefold().split()), raw)
            if not raw:
                if default is not None:
                    return default
                if optional:
                    return MISSING
                error = str(self.words["required"])
                continue
            values = [c.value for c in choices]
            if raw.isdigit() and raw not in values and 1 <= int(raw) <= len(values):
                raw = values[int(raw) - 1]
            try:
                given = param.kind.from_text(raw)
                typed = (coerce or (lambda v: coerce_value(param, v, languages=self.library.languages)))(given)
            except ParamError as exc:
                error = self.wording.translated(str(exc))
                continue
            return param.kind.to_yaml(typed) if param.kind.scalar else given

    def confirm(self, key: str, text: str, help_text: str, default: bool | None, error: str | None) -> bool:
        """Yes or no, in the interview's language (``true``/``false`` too); Enter takes ``default``."""
        yes, no = self.wording.yes, self.wording.no
        answer = None if default is None else (yes if default else no)
        while True:
            raw = self.ask(Question(key, text, help_text, answer, (Choice(yes), Choice(no)), error, True))
            raw = raw.strip().lower()
            if not raw and default is not None:
                return default
            if raw in [str(w).lower() for w in self.words["yes_answers"]] or raw == "true":
                return True
            if raw in [str(w).lower() for w in self.words["no_answers"]] or raw == "false":
                return False
            error = str(self.words["yes_no"] if raw else self.words["required"])

    def word(self, name: str) -> str:
        """One of the interview's own words (``keep_default``, ``more``)."""
        return str(self.words[name])

    def more(self, key: str) -> str:
        """The 'add another?' question of list ``key``."""
        return self.wording.more.get(key) or str(self.words["more"])

    def question(self, key: str, param: Param) -> str:
        """The question for ``key``."""
        return self.wording.question(key, param)

    def help_for(self, key: str, param: Param) -> str:
        """The help before the question for ``key``."""
        return self.wording.help_for(key, param)

    def languages(self) -> list[str]:
        """The agreement's languages as answered; the library's until then."""
        key = self.library.key_of("languages")
        chosen = self.state.typed.get(key) if key else None
        return list(chosen) if isinstance(chosen, list) and chosen else list(self.library.languages)

    def language_name(self, lang: str) -> str:
        """The name of ``lang`` in the interview's language (``Englisch``)."""
        return str(Locale.parse(self.library.locale(self.wording.lang)).languages.get(lang, lang))

    def catalog_choices(self) -> tuple[Choice, ...]:
        """The library's catalogs, each with its name."""
        return offers.catalog_choices(self.library, self.wording.lang)

    def tier_choices(self, *, offered_only: bool) -> tuple[Choice, ...]:
        """The chosen catalog's tiers with their targets; once a multi-level agreement offers some, those."""
        catalog, _ = self.chosen_catalog_and_tier()
        offered = self._offered_tiers() if offered_only else []
        return offers.tier_choices(self.library, catalog, offered, self.wording.lang)

    def kpi_values(self, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Targets other than the chosen tier's, KPI by KPI, with the tier's target as the default."""
        return ask_kpi_values(self, key, param, text, help_text, error)

    def credit_scheme(self, key: str, param: Param, text: str, help_text: str, error: str | None) -> Any:
        """Credit bands of one's own, one a line, then the cap (:mod:`.bands`)."""
        return ask_credit_scheme(self, key, text, help_text, error)

    def chosen_catalog_and_tier(self) -> tuple[Catalog | None, str | None]:
        """The chosen catalog and tier, as far as answered (and the tier one of the catalog's)."""
        catalog_key, tier_key = self.library.key_of("catalog"), self.library.key_of("tier")
        catalog = self.library.catalogs.get(str(self.state.typed.get(catalog_key))) if catalog_key else None
        tier = self.state.typed.get(tier_key) if tier_key else None
        if catalog is None or tier not in catalog.tiers:
            return catalog, None
        return catalog, str(tier)

    def _offered_tiers(self) -> list[str]:
        """The tiers a multi-level agreement offers, once answered: a tier is then chosen among them."""
        key = self.library.key_of("tiers")
        if key is None or self._not_applying(key) is not None:
            return []
        return [str(t) for t in self.state.typed.get(key) or ()]

    # -- checking and writing ---------------------------------------------------------------------------

    def refused(self, key: str, value: Any) -> list[str]:
        """What the checks say against ``value`` as the answer to ``key``."""
        return [message for _, message in self.refused_at(key, value)]

    def refused_at(self, key: str, value: Any) -> list[tuple[str, str]]:
        """The problems the checks find with ``value`` as the answer to ``key``: (where, message)."""
        found = self._problems(self.render({key: value}))
        return [(str(p.key), p.message) for p in found if self._param_of(p.key) == key]

    def _problems(self, text: str) -> list[Problem]:
        try:
            validate_answers(parse_yaml(text.encode("utf-8"), "answers"), self.library, self.conditions)
        except InputError as exc:
            return [p for p in exc.problems if p.severity == "error"]
        return []

    def render(self, extra: dict[str, Any] | None = None) -> str:
        """The answers file as answered so far (with ``extra`` answers, to try them)."""
        values = {**self.state.yaml, **(extra or {})}
        return write_answers(self.library, self.wording, self.schema, values, self.state.notes, self.comments)
