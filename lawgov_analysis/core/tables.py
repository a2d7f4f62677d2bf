"""Joins every layer needs on the keys of the tidy tables (``doc_id``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .validate import check_columns

__all__ = ["join_metadata"]


def join_metadata(table: pd.DataFrame, corpus: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame:
    """Add report columns (``year``, ``region``, ``level`` …) to any table with ``doc_id``.

    Returns a copy of ``table`` with the requested ``corpus`` columns looked up by ``doc_id`` (rows and their
    order unchanged; a ``doc_id`` missing from the corpus gets a missing value).

    >>> t = pd.DataFrame({"doc_id": ["b", "a", "c"]})
    >>> join_metadata(t, pd.DataFrame({"doc_id": ["a", "b"], "year": [2020, 2021]}), "year")["year"].tolist()
    [2021.0, 2020.0, nan]
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    check_columns(table, ["doc_id"], what="table")
    check_columns(corpus, ["doc_id", *cols], what="corpus")
    meta = corpus.drop_duplicates("doc_id").set_index("doc_id")
    out = table.copy()
    for col in cols:
        out[col] = out["doc_id"].map(meta[col])
    return out
