"""Figures: Chinese glyphs on a machine without a Chinese system font, one style, byte-stable files."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from lawgov_analysis.present import plotting
from lawgov_analysis.present.plotting import (
    plot_audit_findings,
    plot_cooccurrence_network,
    plot_metric_trend,
    plot_term_bars,
    plot_theme_heatmap,
    plot_theme_trend,
    plot_topic_terms,
    plot_wordcloud,
    save_figure,
    use_style,
)

ROOT = Path(__file__).resolve().parents[1]
DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


# ------------------------------------------------------------------------------------------ tidy tables
def term_table() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["anxian-2019"] * 4 + ["beiqu-2021"] * 4,
        "term": ["法治", "普法", "法", "的", "扫黑除恶", "放管服", "案", "法治"],
        "count": [9, 7, 3, 2, 6, 5, 4, 8],
    })


def theme_scores() -> pd.DataFrame:
    rows = []
    for doc, year, region, chars in [("anxian-2019", 2019, "安县", 1000), ("anxian-2020", 2020, "安县", 2000),
                                     ("beiqu-2021", 2021, "北区", 4000)]:
        for theme_id, label, hits in [("pufa", "普法", 3), ("saohei", "扫黑除恶", 1), ("fangguanfu", "放管服", 2)]:
            rows.append(dict(doc_id=doc, theme_id=theme_id, label=label, hits=hits + year % 3, chars=chars,
                             hits_per_10k=10000 * (hits + year % 3) / chars, sentences=10,
                             sentences_with_theme=2, sentence_share=0.2, terms="普法", year=year, region=region))
    return pd.DataFrame(rows)


def topic_terms() -> pd.DataFrame:
    return pd.DataFrame({"topic": [0, 0, 0, 1, 1, 1], "rank": [1, 2, 3, 1, 2, 3],
                         "term": ["普法", "宣传", "法律明白人", "执法", "监督", "行政复议"],
                         "weight": [0.5, 0.3, 0.1, 0.6, 0.2, 0.1]})


def edges() -> pd.DataFrame:
    return pd.DataFrame({"term_a": ["法治", "政府", "普法", "普法", "法治"],
                         "term_b": ["政府", "法治", "宣传", "普法", "普法"],
                         "count": [5, 2, 3, 9, 2], "association": [1.2, 0.4, -0.3, 0.0, 0.5]})


def metric_table() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["anxian-2019", "anxian-2020", "beiqu-2021", "anxian-2019", "anxian-2020", "anxian-2020"],
        "indicator_id": ["disputes", "disputes", "disputes", "reviews", "reviews", "reviews"],
        "indicator": ["矛盾纠纷排查", "矛盾纠纷排查", "矛盾纠纷排查", "行政复议", "行政复议", "行政复议"],
        "year": [2019, 2020, 2021, 2019, 2020, 2020], "region": ["安县", "安县", "北区", "安县", "安县", "安县"],
        "value": [640.0, 700.0, 820.0, 3.0, 5.0, 5.0],
    })


def audit_table() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["anxian-2019", "anxian-2020", "beiqu-2021"],
                         "kind": ["比率", "合计", "比率"], "stated": [97.0, 6200, 99.02],
                         "computed": [93.75, 6200, 99.02], "difference": [3.25, 0, 0],
                         "evidence": ["调解成功率达到97%", "新增市场主体6200户", "成功率达到99.02%"],
                         "severity": ["warning", "ok", "ok"]})


FIGURES = {
    "term_bars": lambda: plot_term_bars(term_table(), title="高频词"),
    "term_bars_facets": lambda: plot_term_bars(term_table(), group="doc_id", n=3, title="各报告高频词"),
    "wordcloud": lambda: plot_wordcloud(term_table(), width=480, height=300, title="词云"),
    "theme_heatmap": lambda: plot_theme_heatmap(theme_scores(), by="region", title="主题强度"),
    "theme_trend": lambda: plot_theme_trend(theme_scores(), title="主题趋势"),
    "theme_trend_region": lambda: plot_theme_trend(theme_scores(), group="region", title="分地区主题趋势"),
    "topic_terms": lambda: plot_topic_terms(topic_terms().assign(label="普法宣传"), label="label", title="主题词"),
    "cooccurrence": lambda: plot_cooccurrence_network(edges(), title="共现网络"),
    "metric_trend": lambda: plot_metric_trend(metric_table(), label="indicator", title="指标趋势"),
    "audit": lambda: plot_audit_findings(audit_table(), title="核对结果"),
}


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------- fonts
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
    monkeypatch.delenv(plotting.FONT_ENV, raising=False)
    path = plotting.font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and "mplfonts" in path.parts
    assert plotting.font_family() == "Noto Sans CJK SC"
    assert plotting.style_rc()["font.family"][0] == "Noto Sans CJK SC"


def test_user_font_overrides_bundled_font(monkeypatch):
    monkeypatch.setenv(plotting.FONT_ENV, str(DEJAVU))
    assert plotting.font_family() == "DejaVu Sans"
    assert plotting.font_path() == DEJAVU
    # an explicit argument beats the environment
    assert plotting.font_family(plotting.bundled_font_path()) == "Noto Sans CJK SC"
    with use_style(font="DejaVu Sans") as rc:
        assert matplotlib.rcParams["font.family"][0] == "DejaVu Sans" == rc["font.family"][0]
    with pytest.raises(ValueError, match="does not exist"):
        plotting.font_family("/no/such/font.otf")
    with pytest.raises(ValueError, match="not installed"):
        plotting.font_family("No Such Font Family 123")


def test_use_style_restores_global_rcparams():
    before = dict(matplotlib.rcParams)
    with use_style():
        assert matplotlib.rcParams["svg.hashsalt"] == plotting.SVG_HASHSALT
    plot_term_bars(term_table())
    assert dict(matplotlib.rcParams) == before


def test_import_has_no_side_effects():
    code = textwrap.dedent("""
        import matplotlib
        before = dict(matplotlib.rcParams)
        import lawgov_analysis.present.plotting, lawgov_analysis.present.display, lawgov_analysis.present.report
        from matplotlib import font_manager
        assert dict(matplotlib.rcParams) == before
        assert not any("CJK" in f.name for f in font_manager.fontManager.ttflist)
    """)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)


def test_plots_do_not_use_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = plot_term_bars(term_table())
    assert plt.get_fignums() == before
    assert fig not in [plt.figure(n) for n in plt.get_fignums()]


# --------------------------------------------------------------------------------------- plot contents
def test_term_bars_top_n_per_group_and_columns():
    fig = plot_term_bars(term_table(), group="doc_id", n=2)
    table = fig.lawgov_table
    assert table.to_dict("list") == {"doc_id": ["anxian-2019", "anxian-2019", "beiqu-2021", "beiqu-2021"],
                                     "term": ["法治", "普法", "法治", "扫黑除恶"], "count": [9, 7, 8, 6]}
    assert sum(a.get_visible() for a in fig.axes) == 2
    # token/weight columns are found too; ax only without facets
    tokens = term_table().rename(columns={"term": "token", "count": "weight"})
    assert list(plot_term_bars(tokens, n=1).lawgov_table["token"]) == ["法治"]
    with pytest.raises(ValueError, match="single panel"):
        from matplotlib.figure import Figure

        plot_term_bars(term_table(), group="doc_id", ax=Figure().subplots())
    with pytest.raises(ValueError, match="missing column"):
        plot_term_bars(pd.DataFrame({"word": ["法"], "count": [1]}))


def test_term_bars_draws_into_given_ax():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    assert plot_term_bars(term_table(), ax=ax, n=3) is fig
    assert [t.get_text() for t in ax.get_yticklabels()] == ["扫黑除恶", "普法", "法治"]  # largest on top
    assert len(ax.patches) == 3


def test_wordcloud_keeps_single_characters_and_stopwords_and_is_seeded():
    table = pd.DataFrame({"term": ["法治", "的", "法", "and", "案"], "count": [9, 5, 4, 3, 2]})
    a = plot_wordcloud(table, seed=3)
    drawn = set(a.lawgov_table["term"])
    assert {"法", "的", "案", "and", "法治"} == drawn
    b = plot_wordcloud(table, seed=3)
    assert a.lawgov_table.equals(b.lawgov_table)
    assert _png(a) == _png(b)
    with pytest.raises(ValueError, match="positive"):
        plot_wordcloud(pd.DataFrame({"term": ["法"], "count": [0]}))


def test_theme_heatmap_matrix_and_default_unit():
    scores = theme_scores()
    fig = plot_theme_heatmap(scores)  # unit column found: doc_id
    table = fig.lawgov_table
    assert set(table.columns) == {"label", "doc_id", "hits_per_10k"}
    assert len(table) == 9
    img = fig.axes[0].images[0].get_array()
    assert img.shape == (3, 3)
    # rows follow theme_id order: fangguanfu, pufa, saohei
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["放管服", "普法", "扫黑除恶"]
    with pytest.raises(ValueError, match="missing column"):
        plot_theme_heatmap(scores, value="nope")


def test_theme_trend_recomputes_rate_from_counts():
    scores = theme_scores()
    extra = scores[scores["doc_id"] == "anxian-2019"].assign(doc_id="other-2019", chars=3000)
    fig = plot_theme_trend(pd.concat([scores, extra]), themes=["pufa"])
    row = fig.lawgov_table.query("year == 2019").iloc[0]
    hits = 2 * (3 + 2019 % 3)
    assert row["hits_per_10k"] == pytest.approx(10000 * hits / 4000)
    with pytest.raises(ValueError, match="agg must be one of"):
        plot_theme_trend(scores, value="hits", agg="total")


def test_topic_terms_panels():
    fig = plot_topic_terms(topic_terms(), n=2)
    assert fig.lawgov_table["term"].tolist() == ["普法", "宣传", "执法", "监督"]
    assert sum(a.get_visible() for a in fig.axes) == 2


def test_cooccurrence_network_undirected_and_seeded():
    fig = plot_cooccurrence_network(edges())
    table = fig.lawgov_table
    pairs = {(a, b): c for a, b, c in table.itertuples(index=False)}
    # (法治, 政府) and (政府, 法治) are one edge with the larger count; the self-pair is dropped
    assert pairs == {tuple(sorted(("法治", "政府"))): 5, tuple(sorted(("普法", "宣传"))): 3,
                     tuple(sorted(("法治", "普法"))): 2}
    other = plot_cooccurrence_network(edges().rename(columns={"term_a": "a", "term_b": "b"}), source="a",
                                      target="b", weight="association")
    assert len(other.lawgov_table) == 3
    assert _png(plot_cooccurrence_network(edges(), seed=1)) == _png(plot_cooccurrence_network(edges(), seed=1))


def test_metric_trend_aggregates_per_region_year():
    fig = plot_metric_trend(metric_table())
    t = fig.lawgov_table
    assert t[(t.indicator_id == "reviews") & (t.year == 2020)]["value"].tolist() == [10.0]
    assert sum(a.get_visible() for a in fig.axes) == 2
    only = plot_metric_trend(metric_table(), indicators=["disputes"], group=None)
    assert set(only.lawgov_table["indicator_id"]) == {"disputes"}
    with pytest.raises(ValueError, match="missing column"):
        plot_metric_trend(metric_table().drop(columns="region"))


def test_audit_findings_panels_and_options():
    assert len(plot_audit_findings(audit_table()).axes) == 2
    assert len(plot_audit_findings(audit_table(), panel="counts").axes) == 1
    with pytest.raises(ValueError, match="panel must be one of"):
        plot_audit_findings(audit_table(), panel="table")
    with pytest.raises(ValueError, match="missing column"):
        plot_audit_findings(audit_table().drop(columns="severity"))


# ------------------------------------------------------------------------------------------------ saving
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
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import test_plotting as t
        for n in {names!r}:
            t.save_figure(t.FIGURES[n](), n, {str(tmp_path / "there")!r})
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    env["PYTHONHASHSEED"] = "123"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env, timeout=120)
    there = sorted((tmp_path / "there").iterdir())
    assert _digest(here) == _digest(there)
