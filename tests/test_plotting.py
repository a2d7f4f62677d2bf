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
    government_key,
    plot_audit_findings,
    plot_cooccurrence_network,
    plot_distribution,
    plot_indicator_panel,
    plot_metric_trend,
    plot_term_bars,
    plot_theme_heatmap,
    plot_theme_trend,
    plot_topic_terms,
    plot_wordcloud,
    save_figure,
    style_context,
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
                             sentences_with_theme=2, sentence_share=0.2, terms="普法", year=year, region=region,
                             level="县" if region == "安县" else "区"))
    return pd.DataFrame(rows)


def cross_sectional(scores: pd.DataFrame) -> pd.DataFrame:
    """Three governments, one report each."""
    return scores.assign(region=scores["doc_id"].map({"anxian-2019": "甲", "anxian-2020": "乙", "beiqu-2021": "丙"}))


def indicator_panel() -> pd.DataFrame:
    """The measures.panel shape: one row per report × indicator × unit."""
    rows = []
    for doc, year, region, code, level, disputes, reviews in [
            ("anxian-2019", 2019, "安县", "360101", "县", 640, 3), ("anxian-2020", 2020, "安县", "360101", "县", 700, 5),
            ("beiqu-2021", 2021, "北区", "360102", "区", 820, 8), ("nan-2021", 2021, "", "", "", 90, None)]:
        for ind, label, unit, value in [("disputes", "矛盾纠纷", "件", disputes), ("reviews", "行政复议", "件", reviews)]:
            if value is not None:
                rows.append(dict(doc_id=doc, region=region, region_code=code, province="江西省", city="示例市",
                                 level=level, year=year, department="", indicator_id=ind, label_zh=label,
                                 unit=unit, value=float(value), n_mentions=1, surface=f"{value}{unit}",
                                 start=0, end=3, section_id="一"))
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
    "theme_heatmap_level": lambda: plot_theme_heatmap(theme_scores(), by="level", title="按层级"),
    "theme_trend": lambda: plot_theme_trend(theme_scores(), title="主题趋势"),
    "theme_trend_cross": lambda: plot_theme_trend(cross_sectional(theme_scores()), title="各年报告"),
    "distribution": lambda: plot_distribution(theme_scores(), value="hits_per_10k", by="level", facet="label",
                                              title="分层级"),
    "indicator_panel": lambda: plot_indicator_panel(indicator_panel(), title="指标"),
    "indicator_panel_cross": lambda: plot_indicator_panel(indicator_panel(), mode="distribution", by="year"),
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
    with style_context(font="DejaVu Sans") as rc:
        assert matplotlib.rcParams["font.family"][0] == "DejaVu Sans" == rc["font.family"][0]
    with pytest.raises(ValueError, match="does not exist"):
        plotting.font_family("/no/such/font.otf")
    with pytest.raises(ValueError, match="not installed"):
        plotting.font_family("No Such Font Family 123")


