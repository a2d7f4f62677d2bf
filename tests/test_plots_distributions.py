"""Distributions by group: lumped groups, missing values, n per group."""

from __future__ import annotations

import pandas as pd

from lawgov_analysis.present.plots import plot_distribution, plot_theme_heatmap


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


def test_many_points_are_an_image_inside_the_svg_and_stable(tmp_path):
    # 100,000 reports as vector dots made a 100 MB SVG; above RASTER_POINTS a group's points are one image
    from lawgov_analysis.present.save import save_figure
    from lawgov_analysis.present.style import RASTER_POINTS

    n = RASTER_POINTS * 3
    table = pd.DataFrame({"doc_id": [f"d{i:05d}" for i in range(n + 40)],
                          "level": ["县"] * n + ["市"] * 40,
                          "chars": [1000 + (7919 * i) % 5000 for i in range(n + 40)]})
    fig = plot_distribution(table, value="chars", by="level")
    points = [c for c in fig.axes[0].collections if len(c.get_offsets()) > 1]
    assert sorted((len(c.get_offsets()), c.get_rasterized()) for c in points) == [(40, False), (n, True)]
    first = save_figure(fig, "many", tmp_path / "a", formats=("svg",))
    again = save_figure(plot_distribution(table, value="chars", by="level"), "many", tmp_path / "b",
                        formats=("svg",))
    svg = [p for p in first if p.suffix == ".svg"][0]
    assert svg.stat().st_size < 400_000
    assert b"<image" in svg.read_bytes()
    assert svg.read_bytes() == [p for p in again if p.suffix == ".svg"][0].read_bytes()


def test_large_figure_table_is_parquet_and_large_page_table_has_no_csv(tmp_path, monkeypatch):
    from lawgov_analysis.io import export
    from lawgov_analysis.present.display import save_full_table
    from lawgov_analysis.present.save import save_figure

    monkeypatch.setattr(export, "MAX_CSV_ROWS", 30)
    table = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(40)], "level": ["县", "市"] * 20,
                          "chars": range(1000, 1040)})
    small = save_figure(plot_distribution(table.head(30), value="chars", by="level"), "small", tmp_path,
                        formats=("png",))
    big = save_figure(plot_distribution(table, value="chars", by="level"), "big", tmp_path, formats=("png",))
    assert [p.name for p in small] == ["small.png", "small.csv"]
    assert [p.name for p in big] == ["big.png", "big.parquet"]
    assert len(pd.read_parquet(big[1])) == 40
    assert save_full_table(table.head(30), "t30", tmp_path) == [f"{tmp_path.as_posix()}/t30.csv",
                                                                f"{tmp_path.as_posix()}/t30.parquet"]
    assert save_full_table(table, "t40", tmp_path) == [f"{tmp_path.as_posix()}/t40.parquet"]
