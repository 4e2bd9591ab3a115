"""Citations of clauses that these answers leave out, reported by the answer that leaves them out.

A clause that cites another (``ref('legal.call_recording')``) without a guard fails in the agreements that
lack the cited clause. ``slagen lint`` (rule ``references``, :mod:`slagen.lintrefs`) finds that in the
library; this stage, run on each rendered document before numbering, tells the person with the answers
file what happened in their terms: the answer key that decides the cited clause (its line in the answers
file) and what the library's authors need to know, never a template (issue 19, item 4).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from slagen.errors import InputError, Problem
from slagen.library import Clause, Library
from slagen.model import Block, Document, Marks
from slagen.yamlsource import YamlSource


def check_citations(
    document: Document,
    included: Collection[str],
    library: Library,
    source: YamlSource,
    marks_of: Callable[[Sequence[Block]], Marks],
) -> None:
    """Raise :class:`InputError` for each clause of ``document`` citing a library clause not in ``included``."""
    clauses = {clause.id: clause for clause in library.clauses}
    problems: list[Problem] = []
    for clause in document.clauses():
        targets = {ref.target.split("#")[0] for ref in marks_of(clause.blocks).refs}
        for target in sorted(targets):
            if target in clauses and target not in included:
                problems.append(_problem(clause.id, clauses[target], library, source))
    if problems:
        raise InputError(sorted(set(problems), key=str))


def _problem(citing: str, cited: Clause, library: Library, source: YamlSource) -> Problem:
    keys = _keys(cited.when or "", library)
    given = [key for key in keys if _given(source, key)]
    key = (given or keys)[0] if keys else None
    why = cited.applies_when or (f"it applies only when {cited.when}" if cited.when else "")
    applies = f" ({why})" if why else ""
    decided = f" (decided by {', '.join(keys)})" if len(keys) > 1 else ""
    message = (
        f"clause '{citing}' cites clause '{cited.id}', which these answers leave out{applies}{decided}; the clause"
        " library does not yet fit this answer: change it, or tell the library's authors"
        " ('slagen lint', rule 'references', shows where)"
    )
    line = source.line_of(tuple(key.split("."))) if key and _given(source, key) else None
    return Problem(message, source.path, line, key)


def _keys(when: str, library: Library) -> list[str]:
    """The declared answers a condition reads, in the order it names them."""
    found = [
        (match.start(), key) for key in library.params for match in [re.search(rf"\b{re.escape(key)}\b", when)] if match
    ]
    return [key for _, key in sorted(found)]


def _given(source: YamlSource, key: str) -> bool:
    return tuple(key.split(".")) in source.lines
