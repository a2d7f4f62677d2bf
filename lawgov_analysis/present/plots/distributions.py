"""Distributions of a per-report value by group (level, province, year …), with n reports per group.

This is the comparison across governments for a cross-sectional corpus and the summary that replaces
per-report panels for large corpora; the trend plots fall back to it when no government reported twice.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...core.validate import check_columns
from ..labels import MISSING_LABEL, OTHER_LABEL, category_order, value_text
from ..style import MAX_PANELS, RASTER_POINTS, style_context
from .base import (
    auto_log,
    escape_text,
    finish_figure,
    grid_shape,
    hide_unused,
    is_numeric,
    new_figure,
    plain_numbers,
)


def _blank(s: pd.Series) -> pd.Series:
    """True where a metadata value is missing or only whitespace."""
    return s.isna() | (s.astype("string").str.strip().fillna("") == "")


def _other_grouping(df: pd.DataFrame, column: str, max_groups: int, order: Sequence | None) -> tuple[pd.DataFrame, list]:
    """Replace missing values of ``column`` by :data:`MISSING_LABEL` and lump groups beyond ``max_groups``.

    Returns the table with a ``group`` column (text) and the groups in drawing order. Ordered columns
    (``level``, ``year``, sections) keep their order; others are ordered by size, largest first. When there
    are more groups than ``max_groups``, the smallest ones become ``其他 (k groups)``.
    """
    raw = df[column]
    missing = _blank(raw) if raw.dtype == object or pd.api.types.is_string_dtype(raw) else raw.isna()
    present = raw[~missing]
    if order is not None:
        cats = [c for c in order if c in set(present)] + sorted(set(present) - set(order), key=str)
    elif column in ("level", "year") or column.startswith("section") or is_numeric(present):
        cats = category_order(present, column)
    else:
        sizes = present.map(value_text).value_counts()
        cats = sorted(pd.unique(present), key=lambda v: (-sizes[value_text(v)], value_text(v)))
    text = {c: value_text(c) for c in cats}
    group = raw.map(lambda v: text.get(v, value_text(v))).astype(object)  # categorical input: a new label must fit
    group[missing] = MISSING_LABEL
    names = [text[c] for c in cats]
    if len(names) + int(missing.any()) > max_groups:
        sizes = group.value_counts()
        keep_n = max(1, max_groups - 1 - int(missing.any()))
        kept = sorted(names, key=lambda g: (-sizes.get(g, 0), names.index(g)))[:keep_n]
        kept = [g for g in names if g in set(kept)]
        lumped = [g for g in names if g not in set(kept)]
        other = f"{OTHER_LABEL} ({len(lumped)} groups)"
        group = group.where(group.isin(kept + [MISSING_LABEL]), other)
        names = kept + [other]
    if missing.any():
        names.append(MISSING_LABEL)
    return df.assign(group=group.to_numpy()), names


def plot_distribution(table: pd.DataFrame, *, value: str, by: str, facet: str | None = None,
                      order: Sequence | None = None, max_groups: int = 15, max_panels: int = MAX_PANELS,
                      ncols: int = 3, log: bool | None = None, show_points: bool = True, xlabel: str | None = None,
                      title: str | None = None, ax=None, font: str | os.PathLike | None = None):
    """Distribution of a per-report value by group (level, province, year …), with n reports per group.

    One horizontal box (quartiles, median line) per group, the reports as points over it and their mean as a
    black diamond; the tick label gives the group and ``n`` (rows behind the box). This is the comparison
    across governments for a cross-sectional corpus, and the summary that replaces per-report panels for
    large ones.

    Parameters
    ----------
    table : DataFrame
        One row per report (or per report × facet): ``<by>``, ``<value>`` and, for panels, ``<facet>`` — e.g.
        the report table with ``chars`` by ``level``, per-report theme scores (``theme_scores(hits,
        sentences, corpus=…, by="doc_id")`` joined with the corpus) with ``hits_per_10k`` by ``level`` and ``facet="label"``, or the
        indicator panel with ``value`` by ``year``. ``doc_id`` is kept in the lineage table when present.
    value : str
        Numeric column to compare. Rows without a value are not drawn; their number is written under the axis.
    by : str
        Grouping column. Missing values form their own group ``(未填)``. ``level`` is ordered top down
        (:func:`lawgov_analysis.core.levels.level_rank`), years and numbers ascending, sections in document order, other columns by
        size; groups beyond ``max_groups`` are lumped into ``其他 (k groups)``.
    facet : str, optional
        One panel per value of this column (theme, indicator), in the order of first appearance (levels,
        years and sections in their own order); with more than ``max_panels`` values, the ``max_panels`` with
        most rows are drawn and the title says how many were left out.
    order : sequence, optional
        Explicit order of the groups (others follow).
    log : bool or None
        Log-scale value axis (non-positive values are then not drawn and counted in the note). Default: decided
        per panel, log when the panel's values are all positive and span more than three orders of magnitude.
    show_points : bool
        Draw each row as a point over the boxes (fading with their number past
        :data:`~lawgov_analysis.present.style.RASTER_POINTS` in a group, so the box stays visible).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: one row per drawn row: ``[doc_id,] [<facet>,] <by>, <value>, group`` (the drawn
        group label) and ``n`` (rows in its group and panel).
    """
    check_columns(table, [value, by] + ([facet] if facet else []), what="table")
    if max_groups < 2:
        raise ValueError(f"max_groups must be at least 2, got {max_groups!r}")
    cols = list(dict.fromkeys((["doc_id"] if "doc_id" in table.columns else []) + ([facet] if facet else [])
                              + [by, value]))
    df = table[cols].copy()
    df[value] = pd.to_numeric(df[value], errors="coerce")
    n_missing = int(df[value].isna().sum())
    df = df.dropna(subset=[value])
    if log:
        n_missing += int((df[value] <= 0).sum())
        df = df[df[value] > 0]
    if df.empty:
        raise ValueError(f"table has no row with a numeric {value} to draw")
    df, groups = _other_grouping(df, by, max_groups, order)
    note = ""
    facets = [None]
    if facet:
        sizes = df[facet].map(value_text).value_counts()
        ordered = facet in ("level", "year") or facet.startswith("section") or is_numeric(df[facet])
        facets = category_order(df[facet].dropna(), facet) if ordered else list(pd.unique(df[facet].dropna()))
        if len(facets) > max_panels:
            chosen = set(sorted(facets, key=lambda f: (-sizes[value_text(f)], value_text(f)))[:max_panels])
            note = f" ({max_panels} of {len(facets)} {facet} values, those with most rows)"
            facets = [f for f in facets if f in chosen]
            df = df[df[facet].isin(chosen)]
    df["n"] = df.groupby(([facet] if facet else []) + ["group"], dropna=False)["group"].transform("size")
    rng = np.random.default_rng(0)
    with style_context(font):
        nrows, nc = grid_shape(len(facets), ncols)
        height = max(1.8, 0.34 * len(groups) + 1.1)
        width = (4.4 * nc) if facet else 6.4
        fig, axes = new_figure(ax, nrows=nrows, ncols=nc, size=(width, height * nrows), squeeze=False)
        for i, f in enumerate(facets):
            a = axes.flat[i]
            part = df if f is None else df[df[facet] == f]
            panel_log = auto_log(part[value]) if log is None else log
            ticks = []
            for j, g in enumerate(groups):
                vals = part.loc[part["group"] == g, value].to_numpy(dtype=float)
                ticks.append(f"{escape_text(g)}  n={len(vals):,}")
                if not len(vals):
                    continue
                y = len(groups) - 1 - j
                if len(vals) >= 3:
                    a.boxplot(vals, positions=[y], orientation="horizontal", widths=0.6, showfliers=False,
                              patch_artist=True, manage_ticks=False,
                              boxprops=dict(facecolor="#dbe9f6", edgecolor="#4a6f8a", linewidth=0.8),
                              medianprops=dict(color="#0072B2", linewidth=1.6),
                              whiskerprops=dict(color="#4a6f8a", linewidth=0.8),
                              capprops=dict(color="#4a6f8a", linewidth=0.8))
                if show_points:
                    jitter = rng.uniform(-0.18, 0.18, len(vals))
                    # past RASTER_POINTS the points fade with their number (16,000 dots hid the box)
                    alpha = 0.7 if len(vals) <= 50 else max(0.01, 0.35 * min(1.0, RASTER_POINTS / len(vals)))
                    a.scatter(vals, y + jitter, s=10 if len(vals) > 200 else 16, color="#333333", alpha=alpha,
                              linewidths=0, zorder=3)
                a.scatter([vals.mean()], [y], marker="D", s=28, color="black", zorder=4)
            a.set_yticks(range(len(groups)), ticks[::-1])
            a.set_ylim(-0.6, len(groups) - 0.4)
            a.tick_params(axis="y", length=0)
            plain_numbers(a, "x", log=panel_log)
            a.grid(axis="x")
            a.set_axisbelow(True)
            label = xlabel or value
            if n_missing and i == 0:
                label += f"\n({n_missing} rows without a {'positive ' if log else ''}{value} not drawn)"
            a.set_xlabel(label)
            if f is not None:
                a.set_title(escape_text(value_text(f)))
        hide_unused(axes, len(facets))
        heading = (title or "") + note
        if heading:
            fig.suptitle(heading) if facet else axes.flat[0].set_title(heading)
        return finish_figure(fig, df)


__all__ = ["plot_distribution"]
