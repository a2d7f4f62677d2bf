"""Tables for reading: escaped, text left and numbers right, rounded, no Python reprs."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.present.display import (
    decimals_for,
    format_table,
    format_value,
    show_table,
    table_html,
    table_text,
)


class _Cells(HTMLParser):
    """(tag, style, text) of every th/td of a table."""

    def __init__(self):
        super().__init__()
        self.cells, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td"):
            self._open = [tag, dict(attrs).get("style", ""), ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[2] += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._open is not None:
            self.cells.append(tuple(self._open))
            self._open = None


def cells(markup: str) -> list[tuple[str, str, str]]:
    parser = _Cells()
    parser.feed(markup)
    return parser.cells


@pytest.mark.parametrize("value, expected", [
    (np.int64(2021), "2021"),
    (pd.NA, ""),
    (None, ""),
    (float("nan"), ""),
    (2.266233e-17, "0"),
    (-1e-12, "0"),
    (15.11234, "15.1"),
    (0.0062, "0.0062"),
    (3.0, "3"),
    (np.float64(97.4567), "97.5"),
    (("sweep.",), "sweep."),
    (("普法", "宣传"), "普法、宣传"),
    (["a", "b"], "a, b"),
    (np.bool_(True), "True"),
    (pd.Timestamp("2021-03-01"), "2021-03-01"),
    ("  keep  spaces ", "  keep  spaces "),
])
def test_format_value(value, expected):
    assert format_value(value) == expected


def test_decimals_per_column():
    assert decimals_for([15.11, 0.5]) == 1
    assert decimals_for([0.12, 2.266233e-17]) == 3
    assert decimals_for([2021.0, 3.0]) == 0
    assert decimals_for([1234.5]) == 0
    assert decimals_for([]) == 0


def test_format_table_rounds_columns_and_flags_numbers():
    df = pd.DataFrame({"term": ["普法", "法治"], "count": np.array([9, 12], dtype="int64"),
                       "share": [0.00623, 0.1], "coherence_sd": [0.12, 2.266233e-17],
                       "year": pd.array([2021, None], dtype="Int64"), "terms": [("a",), ("普法", "宣传")]})
    table, numeric = format_table(df)
    assert numeric == [False, True, True, True, True, False]
    assert table.to_dict("list") == {
        "term": ["普法", "法治"], "count": ["9", "12"], "share": ["0.006", "0.100"],
        "coherence_sd": ["0.120", "0"], "year": ["2021", ""], "terms": ["a", "普法、宣传"]}


def test_table_html_alignment_escaping_and_no_reprs():
    df = pd.DataFrame({"doc_id": ["changjiang-2021"], "year": [np.int64(2021)],
                       "text": ["<script>alert(1)</script> 全年共受理各类诉讼案件4860件"],
                       "themes": [("sweep.",)], "sd": [2.266233e-17], "p": [0.123456789]})
    markup = table_html(df, caption="<b>结果</b>")
    assert "np.int64(" not in markup and "e-17" not in markup and "('sweep.',)" not in markup
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "&lt;b&gt;结果&lt;/b&gt;" in markup
    parsed = cells(markup)
    heads = {text: style for tag, style, text in parsed if tag == "th"}
    assert heads["doc_id"].endswith("left;") and heads["text"].endswith("left;")
    assert heads["year"].endswith("right;") and heads["p"].endswith("right;")
    body = [(text, style) for tag, style, text in parsed if tag == "td"]
    assert body == [("changjiang-2021", 'text-align: left;'), ("2021", 'text-align: right;'),
                    ("<script>alert(1)</script> 全年共受理各类诉讼案件4860件", 'text-align: left;'),
                    ("sweep.", 'text-align: left;'), ("0", 'text-align: right;'),
                    ("0.123", 'text-align: right;')]


def test_rows_truncation_index_and_text_repr():
    df = pd.DataFrame({"a": range(5), "b": ["x" * 30] * 5}, index=pd.Index(list("vwxyz"), name="k"))
    markup = table_html(df, max_rows=2, max_colwidth=10, index=True)
    assert "… 3 more rows of 5" in markup
    assert [t for tag, _, t in cells(markup) if tag == "th"] == ["k", "a", "b"]
    assert "xxxxxxxxx…" in markup
    text = table_text(pd.DataFrame({"词": ["普法", "法治政府"], "n": [3, 12]}))
    assert text.splitlines() == ["词         n", "普法       3", "法治政府  12"]
    shown = show_table(pd.DataFrame({"v": [np.int64(7)]}))
    assert shown is not None and repr(shown) == "v\n7" and "<td" in shown._repr_html_()
    with pytest.raises(TypeError, match="DataFrame"):
        table_html([1, 2])
