"""Show tables of report text in notebooks and HTML: escaped, aligned and rounded for reading.

Report text is data, not markup: a KWIC line or sentence containing ``<script>`` must appear as the
characters ``<script>``, never run. :func:`show_table` renders a DataFrame as escaped HTML for notebooks (and
for the HTML the ``report`` build exports); :func:`table_html` returns the same HTML as a string.

Cells are written for a reader, not as Python reprs (:func:`format_value`): integers plainly (``2021``, never
``np.int64(2021)``), floats rounded to a few significant decimals per column (``15.1``, ``0.0062``; values that
round to nothing as ``0``, not ``2.266233e-17``), tuples and lists joined as text (``普法、宣传``), missing
values empty. Text columns are left-aligned and numeric columns right-aligned.

**Interactive tables.** In a notebook (and so in the pages ``lawgov-analysis report`` builds) :func:`show_table`
shows an interactive table (:func:`interactive_table_html`, `itables <https://mwouts.github.io/itables/>`_ in
offline mode): search box, click-to-sort headers, a filter box under every column, pages of 10–100 rows. The
DataTables code is embedded once per page by the first table (no CDN: a page works without a network). Cells are
escaped (report text is data, never markup). Each table holds all its rows up to a size bound
(:data:`TABLE_MAX_BYTES` per table, :data:`PAGE_TABLE_BYTES` for all tables of a page), which keeps a page under
5 MB; beyond it the table shows its first rows and says so. Given ``name`` and ``folder``, the full table is
also written beside the page (``<folder>/<name>.csv`` — UTF-8 with BOM for Excel — and ``.parquet``) and linked
under the table. ``collapsed=True`` puts a reference table inside a closed ``<details>`` block.
"""

from __future__ import annotations

import datetime as _dt
import html
import logging
import math
import numbers
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

#: Most decimals a float is shown with.
MAX_DECIMALS = 6

#: Significant digits kept for a column's largest absolute value.
SIGNIFICANT = 3

#: Most bytes of HTML one interactive table may take (its rows beyond are left to the full table file).
TABLE_MAX_BYTES = 700_000
#: Most bytes all interactive tables of one page (one notebook kernel) may take together. A page also holds
#: about 0.3 MB of page style, 1 MB of embedded DataTables code and its figures (up to 1.5 MB measured on a
#: 600-report corpus), so 1.8 MB of tables keeps it under 5 MB.
PAGE_TABLE_BYTES = 1_800_000
#: Bytes a table always gets, even when the page's budget is spent (its first rows stay visible).
TABLE_MIN_BYTES = 30_000

log = logging.getLogger(__name__)

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

    Examples
    --------
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


def show_table(df: pd.DataFrame, *, max_rows: int | None = None, max_colwidth: int | None = None,
               index: bool = False, caption: str | None = None, name: str | None = None,
               folder: str | os.PathLike | None = None, collapsed: bool = False,
               interactive: bool | None = None) -> EscapedTable | InteractiveTable | None:
    """Show ``df``: an interactive table in a notebook, escaped static HTML elsewhere.

    Parameters
    ----------
    df : DataFrame
        Any table (KWIC lines, mentions, scores …). Cells are formatted by :func:`format_table` and escaped.
    max_rows : int or None
        Show at most this many rows. ``None``: every row up to the size bound in interactive mode (see the
        module docstring), 50 rows in the static table.
    max_colwidth : int or None
        Static table only: truncate long cells to this many characters.
    index : bool
        Include the DataFrame index as leading columns.
    caption : str, optional
        A title above the table (the ``<summary>`` line when ``collapsed``).
    name, folder : str and path, optional
        Write the full table to ``<folder>/<name>.csv`` and ``<folder>/<name>.parquet`` (``io.export``; Parquet
        only above :data:`~lawgov_analysis.io.export.MAX_CSV_ROWS` rows) and link them under the table; the
        links are ``folder`` as given, so pass it relative to the page (the report
        notebooks use ``tables`` beside their ``figures``).
    collapsed : bool
        Put the table in a closed ``<details>`` block (reference material a reader opens when needed).
    interactive : bool or None
        ``None`` (default): interactive when running in IPython (a notebook kernel), static otherwise.

    Returns
    -------
    None, EscapedTable or InteractiveTable
        In IPython the table is displayed where the call stands (so a cell can show several tables) and
        ``None`` is returned; elsewhere the table object is returned (``.html`` holds the markup).

    Examples
    --------
    >>> show_table(pd.DataFrame({"text": ["<script>alert(1)</script>"]})).html  # doctest: +ELLIPSIS
    '<table ...&lt;script&gt;alert(1)&lt;/script&gt;...'
    """
    shell = _ipython_shell()
    if interactive is None:
        interactive = shell is not None
    files = save_full_table(df, name, folder) if name and folder is not None else []
    if interactive:
        table = InteractiveTable(df, max_rows=max_rows, index=index, caption=caption, files=files,
                                 collapsed=collapsed)
    else:
        if files or collapsed:
            inner = table_html(df, max_rows=50 if max_rows is None else max_rows, max_colwidth=max_colwidth,
                               index=index, caption=None if collapsed else caption)
            table = EscapedTable(df, max_rows=50 if max_rows is None else max_rows, index=index)
            table.html = _wrap(inner, caption=caption, rows=len(df), files=files, collapsed=collapsed)
        else:
            table = EscapedTable(df, max_rows=50 if max_rows is None else max_rows, max_colwidth=max_colwidth,
                                 index=index, caption=caption)
    if shell is None:
        return table
    from IPython.display import display

    if interactive:
        _init_interactive(display)
    display(table)
    return None


