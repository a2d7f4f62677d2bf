"""Tidy tables shaped like the package's, and one figure of every kind drawn from them (shared by the plot tests)."""

from __future__ import annotations

import io

import pandas as pd

from lawgov_analysis.present.plots import (
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
)


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


def png_bytes(fig) -> bytes:
    """The figure as a small PNG (to compare two drawings byte for byte)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    return buf.getvalue()


def joined_lines(fig):
    """(x, y) data of every drawn line that joins two or more points."""
    return [line.get_xydata() for a in fig.axes for line in a.get_lines() if len(line.get_xdata()) > 1]
