"""The order of the interview's questions, derived from what each question depends on.

A question *depends on* the answers that decide whether it is asked: those its clauses'
``when`` read (other than the clause's own answers, asked in the order declared), those its
own ``when`` reads, and those its type needs for its choices (a tier is chosen in the chosen
catalog, among the offered tiers; KPI targets and credit bands start from the tier; a text in
each language needs the languages). An answer some question depends on *decides*. The deciding
answers are asked first, in document order, each after the answers it depends on in turn; then
every other question in document order. So the languages, the agreement's kind and model, the
catalog and tier, the governing law and the parties' countries come before the clauses they
choose, and nothing is kept by hand.
"""

from __future__ import annotations

from jinja2 import Environment

from slagen.library import Library
from slagen.select import answers_read

TYPE_NEEDS: dict[str, tuple[str, ...]] = {
    "localized": ("languages",),
    "tier": ("catalog", "tiers"),
    "tiers": ("catalog",),
    "kpi_values": ("catalog", "tier"),
    "credits": ("catalog", "tier", "kpi_values"),
}
"""The answers a parameter type needs for its choices and defaults, by the types of those answers."""


def dependencies(library: Library, env: Environment) -> dict[str, set[str]]:
    """For each answer key, the answers that decide whether and how it is asked (never itself)."""
    owners_read: dict[str, set[str]] = {}
    for clause in library.clauses:
        read = answers_read(library, env, clause.when) if clause.when else set()
        read -= {param.key for param in clause.params}  # its own answers: asked in the order declared
        for param in clause.params:
            owners_read.setdefault(param.key, set()).update(read)
    needs: dict[str, set[str]] = {}
    for key, param in library.params.items():
        found = set(owners_read.get(key, ()))
        if param.when:
            found |= answers_read(library, env, param.when)
        kinds = [*TYPE_NEEDS.get(param.type, ())]
        kinds += [kind for spec in param.fields.values() for kind in TYPE_NEEDS.get(spec.type, ())]
        found.update(k for kind in kinds if (k := library.key_of(kind)) is not None)
        found.discard(key)
        needs[key] = found
    return needs


def question_order(library: Library, env: Environment) -> tuple[list[str], set[str]]:
    """Every answer key in the order it is asked, and the keys that decide (asked first)."""
    needs = dependencies(library, env)
    deciding = set().union(*needs.values()) if needs else set()
    position = {key: i for i, key in enumerate(library.params)}
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(key: str) -> None:
        if key in seen:
            return
        seen.add(key)  # a cycle is cut where it closes: the question is asked in document order
        for need in sorted(needs[key], key=position.__getitem__):
            visit(need)
        ordered.append(key)

    for key in library.params:
        if key in deciding:
            visit(key)
    for key in library.params:
        visit(key)
    return ordered, deciding
