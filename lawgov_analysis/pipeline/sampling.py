"""Bounded samples of long tables, for pages that list rows: every row up to a limit, a seeded sample above.

A page that lists every metric mention or every reused passage of 100,000 reports would hold millions of rows
(the tables themselves stay in the store, queryable with ``store.sql``). The pages list every row while a
table has at most ``n`` rows and otherwise a seeded uniform sample of ``n`` rows, and say so.

- :func:`sample_rows` — a table already in memory: the table itself up to ``n`` rows, else ``n`` rows drawn
  without replacement with ``numpy.random.default_rng(seed)``, in the table's own order.
- :func:`sample_table` — a table of a store, read one part at a time: the table itself (``store.table``) up to
  ``n`` rows, else the ``n`` rows with the smallest seeded hash of their report and position in the report (a
  uniform sample without replacement that does not depend on how the store is split into parts), sorted by
  ``doc_id`` and position. Memory holds one part plus the sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
import pandas as pd

from ..core.config import DEFAULT_SEED
from .aggregate import BATCH_DOCS, iter_partitions
from .catalog import Store
from .stages import REPORT_TABLES

__all__ = ["sample_rows", "sample_table"]


def _check_n(n) -> int:
    if int(n) != n or int(n) < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return int(n)


def sample_rows(df: pd.DataFrame, *, n: int, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """``df`` itself when it has at most ``n`` rows, else a seeded sample of ``n`` of its rows.

    Parameters
    ----------
    df
        Any table.
    n
        Most rows returned.
    seed
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    pandas.DataFrame
        The same columns (and index) as ``df``; ``n`` rows drawn without replacement, kept in ``df``'s order.
        Example: a 10-row table with ``n=3`` gives 3 of its rows in their original order.
    """
    n = _check_n(n)
    if len(df) <= n:
        return df
    rows = np.sort(np.random.default_rng(seed).choice(len(df), size=n, replace=False))
    return df.iloc[rows]


def _priority(part: pd.DataFrame, seed: int, tag: int = 0) -> np.ndarray:
    """A seeded pseudo-random uint64 per row from its report, its position among the report's rows of the
    table and the table's ``tag`` (``audit`` 0, ``audit_years`` 1)."""
    key = pd.DataFrame({"doc_id": part["doc_id"].astype(str),
                        "i": part.groupby("doc_id", sort=False).cumcount().to_numpy(dtype=np.int64) * 2 + tag})
    return pd.util.hash_pandas_object(key, index=False, hash_key=f"{int(seed) % 10**16:016d}").to_numpy()


def sample_table(store: Store, name: str, *, n: int, columns: Sequence[str] | None = None,
                 seed: int = DEFAULT_SEED, batch_docs: int = BATCH_DOCS,
                 progress: bool | None = False) -> tuple[pd.DataFrame, int]:
    """A per-report table of a store in full up to ``n`` rows, else a seeded sample of ``n`` rows.

    Parameters
    ----------
    store
        An opened store.
    name
        A per-report table (``metrics``, ``panel``, ``audit`` …; ``audit`` includes the cross-report rows).
    n
        Most rows returned.
    columns
        Columns to read (default all).
    seed
        Seed of the row hash (:func:`pandas.util.hash_pandas_object` key).
    batch_docs, progress
        Reports read together when sampling (:func:`~lawgov_analysis.pipeline.aggregate.iter_partitions`).

    Returns
    -------
    sample : pandas.DataFrame
        ``store.table(name, columns=columns, categories=False)`` when the table has at most ``n`` rows; else
        ``n`` of its rows (plain strings, no categories), sorted by ``doc_id`` and their order within the
        report.
    rows : int
        Rows of the whole table.
    """
    n = _check_n(n)
    allowed = [t for t in REPORT_TABLES if t in store.tables]
    if name not in allowed:
        raise ValueError(f"name must be one of {', '.join(allowed)}, got {name!r}")
    total = int(store.sql(f"select count(*) as n from {name}")["n"].iloc[0])
    if total <= n:
        return store.table(name, columns=columns, categories=False), total
    frames = iter_partitions(store, {name: columns}, batch_docs=batch_docs, progress=progress,
                             desc=f"sample of {name}")
    pieces = ((0, part[name]) for part in frames)
    if name == "audit" and "audit_years" in store.tables:   # the cross-report checks, after each report's own
        extra = store.table("audit_years", categories=False,
                            columns=None if columns is None else list(dict.fromkeys(["doc_id", *columns])))
        pieces = chain(pieces, [(1, extra)])
    # bottom-n of the seeded hash over every row: each part is cut to its own n smallest as it is read
    kept, held = [], 0
    for tag, part in pieces:
        if not len(part):
            continue
        order = part.groupby("doc_id", sort=False).cumcount().to_numpy(dtype=np.int64)
        got = part.assign(_tag=tag, _order=order, _p=_priority(part, seed, tag))
        kept.append(got.nsmallest(n, "_p", keep="first"))
        held += len(kept[-1])
        if held > 4 * n:
            kept = [pd.concat(kept, ignore_index=True).nsmallest(n, "_p", keep="first")]
            held = len(kept[0])
    out = pd.concat(kept, ignore_index=True).nsmallest(n, "_p", keep="first")
    out = out.sort_values(["doc_id", "_tag", "_order"], kind="stable").drop(columns=["_tag", "_order", "_p"])
    out = out.reset_index(drop=True)
    return (out if columns is None else out[list(columns)]), total
