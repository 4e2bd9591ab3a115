"""Number sections and clauses and resolve cross-references, once per document.

Takes a rendered :class:`~slagen.model.Document` and gives a numbered one: sections ``1``,
``2`` …, clauses ``1.1``, ``1.2`` …, and ``document.numbers`` mapping every id to its number,
which is what each :class:`~slagen.model.Ref` shows. The annexes (the clauses of the annex
section) are numbered apart and cited by name: ``Anlage 4``, ``Schedule 4`` (label ``annex``).
A clause with an anchored paragraph (``clause.id#name``) numbers its paragraphs ``1``, ``2`` …;
a reference to the anchor shows that number. A reference to a clause the agreement does
not contain is a library error naming the clause that refers to it, and so is a defined term
that is defined twice or used without a definition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from msgspec.structs import replace

from slagen.errors import Problem, TemplateError
from slagen.model import Block, Clause, Document, ListBlock, Marks, Paragraph, Ref, Text, iter_inlines, marks
from slagen.terms import check_terms

MarksOf = Callable[[Sequence[Block]], Marks]
Numbered = tuple[tuple[Block, ...], tuple[tuple[str, str], ...]]
"""A clause's blocks with their paragraphs numbered, and the number of each anchor (``id#name``)."""
NumberedOf = Callable[[tuple[Block, ...], str, Callable[[], Numbered]], Numbered]
"""Gives ``make()`` for a clause's blocks and id (the memo's may give it again for the same blocks and id)."""


def _fresh(blocks: tuple[Block, ...], clause_id: str, make: Callable[[], Numbered]) -> Numbered:
    return make()


def number_document(document: Document, marks_of: MarksOf = marks, numbered_of: NumberedOf = _fresh) -> Document:
    """``document`` with numbers in document order, every reference checked.

    ``marks_of`` finds the references and terms in a clause's blocks (the memo's keeps them per part);
    ``numbered_of`` numbers a clause's paragraphs (the memo's gives them again for the same blocks).
    """
    numbers: dict[str, str] = {}
    sections = []
    s_index = 0
    for section in document.sections:
        if section.annex:  # "Anlage 1" …: cited by name, outside the clause numbers
            numbers[section.id] = section.title
            clauses = []
            for a_index, clause in enumerate(section.clauses, start=1):
                numbers[clause.id] = f"{document.labels['annex']} {a_index}"
                clauses.append(_paragraphs(replace(clause, number=str(a_index)), numbers, numbered_of))
            sections.append(replace(section, clauses=tuple(clauses)))
            continue
        s_index += 1
        numbers[section.id] = str(s_index)
        clauses = []
        for c_index, clause in enumerate(section.clauses, start=1):
            numbers[clause.id] = f"{s_index}.{c_index}"
            clauses.append(_paragraphs(replace(clause, number=numbers[clause.id]), numbers, numbered_of))
        sections.append(replace(section, number=str(s_index), clauses=tuple(clauses)))
    numbered = replace(document, sections=tuple(sections), numbers=numbers)
    problems = _problems(numbered, numbers, marks_of)
    if problems:
        raise TemplateError(problems)
    return numbered


def _paragraphs(clause: Clause, numbers: dict[str, str], numbered_of: NumberedOf) -> Clause:
    """``clause`` with its paragraphs numbered if the text cites one of them (an anchored paragraph)."""
    if not any(isinstance(block, Paragraph) and block.anchor for block in clause.blocks):
        return clause
    blocks, anchors = numbered_of(clause.blocks, clause.id, lambda: numbered_paragraphs(clause.blocks, clause.id))
    numbers.update(anchors)  # keyed ``clause#name``: unique, as clause ids are and numbered_paragraphs checks names
    return replace(clause, blocks=blocks)


def numbered_paragraphs(blocks: Sequence[Block], clause_id: str) -> Numbered:
    """``blocks`` of clause ``clause_id`` with their paragraphs numbered, and the number of each anchor."""
    out: list[Block] = []
    anchors: dict[str, str] = {}
    count = 0
    for block in blocks:
        if isinstance(block, Paragraph) and not (out and _continues(block, out[-1])):
            count += 1
            if block.anchor:
                key = f"{clause_id}#{block.anchor}"
                if key in anchors:
                    message = f"clause '{clause_id}' marks two paragraphs as paragraph('{block.anchor}')"
                    raise TemplateError([Problem(message)])
                anchors[key] = str(count)
            block = replace(block, number=str(count))
        out.append(block)
    return tuple(out), tuple(anchors.items())


def _continues(block: Paragraph, before: Block) -> bool:
    """Whether ``block`` continues the sentence that a list opened (it starts in lower case after a list)."""
    first = block.runs[0] if block.runs and not block.anchor else None
    return isinstance(before, ListBlock) and isinstance(first, Text) and first.text[:1].islower()


def _problems(document: Document, numbers: Mapping[str, str], marks_of: MarksOf) -> list[Problem]:
    problems = []
    for clause in document.clauses():
        for run in [*clause.title, *marks_of(clause.blocks).refs]:
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
    return problems + check_terms(document, marks_of)
