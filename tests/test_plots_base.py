"""What every figure shares: no pyplot, a size within 4000 px at any corpus size, readable log ticks."""

from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest

from lawgov_analysis.present import style
from lawgov_analysis.present.plots import (
    plot_audit_findings,
    plot_distribution,
    plot_term_bars,
    plot_theme_heatmap,
    plot_theme_trend,
)
from lawgov_analysis.present.save import save_figure
from lawgov_analysis.present.style import style_context

from .plot_tables import term_table


def test_plots_do_not_use_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = plot_term_bars(term_table())
    assert plt.get_fignums() == before
    assert fig not in [plt.figure(n) for n in plt.get_fignums()]


@pytest.mark.parametrize("n_reports", [1, 13, 60, 400])
def test_figures_scale_without_warnings_and_stay_within_4000_px(n_reports, tmp_path):
    from PIL import Image

    docs = [dict(doc_id=f"r{i:04d}", region=f"区{i % 37}", province=f"省{i % 31}", level=["省", "市", "县", "区"][i % 4],
                 year=2017 + i % 6, chars=3000 + 37 * i) for i in range(n_reports)]
    corpus = pd.DataFrame(docs)
    terms = pd.DataFrame([dict(doc_id=d["doc_id"], term=f"词{j}", count=(j * 7 + i) % 13 + 1)
                          for i, d in enumerate(docs) for j in range(25)])
    scores = pd.DataFrame([dict(doc_id=d["doc_id"], theme_id=t, label=t, hits_per_10k=float((i * k) % 17))
                           for i, d in enumerate(docs) for k, t in enumerate(["普法", "扫黑", "放管服", "执法"])])
    figures = {
        "bars": lambda: plot_term_bars(terms, group="doc_id", corpus=corpus, n=10),
        "lengths": lambda: plot_distribution(corpus, value="chars", by="level"),
        "heatmap": lambda: plot_theme_heatmap(scores, corpus=corpus),
        "heatmap_province": lambda: plot_theme_heatmap(scores, by="province", corpus=corpus),
        "trend": lambda: plot_theme_trend(scores, corpus=corpus),
    }
    for name, make in figures.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig = make()
            paths = save_figure(fig, name, tmp_path, formats=("png",), table=False)
        with Image.open(paths[0]) as img:
            assert max(img.size) <= style.MAX_PIXELS, (name, img.size)
        panels = sum(a.get_visible() and bool(a.get_title() or a.get_xlabel()) for a in fig.axes)
        assert panels <= style.MAX_PANELS + 1, name
    if n_reports > style.MAX_PANELS:
        summary = plot_term_bars(terms, group="doc_id", n=5).lawgov_table
        assert list(summary.columns) == ["term", "count", "n_groups", "groups"]
        assert summary["groups"].iloc[0] == n_reports


def test_log_axes_render_math_not_raw_tex():
    warnings.simplefilter("error")  # the superscript digits of 10⁴ need no missing glyph (restored by pytest)
    fig = plot_audit_findings(pd.DataFrame({"kind": ["合计"] * 3, "stated": [10.0, 1e4, 1e6],
                                            "computed": [10.0, 1e4, 2e6], "difference": [0, 0, 1e6],
                                            "severity": ["ok", "ok", "error"]}), panel="scatter")
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert fig.axes[0].get_xscale() == "log" and {"1,000", "10⁶"} <= set(ticks) and not any("$" in t for t in ticks)
    fig.savefig(io.BytesIO(), format="png", dpi=40)
    # a user's own log axis in the style: matplotlib's $\mathdefault{10^{4}}$ labels are parsed, not printed raw
    from matplotlib.figure import Figure

    with style_context():
        user = Figure()
        ax = user.subplots()
        ax.plot([1, 10_000], [1, 10_000])
        ax.set_yscale("log")
        user.draw_without_rendering()
        labels = [t for t in ax.get_yticklabels() if t.get_text()]
        assert labels and all(r"\mathdefault" in t.get_text() for t in labels)
        assert all(t._preprocess_math(t.get_text())[1] is True for t in labels)
    # text from reports with a dollar sign is drawn literally, not as a formula
    fig = plot_term_bars(pd.DataFrame({"term": ["$5$ 元"], "count": [1]}))
    assert fig.axes[0].get_yticklabels()[0].get_text() == r"\$5\$ 元"
