"""Lines that join only the reports of one government across years, other reports as grey points.

Shared by the trend plots (themes, indicators, metrics): :func:`trend_mode` decides between lines and boxes,
:func:`government_series` marks which rows form a series (:func:`lawgov_analysis.core.government.government_key`
with two or more distinct years) and :func:`draw_series` draws them as small multiples with one shared legend.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ...core.government import government_key
from ..labels import government_labels, value_text
from ..style import MAX_SERIES, OTHER_COLOR, category_colors
from .base import (
    auto_log,
    escape_text,
    grid_shape,
    hide_unused,
    is_numeric,
    new_figure,
    plain_numbers,
    sorted_unique,
)


def trend_mode(df: pd.DataFrame, *, x: str, within: Sequence[str] = (), max_series: int = MAX_SERIES) -> str:
    """How a trend figure of ``df`` is drawn in ``auto`` mode.

    ``"lines"`` when some government (:func:`~lawgov_analysis.core.government.government_key`) has rows in two or
    more distinct ``x`` (within one group of ``within``, e.g. the indicator panel) and there are at most
    ``max_series`` governments; ``"too_many"`` when such governments exist but there are more than
    ``max_series`` (then one box per ``x`` reads better than thousands of lines); ``"cross_section"`` otherwise.
    A ``government`` column (:func:`government_series`) is used as the key instead of computing it again.
    """
    probe = df.dropna(subset=[x]) if x in df.columns else df.iloc[0:0]
    if probe.empty:
        return "cross_section"
    key = probe["government"] if "government" in probe.columns else government_key(probe)
    probe = probe.assign(_g=key.to_numpy()).dropna(subset=["_g"])
    years = probe.groupby([*within, "_g"], observed=True)[x].nunique()
    if not (years >= 2).any():
        return "cross_section"
    return "lines" if probe["_g"].nunique() <= max_series else "too_many"


def government_series(df: pd.DataFrame, *, x: str) -> tuple[pd.DataFrame, dict]:
    """Add ``government`` (key) and ``series`` (key of a government with ≥ 2 distinct ``x``, else NA)."""
    key = government_key(df)
    df = df.assign(government=key.to_numpy())
    years = df.dropna(subset=["government", x]).groupby("government")[x].nunique()
    multi = set(years[years >= 2].index)
    df["series"] = df["government"].where(df["government"].isin(multi))
    return df, government_labels(df, df["government"])


def draw_series(df: pd.DataFrame, *, facet: str | None, facets: list, x: str, value: str, labels: dict,
                max_lines: int, ncols: int, ax, log: bool | None, ylabel: str, facet_title=None,
                single_label: str = "only report of its government ({n}; not joined)",
                legend_title: str = "government\n(a line joins one\ngovernment's reports)"):
    """Small multiples: one line per government series, other reports as grey points; shared legend."""
    series = sorted(pd.unique(df["series"].dropna()), key=lambda k: (labels.get(k, str(k)), str(k)))
    colored = series[:max_lines]
    colors = category_colors(colored)
    nrows, nc = grid_shape(len(facets), ncols)
    # the shared legend sits outside on the right: give it its own width so the panels keep theirs
    panels_width = max(4.4 * nc, 5.0) if facet else 6.4
    fig, axes = new_figure(ax, nrows=nrows, ncols=nc, size=(panels_width + 3.2, 3.3 * nrows), squeeze=False)
    numeric_x = is_numeric(df[x])
    for i, f in enumerate(facets):
        a = axes.flat[i]
        part = df if f is None else df[df[facet] == f]
        for s in series:
            sub = part[part["series"] == s].sort_values(x, kind="mergesort")
            if sub.empty:
                continue
            a.plot(sub[x].astype(float) if numeric_x else sub[x].astype(str), sub[value], marker="o", markersize=4,
                   linewidth=1.6 if s in colors else 0.9, color=colors.get(s, OTHER_COLOR),
                   zorder=3 if s in colors else 2)
        single = part[part["series"].isna()]
        if len(single):
            a.scatter(single[x].astype(float) if numeric_x else single[x].astype(str), single[value], s=18,
                      facecolors="none", edgecolors="#777777", linewidths=0.9, zorder=2)
        if numeric_x:
            xs = sorted_unique(df[x])
            if len(xs) <= 12 and all(float(v).is_integer() for v in xs):
                a.set_xticks([float(v) for v in xs], [str(int(v)) for v in xs])
        plain_numbers(a, "y", log=auto_log(part[value]) if log is None else log)
        a.set_xlabel(x)
        a.set_ylabel(ylabel)
        a.grid(axis="y")
        a.set_axisbelow(True)
        if f is not None:
            a.set_title(escape_text(facet_title(f) if facet_title else value_text(f)))
    hide_unused(axes, len(facets))
    from matplotlib.lines import Line2D

    handles, names = [], []
    for s in colored:
        handles.append(Line2D([], [], color=colors[s], marker="o", markersize=4, linewidth=1.6))
        names.append(escape_text(labels.get(s, s)))
    if len(series) > len(colored):
        handles.append(Line2D([], [], color=OTHER_COLOR, marker="o", markersize=4, linewidth=0.9))
        names.append(f"other governments ({len(series) - len(colored)})")
    n_single = int(df.loc[df["series"].isna(), "doc_id"].nunique())
    if n_single:
        handles.append(Line2D([], [], color="#777777", marker="o", markerfacecolor="none", linestyle="none"))
        names.append(single_label.format(n=n_single))
    if handles:
        fig.legend(handles, names, loc="outside right upper", title=legend_title)
    return fig, axes


__all__ = ["trend_mode", "government_series", "draw_series"]
