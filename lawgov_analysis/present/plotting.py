"""Figures from the package's tidy tables: one style, Chinese labels, byte-stable files.

Compute first, draw second, save last: every ``plot_*`` function takes a tidy table (columns documented in
``docs/CONTRACT.md`` and in each docstring), draws it inside :func:`use_style` and returns a
:class:`matplotlib.figure.Figure`. Nothing here calls ``plt.show()`` or writes files except
:func:`save_figure`, which writes PNG and SVG with fixed metadata so that a rebuild gives identical bytes.

Fonts
-----
Chinese text needs a CJK font and many machines have none. The package uses the Noto Sans CJK SC file that
the ``mplfonts`` package ships: it is registered in memory with :func:`matplotlib.font_manager.addfont` the
first time a style or plot is used (never at import, never in matplotlib's on-disk font cache, never in the
global ``rcParams``). A user font replaces it: pass ``font=`` (a font file path or an installed family name)
to :func:`use_style` or to any ``plot_*`` function, or set the environment variable ``LAWGOV_FONT``.

Figures are created with :class:`matplotlib.figure.Figure`, not ``pyplot``, so they are not kept open by
pyplot and a notebook shows a figure once, when it is the cell's value. Text added to a returned figure
later should be drawn inside ``with use_style():`` so that it gets the CJK font too.

Every figure keeps the rows it was drawn from in ``fig.lawgov_table`` (lineage); :func:`save_figure`
writes them next to the image as ``<name>.csv``.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .._validate import check_columns, check_option

#: Environment variable naming a font file or an installed family that replaces the bundled CJK font.
FONT_ENV = "LAWGOV_FONT"

#: Font file (inside the ``mplfonts`` package) used when the user sets no font.
BUNDLED_FONT_FILE = "NotoSansCJKsc-Regular.otf"

#: Okabe–Ito colour-blind-safe palette used for lines, bars and categories.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: Fixed salt for SVG element ids, so that ids do not change between runs.
SVG_HASHSALT = "lawgov-analysis"

#: Formats written by :func:`save_figure` by default.
DEFAULT_FORMATS = ("png", "svg")

#: Resolution of saved PNG files (dots per inch).
DEFAULT_DPI = 300

_SEVERITY_COLORS = {
    "info": "#56B4E9", "low": "#56B4E9", "ok": "#009E73", "minor": "#E69F00", "warning": "#E69F00",
    "medium": "#E69F00", "error": "#D55E00", "high": "#D55E00", "major": "#D55E00", "critical": "#000000",
}
_SEVERITY_ORDER = ["ok", "info", "low", "minor", "warning", "medium", "error", "high", "major", "critical"]


# --------------------------------------------------------------------------------------------------- fonts
def bundled_font_path() -> Path:
    """Path of the Noto Sans CJK SC font file shipped by ``mplfonts`` (no registration, no side effect)."""
    import importlib.util

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the mplfonts package is required for Chinese figures: pip install mplfonts")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / BUNDLED_FONT_FILE
    if not path.is_file():
        raise RuntimeError(f"mplfonts does not ship {BUNDLED_FONT_FILE} (looked for {path})")
    return path


@functools.cache
def _register_font_file(path: str) -> str:
    """Add a font file to matplotlib's in-memory font list (once) and return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def _looks_like_path(font: str | os.PathLike) -> bool:
    text = os.fspath(font)
    return isinstance(font, os.PathLike) or "/" in text or "\\" in text or \
        text.lower().endswith((".ttf", ".otf", ".ttc", ".otc"))


@functools.cache
def _resolve(font: str | None) -> tuple[str, str]:
    """Return ``(family, file)`` for a font setting (path, family name or None for the bundled font)."""
    from matplotlib import font_manager

    if font is None:
        path = str(bundled_font_path())
        return _register_font_file(path), path
    if _looks_like_path(font):
        path = Path(font).expanduser()
        if not path.is_file():
            raise ValueError(f"font file {path} does not exist (from font= or ${FONT_ENV})")
        return _register_font_file(str(path)), str(path)
    try:
        path = font_manager.findfont(font_manager.FontProperties(family=font), fallback_to_default=False)
    except ValueError:
        raise ValueError(f"font family {font!r} is not installed; pass a font file path instead") from None
    return font, path


