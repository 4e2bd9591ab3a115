"""The words of the interview in one language, and what ``ask`` is asked.

The questions, their help and the interview's own words are data,
``templates/<lang>/questions.yaml``; a malformed file is a library error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from slagen.errors import LibraryError, Problem
from slagen.library import Library
from slagen.params import Choice, Param
from slagen.yamlsource import load_yaml

QUESTIONS_FILE = "questions.yaml"
_WORDS = (
    "intro",
    "header",
    "front",
    "basics",
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
    "bands",
    "band",
    "band_line",
    "band_open",
    "band_example",
    "band_form",
    "band_cap",
    "band_end",
    "was",
    "percent",
)


class Question(Struct, frozen=True):
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


class Wording(Struct, frozen=True):
    """The words of the interview in one language, from ``templates/<lang>/questions.yaml``."""

    lang: str
    questions: dict[str, str]
    help: dict[str, str]
    more: dict[str, str]
    words: dict[str, Any]
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    """The choices' labels by answer key (record fields as ``a.b[].c``, list entries as ``a.b``)."""
    locale: str = ""
    messages: tuple[tuple[re.Pattern[str], str], ...] = ()
    """Messages in this language: the pattern of a message slagen writes (in English) and its wording here."""

    def question(self, key: str, param: Param) -> str:
        """The question for ``key`` (``a.b`` or a record field ``a.b[].c``); the declaration's help if none."""
        return self.questions.get(key) or param.help or key

    def help_for(self, key: str, param: Param) -> str:
        """Help shown before a question: this language's, else the declaration's (English)."""
        return self.help.get(key) or param.help

    def labelled(self, key: str, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
        """``choices`` with their labels in this language.

        From ``choices:`` in questions.yaml, else a country's or a currency's name from Babel for an ISO code
        (``DE``, ``EUR``); a choice that has a label keeps it.
        """
        general = re.sub(r"\[\d+\]", "[]", key)
        labels = self.choices.get(general) or self.choices.get(general.removesuffix("[]")) or {}
        return tuple(
            choice if choice.label else replace(choice, label=labels.get(choice.value) or self._named(choice.value))
            for choice in choices
        )

    def _named(self, value: str) -> str:
        if not self.locale or not re.fullmatch(r"[A-Z]{2,3}", value):
            return ""
        from babel import Locale

        locale = Locale.parse(self.locale)
        names = locale.territories if len(value) == 2 else locale.currencies
        return str(names.get(value, ""))

    def translated(self, message: str) -> str:
        """``message`` in this language, if ``messages:`` of questions.yaml words it; else as it is.

        A part named ``{message}`` is a message in its own right and worded in turn.

        >>> wording = Wording("de", {}, {}, {}, {}, messages=compile_messages({"{value} is big": "{value} ist groß"}))
        >>> wording.translated("7 is big"), wording.translated("7 is small")
        ('7 ist groß', '7 is small')
        """
        for pattern, wording in self.messages:
            found = pattern.fullmatch(message)
            if found:
                parts = found.groupdict()
                if "message" in parts:  # a message within a message: worded too
                    parts["message"] = self.translated(parts["message"])
                return wording.format(**parts)
        return message

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
    for name in ("questions", "help", "more", "words", "choices", "messages"):
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
        _choice_labels(sections["choices"], library.labels.get(lang, {}), source, problems),
        library.locale(lang) if lang in library.labels else "",
        compile_messages(sections["messages"]),
    )
    if problems:
        raise LibraryError(problems)
    return wording


def _choice_labels(
    section: dict[str, Any], contract_labels: Any, source: Any, problems: list[Problem]
) -> dict[str, dict[str, str]]:
    """``choices:`` of questions.yaml: for each answer key the labels of its choices.

    A mapping of choice to label, or the name of a group of labels.yaml (``roles``) whose words the contract uses.
    """
    labels: dict[str, dict[str, str]] = {}
    for key, mapping in section.items():
        if isinstance(mapping, str) and isinstance(contract_labels, dict):
            mapping = contract_labels.get(mapping)
        if not isinstance(mapping, dict):
            problems.append(
                Problem(
                    "expected a mapping of choice to label",
                    source.path,
                    source.line_of(("choices", key)),
                    f"choices.{key}",
                )
            )
            continue
        labels[str(key)] = {str(choice): str(label) for choice, label in mapping.items()}
    return labels


def compile_messages(section: dict[str, Any]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """``messages:`` of questions.yaml as patterns: ``{name}`` in the English message matches any text."""
    compiled = []
    for english, wording in section.items():
        parts = re.split(r"\{(\w+)\}", str(english))
        pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        compiled.append((re.compile(pattern, re.DOTALL), str(wording)))
    return tuple(compiled)
