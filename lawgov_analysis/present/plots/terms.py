"""Terms: the most frequent or most weighted terms as bars (per group or summed), and a word cloud."""

from __future__ import annotations

import os

import pandas as pd

from ...core.validate import check_columns
from ..labels import category_order, join_report_columns, report_labels, report_order, value_text
from ..style import MAX_INCHES, MAX_PANELS, PALETTE, font_path, style_context
from .base import escape_text, finish_figure, grid_shape, hide_unused, new_figure, pick_column, sorted_unique


def plot_term_bars(table: pd.DataFrame, *, term: str | None = None, value: str | None = None,
                   group: str | None = None, n: int = 20, ncols: int = 3, max_panels: int = MAX_PANELS,
                   corpus: pd.DataFrame | None = None, title: str | None = None, color: str | None = None,
                   ax=None, font: str | os.PathLike | None = None):
    """Horizontal bars of the most frequent or most weighted terms, one panel per group up to ``max_panels``.

    Parameters
    ----------
    table : DataFrame
        One row per term (per group): a term column ``term`` or ``token``, a value column ``count`` or
        ``weight`` (or any numeric column named by ``value``) and, for facets, the ``group`` column
        (e.g. ``doc_id``, ``year``, ``level``). Rows with the same term (and group) are summed. Pass every
        term of every group (e.g. the whole ``term_frequencies`` table), not each group's head, so that the
        summary over many groups is exact.
    term, value : str, optional
        Column names; default the first of ``term``/``token`` and of ``count``/``weight``/``tfidf``/``keyness``.
    group : str, optional
        Draw one panel per value of this column, each with its own top ``n`` terms. With more than
        ``max_panels`` groups the figure is one panel instead: the top ``n`` terms summed over all groups,
        each bar labelled with the number of groups that have the term.
    n : int
        Terms per panel, largest first (ties broken by term); with many rows of panels fewer, so that bars stay
        readable within the figure's height limit (the title then says so).
    ncols : int
        Panels per row when faceting.
    max_panels : int
        Most panels drawn (default :data:`MAX_PANELS`).
    corpus : DataFrame, optional
        The report table: with ``group="doc_id"`` panels are titled ``region·year`` (:func:`report_labels`)
        and ordered by :func:`report_order`.
    ax : matplotlib Axes, optional
        Draw into this axes (only when the figure has one panel).
    font : str or path-like, optional
        Font file or family overriding ``$LAWGOV_FONT`` and the bundled CJK font.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table`` holds the plotted rows: ``[group,] term, value`` per panel, or in the summary
        ``term, value, n_groups`` (groups with the term) and ``groups`` (groups in the table).

    Examples
    --------
    >>> fig = plot_term_bars(pd.DataFrame({"term": ["普法", "法治"], "count": [5, 3]}))  # doctest: +SKIP
    """
    check_columns(table, [], what="table")
    term = pick_column(table, term, candidates=["term", "token"], what="table")
    value = pick_column(table, value, candidates=["count", "weight", "tfidf", "keyness"], what="table")
    if group is not None:
        check_columns(table, [group], what="table")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    keys = ([group] if group else []) + [term]
    df = table[keys + [value]].dropna(subset=[term, value])
    df = df.groupby(keys, sort=True, dropna=False)[value].sum().reset_index()
    all_groups = sorted_unique(df[group]) if group else [None]
    if group and len(all_groups) > max_panels:
        summed = df.groupby(term, sort=True)[value].sum().rename(value).to_frame()
        summed["n_groups"] = df.groupby(term, sort=True)[group].nunique()
        summed = summed.reset_index().sort_values([value, term], ascending=[False, True], kind="mergesort").head(n)
        summed["groups"] = len(all_groups)
        what = "reports" if group == "doc_id" else f"{group} values"
        with style_context(font):
            fig, a = new_figure(ax, size=(6.8, 0.24 * len(summed) + 1.4))
            part = summed.iloc[::-1]
            bars = a.barh([escape_text(t) for t in part[term]], part[value], color=color or PALETTE[0], height=0.7)
            a.bar_label(bars, labels=[f"n={k}" for k in part["n_groups"]], padding=3, fontsize=8, color="#555555")
            a.set_xlabel(f"{value}, summed over {len(all_groups)} {what}")
            a.margins(x=0.12)
            a.grid(axis="x")
            a.set_axisbelow(True)
            a.tick_params(axis="y", length=0)
            a.set_title(title or f"Top {len(summed)} terms over {len(all_groups)} {what} (n = {what} with the term)")
            return finish_figure(fig, summed)
    note = ""
    if group:  # bars must stay readable: fewer terms per panel when many panel rows share the page height
        fit = max(3, int((MAX_INCHES / grid_shape(len(all_groups), ncols)[0] - 1.0) / 0.22))
        if fit < n:
            n, note = fit, f" (top {fit} per panel)"
    df = df.sort_values([*([group] if group else []), value, term],
                        ascending=[*([True] if group else []), False, True], kind="mergesort")
    df = df.groupby(group, sort=True, dropna=False).head(n) if group else df.head(n)
    labels = {}
    if group == "doc_id":
        meta = join_report_columns(df[["doc_id"]].drop_duplicates(), corpus)
        labels = report_labels(meta).to_dict()
        order = report_order(meta)
        all_groups = [g for g in order if g in set(all_groups)]
    elif group:
        all_groups = category_order(df[group].dropna(), group)
    with style_context(font):
        nrows, nc = grid_shape(len(all_groups), ncols)
        rows_per_panel = max(1, min(n, int(df.groupby(group).size().max()) if group else len(df)))
        height = max(2.0, 0.22 * rows_per_panel + 1.0)
        fig, axes = new_figure(ax, nrows=nrows, ncols=nc, size=(3.6 * nc if group else 6.4, height * nrows),
                                squeeze=False)
        for i, g in enumerate(all_groups):
            a = axes.flat[i]
            part = df if g is None else df[df[group] == g]
            part = part.iloc[::-1]  # largest on top
            a.barh([escape_text(t) for t in part[term]], part[value], color=color or PALETTE[0], height=0.7)
            a.set_xlabel(value)
            a.grid(axis="x")
            a.set_axisbelow(True)
            a.tick_params(axis="y", length=0)
            if g is not None:
                a.set_title(escape_text(labels.get(g, f"{group} = {value_text(g)}")))
        hide_unused(axes, len(all_groups))
        if title or note:
            fig.suptitle((title or "") + note) if group else axes.flat[0].set_title(title)
        return finish_figure(fig, df)


