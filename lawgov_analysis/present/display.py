"""Show tables of report text in notebooks and HTML: escaped, aligned and rounded for reading.

Report text is data, not markup: a KWIC line or sentence containing ``<script>`` must appear as the
characters ``<script>``, never run. :func:`show_table` renders a DataFrame as escaped HTML for notebooks (and
for the HTML the ``report`` build exports); :func:`table_html` returns the same HTML as a string.

Cells are written for a reader, not as Python reprs (:func:`format_value`): integers plainly (``2021``, never
``np.int64(2021)``), floats rounded to a few significant decimals per column (``15.1``, ``0.0062``; values that
round to nothing as ``0``, not ``2.266233e-17``), tuples and lists joined as text (``普法、宣传``), missing
values empty. Text columns are left-aligned and numeric columns right-aligned.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import numbers
import re

import numpy as np
import pandas as pd

#: Most decimals a float is shown with.
MAX_DECIMALS = 6

#: Significant digits kept for a column's largest absolute value.
SIGNIFICANT = 3

_CJK = re.compile(r"[\u3400-\u9fff]")


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return False


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool | np.bool_)


def decimals_for(values) -> int:
    """Decimals that show a column of floats with :data:`SIGNIFICANT` significant digits at its largest value.

    Integral columns get 0; ``[15.11, 0.5]`` gets 1; ``[0.12, 2.3e-17]`` gets 3; ``[0.0062, 0.001]`` gets 5.

    >>> decimals_for([15.11, 0.5]), decimals_for([0.12, 2.3e-17]), decimals_for([2021.0, 3.0])
    (1, 3, 0)
    """
    arr = np.array([float(v) for v in values if _is_number(v) and not _is_missing(v) and math.isfinite(float(v))])
    if not arr.size or np.all(arr == np.round(arr)):
        return 0
    biggest = float(np.max(np.abs(arr)))
    digits = SIGNIFICANT - 1 - math.floor(math.log10(biggest)) if biggest > 0 else 0
    return int(min(MAX_DECIMALS, max(0, digits)))


def format_value(value, decimals: int | None = None) -> str:
    """One cell as reading text.

    Parameters
    ----------
    value
        Any cell: number, text, tuple/list/set, dict, date, missing.
    decimals : int, optional
        Decimals for a float (default: :func:`decimals_for` of the value alone).

    >>> [format_value(v) for v in (np.int64(2021), 2.266233e-17, 15.1123, ("普法", "宣传"), None, True)]
    ['2021', '0', '15.1', '普法、宣传', '', 'True']
    """
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Series):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        parts = [format_value(v) for v in items if not _is_missing(v)]
        sep = "、" if any(_CJK.search(p) for p in parts) else ", "
        return sep.join(p for p in parts if p)
    if isinstance(value, dict):
        return "; ".join(f"{format_value(k)}: {format_value(v)}" for k, v in value.items())
    if _is_missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isinf(x):
            return "∞" if x > 0 else "-∞"
        text = f"{x:.{decimals_for([x]) if decimals is None else decimals}f}"
        if float(text) == 0:
            return "0"
        if decimals is None and "." in text:  # a value alone: no trailing zeros
            text = text.rstrip("0").rstrip(".")
        return text
    if isinstance(value, pd.Timestamp | _dt.datetime):
        return value.isoformat(sep=" ") if (value.hour, value.minute, value.second) != (0, 0, 0) \
            else value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _numeric_column(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    present = [v for v in values if not _is_missing(v)]
    return bool(present) and all(_is_number(v) for v in present)


def format_table(df: pd.DataFrame, *, index: bool = False) -> tuple[pd.DataFrame, list[bool]]:
    """The cells of ``df`` as reading text, and which columns are numeric (right-aligned).

    Floats are rounded per column (:func:`decimals_for` of the column), so a column's numbers line up;
    other cells go through :func:`format_value`.

    Returns
    -------
    (pandas.DataFrame, list of bool)
        A table of strings with the same columns (the index as leading columns when ``index``), and one flag
        per column: True for numeric columns.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    data = df.reset_index() if index else df
    out, numeric = {}, []
    for i in range(data.shape[1]):
        col = data.iloc[:, i]
        is_num = _numeric_column(col)
        floats = [v for v in col if isinstance(v, float | np.floating) and not _is_missing(v)]
        d = decimals_for(floats) if floats else None
        out[i] = [format_value(v, d if isinstance(v, float | np.floating) else None) for v in col]
        numeric.append(is_num)
    table = pd.DataFrame(out, index=range(len(data)))
    table.columns = [format_value(c) for c in data.columns]
    return table, numeric