def _setting(font: str | os.PathLike | None) -> str | None:
    """The font setting in force: the argument, else ``$LAWGOV_FONT``, else None (the bundled font)."""
    if font is not None:
        return os.fspath(font)
    return os.environ.get(FONT_ENV) or None


def font_family(font: str | os.PathLike | None = None) -> str:
    """Family name of the font figures use (registering the font file with matplotlib if needed).

    Parameters
    ----------
    font : str or path-like, optional
        A font file or an installed family name. Default: ``$LAWGOV_FONT`` if set, else Noto Sans CJK SC.
    """
    return _resolve(_setting(font))[0]


def font_path(font: str | os.PathLike | None = None) -> Path:
    """File of the font figures use; word clouds need a file (``WordCloud(font_path=...)``)."""
    return Path(_resolve(_setting(font))[1])


# --------------------------------------------------------------------------------------------------- style
def style_rc(font: str | os.PathLike | None = None) -> dict:
    """The rcParams of the package's paper style, with the CJK (or user) font first in every family.

    The font file is registered with matplotlib's in-memory font list; global ``rcParams`` are not touched.
    Use the dict with :func:`matplotlib.rc_context` or call :func:`use_style`.
    """
    family = font_family(font)
    fallback = [family, "DejaVu Sans"] if family != "DejaVu Sans" else [family]
    from cycler import cycler

    return {
        # explicit names, not the generic "sans-serif": generic families are resolved from the rcParams in
        # force when a text is drawn, which may be outside this style
        "font.family": fallback,
        "font.sans-serif": fallback,
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.titleweight": "normal",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "image.cmap": "YlOrRd",
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "figure.constrained_layout.use": True,
        "savefig.dpi": DEFAULT_DPI,
        "savefig.facecolor": "white",
        "savefig.bbox": None,
        "text.parse_math": False,
        "svg.fonttype": "path",
        "svg.hashsalt": SVG_HASHSALT,
        "pdf.fonttype": 3,  # Type 3 glyph programs: Type 42 would embed the CFF (OTF) font as TrueType
        "path.simplify": True,
    }


@contextlib.contextmanager
def use_style(font: str | os.PathLike | None = None) -> Iterator[dict]:
    """Context manager applying the paper style (and the CJK font) inside a ``with`` block.

    Every ``plot_*`` function applies it itself; use it yourself only to add Chinese text to a figure
    afterwards or to draw your own figures in the same look. Global ``rcParams`` are restored on exit.

    Parameters
    ----------
    font : str or path-like, optional
        A font file or an installed family name overriding ``$LAWGOV_FONT`` and the bundled Noto Sans CJK SC.

    Examples
    --------
    >>> with use_style():                                    # doctest: +SKIP
    ...     fig = Figure(); fig.subplots().set_title("普法宣传")
    """
    import matplotlib

    rc = style_rc(font)
    with matplotlib.rc_context(rc):
        yield rc


# ------------------------------------------------------------------------------------------------- helpers
def _new_figure(ax=None, *, nrows: int = 1, ncols: int = 1, size: tuple[float, float] = (6.4, 4.0),
                squeeze: bool = True):
    """Return ``(fig, axes)``: the figure of ``ax`` or a new pyplot-free Figure with a grid of axes."""
    from matplotlib.figure import Figure

    if ax is not None:
        if nrows * ncols != 1:
            raise ValueError("ax can only be given when the figure has a single panel (no facets)")
        return ax.figure, (ax if squeeze else np.array([[ax]]))
    fig = Figure(figsize=size, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=squeeze)
    return fig, axes


def _grid(n: int, ncols: int) -> tuple[int, int]:
    ncols = max(1, min(ncols, n))
    return math.ceil(n / ncols), ncols


