"""Small SVG charts drawn on the server: text stays text, so they are light and sharp on a phone.

Each function takes labels already in the reader's language and returns SVG bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display on a server; chosen before pyplot is imported

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from shared.web.formatting import vn_number  # noqa: E402

STYLE = {"svg.fonttype": "none", "svg.hashsalt": "dvk", "font.size": 9,
         "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False}
COLOURS = ("#a3121b", "#e08a00", "#2e7d32", "#1f5fa8", "#6b4fa0")
WIDTH = 4.8  # inches: a phone's width at 100 dpi, scaled down by the browser on smaller ones
MAX_BARS = 40  # the country has 3,321 communes: a chart shows the largest, the table shows all


def _svg(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return out.getvalue()


def _numbers(axis) -> None:
    axis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: vn_number(int(value))))


def by_field(fields: Sequence[str], series: dict[str, Sequence[int]], title: str) -> bytes:
    """Models per field, one bar per subject type side by side (horizontal: long labels fit)."""
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(WIDTH, 0.5 + 0.55 * len(fields)))
        height = 0.8 / max(len(series), 1)
        for index, (name, values) in enumerate(series.items()):
            positions = [i + index * height for i in range(len(fields))]
            bars = axes.barh(positions, values, height=height, label=name, color=COLOURS[index])
            axes.bar_label(bars, labels=[vn_number(v) for v in values], padding=2, fontsize=8)
        axes.set_yticks([i + height * (len(series) - 1) / 2 for i in range(len(fields))], fields)
        axes.invert_yaxis()
        _numbers(axes.xaxis)
        axes.set_title(title, loc="left", fontsize=10)
        axes.legend(loc="lower right", frameon=False, fontsize=8)
        return _svg(figure)


def by_row(names: Sequence[str], values: Sequence[int], title: str) -> bytes:
    """Models per commune (or province), largest first."""
    pairs = sorted(zip(names, values, strict=True), key=lambda p: -p[1])[:MAX_BARS]
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(WIDTH, 0.5 + 0.3 * max(len(pairs), 1)))
        bars = axes.barh(range(len(pairs)), [v for _n, v in pairs], color=COLOURS[0], height=0.7)
        axes.bar_label(bars, labels=[vn_number(v) for _n, v in pairs], padding=2, fontsize=8)
        axes.set_yticks(range(len(pairs)), [n for n, _v in pairs])
        axes.invert_yaxis()
        _numbers(axes.xaxis)
        axes.set_title(title, loc="left", fontsize=10)
        return _svg(figure)


def over_periods(labels: Sequence[str], values: Sequence[int], title: str) -> bytes:
    """Registered models in each period of the same kind, oldest first."""
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(WIDTH, 2.4))
        bars = axes.bar(range(len(values)), values, color=COLOURS[3], width=0.6)
        axes.bar_label(bars, labels=[vn_number(v) for v in values], padding=2, fontsize=8)
        axes.set_xticks(range(len(labels)), labels, fontsize=8)
        _numbers(axes.yaxis)
        axes.set_title(title, loc="left", fontsize=10)
        return _svg(figure)
