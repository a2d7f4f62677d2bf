"""Theme intensity: a heat map of themes × units (reports, sections, levels, years) and its trend."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ...core.validate import check_columns, check_option
from ..labels import (
    MISSING_LABEL,
    REPORT_COLUMNS,
    category_order,
    join_report_columns,
    report_labels,
    report_order,
    value_text,
)
from ..style import MAX_PANELS, PALETTE_LARGE, style_context
from .base import escape_text, finish_figure, new_figure, sorted_unique
from .distributions import plot_distribution
from .series import draw_series, government_series, trend_mode

#: Columns of theme_scores and of the report table: never the unit of a heat map's columns.
_SCORE_COLUMNS = {"doc_id", "theme_id", "label", "hits", "chars", "hits_per_10k", "sentences",
                  "sentences_with_theme", "sentence_share", "terms", *REPORT_COLUMNS, "parent_region", "title",
                  "path", "format", "encoding", "sha256", "text", "government"}


def plot_theme_heatmap(scores: pd.DataFrame, *, by: str | None = None, value: str = "hits_per_10k",
                       label: str = "label", corpus: pd.DataFrame | None = None, annotate: bool | None = None,
                       fmt: str = "{:.1f}", cmap: str = "YlOrRd", max_columns: int = 60,
                       title: str | None = None, ax=None, font: str | os.PathLike | None = None):
    """Heat map of theme intensity: one row per theme, one column per unit (report, section, level, year …).

    Parameters
    ----------
    scores : DataFrame
        The ``themes.theme_scores`` table: ``[doc_id,] <by>, theme_id, label, hits, chars, hits_per_10k, …``
        — one row per unit × theme. When a column stands for several reports (``by`` a metadata column such
        as ``level`` or ``year`` with per-report scores, or a section id shared by several reports), the cell
        is the mean over reports of their own ``value`` (each report weighs the same, however long) and the
        column label gives ``n``, the number of reports.
    by : str, optional
        The unit column; default ``doc_id`` when present, else the first column that is not a theme_scores
        column. With ``doc_id`` columns are labelled ``region·year`` (from ``scores`` or ``corpus``) and
        ordered by province, level, region and year; section columns are in document order
        (:func:`section_sort_key`); levels top down; years ascending.
    value : str
        Cell value: ``hits_per_10k`` (default), ``hits``, ``sentence_share`` or any numeric column.
    label : str
        Row label column (``label``; use ``theme_id`` for ids). Rows keep the order of the theme dictionary.
    corpus : DataFrame, optional
        The report table, to label report columns and to group by a report column ``scores`` lacks.
    annotate : bool or None
        Write each cell's value with ``fmt``; default when there are at most 25 columns.
    max_columns : int
        Most columns drawn; further columns (in the order above) are left out and the title says so.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table`` is the plotted matrix in long form: ``<label>, <by>, column`` (the drawn column
        label), ``<value>`` and ``n`` (reports behind the cell).
    """
    check_columns(scores, [], what="scores")
    if by is None:
        rest = [c for c in scores.columns if c not in _SCORE_COLUMNS]
        by = "doc_id" if "doc_id" in scores.columns and not rest else (rest[0] if rest else None)
        if by is None:
            raise ValueError("scores has no unit column; pass by= (e.g. by='doc_id')")
    df = join_report_columns(scores, corpus, columns=[by] + list(REPORT_COLUMNS))
    check_columns(df, [by, label, value], what="scores")
    if by == "doc_id":
        meta = df.drop_duplicates("doc_id")
        cols = [str(d) for d in report_order(meta)]
        names = {str(k): v for k, v in report_labels(meta).items()}
        df = df.assign(_col=df["doc_id"].astype(str))
    else:
        missing = df[by].isna() | (df[by].map(value_text) == "")
        cols = list(dict.fromkeys(value_text(c) for c in category_order(df.loc[~missing, by], by)))
        cols += [MISSING_LABEL] if missing.any() else []
        names = {c: c for c in cols}
        df = df.assign(_col=df[by].map(value_text).astype(object).where(~missing, MISSING_LABEL))
    per_report = "doc_id" in df.columns and by != "doc_id"
    keys = [label, "_col"]
    if per_report:
        rep = df.groupby([label, "_col", "doc_id"], sort=False, dropna=False)[value].sum().reset_index()
        long = rep.groupby(keys, sort=False, dropna=False).agg(**{value: (value, "mean"),
                                                                  "n": ("doc_id", "nunique")}).reset_index()
    else:
        long = df.groupby(keys, sort=False, dropna=False)[value].sum().reset_index()
        long["n"] = 1
    if "theme_id" in df.columns:
        rows = list(dict.fromkeys(df[label]))  # dictionary order, as theme_scores writes it
    else:
        rows = sorted_unique(long[label])
    note = ""
    if len(cols) > max_columns:
        note = f" (first {max_columns} of {len(cols)} columns)"
        cols = cols[:max_columns]
    n_by = long.groupby("_col")["n"].max().to_dict()
    multi = per_report and any(v > 1 for v in n_by.values())
    col_text = {c: names.get(c, c) + (f"\nn={n_by.get(c, 0)}" if multi else "") for c in cols}
    long = long[long["_col"].isin(cols)].rename(columns={"_col": by})
    long["column"] = long[by].map(col_text)
    mat = long.pivot_table(index=label, columns="column", values=value, aggfunc="first", dropna=False)
    mat = mat.reindex(index=rows, columns=[col_text[c] for c in cols])
    if annotate is None:
        annotate = len(cols) <= 25 and len(rows) <= 25
    with style_context(font):
        longest = max((max(len(s) for s in str(t).split("\n")) for t in col_text.values()), default=1)
        rotate = longest > 4 or len(cols) > 40
        w = max(4.5, 0.55 * len(cols) + 0.16 * max((len(str(r)) for r in rows), default=4) + 2.2)
        h = max(2.5, 0.4 * len(rows) + 1.6 + (0.1 * min(longest, 24) if rotate else 0) + (0.3 if multi else 0))
        fig, a = new_figure(ax, size=(w, h))
        data = mat.to_numpy(dtype=float)
        im = a.imshow(np.ma.masked_invalid(data), aspect="auto", cmap=cmap, interpolation="nearest")
        a.set_xticks(range(len(cols)), [escape_text(col_text[c]) for c in cols], rotation=40 if rotate else 0,
                     ha="right" if rotate else "center", rotation_mode="anchor",
                     fontsize=9 if len(cols) <= 30 else 7)
        a.set_yticks(range(len(rows)), [escape_text(r) for r in rows])
        a.set_xlabel(by)
        a.tick_params(length=0)
        for side in ("top", "right", "left", "bottom"):
            a.spines[side].set_visible(False)
        if annotate and data.size:
            finite = data[np.isfinite(data)]
            mid = (finite.min() + finite.max()) / 2 if finite.size else 0
            for (i, j), v in np.ndenumerate(data):
                if np.isfinite(v):
                    a.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8,
                           color="white" if v > mid and finite.max() > finite.min() else "black")
        fig.colorbar(im, ax=a, label=value + (" (mean per report)" if multi else ""), shrink=0.8)
        heading = (title or "") + note
        if heading:
            a.set_title(heading)
        return finish_figure(fig, long[[label, by, "column", value, "n"]])


def plot_theme_trend(scores: pd.DataFrame, *, x: str = "year", value: str = "hits_per_10k", label: str = "label",
                     themes: Sequence[str] | None = None, corpus: pd.DataFrame | None = None,
                     mode: Literal["auto", "lines", "distribution"] = "auto", by: str | None = None,
                     max_lines: int = len(PALETTE_LARGE), ncols: int = 3, log: bool | None = None,
                     title: str | None = None, ax=None, font: str | os.PathLike | None = None):
    """Theme intensity across years, honestly: lines only within one government, never across governments.

    Parameters
    ----------
    scores : DataFrame
        Per-report theme scores: ``theme_scores(hits, sentences, corpus=…, by="doc_id")``, one row per report × theme with
        ``doc_id, theme_id, label, <value>`` and the report columns ``<x>`` (``year``) and ``region_code`` /
        ``region``, ``level``, ``department`` (joined from ``corpus`` when missing). Intensity is each
        report's own ``hits_per_10k``: never pooled over the characters of several reports.
    x : str
        The ordered column on the horizontal axis (``year``).
    themes : sequence of str, optional
        Keep only these ``theme_id`` values (or labels).
    corpus : DataFrame, optional
        The report table, joined on ``doc_id`` for the columns ``scores`` lacks.
    mode : {"auto", "lines", "distribution"}
        ``lines``: one panel per theme, one line per government (:func:`government_key`) that has reports in
        two or more years; every other report is a hollow grey point, never joined. ``distribution``: a
        cross-sectional comparison, one box of per-report values per year with ``n``
        (:func:`plot_distribution`). ``auto``: lines when at least one government has two years, else the
        distribution; with more than :data:`~lawgov_analysis.present.style.MAX_SERIES` governments, one box
        per ``x``.
    by : str, optional
        In distribution mode, group by this column instead of ``x`` (e.g. ``level``).
    max_lines : int
        Governments drawn in their own colour; further ones are grey and counted in the legend.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: lines mode ``doc_id, <label>, <x>, <value>, government, series`` (the government
        key of a joined series, else empty); distribution mode as :func:`plot_distribution`.
    """
    check_columns(scores, [], what="scores")
    check_option("mode", mode, ["auto", "lines", "distribution"])
    if "doc_id" not in scores.columns:
        raise ValueError("scores must have one row per report × theme with doc_id (theme_scores(hits, "
                         "sentences, corpus=…, by='doc_id')); rates pooled over several reports weigh long reports more")
    df = join_report_columns(scores, corpus)
    check_columns(df, [x, label, value], what="scores")
    if themes is not None:
        keep = set(themes)
        mask = df[label].isin(keep)
        if "theme_id" in df.columns:
            mask |= df["theme_id"].isin(keep)
        df = df[mask]
    df = df.assign(**{value: pd.to_numeric(df[value], errors="coerce")})
    if df.empty:
        raise ValueError("scores has no row to draw (check themes=)")
    df, labels = government_series(df, x=x)
    if mode == "auto":
        found = trend_mode(df, x=x)
        mode = "lines" if found == "lines" else "distribution"
        by = x if found == "too_many" else by
    facets = list(dict.fromkeys(df[label]))
    with style_context(font):
        if mode == "distribution":
            return plot_distribution(df, value=value, by=by or x, facet=label if len(facets) > 1 else None,
                                     log=log, title=title, ax=ax, font=font, ncols=ncols)
        if len(facets) > MAX_PANELS:
            raise ValueError(f"{len(facets)} themes are too many panels for one figure; pass themes= with at "
                             f"most {MAX_PANELS}")
        drawn = df.dropna(subset=[x, value])
        fig, axes = draw_series(drawn, facet=label, facets=facets, x=x, value=value, labels=labels,
                                max_lines=max_lines, ncols=ncols, ax=ax, log=log, ylabel=value)
        left_out = df.loc[df[x].isna(), "doc_id"].nunique()
        heading = (title or "") + (f" ({left_out} reports without a {x} not drawn)" if left_out else "")
        if heading:
            fig.suptitle(heading)
        cols = [c for c in ["doc_id", label, x, value, "government", "series"] if c in drawn.columns]
        table = drawn[cols].sort_values([label, "government", x, "doc_id"], kind="mergesort", na_position="last")
        return finish_figure(fig, table.assign(series=table["series"].fillna(""),
                                               government=table["government"].fillna("")))


__all__ = ["plot_theme_heatmap", "plot_theme_trend"]