def test_style_context_restores_global_rcparams():
    before = dict(matplotlib.rcParams)
    with style_context():
        assert matplotlib.rcParams["svg.hashsalt"] == plotting.SVG_HASHSALT
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
        import lawgov_analysis.present.plotting, lawgov_analysis.present.display, lawgov_analysis.report.build
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
    assert list(table.columns) == ["label", "doc_id", "column", "hits_per_10k", "n"]
    assert len(table) == 9
    img = fig.axes[0].images[0].get_array()
    assert img.shape == (3, 3)
    # rows keep the dictionary order of the scores table; columns are labelled region·year, not doc ids
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["普法", "扫黑除恶", "放管服"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["北区·2021", "安县·2019", "安县·2020"]
    with pytest.raises(ValueError, match="missing column"):
        plot_theme_heatmap(scores, value="nope")


def test_theme_heatmap_by_level_averages_reports_with_n():
    scores = theme_scores()
    fig = plot_theme_heatmap(scores, by="level")
    t = fig.lawgov_table.set_index(["label", "level"])
    # 县 has two reports: the mean of their own rates, not the rate of their pooled characters
    pufa = scores[(scores.label == "普法") & (scores.level == "县")]["hits_per_10k"]
    assert t.loc[("普法", "县"), "hits_per_10k"] == pytest.approx(pufa.mean())
    assert t.loc[("普法", "县"), "n"] == 2 and t.loc[("普法", "区"), "n"] == 1
    # levels top down (区 before 县 in LEVEL_ORDER), n in the column label
    assert [x.get_text() for x in fig.axes[0].get_xticklabels()] == ["区\nn=1", "县\nn=2"]


def test_section_columns_in_document_order():
    sections = ["一(三)", "一(二)", "一(十)", "二", "一(一)", "一(九)"]
    scores = pd.DataFrame({"section_l2": sections, "theme_id": "pufa", "label": "普法",
                           "hits_per_10k": range(6)})
    fig = plot_theme_heatmap(scores, by="section_l2")
    assert [x.get_text() for x in fig.axes[0].get_xticklabels()] == \
        ["一(一)", "一(二)", "一(三)", "一(九)", "一(十)", "二"]
    assert sorted(sections, key=plotting.section_sort_key)[:2] == ["一(一)", "一(二)"]


def _joined_lines(fig):
    """(x, y) data of every drawn line that joins two or more points."""
    return [line.get_xydata() for a in fig.axes for line in a.get_lines() if len(line.get_xdata()) > 1]


def test_theme_trend_joins_only_one_government():
    scores = theme_scores()
    # a report with an empty region in 2021 and another county's report in 2020: never joined
    extra = pd.concat([scores[scores.doc_id == "beiqu-2021"].assign(doc_id="blank-2021", region=""),
                       scores[scores.doc_id == "anxian-2020"].assign(doc_id="xixian-2020", region="西县")])
    fig = plot_theme_trend(pd.concat([scores, extra]), themes=["pufa"])
    t = fig.lawgov_table
    assert set(t.loc[t.series != "", "doc_id"]) == {"anxian-2019", "anxian-2020"}
    assert t.loc[t.doc_id == "blank-2021", "government"].tolist() == [""]
    lines = _joined_lines(fig)
    assert len(lines) == 1 and lines[0][:, 0].tolist() == [2019.0, 2020.0]
    # each report keeps its own rate (no pooling of characters)
    assert t.loc[t.doc_id == "anxian-2019", "hits_per_10k"].item() == pytest.approx(10000 * (3 + 2019 % 3) / 1000)
    with pytest.raises(ValueError, match="doc_id"):
        plot_theme_trend(scores.drop(columns="doc_id"))
    undated = pd.concat([scores, scores[scores.doc_id == "beiqu-2021"].assign(doc_id="nodate", year=pd.NA)])
    fig = plot_theme_trend(undated, themes=["pufa"])
    assert "1 reports without a year not drawn" in fig._suptitle.get_text()


def test_cross_sectional_corpus_gives_distributions_with_n():
    scores = cross_sectional(theme_scores())
    fig = plot_theme_trend(scores)
    assert _joined_lines(fig) == []
    t = fig.lawgov_table
    assert set(t.columns) >= {"doc_id", "label", "year", "hits_per_10k", "group", "n"}
    assert t.groupby("group")["n"].first().to_dict() == {"2019": 1, "2020": 1, "2021": 1}
    labels = [x.get_text() for x in fig.axes[0].get_yticklabels()]
    assert labels == ["2021  n=1", "2020  n=1", "2019  n=1"]


def test_distribution_lumps_groups_and_keeps_missing():
    table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)],
                          "province": [f"省{i % 20:02d}" if i % 10 else "" for i in range(40)],
                          "chars": [1000 + 10 * i for i in range(40)]})
    fig = plot_distribution(table, value="chars", by="province", max_groups=6)
    t = fig.lawgov_table
    assert t["n"].groupby(t["group"]).first().sum() == 40  # every report drawn once
    groups = [x.get_text().split("  n=")[0] for x in fig.axes[0].get_yticklabels()][::-1]
    assert groups[-1] == "(未填)" and groups[-2].startswith("其他 (")
    assert len(groups) == 6