def _pick(df: pd.DataFrame, given: str | None, candidates: Sequence[str], what: str) -> str:
    if given is not None:
        check_columns(df, [given], what=what)
        return given
    for c in candidates:
        if c in df.columns:
            return c
    raise ValueError(f"{what} is missing column(s) {' or '.join(candidates)}; it has {', '.join(map(str, df.columns))}")


def _sorted_unique(values: pd.Series) -> list:
    vals = pd.unique(values.dropna())
    try:
        return sorted(vals)
    except TypeError:
        return sorted(vals, key=str)


def _hide_unused(axes: np.ndarray, used: int) -> None:
    for a in axes.flat[used:]:
        a.set_visible(False)


def _finish(fig, table: pd.DataFrame):
    """Attach the plotted rows (lineage) and draw once inside the style.

    Matplotlib creates tick labels lazily at the first draw; drawing here, while the style is active,
    gives every tick label the CJK font (later ticks copy the first one's font), so a figure saved or shown
    outside :func:`use_style` still renders Chinese.
    """
    fig.lawgov_table = table.reset_index(drop=True)
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


def _check_table(table, what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(table).__name__}")


def _aggregate(df: pd.DataFrame, keys: list[str], value: str, agg: str) -> pd.DataFrame:
    check_option("agg", agg, ["sum", "mean", "median", "max", "min"])
    out = df.groupby(keys, dropna=False, sort=True)[value].agg(agg).reset_index()
    return out


# -------------------------------------------------------------------------------------------------- plots
def plot_term_bars(table: pd.DataFrame, *, term: str | None = None, value: str | None = None,
                   group: str | None = None, n: int = 20, ncols: int = 3, title: str | None = None,
                   color: str | None = None, ax=None, font: str | os.PathLike | None = None):
    """Horizontal bars of the most frequent or most weighted terms, optionally one panel per group.

    Parameters
    ----------
    table : DataFrame
        One row per term (per group): a term column ``term`` or ``token``, a value column ``count`` or
        ``weight`` (or any numeric column named by ``value``) and, for facets, the ``group`` column
        (e.g. ``doc_id``, ``year``, ``region``). Rows with the same term (and group) are summed.
    term, value : str, optional
        Column names; default the first of ``term``/``token`` and of ``count``/``weight``/``tfidf``/``keyness``.
    group : str, optional
        Draw one panel per value of this column (sorted), each with its own top ``n`` terms.
    n : int
        Terms per panel, largest first (ties broken by term).
    ncols : int
        Panels per row when faceting.
    ax : matplotlib Axes, optional
        Draw into this axes (only without ``group``).
    font : str or path-like, optional
        Font file or family overriding ``$LAWGOV_FONT`` and the bundled CJK font.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table`` holds the plotted rows: ``[group,] term, value``.

    Examples
    --------
    >>> fig = plot_term_bars(pd.DataFrame({"term": ["普法", "法治"], "count": [5, 3]}))  # doctest: +SKIP
    """
    _check_table(table, "table")
    term = _pick(table, term, ["term", "token"], "table")
    value = _pick(table, value, ["count", "weight", "tfidf", "keyness"], "table")
    if group is not None:
        check_columns(table, [group], what="table")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    keys = ([group] if group else []) + [term]
    df = table[keys + [value]].dropna(subset=[term, value])
    df = df.groupby(keys, sort=True, dropna=False)[value].sum().reset_index()
    df = df.sort_values([*([group] if group else []), value, term],
                        ascending=[*([True] if group else []), False, True], kind="mergesort")
    df = df.groupby(group, sort=True, dropna=False).head(n) if group else df.head(n)
    groups = _sorted_unique(df[group]) if group else [None]
    with use_style(font):
        nrows, nc = _grid(len(groups), ncols)
        height = max(2.2, 0.22 * min(n, max(len(df), 1)) + 1.0)
        fig, axes = _new_figure(ax, nrows=nrows, ncols=nc, size=(3.6 * nc if group else 6.4, height * nrows),
                                squeeze=False)
        for i, g in enumerate(groups):
            a = axes.flat[i]
            part = df if g is None else df[df[group] == g]
            part = part.iloc[::-1]  # largest on top
            a.barh(part[term].astype(str), part[value], color=color or PALETTE[0], height=0.7)
            a.set_xlabel(value)
            a.grid(axis="x")
            a.set_axisbelow(True)
            a.tick_params(axis="y", length=0)
            if g is not None:
                a.set_title(f"{group} = {g}")
        _hide_unused(axes, len(groups))
        if title:
            fig.suptitle(title) if group else axes.flat[0].set_title(title)
        return _finish(fig, df)


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

    _check_table(table, "table")
    term = _pick(table, term, ["term", "token"], "table")
    value = _pick(table, value, ["count", "weight"], "table")
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
    with use_style(font):
        fig, a = _new_figure(ax, size=(width / 150, height / 150))
        a.imshow(wc.to_array(), interpolation="bilinear")
        a.set_axis_off()
        if title:
            a.set_title(title)
        return _finish(fig, drawn)


