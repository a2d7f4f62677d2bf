"""Figures from the package's tidy tables: one style, Chinese labels, byte-stable files, any corpus size.

Compute first, draw second, save last: every ``plot_*`` function takes a tidy table (columns documented in
``docs/CONTRACT.md`` and in each docstring), draws it inside :func:`style_context` and returns a
:class:`matplotlib.figure.Figure`. Nothing here calls ``plt.show()`` or writes files except
:func:`save_figure`, which writes PNG and SVG with fixed metadata so that a rebuild gives identical bytes.

Style
-----
:func:`use_style` applies the paper style and the CJK font globally, as ``plt.style.use`` or
``sns.set_theme`` do, so that a user's own pyplot or seaborn figures show Chinese too; :func:`style_context`
applies it inside a ``with`` block only; :func:`style_rc` returns the rcParams.

Fonts
-----
Chinese text needs a CJK font and many machines have none. The package uses the Noto Sans CJK SC file that
the ``mplfonts`` package ships: it is registered in memory with :func:`matplotlib.font_manager.addfont` the
first time a style or plot is used (never at import, never in matplotlib's on-disk font cache). A user font
replaces it: pass ``font=`` (a font file path or an installed family name) to :func:`use_style` or to any
``plot_*`` function, or set the environment variable ``LAWGOV_FONT``.

Figures are created with :class:`matplotlib.figure.Figure`, not ``pyplot``, so they are not kept open by
pyplot and a notebook shows a figure once, when it is the cell's value. Text added to a returned figure
later should be drawn inside ``with style_context():`` (or after :func:`use_style`) to get the CJK font too.

Scale
-----
Figures size themselves from their content and never exceed :data:`MAX_PIXELS` pixels on a side at
:data:`DEFAULT_DPI`. One panel per report (or group) is drawn only up to :data:`MAX_PANELS`; beyond that the
functions draw a summary (top terms summed over the groups with the number of groups behind each bar;
distributions by level, province or year with the number of reports behind each box). Trends are honest: a
line joins only the reports of one government (:func:`government_key`) across years; a cross-sectional
corpus (one report per government) is shown as distributions with ``n`` per group, never as a line.

Every figure keeps the rows it was drawn from in ``fig.lawgov_table`` (lineage); :func:`save_figure`
writes them next to the image as ``<name>.csv``.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..core.government import government_key
from ..core.levels import level_rank
from ..core.validate import check_columns, check_option

#: Environment variable naming a font file or an installed family that replaces the bundled CJK font.
FONT_ENV = "LAWGOV_FONT"

#: Font file (inside the ``mplfonts`` package) used when the user sets no font.
BUNDLED_FONT_FILE = "NotoSansCJKsc-Regular.otf"

#: Okabe–Ito colour-blind-safe palette used for lines, bars and categories.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: Twenty distinct colours (Okabe–Ito, then Paul Tol's muted and dark schemes) for series that need one each;
#: series beyond these are drawn in :data:`OTHER_COLOR` and named "other" in the legend, never recycled.
PALETTE_LARGE = PALETTE + ("#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#117733", "#88CCEE",
                           "#DDCC77", "#661100", "#6699CC", "#AA4466", "#4477AA")

#: Colour of series and points that have no colour of their own (beyond the palette, single reports).
OTHER_COLOR = "#a8a8a8"

#: Fixed salt for SVG element ids, so that ids do not change between runs.
SVG_HASHSALT = "lawgov-analysis"

#: Formats written by :func:`save_figure` by default.
DEFAULT_FORMATS = ("png", "svg")

#: Resolution of saved PNG files (dots per inch).
DEFAULT_DPI = 200

#: Longest side of a saved PNG, in pixels (:func:`save_figure` lowers the resolution of a larger figure).
MAX_PIXELS = 4000

#: Largest figure side, in inches, so that a figure saved at :data:`DEFAULT_DPI` stays within :data:`MAX_PIXELS`.
MAX_INCHES = MAX_PIXELS / DEFAULT_DPI - 0.2

#: Most panels (one per report, group, theme or indicator) a figure draws before it summarises.
MAX_PANELS = 12

#: Label of the group that collects the categories beyond a figure's limit.
OTHER_LABEL = "其他"

#: Label of rows whose grouping value is missing.
MISSING_LABEL = "(未填)"

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

    The font file is registered with matplotlib's in-memory font list (never its on-disk cache). Apply the
    dict globally with :func:`use_style` or inside a block with :func:`style_context`.
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
        # mathtext on, as in matplotlib's defaults: log-axis ticks are written as $\mathdefault{10^{4}}$ and
        # print raw without it; text taken from reports is escaped ($ → \$) before it is drawn
        "text.parse_math": True,
        "mathtext.fontset": "dejavusans",
        "svg.fonttype": "path",
        "svg.hashsalt": SVG_HASHSALT,
        "pdf.fonttype": 3,  # Type 3 glyph programs: Type 42 would embed the CFF (OTF) font as TrueType
        "path.simplify": True,
    }


def use_style(font: str | os.PathLike | None = None) -> None:
    """Apply the paper style and the CJK font globally, as ``plt.style.use`` or ``sns.set_theme`` do.

    After the call, every matplotlib, pandas or seaborn figure of the session uses the style and shows
    Chinese. The ``plot_*`` functions apply the style themselves and need no call. For a ``with`` block that
    restores the previous settings on exit use :func:`style_context`; to undo the global style call
    ``matplotlib.rcdefaults()``.

    Parameters
    ----------
    font : str or path-like, optional
        A font file or an installed family name overriding ``$LAWGOV_FONT`` and the bundled Noto Sans CJK SC.

    Examples
    --------
    >>> import matplotlib.pyplot as plt                     # doctest: +SKIP
    >>> use_style()                                         # doctest: +SKIP
    >>> plt.plot([1, 2]); plt.title("普法宣传")               # doctest: +SKIP
    """
    import matplotlib

    matplotlib.rcParams.update(style_rc(font))


@contextlib.contextmanager
def style_context(font: str | os.PathLike | None = None) -> Iterator[dict]:
    """Context manager applying the paper style (and the CJK font) inside a ``with`` block only.

    Global ``rcParams`` are restored on exit. Use it to add Chinese text to a returned figure or to draw a
    figure of your own in the same look without changing the session's style.

    Examples
    --------
    >>> with style_context():                                # doctest: +SKIP
    ...     fig = Figure(); fig.subplots().set_title("普法宣传")
    """
    import matplotlib

    rc = style_rc(font)
    with matplotlib.rc_context(rc):
        yield rc


# ------------------------------------------------------------------------------------------------- helpers
def _esc(text) -> str:
    """Text from a report or table, drawn literally (mathtext is on: ``$`` would start a formula)."""
    return str(text).replace("$", r"\$")


def _new_figure(ax=None, *, nrows: int = 1, ncols: int = 1, size: tuple[float, float] = (6.4, 4.0),
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
    outside the style still renders Chinese.
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


def _auto_log(values) -> bool:
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


def _plain_numbers(a, axis: str, log: bool) -> None:
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


def _colors(keys: Sequence) -> dict:
    """One colour per key from :data:`PALETTE_LARGE`; keys beyond it get :data:`OTHER_COLOR` (never recycled)."""
    return {k: (PALETTE_LARGE[i] if i < len(PALETTE_LARGE) else OTHER_COLOR) for i, k in enumerate(keys)}


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _blank(s: pd.Series) -> pd.Series:
    """True where a metadata value is missing or only whitespace."""
    return s.isna() | (s.astype("string").str.strip().fillna("") == "")


def _text(value) -> str:
    """A metadata value as text: years without ``.0``, missing as ``""``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------------------------------- report metadata
