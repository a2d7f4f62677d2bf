"""Publication timeliness (io/timeliness.py): dates against 31 March of the following year."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import pytest

from lawgov_analysis.io.timeliness import (
    parse_published,
    publication_deadline,
    publication_timeliness,
    timeliness_summary,
)


@pytest.mark.parametrize("cell, date", [
    ("2022-03-31", dt.date(2022, 3, 31)),
    ("2022/4/1", dt.date(2022, 4, 1)),
    ("2022年3月1日", dt.date(2022, 3, 1)),
    ("发布时间：2022.01.05 09:30", dt.date(2022, 1, 5)),
    (pd.Timestamp("2023-02-28 17:00"), dt.date(2023, 2, 28)),
    ("2022-02-30", None),
    ("", None),
    (None, None),
    (float("nan"), None),
])
def test_parse_published(cell, date):
    assert parse_published(cell) == date


def test_deadline_is_31_march_of_the_next_year():
    assert publication_deadline(2019) == dt.date(2020, 3, 31)


def test_days_after_deadline_on_a_multi_year_corpus(caplog):
    corpus = pd.DataFrame({
        "doc_id": ["a-2020", "a-2021", "b-2021", "c-2021", "d", "e-2022"],
        "year": pd.array([2020, 2021, 2021, 2021, None, 2022], dtype="Int64"),
        "published": ["2021-03-31", "2022-04-01", "2022年1月10日", "", "2022-03-01", "soon"],
        "level": ["市", "市", "县", "县", "区", "区"],
    })
    with caplog.at_level(logging.WARNING, logger="lawgov_analysis.io.timeliness"):
        out = publication_timeliness(corpus)
    assert out["days_after_deadline"].tolist() == [0, 1, -80, pd.NA, pd.NA, pd.NA]
    assert out["publication_deadline"].dt.strftime("%Y-%m-%d").fillna("").tolist() == \
        ["2021-03-31", "2022-03-31", "2022-03-31", "2022-03-31", "", "2023-03-31"]
    assert out["published"].isna().tolist() == [False, False, False, True, False, True]
    assert list(out.columns[:4]) == ["doc_id", "year", "published", "level"]
    assert ["e-2022: published 'soon' is not a date; left empty"] == [r.getMessage() for r in caplog.records]
    summary = timeliness_summary(out)
    assert summary.drop(columns=["share_on_time", "median_days"]).to_dict("list") == {
        "year": ["(未填)", "2020", "2021", "2022"], "reports": [1, 1, 3, 1], "dated": [0, 1, 2, 0],
        "on_time": [0, 1, 1, 0], "late": [0, 0, 1, 0]}
    assert summary["share_on_time"].fillna(-1).tolist() == [-1, 1.0, 0.5, -1]
    assert summary["median_days"].fillna(-1).tolist() == [-1, 0.0, -39.5, -1]


def test_without_a_published_column_every_date_is_missing():
    out = publication_timeliness(pd.DataFrame({"doc_id": ["a"], "year": [2021]}))
    assert out["published"].isna().all() and out["days_after_deadline"].isna().all()
    assert out["publication_deadline"].iloc[0] == pd.Timestamp("2022-03-31")


def test_summary_rejects_an_unknown_column():
    with pytest.raises(ValueError, match="by must be a column of the table, got 'nope'"):
        timeliness_summary(publication_timeliness(pd.DataFrame({"doc_id": ["a"], "year": [2021]})), by="nope")
