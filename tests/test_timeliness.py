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

from .conftest import log_records


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


def test_days_after_deadline_on_a_multi_year_corpus():
    corpus = pd.DataFrame({
        "doc_id": ["a-2020", "a-2021", "b-2021", "c-2021", "d", "e-2022"],
        "year": pd.array([2020, 2021, 2021, 2021, None, 2022], dtype="Int64"),
        "published": ["2021-03-31", "2022-04-01", "2022年1月10日", "", "2022-03-01", "soon"],
        "level": ["市", "市", "县", "县", "区", "区"],
    })
    with log_records("lawgov_analysis.io.timeliness", logging.WARNING) as records:
        out = publication_timeliness(corpus)
    assert out["days_after_deadline"].tolist() == [0, 1, -80, pd.NA, pd.NA, pd.NA]
    assert out["publication_deadline"].dt.strftime("%Y-%m-%d").fillna("").tolist() == \
        ["2021-03-31", "2022-03-31", "2022-03-31", "2022-03-31", "", "2023-03-31"]
    assert out["published"].isna().tolist() == [False, False, False, True, False, True]
    assert list(out.columns[:4]) == ["doc_id", "year", "published", "level"]
    assert ["e-2022: published 'soon' is not a date; left empty"] == [r.getMessage() for r in records]
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


# ------------------------------------------------------------------ the manifest's published column, end to end
@pytest.mark.parametrize("cell, iso", [
    ("2022-03-30", "2022-03-30"),
    ("2022年3月30日", "2022-03-30"),
    ("2022/3/30", "2022-03-30"),
    (" 2022.3.30 10:05 ", "2022-03-30"),
    ("44650", "2022-03-30"),          # an Excel day number: a date cell whose format was lost
    ("44650.4375", "2022-03-30"),     # … with a time of day
    (dt.datetime(2022, 3, 30, 9, 0), "2022-03-30"),
    ("", ""),
])
def test_manifest_published(cell, iso):
    from lawgov_analysis.io.manifest import manifest_published

    assert manifest_published(cell) == iso


@pytest.mark.parametrize("cell", ["soon", "2022-02-30", "12345", "3/30/2022"])
def test_manifest_published_rejects(cell):
    from lawgov_analysis.io.manifest import manifest_published

    with pytest.raises(ValueError, match="is not a date"):
        manifest_published(cell)


def _dated_panel(folder, dates):
    from tests.corpus_factory import write_corpus

    write_corpus("panel", folder, size=len(dates))
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    manifest["published"] = dates[: len(manifest)]
    return manifest


def test_load_corpus_carries_published_and_days_after_deadline(tmp_path):
    from lawgov_analysis.io.corpus import CORPUS_COLUMNS, load_corpus

    manifest = _dated_panel(tmp_path, ["2020年3月30日", "2021/4/2", "", "next spring", "2023-03-31", "2020-01-01"])
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    with log_records("lawgov_analysis.io.corpus", logging.WARNING) as records:
        corpus, account = load_corpus(tmp_path, report=True)
    assert list(corpus.columns) == CORPUS_COLUMNS
    got = corpus.set_index("doc_id").loc[manifest["doc_id"]]
    assert got["published"].dt.strftime("%Y-%m-%d").fillna("").tolist() == \
        ["2020-03-30", "2021-04-02", "", "", "2023-03-31", "2020-01-01"]
    years = manifest["year"].astype(int).tolist()
    assert got["publication_deadline"].tolist() == [pd.Timestamp(y + 1, 3, 31) for y in years]
    expected = [(pd.Timestamp(d) - pd.Timestamp(y + 1, 3, 31)).days if d else pd.NA
                for d, y in zip(["2020-03-30", "2021-04-02", "", "", "2023-03-31", "2020-01-01"], years)]
    assert got["days_after_deadline"].tolist() == expected
    assert str(corpus["days_after_deadline"].dtype) == "Int64"
    # the unreadable cell: a warning row naming the manifest row (the 4th data row is spreadsheet row 5),
    # the column and the value; the report still loads
    row = manifest.index[3]
    warnings = account[account["status"] == "warning"]
    assert warnings["reason"].tolist() == \
        [f"manifest row {row + 2}, published 'next spring' is not a date (2022-03-30, 2022/3/30 or 2022年3月30日); "
         "left empty"]
    assert warnings["doc_id"].tolist() == [manifest.loc[row, "doc_id"]]
    assert manifest.loc[row, "doc_id"] in set(corpus["doc_id"])
    assert any("next spring" in r.getMessage() for r in records)
    # the panel carries them as metadata, long and wide
    from lawgov_analysis.measures.metrics import extract_metrics
    from lawgov_analysis.measures.panel import META_COLUMNS, panel

    wide = panel(extract_metrics(corpus), corpus, wide=True).set_index("doc_id").loc[manifest["doc_id"]]
    assert {"published", "days_after_deadline"} <= set(META_COLUMNS)
    assert wide["published"].tolist() == got["published"].tolist()
    assert wide["days_after_deadline"].tolist() == expected