_NUMERAL_RUN = re.compile(r"[零〇一二三四五六七八九十百千两]+|\d+")


def section_sort_key(section_id) -> tuple:
    """Sort key putting section ids in document order: ``一(二)`` before ``一(三)``, ``一(十)`` after ``一(九)``.

    Each run of Chinese or Arabic numerals in the id becomes its value (``"一(三)6"`` → ``(1, 3, 6)``), so the
    order follows the report's numbering, not Unicode (where 三 sorts before 二). Ids without numerals sort
    last, by their text.

    >>> sorted(["一(三)", "一(二)", "二", "一(十)", "0"], key=section_sort_key)
    ['0', '一(二)', '一(三)', '一(十)', '二']
    """
    from ..core.numerals import parse_chinese

    text = _text(section_id)
    nums = []
    for m in _NUMERAL_RUN.finditer(text):
        run = m.group()
        value = int(run) if run.isdigit() else parse_chinese(run)
        nums.append(int(value) if value is not None else 10**9)
    return (0 if nums else 1, tuple(nums), text)


def _level_rank(level) -> tuple:
    return level_rank(_text(level))


def report_labels(table: pd.DataFrame) -> pd.Series:
    """A readable label per report, ``region·year`` (``昌江区·2021``), indexed by ``doc_id``.

    Parameters
    ----------
    table : DataFrame
        The report table, or any table with ``doc_id`` and report columns (``region``, ``year``; optional
        ``department``). One label per distinct ``doc_id``.

    Returns
    -------
    pandas.Series
        ``doc_id`` → label: the non-empty parts of ``region``, ``department`` and ``year`` joined by ``·``;
        the ``doc_id`` when they are all empty; ``label (doc_id)`` when two reports would share a label.
    """
    _check_table(table, "table")
    check_columns(table, ["doc_id"], what="table")
    docs = table.drop_duplicates("doc_id").set_index("doc_id")
    parts = [c for c in ("region", "department", "year") if c in docs.columns]
    labels = {}
    for doc_id, row in docs.iterrows():
        text = "·".join(t for t in (_text(row[c]) for c in parts) if t)
        labels[doc_id] = text or str(doc_id)
    out = pd.Series(labels, dtype="object", name="label")
    dup = out.duplicated(keep=False) & (out != pd.Series(out.index, index=out.index).astype(str))
    out[dup] = [f"{lab} ({doc})" for doc, lab in out[dup].items()]
    out.index.name = "doc_id"
    return out


