"""Charts of a report as PNG, for the DOCX: a bar per day (availability) or per group (priority, week).

matplotlib draws them (imported here only, with the ``Agg`` backend: no display, no state kept between
reports); the PNG carries no date or software name, so the same figures give the same bytes.
"""

from __future__ import annotations

import io
from decimal import Decimal

from msgspec import Struct


class Chart(Struct, frozen=True):
    """Bars with their labels, the target as a line, and the words of the axes."""

    title: str
    labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    target: Decimal
    unit: str
    """The y axis label (``%``, ``s``)."""
    x_label: str
    met: tuple[bool, ...] = ()
    """Whether each bar met its target (green) or not (red); empty: bars at or above the line are green."""


def png(chart: Chart) -> bytes:
    """The chart as PNG bytes, 16 × 6 cm at 150 dpi."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.3, 2.4), dpi=150)
    axes = figure.add_subplot()
    values = [float(v) for v in chart.values]
    target = float(chart.target)
    met = chart.met or tuple(v >= target for v in values)
    colours = ["#2e7d32" if ok else "#c62828" for ok in met]
    axes.bar(range(len(values)), values, color=colours, width=0.8)
    axes.axhline(target, color="#333333", linewidth=1, linestyle="--")
    axes.set_xticks(range(len(values)), chart.labels, fontsize=6, rotation=90 if len(values) > 12 else 0)
    low = min([*values, target])
    axes.set_ylim(max(0.0, low - (100 - low) * 0.5 - 0.01), max([*values, target]) * 1.0005 + 0.01)
    axes.set_ylabel(chart.unit, fontsize=7)
    axes.set_xlabel(chart.x_label, fontsize=7)
    axes.set_title(chart.title, fontsize=8)
    axes.tick_params(axis="y", labelsize=6)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
