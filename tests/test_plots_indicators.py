"""The indicator panel and metric trends."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_analysis.present.plots import plot_indicator_panel, plot_metric_trend

from .plot_tables import indicator_panel, joined_lines, metric_table


def test_indicator_panel_lines_and_distribution():
    fig = plot_indicator_panel(indicator_panel())
    t = fig.lawgov_table
    assert set(t["panel"]) == {"矛盾纠纷 (件)", "行政复议 (件)"}
    assert set(t.loc[t.series != "", "doc_id"]) == {"anxian-2019", "anxian-2020"}
    assert len(joined_lines(fig)) == 2  # one 安县 line per indicator, nothing else joined
    assert {"surface", "section_id"} <= set(t.columns)  # evidence kept
    cross = plot_indicator_panel(indicator_panel().assign(region_code=lambda d: d.doc_id), by="level")
    assert joined_lines(cross) == []
    assert set(cross.lawgov_table["group"]) == {"县", "区", "(未填)"}
    with pytest.raises(ValueError, match="several rows"):
        plot_indicator_panel(pd.concat([indicator_panel(), indicator_panel()]))


def test_metric_trend_aggregates_per_region_year():
    fig = plot_metric_trend(metric_table())
    t = fig.lawgov_table
    blank = plot_metric_trend(pd.concat([metric_table(), metric_table().assign(region="", year=2022)]))
    assert len(joined_lines(blank)) == 2  # 安县 per panel; rows without a region are points
    assert t[(t.indicator_id == "reviews") & (t.year == 2020)]["value"].tolist() == [10.0]
    assert sum(a.get_visible() for a in fig.axes) == 2
    only = plot_metric_trend(metric_table(), indicators=["disputes"], group=None)
    assert set(only.lawgov_table["indicator_id"]) == {"disputes"}
    with pytest.raises(ValueError, match="missing column"):
        plot_metric_trend(metric_table().drop(columns="region"))


def test_indicator_panel_past_max_series_governments_is_one_box_per_year():
    from lawgov_analysis.present import style

    n = style.MAX_SERIES + 1
    panel = pd.DataFrame([dict(doc_id=f"g{g:04d}-{y}", region=f"安{g:04d}县", level="县", year=y,
                               indicator_id="reconsideration.cases", label_zh="行政复议案件", unit="件",
                               value=float(10 + g % 9)) for g in range(n) for y in (2021, 2022)])
    table = plot_indicator_panel(panel, x="year", by="level").lawgov_table
    assert table.groupby("group")["n"].first().to_dict() == {"2021": n, "2022": n}
    lines = plot_indicator_panel(panel.iloc[: 2 * style.MAX_SERIES], x="year", by="level").lawgov_table
    assert lines["series"].ne("").all()


def test_indicator_panel_titles_from_label_id_and_unit_for_strings_and_categories():
    extra = pd.DataFrame([dict(doc_id="anxian-2019", region="安县", region_code="360101", level="县", year=2019,
                               indicator_id=i, label_zh=label, unit=unit, value=1.0)
                          for i, label, unit in [("cases", None, "件"), ("rate", "比例", ""), (" ", "空", "件")]])
    panel = pd.concat([indicator_panel(), extra], ignore_index=True)
    plain = plot_indicator_panel(panel).lawgov_table
    # no label: the id; no unit: no brackets; a blank id is not drawn
    assert sorted(set(plain["panel"])) == ["cases (件)", "比例", "矛盾纠纷 (件)", "行政复议 (件)"]
    assert plain.loc[plain["doc_id"] == "nan-2021", "panel"].tolist() == ["矛盾纠纷 (件)"]
    cats = plot_indicator_panel(panel.astype({"indicator_id": "category", "label_zh": "category",
                                              "unit": "category"})).lawgov_table
    assert cats[["doc_id", "panel", "value"]].values.tolist() == plain[["doc_id", "panel", "value"]].values.tolist()
