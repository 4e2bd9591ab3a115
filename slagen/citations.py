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

from slagen import derived
from slagen.errors import InputError, Problem
from slagen.library import Clause, Library
from slagen.model import Block, Document, Marks, TermUse, iter_inlines
from slagen.yamlsource import YamlSource


def check_citations(
    document: Document,
    included: Collection[str],
    library: Library,
    source: YamlSource,
    marks_of: Callable[[Sequence[Block]], Marks],
) -> None:
    """Raise :class:`InputError` for each clause of ``document`` citing a library clause not in ``included``.

    A citation is a ``ref`` to the clause, or the use of a term that no clause of ``document`` defines and one
    left-out clause would.
    """
    clauses = {clause.id: clause for clause in library.clauses}
    problems: list[Problem] = []
    defined = {run.term for run in iter_inlines(document.front) if isinstance(run, TermUse) and run.defining}
    used: dict[str, set[str]] = {}
    for clause in document.clauses():
        found = marks_of(clause.blocks)
        defined.update(use.term for use in found.terms if use.defining)
        for use in found.terms:
            used.setdefault(use.term, set()).add(clause.id)
        targets = {ref.target.split("#")[0] for ref in found.refs}
        for target in sorted(targets):
            if target in clauses and target not in included:
                problems.append(_problem(clause.id, f"cites clause '{target}'", clauses[target], library, source))
    for term in sorted(set(used) - defined):
        definers = [
            clause for clause in library.clauses if clause.id not in included and _defines(library, clause, term)
        ]
        if len(definers) == 1:
            what = f"uses the term '{term}' of clause '{definers[0].id}'"
            problems += [_problem(citing, what, definers[0], library, source) for citing in sorted(used[term])]
    if problems:
        raise InputError(sorted(set(problems), key=str))


def _defines(library: Library, clause: Clause, term: str) -> bool:
    """Whether a template of ``clause`` defines ``term`` (read only when a term is found undefined)."""
    pattern = re.compile(rf"define\(\s*['\"]{re.escape(term)}['\"]\s*\)")
    for lang in library.languages:
        path = library.template_root / lang / clause.template_name
        if path.is_file() and pattern.search(path.read_text(encoding="utf-8")):
            return True
    return False


def _problem(citing: str, what: str, cited: Clause, library: Library, source: YamlSource) -> Problem:
    keys = _keys(cited.when or "", library)
    given = [key for key in keys if _given(source, key)]
    key = (given or keys)[0] if keys else None
    why = cited.applies_when or (f"it applies only when {cited.when}" if cited.when else "")
    applies = f" ({why})" if why else ""
    decided = f" (decided by {', '.join(keys)})" if len(keys) > 1 else ""
    message = (
        f"clause '{citing}' {what}, which these answers leave out{applies}{decided}; the clause"
        " library does not yet fit this answer: change it, or tell the library's authors"
        " ('slagen lint', rule 'references', shows where)"
    )
    line = source.line_of(tuple(key.split("."))) if key and _given(source, key) else None
    return Problem(message, source.path, line, key)


def _keys(when: str, library: Library) -> list[str]:
    """The declared answers a condition reads, in the order it names them.

    ``catalog.…`` reads the catalog's answer, ``derived.<name>`` the answers that value is computed from.
    """
    found = [(m.start(), key) for key in library.params for m in [re.search(rf"\b{re.escape(key)}\b", when)] if m]
    catalog = re.search(r"\bcatalog\.", when)
    catalog_key = library.key_of("catalog")
    if catalog and catalog_key and catalog_key not in {key for _, key in found}:
        found.append((catalog.start(), catalog_key))
    for at, read in derived.named_in(when):
        if read in library.params and read not in {key for _, key in found}:
            found.append((at, read))
    return [key for _, key in sorted(found, key=lambda entry: entry[0])]


def _given(source: YamlSource, key: str) -> bool:
    return tuple(key.split(".")) in source.lines
