"""Number sections and clauses and resolve cross-references, once per document.

Takes a rendered :class:`~slagen.model.Document` and gives a numbered one: sections ``1``,
``2`` …, clauses ``1.1``, ``1.2`` …, and ``document.numbers`` mapping every id to its number,
which is what each :class:`~slagen.model.Ref` shows. A reference to a clause the agreement does
not contain is a library error naming the clause that refers to it, and so is a defined term
that is defined twice or used without a definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from slagen.errors import Problem, TemplateError
from slagen.model import Document, Ref, iter_inlines, marks
from slagen.terms import check_terms


def number_document(document: Document) -> Document:
    """``document`` with numbers in document order, every reference checked."""
    numbers: dict[str, str] = {}
    sections = []
    for s_index, section in enumerate(document.sections, start=1):
        numbers[section.id] = str(s_index)
        clauses = []
        for c_index, clause in enumerate(section.clauses, start=1):
            numbers[clause.id] = f"{s_index}.{c_index}"
            clauses.append(replace(clause, number=numbers[clause.id]))
        sections.append(replace(section, number=str(s_index), clauses=tuple(clauses)))
    numbered = replace(document, sections=tuple(sections), numbers=numbers)
    problems = _problems(numbered, numbers)
    if problems:
        raise TemplateError(problems)
    return numbered


def _problems(document: Document, numbers: Mapping[str, str]) -> list[Problem]:
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
