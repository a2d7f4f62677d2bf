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


# ------------------------------------------------------------------------------------------ interactive tables
_EXTERNAL = r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|import\s*\(?\s*["'](?:https?:)?//|url\(\s*["']?https?://"""


def _dt_args(page: str) -> list[dict]:
    """The DataTables arguments of every interactive table of a page."""
    import json
    import re

    out = []
    for block in re.findall(r"let dt_args = (\{.*?\n\s*\});", page, flags=re.S):
        out.append(json.loads(block))
    return out


def test_interactive_table_escapes_and_searches_every_row():
    import json
    import re

    from lawgov_analysis.present.display import interactive_table_html

    df = pd.DataFrame({"doc_id": ["a", "b"], "text": ["<script>alert(1)</script> 长江", "普法"],
                       "v": [15.1123, np.nan], "n": pd.array([3, None], dtype="Int64")})
    page, shown = interactive_table_html(df, table_id="t1")
    assert shown == 2
    (args,) = _dt_args(page)
    assert json.loads(args["data_json"]) == [["a", "&lt;script&gt;alert(1)&lt;/script&gt; 长江", "15.1", "3"],
                                             ["b", "普法", "", ""]]
    assert args["layout"]["topEnd"] == {"search": {"placeholder": "search all columns"}}  # search on small tables
    assert args["column_filters"] == "footer" and args["order"] == [] and args["lengthMenu"] == [10, 25, 50, 100]
    assert "<script>alert" not in page
    assert not re.search(_EXTERNAL, page, flags=re.I) and "https://" not in page
    assert "t1_fallback" not in page and 'hidden="hidden"' not in page


def test_interactive_table_keeps_leading_rows_within_the_byte_bound():
    from lawgov_analysis.present.display import interactive_table_html

    df = pd.DataFrame({"doc_id": [f"d{i:05d}" for i in range(5000)], "text": ["法治政府建设年度报告" * 3] * 5000})
    page, shown = interactive_table_html(df, max_bytes=100_000)
    assert 100 < shown < 5000 and len(page.encode()) <= 100_000
    (args,) = _dt_args(page)
    import json

    rows = json.loads(args["data_json"])
    assert len(rows) == shown and rows[0][0] == "d00000" and rows[-1][0] == f"d{shown - 1:05d}"
    whole, n = interactive_table_html(df.head(50), max_bytes=100_000)
    assert n == 50


def test_show_table_static_outside_ipython_writes_and_links_the_full_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    df = pd.DataFrame({"地区": ["长江市", "昌江区"], "n": [1, 2]})
    shown = show_table(df, name="01 reports", folder="tables", collapsed=True, caption="Reports")
    markup = shown._repr_html_()
    assert markup.startswith('<details class="lawgov-table"><summary><strong>Reports</strong> (2 rows)</summary>')
    assert '<a href="tables/01_reports.csv">CSV</a> · <a href="tables/01_reports.parquet">PARQUET</a>' in markup
    assert (tmp_path / "tables" / "01_reports.csv").read_bytes().startswith("\ufeff地区,n".encode())
    assert pd.read_parquet(tmp_path / "tables" / "01_reports.parquet").equals(df)


def _run_notebook(tmp_path, cells: list[str]) -> str:
    """Execute a notebook of ``cells`` in a kernel of this interpreter (as ``report`` does) and export it as
    the report's HTML page."""
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from lawgov_analysis.report.execute import notebook_html, strip_volatile

    nb = new_notebook(cells=[new_markdown_cell("# 表格")] + [new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    nbformat.validate(nb)
    return notebook_html(strip_volatile(nb), title="表格")


@pytest.mark.slow
def test_pages_hold_searchable_sortable_tables_without_external_urls(tmp_path):
    import re

    page = _run_notebook(tmp_path, [
        "import pandas as pd\nfrom lawgov_analysis.present import display as d\nfrom lawgov_analysis.present.display "
        "import show_table\nd.PAGE_TABLE_BYTES = 150_000\nd.TABLE_MAX_BYTES = 100_000\nd.TABLE_MIN_BYTES = 20_000",
        "show_table(pd.DataFrame({'sentence': ['<script>alert(1)</script> 普法宣传'], 'n': [1]}), caption='短')",
        "big = pd.DataFrame({'doc_id': [f'd{i:05d}' for i in range(4000)], 'text': ['法治政府建设年度报告' * 3] * 4000})\n"
        "show_table(big, name='big', folder='tables', collapsed=True, caption='长表')\n"
        "show_table(big, name='big2', folder='tables')",
    ])
    assert page.count("window._itables_") >= 2 and page.count("injectModule(") == 2  # the loader, once
    args = _dt_args(page)
    assert len(args) == 3 and all(a["column_filters"] == "footer" and "search" in a["layout"]["topEnd"]
                                  for a in args)
    import json

    assert json.loads(args[0]["data_json"]) == [["&lt;script&gt;alert(1)&lt;/script&gt; 普法宣传", "1"]]
    assert "<script>alert" not in page
    assert not re.search(_EXTERNAL, page, flags=re.I)
    assert re.search(r'<details class="lawgov-table"><summary><strong>长表</strong> \(4,000 rows\)</summary>', page)
    shown = [int(m.replace(",", "")) for m in re.findall(r"Showing the first ([\d,]+) of 4,000 rows", page)]
    assert len(shown) == 2 and shown[0] > shown[1] >= 1  # the second table gets what the page budget has left
    assert '<a href="tables/big.csv">CSV</a> · <a href="tables/big.parquet">PARQUET</a>' in page
    assert len(pd.read_csv(tmp_path / "tables" / "big.csv", encoding="utf-8-sig")) == 4000
    assert len(page.encode()) < 2_000_000


def test_index_lists_the_full_tables(tmp_path):
    from lawgov_analysis.report.build import tables_html

    (tmp_path / "01_reports.csv").write_text("\ufeffdoc_id\n", encoding="utf-8")
    (tmp_path / "01_reports.parquet").write_bytes(b"")
    (tmp_path / "07_panel.csv").write_text("\ufeffdoc_id\n", encoding="utf-8")
    (tmp_path / "02_top_terms.parquet").write_bytes(b"")     # longer than a spreadsheet: Parquet only
    (tmp_path / "notes.txt").write_text("not a table", encoding="utf-8")
    block = tables_html(sorted(tmp_path.glob("*.*")))
    assert block.startswith("<h2>Tables</h2>")
    assert ('<li><code>01_reports</code> — <a href="tables/01_reports.csv">CSV</a> · '
            '<a href="tables/01_reports.parquet">Parquet</a></li>') in block
    assert '<li><code>07_panel</code> — <a href="tables/07_panel.csv">CSV</a></li>' in block
    assert '<li><code>02_top_terms</code> — <a href="tables/02_top_terms.parquet">Parquet</a></li>' in block
    assert block.index("01_reports") < block.index("02_top_terms") < block.index("07_panel")
    assert "notes" not in block
    assert tables_html([]) == "" and tables_html([tmp_path / "notes.txt"]) == ""
