"""The ``review`` rule of ``slagen lint``: every review note fits a governing law and a document language.

A clause record's ``review:`` is ``{law: {language: note}}``: the outer keys are choices of
``agreement.governing_law`` (a law left out means no note under it), the inner keys every
language of the library. A plain text is still loaded (shown under every law and in every
language) but is a finding here, since a note citing the BGB misleads under English law. No note
may say "[unverified]": a point is verified from a public source the note names, or asked as an
open question for legal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slagen.errors import LibraryError
from slagen.yamlsource import YamlSource, load_yaml

if TYPE_CHECKING:
    from slagen.library import Clause, Library

Note = tuple[str, int, str]
"""A finding of the rule: file, line, message (:mod:`slagen.lint` makes it a ``Finding``)."""

LAW_KEY = "agreement.governing_law"
UNVERIFIED = "[unverified]"


def check_notes(library: Library) -> list[Note]:
    """Every note that is not per law and language, names an unknown law or language, or is unverified."""
    param = library.params.get(LAW_KEY)
    laws = tuple(param.choices or ()) if param else ()
    found: list[Note] = []
    for clause in library.clauses:
        if not clause.review:
            continue
        try:
            source = load_yaml(library.root / clause.path, display=clause.path)
        except LibraryError:
            continue  # the library check reports it
        found += _check_clause(clause, source, laws, library.languages)
    return found


def _check_clause(clause: Clause, source: YamlSource, laws: tuple[str, ...], languages: tuple[str, ...]) -> list[Note]:
    def finding(path: tuple[str, ...], message: str) -> Note:
        return clause.path, source.line_of(path) or source.line_of(("review",)) or 1, message

    found: list[Note] = []
    by_law: dict[str, set[str]] = {}
    for law, language, text in clause.review:
        if law == "*":
            form = "{" + ", ".join(f"{each}: {{{', '.join(languages)}}}" for each in laws) + "}"
            found.append(finding(("review",), f"give the note per governing law and language: {form}"))
        elif law not in laws:
            found.append(finding(("review", law), f"unknown governing law '{law}' (one of: {', '.join(laws)})"))
        elif language not in languages:
            message = f"unknown language '{language}' (the library writes: {', '.join(languages)})"
            found.append(finding(("review", law, language), message))
        by_law.setdefault(law, set()).add(language)
        if UNVERIFIED in text.lower():
            message = "a note may not say '[unverified]': name the public source, or ask an open question for legal"
            found.append(finding(("review", law, language), message))
    for law, present in sorted(by_law.items()):
        missing = [lang for lang in languages if lang not in present]
        if law != "*" and law in laws and missing:
            found.append(finding(("review", law), f"the note under '{law}' has no '{', '.join(missing)}' text"))
    return found