def report_order(table: pd.DataFrame) -> list:
    """``doc_id`` values in a meaningful order: by province, level (top down), region, department, year."""
    _check_table(table, "table")
    check_columns(table, ["doc_id"], what="table")
    docs = table.drop_duplicates("doc_id")

    def key(row):
        return (_text(row.get("province", "")), _level_rank(row.get("level", "")),
                _text(row.get("region", "")), _text(row.get("department", "")), _text(row.get("year", "")),
                str(row["doc_id"]))

    return [r["doc_id"] for r in sorted(docs.to_dict("records"), key=key)]


def _government_labels(df: pd.DataFrame, key: pd.Series) -> dict:
    """Government key → a short label (region, department and level)."""
    out = {}
    for k, row in zip(key, df.to_dict("records")):
        if pd.isna(k) or k in out:
            continue
        parts = [_text(row.get("region", "")), _text(row.get("department", ""))]
        text = "".join(p for p in parts if p) or str(k).split("|")[0]
        level = _text(row.get("level", ""))
        out[k] = f"{text} ({level})" if level and not text.endswith(level) else text
    # two governments with one label (same name in two provinces): add the province
    labels = pd.Series(out, dtype="object")
    for k in labels[labels.duplicated(keep=False)].index:
        out[k] = f"{out[k]} · {str(k).split('|')[0].split('/')[0]}"
    return out


def _join_corpus(table: pd.DataFrame, corpus: pd.DataFrame | None, columns: Sequence[str]) -> pd.DataFrame:
    """``table`` with report columns it lacks joined from ``corpus`` on ``doc_id`` (only those present there)."""
    if corpus is None or "doc_id" not in table.columns:
        return table
    _check_table(corpus, "corpus")
    check_columns(corpus, ["doc_id"], what="corpus")
    add = list(dict.fromkeys(c for c in columns if c not in table.columns and c in corpus.columns))
    if not add:
        return table
    meta = corpus.drop_duplicates("doc_id").set_index("doc_id")[add]
    return table.join(meta, on="doc_id")


_META = ("region", "region_code", "province", "parent_region", "city", "level", "year", "department")


def _category_order(values: pd.Series, column: str) -> list:
    """Distinct values in a meaningful order: levels top down, sections in document order, numbers ascending."""
    vals = list(pd.unique(values))
    if column == "level":
        return sorted(vals, key=_level_rank)
    if column.startswith("section"):
        return sorted(vals, key=section_sort_key)
    try:
        return sorted(vals)
    except TypeError:
        return sorted(vals, key=str)


