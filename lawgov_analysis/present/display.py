"""Show tables of report text in notebooks and HTML safely: every cell is HTML-escaped.

Report text is data, not markup: a KWIC line or sentence containing ``<script>`` must appear as the
characters ``<script>``, never run. :func:`show_table` renders a DataFrame as escaped HTML for notebooks (and
for the HTML the ``report`` build exports); :func:`table_html` returns the same HTML as a string.
"""

from __future__ import annotations

import html

import pandas as pd


def table_html(df: pd.DataFrame, *, max_rows: int | None = 50, max_colwidth: int | None = None,
               index: bool = False, caption: str | None = None) -> str:
    """Escaped HTML ``<table>`` of ``df`` (cells, column names and index labels are all escaped).

    Parameters
    ----------
    df : DataFrame
        Any table, e.g. KWIC lines (``doc_id, sentence_id, left, keyword, right``) or theme sentences.
    max_rows : int or None
        Show the first ``max_rows`` rows and a note with the number left out; ``None`` shows every row.
    max_colwidth : int or None
        Truncate long cells to this many characters (``None``: full sentences).
    index : bool
        Include the DataFrame index.
    caption : str, optional
        A caption above the table (escaped too).

    Returns
    -------
    str
        ``<table class="dataframe lawgov-table">…</table>``, preceded by the caption and followed by a note of
        hidden rows when there are any.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    shown = df if max_rows is None else df.head(max_rows)
    with pd.option_context("display.max_colwidth", max_colwidth):
        body = shown.to_html(escape=True, index=index, border=0, render_links=False, na_rep="",
                             classes="lawgov-table")
    parts = []
    if caption:
        parts.append(f"<p><strong>{html.escape(caption)}</strong></p>")
    parts.append(body)
    if max_rows is not None and len(df) > max_rows:
        parts.append(f"<p><em>… {len(df) - max_rows} more rows of {len(df)}</em></p>")
    return "\n".join(parts)


class EscapedTable:
    """A table a notebook displays as escaped HTML (``_repr_html_``) and as plain text elsewhere."""

    def __init__(self, df: pd.DataFrame, **options):
        self.df = df
        self.html = table_html(df, **options)
        self._max_rows = options.get("max_rows", 50)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        shown = self.df if self._max_rows is None else self.df.head(self._max_rows)
        return shown.to_string(index=False)


def _ipython_shell():
    """The running IPython shell (a notebook kernel), or ``None`` in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return None
    return get_ipython()


def show_table(df: pd.DataFrame, *, max_rows: int | None = 50, max_colwidth: int | None = None,
               index: bool = False, caption: str | None = None) -> EscapedTable | None:
    """Show ``df`` as escaped HTML: displayed at once in a notebook, returned elsewhere.

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


__all__ = ["show_table", "table_html", "EscapedTable"]
