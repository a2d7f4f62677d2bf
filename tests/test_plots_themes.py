"""Theme heat maps and trends: report labels, section order, lines only within one government."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_analysis.present import labels, style
from lawgov_analysis.present.plots import plot_theme_heatmap, plot_theme_trend

from .plot_tables import cross_sectional, joined_lines, theme_scores


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
    assert sorted(sections, key=labels.section_sort_key)[:2] == ["一(一)", "一(二)"]


def test_theme_trend_joins_only_one_government():
    scores = theme_scores()
    # a report with an empty region in 2021 and another county's report in 2020: never joined
    extra = pd.concat([scores[scores.doc_id == "beiqu-2021"].assign(doc_id="blank-2021", region=""),
                       scores[scores.doc_id == "anxian-2020"].assign(doc_id="xixian-2020", region="西县")])
    fig = plot_theme_trend(pd.concat([scores, extra]), themes=["pufa"])
    t = fig.lawgov_table
    assert set(t.loc[t.series != "", "doc_id"]) == {"anxian-2019", "anxian-2020"}
    assert t.loc[t.doc_id == "blank-2021", "government"].tolist() == [""]
    lines = joined_lines(fig)
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
    assert joined_lines(fig) == []
    t = fig.lawgov_table
    assert set(t.columns) >= {"doc_id", "label", "year", "hits_per_10k", "group", "n"}
    assert t.groupby("group")["n"].first().to_dict() == {"2019": 1, "2020": 1, "2021": 1}
    labels = [x.get_text() for x in fig.axes[0].get_yticklabels()]
    assert labels == ["2021  n=1", "2020  n=1", "2019  n=1"]


def test_colours_never_repeat_past_the_palette():
    rows = [dict(doc_id=f"g{i}-{y}", region=f"地{i:02d}", level="县", year=y, theme_id="pufa", label="普法",
                 hits_per_10k=float(i + y % 3)) for i in range(25) for y in (2020, 2021)]
    fig = plot_theme_trend(pd.DataFrame(rows))
    colours = [line.get_color() for line in fig.axes[0].get_lines()]
    coloured = [c for c in colours if c != style.OTHER_COLOR]
    assert len(coloured) == len(set(coloured)) == len(style.PALETTE_LARGE)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "other governments (5)" in legend


def _panel_scores(governments: int, years=(2021, 2022)) -> pd.DataFrame:
    rows = [dict(doc_id=f"g{g:04d}-{y}", region=f"安{g:04d}县", level="县", year=y, label="普法", theme_id="pufa",
                 hits_per_10k=float((g * 7 + y) % 50)) for g in range(governments) for y in years]
    return pd.DataFrame(rows)


def test_theme_trend_past_max_series_governments_is_one_box_per_year():
    from lawgov_analysis.present.plots.series import trend_mode

    few, many = _panel_scores(style.MAX_SERIES), _panel_scores(style.MAX_SERIES + 1)
    assert trend_mode(few, x="year") == "lines"
    assert trend_mode(many, x="year") == "too_many"
    assert trend_mode(many.drop_duplicates("region"), x="year") == "cross_section"   # one year each
    assert "series" in plot_theme_trend(few, x="year").lawgov_table.columns
    boxes = plot_theme_trend(many, x="year").lawgov_table
    assert boxes.groupby("group")["n"].first().to_dict() == {"2021": style.MAX_SERIES + 1,
                                                               "2022": style.MAX_SERIES + 1}
    assert "series" in plot_theme_trend(many, x="year", mode="lines").lawgov_table.columns   # asked for: drawn
