"""The build's year-over-year stage reads only what the check can use: same rows as the check on whole tables."""

from __future__ import annotations

import pandas as pd
from pandas.testing import assert_frame_equal

from lawgov_analysis.measures.audit import year_over_year_checks
from lawgov_analysis.pipeline.catalog import Store
from lawgov_analysis.pipeline.runner import build_store
from lawgov_analysis.pipeline.stages import year_over_year_stage


def _report(region: str, year: int, body: str) -> str:
    return f"{region}{year}年法治政府建设工作情况报告\n一、总体情况\n{body}\n二、存在的问题\n执法水平有待提高。\n"


def _corpus() -> pd.DataFrame:
    rows = [
        ("anxian-2019", "安县", "510522", 2019, "全年共受理行政复议案件90件，办结88件。"),
        ("anxian-2020", "安县", "510522", 2020, "全年共受理行政复议案件110件，办结100件。"),
        ("anxian-2021", "安县", "510522", 2021, "全年共受理行政复议案件120件，同比增长9.1%，办结115件。"),
        ("beixian-2021", "北县", "510523", 2021, "全年共受理行政复议案件80件，同比下降20%。"),
        ("nanxian-2021", "南县", "510524", 2021, "全年共受理行政复议案件70件，办结70件。"),
    ]
    return pd.DataFrame({"doc_id": [r[0] for r in rows], "region": [r[1] for r in rows],
                         "region_code": [r[2] for r in rows], "level": "县",
                         "year": pd.array([r[3] for r in rows], dtype="Int64"),
                         "text": [_report(r[1], r[3], r[4]) for r in rows]})


def test_stage_equals_the_check_on_whole_tables(tmp_path):
    store = build_store(_corpus(), tmp_path / "store", n_jobs=1, progress=False)
    full = year_over_year_checks(store.table("metrics", categories=False), store.table("corpus", categories=False),
                                 changes=store.table("changes", categories=False))
    assert full["kind"].tolist() == ["year_over_year"]
    assert full["doc_id"].tolist() == ["anxian-2021"] and "anxian-2020: 110件" in full["evidence"].iloc[0]
    assert_frame_equal(year_over_year_stage(store=Store(store.path)), full)
    assert_frame_equal(store.table("audit_years", categories=False), full)


def test_stage_without_changes_reads_no_metric_row(tmp_path):
    corpus = _corpus()
    corpus = corpus[corpus["doc_id"].isin(["anxian-2019", "anxian-2020", "nanxian-2021"])]
    store = build_store(corpus, tmp_path / "store", n_jobs=1, progress=False)
    got = year_over_year_stage(store=store)
    full = year_over_year_checks(store.table("metrics", categories=False), store.table("corpus", categories=False),
                                 changes=store.table("changes", categories=False))
    assert got.empty and list(got.columns) == ["doc_id", "kind", "stated", "computed", "difference", "evidence",
                                               "severity"]
    assert_frame_equal(got, full)
