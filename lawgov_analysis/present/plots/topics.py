"""Topics: small multiples of each topic's top terms."""

from __future__ import annotations

import os

import pandas as pd

from ...core.validate import check_columns
from ..style import MAX_INCHES, category_colors, style_context
from .base import escape_text, finish_figure, grid_shape, hide_unused, new_figure, sorted_unique


def plot_topic_terms(top_terms: pd.DataFrame, *, n: int = 10, topic: str = "topic", term: str = "term",
                     weight: str = "weight", rank: str = "rank", label: str | None = None, ncols: int = 3,
                     title: str | None = None, ax=None, font: str | os.PathLike | None = None):
    """Small multiples of each topic's top terms (the ``TopicModel.top_terms()`` table).

    Parameters
    ----------
    top_terms : DataFrame
        ``topic, rank, term, weight`` — one row per topic × term; ``rank`` 0- or 1-based (optional: without
        it terms are ordered by weight). An optional ``label`` column names the topic in the panel title.
    n : int
        Terms per topic (fewer when many rows of panels must share the figure's height limit).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: the plotted ``topic, rank, term, weight`` rows.
    """
    check_columns(top_terms, [topic, term, weight] + ([label] if label else []), what="top_terms")
    df = top_terms.dropna(subset=[topic, term, weight])
    order = [topic, rank] if rank in df.columns else [topic, weight, term]
    asc = [True, True] if rank in df.columns else [True, False, True]
    n_topics = df[topic].nunique()
    n = min(n, max(3, int((MAX_INCHES / max(1, grid_shape(max(1, n_topics), ncols)[0]) - 1.0) / 0.24)))
    df = df.sort_values(order, ascending=asc, kind="mergesort").groupby(topic, sort=True).head(n)
    topics = sorted_unique(df[topic])
    if not topics:
        raise ValueError("top_terms has no rows to draw")
    with style_context(font):
        nrows, nc = grid_shape(len(topics), ncols)
        fig, axes = new_figure(ax, nrows=nrows, ncols=nc, size=(3.2 * nc, (0.24 * n + 1.0) * nrows),
                                squeeze=False)
        colors = category_colors(topics)
        for i, t in enumerate(topics):
            a = axes.flat[i]
            part = df[df[topic] == t].iloc[::-1]
            a.barh([escape_text(w) for w in part[term].astype(str)], part[weight], color=colors[t], height=0.7)
            name = part[label].iloc[0] if label else None
            a.set_title(escape_text(f"{topic} {t}" + (f": {name}" if name is not None and str(name) else "")))
            a.tick_params(axis="y", length=0)
            a.set_xlabel(weight)
        hide_unused(axes, len(topics))
        if title:
            fig.suptitle(title)
        return finish_figure(fig, df)


__all__ = ["plot_topic_terms"]
