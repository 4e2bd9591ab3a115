"""Defined terms of a document: where each is defined, which are used, and whether that fits.

A clause defines a term with ``define('working_day')`` and uses it with ``term('working_day')``
(see :mod:`slagen.render`). Which terms an agreement defines depends on the clauses it contains,
so a clause that lists them (the definitions clause, ``renders_last: true``) is rendered after
the others and given :func:`term_context`. Numbering then checks the whole document with
:func:`check_terms`: no term defined twice, none used without a definition.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from slagen.errors import Problem
from slagen.model import Block, Document, Inline, TermUse, iter_inlines, marks

FRONT = "front"
"""Where the front matter's terms are defined (it has no number to refer to)."""

Rendered = tuple[tuple[Inline, ...] | None, tuple[Block, ...]]


def _term_uses(runs: Iterable[Inline]) -> list[TermUse]:
    return [run for run in runs if isinstance(run, TermUse)]


def term_context(rendered: Mapping[str, Rendered]) -> dict[str, Any]:
    """What a clause that lists the defined terms sees: ``defined_terms`` and ``used_terms``.

    ``defined_terms`` is one entry per term defined by the clauses in ``rendered`` (clause id →
    title and blocks), in alphabetical order of its text: ``id``, ``text`` and ``clause`` (the
    id of the defining clause, ``front`` for the front matter). ``used_terms`` is the sorted ids
    of every term used.
    """
    defined: dict[str, dict[str, str]] = {}
    used: set[str] = set()
    for clause_id, (title, blocks) in rendered.items():
        for use in [*_term_uses(title or []), *marks(blocks).terms]:
            if use.defining:
                defined.setdefault(use.term, {"id": use.term, "text": use.text, "clause": clause_id})
            else:
                used.add(use.term)
    return {
        "defined_terms": sorted(defined.values(), key=lambda entry: _sort_key(entry["text"])),
        "used_terms": sorted(used),
    }


def _sort_key(text: str) -> str:
    """Alphabetical order as a dictionary has it: ``Ä`` beside ``A``, case ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def check_terms(document: Document) -> list[Problem]:
    """Terms ``document`` defines more than once or uses without defining, one problem each."""
    places: list[tuple[str, list[TermUse]]] = [(FRONT, _term_uses(iter_inlines(document.front)))]
    places += [(clause.id, [*_term_uses(clause.title), *marks(clause.blocks).terms]) for clause in document.clauses()]
    defined: dict[str, str] = {}
    problems: list[Problem] = []
    for where, uses in places:
        for use in uses:
            if use.defining and use.term in defined and defined[use.term] != where:
                message = (
                    f"{_name(where)} ({document.language}) defines the term '{use.term}', "
                    f"which {_name(defined[use.term])} defines already"
                )
                problems.append(Problem(message, _file(where, document.language)))
            elif use.defining:
                defined[use.term] = where
    for where, uses in places:
        missing = sorted({use.term for use in uses if not use.defining and use.term not in defined})
        for term in missing:
            message = (
                f"{_name(where)} ({document.language}) uses the term '{term}', which the agreement does not define"
            )
            problems.append(Problem(message, _file(where, document.language)))
    return problems


def _name(where: str) -> str:
    return "the front matter" if where == FRONT else f"clause '{where}'"


def _file(where: str, language: str) -> str:
    return f"templates/{language}/{where.replace('.', '/')}.md.j2"
