"""Co-occurrence networks of terms: seeded spring layout per connected component."""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd

from ...core.validate import check_columns
from ..style import PALETTE, style_context
from .base import escape_text, finish_figure, new_figure


def plot_cooccurrence_network(edges: pd.DataFrame, *, source: str = "term_a", target: str = "term_b",
                              weight: str = "count", n_edges: int = 60, min_weight: float | None = None,
                              seed: int = 0, title: str | None = None, ax=None,
                              font: str | os.PathLike | None = None):
    """Network of co-occurring terms: node size by weighted degree, edge width by weight, seeded layout.

    Parameters
    ----------
    edges : DataFrame
        One row per term pair: ``term_a, term_b, count`` (other column names via ``source``, ``target`` and
        ``weight``, e.g. ``weight="ochiai"`` or ``"pmi"`` from ``keywords.cooccurrence``). Pairs are undirected:
        when both (a, b) and (b, a) are listed (``keywords.cooccurrence(..., directed=True)``) they are one
        edge with the larger value; self-pairs are dropped.
    n_edges : int
        Keep the strongest edges (ties broken by the pair's terms).
    min_weight : float, optional
        Drop edges weaker than this first.
    seed : int
        Seed of the spring layout: the same table and seed give the same picture.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: the drawn ``<source>, <target>, <weight>`` edges.
    """
    import networkx as nx

    check_columns(edges, [source, target, weight], what="edges")
    df = edges[[source, target, weight]].dropna()
    a_, b_ = df[source].astype(str), df[target].astype(str)
    df = pd.DataFrame({source: np.where(a_ <= b_, a_, b_), target: np.where(a_ <= b_, b_, a_),
                       weight: pd.to_numeric(df[weight], errors="coerce")}).dropna()
    df = df[df[source] != df[target]]
    df = df.groupby([source, target], sort=True)[weight].max().reset_index()
    if min_weight is not None:
        df = df[df[weight] >= min_weight]
    df = df.sort_values([weight, source, target], ascending=[False, True, True], kind="mergesort").head(n_edges)
    if df.empty:
        raise ValueError("edges has no pair to draw")
    g = nx.Graph()
    for s, t, w in df.itertuples(index=False):
        g.add_edge(s, t, weight=float(w))
    wmin, wmax = float(df[weight].min()), float(df[weight].max())
    span = (wmax - wmin) or 1.0
    # spring layout needs positive weights; rescale so that negative associations still draw
    for _, _, d in g.edges(data=True):
        d["layout_weight"] = 0.2 + (d["weight"] - wmin) / span
    pos = _component_layout(g, seed=seed)
    strength = dict(g.degree(weight="layout_weight"))
    smax = max(strength.values()) or 1.0
    with style_context(font):
        fig, a = new_figure(ax, size=(7.0, 6.0))
        nodes = sorted(g.nodes())
        widths = [0.5 + 3.5 * (g.edges[u, v]["weight"] - wmin) / span for u, v in g.edges()]
        nx.draw_networkx_edges(g, pos, ax=a, width=widths, edge_color="#9a9a9a", alpha=0.7)
        nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=a, node_color=PALETTE[5], alpha=0.85,
                               node_size=[100 + 700 * strength[v] / smax for v in nodes], linewidths=0)
        from matplotlib import patheffects

        halo = [patheffects.withStroke(linewidth=2, foreground="white")]
        for v in nodes:
            a.text(pos[v][0], pos[v][1], escape_text(v), ha="center", va="center", fontsize=9, path_effects=halo)
        a.set_axis_off()
        a.margins(0.08)
        if title:
            a.set_title(title)
        return finish_figure(fig, df)


def _component_layout(g, *, seed: int) -> dict:
    """Spring layout per connected component, components packed in rows (largest first), all seeded.

    One spring layout of a graph with several components pushes the components apart and crowds each of them;
    laying them out separately keeps every cluster readable.
    """
    import networkx as nx

    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    sides = [math.sqrt(len(c)) for c in comps]
    width = max(sides[0], 1.25 * math.sqrt(sum(x * x for x in sides)))
    pos, x0, y0, row_h = {}, 0.0, 0.0, 0.0
    for comp, side in zip(comps, sides):
        if x0 > 0 and x0 + side > width + 1e-9:
            x0, y0, row_h = 0.0, y0 - row_h, 0.0
        sub = g.subgraph(comp)
        if len(comp) == 1:
            local = {comp[0]: np.zeros(2)}
        elif len(comp) == 2:  # a pair one above the other: horizontal labels never collide
            local = {comp[0]: np.array([0.5, 0.0]), comp[1]: np.array([0.5, 1.0])}
        else:
            local = nx.spring_layout(sub, weight="layout_weight", seed=seed, iterations=100,
                                     k=1.2 / math.sqrt(len(comp)))
        xy = np.array([local[v] for v in comp], dtype=float)
        span = np.ptp(xy, axis=0)
        xy = (xy - xy.min(axis=0)) / np.where(span > 0, span, 1.0)  # 0..1 in each direction
        xy = np.where(span > 0, xy, 0.5)
        inner = 0.7 * side  # a margin of 0.15 × side on every edge of the component's cell
        for v, (u, w) in zip(comp, xy):
            pos[v] = np.array([x0 + 0.15 * side + u * inner, y0 - 0.15 * side - w * inner])
        x0 += side
        row_h = max(row_h, side)
    return pos


__all__ = ["plot_cooccurrence_network"]
