"""Lint rule ``questions``: the interview's words for every declared answer, in every language, and no others.

The interview asks one question per declared parameter (and per field of a records parameter); the words are
``templates/<lang>/questions.yaml``. Findings:

- a declaration without its question in a language (it would be asked in its English ``help``), and a question
  for a key nothing declares (a leftover);
- a declaration with a ``help`` but no ``help:`` entry in a language whose questions.yaml words help at all
  (the German one does; a language without a ``help:`` section shows the declarations' own help, as the
  English one does by design): the German interview would otherwise explain it in English;
- a ``choices:`` entry for a key that is not declared or has no choices, or a label for a choice the
  declaration does not offer (a misspelt or removed choice, whose label is never shown).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slagen.interview import question_keys
from slagen.interview.wording import QUESTIONS_FILE
from slagen.library import Library
from slagen.params import Param
from slagen.yamlsource import YamlSource, load_yaml


def check_questions(library: Library) -> Iterator[tuple[str, int, str]]:
    """``(file, line, message)`` for each question or help missing, and each question or choice label astray."""
    keys = question_keys(library)
    declared = _declarations(library)
    for lang in library.languages:
        display = f"templates/{lang}/{QUESTIONS_FILE}"
        path = library.template_root / lang / QUESTIONS_FILE
        if not path.is_file():
            continue  # the library's own check names a missing file
        source = load_yaml(path, display=display)
        data = source.data if isinstance(source.data, dict) else {}
        questions = data.get("questions")
        if not isinstance(questions, dict):
            continue  # the library's own check names a malformed file
        for key in keys:
            if not questions.get(key):
                yield display, 0, f"no question for '{key}' (declared by the clause library)"
        for key in sorted(set(questions) - set(keys)):
            yield display, source.line_of(("questions", key)) or 0, f"a question for '{key}', which no clause declares"
        section = data.get("help")
        helps: dict[str, Any] = section if isinstance(section, dict) else {}
        if helps:  # this language words help: then for every declared help
            for key in keys:
                if declared[key].help and not helps.get(key):
                    line = source.line_of(("help",)) or 0
                    yield display, line, f"no help for '{key}' in '{lang}' (the interview would show its English help)"
        yield from _check_choices(display, source, data.get("choices"), declared)


def _declarations(library: Library) -> dict[str, Param]:
    """Every question key's declaration: parameters, and record fields as ``key[].field``."""
    found: dict[str, Param] = {}
    for key, param in library.params.items():
        found[key] = param
        found.update({f"{key}[].{name}": field for name, field in param.fields.items()})
    return found


def _check_choices(
    display: str, source: YamlSource, choices: Any, declared: dict[str, Param]
) -> Iterator[tuple[str, int, str]]:
    if not isinstance(choices, dict):
        return  # none, or malformed: the library's own check names that
    for key, labels in choices.items():
        line = source.line_of(("choices", key)) or 0
        param = declared.get(str(key))
        if param is None:
            yield display, line, f"choices for '{key}', which no clause declares"
        elif not param.choices:
            yield display, line, f"choices for '{key}', which has no choices (type {param.type})"
        elif isinstance(labels, dict):  # a group's name (roles) labels the contract too: it may hold more
            offered = [str(choice) for choice in param.choices]
            for choice in labels:
                if str(choice) not in offered:
                    where = source.line_of(("choices", key, choice)) or line
                    yield display, where, f"choices.{key}: '{choice}' is not a choice of {key} ({', '.join(offered)})"
