"""Indicator values across reports: the headline indicator panel and raw metric rows over years."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ...core.validate import check_columns, check_option
from ..labels import value_text
from ..style import MAX_PANELS, PALETTE_LARGE, style_context
from .base import finish_figure, sorted_unique
from .distributions import plot_distribution
from .series import draw_series, government_series, trend_mode


def _panel_titles(df: pd.DataFrame, name_col: str) -> np.ndarray:
    """Each row's panel title, ``"<name> (<unit>)"`` (the name: ``name_col``, else the id; no unit: the name).

    Written once per distinct name × id × unit and given to the rows by their code (an array of shared
    strings), not once per row: 5.2 M panel rows at 100,000 reports.
    """
    cols = list(dict.fromkeys([name_col, "indicator_id", "unit"]))
    combined = np.zeros(len(df), dtype=np.int64)
    for col in cols:
        codes, uniques = pd.factorize(df[col], use_na_sentinel=False)
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes)     # stays below len(df)
    codes = combined
    first = df.iloc[np.unique(codes, return_index=True)[1]]   # a row of each combination, in code order
    titles = [f"{value_text(n) or i} ({u})" if u else (value_text(n) or str(i))
              for n, i, u in zip(first[name_col], first["indicator_id"], first["unit"])]
    return np.asarray(titles, dtype=object)[codes]


def plot_indicator_panel(panel: pd.DataFrame, *, indicators: Sequence[str] | None = None, x: str = "year",
                         by: str = "level", value: str = "value",
                         mode: Literal["auto", "lines", "distribution"] = "auto", max_panels: int = MAX_PANELS,
                         max_lines: int = len(PALETTE_LARGE), ncols: int = 3, log: bool | None = None,
                         title: str | None = None, ax=None, font: str | os.PathLike | None = None):
    """Headline indicator values across reports: same-government lines over years, else distributions with n.

    Parameters
    ----------
    panel : DataFrame
        The indicator panel (``measures.panel.panel(metrics, corpus)``): one row per report × indicator × unit
        with ``doc_id, indicator_id, unit, value`` and ``<x>`` (``year``); optional ``label_zh`` (panel
        titles), ``region_code``/``region``, ``province``, ``level``, ``department`` (government key and
        groups), and the evidence columns (``surface``, ``n_mentions``, ``start``, ``end``, ``section_id``),
        kept in the lineage table. Several rows for one report × indicator × unit are an error.
    indicators : sequence of str, optional
        Keep only these indicator ids. Without it, when there are more than ``max_panels`` indicator × unit
        pairs, those reported by most reports are drawn and the title says how many were left out.
    x : str
        Horizontal axis of lines mode (``year``).
    by : str
        Grouping of distribution mode (``level``; or ``year``, ``province``).
    mode : {"auto", "lines", "distribution"}
        ``lines``: one panel per indicator, one line per government with values in two or more years, other
        reports as hollow grey points, never joined. ``distribution``: one box of report values per group with
        ``n``. ``auto``: lines when any government has two years of an indicator, else distributions;
        with more than :data:`~lawgov_analysis.present.style.MAX_SERIES` governments, one box per ``x``.
    log : bool or None
        Log value axis (non-positive values are then left out); default decided per indicator panel: log when
        its values are positive and span more than three orders of magnitude.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: the drawn panel rows with ``panel`` (the panel title), ``government`` and
        ``series`` (the government key of a joined line, else empty), and in distribution mode ``group`` and
        ``n``.
    """
    check_option("mode", mode, ["auto", "lines", "distribution"])
    check_columns(panel, ["doc_id", "indicator_id", "unit", value], what="panel")
    df = panel.dropna(subset=["indicator_id"])
    codes, ids = pd.factorize(df["indicator_id"])        # blank ids: tested once per distinct id, not per row
    blank = np.array([str(i).strip() == "" for i in ids], dtype=bool)
    if blank.any():
        df = df[~blank[codes]]
    if indicators is not None:
        df = df[df["indicator_id"].isin(list(indicators))]
    df = df.assign(**{value: pd.to_numeric(df[value], errors="coerce"), "unit": df["unit"].map(value_text)})
    df = df.dropna(subset=[value])
    dup = df.duplicated(["doc_id", "indicator_id", "unit"], keep=False)
    if dup.any():
        first = df[dup].iloc[0]
        raise ValueError(f"panel has several rows for report {first['doc_id']}, indicator {first['indicator_id']}, "
                         f"unit {first['unit']!r}; pass the indicator panel (one headline value per report)")
    if df.empty:
        raise ValueError("panel has no row with an indicator_id and a numeric value to draw")
    name_col = "label_zh" if "label_zh" in df.columns else "indicator_id"
    df["panel"] = _panel_titles(df, name_col)
    reports = df.groupby("panel")["doc_id"].nunique()
    panels = sorted(reports.index, key=lambda p: (-reports[p], p))
    note = ""
    if len(panels) > max_panels:
        note = f" ({max_panels} of {len(panels)} indicators, those in most reports)"
        panels = panels[:max_panels]
        df = df[df["panel"].isin(panels)]
    df = df.assign(_facet=pd.Categorical(df["panel"], categories=panels, ordered=True))
    if mode == "auto":
        found = trend_mode(df, x=x, within=["panel"])
        mode = "lines" if found == "lines" else "distribution"
        if found == "too_many":
            by = x
    with style_context(font):
        if mode == "distribution":
            check_columns(df, [by], what="panel")
            fig = plot_distribution(df.sort_values("_facet", kind="mergesort").drop(columns="_facet"), value=value,
                                    by=by, facet="panel", max_panels=max_panels, ncols=ncols, log=log,
                                    title=(title or "") + note or None, ax=ax, font=font)
            return fig
        check_columns(df, [x], what="panel")
        drawn = df.dropna(subset=[x]).drop(columns="_facet")
        left_out = df.loc[df[x].isna(), "doc_id"].nunique()
        note += f" ({left_out} reports without a {x} not drawn)" if left_out else ""
        drawn, labels = government_series(drawn, x=x)
        if log:
            drawn = drawn[drawn[value] > 0]
        fig, axes = draw_series(drawn, facet="panel", facets=panels, x=x, value=value, labels=labels,
                                max_lines=max_lines, ncols=ncols, ax=ax, log=log, ylabel=value)
        heading = (title or "") + note
        if heading:
            fig.suptitle(heading)
        table = drawn.sort_values(["panel", "government", x, "doc_id"], kind="mergesort", na_position="last")
        return finish_figure(fig, table.assign(series=table["series"].fillna(""),
                                         government=table["government"].fillna("")))


def plot_metric_trend(metrics: pd.DataFrame, *, indicators: Sequence[str] | None = None, x: str = "year",
                      value: str = "value", group: str | None = "region",
                      agg: Literal["sum", "mean", "median", "max", "min"] = "sum", ncols: int = 3,
                      label: str | None = None, title: str | None = None, ax=None,
                      font: str | os.PathLike | None = None):
    """An indicator's value by year, one panel per indicator and one line per value of ``group``.

    For headline values compared across reports use :func:`plot_indicator_panel` with the indicator panel;
    this function draws raw metric rows combined with ``agg``. Rows whose ``group`` is missing or empty are
    drawn as grey points and never joined into a line (they may be different governments).

    Parameters
    ----------
    metrics : DataFrame
        The metric table merged with report metadata: ``indicator_id, year, region, value`` (e.g.
        ``metrics(corpus).merge(corpus[["doc_id", "year", "region"]], on="doc_id")``); rows without an
        ``indicator_id`` or a value are dropped; several values of one indicator in one report-year-region
        are combined with ``agg`` (``sum`` by default).
    indicators : sequence of str, optional
        Keep only these indicator ids (panels are sorted by id, at most :data:`MAX_PANELS`).
    group : str or None
        Column giving one line per value (``region``); ``None`` for one line per panel.
    label : str, optional
        Column with a readable indicator name for panel titles (e.g. ``indicator``); default the id.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: ``indicator_id, [<group>,] <x>, <value>``.
    """
    check_columns(metrics, ["indicator_id", x, value] + ([group] if group else []) + ([label] if label else []),
                  what="metrics")
    check_option("agg", agg, ["sum", "mean", "median", "max", "min"])
    df = metrics.dropna(subset=["indicator_id", x, value])
    df = df[df["indicator_id"].astype(str).str.strip() != ""]
    if indicators is not None:
        df = df[df["indicator_id"].isin(list(indicators))]
    if df.empty:
        raise ValueError("metrics has no row with an indicator_id, a year and a value to draw")
    df = df.assign(**{value: pd.to_numeric(df[value], errors="coerce")}).dropna(subset=[value])
    if group:
        df = df.assign(**{group: df[group].map(value_text).replace("", pd.NA)})
    keys = ["indicator_id", *([group] if group else []), x]
    long = df.groupby(keys, dropna=False, sort=True)[value].agg(agg).reset_index()
    ids = sorted_unique(long["indicator_id"])
    if len(ids) > MAX_PANELS:
        raise ValueError(f"{len(ids)} indicators are too many panels for one figure; pass indicators= with at "
                         f"most {MAX_PANELS}")
    names = {}
    if label:
        names = (metrics.dropna(subset=["indicator_id"]).drop_duplicates("indicator_id")
                 .set_index("indicator_id")[label].to_dict())
    plot_df = long.assign(series=long[group] if group else "all", doc_id=np.arange(len(long)))
    labels = {s: str(s) for s in plot_df["series"].dropna().unique()}
    with style_context(font):
        fig, _ = draw_series(plot_df, facet="indicator_id", facets=ids, x=x, value=value, labels=labels,
                             max_lines=len(PALETTE_LARGE), ncols=ncols, ax=ax, log=False, ylabel=value,
                             facet_title=lambda i: names.get(i, i), legend_title=group or "",
                             single_label=f"no {group} ({{n}} rows; not joined)")
        if title:
            fig.suptitle(title)
        return finish_figure(fig, long)


__all__ = ["plot_indicator_panel", "plot_metric_trend"]