# --------------------------------------------------------------------------------------------- interactive
_PAGE = {"initialized": False, "used": 0, "tables": 0}

# DataTables layout: the length menu and search box above, row count and pages below. Written out (not
# itables' default) so that itables keeps the search box on tables that fit one page.
_LAYOUT = {"topStart": "pageLength", "topEnd": {"search": {"placeholder": "search all columns"}},
           "bottomStart": "info", "bottomEnd": "paging"}
_ITABLE_OPTIONS = {"connected": False, "maxBytes": 0, "showIndex": False, "allow_html": False,
                   "column_filters": "footer", "classes": "display compact cell-border", "order": [],
                   "lengthMenu": [10, 25, 50, 100], "pageLength": 10, "autoWidth": False, "layout": _LAYOUT,
                   "display_logo_when_loading": False, "style": "width:100%;margin:0;caption-side:top"}
_LOADING = ('<tbody><tr><td style="text-align:left">Loading the interactive table… (it needs JavaScript; '
            'the init cell at the top of the page carries the code)</td></tr></tbody>')


def _save_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", str(name)).strip("._") or "table"


def save_full_table(df: pd.DataFrame, name: str, folder: str | os.PathLike) -> list[str]:
    """Write ``df`` to ``<folder>/<name>.csv`` (UTF-8 with BOM) and ``<folder>/<name>.parquet``; a table of more
    than :data:`~lawgov_analysis.io.export.MAX_CSV_ROWS` rows to the Parquet file only.

    Returns the paths written, as ``folder`` was given (POSIX separators) so they can serve as links from a
    page in the folder ``folder`` is relative to. A table Parquet cannot store (mixed object columns) is
    written as CSV only, and a warning is logged.
    """
    from ..io.export import MAX_CSV_ROWS, write_table

    stem = _save_name(name)
    folder_text = Path(folder).as_posix()
    out = []
    suffixes = (".csv", ".parquet") if len(df) <= MAX_CSV_ROWS else (".parquet",)
    if len(suffixes) == 1:
        log.info("%s: %d rows, more than a spreadsheet holds (%d): written as Parquet only", stem, len(df),
                 MAX_CSV_ROWS)
    for suffix in suffixes:
        path = Path(folder) / f"{stem}{suffix}"
        try:
            write_table(df.reset_index(drop=True), path, codebook=False)
        except Exception as exc:  # noqa: BLE001 - an unstorable column costs the Parquet copy, not the page
            log.warning("%s not written: %s", path, exc)
            continue
        out.append(f"{folder_text}/{stem}{suffix}" if folder_text != "." else f"{stem}{suffix}")
    return out


def _itables_init_html() -> str:
    """The HTML that loads DataTables into a page once: CSS and JS embedded (base64), no network."""
    from itables import options as itables_options
    from itables.javascript import generate_init_offline_itables_html

    logo = itables_options.display_logo_when_loading
    itables_options.display_logo_when_loading = False  # the logo links itables' web site
    try:
        return generate_init_offline_itables_html(itables_options.dt_bundle)
    finally:
        itables_options.display_logo_when_loading = logo


def _init_interactive(display) -> None:
    """Display the DataTables loader once per kernel (the first table of a page)."""
    if _PAGE["initialized"]:
        return
    from IPython.display import HTML

    display(HTML(_itables_init_html()))
    _PAGE["initialized"] = True


def _itable(cells: pd.DataFrame, table_id: str) -> str:
    """itables' offline HTML for a table of strings, without its static copy of every row and its web links."""
    import itables

    page = itables.to_html_datatable(cells, table_id=table_id, **_ITABLE_OPTIONS)
    # itables follows the interactive table with a static copy of every row (for viewers that run no
    # script) — twice the bytes; the page links the full table files instead
    start = page.find(f'<div id="{table_id}_fallback">')
    end = page.find("</script>", start)
    opening = f'<table id="{table_id}" hidden="hidden">'
    if start >= 0 and end >= 0 and opening in page:
        page = page[:start] + page[end + len("</script>"):]
        page = page.replace(opening, f'<table id="{table_id}">', 1)
    # the placeholder shown while loading links itables' web site: replaced by a plain line
    head = page.find(f'<table id="{table_id}">')
    body_start = page.find("<tbody>", head)
    body_end = page.find("</tbody>", body_start)
    if head < 0 or body_start < 0 or body_end < 0:
        raise RuntimeError(f"unexpected HTML from itables {itables.__version__}: no table {table_id}")
    return page[:body_start] + _LOADING + page[body_end + len("</tbody>"):]