_SCORE_COLUMNS = {"theme_id", "label", "hits", "chars", "hits_per_10k", "sentences", "sentences_with_theme",
                  "sentence_share", "terms"}


def plot_theme_heatmap(scores: pd.DataFrame, *, by: str | None = None, value: str = "hits_per_10k",
                       label: str = "label", annotate: bool = True, fmt: str = "{:.1f}",
                       cmap: str = "YlOrRd", title: str | None = None, ax=None,
                       font: str | os.PathLike | None = None):
    """Heat map of theme intensity: one row per theme, one column per unit (section, report, year …).

    Parameters
    ----------
    scores : DataFrame
        The ``themes.theme_scores`` table: ``<by>, theme_id, label, hits, chars, hits_per_10k, …`` — one row
        per unit × theme. Duplicate unit × theme rows are summed.
    by : str, optional
        The unit column; default the first column not in the theme_scores columns (e.g. ``doc_id``,
        ``section_id``, ``section_l1``, ``year``).
    value : str
        Cell value: ``hits_per_10k`` (default), ``hits``, ``sentence_share`` or any numeric column.
    label : str
        Row label column (``label``; use ``theme_id`` for ids).
    annotate : bool
        Write each cell's value with ``fmt``.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table`` is the plotted matrix in long form: ``<label>, <by>, <value>``.
    """
    _check_table(scores, "scores")
    if by is None:
        rest = [c for c in scores.columns if c not in _SCORE_COLUMNS]
        if not rest:
            raise ValueError("scores has no unit column; pass by= (e.g. by='doc_id')")
        by = rest[0]
    check_columns(scores, [by, label, value], what="scores")
    long = scores.groupby([label, by], sort=True, dropna=False)[value].sum().reset_index()
    rows = list(dict.fromkeys(scores.sort_values("theme_id", kind="mergesort")[label])) \
        if "theme_id" in scores.columns else _sorted_unique(long[label])
    cols = _sorted_unique(long[by])
    mat = long.pivot(index=label, columns=by, values=value).reindex(index=rows, columns=cols)
    with use_style(font):
        longest = max((len(str(c)) for c in cols), default=1)
        rotate = len(cols) > 4 or longest > 6
        w = min(16.0, max(4.5, 0.7 * len(cols) + 3.0))
        h = min(12.0, max(2.5, 0.42 * len(rows) + 1.4 + (0.06 * min(longest, 30) if rotate else 0)))
        fig, a = _new_figure(ax, size=(w, h))
        data = mat.to_numpy(dtype=float)
        im = a.imshow(np.ma.masked_invalid(data), aspect="auto", cmap=cmap, interpolation="nearest")
        a.set_xticks(range(len(cols)), [str(c) for c in cols], rotation=35 if rotate else 0,
                     ha="right" if rotate else "center", rotation_mode="anchor")
        a.set_yticks(range(len(rows)), [str(r) for r in rows])
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
        fig.colorbar(im, ax=a, label=value, shrink=0.8)
        if title:
            a.set_title(title)
        return _finish(fig, long)