def _truncate(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return text[: max(1, width - 1)] + "…"


def table_html(df: pd.DataFrame, *, max_rows: int | None = 50, max_colwidth: int | None = None,
               index: bool = False, caption: str | None = None) -> str:
    """Escaped HTML ``<table>`` of ``df``: text left-aligned, numbers right-aligned and rounded.

    Parameters
    ----------
    df : DataFrame
        Any table, e.g. KWIC lines (``doc_id, sentence_id, left, keyword, right``) or theme sentences.
    max_rows : int or None
        Show the first ``max_rows`` rows and a note with the number left out; ``None`` shows every row.
    max_colwidth : int or None
        Truncate long cells to this many characters (``None``: full sentences).
    index : bool
        Include the DataFrame index (as leading columns).
    caption : str, optional
        A caption above the table (escaped too).

    Returns
    -------
    str
        ``<table class="dataframe lawgov-table">…</table>``, preceded by the caption and followed by a note of
        hidden rows when there are any. Every cell, column name and index label is escaped; each cell carries
        its alignment (``text-align: left`` or ``right``) so that notebook style sheets cannot override it.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    shown = df if max_rows is None else df.head(max_rows)
    cells, numeric = format_table(shown, index=index)
    align = ['style="text-align: right;"' if n else 'style="text-align: left;"' for n in numeric]
    lines = ['<table border="0" class="dataframe lawgov-table">', "  <thead>", '    <tr>']
    for name, a in zip(cells.columns, align):
        lines.append(f"      <th {a}>{html.escape(_truncate(name, max_colwidth))}</th>")
    lines += ["    </tr>", "  </thead>", "  <tbody>"]
    for row in cells.itertuples(index=False):
        lines.append("    <tr>")
        for value, a in zip(row, align):
            lines.append(f"      <td {a}>{html.escape(_truncate(value, max_colwidth))}</td>")
        lines.append("    </tr>")
    lines += ["  </tbody>", "</table>"]
    parts = []
    if caption:
        parts.append(f"<p><strong>{html.escape(caption)}</strong></p>")
    parts.append("\n".join(lines))
    if max_rows is not None and len(df) > max_rows:
        parts.append(f"<p><em>… {len(df) - max_rows} more rows of {len(df)}</em></p>")
    return "\n".join(parts)


def table_text(df: pd.DataFrame, *, max_rows: int | None = 50, index: bool = False) -> str:
    """Plain-text table of ``df`` with the same cell formatting as :func:`table_html` (numbers right-aligned)."""
    shown = df if max_rows is None else df.head(max_rows)
    cells, numeric = format_table(shown, index=index)
    widths = [max([_width(c)] + [_width(v) for v in cells.iloc[:, i]]) for i, c in enumerate(cells.columns)]

    def pad(text, w, right):
        space = " " * (w - _width(text))
        return space + text if right else text + space

    rows = ["  ".join(pad(c, w, n) for c, w, n in zip(cells.columns, widths, numeric)).rstrip()]
    for r in cells.itertuples(index=False):
        rows.append("  ".join(pad(v, w, n) for v, w, n in zip(r, widths, numeric)).rstrip())
    if max_rows is not None and len(df) > max_rows:
        rows.append(f"… {len(df) - max_rows} more rows of {len(df)}")
    return "\n".join(rows)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class EscapedTable:
    """A table a notebook displays as escaped HTML (``_repr_html_``) and as plain text elsewhere."""

    def __init__(self, df: pd.DataFrame, **options):
        self.df = df
        self.html = table_html(df, **options)
        self._max_rows = options.get("max_rows", 50)
        self._index = options.get("index", False)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return table_text(self.df, max_rows=self._max_rows, index=self._index)


def _ipython_shell():
    """The running IPython shell (a notebook kernel), or ``None`` in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return None
    return get_ipython()


def show_table(df: pd.DataFrame, *, max_rows: int | None = 50, max_colwidth: int | None = None,
               index: bool = False, caption: str | None = None) -> EscapedTable | None:
    """Show ``df`` as escaped, aligned HTML: displayed at once in a notebook, returned elsewhere.

    In IPython the table is displayed where the call stands (so a cell can show several tables) and ``None``
    is returned; in plain Python the :class:`EscapedTable` is returned (``.html`` holds the markup). Options as
    in :func:`table_html`.

    Examples
    --------
    >>> show_table(pd.DataFrame({"text": ["<script>alert(1)</script>"]})).html  # doctest: +ELLIPSIS
    '<table ...&lt;script&gt;alert(1)&lt;/script&gt;...'
    """
    table = EscapedTable(df, max_rows=max_rows, max_colwidth=max_colwidth, index=index, caption=caption)
    if _ipython_shell() is None:
        return table
    from IPython.display import display

    display(table)
    return None


__all__ = ["show_table", "table_html", "table_text", "format_table", "format_value", "decimals_for",
           "EscapedTable"]
