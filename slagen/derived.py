"""Values derived from the answers: a fact several clauses, templates and rules need, computed in one place.

A derived value is not an answer: nobody states it, slagen computes it from answers that are stated
(:data:`DERIVATIONS`). Clause conditions and templates read it as ``derived.<name>``
(``derived.domestic_de``), the way they read a catalog's declarations as ``catalog.<name>``; the
validation rules read it as ``agreement.derived["domestic_de"]``; lint and the interview's order know
which answers it reads. No answer group may be called ``derived`` (the library refuses it when it loads).

Each value is computed when it is read (:class:`DerivedValues`), with ``and`` deciding from left to
right as a condition does: the interview's answers not given yet leave it undecided exactly as the
expression written out in the condition would, and a decided part (a provider in Austria) decides it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from msgspec import Struct

NAMESPACE = "derived"
"""The name conditions and templates read the derived values under (``derived.domestic_de``)."""

Answer = Callable[[str], Any]
"""An answer by its key (``parties.customer.country``); ``None`` if it is not given or not declared."""


class Derivation(Struct, frozen=True):
    """One derived value: its name, the answers it reads, what it means, and how it is computed."""

    name: str
    reads: tuple[str, ...]
    """The answer keys it is computed from, in the order it reads them."""
    meaning: str
    """What it says, for the template reference (``docs/templates.md``)."""
    compute: Callable[[Answer], Any]


def _domestic_de(answer: Answer) -> bool:
    return bool(
        answer("parties.provider.country") == "DE"
        and answer("parties.customer.country") == "DE"
        and list(answer("scope.territory") or ()) == ["DE"]
    )


DERIVATIONS: Mapping[str, Derivation] = {
    derivation.name: derivation
    for derivation in (
        Derivation(
            "domestic_de",
            ("parties.provider.country", "parties.customer.country", "scope.territory"),
            "A purely German case: both parties have their registered office in Germany and the services are "
            "performed only from Germany. A choice of another law then cannot set aside German mandatory law "
            "(Rome I Art. 3 (3)), so German standard-terms law, liability and severability still apply.",
            _domestic_de,
        ),
    )
}
"""Every derived value, by name."""


class DerivedValues(Mapping[str, Any]):
    """The derived values of one set of answers, each computed when it is read (never kept)."""

    __slots__ = ("_answer",)

    def __init__(self, answer: Answer) -> None:
        self._answer = answer

    def __getitem__(self, name: str) -> Any:
        return DERIVATIONS[name].compute(self._answer)

    def __iter__(self) -> Iterator[str]:
        return iter(DERIVATIONS)

    def __len__(self) -> int:
        return len(DERIVATIONS)


def of_tree(tree: Mapping[str, Any]) -> DerivedValues:
    """The derived values of the answers ``tree`` (``{"parties": {"customer": {"country": "DE"}}}``)."""

    def answer(key: str) -> Any:
        value: Any = tree
        for part in key.split("."):
            if not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return value

    return DerivedValues(answer)


def of_values(values: Mapping[str, Any]) -> DerivedValues:
    """The derived values of typed answers by key (``{"parties.customer.country": "DE"}``), as rules read them."""
    return DerivedValues(values.get)


def computed(tree: Mapping[str, Any]) -> dict[str, Any]:
    """Every derived value of the answers ``tree``, computed now (what templates see as ``derived``)."""
    return dict(of_tree(tree))


def answers_read(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The answer keys ``derived.<parts>`` is computed from: of one value, or of all when ``parts`` is empty."""
    names = parts[:1] or tuple(DERIVATIONS)
    return tuple(key for name in names if name in DERIVATIONS for key in DERIVATIONS[name].reads)


def named_in(text: str) -> list[tuple[int, str]]:
    """Each answer key a condition's ``text`` reads through a derived value, with where that value is named.

    >>> named_in("agreement.governing_law == 'de' or derived.domestic_de")[0]
    (35, 'parties.provider.country')
    """
    return [
        (found.start(), key)
        for found in re.finditer(rf"\b{NAMESPACE}\.(\w+)", text)
        for key in answers_read((found.group(1),))
    ]


def read_problem(parts: tuple[str, ...], declared: Collection[str]) -> str | None:
    """Why reading ``derived.<parts>`` is wrong with the ``declared`` answer keys (None if it is right)."""
    if not parts:
        return None  # all of them (a loop over ``derived``): each is checked where it is declared
    derivation = DERIVATIONS.get(parts[0])
    if derivation is None:
        return f"slagen derives no '{parts[0]}' (it derives: {', '.join(DERIVATIONS)})"
    missing = [key for key in derivation.reads if key not in declared]
    if missing:
        return f"'{NAMESPACE}.{parts[0]}' is computed from {', '.join(missing)}, which no clause declares"
    return None