def interactive_table_html(df: pd.DataFrame, *, max_bytes: int = TABLE_MAX_BYTES, max_rows: int | None = None,
                           index: bool = False, table_id: str = "lawgov_table") -> tuple[str, int]:
    """Interactive HTML of ``df`` (search, sort, column filters, pages) within ``max_bytes``.

    Cells are formatted as in :func:`format_table` (numbers rounded per column; DataTables sorts numeric
    columns as numbers) and escaped by itables. The DataTables code itself is not included: a page loads it
    once (the first :func:`show_table` of a notebook displays it).

    Returns
    -------
    (str, int)
        The HTML and the number of rows it holds: every row (or ``max_rows``) when they fit in ``max_bytes``,
        else as many leading rows as fit (at least one when ``df`` has rows).
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    total = len(df) if max_rows is None else min(len(df), max_rows)
    # estimate the rows that fit from the first thousand, then format only those
    probe, _ = format_table(df.head(min(total, 1000)), index=index)
    per_row = (len(_itable(probe, table_id).encode("utf-8")) + 1) / max(1, len(probe))
    n = total if per_row * total <= max_bytes else max(1, int(max_bytes / per_row * 1.1))
    while True:
        cells, _ = format_table(df.head(n), index=index)
        page = _itable(cells, table_id)
        size = len(page.encode("utf-8"))
        if size <= max_bytes or n <= 1:
            return page, n
        n = max(1, min(n - 1, int(n * max_bytes / size * 0.97)))


def _wrap(inner: str, *, caption: str | None, rows: int, files: list[str], collapsed: bool,
          shown: int | None = None, note: str = "") -> str:
    esc = html.escape
    links = " · ".join(f'<a href="{esc(f, quote=True)}">{esc(Path(f).suffix[1:].upper())}</a>' for f in files)
    parts = []
    if shown is not None and shown < rows:
        where = f" The full table: {links}." if links else ""
        parts.append(f'<p class="lawgov-table-note"><em>Showing the first {shown:,} of {rows:,} rows '
                     f"(the page keeps under 5 MB).{where}</em></p>")
    elif links:
        parts.append(f'<p class="lawgov-table-note"><small>{rows:,} rows · full table: {links}</small></p>')
    if note:
        parts.append(note)
    body = inner + "\n" + "\n".join(parts)
    if collapsed:
        title = esc(caption) if caption else "Table"
        return (f'<details class="lawgov-table"><summary><strong>{title}</strong> ({rows:,} rows)</summary>\n'
                f"{body}\n</details>")
    head = f"<p><strong>{esc(caption)}</strong></p>\n" if caption else ""
    return f'<div class="lawgov-table">{head}{body}</div>'


class InteractiveTable:
    """A table a notebook displays as an interactive DataTable (``_repr_html_``), plain text elsewhere.

    Built by :func:`show_table`: takes its share of the page's byte budget (:data:`PAGE_TABLE_BYTES`) when
    created. ``rows_shown`` is the number of rows in the page; ``html`` the markup.
    """

    def __init__(self, df: pd.DataFrame, *, max_rows: int | None = None, index: bool = False,
                 caption: str | None = None, files: list[str] | None = None, collapsed: bool = False):
        self.df = df
        self._index = index
        _PAGE["tables"] += 1
        budget = max(TABLE_MIN_BYTES, min(TABLE_MAX_BYTES, PAGE_TABLE_BYTES - _PAGE["used"]))
        inner, self.rows_shown = interactive_table_html(df, max_bytes=budget, max_rows=max_rows, index=index,
                                                        table_id=f"lawgov_table_{_PAGE['tables']}")
        _PAGE["used"] += len(inner.encode("utf-8"))
        if self.rows_shown < len(df):
            log.info("table %s: %d of %d rows in the page", caption or _PAGE["tables"], self.rows_shown, len(df))
        self.html = _wrap(inner, caption=caption, rows=len(df), files=list(files or []), collapsed=collapsed,
                          shown=self.rows_shown)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return table_text(self.df, max_rows=min(self.rows_shown, 50), index=self._index)


__all__ = ["show_table", "table_html", "table_text", "format_table", "format_value", "decimals_for",
           "interactive_table_html", "save_full_table", "EscapedTable", "InteractiveTable", "TABLE_MAX_BYTES",
           "PAGE_TABLE_BYTES", "TABLE_MIN_BYTES"]
