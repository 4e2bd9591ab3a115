"""Number sections and clauses and resolve cross-references, once per document.

Takes a rendered :class:`~slagen.model.Document` and gives it back numbered: sections
``1``, ``2`` …, clauses ``1.1``, ``1.2`` …, and ``document.numbers`` mapping every id to
its number, which is what each :class:`~slagen.model.Ref` shows. A reference to a clause
the agreement does not contain is a library error naming the clause that refers to it, and
so is a defined term that is defined twice or used without a definition.
"""

from __future__ import annotations

from collections.abc import Hashable

from slagen import reuse
from slagen.errors import Problem, TemplateError
from slagen.kept import Kept
from slagen.model import Document, Ref, TermUse, iter_inlines, marks, shape
from slagen.terms import check_terms


def number_document(document: Document) -> Document:
    """Assign numbers in document order and check every reference; return ``document``."""
    numbers: dict[str, str] = {}
    for s_index, section in enumerate(document.sections, start=1):
        section.number = str(s_index)
        numbers[section.id] = section.number
        for c_index, clause in enumerate(section.clauses, start=1):
            clause.number = f"{s_index}.{c_index}"
            numbers[clause.id] = clause.number
    problems = _checked(document, numbers)
    if problems:
        raise TemplateError(problems)
    document.numbers = numbers
    return document


_CHECKED: Kept[Hashable, list[Problem]] = Kept(64)


def _checked(document: Document, numbers: dict[str, str]) -> list[Problem]:
    """The problems of ``document``'s references and terms, kept for documents of one shape and front matter.

    Numbers, references and terms of the sections follow from the :func:`~slagen.model.shape`; the front
    matter (which names the parties) adds its own references and terms to the key.
    """
    if not reuse.enabled():
        return _problems(document, numbers)
    form, held = shape(document)
    front = tuple(
        (run.target,) if isinstance(run, Ref) else (run.term, run.defining)
        for run in iter_inlines(document.front)
        if isinstance(run, (Ref, TermUse))
    )
    key = (document.language, form, front)
    kept = _CHECKED.get(key)
    if kept is None:
        kept = _CHECKED.put(key, _problems(document, numbers), held)
    return list(kept)


def _problems(document: Document, numbers: dict[str, str]) -> list[Problem]:
    problems = []
    for clause in document.clauses():
        for run in [*clause.title, *marks(clause.blocks).refs]:
            if isinstance(run, Ref) and run.target not in numbers:
                problems.append(
                    Problem(
                        f"clause '{clause.id}' ({document.language}) refers to '{run.target}', "
                        "which this agreement does not contain",
                        f"templates/{document.language}/{clause.id.replace('.', '/')}.md.j2",
                    )
                )
    for run in iter_inlines(document.front):
        if isinstance(run, Ref) and run.target not in numbers:
            message = f"the front matter refers to '{run.target}', which this agreement does not contain"
            problems.append(Problem(message))
    return problems + check_terms(document)