def _trend_axes(df, *, facet, line, x, value, ncols, ax, title, ylabel, marker_text=None):
    facets = _sorted_unique(df[facet]) if facet else [None]
    colors = {g: PALETTE[j % len(PALETTE)] for j, g in enumerate(_sorted_unique(df[line]))} if line else {}
    nrows, nc = _grid(len(facets), ncols)
    fig, axes = _new_figure(ax, nrows=nrows, ncols=nc, size=(4.2 * nc if facet else 6.4, 3.2 * nrows),
                            squeeze=False)
    for i, f in enumerate(facets):
        a = axes.flat[i]
        part = df if f is None else df[df[facet] == f]
        lines = _sorted_unique(part[line]) if line else [None]
        for g in lines:
            sub = part if g is None else part[part[line] == g]
            sub = sub.sort_values(x, kind="mergesort")
            a.plot(sub[x].astype(float) if _is_numeric(sub[x]) else sub[x].astype(str), sub[value],
                   marker="o", markersize=4, linewidth=1.6, color=colors.get(g, PALETTE[0]),
                   label=None if g is None else str(g))
        if _is_numeric(part[x]):
            xs = _sorted_unique(part[x])
            if len(xs) <= 12 and all(float(v).is_integer() for v in xs):
                a.set_xticks([float(v) for v in xs], [str(int(v)) for v in xs])
        a.set_xlabel(x)
        a.set_ylabel(ylabel)
        a.ticklabel_format(axis="y", style="plain", useOffset=False)
        a.grid(axis="y")
        a.set_axisbelow(True)
        if f is not None:
            a.set_title(str(marker_text(f)) if marker_text else str(f))
        if line and lines and not facet:
            a.legend(loc="best")
    _hide_unused(axes, len(facets))
    if line and facet and colors:
        # one legend for all panels, outside them
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=c, marker="o", markersize=4, linewidth=1.6) for c in colors.values()]
        fig.legend(handles, [str(g) for g in colors], loc="outside right upper", title=line)
    if title:
        (fig.suptitle(title) if facet else axes.flat[0].set_title(title))
    return fig


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def plot_theme_trend(scores: pd.DataFrame, *, x: str = "year", value: str = "hits_per_10k",
                     group: str | None = None, label: str = "label", themes: Sequence[str] | None = None,
                     agg: Literal["mean", "sum", "median", "max", "min"] = "mean", ncols: int = 3,
                     title: str | None = None, ax=None, font: str | os.PathLike | None = None):
    """Theme intensity over years (or any ordered unit), one line per theme or one panel per theme.

    Parameters
    ----------
    scores : DataFrame
        Theme scores with a time column: ``<x>, theme_id, label, <value>`` and optionally ``<group>``, e.g.
        ``theme_scores(corpus, by="doc_id")`` merged with the corpus ``year`` and ``region``, or
        ``theme_scores(corpus, by="year")``. Several rows per ``x`` (× group) × theme are combined with ``agg``
        — except that when ``value == "hits_per_10k"`` and the table has ``hits`` and ``chars``, the rate is
        recomputed from the summed counts (10 000 × hits / chars), which weights reports by length.
    x : str
        The ordered column on the horizontal axis (``year``).
    group : str, optional
        E.g. ``region``: one panel per theme with one line per group. Without it, one line per theme.
    themes : sequence of str, optional
        Keep only these ``theme_id`` values (or labels).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: ``<x>, [<group>,] <label>, <value>``.
    """
    _check_table(scores, "scores")
    check_columns(scores, [x, label, value] + ([group] if group else []), what="scores")
    check_option("agg", agg, ["mean", "sum", "median", "max", "min"])
    df = scores
    if themes is not None:
        keep = set(themes)
        mask = df[label].isin(keep)
        if "theme_id" in df.columns:
            mask |= df["theme_id"].isin(keep)
        df = df[mask]
    keys = [label, *([group] if group else []), x]
    df = df.dropna(subset=[x])
    if value == "hits_per_10k" and {"hits", "chars"} <= set(df.columns):
        sums = df.groupby(keys, sort=True, dropna=False)[["hits", "chars"]].sum().reset_index()
        sums[value] = np.where(sums["chars"] > 0, 10000 * sums["hits"] / sums["chars"].where(sums["chars"] > 0),
                               np.nan)
        long = sums[keys + [value]]
    else:
        long = _aggregate(df, keys, value, agg)
    with use_style(font):
        if group:
            fig = _trend_axes(long, facet=label, line=group, x=x, value=value, ncols=ncols, ax=ax, title=title,
                              ylabel=value)
        else:
            fig = _trend_axes(long, facet=None, line=label, x=x, value=value, ncols=ncols, ax=ax, title=title,
                              ylabel=value)
        return _finish(fig, long)


