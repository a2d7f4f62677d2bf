"""Written summaries and the corpus design they adapt to (present/summary), on hand-countable tables."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_analysis.present.summary import (
    PER_REPORT_LIMIT,
    corpus_design,
    describe_corpus,
    describe_lengths,
    describe_metrics,
    metadata_completeness,
)


def _corpus(rows):
    return pd.DataFrame(rows, columns=["doc_id", "region", "region_code", "city", "province", "level",
                                       "department", "year", "chars"])


PANEL = _corpus([("a19", "安县", "", "示例市", "江西省", "县", "", 2019, 100),
                 ("a20", "安县", "", "示例市", "江西省", "县", "", 2020, 300),
                 ("b20", "北区", "", "示例市", "江西省", "区", "", 2020, 200),
                 ("b21", "北区", "", "示例市", "江西省", "区", "", 2021, 400)])


@pytest.mark.parametrize("rows, design, governments, series", [
    ([], "empty", 0, 0),
    ([("a19", "安县", "", "示例市", "江西省", "县", "", 2019, 100)], "single", 1, 0),
    ([("a19", "安县", "", "示例市", "江西省", "县", "", 2019, 100),
      ("b19", "北区", "", "示例市", "江西省", "区", "", 2019, 100)], "cross-section", 2, 0),
    (PANEL.values.tolist(), "panel", 2, 2),
    (PANEL.values.tolist() + [("c21", "东县", "", "示例市", "江西省", "县", "", 2021, 50)], "mixed", 3, 2),
])
def test_corpus_design(rows, design, governments, series):
    d = corpus_design(_corpus(rows))
    assert (d["design"], d["governments"], d["series"]) == (design, governments, series)
    assert d["per_report"] == (len(rows) <= PER_REPORT_LIMIT)


def test_a_coded_and_an_uncoded_report_of_one_government_are_one_series():
    rows = [("a19", "安县", "360999", "示例市", "江西省", "县", "", 2019, 100),
            ("a20", "安县", "", "示例市", "江西省", "县", "", 2020, 100)]
    assert corpus_design(_corpus(rows))["design"] == "panel"


def test_reports_without_a_region_are_not_a_government():
    rows = [("x", "", "", "", "", "县", "", 2019, 10), ("y", "", "", "", "", "县", "", 2020, 10)]
    d = corpus_design(_corpus(rows))
    assert (d["governments"], d["unknown_government"], d["design"]) == (0, 2, "cross-section")


def test_metadata_completeness_counts_and_names_the_gaps():
    table = PANEL.assign(year=[2019, None, 2020, None], region=["安县", "", "北区", "北区"])
    got = metadata_completeness(table, fields=("region", "year", "level"))
    assert got.to_dict("records") == [
        {"field": "region", "missing": 1, "reports": 4, "share_missing": 0.25, "examples": "a20"},
        {"field": "year", "missing": 2, "reports": 4, "share_missing": 0.5, "examples": "a20、b21"},
        {"field": "level", "missing": 0, "reports": 4, "share_missing": 0.0, "examples": ""},
    ]


def test_describe_corpus_says_design_levels_years_and_gaps():
    text = describe_corpus(PANEL)
    assert text.startswith("4 reports from 2 identified governments; levels 区 2, 县 2; 1 province; years 2019–2021.")
    assert "Every government has reports in several years (2 series)" in text
    ingest = pd.DataFrame({"path": ["a", "b", "m"], "status": ["loaded", "skipped", "skipped"],
                           "reason": ["", "empty file", "manifest, not a report"]})
    assert "1 of 2 files were not loaded" in describe_corpus(PANEL, ingest)
    gaps = describe_corpus(PANEL.assign(year=[2019, None, 2020, 2021]))
    assert "Metadata gaps: 4 lack region_code, 1 lack year —" in gaps and "lawgov-analysis manifest PATH" in gaps
    assert "1 of 2 governments have reports in several years" in gaps
    assert describe_corpus(_corpus([])) == "The corpus holds no report."


def test_describe_lengths_names_the_shortest_and_longest():
    text = describe_lengths(PANEL)
    assert text.startswith("Reports have 250 characters at the median (from 100,")
    assert "to 400," in text


METRICS = pd.DataFrame({"doc_id": ["a19", "a19", "a20", "b20", "b21", "b21"],
                        "indicator_id": ["disputes", "other", "disputes", None, "reviews", "other"]})
HEADLINES = pd.DataFrame({"doc_id": ["a19", "a20", "b20", "a19", "b21", "a20"],
                          "indicator_id": ["disputes", "disputes", "disputes", "reviews", "reviews", "reviews"],
                          "unit": ["件", "件", "件", "件", "次", None]})
AUDIT = pd.DataFrame({"severity": ["error", "info", "info"]})


@pytest.mark.parametrize("categories", [False, True])
def test_describe_metrics_counts_ids_pairs_and_findings(categories):
    # a missing id is not "other"; a panel row without a unit is a headline value but no indicator × unit pair;
    # ties keep the text order (件 U+4EF6 before 次 U+6B21); plain strings and categories read the same
    metrics, panel = (METRICS.astype("category"), HEADLINES.astype("category")) if categories else (METRICS,
                                                                                                    HEADLINES)
    assert describe_metrics(metrics, panel, PANEL, AUDIT) == (
        "6 numbers cited in 4 reports; 4 carry a canonical indicator; the indicator panel holds 6 headline values "
        "for 3 indicator × unit pairs; most widely reported: disputes (件) in 3 of 4, reviews (件) in 1 of 4, "
        "reviews (次) in 1 of 4; audit: 2 info, 1 error.")
    assert describe_metrics(metrics.iloc[:0], None, PANEL.iloc[:1]) == (
        "0 numbers cited in 1 report; 0 carry a canonical indicator.")


def test_describe_metrics_counts_two_pairs_written_alike_as_one():
    panel = pd.DataFrame({"doc_id": ["a19", "a20", "b20"], "indicator_id": ["a (b", "a", "a"],
                          "unit": ["c", "b (c", "b (c"]})
    assert describe_metrics(METRICS, panel, PANEL).endswith(
        "the indicator panel holds 3 headline values for 1 indicator × unit pairs; most widely reported: "
        "a (b (c) in 3 of 4.")
