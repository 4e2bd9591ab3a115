"""The interview: ask for the answers of one agreement and write them as a commented answers file.

Takes the library, an ``ask`` callable and the language of the questions and gives the
text of an answers file that ``slagen check`` accepts. The questions are the library's
parameter declarations, the same that validate (``library.params``, in document order);
their wording is data, ``templates/<lang>/questions.yaml`` (:mod:`.wording`). A question
is asked only while one of the clauses that declare it may still apply (:mod:`.undecided`).
Each parameter's type asks for itself (:meth:`~slagen.params.base.ParamType.ask`) through
the prompts of the session (:mod:`.session`); every answer is typed at once and then
checked together with the answers before it by :func:`~slagen.answers.validate_answers`;
a problem is shown and the question asked again. The file is written by :mod:`.written`.
The order of the questions is derived from the conditions (:mod:`.order`); an answers file
may be resumed, its answers the defaults and its comments kept (:mod:`.resume`).
Nothing here prints: the CLI passes ``click.prompt``, tests a list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from slagen.errors import InputError, OutputError
from slagen.interview.resume import Resumed, resume
from slagen.interview.session import FORMAT_KEY, Interview
from slagen.interview.wording import QUESTIONS_FILE, Ask, Question, Say, Wording, load_wording
from slagen.library import Library
from slagen.params import Choice
from slagen.yamlsource import load_yaml

SCHEMA_FILE = "answers.schema.json"
"""The schema the written file points editors at: ``slagen schema -o`` writes it beside the answers."""

__all__ = [
    "FORMAT_KEY",
    "QUESTIONS_FILE",
    "SCHEMA_FILE",
    "Ask",
    "Choice",
    "Question",
    "Resumed",
    "Say",
    "Wording",
    "default_language",
    "load_wording",
    "question_keys",
    "refuse_existing",
    "resume_file",
    "run_interview",
]


def question_keys(library: Library) -> list[str]:
    """Every key that needs a question: each declared parameter and each field of a records parameter."""
    keys = []
    for key, param in library.params.items():
        keys.append(key)
        keys.extend(f"{key}[].{name}" for name in param.fields)
    return keys


def default_language(environ: Mapping[str, str], languages: Sequence[str] = ("de", "en")) -> str:
    """The language of the questions: the locale environment's if the library has it, else its first.

    ``languages`` are the library's (``library.languages``); the default is the bundled
    library's, for callers that do not pass them yet.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            lang = value.split(".")[0].split("_")[0].lower()
            return lang if lang in languages else languages[0]
    return languages[0]


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
    resumed: Resumed | None = None,
) -> str:
    """Ask every question the agreement needs and return the commented answers file.

    ``lang`` is one of the library's languages. ``catalog`` and ``tier`` answer those
    questions in advance. ``click.Abort``, ``KeyboardInterrupt`` or ``EOFError`` raised by
    ``ask`` pass through: nothing is returned. ``resumed`` is an answers file to resume
    (:func:`resume_file`): its answers are the defaults, its comments are kept.
    """
    if lang not in library.languages:
        raise InputError.single(f"the library asks in {', '.join(library.languages)}, not in '{lang}'", key="lang")
    wording = load_wording(library, lang)
    interview = Interview(library, ask, say or (lambda _text: None), wording, schema, resumed)
    return interview.run({"catalog": catalog, "tier": tier})


def resume_file(library: Library, path: Path) -> Resumed:
    """The answers and the comments of the answers file at ``path``, to resume it; a key not declared is an error."""
    return resume(
        library, load_yaml(path, display=str(path)), [load_wording(library, lang) for lang in library.languages]
    )
