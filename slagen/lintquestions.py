"""Lint rule ``questions``: every answer a clause declares has its question in every language's questions file.

The interview asks one question per declared parameter (and per field of a records parameter); the words are
``templates/<lang>/questions.yaml``. A declaration without its question would be asked in its English ``help``
in every language, and a question for a key nothing declares is a leftover: both are findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from slagen.interview import question_keys
from slagen.interview.wording import QUESTIONS_FILE
from slagen.library import Library
from slagen.yamlsource import load_yaml


def check_questions(library: Library) -> Iterator[tuple[str, int, str]]:
    """``(file, line, message)`` for each question missing or asked for a key no clause declares."""
    keys = question_keys(library)
    for lang in library.languages:
        display = f"templates/{lang}/{QUESTIONS_FILE}"
        path = library.template_root / lang / QUESTIONS_FILE
        if not path.is_file():
            continue  # the library's own check names a missing file
        source = load_yaml(path, display=display)
        questions = (source.data or {}).get("questions") if isinstance(source.data, dict) else None
        if not isinstance(questions, dict):
            continue  # the library's own check names a malformed file
        for key in keys:
            if not questions.get(key):
                yield display, 0, f"no question for '{key}' (declared by the clause library)"
        for key in sorted(set(questions) - set(keys)):
            yield display, source.line_of(("questions", key)) or 0, f"a question for '{key}', which no clause declares"