def test_distribution_by_a_categorical_column_with_missing_values():
    # store tables come back with categorical keys; a missing level must still form its own group
    table = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "level": pd.Categorical(["区", "县", None, "区"]),
                          "chars": [1000, 2000, 3000, 4000]})
    t = plot_distribution(table, value="chars", by="level").lawgov_table
    assert t.set_index("doc_id")["group"].to_dict() == {"a": "区", "b": "县", "c": "(未填)", "d": "区"}
    heat = plot_theme_heatmap(pd.DataFrame({"doc_id": list("abcd"), "label": ["普法"] * 4,
                                            "hits_per_10k": [1.0, 2.0, 3.0, 4.0]}),
                              by="level", corpus=table)
    assert heat.lawgov_table.set_index("level")["n"].to_dict() == {"区": 2, "县": 1, "(未填)": 1}


def test_indicator_panel_lines_and_distribution():
    fig = plot_indicator_panel(indicator_panel())
    t = fig.lawgov_table
    assert set(t["panel"]) == {"矛盾纠纷 (件)", "行政复议 (件)"}
    assert set(t.loc[t.series != "", "doc_id"]) == {"anxian-2019", "anxian-2020"}
    assert len(_joined_lines(fig)) == 2  # one 安县 line per indicator, nothing else joined
    assert {"surface", "section_id"} <= set(t.columns)  # evidence kept
    cross = plot_indicator_panel(indicator_panel().assign(region_code=lambda d: d.doc_id), by="level")
    assert _joined_lines(cross) == []
    assert set(cross.lawgov_table["group"]) == {"县", "区", "(未填)"}
    with pytest.raises(ValueError, match="several rows"):
        plot_indicator_panel(pd.concat([indicator_panel(), indicator_panel()]))


def test_colours_never_repeat_past_the_palette():
    rows = [dict(doc_id=f"g{i}-{y}", region=f"地{i:02d}", level="县", year=y, theme_id="pufa", label="普法",
                 hits_per_10k=float(i + y % 3)) for i in range(25) for y in (2020, 2021)]
    fig = plot_theme_trend(pd.DataFrame(rows))
    colours = [line.get_color() for line in fig.axes[0].get_lines()]
    coloured = [c for c in colours if c != plotting.OTHER_COLOR]
    assert len(coloured) == len(set(coloured)) == len(plotting.PALETTE_LARGE)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "other governments (5)" in legend


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
            assert max(img.size) <= plotting.MAX_PIXELS, (name, img.size)
        panels = sum(a.get_visible() and bool(a.get_title() or a.get_xlabel()) for a in fig.axes)
        assert panels <= plotting.MAX_PANELS + 1, name
    if n_reports > plotting.MAX_PANELS:
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


def test_save_figure_caps_pixels(tmp_path):
    from matplotlib.figure import Figure
    from PIL import Image

    fig = Figure(figsize=(30, 8))
    fig.subplots().plot([1, 2])
    path = save_figure(fig, "wide", tmp_path, formats=("png",))[0]
    with Image.open(path) as img:
        assert max(img.size) <= plotting.MAX_PIXELS


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
    blank = plot_metric_trend(pd.concat([metric_table(), metric_table().assign(region="", year=2022)]))
    assert len(_joined_lines(blank)) == 2  # 安县 per panel; rows without a region are points
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


def test_government_key_tells_apart_towns_of_one_name_in_different_cities():
    towns = pd.DataFrame({"region": ["城关镇"] * 3, "region_code": [""] * 3, "province": ["甘肃省"] * 3,
                          "city": ["兰州市", "天水市", "兰州市"], "level": ["乡镇"] * 3, "department": [""] * 3})
    key = government_key(towns).tolist()
    assert key[0] == key[2] and key[0] != key[1]
