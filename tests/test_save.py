"""save_figure: byte-stable PNG, SVG and PDF without volatile metadata, within 4000 px."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lawgov_analysis.present import style
from lawgov_analysis.present.save import save_figure

from .plot_tables import FIGURES

ROOT = Path(__file__).resolve().parents[1]


def test_save_figure_caps_pixels(tmp_path):
    from matplotlib.figure import Figure
    from PIL import Image

    fig = Figure(figsize=(30, 8))
    fig.subplots().plot([1, 2])
    path = save_figure(fig, "wide", tmp_path, formats=("png",))[0]
    with Image.open(path) as img:
        assert max(img.size) <= style.MAX_PIXELS


def _digest(paths) -> dict[str, str]:
    return {Path(p).name: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


def test_save_figure_is_byte_stable_and_without_volatile_metadata(tmp_path):
    from PIL import Image

    first = save_figure(FIGURES["term_bars"](), "terms", tmp_path / "a")
    second = save_figure(FIGURES["term_bars"](), "terms", tmp_path / "b")
    assert [p.name for p in first] == ["terms.png", "terms.svg", "terms.csv"]
    assert _digest(first) == _digest(second)
    with Image.open(first[0]) as img:
        assert round(img.info["dpi"][0]) >= 200
        assert "Software" not in img.info
    svg = first[1].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg and "<text" not in svg  # glyphs as paths
    # PDF: Type 3 glyphs (the CFF-outline OTF must not be embedded as TrueType), no dates, byte-stable
    import pypdf

    pdfs = [save_figure(FIGURES["term_bars"](), "bars", tmp_path / d, formats=["pdf"], table=False)[0]
            for d in ("c", "d")]
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes()
    fonts = pypdf.PdfReader(pdfs[0]).pages[0]["/Resources"]["/Font"]
    assert {f.get_object()["/Subtype"] for f in fonts.values()} == {"/Type3"}
    assert b"CreationDate" not in pdfs[0].read_bytes()
    with pytest.raises(ValueError, match="dpi"):
        save_figure(FIGURES["term_bars"](), "x", tmp_path, dpi=100)
    with pytest.raises(ValueError, match="file stem"):
        save_figure(FIGURES["term_bars"](), "../x", tmp_path)
    with pytest.raises(ValueError, match="format must be one of"):
        save_figure(FIGURES["term_bars"](), "x", tmp_path, formats=["gif"])


@pytest.mark.slow
def test_save_figure_identical_in_a_fresh_process(tmp_path):
    names = ["wordcloud", "cooccurrence", "term_bars_facets"]
    here = [p for n in names for p in save_figure(FIGURES[n](), n, tmp_path / "here")]
    code = textwrap.dedent(f"""
        import sys
        from lawgov_analysis.present.save import save_figure
        from tests.plot_tables import FIGURES
        for n in {names!r}:
            save_figure(FIGURES[n](), n, {str(tmp_path / "there")!r})
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    env["PYTHONHASHSEED"] = "123"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env, timeout=120)
    there = sorted((tmp_path / "there").iterdir())
    assert _digest(here) == _digest(there)