# -------------------------------------------------------------------------------------------------- plots
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
    all_groups = _sorted_unique(df[group]) if group else [None]
    if group and len(all_groups) > max_panels:
        summed = df.groupby(term, sort=True)[value].sum().rename(value).to_frame()
        summed["n_groups"] = df.groupby(term, sort=True)[group].nunique()
        summed = summed.reset_index().sort_values([value, term], ascending=[False, True], kind="mergesort").head(n)
        summed["groups"] = len(all_groups)
        what = "reports" if group == "doc_id" else f"{group} values"
        with style_context(font):
            fig, a = _new_figure(ax, size=(6.8, 0.24 * len(summed) + 1.4))
            part = summed.iloc[::-1]
            bars = a.barh([_esc(t) for t in part[term]], part[value], color=color or PALETTE[0], height=0.7)
            a.bar_label(bars, labels=[f"n={k}" for k in part["n_groups"]], padding=3, fontsize=8, color="#555555")
            a.set_xlabel(f"{value}, summed over {len(all_groups)} {what}")
            a.margins(x=0.12)
            a.grid(axis="x")
            a.set_axisbelow(True)
            a.tick_params(axis="y", length=0)
            a.set_title(title or f"Top {len(summed)} terms over {len(all_groups)} {what} (n = {what} with the term)")
            return _finish(fig, summed)
    note = ""
    if group:  # bars must stay readable: fewer terms per panel when many panel rows share the page height
        fit = max(3, int((MAX_INCHES / _grid(len(all_groups), ncols)[0] - 1.0) / 0.22))
        if fit < n:
            n, note = fit, f" (top {fit} per panel)"
    df = df.sort_values([*([group] if group else []), value, term],
                        ascending=[*([True] if group else []), False, True], kind="mergesort")
    df = df.groupby(group, sort=True, dropna=False).head(n) if group else df.head(n)
    labels = {}
    if group == "doc_id":
        meta = _join_corpus(df[["doc_id"]].drop_duplicates(), corpus, _META)
        labels = report_labels(meta).to_dict()
        order = report_order(meta)
        all_groups = [g for g in order if g in set(all_groups)]
    elif group:
        all_groups = _category_order(df[group].dropna(), group)
    with style_context(font):
        nrows, nc = _grid(len(all_groups), ncols)
        rows_per_panel = max(1, min(n, int(df.groupby(group).size().max()) if group else len(df)))
        height = max(2.0, 0.22 * rows_per_panel + 1.0)
        fig, axes = _new_figure(ax, nrows=nrows, ncols=nc, size=(3.6 * nc if group else 6.4, height * nrows),
                                squeeze=False)
        for i, g in enumerate(all_groups):
            a = axes.flat[i]
            part = df if g is None else df[df[group] == g]
            part = part.iloc[::-1]  # largest on top
            a.barh([_esc(t) for t in part[term]], part[value], color=color or PALETTE[0], height=0.7)
            a.set_xlabel(value)
            a.grid(axis="x")
            a.set_axisbelow(True)
            a.tick_params(axis="y", length=0)
            if g is not None:
                a.set_title(_esc(labels.get(g, f"{group} = {_text(g)}")))
        _hide_unused(axes, len(all_groups))
        if title or note:
            fig.suptitle((title or "") + note) if group else axes.flat[0].set_title(title)
        return _finish(fig, df)


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
    elif column in ("level", "year") or column.startswith("section") or _is_numeric(present):
        cats = _category_order(present, column)
    else:
        sizes = present.map(_text).value_counts()
        cats = sorted(pd.unique(present), key=lambda v: (-sizes[_text(v)], _text(v)))
    text = {c: _text(c) for c in cats}
    group = raw.map(lambda v: text.get(v, _text(v))).astype(object)  # categorical input: a new label must fit
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
        the report table with ``chars`` by ``level``, per-report theme scores (``theme_scores(corpus,
        by="doc_id")`` joined with the corpus) with ``hits_per_10k`` by ``level`` and ``facet="label"``, or the
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
        Draw each row as a point over the boxes.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.lawgov_table``: one row per drawn row: ``[doc_id,] [<facet>,] <by>, <value>, group`` (the drawn
        group label) and ``n`` (rows in its group and panel).
    """
    _check_table(table, "table")
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
        sizes = df[facet].map(_text).value_counts()
        ordered = facet in ("level", "year") or facet.startswith("section") or _is_numeric(df[facet])
        facets = _category_order(df[facet].dropna(), facet) if ordered else list(pd.unique(df[facet].dropna()))
        if len(facets) > max_panels:
            chosen = set(sorted(facets, key=lambda f: (-sizes[_text(f)], _text(f)))[:max_panels])
            note = f" ({max_panels} of {len(facets)} {facet} values, those with most rows)"
            facets = [f for f in facets if f in chosen]
            df = df[df[facet].isin(chosen)]
    df["n"] = df.groupby(([facet] if facet else []) + ["group"], dropna=False)["group"].transform("size")
    rng = np.random.default_rng(0)
    with style_context(font):
        nrows, nc = _grid(len(facets), ncols)
        height = max(1.8, 0.34 * len(groups) + 1.1)
        width = (4.4 * nc) if facet else 6.4
        fig, axes = _new_figure(ax, nrows=nrows, ncols=nc, size=(width, height * nrows), squeeze=False)
        for i, f in enumerate(facets):
            a = axes.flat[i]
            part = df if f is None else df[df[facet] == f]
            panel_log = _auto_log(part[value]) if log is None else log
            ticks = []
            for j, g in enumerate(groups):
                vals = part.loc[part["group"] == g, value].to_numpy(dtype=float)
                ticks.append(f"{_esc(g)}  n={len(vals)}")
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
                    a.scatter(vals, y + jitter, s=10 if len(vals) > 200 else 16, color="#333333",
                              alpha=0.35 if len(vals) > 50 else 0.7, linewidths=0, zorder=3)
                a.scatter([vals.mean()], [y], marker="D", s=28, color="black", zorder=4)
            a.set_yticks(range(len(groups)), ticks[::-1])
            a.set_ylim(-0.6, len(groups) - 0.4)
            a.tick_params(axis="y", length=0)
            _plain_numbers(a, "x", panel_log)
            a.grid(axis="x")
            a.set_axisbelow(True)
            label = xlabel or value
            if n_missing and i == 0:
                label += f"\n({n_missing} rows without a {'positive ' if log else ''}{value} not drawn)"
            a.set_xlabel(label)
            if f is not None:
                a.set_title(_esc(_text(f)))
        _hide_unused(axes, len(facets))
        heading = (title or "") + note
        if heading:
            fig.suptitle(heading) if facet else axes.flat[0].set_title(heading)
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
    with style_context(font):
        fig, a = _new_figure(ax, size=(width / 150, height / 150))
        a.imshow(wc.to_array(), interpolation="bilinear")
        a.set_axis_off()
        if title:
            a.set_title(title)
        return _finish(fig, drawn)


_SCORE_COLUMNS = {"theme_id", "label", "hits", "chars", "hits_per_10k", "sentences", "sentences_with_theme",
                  "sentence_share", "terms"}




_SCORE_COLUMNS = {"doc_id", "theme_id", "label", "hits", "chars", "hits_per_10k", "sentences",
                  "sentences_with_theme", "sentence_share", "terms", *_META, "parent_region", "title", "path",
                  "format", "encoding", "sha256", "text", "government"}


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
    _check_table(scores, "scores")
    if by is None:
        rest = [c for c in scores.columns if c not in _SCORE_COLUMNS]
        by = "doc_id" if "doc_id" in scores.columns and not rest else (rest[0] if rest else None)
        if by is None:
            raise ValueError("scores has no unit column; pass by= (e.g. by='doc_id')")
    df = _join_corpus(scores, corpus, [by] + list(_META))
    check_columns(df, [by, label, value], what="scores")
    if by == "doc_id":
        meta = df.drop_duplicates("doc_id")
        cols = [str(d) for d in report_order(meta)]
        names = {str(k): v for k, v in report_labels(meta).items()}
        df = df.assign(_col=df["doc_id"].astype(str))
    else:
        missing = df[by].isna() | (df[by].map(_text) == "")
        cols = list(dict.fromkeys(_text(c) for c in _category_order(df.loc[~missing, by], by)))
        cols += [MISSING_LABEL] if missing.any() else []
        names = {c: c for c in cols}
        df = df.assign(_col=df[by].map(_text).astype(object).where(~missing, MISSING_LABEL))
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
        rows = _sorted_unique(long[label])
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
        fig, a = _new_figure(ax, size=(w, h))
        data = mat.to_numpy(dtype=float)
        im = a.imshow(np.ma.masked_invalid(data), aspect="auto", cmap=cmap, interpolation="nearest")
        a.set_xticks(range(len(cols)), [_esc(col_text[c]) for c in cols], rotation=40 if rotate else 0,
                     ha="right" if rotate else "center", rotation_mode="anchor",
                     fontsize=9 if len(cols) <= 30 else 7)
        a.set_yticks(range(len(rows)), [_esc(r) for r in rows])
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
        return _finish(fig, long[[label, by, "column", value, "n"]])


def _series_table(df: pd.DataFrame, x: str) -> tuple[pd.DataFrame, dict]:
    """Add ``government`` (key) and ``series`` (key of a government with ≥ 2 distinct ``x``, else NA)."""
    key = government_key(df)
    df = df.assign(government=key.to_numpy())
    years = df.dropna(subset=["government", x]).groupby("government")[x].nunique()
    multi = set(years[years >= 2].index)
    df["series"] = df["government"].where(df["government"].isin(multi))
    return df, _government_labels(df, df["government"])


def _draw_lines(df: pd.DataFrame, *, facet: str | None, facets: list, x: str, value: str, labels: dict,
                max_lines: int, ncols: int, ax, log: bool | None, ylabel: str, facet_title=None,
                single_label: str = "only report of its government ({n}; not joined)",
                legend_title: str = "government\n(a line joins one\ngovernment's reports)"):
    """Small multiples: one line per government series, other reports as grey points; shared legend."""
    series = sorted(pd.unique(df["series"].dropna()), key=lambda k: (labels.get(k, str(k)), str(k)))
    colored = series[:max_lines]
    colors = _colors(colored)
    nrows, nc = _grid(len(facets), ncols)
    # the shared legend sits outside on the right: give it its own width so the panels keep theirs
    panels_width = max(4.4 * nc, 5.0) if facet else 6.4
    fig, axes = _new_figure(ax, nrows=nrows, ncols=nc, size=(panels_width + 3.2, 3.3 * nrows), squeeze=False)
    numeric_x = _is_numeric(df[x])
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
            xs = _sorted_unique(df[x])
            if len(xs) <= 12 and all(float(v).is_integer() for v in xs):
                a.set_xticks([float(v) for v in xs], [str(int(v)) for v in xs])
        _plain_numbers(a, "y", _auto_log(part[value]) if log is None else log)
        a.set_xlabel(x)
        a.set_ylabel(ylabel)
        a.grid(axis="y")
        a.set_axisbelow(True)
        if f is not None:
            a.set_title(_esc(facet_title(f) if facet_title else _text(f)))
    _hide_unused(axes, len(facets))
    from matplotlib.lines import Line2D

    handles, names = [], []
    for s in colored:
        handles.append(Line2D([], [], color=colors[s], marker="o", markersize=4, linewidth=1.6))
        names.append(_esc(labels.get(s, s)))
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


def plot_theme_trend(scores: pd.DataFrame, *, x: str = "year", value: str = "hits_per_10k", label: str = "label",
                     themes: Sequence[str] | None = None, corpus: pd.DataFrame | None = None,
                     mode: Literal["auto", "lines", "distribution"] = "auto", by: str | None = None,
                     max_lines: int = len(PALETTE_LARGE), ncols: int = 3, log: bool | None = None,
                     title: str | None = None, ax=None, font: str | os.PathLike | None = None):
    """Theme intensity across years, honestly: lines only within one government, never across governments.

    Parameters
    ----------
    scores : DataFrame
        Per-report theme scores: ``theme_scores(corpus, by="doc_id")``, one row per report × theme with
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
        distribution.
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
    _check_table(scores, "scores")
    check_option("mode", mode, ["auto", "lines", "distribution"])
    if "doc_id" not in scores.columns:
        raise ValueError("scores must have one row per report × theme with doc_id (theme_scores(corpus, "
                         "by='doc_id')); rates pooled over several reports weigh long reports more")
    df = _join_corpus(scores, corpus, list(_META))
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
    df, labels = _series_table(df, x)
    if mode == "auto":
        mode = "lines" if df["series"].notna().any() else "distribution"
    facets = list(dict.fromkeys(df[label]))
    with style_context(font):
        if mode == "distribution":
            return plot_distribution(df, value=value, by=by or x, facet=label if len(facets) > 1 else None,
                                     log=log, title=title, ax=ax, font=font, ncols=ncols)
        if len(facets) > MAX_PANELS:
            raise ValueError(f"{len(facets)} themes are too many panels for one figure; pass themes= with at "
                             f"most {MAX_PANELS}")
        drawn = df.dropna(subset=[x, value])
        fig, axes = _draw_lines(drawn, facet=label, facets=facets, x=x, value=value, labels=labels,
                                max_lines=max_lines, ncols=ncols, ax=ax, log=log, ylabel=value)
        left_out = df.loc[df[x].isna(), "doc_id"].nunique()
        heading = (title or "") + (f" ({left_out} reports without a {x} not drawn)" if left_out else "")
        if heading:
            fig.suptitle(heading)
        cols = [c for c in ["doc_id", label, x, value, "government", "series"] if c in drawn.columns]
        table = drawn[cols].sort_values([label, "government", x, "doc_id"], kind="mergesort", na_position="last")
        return _finish(fig, table.assign(series=table["series"].fillna(""), government=table["government"]
                                         .fillna("")))


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
        ``n``. ``auto``: lines when any government has two years of an indicator, else distributions.
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
    _check_table(panel, "panel")
    check_option("mode", mode, ["auto", "lines", "distribution"])
    check_columns(panel, ["doc_id", "indicator_id", "unit", value], what="panel")
    df = panel.dropna(subset=["indicator_id"])
    df = df[df["indicator_id"].astype(str).str.strip() != ""]
    if indicators is not None:
        df = df[df["indicator_id"].isin(list(indicators))]
    df = df.assign(**{value: pd.to_numeric(df[value], errors="coerce"), "unit": df["unit"].map(_text)})
    df = df.dropna(subset=[value])
    dup = df.duplicated(["doc_id", "indicator_id", "unit"], keep=False)
    if dup.any():
        first = df[dup].iloc[0]
        raise ValueError(f"panel has several rows for report {first['doc_id']}, indicator {first['indicator_id']}, "
                         f"unit {first['unit']!r}; pass the indicator panel (one headline value per report)")
    if df.empty:
        raise ValueError("panel has no row with an indicator_id and a numeric value to draw")
    name_col = "label_zh" if "label_zh" in df.columns else "indicator_id"
    df["panel"] = [f"{_text(n) or i} ({u})" if u else (_text(n) or str(i))
                   for n, i, u in zip(df[name_col], df["indicator_id"], df["unit"])]
    reports = df.groupby("panel")["doc_id"].nunique()
    panels = sorted(reports.index, key=lambda p: (-reports[p], p))
    note = ""
    if len(panels) > max_panels:
        note = f" ({max_panels} of {len(panels)} indicators, those in most reports)"
        panels = panels[:max_panels]
        df = df[df["panel"].isin(panels)]
    df = df.assign(_facet=pd.Categorical(df["panel"], categories=panels, ordered=True))
    if mode == "auto":
        probe = df.dropna(subset=[x]) if x in df.columns else df.iloc[0:0]
        if len(probe):
            key = government_key(probe)
            years = probe.assign(_g=key.to_numpy()).dropna(subset=["_g"]).groupby(["panel", "_g"])[x].nunique()
            mode = "lines" if (years >= 2).any() else "distribution"
        else:
            mode = "distribution"
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
        drawn, labels = _series_table(drawn, x)
        if log:
            drawn = drawn[drawn[value] > 0]
        fig, axes = _draw_lines(drawn, facet="panel", facets=panels, x=x, value=value, labels=labels,
                                max_lines=max_lines, ncols=ncols, ax=ax, log=log, ylabel=value)
        heading = (title or "") + note
        if heading:
            fig.suptitle(heading)
        table = drawn.sort_values(["panel", "government", x, "doc_id"], kind="mergesort", na_position="last")
        return _finish(fig, table.assign(series=table["series"].fillna(""),
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
    df = df.assign(**{value: pd.to_numeric(df[value], errors="coerce")}).dropna(subset=[value])
    if group:
        df = df.assign(**{group: df[group].map(_text).replace("", pd.NA)})
    keys = ["indicator_id", *([group] if group else []), x]
    long = df.groupby(keys, dropna=False, sort=True)[value].agg(agg).reset_index()
    ids = _sorted_unique(long["indicator_id"])
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
        fig, _ = _draw_lines(plot_df, facet="indicator_id", facets=ids, x=x, value=value, labels=labels,
                             max_lines=len(PALETTE_LARGE), ncols=ncols, ax=ax, log=False, ylabel=value,
                             facet_title=lambda i: names.get(i, i), legend_title=group or "",
                             single_label=f"no {group} ({{n}} rows; not joined)")
        if title:
            fig.suptitle(title)
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
        Terms per topic (fewer when many rows of panels must share the figure's height limit).

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
    n_topics = df[topic].nunique()
    n = min(n, max(3, int((MAX_INCHES / max(1, _grid(max(1, n_topics), ncols)[0]) - 1.0) / 0.24)))
    df = df.sort_values(order, ascending=asc, kind="mergesort").groupby(topic, sort=True).head(n)
    topics = _sorted_unique(df[topic])
    if not topics:
        raise ValueError("top_terms has no rows to draw")
    with style_context(font):
        nrows, nc = _grid(len(topics), ncols)
        fig, axes = _new_figure(ax, nrows=nrows, ncols=nc, size=(3.2 * nc, (0.24 * n + 1.0) * nrows),
                                squeeze=False)
        colors = _colors(topics)
        for i, t in enumerate(topics):
            a = axes.flat[i]
            part = df[df[topic] == t].iloc[::-1]
            a.barh([_esc(w) for w in part[term].astype(str)], part[weight], color=colors[t], height=0.7)
            name = part[label].iloc[0] if label else None
            a.set_title(_esc(f"{topic} {t}" + (f": {name}" if name is not None and str(name) else "")))
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
    with style_context(font):
        fig, a = _new_figure(ax, size=(7.0, 6.0))
        nodes = sorted(g.nodes())
        widths = [0.5 + 3.5 * (g.edges[u, v]["weight"] - wmin) / span for u, v in g.edges()]
        nx.draw_networkx_edges(g, pos, ax=a, width=widths, edge_color="#9a9a9a", alpha=0.7)
        nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=a, node_color=PALETTE[5], alpha=0.85,
                               node_size=[100 + 700 * strength[v] / smax for v in nodes], linewidths=0)
        from matplotlib import patheffects

        halo = [patheffects.withStroke(linewidth=2, foreground="white")]
        for v in nodes:
            a.text(pos[v][0], pos[v][1], _esc(v), ha="center", va="center", fontsize=9, path_effects=halo)
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
    extra = _colors([s for s in sev if s.lower() not in _SEVERITY_COLORS])
    colors = {s: _SEVERITY_COLORS.get(s.lower(), extra.get(s, OTHER_COLOR)) for s in sev}
    panels = ["counts", "scatter"] if panel == "both" else [panel]
    with style_context(font):
        fig, axes = _new_figure(ax, nrows=1, ncols=len(panels), size=(5.0 * len(panels), 3.8), squeeze=False)
        for a, p in zip(axes.flat, panels):
            if p == "counts":
                counts = df.groupby(["kind", "severity"], sort=True).size().unstack(fill_value=0)
                counts = counts.reindex(columns=sev, fill_value=0)
                left = np.zeros(len(counts))
                for s in sev:
                    a.barh([_esc(k) for k in counts.index.astype(str)], counts[s].to_numpy(), left=left, color=colors[s],
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
                _plain_numbers(a, "x", bool(log))
                _plain_numbers(a, "y", bool(log))
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

    PNG is written at ``dpi`` (≥ 200; lowered for a figure whose longest side would exceed
    :data:`MAX_PIXELS` pixels, so that every PNG stays within it) without a Software entry; SVG with text as paths (the CJK font needs
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
    longest = float(max(fig.get_size_inches()))
    dpi = min(float(dpi), math.floor(MAX_PIXELS / longest)) if longest * dpi > MAX_PIXELS else dpi
    written = []
    with style_context(font):
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
    "FONT_ENV", "MAX_PANELS", "MAX_PIXELS", "bundled_font_path", "font_family", "font_path", "style_rc",
    "use_style", "style_context", "government_key", "report_labels", "report_order", "section_sort_key",
    "plot_term_bars", "plot_distribution", "plot_wordcloud", "plot_theme_heatmap", "plot_theme_trend",
    "plot_indicator_panel", "plot_metric_trend", "plot_topic_terms", "plot_cooccurrence_network",
    "plot_audit_findings", "save_figure",
]