def plot_metric_trend(metrics: pd.DataFrame, *, indicators: Sequence[str] | None = None, x: str = "year",
                      value: str = "value", group: str | None = "region",
                      agg: Literal["sum", "mean", "median", "max", "min"] = "sum", ncols: int = 3,
                      label: str | None = None, title: str | None = None, ax=None,
                      font: str | os.PathLike | None = None):
    """An indicator's value by year, one panel per indicator and one line per region.

    Parameters
    ----------
    metrics : DataFrame
        The metric table merged with report metadata: ``indicator_id, year, region, value`` (e.g.
        ``metrics(corpus).merge(corpus[["doc_id", "year", "region"]], on="doc_id")``); rows without an
        ``indicator_id`` or a value are dropped; several values of one indicator in one report-year-region
        are combined with ``agg`` (``sum`` by default).
    indicators : sequence of str, optional
        Keep only these indicator ids (in every case panels are sorted by id).
    group : str or None
        Column giving one line per value (``region``); ``None`` for one line per panel.
    label : str, optional
        Column with a readable indicator name for panel titles (e.g. ``indicator``); default the id.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: ``indicator_id, [<group>,] <x>, <value>``.
    """
    _check_table(metrics, "metrics")
    check_columns(metrics, ["indicator_id", x, value] + ([group] if group else []) + ([label] if label else []),
                  what="metrics")
    check_option("agg", agg, ["sum", "mean", "median", "max", "min"])
    df = metrics.dropna(subset=["indicator_id", x, value])
    df = df[df["indicator_id"].astype(str).str.strip() != ""]
    if indicators is not None:
        df = df[df["indicator_id"].isin(list(indicators))]
    if df.empty:
        raise ValueError("metrics has no row with an indicator_id, a year and a value to draw")
    keys = ["indicator_id", *([group] if group else []), x]
    df = df.assign(**{value: pd.to_numeric(df[value], errors="coerce")}).dropna(subset=[value])
    long = _aggregate(df, keys, value, agg)
    names = {}
    if label:
        names = (metrics.dropna(subset=["indicator_id"]).drop_duplicates("indicator_id")
                 .set_index("indicator_id")[label].to_dict())
    with use_style(font):
        fig = _trend_axes(long, facet="indicator_id", line=group, x=x, value=value, ncols=ncols, ax=ax,
                          title=title, ylabel=value,
                          marker_text=(lambda i: names.get(i, i)) if names else None)
        return _finish(fig, long)


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
        Terms per topic.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: the plotted ``topic, rank, term, weight`` rows.
    """
    _check_table(top_terms, "top_terms")
    check_columns(top_terms, [topic, term, weight] + ([label] if label else []), what="top_terms")
    df = top_terms.dropna(subset=[topic, term, weight])
    order = [topic, rank] if rank in df.columns else [topic, weight, term]
    asc = [True, True] if rank in df.columns else [True, False, True]
    df = df.sort_values(order, ascending=asc, kind="mergesort").groupby(topic, sort=True).head(n)
    topics = _sorted_unique(df[topic])
    if not topics:
        raise ValueError("top_terms has no rows to draw")
    with use_style(font):
        nrows, nc = _grid(len(topics), ncols)
        fig, axes = _new_figure(ax, nrows=nrows, ncols=nc, size=(3.2 * nc, (0.24 * n + 1.0) * nrows),
                                squeeze=False)
        for i, t in enumerate(topics):
            a = axes.flat[i]
            part = df[df[topic] == t].iloc[::-1]
            a.barh(part[term].astype(str), part[weight], color=PALETTE[i % len(PALETTE)], height=0.7)
            name = part[label].iloc[0] if label else None
            a.set_title(f"{topic} {t}" + (f": {name}" if name is not None and str(name) else ""))
            a.tick_params(axis="y", length=0)
            a.set_xlabel(weight)
        _hide_unused(axes, len(topics))
        if title:
            fig.suptitle(title)
        return _finish(fig, df)


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
        when both (a, b) and (b, a) are listed (as ``keywords.cooccurrence`` does, with equal values) they are
        one edge with the larger value; self-pairs are dropped.
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

    _check_table(edges, "edges")
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
    with use_style(font):
        fig, a = _new_figure(ax, size=(7.0, 6.0))
        nodes = sorted(g.nodes())
        widths = [0.5 + 3.5 * (g.edges[u, v]["weight"] - wmin) / span for u, v in g.edges()]
        nx.draw_networkx_edges(g, pos, ax=a, width=widths, edge_color="#9a9a9a", alpha=0.7)
        nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=a, node_color=PALETTE[5], alpha=0.85,
                               node_size=[100 + 700 * strength[v] / smax for v in nodes], linewidths=0)
        from matplotlib import patheffects

        halo = [patheffects.withStroke(linewidth=2, foreground="white")]
        for v in nodes:
            a.text(pos[v][0], pos[v][1], v, ha="center", va="center", fontsize=9, path_effects=halo)
        a.set_axis_off()
        a.margins(0.08)
        if title:
            a.set_title(title)
        return _finish(fig, df)


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


def plot_audit_findings(findings: pd.DataFrame, *, panel: Literal["both", "counts", "scatter"] = "both",
                        log: bool | None = None, title: str | None = None, ax=None,
                        font: str | os.PathLike | None = None):
    """Audit findings: counts by kind and severity, and stated against computed values.

    Parameters
    ----------
    findings : DataFrame
        The ``audit.audit`` table: ``kind, stated, computed, difference, severity`` (one row per finding;
        ``doc_id`` and ``evidence`` are kept in the lineage table when present).
    panel : {"both", "counts", "scatter"}
        ``counts``: stacked bars of findings per kind by severity. ``scatter``: stated vs computed value with
        the line stated = computed (points off the line are inconsistencies). ``both``: side by side.
    log : bool or None
        Log-scale axes for the scatter (non-positive values are dropped). Default: log scale when every value
        is positive and they span more than two orders of magnitude.
    ax : matplotlib Axes, optional
        Only with a single panel.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: the findings that were drawn.
    """
    from matplotlib.ticker import MaxNLocator

    _check_table(findings, "findings")
    check_option("panel", panel, ["both", "counts", "scatter"])
    check_columns(findings, ["kind", "stated", "computed", "difference", "severity"], what="findings")
    df = findings.copy()
    df["severity"] = df["severity"].astype("string").fillna("")
    df["kind"] = df["kind"].astype("string").fillna("")
    sev = sorted(pd.unique(df["severity"]),
                 key=lambda s: (_SEVERITY_ORDER.index(s.lower()) if s.lower() in _SEVERITY_ORDER else 99, s))
    colors = {s: _SEVERITY_COLORS.get(s.lower(), PALETTE[i % len(PALETTE)]) for i, s in enumerate(sev)}
    panels = ["counts", "scatter"] if panel == "both" else [panel]
    with use_style(font):
        fig, axes = _new_figure(ax, nrows=1, ncols=len(panels), size=(5.0 * len(panels), 3.8), squeeze=False)
        for a, p in zip(axes.flat, panels):
            if p == "counts":
                counts = df.groupby(["kind", "severity"], sort=True).size().unstack(fill_value=0)
                counts = counts.reindex(columns=sev, fill_value=0)
                left = np.zeros(len(counts))
                for s in sev:
                    a.barh(counts.index.astype(str), counts[s].to_numpy(), left=left, color=colors[s],
                           label=s or "(none)", height=0.6)
                    left += counts[s].to_numpy()
                a.set_xlabel("findings")
                a.xaxis.set_major_locator(MaxNLocator(integer=True))
                a.tick_params(axis="y", length=0)
                if len(counts):
                    a.legend(title="severity", loc="upper left", bbox_to_anchor=(1.0, 1.0))
            else:
                num = df.assign(stated=pd.to_numeric(df["stated"], errors="coerce"),
                                computed=pd.to_numeric(df["computed"], errors="coerce"))
                num = num.dropna(subset=["stated", "computed"])
                if log is None:
                    both = pd.concat([num["stated"], num["computed"]])
                    log = bool(len(both)) and bool((both > 0).all()) and both.max() / both.min() > 100
                if log:
                    num = num[(num["stated"] > 0) & (num["computed"] > 0)]
                for s in sev:
                    part = num[num["severity"] == s]
                    if len(part):
                        a.scatter(part["stated"], part["computed"], s=28, color=colors[s], label=s or "(none)",
                                  alpha=0.85, linewidths=0)
                if len(num):
                    lo = float(min(num["stated"].min(), num["computed"].min()))
                    hi = float(max(num["stated"].max(), num["computed"].max()))
                    a.plot([lo, hi], [lo, hi], color="#777777", linewidth=1, linestyle="--", label="stated = computed")
                    a.legend(loc="upper left")
                if log:
                    a.set_xscale("log")
                    a.set_yscale("log")
                a.set_xlabel("stated")
                a.set_ylabel("computed")
                a.grid()
                a.set_axisbelow(True)
        if title:
            fig.suptitle(title) if len(panels) > 1 else axes.flat[0].set_title(title)
        return _finish(fig, df)


# ------------------------------------------------------------------------------------------------- saving
def save_figure(fig, name: str, out_dir: str | os.PathLike, *, formats: Sequence[str] = DEFAULT_FORMATS,
                dpi: int = DEFAULT_DPI, table: bool = True, font: str | os.PathLike | None = None) -> list[Path]:
    """Write ``fig`` as ``<out_dir>/<name>.png`` and ``.svg`` with fixed metadata (byte-stable reruns).

    PNG is written at ``dpi`` (≥ 200) without a Software entry; SVG with text as paths (the CJK font needs
    no installation to view it), a fixed id salt and no date or creator. Saving the same figure again gives
    identical bytes. ``pdf`` is accepted too (glyphs as Type 3 procedures, which suit the CFF-outline CJK
    font; no dates, no producer).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File stem without folders or extension (letters, digits, ``_``, ``-``, ``.``; Chinese is allowed).
    out_dir : path-like
        Created if missing.
    formats : sequence of {"png", "svg", "pdf"}
    table : bool
        Also write the rows the figure was drawn from (``fig.lawgov_table``) as ``<name>.csv``.

    Returns
    -------
    list of Path
        The files written, in ``formats`` order (then the CSV).
    """
    if not name or any(ch in name for ch in "/\\") or name in {".", ".."} or name.startswith("."):
        raise ValueError(f"name must be a file stem without folders, got {name!r}")
    for fmt in formats:
        check_option("format", fmt, ["png", "svg", "pdf"])
    if dpi < 200:
        raise ValueError(f"dpi must be at least 200 for paper figures, got {dpi}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }
    written = []
    with use_style(font):
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata[fmt])
            written.append(path)
    data = getattr(fig, "lawgov_table", None)
    if table and isinstance(data, pd.DataFrame):
        path = out / f"{name}.csv"
        data.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


__all__ = [
    "FONT_ENV", "bundled_font_path", "font_family", "font_path", "style_rc", "use_style",
    "plot_term_bars", "plot_wordcloud", "plot_theme_heatmap", "plot_theme_trend", "plot_metric_trend",
    "plot_topic_terms", "plot_cooccurrence_network", "plot_audit_findings", "save_figure",
]
