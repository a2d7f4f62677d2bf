"""The paper style and the CJK font: Chinese glyphs on a machine without a Chinese system font."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from lawgov_analysis.present import style
from lawgov_analysis.present.plots import plot_term_bars
from lawgov_analysis.present.style import style_context, use_style

from .plot_tables import FIGURES, term_table

ROOT = Path(__file__).resolve().parents[1]
DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_draws_chinese_without_missing_glyphs(name):
    from matplotlib.figure import Figure

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" becomes an error
        fig = FIGURES[name]()
        assert isinstance(fig, Figure)
        # drawn outside use_style: the figure must keep its CJK font
        fig.savefig(io.BytesIO(), format="png", dpi=60)
        fig.savefig(io.BytesIO(), format="svg")
    assert isinstance(fig.lawgov_table, pd.DataFrame) and len(fig.lawgov_table)


def test_missing_glyph_warning_is_an_error_with_a_latin_font():
    """The guard above works: the same figure with a font lacking CJK glyphs fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="Glyph"):
            fig = plot_term_bars(term_table(), font="DejaVu Sans")
            fig.savefig(io.BytesIO(), format="png", dpi=60)


def test_bundled_font_is_noto_sans_cjk_from_mplfonts(monkeypatch):
    monkeypatch.delenv(style.FONT_ENV, raising=False)
    path = style.font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and "mplfonts" in path.parts
    assert style.font_family() == "Noto Sans CJK SC"
    assert style.style_rc()["font.family"][0] == "Noto Sans CJK SC"


def test_user_font_overrides_bundled_font(monkeypatch):
    monkeypatch.setenv(style.FONT_ENV, str(DEJAVU))
    assert style.font_family() == "DejaVu Sans"
    assert style.font_path() == DEJAVU
    # an explicit argument beats the environment
    assert style.font_family(style.bundled_font_path()) == "Noto Sans CJK SC"
    with style_context(font="DejaVu Sans") as rc:
        assert matplotlib.rcParams["font.family"][0] == "DejaVu Sans" == rc["font.family"][0]
    with pytest.raises(ValueError, match="does not exist"):
        style.font_family("/no/such/font.otf")
    with pytest.raises(ValueError, match="not installed"):
        style.font_family("No Such Font Family 123")


def test_style_context_restores_global_rcparams():
    before = dict(matplotlib.rcParams)
    with style_context():
        assert matplotlib.rcParams["svg.hashsalt"] == style.SVG_HASHSALT
    plot_term_bars(term_table())
    assert dict(matplotlib.rcParams) == before


def test_use_style_applies_globally_like_plt_style_use():
    """use_style() is a plain call (as plt.style.use / sns.set_theme): a user's pyplot figure shows Chinese."""
    before = matplotlib.rcParams.copy()
    try:
        assert use_style() is None
        assert matplotlib.rcParams["font.family"][0] == "Noto Sans CJK SC"
        assert matplotlib.rcParams["text.parse_math"] is True
        from matplotlib.figure import Figure

        fig = Figure()
        fig.subplots().set_title("普法宣传")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph would warn
            fig.savefig(io.BytesIO(), format="png", dpi=40)
    finally:
        matplotlib.rcParams.update(before)
    with pytest.raises(TypeError):  # not a context manager: the block form has its own name
        with use_style():
            pass
    matplotlib.rcParams.update(before)


def test_import_has_no_side_effects():
    code = textwrap.dedent("""
        import matplotlib
        before = dict(matplotlib.rcParams)
        import lawgov_analysis.present.style, lawgov_analysis.present.labels, lawgov_analysis.present.plots
        import lawgov_analysis.present.save, lawgov_analysis.present.display, lawgov_analysis.report.build
        from matplotlib import font_manager
        assert dict(matplotlib.rcParams) == before
        assert not any("CJK" in f.name for f in font_manager.fontManager.ttflist)
    """)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)
