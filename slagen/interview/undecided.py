"""Whether a clause may still apply while some answers are not given yet.

A clause's ``when`` condition is evaluated with every answer not yet given standing for
:data:`UNKNOWN`: any use of it leaves the condition undecided, so that ``a and b`` is
decided by a false ``a`` alone and a question is asked only while it may matter.
"""

from __future__ import annotations

from typing import Any, NoReturn

from slagen.select import Condition


class _Undecided(Exception):
    """A condition needs an answer that is not given yet."""


class _Unknown:
    """An answer not given yet: any use of it by a condition leaves the condition undecided."""

    __slots__ = ()

    def _undecided(self, *_args: Any) -> NoReturn:
        raise _Undecided

    def __bool__(self) -> bool:
        self._undecided()

    def __eq__(self, other: object) -> bool:
        self._undecided()

    def __ne__(self, other: object) -> bool:
        self._undecided()

    def __hash__(self) -> int:
        self._undecided()

    __lt__ = __le__ = __gt__ = __ge__ = __contains__ = __getitem__ = __iter__ = __len__ = _undecided
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __int__ = __float__ = __str__ = _undecided


UNKNOWN = _Unknown()


def may_hold(condition: Condition, tree: dict[str, Any]) -> bool:
    """Whether ``condition`` holds or may still hold once the unknown answers are given."""
    try:
        return bool(condition(**tree))
    except _Undecided:
        return True
    except Exception:  # noqa: BLE001 - as in select: a condition that fails on the answers does not hold
        return False
