"""The words of the interview in one language, and what ``ask`` is asked.

The questions, their help and the interview's own words are data,
``templates/<lang>/questions.yaml``; a malformed file is a library error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slagen.errors import LibraryError, Problem
from slagen.library import Library
from slagen.params import Choice, Param
from slagen.yamlsource import load_yaml

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