def test_xlsx_manifest_date_cells(tmp_path):
    import openpyxl

    from lawgov_analysis.io.corpus import load_corpus

    manifest = _dated_panel(tmp_path, ["", "", ""])
    (tmp_path / "manifest.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(manifest.columns))
    cells = [dt.datetime(2021, 3, 15), 44651, "2023年4月9日"]   # a date cell, a bare day number, text
    for values, cell in zip(manifest.to_numpy().tolist(), cells):
        sheet.append(values[:-1] + [cell])
    sheet.cell(row=2, column=len(manifest.columns)).number_format = "yyyy-mm-dd"
    book.save(tmp_path / "manifest.xlsx")
    corpus = load_corpus(tmp_path).set_index("doc_id").loc[manifest["doc_id"]]
    assert corpus["published"].dt.strftime("%Y-%m-%d").tolist() == ["2021-03-15", "2022-03-31", "2023-04-09"]


def test_written_manifest_keeps_published(tmp_path):
    from lawgov_analysis.io.manifest import MANIFEST_OUT_COLUMNS, build_manifest

    manifest = _dated_panel(tmp_path, ["2020-03-30", "", "2022年1月5日"])
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    built = build_manifest(tmp_path)
    assert list(built.columns) == MANIFEST_OUT_COLUMNS
    assert built.set_index("doc_id").loc[manifest["doc_id"], "published"].tolist() == \
        ["2020-03-30", "", "2022-01-05"]


def test_overview_page_shows_the_timeliness_figure(tmp_path):
    """A 3-report corpus whose manifest has publication dates: page 01 draws the figure and its table."""
    from lawgov_analysis.core.config import notebooks_dir
    from lawgov_analysis.report.build import build_report

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    manifest = _dated_panel(corpus, ["2020-04-10", "2021年3月1日", "2022/3/31"])
    manifest.to_csv(corpus / "manifest.csv", index=False)
    index = build_report(corpus, tmp_path / "html", notebooks=[notebooks_dir() / "01_corpus_overview.ipynb"])
    out = index.parent
    page = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert "No publication date for any of the 3 reports" not in page   # the printed fallback (not the code)
    assert "share_on_time" in page                                      # the per-year table's output
    figures = sorted(p.name for p in (out / "figures").glob("01_publication_timeliness.*"))
    assert figures == ["01_publication_timeliness.csv", "01_publication_timeliness.png",
                       "01_publication_timeliness.svg"]
    drawn = pd.read_csv(out / "figures" / "01_publication_timeliness.csv", encoding="utf-8-sig")
    assert len(drawn) == 3
    assert sorted(drawn["days_after_deadline"]) == sorted(
        (pd.Timestamp(d) - pd.Timestamp(int(y) + 1, 3, 31)).days
        for d, y in zip(["2020-04-10", "2021-03-01", "2022-03-31"], manifest["year"]))