def plot_wordcloud(table: pd.DataFrame, *, term: str | None = None, value: str | None = None,
                   max_words: int = 200, width: int = 1200, height: int = 700, seed: int = 0,
                   background: str = "white", colormap: str = "viridis", title: str | None = None,
                   ax=None, font: str | os.PathLike | None = None):
    """Word cloud of term frequencies, drawn from the frequencies themselves (nothing re-tokenised).

    Single-character words (e.g. 法, 案) are kept; no stopword list, collocation or regexp of the
    ``wordcloud`` package is applied — filter the table before plotting if you want fewer words.

    Parameters
    ----------
    table : DataFrame
        One row per term: ``term`` (or ``token``) and ``count`` (or ``weight``); duplicate terms are summed;
        rows with a value ≤ 0 are dropped.
    max_words : int
        Largest number of words drawn (the most frequent; ties broken by term).
    width, height : int
        Size of the word cloud image in pixels.
    seed : int
        ``random_state`` of the layout: the same table and seed give the same image.
    ax : matplotlib Axes, optional
        Draw into this axes.
    font : str or path-like, optional
        Font file or installed family (the word cloud needs its file).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: one row per word drawn (words that did not fit are absent): ``<term>,
        <value>, font_size, y, x, orientation`` (pixel position of the word's box in the image).
    """
    from wordcloud import WordCloud

    check_columns(table, [], what="table")
    term = pick_column(table, term, candidates=["term", "token"], what="table")
    value = pick_column(table, value, candidates=["count", "weight"], what="table")
    df = table[[term, value]].dropna()
    df = df.assign(**{term: df[term].astype(str)})
    df = df[df[term].str.strip() != ""]
    df = df.groupby(term, sort=True)[value].sum().reset_index()
    df = df[df[value] > 0].sort_values([value, term], ascending=[False, True], kind="mergesort").head(max_words)
    if df.empty:
        raise ValueError("table has no term with a positive value to draw")
    freqs = {t: float(v) for t, v in zip(df[term], df[value])}
    wc = WordCloud(font_path=str(font_path(font)), width=width, height=height, background_color=background,
                   colormap=colormap, random_state=seed, max_words=max_words, stopwords=set(),
                   collocations=False, min_word_length=0, prefer_horizontal=1.0, regexp=None,
                   normalize_plurals=False, include_numbers=True, repeat=False)
    wc.generate_from_frequencies(freqs)
    drawn = pd.DataFrame(
        [(word, freqs[word], size, pos[0], pos[1], "vertical" if orient is not None else "horizontal")
         for (word, _), size, pos, orient, _ in wc.layout_],
        columns=[term, value, "font_size", "y", "x", "orientation"])
    with style_context(font):
        fig, a = new_figure(ax, size=(width / 150, height / 150))
        a.imshow(wc.to_array(), interpolation="bilinear")
        a.set_axis_off()
        if title:
            a.set_title(title)
        return finish_figure(fig, drawn)


__all__ = ["plot_term_bars", "plot_wordcloud"]
