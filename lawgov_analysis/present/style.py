"""The paper style of every figure: the CJK font, the colours and the size limits.

:func:`use_style` applies the style and the CJK font globally, as ``plt.style.use`` or ``sns.set_theme`` do,
so that a user's own pyplot or seaborn figures show Chinese too; :func:`style_context` applies it inside a
``with`` block only; :func:`style_rc` returns the rcParams.

Fonts
-----
Chinese text needs a CJK font and many machines have none. The package uses the Noto Sans CJK SC file that
the ``mplfonts`` package ships: it is registered in memory with :func:`matplotlib.font_manager.addfont` the
first time a style or plot is used (never at import, never in matplotlib's on-disk font cache). A user font
replaces it: pass ``font=`` (a font file path or an installed family name) to :func:`use_style` or to any
``plot_*`` function, or set the environment variable ``LAWGOV_FONT``.

Colours and sizes
-----------------
:data:`PALETTE` (Okabe–Ito) for categories, :data:`PALETTE_LARGE` and :func:`category_colors` for one colour
per series without repeats; figures never exceed :data:`MAX_PIXELS` pixels on a side at :data:`DEFAULT_DPI`
(:data:`MAX_INCHES`) and draw at most :data:`MAX_PANELS` panels before they summarise.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

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

#: Resolution of saved PNG files (dots per inch).
DEFAULT_DPI = 200

#: Longest side of a saved PNG, in pixels (``save_figure`` lowers the resolution of a larger figure).
MAX_PIXELS = 4000

#: Largest figure side, in inches, so that a figure saved at :data:`DEFAULT_DPI` stays within :data:`MAX_PIXELS`.
MAX_INCHES = MAX_PIXELS / DEFAULT_DPI - 0.2

#: Most panels (one per report, group, theme or indicator) a figure draws before it summarises.
MAX_PANELS = 12

#: A set of more than this many points (a scatter of reports) is drawn as an image inside an SVG or PDF, the
#: axes, boxes and text staying vector: 100,000 reports as vector dots made figures of 100 MB.
RASTER_POINTS = 2_000

#: Most governments a trend figure draws as lines (one per government) before it shows one box of report
#: values per year instead: past a few hundred, lines cover each other and the legend names an arbitrary few.
MAX_SERIES = 200


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


def category_colors(keys: Sequence) -> dict:
    """One colour per key from :data:`PALETTE_LARGE`; keys beyond it get :data:`OTHER_COLOR` (never recycled)."""
    return {k: (PALETTE_LARGE[i] if i < len(PALETTE_LARGE) else OTHER_COLOR) for i, k in enumerate(keys)}


__all__ = [
    "FONT_ENV", "BUNDLED_FONT_FILE", "PALETTE", "PALETTE_LARGE", "OTHER_COLOR", "SVG_HASHSALT", "DEFAULT_DPI",
    "MAX_PIXELS", "MAX_INCHES", "MAX_PANELS", "bundled_font_path", "font_family", "font_path", "style_rc",
    "use_style", "style_context", "category_colors",
]
