"""What every plot shares: a pyplot-free figure of capped size, tick formats, lineage and notebook display.

Every ``plot_*`` function builds its figure with :func:`new_figure` (a :class:`matplotlib.figure.Figure`,
never pyplot, no side larger than :data:`lawgov_analysis.present.style.MAX_INCHES`) and returns it through
:func:`finish_figure`, which keeps the plotted rows in ``fig.lawgov_table`` and draws once inside the style.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...core.validate import check_columns
from ..style import MAX_INCHES, RASTER_POINTS


def escape_text(text) -> str:
    """Text from a report or table, drawn literally (mathtext is on: ``$`` would start a formula)."""
    return str(text).replace("$", r"\$")


def new_figure(ax=None, *, nrows: int = 1, ncols: int = 1, size: tuple[float, float] = (6.4, 4.0),
               squeeze: bool = True, sharey: bool = False):
    """Return ``(fig, axes)``: the figure of ``ax`` or a new pyplot-free Figure with a grid of axes.

    The size is capped at :data:`MAX_INCHES` on each side.
    """
    from matplotlib.figure import Figure

    if ax is not None:
        if nrows * ncols != 1:
            raise ValueError("ax can only be given when the figure has a single panel (no facets)")
        return ax.figure, (ax if squeeze else np.array([[ax]]))
    w, h = (min(MAX_INCHES, max(1.0, float(v))) for v in size)
    fig = Figure(figsize=(w, h), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=squeeze, sharey=sharey)
    return fig, axes


def grid_shape(n: int, ncols: int) -> tuple[int, int]:
    """``(rows, columns)`` of a grid of ``n`` panels with at most ``ncols`` per row."""
    ncols = max(1, min(ncols, n))
    return math.ceil(n / ncols), ncols


def pick_column(df: pd.DataFrame, given: str | None, *, candidates: Sequence[str], what: str) -> str:
    """``given`` if ``df`` has it, else the first of ``candidates`` that ``df`` has (``ValueError`` if none)."""
    if given is not None:
        check_columns(df, [given], what=what)
        return given
    for c in candidates:
        if c in df.columns:
            return c
    raise ValueError(f"{what} is missing column(s) {' or '.join(candidates)}; it has {', '.join(map(str, df.columns))}")


def sorted_unique(values: pd.Series) -> list:
    """Distinct non-missing values, sorted (by their text when they do not compare)."""
    vals = pd.unique(values.dropna())
    try:
        return sorted(vals)
    except TypeError:
        return sorted(vals, key=str)


def hide_unused(axes: np.ndarray, used: int) -> None:
    """Hide the panels of a grid after the first ``used``."""
    for a in axes.flat[used:]:
        a.set_visible(False)


def finish_figure(fig, table: pd.DataFrame):
    """Attach the plotted rows (lineage), rasterize scatters of more than
    :data:`~lawgov_analysis.present.style.RASTER_POINTS` points, and draw once inside the style.

    Matplotlib creates tick labels lazily at the first draw; drawing here, while the style is active,
    gives every tick label the CJK font (later ticks copy the first one's font), so a figure saved or shown
    outside the style still renders Chinese.
    """
    fig.lawgov_table = table.reset_index(drop=True)
    for ax in fig.axes:
        for points in ax.collections:
            if len(points.get_offsets()) > RASTER_POINTS:   # an image inside SVG/PDF; everything else vector
                points.set_rasterized(True)
    fig.draw_without_rendering()
    _enable_notebook_display()
    return fig


def _enable_notebook_display() -> None:
    """In Jupyter, let a returned Figure show as PNG although pyplot (and its inline backend) was never loaded.

    Does nothing outside IPython or when a display format for figures is already chosen (``%matplotlib
    inline``, ``set_matplotlib_formats``).
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters or "image/png" not in formatters:
        return
    from matplotlib.figure import Figure

    for mime in ("image/png", "image/svg+xml", "image/jpeg", "application/pdf"):
        if mime in formatters:
            try:
                formatters[mime].lookup_by_type(Figure)
                return
            except KeyError:
                pass
    from IPython.core.pylabtools import print_figure

    formatters["image/png"].for_type(Figure, functools.partial(print_figure, fmt="png", base64=True))


def auto_log(values) -> bool:
    """Log scale pays when every value is positive and they span more than three orders of magnitude."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    return bool(len(v)) and bool((v > 0).all()) and float(v.max()) / float(v.min()) > 1000


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _decade_label(v: float, _pos=None) -> str:
    """A log-axis tick: 1, 10, 100, 1,000, then 10⁴, 10⁵ … (Unicode superscripts, no mathtext needed)."""
    if v <= 0:
        return ""
    exp = math.log10(v)
    if abs(exp - round(exp)) < 1e-9 and (round(exp) >= 4 or round(exp) <= -3):
        return "10" + str(round(exp)).translate(_SUPERSCRIPT)
    return f"{v:,.0f}" if v >= 1 else f"{v:g}"


def plain_numbers(a, axis: str, *, log: bool) -> None:
    """Tick labels as plain numbers (20000, not 2×10⁴ or an offset); on a log axis only decades (1,000, 10⁴)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter, ScalarFormatter

    target = a.xaxis if axis == "x" else a.yaxis
    if log:
        (a.set_xscale if axis == "x" else a.set_yscale)("log")
        target.set_minor_formatter(NullFormatter())
        target.set_major_formatter(FuncFormatter(_decade_label))
        return
    plain = ScalarFormatter(useOffset=False)
    plain.set_scientific(False)
    target.set_major_formatter(plain)


def is_numeric(s: pd.Series) -> bool:
    """True for a numeric column that is not boolean."""
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


__all__ = [
    "escape_text", "new_figure", "grid_shape", "pick_column", "sorted_unique", "hide_unused", "finish_figure",
    "auto_log", "plain_numbers", "is_numeric",
]
