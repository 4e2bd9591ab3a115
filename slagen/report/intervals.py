"""Sets of time as sorted, disjoint half-open intervals of whole seconds since the epoch.

>>> union([(0, 60), (30, 90), (200, 260)])
[(0, 90), (200, 260)]
>>> subtract([(0, 100)], [(10, 20), (50, 200)])
[(0, 10), (20, 50)]
>>> intersect([(0, 100)], [(10, 20), (90, 120)])
[(10, 20), (90, 100)]
"""

from __future__ import annotations

Span = tuple[int, int]


def union(spans: list[Span]) -> list[Span]:
    """The spans merged: sorted, overlapping and touching spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(spans: list[Span], removed: list[Span]) -> list[Span]:
    """``spans`` (disjoint, sorted) without ``removed`` (disjoint, sorted)."""
    result: list[Span] = []
    i = 0
    for start, end in spans:
        while i < len(removed) and removed[i][1] <= start:
            i += 1
        j, cursor = i, start
        while j < len(removed) and removed[j][0] < end:
            if removed[j][0] > cursor:
                result.append((cursor, removed[j][0]))
            cursor = max(cursor, removed[j][1])
            j += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def intersect(spans: list[Span], other: list[Span]) -> list[Span]:
    """The time in both (each disjoint and sorted)."""
    return subtract(spans, subtract(spans, other))


def total(spans: list[Span]) -> int:
    """Seconds covered by disjoint spans."""
    return sum(end - start for start, end in spans)
